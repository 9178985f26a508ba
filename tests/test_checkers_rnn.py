"""Notebook 04's exercise checkers: a correct answer passes, wrong ones fail,
the untouched stub is "not attempted"."""

import numpy as np

from helpers.scratch import check_rnn_step_backward, check_rnn_step_forward


def forward_correct(x, h_prev, W_xh, W_hh, b_h):
    return np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)


def forward_untransposed(x, h_prev, W_xh, W_hh, b_h):  # W_hh not transposed
    return np.tanh(x @ W_xh.T + h_prev @ W_hh + b_h)


def forward_no_tanh(x, h_prev, W_xh, W_hh, b_h):
    return x @ W_xh.T + h_prev @ W_hh.T + b_h


def forward_in_place(x, h_prev, W_xh, W_hh, b_h):
    h_prev *= 1.0
    h_prev[:] = np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)
    return h_prev


def backward_correct(dh, x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)
    delta = dh * (1 - h**2)
    return delta @ W_xh, delta @ W_hh, delta.T @ x, delta.T @ h_prev, delta.sum(axis=0)


def backward_wrong_derivative(dh, x, h_prev, W_xh, W_hh, b_h):  # uses 1 - h instead of 1 - h^2
    h = np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)
    delta = dh * (1 - h)
    return delta @ W_xh, delta @ W_hh, delta.T @ x, delta.T @ h_prev, delta.sum(axis=0)


def backward_skips_activation(dh, x, h_prev, W_xh, W_hh, b_h):  # forgets tanh'
    delta = dh
    return delta @ W_xh, delta @ W_hh, delta.T @ x, delta.T @ h_prev, delta.sum(axis=0)


def backward_bias_mean(dh, x, h_prev, W_xh, W_hh, b_h):  # averages instead of summing
    h = np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)
    delta = dh * (1 - h**2)
    return delta @ W_xh, delta @ W_hh, delta.T @ x, delta.T @ h_prev, delta.mean(axis=0)


def backward_transposed_dW(dh, x, h_prev, W_xh, W_hh, b_h):  # dW_hh transposed
    h = np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)
    delta = dh * (1 - h**2)
    return delta @ W_xh, delta @ W_hh, delta.T @ x, h_prev.T @ delta, delta.sum(axis=0)


def stub(*args):
    raise NotImplementedError


def test_step_forward_checker(capsys):
    assert check_rnn_step_forward(forward_correct).status == "passed"
    assert "correct on all" in capsys.readouterr().out
    for wrong in (forward_untransposed, forward_no_tanh, forward_in_place):
        assert check_rnn_step_forward(wrong).status == "failed", wrong.__name__
    assert check_rnn_step_forward(stub).status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out


def test_step_backward_checker(capsys):
    assert check_rnn_step_backward(backward_correct).status == "passed"
    for wrong in (
        backward_wrong_derivative,
        backward_skips_activation,
        backward_bias_mean,
        backward_transposed_dW,
    ):
        assert check_rnn_step_backward(wrong).status == "failed", wrong.__name__
    assert check_rnn_step_backward(stub).status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out


def test_param_count_checker():
    from helpers.scratch import check_rnn_param_count

    assert check_rnn_param_count(lambda D, H, C: H * D + H * H + H + C * H + C)
    assert check_rnn_param_count(lambda D, H, C: H * D + H * H + C * H).status == "failed"
    assert check_rnn_param_count(lambda D, H, C: 2 * H * D + H + C * H + C).status == "failed"
    assert check_rnn_param_count(stub).status == "not attempted"


def test_last_states_checker():
    from helpers.scratch import check_last_states

    assert check_last_states(lambda hs, lengths: hs[lengths - 1, np.arange(hs.shape[1])])
    assert check_last_states(lambda hs, lengths: hs[-1]).status == "failed"
    assert (
        check_last_states(lambda hs, lengths: hs[lengths, np.arange(hs.shape[1])]).status
        == "failed"
    )
    assert check_last_states(lambda hs, lengths: hs[lengths - 1]).status == "failed"
    assert check_last_states(stub).status == "not attempted"


def test_last_states_validates():
    import pytest

    from helpers.scratch import last_states

    with pytest.raises(ValueError, match=r"lengths: expected values in \[1, 3\]"):
        last_states(np.zeros((3, 2, 1)), np.array([0, 3]))
    with pytest.raises(TypeError, match="integers"):
        last_states(np.zeros((3, 2, 1)), np.array([1.0, 3.0]))
    with pytest.raises(ValueError, match="B=2"):
        last_states(np.zeros((3, 2, 1)), np.array([1, 2, 3]))
