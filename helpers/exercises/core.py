"""The exercise machinery: ``Exercise``, the registry it joins and ``progress``.

Each ``nbNN`` module beside this one imports ``Exercise`` and ``register``
from here; ``helpers.exercises`` imports the ``nbNN`` modules, so nothing
here imports them back.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import io
import sys
from collections.abc import Callable, Sequence

import numpy as np

from ..checking import FAILED, NOT_ATTEMPTED, PASSED, CheckResult, run_cases, same_results

EXERCISES: dict = {}
_RESULTS: dict[str, str] = {}  # id -> status of the last check in this kernel


def _name(fn) -> str:
    """How to call a function in a message: its own name, as the learner wrote it."""
    name = getattr(fn, "__name__", "")
    return name if name.isidentifier() else "your function"


def _outcome(fn, args):
    """What ``fn(*args)`` gives on a fresh copy of ``args``: its result or its error."""
    try:
        with np.errstate(all="ignore"), contextlib.redirect_stdout(io.StringIO()):
            return fn(*copy.deepcopy(args))
    except Exception as exc:  # noqa: BLE001 - compared, not raised
        return exc


def _agree(mine: list, theirs: list) -> bool:
    returned = False
    for a, b in zip(mine, theirs):
        if isinstance(a, Exception) or isinstance(b, Exception):
            if type(a) is not type(b):
                return False
        elif same_results(a, b, 1e-6, 1e-9):
            returned = True
        else:
            return False
    return returned


class Exercise:
    """One exercise: a function to write (``reference`` given) or a question to
    think about (``reference`` None, ``answer`` a worked answer in Markdown).

    cases: a function returning ``[(description, args), ...]``; ``check`` calls
        the learner's function and the reference on each (fresh copies).
    mistakes: ``[(what the mistake is, wrong_function), ...]``, classic wrong
        answers. A failing answer that agrees with one of them on the cases is
        told which mistake it looks like; the tests check that each one fails.
    adapt: ``adapt(fn) -> fn``, applied alike to the learner's function, the
        reference and each mistake before they are compared, when the
        learner's function is called differently from what is compared (keep
        only its first outputs, feed its caches to the backward pass).
    also: ``also(learner) -> message``, one more check once every case passed
        (e.g. against central differences); a message starting with "✓" passes.
    checker: for exercises that ``cases`` cannot express, a function
        ``checker(learner) -> CheckResult`` that prints nothing.
    answer_in: other course functions whose code is this exercise's answer
        (e.g. ``rnn_step_forward`` for a step written without its cache): like
        the reference, a notebook keeps them folded after the exercise.
    """

    def __init__(
        self,
        id: str,
        title: str,
        reference: Callable | None = None,
        cases: Callable[[], Sequence[tuple[str, tuple]]] | None = None,
        hints: Sequence[str] = (),
        answer: str | None = None,
        mistakes: Sequence[tuple[str, Callable]] = (),
        rtol: float = 1e-6,
        atol: float = 1e-9,
        checker: Callable | None = None,
        adapt: Callable[[Callable], Callable] | None = None,
        also: Callable[[Callable], str] | None = None,
        answer_in: Sequence[Callable] = (),
    ):
        if not (len(id) > 3 and id[:2].isdigit() and id[2] == "-"):
            raise ValueError(f"exercise id: expected 'NN-name', got {id!r}")
        if reference is None and answer is None:
            raise ValueError(f"{id}: a question needs a worked answer")
        if reference is not None and (cases is None) == (checker is None):
            raise ValueError(f"{id}: a coded exercise needs cases or a checker (not both)")
        if checker is not None and (adapt or also):
            raise ValueError(f"{id}: adapt and also work on cases; a checker does its own")
        if not hints:
            raise ValueError(f"{id}: give at least one hint")
        self.id, self.title, self.reference = id, title, reference
        self.cases, self.hints, self.answer = cases, list(hints), answer
        self.mistakes, self.rtol, self.atol, self.checker = list(mistakes), rtol, atol, checker
        self.adapt, self.also, self.answer_in = adapt or (lambda fn: fn), also, tuple(answer_in)
        self.module = ""  # the nbNN module that registered it (set by ``register``)
        self._hints_given = 0
        self.passed: Callable | None = None  # the learner's last function that passed

    @property
    def notebook(self) -> int:
        return int(self.id[:2])

    @property
    def is_question(self) -> bool:
        return self.reference is None

    def __repr__(self) -> str:
        kind = "question" if self.is_question else f"write `{self.reference.__name__}`"
        return f"<exercise {self.id}: {self.title} ({kind})>"

    def _run(self, learner) -> CheckResult:
        if self.checker is not None:
            return self.checker(learner)
        with np.errstate(all="ignore"):  # a learner's overflow is reported in the verdict
            result = run_cases(
                _name(learner), self.adapt(learner), self.adapt(self.reference), self.cases(),
                rtol=self.rtol, atol=self.atol, quiet=True,
            )  # fmt: skip
        if result.status == PASSED and self.also is not None:
            try:
                message = self.also(learner)
            except Exception as exc:  # noqa: BLE001 - a learner's error is a verdict
                message = f"✗ raised {type(exc).__name__}: {exc}"
            status = PASSED if message.startswith("✓") else FAILED
            result = CheckResult(result.name, status, result.messages + [message])
        return result

    def _looks_like(self, learner) -> str | None:
        """The description of the first classic mistake that agrees with the
        learner's function on every case (both return the same values, or both
        raise the same kind of error, and on at least one case they return)."""
        if self.cases is None:
            return None  # a custom checker names what is wrong itself
        outcomes = [_outcome(self.adapt(learner), args) for _, args in self.cases()]
        for description, wrong in self.mistakes:
            theirs = [_outcome(self.adapt(wrong), args) for _, args in self.cases()]
            if _agree(outcomes, theirs):
                return description
        return None

    def check(self, answer=None, quiet: bool = False) -> CheckResult:
        """Run the learner's function against the reference and print a verdict.

        Never raises because the answer is wrong, unfinished or crashes; the
        result is truthy only when every case passed.
        """
        if self.is_question:
            result = CheckResult(self.id, NOT_ATTEMPTED, ["a question: compare with .solution()"])
            if not quiet:
                print(
                    f"{self.id} is a question to think about; `.solution()` shows a worked answer."
                )
            return result
        if not callable(answer):
            result = CheckResult(self.id, FAILED, [f"expected your function, got {answer!r}"])
            if not quiet:
                print(
                    f"✗ {self.id}: pass your function itself, without calling it: "
                    f".check(my_function), not .check(my_function(...)); got {type(answer).__name__}."
                )
            return result
        result = self._run(answer)
        _RESULTS[self.id] = result.status
        self.passed = answer if result.status == PASSED else None
        if quiet:
            return result
        n = len(result.messages)
        if result.status == PASSED:
            print(f"✓ {self.id}: correct on all {n} cases. Well done.")
        elif result.status == NOT_ATTEMPTED:
            print(
                f"… {self.id}: not attempted yet. Replace `raise NotImplementedError` with your code and run the cell again (`.hint()` helps)."
            )
        else:
            wrong = [m for m in result.messages if not m.startswith("✓")]
            print(f"✗ {self.id}: {len(wrong)} of {n} cases are wrong.")
            print("\n".join("   " + m for m in result.messages))
            mistake = self._looks_like(answer)
            if mistake:
                print(f"   This looks like a classic mistake: {mistake}")
            print("   `.hint()` gives a hint; `.solution()` shows the answer.")
        return result

    def answer_or(self, fallback: Callable) -> Callable:
        """The learner's function if it passed ``check`` in this kernel, else
        ``fallback`` (the course's), saying which one the next cells use."""
        if self.passed is not None:
            print(f"Using your {self.passed.__name__}: it passed {self.id}.")
            return self.passed
        print(
            f"Using the course's {fallback.__name__}: your answer to {self.id} has not "
            "passed its check yet (run .check on it above)."
        )
        return fallback

    def hint(self) -> None:
        """Print the next hint (the last one again once all have been given)."""
        k = min(self._hints_given, len(self.hints) - 1)
        self._hints_given += 1
        print(f"Hint {k + 1} of {len(self.hints)} for {self.id}: {self.hints[k]}")

    def solution(self) -> None:
        """Show the reference's source (coded) and the worked answer, if any."""
        from IPython.display import Markdown, display

        if self.reference is not None:
            from ..source import show_source

            show_source(self.reference)
        if self.answer:
            display(Markdown(inspect.cleandoc(self.answer)))


def register(*exercises: Exercise) -> None:
    """Add exercises to ``EXERCISES``, remembering the module that registers them."""
    module = sys._getframe(1).f_globals.get("__name__", "")
    for ex in exercises:
        if ex.id in EXERCISES:
            raise ValueError(f"exercise {ex.id} is registered twice")
        ex.module = module
        EXERCISES[ex.id] = ex


def progress(notebook: int | None = None) -> None:
    """Print which exercises (of one notebook, or all) passed in this kernel."""
    chosen = [e for e in EXERCISES.values() if notebook is None or e.notebook == notebook]
    coded = [e for e in chosen if not e.is_question]
    done = [e for e in coded if _RESULTS.get(e.id) == PASSED]
    where = f"notebook {notebook:02d}" if notebook is not None else "the course"
    print(f"{len(done)} of {len(coded)} coded exercises of {where} passed in this session:")
    for e in chosen:
        if e.is_question:
            mark = "?"
            state = "question (see .solution())"
        else:
            state = _RESULTS.get(e.id, "not checked yet")
            mark = {"passed": "✓", "failed": "✗"}.get(state, "·")
        print(f"  {mark} {e.id:28} {e.title} — {state}")
