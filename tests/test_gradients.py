"""helpers.gradients: the w^999 chain, gradient norms through time, the
Pascanu cliff model and gradient clipping, checked against closed forms,
finite differences, helpers.scratch and torch autograd."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

from helpers.gradients import (
    GAMMA,
    cliff_loss_and_grad,
    clip_by_norm,
    clip_by_value,
    gradient_bound,
    hidden_grad_norms,
    jacobian_product,
    linear_unit_chain,
    scaled_orthogonal,
)
from helpers.numerics import rel_error
from helpers.scratch import rnn_backward, rnn_forward


@pytest.fixture(autouse=True)
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# ---------------------------------------------------------------- w^999


@pytest.mark.parametrize(
    "w, y_want, dy_want",
    [(0.99, 4.36e-5, 0.0440), (1.0, 1.0, 999.0), (1.01, 2.075e4, 2.053e7)],
)
def test_w999_table(w, y_want, dy_want):
    y, dy = linear_unit_chain(w, 1000)
    assert y.shape == dy.shape == (1000,)
    assert rel_error(y[-1], w**999) < 1e-12
    assert rel_error(dy[-1], 999 * w**998) < 1e-12
    assert abs(y[-1] / y_want - 1) < 2e-3 and abs(dy[-1] / dy_want - 1) < 2e-3


def test_w999_every_step_and_first_steps():
    w = 1.003
    y, dy = linear_unit_chain(w, 50)
    t = np.arange(1, 51)
    assert np.allclose(y, w ** (t - 1), rtol=1e-13)
    assert dy[0] == 0.0 and np.allclose(dy[1:], (t[1:] - 1) * w ** (t[1:] - 2.0), rtol=1e-13)


def test_w999_derivative_matches_finite_difference():
    w, eps = 0.997, 1e-7
    y_plus, _ = linear_unit_chain(w + eps, 300)
    y_minus, _ = linear_unit_chain(w - eps, 300)
    _, dy = linear_unit_chain(w, 300)
    assert rel_error((y_plus - y_minus) / (2 * eps), dy) < 1e-6


@pytest.mark.parametrize(
    "w, T", [(0.9, 1000), (1.1, 1000), (0.9, 2), (1.1, 2), (2.0, 5000), (1e-5, 5000)]
)
def test_w999_extremes_do_not_warn(w, T):
    y, dy = linear_unit_chain(w, T)  # warnings are errors here
    assert not np.any(np.isnan(y)) and not np.any(np.isnan(dy))


def test_w999_overflow_is_inf_and_underflow_is_zero():
    y, dy = linear_unit_chain(2.0, 5000)
    assert y[-1] == np.inf and dy[-1] == np.inf
    y, dy = linear_unit_chain(0.01, 5000)
    assert y[-1] == 0.0 and dy[-1] == 0.0


@pytest.mark.parametrize(
    "w, T, error",
    [
        (0.0, 10, ValueError),
        (-1.0, 10, ValueError),
        (1.0, 0, ValueError),
        (1.0, 2.5, TypeError),
        ("1", 3, TypeError),
    ],
)
def test_w999_rejects_bad_input(w, T, error):
    with pytest.raises(error):
        linear_unit_chain(w, T)


# ---------------------------------------------------------------- gradient norms through time


def _rnn_setup(seed=0, T=12, B=2, D=3, H=5, scale=1.3):
    rng = np.random.default_rng(seed)
    params = {
        "W_xh": rng.standard_normal((H, D)) / np.sqrt(D),
        "W_hh": scaled_orthogonal(H, scale, rng),
        "b_h": 0.1 * rng.standard_normal(H),
    }
    xs = 0.5 * rng.standard_normal((T, B, D))
    h0 = 0.1 * rng.standard_normal((B, H))
    dh_T = rng.standard_normal((B, H))
    return xs, h0, params, dh_T


def _torch_norms(xs, h0, params, dh_T, name):
    f = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu, "linear": lambda z: z}[
        name
    ]
    p = {k: torch.from_numpy(v) for k, v in params.items()}
    h = torch.from_numpy(h0).requires_grad_(True)
    states = [h]
    for x in torch.from_numpy(xs):
        h = f(x @ p["W_xh"].T + h @ p["W_hh"].T + p["b_h"])
        h.retain_grad()
        states.append(h)
    (h * torch.from_numpy(dh_T)).sum().backward()
    return np.array([s.grad.norm(dim=-1).numpy() for s in states]), torch.stack(
        states[1:]
    ).detach().numpy()


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "relu", "linear"])
def test_hidden_grad_norms_match_torch(name):
    xs, h0, params, dh_T = _rnn_setup()
    norms, hs = hidden_grad_norms(xs, h0, params, dh_T, name)
    want_norms, want_hs = _torch_norms(xs, h0, params, dh_T, name)
    assert norms.shape == (xs.shape[0] + 1, xs.shape[1]) and hs.shape == want_hs.shape
    assert rel_error(hs, want_hs) < 1e-12
    assert rel_error(norms, want_norms) < 1e-10


def test_hidden_grad_norms_tanh_matches_scratch_rnn():
    xs, h0, params, dh_T = _rnn_setup(seed=3, T=9)
    norms, hs = hidden_grad_norms(xs, h0, params, dh_T)
    hs_ref, _ = rnn_forward(xs, h0, params)
    assert rel_error(hs, hs_ref) < 1e-14
    for t in range(xs.shape[0]):  # dL/dh_t = the h0-gradient of the run that starts at h_t
        start = h0 if t == 0 else hs[t - 1]
        _, cache = rnn_forward(xs[t:], start, params)
        dhs = np.zeros((xs.shape[0] - t,) + h0.shape)
        dhs[-1] = dh_T
        assert rel_error(norms[t], np.linalg.norm(rnn_backward(dhs, cache)["h0"], axis=-1)) < 1e-12
    assert rel_error(norms[-1], np.linalg.norm(dh_T, axis=-1)) == 0


def test_hidden_grad_norms_obey_pascanu_bound():
    for name in ("tanh", "sigmoid"):
        xs, h0, params, dh_T = _rnn_setup(seed=5, T=30, scale=2.5)
        norms, _ = hidden_grad_norms(xs, h0, params, dh_T, name)
        T = xs.shape[0]
        for t in range(T + 1):
            bound = gradient_bound(params["W_hh"], name, T - t) * norms[T]
            assert np.all(norms[t] <= bound * (1 + 1e-9))


def test_linear_orthogonal_rnn_follows_the_bound_exactly():
    xs, h0, params, dh_T = _rnn_setup(seed=6, T=20, scale=1.2)
    norms, _ = hidden_grad_norms(xs, h0, params, dh_T, "linear")
    T = xs.shape[0]
    assert np.allclose(norms, norms[T] * 1.2 ** (T - np.arange(T + 1))[:, None], rtol=1e-10)


def test_hidden_grad_norms_explosion_is_inf_without_warning():
    xs, h0, params, dh_T = _rnn_setup(seed=1, T=400, scale=50.0)
    norms, hs = hidden_grad_norms(
        xs, np.abs(h0) + 1, {**params, "W_hh": 50 * np.eye(5)}, dh_T, "relu"
    )
    assert not np.isfinite(hs[-1]).any()  # overflowed (inf, then inf - inf = NaN)
    assert np.isinf(norms[0]).all() and not np.isnan(norms).any()


def test_hidden_grad_norms_shape_errors_name_sizes():
    xs, h0, params, dh_T = _rnn_setup()
    with pytest.raises(ValueError, match=r"expected shape \(H=3, D=3\).*got \(5, 3\)"):
        hidden_grad_norms(xs, h0[:, :3], params, dh_T)
    with pytest.raises(ValueError, match="xs: expected 3 dimensions"):
        hidden_grad_norms(xs[0], h0, params, dh_T)
    with pytest.raises(ValueError, match="dh_T"):
        hidden_grad_norms(xs, h0, params, dh_T[:1])
    with pytest.raises(ValueError, match="W_xh"):
        hidden_grad_norms(xs, h0, {**params, "W_xh": params["W_xh"].T}, dh_T)
    with pytest.raises(ValueError, match="expected one of"):
        hidden_grad_norms(xs, h0, params, dh_T, "softplus")
    with pytest.raises(KeyError):
        hidden_grad_norms(xs, h0, {"W_hh": params["W_hh"]}, dh_T)


def test_scaled_orthogonal_has_equal_singular_values():
    W = scaled_orthogonal(16, 0.7, np.random.default_rng(0))
    assert np.allclose(np.linalg.svd(W, compute_uv=False), 0.7)


def test_gradient_bound_values():
    W = np.diag([3.0, -0.5, 1.0])
    assert gradient_bound(W, "tanh", 2) == pytest.approx(9.0)
    assert gradient_bound(W, "sigmoid", 2) == pytest.approx(0.5625)
    assert gradient_bound(W, "tanh", 5000) == np.inf  # no overflow warning
    assert GAMMA["sigmoid"] == 0.25


# ---------------------------------------------------------------- the cliff


def _torch_cliff(w, b, T=50):
    w = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    x = torch.tensor(0.5, dtype=torch.float64)
    for _ in range(T):
        x = w * torch.sigmoid(x) + b
    loss = (torch.sigmoid(x) - 0.7) ** 2
    loss.backward()
    return loss.item(), w.grad.item(), b.grad.item()


POINTS = [(1.0, 0.0), (3.0, -1.5), (6.0, -2.5), (-2.0, 1.0), (10.0, -4.0), (8.0, -5.5)]


@pytest.mark.parametrize("w, b", POINTS)
def test_cliff_matches_torch(w, b):
    got = cliff_loss_and_grad(w, b)
    want = _torch_cliff(w, b)
    for g, h in zip(got, want):
        assert abs(g - h) <= 1e-10 * max(1.0, abs(h))


@pytest.mark.parametrize("w, b", POINTS)
def test_cliff_gradient_matches_finite_differences(w, b):
    eps = 1e-6
    _, dw, db = cliff_loss_and_grad(w, b)
    num_dw = (cliff_loss_and_grad(w + eps, b)[0] - cliff_loss_and_grad(w - eps, b)[0]) / (2 * eps)
    num_db = (cliff_loss_and_grad(w, b + eps)[0] - cliff_loss_and_grad(w, b - eps)[0]) / (2 * eps)
    assert rel_error(np.array([dw, db]), np.array([num_dw, num_db])) < 1e-6


def test_cliff_grid_equals_scalar_calls():
    w = np.linspace(-1, 12, 7)
    b = np.linspace(-8, 2, 5)
    L, dw, db = cliff_loss_and_grad(w[None, :], b[:, None])
    assert L.shape == dw.shape == db.shape == (5, 7)
    for i, bi in enumerate(b):
        for j, wj in enumerate(w):
            assert np.allclose(
                (L[i, j], dw[i, j], db[i, j]),
                cliff_loss_and_grad(float(wj), float(bi)),
                rtol=1e-8,  # math.tanh and np.tanh may differ in the last bit
                atol=1e-15,
            )


def test_cliff_has_a_cliff_and_extremes_do_not_warn():
    L, _, _ = cliff_loss_and_grad(np.linspace(7.0, 7.5, 501), -4.0)
    assert np.abs(np.diff(L)).max() > 0.3  # a jump, not a slope
    for w, b in [(1e8, -1e8), (-1e8, 1e8), (0.0, 0.0), (1e300, 1e300)]:
        out = cliff_loss_and_grad(w, b)
        assert all(np.isfinite(v) for v in out)


def test_cliff_rejects_bad_input():
    with pytest.raises(ValueError):
        cliff_loss_and_grad(float("nan"), 0.0)
    with pytest.raises(ValueError):
        cliff_loss_and_grad(np.array([1.0, np.inf]), 0.0)
    with pytest.raises(ValueError):
        cliff_loss_and_grad(1.0, 0.0, T=0)


# ---------------------------------------------------------------- clipping


def _grads(rng, scale):
    return {"W_hh": scale * rng.standard_normal((4, 4)), "b_h": scale * rng.standard_normal(4)}


def _norm(g):
    return np.sqrt(sum(np.sum(v**2) for v in g.values()))


@pytest.mark.parametrize("seed", range(20))
def test_clip_by_norm_bounds_norm_and_keeps_direction(seed):
    rng = np.random.default_rng(seed)
    g = _grads(rng, 10 ** rng.uniform(-3, 3))
    threshold = 10 ** rng.uniform(-2, 2)
    before = {k: v.copy() for k, v in g.items()}
    c = clip_by_norm(g, threshold)
    assert all(np.array_equal(g[k], before[k]) for k in g)  # input untouched
    assert _norm(c) <= threshold * (1 + 1e-12)
    flat_g = np.concatenate([v.ravel() for v in g.values()])
    flat_c = np.concatenate([v.ravel() for v in c.values()])
    cosine = flat_g @ flat_c / (np.linalg.norm(flat_g) * np.linalg.norm(flat_c))
    assert cosine == pytest.approx(1.0, abs=1e-12)
    if _norm(g) <= threshold:
        assert all(np.array_equal(c[k], g[k]) for k in g)
    else:
        assert _norm(c) == pytest.approx(threshold, rel=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_clipping_matches_torch(seed):
    rng = np.random.default_rng(seed)
    g = _grads(rng, 5.0)
    tensors = [torch.zeros(v.shape, dtype=torch.float64, requires_grad=True) for v in g.values()]
    for t, v in zip(tensors, g.values()):
        t.grad = torch.from_numpy(v.copy())
    torch.nn.utils.clip_grad_norm_(tensors, 1.0)
    for t, v in zip(tensors, clip_by_norm(g, 1.0).values()):
        assert rel_error(t.grad, v) < 1e-5  # torch adds 1e-6 to the norm
    for t, v in zip(tensors, g.values()):
        t.grad = torch.from_numpy(v.copy())
    torch.nn.utils.clip_grad_value_(tensors, 0.5)
    for t, v in zip(tensors, clip_by_value(g, 0.5).values()):
        assert rel_error(t.grad, v) == 0


def test_clip_by_value_bounds_each_entry_and_may_turn():
    c = clip_by_value({"g": np.array([30.0, 1.0, -0.2])}, 1.0)["g"]
    assert np.array_equal(c, [1.0, 1.0, -0.2])
    n = clip_by_norm({"g": np.array([30.0, 1.0])}, 1.0)["g"]
    assert n[0] / n[1] == pytest.approx(30.0)


@pytest.mark.parametrize(
    "bad, error",
    [({}, TypeError), ([np.ones(2)], TypeError), ({"g": np.ones(2, dtype=int)}, TypeError)],
)
def test_clipping_rejects_bad_grads(bad, error):
    with pytest.raises(error):
        clip_by_norm(bad, 1.0)
    with pytest.raises(error):
        clip_by_value(bad, 1.0)


@pytest.mark.parametrize("threshold", [0.0, -1.0, float("nan")])
def test_clipping_rejects_bad_threshold(threshold):
    with pytest.raises(ValueError):
        clip_by_norm({"g": np.ones(2)}, threshold)
    with pytest.raises(ValueError):
        clip_by_value({"g": np.ones(2)}, threshold)


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "relu"])
def test_jacobian_product_matches_autograd_and_the_backward_pass(name):
    rng = np.random.default_rng(3)
    T, H, D = 6, 4, 2
    params = {
        "W_xh": rng.standard_normal((H, D)),
        "W_hh": rng.standard_normal((H, H)) + np.triu(np.ones((H, H))),
        "b_h": 0.1 * rng.standard_normal(H),
    }
    xs, h0 = rng.standard_normal((T, 1, D)), 0.3 * rng.standard_normal((1, H))
    v = rng.standard_normal((1, H))
    norms, hs = hidden_grad_norms(xs, h0, params, v, name)
    P = jacobian_product(hs[:, 0], params["W_hh"], name)
    f = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu}[name]
    W_xh, W_hh, b_h = (torch.from_numpy(params[k]) for k in ("W_xh", "W_hh", "b_h"))

    def h_T(h):
        for x in torch.from_numpy(xs[:, 0]):
            h = f(W_xh @ x + W_hh @ h + b_h)
        return h

    want = torch.autograd.functional.jacobian(h_T, torch.from_numpy(h0[0])).numpy()
    np.testing.assert_allclose(P, want, rtol=1e-10, atol=1e-12)
    assert np.linalg.norm(P.T @ v[0]) == pytest.approx(norms[0, 0], rel=1e-10)


def test_gap_terms_sum_to_the_derivative_for_the_weight():
    from helpers.gradients import linear_unit_gap_terms

    xs = np.random.default_rng(0).standard_normal(40)

    def y_T(w):
        h = 0.0
        for x in xs:
            h = w * h + x
        return h

    for w in (0.9, 1.0, 1.05):
        terms = linear_unit_gap_terms(w, xs)
        assert terms.shape == (39,)
        numeric = (y_T(w + 1e-6) - y_T(w - 1e-6)) / 2e-6
        assert abs(terms.sum() - numeric) < 1e-6 * max(1.0, abs(numeric))
    # only x_1 = 1: every term is w^(T-2), and the sum is linear_unit_chain's derivative
    one = np.zeros(50)
    one[0] = 1.0
    terms = linear_unit_gap_terms(0.97, one)
    np.testing.assert_allclose(terms, 0.97**48)
    np.testing.assert_allclose(terms.sum(), linear_unit_chain(0.97, 50)[1][-1])


def test_copy_first_data_asks_for_the_first_sign():
    from helpers.gradients import make_copy_first_data

    xs, ys = make_copy_first_data(200, 7, torch.Generator().manual_seed(0))
    assert xs.shape == (7, 200, 1) and ys.shape == (200,)
    assert set(xs.unique().tolist()) == {-1.0, 1.0}
    assert torch.equal(ys, (xs[0, :, 0] > 0).double())
    assert 0.3 < ys.mean().item() < 0.7
