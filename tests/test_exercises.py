"""The exercise registry: every checker passes its reference, reports the
untouched stub as not attempted and fails each classic mistake; every
exercise is set in its notebook before its reference is shown there."""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from pathlib import Path

import nbformat
import pytest

import helpers.exercises
from coursetools.notebooks import notebook_paths
from helpers.checking import FAILED, NOT_ATTEMPTED, PASSED
from helpers.exercises import EXERCISES

CODED = [e for e in EXERCISES.values() if not e.is_question]


def _stub(*args, **kwargs):
    raise NotImplementedError


def test_registry_covers_the_course():
    numbers = {int(p.name[:2]) for p in notebook_paths()}
    assert len(EXERCISES) >= 30, f"{len(EXERCISES)} exercises registered"
    for n in sorted(numbers):
        coded = [e.id for e in CODED if e.notebook == n]
        assert len(coded) >= 2, f"notebook {n:02d} has {len(coded)} coded exercises: {coded}"
    assert list(EXERCISES) == sorted(EXERCISES, key=lambda i: int(i[:2])), "not in course order"


@pytest.mark.parametrize("ex", CODED, ids=lambda e: e.id)
def test_reference_passes_and_stub_is_not_attempted(ex, capsys):
    assert ex.check(ex.reference).status == PASSED
    assert ex.check(_stub).status == NOT_ATTEMPTED
    assert "not attempted" in capsys.readouterr().out


# What a verdict says when the mistake's own results cannot be reproduced to compare with.
SAYS_WHY = ("This looks like a classic mistake", "global random state", "called again")


@pytest.mark.parametrize("ex", CODED, ids=lambda e: e.id)
def test_classic_mistakes_fail(ex, capsys):
    assert len(ex.mistakes) >= 3, f"{ex.id}: test against at least three plausible wrong answers"
    for description, wrong in ex.mistakes:
        result = ex.check(wrong)
        assert result.status == FAILED, f"{ex.id}: the mistake '{description}' passed"
        out = capsys.readouterr().out
        assert "✗" in out
        if ex.cases is not None:  # a custom checker words its own verdicts
            assert any(s in out for s in SAYS_WHY), f"{ex.id}: '{description}' is not named:\n{out}"


@pytest.mark.parametrize("ex", list(EXERCISES.values()), ids=lambda e: e.id)
def test_hints_and_solution(ex, capsys):
    for _ in range(len(ex.hints) + 1):
        ex.hint()
    out = capsys.readouterr().out
    assert f"Hint {len(ex.hints)} of {len(ex.hints)}" in out
    ex.solution()  # shows the source or the worked answer without error
    if ex.is_question:
        assert ex.answer and len(ex.answer) > 40
    else:  # the idea, then which block, shape or axis, then the code
        assert len(ex.hints) >= 3, f"{ex.id}: a ladder of at least three hints"


def test_each_exercise_lives_in_its_notebooks_module():
    for ex in EXERCISES.values():
        assert ex.module == f"helpers.exercises.nb{ex.id[:2]}", f"{ex.id} is in {ex.module}"


def _package_imports() -> dict[str, set[str]]:
    """Which modules of helpers/exercises each one imports (``__init__`` for
    ``from . import name`` where name is not a module)."""
    folder = Path(helpers.exercises.__file__).parent
    modules = {p.stem for p in folder.glob("*.py")}
    graph = {}
    for name in modules:
        edges = set()
        for node in ast.walk(ast.parse((folder / f"{name}.py").read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    edges.add(node.module.split(".")[0])
                else:
                    edges |= {a.name if a.name in modules else "__init__" for a in node.names}
        graph[name] = edges
    return graph


def test_no_import_cycle_in_the_exercises_package():
    graph = _package_imports()
    assert graph["__init__"] >= {f"nb{n:02d}" for n in range(1, 11)} | {"core"}
    for start in graph:
        reached, todo = set(), list(graph[start])
        while todo:  # every module reachable from start
            name = todo.pop()
            if name not in reached:
                reached.add(name)
                todo.extend(graph.get(name, ()))
        assert start not in reached, (
            f"helpers/exercises/{start}.py is imported back by what it imports: {sorted(reached)}"
        )


def _shows(source: str, name: str) -> bool:
    """True when a cell shows ``name``'s code: show_source(name) or a real def."""
    if re.search(rf"show_source\(\s*{name}\s*\)", source):
        return True
    for match in re.finditer(rf"^def {name}\(.*?(?=^\S|\Z)", source, re.M | re.S):
        if "NotImplementedError" not in match.group(0):
            return True
    return False


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.name[:2])
def test_no_reference_shown_before_its_exercise(path):
    nb = nbformat.read(path, as_version=4)
    sources = [c.source for c in nb.cells]
    for ex in EXERCISES.values():
        if ex.notebook != int(path.name[:2]):
            continue
        where = [i for i, s in enumerate(sources) if f'"{ex.id}"' in s or f"'{ex.id}'" in s]
        assert where, f"{ex.id} is registered but never set in {path.name}"
        if ex.reference is None:
            continue
        for name in [fn.__name__ for fn in (ex.reference, *ex.answer_in)]:
            shown = [i for i, s in enumerate(sources[: where[0]]) if _shows(s, name)]
            assert not shown, (
                f"{path.name}: cell {shown[0]} shows {name} before exercise {ex.id} (cell {where[0]})"
            )


def _normalised(text: str) -> str:
    """Code or prose with no whitespace, one kind of quote, and ``params["W_xh"]``
    read as ``W_xh`` (the notation of the prose)."""
    text = re.sub(r"\s+", "", text).replace('"', "'")
    return re.sub(r"\w+\['(\w+)'\]", r"\1", text)


def _answer_lines(fn) -> set[str]:
    """The distinctive lines of a function's body (normalised): the right-hand
    side of each assignment and of each return (and of each returned item)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    values = []
    for node in ast.walk(tree.body[0]):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.Return)) and node.value is not None:
            values.append(node.value)
            if isinstance(node.value, (ast.Tuple, ast.Dict)):
                items = node.value.elts if isinstance(node.value, ast.Tuple) else node.value.values
                values += items
    lines = set()
    for value in values:
        call = ast.unparse(value.func) if isinstance(value, ast.Call) else ""
        line = _normalised(ast.unparse(value))
        if len(line) >= 20 and not re.match(r"_?check", call.split(".")[-1]):
            lines.add(line)
    return lines


def _shown_by_show_source(source: str) -> set[str]:
    """The names a cell passes to show_source, directly or through a loop."""
    names = set(re.findall(r"show_source\(\s*(\w+)\s*\)", source))
    for var, items in re.findall(r"for (\w+) in [(\[]([^)\]]*)[)\]]:", source):
        if var in names:
            names |= {n.strip() for n in items.split(",") if n.strip()}
    return names


def _visible_text(cell) -> str:
    """What a reader sees of a cell without expanding anything."""
    meta = cell.metadata.get("jupyter", {})
    if cell.cell_type == "markdown":
        return re.sub(r"<details>.*?</details>", "", cell.source, flags=re.S)
    if cell.cell_type != "code":
        return ""
    parts = [] if meta.get("source_hidden") else [cell.source]
    if not meta.get("outputs_hidden"):
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            data = out.get("data", {})
            parts += [data.get("text/plain", ""), data.get("text/markdown", "")]
    return "\n".join(p if isinstance(p, str) else "".join(p) for p in parts)


def _answers_given_away(nb, ex) -> list[str]:
    """Cells after ``ex``'s exercise cell that show its answer without being asked."""
    cells = nb.cells
    start = next(i for i, c in enumerate(cells) if f'"{ex.id}"' in c.source)
    functions = [ex.reference, *ex.answer_in]
    names = {fn.__name__ for fn in functions}
    lines = set().union(*(_answer_lines(fn) for fn in functions))
    problems = []
    for i in range(start + 1, len(cells)):
        cell = cells[i]
        if cell.cell_type == "code" and not cell.metadata.get("jupyter", {}).get("outputs_hidden"):
            shown = sorted(names & _shown_by_show_source(cell.source))
            if shown:
                problems.append(
                    f"cell {i} shows {', '.join(shown)} (the answer to {ex.id}, cell {start}) "
                    "with its output visible: set its metadata jupyter.outputs_hidden = true "
                    "(and say above it to expand the output once you have tried)"
                )
                continue
        text = _normalised(_visible_text(cell))
        found = sorted(line for line in lines if line in text)
        if found:
            where = (
                "markdown outside <details>" if cell.cell_type == "markdown" else "code or output"
            )
            problems.append(
                f"cell {i} ({where}) gives away the answer to {ex.id} (cell {start}): {found[0]}"
            )
    return problems


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.name[:2])
def test_answers_wait_until_asked(path):
    """After a coded exercise nothing visible gives its answer away: the course's
    version is shown folded (outputs_hidden), and prose stating it sits in <details>."""
    nb = nbformat.read(path, as_version=4)
    problems = []
    for ex in CODED:
        if ex.notebook == int(path.name[:2]):
            problems += _answers_given_away(nb, ex)
    assert not problems, "\n".join(f"{path.name}: {p}" for p in problems)


def test_answers_wait_sees_what_a_reader_sees():
    """The check above on a made-up notebook: folded answers pass, visible ones do not."""
    ex = EXERCISES["02-rnn-step"]
    cells = [
        nbformat.v4.new_code_cell('ex = EXERCISES["02-rnn-step"]'),
        nbformat.v4.new_markdown_cell(
            "<details><summary>Answer</summary>`h = np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)`"
            "</details>"
        ),
        nbformat.v4.new_code_cell("show_source(rnn_step_forward)"),
    ]
    cells[2].metadata["jupyter"] = {"outputs_hidden": True}
    nb = nbformat.v4.new_notebook(cells=cells)
    assert _answers_given_away(nb, ex) == []
    cells.append(
        nbformat.v4.new_markdown_cell("It reads `h = np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)`.")
    )
    cells.append(
        nbformat.v4.new_code_cell("for f in (rnn_forward, rnn_step_forward):\n    show_source(f)")
    )
    cells.append(
        nbformat.v4.new_code_cell("h = np.tanh(x @ p['W_xh'].T + h @ p['W_hh'].T + p['b_h'])")
    )
    problems = _answers_given_away(nb, ex)
    assert [p.split(" (")[0].split(" shows")[0] for p in problems] == ["cell 3", "cell 4"]
    assert "markdown outside <details>" in problems[0] and "rnn_step_forward" in problems[1]


def test_answer_or_uses_the_learners_function_only_once_it_passed(capsys):
    ex = EXERCISES["02-rnn-step"]
    ex.check(ex.reference, quiet=True)
    assert ex.answer_or(len) is ex.reference
    assert "Using your" in capsys.readouterr().out

    def broken(x, h_prev, params):
        raise NotImplementedError

    ex.check(broken, quiet=True)
    assert ex.answer_or(len) is len
    assert "has not passed" in capsys.readouterr().out
