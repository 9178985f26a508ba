"""Exercise checkers: run a learner's function against the reference on
several inputs and say plainly what matched and what did not.

Each notebook's checkers are small functions built on ``run_cases``;
they live beside the reference implementation they compare against.
"""

from __future__ import annotations

import contextlib
import copy
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

PASSED, FAILED, NOT_ATTEMPTED = "passed", "failed", "not attempted"


@dataclass
class CheckResult:
    """What a checker found. ``status`` is "passed", "failed" or "not attempted";
    ``bool(result)`` is True only when it passed. The verdict is printed by the
    checker, so the result itself shows nothing in a notebook."""

    name: str
    status: str
    messages: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.status == PASSED

    def _ipython_display_(self) -> None:  # printed already
        pass


def _as_tuple(out):
    return out if isinstance(out, tuple) else (out,)


def _compare(got, want, rtol: float, atol: float) -> str | None:
    """None when ``got`` matches ``want``; otherwise what differs, in words."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return f"expected a dict with keys {sorted(want)}, got {type(got).__name__}"
        missing = sorted(set(want) - set(got))
        if missing:
            return f"the result is missing keys {missing}"
        for key in want:
            problem = _compare(got[key], want[key], rtol, atol)
            if problem:
                return f"[{key!r}] {problem}"
        return None
    if type(got).__module__.startswith("torch"):
        got = got.detach().cpu().numpy()
    if type(want).__module__.startswith("torch"):
        want = want.detach().cpu().numpy()
    if got is None:
        return "returned None (did you forget `return`?)"
    want_arr = np.asarray(want)
    got_kind = (
        getattr(got, "dtype", np.asarray(got).dtype).kind
        if not isinstance(got, (int, float))
        else None
    )
    if want_arr.dtype.kind in "iu" and got_kind is not None and got_kind not in "iu":
        return (
            f"expected an integer array (dtype {want_arr.dtype}), got dtype {np.asarray(got).dtype}: "
            "indices and lengths must stay integers"
        )
    try:
        got_arr = np.asarray(got, dtype=float if want_arr.dtype.kind in "fc" else None)
    except (TypeError, ValueError):
        return f"expected an array like {want_arr.shape}, got {type(got).__name__}"
    if got_arr.shape != want_arr.shape:
        return f"expected shape {want_arr.shape}, got {got_arr.shape}"
    if want_arr.dtype.kind not in "fc":
        if not np.array_equal(got_arr, want_arr):
            return f"expected {want_arr.tolist()}, got {got_arr.tolist()}"
        return None
    return _compare_floats(got_arr, want_arr, rtol, atol)


def _first(mask) -> tuple:
    """The index of the first True entry of ``mask`` (``()`` for a scalar)."""
    return tuple(int(j) for j in np.argwhere(mask)[0]) if mask.ndim else ()


def _compare_floats(got, want, rtol: float, atol: float) -> str | None:
    """Like ``np.testing.assert_allclose``: NaN matches only NaN, an infinity
    only itself, finite values within ``atol + rtol * |want|``."""

    def at(i):
        return f" at index {i}" if i else ""

    finite = np.isfinite(want)
    bad = finite & ~np.isfinite(got)
    if np.any(bad):
        i = _first(bad)
        return (
            f"the result contains NaN or inf where the reference is finite{at(i)}: "
            f"expected {float(want[i]):.6g}, got {float(got[i])}"
        )
    bad = ~finite & ~((got == want) | (np.isnan(got) & np.isnan(want)))
    if np.any(bad):
        i = _first(bad)
        return f"expected {float(want[i])}{at(i)} (as the reference gives), got {float(got[i]):.6g}"
    with np.errstate(invalid="ignore"):  # inf - inf where both are inf
        diff = np.abs(np.where(finite, got - want, 0.0))
    bad = diff > atol + rtol * np.abs(np.where(finite, want, 0.0))
    if np.any(bad):
        i = np.unravel_index(np.argmax(np.where(bad, diff, -1)), diff.shape) if diff.ndim else ()
        return (
            f"{int(bad.sum())} of {bad.size} values differ; largest difference "
            f"{float(diff.max()):.3g}{at(tuple(int(j) for j in i))}: "
            f"expected {float(want[i]):.6g}, got {float(got[i]):.6g}"
        )
    return None


def _changed(before, after) -> bool:
    """True when an array or tensor argument, or one inside a dict/list argument, was modified."""
    if type(before).__module__.startswith("torch") and hasattr(before, "detach"):
        if type(after) is not type(before):
            return True
        before, after = before.detach().cpu().numpy(), after.detach().cpu().numpy()
    if isinstance(before, np.ndarray):
        return not (
            isinstance(after, np.ndarray)
            and before.shape == after.shape
            and np.array_equal(before, after, equal_nan=before.dtype.kind in "fc")
        )
    if isinstance(before, dict):
        return (
            not isinstance(after, dict)
            or any(_changed(v, after.get(k)) for k, v in before.items())
            or set(before) != set(after)
        )
    if isinstance(before, (list, tuple)):
        return len(before) != len(after) or any(_changed(a, b) for a, b in zip(before, after))
    return False


def same_results(a, b, rtol: float, atol: float) -> bool:
    """True when two functions' results (values, tuples or dicts of them) agree."""
    a, b = _as_tuple(a), _as_tuple(b)
    return len(a) == len(b) and all(_compare(x, y, rtol, atol) is None for x, y in zip(a, b))


def _repeat_note(learner: Callable, args: tuple, rtol: float, atol: float) -> str | None:
    """For a failing case: what is wrong when the learner's result depends on
    something besides its arguments (None when it does not). The learner's
    prints show once, in the check itself, not again from these calls."""
    with contextlib.redirect_stdout(io.StringIO()):
        if any(isinstance(a, np.random.Generator) for a in args):
            return _global_rng_note(learner, args, rtol, atol)
        return _kept_state_note(learner, args, rtol, atol)


def _kept_state_note(learner: Callable, args: tuple, rtol: float, atol: float) -> str | None:
    """What is wrong when two calls on the same inputs disagree (None when they agree)."""
    try:
        first, second = (learner(*copy.deepcopy(args)) for _ in range(2))
    except Exception:  # noqa: BLE001 - already reported
        return None
    if same_results(first, second, rtol, atol):
        return None
    return (
        "called again with the same inputs it gave another result: does it keep something "
        "between calls (e.g. accumulators created outside the function)?"
    )


def _global_rng_note(learner: Callable, args: tuple, rtol: float, atol: float) -> str | None:
    """What is wrong when the learner's draws do not come from the
    ``np.random.Generator`` among its arguments (None when they do)."""
    state = np.random.get_state()  # noqa: NPY002 - left as the learner had it
    try:
        outs = []
        for seed in (0, 0, 1, 2, 3):
            np.random.seed(seed)  # noqa: NPY002 - to see whether the answer draws from it
            outs.append(learner(*copy.deepcopy(args)))
    except Exception:  # noqa: BLE001 - already reported
        return None
    finally:
        np.random.set_state(state)  # noqa: NPY002
    if not same_results(outs[0], outs[1], rtol, atol):
        return "the same rng gave different draws: draw with the Generator passed in, not a new one"
    if not all(same_results(outs[0], out, rtol, atol) for out in outs[2:]):
        return (
            "your draws depend on the global random state (np.random): "
            "draw with the Generator passed in (rng.choice, rng.random)"
        )
    return None


def run_cases(
    name: str,
    learner: Callable,
    reference: Callable,
    cases: Sequence[tuple[str, tuple]],
    rtol: float = 1e-6,
    atol: float = 1e-9,
    quiet: bool = False,
) -> CheckResult:
    """Run ``learner(*args)`` and ``reference(*args)`` on every case and compare.

    cases: ``[(description, args), ...]``; each call gets its own deep copy of
        ``args``, and a learner that changes its inputs (arrays or tensors) in
        place is told so; one that should draw from a ``np.random.Generator``
        among them but draws from ``np.random`` is told that.
    Outputs may be arrays, tensors, numbers, tuples of them or dicts of them,
    compared with ``|got - want| <= atol + rtol * |want|``; NaN matches only
    NaN and an infinity only itself, as in ``np.testing.assert_allclose``.
    A learner function that raises ``NotImplementedError`` (the untouched
    stub) is reported as "not attempted yet". Prints the verdict and returns a
    ``CheckResult``.
    """
    if not callable(learner):
        raise TypeError(f"{name}: expected your function, got {type(learner).__name__} {learner!r}")
    messages, failures = [], 0
    for description, args in cases:
        want = reference(*copy.deepcopy(args))
        given = copy.deepcopy(args)
        try:
            got = learner(*given)
        except NotImplementedError:
            result = CheckResult(name, NOT_ATTEMPTED, [f"{name}: not attempted yet."])
            if not quiet:
                print(
                    f"… {name}: not attempted yet. Replace `raise NotImplementedError` with your code, then run the cell again."
                )
            return result
        except Exception as exc:  # noqa: BLE001 - a learner's error is a verdict, not a crash
            failures += 1
            messages.append(f"✗ {description}: raised {type(exc).__name__}: {exc}")
            continue
        wants, gots = _as_tuple(want), _as_tuple(got)
        if len(wants) != len(gots):
            failures += 1
            messages.append(
                f"✗ {description}: expected {len(wants)} return value(s), got {len(gots)}"
            )
            continue
        problems = []
        for k, (g, w) in enumerate(zip(gots, wants)):
            problem = _compare(g, w, rtol, atol)
            if problem:
                label = f"return value {k + 1}: " if len(wants) > 1 else ""
                problems.append(label + problem)
        changed = [
            f"argument {k + 1}" for k, (a, b) in enumerate(zip(args, given)) if _changed(a, b)
        ]
        if changed:
            problems.append(
                f"your function changed its input in place ({', '.join(changed)}); work on a copy"
            )
        if problems:
            note = _repeat_note(learner, args, rtol, atol)
            problems += [note] if note else []
            failures += 1
            messages.append(f"✗ {description}: " + "; ".join(problems))
        else:
            messages.append(f"✓ {description}")
    status = PASSED if failures == 0 else FAILED
    if not quiet:
        if status == PASSED:
            print(f"✓ {name}: correct on all {len(cases)} cases.")
        else:
            print(f"✗ {name}: {failures} of {len(cases)} cases are wrong.")
            print("\n".join("   " + m for m in messages))
    return CheckResult(name, status, messages)
