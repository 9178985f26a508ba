"""The notebook-01 exercise checkers pass a correct solution, fail wrong ones,
and report an untouched stub as "not attempted"."""

import numpy as np
import pytest

from helpers.activations import check_sigmoid_prime, check_softmax, sigmoid, step
from helpers.perceptron import check_perceptron_update


def stub(*args):
    raise NotImplementedError


# ------------------------------------------------------------ sigmoid_prime


def sigmoid_prime_right(z):
    s = sigmoid(z)
    return s * (1 - s)


def sigmoid_prime_forgot_one_minus(z):
    return sigmoid(z) ** 2


def sigmoid_prime_of_the_wrong_thing(z):  # derivative written in terms of z, not sigmoid(z)
    return z * (1 - z)


def sigmoid_prime_returns_sigmoid(z):
    return sigmoid(z)


def sigmoid_prime_no_return(z):
    s = sigmoid(z)
    s * (1 - s)  # noqa: B018 - the mistake under test


def sigmoid_prime_in_place(z):
    s = sigmoid(z)
    z *= 0  # changes the caller's array
    return s * (1 - s)


# ------------------------------------------------------------------ softmax


def softmax_right(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_naive(z):  # overflows at large scores
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_sums_over_everything(z):  # one distribution for the whole batch
    e = np.exp(z - z.max())
    return e / e.sum()


def softmax_forgot_exp(z):
    return z / z.sum(axis=-1, keepdims=True)


# -------------------------------------------------------- perceptron_update


def update_right(W, b, x, t, lr):
    y = step(W @ x + b)
    return W + lr * np.outer(t - y, x), b + lr * (t - y)


def update_wrong_sign(W, b, x, t, lr):
    y = step(W @ x + b)
    return W + lr * np.outer(y - t, x), b + lr * (y - t)


def update_forgot_bias(W, b, x, t, lr):
    y = step(W @ x + b)
    return W + lr * np.outer(t - y, x), b


def update_forgot_lr(W, b, x, t, lr):
    y = step(W @ x + b)
    return W + np.outer(t - y, x), b + (t - y)


def update_step_at_zero_is_one(W, b, x, t, lr):
    y = (W @ x + b >= 0).astype(float)
    return W + lr * np.outer(t - y, x), b + lr * (t - y)


def update_in_place(W, b, x, t, lr):
    y = step(W @ x + b)
    W += lr * np.outer(t - y, x)
    b += lr * (t - y)
    return W, b


def update_returns_only_W(W, b, x, t, lr):
    y = step(W @ x + b)
    return W + lr * np.outer(t - y, x)


CASES = [
    (
        check_sigmoid_prime,
        sigmoid_prime_right,
        [
            sigmoid_prime_forgot_one_minus,
            sigmoid_prime_of_the_wrong_thing,
            sigmoid_prime_returns_sigmoid,
            sigmoid_prime_no_return,
            sigmoid_prime_in_place,
        ],
    ),
    (
        check_softmax,
        softmax_right,
        [softmax_naive, softmax_sums_over_everything, softmax_forgot_exp],
    ),
    (
        check_perceptron_update,
        update_right,
        [
            update_wrong_sign,
            update_forgot_bias,
            update_forgot_lr,
            update_step_at_zero_is_one,
            update_in_place,
            update_returns_only_W,
        ],
    ),
]


@pytest.mark.parametrize("checker, right", [(c, r) for c, r, _ in CASES])
def test_correct_solution_passes(checker, right, capsys):
    result = checker(right)
    assert result.status == "passed", result.messages
    assert "correct on all" in capsys.readouterr().out


@pytest.mark.parametrize(
    "checker, wrong", [(c, w) for c, _, wrongs in CASES for w in wrongs], ids=lambda f: f.__name__
)
def test_wrong_solution_fails(checker, wrong, capsys):
    result = checker(wrong)
    assert result.status == "failed"
    assert not result
    out = capsys.readouterr().out
    assert "✗" in out and "cases are wrong" in out


@pytest.mark.parametrize("checker", [c for c, _, _ in CASES])
def test_untouched_stub_is_not_attempted(checker, capsys):
    result = checker(stub)
    assert result.status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out


def test_failure_messages_say_what_differs(capsys):
    check_perceptron_update(update_in_place)
    assert "changed its input in place" in capsys.readouterr().out
    check_sigmoid_prime(sigmoid_prime_no_return)
    assert "forget `return`" in capsys.readouterr().out
    check_softmax(softmax_naive)
    assert "NaN" in capsys.readouterr().out


def test_quiet_prints_nothing(capsys):
    assert check_softmax(softmax_right, quiet=True)
    assert capsys.readouterr().out == ""
