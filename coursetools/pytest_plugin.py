"""A pytest plugin: nbval's run of each notebook is also looked at in a browser
and ends by moving every control.

nbval re-runs every notebook cell by cell in one kernel. This plugin adds one
item before the first cell (``coursetools.sweep.record``: remember each live
demo and each warning) and, after the last:

* for a notebook with interactive demos, the browser check
  (``coursetools.browser.LiveLab.check``): JupyterLab in headless Chromium
  opens the notebook with the outputs of this run, attached to this run's
  kernel, and checks that every demo renders and that its picture responds to a
  dragged slider;
* the sweep (``coursetools.sweep.report``): move every control of every demo to
  its extremes and middle, with warnings as errors, and compare each picture
  with one drawn from scratch. It fails when a warning was shown anywhere in
  the run (the browser's moves included) or a control setting failed.

So each notebook runs once for all three checks. nbval's kernels run on the
numeric path chosen by ``--numeric-path`` (``alt`` in pyproject.toml, see
``coursetools.numeric_path``): the saved outputs come from the default path, so
every run compares each pinned output across two numeric paths.

It extends nbval 0.11 through its classes (``IPyNbFile.collect``,
``RunningKernel``), which are not a public interface: ``NBVAL_RANGE`` is the
range tested (requirements.txt asks for the same), and another nbval stops the
run with a message saying so. Enabled in pyproject.toml
(``-p coursetools.pytest_plugin``). With pytest-xdist, ``--dist loadfile``
keeps all of a notebook's items, in order, on one worker and its kernel; each
worker starts one Chromium and one JupyterLab server, the first time it needs
them, and each worker (and its kernels) gets one BLAS thread.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

import nbformat
import pytest

from . import numeric_path
from .sweep import END_CELL, START_CELL

# The nbval releases whose internals this plugin extends (as in requirements.txt).
NBVAL_RANGE = ((0, 11), (0, 12))

BROWSER_ITEM = "in JupyterLab: every demo renders and responds"
# This process's LiveLab, started by the first browser check. It belongs to the
# first pytest session of the process ("owner"); a session run inside that one
# (the canary of tests/test_pytest_plugin.py) uses it and leaves it running.
_LIVE: dict = {}


class BrowserProblems(Exception):
    """What a learner would see go wrong in JupyterLab."""


class BrowserCheck(pytest.Item):
    """The notebook as nbval just ran it, in JupyterLab, on nbval's kernel."""

    def runtest(self):
        from . import browser

        live = live_lab()
        nbfile = self.parent
        kernel = nbfile.kernel
        executed = browser.executed_notebook(
            nbfile.nb,
            getattr(kernel, "course_executions", []),
            getattr(kernel, "course_messages", []),
        )
        source = Path(str(nbfile.fspath))
        browser.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        info = kernel.km.get_connection_info()
        problems, notes = live.check(source, executed, info, browser.SCREENSHOTS)
        print(f"{source.name}:\n  " + "\n  ".join(notes))
        if problems:
            raise BrowserProblems(
                f"{source.name} as a learner sees it in JupyterLab "
                f"(screenshots in {browser.SCREENSHOTS}):\n- "
                + "\n- ".join(problems)
                + "\n"
                + "\n".join(notes)
            )

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, BrowserProblems):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, f"{self.path.name}::{self.name}"


def live_lab():
    """This process's LiveLab (started on first use), or a skip saying why there is none."""
    from . import browser

    if "lab" not in _LIVE:
        _LIVE["why"] = browser.unavailable()
        _LIVE["lab"] = None
        if _LIVE["why"] is None:
            base = Path(tempfile.mkdtemp(prefix="course-lab-"))
            _LIVE["base"] = base
            try:
                _LIVE["lab"] = browser.LiveLab(base)
            except Exception as exc:  # noqa: BLE001 - every browser check reports it
                _LIVE["why"] = f"JupyterLab in Chromium did not start: {type(exc).__name__}: {exc}"
                raise
    if _LIVE["lab"] is None:
        if _LIVE["why"].startswith("browser check skipped"):
            pytest.skip(_LIVE["why"])
        raise RuntimeError(_LIVE["why"])
    return _LIVE["lab"]


def pytest_unconfigure(config):
    if hasattr(config, "course_outer_env"):
        from nbval.kernel import RunningKernel

        RunningKernel.course_env = config.course_outer_env
    if _LIVE.get("owner") is not config:
        return
    del _LIVE["owner"]
    live = _LIVE.pop("lab", None)
    if live is not None:
        live.stop()
    if "base" in _LIVE:
        shutil.rmtree(_LIVE.pop("base"), ignore_errors=True)


def pytest_collection_modifyitems(session, config, items):
    """Longest work first, so the run does not end with one long file on one core
    (with ``--no-loadscope-reorder``, pytest-xdist hands out files in this order):
    the tests marked ``slow`` (each builds an environment or runs pytest), then the
    notebooks from the last (which train real models) to the first, then the rest.
    Each file's items keep their order."""

    def key(item):
        path = Path(str(item.path))
        if item.get_closest_marker("slow"):
            return (0, 0)
        if path.suffix == ".ipynb":
            number = re.match(r"\d+", path.name)
            return (1, -int(number.group()) if number else 0)
        return (2, 0)

    items.sort(key=key)


def pytest_addoption(parser):
    parser.addoption(
        "--numeric-path",
        choices=numeric_path.PATHS,
        default="default",
        help="numeric path of nbval's kernels: 'alt' turns numpy's CPU-specific SIMD kernels "
        "off (pyproject.toml sets it), 'alt-torch' PyTorch's too, 'default' uses what the CPU "
        "offers, as `python -m coursetools save` does (see coursetools/numeric_path.py)",
    )


def check_nbval_version(version: str) -> None:
    """Stop with a clear message on an nbval outside ``NBVAL_RANGE``."""
    low, high = NBVAL_RANGE
    parts = tuple(int(p) for p in re.findall(r"\d+", version)[:2])
    if not low <= parts < high:
        raise pytest.UsageError(
            f"nbval {version} is installed; coursetools.pytest_plugin extends nbval's classes "
            f"and is tested with nbval >= {'.'.join(map(str, low))}, < "
            f"{'.'.join(map(str, high))}: pip install -r requirements.txt (or update the "
            "plugin and NBVAL_RANGE together)"
        )


def pytest_configure(config):
    _LIVE.setdefault("owner", config)
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        # Several workers, each a kernel: one BLAS/OpenMP thread apiece instead of
        # every process claiming every core (on 2 cores that stalls numpy's BLAS).
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(name, "1")
    try:
        from nbval.kernel import RunningKernel
        from nbval.plugin import IPyNbCell, IPyNbFile
    except ImportError:  # nbval not installed: nothing to extend
        return
    from importlib.metadata import version

    check_nbval_version(version("nbval"))
    # nbval starts each notebook's kernel in RunningKernel(); it inherits this
    # process's environment, so the numeric path is set just for that moment.
    # (A session run inside another, like the canary's, restores the outer one's at its end.)
    config.course_outer_env = getattr(RunningKernel, "course_env", {})
    RunningKernel.course_env = numeric_path.environment(config.getoption("numeric_path"))
    if getattr(IPyNbFile, "_course_sweep", False):
        return
    collect = IPyNbFile.collect

    def collect_with_checks(self):
        from .browser import uses_widgets

        cells = list(collect(self))

        def item(name, source, num):
            options = defaultdict(bool, check=False)
            cell = nbformat.v4.new_code_cell(source)
            return IPyNbCell.from_parent(self, name=name, cell_num=num, cell=cell, options=options)

        items = [item("record demos and warnings", START_CELL, -1), *cells]
        if uses_widgets(self.nb):
            items.append(BrowserCheck.from_parent(self, name=BROWSER_ITEM))
        items.append(item("every control to its extremes, no warnings", END_CELL, len(cells)))
        return items

    IPyNbFile.collect = collect_with_checks

    # The browser check shows the run's outputs as JupyterLab would have: it
    # needs every message, also those nbval passes over (display updates).
    get_message, execute = RunningKernel.get_message, RunningKernel.execute_cell_input

    def get_message_logged(self, stream, timeout=None):
        msg = get_message(self, stream, timeout=timeout)
        if stream == "iopub":
            self.__dict__.setdefault("course_messages", []).append(msg)
        return msg

    def execute_logged(self, cell_input, allow_stdin=None):
        msg_id = execute(self, cell_input, allow_stdin=allow_stdin)
        self.__dict__.setdefault("course_executions", []).append((cell_input, msg_id))
        return msg_id

    start = RunningKernel.__init__

    def start_on_numeric_path(self, *args, **kwargs):
        saved = {name: os.environ.get(name) for name in RunningKernel.course_env}
        os.environ.update(RunningKernel.course_env)
        try:
            start(self, *args, **kwargs)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value

    RunningKernel.__init__ = start_on_numeric_path
    RunningKernel.get_message = get_message_logged
    RunningKernel.execute_cell_input = execute_logged
    IPyNbFile._course_sweep = True
