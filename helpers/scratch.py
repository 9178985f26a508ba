"""Recurrent networks from scratch in numpy, checked against PyTorch.

Time-major like PyTorch's default: a batch of sequences ``xs`` has shape
``(T, B, D)`` (time steps, batch, input features); hidden states ``(T, B, H)``.
Weights use PyTorch's layout ``(out_features, in_features)`` so they copy to
and from ``nn.RNN`` (see ``params_from_torch``). Every function keeps the
dtype it is given (float64 in, float64 out), so gradients can be checked to
1e-8 and better.

Inputs are checked once, where a learner enters: the sequence-level functions
(``rnn_forward``, ``rnn_backward``, ``lstm_*``, ``gru_*`` without ``step``).
The per-step functions are the bare math and trust their callers.

Sections: the vanilla RNN (``rnn_*``), the gated cells (``lstm_*``,
``gru_*``), the bridge from torch modules (``params_from_torch``), then the
input checks. (Notebook 07's LSTM and GRU exercises are checked in
``helpers.exercises.nb07``, against ``lstm_step_forward`` and ``gru_step_forward``.)
"""

from __future__ import annotations

import numpy as np

from .activations import sigmoid
from .validate import check_array, check_params, checked

# ============================================================================
# Vanilla RNN:  h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h)
# ============================================================================

RNN_KEYS = ("W_xh", "W_hh", "b_h")


def rnn_step_forward(x, h_prev, params):
    """One step of the RNN for a batch: ``h = tanh(x W_xh^T + h_prev W_hh^T + b_h)``.

    x: ``(B, D)`` inputs at this step; h_prev: ``(B, H)`` previous hidden state;
    params: ``{"W_xh": (H, D), "W_hh": (H, H), "b_h": (H,)}``.
    Returns ``(h, cache)``: the new state ``(B, H)`` and what the backward step needs.
    """
    net = x @ params["W_xh"].T + h_prev @ params["W_hh"].T + params["b_h"]  # (B, H)
    h = np.tanh(net)
    return h, (x, h_prev, h, params)


def rnn_step_backward(dh, cache):
    """Backward through one step: from ``dh = dE/dh_t`` to the step's gradients.

    dh: ``(B, H)``, the gradient of the loss with respect to this step's output
    ``h`` (from the loss at this step *and* from the later steps).
    Returns a dict: ``"x" (B, D)``, ``"h_prev" (B, H)``, ``"W_xh" (H, D)``,
    ``"W_hh" (H, H)``, ``"b_h" (H,)``.
    """
    x, h_prev, h, params = cache
    delta = dh * (1.0 - h * h)  # delta_t = dE/d(net_t), since tanh'(net) = 1 - h^2
    return {
        "x": delta @ params["W_xh"],  # (B, D)
        "h_prev": delta @ params["W_hh"],  # (B, H): the error carried back in time
        "W_xh": delta.T @ x,  # (H, D)
        "W_hh": delta.T @ h_prev,  # (H, H)
        "b_h": delta.sum(axis=0),  # (H,)
    }


def _check_rnn_forward(xs, h0, params):
    xs, h0, params = _check_rnn_inputs(xs, h0, params)
    return {"xs": xs, "h0": h0, "params": params}


@checked(_check_rnn_forward)  # the inputs are checked once, before the loop
def rnn_forward(xs, h0, params):
    """Run the RNN over whole sequences, keeping every step for the backward pass.

    xs: ``(T, B, D)``; h0: ``(B, H)``; params: ``W_xh (H, D)``, ``W_hh (H, H)``,
    ``b_h (H,)``. Returns ``(hs, cache)`` with ``hs`` of shape ``(T, B, H)``
    (``hs[t]`` is the state after reading ``xs[t]``) and ``cache`` the list of
    the steps' caches, in time order.
    """
    h, hs, caches = h0, [], []
    for x in xs:  # x = xs[t], (B, D)
        h, cache = rnn_step_forward(x, h, params)
        hs.append(h)
        caches.append(cache)
    return np.stack(hs), caches


def _check_rnn_backward(dhs, cache):
    return {"dhs": _check_dhs(dhs, cache, "rnn_forward")}


@checked(_check_rnn_backward)  # dhs is checked against the cache once, before the loop
def rnn_backward(dhs, cache):
    """Backpropagation through time over the steps kept by ``rnn_forward``.

    dhs: ``(T, B, H)``, the gradient of the loss with respect to every hidden
    state coming from the outputs at that step (zeros where a step has no loss).
    Returns ``{"W_xh", "W_hh", "b_h"}`` (each the *sum* over steps of the
    step's gradient), ``"xs" (T, B, D)`` and ``"h0" (B, H)``.
    """
    T, params = len(cache), cache[0][-1]
    grads = {k: np.zeros_like(params[k]) for k in RNN_KEYS}  # sums over steps
    dxs = [None] * T
    dh_next = np.zeros_like(dhs[0])  # no error comes back from after the last step
    for t in reversed(range(T)):
        step = rnn_step_backward(dhs[t] + dh_next, cache[t])  # both paths into h_t
        for k in RNN_KEYS:
            grads[k] += step[k]  # shared weights: add every step's share
        dxs[t] = step["x"]
        dh_next = step["h_prev"]  # carried on to step t - 1
    return {**grads, "xs": np.stack(dxs), "h0": dh_next}


def _check_last_states(hs, lengths):
    dims = {}
    hs = check_array(hs, "hs", ("T", "B", "H"), dims)
    lengths = check_array(lengths, "lengths", ("B",), dims, floating=False)
    if not np.issubdtype(lengths.dtype, np.integer):
        raise TypeError(f"lengths: expected integers, got dtype {lengths.dtype}")
    if lengths.size and (lengths.min() < 1 or lengths.max() > hs.shape[0]):
        raise ValueError(f"lengths: expected values in [1, {hs.shape[0]}], got {lengths.tolist()}")
    return {"hs": hs, "lengths": lengths}


@checked(_check_last_states)
def last_states(hs, lengths):
    """Each sequence's own last hidden state from a padded batch.

    hs: ``(T, B, H)`` states of a batch padded to length ``T``; lengths: ``(B,)``
    integers in ``1..T``. Returns ``(B, H)`` with row ``b`` = ``hs[lengths[b] - 1, b]``
    (``hs[-1]`` would be a padding step for every sequence shorter than ``T``).
    """
    return hs[lengths - 1, np.arange(hs.shape[1])]


# ============================================================================
# LSTM (PyTorch's gate order: input i, forget f, cell candidate g, output o)
#   [z_i; z_f; z; z_o] = W_xh x_t + W_hh h_{t-1} + b_h          (4H rows)
#   i, f, o = sigmoid(z_i), sigmoid(z_f), sigmoid(z_o);  g = tanh(z)
#   c_t = f * c_{t-1} + i * g;   h_t = o * tanh(c_t)
# ============================================================================

LSTM_KEYS = ("W_xh", "W_hh", "b_h")


def lstm_step_forward(x, h_prev, c_prev, params):
    """One LSTM step for a batch.

    x: ``(B, D)``; h_prev, c_prev: ``(B, H)``; params: ``W_xh (4H, D)``,
    ``W_hh (4H, H)``, ``b_h (4H,)`` with the gate blocks in PyTorch's order
    (input, forget, cell candidate, output).
    Returns ``(h, c, cache)``: the new hidden and cell states ``(B, H)``.
    """
    z = x @ params["W_xh"].T + h_prev @ params["W_hh"].T + params["b_h"]  # (B, 4H)
    H = h_prev.shape[1]
    gates = sigmoid(z)  # one call for the three gates (its candidate block is unused)
    i, f, o = gates[:, :H], gates[:, H : 2 * H], gates[:, 3 * H :]
    g = np.tanh(z[:, 2 * H : 3 * H])
    c = f * c_prev + i * g  # additive update: the memory path
    tanh_c = np.tanh(c)
    h = o * tanh_c
    return h, c, (x, h_prev, c_prev, i, f, g, o, tanh_c, params)


def lstm_step_backward(dh, dc, cache):
    """Backward through one LSTM step.

    dh, dc: ``(B, H)``, the gradients of the loss with respect to this step's
    ``h`` and ``c`` (including what flows back from later steps).
    Returns a dict: ``"x" (B, D)``, ``"h_prev" (B, H)``, ``"c_prev" (B, H)``,
    ``"W_xh" (4H, D)``, ``"W_hh" (4H, H)``, ``"b_h" (4H,)``.
    """
    x, h_prev, c_prev, i, f, g, o, tanh_c, params = cache
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
        "x": dz @ params["W_xh"],
        "h_prev": dz @ params["W_hh"],
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
    xs, h0, c0, params = _check_gated_inputs(xs, {"h0": h0, "c0": c0}, params, LSTM_KEYS, 4)
    h, c, hs, caches = h0, c0, [], []
    for x in xs:
        h, c, cache = lstm_step_forward(x, h, c, params)
        hs.append(h)
        caches.append(cache)
    return np.stack(hs), caches


def lstm_backward(dhs, cache):
    """Backpropagation through time for ``lstm_forward``.

    dhs: ``(T, B, H)``, the gradient of the loss with respect to each ``h_t``
    from that step's output. Returns ``{"W_xh", "W_hh", "b_h"}`` (sums over
    steps), ``"xs" (T, B, D)``, ``"h0" (B, H)`` and ``"c0" (B, H)``.
    """
    dhs = _check_dhs(dhs, cache, "lstm_forward")
    T, params = len(cache), cache[0][-1]
    grads = {k: np.zeros_like(params[k]) for k in LSTM_KEYS}
    dxs = [None] * T
    dh_next = dc_next = np.zeros_like(dhs[0])
    for t in reversed(range(T)):
        step = lstm_step_backward(dhs[t] + dh_next, dc_next, cache[t])
        for k in LSTM_KEYS:
            grads[k] += step[k]
        dxs[t] = step["x"]
        dh_next, dc_next = step["h_prev"], step["c_prev"]
    return {**grads, "xs": np.stack(dxs), "h0": dh_next, "c0": dc_next}


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
    H = h_prev.shape[1]
    a = x @ params["W_xh"].T + params["b_xh"]  # (B, 3H): input side [a_r, a_z, a_n]
    u = h_prev @ params["W_hh"].T + params["b_hh"]  # (B, 3H): hidden side [u_r, u_z, u_n]
    rz = sigmoid(a[:, : 2 * H] + u[:, : 2 * H])  # both gates in one call
    r, z = rz[:, :H], rz[:, H:]
    u_n = u[:, 2 * H :]
    n = np.tanh(a[:, 2 * H :] + r * u_n)
    h = (1.0 - z) * n + z * h_prev  # z = 1 keeps the old state
    return h, (x, h_prev, r, z, n, u_n, params)


def gru_step_backward(dh, cache):
    """Backward through one GRU step.

    dh: ``(B, H)``, the gradient of the loss with respect to this step's ``h``.
    Returns a dict: ``"x" (B, D)``, ``"h_prev" (B, H)``, ``"W_xh" (3H, D)``,
    ``"W_hh" (3H, H)``, ``"b_xh" (3H,)``, ``"b_hh" (3H,)``.
    """
    x, h_prev, r, z, n, u_n, params = cache
    dn_pre = dh * (1.0 - z) * (1.0 - n * n)  # gradient at n's pre-activation
    dz_pre = dh * (h_prev - n) * z * (1.0 - z)
    dr_pre = dn_pre * u_n * r * (1.0 - r)
    da = np.concatenate([dr_pre, dz_pre, dn_pre], axis=1)  # input side (B, 3H)
    du = np.concatenate([dr_pre, dz_pre, dn_pre * r], axis=1)  # hidden side (B, 3H)
    return {
        "x": da @ params["W_xh"],
        "h_prev": dh * z + du @ params["W_hh"],
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
    xs, h0, params = _check_gated_inputs(xs, {"h0": h0}, params, GRU_KEYS, 3)
    h, hs, caches = h0, [], []
    for x in xs:
        h, cache = gru_step_forward(x, h, params)
        hs.append(h)
        caches.append(cache)
    return np.stack(hs), caches


def gru_backward(dhs, cache):
    """Backpropagation through time for ``gru_forward``.

    dhs: ``(T, B, H)``. Returns ``{"W_xh", "W_hh", "b_xh", "b_hh"}`` (sums over
    steps), ``"xs" (T, B, D)`` and ``"h0" (B, H)``.
    """
    dhs = _check_dhs(dhs, cache, "gru_forward")
    T, params = len(cache), cache[0][-1]
    grads = {k: np.zeros_like(params[k]) for k in GRU_KEYS}
    dxs = [None] * T
    dh_next = np.zeros_like(dhs[0])
    for t in reversed(range(T)):
        step = gru_step_backward(dhs[t] + dh_next, cache[t])
        for k in GRU_KEYS:
            grads[k] += step[k]
        dxs[t] = step["x"]
        dh_next = step["h_prev"]
    return {**grads, "xs": np.stack(dxs), "h0": dh_next}


# ============================================================================
# From torch modules to numpy parameter dicts
# ============================================================================


def _check_params_from_torch(module, layer, reverse) -> None:
    _check_torch_module(module, layer, reverse)


@checked(_check_params_from_torch)
def params_from_torch(module, layer: int = 0, reverse: bool = False) -> dict:
    """Copy one layer (and direction) of an ``nn.RNN`` (tanh), ``nn.LSTM`` or
    ``nn.GRU`` into a numpy dict, in the module's dtype.

    layer: which of ``num_layers`` (default 0); reverse: the backward direction
    of a bidirectional module.
    ``nn.RNN``: ``{"W_xh": (H, D), "W_hh": (H, H), "b_h": (H,)}``;
    ``nn.LSTM``: the same keys with ``4H`` rows (gates input, forget, cell,
    output); in both ``b_h = bias_ih + bias_hh``.
    ``nn.GRU``: ``{"W_xh": (3H, D), "W_hh": (3H, H), "b_xh": (3H,),
    "b_hh": (3H,)}`` (gates reset, update, new): the biases stay separate.
    """
    suffix = f"_l{layer}" + ("_reverse" if reverse else "")

    def get(kind):  # get("weight_ih") is module.weight_ih_l0 as a numpy array
        return getattr(module, kind + suffix).detach().cpu().numpy().copy()

    W_xh, W_hh = get("weight_ih"), get("weight_hh")
    no_bias = np.zeros(W_hh.shape[0], dtype=W_hh.dtype)  # for bias=False modules
    b_ih = get("bias_ih") if module.bias else no_bias
    b_hh = get("bias_hh") if module.bias else no_bias.copy()
    if type(module).__name__ == "GRU":  # the reset gate multiplies b_hh alone
        return {"W_xh": W_xh, "W_hh": W_hh, "b_xh": b_ih, "b_hh": b_hh}
    return {"W_xh": W_xh, "W_hh": W_hh, "b_h": b_ih + b_hh}  # only the sum matters


# ============================================================================
# Input checks, run once at the entry of the sequence-level functions
# ============================================================================


def _check_rnn_inputs(xs, h0, params):
    """``xs (T, B, D)``, ``h0 (B, H)``, ``W_xh (H, D)``, ``W_hh (H, H)``, ``b_h (H,)``."""
    dims = {}
    xs = check_array(xs, "xs", ("T", "B", "D"), dims)
    h0 = check_array(h0, "h0", ("B", "H"), dims)
    check_params(params, "params", RNN_KEYS)
    params = {
        "W_xh": check_array(params["W_xh"], "params['W_xh']", ("H", "D"), dims),
        "W_hh": check_array(params["W_hh"], "params['W_hh']", ("H", "H"), dims),
        "b_h": check_array(params["b_h"], "params['b_h']", ("H",), dims),
    }
    if dims["T"] == 0:
        raise ValueError("xs: expected at least one time step, got shape " + str(xs.shape))
    return xs, h0, params


def _check_gated_inputs(xs, states, params, keys, n_gates: int):
    """``xs (T, B, D)``, each state ``(B, H)`` (given as ``{name: array}``), and
    stacked gate weights ``W_xh (n_gates*H, D)``, ``W_hh (n_gates*H, H)``,
    biases ``(n_gates*H,)``."""
    dims = {}
    xs = check_array(xs, "xs", ("T", "B", "D"), dims)
    states = [check_array(s, name, ("B", "H"), dims) for name, s in states.items()]
    check_params(params, "params", keys)
    G = n_gates * dims["H"]
    params = {
        "W_xh": check_array(params["W_xh"], "params['W_xh']", (G, "D"), dims),
        "W_hh": check_array(params["W_hh"], "params['W_hh']", (G, "H"), dims),
        **{k: check_array(params[k], f"params[{k!r}]", (G,), dims) for k in keys[2:]},
    }
    if dims["T"] == 0:
        raise ValueError("xs: expected at least one time step, got shape " + str(xs.shape))
    return xs, *states, params


def _check_dhs(dhs, cache, forward: str):
    """``dhs (T, B, H)`` matching a ``cache`` returned by ``forward``."""
    n_items = {"rnn_forward": 4, "lstm_forward": 9, "gru_forward": 7}[forward]
    if (
        not isinstance(cache, list)
        or not cache
        or not all(isinstance(c, tuple) and len(c) == n_items for c in cache)
    ):
        raise TypeError(f"cache: expected the cache returned by {forward}")
    B, H = cache[0][1].shape  # every step's cache holds h_prev second
    return check_array(dhs, "dhs", (len(cache), B, H))


def _check_torch_module(module, layer, reverse) -> None:
    name = type(module).__name__
    if name not in ("RNN", "LSTM", "GRU") or type(module).__module__.split(".")[0] != "torch":
        raise TypeError(f"params_from_torch: expected one of nn.RNN, nn.LSTM, nn.GRU, got {name}")
    if name == "RNN" and module.nonlinearity != "tanh":
        raise ValueError(
            f"params_from_torch: expected nn.RNN(nonlinearity='tanh'), got {module.nonlinearity!r}"
        )
    if name == "LSTM" and getattr(module, "proj_size", 0):
        raise ValueError("params_from_torch: nn.LSTM with proj_size > 0 is not supported")
    if isinstance(layer, bool) or not isinstance(layer, int) or not 0 <= layer < module.num_layers:
        raise ValueError(
            f"params_from_torch: layer must be in [0, {module.num_layers - 1}], got {layer!r}"
        )
    if reverse and not module.bidirectional:
        raise ValueError("params_from_torch: reverse=True needs a bidirectional module")
