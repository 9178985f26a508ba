"""The perceptron and the two-layer network (notebook 01), in plain numpy.

Notation (math in column vectors, code in PyTorch's weight layout):

- perceptron: ``y = f(W x + b)`` with ``W`` of shape ``(K, D)`` (out, in) and
  ``b`` of shape ``(K,)``;
- two-layer network: ``h = f(U x + b)``, ``y = g(V h + c)`` with ``U (H, D)``,
  ``b (H,)``, ``V (K, H)``, ``c (K,)``. These are the classic names: in the
  recurrent network ``U`` becomes ``W_xh`` and ``V`` becomes ``W_hy``.

Code works on a batch of ``N`` examples stored as rows, ``X`` of shape
``(N, D)``, so ``W x + b`` for every row reads ``X @ W.T + b``.
"""

from __future__ import annotations

import numpy as np

from .activations import (
    ACTIVATIONS,
    binary_cross_entropy,
    cross_entropy,
    cross_entropy_grad,
    sigmoid,
    softmax,
    step,
)
from .validate import check_array, check_params, check_range, checked

# --------------------------------------------------------------------- data

_TRUTH_TABLES = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "XOR": [0, 1, 1, 0]}


def logic_dataset(name: str):
    """The four points of a two-input logic gate: ``"AND"``, ``"OR"`` or ``"XOR"``.

    Returns ``X`` of shape ``(4, 2)`` (rows (0,0), (0,1), (1,0), (1,1)) and
    targets ``T`` of shape ``(4, 1)``, both float64 with values 0 or 1.
    """
    key = str(name).upper()
    if key not in _TRUTH_TABLES:
        raise ValueError(f"name: expected one of {sorted(_TRUTH_TABLES)}, got {name!r}")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    T = np.array(_TRUTH_TABLES[key], dtype=np.float64).reshape(4, 1)
    return X, T


def blobs_dataset(n_per_class: int = 30, rng=None):
    """Three Gaussian clouds in the plane, for the softmax demo.

    Returns ``X`` of shape ``(3 n, 2)`` float64 and integer class labels
    ``labels`` of shape ``(3 n,)`` with values 0, 1, 2.
    """
    check_range(n_per_class, "n_per_class", low=1, integer=True)
    rng = np.random.default_rng(0) if rng is None else rng
    centres = np.array([[0.0, 1.2], [-1.1, -0.7], [1.1, -0.7]])
    X = np.concatenate([m + 0.45 * rng.standard_normal((n_per_class, 2)) for m in centres])
    labels = np.repeat(np.arange(3), n_per_class)
    return X, labels


# --------------------------------------------------------------- perceptron


def _check_forward(X, W, b):
    dims = {}
    return {
        "X": check_array(X, "X", ("N", "D"), dims),
        "W": check_array(W, "W", ("K", "D"), dims),
        "b": check_array(b, "b", ("K",), dims),
    }


@checked(_check_forward)
def perceptron_forward(X, W, b):
    """Perceptron outputs ``y = step(W x + b)`` for every row ``x`` of ``X``.

    X: ``(N, D)`` inputs; W: ``(K, D)``; b: ``(K,)``. Returns ``(N, K)`` of 0s and 1s.
    """
    return step(X @ W.T + b)


def perceptron_update(W, b, x, t, lr: float = 1.0):
    """One step of Rosenblatt's learning rule on a single example.

    W: ``(K, D)``; b: ``(K,)``; x: ``(D,)`` one input; t: ``(K,)`` its 0/1 target;
    lr: the learning rate ``eta > 0``.
    With ``y = step(W x + b)``: ``W <- W + eta (t - y) x^T`` and
    ``b <- b + eta (t - y)``. Nothing changes when the example is already
    right (``t = y``). Returns the new ``(W, b)``; the inputs are not modified.
    (``train_perceptron`` checks its inputs once; this step checks nothing.)
    """
    y = step(W @ x + b)
    error = t - y  # +1: should have fired, -1: should not have, 0: right
    return W + lr * np.outer(error, x), b + lr * error


def _check_train_perceptron(X, T, epochs, lr, W, b):
    dims = {}
    X = check_array(X, "X", ("N", "D"), dims)
    T = check_array(T, "T", ("N", "K"), dims)
    check_range(epochs, "epochs", low=1, integer=True)
    check_range(lr, "lr", low=0)
    if W is not None:
        W = check_array(W, "W", ("K", "D"), dims)
    if b is not None:
        b = check_array(b, "b", ("K",), dims)
    return {"X": X, "T": T, "W": W, "b": b}


@checked(_check_train_perceptron)
def train_perceptron(X, T, epochs: int = 20, lr: float = 1.0, W=None, b=None):
    """Train a perceptron with ``perceptron_update``, visiting the rows of ``X`` in order.

    X: ``(N, D)``; T: ``(N, K)`` 0/1 targets; W, b: starting weights (default zeros).
    Returns a dict with
      ``W``, ``b``: the final weights;
      ``errors``: ``(epochs,)`` ints, examples misclassified after each epoch;
      ``history``: ``[(W, b, n), ...]`` the weights after every single update
      step, ``n`` being the row just visited (the first entry, ``n = -1``, is
      the start).
    """
    K, D = T.shape[1], X.shape[1]
    W = np.zeros((K, D)) if W is None else W.copy()
    b = np.zeros(K) if b is None else b.copy()
    history, errors = [(W, b, -1)], []
    for _ in range(epochs):
        for n in range(len(X)):
            W, b = perceptron_update(W, b, X[n], T[n], lr)
            history.append((W, b, n))
        errors.append(int(np.sum(np.any(step(X @ W.T + b) != T, axis=1))))
    return {"W": W, "b": b, "errors": np.array(errors), "history": history}


# ------------------------------------------- layers with forward/backward pairs


def linear_forward(x, W, b):
    """Affine layer ``W x + b`` for every row: ``x (N, D)``, ``W (M, D)``, ``b (M,)`` -> ``(N, M)``.

    Returns ``(out, cache)``; the cache holds what ``linear_backward`` needs.
    """
    return x @ W.T + b, (x, W)


def linear_backward(dout, cache):
    """Gradients of an affine layer, given ``dout = dL/d(out)`` of shape ``(N, M)``.

    Returns ``(dx (N, D), dW (M, D), db (M,))``. Each example adds its own
    outer product ``dout_n x_n^T`` to ``dW``; ``db`` sums over the batch.
    """
    x, W = cache
    return dout @ W, dout.T @ x, dout.sum(axis=0)


def activation_forward(z, f: str = "tanh"):
    """Element-wise activation ``f(z)`` (``"step"``, ``"sigmoid"``, ``"tanh"``, ``"relu"``).

    Returns ``(out, cache)``.
    """
    return ACTIVATIONS[f][0](z), (z, f)


def activation_backward(dout, cache):
    """``dL/dz = dL/d(out) * f'(z)``, element by element; same shape as ``z``."""
    z, f = cache
    return dout * ACTIVATIONS[f][1](z)


# ---------------------------------------------------------- two-layer network

MLP_KEYS = ("U", "b", "V", "c")


def _check_mlp(X, params, f, dims):
    if f not in ACTIVATIONS:
        raise ValueError(f"f: expected one of {sorted(ACTIVATIONS)}, got {f!r}")
    check_params(params, "params", MLP_KEYS)
    X = check_array(X, "X", ("N", "D"), dims)
    check_array(params["U"], "params['U']", ("H", "D"), dims)
    check_array(params["b"], "params['b']", ("H",), dims)
    check_array(params["V"], "params['V']", ("K", "H"), dims)
    check_array(params["c"], "params['c']", ("K",), dims)
    return X


def _check_mlp_forward(X, params, f):
    return {"X": _check_mlp(X, params, f, {})}


def init_mlp(D: int, H: int, K: int, rng=None, scale: float = 1.0) -> dict:
    """Random parameters ``{"U": (H, D), "b": (H,), "V": (K, H), "c": (K,)}`` (float64).

    Weights are drawn from ``N(0, scale**2 / fan_in)`` so that each unit's input
    has about the spread of one input; biases start at 0.
    """
    for value, name in ((D, "D"), (H, "H"), (K, "K")):
        check_range(value, name, low=1, integer=True)
    check_range(scale, "scale", low=0)
    rng = np.random.default_rng(0) if rng is None else rng
    return {
        "U": scale * rng.standard_normal((H, D)) / np.sqrt(D),
        "b": np.zeros(H),
        "V": scale * rng.standard_normal((K, H)) / np.sqrt(H),
        "c": np.zeros(K),
    }


@checked(_check_mlp_forward)
def mlp_forward(X, params: dict, f: str = "tanh"):
    """Forward pass of the two-layer network up to the output scores.

    X: ``(N, D)``; params: ``U (H, D)``, ``b (H,)``, ``V (K, H)``, ``c (K,)``;
    f: the hidden activation. Computes ``h = f(U x + b)`` and the scores
    ``a = V h + c`` (before the output function ``g``) for every row.
    Returns ``(a (N, K), h (N, H), cache)``.
    """
    z, cache_1 = linear_forward(X, params["U"], params["b"])
    h, cache_f = activation_forward(z, f)
    a, cache_2 = linear_forward(h, params["V"], params["c"])
    return a, h, (cache_1, cache_f, cache_2)


def mlp_backward(da, cache) -> dict:
    """Backward pass: from ``da = dL/da`` of shape ``(N, K)`` to every parameter's gradient.

    Runs the forward pass in reverse, one layer at a time. Returns
    ``{"U": (H, D), "b": (H,), "V": (K, H), "c": (K,)}``.
    """
    cache_1, cache_f, cache_2 = cache
    dh, dV, dc = linear_backward(da, cache_2)
    dz = activation_backward(dh, cache_f)
    _, dU, db = linear_backward(dz, cache_1)
    return {"U": dU, "b": db, "V": dV, "c": dc}


def _check_mlp_loss(params, X, T, f, output):
    if output not in ("sigmoid", "softmax"):
        raise ValueError(f"output: expected 'sigmoid' or 'softmax', got {output!r}")
    X = _check_mlp(X, params, f, {})
    if output == "sigmoid":  # softmax targets are checked by cross_entropy
        T = check_array(T, "T", (X.shape[0], params["V"].shape[0]))
    return {"X": X, "T": T}


@checked(_check_mlp_loss)
def mlp_loss(params: dict, X, T, f: str = "tanh", output: str = "sigmoid"):
    """Loss of the two-layer network and its gradient with respect to every parameter.

    output="sigmoid": ``y = sigmoid(a)``, T of shape ``(N, K)`` with 0/1 targets,
        binary cross-entropy averaged over all ``N K`` entries.
    output="softmax": ``y = softmax(a)``, T of shape ``(N,)`` integer classes,
        cross-entropy averaged over ``N``.
    Both give the same simple error signal at the scores, ``dL/da = (y - t) / n``.
    Returns ``(loss: float, grads: dict)`` with grads shaped like params.
    """
    a, _, cache = mlp_forward(X, params, f)
    if output == "sigmoid":
        loss = binary_cross_entropy(a, T)
        da = (sigmoid(a) - T) / a.size
    else:  # softmax
        loss = cross_entropy(a, T)
        da = cross_entropy_grad(a, T)
    return loss, mlp_backward(da, cache)


def mlp_predict(X, params: dict, f: str = "tanh", output: str = "sigmoid"):
    """Output probabilities ``y = g(V f(U x + b) + c)``: ``(N, K)``, with ``g`` sigmoid or softmax."""
    a, _, _ = mlp_forward(X, params, f)
    if output == "sigmoid":
        return sigmoid(a)
    if output == "softmax":
        return softmax(a)
    raise ValueError(f"output: expected 'sigmoid' or 'softmax', got {output!r}")


def _check_train_mlp(X, T, H, f, output, epochs, lr, rng, n_snapshots):
    check_range(epochs, "epochs", low=1, integer=True)
    check_range(lr, "lr", low=0)
    check_range(n_snapshots, "n_snapshots", low=0, integer=True)
    X = check_array(X, "X", ("N", "D"))
    if output == "softmax":
        T = check_array(T, "T", (X.shape[0],), floating=False)
    else:
        check_array(T, "T", (X.shape[0], "K"))
    return {"X": X, "T": T}


@checked(_check_train_mlp)
def train_mlp(
    X,
    T,
    H: int = 2,
    f: str = "tanh",
    output: str = "sigmoid",
    epochs: int = 2000,
    lr: float = 1.0,
    rng=None,
    n_snapshots: int = 0,
) -> dict:
    """Full-batch gradient descent on ``mlp_loss``: ``theta <- theta - lr * dL/dtheta``.

    X: ``(N, D)``; T: targets as in ``mlp_loss`` (K = T's width for sigmoid,
    the number of classes for softmax); H: hidden units.
    Returns ``{"params", "losses" (epochs,), "snapshots"}`` where ``snapshots``
    is a list of ``(epoch, params)`` taken ``n_snapshots`` times, evenly spread
    from epoch 0 (before training) to the end.
    """
    K = int(T.max()) + 1 if output == "softmax" else T.shape[1]  # classes, or outputs
    params = init_mlp(X.shape[1], H, K, rng)
    keep = set(np.linspace(0, epochs, n_snapshots).round().astype(int)) if n_snapshots else set()
    losses, snapshots = np.empty(epochs), []
    for epoch in range(epochs + 1):
        if epoch in keep:
            snapshots.append((epoch, {k: v.copy() for k, v in params.items()}))
        if epoch == epochs:
            break
        loss, grads = mlp_loss(params, X, T, f, output)
        losses[epoch] = loss
        params = {k: params[k] - lr * grads[k] for k in params}
    return {"params": params, "losses": losses, "snapshots": snapshots}
