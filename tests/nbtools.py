"""Notebook tooling shared by the tests, the benchmarks and authors.

    python tests/nbtools.py save notebooks/01_*.ipynb   # stamp, run in a fresh kernel, save with outputs
    python tests/nbtools.py stamp notebooks/*.ipynb     # only (re)write the Colab badge and set-up cell

"Stamping" writes the repository address from pyproject.toml (the one place
it is written) into each notebook's Colab badge and Colab set-up cell.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SETUP_MARK = "# Colab set-up"
BADGE_MARK = "colab-badge.svg"
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
# helpers (keeping Colab's own torch and ipywidgets); anywhere else it does nothing.
import sys

if "google.colab" in sys.modules:
    import os
    import subprocess

    REPO, HOME = "{url}", "{folder}"
    if not os.path.isdir(HOME):
        subprocess.run(["git", "clone", "--depth", "1", REPO, HOME], check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "-e", HOME], check=True
    )
    sys.path.insert(0, HOME)
    os.chdir(HOME + "/notebooks")'''


def stamp(nb, name: str) -> None:
    """Put the Colab badge on the first line and the set-up cell first among code cells."""
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
    for i, cell in enumerate(cells):  # stable ids keep diffs small
        cell["id"] = f"cell-{i:03d}"


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


SWEEP_CELL = """
import json as _json
from helpers.plotting import sweep_controls as _sweep
print("SWEEP-RESULT " + _json.dumps(_sweep()))
"""


def run_with_sweep(path: Path) -> dict:
    """Run a notebook in a fresh kernel, then move every control of its live demos.

    Returns {"seconds": run time, "sweep": [records], "errors": [...], "warnings": [...]}.
    """
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(SWEEP_CELL))
    seconds = execute(nb)
    report = {"seconds": seconds, "sweep": [], "errors": [], "warnings": []}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                report["errors"].append(f"cell {i}: {out.ename}: {out.evalue}")
            text = out.get("text", "") if out.output_type == "stream" else ""
            if "SWEEP-RESULT " in text:
                report["sweep"] = json.loads(text.split("SWEEP-RESULT ", 1)[1])
            elif out.get("name") == "stderr" and re.search(r"\w+Warning\b", text):
                report["warnings"].append(f"cell {i}: {text.strip()[:300]}")
    return report


def save(path: Path) -> float:
    """Stamp, run top to bottom in a fresh kernel and save with outputs."""
    nb = nbformat.read(path, as_version=4)
    stamp(nb, path.name)
    seconds = execute(nb)
    nbformat.write(nb, path)
    return seconds


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in {"save", "stamp"}:
        print(__doc__)
        return 2
    for name in argv[1:]:
        path = Path(name)
        if argv[0] == "stamp":
            nb = nbformat.read(path, as_version=4)
            stamp(nb, path.name)
            nbformat.write(nb, path)
            print(f"stamped {path}")
        else:
            print(f"{path}: ran and saved in {save(path):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
