"""Exercises of notebook 01 (see ``helpers.exercises``)."""

import numpy as np

from ..activations import sigmoid, sigmoid_prime, softmax, step
from ..perceptron import (
    init_mlp,
    linear_backward,
    logic_dataset,
    mlp_backward,
    perceptron_update,
)
from .core import Exercise, register


def mlp_gradients(X, T, params):
    """The backward pass of the 2-layer XOR network, written out like the math.

    X: ``(N, D)`` inputs; T: ``(N, 1)`` 0/1 targets; params: ``U (H, D)``,
    ``b (H,)``, ``V (1, H)``, ``c (1,)``. The network is ``h = tanh(U x + b)``,
    ``y = sigmoid(V h + c)``, the loss the binary cross-entropy averaged over
    the ``N`` examples. Returns the gradients ``{"U", "b", "V", "c"}``, shaped
    like the parameters (the same numbers as ``mlp_loss(params, X, T)[1]``).
    """
    U, b, V, c = params["U"], params["b"], params["V"], params["c"]
    N = X.shape[0]
    h = np.tanh(X @ U.T + b)  # (N, H)
    y = sigmoid(h @ V.T + c)  # (N, 1)
    da = (y - T) / N  # (N, 1): sigmoid and cross-entropy together
    dV = da.T @ h  # (1, H): each example adds da_n h_n^T
    dc = da.sum(axis=0)  # (1,): summed over the batch
    dh = da @ V  # (N, H): V^T da for every row
    dz = dh * (1 - h**2)  # (N, H): tanh'(z) = 1 - h^2
    dU = dz.T @ X  # (H, D)
    db = dz.sum(axis=0)  # (H,)
    return {"U": dU, "b": db, "V": dV, "c": dc}


def _mlp_wrong(
    X, T, params, derivative=True, transpose=False, mean=True, db_axis=0, tanh_of_z=False
):
    """``mlp_gradients`` with one classic mistake switched on (for the checker's diagnosis)."""
    U, b, V, c = params["U"], params["b"], params["V"], params["c"]
    z = X @ U.T + b
    h = np.tanh(z)
    y = sigmoid(h @ V.T + c)
    da = (y - T) / (X.shape[0] if mean else 1)
    dh = da @ V
    dz = dh * (1 - (z if tanh_of_z else h) ** 2) if derivative else dh
    dU = X.T @ dz if transpose else dz.T @ X
    return {"U": dU, "b": dz.sum(axis=db_axis), "V": da.T @ h, "c": da.sum(axis=0)}


def _mlp_cases():
    rng = np.random.default_rng(11)
    X, T = logic_dataset("XOR")
    xor = {k: v + 0.3 for k, v in init_mlp(2, 2, 1, rng).items()}  # b, c away from 0
    X3 = rng.standard_normal((7, 3))
    T3 = (rng.random((7, 1)) > 0.5).astype(float)
    wide = {k: v + 0.2 * rng.standard_normal(v.shape) for k, v in init_mlp(3, 5, 1, rng).items()}
    return [
        ("XOR, 2 hidden units (N=4, D=2, H=2)", (X, T, xor)),
        ("one example (N=1)", (X[1:2], T[1:2], xor)),
        ("N=7 random inputs, D=3, H=5", (X3, T3, wide)),
        (
            "N=4, D=2, H=4 (as many hidden units as examples)",
            (X, T, init_mlp(2, 4, 1, rng, scale=2.0)),
        ),
    ]


def _perceptron_cases():
    W = np.array([[0.5, -1.0]])
    b = np.array([0.25])
    return [
        ("already right: nothing changes", (W, b, np.array([1.0, 0.0]), np.array([1.0]), 1.0)),
        ("should have fired (t=1, y=0)", (W, b, np.array([0.0, 1.0]), np.array([1.0]), 1.0)),
        ("fired but should not (t=0, y=1)", (W, b, np.array([1.0, 0.0]), np.array([0.0]), 1.0)),
        (
            "zero weights: W x + b = 0, and step(0) = 0",
            (np.zeros((1, 2)), np.zeros(1), np.array([1.0, 1.0]), np.array([1.0]), 1.0),
        ),
        ("learning rate 0.1", (W, b, np.array([1.0, 1.0]), np.array([1.0]), 0.1)),
        (
            "two outputs (W of shape (2, 3))",
            (
                np.array([[0.2, -0.4, 0.1], [-0.3, 0.5, 0.0]]),
                np.array([0.0, -0.1]),
                np.array([1.0, 2.0, -1.0]),
                np.array([1.0, 0.0]),
                0.5,
            ),
        ),
    ]


def _update_in_place(W, b, x, t, lr):
    y = step(W @ x + b)
    W += lr * np.outer(t - y, x)
    b += lr * (t - y)
    return W, b


def _sigmoid_prime_cases():
    return [
        ("z = 0 (the maximum, 0.25)", (np.array([0.0]),)),
        ("z from -6 to 6", (np.linspace(-6.0, 6.0, 13),)),
        ("a 2-D array of shape (3, 4)", (np.linspace(-3.0, 3.0, 12).reshape(3, 4),)),
        (
            "large |z| = 30, 700 and 1000",
            (np.array([-1000.0, -700.0, -30.0, 30.0, 700.0, 1000.0]),),
        ),
    ]


def _softmax_cases():
    return [
        ("one vector of 3 scores", (np.array([1.0, 2.0, 3.0]),)),
        (
            "a batch (4, 3): one distribution per row",
            (np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-1.0, 5.0, 0.5], [2.0, -2.0, 0.0]]),),
        ),
        ("equal scores give equal probabilities", (np.full(5, 7.0),)),
        ("large scores (1000, 1001, 1002)", (np.array([[1000.0, 1001.0, 1002.0]]),)),
        (
            "a batch mixing rows near 1000 with rows near 0",
            (np.array([[1000.0, 999.0, 998.0], [0.0, 1.0, -1.0]]),),
        ),
        (
            "a row spanning 1000 (from -500 to 500): exp of the span overflows",
            (np.array([[-500.0, 0.0, 500.0], [2.0, 1.0, 0.0]]),),
        ),
    ]


register(
    Exercise(
        "01-sigmoid-prime",
        "the derivative of the sigmoid",
        reference=sigmoid_prime,
        cases=_sigmoid_prime_cases,
        hints=[
            "Chain rule: σ(z) = u^(-1) with u = 1 + e^(-z). Differentiate the outside, then the"
            " inside.",
            "You should get e^(-z) / (1 + e^(-z))². Split it into 1 / (1 + e^(-z)) times"
            " e^(-z) / (1 + e^(-z)); the first factor is σ(z). What is the second, in terms of"
            " σ(z)? (Add and subtract 1 in its numerator.)",
            "σ'(z) = σ(z) (1 − σ(z)); compute s = sigmoid(z) once and reuse it. Never evaluate"
            " e^(-z) itself: it overflows for z below about −709.",
        ],
        mistakes=[
            (
                "σ(z)(1 + σ(z)): the sign inside the bracket",
                lambda z: sigmoid(z) * (1 + sigmoid(z)),
            ),
            ("z (1 − z): the formula applied to z instead of σ(z)", lambda z: z * (1 - z)),
            ("1 − σ(z)²: that is the shape of tanh's derivative", lambda z: 1 - sigmoid(z) ** 2),
            ("σ(z)²: the factor (1 − σ(z)) is missing", lambda z: sigmoid(z) ** 2),
            (
                "e^(−z) / (1 + e^(−z))² evaluated directly: right formula, but e^(−z) overflows"
                " for very negative z (inf / inf = nan)",
                lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2,
            ),
        ],
        atol=1e-12,
    ),
    Exercise(
        "01-perceptron-update",
        "one step of the perceptron learning rule",
        reference=perceptron_update,
        cases=_perceptron_cases,
        hints=[
            "First compute what the neuron outputs now, y = step(W x + b), with `step` (step(0) = 0).",
            "The error t − y is +1, −1 or 0 per output. W changes by η (t − y) xᵀ: an outer product.",
            "y = step(W @ x + b); e = t - y; return W + lr * np.outer(e, x), b + lr * e "
            "(new arrays: `W + ...`, not `W += ...`, which would change the caller's weights).",
        ],
        mistakes=[
            (
                "the sign of the error: (y − t) instead of (t − y)",
                lambda W, b, x, t, lr: (
                    W + lr * np.outer(step(W @ x + b) - t, x),
                    b + lr * (step(W @ x + b) - t),
                ),
            ),
            (
                "the bias is never updated",
                lambda W, b, x, t, lr: (W + lr * np.outer(t - step(W @ x + b), x), b),
            ),
            (
                "the learning rate is left out",
                lambda W, b, x, t, lr: (
                    W + np.outer(t - step(W @ x + b), x),
                    b + (t - step(W @ x + b)),
                ),
            ),
            (
                "step(0) = 1 (>= instead of >): a neuron with W x + b = 0 fires",
                lambda W, b, x, t, lr: (
                    W + lr * np.outer(t - (W @ x + b >= 0), x),
                    b + lr * (t - (W @ x + b >= 0)),
                ),
            ),
            (
                "W and b changed in place (W += ...): the caller's arrays change too",
                _update_in_place,
            ),
            (
                "only the new W returned, not (W, b)",
                lambda W, b, x, t, lr: W + lr * np.outer(t - step(W @ x + b), x),
            ),
        ],
    ),
    Exercise(
        "01-mlp-backward",
        "the backward pass of the XOR network",
        reference=mlp_gradients,
        cases=_mlp_cases,
        answer_in=[mlp_backward, linear_backward],
        hints=[
            "Run the forward pass first and keep h and y: every gradient below needs one of them. "
            "Then go backwards through the five lines of the derivation, one variable at a time.",
            "Shapes tell you where the transposes go: dL/dV must be (1, H) like V, so it is da.T @ h "
            "with da (N, 1) and h (N, H); dL/dU (H, D) is dz.T @ X. Biases sum over the batch (axis 0).",
            "da = (y - T) / N;  dV = da.T @ h;  dc = da.sum(0);  dh = da @ V;  "
            "dz = dh * (1 - h**2);  dU = dz.T @ X;  db = dz.sum(0).",
        ],
        mistakes=[
            (
                "the activation derivative is missing: dz = dh, not dh * (1 − h²)",
                lambda X, T, p: _mlp_wrong(X, T, p, derivative=False),
            ),
            (
                "tanh's derivative computed from z (1 − z²) instead of from h = tanh(z) (1 − h²)",
                lambda X, T, p: _mlp_wrong(X, T, p, tanh_of_z=True),
            ),
            (
                "dL/dU transposed: X.T @ dz is (D, H), U is (H, D)",
                lambda X, T, p: _mlp_wrong(X, T, p, transpose=True),
            ),
            (
                "not averaged over N: the loss is a mean, so da = (y − t) / N",
                lambda X, T, p: _mlp_wrong(X, T, p, mean=False),
            ),
            (
                "db summed over the hidden units (axis 1) instead of over the examples (axis 0)",
                lambda X, T, p: _mlp_wrong(X, T, p, db_axis=1),
            ),
        ],
        rtol=1e-7,
        atol=1e-12,
    ),
    Exercise(
        "01-softmax",
        "a row-wise softmax that never overflows",
        reference=softmax,
        cases=_softmax_cases,
        hints=[
            "Softmax does not change when you add the same number to every score of a row.",
            "Which number makes every exponent safe? After subtracting a row's maximum every score "
            "is <= 0, so np.exp gives values in (0, 1]: no overflow, and the largest is exactly 1. "
            "The rows are the last axis (axis=-1), for a vector and for a batch alike.",
            "e = np.exp(z - z.max(axis=-1, keepdims=True)); return e / e.sum(axis=-1, keepdims=True)",
        ],
        mistakes=[
            (
                "no max-shift: np.exp(1000) overflows to inf",
                lambda z: np.exp(z) / np.exp(z).sum(-1, keepdims=True),
            ),
            (
                "one maximum for the whole batch: a row far below it underflows to 0/0",
                lambda z: (lambda e: e / e.sum(-1, keepdims=True))(np.exp(z - np.max(z))),
            ),
            (
                "normalised over the wrong axis (columns instead of rows)",
                lambda z: (lambda e: e / e.sum(0, keepdims=True))(
                    np.exp(z - z.max(0, keepdims=True))
                ),
            ),
            ("no exp: the scores divided by their sum", lambda z: z / z.sum(-1, keepdims=True)),
            (
                "each row's minimum subtracted: exp(max − min) overflows when a row spans more "
                "than 709; subtract the maximum",
                lambda z: (lambda e: e / e.sum(-1, keepdims=True))(
                    np.exp(z - z.min(-1, keepdims=True))
                ),
            ),
        ],
        atol=1e-12,
    ),
    Exercise(
        "01-xnor-weights",
        "think: step-unit weights for XNOR",
        answer="""
        XNOR is 1 when the inputs are equal: it is NOT XOR. Keep the hidden layer of
        section 5 (OR and NAND) and flip the output neuron: XOR was the AND of the
        two hidden units, XNOR is their NAND, which fires unless both are 1:

        $U = \\begin{bmatrix} 1 & 1 \\\\ -1 & -1 \\end{bmatrix}$, $b = (-0.5,\\; 1.5)$,
        $V = [-1\\;\\; -1]$, $c = 1.5$.

        Check the four inputs: $(0,0)$ gives $h = (0, 1)$, output
        $\\mathrm{step}(-1 + 1.5) = 1$; $(0,1)$ and $(1,0)$ give $h = (1, 1)$,
        $\\mathrm{step}(-2 + 1.5) = 0$; $(1,1)$ gives $h = (1, 0)$, output 1.
        Another way: hidden units AND and NOR ("both 1", "both 0"), output their OR.
        """,
        hints=["XNOR = NOT XOR. Which output neuron turns the XOR network's answer around?"],
    ),
    Exercise(
        "01-step-gradient",
        "think: training the hidden layer with step units",
        answer="""
        With $f = \\mathrm{step}$ the factor $f'(z)$ in
        $\\partial L / \\partial z = \\partial L / \\partial h \\odot f'(z)$ is 0 everywhere
        (and undefined exactly at 0), so $\\partial L / \\partial U = 0$ and
        $\\partial L / \\partial b = 0$ for every example. Gradient descent never moves
        the hidden layer: $U, b$ stay at their random start. Only $V$ and $c$ learn,
        so the network is a single trainable neuron reading fixed random step
        features; it solves XOR only if those random features happen to make the
        four points linearly separable. This is why backpropagation needed smooth
        activations, and why the perceptron had its own rule.
        """,
        hints=["Look at the line ∂L/∂z = ∂L/∂h ⊙ f'(z). What is f' for the step?"],
    ),
)
