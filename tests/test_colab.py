"""The course on Google Colab, checked offline.

Every notebook starts with an "Open in Colab" badge for its own path and, as
its first code cell, the set-up cell that ``python -m coursetools stamp`` writes from the
one repository address in ``pyproject.toml``. That cell does nothing outside
Colab. On Colab it clones the course and installs ``helpers`` without touching
Colab's own torch and ipywidgets 7.x. Here Colab is simulated: a fresh virtual
environment whose preinstalled packages stand in for Colab's (the course's
numpy, torch, matplotlib, IPython, plus ipywidgets 7.7 on top), a fake
``google.colab`` module, another working directory, a local git repository in
place of the remote address, and ``/content`` moved to a temporary folder.
Notebooks may use only modules Colab ships and widget classes and arguments
that exist in ipywidgets 7 as well as 8.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest

from coursetools.notebooks import (
    BADGE_MARK,
    ROOT,
    SETUP_MARK,
    colab_badge,
    colab_cell,
    copy_course_files,
    notebook_paths,
    repo_url,
)

PATHS = notebook_paths()
IDS = [p.name for p in PATHS]

# Third-party modules preinstalled on Colab that notebooks and helpers may import.
COLAB_MODULES = {
    "IPython", "PIL", "ipykernel", "ipywidgets", "matplotlib", "matplotlib_inline", "numpy",
    "pandas", "scipy", "sklearn", "torch", "tqdm", "traitlets",
}  # fmt: skip
SETUP_INSTALLS = {"dateparser"}  # installed by the set-up cell (coursetools.notebooks.colab_cell)
# Widget classes of ipywidgets 7.7 (Colab's), read off `import ipywidgets` there.
IPYWIDGETS_7 = {
    "Accordion", "AppLayout", "Audio", "BoundedFloatText", "BoundedIntText", "Box", "Button",
    "ButtonStyle", "Checkbox", "ColorPicker", "Combobox", "Controller", "CoreWidget", "DOMWidget",
    "DatePicker", "Dropdown", "FileUpload", "FloatLogSlider", "FloatProgress", "FloatRangeSlider",
    "FloatSlider", "FloatText", "GridBox", "GridspecLayout", "HBox", "HTML", "HTMLMath", "Image",
    "IntProgress", "IntRangeSlider", "IntSlider", "IntText", "Label", "Layout", "Output",
    "Password", "Play", "RadioButtons", "Select", "SelectMultiple", "SelectionRangeSlider",
    "SelectionSlider", "SliderStyle", "Style", "Tab", "Text", "Textarea", "ToggleButton",
    "ToggleButtons", "ToggleButtonsStyle", "TwoByTwoLayout", "VBox", "Valid", "ValueWidget",
    "Video", "Widget", "interactive", "interact", "interact_manual", "interactive_output",
    "fixed", "jslink", "jsdlink", "link", "dlink",
}  # fmt: skip
COLAB_IPYWIDGETS = "ipywidgets==7.7.*"


def load(path):
    return nbformat.read(path, as_version=4)


def code_of(path: Path) -> str:
    return "\n\n".join(c.source for c in load(path).cells if c.cell_type == "code")


def parse_cells(path: Path) -> list[ast.Module]:
    trees = []
    for cell in load(path).cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(
            ln for ln in cell.source.splitlines() if not ln.lstrip().startswith(("%", "!"))
        )
        trees.append(ast.parse(source))
    return trees


def course_sources() -> list[tuple[str, ast.Module]]:
    """(name, syntax tree) of every notebook cell and every helpers module."""
    out = [(p.name, tree) for p in PATHS for tree in parse_cells(p)]
    out += [
        (f"helpers/{p.name}", ast.parse(p.read_text(encoding="utf-8")))
        for p in (ROOT / "helpers").glob("*.py")
    ]
    return out


def widget_calls(tree: ast.Module) -> list[dict]:
    """Every ``widgets.X(...)`` / ``ipywidgets.X(...)`` call: class name and keyword arguments."""
    calls = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in {"widgets", "ipywidgets"}
        ):
            kwargs = {}
            literal = True
            for kw in node.keywords:
                if kw.arg is None:
                    literal = False
                    continue
                try:
                    kwargs[kw.arg] = ast.literal_eval(kw.value)
                except ValueError:
                    literal = False
                    kwargs[kw.arg] = None
            calls.append(
                {"cls": node.func.attr, "kwargs": kwargs, "literal": literal and not node.args}
            )
    return calls


def widget_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id in {"widgets", "ipywidgets"}:
                names.add(node.attr)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ipywidgets"):
            names.update(a.name for a in node.names)
    return names


# --------------------------------------------------------------------------- static checks


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_badge_points_at_this_notebook(path):
    first = load(path).cells[0]
    assert first.cell_type == "markdown", "the first cell must be markdown with the Colab badge"
    badge = first.source.splitlines()[0]
    assert BADGE_MARK in badge, "the first line of the notebook must be the Colab badge"
    assert badge == colab_badge(path.name), (
        f"stale badge; restamp with `python -m coursetools stamp {path.relative_to(ROOT)}`"
    )
    slug = repo_url().removeprefix("https://github.com/")
    assert badge.endswith(
        f"(https://colab.research.google.com/github/{slug}/blob/main/notebooks/{path.name})"
    )


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_setup_cell_is_the_first_code_cell(path):
    code = [c for c in load(path).cells if c.cell_type == "code"]
    assert code, "no code cells"
    assert code[0].source.startswith(SETUP_MARK), (
        "the first code cell must be the Colab set-up cell"
    )
    same = ast.dump(ast.parse(code[0].source)) == ast.dump(ast.parse(colab_cell()))
    assert same, f"stale set-up cell; restamp: python -m coursetools stamp {path.relative_to(ROOT)}"
    others = [i for i, c in enumerate(code[1:], 2) if SETUP_MARK in c.source]
    assert not others, f"a second set-up cell at code cells {others}"
    hidden = code[0].metadata.get("jupyter", {}).get("source_hidden")
    assert hidden, (
        f"the set-up cell is not collapsed; restamp: python -m coursetools stamp {path.relative_to(ROOT)}"
    )


def test_setup_cell_is_ruff_formatted(tmp_path):
    """Stamping and ``ruff format`` must agree, or each undoes the other."""
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -r requirements-dev.txt)")
    cell = tmp_path / "cell.py"
    cell.write_text(colab_cell() + "\n")
    run = subprocess.run(
        [ruff, "format", "--check", "--diff", "--config", str(ROOT / "pyproject.toml"), str(cell)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr


def test_setup_cell_keeps_colab_packages():
    """On Colab the cell installs helpers and dateparser with --no-deps: Colab's torch and ipywidgets stay."""
    cell = colab_cell()
    pip_lines = [ln for ln in cell.splitlines() if '"pip"' in ln]
    assert pip_lines and all('"--no-deps"' in ln for ln in pip_lines), pip_lines
    code = [ln for ln in cell.splitlines() if not ln.lstrip().startswith("#")]
    assert not [ln for ln in code if "torch" in ln or "ipywidgets" in ln or "requirements" in ln]
    assert cell.count(repo_url()) == 1, "the repository address appears once, from pyproject.toml"


def test_readme_colab_badge():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    slug = repo_url().removeprefix("https://github.com/")
    assert f"https://colab.research.google.com/github/{slug}/blob/main/notebooks/" in readme, (
        "README needs an Open-in-Colab badge pointing at the repository in pyproject.toml"
    )


def test_imports_are_on_colab():
    """Notebooks and helpers import only the standard library, helpers and what Colab ships."""
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    missing = {}
    for name, tree in course_sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                mods = [node.module]
            else:
                continue
            for mod in mods:
                top = mod.split(".")[0]
                if top not in stdlib | COLAB_MODULES | SETUP_INSTALLS | {"helpers", "google"}:
                    missing.setdefault(top, set()).add(name)
    assert not missing, (
        "imports Colab does not ship (install them in the set-up cell, or add to COLAB_MODULES "
        f"after checking): { {k: sorted(v) for k, v in missing.items()} }"
    )


def test_widget_classes_exist_in_ipywidgets7():
    used = {}
    for name, tree in course_sources():
        for cls in widget_names(tree):
            used.setdefault(cls, set()).add(name)
    unknown = {
        k: sorted(v) for k, v in used.items() if k not in IPYWIDGETS_7 and not k.startswith("_")
    }
    assert not unknown, f"widget classes missing from ipywidgets 7.x (Colab): {unknown}"


# --------------------------------------------------------------------------- running the cell


INERT = """
import os, subprocess, sys
before = (list(sys.path), os.getcwd())
def refuse(*a, **k):
    raise AssertionError(f"the set-up cell acted outside Colab: {a}")
subprocess.run = subprocess.Popen = os.chdir = os.system = refuse
exec(compile(CELL, "setup-cell", "exec"), {})
after = (list(sys.path), os.getcwd())
assert before == after, (before, after)
print("inert")
"""


def test_setup_cell_does_nothing_outside_colab(tmp_path):
    script = f"CELL = {colab_cell()!r}\n" + INERT
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0 and run.stdout.strip() == "inert", run.stdout + run.stderr


def make_remote(tmp: Path) -> Path:
    """A git repository with the course's files (committed or not, ignored ones left
    out): what the real address would serve."""
    remote = copy_course_files(tmp / "remote")
    git = [
        "git",
        "-c",
        "user.name=test",
        "-c",
        "user.email=test@localhost",
        "-c",
        "init.defaultBranch=main",
    ]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "course"]):
        subprocess.run(git + args, cwd=remote, check=True, capture_output=True)
    return remote


def make_colab_python(tmp: Path) -> Path:
    """A fresh venv standing in for Colab's Python: the course's third-party packages
    play Colab's preinstalled ones (no helpers among them), ipywidgets 7.7 on top."""
    venv = tmp / "colab-python"
    uv = [sys.executable, "-m", "uv"]  # a fresh venv with pip, as Colab's Python has
    if subprocess.run([*uv, "--version"], capture_output=True).returncode != 0:
        pytest.skip("uv is not installed (pip install -r requirements-dev.txt)")
    subprocess.run(
        [*uv, "venv", "--quiet", "--seed", "--python", sys.executable, str(venv)],
        check=True, capture_output=True,
    )  # fmt: skip
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    Path(purelib, "colab_preinstalled.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip = subprocess.run(
        [*uv, "pip", "install", "--quiet", "--python", str(python), "--no-deps",
         COLAB_IPYWIDGETS, "ipython_genutils"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if pip.returncode != 0:
        pytest.skip(
            f"cannot install {COLAB_IPYWIDGETS} to simulate Colab here:\n{pip.stderr[-1500:]}"
        )
    return python


SIMULATE = """
import json, os, sys, types, warnings
sys.modules["google"] = types.ModuleType("google")
sys.modules["google.colab"] = types.ModuleType("google.colab")
start_cwd = os.getcwd()
code = compile(CELL, "setup-cell", "exec")
exec(code, {})
exec(code, {})  # run twice: a learner re-running the cell must not break anything
import helpers
import ipywidgets as widgets
import coursetools.sweep
coursetools.sweep.record()
from helpers.plotting import live_figure, new_figure
from coursetools.sweep import sweep_controls

# The notebooks' own widget calls, made with ipywidgets 7, warnings as errors.
problems = []
for call in CALLS:
    cls = getattr(widgets, call["cls"], None)
    if cls is None:
        problems.append(f"{call['cls']}: no such class in ipywidgets {widgets.__version__}")
        continue
    if call["literal"]:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                cls(**call["kwargs"])
        except Exception as exc:
            problems.append(f"{call['cls']}(**{call['kwargs']}): {type(exc).__name__}: {exc}")
    else:
        known = set(cls.class_trait_names()) | {"layout", "style"}
        problems += [f"{call['cls']}: no argument {k!r}" for k in call["kwargs"] if k not in known]

# live_figure with every kind of control the course uses, moved to its extremes.
fig, ax = new_figure()
(line,) = ax.plot([0, 1], [0, 1])
def update(a, n, s, choice, mode, flag, text):
    line.set_ydata([0, a * n * s])
    return f"{choice} {mode} {flag} {text}"
live_figure(fig, update, {
    "a": widgets.FloatSlider(value=1.0, min=-1.0, max=1.0),
    "n": widgets.IntSlider(value=1, min=1, max=5),
    "s": widgets.FloatLogSlider(value=1.0, min=-2, max=2),
    "choice": widgets.Dropdown(options=["x", "y"]),
    "mode": widgets.ToggleButtons(options=["p", "q"]),
    "flag": widgets.Checkbox(value=False),
    "text": widgets.Text(value="hi"),
}, title="ipywidgets 7")
sweep = sweep_controls()
problems += [f"sweep {r['control']}={r['value']}: {r['error']}" for r in sweep if r["error"]]
print("RESULT " + json.dumps({
    "helpers": helpers.__file__, "cwd": os.getcwd(), "start_cwd": start_cwd,
    "ipywidgets": widgets.__version__, "path0": sys.path[0], "problems": problems,
    "swept": len(sweep),
}))
"""


def pip_freeze(python: Path) -> set[str]:
    out = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=freeze"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {ln for ln in out.splitlines() if ln and not ln.lower().startswith("rnn-course-helpers")}


@pytest.mark.slow
def test_setup_cell_on_simulated_colab(tmp_path):
    """The set-up cell, as Colab runs it: clone, install helpers, cd into notebooks/."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    remote = make_remote(tmp_path)
    python = make_colab_python(tmp_path)
    content = tmp_path / "content"
    content.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cell = colab_cell()
    home = "/content/" + repo_url().rsplit("/", 1)[-1]
    assert cell.count(f'"{repo_url()}"') == 1 and cell.count(f'"{home}"') == 1, cell
    cell = cell.replace(f'"{repo_url()}"', repr(str(remote))).replace(
        f'"{home}"', repr(str(content / "course"))
    )
    calls = [c for p in PATHS for tree in parse_cells(p) for c in widget_calls(tree)]

    # Colab's Python has no PYTHONPATH to this checkout: helpers must come from the clone
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(MPLBACKEND="Agg", PYTHONNOUSERSITE="1")
    before = pip_freeze(python)
    run = subprocess.run(
        [str(python), "-c", f"CELL = {cell!r}\nCALLS = {json.dumps(calls)!r}\nCALLS = __import__('json').loads(CALLS)\n" + SIMULATE],
        cwd=elsewhere, capture_output=True, text=True, timeout=600,
        env=env,
    )  # fmt: skip
    line = next((ln for ln in run.stdout.splitlines() if ln.startswith("RESULT ")), None)
    assert run.returncode == 0 and line, (
        f"the set-up cell failed on simulated Colab:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    )
    result = json.loads(line.removeprefix("RESULT "))
    clone = content / "course"
    assert (clone / ".git").is_dir(), "the course was not cloned"
    assert Path(result["helpers"]).resolve().is_relative_to(clone.resolve()), result
    assert Path(result["cwd"]).resolve() == (clone / "notebooks").resolve(), result
    assert result["ipywidgets"].startswith("7."), result
    assert not result["problems"], "\n".join(result["problems"])
    assert result["swept"] >= 14, result
    assert pip_freeze(python) == before, "the set-up cell changed Colab's own packages"
    # a fresh process (a restarted Colab runtime) imports the installed helpers from anywhere
    again = subprocess.run(
        [str(python), "-c", "import helpers, sys; print(helpers.__file__)"],
        cwd=elsewhere, capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert Path(again.stdout.strip()).resolve().is_relative_to(clone.resolve()), again.stdout
