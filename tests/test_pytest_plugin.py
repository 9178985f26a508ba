"""coursetools.pytest_plugin: nbval's run of a notebook is looked at in JupyterLab
(each demo renders and responds) and ends by moving every control; a warning
shown anywhere in the run fails it.

The tests run pytest with the plugin, inside this process, on one small notebook: a
canary with one working demo, one whose callback raises, one widget whose model
is missing, one control whose extreme warns and one cell that warns; its file
holds two saved demo outputs, one with a real picture and one with a broken one.
(That a clean notebook passes every item, the course's own notebooks show.)"""

from __future__ import annotations

import base64
import contextlib
import io
import re
from pathlib import Path

import nbformat
import pytest

from coursetools import numeric_path
from coursetools.browser import unavailable
from coursetools.pytest_plugin import NBVAL_RANGE, check_nbval_version

SETUP = """\
import numpy as np
import ipywidgets as widgets
from IPython.display import display
from helpers import live_figure, new_figure

t = np.linspace(0, 1, 100)


def demo(title, fail):
    fig, ax = new_figure(width=4, height=2)
    (line,) = ax.plot(t, np.sin(2 * np.pi * t))
    ax.set(title=title, xlabel="t", ylabel="y")

    def update(freq):
        if fail and freq != 1.0:
            raise RuntimeError("broken on purpose")
        line.set_ydata(np.sin(2 * np.pi * freq * t))

    slider = widgets.FloatSlider(value=1.0, min=0.5, max=5.0, step=0.1, description="freq")
    live_figure(fig, update, {"freq": slider}, title=title)
"""
WORKS = 'demo("works", fail=False)'
RAISES = 'demo("raises", fail=True)'
NO_MODEL = (
    "display({'application/vnd.jupyter.widget-view+json': "
    "{'model_id': 'no-such-model', 'version_major': 2, 'version_minor': 0}}, raw=True)"
)
LOG_OF_ZERO = """\
fig, ax = new_figure(width=4, height=2)
(curve,) = ax.plot([0, 1], [0, 1])

def update(w):
    curve.set_ydata([0, np.log(w)])  # log of 0 warns: only the sweep reaches w = 0

live_figure(fig, update, {"w": widgets.FloatSlider(value=1.0, min=0.0, max=2.0)}, title="log")
"""
WARNS = "import warnings\nwarnings.warn('careful', UserWarning)"
BROWSER = unavailable()
pytestmark = pytest.mark.slow


def saved_demo_output(png: bytes) -> dict:
    """A demo's output as the course saves it: a widget view, with a PNG fallback."""
    return nbformat.v4.new_output(
        "display_data",
        data={
            "text/plain": "Interactive demo",
            "application/vnd.jupyter.widget-view+json": {
                "model_id": "saved-model", "version_major": 2, "version_minor": 0,
            },
            "image/png": base64.b64encode(png).decode("ascii"),
        },
    )  # fmt: skip


def tiny_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (31, 119, 180)).save(buffer, format="PNG")
    return buffer.getvalue()


def run_nbval(tmp_path, cells, saved_outputs=None, options=()) -> tuple[int, str]:
    """Run pytest with the plugin on a notebook of ``cells``, inside this process (so
    its browser check uses this worker's JupyterLab); returns (exit code, output).

    saved_outputs: ``{cell index: [outputs]}`` stored in the file, as a saved
    notebook holds them (nbval re-runs the cells; the browser's saved view shows these)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    for k, outputs in (saved_outputs or {}).items():
        nb.cells[k].outputs, nb.cells[k].execution_count = outputs, k + 1
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = tmp_path / "canary.ipynb"
    nbformat.write(nb, path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = pytest.main(
            ["-p", "coursetools.pytest_plugin", "--nbval-lax", "--nbval-current-env",
             "-p", "no:cacheprovider", "--capture=sys", "-q", "-rA", "--rootdir", str(tmp_path),
             *options, str(path)]
        )  # fmt: skip
    return int(code), out.getvalue()


@pytest.fixture(scope="module")
def canary(tmp_path_factory):
    code, output = run_nbval(
        tmp_path_factory.mktemp("canary"),
        [SETUP, WORKS, RAISES, NO_MODEL, LOG_OF_ZERO, WARNS],
        # as saved: the working demo's picture is fine, the raising demo's is not a PNG
        saved_outputs={1: [saved_demo_output(tiny_png())], 2: [saved_demo_output(b"not a png")]},
    )
    assert code != 0, output[-3000:]
    return output


def test_sweep_reports_a_bad_control_and_a_warning_in_any_cell(canary):
    assert "every control to its extremes" in canary
    assert "w = 0.0: RuntimeWarning" in canary, canary[-3000:]
    assert "UserWarning: careful" in canary, canary[-3000:]
    assert re.search(r"FAILED .*every control to its extremes", canary), canary[-3000:]


@pytest.mark.skipif(BROWSER is not None, reason=str(BROWSER))
def test_browser_check_reports_exactly_the_broken_demos(canary):
    """The browser check is not vacuous: a callback that raises and a widget that
    cannot render are both reported, and the working demos are not."""
    assert re.search(r"FAILED .*in JupyterLab: every demo renders and responds", canary), canary[
        -3000:
    ]
    problems = [ln[2:] for ln in canary.splitlines() if ln.startswith("- demo")]
    assert not any(p.startswith(("demo 1", "demo 4")) for p in problems), problems
    assert any(p.startswith("demo 2") and "did not change" in p for p in problems), problems
    assert any(p.startswith("demo 3") and "did not render" in p for p in problems), problems
    assert "broken on purpose" in canary, canary[-3000:]
    assert re.search(r"demo 1 \(works\).*the picture changed", canary), canary[-3000:]


@pytest.mark.skipif(BROWSER is not None, reason=str(BROWSER))
def test_browser_check_reports_a_saved_picture_that_does_not_show(canary):
    """Opened as saved, each demo must show its saved PNG: of the two saved demo
    outputs, one has a real picture and one a broken one."""
    saved = {ln[2:] for ln in canary.splitlines() if ln.startswith("- opened as saved")}
    assert saved == {
        "opened as saved, 1 widget outputs show a picture, expected 2 (each demo's saved PNG)"
    }, canary[-3000:]  # a set: with CI set, pytest repeats the message in its summary


def test_executed_notebook_shows_the_run_as_jupyterlab_would():
    """The browser check's copy of a run: outputs by execution, display updates
    applied, cleared outputs gone, a skipped cell left unrun, foreign code passed over."""
    from coursetools.browser import executed_notebook

    v4 = nbformat.v4
    nb = v4.new_notebook(
        cells=[v4.new_code_cell(s) for s in ["a = 1", "skipped()", "b = 2", "c = 3"]]
    )

    def msg(parent, kind, **content):
        return {"parent_header": {"msg_id": parent}, "msg_type": kind, "content": content}

    bar = {"data": {"text/plain": "bar 0 %"}, "metadata": {}, "transient": {"display_id": "d1"}}
    messages = [
        msg("m0", "stream", name="stdout", text="recording\n"),
        msg("m1", "display_data", **bar),
        msg("m1", "update_display_data", **{**bar, "data": {"text/plain": "done in 1 s"}}),
        msg("m3", "stream", name="stdout", text="old\n"),
        msg("m3", "clear_output", wait=False),
        msg("m3", "execute_result", data={"text/plain": "3"}, metadata={}, execution_count=3),
    ]
    executions = [("record()", "m0"), ("a = 1", "m1"), ("b = 2", "m2"), ("c = 3", "m3")]
    cells = executed_notebook(nb, executions, messages).cells
    assert [c.execution_count for c in cells] == [1, None, 2, 3]
    assert [o["data"]["text/plain"] for o in cells[0].outputs] == ["done in 1 s"]
    assert cells[1].outputs == [] and cells[2].outputs == []
    assert [o["output_type"] for o in cells[3].outputs] == ["execute_result"]
    assert nb.cells[0].get("outputs") == []  # the notebook given is left as it was


def expected_on(path: str) -> str:
    """What ``numeric_path.describe()`` prints in a kernel on ``path``, from this
    process (the tests themselves run on the default path)."""
    here = numeric_path.describe()
    if path == "default":
        return here
    torch_capability = "DEFAULT" if path == "alt-torch" else here.rsplit(": ", 1)[1]
    return f"numpy SIMD beyond its baseline: []; PyTorch CPU capability: {torch_capability}"


@pytest.mark.parametrize("path", numeric_path.PATHS)
def test_kernels_run_on_the_numeric_path_asked_for(tmp_path, path):
    """--numeric-path puts nbval's kernel on that path: a pinned cell printing
    which SIMD kernels the kernel's numpy and PyTorch use matches that path's line."""
    cell = "# NBVAL_CHECK_OUTPUT\nfrom coursetools.numeric_path import describe\nprint(describe())"
    output = nbformat.v4.new_output("stream", name="stdout", text=expected_on(path) + "\n")
    code, out = run_nbval(
        tmp_path, [cell], saved_outputs={0: [output]}, options=[f"--numeric-path={path}"]
    )
    assert code == 0, out[-3000:]


def test_another_nbval_stops_the_run_with_a_clear_message():
    low, high = NBVAL_RANGE
    check_nbval_version(".".join(map(str, low)) + ".0")
    for version in ["0.10.0", ".".join(map(str, high)) + ".0", "1.0"]:
        with pytest.raises(pytest.UsageError, match=f"nbval {version} is installed"):
            check_nbval_version(version)


def test_ci_runs_the_readme_test_command():
    """.ci/run runs the suite the way the README tells everyone to, word for word."""
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    command = re.search(r"^python -m pytest.*$", readme, re.M)
    assert command, "README: no `python -m pytest ...` line in a code block"
    ci = (root / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command.group() in ci, f".ci/run does not run {command.group()!r}"
