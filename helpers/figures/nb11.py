"""Figures and the live demo of notebook 11 (encoder–decoder and attention)."""

from __future__ import annotations

import html

import matplotlib.pyplot as plt
import numpy as np

from ..plotting import COLORS, live_figure, new_figure

EOS_MARK = "■"  # how the stop marker </s> is drawn on an axis


def _draw_map(ax, alpha, source: str, output: str, title: str = "") -> None:
    """Heat map of alpha (output steps, source length) on ``ax``, characters as tick labels."""
    ax.imshow(alpha, cmap="Blues", vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    rows = list(output) + [EOS_MARK]
    ax.set_xticks(range(len(source)), [c if c != " " else "␣" for c in source], fontsize=8)
    ax.set_yticks(range(alpha.shape[0]), rows[: alpha.shape[0]], fontsize=8)
    ax.tick_params(length=0)
    ax.grid(False)
    ax.set_title(title, fontsize=9)


def plot_attention_maps(examples, ncols: int = 2):
    """Attention maps of several examples side by side.

    examples: list of ``(source str, output str, alpha (len(output) + 1, len(source)),
    title)``: row t of alpha is where output character t looked (the last row,
    drawn as ■, is the step that wrote the stop marker). Darker = more weight.
    """
    nrows = int(np.ceil(len(examples) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.6 * ncols, 2.9 * nrows), squeeze=False)
    for ax, (source, output, alpha, title) in zip(axes.flat, examples):
        _draw_map(ax, alpha, source, output, title)
    for ax in axes.flat[len(examples) :]:
        ax.set_axis_off()
    fig.supxlabel("input character (what the encoder read)", fontsize=9)
    fig.supylabel("output character", fontsize=9)
    plt.show()


def plot_accuracy_by_length(
    labels, results: dict, counts, baseline: dict | None = None, unit="dates", legend="lower left"
):
    """Exact-match accuracy per bucket of input length, one group of bars per bucket.

    results: ``{model name: (seeds, buckets) array}``: a bar is the mean over
    seeds, the dots are the seeds. counts: test examples per bucket (named
    ``unit`` under each bucket). baseline: ``{name: (buckets,) array}`` drawn as
    a line with markers. legend: where the legend goes (matplotlib's ``loc``).
    """
    fig, ax = plt.subplots(figsize=(7.2, 3.4))
    x = np.arange(len(labels))
    width = 0.8 / len(results)
    colours = [COLORS["orange"], COLORS["blue"], COLORS["green"]]
    for k, (name, acc) in enumerate(results.items()):
        acc = np.asarray(acc)
        pos = x - 0.4 + width * (k + 0.5)
        ax.bar(pos, acc.mean(axis=0), width * 0.9, color=colours[k], alpha=0.8, label=name)
        for row in acc:
            ax.plot(pos, row, "k.", ms=4)
    for name, acc in (baseline or {}).items():
        ax.plot(x, acc, "s--", color=COLORS["grey"], label=name)
    ax.set_xticks(x, [f"{lab}\n({n} {unit})" for lab, n in zip(labels, counts)])
    top = 1.2 if legend.startswith("upper") else 1.05  # room above the bars for a legend there
    ax.set(ylim=(0, top), yticks=[0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.set(xlabel="input length (characters)", ylabel="exact match on the test set")
    ax.set_title("Accuracy by input length (bars: mean over seeds, dots: each seed)")
    ax.legend(loc=legend, fontsize=8, ncols=2 if legend.startswith("upper") else 1)
    plt.show()


MIN_COLUMNS = 10  # the demo's narrowest map, in input characters


def date_demo(translate_one, box, max_chars: int = 36):
    """Live demo: type a date, see the greedy output and where each output character looked.

    translate_one(text) -> ``(output str, alpha (len(output) + 1, len(text)))``
    for a non-empty text of at most ``max_chars`` characters (longer input is
    cut). box: the ``ipywidgets.Text`` to type in. The map is redrawn in place: one image, the input as ONE text in a
    monospace font whose character width is the width of a column (so each
    character sits under its column), and one text per output row. The axes
    are resized to the input (at least ``MIN_COLUMNS`` columns), so the map
    fills them.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    rows, size = 12, 12
    fig, ax = new_figure(width=4.9, height=3.3)
    fig.set_layout_engine("none")  # the axes are sized to the font below, by hand
    renderer = FigureCanvasAgg(fig).get_renderer()
    probe = fig.text(0, 0, "0" * 40, family="monospace", fontsize=size)
    advance = probe.get_window_extent(renderer).width / 40  # pixels per character
    probe.set_text("\n".join("0" * rows))
    block = probe.get_window_extent(renderer).height
    probe.set_text("0")
    pitch = (block - probe.get_window_extent(renderer).height) / (rows - 1)  # pixels per line
    probe.remove()
    w, h = fig.bbox.width, fig.bbox.height

    def fit_axes(columns):  # the axes as wide as the input: one column per character
        ax.set_position(
            [60 / w, 1 - (40 + rows * pitch) / h, columns * advance / w, rows * pitch / h]
        )
        ax.set_xlim(-0.5, columns - 0.5)

    image = ax.imshow(np.zeros((rows, max_chars)), cmap="Blues", vmin=0, vmax=1,
                      aspect="auto", interpolation="nearest")  # fmt: skip
    ax.set(xticks=[], yticks=[], ylim=(rows - 0.5, -0.5))
    fit_axes(max_chars)
    ax.grid(False)
    ax.set_xlabel("input character", labelpad=22)
    ax.set_ylabel("output character", labelpad=16)
    # one text for the input (a character per column) and one for the output (a line per row)
    typed = ax.text(-0.5, rows - 0.35, "", family="monospace", fontsize=size, ha="left", va="top")
    written = ax.text(
        -0.7, (rows - 1) / 2, "", family="monospace", fontsize=size, ha="right", va="center"
    )
    title = ax.set_title("", loc="left")

    def update(text):
        text = text[:max_chars]
        grid = np.full((rows, max_chars), np.nan)
        output, marks = "", []
        if text.strip():
            output, alpha = translate_one(text)
            n = min(rows, alpha.shape[0])
            grid[:n, : alpha.shape[1]] = alpha[:n]
            marks = list(output) + [EOS_MARK]
        fit_axes(max(len(text), MIN_COLUMNS))
        image.set_data(np.ma.masked_invalid(grid))
        typed.set_text(text.replace(" ", "␣"))
        written.set_text("\n".join(marks[:rows] + [" "] * (rows - len(marks))))
        title.set_text(f"output: {output}" if text.strip() else "type a date above")
        cut = f" (cut to the first {max_chars} characters)" if len(text) == max_chars else ""
        return f"<code>{html.escape(text)}</code> → <code>{html.escape(output)}</code>{cut}"

    live_figure(
        fig, update, {"text": box}, title="Type a date: the output and where each character looked"
    )
