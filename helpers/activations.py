"""Activation functions, their derivatives, softmax and cross-entropy (numpy).

Every function works element-wise on an array of any shape (softmax and the
losses along the last axis) and returns an array of the same floating dtype.
Integer and boolean inputs are converted to float64; a torch tensor or a
non-numeric input raises a ``TypeError`` that says what was expected.

Conventions where the derivative does not exist:

- ``step(z)`` is 1 for ``z > 0`` and 0 for ``z <= 0``; ``step_prime`` is 0
  everywhere, 0 also at ``z = 0`` (where the true derivative is undefined).
- ``relu_prime(0) = 0``, as in PyTorch's autograd.

``sigmoid`` and ``softmax`` are written so that no input overflows: large
``|z|`` gives exactly 0 or 1 and no warning.
"""

from __future__ import annotations

import numpy as np

from .validate import check_array, checked


def _as_float(z, name: str = "z") -> np.ndarray:
    """``z`` as a floating-point numpy array (ints and bools become float64)."""
    if isinstance(z, np.ndarray) and z.dtype.kind in "biu":
        z = z.astype(np.float64)
    return check_array(z, name)


def _check_z(z):
    return {"z": _as_float(z)}


def _check_scores(z, axis):
    z = _as_float(z)
    if z.ndim == 0:
        raise ValueError("z: expected at least 1 dimension (the classes), got a scalar")
    return {"z": z}


def step(z):
    """Heaviside step: 1.0 where ``z > 0``, 0.0 where ``z <= 0``. Same shape as ``z``."""
    z = _as_float(z)
    return (z > 0).astype(z.dtype)


def step_prime(z):
    """Derivative of ``step``: 0 everywhere (0 at ``z = 0`` by convention).

    This is why the perceptron cannot be trained by gradient descent: no
    gradient flows through a step.
    """
    z = _as_float(z)
    return np.zeros_like(z)


@checked(_check_z)
def sigmoid(z):
    """Logistic sigmoid ``1 / (1 + exp(-z))`` in (0, 1), computed without overflow.

    For ``z < 0`` it uses the equal form ``exp(z) / (1 + exp(z))``, so
    ``exp`` only ever sees ``-|z| <= 0``.
    """
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(z.dtype)


def sigmoid_prime(z):
    """Derivative of the sigmoid: ``sigmoid(z) * (1 - sigmoid(z))``, at most 0.25 (at 0)."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """Hyperbolic tangent in (-1, 1); ``tanh(z) = 2 sigmoid(2z) - 1``."""
    z = _as_float(z)
    return np.tanh(z)


def tanh_prime(z):
    """Derivative of tanh: ``1 - tanh(z)**2``, at most 1 (at 0)."""
    t = tanh(z)
    return 1.0 - t * t


def relu(z):
    """Rectified linear unit ``max(0, z)``."""
    z = _as_float(z)
    return np.maximum(z, 0).astype(z.dtype)


def relu_prime(z):
    """Derivative of ReLU: 1 where ``z > 0``, else 0 (0 at ``z = 0``, as in PyTorch)."""
    z = _as_float(z)
    return (z > 0).astype(z.dtype)


ACTIVATIONS = {
    "step": (step, step_prime),
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
}
"""``{name: (f, f_prime)}`` for the four activations of the course."""


@checked(_check_scores)
def softmax(z, axis: int = -1):
    """Softmax along ``axis`` (default: the last one): ``exp(z_k) / sum_j exp(z_j)``.

    z: scores ("logits") of shape ``(..., K)``. Returns probabilities of the
    same shape, each slice along ``axis`` positive and summing to 1.
    Subtracting the maximum first changes nothing mathematically
    (softmax is shift-invariant) and keeps ``exp`` from overflowing.
    """
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


@checked(_check_scores)
def log_softmax(z, axis: int = -1):
    """``log(softmax(z))`` computed stably as ``z - logsumexp(z)``; same shape as ``z``."""
    m = np.max(z, axis=axis, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))


def _check_targets(logits, targets):
    logits = _as_float(logits, "logits")
    dims = {}
    logits = check_array(logits, "logits", shape=("N", "K"), dims=dims)
    targets = check_array(targets, "targets", shape=("N",), dims=dims, floating=False)
    if targets.dtype.kind not in "iu":
        raise TypeError(
            f"targets: expected integer class indices (e.g. dtype int64), got dtype {targets.dtype}"
        )
    K = logits.shape[1]
    if targets.size and (targets.min() < 0 or targets.max() >= K):
        raise ValueError(
            f"targets: expected class indices in [0, {K - 1}] for {K} classes, "
            f"got values from {targets.min()} to {targets.max()}"
        )
    return logits, targets


def cross_entropy(logits, targets) -> float:
    """Mean cross-entropy of integer ``targets`` under ``softmax(logits)``.

    logits: ``(N, K)`` scores, one row per example (not probabilities).
    targets: ``(N,)`` integer class indices in ``[0, K)``.
    Returns ``-mean_n log softmax(logits)[n, targets[n]]``, the same number as
    ``torch.nn.functional.cross_entropy(logits, targets)``.
    """
    logits, targets = _check_targets(logits, targets)
    logp = log_softmax(logits)
    return float(-np.mean(logp[np.arange(len(targets)), targets]))


def cross_entropy_grad(logits, targets):
    """Gradient of ``cross_entropy`` with respect to ``logits``: ``(softmax(logits) - onehot) / N``.

    Shapes as in ``cross_entropy``; returns ``(N, K)``.
    """
    logits, targets = _check_targets(logits, targets)
    N = logits.shape[0]
    grad = softmax(logits)
    grad[np.arange(N), targets] -= 1.0
    return grad / N


def binary_cross_entropy(logits, targets) -> float:
    """Mean binary cross-entropy of 0/1 ``targets`` under ``sigmoid(logits)``.

    logits, targets: floating arrays of the same shape (targets in [0, 1]).
    Computed from the logits as ``max(z, 0) - z t + log(1 + exp(-|z|))``, which
    never takes ``log(0)``; the same number as
    ``torch.nn.functional.binary_cross_entropy_with_logits``. Its gradient with
    respect to the logits is ``(sigmoid(z) - t) / n``.
    """
    z = _as_float(logits, "logits")
    t = _as_float(targets, "targets")
    if z.shape != t.shape:
        raise ValueError(
            f"targets: expected the same shape as logits {tuple(z.shape)}, got {tuple(t.shape)}"
        )
    if t.size and (t.min() < 0 or t.max() > 1):
        raise ValueError(f"targets: expected values in [0, 1], got {t.min()} to {t.max()}")
    return float(np.mean(np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))))
