"""The course style, live demos and the control sweep (coursetools.sweep)."""

from __future__ import annotations

import warnings

import ipywidgets as widgets
import numpy as np
import pytest

from coursetools import sweep
from helpers import plotting
from helpers.plotting import figure_png, new_figure

sweep.record(warnings_too=False)  # remember the demos made here


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

    plotting.live_figure(fig, draw, controls, title="test demo")
    return sweep.DEMOS[-1]


def test_sweep_moves_every_control_to_both_ends_and_the_middle(capsys):
    seen = []
    demo = _demo(lambda w, n: seen.append((w, n)) or [0.0, w])
    records = sweep.sweep_controls([demo])
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
    records = sweep.sweep_controls([demo])
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
    plotting.live_figure(fig, update, controls, title="busy demo")
    return sweep.DEMOS[-1]


def test_cached_background_redraws_what_changed(capsys):
    demo = _busy_demo()
    records = sweep.sweep_controls([demo])  # compares each picture with one drawn from scratch
    assert len(records) == 6 and all(r["error"] is None for r in records), records
    demo["controls"]["w"].value = -1.0
    before = demo["image"].value
    demo["controls"]["w"].value = 2.5
    assert demo["image"].value != before  # the picture follows the control


def test_sweep_catches_a_stale_background(monkeypatch, capsys):
    demo = _busy_demo()
    monkeypatch.setattr(plotting, "_background_key", lambda fig: "never changes")
    records = sweep.sweep_controls([demo])
    stale = [r for r in records if r["error"] and "stale picture" in r["error"]]
    assert stale, "a background that is never redrawn must be reported"


def test_live_figure_rejects_bad_controls():
    fig, _ = new_figure()
    with pytest.raises(TypeError, match="controls: expected a non-empty dict"):
        plotting.live_figure(fig, lambda: None, {})


def _pixels(png: bytes) -> np.ndarray:
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def test_a_legend_is_drawn_once_and_laid_over_each_update():
    plotting.use_course_style()
    fig, ax = new_figure()
    x = np.linspace(0, 6, 200)
    (line,) = ax.plot(x, np.sin(x), label="sin")
    ax.plot(x, np.cos(x), label="cos")
    legend = ax.legend()  # loc="best": fixed where the first drawing puts it
    first = figure_png(fig)
    fig.set_layout_engine("none")
    plotting.fix_best_legends(fig)
    cache: dict = {}
    assert np.abs(_pixels(plotting.render_png(fig, cache)) - _pixels(first)).max() <= 2
    drawn = []
    real_draw = legend.draw
    legend.draw = lambda renderer: drawn.append(1) or real_draw(renderer)
    for phase in (0.5, 1.0, 3.0):  # the line moves under the legend's place
        line.set_ydata(np.sin(x + phase))
        cached = plotting.render_png(fig, cache)
    assert drawn == []  # the legend was not drawn again
    fresh = _pixels(figure_png(fig))
    assert np.abs(_pixels(cached) - fresh).max() <= 2  # same picture, to a rounding step
    drawn.clear()
    legend.get_texts()[0].set_text("sine")  # a changed legend is drawn anew
    relabelled = plotting.render_png(fig, cache)
    assert drawn == [1]
    assert np.abs(_pixels(relabelled) - _pixels(figure_png(fig))).max() <= 2


def test_texts_drawn_from_cached_glyphs_give_matplotlibs_pixels():
    """``figure_png`` draws a text it drew before from the glyph images it blended
    then; the picture must be the one plain matplotlib draws (mathtext, rotated and
    accented text included), and the PNG must decode to the canvas's pixels."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    def make():
        fig, ax = new_figure()
        ax.plot([0, 1], [0, 1], label="Zoë's $\\tanh(W_{hh} h_{t-1})$")
        ax.set(title="Ångström $\\sum_t \\delta_t$", xlabel="$x_1$", ylabel="rotated ylabel")
        ax.text(0.5, 0.5, "diagonal", rotation=30)
        ax.legend()
        return fig

    plotting.use_course_style()
    plain = FigureCanvasAgg(make())
    plain.draw()
    want = np.asarray(plain.buffer_rgba())[..., :3].astype(int)
    for _ in range(2):  # the second drawing replays the cached glyphs
        fig = make()
        got = _pixels(figure_png(fig))
        assert np.array_equal(got, want)
        canvas = fig.canvas
        assert np.array_equal(got, np.asarray(canvas.buffer_rgba())[..., :3].astype(int))
