"""The figures and live demos of notebook 01 (the perceptron and the two-layer network).

Each function draws one picture of the notebook, or builds one demo's figure
and returns ``(fig, update)`` for the notebook to hand to ``live_figure`` with
the controls the learner moves. Inputs are the quantities the notebook's text
talks about: the logic-gate data ``X (4, 2)``, ``T (4, 1)``, the results of
``train_perceptron`` and ``train_mlp``, the two-layer network's ``params``
(``U (H, D)``, ``b (H,)``, ``V (K, H)``, ``c (K,)``).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..activations import sigmoid, softmax
from ..perceptron import mlp_forward, mlp_loss, mlp_predict, perceptron_forward
from ..plotting import COLORS, new_figure

LIMITS = (-0.5, 1.5)
"""The input square shown around the four logic-gate points, on both axes."""
GRID = np.linspace(*LIMITS, 161)
GRID_POINTS = np.stack(np.meshgrid(GRID, GRID), axis=-1).reshape(-1, 2)  # (161*161, 2)
REGION_CMAP = ListedColormap(["#dbe8f5", "#fde3cb"])  # output 0: light blue, output 1: light orange


# ------------------------------------------------------------ activations


def activation_figure(activations: dict, z) -> None:
    """Each activation ``f(z)`` (top row) above its derivative ``f'(z)`` (bottom row).

    activations: ``{name: (f, f_prime)}`` (``helpers.activations.ACTIVATIONS``);
    z: ``(n,)`` pre-activations to plot against.
    """
    fig, axes = plt.subplots(2, len(activations), figsize=(7.6, 3.6), sharex=True)
    for k, (name, (f, f_prime)) in enumerate(activations.items()):
        top, bottom = axes[0, k], axes[1, k]
        top.plot(z, f(z), color=COLORS["blue"], lw=2)
        bottom.plot(z, f_prime(z), color=COLORS["orange"], lw=2)
        top.set_title(f"{name}: $f(z)$")
        bottom.set_title(f"{name}: $f'(z)$")
        bottom.set_xlabel("pre-activation $z$")
        for ax in (top, bottom):
            ax.axhline(0, color="k", lw=0.6)
            ax.axvline(0, color="k", lw=0.6)
    axes[0, 3].set_ylim(-0.3, 5.3)  # ReLU grows without bound: show its first 5 units
    for ax in axes[0, :3]:
        ax.set_ylim(-1.15, 1.15)
    for ax in axes[1]:
        ax.set_ylim(-0.1, 1.15)
    axes[0, 0].set_ylabel("activation $f(z)$")
    axes[1, 0].set_ylabel("derivative $f'(z)$")
    fig.suptitle("Activation functions (top) and their derivatives (bottom)")
    plt.show()


# ------------------------------------------------- a perceptron on a logic gate


def boundary_points(w, b):
    """Two points spanning the line ``w[0] x1 + w[1] x2 + b = 0`` across the plot.

    w: ``(2,)``; b: a number. Returns ``(x1s, x2s)``, empty lists if ``w = 0``.
    """
    ends = np.array(LIMITS) + np.array([-1.0, 1.0])
    if abs(w[1]) >= abs(w[0]) and w[1] != 0:
        return ends, -(w[0] * ends + b) / w[1]
    if w[0] != 0:
        return -(w[1] * ends + b) / w[0], ends
    return [], []


def _point_scatters(ax) -> dict:
    """Empty scatters for the targets 1 (orange circles) and 0 (blue squares)."""
    return {
        "positive": ax.scatter(
            [], [], marker="o", s=110, color=COLORS["orange"], edgecolor="k", zorder=3,
            label="target 1",
        ),
        "negative": ax.scatter(
            [], [], marker="s", s=100, color=COLORS["blue"], edgecolor="k", zorder=3,
            label="target 0",
        ),
    }  # fmt: skip


def _gate_panel(ax) -> dict:
    """An empty panel for a perceptron on a logic gate; returns its artists."""
    art = {
        "region": ax.imshow(
            np.zeros((GRID.size, GRID.size)),
            origin="lower",
            extent=LIMITS * 2,
            cmap=REGION_CMAP,
            vmin=0,
            vmax=1,
            interpolation="nearest",
            aspect="auto",
        ),
        "line": ax.plot([], [], color="k", lw=2, label="$Wx + b = 0$")[0],
        **_point_scatters(ax),
        "wrong": ax.scatter(
            [],
            [],
            s=420,
            facecolors="none",
            edgecolors=COLORS["red"],
            linewidths=2.2,
            zorder=4,
            label="misclassified",
        ),
    }
    ticks = [-0.5, 0, 0.5, 1, 1.5]
    ax.set(xlim=LIMITS, ylim=LIMITS, xticks=ticks, yticks=ticks)
    ax.set(xlabel="input $x_1$", ylabel="input $x_2$")
    ax.grid(False)
    return art


def _gate_legend(ax, extra=()) -> None:
    """A legend beside the panel, with small stand-ins for the big rings (a fixed legend:
    ``render_png`` draws it once and lays it over each update)."""
    ring = dict(marker="o", ms=13, mfc="none", ls="none")
    handles = [
        Patch(color=REGION_CMAP(1.0), label="output 1 side"),
        Patch(color=REGION_CMAP(0.0), label="output 0 side"),
        Line2D([], [], color="k", lw=2, label="$Wx + b = 0$"),
        Line2D(
            [], [], marker="o", ms=10, color=COLORS["orange"], mec="k", ls="none", label="target 1"
        ),
        Line2D(
            [], [], marker="s", ms=9, color=COLORS["blue"], mec="k", ls="none", label="target 0"
        ),
        Line2D([], [], mec=COLORS["red"], mew=2.2, label="misclassified", **ring),
    ]
    handles += [Line2D([], [], mec="k", mew=1.5, label=label, **ring) for label in extra]
    ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.02, 0.5))


def _show_perceptron(art, X, T, W, b) -> int:
    """Redraw a gate panel for weights ``W (1, 2)``, ``b (1,)``; returns the number of mistakes."""
    Y = perceptron_forward(X, W, b)
    art["region"].set_data(perceptron_forward(GRID_POINTS, W, b).reshape(GRID.size, GRID.size))
    art["line"].set_data(*boundary_points(W[0], b[0]))
    art["positive"].set_offsets(X[T[:, 0] == 1])
    art["negative"].set_offsets(X[T[:, 0] == 0])
    wrong = Y[:, 0] != T[:, 0]
    art["wrong"].set_offsets(X[wrong] if wrong.any() else np.empty((0, 2)))
    return int(wrong.sum())


def boundary_demo(datasets: dict):
    """Demo: the line ``w1 x1 + w2 x2 + b = 0`` of one neuron over a logic gate's four points.

    datasets: ``{name: (X (4, 2), T (4, 1))}``. The side where the neuron
    outputs 1 is shaded, misclassified points get a red ring and the title
    counts them. Returns ``(fig, update)`` with ``update(gate, w1, w2, b)``.
    """
    fig, ax = new_figure(width=6.2, height=3.9)
    art = _gate_panel(ax)
    _gate_legend(ax)
    title = ax.set_title(" ", y=1.0)  # a fixed title position is cheaper to redraw

    def update(gate, w1, w2, b):
        X, T = datasets[gate]
        mistakes = _show_perceptron(art, X, T, np.array([[w1, w2]]), np.array([b]))
        title.set_text(f"{gate}: {mistakes} of 4 points misclassified")
        if w1 == 0 and w2 == 0:
            return "With $w_1 = w_2 = 0$ there is no line: the output is the same everywhere."
        return f"Boundary: {w1:+.2f}·x1 {w2:+.2f}·x2 {b:+.2f} = 0"

    return fig, update


def perceptron_runs_figure(runs: dict, epochs: int) -> None:
    """Left: mistakes after each epoch for AND, OR, XOR. Right: XOR's weights, update by update.

    runs: ``{gate: train_perceptron(...) result}`` for ``"AND"``, ``"OR"``, ``"XOR"``.
    """
    fig, (ax_err, ax_w) = plt.subplots(1, 2, figsize=(8, 2.9))
    steps = np.arange(1, epochs + 1)
    styles = {  # AND: wide line, big open circles, so it stays visible under OR where both are 0
        "AND": dict(marker="o", ms=9, mfc="none", mew=1.5, ls="-", lw=3, color=COLORS["blue"]),
        "OR": dict(marker="s", ms=4, ls="--", lw=1.5, color=COLORS["green"]),
        "XOR": dict(marker="^", ms=6, ls="-", lw=1.5, color=COLORS["red"]),
    }
    for gate, style in styles.items():
        ax_err.plot(steps, runs[gate]["errors"], label=gate, **style)
    ax_err.set(
        title="Perceptron: mistakes after each epoch",
        xlabel="epoch",
        ylabel="misclassified points (of 4)",
    )
    ax_err.set_yticks(range(5))
    ax_err.legend()

    history = runs["XOR"]["history"]
    updates = np.arange(len(history))
    for k, (label, color) in enumerate([("$w_1$", COLORS["blue"]), ("$w_2$", COLORS["orange"])]):
        weights = [W[0, k] for W, _, _ in history]
        ax_w.plot(updates, weights, color=color, drawstyle="steps-post", label=label)
    biases = [b[0] for _, b, _ in history]
    ax_w.plot(updates, biases, color=COLORS["purple"], drawstyle="steps-post", label="$b$")
    ax_w.set(
        title="XOR: the weights never settle",
        xlabel="update step (4 per epoch)",
        ylabel="weight value",
    )
    ax_w.set_ylim(-0.55, 0.95)
    ax_w.legend(ncols=3, loc="upper center")
    plt.show()


def perceptron_steps_demo(datasets: dict, runs: dict):
    """Demo: the perceptron's line after each single update of its training run.

    datasets: ``{gate: (X (4, 2), T (4, 1))}``; runs: ``{gate: train_perceptron(...)}``.
    The example just shown gets a black ring; the caption says what the rule did.
    Returns ``(fig, update)`` with ``update(gate, n_updates)``.
    """
    fig, ax = new_figure(width=6.2, height=3.9)
    art = _gate_panel(ax)
    current_ring = ax.scatter(
        [], [], s=900, facecolors="none", edgecolors="k", linewidths=1.5, zorder=5
    )
    _gate_legend(ax, extra=["example just shown"])
    title = ax.set_title(" ", y=1.0)

    def update(gate, n_updates):
        X, T = datasets[gate]
        W, b, n = runs[gate]["history"][n_updates]
        mistakes = _show_perceptron(art, X, T, W, b)
        if n < 0:
            title.set_text(f"{gate}, start: {mistakes} of 4 misclassified")
            current_ring.set_offsets(np.empty((0, 2)))
            return f"Start: W = {W.round(2).tolist()}, b = {b.round(2).tolist()}"
        epoch = (n_updates - 1) // 4 + 1
        title.set_text(f"{gate}, update {n_updates} (epoch {epoch}): {mistakes} of 4 misclassified")
        current_ring.set_offsets(X[n : n + 1])
        W_before, b_before, _ = runs[gate]["history"][n_updates - 1]
        y = perceptron_forward(X[n : n + 1], W_before, b_before)[0, 0]
        t = T[n, 0]
        what = (
            "right: no change"
            if y == t
            else ("missed: W += η x" if t > y else "false alarm: W −= η x")
        )
        return (
            f"Example x = ({X[n, 0]:.0f}, {X[n, 1]:.0f}), target {t:.0f}, output was {y:.0f} → {what}. "
            f"Now W = {W.round(2).tolist()}, b = {b.round(2).tolist()}"
        )  # fmt: skip

    return fig, update


# ------------------------------------------- the hidden space of the 2-2-1 network

LINES = np.linspace(-0.25, 1.25, 7)  # grid lines x1 = const and x2 = const of the input square
TRACE = np.linspace(-0.25, 1.25, 61)
H_GRID = np.linspace(-1.05, 1.05, 121)
H_GRID_POINTS = np.stack(np.meshgrid(H_GRID, H_GRID), axis=-1).reshape(-1, 2)
P_CMAP = plt.get_cmap("RdBu_r", 10)  # ten bands of P(y = 1), 0.1 wide: easy to read off


def _hidden_space_panels(ax_in, ax_h, X) -> dict:
    """Input-space and hidden-space panels for the 2-2-1 network on inputs ``X (4, 2)``."""
    style = dict(origin="lower", cmap=P_CMAP, vmin=0, vmax=1, interpolation="nearest")
    art = {
        "p_in": ax_in.imshow(np.zeros((GRID.size, GRID.size)), extent=LIMITS * 2, **style),
        "p_h": ax_h.imshow(np.zeros((H_GRID.size, H_GRID.size)), extent=(-1.05, 1.05) * 2, **style),
        "grid": [ax_h.plot([], [], color="0.35", lw=0.7)[0] for _ in range(2 * LINES.size)],
        "out_line": ax_h.plot([], [], color="k", lw=2, label="output line $Vh + c = 0$")[0],
    }
    for ax, key in ((ax_in, "in"), (ax_h, "h")):
        points = _point_scatters(ax)
        art["pos_" + key], art["neg_" + key] = points["positive"], points["negative"]
        ax.grid(False)
    art["names"] = [
        ax_h.annotate(
            f"({x[0]:.0f},{x[1]:.0f})",
            (0, 0),
            xytext=(0, 0),
            textcoords="offset points",
            fontsize=9,
            va="center",
            zorder=5,
            bbox=dict(boxstyle="round,pad=0.1", fc="white", alpha=0.7, lw=0),
            arrowprops=dict(arrowstyle="-", color="0.2", lw=0.7, shrinkA=0, shrinkB=5),
        )
        for x in X
    ]
    for line in LINES:  # the input square's grid lines, drawn faintly in input space too
        ax_in.axvline(line, color="0.35", lw=0.7)
        ax_in.axhline(line, color="0.35", lw=0.7)
    ticks_in, ticks_h = [-0.5, 0, 0.5, 1, 1.5], [-1, -0.5, 0, 0.5, 1]
    ax_in.set(xlim=LIMITS, ylim=LIMITS, xticks=ticks_in, yticks=ticks_in)
    ax_in.set(xlabel="input $x_1$", ylabel="input $x_2$")
    ax_h.set(xlim=(-1.05, 1.05), ylim=(-1.05, 1.05), xticks=ticks_h, yticks=ticks_h)
    ax_h.set(xlabel="hidden unit $h_1$", ylabel="hidden unit $h_2$")
    return art


def _place_names(names, h) -> None:
    """Put each point's input label beside its hidden point ``h (4, 2)``, clear of the others."""
    for n, name in enumerate(names):
        name.xy = tuple(h[n])
        if n == 3 and h[n, 0] > 0.55:  # (1,1) in the right part: label straight below or above
            name.set_position((0, -15 if h[n, 1] > 0 else 15))
            name.set_ha("center")
            continue
        right = h[n, 0] < 0.55
        if n == 1 and h[2, 0] > h[1, 0] + 0.1:  # (1,0) far to the right: (0,1) labelled left
            right = False
        if n == 2 and h[3, 1] > 0.85 and h[2, 1] > 0.6 and abs(h[2, 0] - h[3, 0]) < 0.35:
            name.set_position((-4, -24))  # (1,0) just below (1,1): label lower left, off its way
            name.set_ha("right")
            continue
        near_edge = -10 * (h[n, 1] > 0.85) + 10 * (h[n, 1] < -0.85)
        name.set_position((12 if right else -12, {1: 7, 2: -7}.get(n, 0) + near_edge))
        name.set_ha("left" if right else "right")


def _show_hidden_space(art, params, X, T) -> None:
    """Redraw both panels for the network's ``params``."""
    p_in = mlp_predict(GRID_POINTS, params)[:, 0].reshape(GRID.size, GRID.size)
    art["p_in"].set_data(p_in)
    V, c = params["V"][0], params["c"][0]
    art["p_h"].set_data(sigmoid(H_GRID_POINTS @ V + c).reshape(H_GRID.size, H_GRID.size))
    k = 0
    for const in LINES:
        for pts in (
            np.column_stack([np.full_like(TRACE, const), TRACE]),
            np.column_stack([TRACE, np.full_like(TRACE, const)]),
        ):
            _, h_line, _ = mlp_forward(pts, params)
            art["grid"][k].set_data(h_line[:, 0], h_line[:, 1])
            k += 1
    art["out_line"].set_data(*boundary_points(V, c))
    _, h, _ = mlp_forward(X, params)
    positive = T[:, 0] == 1
    for key, pts in (("in", X), ("h", h)):
        art["pos_" + key].set_offsets(pts[positive])
        art["neg_" + key].set_offsets(pts[~positive])
    _place_names(art["names"], h)


def hidden_space_figure(run: dict, snapshots, X, T) -> None:
    """For each chosen snapshot of training, one row: the input square coloured by
    ``P(y = 1)`` (left), and where the hidden layer sends the inputs, the square's
    grid lines and the output's line ``Vh + c = 0`` (right).

    run: ``train_mlp(...)`` result with ``"snapshots"``; snapshots: two indices
    into it; X: ``(4, 2)``; T: ``(4, 1)``.
    """
    rows = [["in_0", "h_0"], ["in_1", "h_1"]]
    fig, axes = plt.subplot_mosaic(rows, figsize=(6.8, 5.6))
    for row, snapshot in enumerate(snapshots):
        epoch, params = run["snapshots"][snapshot]
        art = _hidden_space_panels(axes[f"in_{row}"], axes[f"h_{row}"], X)
        _show_hidden_space(art, params, X, T)
        axes[f"in_{row}"].set_title(f"Epoch {epoch}: input space $x$")
        axes[f"h_{row}"].set_title(f"Epoch {epoch}: hidden space $h$")
    axes["h_1"].legend(loc="center right", fontsize=8, framealpha=0.9, frameon=True)
    fig.colorbar(art["p_in"], ax=[axes["h_0"], axes["h_1"]], label="colour: $P(y = 1)$", shrink=0.6)
    plt.show()


def hidden_space_demo(run: dict, X, T):
    """Demo: input space, hidden space and the loss curve at one snapshot of training.

    run: ``train_mlp(...)`` result (``"losses"``, ``"snapshots"``); X: ``(4, 2)``; T: ``(4, 1)``.
    Returns ``(fig, update)`` with ``update(snapshot)``, an index into ``run["snapshots"]``.
    """
    fig, (ax_in, ax_h, ax_loss) = new_figure(1, 3, width=9, height=3.1)
    art = _hidden_space_panels(ax_in, ax_h, X)
    ax_h.legend(loc="lower right", fontsize=8, framealpha=0.9, frameon=True)
    losses = run["losses"]
    ax_loss.plot(np.arange(1, losses.size + 1), losses, color=COLORS["blue"])
    loss_marker = ax_loss.plot([], [], "o", color=COLORS["red"], ms=8)[0]
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy loss", ylim=(0, 0.75))  # linear: quick
    ax_loss.set_title("Training loss", y=1.0)
    title_in = ax_in.set_title(" ", y=1.0)
    ax_h.set_title("Hidden space $h = \\tanh(Ux + b)$", y=1.0)

    def update(snapshot):
        epoch, params = run["snapshots"][snapshot]
        _show_hidden_space(art, params, X, T)
        loss_now = mlp_loss(params, X, T)[0]
        loss_marker.set_data([max(epoch, 1)], [loss_now])
        title_in.set_text(f"Input space, epoch {epoch}: $P(y = 1)$")
        right = int(np.sum((mlp_predict(X, params)[:, 0] > 0.5) == (T[:, 0] == 1)))
        return f"Epoch {epoch}: loss {loss_now:.3f}, {right} of 4 points right."

    return fig, update


# ---------------------------------------------------------------- softmax


def softmax_demo():
    """Demo: three scores ``a`` (left bars) and ``softmax(a)`` (right bars).

    Returns ``(fig, update)`` with ``update(a1, a2, a3, add, multiply)``: the
    scores shown are ``multiply * (a1, a2, a3) + add``.
    """
    fig, (ax_a, ax_p) = new_figure(1, 2, width=7.5, height=3.0)
    classes = ["class 1", "class 2", "class 3"]
    colors = [COLORS["blue"], COLORS["orange"], COLORS["green"]]
    bars_a = ax_a.bar(classes, [0, 0, 0], color=colors)
    bars_p = ax_p.bar(classes, [0, 0, 0], color=colors)
    labels_p = [ax_p.text(k, 0, "", ha="center", va="bottom") for k in range(3)]
    labels_a = [ax_a.text(k, 0, "", ha="center", va="bottom") for k in range(3)]
    ax_a.axhline(0, color="k", lw=0.8)
    ax_a.set(ylabel="score", ylim=(-20.5, 20.5))  # fixed: adding a constant visibly moves bars
    ax_a.set_title("Scores (logits) $a_k$", y=1.0)
    ax_p.set(ylabel="probability", ylim=(0, 1.12))
    ax_p.set_title("softmax$(a)_k$", y=1.0)

    def update(a1, a2, a3, add, multiply):
        a = multiply * np.array([a1, a2, a3]) + add
        p = softmax(a)
        for k, (bar, value) in enumerate(zip(bars_a, a)):
            bar.set_height(value)
            labels_a[k].set_position((k, max(value, 0) + 0.6))  # above the bar, or above 0
            labels_a[k].set_text(f"{value:.1f}")
        for k, (bar, value) in enumerate(zip(bars_p, p)):
            bar.set_height(value)
            labels_p[k].set_position((k, value + 0.01))
            labels_p[k].set_text(f"{value:.3f}")
        return f"scores a = {np.round(a, 2).tolist()}, probabilities sum to {p.sum():.6f}"

    return fig, update


def softmax_regions_figure(X, labels, params) -> None:
    """The plane coloured by the two-layer softmax network's most probable class
    (pale where unsure, in bands of 0.1 of probability), with the training points.

    X: ``(N, 2)``; labels: ``(N,)`` in 0, 1, 2; params: the network's weights.
    """
    span = np.linspace(-2.6, 2.6, 201)
    grid = np.stack(np.meshgrid(span, span), axis=-1).reshape(-1, 2)
    P = mlp_predict(grid, params, output="softmax")
    rgb = np.array([[0.12, 0.47, 0.71], [1.0, 0.5, 0.05], [0.17, 0.63, 0.17]])  # class colours
    strength = np.floor(P.max(axis=1, keepdims=True) * 10) / 10  # in bands of 0.1
    image = 1 - strength * 0.55 * (1 - rgb[P.argmax(axis=1)])  # pale (unsure) to full (sure)
    fig, ax = plt.subplots(figsize=(4.8, 3.9))
    ax.imshow(
        image.reshape(span.size, span.size, 3), origin="lower", extent=(span[0], span[-1]) * 2
    )
    for k, marker in enumerate("o^s"):
        pts = X[labels == k]
        ax.scatter(
            pts[:, 0], pts[:, 1], marker=marker, color=rgb[k], edgecolor="k", s=40,
            label=f"class {k + 1}",
        )  # fmt: skip
    ax.set(
        title="Two-layer network with softmax output: 3 classes",
        xlabel="input $x_1$",
        ylabel="input $x_2$",
    )
    ax.legend(loc="upper right", frameon=True, framealpha=0.9)
    ax.grid(False)
    plt.show()
