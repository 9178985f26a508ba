"""The course on Binder (repo2docker reads ``binder/``).

Static checks: Binder installs PyTorch's CPU-only wheel (its index named in
``binder/requirements.txt`` and nowhere in what ``.ci/run`` installs, since
that index is unreachable from CI), the rest of the course from the top-level
``requirements.txt``, on a Python the course supports; the README's Binder
badge opens JupyterLab on the first notebook.

Install check: ``binder/requirements.txt`` as Binder reads it (and through it the
top-level ``requirements.txt``) goes into a fresh virtual environment here, every
line as written but one: the CPU-index line, which the static check above holds to
exactly that index and which this machine cannot reach. torch comes from the
2.13.0 CPU build on this machine's disk, chosen by a constraint (``torch==2.13.0``)
that narrows the file's own torch line rather than replacing it, so a torch line
that build does not satisfy fails here too. Then the course's imports and
JupyterLab's widget extension are checked in that environment. uv makes the
environment and installs into it (pip's resolver reads the same requirement
lines; uv does the same work about eight times faster here);
``COURSE_SKIP_INSTALL_TEST=1`` skips it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from coursetools.notebooks import ROOT, copy_course_files, notebook_paths, repo_url

BINDER = ROOT / "binder"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
LOCAL_TORCH = "torch==2.13.0"  # the CPU build on this machine's disk (see .ci/run)
FIRST_NOTEBOOK = "01_perceptron_to_mlp.ipynb"


def binder_lines() -> list[str]:
    lines = (BINDER / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [
        ln.split(" #")[0].strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")
    ]


def test_binder_installs_cpu_torch():
    lines = binder_lines()
    index = [ln for ln in lines if ln.startswith(("--extra-index-url", "--index-url"))]
    assert index == [f"--extra-index-url {CPU_INDEX}"], (
        f"binder/requirements.txt index lines: {index}"
    )
    torch = [ln for ln in lines if re.match(r"torch\b", ln)]
    assert torch, "binder/requirements.txt must ask for torch (from the CPU index)"
    assert "-r ../requirements.txt" in lines, (
        "binder/requirements.txt must include ../requirements.txt"
    )


def test_cpu_index_only_in_binder():
    """CI cannot reach the CPU index (pip would retry for minutes): keep it out of what CI installs."""
    for rel in ["requirements.txt", "requirements-dev.txt", ".ci/run", "pyproject.toml"]:
        path = ROOT / rel
        if path.exists():
            assert "download.pytorch.org" not in path.read_text(encoding="utf-8"), (
                f"{rel} names the PyTorch index"
            )


def test_binder_python_is_supported():
    runtime = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    match = re.fullmatch(r"python-3\.(\d+)", runtime)
    assert match, f"binder/runtime.txt should read like 'python-3.11', got {runtime!r}"
    pyproject = (ROOT / "pyproject.toml").read_text(
        encoding="utf-8"
    )  # (tomllib is not in Python 3.10)
    minimum = re.search(r'requires-python\s*=\s*">=\s*3\.(\d+)', pyproject)
    assert minimum and int(match.group(1)) >= int(minimum.group(1)), (runtime, minimum)


def test_post_build_is_executable():
    post = BINDER / "postBuild"
    if post.exists():
        assert os.access(post, os.X_OK), (
            "binder/postBuild must be executable (git update-index --chmod=+x)"
        )
        assert post.read_text(encoding="utf-8").startswith("#!"), (
            "binder/postBuild needs a shebang line"
        )


def test_readme_binder_badge():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    slug = repo_url().removeprefix("https://github.com/")
    want = f"https://mybinder.org/v2/gh/{slug}/HEAD?urlpath=lab/tree/notebooks/{FIRST_NOTEBOOK}"
    assert want in readme, f"README needs the Binder badge linking to {want}"
    names = [p.name for p in notebook_paths()]
    assert not names or names[0] == FIRST_NOTEBOOK, f"the first notebook is now {names[0]}"


CHECK = """
import json, os, sys
import torch, numpy, matplotlib, ipywidgets, tqdm, jupyterlab, helpers
from helpers.plotting import live_figure
from jupyter_core.paths import jupyter_path
# where `jupyter labextension list` finds prebuilt extensions, in this environment
ext = [d for d in jupyter_path("labextensions") if d.startswith(sys.prefix)
       and os.path.isfile(os.path.join(d, "@jupyter-widgets", "jupyterlab-manager", "package.json"))]
print("RESULT " + json.dumps({
    "torch": torch.__version__, "cuda": torch.version.cuda, "ipywidgets": ipywidgets.__version__,
    "helpers": helpers.__file__, "widgets_extension": ext,
}))
"""


@pytest.mark.slow
@pytest.mark.skipif(
    bool(os.environ.get("COURSE_SKIP_INSTALL_TEST")), reason="COURSE_SKIP_INSTALL_TEST set"
)
def test_binder_requirements_install_in_fresh_venv(tmp_path):
    tree = copy_course_files(tmp_path / "course")
    venv = tmp_path / "venv"
    uv = [sys.executable, "-m", "uv"]
    if subprocess.run([*uv, "--version"], capture_output=True).returncode != 0:
        pytest.skip("uv is not installed (pip install -r requirements-dev.txt)")

    # Where would torch==2.13.0 come from? Only a file on this disk is acceptable.
    probe = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps", "--ignore-installed",
         "--quiet", "--report", "-", LOCAL_TORCH],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    try:
        url = json.loads(probe.stdout)["install"][0]["download_info"]["url"]
    except (ValueError, KeyError, IndexError):
        pytest.skip(f"{LOCAL_TORCH} cannot be resolved here:\n{probe.stderr[-1500:]}")
    if not url.startswith("file:"):
        pytest.skip(f"{LOCAL_TORCH} is not on this machine's disk ({url}); not downloading it")
    wheels = Path(urllib.parse.unquote(urllib.parse.urlparse(url).path)).parent

    real = (tree / "binder" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    offline = [ln for ln in real if ln.split(" #")[0].strip() != f"--extra-index-url {CPU_INDEX}"]
    assert len(offline) == len(real) - 1, "binder/requirements.txt: one CPU-index line expected"
    # beside the real file, so its `-r ../requirements.txt` reads the real top-level file
    (tree / "binder" / "requirements-offline.txt").write_text("\n".join(offline) + "\n")
    (tmp_path / "local-torch.txt").write_text(LOCAL_TORCH + "\n")
    subprocess.run([*uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    python = str(venv / "bin" / "python")
    # repo2docker runs pip from the repository's root
    install = subprocess.run(
        [*uv, "pip", "install", "--quiet", "--python", python, "--find-links", str(wheels),
         "--constraint", str(tmp_path / "local-torch.txt"), "-r", "binder/requirements-offline.txt"],
        cwd=tree, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    assert install.returncode == 0, f"install failed:\n{install.stderr[-4000:]}"
    # no PYTHONPATH: Binder has none, and helpers must come from the install
    check = subprocess.run(
        [python, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, "MPLBACKEND": "Agg"},
    )  # fmt: skip
    line = next((ln for ln in check.stdout.splitlines() if ln.startswith("RESULT ")), None)
    assert check.returncode == 0 and line, check.stdout + check.stderr
    result = json.loads(line.removeprefix("RESULT "))
    assert result["cuda"] is None, f"a CUDA build of torch was installed: {result}"
    assert Path(result["helpers"]).resolve().is_relative_to(tree.resolve()), result
    assert result["widgets_extension"], (
        "JupyterLab's widget extension is missing: widgets would not render"
    )
    assert result["ipywidgets"].startswith("8."), result
