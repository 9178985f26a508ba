"""Relative error and a central-difference gradient checker."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .validate import check_array


def rel_error(a, b) -> float:
    """Normwise relative error ``max|a - b| / max(max|a|, max|b|)``.

    0.0 when both are all zeros. Inputs may be numpy arrays, torch tensors or
    numbers; they must have the same shape.
    """
    a = _to_numpy(a)
    b = _to_numpy(b)
    if a.shape != b.shape:
        raise ValueError(f"rel_error: shapes differ, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    scale = max(np.max(np.abs(a)), np.max(np.abs(b)))
    if scale == 0:
        return 0.0
    return float(np.max(np.abs(a - b)) / scale)


def _to_numpy(x) -> np.ndarray:
    if type(x).__module__.startswith("torch"):
        x = x.detach().cpu().numpy()
    return np.asarray(x, dtype=np.float64)


def numerical_gradient(f: Callable[[dict], float], params: dict, eps: float = 1e-6) -> dict:
    """Central-difference gradient of a scalar function of a dict of arrays.

    f: takes a dict ``{name: array}`` and returns a float (the loss).
    params: the point at which to differentiate; arrays are copied to float64
        and never modified.
    Returns ``{name: array of the same shape}`` with
    ``(f(p + eps e_i) - f(p - eps e_i)) / (2 eps)`` for every element ``i``.
    Its error is O(eps^2) plus rounding O(1e-16 / eps): eps = 1e-6 gives about
    1e-10 relative error on smooth functions in float64.
    """
    if not isinstance(params, dict):
        raise TypeError(f"params: expected a dict of arrays, got {type(params).__name__}")
    if not eps > 0:
        raise ValueError(f"eps: expected a positive step, got {eps!r}")
    point = {k: check_array(v, k).astype(np.float64, copy=True) for k, v in params.items()}
    grads = {}
    for name, x in point.items():
        g = np.zeros_like(x)
        flat, gflat = x.reshape(-1), g.reshape(-1)
        for i in range(flat.size):
            old = flat[i]
            flat[i] = old + eps
            f_plus = float(f(point))
            flat[i] = old - eps
            f_minus = float(f(point))
            flat[i] = old
            gflat[i] = (f_plus - f_minus) / (2 * eps)
        grads[name] = g
    return grads


def gradient_check(
    f: Callable[[dict], float], params: dict, grads: dict, eps: float = 1e-6
) -> dict:
    """Relative error between analytic ``grads`` and the numerical gradient of ``f``.

    Checks every key of ``grads`` that is also in ``params``. Returns
    ``{name: rel_error}``; in float64 a correct gradient gives below about 1e-7.
    """
    numeric = numerical_gradient(f, params, eps)
    return {k: rel_error(grads[k], numeric[k]) for k in params if k in grads}
