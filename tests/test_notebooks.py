"""Every notebook: its structure, its saved outputs and size, and its magics.

nbval (configured in pyproject.toml) re-runs the notebooks and compares the
cells marked ``# NBVAL_CHECK_OUTPUT``; ``coursetools.pytest_plugin`` adds to
that same run a last step that moves every control of every live demo to its
extremes (warnings as errors) and fails on any warning shown during the run.
This file covers what a run does not: a cell starting with an unknown magic
passes nbval even when it raises, saved outputs are never inspected, and the
page's layout (no code cell over 30 lines; one estimated time, the README's).
The Colab badge and set-up cell are checked in ``tests/test_colab.py``.
Timings are measured by ``benchmarks/notebooks.py``, not asserted here.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from coursetools.notebooks import (
    ALLOWED_MAGICS,
    MAX_CELL_LINES,
    MAX_NOTEBOOK_BYTES,
    ROOT,
    counted_lines,
    layout,
    notebook_paths,
)

PATHS = notebook_paths()
IDS = [p.name for p in PATHS]
SECTIONS = [
    "what you will learn",
    "prerequisites",
    "estimated time",
    "exercise",
    "summary",
    "references",
]


def load(path):
    return nbformat.read(path, as_version=4)


def test_notebooks_exist():
    assert len(PATHS) >= 1, "no notebooks found under notebooks/"
    numbers = [int(p.name[:2]) for p in PATHS]
    assert numbers == list(range(1, len(PATHS) + 1)), (
        f"notebooks are not numbered 01..NN in order: {IDS}"
    )


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_structure(path):
    nb = load(path)
    first = nb.cells[0]
    title = re.search(r"^# (\d\d) · \S", first.source, re.M)
    assert title and title.group(1) == path.name[:2], "first cell needs a title '# NN · ...'"
    headings = " ".join(
        line.lower()
        for c in nb.cells
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("#") or line.startswith("**")
    )
    missing = [s for s in SECTIONS if s not in headings]
    assert not missing, f"missing sections (as headings or bold lead-ins): {missing}"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_saved_outputs_are_clean(path):
    """Committed with outputs, run top to bottom, no errors and no warnings."""
    nb = load(path)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    counts = [c.execution_count for c in code]
    assert None not in counts, (
        "some code cells were never run in the saved copy: run all, then save"
    )
    assert counts == list(range(1, len(code) + 1)), (
        "execution counts out of order: restart, run all, save"
    )
    for i, cell in enumerate(code):
        for out in cell.outputs:
            assert out.output_type != "error", (
                f"code cell {i + 1} saved with {out.ename}: {out.evalue}"
            )
            if out.output_type == "stream":
                assert not re.search(r"\w+Warning\b", out.text), (
                    f"code cell {i + 1} shows a warning"
                )


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_magics_are_allowed(path):
    """nbval passes a cell whose unknown %magic hides an error: allow only a short list."""
    for cell in load(path).cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            stripped = line.strip()
            if stripped.startswith("!"):
                pytest.fail(f"shell escape in a notebook: {stripped!r}")
            if stripped.startswith("%"):
                magic = stripped.split()[0].lstrip("%")
                assert "%" + magic in ALLOWED_MAGICS, (
                    f"magic {stripped!r} not in {sorted(ALLOWED_MAGICS)}"
                )


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_widget_cells_ignore_output(path):
    for cell in load(path).cells:
        if (
            cell.cell_type == "code"
            and "live_figure(" in cell.source
            and "def live_figure" not in cell.source
        ):
            assert "NBVAL_IGNORE_OUTPUT" in cell.source, (
                f"widget cell needs # NBVAL_IGNORE_OUTPUT:\n{cell.source[:200]}"
            )


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_saved_small_and_without_widget_state(path):
    """Saved through ``python -m coursetools save``: no widget state (JupyterLab shows
    each demo's saved picture without it) and compact pictures."""
    nb = load(path)
    assert "widgets" not in nb.metadata, (
        f"{path.name} carries saved widget state; save it with `python -m coursetools save`"
    )
    size = path.stat().st_size
    assert size <= MAX_NOTEBOOK_BYTES, (
        f"{path.name} is {size / 1e3:.0f} kB (cap {MAX_NOTEBOOK_BYTES / 1e3:.0f} kB): "
        "smaller figures, or save it with `python -m coursetools save`"
    )


def test_counted_lines_leave_out_imports_and_blank_lines():
    cell = "%matplotlib inline\nimport numpy as np\nfrom helpers import (\n    a,\n    b,\n)\n\nx = 1\n# why\n"
    assert counted_lines(cell) == 3  # the magic, x = 1 and the comment
    assert counted_lines("def f(:\n    import os\n") == 2  # unparsable: every line counts
    long = "\n".join(f"x{i} = {i}" for i in range(MAX_CELL_LINES + 1))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(long)])
    assert layout(nb) == {"cells": 1, "lines": 31, "over": [(0, 31)]}
    nb.cells[0].source = 'ex = EXERCISES["01-x"]\n' + long  # an exercise cell may be longer
    assert layout(nb)["over"] == []


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_code_cells_at_most_30_lines(path):
    """A code cell holds what the learner reads or changes; drawing and widget wiring
    live in helpers. `python -m coursetools layout` prints every notebook's count."""
    over = layout(load(path))["over"]
    assert not over, (
        f"{path.name}: code cells over {MAX_CELL_LINES} lines (imports and blank lines "
        f"aside), as (cell index, lines): {over}; move drawing and widget wiring to helpers"
    )


TIME = re.compile(r"(\d+)(?:\s*(?:–|-|to)\s*(\d+))?\s*min", re.I)


def minutes(text: str) -> tuple[int, int] | None:
    """(low, high) of the first "N min", "N–M minutes" or "N to M minutes" in text."""
    match = TIME.search(text)
    return match and (int(match.group(1)), int(match.group(2) or match.group(1)))


def readme_times() -> dict[str, tuple[int, int] | None]:
    """The learning-path table's Time column, by notebook file name."""
    times = {}
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        row = re.match(r"\|\s*\d\d\s*\|.*\(notebooks/(\S+?\.ipynb)\).*\|([^|]*)\|\s*$", line)
        if row:
            times[row.group(1)] = minutes(row.group(2))
    return times


def test_minutes_reads_each_way_a_time_is_written():
    assert minutes("**Estimated time:** 45–60 minutes.") == (45, 60)
    assert minutes("**Estimated time** — 75 to 90 minutes, exercises included.") == (75, 90)
    assert minutes("| 40 min |") == (40, 40)
    assert minutes("about an hour") is None


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_one_estimated_time_as_in_readme(path):
    lines = [
        line
        for cell in load(path).cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if "estimated time" in line.lower()
    ]
    assert len(lines) == 1, f"{path.name} states its estimated time {len(lines)} times: {lines}"
    stated = minutes(lines[0].lower().split("estimated time", 1)[1])
    assert stated, f"{path.name}: no time in minutes in {lines[0]!r}"
    readme = readme_times()
    assert path.name in readme, f"README's learning-path table has no row for {path.name}"
    assert stated == readme[path.name], (
        f"{path.name} says {stated[0]}–{stated[1]} min, README's table "
        f"{readme[path.name]}: state one time, the same in both"
    )
