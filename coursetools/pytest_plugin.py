"""A pytest plugin: nbval's run of each notebook also moves every control.

nbval re-runs every notebook cell by cell in one kernel. This plugin adds one
item before the first cell (``coursetools.sweep.record``: remember each live
demo and each warning) and one after the last (``coursetools.sweep.report``:
move every control of every demo to its extremes and middle, with warnings as
errors, and compare each picture with one drawn from scratch). It fails when a
warning was shown anywhere in the run or a control setting failed. So each
notebook runs once for both checks. Enabled in pyproject.toml
(``-p coursetools.pytest_plugin``). With pytest-xdist, ``--dist loadfile``
keeps all of a notebook's items, in order, on one worker and its kernel, and
each worker (and its kernels) gets one BLAS thread.
"""

from __future__ import annotations

import os
from collections import defaultdict

import nbformat

from .sweep import END_CELL, START_CELL


def pytest_configure(config):
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        # Several workers, each a kernel: one BLAS/OpenMP thread apiece instead of
        # every process claiming every core (on 2 cores that stalls numpy's BLAS).
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(name, "1")
    try:
        from nbval.plugin import IPyNbCell, IPyNbFile
    except ImportError:  # nbval not installed: nothing to extend
        return
    if getattr(IPyNbFile, "_course_sweep", False):
        return
    collect = IPyNbFile.collect

    def collect_with_sweep(self):
        cells = list(collect(self))

        def item(name, source, num):
            options = defaultdict(bool, check=False)
            cell = nbformat.v4.new_code_cell(source)
            return IPyNbCell.from_parent(self, name=name, cell_num=num, cell=cell, options=options)

        items = [
            item("record demos and warnings", START_CELL, -1),
            *cells,
            item("every control to its extremes, no warnings", END_CELL, len(cells)),
        ]
        return items

    IPyNbFile.collect = collect_with_sweep
    IPyNbFile._course_sweep = True
