"""The figures and the live demo of notebook 03 (the shapes of sequence problems).

Each function draws one picture of the notebook, or builds the demo's figure
and returns ``(fig, update)`` for the notebook to hand to ``live_figure`` with
the controls the learner moves.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from ..diagrams import draw_bidirectional_rnn, draw_stacked_rnn, draw_unrolled_rnn
from ..plotting import COLORS, new_figure


def wirings_figure() -> None:
    """The four wirings of one recurrent cell, unrolled: many-to-many,
    many-to-one, one-to-many (each output fed back as the next input), and an
    encoder that reads 4 steps (states ``h_1 .. h_4``) handing its last state,
    the context ``c``, to a decoder with weights and states of its own
    (``s_1 .. s_3``, purple) that writes 3 outputs ``y_1 .. y_3``."""
    fig = plt.figure(figsize=(9, 4.8))
    grid = fig.add_gridspec(2, 3, height_ratios=[1, 1.35])
    panels = [
        (grid[0, 0], "many-to-many: tag every step", dict(T=4)),
        (grid[0, 1], "many-to-one: classify the sequence", dict(T=4, outputs="last")),
        (
            grid[0, 2],
            "one-to-many: generate, feeding $y_t$ back",
            dict(T=4, inputs="first", feedback=True),
        ),
        (
            grid[1, :],
            "encoder–decoder: the encoder ($h_t$) reads 4 steps, "
            "the decoder ($s_t$, its own weights) writes 3",
            dict(
                T=7,
                inputs=[1, 2, 3, 4, 5],
                input_labels={5: "START"},
                outputs=[5, 6, 7],
                decoder_from=5,
                decoder_state="s",
                feedback=True,
            ),
        ),
    ]
    for where, title, kwargs in panels:
        ax = fig.add_subplot(where)
        parts = draw_unrolled_rnn(ax, weights=False, **kwargs)
        ax.set_title(title, fontsize=10)
    encoder_last, decoder_first = parts["cells"][3], parts["cells"][4]  # h_4 and s_1
    ax.text(
        (encoder_last.get_x() + encoder_last.get_width() + decoder_first.get_x()) / 2,
        1.08,
        "context\n$c$",
        ha="center",
        va="bottom",
        fontsize=8,
    )
    fig.suptitle("Where the inputs go in and the outputs come out")
    plt.show()


def padding_demo(run_padded, sequences: dict, pad: int, pad_max: int):
    """What a classifier would read from each state of one padded sequence.

    run_padded: ``tokens (list of T ints) -> (states (T, H), P(has a 7) (T,))``,
    the trained classifier run over the tokens, padding included;
    sequences: ``{name: list of 10 tokens}``; pad: the padding token;
    pad_max: the most padding steps the demo adds.
    Draws ``P(has a 7)`` read from every state (blue), the sequence's own last
    state ``h_L`` (green dot) and the padded batch's last row ``hs[-1]`` (red
    cross), with the tokens written above and the padding shaded; the other
    sequence(s), cut and padded the same way, as dashed grey lines, so that both
    can be seen to end at the same state. The caption gives the length, the
    padded length and both probabilities.
    Returns ``(fig, update)``; ``update(sequence, length, padding)`` takes a key
    of ``sequences``, the length ``L`` kept (1..10) and the padding steps.
    """
    steps = np.arange(1, 10 + pad_max + 1)
    fig, ax = new_figure(width=8.5, height=3.3)
    pad_patch = ax.add_patch(Rectangle((0, -0.05), 0, 1.2, color="0.9", lw=0, zorder=0))
    curve = ax.plot(
        [], [], color=COLORS["blue"], lw=1.6, marker=".", ms=4, label="read from the state $h_t$"
    )[0]
    others = [
        ax.plot([], [], color="0.55", lw=1.2, ls="--", label=label)[0]
        for label in ["the other sequence"] + [None] * (len(sequences) - 2)
    ]
    own_dot = ax.plot([], [], "o", ms=10, color=COLORS["green"], label="own last state $h_L$")[0]
    last_dot = ax.plot(
        [], [], "X", ms=11, color=COLORS["red"], label="hs[-1], the padded last row"
    )[0]
    # The tokens above the plot: one marker line per digit (and one for padding),
    # drawn with the glyph as its marker, which redraws far faster than a text per step.
    token_marks = {
        d: ax.plot([], [], ls="", marker=f"${d}$", ms=7, color="k", mew=0)[0] for d in range(10)
    }
    token_marks[pad] = ax.plot([], [], ls="", marker="_", ms=5, color="k", mew=1.2)[0]  # a dash
    ax.axhline(0.5, color="k", lw=0.6, ls=":")
    ax.set(xlim=(0.5, steps[-1] + 0.5), ylim=(-0.05, 1.15), xlabel="time step $t$ (grey: padding)")
    ax.set_ylabel("P(has a 7)")
    ax.legend(loc="center right", fontsize=8, frameon=True, framealpha=0.9)

    def update(sequence, length, padding):
        tokens = sequences[sequence][:length] + [pad] * padding
        _, p = run_padded(tokens)
        curve.set_data(steps[: len(tokens)], p)
        other_names = [name for name in sequences if name != sequence]
        for line, name in zip(others, other_names):
            _, p_other = run_padded(sequences[name][:length] + [pad] * padding)
            line.set_data(steps[: len(tokens)], p_other)
        own_dot.set_data([length], [p[length - 1]])
        last_dot.set_data([len(tokens)], [p[-1]])
        pad_patch.set_x(length + 0.5)
        pad_patch.set_width(padding)
        for d, mark in token_marks.items():
            at = [t + 1 for t, token in enumerate(tokens) if token == d]
            mark.set_data(at, [1.08] * len(at))
        return (
            f"Length {length}, padded to {len(tokens)}. Own last state: "
            f"P(has a 7) = {p[length - 1]:.2f}; hs[-1]: {p[-1]:.2f}"
        )

    return fig, update


def bidirectional_figure(T: int = 5) -> None:
    """A bidirectional RNN unrolled over ``T`` steps: the forward chain, the
    backward chain (its own weights, purple), and each output reading both
    states of its step."""
    fig, ax = plt.subplots(figsize=(8, 3.4))
    draw_bidirectional_rnn(ax, T=T)
    ax.set_title(
        r"Bidirectional RNN: $y_t$ reads $[\overrightarrow{h}_t;\, \overleftarrow{h}_t]$, "
        rf"which together have seen all of $x_1 \dots x_{T}$",
        fontsize=10,
    )
    plt.show()


def stacked_figure(T: int = 4, layers: int = 2) -> None:
    """A stacked RNN of ``layers`` layers unrolled over ``T`` steps (each layer
    in its own colour: its own weights), beside the same stack with a dense
    feed-forward layer ``z_t`` between the top state and each output."""
    fig, (ax_stack, ax_deep) = plt.subplots(1, 2, figsize=(8.6, 3.6))
    draw_stacked_rnn(ax_stack, T=T, layers=layers)
    ax_stack.set_title(f"Stacked: layer {layers} reads layer {layers - 1}'s states", fontsize=10)
    draw_stacked_rnn(ax_deep, T=T, layers=layers, dense=1)
    ax_deep.set_title(f"{layers} layers, then a dense layer $z_t$ at each step", fontsize=10)
    for ax in (ax_stack, ax_deep):  # same limits: same scale, titles at the same height
        ax.set_ylim(ax_deep.get_ylim())
    plt.show()
