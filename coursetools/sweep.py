"""Move every control of every live demo to its extremes and its middle.

``record()`` wraps ``helpers.plotting.live_figure`` so that each demo made
afterwards in this kernel is remembered; ``sweep_controls()`` then sets each
control to its minimum, maximum and middle (every option of a dropdown, both
states of a checkbox, awkward texts in a text box) with warnings raised as
errors, and compares each picture shown with one drawn from scratch. The
notebooks never import this: the tests and benchmarks run ``START_CELL`` before
a notebook's first cell and ``END_CELL`` after its last.
"""

from __future__ import annotations

import io
import json
import time
import warnings

import numpy as np

DEMOS: list[dict] = []
WARNINGS: list[str] = []
RESULT_MARK = "SWEEP-RESULT "

START_CELL = "import coursetools.sweep\n\ncoursetools.sweep.record()"
END_CELL = "import coursetools.sweep\n\ncoursetools.sweep.report(strict=True)"
REPORT_CELL = "import coursetools.sweep\n\ncoursetools.sweep.report(strict=False)"  # benchmarks


def record(warnings_too: bool = True) -> None:
    """Remember every live demo made from now on (and every warning shown)."""
    import IPython.display
    import ipywidgets as widgets

    import helpers
    import helpers.plotting as plotting

    original = plotting.live_figure
    if getattr(original, "recorded", False):
        return

    def live_figure(fig, update, controls, title="", relayout=False):
        shown = []
        real_display = IPython.display.display

        def display(*objs, **kw):
            shown.extend(objs)
            return real_display(*objs, **kw)

        IPython.display.display = display
        try:
            original(fig, update, controls, title=title, relayout=relayout)
        finally:
            IPython.display.display = real_display
        bundle = next(o for o in shown if isinstance(o, dict) and "text/plain" in o)
        model_id = bundle["application/vnd.jupyter.widget-view+json"]["model_id"]
        instances = getattr(widgets.widget, "_instances", None)  # ipywidgets 8
        if instances is None:
            instances = widgets.Widget.widgets  # ipywidgets 7
        box = instances[model_id]
        image = next((c for c in box.children if isinstance(c, widgets.Image)), None)
        cache: dict = {}

        def render():  # the picture drawn from scratch, as live_figure would
            if relayout:
                return plotting.figure_png(fig)
            return plotting.render_png(fig, cache, force=True)

        DEMOS.append(
            {
                "title": title,
                "controls": controls,
                "image": image,
                "render": render if fig else None,
            }
        )

    live_figure.recorded = True
    plotting.live_figure = helpers.live_figure = live_figure
    if not warnings_too:
        return

    real_showwarning = warnings.showwarning

    def showwarning(message, category, filename, lineno, file=None, line=None):
        WARNINGS.append(f"{category.__name__}: {message} ({filename}:{lineno})")
        return real_showwarning(message, category, filename, lineno, file, line)

    warnings.showwarning = showwarning


def test_values(control) -> list:
    """The values a sweep sets a control to: both ends and the middle, or every option."""
    import ipywidgets as widgets

    if isinstance(control, widgets.FloatLogSlider):
        lo, hi = control.min, control.max
        return [control.base**lo, control.base**hi, control.base ** ((lo + hi) / 2)]
    if hasattr(control, "options"):
        return [("index", i) for i in range(len(control.options))]
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return [True, False]
    if isinstance(control, (widgets.Text, widgets.Textarea)):
        return ["", "a", "Zoë-Ångström O'Neil", "x" * 300, "12345 !?"]
    if hasattr(control, "min") and hasattr(control, "max"):
        mid = (control.min + control.max) / 2
        if isinstance(control.value, (int, np.integer)) and not isinstance(control.value, bool):
            mid = int(round(mid))
        if isinstance(control.value, tuple):  # range sliders
            return [(control.min, control.min), (control.min, control.max), (mid, mid)]
        return [control.min, control.max, mid]
    return []


def stale_background(demo: dict) -> str | None:
    """Compare the picture shown with one drawn from scratch; a difference means the
    cached background missed a change (see ``helpers.plotting.render_png``)."""
    from PIL import Image

    shown = demo["image"].value
    fresh = demo["render"]()
    if shown == fresh:
        return None
    a, b = (np.asarray(Image.open(io.BytesIO(x)).convert("RGB"), dtype=int) for x in (shown, fresh))
    if a.shape != b.shape:
        return f"stale picture: {a.shape} pixels shown, {b.shape} drawn from scratch"
    differ = int((np.abs(a - b).max(axis=2) > 0).sum())
    return f"stale picture: {differ} pixels differ from a drawing from scratch"


def _set(control, value) -> None:
    """Set a control, firing its observers even when the value does not change."""
    from traitlets import Bunch

    before = control.value
    if isinstance(value, tuple) and value and value[0] == "index":
        control.index = value[1]
    else:
        control.value = value
    if control.value == before:  # no change event: send one, so the demo redraws
        control.notify_change(
            Bunch(name="value", old=before, new=before, owner=control, type="change")
        )


def sweep_controls(demos: list[dict] | None = None) -> list[dict]:
    """Move every control of every recorded demo to its extremes and its middle.

    Warnings are raised as errors, and each picture shown is compared with one
    drawn from scratch (a difference is an error). Returns one record per setting:
    ``{"demo", "control", "value", "seconds", "cpu_seconds", "error"}`` (wall and
    CPU time of the update: on a loaded machine the CPU time is the steadier of
    the two); each control is put back to its first value afterwards.
    """
    records = []
    for k, demo in enumerate(DEMOS if demos is None else demos):
        for name, control in demo["controls"].items():
            original = control.value
            for value in test_values(control):
                start, cpu_start = time.perf_counter(), time.process_time()
                error = None
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("error")
                        _set(control, value)
                except Exception as exc:  # noqa: BLE001 - every failure is reported
                    error = f"{type(exc).__name__}: {exc}"
                seconds = time.perf_counter() - start
                cpu_seconds = time.process_time() - cpu_start
                if error is None and demo.get("render") is not None:
                    error = stale_background(demo)
                records.append(
                    {
                        "demo": demo["title"] or f"demo {k}",
                        "control": name,
                        "value": repr(
                            value[1] if isinstance(value, tuple) and value[0] == "index" else value
                        ),
                        "seconds": seconds,
                        "cpu_seconds": cpu_seconds,
                        "error": error,
                    }
                )
            try:
                control.value = original
            except Exception:  # noqa: BLE001
                pass
    return records


def report(strict: bool = True) -> dict:
    """Sweep every recorded demo and print the result as one JSON line.

    strict: raise an AssertionError naming each failure (a failed cell fails
    the test that runs it) — every warning shown during the run, every control
    setting that raised or warned, every stale picture.
    """
    records = sweep_controls()
    found = {"sweep": records, "warnings": list(WARNINGS)}
    print(RESULT_MARK + json.dumps(found))
    if strict:
        problems = list(WARNINGS)
        problems += [
            f"{r['demo']} / {r['control']} = {r['value']}: {r['error']}"
            for r in records
            if r["error"]
        ]
        if DEMOS and not records:
            problems.append("the notebook shows live demos but no control was moved")
        assert not problems, "\n".join(problems)
    return found
