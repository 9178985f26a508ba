"""Tests for helpers.activations: derivatives, stability, softmax and the losses."""

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from helpers.activations import (
    ACTIVATIONS,
    binary_cross_entropy,
    cross_entropy,
    cross_entropy_grad,
    log_softmax,
    relu,
    relu_prime,
    sigmoid,
    sigmoid_prime,
    softmax,
    step,
    step_prime,
    tanh,
    tanh_prime,
)

torch.set_num_threads(1)

# points away from the kinks of step and relu (at 0), where finite differences are valid
Z = np.array([-4.0, -1.3, -0.2, 0.3, 0.9, 2.5])
EXTREME = np.array([-1e308, -1e4, -800.0, -710.0, 710.0, 800.0, 1e4, 1e308])


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_matches_finite_differences(name):
    f, f_prime = ACTIVATIONS[name]
    eps = 1e-6
    numeric = (f(Z + eps) - f(Z - eps)) / (2 * eps)
    np.testing.assert_allclose(f_prime(Z), numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize(
    "name, torch_fn",
    [("sigmoid", torch.sigmoid), ("tanh", torch.tanh), ("relu", torch.relu)],
)
def test_function_and_derivative_match_torch(name, torch_fn):
    f, f_prime = ACTIVATIONS[name]
    z = np.concatenate([Z, [0.0, -30.0, 30.0]])  # includes relu's kink: relu'(0) = 0 in both
    zt = torch.tensor(z, requires_grad=True)
    out = torch_fn(zt)
    out.sum().backward()
    np.testing.assert_allclose(f(z), out.detach().numpy(), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(f_prime(z), zt.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_conventions_at_zero():
    assert step(0.0) == 0.0 and step(1e-12) == 1.0
    assert step_prime(0.0) == 0.0
    assert relu_prime(0.0) == 0.0 and relu_prime(1e-12) == 1.0
    assert sigmoid(0.0) == 0.5 and sigmoid_prime(0.0) == 0.25
    assert tanh(0.0) == 0.0 and tanh_prime(0.0) == 1.0
    assert relu(-3.0) == 0.0


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_extreme_inputs_give_no_warning_and_no_nan(name):
    f, f_prime = ACTIVATIONS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for dtype in (np.float64, np.float32):
            z = (
                EXTREME.astype(dtype)
                if dtype == np.float64
                else np.float32([-1e30, -100, 100, 1e30])
            )
            for g in (f, f_prime):
                out = g(z)
                assert out.dtype == dtype
                assert not np.any(np.isnan(out))


def test_sigmoid_saturates_exactly_and_is_symmetric():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert sigmoid(-1000.0) == 0.0 and sigmoid(1000.0) == 1.0
        z = np.linspace(-20, 20, 81)
        np.testing.assert_allclose(sigmoid(z) + sigmoid(-z), 1.0, rtol=0, atol=1e-15)
        np.testing.assert_allclose(tanh(z), 2 * sigmoid(2 * z) - 1, atol=1e-14)


def test_integer_and_list_inputs_are_accepted():
    np.testing.assert_allclose(sigmoid(np.arange(3)), sigmoid(np.arange(3.0)))
    np.testing.assert_allclose(relu([-1, 2]), [0.0, 2.0])
    assert step(np.array([True, False])).tolist() == [1.0, 0.0]


def test_bad_inputs_raise_clearly():
    with pytest.raises(TypeError, match="torch.Tensor"):
        sigmoid(torch.zeros(3))
    with pytest.raises(TypeError, match="numpy array"):
        tanh("1.0")
    with pytest.raises(ValueError, match="scalar"):
        softmax(3.0)


finite = st.floats(-1e6, 1e6, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 6)), elements=finite))
def test_softmax_is_a_distribution_and_shift_invariant(z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = softmax(z)
        assert p.shape == z.shape
        assert np.all(p >= 0) and np.all(np.isfinite(p))
        np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-12)
        shift = np.linspace(-500, 500, z.shape[0])[:, None]  # a different shift per row
        np.testing.assert_allclose(softmax(z + shift), p, atol=1e-9)
        np.testing.assert_allclose(np.exp(log_softmax(z)), p, atol=1e-12)


def test_softmax_matches_torch_and_handles_huge_scores():
    z = np.array([[1.0, 2.0, 3.0], [1000.0, 1001.0, 1002.0], [-1e4, 0.0, 1e4]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(
            softmax(z), torch.softmax(torch.tensor(z), -1).numpy(), atol=1e-15
        )
        np.testing.assert_allclose(softmax(z[1]), softmax(z[0]), atol=1e-12)
        # along another axis
        np.testing.assert_allclose(softmax(z.T, axis=0), softmax(z).T)


def test_cross_entropy_and_its_gradient_match_torch():
    rng = np.random.default_rng(0)
    logits = 3 * rng.standard_normal((7, 4))
    targets = rng.integers(0, 4, size=7)
    lt = torch.tensor(logits, requires_grad=True)
    loss = torch.nn.functional.cross_entropy(lt, torch.tensor(targets))
    loss.backward()
    assert abs(cross_entropy(logits, targets) - loss.item()) < 1e-12
    np.testing.assert_allclose(cross_entropy_grad(logits, targets), lt.grad.numpy(), atol=1e-14)
    # huge logits: no overflow, exact answer
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cross_entropy(np.array([[1e4, 0.0]]), np.array([1])) == pytest.approx(1e4)


def test_binary_cross_entropy_matches_torch():
    rng = np.random.default_rng(1)
    z = np.concatenate([5 * rng.standard_normal(6), [-800.0, 800.0]])
    t = np.array([0, 1, 1, 0, 1, 0, 1, 0], dtype=float)
    zt = torch.tensor(z, requires_grad=True)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(zt, torch.tensor(t))
    loss.backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert abs(binary_cross_entropy(z, t) - loss.item()) < 1e-10
    np.testing.assert_allclose((sigmoid(z) - t) / z.size, zt.grad.numpy(), atol=1e-15)


def test_loss_inputs_are_validated():
    logits = np.zeros((3, 4))
    with pytest.raises(TypeError, match="integer class indices"):
        cross_entropy(logits, np.array([0.0, 1.0, 2.0]))
    with pytest.raises(ValueError, match=r"\[0, 3\]"):
        cross_entropy(logits, np.array([0, 1, 4]))
    with pytest.raises(ValueError, match="expected shape"):
        cross_entropy(logits, np.array([0, 1]))
    with pytest.raises(ValueError, match="2 dimensions"):
        cross_entropy_grad(np.zeros(4), np.array([1]))
    with pytest.raises(ValueError, match="same shape"):
        binary_cross_entropy(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        binary_cross_entropy(np.zeros(2), np.array([0.0, 2.0]))
