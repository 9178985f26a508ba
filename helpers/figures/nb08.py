"""Figures and live demos of notebook 08 (the adding problem).

Each function draws one picture or wires one demo; the notebook passes the
runs, the trained models and the functions that query them.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..adding import ADDING_MODELS, BASELINE_MSE, MODEL_NAMES, ONE_VALUE_MSE, gru_gates
from ..plotting import COLORS, live_figure, new_figure

STYLE = {
    "rnn": COLORS["blue"],
    "irnn": COLORS["purple"],
    "lstm": COLORS["green"],
    "gru": COLORS["red"],
}
"""One colour per cell, in every figure of the notebook."""

SEED_STYLE = ["-", "--", ":"]
"""One line style per seed."""


def adding_sequence(u, m, y) -> None:
    """One adding-problem sequence: the values ``u (T,)`` with the marked ones
    in orange, the markers ``m (T,)`` below, and the target ``y`` in the title."""
    t = np.arange(1, len(u) + 1)
    marked = np.flatnonzero(m)
    fig, (ax_u, ax_m) = plt.subplots(2, 1, figsize=(7.5, 3.8), sharex=True, height_ratios=[3, 1])
    ax_u.bar(t, u, width=0.8, color=COLORS["grey"], alpha=0.6, label="value $u_t$")
    ax_u.bar(t[marked], u[marked], width=0.8, color=COLORS["orange"], label="marked values")
    ax_u.set_ylabel("value $u_t$")
    ax_u.set_title(
        f"One adding-problem sequence (T = {len(u)}): "
        f"target y = {u[marked[0]]:.2f} + {u[marked[1]]:.2f} = {y:.2f}"
    )
    ax_u.legend(loc="upper right", ncols=2)
    ax_m.step(t, m, where="mid", color=COLORS["orange"])
    ax_m.set_ylabel("marker $m_t$")
    ax_m.set_xlabel("time step t")
    ax_m.set_yticks([0, 1])
    plt.show()


def learning_curves(runs: dict, seeds, counts: dict, T: int) -> None:
    """Held-out MSE against the training step, one panel per cell (2 x 2), one
    line per seed, with the 1/6 and 1/12 levels.

    runs: ``{cell: [run, ...]}``, one ``train_adding`` result per seed;
    counts: ``{cell: number of parameters}`` for the titles.
    """
    fig, axes = plt.subplots(2, 2, figsize=(7.5, 4.8), sharex=True, sharey=True)
    for ax, cell in zip(axes.flat, ADDING_MODELS):
        for seed, run, ls in zip(seeds, runs[cell], SEED_STYLE):
            ax.plot(run["eval_steps"], run["eval"], ls, marker="o", ms=2.5, lw=1.4,
                    color=STYLE[cell], label=f"seed {seed}")  # fmt: skip
        ax.axhline(BASELINE_MSE, color="black", ls="--", lw=1, label="1/6: always answer 1")
        ax.axhline(ONE_VALUE_MSE, color=COLORS["grey"], ls="-.", lw=1, label="1/12: one value only")
        ax.set_title(f"{MODEL_NAMES[cell]} ({counts[cell]:,} parameters)")
        ax.set_yscale("log")
        ax.set_ylim(3e-4, 2.0)
    for ax in axes[1]:
        ax.set_xlabel("training step (batches of 64)")
    for ax in axes[:, 0]:
        ax.set_ylabel("held-out MSE (log)")
    axes[0, 0].legend(loc="lower left", fontsize=7.5)
    fig.suptitle(f"Adding problem, T = {T}: held-out MSE of each cell, three seeds")
    plt.show()


def gru_inside_demo(gru_model, query, order, u1: float, u2: float) -> None:
    """Live demo: a trained GRU over a sequence whose two marker positions the
    sliders choose.

    gru_model: a trained ``SequenceRegressor("gru")``; query: ``query(first,
    second) -> xs (T, 1, 2)``, the sequence with markers at those steps
    (1-based) holding ``u1`` and ``u2``; order: ``(H,)``, the order of the
    units in the heat map (the units that write at the markers first).
    Three panels: the input, the update gate ``z_t`` of every unit (a heat
    map), and the read-out ``W_hy h_t + b_y`` at every step against the best
    answer from the markers seen so far.
    """
    W_hy = gru_model.out.weight.detach().numpy()[0]
    b_y = gru_model.out.bias.item()
    T, H = len(query(1, 2)), gru_model.rnn.hidden_size
    steps_t = np.arange(1, T + 1)
    fig, (ax_x, ax_z, ax_y) = new_figure(3, 1, width=7.0, height=5.6, sharex=True,
                                         height_ratios=[1, 2.2, 1.6])  # fmt: skip
    value_bars = ax_x.bar(steps_t, np.zeros(T), width=0.8, color=COLORS["grey"])
    ax_x.set_ylim(0, 1)
    ax_x.set_ylabel("value $u_t$")
    ax_x.set_title("Input: marked values in orange")
    image = ax_z.imshow(np.zeros((H, T)), aspect="auto", cmap="viridis", vmin=0, vmax=1,
                        extent=(0.5, T + 0.5, H - 0.5, -0.5), interpolation="nearest")  # fmt: skip
    ax_z.set_ylabel("unit (sorted)")
    ax_z.set_title("Update gate $z_t$ of each unit (1 = keep the state, 0 = overwrite)")
    fig.colorbar(image, ax=ax_z, label="$z_t$", fraction=0.04, pad=0.01)
    (answer_line,) = ax_y.plot(steps_t, np.zeros(T), color=COLORS["red"], lw=2,
                               label=r"read-out $\hat y_t = W_{hy} h_t + b_y$")  # fmt: skip
    (target_line,) = ax_y.step(steps_t, np.zeros(T), where="post", color="black", ls="--", lw=1.2,
                               label="best answer from the markers seen so far")  # fmt: skip
    ax_y.set_ylim(-0.2, 2.0)
    ax_y.set_ylabel("value")
    ax_y.set_xlabel("time step t")
    ax_y.legend(loc="lower right", fontsize=8)
    marker_lines = [
        ax.axvline(1, color=COLORS["orange"], lw=1.2, ls=":")
        for ax in (ax_z, ax_y)
        for _ in range(2)
    ]

    def update(first, second):
        x = query(first, second)
        hs, zs = gru_gates(gru_model.rnn, x)
        answers = hs[:, 0] @ W_hy + b_y
        for t, bar in enumerate(value_bars):
            bar.set_height(x[t, 0, 0].item())
            bar.set_color(COLORS["orange"] if x[t, 0, 1] else COLORS["grey"])
        image.set_data(zs[:, 0, order].T)
        answer_line.set_ydata(answers)
        seen = np.cumsum((x[:, 0, 0] * x[:, 0, 1]).numpy())  # marked values seen by step t
        to_come = 2 - np.cumsum(x[:, 0, 1].numpy())  # markers to come, each worth 1/2 on average
        target_line.set_ydata(seen + 0.5 * to_come)
        for k, line in enumerate(marker_lines):
            line.set_xdata([(first, second)[k % 2]] * 2)
        top = zs[:, 0, order[:4]].mean(1)  # mean update gate of the four top units, per step
        return (
            f"top four units: mean z {top[first - 1]:.2f} at the first marker, "
            f"{top[second - 1]:.2f} at the second, {zs[:, 0, order[:4]].mean():.2f} over the "
            f"whole sequence; final answer {answers[-1]:.2f}, true sum {u1 + u2:.2f}"
        )

    live_figure(
        fig,
        update,
        {
            "first": widgets.IntSlider(value=T // 5, min=1, max=T // 2, description="1st marker"),
            "second": widgets.IntSlider(
                value=(3 * T) // 4, min=T // 2 + 1, max=T, description="2nd marker"
            ),
        },
        title="Inside the trained GRU (seed 0)",
    )


def ask_models_demo(ask, T: int) -> None:
    """Live demo: the trained models' answers (one bar per cell) to a sequence
    built from the sliders.

    ask: ``ask(first, u1, u2) -> (answers, second)``: each model's answer, in
    the order of ``ADDING_MODELS``, for a sequence with the first marker at
    step ``first`` holding ``u1`` and the second at step ``second`` holding ``u2``.
    """
    fig, ax = new_figure(width=6.4, height=3.4)
    n = len(ADDING_MODELS)
    bars = ax.bar(range(n), np.ones(n), color=[STYLE[c] for c in ADDING_MODELS])
    target = ax.axhline(1.0, color="black", ls="--", lw=1.5, label="true sum")
    ax.set_xticks(range(n), [MODEL_NAMES[c] for c in ADDING_MODELS])
    ax.set_ylim(0, 2.2)
    ax.set_ylabel("model's answer")
    ax.set_xlabel("model (trained above, seed 0)")
    ax.set_title("Answers of the trained models to your sequence")
    ax.legend(loc="upper right")
    labels = [
        ax.text(k, 0.05, "", ha="center", va="bottom", color="white", fontsize=9) for k in range(n)
    ]

    def update(first, u1, u2):
        answers, second = ask(first, u1, u2)
        for bar, label, a in zip(bars, labels, answers):
            bar.set_height(min(max(a, 0.0), 2.2))
            label.set_text(f"{a:.2f}")
        target.set_ydata([u1 + u2, u1 + u2])
        return f"first marker at step {first}, second at step {second}; true sum {u1 + u2:.2f}"

    live_figure(
        fig,
        update,
        {
            "first": widgets.IntSlider(value=5, min=1, max=T // 2, description="first marker at"),
            "u1": widgets.FloatSlider(
                value=0.95, min=0.0, max=1.0, step=0.05, description="u at 1st"
            ),
            "u2": widgets.FloatSlider(
                value=0.8, min=0.0, max=1.0, step=0.05, description="u at 2nd"
            ),
        },
        title="Query the trained models",
    )


def lstm_given_time(steps, mse, fast_steps: int) -> None:
    """The held-out MSE of one LSTM run against the training step (log scale),
    with the 1/6, 1/12 and 0.05 levels and the fast run's first ``fast_steps``
    steps shaded. steps, mse: the evaluated steps and their MSE, same length."""
    fig, ax = plt.subplots(figsize=(7.0, 3.2))
    ax.axvspan(0, fast_steps, color=COLORS["grey"], alpha=0.15, label="the fast run above")
    ax.plot(steps, mse, "o-", ms=3, lw=1.4, color=STYLE["lstm"], label="LSTM, seed 0")
    ax.axhline(BASELINE_MSE, color="black", ls="--", lw=1, label="1/6: always answer 1")
    ax.axhline(ONE_VALUE_MSE, color=COLORS["grey"], ls="-.", lw=1, label="1/12: one value only")
    ax.axhline(0.05, color=STYLE["lstm"], ls=":", lw=1, label="0.05")
    ax.set_yscale("log")
    ax.set_ylim(3e-4, 2.0)
    ax.set_xlabel("training step (batches of 64)")
    ax.set_ylabel("held-out MSE (log)")
    ax.set_title("The seed-0 LSTM, trained on with the same optimiser and batch stream")
    ax.legend(loc="lower left", fontsize=8, ncols=2)
    plt.show()
