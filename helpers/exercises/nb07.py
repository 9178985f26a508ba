"""Exercises of notebook 07 (see ``helpers.exercises``).

The references are the course's ``lstm_step_forward`` and ``gru_step_forward``,
which also return a cache for the backward pass; the learner returns only the
new state(s), so the checker compares the first outputs.
"""

import numpy as np

from ..scratch import gru_step_forward, lstm_step_forward
from .core import Exercise, register


def _sig(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _first(n):
    """An adapter: ``fn`` returning only its first ``n`` outputs (a single one
    unwrapped), so the reference's cache is not compared."""

    def adapt(fn):
        def run(*args):
            out = fn(*args)
            if isinstance(out, tuple) and len(out) > n:
                out = out[:n]
            return out[0] if n == 1 and isinstance(out, tuple) and len(out) == 1 else out

        return run

    return adapt


# --- 07-lstm-step ------------------------------------------------------------------------


def _lstm_cases():
    rng = np.random.default_rng(60)
    cases = []
    for B, D, H in [(1, 1, 1), (3, 2, 4), (5, 4, 3)]:
        params = {
            "W_xh": rng.standard_normal((4 * H, D)),
            "W_hh": rng.standard_normal((4 * H, H)),
            "b_h": rng.standard_normal(4 * H),
        }
        x = rng.standard_normal((B, D))
        h_prev, c_prev = np.tanh(rng.standard_normal((B, H))), 2 * rng.standard_normal((B, H))
        cases.append((f"B={B}, D={D}, H={H}", (x, h_prev, c_prev, params)))
    return cases


def _lstm_variant(order="ifgo", cand=np.tanh, c_from="c", out_tanh=True):
    def step(x, h_prev, c_prev, params):
        z = x @ params["W_xh"].T + h_prev @ params["W_hh"].T + params["b_h"]
        blocks = dict(zip(order, np.split(z, 4, axis=1)))
        i, f, o, g = _sig(blocks["i"]), _sig(blocks["f"]), _sig(blocks["o"]), cand(blocks["g"])
        c = f * (c_prev if c_from == "c" else h_prev) + i * g
        return o * (np.tanh(c) if out_tanh else c), c

    return step


LSTM_MISTAKES = [
    (
        "the blocks read as (input, forget, output, candidate): PyTorch's order is i, f, g, o",
        _lstm_variant(order="ifog"),
    ),  # fmt: skip
    (
        "input and forget gates swapped: the first block is the input gate",
        _lstm_variant(order="figo"),
    ),
    (
        "a sigmoid on the candidate: g_t = tanh(z_g) can be negative, a sigmoid cannot",
        _lstm_variant(cand=_sig),
    ),
    (
        "c_t computed from h_prev instead of c_prev: the cell keeps its own state",
        _lstm_variant(c_from="h"),
    ),
    (
        "h_t = o_t * c_t: the cell is squashed by tanh before it is shown",
        _lstm_variant(out_tanh=False),
    ),
]

register(
    Exercise(
        "07-lstm-step",
        "one LSTM step forward",
        reference=lstm_step_forward,
        cases=_lstm_cases,
        adapt=_first(2),
        hints=[
            "One affine map gives all four pre-activations at once: z = x @ W_xh.T + h_prev @ W_hh.T + b_h, shape (B, 4H).",
            "Split z into four (B, H) blocks in PyTorch's order: input, forget, candidate, output (z[:, :H], z[:, H:2*H], ...). "
            "The three gates go through `sigmoid`, the candidate through np.tanh.",
            "c = f * c_prev + i * g and h = o * np.tanh(c); return h, c.",
        ],
        mistakes=LSTM_MISTAKES,
    )
)

# --- 07-gru-step -------------------------------------------------------------------------


def _gru_cases():
    rng = np.random.default_rng(61)
    cases = []
    for B, D, H in [(1, 1, 1), (3, 2, 4), (4, 3, 5)]:
        params = {
            "W_xh": rng.standard_normal((3 * H, D)),
            "W_hh": rng.standard_normal((3 * H, H)),
            "b_xh": rng.standard_normal(3 * H),
            "b_hh": 2 * rng.standard_normal(3 * H),  # large: a misplaced reset shows
        }
        cases.append((f"B={B}, D={D}, H={H}", (rng.standard_normal((B, D)), np.tanh(rng.standard_normal((B, H))), params)))  # fmt: skip
    return cases


def _gru_variant(order="rzn", reset="pytorch", keep="z"):
    def step(x, h_prev, p):
        H = h_prev.shape[1]
        a = x @ p["W_xh"].T + p["b_xh"]
        blocks_h = dict(zip(order, np.split(p["W_hh"], 3, axis=0)))
        bias_h = dict(zip(order, np.split(p["b_hh"], 3)))
        blocks_a = dict(zip(order, np.split(a, 3, axis=1)))
        r = _sig(blocks_a["r"] + h_prev @ blocks_h["r"].T + bias_h["r"])
        z = _sig(blocks_a["z"] + h_prev @ blocks_h["z"].T + bias_h["z"])
        if reset == "pytorch":
            n = np.tanh(blocks_a["n"] + r * (h_prev @ blocks_h["n"].T + bias_h["n"]))
        elif reset == "cho":  # reset before the matrix product
            n = np.tanh(blocks_a["n"] + (r * h_prev) @ blocks_h["n"].T + bias_h["n"])
        else:  # the hidden bias outside the reset
            n = np.tanh(blocks_a["n"] + r * (h_prev @ blocks_h["n"].T) + bias_h["n"])
        del H
        return (1 - z) * n + z * h_prev if keep == "z" else z * n + (1 - z) * h_prev

    return step


GRU_MISTAKES = [
    (
        "the reset gate applied before the matrix product (Cho et al.'s form); PyTorch resets W_hn h_{t-1} + b_hn",
        _gru_variant(reset="cho"),
    ),  # fmt: skip
    (
        "the hidden bias b_hn added outside the reset: PyTorch multiplies it by r_t too",
        _gru_variant(reset="bias-outside"),
    ),
    (
        "h_t = z n + (1 - z) h_prev: in PyTorch z_t = 1 keeps the old state",
        _gru_variant(keep="1-z"),
    ),
    (
        "the blocks read as (update, reset, new): PyTorch's order is r, z, n",
        _gru_variant(order="zrn"),
    ),
]

register(
    Exercise(
        "07-gru-step",
        "one GRU step forward (PyTorch's form)",
        reference=gru_step_forward,
        cases=_gru_cases,
        adapt=_first(1),
        hints=[
            "Keep the input side and the hidden side apart: a = x @ W_xh.T + b_xh and u = h_prev @ W_hh.T + b_hh, both (B, 3H), "
            "blocks in the order reset, update, new.",
            "r = sigmoid(a_r + u_r), z = sigmoid(a_z + u_z); the candidate resets the whole hidden part: "
            "n = tanh(a_n + r * u_n).",
            "h = (1 - z) * n + z * h_prev: z = 1 keeps the old state. Return h.",
        ],
        mistakes=GRU_MISTAKES,
    )
)

# --- 07-think ------------------------------------------------------------------------------

register(
    Exercise(
        "07-think",
        "no forget gate, a negative keep bias, and a GRU on an LSTM's budget",
        answer=r"""
        **1.** With $f_t = 1$ the cell only adds: $c_t = c_0 + \sum_{k \le t} i_k \odot g_k$.
        On a long stream that never resets, the sum drifts without bound (noisy candidates
        make it a random walk, growing like $\sqrt t$; candidates with a sign bias make it grow
        like $t$). Then $\tanh(c_t)$ saturates, $h_t$ is stuck near $\pm o_t$, and the gradient
        through $\tanh'(c_t) \approx 0$ vanishes. That is why Gers et al. (2000) added the forget
        gate: the network can learn to reset its memory. In the gate lab, "noisy candidates"
        with $f = 1$ show $c_t$ leaving $[-1, 1]$ while $h_t$ stays inside.

        **2.** At bias $-2$ the LSTM's forget gates start near $\sigma(-2) \approx 0.12$, so the
        cell path multiplies the gradient by about 0.12 at every step (about $10^{-0.9}$ per
        step): the LSTM loses it fastest, below the plot's floor of $10^{-45}$ at $T = 100$.
        The GRU's update gate is also near 0.12, so its state is mostly replaced by the
        candidate at each step, and its gradient flows back through the candidate's
        $W_{hh}$ and tanh, much like a plain RNN.

        **3.** An LSTM with $D = 10$, $H = 32$ has $4(32 \cdot 10 + 32^2 + 2 \cdot 32) = 5632$
        parameters. A GRU with width $H$ has $3(10H + H^2 + 2H) = 3(H^2 + 12H)$: $H = 37$ gives
        $3 \cdot 1813 = 5439 \le 5632$, and $H = 38$ gives $5700$, too many. So a GRU of width
        37 fits the budget of an LSTM of width 32.
        """,
        hints=["1. What does c_t add up? 2. What is σ(−2)? 3. Solve 3(H² + 12H) ≤ 5632."],
    )
)
