"""The numpy LSTM and GRU in helpers.scratch against torch autograd (float64)
and finite differences; bad inputs fail with clear messages."""

import numpy as np
import pytest
import torch

from helpers.numerics import gradient_check, rel_error
from helpers.scratch import (
    gru_backward,
    gru_forward,
    gru_step_forward,
    lstm_backward,
    lstm_forward,
    lstm_step_forward,
    params_from_torch,
)

SHAPES = [(1, 1, 1, 1), (1, 3, 2, 4), (5, 1, 3, 2), (7, 4, 3, 5)]  # (T, B, D, H)


def _torch_module(kind, D, H, seed):
    torch.manual_seed(seed)
    cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
    module = cls(D, H).double()
    with torch.no_grad():  # larger than default weights so every nonlinearity matters
        for p in module.parameters():
            p.normal_(0.0, 0.8)
    return module


def _data(T, B, D, H, seed):
    rng = np.random.default_rng(seed)
    return (
        rng.standard_normal((T, B, D)),
        rng.standard_normal((B, H)) * 0.5,
        rng.standard_normal((B, H)) * 0.5,
        rng.standard_normal((T, B, H)),
    )


@pytest.mark.parametrize("T,B,D,H", SHAPES)
def test_lstm_matches_torch_forward_and_backward(T, B, D, H):
    module = _torch_module("lstm", D, H, seed=T * 100 + H)
    xs, h0, c0, dhs = _data(T, B, D, H, seed=T + B)
    params = params_from_torch(module)
    assert params["W_xh"].shape == (4 * H, D) and params["b_h"].shape == (4 * H,)
    hs, cache = lstm_forward(xs, h0, c0, params)
    grads = lstm_backward(dhs, cache)

    xs_t = torch.tensor(xs, requires_grad=True)
    h0_t = torch.tensor(h0[None], requires_grad=True)
    c0_t = torch.tensor(c0[None], requires_grad=True)
    hs_t, _ = module(xs_t, (h0_t, c0_t))
    (hs_t * torch.tensor(dhs)).sum().backward()

    assert hs.dtype == np.float64
    assert rel_error(hs, hs_t) <= 1e-9
    assert rel_error(grads["xs"], xs_t.grad) <= 1e-8
    assert rel_error(grads["h0"], h0_t.grad[0]) <= 1e-8
    assert rel_error(grads["c0"], c0_t.grad[0]) <= 1e-8
    assert rel_error(grads["W_xh"], module.weight_ih_l0.grad) <= 1e-8
    assert rel_error(grads["W_hh"], module.weight_hh_l0.grad) <= 1e-8
    # b_h = bias_ih + bias_hh, so both torch biases get the same gradient
    assert rel_error(grads["b_h"], module.bias_ih_l0.grad) <= 1e-8
    assert rel_error(grads["b_h"], module.bias_hh_l0.grad) <= 1e-8


@pytest.mark.parametrize("T,B,D,H", SHAPES)
def test_gru_matches_torch_forward_and_backward(T, B, D, H):
    module = _torch_module("gru", D, H, seed=T * 100 + H + 1)
    xs, h0, _, dhs = _data(T, B, D, H, seed=T + B + 1)
    params = params_from_torch(module)
    assert params["W_xh"].shape == (3 * H, D) and params["b_hh"].shape == (3 * H,)
    hs, cache = gru_forward(xs, h0, params)
    grads = gru_backward(dhs, cache)

    xs_t = torch.tensor(xs, requires_grad=True)
    h0_t = torch.tensor(h0[None], requires_grad=True)
    hs_t, _ = module(xs_t, h0_t)
    (hs_t * torch.tensor(dhs)).sum().backward()

    assert hs.dtype == np.float64
    assert rel_error(hs, hs_t) <= 1e-9
    assert rel_error(grads["xs"], xs_t.grad) <= 1e-8
    assert rel_error(grads["h0"], h0_t.grad[0]) <= 1e-8
    assert rel_error(grads["W_xh"], module.weight_ih_l0.grad) <= 1e-8
    assert rel_error(grads["W_hh"], module.weight_hh_l0.grad) <= 1e-8
    assert rel_error(grads["b_xh"], module.bias_ih_l0.grad) <= 1e-8
    assert rel_error(grads["b_hh"], module.bias_hh_l0.grad) <= 1e-8


def _random_lstm(T, B, D, H, seed):
    rng = np.random.default_rng(seed)
    point = {
        "W_xh": rng.standard_normal((4 * H, D)) * 0.7,
        "W_hh": rng.standard_normal((4 * H, H)) * 0.7,
        "b_h": rng.standard_normal(4 * H) * 0.5,
        "xs": rng.standard_normal((T, B, D)),
        "h0": rng.standard_normal((B, H)) * 0.5,
        "c0": rng.standard_normal((B, H)) * 0.5,
    }
    return point, rng.standard_normal((T, B, H))


@pytest.mark.parametrize("T,B,D,H", [(1, 1, 1, 1), (4, 2, 3, 3)])
def test_lstm_backward_matches_finite_differences(T, B, D, H):
    point, dhs = _random_lstm(T, B, D, H, seed=11)

    def loss(p):
        hs, _ = lstm_forward(p["xs"], p["h0"], p["c0"], {k: p[k] for k in ("W_xh", "W_hh", "b_h")})
        return float(np.sum(hs * dhs))

    _, cache = lstm_forward(
        point["xs"], point["h0"], point["c0"], {k: point[k] for k in ("W_xh", "W_hh", "b_h")}
    )
    errors = gradient_check(loss, point, lstm_backward(dhs, cache))
    assert set(errors) == set(point)
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("T,B,D,H", [(1, 1, 1, 1), (4, 2, 3, 3)])
def test_gru_backward_matches_finite_differences(T, B, D, H):
    rng = np.random.default_rng(12)
    keys = ("W_xh", "W_hh", "b_xh", "b_hh")
    point = {
        "W_xh": rng.standard_normal((3 * H, D)) * 0.7,
        "W_hh": rng.standard_normal((3 * H, H)) * 0.7,
        "b_xh": rng.standard_normal(3 * H) * 0.5,
        "b_hh": rng.standard_normal(3 * H) * 0.5,
        "xs": rng.standard_normal((T, B, D)),
        "h0": rng.standard_normal((B, H)) * 0.5,
    }
    dhs = rng.standard_normal((T, B, H))

    def loss(p):
        hs, _ = gru_forward(p["xs"], p["h0"], {k: p[k] for k in keys})
        return float(np.sum(hs * dhs))

    _, cache = gru_forward(point["xs"], point["h0"], {k: point[k] for k in keys})
    errors = gradient_check(loss, point, gru_backward(dhs, cache))
    assert set(errors) == set(point)
    assert max(errors.values()) < 1e-7, errors


def test_float32_is_kept():
    point, dhs = _random_lstm(3, 2, 2, 3, seed=1)
    p32 = {k: v.astype(np.float32) for k, v in point.items()}
    hs, cache = lstm_forward(
        p32["xs"], p32["h0"], p32["c0"], {k: p32[k] for k in ("W_xh", "W_hh", "b_h")}
    )
    assert hs.dtype == np.float32
    grads = lstm_backward(dhs.astype(np.float32), cache)
    assert all(g.dtype == np.float32 for g in grads.values())


def test_forget_gate_one_keeps_zero_erases():
    """With the forget gate saturated at 1 (and the input gate shut) the cell
    keeps its content; with the forget gate at 0 it is erased."""
    H, D = 2, 1
    for b_f, expected in [(50.0, 1.0), (-50.0, 0.0)]:
        b_h = np.zeros(4 * H)
        b_h[:H] = -50.0  # input gate shut
        b_h[H : 2 * H] = b_f
        params = {"W_xh": np.zeros((4 * H, D)), "W_hh": np.zeros((4 * H, H)), "b_h": b_h}
        c0 = np.array([[0.3, -0.7]])
        _, c, _ = lstm_step_forward(np.ones((1, D)), np.zeros((1, H)), c0, params)
        np.testing.assert_allclose(c, expected * c0, atol=1e-12)


def test_gru_update_gate_one_keeps_state():
    H, D = 2, 1
    b_xh = np.zeros(3 * H)
    b_xh[H : 2 * H] = 50.0  # update gate z = 1
    params = {
        "W_xh": np.ones((3 * H, D)),
        "W_hh": np.ones((3 * H, H)),
        "b_xh": b_xh,
        "b_hh": np.zeros(3 * H),
    }
    h0 = np.array([[0.4, -0.2]])
    h, _ = gru_step_forward(np.ones((1, D)), h0, params)
    np.testing.assert_allclose(h, h0, atol=1e-12)


def test_params_from_torch_lstm_gru_layers_and_errors():
    lstm = torch.nn.LSTM(2, 3, num_layers=2, bidirectional=True)
    p = params_from_torch(lstm, layer=1, reverse=True)
    assert p["W_xh"].shape == (12, 6) and p["W_hh"].shape == (12, 3)
    np.testing.assert_allclose(
        p["b_h"], (lstm.bias_ih_l1_reverse + lstm.bias_hh_l1_reverse).detach().numpy()
    )
    gru = torch.nn.GRU(2, 3, bias=False)
    p = params_from_torch(gru)
    assert set(p) == {"W_xh", "W_hh", "b_xh", "b_hh"} and not p["b_hh"].any()
    p["b_xh"] += 1.0  # two arrays, not one shared
    assert not p["b_hh"].any()
    with pytest.raises(ValueError, match="proj_size"):
        params_from_torch(torch.nn.LSTM(2, 4, proj_size=2))
    with pytest.raises(TypeError, match="nn.LSTM"):
        params_from_torch(torch.nn.Linear(2, 3))


def test_bad_shapes_name_expected_and_got():
    point, dhs = _random_lstm(3, 2, 2, 3, seed=2)
    params = {k: point[k] for k in ("W_xh", "W_hh", "b_h")}
    with pytest.raises(ValueError, match=r"W_xh.*expected shape \(12, D=2\)"):
        lstm_forward(point["xs"], point["h0"], point["c0"], dict(params, W_xh=np.zeros((9, 2))))
    with pytest.raises(ValueError, match="c0"):
        lstm_forward(point["xs"], point["h0"], point["c0"][:1], params)
    with pytest.raises(ValueError, match="xs: expected 3 dimensions"):
        lstm_forward(point["xs"][0], point["h0"], point["c0"], params)
    with pytest.raises(KeyError, match="b_xh"):
        gru_forward(point["xs"], point["h0"], params)
    with pytest.raises(TypeError, match="floating-point"):
        gru_forward(
            point["xs"].astype(int),
            point["h0"],
            {
                "W_xh": np.zeros((9, 2)),
                "W_hh": np.zeros((9, 3)),
                "b_xh": np.zeros(9),
                "b_hh": np.zeros(9),
            },
        )
    _, cache = lstm_forward(point["xs"], point["h0"], point["c0"], params)
    with pytest.raises(ValueError, match="dhs"):
        lstm_backward(dhs[:2], cache)
    with pytest.raises(TypeError, match="lstm_forward"):
        lstm_backward(dhs, [])
