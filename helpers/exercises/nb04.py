"""Exercises of notebook 04 (see ``helpers.exercises``): the backward step
through tanh, then the BPTT loop that carries the error back in time and sums
the shared weights' gradients."""

import numpy as np

from ..numerics import numerical_gradient, rel_error
from ..scratch import RNN_KEYS, rnn_backward, rnn_forward, rnn_step_backward, rnn_step_forward
from .core import Exercise, register
from .rnn_inputs import rnn_params, rnn_step_inputs


def _step_cases():
    rng = np.random.default_rng(40)
    cases = []
    for name, x, h_prev, params in rnn_step_inputs(rng):
        _, cache = rnn_step_forward(x, h_prev, params)
        cases.append((name, (rng.normal(size=h_prev.shape), cache)))
    return cases


def _sequence(rng, T, B, D, H):
    xs, h0 = rng.normal(size=(T, B, D)), rng.normal(0, 0.5, (B, H))
    return xs, h0, rnn_params(rng, D, H), rng.normal(size=(T, B, H))


def _loop_cases():
    rng = np.random.default_rng(41)
    cases = []
    for T, B, D, H in [(1, 1, 1, 1), (1, 2, 3, 2), (4, 1, 2, 3), (6, 3, 2, 4), (3, 2, 4, 1)]:
        xs, h0, params, dhs = _sequence(rng, T, B, D, H)
        _, cache = rnn_forward(xs, h0, params)
        cases.append((f"T={T}, B={B}, D={D}, H={H}", (dhs, cache)))
    return cases


def _central_differences(learner) -> str:
    """Once every case passed: the learner's gradients against central differences."""
    xs, h0, params, dhs = _sequence(np.random.default_rng(42), 5, 2, 3, 4)
    point = {**params, "xs": xs, "h0": h0}

    def loss(p):  # E = sum_t dhs[t] . h_t, so dE/dh_t = dhs[t]
        hs, _ = rnn_forward(p["xs"], p["h0"], {k: p[k] for k in RNN_KEYS})
        return float(np.sum(dhs * hs))

    numeric = numerical_gradient(loss, point)
    grads = learner(dhs, rnn_forward(xs, h0, params)[1])
    worst = max(rel_error(grads[k], numeric[k]) for k in point)
    if worst < 1e-7:
        return f"✓ agrees with central differences on T=5, B=2 (largest relative error {worst:.0e})"
    return f"✗ differs from central differences (largest relative error {worst:.1e})"


# ---- classic mistakes: the step ------------------------------------------------


def _step_with(derivative, dh_prev=None, dW=None):
    """A backward step with a wrong tanh derivative or a wrong transpose."""

    def step(dh, cache):
        x, h_prev, h, p = cache
        delta = dh * derivative(h, h_prev)
        return {
            "x": delta @ p["W_xh"],
            "h_prev": dh_prev(delta, p) if dh_prev else delta @ p["W_hh"],
            "W_xh": dW(delta, x) if dW else delta.T @ x,
            "W_hh": dW(delta, h_prev) if dW else delta.T @ h_prev,
            "b_h": delta.sum(axis=0),
        }

    return step


_right = lambda h, h_prev: 1 - h * h  # noqa: E731


# ---- classic mistakes: the loop ------------------------------------------------


def _loop(dh_next_added=True, accumulate=True, keys=RNN_KEYS, forward_in_time=False):
    """A BPTT loop with one classic mistake switched on."""

    def backward(dhs, cache):
        T = len(cache)
        grads = {k: np.zeros_like(cache[0][-1][k]) for k in keys}
        dxs = [None] * T
        dh_next = np.zeros_like(dhs[0])
        order = range(T) if forward_in_time else reversed(range(T))
        for t in order:
            step = rnn_step_backward(dhs[t] + dh_next if dh_next_added else dhs[t], cache[t])
            for k in keys:
                grads[k] = grads[k] + step[k] if accumulate else step[k]
            dxs[t] = step["x"]
            dh_next = step["h_prev"]
        return {**grads, "xs": np.stack(dxs), "h0": dh_next}

    return backward


_NEVER_RESET = {}  # accumulators created once, outside the function


def _loop_accumulators_never_reset(dhs, cache):
    T = len(cache)
    if not _NEVER_RESET:
        _NEVER_RESET.update({k: np.zeros_like(cache[0][-1][k]) for k in RNN_KEYS})
    dxs, dh_next = [None] * T, np.zeros_like(dhs[0])
    for t in reversed(range(T)):
        step = rnn_step_backward(dhs[t] + dh_next, cache[t])
        for k in RNN_KEYS:
            _NEVER_RESET[k] += step[k]  # still holds the previous call's sums
        dxs[t], dh_next = step["x"], step["h_prev"]
    return {**_NEVER_RESET, "xs": np.stack(dxs), "h0": dh_next}


register(
    Exercise(
        "04-step-backward",
        "one step backward through the tanh",
        reference=rnn_step_backward,
        cases=_step_cases,
        hints=[
            "Unpack the cache: x, h_prev, h, params = cache. First turn dE/dh_t into the error term delta_t = dE/dnet_t: which derivative does tanh have, written with its output h?",
            "delta = dh * (1 - h * h). net = x W_xh^T + h_prev W_hh^T + b_h is linear, so each gradient is delta against what it multiplied: with rows as examples, delta.T @ x for W_xh and delta.T @ h_prev for W_hh.",
            "Going back through the weights: dE/dx = delta @ W_xh and dE/dh_prev = delta @ W_hh (that is W^T delta for each example); db_h = delta.sum(axis=0), a sum over the batch. Return them in a dict with keys 'x', 'h_prev', 'W_xh', 'W_hh', 'b_h'.",
        ],
        mistakes=[
            ("tanh' written as 1 + h²: the sign", _step_with(lambda h, hp: 1 + h * h)),
            (
                "tanh' evaluated at the pre-activation (1 − net²) instead of at h = tanh(net)",
                _step_with(lambda h, hp: 1 - np.arctanh(h) ** 2),
            ),
            (
                "tanh' taken at the previous state h_prev instead of h",
                _step_with(lambda h, hp: 1 - hp * hp),
            ),
            (
                "W_hh transposed the wrong way for dh_prev (delta @ W_hh.T)",
                _step_with(_right, dh_prev=lambda d, p: d @ p["W_hh"].T),
            ),
            (
                "weight gradients transposed (x.T @ delta gives (D, H), not (H, D))",
                _step_with(_right, dW=lambda d, a: a.T @ d),
            ),
        ],
        rtol=1e-9,
        atol=1e-12,
    ),
    Exercise(
        "04-bptt-loop",
        "backpropagation through time: the loop",
        reference=rnn_backward,
        cases=_loop_cases,
        also=_central_differences,
        hints=[
            "Walk the steps backwards, t = T-1 down to 0. Step t's state gets error from two places: its own output (dhs[t]) and step t+1, through W_hh. Keep the second in a variable dh_next, zero before the loop (nothing comes after the last step).",
            "At each step call rnn_step_backward(dhs[t] + dh_next, cache[t]); the new dh_next is that step's 'h_prev' gradient, and its 'x' gradient goes into dxs[t].",
            "The weights are shared: start grads = {k: np.zeros_like(cache[0][-1][k]) for k in ('W_xh', 'W_hh', 'b_h')} before the loop and add (+=) every step's gradient. At the end, 'xs' is the stacked dxs and 'h0' the last dh_next.",
        ],
        mistakes=[
            (
                "dh_next never added: each step only sees its own output's error",
                _loop(dh_next_added=False),
            ),
            (
                "= instead of +=: only one step's share of the shared weights' gradient is kept",
                _loop(accumulate=False),
            ),
            (
                "b_h forgotten: its gradient is missing from the result",
                _loop(keys=("W_xh", "W_hh")),
            ),
            (
                "the accumulators are not reset: they still hold an earlier call's sums",
                _loop_accumulators_never_reset,
            ),
            (
                "iterating forward in time: the error must flow from the last step to the first",
                _loop(forward_in_time=True),
            ),
        ],
        rtol=1e-9,
        atol=1e-12,
    ),
    Exercise(
        "04-truncation-k",
        "how short may the truncation window be for the temporal XOR?",
        answer="""
        The XOR bit $b_{t+1} = b_{t-1} \\oplus b_t$ is predicted at step $t$,
        while the network reads $b_t$; the prediction also needs $b_{t-1}$, read
        one step earlier. For the network to *learn to store* $b_{t-1}$, the
        error of that prediction must reach the step that wrote it, one step
        back: a window of $k \\ge 2$. Keeping track of where it is in the
        triple needs the same kind of memory over the three steps of a triple,
        so $k = 3$ is enough in principle, and $k = 12$ leaves room to spare.

        With $k = 1$ the error never leaves its own step. $\\partial E/\\partial W_{hh}$
        still gets $\\delta_t h_{t-1}^\\top$, so the network can learn to *use*
        whatever $h_{t-1}$ happens to hold, but nothing teaches the earlier
        step to *write* the bit there: expect it to learn at best part of the
        task, its error on the XOR bits clearly above that of $k = 12$. The
        forward pass carries the state on regardless: truncation limits what
        can be *learned* across steps, not what is remembered.
        """,
        hints=[
            "Which earlier input does the prediction of an XOR bit need, and how many steps back was it read?",
        ],
    ),
)
