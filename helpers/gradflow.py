"""Gradient flow on the unrolled graph (notebooks 05 and 07).

A loss reads the last state, ``L = v . h_T``. Going back, every step of BPTT
hands a gradient to the step before it; ``chain_grad_norms`` records the size
of what arrives, ``||dL/dh_t||`` for ``t = 0..T`` (and ``||dL/dc_t||`` for the
LSTM's cell), with the course's own backward passes: ``hidden_grad_norms``
(notebook 05) for the plain RNN, ``lstm_step_backward`` and
``gru_step_backward`` (notebook 07) for the gated cells.

``draw_gradient_flow`` draws the unrolled chain once, one lane per state, and
``show_gradient_flow`` sets each edge's width and colour from those norms on a
log scale, in place, so a live demo redraws fast (the labels and arrows that
never change are drawn once: ``_course_static``, see ``helpers.plotting``).

Shapes follow the course: ``xs (T, B, D)``, ``h0 (B, H)``, PyTorch's weight
layout. Returned norms have shape ``(T + 1, B)``.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap, Normalize

from .gradients import hidden_grad_norms
from .scratch import gru_forward, gru_step_backward, lstm_forward, lstm_step_backward

FLOW_CELLS = ("rnn", "lstm", "gru")
"""The cells ``chain_grad_norms`` knows."""


def chain_grad_norms(
    cell: str, xs, h0, params: dict, dh_T, activation: str = "tanh", crossings: bool = False
) -> dict:
    """Gradient norms at every state of an unrolled network whose loss reads ``h_T``.

    cell: "rnn" (``h_t = f(W_xh x_t + W_hh h_{t-1} + b_h)``, ``f`` = activation,
        one of tanh, sigmoid, relu, linear), "lstm" or "gru" (the course's cells).
    xs: ``(T, B, D)``; h0: ``(B, H)`` (the LSTM's ``c_0`` is zero); params: the
        cell's weights as in ``rnn_forward`` / ``lstm_forward`` / ``gru_forward``;
    dh_T: ``dL/dh_T``, shape ``(B, H)``.
    Returns ``{"h": (T + 1, B)}`` with ``norms["h"][t] = ||dL/dh_t||``, and for
    the LSTM also ``"c"``: ``||dL/dc_t||`` (all routes into ``c_t``, through
    ``h_t`` and through ``c_{t+1}``). No overflow warnings: an exploding ReLU
    network reports ``inf``.
    crossings (LSTM only): also return how the gradient crosses between the
    two lanes, both ``(T + 1, B)``: ``"h_to_c"[t] = ||dL/dh_t * o_t * tanh'(c_t)||``,
    the part of ``dL/dc_t`` that comes down from ``h_t`` (0 at ``t = 0``), and
    ``"c_to_h"[t]``, the part of ``dL/dh_t`` that comes from ``c_{t+1}`` through
    the input gate, forget gate and candidate of step ``t + 1`` (0 at ``t = T``);
    the rest of ``dL/dh_t`` comes from ``h_{t+1}`` through its output gate.
    """
    if cell not in FLOW_CELLS:
        raise ValueError(f"cell: expected one of {FLOW_CELLS}, got {cell!r}")
    if cell == "rnn":
        norms, _ = hidden_grad_norms(xs, h0, params, dh_T, activation)
        return {"h": norms}
    T = len(xs)
    h_norms = np.empty((T + 1, len(h0)))
    c_norms = np.empty((T + 1, len(h0)))
    if cell == "lstm":
        _, cache = lstm_forward(xs, h0, np.zeros_like(h0), params)
    else:
        _, cache = gru_forward(xs, h0, params)
    dh, dc = np.asarray(dh_T, dtype=float), np.zeros(np.shape(h0))
    h_norms[T] = np.linalg.norm(dh, axis=-1)
    h_to_c, c_to_h = np.zeros((T + 1, len(h0))), np.zeros((T + 1, len(h0)))
    for t in range(T, 0, -1):  # dh holds dL/dh_t (and dc the part of dL/dc_t from c_{t+1})
        if cell == "lstm":
            o, tanh_c = cache[t - 1][6], cache[t - 1][7]
            down = dh * o * (1.0 - tanh_c**2)  # from h_t into c_t
            c_norms[t] = np.linalg.norm(dc + down, axis=-1)  # all of dL/dc_t
            step = lstm_step_backward(dh, dc, cache[t - 1])
            if crossings:
                h_to_c[t] = np.linalg.norm(down, axis=-1)
                via_h = lstm_step_backward(dh, -down, cache[t - 1])["h_prev"]  # output gate only
                c_to_h[t - 1] = np.linalg.norm(step["h_prev"] - via_h, axis=-1)
            dc = step["c_prev"]
        else:
            step = gru_step_backward(dh, cache[t - 1])
        dh = step["h_prev"]
        h_norms[t - 1] = np.linalg.norm(dh, axis=-1)
    if cell == "gru":
        return {"h": h_norms}
    c_norms[0] = np.linalg.norm(dc, axis=-1)  # c_0 feeds only c_1
    if crossings:
        return {"h": h_norms, "c": c_norms, "h_to_c": h_to_c, "c_to_h": c_to_h}
    return {"h": h_norms, "c": c_norms}


# --- the picture ------------------------------------------------------------------

DECADES = 15
"""The colour scale spans 10^-DECADES .. 10^DECADES; norms beyond are drawn at its ends."""

COLOR_TEXT = "#555555"
FLOW_CMAP = ListedColormap(colormaps["turbo"](np.linspace(0.05, 0.95, 256)), name="flow")
"""Dark blue (vanished) through green (about 1) to dark red (exploded): every value stays visible on white."""


def log_norms(norms, decades: int = DECADES) -> np.ndarray:
    """``log10`` of gradient norms, clipped to ``[-decades, decades]``.

    0 and underflow give ``-decades``; ``inf`` and NaN (an overflowed network)
    give ``+decades``. Never warns.
    """
    n = np.nan_to_num(np.asarray(norms, dtype=float), nan=np.inf, posinf=np.inf)
    n = np.clip(n, 10.0 ** -(decades + 1), 10.0 ** (decades + 1))
    return np.clip(np.log10(n), -decades, decades)


def draw_gradient_flow(
    ax,
    lanes,
    loss_reads=None,
    decades: int = DECADES,
    cmap=None,
    fontsize: float = 9,
    crossings=None,
) -> dict:
    """Draw empty unrolled chains onto ``ax``, one lane per state, top to bottom.

    lanes: labels of the lanes, e.g. ``["RNN  $h_t$", "LSTM $c_t$", "LSTM $h_t$"]``.
    loss_reads: one bool per lane, True where the loss reads the lane's last
        state (an arrow from "L"); default: every lane.
    The chain runs from step 0 (left) to step T (right, where the loss is);
    ``show_gradient_flow`` fills it in. Returns a handle for it, with the
    ``"mappable"`` a colourbar needs (``gradient_colorbar``). fontsize: of the
    lane labels and of "L" (the state labels under the chain are 1 point smaller).
    """
    norm = Normalize(-decades, decades)
    cmap = FLOW_CMAP if cmap is None else cmap
    handle = {"lanes": [], "norm": norm, "cmap": cmap, "decades": decades, "ax": ax}
    n = len(lanes)
    reads = [True] * n if loss_reads is None else list(loss_reads)
    for k, label in enumerate(lanes):
        y = n - 1 - k
        edges = LineCollection(
            [], cmap=cmap, norm=norm, capstyle="butt", antialiaseds=False, zorder=2
        )
        ax.add_collection(edges)
        (nodes,) = ax.plot([], [], "o", ms=2.0, color="white", mec="#333333", mew=0.5, zorder=3)
        ax.text(-0.03, y, label, ha="right", va="center", fontsize=fontsize)._course_static = True
        first = ax.text(
            0, y - 0.34, "", ha="center", va="top", fontsize=fontsize - 1, color=COLOR_TEXT
        )
        last = ax.text(
            1, y - 0.34, "", ha="center", va="top", fontsize=fontsize - 1, color=COLOR_TEXT
        )
        if reads[k]:
            ax.annotate(
                "$L$", xy=(1.01, y), xytext=(1.1, y), ha="left", va="center", fontsize=fontsize,
                arrowprops={"arrowstyle": "-|>", "color": "#444444", "lw": 1.0},
            )._course_static = True  # fmt: skip
        handle["lanes"].append({"edges": edges, "nodes": nodes, "y": y, "ends": (first, last)})
    handle["crossings"] = []
    for k_c, k_h in crossings or []:
        edges = LineCollection([], cmap=cmap, norm=norm, capstyle="butt", alpha=0.7, zorder=1)
        ax.add_collection(edges)
        handle["crossings"].append({"edges": edges, "y": (n - 1 - k_c, n - 1 - k_h)})
    ax.annotate(
        "", xy=(0.0, n - 0.45), xytext=(1.0, n - 0.45),
        arrowprops={"arrowstyle": "-|>", "color": COLOR_TEXT, "lw": 0.8},
    )._course_static = True  # fmt: skip
    ax.text(0.5, n - 0.4, "backpropagation through time: from the loss back to step 0", ha="center", va="bottom", fontsize=8, color=COLOR_TEXT)._course_static = True  # fmt: skip
    ax.set_xlim(-0.3, 1.17)
    ax.set_ylim(-0.7, n - 0.1)
    ax.axis("off")
    handle["mappable"] = ScalarMappable(norm=norm, cmap=cmap)
    return handle


def show_gradient_flow(
    handle: dict,
    norms,
    state_labels=None,
    max_width: float = 16.0,
    min_width: float = 0.5,
    crossing_norms=None,
) -> None:
    """Set every edge's width and colour from the norms, in place.

    norms: one array per lane, each ``(T + 1,)``: ``norms[k][t]`` is the norm at
        state ``t`` of lane ``k``. The edge from state ``t`` to ``t + 1`` shows
        ``norms[k][t]``, the gradient that has flowed back to state ``t``.
    state_labels: optional ``(first, last)`` texts per lane, e.g. ``("$h_0$", "$h_{30}$")``.
    Widths and colours are on a log scale: each decade adds the same width,
    from ``min_width`` points (``10^-decades`` and less) to ``max_width``. The
    state dots are drawn only for ``T <= 40``; beyond, they would hide the edges.
    crossing_norms: one ``(h_to_c, c_to_h)`` per crossing of ``draw_gradient_flow``,
        each ``(T + 1,)`` as ``chain_grad_norms(..., crossings=True)`` returns them:
        a dotted edge from ``h_t`` down to ``c_t`` shows ``h_to_c[t]``, one from
        ``c_t`` to ``h_{t-1}`` shows ``c_to_h[t - 1]`` (a third of the lanes' width).
    """
    decades = handle["decades"]
    for k, (lane, lane_norms) in enumerate(zip(handle["lanes"], norms)):
        logs = log_norms(lane_norms, decades)
        T = len(logs) - 1
        x = np.linspace(0.0, 1.0, T + 1)
        points = np.column_stack([x, np.full(T + 1, float(lane["y"]))])
        lane["edges"].set_segments(np.stack([points[:-1], points[1:]], axis=1))
        lane["edges"].set_array(logs[:-1])
        lane["edges"].set_linewidths(
            min_width + (max_width - min_width) * (logs[:-1] + decades) / (2 * decades)
        )
        lane["nodes"].set_data(x, points[:, 1])
        lane["nodes"].set_markersize(3.0)
        lane["nodes"].set_visible(T <= 40)
        if state_labels is not None:
            for text, label in zip(lane["ends"], state_labels[k]):
                text.set_text(label)
    for crossing, (h_to_c, c_to_h) in zip(handle.get("crossings", []), crossing_norms or []):
        T = len(h_to_c) - 1
        x = np.linspace(0.0, 1.0, T + 1)
        y_c, y_h = crossing["y"]
        down = [((x[t], y_h), (x[t], y_c)) for t in range(1, T + 1)]
        across = [((x[t], y_c), (x[t - 1], y_h)) for t in range(1, T + 1)]
        logs = np.concatenate([log_norms(h_to_c, decades)[1:], log_norms(c_to_h, decades)[:-1]])
        crossing["edges"].set_segments(down + across)
        crossing["edges"].set_array(logs)
        crossing["edges"].set_linewidths(
            (min_width + (max_width - min_width) * (logs + decades) / (2 * decades)) / 3
        )


def gradient_colorbar(fig, handle: dict, ax, **kw):
    """A colourbar for the flow, labelled in orders of magnitude (10^-15 .. 10^15)."""
    decades = handle["decades"]
    bar = fig.colorbar(handle["mappable"], ax=ax, **kw)
    ticks = np.arange(-decades, decades + 1, 5)
    bar.set_ticks(ticks)
    labels = [f"$10^{{{t}}}$" for t in ticks]
    labels[0], labels[-1] = f"$\\leq 10^{{{ticks[0]}}}$", f"$\\geq 10^{{{ticks[-1]}}}$"
    bar.set_ticklabels(labels)
    bar.set_label("gradient norm (log scale)")
    return bar
