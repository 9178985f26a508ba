"""Notebook 01's figures."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

from helpers.figures import nb01
from helpers.perceptron import logic_dataset

matplotlib.use("Agg")

DATASETS = {name: logic_dataset(name) for name in ("AND", "OR", "XOR")}


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
