"""The LSTM and GRU diagrams of notebook 07 draw what they claim: every gate
with its symbol, the pointwise operations, the highlighted path and nothing
else, and the unrolled LSTM with one cell per step on one cell-state highway."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Circle, FancyBboxPatch  # noqa: E402

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


def _on_node(point, artist, tol=0.03):
    """Whether ``point`` lies on a box's edge, a circle's rim or along a wire."""
    x, y = point
    if isinstance(artist, Circle):
        cx, cy = artist.center
        return abs(np.hypot(x - cx, y - cy) - artist.radius) < tol
    if isinstance(artist, FancyBboxPatch):
        x0, y0 = artist.get_x(), artist.get_y()
        x1, y1 = x0 + artist.get_width(), y0 + artist.get_height()
        inside = x0 - tol <= x <= x1 + tol and y0 - tol <= y <= y1 + tol
        return inside and min(abs(x - x0), abs(x - x1), abs(y - y0), abs(y - y1)) < tol
    pts = artist.get_xydata()
    for (ax_, ay), (bx, by) in zip(pts[:-1], pts[1:]):
        d = np.hypot(bx - ax_, by - ay)
        cross = abs((bx - ax_) * (y - ay) - (by - ay) * (x - ax_)) / d
        along = ((x - ax_) * (bx - ax_) + (y - ay) * (by - ay)) / d
        if cross < tol and -tol <= along <= d + tol:
            return True
    return False


def test_gru_wiring_matches_pytorchs_equations():
    """n_t = tanh(W_xn x_t + b_xn + r_t ⊙ (W_hn h_{t-1} + b_hn)), h_t = z_t ⊙ h_{t-1}
    + (1 - z_t) ⊙ n_t: every arrow starts on its source and ends on its target."""
    fig, ax = plt.subplots()
    out = draw_gru_cell(ax)
    nodes, wires = out["nodes"], out["wires"]
    inputs: dict = {}
    for w in wires:
        branches = [  # a wire may also branch off another wire from the same source
            Line2D(*zip(*v["points"])) for v in wires if v["src"] == w["src"] and v is not w
        ]
        assert any(_on_node(w["points"][0], n) for n in [nodes[w["src"]], *branches]), w
        assert _on_node(w["points"][-1], nodes[w["dst"]]), w
        inputs.setdefault(w["dst"], set()).add(w["src"])
    assert inputs["$z_t$"] == inputs["$r_t$"] == {"x_t", "h_{t-1}"}
    assert inputs["reset ×"] == {"$r_t$", "h_{t-1}"}  # h_{t-1} alone is reset
    assert inputs["tanh"] == {"reset ×", "x_t"}  # the reset product, not h_{t-1}
    assert inputs["1−"] == {"$z_t$"} and inputs["n ×"] == {"tanh", "1−"}
    assert inputs["+"] == {"z ×", "n ×"}
    # h_{t-1} and x_t run on separate wires that never meet
    h_pts, x_pts = nodes["h_{t-1}"].get_xydata(), nodes["x_t"].get_xydata()
    assert not any(_on_node(p, nodes["x_t"]) for p in h_pts)
    assert not any(_on_node(p, nodes["h_{t-1}"]) for p in x_pts)
    # no stretch of wire carries arrows in both directions
    segments = [
        (tuple(a), tuple(b)) for w in wires for a, b in zip(w["points"][:-1], w["points"][1:])
    ]
    for a, b in segments:
        assert (b, a) not in segments
        for c, d in segments:  # overlapping collinear pieces run the same way
            u, v = np.subtract(b, a), np.subtract(d, c)
            if abs(u[0] * v[1] - u[1] * v[0]) < 1e-9 and np.dot(u, v) < 0:
                assert not (_on_seg(c, a, b) or _on_seg(d, a, b)), (a, b, c, d)
    texts = _texts(ax)
    assert "$W_{hn} h_{t-1} + b_{hn}$" in texts and "$W_{xn} x_t + b_{xn}$" in texts
    plt.close(fig)


def _on_seg(p, a, b, tol=1e-6):
    """p lies strictly inside segment a-b (collinear, between the ends)."""
    ab, ap = np.subtract(b, a), np.subtract(p, a)
    if abs(ab[0] * ap[1] - ab[1] * ap[0]) > tol:
        return False
    t = np.dot(ap, ab) / np.dot(ab, ab)
    return tol < t < 1 - tol


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
