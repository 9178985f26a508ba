"""Recurrent networks from scratch in numpy, checked against PyTorch.

Time-major like PyTorch's default: a batch of sequences ``xs`` has shape
``(T, B, D)`` (time steps, batch, input features); hidden states ``(T, B, H)``.
Weights use PyTorch's layout ``(out_features, in_features)`` so they copy to
and from ``nn.RNN`` (see ``params_from_torch``). Every function keeps the
dtype it is given (float64 in, float64 out), so gradients can be checked to
1e-8 and better.

Sections: the vanilla RNN (``rnn_*``), exercise checkers for it, the
bridge from torch modules (``params_from_torch``), then the gated cells
(``lstm_*``, ``gru_*``) and their checker.
"""

from __future__ import annotations

import numpy as np

from .activations import sigmoid
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


# ---- parameter count (notebook 02) and each sequence's last state (notebook 03)


def rnn_param_count(D: int, H: int, C: int) -> int:
    """Parameters of an RNN with ``D`` inputs, ``H`` hidden units and ``C`` outputs:
    ``W_xh (H, D)``, ``W_hh (H, H)``, ``b_h (H,)``, ``W_hy (C, H)``, ``b_y (C,)``.
    The same for every sequence length ``T``: the weights are shared by all steps."""
    return H * D + H * H + H + C * H + C


def check_rnn_param_count(fn):
    """Check ``fn(D, H, C) -> int`` against ``rnn_param_count``."""
    cases = [
        (f"D={D}, H={H}, C={C}", (D, H, C)) for D, H, C in [(1, 1, 1), (3, 2, 5), (300, 128, 2)]
    ]
    return check_function("rnn_param_count", fn, rnn_param_count, cases)


def last_states(hs, lengths):
    """Each sequence's own last hidden state from a padded batch.

    hs: ``(T, B, H)`` states of a batch padded to length ``T``; lengths: ``(B,)``
    integers in ``1..T``. Returns ``(B, H)`` with row ``b`` = ``hs[lengths[b] - 1, b]``
    (``hs[-1]`` would be a padding step for every sequence shorter than ``T``).
    """
    dims = {}
    hs = check_array(hs, "hs", ("T", "B", "H"), dims)
    lengths = check_array(lengths, "lengths", ("B",), dims, floating=False)
    if not np.issubdtype(lengths.dtype, np.integer):
        raise TypeError(f"lengths: expected integers, got dtype {lengths.dtype}")
    if lengths.size and (lengths.min() < 1 or lengths.max() > hs.shape[0]):
        raise ValueError(f"lengths: expected values in [1, {hs.shape[0]}], got {lengths.tolist()}")
    return hs[lengths - 1, np.arange(hs.shape[1])]


def check_last_states(fn):
    """Check ``fn(hs, lengths) -> (B, H)`` against ``last_states``."""
    rng = np.random.default_rng(3)
    cases = []
    for T, B, H in [(1, 1, 2), (5, 3, 2), (6, 4, 3)]:
        lengths = rng.integers(1, T + 1, size=B)
        lengths[0] = T  # one full-length sequence in every batch
        cases.append(
            (f"T={T}, B={B}, lengths={lengths.tolist()}", (rng.standard_normal((T, B, H)), lengths))
        )
    return check_function("last_states", fn, last_states, cases)


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

    module: an ``nn.RNN`` (tanh), ``nn.LSTM`` or ``nn.GRU``. layer: which of
    ``num_layers`` (default 0); reverse: the backward direction of a
    bidirectional module. Arrays come in the module's dtype.
    ``nn.RNN``: ``{"W_xh": (H, D), "W_hh": (H, H), "b_h": (H,)}`` with
    ``b_h = bias_ih + bias_hh``.
    ``nn.LSTM``: the same keys with ``4H`` rows (gates input, forget, cell,
    output), ``b_h = bias_ih + bias_hh``.
    ``nn.GRU``: ``{"W_xh": (3H, D), "W_hh": (3H, H), "b_xh": (3H,),
    "b_hh": (3H,)}`` (gates reset, update, new); the biases stay separate.
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


# ============================================================================
# LSTM (PyTorch's gate order: input i, forget f, cell candidate g, output o)
#   [z_i; z_f; z; z_o] = W_xh x_t + W_hh h_{t-1} + b_h          (4H rows)
#   i, f, o = sigmoid(z_i), sigmoid(z_f), sigmoid(z_o);  g = tanh(z)
#   c_t = f * c_{t-1} + i * g;   h_t = o * tanh(c_t)
# ============================================================================

LSTM_KEYS = ("W_xh", "W_hh", "b_h")


def _check_gated_params(params, keys, n_gates: int, dims: dict) -> dict:
    """Check stacked gate weights: ``W_xh (n_gates*H, D)``, ``W_hh (n_gates*H, H)``,
    biases ``(n_gates*H,)``; ``H`` and ``D`` must already be in ``dims``."""
    check_params(params, "params", keys)
    G = n_gates * dims["H"]
    out = {
        "W_xh": check_array(params["W_xh"], "params['W_xh']", (G, "D"), dims),
        "W_hh": check_array(params["W_hh"], "params['W_hh']", (G, "H"), dims),
    }
    for k in keys[2:]:
        out[k] = check_array(params[k], f"params[{k!r}]", (G,), dims)
    return out


def lstm_step_forward(x, h_prev, c_prev, params):
    """One LSTM step for a batch.

    x: ``(B, D)``; h_prev, c_prev: ``(B, H)``; params: ``W_xh (4H, D)``,
    ``W_hh (4H, H)``, ``b_h (4H,)`` with the gate blocks in PyTorch's order
    (input, forget, cell candidate, output).
    Returns ``(h, c, cache)``: the new hidden and cell states ``(B, H)``.
    """
    dims = {}
    x = check_array(x, "x", ("B", "D"), dims)
    h_prev = check_array(h_prev, "h_prev", ("B", "H"), dims)
    c_prev = check_array(c_prev, "c_prev", ("B", "H"), dims)
    p = _check_gated_params(params, LSTM_KEYS, 4, dims)
    z = x @ p["W_xh"].T + h_prev @ p["W_hh"].T + p["b_h"]  # (B, 4H): [z_i, z_f, z_g, z_o]
    H = h_prev.shape[1]
    gates = sigmoid(z)  # one call for the three gates (its candidate block is unused)
    i, f, o = gates[:, :H], gates[:, H : 2 * H], gates[:, 3 * H :]
    g = np.tanh(z[:, 2 * H : 3 * H])
    c = f * c_prev + i * g  # additive update: the memory path
    tanh_c = np.tanh(c)
    h = o * tanh_c
    return h, c, (x, h_prev, c_prev, i, f, g, o, tanh_c, p)


def lstm_step_backward(dh, dc, cache):
    """Backward through one LSTM step.

    dh, dc: ``(B, H)``, the gradients of the loss with respect to this step's
    ``h`` and ``c`` (including what flows back from later steps).
    Returns a dict: ``"x" (B, D)``, ``"h_prev" (B, H)``, ``"c_prev" (B, H)``,
    ``"W_xh" (4H, D)``, ``"W_hh" (4H, H)``, ``"b_h" (4H,)``.
    """
    x, h_prev, c_prev, i, f, g, o, tanh_c, p = cache
    dh = check_array(dh, "dh", h_prev.shape)
    dc = check_array(dc, "dc", h_prev.shape)
    dc = dc + dh * o * (1.0 - tanh_c * tanh_c)  # both routes into c_t
    dz = np.concatenate(
        [
            dc * g * i * (1.0 - i),  # input gate
            dc * c_prev * f * (1.0 - f),  # forget gate
            dc * i * (1.0 - g * g),  # candidate
            dh * tanh_c * o * (1.0 - o),  # output gate
        ],
        axis=1,
    )  # (B, 4H)
    return {
        "x": dz @ p["W_xh"],
        "h_prev": dz @ p["W_hh"],
        "c_prev": dc * f,  # the cell's own path back in time: one multiply by f
        "W_xh": dz.T @ x,
        "W_hh": dz.T @ h_prev,
        "b_h": dz.sum(axis=0),
    }


def lstm_forward(xs, h0, c0, params):
    """Run the LSTM over whole sequences.

    xs: ``(T, B, D)``; h0, c0: ``(B, H)``; params as in ``lstm_step_forward``.
    Returns ``(hs, cache)`` with ``hs`` of shape ``(T, B, H)``; the cell states
    are in the cache (``cache[t]`` holds step ``t``).
    """
    dims = {}
    xs = check_array(xs, "xs", ("T", "B", "D"), dims)
    h0 = check_array(h0, "h0", ("B", "H"), dims)
    c0 = check_array(c0, "c0", ("B", "H"), dims)
    _check_gated_params(params, LSTM_KEYS, 4, dims)
    hs = np.empty(xs.shape[:2] + h0.shape[1:], dtype=np.result_type(xs, h0, c0))
    caches, h, c = [], h0, c0
    for t in range(xs.shape[0]):
        h, c, step_cache = lstm_step_forward(xs[t], h, c, params)
        hs[t] = h
        caches.append(step_cache)
    return hs, caches


def lstm_backward(dhs, cache):
    """Backpropagation through time for ``lstm_forward``.

    dhs: ``(T, B, H)``, the gradient of the loss with respect to each ``h_t``
    from that step's output. Returns ``{"W_xh", "W_hh", "b_h"}`` (sums over
    steps), ``"xs" (T, B, D)``, ``"h0" (B, H)`` and ``"c0" (B, H)``.
    """
    caches = cache
    if not isinstance(caches, list) or not caches or len(caches[0]) != 9:
        raise TypeError("cache: expected the cache returned by lstm_forward")
    T = len(caches)
    x0, h_prev0, _, _, _, _, _, _, p = caches[0]
    B, H = h_prev0.shape
    dhs = check_array(dhs, "dhs", (T, B, H))
    dtype = np.result_type(h_prev0, dhs)
    grads = {k: np.zeros_like(p[k], dtype=np.result_type(p[k], dhs)) for k in LSTM_KEYS}
    dxs = np.empty((T,) + x0.shape, dtype=np.result_type(x0, dhs))
    dh_next = np.zeros((B, H), dtype=dtype)
    dc_next = np.zeros((B, H), dtype=dtype)
    for t in reversed(range(T)):
        step = lstm_step_backward(dhs[t] + dh_next, dc_next, caches[t])
        dxs[t] = step["x"]
        dh_next, dc_next = step["h_prev"], step["c_prev"]
        for k in LSTM_KEYS:
            grads[k] += step[k]
    grads["xs"], grads["h0"], grads["c0"] = dxs, dh_next, dc_next
    return grads


# ============================================================================
# GRU (PyTorch's gate order: reset r, update z, new n), two biases kept:
#   [a_r; a_z; a_n] = W_xh x_t + b_xh,   [u_r; u_z; u_n] = W_hh h_{t-1} + b_hh
#   r = sigmoid(a_r + u_r),  z = sigmoid(a_z + u_z),  n = tanh(a_n + r * u_n)
#   h_t = (1 - z) * n + z * h_{t-1}
# ============================================================================

GRU_KEYS = ("W_xh", "W_hh", "b_xh", "b_hh")


def gru_step_forward(x, h_prev, params):
    """One GRU step for a batch.

    x: ``(B, D)``; h_prev: ``(B, H)``; params: ``W_xh (3H, D)``,
    ``W_hh (3H, H)``, ``b_xh (3H,)``, ``b_hh (3H,)`` with the gate blocks in
    PyTorch's order (reset, update, new). The reset gate multiplies the whole
    hidden part of the candidate, bias included, as in ``nn.GRU``.
    Returns ``(h, cache)`` with ``h`` of shape ``(B, H)``.
    """
    dims = {}
    x = check_array(x, "x", ("B", "D"), dims)
    h_prev = check_array(h_prev, "h_prev", ("B", "H"), dims)
    p = _check_gated_params(params, GRU_KEYS, 3, dims)
    H = h_prev.shape[1]
    a = x @ p["W_xh"].T + p["b_xh"]  # (B, 3H): input side [a_r, a_z, a_n]
    u = h_prev @ p["W_hh"].T + p["b_hh"]  # (B, 3H): hidden side [u_r, u_z, u_n]
    rz = sigmoid(a[:, : 2 * H] + u[:, : 2 * H])  # both gates in one call
    r, z = rz[:, :H], rz[:, H:]
    u_n = u[:, 2 * H :]
    n = np.tanh(a[:, 2 * H :] + r * u_n)
    h = (1.0 - z) * n + z * h_prev  # z = 1 keeps the old state
    return h, (x, h_prev, r, z, n, u_n, p)


def gru_step_backward(dh, cache):
    """Backward through one GRU step.

    dh: ``(B, H)``, the gradient of the loss with respect to this step's ``h``.
    Returns a dict: ``"x" (B, D)``, ``"h_prev" (B, H)``, ``"W_xh" (3H, D)``,
    ``"W_hh" (3H, H)``, ``"b_xh" (3H,)``, ``"b_hh" (3H,)``.
    """
    x, h_prev, r, z, n, u_n, p = cache
    dh = check_array(dh, "dh", h_prev.shape)
    dn_pre = dh * (1.0 - z) * (1.0 - n * n)  # gradient at n's pre-activation
    dz_pre = dh * (h_prev - n) * z * (1.0 - z)
    dr_pre = dn_pre * u_n * r * (1.0 - r)
    da = np.concatenate([dr_pre, dz_pre, dn_pre], axis=1)  # input side (B, 3H)
    du = np.concatenate([dr_pre, dz_pre, dn_pre * r], axis=1)  # hidden side (B, 3H)
    return {
        "x": da @ p["W_xh"],
        "h_prev": dh * z + du @ p["W_hh"],
        "W_xh": da.T @ x,
        "W_hh": du.T @ h_prev,
        "b_xh": da.sum(axis=0),
        "b_hh": du.sum(axis=0),
    }


def gru_forward(xs, h0, params):
    """Run the GRU over whole sequences.

    xs: ``(T, B, D)``; h0: ``(B, H)``; params as in ``gru_step_forward``.
    Returns ``(hs, cache)`` with ``hs`` of shape ``(T, B, H)``.
    """
    dims = {}
    xs = check_array(xs, "xs", ("T", "B", "D"), dims)
    h0 = check_array(h0, "h0", ("B", "H"), dims)
    _check_gated_params(params, GRU_KEYS, 3, dims)
    hs = np.empty(xs.shape[:2] + h0.shape[1:], dtype=np.result_type(xs, h0))
    caches, h = [], h0
    for t in range(xs.shape[0]):
        h, step_cache = gru_step_forward(xs[t], h, params)
        hs[t] = h
        caches.append(step_cache)
    return hs, caches


def gru_backward(dhs, cache):
    """Backpropagation through time for ``gru_forward``.

    dhs: ``(T, B, H)``. Returns ``{"W_xh", "W_hh", "b_xh", "b_hh"}`` (sums over
    steps), ``"xs" (T, B, D)`` and ``"h0" (B, H)``.
    """
    caches = cache
    if not isinstance(caches, list) or not caches or len(caches[0]) != 7:
        raise TypeError("cache: expected the cache returned by gru_forward")
    T = len(caches)
    x0, h_prev0, *_, p = caches[0]
    B, H = h_prev0.shape
    dhs = check_array(dhs, "dhs", (T, B, H))
    grads = {k: np.zeros_like(p[k], dtype=np.result_type(p[k], dhs)) for k in GRU_KEYS}
    dxs = np.empty((T,) + x0.shape, dtype=np.result_type(x0, dhs))
    dh_next = np.zeros((B, H), dtype=np.result_type(h_prev0, dhs))
    for t in reversed(range(T)):
        step = gru_step_backward(dhs[t] + dh_next, caches[t])
        dxs[t] = step["x"]
        dh_next = step["h_prev"]
        for k in GRU_KEYS:
            grads[k] += step[k]
    grads["xs"], grads["h0"] = dxs, dh_next
    return grads


# ---- torch converters for the gated cells -----------------------------------


def _lstm_params_from_torch(module, suffix: str) -> dict:
    if getattr(module, "proj_size", 0):
        raise ValueError("params_from_torch: nn.LSTM with proj_size > 0 is not supported")
    W_xh = _torch_array(getattr(module, "weight_ih" + suffix))
    W_hh = _torch_array(getattr(module, "weight_hh" + suffix))
    if module.bias:  # the two LSTM biases only ever appear as a sum
        b_h = _torch_array(getattr(module, "bias_ih" + suffix)) + _torch_array(
            getattr(module, "bias_hh" + suffix)
        )
    else:
        b_h = np.zeros(W_hh.shape[0], dtype=W_hh.dtype)
    return {"W_xh": W_xh, "W_hh": W_hh, "b_h": b_h}


def _gru_params_from_torch(module, suffix: str) -> dict:
    W_xh = _torch_array(getattr(module, "weight_ih" + suffix))
    W_hh = _torch_array(getattr(module, "weight_hh" + suffix))
    if module.bias:  # kept apart: the reset gate multiplies the hidden-side bias
        b_xh = _torch_array(getattr(module, "bias_ih" + suffix))
        b_hh = _torch_array(getattr(module, "bias_hh" + suffix))
    else:
        b_xh = np.zeros(W_hh.shape[0], dtype=W_hh.dtype)
        b_hh = np.zeros(W_hh.shape[0], dtype=W_hh.dtype)
    return {"W_xh": W_xh, "W_hh": W_hh, "b_xh": b_xh, "b_hh": b_hh}


_FROM_TORCH.update({"LSTM": _lstm_params_from_torch, "GRU": _gru_params_from_torch})


# ---- exercise checker (notebook 07) -------------------------------------------


def _ref_lstm_step(x, h_prev, c_prev, W_xh, W_hh, b_h):
    h, c, _ = lstm_step_forward(x, h_prev, c_prev, {"W_xh": W_xh, "W_hh": W_hh, "b_h": b_h})
    return h, c


def check_lstm_step_forward(fn):
    """Check ``fn(x, h_prev, c_prev, W_xh, W_hh, b_h) -> (h, c)``: shapes ``(B, D)``,
    ``(B, H)``, ``(B, H)``, ``(4H, D)``, ``(4H, H)``, ``(4H,)`` -> ``(B, H)``, ``(B, H)``,
    gates in PyTorch's order (input, forget, cell candidate, output)."""
    rng = np.random.default_rng(60)
    cases = []
    for B, D, H in [(1, 1, 1), (3, 2, 4), (5, 4, 3)]:
        args = (
            rng.standard_normal((B, D)),
            np.tanh(rng.standard_normal((B, H))),
            rng.standard_normal((B, H)),
            rng.standard_normal((4 * H, D)),
            rng.standard_normal((4 * H, H)),
            rng.standard_normal(4 * H),
        )
        cases.append((f"B={B}, D={D}, H={H}", args))
    return check_function("lstm_step_forward", fn, _ref_lstm_step, cases)
