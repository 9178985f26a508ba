"""The figures and live demos of notebook 10 (forecasting CO₂, generating names)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..applications import mae, sample_names, softmax_temperature
from ..plotting import COLORS, live_figure, new_figure

# ================================================================ Part A: forecasting


def plot_co2(years, co2):
    """The whole record (left) and three years up close, 1990-1992 (right).

    years: (N,) decimal years; co2: (N,) monthly means in ppm. Returns the figure.
    """
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.3), width_ratios=[2, 1])
    ax1.plot(years, co2, color=COLORS["blue"], lw=1)
    ax1.set(title="Monthly mean CO₂ at Mauna Loa, 1958–2001", xlabel="year", ylabel="CO₂ (ppm)")
    zoom = (years >= 1990) & (years < 1993)
    ax2.plot(years[zoom], co2[zoom], "o-", color=COLORS["blue"], ms=3, lw=1)
    ax2.set(title="Three years up close: the yearly cycle", xlabel="year", ylabel="CO₂ (ppm)")
    return fig


def plot_forecaster_loss(losses):
    """The forecaster's training loss per epoch (list of floats), on a log scale."""
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.semilogy(np.arange(1, len(losses) + 1), losses, color=COLORS["blue"])
    ax.set(
        title="GRU forecaster: training loss",
        xlabel="epoch",
        ylabel="MSE of the change (units of s²)",
    )
    return fig


def plot_one_step(years, truth, forecasts):
    """One-step-ahead forecasts on the test tail (left) and their errors month by month (right).

    years, truth: (M,) the tail's months and measurements; forecasts: ``{name:
    (M,) predictions}`` holding "GRU (one step ahead)", "seasonal difference"
    and "last value". Returns the figure.
    """
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.3))
    ax1.plot(years, truth, "k-", lw=1.5, label="measured")
    ax1.plot(years, forecasts["GRU (one step ahead)"], "o", ms=3, color=COLORS["blue"], label="GRU")
    ax1.plot(
        years,
        forecasts["seasonal difference"],
        "x",
        ms=4,
        color=COLORS["orange"],
        label="seasonal difference",
    )
    ax1.set(title="One-step-ahead forecasts on the test tail", xlabel="year", ylabel="CO₂ (ppm)")
    ax1.legend()
    for name, colour in [
        ("GRU (one step ahead)", "blue"),
        ("seasonal difference", "orange"),
        ("last value", "grey"),
    ]:
        ax2.plot(years, forecasts[name] - truth, lw=1, color=COLORS[colour], label=name)
    ax2.axhline(0, color="k", lw=0.8)
    ax2.set(
        title="Forecast error, month by month", xlabel="year", ylabel="forecast − measured (ppm)"
    )
    ax2.set_ylim(top=3.6)  # room above the error peaks for the legend
    ax2.legend(loc="upper center", ncol=2, fontsize=8)
    return fig


STYLES = {
    "GRU": ("blue", "-"),
    "seasonal difference": ("orange", "--"),
    "seasonal naive": ("green", ":"),
    "seasonal naive + drift": ("purple", "-."),
}


def plot_multi_step(years, co2, start, paths):
    """Forecasts fed back for ``K`` months from month ``start`` (left) and their
    absolute error by months ahead (right).

    years, co2: (N,) the whole series; start: index of the first forecast month;
    paths: ``{name: (K,) forecast}`` (names from ``STYLES``). Returns the figure.
    """
    K = len(next(iter(paths.values())))
    truth = co2[start : start + K]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4))
    history = slice(start - 36, start + 1)
    ax1.plot(years[history], co2[history], color=COLORS["grey"], label="history")
    ax1.plot(years[start : start + K], truth, "k-", lw=1.5, label="measured")
    for name, path in paths.items():
        colour, ls = STYLES[name]
        ax1.plot(years[start : start + K], path, ls, color=COLORS[colour], label=name)
        ax2.plot(np.arange(1, K + 1), np.abs(path - truth), ls, color=COLORS[colour], label=name)
    ax1.axvline(years[start], color="k", lw=0.6)
    ax1.set(title="Five years ahead from January 1997", xlabel="year", ylabel="CO₂ (ppm)")
    ax1.legend(fontsize=8)
    ax2.set(
        title="Error grows with the horizon",
        xlabel="months ahead",
        ylabel="|forecast − measured| (ppm)",
    )
    ax2.legend(fontsize=8)
    return fig


def forecast_demo(years, co2, months, origins, L, gru_paths, sd_paths):
    """Sliders for the start month and the horizon K of a fed-back forecast.

    years, co2: (N,) the series; months: its "YYYY-MM" labels; origins: (S,)
    the start months; L: the window length (the history drawn before a start);
    gru_paths, sd_paths: (S, K_max) the GRU's and the seasonal difference's
    forecasts from each start. The x-range covers every start at the largest
    horizon, so moving a slider redraws only the lines and the title.
    """
    import ipywidgets as widgets

    K_max = gru_paths.shape[1]
    fig, ax = new_figure(width=7.2, height=3.4)
    (hist_line,) = ax.plot([], [], color=COLORS["grey"], label="history")
    (true_line,) = ax.plot([], [], "k-", lw=1.5, label="measured")
    (gru_line,) = ax.plot([], [], "-", color=COLORS["blue"], label="GRU")
    (sd_line,) = ax.plot([], [], "--", color=COLORS["orange"], label="seasonal difference")
    start_line = ax.axvline(years[origins[0]], color="k", lw=0.6)
    ax.set(
        xlim=(years[origins[0] - L], years[origins[-1] + K_max - 1] + 0.1),
        ylim=(co2[origins[0] - 24 :].min() - 2, co2.max() + 3),
        xlabel="year",
        ylabel="CO₂ (ppm)",
    )
    title = ax.set_title("")
    ax.legend(loc="upper left", fontsize=8)

    def update(start_offset, K):
        k, o = start_offset, origins[start_offset]
        ahead = slice(o, o + K)
        hist_line.set_data(years[o - L : o + 1], co2[o - L : o + 1])
        true_line.set_data(years[ahead], co2[ahead])
        gru_line.set_data(years[ahead], gru_paths[k, :K])
        sd_line.set_data(years[ahead], sd_paths[k, :K])
        start_line.set_xdata([years[o], years[o]])
        e_gru, e_sd = mae(gru_paths[k, :K], co2[ahead]), mae(sd_paths[k, :K], co2[ahead])
        title.set_text(
            f"K = {K} months ahead from {months[o]}: "
            f"MAE GRU {e_gru:.2f}, seasonal difference {e_sd:.2f} ppm"
        )
        return (
            f"MAE over the {K} month{'s' if K > 1 else ''}: GRU <b>{e_gru:.2f}</b> ppm, "
            f"seasonal difference <b>{e_sd:.2f}</b> ppm"
        )

    live_figure(
        fig,
        update,
        {
            "start_offset": widgets.IntSlider(
                value=0, min=0, max=len(origins) - 1, description="start +months"
            ),
            "K": widgets.IntSlider(value=24, min=1, max=K_max, description="horizon K"),
        },
        title="Multi-step forecast: choose the start month (months after Jan 1997) and the horizon",
    )


# ================================================================ Part B: generation


def plot_generator_loss(history, bigram):
    """The generator's training and validation loss per epoch (nats per character),
    the bigram table's validation loss (dotted) and the epoch whose weights were kept.

    history: ``train_name_generator``'s result; bigram: a float. Returns the figure.
    """
    epochs = np.arange(1, len(history["train"]) + 1)
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot(epochs, history["train"], "o-", color=COLORS["blue"], label="GRU, training")
    ax.plot(epochs, history["val"], "s--", color=COLORS["purple"], label="GRU, validation")
    ax.axhline(bigram, color=COLORS["orange"], ls=":", label="bigram table, validation")
    ax.axvline(
        history["best_epoch"], color=COLORS["grey"], lw=0.8, label="weights kept (best validation)"
    )
    ax.set(
        title="Name generator: loss per character",
        xlabel="epoch",
        ylabel="cross-entropy (nats per character)",
    )
    ax.set_xticks(epochs[:: max(1, len(epochs) // 8)])
    ax.legend()
    return fig


def plot_temperature_tradeoff(temps, distinct, copied, plausibility, real):
    """Diversity (left: % different names, % copies of training names) and how typical
    the letter pairs are (right: bigram NLL per character of the samples, and of real
    validation names as a dotted line ``real``), against the temperature. Returns the figure.
    """
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.2))
    ax1.plot(temps, distinct, "o-", color=COLORS["blue"], label="different names")
    ax1.plot(temps, copied, "s-", color=COLORS["red"], label="copies of training names")
    ax1.set(title="Diversity", xlabel="temperature τ", ylabel="% of 1,000 samples", ylim=(-3, 103))
    ax1.legend()
    ax2.plot(temps, plausibility, "o-", color=COLORS["green"], label="samples")
    ax2.axhline(real, color=COLORS["orange"], ls=":", label="real validation names")
    ax2.text(
        3.0,
        real - 0.15,
        "below: more predictable than real names",
        ha="right",
        va="top",
        fontsize=8,
    )
    ax2.text(
        0.0, real + 0.15, "above: less typical than real names", ha="left", va="bottom", fontsize=8
    )
    ax2.set(
        title="How typical the letter pairs are",
        xlabel="temperature τ",
        ylabel="bigram NLL (nats per character)",
    )
    ax2.legend()
    return fig


TAU_START = 0.7
"""The temperature the sampling demo starts at."""


def sampling_demo(generator, vocab, languages, train_names, top=15, shown=12, max_len=20):
    """Language, τ and step controls over the sampler of a ``NameGenerator``.

    Left: the distribution the first of ``shown`` samples was drawn from at one
    step: the ``top`` characters most likely at τ = 1 and the rest summed, blue at
    the chosen τ, grey outlines at τ = 1, the drawn one orange. Right: the
    ``shown`` names drawn with seed 0 (grey italics: copies of ``train_names``).
    Samples are drawn once per (language, τ) and kept, so moving ``step`` only redraws;
    those of every language at the starting τ are drawn before the demo shows.
    """
    import ipywidgets as widgets

    train_set = set(train_names)
    char_index = {c: i for i, c in enumerate(vocab)}
    fig, (ax, name_ax) = new_figure(1, 2, width=8.6, height=3.4, width_ratios=[2.3, 1])
    x = np.arange(top + 1)
    ref_bars = ax.bar(
        x,
        np.zeros(top + 1),
        width=0.8,
        fill=False,
        edgecolor=COLORS["grey"],
        label="τ = 1 (the model)",
    )
    bars = ax.bar(x, np.zeros(top + 1), width=0.55, color=COLORS["blue"], label="chosen τ")
    (drawn_mark,) = ax.plot([], [], "v", color=COLORS["orange"], ms=8, label="drawn")
    ax.set(
        xticks=x,
        ylim=(0, 1.1),
        xlabel=f"next character ({top} most likely at τ = 1, then the rest)",
        ylabel="probability",
    )
    # The letters change with every step: texts under the bars redraw much faster than tick labels.
    ax.tick_params(axis="x", labelbottom=False)
    ax.xaxis.labelpad = 16
    letters = [
        ax.text(i, -0.025, "", transform=ax.get_xaxis_transform(), ha="center", va="top") for i in x
    ]
    ax.legend(loc="upper right")
    title = ax.set_title("", fontsize=10)
    name_ax.set_axis_off()
    name_ax.set_title(f"{shown} samples (grey: copied)")
    name_texts = [
        name_ax.text(0.05, 1 - (i + 0.5) / shown, "", va="center", fontsize=10)
        for i in range(shown)
    ]
    samples = {}  # (language, τ) -> (names, logits): moving `step` reuses the same samples

    def draw(language, tau):
        if (language, tau) not in samples:
            samples[language, tau] = sample_names(
                generator,
                vocab,
                languages.index(language),
                n=shown,
                tau=tau,
                seed=0,
                max_len=max_len,
                return_logits=True,
            )
        return samples[language, tau]

    for language in languages:  # every language at the first τ, drawn now: switching is instant
        draw(language, TAU_START)

    def update(language, tau, step):
        names, logits = draw(language, tau)
        name = names[0]
        t = min(step, len(name) + 1, len(logits)) - 1  # the draw at step t + 1 (0-based t)
        drawn = char_index[name[t]] if t < len(name) else 0  # 0: the stop marker
        p_model = softmax_temperature(logits[t, 0], 1.0)
        p = softmax_temperature(logits[t, 0], tau)
        order = list(np.argsort(-p_model, kind="stable")[:top])  # the ranking at τ = 1
        if drawn not in order:
            order[-1] = drawn  # always show the drawn character
        heights = np.append(p_model[order], max(0.0, 1 - p_model[order].sum()))
        for bar, h in zip(ref_bars, heights):
            bar.set_height(h)
        for i, (bar, h) in enumerate(
            zip(bars, np.append(p[order], max(0.0, 1.0 - p[order].sum())))
        ):
            bar.set_height(h)
            bar.set_color(COLORS["orange"] if i < top and order[i] == drawn else COLORS["blue"])
        for text, i in zip(letters, order + [None]):
            text.set_text("rest" if i is None else "end" if i == 0 else vocab[i])
        drawn_mark.set_data([order.index(drawn)], [p[drawn] + 0.05])
        kind = "greedy, τ = 0" if tau == 0 else f"τ = {tau:.2f}"
        what = "the end" if drawn == 0 else f"“{vocab[drawn]}”"
        after = f"after “{name[:t]}”" if t else "first letter"
        title.set_text(f"{language}, {kind}, step {t + 1}: {after}, it drew {what}")
        for i, (text, n) in enumerate(zip(name_texts, names)):
            copied = n in train_set
            text.set_text(n)
            text.set_color(COLORS["grey"] if copied else "black")
            text.set_fontstyle("italic" if copied else "normal")
            text.set_fontweight("bold" if i == 0 else "normal")
        new = sum(n not in train_set for n in names)
        ended = f" (the name ended at step {t + 1})" if step > t + 1 else ""
        return (
            f"Step {t + 1} of <b>{name}</b>{ended}: P(drawn) = {p[drawn]:.2f} at this τ, "
            f"{p_model[drawn]:.2f} at τ = 1. "
            f"{new} of {shown} names are new, {len(set(names))} of {shown} are different."
        )

    live_figure(
        fig,
        update,
        {
            "language": widgets.Dropdown(
                options=languages, value="Italian", description="language"
            ),
            "tau": widgets.FloatSlider(
                value=TAU_START, min=0.0, max=3.0, step=0.05, description="τ"
            ),
            "step": widgets.IntSlider(value=1, min=1, max=max_len, description="step"),
        },
        title="Sampling names with a temperature: the distribution behind each letter",
    )
