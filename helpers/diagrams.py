"""Diagrams drawn with matplotlib: the RNN unrolled in time.

``draw_unrolled_rnn`` draws the chain ``x_t -> h_t -> y_t`` for any number of
steps, with the shared weights ``W_xh``, ``W_hh``, ``W_hy`` on the arrows, in
the course notation. Later notebooks reuse it for LSTM/GRU cells
(``cell_label``) and for sequence shapes (``inputs``/``outputs``).
"""

from __future__ import annotations

from matplotlib.patches import FancyBboxPatch

from .plotting import COLORS
from .validate import check_range

_FACE = {"x": "#e8f1fa", "h": "#fdf0e2", "y": "#e6f4e6", "d": "#f1eaf7"}
_EDGE = {"x": COLORS["blue"], "h": COLORS["orange"], "y": COLORS["green"], "d": COLORS["purple"]}
HIGHLIGHT = "#ffd24d"


def _steps(which, T: int, name: str) -> set[int]:
    """Steps (1..T) that have an input/output: None = all, or an iterable of step numbers."""
    if which is None:
        return set(range(1, T + 1))
    if isinstance(which, str):
        options = {"all": range(1, T + 1), "first": [1], "last": [T], "none": []}
        if which not in options:
            raise ValueError(
                f"{name}: expected one of {sorted(options)} or step numbers, got {which!r}"
            )
        return set(options[which])
    steps = set()
    for t in which:
        check_range(t, f"{name} step", 1, T, integer=True)
        steps.add(int(t))
    return steps


def _box(ax, x, y, text, kind, w=0.62, h=0.5, fontsize=11, linestyle="-"):
    patch = FancyBboxPatch(
        (x - w / 2, y - h / 2),
        w,
        h,
        boxstyle="round,pad=0.02,rounding_size=0.08",
        facecolor=_FACE[kind],
        edgecolor=_EDGE[kind],
        linewidth=1.4,
        linestyle=linestyle,
        zorder=2,
    )
    ax.add_patch(patch)
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, zorder=3)
    return patch


def _arrow(ax, start, end, label=None, label_side="right", fontsize=8):
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={"arrowstyle": "-|>", "color": "#444444", "lw": 1.2, "shrinkA": 0, "shrinkB": 0},
        zorder=1,
    )
    if label:
        mx, my = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
        if label_side == "right":
            ax.text(
                mx + 0.05, my, label, ha="left", va="center", fontsize=fontsize, color="#444444"
            )
        else:  # above a horizontal arrow
            ax.text(
                mx, my + 0.06, label, ha="center", va="bottom", fontsize=fontsize, color="#444444"
            )


def draw_unrolled_rnn(
    ax,
    T: int,
    inputs=None,
    outputs=None,
    cell_label: str | None = None,
    highlight: int | None = None,
    state: str = "h",
    weights: bool = True,
    show_h0: bool = True,
    t0: int = 1,
    decoder_from: int | None = None,
    decoder_state: str | None = None,
    feedback: bool = False,
    input_labels: dict | None = None,
    weight_fontsize: float = 8,
):
    """Draw an RNN unrolled over ``T`` steps onto ``ax`` (and turn its axis off).

    inputs, outputs: which steps have an input ``x_t`` / output ``y_t``: None or
        "all" (every step), "first", "last", "none", or step numbers 1..T
        (e.g. ``outputs="last"`` for a many-to-one classifier).
    cell_label: small text above each state, e.g. "tanh", "LSTM", "GRU".
    highlight: a step number 1..T whose column is filled in yellow.
    state: the state's letter (``"h"``; e.g. ``"s"`` for a decoder).
    weights: write the shared weights ``W_xh``, ``W_hh``, ``W_hy`` on the arrows
        (on every arrow when ``T <= 4``, else on the first arrow of each kind).
    t0: number of the first step (subscripts run ``t0 .. t0+T-1``).
    decoder_from: a step number 1..T from which on the cells are drawn in a
        second colour (purple): a decoder with weights of its own.
    decoder_state: the decoder's state letter (e.g. ``"s"``), so that its states
        are not named like the encoder's: from ``decoder_from`` on, the states
        are ``s_1, s_2, ...``, the outputs ``y_1, y_2, ...`` and an input fed
        back from the previous output is labelled with that output's name.
    feedback: draw a dashed arrow from each output ``y_t`` to the input of
        step ``t+1`` (generation: the prediction is the next input); a step
        that gets its input only this way has a dashed input box.
    input_labels: ``{step: text}`` replacing the input boxes' ``x_t`` labels
        (e.g. ``{5: "START"}``).
    weight_fontsize: font size (points) of the weight labels on the arrows.
    Returns ``{"cells": [patch per step], "inputs": {t: patch}, "outputs": {t: patch}}``
    so a live demo can recolour boxes in place with ``set_facecolor``.
    """
    check_range(T, "T", 1, 200, integer=True)
    ins = _steps(inputs, T, "inputs")
    outs = _steps(outputs, T, "outputs")
    if highlight is not None:
        check_range(highlight, "highlight", 1, T, integer=True)
    if decoder_from is not None:
        check_range(decoder_from, "decoder_from", 1, T, integer=True)
    if decoder_state is not None and decoder_from is None:
        raise ValueError("decoder_state: give decoder_from too (where the decoder starts)")
    check_range(weight_fontsize, "weight_fontsize", low=1)
    labels = {}
    for k, text in (input_labels or {}).items():
        check_range(k, "input_labels step", 1, T, integer=True)
        labels[int(k)] = str(text)
    fed = {k + 1 for k in outs if k < T} if feedback else set()
    dx = 1.25
    every = T <= 4
    cells, in_patches, out_patches = [], {}, {}
    labelled = set()  # which weights are already written on an arrow
    left = 0.0
    if show_h0:
        ax.text(0, 1, f"${state}_{{{t0 - 1}}}$", ha="center", va="center", fontsize=11)
        left = -0.45
    for k in range(1, T + 1):
        t = t0 + k - 1
        cx = k * dx
        if highlight == k:
            ax.add_patch(
                FancyBboxPatch(
                    (cx - 0.5, -0.45),
                    1.0,
                    2.9,
                    boxstyle="round,pad=0,rounding_size=0.1",
                    facecolor=HIGHLIGHT,
                    alpha=0.35,
                    edgecolor="none",
                    zorder=0,
                )
            )
        kind = "d" if decoder_from is not None and k >= decoder_from else "h"
        name, number = state, t
        if decoder_state is not None and k >= decoder_from:
            name, number = decoder_state, k - decoder_from + 1  # the decoder counts from 1
        if cell_label:
            cells.append(_box(ax, cx, 1, "", kind))
            ax.text(
                cx, 1.07, f"${name}_{{{number}}}$", ha="center", va="center", fontsize=11, zorder=3
            )
            ax.text(
                cx,
                0.86,
                cell_label,
                ha="center",
                va="center",
                fontsize=6.5,
                color="#555555",
                zorder=3,
            )
        else:
            cells.append(_box(ax, cx, 1, f"${name}_{{{number}}}$", kind))
        start = (cx - dx + 0.31, 1) if k > 1 else (0.25, 1)
        if k > 1 or show_h0:
            lab = weights and (every or "hh" not in labelled)
            labelled.add("hh")
            _arrow(
                ax, start, (cx - 0.31, 1), r"$W_{hh}$" if lab else None, "above", weight_fontsize
            )
        if k in ins or k in fed:
            fed_y = decoder_state is not None and k in fed and k not in ins
            text = labels.get(k, f"$y_{{{number - 1}}}$" if fed_y else f"$x_{{{t}}}$")
            in_patches[k] = _box(
                ax,
                cx,
                0,
                text,
                "x",
                w=max(0.62, 0.11 * len(text)) if k in labels else 0.62,
                h=0.42,
                fontsize=11 if text.startswith("$") else 8,
                linestyle="-" if k in ins else "--",
            )
            lab = weights and (every or "xh" not in labelled)
            labelled.add("xh")
            _arrow(
                ax, (cx, 0.21), (cx, 0.75), r"$W_{xh}$" if lab else None, fontsize=weight_fontsize
            )
        if k in outs:
            out_patches[k] = _box(ax, cx, 2, f"$y_{{{number}}}$", "y", h=0.42)
            lab = weights and (every or "hy" not in labelled)
            labelled.add("hy")
            _arrow(
                ax, (cx, 1.25), (cx, 1.79), r"$W_{hy}$" if lab else None, fontsize=weight_fontsize
            )
        if k in fed:  # y_{t-1} is this step's input
            ax.annotate(
                "",
                xy=(cx - 0.2, 0.21),
                xytext=(cx - dx + 0.2, 1.79),
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": COLORS["green"],
                    "lw": 1.1,
                    "ls": "--",
                    "shrinkA": 0,
                    "shrinkB": 0,
                    "connectionstyle": "arc3,rad=0.25",
                },
                zorder=1,
            )
    ax.set_xlim(left, T * dx + 0.55)
    ax.set_ylim(-0.45, 2.45)
    ax.set_aspect("equal")
    ax.axis("off")
    return {"cells": cells, "inputs": in_patches, "outputs": out_patches}


# ============================================================================
# Notebooks 02 and 04: the loop beside its unrolled chain, and the backward pass
# ============================================================================

BACKWARD = "#c0392b"  # the colour of errors flowing back in time


def _arrow2(ax, start, end, color="#444444", lw=1.2, ls="-", rad=0.0, alpha=1.0):
    """An arrow (an Annotation) from ``start`` to ``end``; returns it."""
    return ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={
            "arrowstyle": "-|>",
            "color": color,
            "lw": lw,
            "ls": ls,
            "alpha": alpha,
            "shrinkA": 0,
            "shrinkB": 0,
            "connectionstyle": f"arc3,rad={rad}",
        },
        zorder=1,
    )


def draw_rnn_loop_and_unrolled(ax, T: int = 4, fontsize: float = 9):
    """The RNN drawn as a loop (one cell and its recurrent edge) beside the
    same network unrolled over ``T`` steps, with the shared weights ``W_xh``,
    ``W_hh``, ``W_hy`` written on every arrow of both.

    T: steps of the unrolled chain, 1..6. fontsize: the weight labels' size.
    Returns ``{"boxes": [patches], "arrows": [annotations], "weights":
    [weight label texts]}``: 3 + 3T boxes (x, h, y of the loop and of each
    step), 3 + 3T arrows (the loop's W_xh, W_hy and its recurrent edge W_hh;
    per step W_hh from the previous state, W_xh and W_hy), and one weight
    label per arrow.
    """
    check_range(T, "T", 1, 6, integer=True)
    check_range(fontsize, "fontsize", low=1)
    weights, arrows = [], []

    def label(x, y, text, **kw):
        weights.append(ax.text(x, y, text, fontsize=fontsize, color="#444444", zorder=3, **kw))

    # the loop, centred at x = -2.2
    lx = -2.5
    boxes = [
        _box(ax, lx, 0, "$x_t$", "x", h=0.42),
        _box(ax, lx, 1, "$h_t$", "h"),
        _box(ax, lx, 2, "$y_t$", "y", h=0.42),
    ]
    arrows.append(_arrow2(ax, (lx, 0.21), (lx, 0.75)))
    label(lx + 0.05, 0.48, r"$W_{xh}$", ha="left", va="center")
    arrows.append(_arrow2(ax, (lx, 1.25), (lx, 1.79)))
    label(lx + 0.05, 1.52, r"$W_{hy}$", ha="left", va="center")
    # the recurrent edge: out of the cell's right side and round back into it
    arrows.append(_arrow2(ax, (lx + 0.31, 1.16), (lx + 0.31, 0.84), rad=-3.6))
    label(lx + 0.92, 1.0, r"$W_{hh}$", ha="left", va="center")
    ax.text(lx, -0.42, "one cell, fed back\n(one time step of delay)", ha="center",
            va="top", fontsize=fontsize - 1, color="#555555")  # fmt: skip
    ax.text(-0.6, 1, "=", ha="center", va="center", fontsize=18, color="#444444")

    # the chain: T copies of the same cell (h_0 on the left)
    dx = 1.25
    ax.text(0, 1, "$h_0$", ha="center", va="center", fontsize=11)
    for k in range(1, T + 1):
        cx = k * dx
        boxes.append(_box(ax, cx, 0, f"$x_{{{k}}}$", "x", h=0.42))
        boxes.append(_box(ax, cx, 1, f"$h_{{{k}}}$", "h"))
        boxes.append(_box(ax, cx, 2, f"$y_{{{k}}}$", "y", h=0.42))
        start = (cx - dx + 0.31, 1) if k > 1 else (0.25, 1)
        arrows.append(_arrow2(ax, start, (cx - 0.31, 1)))
        label((start[0] + cx - 0.31) / 2, 1.06, r"$W_{hh}$", ha="center", va="bottom")
        arrows.append(_arrow2(ax, (cx, 0.21), (cx, 0.75)))
        label(cx + 0.05, 0.48, r"$W_{xh}$", ha="left", va="center")
        arrows.append(_arrow2(ax, (cx, 1.25), (cx, 1.79)))
        label(cx + 0.05, 1.52, r"$W_{hy}$", ha="left", va="center")
    ax.text((T + 1) * dx / 2, -0.42, f"unrolled over T = {T} steps: the same weights at every step",
            ha="center", va="top", fontsize=fontsize - 1, color="#555555")  # fmt: skip
    ax.set_xlim(-3.15, T * dx + 0.6)
    ax.set_ylim(-0.95, 2.45)
    ax.set_aspect("equal")
    ax.axis("off")
    return {"boxes": boxes, "arrows": arrows, "weights": weights}


def draw_bptt_backward(ax, T: int = 4, highlight: int | None = None, fontsize: float = 8.5):
    """The backward pass of BPTT on the unrolled chain (notebook 04).

    Forward arrows are drawn faint; red arrows carry the error back: into each
    ``h_t`` from its own loss ``E_t`` (``∂E_t/∂h_t``) and from the next step
    (``W_hh^T δ_{t+1}``; nothing comes from after ``T``). Each cell holds its
    error term ``δ_t``; dashed arrows take every step's share ``δ_t h_{t-1}^T``
    down to one sum, the gradient of the shared ``W_hh``.

    T: steps, 1..6. highlight: a step 1..T whose incoming errors are drawn bold.
    Returns ``{"cells": [T patches], "from_output": [T arrows], "from_next":
    [T - 1 arrows], "to_sum": [T arrows], "sum": the sum's text}``.
    """
    check_range(T, "T", 1, 6, integer=True)
    if highlight is not None:
        check_range(highlight, "highlight", 1, T, integer=True)
    check_range(fontsize, "fontsize", low=1)
    dx, faint = 1.9, {"color": "#999999", "lw": 0.9, "alpha": 0.6}
    cells, from_output, from_next, to_sum = [], [], [], []
    ax.text(0, 1, "$h_0$", ha="center", va="center", fontsize=11, color="#777777")
    for k in range(1, T + 1):
        cx = k * dx
        bold = 2.4 if highlight == k else 1.5
        if highlight == k:
            ax.add_patch(
                FancyBboxPatch(
                    (cx - 0.75, -0.35), 1.5, 2.85, boxstyle="round,pad=0,rounding_size=0.1",
                    facecolor=HIGHLIGHT, alpha=0.35, edgecolor="none", zorder=0,
                )
            )  # fmt: skip
        _box(ax, cx, 0, f"$x_{{{k}}}$", "x", h=0.42)
        cells.append(_box(ax, cx, 1, "", "h", w=0.8, h=0.56))
        ax.text(cx, 1.1, f"$h_{{{k}}}$", ha="center", va="center", fontsize=10, zorder=3)
        ax.text(cx, 0.88, f"$\\delta_{{{k}}}$", ha="center", va="center", fontsize=10,
                color=BACKWARD, zorder=3)  # fmt: skip
        _box(ax, cx, 2.15, f"$E_{{{k}}}$", "y", h=0.42)
        # forward, faint: x -> h, h_{t-1} -> h_t, h -> E
        _arrow2(ax, (cx - 0.12, 0.21), (cx - 0.12, 0.72), **faint)
        _arrow2(ax, (cx - 0.12, 1.28), (cx - 0.12, 1.94), **faint)
        start = (cx - dx + 0.4, 1.12) if k > 1 else (0.25, 1.12)
        _arrow2(ax, start, (cx - 0.4, 1.12), **faint)
        # backward, red: from the loss at this step, and from the next step
        from_output.append(_arrow2(ax, (cx + 0.12, 1.94), (cx + 0.12, 1.28), BACKWARD, bold))
        ax.text(cx + 0.17, 1.62, rf"$\partial E_{{{k}}}/\partial h_{{{k}}}$", ha="left",
                va="center", fontsize=fontsize, color=BACKWARD)  # fmt: skip
        if k < T:
            bold_next = 2.4 if highlight == k else 1.5
            from_next.append(
                _arrow2(ax, (cx + dx - 0.4, 0.9), (cx + 0.4, 0.9), BACKWARD, bold_next)
            )
            ax.text(cx + dx / 2, 0.84, rf"$W_{{hh}}^\top \delta_{{{k + 1}}}$", ha="center",
                    va="top", fontsize=fontsize, color=BACKWARD)  # fmt: skip
        else:
            ax.text(cx + 0.48, 0.9, r"$\leftarrow 0$", ha="left", va="center",
                    fontsize=fontsize, color=BACKWARD)  # fmt: skip
        # this step's share of the shared weight's gradient
        middle = (T + 1) * dx / 2  # dashed arrows converge on the sum below
        to_sum.append(
            _arrow2(
                ax,
                (cx + (0.36 if cx < middle else -0.36), 0.72),
                (middle + 0.5 * (cx - middle), -0.62),
                BACKWARD,
                0.9,
                "--",
            )
        )
    terms = (
        " + ".join(rf"\delta_{{{k}}} h_{{{k - 1}}}^\top" for k in range(1, T + 1))
        if T <= 4
        else rf"\delta_{{1}} h_{{0}}^\top + \dots + \delta_{{{T}}} h_{{{T - 1}}}^\top"
    )
    total = ax.text(
        (T + 1) * dx / 2, -0.85,
        r"$\dfrac{\partial E}{\partial W_{hh}} = " + terms + "$   (a sum over the steps)",
        ha="center", va="center", fontsize=fontsize + 1.5, color=BACKWARD,
        bbox={"boxstyle": "round,pad=0.3", "facecolor": "#fbeeee", "edgecolor": BACKWARD},
    )  # fmt: skip
    ax.set_xlim(-0.3, T * dx + 1.1)
    ax.set_ylim(-1.25, 2.5)
    ax.set_aspect("equal")
    ax.axis("off")
    return {
        "cells": cells,
        "from_output": from_output,
        "from_next": from_next,
        "to_sum": to_sum,
        "sum": total,
    }


# ============================================================================
# Notebook 03: bidirectional and stacked networks, unrolled
# ============================================================================

_FACE_DENSE, _EDGE_DENSE = "#eeeeee", "#777777"  # a feed-forward layer (no recurrence)
# One colour per set of weights: layer 1 orange, layer 2 purple, then brown, pink, olive, cyan.
_LAYER_KINDS = ["h", "d", "l3", "l4", "l5", "l6"]
_FACE.update({"l3": "#f2e8e4", "l4": "#fbe9f4", "l5": "#f6f6dc", "l6": "#e0f5f8"})
_EDGE.update({"l3": "#8c564b", "l4": "#e377c2", "l5": "#bcbd22", "l6": "#17becf"})


def _link(ax, start, end, rad: float = 0.0, color: str = "#444444", label=None, fontsize=8):
    """An arrow from ``start`` to ``end`` (curved when ``rad`` != 0); returns it."""
    arrow = _arrow2(ax, start, end, color=color, lw=1.1, rad=rad)
    if label:
        mx, my = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
        ax.text(mx, my + 0.05, label, ha="center", va="bottom", fontsize=fontsize, color=color)
    return arrow


def draw_bidirectional_rnn(ax, T: int, outputs=None, fontsize: float = 10):
    """Draw a bidirectional RNN unrolled over ``T`` steps onto ``ax`` (axis turned off).

    Bottom to top: inputs ``x_t``; the backward states ``h←_t`` (arrows run from
    step ``t+1`` to ``t``, starting from ``h←_{T+1} = 0``); the forward states
    ``h→_t`` (from ``h→_0 = 0``); outputs ``y_t``, each reading both states of its
    step, ``[h→_t; h←_t]``. Every input feeds both directions.
    outputs: which steps have an output, as in ``draw_unrolled_rnn`` (None = all).
    Returns ``{"forward": [patch per step], "backward": [...], "inputs": {t: patch},
    "outputs": {t: patch}, "arrows": [every arrow drawn]}``.
    """
    check_range(T, "T", 1, 50, integer=True)
    outs = _steps(outputs, T, "outputs")
    dx, arrows = 1.45, []
    fwd, bwd, ins, out_patches = [], [], {}, {}
    ax.text(0, 2, r"$\overrightarrow{h}_0$", ha="center", va="center", fontsize=fontsize)
    ax.text((T + 1) * dx, 1, rf"$\overleftarrow{{h}}_{{{T + 1}}}$", ha="center", va="center",
            fontsize=fontsize)  # fmt: skip
    for t in range(1, T + 1):
        cx = t * dx
        ins[t] = _box(ax, cx, 0, f"$x_{{{t}}}$", "x", h=0.42, fontsize=fontsize)
        bwd.append(_box(ax, cx, 1, rf"$\overleftarrow{{h}}_{{{t}}}$", "d", fontsize=fontsize))
        fwd.append(_box(ax, cx, 2, rf"$\overrightarrow{{h}}_{{{t}}}$", "h", fontsize=fontsize))
        start = (cx - dx + 0.31, 2) if t > 1 else (0.25, 2)
        arrows.append(_link(ax, start, (cx - 0.31, 2)))  # forward in time
        start = (cx + dx - 0.31, 1) if t < T else ((T + 1) * dx - 0.3, 1)
        arrows.append(_link(ax, start, (cx + 0.31, 1), color=COLORS["purple"]))  # backward
        arrows.append(_link(ax, (cx - 0.1, 0.21), (cx - 0.1, 0.75)))  # x_t -> h<-_t
        arrows.append(_link(ax, (cx + 0.16, 0.21), (cx + 0.16, 1.75), rad=0.45))  # x_t -> h->_t
        if t in outs:
            out_patches[t] = _box(ax, cx, 3, f"$y_{{{t}}}$", "y", h=0.42, fontsize=fontsize)
            arrows.append(_link(ax, (cx + 0.1, 2.25), (cx + 0.1, 2.79)))  # h->_t -> y_t
            arrows.append(_link(ax, (cx - 0.16, 1.25), (cx - 0.16, 2.79), rad=-0.45))  # h<-_t
    ax.set_xlim(-0.45, (T + 1) * dx + 0.45)
    ax.set_ylim(-0.45, 3.45)
    ax.set_aspect("equal")
    ax.axis("off")
    return {
        "forward": fwd,
        "backward": bwd,
        "inputs": ins,
        "outputs": out_patches,
        "arrows": arrows,
    }


def draw_stacked_rnn(ax, T: int, layers: int = 2, dense: int = 0, outputs=None, fontsize=10):
    """Draw a stacked (deep) RNN unrolled over ``T`` steps onto ``ax`` (axis turned off).

    Bottom to top: inputs ``x_t``; ``layers`` recurrent layers ``h^(l)_t``, each
    with its own weights (so its own colour: orange, purple, brown, ...) and its
    own recurrent arrows, layer ``l`` reading layer ``l-1``'s state of the same
    step; then ``dense`` feed-forward layers
    ``z^(k)_t`` (grey: applied to each step on its own, no arrows in time);
    then the outputs ``y_t``.
    outputs: which steps have an output, as in ``draw_unrolled_rnn`` (None = all);
        the dense layers are drawn only where there is an output.
    Returns ``{"cells": {(layer, t): patch}, "dense": {(k, t): patch},
    "inputs": {t: patch}, "outputs": {t: patch}, "arrows": [every arrow]}``
    with layers and dense layers numbered from 1.
    """
    check_range(T, "T", 1, 50, integer=True)
    check_range(layers, "layers", 1, 6, integer=True)
    check_range(dense, "dense", 0, 4, integer=True)
    outs = _steps(outputs, T, "outputs")
    dx, arrows = 1.35, []
    cells, dense_patches, ins, out_patches = {}, {}, {}, {}
    for layer in range(1, layers + 1):
        name = f"h^{{({layer})}}" if layers > 1 else "h"
        ax.text(0, layer, f"${name}_0$", ha="center", va="center", fontsize=fontsize)
    for t in range(1, T + 1):
        cx = t * dx
        ins[t] = _box(ax, cx, 0, f"$x_{{{t}}}$", "x", h=0.42, fontsize=fontsize)
        below = 0.21
        for layer in range(1, layers + 1):
            name = f"h^{{({layer})}}_{{{t}}}" if layers > 1 else f"h_{{{t}}}"
            kind = _LAYER_KINDS[layer - 1]
            cells[layer, t] = _box(ax, cx, layer, f"${name}$", kind, fontsize=fontsize)
            arrows.append(_link(ax, (cx, layer - 1 + below), (cx, layer - 0.25)))  # from below
            below = 0.25
            start = (cx - dx + 0.31, layer) if t > 1 else (0.3, layer)
            arrows.append(_link(ax, start, (cx - 0.31, layer)))  # in time, this layer's W_hh
        if t not in outs:
            continue
        level = layers
        for k in range(1, dense + 1):
            level += 1
            name = f"z^{{({k})}}_{{{t}}}" if dense > 1 else f"z_{{{t}}}"
            patch = FancyBboxPatch(
                (cx - 0.31, level - 0.21), 0.62, 0.42,
                boxstyle="round,pad=0.02,rounding_size=0.08",
                facecolor=_FACE_DENSE, edgecolor=_EDGE_DENSE, linewidth=1.4, zorder=2,
            )  # fmt: skip
            ax.add_patch(patch)
            ax.text(cx, level, f"${name}$", ha="center", va="center", fontsize=fontsize, zorder=3)
            dense_patches[k, t] = patch
            arrows.append(_link(ax, (cx, level - 1 + below), (cx, level - 0.21)))
            below = 0.21
        out_patches[t] = _box(ax, cx, level + 1, f"$y_{{{t}}}$", "y", h=0.42, fontsize=fontsize)
        arrows.append(_link(ax, (cx, level + below), (cx, level + 1 - 0.21)))
    top = layers + (dense if outs else 0) + (1 if outs else 0)
    ax.set_xlim(-0.45, T * dx + 0.45)
    ax.set_ylim(-0.45, top + 0.45)
    ax.set_aspect("equal")
    ax.axis("off")
    return {"cells": cells, "dense": dense_patches, "inputs": ins, "outputs": out_patches,
            "arrows": arrows}  # fmt: skip


# =============================================================================
# Notebook 07: the LSTM and GRU cells (after colah's "Understanding LSTM
# Networks"), each path highlighted in turn, and the LSTM unrolled with its
# cell-state highway.
# =============================================================================

_WIRE = "#555555"
_FADED = 0.25  # alpha of the parts that are not highlighted
_PATH_COLOR = COLORS["red"]


def _cell_part(parts, name):
    return parts.setdefault(name, [])


def _wire(ax, points, part, arrow=True, lw=1.3):
    """A polyline through ``points`` with an arrowhead at its end; returns its artists."""
    xs, ys = zip(*points)
    (line,) = ax.plot(xs[:-1] + (xs[-1],), ys[:-1] + (ys[-1],), color=_WIRE, lw=lw, zorder=1,
                      solid_capstyle="round")  # fmt: skip
    part.append(line)
    if arrow:
        head = ax.annotate(
            "", xy=points[-1], xytext=points[-2],
            arrowprops={"arrowstyle": "-|>", "color": _WIRE, "lw": lw, "shrinkA": 0, "shrinkB": 0,
                        "mutation_scale": 10},
            zorder=1,
        )  # fmt: skip
        part.append(head)


def _gate_box(ax, x, y, text, symbol, part, w=0.72, h=0.5):
    patch = FancyBboxPatch(
        (x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.08",
        facecolor=_FACE["h"], edgecolor=_EDGE["h"], linewidth=1.3, zorder=2,
    )  # fmt: skip
    ax.add_patch(patch)
    part.append(patch)
    part.append(ax.text(x, y, text, ha="center", va="center", fontsize=9, zorder=3))
    part.append(ax.text(x - w / 2 - 0.06, y + h / 2 + 0.05, symbol, ha="right", va="bottom",
                        fontsize=10, zorder=3))  # fmt: skip
    return patch


def _op(ax, x, y, text, part, r=0.2, fontsize=10):
    from matplotlib.patches import Circle

    circle = Circle((x, y), r, facecolor="#fff6e0", edgecolor=COLORS["orange"], lw=1.2, zorder=2)
    ax.add_patch(circle)
    part.append(circle)
    part.append(ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, zorder=3))
    return circle


def _apply_highlight(parts, chosen):
    """Colour the chosen parts' wires, fill their boxes in yellow, fade the rest."""
    from matplotlib.patches import Patch
    from matplotlib.text import Annotation

    for name, artists in parts.items():
        on = name in chosen
        for a in artists:
            if chosen and not on:
                a.set_alpha(_FADED)
                if isinstance(a, Annotation) and a.arrow_patch is not None:
                    a.arrow_patch.set_alpha(_FADED)
            elif on:
                if isinstance(a, Annotation) and a.arrow_patch is not None:
                    a.arrow_patch.set_color(_PATH_COLOR)
                elif isinstance(a, Patch):
                    a.set_facecolor(HIGHLIGHT)
                elif hasattr(a, "set_linewidth") and hasattr(a, "get_xydata"):
                    a.set_color(_PATH_COLOR)
                    a.set_linewidth(2.6)


def _cell_frame(ax, highlight, paths):
    """Check ``highlight`` and draw the cell's grey body."""
    if highlight is not None and highlight not in paths:
        raise ValueError(f"highlight: expected None or one of {sorted(paths)}, got {highlight!r}")
    body = FancyBboxPatch((0.9, 0.75), 8.0, 4.55, boxstyle="round,pad=0,rounding_size=0.3",
                          facecolor="#f7f7f7", edgecolor="#bbbbbb", lw=1.0, zorder=0)  # fmt: skip
    ax.add_patch(body)


def _finish_cell(ax, parts, paths, highlight):
    """Highlight the chosen path, frame the cell, turn the axis off; returns the lit parts."""
    chosen = set(paths[highlight]) if highlight else set()
    _apply_highlight(parts, chosen)
    ax.set_xlim(-0.1, 10.0)
    ax.set_ylim(-0.35, 5.6)
    ax.set_aspect("equal")
    ax.axis("off")
    return chosen


LSTM_PATHS = {
    "forget": ("forget",),
    "input": ("input", "candidate"),
    "output": ("output",),
    "cell": ("highway",),
}
"""What ``draw_lstm_cell(highlight=...)`` lights up: the forget gate's path,
the input gate with the candidate it writes, the output gate, or the cell state."""


def draw_lstm_cell(ax, highlight: str | None = None) -> dict:
    """Draw one LSTM cell onto ``ax`` in the course's notation.

    The cell state runs along the top (``c_{t-1}`` -> × ``f_t`` -> + ``i_t ⊙ g_t``
    -> ``c_t``); ``h_{t-1}`` and ``x_t`` feed the gates from below; ``h_t =
    o_t ⊙ tanh(c_t)`` leaves on the right.
    highlight: None, or one of ``LSTM_PATHS`` ("forget", "input", "output",
        "cell"): that path's boxes are filled in yellow, its wires drawn in red,
        and everything else is faded.
    Returns ``{"parts": {name: [artists]}, "gates": {symbol: box patch},
    "highlighted": set of part names}``.
    """
    _cell_frame(ax, highlight, LSTM_PATHS)
    parts: dict = {}
    hw, bus, gy = 4.6, 1.4, 2.55  # heights of the highway, the input bus and the gates
    highway, forget, inp, cand, out, common = (
        _cell_part(parts, k)
        for k in ("highway", "forget", "input", "candidate", "output", "common")
    )
    # the cell state: c_{t-1} -> x -> + -> c_t
    _wire(ax, [(0.0, hw), (2.1, hw)], highway)
    _wire(ax, [(2.5, hw), (3.8, hw)], highway)
    _wire(ax, [(4.2, hw), (9.8, hw)], highway, lw=1.3)
    highway.append(ax.text(0.0, hw + 0.25, "$c_{t-1}$", ha="left", va="bottom", fontsize=11))
    highway.append(ax.text(9.8, hw + 0.25, "$c_t$", ha="right", va="bottom", fontsize=11))
    # inputs: h_{t-1} from the left, x_t from below, one bus into the four blocks
    _wire(ax, [(0.0, bus), (6.2, bus)], common, arrow=False)
    _wire(ax, [(1.6, -0.2), (1.6, bus)], common, arrow=False)
    common.append(ax.text(0.0, bus - 0.12, "$h_{t-1}$", ha="left", va="top", fontsize=11))
    common.append(ax.text(1.75, -0.2, "$x_t$", ha="left", va="bottom", fontsize=11))
    gates = {}
    for x, text, symbol, part in (
        (2.3, "σ", "$f_t$", forget), (3.5, "σ", "$i_t$", inp),
        (4.5, "tanh", "$g_t$", cand), (6.2, "σ", "$o_t$", out),
    ):  # fmt: skip
        _wire(ax, [(x, bus), (x, gy - 0.25)], part)
        gates[symbol] = _gate_box(ax, x, gy, text, symbol, part)
    # forget: f_t multiplies c_{t-1}
    _op(ax, 2.3, hw, "×", forget)
    _wire(ax, [(2.3, gy + 0.25), (2.3, hw - 0.2)], forget)
    # input: i_t ⊙ g_t is added to the cell
    _op(ax, 4.0, 3.65, "×", inp)
    _wire(ax, [(3.5, gy + 0.25), (3.5, 3.65), (3.8, 3.65)], inp)
    _wire(ax, [(4.5, gy + 0.25), (4.5, 3.65), (4.2, 3.65)], cand)
    _op(ax, 4.0, hw, "+", inp)
    _wire(ax, [(4.0, 3.85), (4.0, hw - 0.2)], inp)
    # output: h_t = o_t ⊙ tanh(c_t)
    _wire(ax, [(7.3, hw), (7.3, 3.85)], out)
    _op(ax, 7.3, 3.6, "tanh", out, r=0.3, fontsize=8)
    _wire(ax, [(7.3, 3.3), (7.3, gy + 0.2)], out)
    _op(ax, 7.3, gy, "×", out)
    _wire(ax, [(6.2 + 0.36, gy), (7.1, gy)], out)
    _wire(ax, [(7.3, gy - 0.2), (7.3, bus), (9.8, bus)], out)
    out.append(ax.text(9.8, bus + 0.12, "$h_t$", ha="right", va="bottom", fontsize=11))
    chosen = _finish_cell(ax, parts, LSTM_PATHS, highlight)
    return {"parts": parts, "gates": gates, "highlighted": chosen}


GRU_PATHS = {
    "reset": ("reset", "product"),
    "update": ("update",),
    "candidate": ("candidate", "product"),
}
"""What ``draw_gru_cell(highlight=...)`` lights up; "product" is the wire that
carries ``r_t ⊙ (W_hn h_{t-1} + b_hn)`` into the candidate's tanh."""


def _junction(ax, x, y, part):
    (dot,) = ax.plot([x], [y], "o", ms=3.5, color=_WIRE, zorder=2)
    part.append(dot)


def draw_gru_cell(ax, highlight: str | None = None) -> dict:
    """Draw one GRU cell (PyTorch's form) onto ``ax`` in the course's notation.

    The state runs along the top: ``h_t = z_t ⊙ h_{t-1} + (1 - z_t) ⊙ n_t``.
    ``x_t`` and ``h_{t-1}`` run on two separate wires: both feed the gates
    ``z_t`` and ``r_t``; ``h_{t-1}`` alone (as ``W_hn h_{t-1} + b_hn``) enters
    the reset ×, and ``x_t`` alone (as ``W_xn x_t + b_xn``) enters the tanh, so
    ``n_t = tanh(W_xn x_t + b_xn + r_t ⊙ (W_hn h_{t-1} + b_hn))``.
    highlight: None, or one of ``GRU_PATHS`` ("reset", "update", "candidate").
    Returns ``{"parts", "gates", "highlighted"}`` as ``draw_lstm_cell`` does,
    plus ``"nodes"`` ({name: artist}: the boxes, the circles of the operations
    and the ``x_t`` / ``h_{t-1}`` wires) and ``"wires"`` (one dict per arrow:
    ``src`` and ``dst`` node names and its ``points``, ending at ``dst``).
    """
    _cell_frame(ax, highlight, GRU_PATHS)
    parts: dict = {}
    top, hb, xb, gy = 4.6, 1.55, 1.05, 2.6  # the state, the h and x wires, the gates
    state, reset, update, cand, product, common = (
        _cell_part(parts, k) for k in ("state", "reset", "update", "candidate", "product", "common")
    )
    xz, xr, xm, xn, xp = 2.2, 3.4, 4.7, 6.2, 7.4  # columns
    wires = []

    def arrow(src, dst, points, part):
        _wire(ax, points, part)
        wires.append({"src": src, "dst": dst, "points": points})

    nodes = {}
    # the state along the top: h_{t-1} -> x z_t -> + -> h_t
    _wire(ax, [(0.0, top), (xz - 0.2, top)], state)
    _wire(ax, [(xp + 0.2, top), (9.8, top)], state)
    state.append(ax.text(0.0, top + 0.25, "$h_{t-1}$", ha="left", va="bottom", fontsize=11))
    state.append(ax.text(9.8, top + 0.25, "$h_t$", ha="right", va="bottom", fontsize=11))
    # h_{t-1} down to its own wire; x_t up from below to its own wire
    h_points = [(1.2, top), (1.2, hb), (xm, hb)]
    (nodes["h_{t-1}"],) = ax.plot(*zip(*h_points), color=_WIRE, lw=1.3, zorder=1)
    common.append(nodes["h_{t-1}"])
    _junction(ax, 1.2, top, common)
    x_points = [(xn, -0.2), (xn, xb), (xz + 0.15, xb)]
    (nodes["x_t"],) = ax.plot(*zip(*x_points), color=_WIRE, lw=1.3, zorder=1)
    common.append(nodes["x_t"])
    common.append(ax.text(xn + 0.12, -0.2, "$x_t$", ha="left", va="bottom", fontsize=11))
    _junction(ax, xn, xb, common)
    # the gates z_t and r_t read both x_t and h_{t-1}
    gates = {}
    for x, symbol, part in ((xz, "$z_t$", update), (xr, "$r_t$", reset)):
        arrow("h_{t-1}", symbol, [(x - 0.15, hb), (x - 0.15, gy - 0.25)], part)
        arrow("x_t", symbol, [(x + 0.15, xb), (x + 0.15, gy - 0.25)], part)
        _junction(ax, x - 0.15, hb, part)
        if x != xz:
            _junction(ax, x + 0.15, xb, part)
        gates[symbol] = nodes[symbol] = _gate_box(ax, x, gy, "σ", symbol, part)
    # reset: r_t ⊙ (W_hn h_{t-1} + b_hn)
    nodes["reset ×"] = _op(ax, xm, gy, "×", reset)
    arrow("$r_t$", "reset ×", [(xr + 0.36, gy), (xm - 0.2, gy)], reset)
    arrow("h_{t-1}", "reset ×", [(xm, hb), (xm, gy - 0.2)], reset)
    reset.append(ax.text((xr + 0.15 + xn) / 2, (hb + xb) / 2, "$W_{hn} h_{t-1} + b_{hn}$",
                         ha="center", va="center", fontsize=7.5))  # fmt: skip
    # the candidate n_t = tanh(W_xn x_t + b_xn + r_t ⊙ (...))
    gates["$n_t$"] = nodes["tanh"] = _gate_box(ax, xn, gy, "tanh", "", cand)
    arrow("reset ×", "tanh", [(xm + 0.2, gy), (xn - 0.36, gy)], product)
    product.append(ax.text((xm + xn) / 2 - 0.1, gy + 0.1, "$r_t \\odot$", ha="center",
                           va="bottom", fontsize=8))  # fmt: skip
    arrow("x_t", "tanh", [(xn, xb), (xn, gy - 0.25)], cand)
    cand.append(ax.text(xn + 0.1, (xb + gy - 0.25) / 2, "$W_{xn} x_t + b_{xn}$", ha="left",
                        va="center", fontsize=7.5))  # fmt: skip
    nodes["n ×"] = _op(ax, xn, 3.65, "×", cand)
    arrow("tanh", "n ×", [(xn, gy + 0.25), (xn, 3.45)], cand)
    cand.append(ax.text(xn + 0.1, (gy + 0.25 + 3.45) / 2, "$n_t$", ha="left", va="center",
                        fontsize=10))  # fmt: skip
    nodes["+"] = _op(ax, xp, top, "+", cand)
    arrow("n ×", "+", [(xn + 0.2, 3.65), (xp, 3.65), (xp, top - 0.2)], cand)
    # update: z_t keeps the old state, 1 - z_t lets the candidate in (from the side)
    nodes["z ×"] = _op(ax, xz, top, "×", update)
    arrow("$z_t$", "z ×", [(xz, gy + 0.25), (xz, top - 0.2)], update)
    _junction(ax, xz, 3.65, update)
    nodes["1−"] = _op(ax, 3.6, 3.65, "1−", update, r=0.22, fontsize=8)
    arrow("$z_t$", "1−", [(xz, 3.65), (3.6 - 0.22, 3.65)], update)
    arrow("1−", "n ×", [(3.6 + 0.22, 3.65), (xn - 0.2, 3.65)], update)
    update.append(ax.text(4.9, 3.75, "$1 - z_t$", ha="center", va="bottom", fontsize=8))
    arrow("z ×", "+", [(xz + 0.2, top), (xp - 0.2, top)], state)
    chosen = _finish_cell(ax, parts, GRU_PATHS, highlight)
    return {"parts": parts, "gates": gates, "highlighted": chosen, "nodes": nodes,
            "wires": wires}  # fmt: skip


def draw_lstm_unrolled(ax, T: int = 3) -> dict:
    """Draw an LSTM unrolled over ``T`` steps, with its cell-state highway.

    The cell state ``c_t`` runs straight through every cell along the top,
    touched only by one × (forget) and one + (write) per step; the hidden
    state ``h_t`` runs below, through the gates. Returns ``{"cells": [patch per
    step], "highway": line, "ops": [circle per × and +]}``.
    """
    check_range(T, "T", 1, 8, integer=True)
    dx, w = 3.0, 2.2
    cells, ops, junk = [], [], []
    for k in range(T):
        x0 = 0.6 + k * dx
        cells.append(_box_at(ax, x0, w))
        t = k + 1
        ax.text(x0 + w / 2, 1.15, f"gates\n$i_{t}, f_{t}, g_{t}, o_{t}$",
                ha="center", va="center", fontsize=7, color="#555555", zorder=3)  # fmt: skip
        ops.append(_op(ax, x0 + 0.6, 2.1, "×", junk))
        ops.append(_op(ax, x0 + 1.4, 2.1, "+", junk))
        ax.annotate("", xy=(x0 + 1.6, -0.05), xytext=(x0 + 1.6, -0.7),
                    arrowprops={"arrowstyle": "-|>", "color": _WIRE, "lw": 1.1})  # fmt: skip
        ax.text(x0 + 1.6, -0.75, f"$x_{{{k + 1}}}$", ha="center", va="top", fontsize=10)
        ax.annotate("", xy=(x0 + 1.9, 3.3), xytext=(x0 + 1.9, 2.45),
                    arrowprops={"arrowstyle": "-|>", "color": COLORS["blue"], "lw": 1.1})  # fmt: skip
        ax.text(x0 + 1.9, 3.35, f"$h_{{{k + 1}}}$", ha="center", va="bottom", fontsize=10)
        if k < T - 1:  # h_t into the next cell
            ax.annotate("", xy=(x0 + dx, 0.55), xytext=(x0 + w, 0.55),
                        arrowprops={"arrowstyle": "-|>", "color": COLORS["blue"], "lw": 1.1})  # fmt: skip
    (highway,) = ax.plot([0.0, 0.6 + (T - 1) * dx + w + 0.6], [2.1, 2.1], color=COLORS["green"],
                         lw=3.5, zorder=1, solid_capstyle="butt")  # fmt: skip
    ax.text(0.0, 2.3, "$c_0$", ha="left", va="bottom", fontsize=10)
    ax.text(0.6 + (T - 1) * dx + w + 0.6, 2.3, f"$c_{{{T}}}$", ha="right", va="bottom", fontsize=10)
    ax.text(0.0, 0.75, "$h_0$", ha="left", va="bottom", fontsize=10)
    ax.annotate("", xy=(0.6, 0.55), xytext=(0.0, 0.55),
                arrowprops={"arrowstyle": "-|>", "color": COLORS["blue"], "lw": 1.1})  # fmt: skip
    ax.text((0.6 + (T - 1) * dx + w + 0.6) / 2, -1.25, "green: the cell state $c_t$, a highway (one × forget,"
            " one + write per step); blue: $h_t$", ha="center", va="top", fontsize=8, color="#444444")  # fmt: skip
    ax.set_xlim(-0.1, 0.6 + (T - 1) * dx + w + 0.7)
    ax.set_ylim(-1.75, 3.9)
    ax.set_aspect("equal")
    ax.axis("off")
    return {"cells": cells, "highway": highway, "ops": ops}


def _box_at(ax, x0, w):
    patch = FancyBboxPatch((x0, -0.05), w, 2.5, boxstyle="round,pad=0,rounding_size=0.2",
                           facecolor=_FACE["h"], edgecolor=_EDGE["h"], lw=1.3, zorder=0)  # fmt: skip
    ax.add_patch(patch)
    return patch
