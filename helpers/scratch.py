"""Recurrent networks from scratch in numpy, checked against PyTorch.

Time-major like PyTorch's default: a batch of sequences ``xs`` has shape
``(T, B, D)`` (time steps, batch, input features); hidden states ``(T, B, H)``.
Weights use PyTorch's layout ``(out_features, in_features)`` so they copy to
and from ``nn.RNN`` (see ``params_from_torch``). Every function keeps the
dtype it is given (float64 in, float64 out), so gradients can be checked to
1e-8 and better.

Sections: the vanilla RNN (``rnn_*``), exercise checkers for it, and the
bridge from torch modules (``params_from_torch``).
"""

from __future__ import annotations

import numpy as np

from .checking import check_function
from .validate import check_array, check_params

# ============================================================================
# Vanilla RNN:  h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h)
# ============================================================================

RNN_KEYS = ("W_xh", "W_hh", "b_h")


def _check_rnn_params(params, dims: dict) -> dict:
    """Check ``params`` holds ``W_xh (H, D)``, ``W_hh (H, H)``, ``b_h (H,)``."""
    check_params(params, "params", RNN_KEYS)
    return {
        "W_xh": check_array(params["W_xh"], "params['W_xh']", ("H", "D"), dims),
        "W_hh": check_array(params["W_hh"], "params['W_hh']", ("H", "H"), dims),
        "b_h": check_array(params["b_h"], "params['b_h']", ("H",), dims),
    }


def rnn_step_forward(x, h_prev, params):
    """One step of the RNN for a batch: ``h = tanh(x W_xh^T + h_prev W_hh^T + b_h)``.

    x: ``(B, D)`` inputs at this step; h_prev: ``(B, H)`` previous hidden state;
    params: ``{"W_xh": (H, D), "W_hh": (H, H), "b_h": (H,)}``.
    Returns ``(h, cache)``: the new state ``(B, H)`` and what the backward step needs.
    """
    dims = {}
    x = check_array(x, "x", ("B", "D"), dims)
    h_prev = check_array(h_prev, "h_prev", ("B", "H"), dims)
    p = _check_rnn_params(params, dims)
    net = x @ p["W_xh"].T + h_prev @ p["W_hh"].T + p["b_h"]  # (B, H)
    h = np.tanh(net)
    return h, (x, h_prev, h, p)


def rnn_step_backward(dh, cache):
    """Backward through one step: from ``dh = dE/dh_t`` to the step's gradients.

    dh: ``(B, H)``, the gradient of the loss with respect to this step's output
    ``h`` (from the loss at this step *and* from the later steps).
    Returns a dict: ``"x" (B, D)``, ``"h_prev" (B, H)``, ``"W_xh" (H, D)``,
    ``"W_hh" (H, H)``, ``"b_h" (H,)``.
    """
    x, h_prev, h, p = cache
    dh = check_array(dh, "dh", h.shape)
    delta = dh * (1.0 - h * h)  # delta_t = dE/d(net_t), since tanh'(net) = 1 - h^2
    return {
        "x": delta @ p["W_xh"],  # (B, D)
        "h_prev": delta @ p["W_hh"],  # (B, H): the error carried back in time
        "W_xh": delta.T @ x,  # (H, D)
        "W_hh": delta.T @ h_prev,  # (H, H)
        "b_h": delta.sum(axis=0),  # (H,)
    }


def rnn_forward(xs, h0, params):
    """Run the RNN over whole sequences, keeping every step for the backward pass.

    xs: ``(T, B, D)``; h0: ``(B, H)``; params: ``W_xh (H, D)``, ``W_hh (H, H)``,
    ``b_h (H,)``. Returns ``(hs, cache)`` with ``hs`` of shape ``(T, B, H)``
    (``hs[t]`` is the state after reading ``xs[t]``).
    """
    dims = {}
    xs = check_array(xs, "xs", ("T", "B", "D"), dims)
    h0 = check_array(h0, "h0", ("B", "H"), dims)
    _check_rnn_params(params, dims)
    hs = np.empty(xs.shape[:2] + h0.shape[1:], dtype=np.result_type(xs, h0))
    caches, h = [], h0
    for t in range(xs.shape[0]):
        h, step_cache = rnn_step_forward(xs[t], h, params)
        hs[t] = h
        caches.append(step_cache)
    return hs, caches


def rnn_backward(dhs, cache):
    """Backpropagation through time over the steps kept by ``rnn_forward``.

    dhs: ``(T, B, H)``, the gradient of the loss with respect to every hidden
    state coming from the outputs at that step (zeros where a step has no loss).
    Returns ``{"W_xh", "W_hh", "b_h"}`` (each the *sum* over steps of the
    step's gradient), ``"xs" (T, B, D)`` and ``"h0" (B, H)``.
    """
    caches = cache
    if not isinstance(caches, list) or not caches:
        raise TypeError("cache: expected the cache returned by rnn_forward")
    T = len(caches)
    x0, h_prev0, _, p = caches[0]
    B, H = h_prev0.shape
    dhs = check_array(dhs, "dhs", (T, B, H))
    grads = {k: np.zeros_like(p[k]) for k in RNN_KEYS}
    dxs = np.empty((T,) + x0.shape, dtype=np.result_type(x0, dhs))
    dh_next = np.zeros_like(h_prev0, dtype=np.result_type(h_prev0, dhs))  # nothing after T
    for t in reversed(range(T)):
        step = rnn_step_backward(dhs[t] + dh_next, caches[t])
        dxs[t] = step["x"]
        dh_next = step["h_prev"]
        for k in RNN_KEYS:
            grads[k] += step[k]
    grads["xs"] = dxs
    grads["h0"] = dh_next
    return grads


# ---- exercise checkers (notebook 04) ---------------------------------------


def _rnn_cases(shapes, seed: int = 4):
    rng = np.random.default_rng(seed)
    cases = []
    for B, D, H in shapes:
        x = rng.standard_normal((B, D))
        h_prev = np.tanh(rng.standard_normal((B, H)))
        W_xh = rng.standard_normal((H, D)) * 0.5
        W_hh = rng.standard_normal((H, H)) * 0.5
        b_h = rng.standard_normal(H) * 0.5
        cases.append((f"B={B}, D={D}, H={H}", x, h_prev, W_xh, W_hh, b_h))
    return cases


_CASE_SHAPES = [(1, 1, 1), (3, 2, 4), (5, 4, 3)]


def _ref_step_forward(x, h_prev, W_xh, W_hh, b_h):
    return rnn_step_forward(x, h_prev, {"W_xh": W_xh, "W_hh": W_hh, "b_h": b_h})[0]


def check_rnn_step_forward(fn):
    """Check ``fn(x, h_prev, W_xh, W_hh, b_h) -> h`` (shapes ``(B, D)``,
    ``(B, H)``, ``(H, D)``, ``(H, H)``, ``(H,)`` -> ``(B, H)``)."""
    cases = [(c[0], c[1:]) for c in _rnn_cases(_CASE_SHAPES)]
    return check_function("rnn_step_forward", fn, _ref_step_forward, cases)


def _ref_step_backward(dh, x, h_prev, W_xh, W_hh, b_h):
    _, cache = rnn_step_forward(x, h_prev, {"W_xh": W_xh, "W_hh": W_hh, "b_h": b_h})
    g = rnn_step_backward(dh, cache)
    return g["x"], g["h_prev"], g["W_xh"], g["W_hh"], g["b_h"]


def check_rnn_step_backward(fn):
    """Check ``fn(dh, x, h_prev, W_xh, W_hh, b_h) -> (dx, dh_prev, dW_xh, dW_hh, db_h)``."""
    rng = np.random.default_rng(5)
    cases = []
    for name, x, h_prev, W_xh, W_hh, b_h in _rnn_cases(_CASE_SHAPES, seed=6):
        dh = rng.standard_normal(h_prev.shape)
        cases.append((name, (dh, x, h_prev, W_xh, W_hh, b_h)))
    return check_function("rnn_step_backward", fn, _ref_step_backward, cases)


# ============================================================================
# From torch modules to numpy parameter dicts
# ============================================================================


def _torch_array(tensor) -> np.ndarray:
    return tensor.detach().cpu().numpy().copy()


def _rnn_params_from_torch(module, suffix: str) -> dict:
    if module.nonlinearity != "tanh":
        raise ValueError(
            f"params_from_torch: expected nn.RNN(nonlinearity='tanh'), got {module.nonlinearity!r}"
        )
    W_xh = _torch_array(getattr(module, "weight_ih" + suffix))
    W_hh = _torch_array(getattr(module, "weight_hh" + suffix))
    if module.bias:  # torch has two biases; only their sum matters
        b_h = _torch_array(getattr(module, "bias_ih" + suffix)) + _torch_array(
            getattr(module, "bias_hh" + suffix)
        )
    else:
        b_h = np.zeros(W_hh.shape[0], dtype=W_hh.dtype)
    return {"W_xh": W_xh, "W_hh": W_hh, "b_h": b_h}


# Module class name -> converter(module, suffix). Add LSTM/GRU converters here.
_FROM_TORCH = {"RNN": _rnn_params_from_torch}


def params_from_torch(module, layer: int = 0, reverse: bool = False) -> dict:
    """Copy one layer (and direction) of a torch recurrent module into a numpy dict.

    module: an ``nn.RNN`` (tanh). layer: which of ``num_layers`` (default 0);
    reverse: the backward direction of a bidirectional module.
    For ``nn.RNN`` returns ``{"W_xh": (H, D), "W_hh": (H, H), "b_h": (H,)}``
    with ``b_h = bias_ih + bias_hh``, in the module's dtype.
    """
    name = type(module).__name__
    if name not in _FROM_TORCH or type(module).__module__.split(".")[0] != "torch":
        supported = ", ".join(f"nn.{n}" for n in _FROM_TORCH)
        raise TypeError(f"params_from_torch: expected one of {supported}, got {name}")
    if isinstance(layer, bool) or not isinstance(layer, int) or not 0 <= layer < module.num_layers:
        raise ValueError(
            f"params_from_torch: layer must be in [0, {module.num_layers - 1}], got {layer!r}"
        )
    if reverse and not module.bidirectional:
        raise ValueError("params_from_torch: reverse=True needs a bidirectional module")
    suffix = f"_l{layer}" + ("_reverse" if reverse else "")
    return _FROM_TORCH[name](module, suffix)
