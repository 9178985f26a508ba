"""Notebooks 02 and 04's diagrams draw what they claim."""

import matplotlib
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Annotation

from helpers.diagrams import draw_bptt_backward, draw_rnn_loop_and_unrolled

matplotlib.use("Agg")


def _texts(ax):
    return [t.get_text() for t in ax.texts if not isinstance(t, Annotation)]


@pytest.mark.parametrize("T", [1, 4, 6])
def test_loop_and_unrolled_counts(T):
    ax = Figure().subplots()
    parts = draw_rnn_loop_and_unrolled(ax, T=T)
    assert len(parts["boxes"]) == 3 + 3 * T  # x, h, y of the loop, then of each step
    assert len(parts["arrows"]) == 3 + 3 * T  # loop: x->h, h->y, h->h; steps: W_hh, W_xh, W_hy
    arrows = [t for t in ax.texts if isinstance(t, Annotation)]
    assert len(arrows) == len(parts["arrows"])
    labels = [t.get_text() for t in parts["weights"]]
    for w in ("$W_{xh}$", "$W_{hh}$", "$W_{hy}$"):  # the same weights on both drawings
        assert labels.count(w) == T + 1, (w, labels)
    texts = _texts(ax)
    assert "$h_t$" in texts and "$x_t$" in texts and "$y_t$" in texts
    assert f"$h_{{{T}}}$" in texts and "$h_0$" in texts and "=" in texts
    ax.figure.canvas.draw()


@pytest.mark.parametrize("T,highlight", [(1, None), (4, 3), (6, 1)])
def test_bptt_backward_counts(T, highlight):
    ax = Figure().subplots()
    parts = draw_bptt_backward(ax, T=T, highlight=highlight)
    assert len(parts["cells"]) == T
    assert len(parts["from_output"]) == T  # dE_t/dh_t into every step
    assert len(parts["from_next"]) == T - 1  # W_hh^T delta_{t+1}: none after the last step
    assert len(parts["to_sum"]) == T  # every step's share goes into the sum
    texts = _texts(ax)
    for k in range(1, T + 1):
        assert f"$\\delta_{{{k}}}$" in texts and f"$E_{{{k}}}$" in texts
    assert sum("W_{hh}^\\top" in t for t in texts) == T - 1
    total = parts["sum"].get_text()
    assert "\\partial W_{hh}" in total and "\\delta_{1} h_{0}^\\top" in total
    assert f"\\delta_{{{T}}} h_{{{T - 1}}}^\\top" in total
    if highlight:  # the highlighted step's incoming arrows are drawn bold
        arrow = parts["from_output"][highlight - 1]
        assert (
            arrow.arrow_patch.get_linewidth()
            > parts["from_output"][0 if highlight > 1 else -1].arrow_patch.get_linewidth()
            or T == 1
        )
    ax.figure.canvas.draw()


@pytest.mark.parametrize("T", [0, 7, 2.5])
def test_diagrams_reject_bad_T(T):
    with pytest.raises((ValueError, TypeError)):
        draw_rnn_loop_and_unrolled(Figure().subplots(), T=T)
    with pytest.raises((ValueError, TypeError)):
        draw_bptt_backward(Figure().subplots(), T=T)


def test_bptt_backward_rejects_bad_highlight():
    with pytest.raises(ValueError, match="highlight"):
        draw_bptt_backward(Figure().subplots(), T=3, highlight=4)
