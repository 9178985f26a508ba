"""The notebook-06 exercise checker: a correct LSTM step passes, wrong ones
fail, the untouched stub is "not attempted"."""

import numpy as np

from helpers.scratch import check_lstm_step_forward


def _sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def correct(x, h_prev, c_prev, W_xh, W_hh, b_h):
    z = x @ W_xh.T + h_prev @ W_hh.T + b_h
    H = h_prev.shape[1]
    i, f, g, o = (
        _sig(z[:, :H]),
        _sig(z[:, H : 2 * H]),
        np.tanh(z[:, 2 * H : 3 * H]),
        _sig(z[:, 3 * H :]),
    )
    c = f * c_prev + i * g
    return o * np.tanh(c), c


def wrong_gate_order(x, h_prev, c_prev, W_xh, W_hh, b_h):
    """Reads the blocks as (forget, input, cell, output): the classic mix-up."""
    z = x @ W_xh.T + h_prev @ W_hh.T + b_h
    H = h_prev.shape[1]
    f, i, g, o = (
        _sig(z[:, :H]),
        _sig(z[:, H : 2 * H]),
        np.tanh(z[:, 2 * H : 3 * H]),
        _sig(z[:, 3 * H :]),
    )
    c = f * c_prev + i * g
    return o * np.tanh(c), c


def wrong_output_without_tanh(x, h_prev, c_prev, W_xh, W_hh, b_h):
    h, c = correct(x, h_prev, c_prev, W_xh, W_hh, b_h)
    H = h_prev.shape[1]
    o = _sig((x @ W_xh.T + h_prev @ W_hh.T + b_h)[:, 3 * H :])
    return o * c, c


def wrong_forget_inverted(x, h_prev, c_prev, W_xh, W_hh, b_h):
    """Treats the forget gate as 'open = erase': c = (1 - f) c_prev + i g."""
    z = x @ W_xh.T + h_prev @ W_hh.T + b_h
    H = h_prev.shape[1]
    i, f, g, o = (
        _sig(z[:, :H]),
        _sig(z[:, H : 2 * H]),
        np.tanh(z[:, 2 * H : 3 * H]),
        _sig(z[:, 3 * H :]),
    )
    c = (1 - f) * c_prev + i * g
    return o * np.tanh(c), c


def in_place(x, h_prev, c_prev, W_xh, W_hh, b_h):
    h, c = correct(x, h_prev, c_prev, W_xh, W_hh, b_h)
    c_prev *= 0.0
    return h, c


def stub(x, h_prev, c_prev, W_xh, W_hh, b_h):
    raise NotImplementedError


def test_correct_passes(capsys):
    assert check_lstm_step_forward(correct).status == "passed"
    assert "correct on all" in capsys.readouterr().out


def test_wrong_versions_fail():
    for fn in (wrong_gate_order, wrong_output_without_tanh, wrong_forget_inverted, in_place):
        result = check_lstm_step_forward(fn)
        assert result.status == "failed", fn.__name__


def test_in_place_is_named(capsys):
    check_lstm_step_forward(in_place)
    assert "in place" in capsys.readouterr().out


def test_stub_not_attempted(capsys):
    assert check_lstm_step_forward(stub).status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out
