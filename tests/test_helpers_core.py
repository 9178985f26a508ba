"""Unit tests of the foundation helpers: validation, numerics, seeding, plotting."""

from __future__ import annotations

import random
import warnings

import ipywidgets as widgets
import numpy as np
import pytest
import torch

from helpers import (
    check_array,
    check_range,
    gradient_check,
    numerical_gradient,
    plotting,
    rel_error,
    seed_all,
)
from helpers.plotting import _DEMOS, figure_png, live_figure, new_figure, sweep_controls
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

    assert draw() == draw()
    with pytest.raises(ValueError, match="non-negative integer"):
        seed_all(-1)
    with pytest.raises(ValueError):
        seed_all(1.5)


# --- plotting and live demos ---------------------------------------------------


def test_figure_png_is_a_png():
    fig, ax = new_figure()
    ax.plot([0, 1], [0, 1])
    data = figure_png(fig)
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 1000


def _demo(update):
    fig, ax = new_figure()
    (line,) = ax.plot([0, 1], [0, 1])
    controls = {
        "w": widgets.FloatSlider(value=1.0, min=-1.0, max=3.0),
        "n": widgets.IntSlider(value=2, min=1, max=9),
    }

    def draw(w, n):
        line.set_ydata(update(w, n))

    live_figure(fig, draw, controls, title="test demo")
    return _DEMOS[-1]


def test_sweep_moves_every_control_to_both_ends_and_the_middle(capsys):
    seen = []
    demo = _demo(lambda w, n: seen.append((w, n)) or [0.0, w])
    records = sweep_controls([demo])
    assert [r["value"] for r in records] == ["-1.0", "3.0", "1.0", "1", "9", "5"]
    assert all(r["error"] is None for r in records)
    assert (3.0, 2) in seen and (1.0, 9) in seen
    assert demo["controls"]["w"].value == 1.0 and demo["controls"]["n"].value == 2


def test_sweep_reports_callback_errors_and_warnings(capsys):
    def fragile(w, n):
        if n == 9:
            raise RuntimeError("boom")
        return [0.0, np.log(w)]  # log of a negative number warns

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the first draw at w=1 is fine; keep the setup quiet
        demo = _demo(fragile)
    records = sweep_controls([demo])
    errors = {(r["control"], r["value"]): r["error"] for r in records if r["error"]}
    assert "RuntimeWarning" in errors[("w", "-1.0")]
    assert "boom" in errors[("n", "9")]


def _busy_demo():
    """A demo whose update changes data, a title, a text, tick labels and limits."""
    fig, (ax, bx) = new_figure(1, 2)
    (line,) = ax.plot(np.arange(5), np.zeros(5))
    note = ax.text(0.5, 0.5, "", transform=ax.transAxes)
    bars = bx.bar(range(3), np.ones(3))
    ax.legend(["line"])

    def update(w, n):
        line.set_ydata(w * np.arange(5))
        ax.set_ylim(min(0, 4 * w) - 1, max(0, 4 * w) + 1)  # limits follow w
        ax.set_title(f"w = {w:.1f}")
        note.set_text("negative" if w < 0 else "")
        for bar in bars:
            bar.set_height(n)
        bx.set_xticks(range(3), [f"{n}{c}" for c in "abc"])  # tick labels follow n

    controls = {
        "w": widgets.FloatSlider(value=1.0, min=-1.0, max=3.0),
        "n": widgets.IntSlider(value=2, min=1, max=9),
    }
    live_figure(fig, update, controls, title="busy demo")
    return _DEMOS[-1]


def test_cached_background_redraws_what_changed(capsys):
    demo = _busy_demo()
    records = sweep_controls([demo])  # compares each picture with one drawn from scratch
    assert len(records) == 6 and all(r["error"] is None for r in records), records
    demo["controls"]["w"].value = -1.0
    before = demo["image"].value
    demo["controls"]["w"].value = 2.5
    assert demo["image"].value != before  # the picture follows the control


def test_sweep_catches_a_stale_background(monkeypatch, capsys):
    demo = _busy_demo()
    monkeypatch.setattr(plotting, "_background_key", lambda fig: "never changes")
    records = sweep_controls([demo])
    stale = [r for r in records if r["error"] and "stale picture" in r["error"]]
    assert stale, "a background that is never redrawn must be reported"


def test_live_figure_rejects_bad_controls():
    fig, _ = new_figure()
    with pytest.raises(TypeError, match="controls: expected a non-empty dict"):
        live_figure(fig, lambda: None, {})


def test_show_source_displays_the_function(capsys):
    show_source(rel_error)
    out = capsys.readouterr().out
    assert "def rel_error" in out
    with pytest.raises(TypeError, match="expected a function"):
        show_source(3)
