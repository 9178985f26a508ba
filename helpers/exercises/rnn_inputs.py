"""Random inputs for the plain RNN's exercises, shared by notebooks 02 and 04."""

import numpy as np


def rnn_params(rng, D: int, H: int, scale: float = 0.8) -> dict:
    """``W_xh (H, D)``, ``W_hh (H, H)`` drawn from N(0, scale²), ``b_h (H,)`` from N(0, 0.25)."""
    return {
        "W_xh": rng.normal(0, scale, (H, D)),
        "W_hh": rng.normal(0, scale, (H, H)),
        "b_h": rng.normal(0, 0.5, H),
    }


def rnn_step_inputs(rng):
    """``(description, x (B, D), h_prev (B, H), params)`` for one step, with
    B = 1 and H = 1 among the sizes."""
    for B, D, H in [(1, 1, 1), (1, 3, 2), (4, 2, 3), (3, 5, 4)]:
        x, h_prev = rng.normal(size=(B, D)), np.tanh(rng.normal(size=(B, H)))
        yield f"B={B}, D={D}, H={H}", x, h_prev, rnn_params(rng, D, H)
