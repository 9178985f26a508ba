"""Vanishing and exploding gradients (notebook 05): the ``w^999`` chain, the
gradient reaching every time step of an RNN, Pascanu et al.'s one-unit cliff,
and gradient clipping.

Shapes follow the course: time-major ``xs (T, B, D)``, ``h0 (B, H)``, weights
in PyTorch's layout ``W_xh (H, D)``, ``W_hh (H, H)``, ``b_h (H,)``.
"""

from __future__ import annotations

import functools
import math
import numbers

import numpy as np

from .validate import check_array, check_params, check_range, checked

CHAIN_ACTIVATIONS = ("tanh", "sigmoid", "relu", "linear")
"""Names of the activations ``hidden_grad_norms`` knows (``helpers.activations.ACTIVATIONS``
is the dict of the functions themselves); ``GAMMA`` bounds their derivatives."""

GAMMA = {"tanh": 1.0, "sigmoid": 0.25, "relu": 1.0, "linear": 1.0}
"""``max |f'|`` for each activation (Pascanu et al. 2013, section 2.1)."""


# --- 1. The w^999 chain --------------------------------------------------------


def _check_chain(w, T):
    check_range(w, "w", low=np.finfo(float).tiny)
    check_range(T, "T", low=1, integer=True)


@checked(_check_chain)
def linear_unit_chain(w: float, T: int):
    """Output and derivative of the one-unit linear RNN ``h_t = w h_{t-1} + x_t``.

    With ``h_0 = 0``, input ``x_1 = 1`` and ``x_t = 0`` afterwards, and input and
    output weights 1, the output at step ``t`` is ``y_t = w^(t-1)`` and its
    derivative with respect to the shared weight is ``(t-1) w^(t-2)``.

    w: the recurrent weight, a positive number.
    T: the number of steps, an integer >= 1.
    Returns ``(y, dy_dw)``, two float64 arrays of shape ``(T,)``; entry ``t-1``
    belongs to step ``t``. Both are computed in log space, so no step warns:
    a value beyond the float64 range comes back as ``inf``, one below it as 0.
    """
    n = np.arange(T, dtype=np.float64)  # the power t - 1 for t = 1..T
    log_w = np.log(float(w))
    with np.errstate(over="ignore", under="ignore"):
        y = np.exp(n * log_w)
        dy_dw = np.zeros(T)
        dy_dw[1:] = np.exp(np.log(n[1:]) + (n[1:] - 1) * log_w)
    return y, dy_dw


def linear_unit_gap_terms(w: float, xs):
    """The terms of ``dy_T/dw`` for the one-unit linear RNN ``h_t = w h_{t-1} + x_t``, by gap.

    ``y_T = h_T``, ``h_0 = 0``. The weight acts at every step ``t`` on ``h_{t-1}``, and
    ``w^(T-t)`` carries that to the output, so ``dy_T/dw = sum_{t=2..T} w^(T-t) h_{t-1}``:
    one term per gap ``T - t`` between the output and the step where ``w`` acted.
    w: a number; xs: the inputs ``(T,)``, ``T >= 2``. Returns ``(T - 1,)`` with entry ``g``
    the term of gap ``g = T - t``; their sum is ``dy_T/dw``.
    """
    hs = np.zeros(len(xs))  # hs[t - 1] = h_t
    h = 0.0
    for t, x in enumerate(xs):
        h = w * h + x
        hs[t] = h
    gaps = np.arange(len(xs) - 1)
    return float(w) ** gaps * hs[len(xs) - 2 - gaps]  # w^g h_{T-1-g}


def make_copy_first_data(n: int, T: int, generator):
    """``n`` sequences of ``T`` random signs, and the task: say the FIRST one at the end.

    Returns ``(xs, ys)``: ``xs (T, n, 1)`` float64 tensor of -1 and +1 (time-major),
    ``ys (n,)`` 1.0 where ``xs[0] = +1`` else 0.0 (a target for a logistic loss).
    generator: a ``torch.Generator``, so a run is reproducible.
    """
    import torch

    xs = torch.randint(0, 2, (T, n, 1), generator=generator).double() * 2 - 1
    return xs, (xs[0, :, 0] > 0).double()


# --- 2. The gradient reaching every step of an RNN ------------------------------


_ACT = {  # plain numpy, no input checks inside the loop over time
    "tanh": np.tanh,
    "sigmoid": lambda z: 0.5 * (1.0 + np.tanh(0.5 * z)),  # sigmoid, never overflows
    "relu": lambda z: np.maximum(z, 0.0),
    "linear": lambda z: z,
}


def activation_derivative(h, name: str = "tanh"):
    """``f'(z)`` written through the output ``h = f(z)``: what BPTT stores."""
    if name == "tanh":
        return 1.0 - h**2
    if name == "sigmoid":
        return h * (1.0 - h)
    if name == "relu":
        return (h > 0).astype(h.dtype)
    if name == "linear":
        return np.ones_like(h)
    raise ValueError(f"name: expected one of {CHAIN_ACTIVATIONS}, got {name!r}")


def backprop_one_step(dh, h, W_hh, name: str = "tanh"):
    """One step back through time: ``dL/dh_{t-1}`` from ``dL/dh_t``.

    In column-vector maths ``dL/dh_{t-1} = W_hh^T (f'(z_t) * dL/dh_t)``: the
    transposed Jacobian ``diag(f'(z_t)) W_hh`` applied to the gradient.
    dh: ``dL/dh_t``, shape ``(B, H)``.  h: ``h_t = f(z_t)``, shape ``(B, H)``.
    W_hh: ``(H, H)``.  Returns ``dL/dh_{t-1}``, shape ``(B, H)``.
    """
    return (activation_derivative(h, name) * dh) @ W_hh


def grad_norms_back(hs, W_hh, dh_T, name: str = "tanh"):
    """``||dL/dh_t||`` for ``t = T, T-1, ..., 0``, stepping back from ``dL/dh_T``.

    hs: the stored states ``(T, B, H)`` with ``hs[t - 1] = h_t``; W_hh: ``(H, H)``;
    dh_T: ``dL/dh_T``, shape ``(B, H)``; name: the activation that made ``hs``.
    Each step back is one ``backprop_one_step`` through the state it made.
    Returns ``norms (T + 1, B)`` with ``norms[t] = ||dL/dh_t||``.
    """
    T = len(hs)
    norms = np.empty((T + 1, len(dh_T)))
    dh = dh_T
    norms[T] = np.linalg.norm(dh, axis=-1)
    for t in range(T, 0, -1):  # dh holds dL/dh_t; step back through h_t = hs[t - 1]
        dh = backprop_one_step(dh, hs[t - 1], W_hh, name)
        norms[t - 1] = np.linalg.norm(dh, axis=-1)
    return norms


def _check_hidden(xs, h0, params, dh_T, name):
    dims: dict = {}
    xs = check_array(xs, "xs", ("T", "B", "D"), dims)
    h0 = check_array(h0, "h0", ("B", "H"), dims)
    check_params(params, "params", ("W_xh", "W_hh", "b_h"))
    W_xh = check_array(params["W_xh"], "W_xh", ("H", "D"), dims)
    W_hh = check_array(params["W_hh"], "W_hh", ("H", "H"), dims)
    b_h = check_array(params["b_h"], "b_h", ("H",), dims)
    dh_T = check_array(dh_T, "dh_T", ("B", "H"), dims)
    if name not in CHAIN_ACTIVATIONS:
        raise ValueError(f"name: expected one of {CHAIN_ACTIVATIONS}, got {name!r}")
    return {"xs": xs, "h0": h0, "params": {"W_xh": W_xh, "W_hh": W_hh, "b_h": b_h}, "dh_T": dh_T}


def _overflow_reported_as_inf(fn):
    """Run ``fn`` (returning ``(norms (T + 1, B), hs (T, B, H))``) without overflow
    warnings; a gradient that passes through an overflowed state is undefined, so
    its norm is reported as ``inf`` (as is a NaN norm)."""

    @functools.wraps(fn)
    def quiet(*args, **kwargs):
        with np.errstate(over="ignore", invalid="ignore"):
            norms, hs = fn(*args, **kwargs)
        bad = ~np.isfinite(hs).all(axis=-1)  # (T, B): h_{t+1} overflowed
        norms[: len(hs)][np.flip(np.cumsum(np.flip(bad, 0), 0), 0) > 0] = np.inf
        norms[np.isnan(norms)] = np.inf
        return norms, hs

    return quiet


@checked(_check_hidden)
@_overflow_reported_as_inf
def hidden_grad_norms(xs, h0, params: dict, dh_T, name: str = "tanh"):
    """``||dL/dh_t||`` for every step of an RNN whose loss reads only ``h_T``.

    The RNN is ``h_t = f(W_xh x_t + W_hh h_{t-1} + b_h)`` with ``f`` one of
    ``CHAIN_ACTIVATIONS`` ("tanh" is the course's ``rnn_forward``). Going back, each
    step multiplies the gradient by one transposed Jacobian (``backprop_one_step``).

    xs: ``(T, B, D)``; h0: ``(B, H)``; params: ``W_xh (H, D)``, ``W_hh (H, H)``,
    ``b_h (H,)``; dh_T: ``dL/dh_T``, shape ``(B, H)``.
    Returns ``(norms, hs)``: ``norms (T + 1, B)`` with ``norms[t] = ||dL/dh_t||``
    for ``t = 0..T`` (the norm over hidden units), and ``hs (T, B, H)`` with
    ``hs[t - 1] = h_t``. No warning on overflow (a ReLU network can blow up):
    states that overflow become ``inf`` (then NaN, as ``inf - inf``), and a
    gradient norm that overflows is reported as ``inf``.
    """
    W_xh, W_hh, b_h = params["W_xh"], params["W_hh"], params["b_h"]
    f = _ACT[name]
    hs = np.empty((len(xs),) + h0.shape)
    h = h0
    for t in range(len(xs)):  # forward, keeping every state: hs[t] = h_{t+1}
        h = f(xs[t] @ W_xh.T + h @ W_hh.T + b_h)
        hs[t] = h
    return grad_norms_back(hs, W_hh, dh_T, name), hs


def scaled_orthogonal(H: int, scale: float, rng: np.random.Generator):
    """``scale * Q`` with ``Q`` a random ``(H, H)`` orthogonal matrix.

    Every singular value (and the spectral radius) of the result equals
    ``scale``, so one number sets how much ``W_hh`` stretches a vector.
    """
    check_range(H, "H", low=1, integer=True)
    check_range(scale, "scale", low=0)
    q, r = np.linalg.qr(rng.standard_normal((H, H)))
    return scale * q * np.sign(np.diag(r))


def jacobian_product(hs, W_hh, name: str = "tanh"):
    """``dh_T/dh_0 = J_T J_{T-1} ... J_1`` for one sequence, ``J_t = diag(f'(z_t)) W_hh``.

    hs: the states of one sequence, ``(T, H)`` with ``hs[t - 1] = h_t``; W_hh:
    ``(H, H)``; name: the activation that made ``hs``. Returns ``(H, H)``: entry
    ``[i, j]`` is ``dh_T[i] / dh_0[j]``, so ``dL/dh_0 = P.T @ dL/dh_T``.
    """
    P = np.eye(len(W_hh))
    for t in range(1, len(hs) + 1):  # the newest Jacobian goes on the left
        P = (activation_derivative(hs[t - 1], name)[:, None] * W_hh) @ P
    return P


def gradient_bound(W_hh, name: str, steps: int) -> float:
    """Pascanu et al.'s bound ``(gamma * sigma_max(W_hh)) ** steps``.

    ``||dL/dh_t|| <= gradient_bound(W_hh, f, T - t) * ||dL/dh_T||``: each step
    back multiplies by ``diag(f') W_hh``, whose norm is at most ``gamma`` (the
    largest ``|f'|``) times ``sigma_max``, the largest singular value of ``W_hh``.
    Below 1 per step, the gradient must vanish. Returns a float (``inf`` if huge).
    """
    W_hh = check_array(W_hh, "W_hh", ("H", "H"))
    if name not in GAMMA:
        raise ValueError(f"name: expected one of {CHAIN_ACTIVATIONS}, got {name!r}")
    check_range(steps, "steps", low=0, integer=True)
    with np.errstate(over="ignore"):
        return float((GAMMA[name] * np.linalg.norm(W_hh, 2)) ** steps)


# --- 3. Cliffs: Pascanu et al. (2013), section 2.3 --------------------------------


def _check_cliff(w, b, T, x0, target):
    check_range(T, "T", low=1, integer=True)
    if isinstance(w, numbers.Real) and isinstance(b, numbers.Real):
        return {"w": float(check_range(w, "w")), "b": float(check_range(b, "b"))}
    w = check_array(w, "w", floating=False).astype(np.float64)
    b = check_array(b, "b", floating=False).astype(np.float64)
    np.broadcast_shapes(w.shape, b.shape)
    if not (np.all(np.isfinite(w)) and np.all(np.isfinite(b))):
        raise ValueError("w, b: expected finite values, got NaN or inf")
    return {"w": w, "b": b}


@checked(_check_cliff)
def cliff_loss_and_grad(w, b, T: int = 50, x0: float = 0.5, target: float = 0.7):
    """Loss and gradient of the one-unit model ``x_t = w * sigmoid(x_{t-1}) + b``.

    The loss is ``(sigmoid(x_T) - target)^2`` with ``x_0 = x0``; the gradient is
    BPTT by hand: ``dx_t/dx_{t-1} = w sigmoid'(x_{t-1})``, ``dx_t/dw =
    sigmoid(x_{t-1})``, ``dx_t/db = 1``, summed over the steps.
    w, b: two numbers (fast: plain Python floats, for gradient descent) or
    arrays that broadcast together (a grid over the loss surface).
    Returns ``(L, dL_dw, dL_db)``: floats, or arrays of the broadcast shape.
    """
    tanh = math.tanh if isinstance(w, float) else np.tanh  # plain floats: faster
    s = [0.5 * (1.0 + tanh(0.5 * x0))]  # s[t] = sigmoid(x_t); tanh never overflows
    for _ in range(T):
        s.append(0.5 * (1.0 + tanh(0.5 * (w * s[-1] + b))))
    loss = (s[T] - target) ** 2
    dx = 2.0 * (s[T] - target) * s[T] * (1.0 - s[T])  # dL/dx_T
    dw = db = 0.0
    for t in range(T, 0, -1):  # dx holds dL/dx_t
        dw = dw + dx * s[t - 1]
        db = db + dx
        dx = dx * w * s[t - 1] * (1.0 - s[t - 1])
    return loss, dw, db


# --- Gradient clipping ------------------------------------------------------------


def _check_grads(grads, threshold):
    if not isinstance(grads, dict) or not grads:
        raise TypeError(f"grads: expected a non-empty dict of arrays, got {type(grads).__name__}")
    check_range(threshold, "threshold", low=0)
    if threshold == 0:
        raise ValueError("threshold: expected a positive number, got 0")
    return {"grads": {k: check_array(v, f"grads[{k!r}]") for k, v in grads.items()}}


@checked(_check_grads)
def clip_by_norm(grads: dict, threshold: float) -> dict:
    """Rescale all gradients together when their joint norm exceeds ``threshold``.

    ``g <- g * threshold / ||g||`` if ``||g|| > threshold``, where ``||g||`` is
    the 2-norm of every entry of every array (PyTorch's ``clip_grad_norm_``).
    The direction is kept; only the length shrinks. Returns a new dict.
    """
    norm = np.sqrt(sum(float(np.sum(g**2)) for g in grads.values()))
    scale = threshold / norm if norm > threshold else 1.0
    return {k: g * scale for k, g in grads.items()}


@checked(_check_grads)
def clip_by_value(grads: dict, threshold: float) -> dict:
    """Clip every entry to ``[-threshold, threshold]`` (PyTorch's ``clip_grad_value_``).

    Unlike ``clip_by_norm`` this can change the direction of the gradient.
    Returns a new dict.
    """
    return {k: np.clip(g, -threshold, threshold) for k, g in grads.items()}
