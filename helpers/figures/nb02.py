"""The figures and live demo of notebook 02 (from feed-forward to recurrent networks).

Each function draws one picture of the notebook, or builds the demo's figure
and returns ``(fig, update)`` for the notebook to hand to ``live_figure`` with
the control the learner moves. Arrays are time-major as in the notebook:
inputs ``xs (T, B, D)``, states ``hs (T, B, H)``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..plotting import COLORS, new_figure
from ..scratch import rnn_forward


def nudge_figure(xs, h0, params, nudged_steps=(1, 4), size: float = 0.1) -> None:
    """How far every state ``h_t`` moves when one input ``x_s`` is nudged by ``size``.

    xs: ``(T, B, D)``; h0: ``(B, H)``; params: ``W_xh``, ``W_hh``, ``b_h``;
    nudged_steps: the steps ``s`` (counted from 1) to nudge, one curve each.
    The largest change in ``h_t`` is drawn on a log axis; steps with exactly
    zero change (all steps before ``s``) are marked with a cross at the bottom.
    """
    hs, _ = rnn_forward(xs, h0, params)
    T = xs.shape[0]
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    for s, color in zip(nudged_steps, [COLORS["blue"], COLORS["orange"]]):
        nudged = xs.copy()
        nudged[s - 1] += size  # change x_s (step numbers start at 1)
        hs_nudged, _ = rnn_forward(nudged, h0, params)
        change = np.abs(hs_nudged - hs).max(axis=(1, 2))
        moved = change > 0
        steps = np.arange(1, T + 1)
        ax.semilogy(steps[moved], change[moved], "o-", color=color, label=f"nudge $x_{s}$")
        ax.plot(steps[~moved], np.full((~moved).sum(), 1e-9), "x", color=color, ms=8)
    ax.set_xlabel("time step $t$")
    ax.set_ylabel("largest change in $h_t$")
    ax.set_ylim(5e-10, 1)
    ax.text(1, 2e-9, "× = exactly zero change", fontsize=8, color=COLORS["grey"])
    ax.set_title("Changing $x_s$ moves every later state, never an earlier one")
    ax.legend()
    plt.show()


def sentence_demo(text: str, chars, hs_text, probs, compare=()):
    """Demo: a trained character RNN reading ``text`` one step at a time.

    text: the sentence (``T + 1`` characters: step ``t`` reads ``text[t - 1]``
    and predicts ``text[t]``); chars: the ``V`` characters, in the order of
    the output classes; hs_text: ``(T, 1, H)`` states; probs: ``(T, V)``,
    ``p_t = softmax(y_t)``; compare: steps ``t`` whose columns are outlined
    in dashed orange throughout (e.g. two steps that read the same character).
    Top: the states read so far as a heat map (one column per step, the
    current one outlined in black); bottom: ``p_t`` as bars, the true next
    character in green. Returns ``(fig, update)`` with ``update(t)``, ``t`` in
    ``1..T``.
    """
    T, V, H = len(text) - 1, len(chars), hs_text.shape[-1]
    index = {c: i for i, c in enumerate(chars)}
    labels = [c if c != " " else "␣" for c in chars]
    fig, (ax_h, ax_y) = new_figure(2, 1, width=7.6, height=5.4, height_ratios=[1.25, 1])
    shown = np.full((H, T), np.nan)
    image = ax_h.imshow(shown, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto")
    fig.colorbar(image, ax=ax_h, label="$h_t$ unit value", fraction=0.04, pad=0.01)
    ax_h.set_xticks(range(T), [c if c != " " else "␣" for c in text[:-1]])
    ax_h.set_yticks(range(0, H, 3))
    ax_h.grid(False)
    ax_h.set_xlabel("input character $x_t$ (one column per step $t$)")
    ax_h.set_ylabel("hidden unit")
    for t in compare:  # fixed outlines: same character, different context
        ax_h.axvspan(t - 1.5, t - 0.5, facecolor="none", edgecolor=COLORS["orange"], ls="--", lw=2)
        ax_h.get_xticklabels()[t - 1].set(color=COLORS["orange"], fontweight="bold")
    marker = ax_h.axvspan(-0.5, 0.5, facecolor="none", edgecolor="k", linewidth=1.5)
    bars = ax_y.bar(range(V), np.zeros(V), color=COLORS["grey"])
    ax_y.set_xticks(range(V), labels)
    ax_y.set_ylim(0, 1)
    ax_y.set_xlabel("next character")
    ax_y.set_ylabel("probability $p_t$")

    def update(t):
        k = t - 1  # step t is array index t - 1
        shown[:] = np.nan
        shown[:, :t] = hs_text[:t, 0].T
        image.set_data(shown)
        marker.set_x(k - 0.5)
        for j, bar in enumerate(bars):
            bar.set_height(probs[k, j])
            bar.set_color(COLORS["green"] if j == index[text[t]] else COLORS["grey"])
        read = text[:t].replace(" ", "␣")
        ax_h.set_title(f"t = {t}: read “{read}”")
        nxt = text[t].replace(" ", "␣")
        guess = labels[probs[k].argmax()]
        ax_y.set_title(
            f"output $p_t$: next is “{nxt}”, most likely “{guess}” ({probs[k].max():.0%})"
        )

    return fig, update
