"""Notebook 05's figures and live demos (vanishing and exploding gradients).

Each function draws one picture or wires one demo; the notebook computes the
quantities its text talks about and hands them over. Shapes follow the
course: ``xs (T, B, D)``, ``h0 (B, H)``, ``W_hh (H, H)``.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import LogNorm
from matplotlib.image import AxesImage
from matplotlib.markers import TICKLEFT
from matplotlib.ticker import LogLocator, NullLocator
from matplotlib.transforms import ScaledTranslation

from .. import plotting
from ..gradflow import chain_grad_norms, draw_gradient_flow, gradient_colorbar, show_gradient_flow
from ..gradients import GAMMA, cliff_loss_and_grad, hidden_grad_norms, linear_unit_chain
from ..plotting import COLORS, new_figure

# --- 1. The w^999 demonstration ---------------------------------------------------


def _fit_decades(values, reference) -> tuple[float, float]:
    """The log10 range a panel shows: whole decades around the curve and the ``w = 1``
    line, so the curve always fills the panel (a fixed axis makes 1.01^999 = 2e4 look
    flat); the top quarter stays free for the legend."""
    lo = np.floor(np.log10(min(values.min(), reference.min())))
    hi = np.ceil(np.log10(max(values.max(), reference.max())))
    return lo - 0.5, hi + 0.5 + 0.3 * (hi - lo + 1)


def _sub(n: int) -> str:
    """``n`` in Unicode subscript digits: ``_sub(12)`` is ``"₁₂"``."""
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _power_of_ten(value, _pos=None) -> str:
    """A log axis's tick label ``10⁻⁴³`` as plain text: a tick label in mathtext
    (matplotlib's default) is parsed afresh for every new decade."""
    exponent = int(round(np.log10(value)))
    return "10" + str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _decade_axis(ax, n_labels: int = 12) -> dict:
    """A log10 y-axis that the demo draws itself, for a panel whose range follows the
    curve: the panel's own axis is fixed at ``0..1`` (so its ticks, drawn once, never
    change) and ``_show_decades`` moves the grid lines, ticks and labels ``10⁻⁴³`` of
    the decades in view, as matplotlib's log axis would draw them. Redrawing a real
    axis at every new range cost three quarters of an update."""
    rc = {**plt.rcParams, **plotting.STYLE}  # the course style, as new_figure draws with
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_locator(NullLocator())
    ax.yaxis.set_minor_locator(NullLocator())
    grid = LineCollection([], colors=rc["grid.color"], linewidths=rc["grid.linewidth"],
                          alpha=rc["grid.alpha"], transform=ax.transAxes, zorder=1.5)  # fmt: skip
    ax.add_collection(grid)
    (ticks,) = ax.plot([], [], ls="none", marker=TICKLEFT, ms=rc["ytick.major.size"],
                       mew=rc["ytick.major.width"], color=rc["ytick.color"],
                       transform=ax.transAxes, clip_on=False, zorder=1.5)  # fmt: skip
    pad = (rc["ytick.major.size"] + rc["ytick.major.pad"]) / 72
    shift = ax.transAxes + ScaledTranslation(-pad, 0, ax.figure.dpi_scale_trans)
    labels = [
        ax.text(
            0,
            0,
            "",
            transform=shift,
            ha="right",
            va="center_baseline",
            fontsize=rc["ytick.labelsize"],
            clip_on=False,
        )  # fmt: skip
        for _ in range(n_labels)
    ]
    # as many decades as the panel's own log axis would label
    locator = LogLocator(numticks=int(np.clip(ax.yaxis.get_tick_space(), 2, 9)))
    return {"grid": grid, "ticks": ticks, "labels": labels, "locator": locator}


def _show_decades(axis: dict, bottom: float, top: float) -> None:
    """Show the decades between ``10**bottom`` and ``10**top`` on ``_decade_axis``'s axis."""
    values = axis["locator"].tick_values(10.0**bottom, 10.0**top)
    at = (np.log10(values) - bottom) / (top - bottom)
    values, at = values[(at >= 0) & (at <= 1)], at[(at >= 0) & (at <= 1)]
    axis["grid"].set_segments([[(0, y), (1, y)] for y in at])
    axis["ticks"].set_data(np.zeros(len(at)), at)
    for k, label in enumerate(axis["labels"]):
        label.set_visible(k < len(at))
        if k < len(at):
            label.set_y(at[k])
            label.set_text(_power_of_ten(values[k]))


def power_demo(T_max: int = 1000, w: float = 1.01) -> None:
    """Sliders ``w`` and ``T`` over two log-scale panels: the output ``y_t = w^(t-1)``
    and its derivative ``(t-1) w^(t-2)`` of ``linear_unit_chain`` for ``t = 1..T``,
    with the ``w = 1`` line for reference; axes span whole decades around the curves."""
    steps = np.arange(1, T_max + 1)
    fig, (ax_y, ax_d) = new_figure(1, 2, width=9.0, height=3.6)
    (line_y,) = ax_y.plot([], [], color=COLORS["blue"], lw=2, label="$y_t = w^{t-1}$")
    (line_d,) = ax_d.plot([], [], color=COLORS["orange"], lw=2, label="$(t-1)\\,w^{t-2}$")
    (dot_y,) = ax_y.plot([], [], "o", color=COLORS["blue"])
    (dot_d,) = ax_d.plot([], [], "o", color=COLORS["orange"])
    box = {"facecolor": "white", "edgecolor": "none", "alpha": 0.85}
    label_y = ax_y.text(
        0.97, 0.5, "", transform=ax_y.transAxes, ha="right", color=COLORS["blue"], bbox=box
    )
    label_d = ax_d.text(
        0.97, 0.5, "", transform=ax_d.transAxes, ha="right", color=COLORS["orange"], bbox=box
    )
    (one_y,) = ax_y.plot([], [], "--", color=COLORS["grey"], lw=1, label="$w = 1$")
    (one_d,) = ax_d.plot([], [], "--", color=COLORS["grey"], lw=1, label="$w = 1$")
    axes = {}
    for ax, title in ((ax_y, "Output $y_t$"), (ax_d, "Derivative $\\partial y_t / \\partial w$")):
        ax.set_xlim(0, T_max)
        ax.set_xlabel("time step $t$")
        ax.set_title(title)
        ax.legend(loc="upper left")
        axes[ax] = _decade_axis(ax)
    ax_y.set_ylabel("value (log scale)")
    ax_y.yaxis.set_label_coords(-0.17, 0.5)  # room for the widest tick label, e.g. 10^-43

    def show(ax, line, dot, t, values, reference, one, one_t, one_values):
        bottom, top = _fit_decades(values, reference)
        _show_decades(axes[ax], bottom, top)
        line.set_data(t, (np.log10(values) - bottom) / (top - bottom))
        dot.set_data([t[-1]], [(np.log10(values[-1]) - bottom) / (top - bottom)])
        one.set_data(one_t, (np.log10(one_values) - bottom) / (top - bottom))

    def update(w, T):
        y, dy_dw = linear_unit_chain(w, T)
        show(ax_y, line_y, dot_y, steps[:T], y, np.ones(1), one_y, steps, np.ones(T_max))
        # the derivative is 0 at t = 1; at w = 1 it is t - 1
        show(ax_d, line_d, dot_d, steps[1:T], dy_dw[1:], steps[1:T] - 1.0,
             one_d, steps[1:], steps[1:] - 1.0)  # fmt: skip
        # plain text (no $...$): mathtext would parse every new value afresh
        label_y.set_text(f"y{_sub(T)} = {y[-1]:.3g}")
        label_d.set_text(f"∂y{_sub(T)}/∂w = {dy_dw[-1]:.3g}")
        fig.suptitle(f"One linear unit, w = {w:.3f}: the same weight multiplies {T - 1} times")
        return (
            f"w = {w:.3f}, T = {T}: y_T = w^{T - 1} = <b>{y[-1]:.3g}</b>, "
            f"dy_T/dw = <b>{dy_dw[-1]:.3g}</b>"
        )

    plotting.live_figure(
        fig,
        update,
        {
            "w": widgets.FloatSlider(
                value=w, min=0.9, max=1.1, step=0.001, readout_format=".3f", description="w"
            ),
            "T": widgets.IntSlider(value=T_max, min=2, max=T_max, step=1, description="T"),
        },
        title="The w^999 demonstration",
    )


# --- 2. The product of Jacobians -----------------------------------------------------


def jacobian_demo(W_xh, Q, xs, h0, dh_T) -> None:
    """Sliders for ``sigma_max``, the input scale and the activation (tanh, sigmoid) of the
    RNN ``W_hh = sigma_max * Q`` run on ``input_scale * xs``: left, ``||dL/dh_t||`` for
    ``t = 0..T`` (``hidden_grad_norms``, one sequence) beside Pascanu's bound
    ``(gamma sigma_max)^(T-t)``; right, the mean slope ``f'(z_t) / gamma`` (saturation).

    W_xh ``(H, D)``; Q ``(H, H)`` orthogonal; xs ``(T, 1, D)``; h0 ``(1, H)``; dh_T ``(1, H)``.
    """
    H, T = len(Q), len(xs)
    t_axis = np.arange(T + 1)
    fig, (ax_g, ax_s) = new_figure(1, 2, width=9.0, height=3.6)
    (line_g,) = ax_g.plot(
        [], [], color=COLORS["blue"], lw=2, label="$\\|\\partial L / \\partial h_t\\|$"
    )
    (line_b,) = ax_g.plot(
        [], [], "--", color=COLORS["red"], lw=1.5, label="bound $(\\gamma\\sigma_{\\max})^{T-t}$"
    )
    ax_g.axhline(1.0, color=COLORS["grey"], lw=1)
    ax_g.set_yscale("log")
    ax_g.set_ylim(1e-30, 1e30)
    ax_g.set_yticks([1e-30, 1e-20, 1e-10, 1e0, 1e10, 1e20, 1e30])
    ax_g.yaxis.set_minor_locator(NullLocator())
    ax_g.set_xlim(0, T)
    ax_g.set_xlabel(f"time step $t$ (the loss reads $h_{{{T}}}$)")
    ax_g.set_ylabel("gradient norm (log scale)")
    ax_g.set_title("Gradient reaching each step")
    ax_g.legend(loc="lower right", frameon=True, framealpha=0.85, edgecolor="none")
    (line_s,) = ax_s.plot([], [], color=COLORS["green"], lw=2)
    ax_s.set_ylim(-0.02, 1.05)
    ax_s.set_xlim(1, T)
    ax_s.set_xlabel("time step $t$")
    ax_s.set_ylabel("mean $f'(z_t) / \\gamma$")
    ax_s.set_title("Saturation (1 = linear, 0 = saturated)")

    def update(sigma_max, input_scale, activation):
        p = {"W_xh": W_xh, "W_hh": sigma_max * Q, "b_h": np.zeros(H)}
        norms, hs = hidden_grad_norms(input_scale * xs, h0, p, dh_T, activation)
        gamma = GAMMA[activation]
        slope = (1 - hs[:, 0] ** 2) if activation == "tanh" else hs[:, 0] * (1 - hs[:, 0])
        with np.errstate(over="ignore"):
            bound = (gamma * sigma_max) ** (T - t_axis.astype(float))
        line_g.set_data(t_axis, np.clip(norms[:, 0], 1e-300, 1e300))
        line_b.set_data(t_axis, np.clip(bound, 1e-300, 1e300))
        line_s.set_data(np.arange(1, T + 1), slope.mean(axis=1) / gamma)
        fig.suptitle(
            f"{activation} RNN, H = {H}: $\\gamma\\sigma_{{\\max}}$ = {gamma * sigma_max:.2f}"
        )
        verdict = (
            "below 1: vanishing is guaranteed"
            if gamma * sigma_max < 1
            else "above 1: exploding is possible, not guaranteed"
        )
        return (
            f"γ·σ_max = {gamma * sigma_max:.2f} ({verdict}); ‖∂L/∂h_0‖ = <b>{norms[0, 0]:.2e}</b>"
        )

    plotting.live_figure(
        fig,
        update,
        {
            "sigma_max": widgets.FloatSlider(
                value=1.0, min=0.25, max=5.0, step=0.05, description="σ_max(W_hh)"
            ),
            "input_scale": widgets.FloatSlider(
                value=0.5, min=0.0, max=3.0, step=0.1, description="input scale"
            ),
            "activation": widgets.ToggleButtons(
                options=["tanh", "sigmoid"], value="tanh", description="f"
            ),
        },
        title="Product of Jacobians in a tanh / sigmoid RNN",
    )


def flow_demo(W_xh, Q, xs, h0, dh_T) -> None:
    """Sliders for ``sigma_max``, the activation and ``T``: the RNN ``W_hh = sigma_max * Q``
    unrolled over ``T`` steps of ``xs`` and drawn as a chain whose edges are as thick and
    warm as ``||dL/dh_t||`` (``chain_grad_norms``), above a second lane with Pascanu's
    bound ``(gamma sigma_max)^(T-t)``. Shapes as in ``jacobian_demo``."""
    H, T_max = len(Q), len(xs)
    fig, ax = new_figure(width=8.5, height=2.4)
    flow = draw_gradient_flow(
        ax, ["RNN: $\\|\\partial L/\\partial h_t\\|$", "bound $(\\gamma\\sigma_{\\max})^{T-t}$"],
        loss_reads=[True, False], fontsize=11,
    )  # fmt: skip
    gradient_colorbar(fig, flow, ax, shrink=0.9, pad=0.01)

    def update(sigma_max, activation, T):
        p = {"W_xh": W_xh, "W_hh": sigma_max * Q, "b_h": np.zeros(H)}
        norms = chain_grad_norms("rnn", xs[:T], h0, p, dh_T, activation)["h"][:, 0]
        with np.errstate(over="ignore"):
            bound = (GAMMA[activation] * sigma_max) ** (T - np.arange(T + 1.0))
        labels = [("$h_0$", f"$h_{{{T}}}$"), ("$t = 0$", f"$t = {T}$")]
        show_gradient_flow(flow, [norms, bound], labels, max_width=24.0, min_width=1.5)
        fig.suptitle(
            f"{activation} RNN unrolled over T = {T} steps, $\\sigma_{{\\max}}$ = {sigma_max:.2f}"
        )
        return f"‖∂L/∂h_T‖ = 1, ‖∂L/∂h_0‖ = <b>{norms[0]:.1e}</b>; bound at t = 0: {bound[0]:.1e}"

    plotting.live_figure(
        fig,
        update,
        {
            "sigma_max": widgets.FloatSlider(
                value=1.0, min=0.25, max=5.0, step=0.05, description="σ_max(W_hh)"
            ),
            "activation": widgets.ToggleButtons(
                options=["tanh", "sigmoid", "relu"], value="tanh", description="f"
            ),
            "T": widgets.IntSlider(value=T_max, min=2, max=T_max, description="T"),
        },
        title="Gradient flow on the unrolled RNN",
    )


# --- 3. Cliffs and clipping -----------------------------------------------------------


def cliff_figure(L_grid, w_lim, b_lim, b_slice, w_wall, distances, near) -> None:
    """Left: the cliff model's loss surface ``L_grid (n_b, n_w)`` over ``w_lim x b_lim``
    (log colours), the line ``b = b_slice`` and the wall on it at ``w_wall``. Right: the
    gradient norm at ``distances`` from the wall, ``near["left"]`` and ``near["right"]``
    (arrays shaped like ``distances``), log-log."""
    fig, (ax_surf, ax_cut) = plt.subplots(1, 2, figsize=(9, 3.8))
    im = ax_surf.imshow(
        L_grid,
        origin="lower",
        extent=(*w_lim, *b_lim),
        aspect="auto",
        cmap="viridis",
        norm=LogNorm(
            1e-4, 0.5
        ),  # log colours: the valley (loss < 1e-3) is dark, the plateaus (0.06-0.09, 0.46-0.49) apart
    )
    ax_surf.axhline(b_slice, color="white", lw=1, ls=":")
    ax_surf.plot([w_wall], [b_slice], "o", color="white", mec="black")
    fig.colorbar(im, ax=ax_surf, label="loss $L(w, b)$ (log scale)", extend="min")
    ax_surf.set_xlabel("recurrent weight $w$")
    ax_surf.set_ylabel("bias $b$")
    ax_surf.set_title("Loss surface: a valley, two plateaus, a cliff")
    ax_cut.loglog(
        distances, near["left"], color=COLORS["red"], lw=2, label="left of the wall (loss 0.46)"
    )
    ax_cut.loglog(
        distances,
        near["right"],
        "--",
        color=COLORS["blue"],
        lw=2,
        label="right of the wall (loss 0.06)",
    )
    ax_cut.set_xlabel(f"distance from the wall along $w$ (at the white dot, $b = {b_slice:g}$)")
    ax_cut.set_ylabel("gradient norm $\\|\\nabla L\\|$")
    ax_cut.set_title("The gradient near the wall")
    ax_cut.legend(loc="upper right")
    plt.show()


def _draw_with_background(ax, artist) -> None:
    """Draw ``artist`` (made for ``ax`` but not added to it) right after the axes' patch.
    It then belongs to the background that ``live_figure`` caches: a picture that never
    changes (the loss surface under the paths) is not redrawn at every update."""
    artist.set_figure(ax.figure)
    artist.set_transform(ax.transData)
    artist.set_clip_path(ax.patch)
    draw_patch = ax.patch.draw

    def draw(renderer):
        draw_patch(renderer)
        artist.draw(renderer)

    ax.patch.draw = draw


CLIFF_RUNS = (  # (mode, colour, style): later runs thinner and on top, so all stay visible
    ("no clipping", COLORS["red"], {"lw": 3.6, "ms": 7.0, "zorder": 2}),
    ("clip by norm", COLORS["blue"], {"lw": 2.2, "ms": 4.5, "zorder": 3}),
    ("clip by value", COLORS["orange"], {"lw": 0.9, "ms": 2.0, "zorder": 4}),
)


def cliff_descent_demo(descend, w_zoom, b_zoom, n_steps: int, start=(5.0, -2.5)) -> None:
    """Sliders for the learning rate, the clip threshold and the start ``(w0, b0)``: the
    paths of ``descend(w0, b0, lr, threshold, mode)`` for each mode of ``CLIFF_RUNS`` drawn
    on the cliff's loss surface over ``w_zoom x b_zoom`` (left), their losses per step
    (right, log scale). ``descend`` returns ``(path (n_steps + 1, 2), losses (n_steps,))``."""
    L_zoom = np.array(
        [cliff_loss_and_grad(np.linspace(*w_zoom, 401), b)[0] for b in np.linspace(*b_zoom, 401)]
    )
    fig, (ax_z, ax_l) = new_figure(1, 2, width=9.0, height=4.2)
    colours = ScalarMappable(LogNorm(1e-4, 0.5), "viridis")
    surface = AxesImage(ax_z, origin="lower", extent=(*w_zoom, *b_zoom))
    surface.set_data(colours.to_rgba(L_zoom, bytes=True))  # coloured once, not at every redraw
    _draw_with_background(ax_z, surface)
    fig.colorbar(colours, ax=ax_z, extend="min").ax.set_title("loss", fontsize=9)
    ax_z.set_xlim(*w_zoom)
    ax_z.set_ylim(*b_zoom)
    ax_z.grid(False)
    ax_z.set_xlabel("recurrent weight $w$")
    ax_z.set_ylabel("bias $b$")
    ax_z.set_title("Paths on the loss surface (dark = low loss)")
    ax_l.set_yscale("log")
    ax_l.set_ylim(1e-7, 1.0)
    ax_l.yaxis.set_minor_locator(NullLocator())  # minor log ticks double the redraw time
    ax_l.set_xlim(0, n_steps)
    ax_l.set_xlabel("gradient-descent step")
    ax_l.set_ylabel("loss (log scale)")
    ax_l.set_title("Loss during training")
    paths, curves = {}, {}
    for name, color, style in CLIFF_RUNS:
        (paths[name],) = ax_z.plot([], [], "-o", color=color, label=name, **style)
        (curves[name],) = ax_l.plot(
            [], [], color=color, lw=style["lw"], zorder=style["zorder"], label=name
        )
    (start_dot,) = ax_z.plot(
        [], [], "*", ms=12, color="white", mec="black", zorder=5, label="start"
    )
    # one legend for both panels (each legend is redrawn at every update)
    fig.legend(*ax_z.get_legend_handles_labels(), loc="outside lower center", ncols=4)

    def update(lr, threshold, w0, b0):
        rows = []
        for name, *_ in CLIFF_RUNS:
            path, losses = descend(w0, b0, lr, threshold, name)
            paths[name].set_data(path[:, 0], path[:, 1])
            curves[name].set_data(np.arange(n_steps), np.maximum(losses, 1e-7))
            longest = np.hypot(*np.diff(path, axis=0).T).max()
            rows.append(
                f"{name}: final loss {losses[-1]:.2g}, longest step {longest:.2g}, "
                f"ends at (w, b) = ({path[-1, 0]:.2f}, {path[-1, 1]:.2f})"
            )
        start_dot.set_data([w0], [b0])
        return "<br>".join(rows)

    plotting.live_figure(
        fig,
        update,
        {
            "lr": widgets.FloatSlider(
                value=0.3, min=0.01, max=1.0, step=0.01, description="learning rate"
            ),
            "threshold": widgets.FloatSlider(
                value=0.3, min=0.01, max=1.0, step=0.01, description="clip θ"
            ),
            "w0": widgets.FloatSlider(
                value=start[0], min=w_zoom[0], max=w_zoom[1], step=0.05, description="start w"
            ),
            "b0": widgets.FloatSlider(
                value=start[1], min=b_zoom[0], max=b_zoom[1], step=0.05, description="start b"
            ),
        },
        title="Gradient descent on a cliff, with and without clipping",
    )


# --- 4. Remedies ---------------------------------------------------------------------

_REMEDY_STYLES = (  # tanh solid, ReLU dashed; each curve its own marker
    (COLORS["grey"], "-", "o", 2.0),
    (COLORS["blue"], "-", "s", 4.5),
    (COLORS["green"], "-", "^", 1.5),
    (COLORS["purple"], "--", "v", 2.0),
    (COLORS["red"], "--", "D", 2.0),
    (COLORS["orange"], "--", "X", 2.0),
)


def remedies_figure(measured: dict) -> None:
    """Six recurrences side by side: left, ``||dL/dh_t||`` for ``t = 0..T``; right,
    ``||h_t||`` for ``t = 1..T`` (both log scale). measured: ``{label: (g_norms (T + 1,),
    h_norms (T,), ...)}``, at most six entries. Markers are staggered and wide lines lie
    under narrow ones, so curves that coincide all stay visible."""
    fig, (ax_a, ax_b) = plt.subplots(1, 2, figsize=(9, 4.4))
    for k, ((label, (g_norms, h_norms, *_)), (color, ls, marker, lw)) in enumerate(
        zip(measured.items(), _REMEDY_STYLES)
    ):
        T = len(h_norms)
        style = {"color": color, "ls": ls, "lw": lw, "marker": marker, "ms": 6, "label": label}
        style["markevery"] = (2 * k, 12)  # six curves, markers 2 steps apart
        ax_a.semilogy(np.arange(T + 1), np.maximum(g_norms, 1e-300), **style)
        ax_b.semilogy(np.arange(1, T + 1), h_norms, **style)
    ax_a.set_xlabel(f"time step $t$ (the loss reads $h_{{{T}}}$)")
    ax_a.set_ylabel("$\\|\\partial L / \\partial h_t\\|$ (log scale)")
    ax_a.set_title("Backward: gradient reaching each step")
    ax_b.set_xlabel("time step $t$")
    ax_b.set_ylabel("$\\|h_t\\|$ (log scale)")
    ax_b.set_title("Forward: size of the hidden state")
    handles, labels = ax_a.get_legend_handles_labels()
    fig.legend(
        handles, labels, loc="outside lower center", ncols=3, title="recurrence (both panels)"
    )
    ax_a.set_ylim(1e-40, 1e20)
    plt.show()


def gap_share_figure(shares: dict) -> None:
    """How much of a gradient comes from each gap: for every entry ``{label: share}``, with
    ``share[g]`` the fraction of the gradient's terms (by size) whose gap is ``g``, the
    cumulative fraction carried by gaps ``0..g`` against ``g``."""
    fig, ax = plt.subplots(figsize=(7, 3.4))
    colours = (COLORS["blue"], COLORS["green"], COLORS["grey"], COLORS["red"], COLORS["orange"])
    for (label, share), colour in zip(shares.items(), colours):
        ax.plot(np.arange(len(share)), np.cumsum(share), color=colour, lw=2, label=label)
    ax.set_xlabel("gap $T - t$ between the output and the step where $w$ acted")
    ax.set_ylabel("share of $\\sum_g |\\mathrm{term}_g|$\nfrom gaps up to this one")
    ax.set_title("Which gaps the terms of $\\partial y_T / \\partial w$ come from (by size)")
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, len(next(iter(shares.values()))))
    ax.legend(loc="lower right")
    plt.show()
