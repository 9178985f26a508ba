"""coursetools.pytest_plugin: nbval's run of a notebook ends by moving every
control, and fails on a warning shown anywhere in the run."""

from __future__ import annotations

import subprocess
import sys

import nbformat

DEMO = """\
import ipywidgets as widgets
import numpy as np
from helpers import live_figure, new_figure

fig, ax = new_figure()
(line,) = ax.plot([0, 1], [0, 1])

def update(w):
    line.set_ydata([0, np.log(w)])  # log of 0 warns: only the sweep reaches w = 0

live_figure(fig, update, {"w": widgets.FloatSlider(value=1.0, min=0.0, max=2.0)})
"""


def run_nbval(tmp_path, cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    path = tmp_path / "canary.ipynb"
    nbformat.write(nb, path)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "coursetools.pytest_plugin", "--nbval-lax",
         "--nbval-current-env", "-p", "no:cacheprovider", "-q", "--rootdir", str(tmp_path), str(path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_sweep_runs_after_the_last_cell_and_reports_a_bad_control(tmp_path):
    run = run_nbval(tmp_path, [DEMO])
    assert run.returncode != 0, run.stdout
    assert "every control to its extremes" in run.stdout
    assert "w = 0.0: RuntimeWarning" in run.stdout, run.stdout[-3000:]


def test_a_warning_in_any_cell_fails_the_run(tmp_path):
    run = run_nbval(tmp_path, ["import warnings\nwarnings.warn('careful', UserWarning)", "x = 1"])
    assert run.returncode != 0, run.stdout
    assert "UserWarning: careful" in run.stdout, run.stdout[-3000:]


def test_a_clean_notebook_passes(tmp_path):
    run = run_nbval(tmp_path, [DEMO.replace("np.log(w)", "w")])
    assert run.returncode == 0, run.stdout[-3000:]
    assert "3 passed" in run.stdout
