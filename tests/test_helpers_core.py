"""Unit tests of the foundation helpers: validation, numerics, seeding, show_source."""

from __future__ import annotations

import inspect
import os
import random

import numpy as np
import pytest
import torch

from helpers import (
    check_array,
    check_range,
    gradient_check,
    numerical_gradient,
    rel_error,
    seed_all,
)
from helpers.source import show_source

# --- validation ---------------------------------------------------------------


def test_check_array_names_expected_and_actual_shape():
    dims = {}
    check_array(np.zeros((5, 2, 3)), "xs", ("T", "B", "D"), dims)
    with pytest.raises(ValueError, match=r"h0: expected shape \(B=2, H\).*got \(3, 4\)"):
        check_array(np.zeros((3, 4)), "h0", ("B", "H"), dims)
    with pytest.raises(ValueError, match=r"expected 3 dimensions.*got 2 with shape \(5, 2\)"):
        check_array(np.zeros((5, 2)), "xs", ("T", "B", "D"))
    with pytest.raises(ValueError, match=r"W: expected shape \(4, 3\), got \(3, 4\)"):
        check_array(np.zeros((3, 4)), "W", (4, 3))


def test_check_array_rejects_wrong_types():
    with pytest.raises(TypeError, match="expected a floating-point array.*got dtype int64"):
        check_array(np.zeros(3, dtype=np.int64), "x")
    with pytest.raises(TypeError, match="got a torch.Tensor"):
        check_array(torch.zeros(3), "x")
    with pytest.raises(TypeError, match="expected a numpy array, got str"):
        check_array("abc", "x")
    assert check_array([1, 2], "x").dtype == np.float64


def test_check_range():
    assert check_range(0.5, "w", 0, 1) == 0.5
    with pytest.raises(ValueError, match=r"w: expected a value in \[0, 1\], got 2"):
        check_range(2, "w", 0, 1)
    with pytest.raises(TypeError, match="T: expected an integer, got 2.5"):
        check_range(2.5, "T", 1, 10, integer=True)
    with pytest.raises(ValueError, match="finite"):
        check_range(float("nan"), "w")
    with pytest.raises(TypeError):
        check_range("3", "w")


# --- numerics -----------------------------------------------------------------


def test_rel_error():
    a = np.array([1.0, -2.0, 3.0])
    assert rel_error(a, a) == 0.0
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0
    assert rel_error(a, a + np.array([0, 0, 3e-6])) == pytest.approx(1e-6, rel=1e-4)
    assert rel_error(torch.tensor(a), a) == 0.0
    with pytest.raises(ValueError, match=r"shapes differ, got \(3,\) and \(2,\)"):
        rel_error(a, a[:2])


def test_numerical_gradient_matches_known_gradient_and_leaves_input_alone():
    rng = np.random.default_rng(0)
    params = {"A": rng.normal(size=(3, 2)), "B": rng.normal(size=(3, 2))}
    before = {k: v.copy() for k, v in params.items()}

    def f(p):
        return float(np.sum(np.sin(p["A"]) * p["B"]))

    num = numerical_gradient(f, params)
    assert rel_error(num["A"], np.cos(params["A"]) * params["B"]) < 1e-9
    assert rel_error(num["B"], np.sin(params["A"])) < 1e-9
    for k in params:
        np.testing.assert_array_equal(params[k], before[k])


def test_gradient_check_catches_a_wrong_gradient():
    params = {"w": np.array([0.3, -1.2, 2.0])}

    def f(p):
        return float(np.sum(p["w"] ** 3))

    good = {"w": 3 * params["w"] ** 2}
    bad = {"w": -3 * params["w"] ** 2}
    assert gradient_check(f, params, good)["w"] < 1e-8
    assert gradient_check(f, params, bad)["w"] > 0.5
    with pytest.raises(ValueError, match="eps"):
        numerical_gradient(f, params, eps=0)
    with pytest.raises(TypeError, match="params: expected a dict"):
        numerical_gradient(f, [1.0])


# --- reproducibility ----------------------------------------------------------


def test_seed_all_makes_every_generator_repeat():
    def draw():
        rng = seed_all(7)
        return random.random(), np.random.rand(), rng.normal(), torch.rand(1).item()  # noqa: NPY002

    environ = dict(os.environ)
    assert draw() == draw()
    assert dict(os.environ) == environ, "seed_all changes the environment (it cannot seed hashing)"
    with pytest.raises(ValueError, match="non-negative integer"):
        seed_all(-1)
    with pytest.raises(ValueError):
        seed_all(1.5)


def test_show_source_displays_the_function(capsys):
    show_source(rel_error)
    out = capsys.readouterr().out
    assert "def rel_error" in out
    with pytest.raises(TypeError, match="expected a function"):
        show_source(3)


def test_checked_runs_the_check_once_and_passes_converted_arguments():
    from helpers.validate import check_array, checked

    seen = []

    def check(x, scale=2.0):
        seen.append(scale)
        return {"x": check_array(x, "x", ("N",))}

    @checked(check)
    def double(x, scale=2.0):
        """Doc kept."""
        return x * scale

    assert double([1.0, 2.0]).tolist() == [2.0, 4.0]  # the list arrived as an array
    assert seen == [2.0]
    assert double.__doc__ == "Doc kept."
    with pytest.raises(ValueError, match=r"x: expected 1 dimensions"):
        double(np.zeros((2, 2)))
    assert "check_array" not in inspect.getsource(double).split("def double")[1]
