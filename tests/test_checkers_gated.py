"""The notebook-07 exercise checker: a correct LSTM step passes, wrong ones
fail, the untouched stub is "not attempted"."""

import numpy as np

from helpers.scratch import check_lstm_step_forward


def _sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def _blocks(x, h_prev, W_xh, W_hh, b_h):
    """The four (B, H) blocks of the pre-activation, in storage order."""
    z = x @ W_xh.T + h_prev @ W_hh.T + b_h
    return np.split(z, 4, axis=1)


def correct(x, h_prev, c_prev, W_xh, W_hh, b_h):
    z_i, z_f, z_g, z_o = _blocks(x, h_prev, W_xh, W_hh, b_h)
    c = _sig(z_f) * c_prev + _sig(z_i) * np.tanh(z_g)
    return _sig(z_o) * np.tanh(c), c


def wrong_gate_order(x, h_prev, c_prev, W_xh, W_hh, b_h):
    """Reads the blocks as (forget, input, cell, output): the classic mix-up."""
    z_f, z_i, z_g, z_o = _blocks(x, h_prev, W_xh, W_hh, b_h)
    c = _sig(z_f) * c_prev + _sig(z_i) * np.tanh(z_g)
    return _sig(z_o) * np.tanh(c), c


def wrong_output_without_tanh(x, h_prev, c_prev, W_xh, W_hh, b_h):
    _, c = correct(x, h_prev, c_prev, W_xh, W_hh, b_h)
    return _sig(_blocks(x, h_prev, W_xh, W_hh, b_h)[3]) * c, c


def wrong_forget_inverted(x, h_prev, c_prev, W_xh, W_hh, b_h):
    """Treats the forget gate as 'open = erase': c = (1 - f) c_prev + i g."""
    z_i, z_f, z_g, z_o = _blocks(x, h_prev, W_xh, W_hh, b_h)
    c = (1 - _sig(z_f)) * c_prev + _sig(z_i) * np.tanh(z_g)
    return _sig(z_o) * np.tanh(c), c


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
