"""Tests for helpers.perceptron: the learning rule, the two-layer network and its backprop."""

import numpy as np
import pytest
import torch

from helpers.numerics import gradient_check
from helpers.perceptron import (
    MLP_KEYS,
    blobs_dataset,
    init_mlp,
    linear_backward,
    linear_forward,
    logic_dataset,
    mlp_forward,
    mlp_loss,
    mlp_predict,
    perceptron_forward,
    perceptron_update,
    train_mlp,
    train_perceptron,
)

torch.set_num_threads(1)

W0, B0, LR = np.array([[0.3, -0.2]]), np.array([0.1]), 0.5  # the start used in notebook 01


def test_logic_datasets():
    for name, truth in [("AND", [0, 0, 0, 1]), ("or", [0, 1, 1, 1]), ("XOR", [0, 1, 1, 0])]:
        X, T = logic_dataset(name)
        assert X.shape == (4, 2) and T.shape == (4, 1)
        assert T[:, 0].tolist() == truth
    with pytest.raises(ValueError, match="AND"):
        logic_dataset("NOR")


def test_perceptron_forward_by_hand():
    X, T = logic_dataset("AND")
    y = perceptron_forward(X, np.array([[1.0, 1.0]]), np.array([-1.5]))
    np.testing.assert_array_equal(y, T)


def test_perceptron_update_rule():
    W, b = np.array([[0.5, -1.0]]), np.array([0.25])
    W_copy, b_copy = W.copy(), b.copy()
    # right already: no change
    W1, b1 = perceptron_update(W, b, np.array([1.0, 0.0]), np.array([1.0]), 1.0)
    np.testing.assert_array_equal(W1, W)
    np.testing.assert_array_equal(b1, b)
    # should have fired: move towards x
    W2, b2 = perceptron_update(W, b, np.array([0.0, 1.0]), np.array([1.0]), 0.5)
    np.testing.assert_allclose(W2, [[0.5, -0.5]])
    np.testing.assert_allclose(b2, [0.75])
    # inputs untouched
    np.testing.assert_array_equal(W, W_copy)
    np.testing.assert_array_equal(b, b_copy)


@pytest.mark.parametrize("start", ["zeros", "notebook"])
@pytest.mark.parametrize("name", ["AND", "OR"])
def test_perceptron_converges_on_linearly_separable_gates(name, start):
    X, T = logic_dataset(name)
    kw = {} if start == "zeros" else {"W": W0, "b": B0, "lr": LR}
    run = train_perceptron(X, T, epochs=20, **kw)
    assert run["errors"][-1] == 0
    first = int(np.argmax(run["errors"] == 0))
    assert np.all(run["errors"][first:] == 0)  # once right, it stays right
    np.testing.assert_array_equal(perceptron_forward(X, run["W"], run["b"]), T)
    assert len(run["history"]) == 1 + 20 * 4


@pytest.mark.parametrize("start", ["zeros", "notebook", "random"])
def test_perceptron_never_solves_xor(start):
    X, T = logic_dataset("XOR")
    if start == "random":
        rng = np.random.default_rng(3)
        kw = {"W": rng.standard_normal((1, 2)), "b": rng.standard_normal(1)}
    else:
        kw = {} if start == "zeros" else {"W": W0, "b": B0, "lr": LR}
    run = train_perceptron(X, T, epochs=100, **kw)
    assert run["errors"].min() >= 1  # no line separates XOR: at least one point is always wrong
    # and it never settles: the weights still change during the last epoch (they cycle)
    W_before, b_before, _ = run["history"][-5]
    assert any(
        not (np.array_equal(W, W_before) and np.array_equal(b, b_before))
        for W, b, _ in run["history"][-4:]
    )


def test_perceptron_rejects_bad_inputs():
    X, T = logic_dataset("AND")
    with pytest.raises(ValueError, match=r"W: expected shape \(K, D=2\).*got \(1, 3\)"):
        perceptron_forward(X, np.zeros((1, 3)), np.zeros(1))
    with pytest.raises(ValueError, match="b"):
        train_perceptron(X, T, W=np.zeros((1, 2)), b=np.zeros(2))
    with pytest.raises(ValueError, match="lr"):
        train_perceptron(X, T, lr=-1.0)
    with pytest.raises(ValueError, match="T"):
        train_perceptron(X, T[:3])
    with pytest.raises(TypeError, match="epochs"):
        train_perceptron(X, T, epochs=2.5)


def test_linear_backward_by_definition():
    rng = np.random.default_rng(0)
    x, W, b = rng.standard_normal((5, 3)), rng.standard_normal((4, 3)), rng.standard_normal(4)
    out, cache = linear_forward(x, W, b)
    np.testing.assert_allclose(out, np.stack([W @ xn + b for xn in x]))
    dout = rng.standard_normal((5, 4))
    dx, dW, db = linear_backward(dout, cache)
    np.testing.assert_allclose(dW, sum(np.outer(d, xn) for d, xn in zip(dout, x)))
    np.testing.assert_allclose(dx, dout @ W)
    np.testing.assert_allclose(db, dout.sum(0))


def _problem(output, f, rng):
    X = rng.standard_normal((6, 3))
    params = init_mlp(3, 5, 4, rng)
    params = {
        k: v + 0.1 * rng.standard_normal(v.shape) for k, v in params.items()
    }  # nonzero biases
    if output == "sigmoid":
        T = (rng.random((6, 4)) > 0.5).astype(float)
    else:
        T = rng.integers(0, 4, size=6)
    return X, T, params


@pytest.mark.parametrize("f", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
def test_mlp_gradients_match_finite_differences(output, f):
    X, T, params = _problem(output, f, np.random.default_rng(1))
    loss, grads = mlp_loss(params, X, T, f, output)
    errors = gradient_check(lambda p: mlp_loss(p, X, T, f, output)[0], params, grads)
    assert set(errors) == {"U", "b", "V", "c"}
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("f", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
def test_mlp_loss_and_gradients_match_torch_autograd(output, f):
    X, T, params = _problem(output, f, np.random.default_rng(2))
    loss, grads = mlp_loss(params, X, T, f, output)
    p = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    act = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}[f]
    h = act(torch.tensor(X) @ p["U"].T + p["b"])
    a = h @ p["V"].T + p["c"]
    if output == "sigmoid":
        tl = torch.nn.functional.binary_cross_entropy_with_logits(a, torch.tensor(T))
    else:
        tl = torch.nn.functional.cross_entropy(a, torch.tensor(T))
    tl.backward()
    assert abs(loss - tl.item()) < 1e-12
    for k in params:
        np.testing.assert_allclose(grads[k], p[k].grad.numpy(), rtol=1e-10, atol=1e-14)


def test_mlp_solves_xor_in_the_notebook_setting():
    X, T = logic_dataset("XOR")
    run = train_mlp(X, T, H=2, epochs=2000, lr=1.0, rng=np.random.default_rng(0), n_snapshots=5)
    y = mlp_predict(X, run["params"])
    np.testing.assert_array_equal(y > 0.5, T > 0.5)
    assert run["losses"][-1] < 0.05 < run["losses"][0]
    assert [e for e, _ in run["snapshots"]] == [0, 500, 1000, 1500, 2000]
    # the hidden features make XOR linearly separable: the output unit is a line in h-space
    _, h, _ = mlp_forward(X, run["params"])
    a = h @ run["params"]["V"].T + run["params"]["c"]
    assert np.all((a > 0) == (T > 0.5))


def test_mlp_solves_xor_from_most_starts_with_four_hidden_units():
    X, T = logic_dataset("XOR")
    solved = 0
    for seed in range(10):
        run = train_mlp(X, T, H=4, epochs=1500, lr=1.0, rng=np.random.default_rng(seed))
        solved += np.all((mlp_predict(X, run["params"]) > 0.5) == (T > 0.5))
    assert solved >= 8


def test_softmax_mlp_learns_three_blobs():
    X, labels = blobs_dataset(30, np.random.default_rng(0))
    assert X.shape == (90, 2) and labels.shape == (90,)
    run = train_mlp(
        X, labels, H=8, output="softmax", epochs=300, lr=0.5, rng=np.random.default_rng(0)
    )
    p = mlp_predict(X, run["params"], output="softmax")
    np.testing.assert_allclose(p.sum(1), 1.0)
    assert np.mean(p.argmax(1) == labels) > 0.9


def test_mlp_rejects_bad_inputs():
    X, T = logic_dataset("XOR")
    params = init_mlp(2, 3, 1)
    with pytest.raises(KeyError, match="missing"):
        mlp_loss({k: v for k, v in params.items() if k != "c"}, X, T)
    with pytest.raises(ValueError, match=r"params\['V'\]"):
        mlp_forward(X, {**params, "V": np.zeros((1, 4))})
    with pytest.raises(ValueError, match=r"params\['U'\]: expected shape \(H, D=3\)"):
        mlp_forward(np.zeros((4, 3)), params)
    with pytest.raises(ValueError, match="f: expected one of"):
        mlp_forward(X, params, f="softplus")
    with pytest.raises(ValueError, match="output"):
        mlp_loss(params, X, T, output="linear")
    with pytest.raises(ValueError, match="T"):
        mlp_loss(params, X, T[:, 0])
    with pytest.raises(TypeError, match="integer class indices"):
        mlp_loss(params, X, T[:, 0], output="softmax")
    with pytest.raises(TypeError, match="torch.Tensor"):
        mlp_forward(torch.zeros(4, 2), params)


# ------------------------------------------------ notebook 01's exercises


def test_mlp_gradients_solution_is_the_course_backward_pass():
    """The exercise's written-out solution gives mlp_loss's gradients, which match
    finite differences: so the checker compares against the right numbers."""
    from helpers.exercises.nb01 import _mlp_cases, mlp_gradients
    from helpers.numerics import gradient_check

    for _, (X, T, params) in _mlp_cases():
        grads = mlp_gradients(X, T, params)
        _, want = mlp_loss(params, X, T)
        for k in MLP_KEYS:
            np.testing.assert_allclose(grads[k], want[k], rtol=1e-12, atol=1e-15)
        errors = gradient_check(lambda p, X=X, T=T: mlp_loss(p, X, T)[0], params, grads)
        assert max(errors.values()) < 1e-6


def test_exercise_verdicts_say_what_differs(capsys):
    """The verdict names the problem (in-place changes: tests/test_checking.py)."""
    from helpers.activations import sigmoid
    from helpers.exercises import EXERCISES

    def sigmoid_prime_no_return(z):
        s = sigmoid(z)
        s * (1 - s)  # noqa: B018 - the mistake under test

    def softmax_naive(z):
        e = np.exp(z)
        return e / e.sum(axis=-1, keepdims=True)

    assert not EXERCISES["01-sigmoid-prime"].check(sigmoid_prime_no_return)
    assert "forget `return`" in capsys.readouterr().out
    assert not EXERCISES["01-softmax"].check(softmax_naive)
    out = capsys.readouterr().out
    assert "NaN" in out and "no max-shift" in out
    assert EXERCISES["01-softmax"].check(softmax_naive, quiet=True).status == "failed"
    assert capsys.readouterr().out == ""
