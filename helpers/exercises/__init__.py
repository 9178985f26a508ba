"""Every exercise of the course, in one registry.

    from helpers.exercises import EXERCISES
    ex = EXERCISES["04-bptt-loop"]
    ex.check(my_function)   # runs it against the reference, prints a verdict
    ex.hint()               # the next hint, one more each call
    ex.solution()           # the reference (its source) or a worked answer
    progress(4)             # which exercises of notebook 04 passed in this kernel

Ids start with the notebook's number. Each notebook's exercises are defined
in ``nbNN.py`` beside this file, next to nothing else; the references are the
functions that ``helpers`` teaches, so what the checker compares against is
what the notebook shows once the exercise is done.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence

import numpy as np

from ..checking import FAILED, NOT_ATTEMPTED, PASSED, CheckResult, run_cases

EXERCISES: dict = {}
_RESULTS: dict[str, str] = {}  # id -> status of the last check in this kernel


class Exercise:
    """One exercise: a function to write (``reference`` given) or a question to
    think about (``reference`` None, ``answer`` a worked answer in Markdown).

    cases: a function returning ``[(description, args), ...]``; ``check`` calls
        the learner's function and the reference on each (fresh copies).
    mistakes: ``[(what the mistake is, wrong_function), ...]``, classic wrong
        answers. A failing answer that agrees with one of them is told which
        mistake it looks like; the tests check that each one fails.
    checker: for exercises that ``cases`` cannot express, a function
        ``checker(learner) -> CheckResult`` that prints nothing.
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
    ):
        if not (len(id) > 3 and id[:2].isdigit() and id[2] == "-"):
            raise ValueError(f"exercise id: expected 'NN-name', got {id!r}")
        if reference is None and answer is None:
            raise ValueError(f"{id}: a question needs a worked answer")
        if reference is not None and cases is None and checker is None:
            raise ValueError(f"{id}: a coded exercise needs cases or a checker")
        if not hints:
            raise ValueError(f"{id}: give at least one hint")
        self.id, self.title, self.reference = id, title, reference
        self.cases, self.hints, self.answer = cases, list(hints), answer
        self.mistakes, self.rtol, self.atol, self.checker = list(mistakes), rtol, atol, checker
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
            return run_cases(
                self.reference.__name__, learner, self.reference, self.cases(),
                rtol=self.rtol, atol=self.atol, quiet=True,
            )  # fmt: skip

    def _looks_like(self, learner) -> str | None:
        """The description of the first classic mistake that gives the same results."""
        for description, wrong in self.mistakes:
            try:
                if self.checker is not None:
                    continue  # custom checkers diagnose mistakes themselves
                with np.errstate(all="ignore"):
                    same = run_cases("", learner, wrong, self.cases(), quiet=True)
            except Exception:  # noqa: BLE001 - a mistake that cannot run on a case
                continue
            if same:
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
                    f"✗ {self.id}: pass your function itself, e.g. .check({self.reference.__name__}); got {type(answer).__name__}."
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
    for ex in exercises:
        if ex.id in EXERCISES:
            raise ValueError(f"exercise {ex.id} is registered twice")
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


# Each notebook's exercises, in course order (importing a module registers them).
from . import nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08, nb09, nb10, nb11  # noqa: E402, F401

__all__ = ["EXERCISES", "Exercise", "progress", "register"]
