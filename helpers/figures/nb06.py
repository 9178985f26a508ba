"""Notebook 06's figures and live demo (a character-level language model in numpy).

Each function draws one picture or wires one demo; the notebook computes the
quantities its text talks about and hands them over.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from .. import plotting
from ..activations import softmax
from ..plotting import COLORS, new_figure

_LINE_STYLES = (  # one style per reference line, in the order given
    {"color": COLORS["blue"], "ls": "--", "lw": 1.5},
    {"color": COLORS["orange"], "ls": ":", "lw": 2},
    {"color": COLORS["green"], "ls": ":", "lw": 2},
    {"color": COLORS["grey"], "ls": "-.", "lw": 1},
    {"color": COLORS["purple"], "ls": ":", "lw": 2},
    {"color": COLORS["red"], "ls": ":", "lw": 2},
)


def training_curve_figure(history: dict, lines: dict, ylim=(1.5, 4.6)) -> None:
    """The training loss ``history["loss"]`` at ``history["step"]`` (nats per character),
    with one horizontal line per entry of ``lines`` (``{label: nats}``, e.g. the held-out
    losses of the RNN and the baselines), labelled with its value."""
    fig, ax = plt.subplots(figsize=(8, 3.8))
    ax.plot(
        history["step"],
        history["loss"],
        color=COLORS["blue"],
        lw=1.5,
        label="char-RNN, training chunks",
    )
    for (label, value), style in zip(lines.items(), _LINE_STYLES):
        if label.startswith("char-RNN"):  # a wide faint band, so a line close to it shows on top
            style = {**style, "lw": 5, "alpha": 0.35, "zorder": 1}
        ax.axhline(value, label=f"{label} ({value:.2f})", **style)
    ax.set_xlabel("training step (one chunk of 25 × 16 characters)")
    ax.set_ylabel("loss (nats per character)")
    ax.set_title("Learning to predict the next character of Botchan")
    ax.set_ylim(*ylim)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)  # outside: lines span
    plt.show()


def temperature_demo(logits, prompt: str, chars: list, sample, n_top: int = 12) -> None:
    """A log slider for the temperature ``tau``: the bars are ``softmax(logits / tau)``
    for the ``n_top`` characters most likely at ``tau = 1``, the title gives its entropy,
    and the text under the figure is ``prompt`` followed by ``sample(tau)`` (a string:
    what the model writes at that temperature). logits: ``(V,)``, the scores for the
    character after ``prompt``."""
    V = len(logits)
    top = np.argsort(logits)[::-1][:n_top]  # the characters the model likes most at tau = 1
    labels = [repr(chars[i])[1:-1] for i in top]
    fig, ax = new_figure(1, 1, width=7, height=3.2)
    bars = ax.bar(range(n_top), np.zeros(n_top), color=COLORS["blue"])
    ax.set_xticks(range(n_top), labels)
    ax.set_ylim(0, 1)
    ax.set_xlabel(f"next character after {prompt!r}")
    ax.set_ylabel("probability")

    def update(tau):
        p = softmax(logits / tau)
        for bar, value in zip(bars, p[top]):
            bar.set_height(value)
        entropy = float(-(p * np.log(p + 1e-300)).sum())
        ax.set_title(
            f"softmax(y / {tau:.2f}): entropy {entropy:.2f} nats (uniform: {np.log(V):.2f})"
        )
        return "<pre>" + prompt + sample(tau).replace("<", "&lt;") + "</pre>"

    slider = widgets.FloatLogSlider(value=1.0, base=10, min=-1, max=0.5, step=0.05, description="τ")
    plotting.live_figure(fig, update, {"tau": slider}, title="Temperature")
