"""Exercises of notebook 02 (see ``helpers.exercises``): one step of the RNN,
then the loop over time that makes it a recurrent network."""

import numpy as np

from ..scratch import rnn_backward, rnn_forward, rnn_step_forward
from .core import Exercise, register
from .rnn_inputs import rnn_params, rnn_step_inputs


def rnn_step(x, h_prev, params):
    """One RNN step for a batch: ``h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h)``.

    x: ``(B, D)``; h_prev: ``(B, H)``; params: ``W_xh (H, D)``, ``W_hh (H, H)``,
    ``b_h (H,)`` stored ``(out, in)`` as in PyTorch. Returns h: ``(B, H)``.
    """
    return np.tanh(x @ params["W_xh"].T + h_prev @ params["W_hh"].T + params["b_h"])


def _step_cases():
    rng = np.random.default_rng(20)
    return [(name, (x, h_prev, params)) for name, x, h_prev, params in rnn_step_inputs(rng)]


def _forward_cases():
    rng = np.random.default_rng(21)
    cases = []
    for T, B, D, H in [(1, 1, 1, 1), (1, 2, 3, 2), (5, 1, 2, 3), (6, 3, 4, 5)]:
        xs, h0 = rng.normal(size=(T, B, D)), rng.normal(0, 0.5, (B, H))
        dhs = rng.normal(size=(T, B, H))  # to test the caches with rnn_backward
        cases.append((f"T={T}, B={B}, D={D}, H={H}", (xs, h0, rnn_params(rng, D, H), dhs)))
    return cases


def _with_backward(forward):
    """``forward`` called on ``(xs, h0, params)``, returning its states (return
    value 1) and the gradients ``rnn_backward`` gets from its caches and ``dhs``
    (return value 2): the caches are compared by what they are for."""

    def run(xs, h0, params, dhs):
        hs, caches = forward(xs, h0, params)
        try:
            grads = rnn_backward(dhs, caches)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"rnn_backward cannot use the caches you returned ({exc}); "
                "keep every step's cache from rnn_step_forward, in time order"
            ) from None
        return hs, grads

    return run


# ---- classic mistakes -------------------------------------------------------


def _forward_from_h0_every_step(xs, h0, params):
    hs, caches = [], []
    for x in xs:
        h, cache = rnn_step_forward(x, h0, params)  # the state is never carried on
        hs.append(h)
        caches.append(cache)
    return np.stack(hs), caches


def _forward_states_one_step_late(xs, h0, params):
    h, hs, caches = h0, [], []
    for x in xs:
        hs.append(h)  # kept before the step: hs[t] is h_{t-1}
        h, cache = rnn_step_forward(x, h, params)
        caches.append(cache)
    return np.stack(hs), caches


def _forward_last_cache_only(xs, h0, params):
    h, hs = h0, []
    for x in xs:
        h, cache = rnn_step_forward(x, h, params)
        hs.append(h)
    return np.stack(hs), [cache]  # the backward pass needs every step


def _forward_reversed_time(xs, h0, params):
    h, hs, caches = h0, [], []
    for x in xs[::-1]:  # reads the sequence from the end
        h, cache = rnn_step_forward(x, h, params)
        hs.append(h)
        caches.append(cache)
    return np.stack(hs[::-1]), caches[::-1]


register(
    Exercise(
        "02-rnn-step",
        "one step of the RNN for a batch",
        reference=rnn_step,
        cases=_step_cases,
        answer_in=[rnn_step_forward],
        hints=[
            "Rows are examples: x is (B, D) and W_xh is (H, D), so the input's share is x @ W_xh.T, of shape (B, H).",
            "Add the previous state's share h_prev @ params['W_hh'].T and the bias (broadcast over the rows), then np.tanh.",
            "return np.tanh(x @ params['W_xh'].T + h_prev @ params['W_hh'].T + params['b_h'])",
        ],
        mistakes=[
            (
                "W_hh not transposed: h_prev @ W_hh computes W_hh^T h",
                lambda x, h, p: np.tanh(x @ p["W_xh"].T + h @ p["W_hh"] + p["b_h"]),
            ),
            (
                "no tanh: the state must be squashed into (-1, 1)",
                lambda x, h, p: x @ p["W_xh"].T + h @ p["W_hh"].T + p["b_h"],
            ),
            ("the bias left out", lambda x, h, p: np.tanh(x @ p["W_xh"].T + h @ p["W_hh"].T)),
            (
                "the previous state left out: that is an MLP on each step",
                lambda x, h, p: np.tanh(x @ p["W_xh"].T + p["b_h"]),
            ),
            (
                "sigmoid instead of tanh",
                lambda x, h, p: 1 / (1 + np.exp(-(x @ p["W_xh"].T + h @ p["W_hh"].T + p["b_h"]))),
            ),
        ],
        rtol=1e-9,
        atol=1e-12,
    ),
    Exercise(
        "02-rnn-forward",
        "the RNN over whole sequences: the loop over time",
        reference=rnn_forward,
        cases=_forward_cases,
        adapt=_with_backward,
        hints=[
            "Start from h = h0 and call rnn_step_forward(xs[t], h, params) for t = 0 .. T-1 in order; each call returns the new h and that step's cache.",
            "Feed each new h into the next step, and keep every h and every cache in two lists (the backward pass of notebook 04 needs every step's cache, in time order).",
            "h, hs, caches = h0, [], []; for x in xs: h, cache = rnn_step_forward(x, h, params); hs.append(h); caches.append(cache). Then return np.stack(hs), caches.",
        ],
        mistakes=[
            (
                "every step starts from h0: the state is never carried on",
                _forward_from_h0_every_step,
            ),
            (
                "hs[t] holds the state before step t (h_{t-1}), not after it",
                _forward_states_one_step_late,
            ),
            ("only the last step's cache is kept", _forward_last_cache_only),
            ("the sequence is read backwards in time", _forward_reversed_time),
        ],
        rtol=1e-9,
        atol=1e-12,
    ),
    Exercise(
        "02-param-count",
        "why the parameter count does not grow with the sequence length",
        answer="""
        The same number as for a 5-step one. The parameters are $W_{xh}$
        ($H \\times D$), $W_{hh}$ ($H \\times H$), $b_h$ ($H$), $W_{hy}$
        ($C \\times H$) and $b_y$ ($C$):

        $$HD + H^2 + H + CH + C,$$

        and $T$ appears nowhere, because every step reuses them. With $D = 50$,
        $H = 64$, $C = 2$: $3200 + 4096 + 64 + 128 + 2 = 7{,}490$, for $T = 5$,
        $T = 1000$ or a sequence of any length. What grows with $T$ is the
        *computation* (one step per element) and, for training, the memory
        for the states the backward pass needs (notebook 04), not the model.
        PyTorch's `nn.RNN` has two hidden biases, so it reports $H$ more
        (`bias_ih_l0` and `bias_hh_l0`), with only their sum mattering.
        """,
        hints=[
            "List the arrays the model holds and the shape of each; does any of them have a T in its shape?",
        ],
    ),
)
