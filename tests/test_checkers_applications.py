"""Notebook 10's exercise checkers: a correct solution passes, wrong ones fail,
the untouched stub is "not attempted"."""

from __future__ import annotations

import numpy as np

from helpers.applications import check_seasonal_naive, check_softmax_temperature


def _stub(*args):
    raise NotImplementedError


# ---------------------------------------------------------------- seasonal naive


def seasonal_naive_ok(series, start, period):
    return series[start - period : len(series) - period]


def seasonal_naive_off_by_one(series, start, period):
    return series[start - period + 1 : len(series) - period + 1]


def seasonal_naive_last_value(series, start, period):
    return series[start - 1 : -1]


def seasonal_naive_in_place(series, start, period):
    out = series[start - period : len(series) - period].copy()
    series[:] = 0  # changes the caller's array
    return out


def test_seasonal_naive_correct_passes():
    assert check_seasonal_naive(seasonal_naive_ok, quiet=True).status == "passed"


def test_seasonal_naive_wrong_fail():
    for wrong in (seasonal_naive_off_by_one, seasonal_naive_last_value, seasonal_naive_in_place):
        assert check_seasonal_naive(wrong, quiet=True).status == "failed", wrong.__name__


def test_seasonal_naive_stub_not_attempted(capsys):
    assert check_seasonal_naive(_stub).status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out


# ---------------------------------------------------------------- temperature


def temperature_ok(logits, T):
    logits = np.asarray(logits, dtype=float)
    if T == 0:
        return np.eye(logits.shape[-1])[np.argmax(logits, axis=-1)]
    z = (logits - logits.max(axis=-1, keepdims=True)) / T
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def temperature_no_shift(logits, T):  # divides first: overflows at tiny T
    if T == 0:
        return np.eye(logits.shape[-1])[np.argmax(logits, axis=-1)]
    with np.errstate(all="ignore"):
        e = np.exp(logits / T)
        return e / e.sum(axis=-1, keepdims=True)


def temperature_multiplies(logits, T):
    z = (logits - logits.max(axis=-1, keepdims=True)) * T
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def temperature_no_greedy(logits, T):  # T = 0 divides by zero: NaN
    with np.errstate(all="ignore"):
        z = (logits - logits.max(axis=-1, keepdims=True)) / T
        e = np.exp(z)
        return e / e.sum(axis=-1, keepdims=True)


def temperature_wrong_axis(logits, T):
    if T == 0:
        return np.eye(logits.shape[-1])[np.argmax(logits, axis=-1)]
    z = (logits - logits.max()) / T
    e = np.exp(z)
    return e / e.sum()


def test_temperature_correct_passes():
    assert check_softmax_temperature(temperature_ok, quiet=True).status == "passed"


def test_temperature_wrong_fail():
    for wrong in (
        temperature_no_shift,
        temperature_multiplies,
        temperature_no_greedy,
        temperature_wrong_axis,
    ):
        result = check_softmax_temperature(wrong, quiet=True)
        assert result.status == "failed", wrong.__name__


def test_temperature_stub_not_attempted():
    assert check_softmax_temperature(_stub, quiet=True).status == "not attempted"
