"""Notebook tooling shared by the tests, the benchmarks and authors.

    python -m coursetools save notebooks/01_*.ipynb   # stamp, run in a fresh kernel, clean, save
    python -m coursetools clean notebooks/*.ipynb     # only clean what is saved (no run)
    python -m coursetools stamp notebooks/*.ipynb     # only (re)write the Colab badge and set-up cell
    python -m coursetools layout                      # code lines per notebook, cells over the cap

"Stamping" writes the repository address from pyproject.toml (the one place
it is written) into each notebook's Colab badge and Colab set-up cell.
"Cleaning" drops the saved widget state (JupyterLab shows each demo's saved
PNG without it) and re-encodes every PNG output compactly (a 256-colour
palette where that changes no pixel visibly, else an optimised RGB PNG).
Saving always cleans, so a notebook saved this way stays small.
"""

from __future__ import annotations

import ast
import base64
import io
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
MAX_NOTEBOOK_BYTES = 600_000  # a test holds every notebook to this
SETUP_MARK = "# Colab set-up"
BADGE_MARK = "colab-badge.svg"
MAX_CELL_LINES = 30  # a code cell's lines, imports and blank lines aside (tests/test_notebooks.py)
ALLOWED_MAGICS = {
    "%matplotlib",
    "%config",
}  # nbval passes a cell whose unknown magic hides an error


def repo_url() -> str:
    """The course repository's address, from ``[project.urls] Repository`` in pyproject.toml."""
    text = (ROOT / "pyproject.toml").read_text()  # no tomllib: it needs Python 3.11
    match = re.search(r'^Repository\s*=\s*"([^"]+)"', text, re.M)
    if not match:
        raise RuntimeError("pyproject.toml: [project.urls] needs a Repository address")
    return match.group(1).rstrip("/")


def copy_course_files(dest: Path) -> Path:
    """A copy of the course's files (as a fresh clone would have them, plus uncommitted work)."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split("\0")  # fmt: skip
    for rel in filter(None, files):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


def notebook_paths() -> list[Path]:
    return sorted(p for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def colab_badge(name: str) -> str:
    slug = repo_url().removeprefix("https://github.com/")
    return (
        f"[![Open In Colab](https://colab.research.google.com/assets/{BADGE_MARK})]"
        f"(https://colab.research.google.com/github/{slug}/blob/main/notebooks/{name})"
    )


def colab_cell() -> str:
    """The set-up cell's code, laid out as ``ruff format`` leaves it (so formatting a
    notebook does not change it, and restamping does not undo the formatting)."""
    url = repo_url()
    folder = "/content/" + url.rsplit("/", 1)[-1]
    return f'''{SETUP_MARK}: on Google Colab this fetches the course and installs its
# helpers and dateparser (notebook 11's baseline), keeping Colab's own torch and
# ipywidgets; anywhere else it does nothing.
import sys

if "google.colab" in sys.modules:
    import os
    import subprocess

    REPO, HOME = "{url}", "{folder}"
    EXTRA = ["dateparser", "tzlocal"]  # their other needs (regex, dateutil, pytz) ship with Colab
    if not os.path.isdir(HOME):
        subprocess.run(["git", "clone", "--depth", "1", REPO, HOME], check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "-e", HOME, *EXTRA],
        check=True,
    )
    sys.path.insert(0, HOME)
    os.chdir(HOME + "/notebooks")'''


def stamp(nb, name: str) -> None:
    """Put the Colab badge on the first line and the set-up cell, collapsed, first among
    code cells."""
    cells = nb.cells
    if not cells or cells[0].cell_type != "markdown":
        cells.insert(0, nbformat.v4.new_markdown_cell(""))
    lines = [ln for ln in cells[0].source.splitlines() if BADGE_MARK not in ln]
    while lines and not lines[0].strip():
        lines.pop(0)
    cells[0].source = colab_badge(name) + "\n\n" + "\n".join(lines)
    setup = [
        i for i, c in enumerate(cells) if c.cell_type == "code" and c.source.startswith(SETUP_MARK)
    ]
    first_code = next((i for i, c in enumerate(cells) if c.cell_type == "code"), len(cells))
    if setup != [first_code] or cells[first_code].source != colab_cell():
        for i in reversed(setup):  # missing, moved or out of date: write it anew
            del cells[i]
        first_code = next((i for i, c in enumerate(cells) if c.cell_type == "code"), len(cells))
        cells.insert(first_code, nbformat.v4.new_code_cell(colab_cell()))
    # the set-up cell is plumbing: JupyterLab shows it collapsed, one click away
    cells[first_code].metadata.setdefault("jupyter", {})["source_hidden"] = True
    for i, cell in enumerate(cells):  # stable ids keep diffs small
        cell["id"] = f"cell-{i:03d}"


def counted_lines(source: str) -> int:
    """The lines of a code cell that count toward ``MAX_CELL_LINES``: not blank and
    not part of an import statement (a parenthesised import counts as imports)."""
    lines = source.splitlines()
    python = "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in lines)
    imports = set()
    try:
        tree = ast.parse(python)
    except SyntaxError:
        tree = None
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.update(range(node.lineno, node.end_lineno + 1))
    return sum(1 for i, ln in enumerate(lines, 1) if ln.strip() and i not in imports)


def exempt_from_cap(source: str) -> bool:
    """Exercise cells and the Colab set-up cell may be longer than ``MAX_CELL_LINES``."""
    return "EXERCISES[" in source or source.startswith(SETUP_MARK)


def layout(nb) -> dict:
    """{"cells": code cells, "lines": their counted lines in all,
    "over": [(cell index in nb.cells, counted lines)] of the capped cells over the cap}."""
    code = [(i, c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    counts = [(i, counted_lines(src), exempt_from_cap(src)) for i, src in code]
    return {
        "cells": len(code),
        "lines": sum(n for _, n, _ in counts),
        "over": [(i, n) for i, n, exempt in counts if n > MAX_CELL_LINES and not exempt],
    }


def print_layout(paths) -> int:
    """Print each notebook's code-cell count and lines, and its cells over the cap."""
    print(
        f"{'notebook':42} {'code cells':>10} {'lines':>6}  cells over {MAX_CELL_LINES} lines (index: lines)"
    )
    over = 0
    for path in paths:
        found = layout(nbformat.read(path, as_version=4))
        over += len(found["over"])
        cells = ", ".join(f"{i}: {n}" for i, n in found["over"]) or "-"
        print(f"{Path(path).name:42} {found['cells']:10d} {found['lines']:6d}  {cells}")
    print(
        f"{over} cells over {MAX_CELL_LINES} lines (imports, blank lines, exercise cells and the Colab set-up cell aside)"
    )
    return over


def execute(nb, timeout: int = 900, env: dict | None = None):
    """Run every cell of ``nb`` in a fresh kernel started in notebooks/; returns seconds."""
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        record_timing=False,
    )
    start = time.perf_counter()
    client.execute(env=env) if env else client.execute()
    return time.perf_counter() - start


def run_with_sweep(path: Path) -> dict:
    """Run a notebook in a fresh kernel, then move every control of its live demos.

    Returns {"seconds": run time, "sweep": [records], "errors": [...], "warnings": [...]}.
    """
    from .sweep import REPORT_CELL, RESULT_MARK, START_CELL

    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(START_CELL))
    nb.cells.append(nbformat.v4.new_code_cell(REPORT_CELL))
    seconds = execute(nb)
    report = {"seconds": seconds, "sweep": [], "errors": [], "warnings": []}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                report["errors"].append(f"cell {i}: {out.ename}: {out.evalue}")
            text = out.get("text", "") if out.output_type == "stream" else ""
            if RESULT_MARK in text:
                found = json.loads(text.split(RESULT_MARK, 1)[1].splitlines()[0])
                report["sweep"], report["warnings"] = found["sweep"], found["warnings"]
    return report


def compact_png(data: bytes) -> bytes:
    """A smaller PNG of the same picture: a 256-colour palette when that is visually
    lossless (mean channel error under 0.5 of 255), else an optimised RGB PNG."""
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    rgb = image.convert("RGB")
    candidates = []
    palette = rgb.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    error = abs(np.asarray(palette.convert("RGB"), dtype=np.int16) - np.asarray(rgb, np.int16))
    if error.mean() < 0.5:
        candidates.append(palette)
    candidates.append(rgb)
    best = data
    for candidate in candidates:
        buf = io.BytesIO()
        candidate.save(buf, format="png", optimize=True)
        if len(buf.getvalue()) < len(best):
            best = buf.getvalue()
    return best


def clean(nb) -> None:
    """Drop saved widget state and execution timing, and make every PNG output compact."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for out in cell.get("outputs", []):
            png = out.get("data", {}).get("image/png")
            if png:
                raw = base64.b64decode(png)
                out["data"]["image/png"] = base64.b64encode(compact_png(raw)).decode("ascii")


def save(path: Path) -> float:
    """Stamp, run top to bottom in a fresh kernel, clean and save with outputs."""
    nb = nbformat.read(path, as_version=4)
    stamp(nb, path.name)
    seconds = execute(nb)
    clean(nb)
    nbformat.write(nb, path)
    return seconds


def main(argv: list[str]) -> int:
    if argv[:1] == ["layout"]:
        print_layout([Path(a) for a in argv[1:]] or notebook_paths())
        return 0
    if len(argv) < 2 or argv[0] not in {"save", "stamp", "clean"}:
        print(__doc__)
        return 2
    for name in argv[1:]:
        path = Path(name)
        if argv[0] == "stamp":
            nb = nbformat.read(path, as_version=4)
            stamp(nb, path.name)
            nbformat.write(nb, path)
            print(f"stamped {path}")
        elif argv[0] == "clean":
            nb = nbformat.read(path, as_version=4)
            stamp(nb, path.name)
            clean(nb)
            nbformat.write(nb, path)
            print(f"cleaned {path}: {path.stat().st_size / 1e3:.0f} kB")
        else:
            seconds = save(path)
            print(
                f"{path}: ran in {seconds:.1f} s, saved {path.stat().st_size / 1e3:.0f} kB",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
