"""The code learners are shown (``show_source``) reads like the math: input
checks run where a learner enters, through ``helpers.validate.checked`` (the
decorator line names them), never inside the body a learner reads; no check
inside the per-step functions of the recurrent cells; and a training loop shows
the loop, with progress bars and timing kept around it, not inside it."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import textwrap

import nbformat
import pytest

import helpers
from coursetools.notebooks import notebook_paths

CHECKS = re.compile(r"^(check_array|check_range|check_params|_check\w*)$")
STEP_FUNCTIONS = [
    "rnn_step_forward",
    "rnn_step_backward",
    "lstm_step_forward",
    "lstm_step_backward",
    "gru_step_forward",
    "gru_step_backward",
]


def helper_functions() -> dict[str, list]:
    """Every function defined in a helpers module, by name."""
    found: dict[str, list] = {}
    modules = [helpers] + [
        importlib.import_module(m.name) for m in pkgutil.walk_packages(helpers.__path__, "helpers.")
    ]
    for module in modules:
        for name, obj in vars(module).items():
            if inspect.isfunction(obj) and obj.__module__ == module.__name__:
                found.setdefault(name, []).append(obj)
    return found


FUNCTIONS = helper_functions()


def shown_names() -> list[str]:
    names = set()
    for path in notebook_paths():
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                names |= set(re.findall(r"show_source\(\s*(\w+)\s*\)", cell.source))
    return sorted(n for n in names if n in FUNCTIONS)


def calls_in(node) -> list[str]:
    return [
        c.func.id if isinstance(c.func, ast.Name) else c.func.attr
        for c in ast.walk(node)
        if isinstance(c, ast.Call) and isinstance(c.func, (ast.Name, ast.Attribute))
    ]


def test_notebooks_show_helper_code():
    assert len(shown_names()) >= 20, shown_names()


@pytest.mark.parametrize("name", shown_names())
def test_no_input_check_inside_a_loop(name):
    for fn in FUNCTIONS[name]:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
        for loop in (n for n in ast.walk(tree) if isinstance(n, (ast.For, ast.While))):
            checks = [c for c in calls_in(loop) if CHECKS.match(c)]
            assert not checks, f"{fn.__module__}.{name} checks its input inside a loop: {checks}"


@pytest.mark.parametrize("name", STEP_FUNCTIONS)
def test_step_functions_are_plain(name):
    (fn,) = FUNCTIONS[name]
    checks = [
        c for c in calls_in(ast.parse(textwrap.dedent(inspect.getsource(fn)))) if CHECKS.match(c)
    ]
    assert not checks, f"{name} validates its inputs at every step: {checks}"


# Calls that are bookkeeping, not the idea: they belong around a shown function.
BOOKKEEPING = re.compile(r"^(perf_counter|monotonic|process_time|tqdm|ProgressBar|set_postfix)$")


def body_calls(fn) -> list[str]:
    """The calls in the body of ``fn`` as a learner is shown it (decorators left out)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    (node,) = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    return [c for stmt in node.body for c in calls_in(stmt)]


@pytest.mark.parametrize("name", shown_names())
def test_shown_body_holds_no_input_check(name):
    for fn in FUNCTIONS[name]:
        checks = [c for c in body_calls(fn) if CHECKS.match(c)]
        assert not checks, (
            f"{fn.__module__}.{name}, shown to learners, checks its inputs in its body "
            f"({checks}): move them into a check function given to @checked"
        )


@pytest.mark.parametrize("name", shown_names())
def test_shown_body_holds_no_bookkeeping(name):
    for fn in FUNCTIONS[name]:
        extra = [c for c in body_calls(fn) if BOOKKEEPING.match(c)]
        assert not extra, (
            f"{fn.__module__}.{name}, shown to learners, times or reports progress in its "
            f"body ({extra}): keep the loop the text teaches and wrap the bookkeeping around it"
        )
