"""Figures and live demos of notebook 07 (LSTM and GRU).

Each function draws one picture or wires one demo; the notebook passes the
quantities its text talks about (the sequences, the function that computes a
run, the gradient norms) and keeps the computation on the page.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..activations import sigmoid
from ..diagrams import draw_gru_cell, draw_lstm_cell, draw_lstm_unrolled
from ..gradflow import draw_gradient_flow, gradient_colorbar, show_gradient_flow
from ..plotting import COLORS, live_figure, new_figure

LSTM_PATHS = {
    "forget": "(a) forget gate: $f_t \\odot c_{t-1}$ keeps ($f_t = 1$) or erases",
    "input": "(b) input gate and candidate: $i_t \\odot g_t$ is written",
    "output": "(c) output gate: $h_t = o_t \\odot \\tanh(c_t)$",
    "cell": "(d) the cell state: $c_{t-1} \\to c_t$",
}

GRU_PATHS = {
    None: "the GRU cell: $h_t = z_t \\odot h_{t-1} + (1 - z_t) \\odot n_t$",
    "reset": "(a) reset $r_t$: how much of $W_{hn} h_{t-1} + b_{hn}$ enters $n_t$",
    "update": "(b) update $z_t$: keep $h_{t-1}$ ($z_t$) or take $n_t$ ($1 - z_t$)",
    "candidate": "(c) the candidate $n_t$ and the new state $h_t$",
}


def lstm_cell_paths() -> None:
    """The LSTM cell four times (2 x 2 panels), each path highlighted in turn:
    forget gate, input gate and candidate, output gate, cell state."""
    fig, axes = plt.subplots(2, 2, figsize=(8.0, 5.0))
    for ax, (path, title) in zip(axes.flat, LSTM_PATHS.items()):
        draw_lstm_cell(ax, highlight=path)
        ax.set_title(title, fontsize=9)
    plt.show()


def gru_cell_paths() -> None:
    """The GRU cell four times (2 x 2 panels): the whole cell, then the reset
    gate, the update gate and the candidate highlighted in turn."""
    fig, axes = plt.subplots(2, 2, figsize=(9.0, 6.2))
    for ax, (path, title) in zip(axes.flat, GRU_PATHS.items()):
        draw_gru_cell(ax, highlight=path)
        ax.set_title(title, fontsize=9)
    plt.show()


def lstm_unrolled(T: int = 4) -> None:
    """An LSTM unrolled over ``T`` steps: the cell-state highway on top."""
    fig, ax = plt.subplots(figsize=(7.5, 2.8))
    draw_lstm_unrolled(ax, T=T)
    ax.set_title("An LSTM unrolled over four steps", fontsize=10)
    plt.show()


def _step_up(value: float, levels) -> float:
    """The smallest of ``levels`` (ascending) that is at least ``value``; the
    last level when none is (it still shows the curve, clipped)."""
    return next((level for level in levels if level >= value), levels[-1])


def gate_lab(sequences: dict, lab_run) -> None:
    """Live demo: one LSTM unit with fixed gates reading a sequence of candidates.

    sequences: ``{name: g}``, each ``g`` of shape ``(L,)``, the candidates fed in.
    lab_run: ``lab_run(g, i, f, o) -> (c, h)``, both ``(L,)``.
    Top panel: the candidates ``g_t``; bottom: ``c_t`` and ``h_t``; a cursor
    marks the chosen step and the caption spells out its update.
    """
    L = len(next(iter(sequences.values())))
    steps = np.arange(1, L + 1)
    fig, (ax_g, ax_c) = new_figure(2, 1, width=6.4, height=4.0, sharex=True, height_ratios=[1, 2])
    bars_g = ax_g.bar(steps, np.zeros(L), color=COLORS["orange"], width=0.7)
    ax_g.set_ylim(-1.1, 1.1)
    ax_g.set_yticks([-1, 0, 1])
    ax_g.grid(False)
    ax_g.set_ylabel("candidate $g_t$")
    ax_g.set_title("One LSTM unit with fixed gates: what is written, kept and shown")
    (line_c,) = ax_c.plot(steps, np.zeros(L), "o-", color=COLORS["green"], label="cell state $c_t$")
    (line_h,) = ax_c.plot(
        steps, np.zeros(L), "s--", color=COLORS["blue"], ms=4, label="hidden state $h_t$"
    )
    cursor_g = ax_g.axvline(1, color=COLORS["grey"], lw=6, alpha=0.25)
    cursor_c = ax_c.axvline(1, color=COLORS["grey"], lw=6, alpha=0.25)
    ax_c.axhline(0, color="black", lw=0.6)
    ax_c.set_xlabel("time step t")
    ax_c.set_ylabel("state value")
    ax_c.set_xticks(steps[::2])
    ax_c.legend(loc="upper right", ncols=2)
    shown = {}

    def update(sequence, i, f, o, step):
        g = sequences[sequence]
        c, h = lab_run(g, i, f, o)
        if shown.get("sequence") != sequence:  # the bars change only with the sequence
            for bar, value in zip(bars_g, g):
                bar.set_height(value)
            shown["sequence"] = sequence
        line_c.set_ydata(c)
        line_h.set_ydata(h)
        # the axis moves in a few fixed steps (a new range redraws the ticks, which is slow)
        high = _step_up(max(1.1, c.max() + 0.2), (1.1, 1.2, 2, 3, 5, 8, 12, 21))
        ax_c.set_ylim(-_step_up(max(1.1, 0.2 - c.min()), (1.1, 2, 3, 5, 8, 12, 21)), high)
        cursor_g.set_xdata([step, step])
        cursor_c.set_xdata([step, step])
        k = step - 1
        c_prev = c[k - 1] if k > 0 else 0.0
        return (
            f"step {step}: c = f·c<sub>prev</sub> + i·g = {f:.2f}·{c_prev:.3f} + {i:.2f}·{g[k]:.3f}"
            f" = <b>{c[k]:.3f}</b>; h = o·tanh(c) = {o:.2f}·{np.tanh(c[k]):.3f} = <b>{h[k]:.3f}</b>"
        )

    live_figure(
        fig,
        update,
        {
            "sequence": widgets.Dropdown(options=list(sequences), description="input"),
            "i": widgets.FloatSlider(
                value=1.0, min=0.0, max=1.0, step=0.05, description="input gate i"
            ),
            "f": widgets.FloatSlider(
                value=0.9, min=0.0, max=1.0, step=0.01, description="forget gate f"
            ),
            "o": widgets.FloatSlider(
                value=1.0, min=0.0, max=1.0, step=0.05, description="output gate o"
            ),
            "step": widgets.IntSlider(value=3, min=1, max=L, description="step"),
        },
        title="LSTM gate lab",
    )


def hand_wired_demo(values, markers, hand_wired) -> None:
    """Live demo: the hand-wired LSTM unit of section 2, with sliders for the
    input-gate bias ``b_i`` and the forget-gate bias ``b_f``.

    values, markers: ``(T,)``, the input channels ``v_t`` and ``m_t``.
    hand_wired: ``hand_wired(input_bias, forget_bias) -> (i, f, g, c, h)``,
        each ``(T,)``. Three panels: the input (marked values in orange), the
        input and forget gates, and ``c_t``, ``h_t`` against the target (the
        sum of the two marked ``tanh(v_t)``).
    """
    T = len(values)
    steps = np.arange(1, T + 1)
    fig, (ax_x, ax_gate, ax_mem) = new_figure(3, 1, width=7.0, height=5.0, sharex=True)
    ax_x.bar(steps, values, color=COLORS["grey"], width=0.7, label="value $v_t$")
    ax_x.bar(steps[markers > 0], values[markers > 0], color=COLORS["orange"], width=0.7,
             label="marked")  # fmt: skip
    ax_x.set_ylim(0, 1.25)
    ax_x.set_ylabel("input $v_t$")
    ax_x.legend(loc="upper right", ncols=2)
    ax_x.set_title("A hand-wired LSTM unit: the marker opens the input gate")
    (ln_i,) = ax_gate.plot(
        steps, np.zeros(T), "o-", ms=3, color=COLORS["orange"], label="input gate $i_t$"
    )
    (ln_f,) = ax_gate.plot(
        steps, np.zeros(T), "s-", ms=3, color=COLORS["purple"], label="forget gate $f_t$"
    )
    ax_gate.set_ylim(-0.05, 1.45)
    ax_gate.set_ylabel("gate value")
    ax_gate.legend(loc="upper center", ncols=2)
    (ln_c,) = ax_mem.plot(
        steps, np.zeros(T), "o-", ms=3, color=COLORS["green"], label="cell state $c_t$"
    )
    (ln_h,) = ax_mem.plot(
        steps, np.zeros(T), "--", color=COLORS["blue"], label="hidden state $h_t$"
    )
    target = np.tanh(values[markers > 0]).sum()
    ax_mem.axhline(target, color=COLORS["red"], lw=1, ls=":", label="sum of the two marked $g_t$")
    ax_mem.set_ylim(-0.05, 2.0)
    ax_mem.set_xlabel("time step t")
    ax_mem.set_ylabel("state value")
    ax_mem.legend(loc="upper left", ncols=3, fontsize=8)

    def update(input_bias, forget_bias):
        i, f, g, c, h = hand_wired(input_bias, forget_bias)
        ln_i.set_ydata(i)
        ln_f.set_ydata(f)
        ln_c.set_ydata(c)
        ln_h.set_ydata(h)
        # a leaky gate adds up: the axis grows in a few fixed steps (new ticks are slow to draw)
        ax_mem.set_ylim(-0.1, _step_up(1.1 * c.max(), (2.0, 4.0, 8.0, 16.0, 34.0)))
        return (
            f"input gate: {i[markers > 0].min():.2f} at the markers, at most "
            f"{i[markers == 0].max():.3f} elsewhere; forget gate {f.mean():.3f}; "
            f"c<sub>{T}</sub> = <b>{c[-1]:.3f}</b> (the two marked candidates sum to {target:.3f})"
        )

    live_figure(
        fig,
        update,
        {
            "input_bias": widgets.FloatSlider(
                value=-4.0, min=-8.0, max=0.0, step=0.5, description="input-gate bias b_i"
            ),
            "forget_bias": widgets.FloatSlider(
                value=5.0, min=-2.0, max=8.0, step=0.5, description="forget-gate bias b_f"
            ),
        },
        title="A gate that decides when to write",
    )


FLOOR = 1e-45
"""Gradient norms below this are drawn on the floor of the gradient plot."""

KEEP_BIASES = np.arange(-2.0, 5.01, 0.5)
"""The keep-gate biases the gradient demos offer (the slider's values)."""


def keep_bias_slider(value: float):
    """The slider of the keep-gate bias, over ``KEEP_BIASES``."""
    return widgets.FloatSlider(
        value=value, min=KEEP_BIASES[0], max=KEEP_BIASES[-1], step=0.5, description="keep-gate bias"
    )


def gradient_norm_demo(T_grid, gradient_norms, forget_bias, value: float = 1.0) -> None:
    """Live demo: ``||dL/dh_0||`` (RNN, GRU) and ``||dL/dc_0||`` (LSTM) against the length T.

    T_grid: ``(n,)`` the lengths measured; gradient_norms: ``gradient_norms(keep_bias)
    -> (rnn, lstm, gru)``, each ``(n,)``; forget_bias: ``(H,)`` the LSTM's forget-gate
    bias before the slider adds to it (for the caption). The norms are computed
    once for every slider value (``KEEP_BIASES``), so moving the slider only redraws.
    """
    with np.errstate(under="ignore"):
        grid = {float(b): gradient_norms(b) for b in KEEP_BIASES}
    fig, ax = new_figure(width=7.0, height=4.0)
    styles = [
        ("o-", 3, COLORS["blue"], r"tanh RNN: $\|\partial L/\partial h_0\|$"),
        ("s-", 3.5, COLORS["green"], r"LSTM: $\|\partial L/\partial c_0\|$"),
        ("^--", 4, COLORS["red"], r"GRU: $\|\partial L/\partial h_0\|$"),
    ]
    lines = [
        ax.plot(T_grid, np.maximum(norms, FLOOR), style, ms=ms, color=color, label=label)[0]
        for norms, (style, ms, color, label) in zip(grid[value], styles)
    ]
    ax.set_yscale("log")
    ax.set_ylim(FLOOR / 3, 1e2)
    ax.set_yticks([1e0, 1e-10, 1e-20, 1e-30, 1e-40])
    ax.set_xlabel("sequence length T (steps between the state and the loss)")
    ax.set_ylabel("gradient norm (log scale)")
    ax.set_title("How much gradient reaches the initial state")
    ax.legend(loc="lower left")

    def update(keep_bias):
        norms = grid[float(keep_bias)] if float(keep_bias) in grid else gradient_norms(keep_bias)
        for line, n in zip(lines, norms):
            line.set_ydata(np.maximum(n, FLOOR))
        ax.set_title(
            f"How much gradient reaches the initial state (keep-gate bias {keep_bias:+.1f})"
        )
        f_mean = float(np.mean(sigmoid(forget_bias + keep_bias)))
        rnn_n, lstm_n, gru_n = norms
        return (
            f"bias +{keep_bias:.1f}: forget gate about σ(bias) ≈ {f_mean:.2f} before the inputs act; "
            f"at T = {T_grid[-1]}: RNN {rnn_n[-1]:.1e}, LSTM {lstm_n[-1]:.1e}, GRU {gru_n[-1]:.1e}"
        )

    live_figure(
        fig,
        update,
        {"keep_bias": keep_bias_slider(value)},
        title="Gradient reaching the start of the sequence",
    )


FLOW_LANES = ["RNN $h_t$", "LSTM $c_t$", "LSTM $h_t$", "GRU $h_t$"]


def gradient_flow_demo(flow_lanes, T_max: int, keep_bias=0.0, T=60, w_scale=1.0) -> None:
    """Live demo: the gradient flowing back through the unrolled RNN, LSTM and GRU.

    flow_lanes: ``flow_lanes(keep_bias, w_scale, T) -> (lanes, crossing)``:
        ``lanes`` four arrays ``(T + 1,)``, the norms ``||dL/dh_t||`` of the RNN,
        ``||dL/dc_t||`` and ``||dL/dh_t||`` of the LSTM and ``||dL/dh_t||`` of the
        GRU (``FLOW_LANES``); ``crossing`` the LSTM's ``(h_to_c, c_to_h)``, each
        ``(T + 1,)`` (``chain_grad_norms(..., crossings=True)``), drawn as thin
        edges between its two lanes.
    T_max: the largest T the slider offers; keep_bias, T, w_scale: the
        controls' starting values (the saved picture).
    """
    fig, ax = new_figure(width=8.5, height=3.6)
    flow = draw_gradient_flow(
        ax, FLOW_LANES, loss_reads=[True, False, True, True], crossings=[(1, 2)]
    )
    gradient_colorbar(fig, flow, ax, shrink=0.9, pad=0.01)

    def update(keep_bias, T, w_scale):
        lanes, crossing = flow_lanes(keep_bias, w_scale, T)
        end = f"{{{T}}}"
        ends = [(f"${s}_0$", f"${s}_{end}$") for s in "hchh"]
        show_gradient_flow(flow, lanes, ends, crossing_norms=[crossing])
        fig.suptitle(f"T = {T} steps, keep-gate bias {keep_bias:+.1f}, $W_{{hh}}$ × {w_scale:.2f}")
        return (
            f"gradient reaching step 0: RNN ‖∂L/∂h_0‖ = {lanes[0][0]:.1e}, LSTM ‖∂L/∂c_0‖ = "
            f"{lanes[1][0]:.1e}, ‖∂L/∂h_0‖ = {lanes[2][0]:.1e}, GRU ‖∂L/∂h_0‖ = {lanes[3][0]:.1e}"
        )

    live_figure(
        fig,
        update,
        {
            "keep_bias": keep_bias_slider(keep_bias),
            "T": widgets.IntSlider(value=T, min=2, max=T_max, description="T"),
            "w_scale": widgets.FloatSlider(
                value=w_scale, min=0.25, max=4.0, step=0.25, description="W_hh ×"
            ),
        },  # fmt: skip
        title="Gradient flow: RNN, LSTM and GRU on the same input",
    )
