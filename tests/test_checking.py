"""The exercise-checker framework, against right, wrong and untouched solutions."""

from __future__ import annotations

import numpy as np

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


def test_in_place_change_of_an_input_is_reported(capsys):
    def in_place(x):
        np.tanh(x, out=x)
        return x

    assert run(in_place).status == FAILED
    assert "changed its input in place" in capsys.readouterr().out


def test_tuples_and_dicts_are_compared_element_by_element(capsys):
    def ref(x):
        return x * 2, {"g": x + 1}

    ok = run_cases("pair", lambda x: (x * 2, {"g": x + 1}), ref, CASES[:1])
    missing = run_cases("pair", lambda x: (x * 2, {}), ref, CASES[:1])
    count = run_cases("pair", lambda x: x * 2, ref, CASES[:1])
    assert ok.status == PASSED and missing.status == FAILED and count.status == FAILED
    out = capsys.readouterr().out
    assert "missing keys ['g']" in out and "expected 2 return value(s), got 1" in out


def test_nan_is_never_close(capsys):
    assert run(lambda x: np.full_like(x, np.nan)).status == FAILED
    assert "NaN or inf" in capsys.readouterr().out


def test_in_place_change_inside_a_dict_argument_is_reported(capsys):
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
