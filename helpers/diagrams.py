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
        if cell_label:
            cells.append(_box(ax, cx, 1, "", kind))
            ax.text(cx, 1.07, f"${state}_{{{t}}}$", ha="center", va="center", fontsize=11, zorder=3)
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
            cells.append(_box(ax, cx, 1, f"${state}_{{{t}}}$", kind))
        start = (cx - dx + 0.31, 1) if k > 1 else (0.25, 1)
        if k > 1 or show_h0:
            lab = weights and (every or "hh" not in labelled)
            labelled.add("hh")
            _arrow(
                ax, start, (cx - 0.31, 1), r"$W_{hh}$" if lab else None, "above", weight_fontsize
            )
        if k in ins or k in fed:
            text = labels.get(k, f"$x_{{{t}}}$")
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
            out_patches[k] = _box(ax, cx, 2, f"$y_{{{t}}}$", "y", h=0.42)
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
# Notebook 03: bidirectional and stacked networks, unrolled
# ============================================================================

_FACE_DENSE, _EDGE_DENSE = "#eeeeee", "#777777"  # a feed-forward layer (no recurrence)


def _link(ax, start, end, rad: float = 0.0, color: str = "#444444", label=None, fontsize=8):
    """An arrow from ``start`` to ``end`` (curved when ``rad`` != 0); returns it."""
    arrow = ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={
            "arrowstyle": "-|>",
            "color": color,
            "lw": 1.1,
            "shrinkA": 0,
            "shrinkB": 0,
            "connectionstyle": f"arc3,rad={rad}",
        },
        zorder=1,
    )
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
    with its own weights and its own recurrent arrows, layer ``l`` reading
    layer ``l-1``'s state of the same step; then ``dense`` feed-forward layers
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
            cells[layer, t] = _box(ax, cx, layer, f"${name}$", "h", fontsize=fontsize)
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
