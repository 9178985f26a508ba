"""Notebook 01's figures: the gate demos paste their legend from its first drawing,
which must give exactly the pixels a normal drawing gives."""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pytest
from PIL import Image

from helpers.figures import nb01
from helpers.perceptron import logic_dataset
from helpers.plotting import figure_png, render_png, use_course_style

matplotlib.use("Agg")

DATASETS = {name: logic_dataset(name) for name in ("AND", "OR", "XOR")}


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)))


@pytest.fixture
def style():
    with matplotlib.rc_context():
        use_course_style()  # as every notebook does; its legends have no frame
        yield


def frames(still: bool) -> list[np.ndarray]:
    """The demo as live_figure draws it: a full first draw, then cached redraws."""
    fig, update = nb01.boundary_demo(DATASETS)
    if not still:  # the legend drawn as a plain legend, every time
        for artist in list(fig.artists):
            artist.remove()
        fig.axes[0].get_legend().set_visible(True)
    update(gate="AND", w1=1.0, w2=1.0, b=-1.5)
    out = [figure_png(fig)]
    fig.set_layout_engine("none")
    cache: dict = {}
    for w1 in (-2.0, 0.0, 2.0):
        update(gate="XOR", w1=w1, w2=1.0, b=-0.5)
        out.append(render_png(fig, cache))
    out.append(render_png(fig, {}, force=True))
    return [pixels(png) for png in out]


def test_still_legend_gives_the_pixels_of_a_drawn_legend(style):
    for k, (a, b) in enumerate(zip(frames(still=True), frames(still=False))):
        assert np.array_equal(a, b), f"frame {k} differs"


def test_still_legend_is_drawn_where_pixels_cannot_be_copied():
    fig, update = nb01.boundary_demo(DATASETS)
    update(gate="AND", w1=1.0, w2=1.0, b=-1.5)
    figure_png(fig)
    fig.set_layout_engine("none")
    legend = fig.axes[0].get_legend()
    assert not legend.get_visible()  # hidden after its first drawing: pasted from then on
    drawn = []
    real_draw = legend.draw
    legend.draw = lambda renderer: drawn.append(renderer) or real_draw(renderer)
    fig.savefig(io.BytesIO(), format="pdf")
    assert drawn and not legend.get_visible()


@pytest.mark.parametrize(
    "w, b, expect_line",
    [
        ((1.0, 1.0), -1.5, True),
        ((0.0, 2.0), -1.0, True),
        ((2.0, 0.0), -1.0, True),
        ((0, 0), 1, False),
    ],
)
def test_boundary_points_lie_on_the_line(w, b, expect_line):
    x1, x2 = nb01.boundary_points(np.array(w), b)
    assert (len(x1) == 2) == expect_line
    if expect_line:
        np.testing.assert_allclose(w[0] * np.asarray(x1) + w[1] * np.asarray(x2) + b, 0, atol=1e-12)
