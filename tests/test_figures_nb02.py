"""Notebook 02's sentence demo: the columns given as ``compare`` stay outlined in
orange at every step, and the demo updates from the first step to the last."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import to_hex

from helpers.figures import nb02
from helpers.plotting import COLORS

matplotlib.use("Agg")

TEXT = "she sells sea"
CHARS = sorted(set(TEXT))


def demo(compare=()):
    T, V, H = len(TEXT) - 1, len(CHARS), 4
    rng = np.random.default_rng(0)
    hs_text = np.tanh(rng.normal(size=(T, 1, H)))
    probs = rng.dirichlet(np.ones(V), size=T)
    return nb02.sentence_demo(TEXT, CHARS, hs_text, probs, compare=compare)


def outlined_columns(ax) -> list[float]:
    """Left edges of the dashed orange outlines on the heat map."""
    return sorted(
        patch.get_x()
        for patch in ax.patches
        if patch.get_linestyle() == "--" and to_hex(patch.get_edgecolor()) == COLORS["orange"]
    )


def test_compare_outlines_the_given_steps_throughout():
    fig, update = demo(compare=(5, 9))
    ax_h = fig.axes[0]
    for t in (1, 7, len(TEXT) - 1):
        update(t)
        assert outlined_columns(ax_h) == [3.5, 7.5]  # steps 5 and 9: columns 4 and 8
    ticks = ax_h.get_xticklabels()
    assert [ticks[k].get_text() for k in (4, 8)] == ["s", "s"]
    assert to_hex(ticks[4].get_color()) == COLORS["orange"]
    assert to_hex(ticks[3].get_color()) != COLORS["orange"]
    plt.close(fig)


def test_no_outline_by_default():
    fig, update = demo()
    update(3)
    assert outlined_columns(fig.axes[0]) == []
    plt.close(fig)
