"""The figures and the live demo of notebook 04 (backpropagation through time).

Each function draws one picture of the notebook, or builds the demo's figure
and returns ``(fig, update)`` for the notebook to hand to ``live_figure`` with
the controls the learner moves.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from ..diagrams import draw_bptt_backward
from ..plotting import COLORS, new_figure


def backward_figure(T: int = 4, highlight: int = 3) -> None:
    """The backward pass on the chain unrolled over ``T`` steps: the error that
    reaches each ``h_t`` from its own loss and from step ``t + 1``, each step's
    error term ``δ_t``, and the shares ``δ_t h_{t-1}^T`` summed into the
    gradient of the shared ``W_hh``; step ``highlight`` is drawn bold."""
    fig, ax = plt.subplots(figsize=(8.5, 3.9))
    draw_bptt_backward(ax, T=T, highlight=highlight)
    ax.set_title(
        f"Backward: $h_{highlight}$ gets error from $E_{highlight}$ and, through "
        f"$W_{{hh}}^\\top$, from step {highlight + 1}"
    )
    plt.show()


def _decade_label(value, _position=None) -> str:
    return f"1e{round(np.log10(value))}"


def _log_scale_in_front(ax, n_labels: int = 8):
    """A log scale for ``ax``'s y axis drawn as ordinary artists, so that a new
    range redraws only them, not the whole figure: the axes keep the fixed
    limits ``0 .. 1`` and ``set_range(low, high)`` returns the function that
    maps values in ``[low, high]`` onto them, after moving the decade ticks,
    their labels ``1e-n`` and the grid lines."""
    ax.set_ylim(0, 1)
    ax.set_yticks([])
    side = ax.get_yaxis_transform()  # x in axes units, y in data units
    marks = Line2D([], [], color="0.15", lw=0.8, transform=side, clip_on=False)
    grid = Line2D([], [], color="#b0b0b0", lw=0.8, alpha=0.3, transform=side)
    ax.add_line(marks)
    ax.add_line(grid)
    labels = [
        ax.text(-0.025, 0, "", transform=side, ha="right", va="center", fontsize=10)
        for _ in range(n_labels)
    ]

    def set_range(low, high):
        lo, hi = np.log10(low), np.log10(high)
        first, last = int(np.ceil(lo)), int(np.floor(hi))
        stride = max(1, int(np.ceil((last - first + 1) / (n_labels - 2))))
        decades = np.arange(first - first % stride, last + 1, stride)
        decades = decades[decades >= first]
        y = (decades - lo) / (hi - lo)
        gaps = np.full_like(y, np.nan)
        marks.set_data(
            np.column_stack([np.full_like(y, -0.012), np.zeros_like(y), gaps]).ravel(),
            np.column_stack([y, y, gaps]).ravel(),
        )
        grid.set_data(
            np.column_stack([np.zeros_like(y), np.ones_like(y), gaps]).ravel(),
            np.column_stack([y, y, gaps]).ravel(),
        )
        for k, text in enumerate(labels):
            text.set_visible(k < len(y))
            if k < len(y):
                text.set_y(y[k])
                text.set_text(_decade_label(10.0 ** decades[k]))
        return lambda values: (np.log10(values) - lo) / (hi - lo)

    return set_range


def truncation_demo(demo_gradients, T: int):
    """What truncated BPTT misses, for a loss at the last of ``T`` steps.

    demo_gradients: ``rho -> (norms (T,), errs (T,))``: ``|dE/dh_t|`` at every
    step ``t`` and the relative error of ``dE/dW_hh`` truncated to ``k = 1 .. T``
    steps, for ``W_hh`` an orthogonal matrix scaled by ``rho``.
    Left: ``|dE/dh_t|`` of full BPTT (grey) and the steps the truncated pass
    reaches (blue), on a log scale fitted to the curve; right: the truncated
    gradient's relative error against ``k``, with the chosen ``k`` marked.
    Only the left title (``ρ`` and ``k``) changes; the legend is drawn once.
    Returns ``(fig, update)``; ``update(k, rho)`` redraws only the curves, the
    marks and the left scale.
    """
    steps = np.arange(1, T + 1)
    fig, (ax_g, ax_e) = new_figure(1, 2, width=9.0, height=3.6)
    set_range = _log_scale_in_front(ax_g)
    ax_g.set_xlim(0, T + 1)
    (line_full,) = ax_g.plot(
        steps, np.zeros(T), "o-", color=COLORS["grey"], ms=3, label="full BPTT"
    )
    (line_cut,) = ax_g.plot(steps, np.zeros(T), "o-", color=COLORS["blue"], ms=4, label="truncated")
    cut_at = ax_g.axvline(T, color=COLORS["red"], ls="--", lw=1, label="window start")
    ax_g.legend(loc="upper left")  # fixed: drawn once, laid over each update
    ax_g.set_xlabel(f"time step t (loss at t = {T})")
    ax_g.set_ylabel(r"gradient reaching step t, $\|\partial E / \partial h_t\|$", labelpad=34)
    (line_err,) = ax_e.semilogy(steps, np.ones(T), "-", color=COLORS["purple"])
    (dot_err,) = ax_e.semilogy([1], [1], "o", color=COLORS["red"], ms=7)
    ax_e.set_xlabel("truncation length k (steps)")
    ax_e.set_ylim(1e-17, 3)
    ax_e.yaxis.set_major_locator(LogLocator(numticks=6))
    ax_e.yaxis.set_major_formatter(FuncFormatter(_decade_label))
    ax_e.yaxis.set_minor_locator(NullLocator())
    ax_e.set_ylabel(r"relative error of truncated $\partial E/\partial W_{hh}$")
    title = ax_g.set_title(" ")

    def update(k, rho):
        norms, errs = demo_gradients(rho)
        errs = np.maximum(errs, 1e-16)  # exactly 0 at k = T: drawn at the bottom
        to_y = set_range(norms.min() / 3, norms.max() * 3)
        line_full.set_ydata(to_y(norms))
        line_cut.set_ydata(np.where(steps > T - k, to_y(norms), np.nan))
        cut_at.set_xdata([T - k + 0.5] * 2)
        title.set_text(f"ρ = {rho:.2f}, k = {k}")
        line_err.set_ydata(errs)
        dot_err.set_data([k], [errs[k - 1]])
        return f"k = {k}: truncated ∂E/∂W_hh has relative error {errs[k - 1]:.1e}"

    return fig, update


def temporal_xor_figure(losses, positions, rms_random, rms_xor, k: int) -> None:
    """Training on the temporal XOR, and what the trained network predicts.

    losses: ``(n_windows,)`` the loss of each gradient-descent step (one window
    of ``k`` bits); positions: ``(P,)`` the position of each predicted bit in
    a fresh stream; rms_random, rms_xor: ``(P,)`` the root-mean-squared error
    of the prediction at each position, on the random and on the XOR bits.
    Left: the training loss against the best possible, ``(2/3) ln 2``; right:
    the two error curves against chance (always predicting 0.5: error 0.5).
    """
    fig, (ax_l, ax_p) = plt.subplots(1, 2, figsize=(9, 3.6), width_ratios=[1, 1.4])
    ax_l.plot(losses, color=COLORS["grey"], lw=0.6)
    ax_l.axhline(2 / 3 * np.log(2), color=COLORS["green"], ls="--", label="best possible")
    ax_l.set_xlabel(f"gradient-descent step (window of {k} bits)")
    ax_l.set_ylabel("cross-entropy loss (nats per bit)")
    ax_l.set_title("Training loss")
    ax_l.legend()
    ax_p.plot(positions, rms_random, "o-", color=COLORS["red"], ms=3, label="random bits")
    ax_p.plot(positions, rms_xor, "o-", color=COLORS["green"], ms=3, label="XOR bits (predictable)")
    ax_p.axhline(0.5, color=COLORS["grey"], ls=":", lw=1, label="chance: always predict 0.5")
    ax_p.set_ylim(0, 0.8)
    ax_p.set_xlabel("position of the predicted bit in a fresh stream")
    ax_p.set_ylabel("RMS prediction error")
    ax_p.set_title("The XOR bits become predictable once it finds the phase")
    ax_p.legend(loc="upper right", fontsize=8)
    plt.show()
