"""The LSTM and GRU diagrams of notebook 07 draw what they claim: every gate
with its symbol, the pointwise operations, the highlighted path and nothing
else, and the unrolled LSTM with one cell per step on one cell-state highway."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from helpers.diagrams import (  # noqa: E402
    GRU_PATHS,
    HIGHLIGHT,
    LSTM_PATHS,
    draw_gru_cell,
    draw_lstm_cell,
    draw_lstm_unrolled,
)


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def _lit(gates):
    return {s for s, p in gates.items() if mcolors.same_color(p.get_facecolor(), HIGHLIGHT)}


def test_lstm_cell_has_its_gates_ops_and_states():
    fig, ax = plt.subplots()
    out = draw_lstm_cell(ax)
    texts = _texts(ax)
    assert set(out["gates"]) == {"$f_t$", "$i_t$", "$g_t$", "$o_t$"}
    assert texts.count("σ") == 3 and texts.count("tanh") == 2  # the candidate and tanh(c_t)
    assert texts.count("×") == 3 and texts.count("+") == 1
    for label in ("$c_{t-1}$", "$c_t$", "$h_{t-1}$", "$h_t$", "$x_t$"):
        assert label in texts
    assert _lit(out["gates"]) == set() and out["highlighted"] == set()
    plt.close(fig)


@pytest.mark.parametrize(
    "path, lit",
    [("forget", {"$f_t$"}), ("input", {"$i_t$", "$g_t$"}), ("output", {"$o_t$"}), ("cell", set())],
)
def test_lstm_highlight_lights_exactly_its_path(path, lit):
    fig, ax = plt.subplots()
    out = draw_lstm_cell(ax, highlight=path)
    assert _lit(out["gates"]) == lit
    assert out["highlighted"] == set(LSTM_PATHS[path])
    faded = [
        a for name, arts in out["parts"].items() if name not in out["highlighted"] for a in arts
    ]
    assert faded and all(a.get_alpha() is not None and a.get_alpha() < 0.5 for a in faded)
    red = [a for name in out["highlighted"] for a in out["parts"][name] if hasattr(a, "get_xydata")]
    assert red and all(a.get_linewidth() > 2 for a in red)
    plt.close(fig)


@pytest.mark.parametrize(
    "path, lit", [("reset", {"$r_t$"}), ("update", {"$z_t$"}), ("candidate", {"$n_t$"})]
)
def test_gru_cell_and_its_paths(path, lit):
    fig, ax = plt.subplots()
    out = draw_gru_cell(ax, highlight=path)
    texts = _texts(ax)
    assert set(out["gates"]) == {"$r_t$", "$z_t$", "$n_t$"}
    assert texts.count("σ") == 2 and texts.count("tanh") == 1
    assert texts.count("×") == 3 and texts.count("+") == 1 and "1−" in texts
    assert _lit(out["gates"]) == lit and out["highlighted"] == set(GRU_PATHS[path])
    plt.close(fig)


def test_unknown_highlight_is_refused():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="highlight"):
        draw_lstm_cell(ax, highlight="reset")
    with pytest.raises(ValueError, match="highlight"):
        draw_gru_cell(ax, highlight="forget")
    plt.close(fig)


def test_unrolled_lstm_has_one_cell_per_step_on_one_highway():
    fig, ax = plt.subplots()
    out = draw_lstm_unrolled(ax, T=4)
    texts = _texts(ax)
    assert len(out["cells"]) == 4 and len(out["ops"]) == 8
    for t in range(1, 5):
        assert f"$x_{{{t}}}$" in texts and f"$h_{{{t}}}$" in texts
    assert "$c_0$" in texts and "$c_{4}$" in texts
    xs = out["highway"].get_xdata()
    first, last = out["cells"][0].get_x(), out["cells"][-1].get_x() + out["cells"][-1].get_width()
    assert min(xs) < first and max(xs) > last  # it runs through every cell
    plt.close(fig)
