"""The exercise-checker framework, against right, wrong and untouched solutions."""

from __future__ import annotations

import numpy as np
import torch

from helpers.checking import FAILED, NOT_ATTEMPTED, PASSED, run_cases


def reference(x):
    return np.tanh(x)


CASES = [("a vector", (np.array([-1.0, 0.0, 2.0]),)), ("a matrix", (np.ones((2, 3)),))]


def run(fn, **kw):
    return run_cases("tanh", fn, reference, CASES, **kw)


def test_correct_solution_passes(capsys):
    result = run(lambda x: np.tanh(x))
    assert result.status == PASSED and bool(result)
    assert "correct on all 2 cases" in capsys.readouterr().out


def test_stub_is_not_attempted(capsys):
    def stub(x):
        raise NotImplementedError

    result = run(stub)
    assert result.status == NOT_ATTEMPTED and not result
    assert "not attempted yet" in capsys.readouterr().out


def test_wrong_values_fail_and_say_by_how_much(capsys):
    result = run(lambda x: np.tanh(x) + 0.1 * (x > 1))
    assert result.status == FAILED
    out = capsys.readouterr().out
    assert "1 of 2 cases are wrong" in out and "largest difference 0.1" in out


def test_wrong_shape_error_and_missing_return_fail(capsys):
    assert run(lambda x: np.tanh(x).ravel()[:1]).status == FAILED
    assert "expected shape (3,), got (1,)" in capsys.readouterr().out
    assert run(lambda x: 1 / 0).status == FAILED
    assert "raised ZeroDivisionError" in capsys.readouterr().out
    assert run(lambda x: None).status == FAILED
    assert "did you forget `return`" in capsys.readouterr().out


def test_tuples_and_dicts_are_compared_element_by_element(capsys):
    def ref(x):
        return x * 2, {"g": x + 1}

    ok = run_cases("pair", lambda x: (x * 2, {"g": x + 1}), ref, CASES[:1])
    missing = run_cases("pair", lambda x: (x * 2, {}), ref, CASES[:1])
    count = run_cases("pair", lambda x: x * 2, ref, CASES[:1])
    assert ok.status == PASSED and missing.status == FAILED and count.status == FAILED
    out = capsys.readouterr().out
    assert "missing keys ['g']" in out and "expected 2 return value(s), got 1" in out


def test_nan_and_inf_match_only_themselves(capsys):
    def ref(x):
        return np.array([np.nan, np.inf, -np.inf, 1.0]) * x

    cases = [("special values", (np.float64(1.0),))]
    assert run_cases("special", ref, ref, cases).status == PASSED
    assert run(lambda x: np.full_like(x, np.nan)).status == FAILED
    assert "NaN or inf where the reference is finite at index (0,)" in capsys.readouterr().out
    for got, expected in [
        ([0.0, np.inf, -np.inf, 1.0], "expected nan at index (0,)"),
        ([np.nan, 1e308, -np.inf, 1.0], "expected inf at index (1,)"),
        ([np.nan, np.inf, np.inf, 1.0], "expected -inf at index (2,)"),
    ]:
        result = run_cases("special", lambda x, got=got: np.array(got), ref, cases)
        assert result.status == FAILED, got
        assert expected in capsys.readouterr().out


def test_in_place_change_of_an_input_is_reported(capsys):
    """Arrays, arrays inside a dict, and torch tensors alike."""

    def ref(grads):
        return {k: v * 0.5 for k, v in grads.items()}

    def in_place(grads):
        for v in grads.values():
            v *= 0.5
        return grads

    cases = [("a dict", ({"W": np.ones((2, 2)), "b": np.ones(2)},))]
    assert run_cases("halve", lambda g: ref(g), ref, cases).status == PASSED
    assert run_cases("halve", in_place, ref, cases).status == FAILED
    assert "changed its input in place (argument 1)" in capsys.readouterr().out

    def tanh_in_place(x):
        np.tanh(x, out=x)
        return x

    assert run(tanh_in_place).status == FAILED
    assert "changed its input in place" in capsys.readouterr().out

    t_cases = [("a tensor and its lengths", (torch.ones(3, 2), torch.tensor([3, 1])))]
    assert run_cases("sum", lambda x, n: x.sum(0) * n, lambda x, n: x.sum(0) * n, t_cases)
    assert run_cases("sum", lambda x, n: x.mul_(2).sum(0) / 2 * n.sub_(0), lambda x, n: x.sum(0) * n, t_cases).status == FAILED  # fmt: skip
    assert "changed its input in place (argument 1)" in capsys.readouterr().out


def test_draws_from_the_global_rng_are_named(capsys):
    def ref(n, rng):
        return rng.random(n)

    cases = [("three draws", (3, np.random.default_rng(0)))]
    np.random.seed(5)  # noqa: NPY002
    assert run_cases("draw", lambda n, rng: np.random.random(n), ref, cases).status == FAILED  # noqa: NPY002
    assert "global random state (np.random)" in capsys.readouterr().out
    after = np.random.random()  # noqa: NPY002 - the state the learner's own call left
    np.random.seed(5)  # noqa: NPY002
    np.random.random(3)  # noqa: NPY002
    assert after == np.random.random()  # noqa: NPY002
    assert run_cases("draw", lambda n, rng: np.random.default_rng().random(n), ref, cases).status == FAILED  # fmt: skip
    assert "not a new one" in capsys.readouterr().out


def test_a_result_that_changes_from_call_to_call_is_named(capsys):
    calls = []

    def keeps_state(x):  # a sum kept outside the function
        calls.append(1)
        return np.tanh(x) + len(calls)

    assert run(keeps_state).status == FAILED
    assert "called again with the same inputs it gave another result" in capsys.readouterr().out
