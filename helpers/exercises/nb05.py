"""Exercises of notebook 05 (see ``helpers.exercises``)."""

import numpy as np

from ..gradients import (
    activation_derivative,
    clip_by_norm,
    grad_norms_back,
    jacobian_product,
)
from .core import Exercise, register

# --- 05-grad-norms-back: the product of Jacobians, one step at a time ---------------


def _states(rng, shape, name):
    z = 1.5 * rng.standard_normal(shape)
    return {"tanh": np.tanh, "sigmoid": lambda a: 1 / (1 + np.exp(-a)), "relu": lambda a: np.maximum(a, 0)}[name](z)  # fmt: skip


def _grad_norms_cases():
    rng = np.random.default_rng(50)
    cases = []
    for T, B, H, name in [
        (1, 1, 1, "tanh"),
        (6, 2, 3, "tanh"),
        (5, 3, 4, "sigmoid"),
        (7, 1, 5, "relu"),
    ]:
        W_hh = rng.standard_normal((H, H)) + np.triu(np.ones((H, H)))  # not symmetric
        cases.append(
            (f"T={T}, B={B}, H={H}, {name}", (_states(rng, (T, B, H), name), W_hh, rng.standard_normal((B, H)), name))
        )  # fmt: skip
    return cases


def _norms_with(step):
    """A backward loop that takes one step back with ``step(dh, hs, t, W_hh, name)``."""

    def loop(hs, W_hh, dh_T, name):
        T = len(hs)
        norms = np.empty((T + 1, len(dh_T)))
        dh = dh_T
        norms[T] = np.linalg.norm(dh, axis=-1)
        for t in range(T, 0, -1):
            dh = step(dh, hs, t, W_hh, name)
            norms[t - 1] = np.linalg.norm(dh, axis=-1)
        return norms

    return loop


def _prev_slope(hs, t, name):  # f' of the step before (1 where there is none)
    return activation_derivative(hs[t - 2], name) if t >= 2 else 1.0


register(
    Exercise(
        "05-grad-norms-back",
        "the gradient reaching every step: a product of Jacobians",
        reference=grad_norms_back,
        cases=_grad_norms_cases,
        hints=[
            "Start from dh = dh_T and walk t = T, T-1, ..., 1. Each step back multiplies by one "
            "transposed Jacobian J_t^T = W_hh^T diag(f'(z_t)); record the norm of every dh, one per row of the result.",
            "f'(z_t) is written through the state the step produced: h_t = hs[t - 1]. For tanh it is "
            "1 - h_t**2, for the sigmoid h_t * (1 - h_t), for ReLU (h_t > 0). `activation_derivative(h, name)` does this.",
            "With rows as batch entries, one step back is dh = (activation_derivative(hs[t - 1], name) * dh) @ W_hh, "
            "and norms[t - 1] = np.linalg.norm(dh, axis=-1); norms[T] is the norm of dh_T itself.",
        ],
        mistakes=[
            (
                "W_hh transposed: with rows as batch entries the step back is `@ W_hh`, not `@ W_hh.T`",
                _norms_with(
                    lambda dh, hs, t, W, n: (activation_derivative(hs[t - 1], n) * dh) @ W.T
                ),
            ),
            (
                "the derivative applied after the matrix product, i.e. the slope of the wrong step",
                _norms_with(lambda dh, hs, t, W, n: (dh @ W) * _prev_slope(hs, t, n)),
            ),
            (
                "tanh's derivative as 1 - tanh(h)**2: h is already tanh(z), so it is 1 - h**2",
                _norms_with(lambda dh, hs, t, W, n: ((1 - np.tanh(hs[t - 1]) ** 2) * dh) @ W),
            ),
            (
                "the slope left out: dh @ W_hh is the linear network's step",
                _norms_with(lambda dh, hs, t, W, n: dh @ W),
            ),
        ],
        atol=1e-12,
    )
)

# --- 05-clip-by-norm -----------------------------------------------------------------


def _clip_cases():
    rng = np.random.default_rng(5)
    big = {"W_hh": 10 * rng.standard_normal((3, 3)), "b_h": 10 * rng.standard_normal(3)}
    small = {"W_hh": 0.01 * rng.standard_normal((3, 3)), "b_h": 0.01 * rng.standard_normal(3)}
    three = {
        "W_xh": rng.standard_normal((4, 2)),
        "W_hh": rng.standard_normal((4, 4)),
        "b_h": rng.standard_normal(4),
    }
    return [
        ("one vector with norm 5, threshold 1", ({"g": np.array([3.0, 4.0])}, 1.0)),
        ("a norm below the threshold is left alone", (small, 1.0)),
        ("two arrays clipped by their joint norm", (big, 2.5)),
        ("three arrays of different shapes, threshold 1", (three, 1.0)),
        ("a threshold exactly at the norm", ({"g": np.array([3.0, 4.0])}, 5.0)),
    ]


def _joint_norm(grads):
    return np.sqrt(sum(np.sum(g**2) for g in grads.values()))


def _clip_in_place(grads, threshold):
    scale = min(1.0, threshold / _joint_norm(grads))
    for g in grads.values():
        g *= scale
    return grads


register(
    Exercise(
        "05-clip-by-norm",
        "gradient clipping by the joint norm",
        reference=clip_by_norm,
        cases=_clip_cases,
        hints=[
            "First one number: the 2-norm of all entries of all arrays together, as if they were one long vector.",
            "norm = np.sqrt(sum(np.sum(g**2) for g in grads.values())); the scale is threshold / norm, "
            "but only when norm > threshold (otherwise 1).",
            "Return a new dict, {k: g * scale for k, g in grads.items()}; `g *= scale` would change the caller's arrays.",
        ],
        mistakes=[
            (
                "each array clipped by its own norm: the direction of the whole gradient changes",
                lambda grads, th: {
                    k: g * min(1.0, th / np.linalg.norm(g)) for k, g in grads.items()
                },
            ),
            (
                "always rescaled to the threshold: small gradients are blown up",
                lambda grads, th: {k: g * th / _joint_norm(grads) for k, g in grads.items()},
            ),
            (
                "clipped by value (each entry to [-θ, θ]): that is clip_by_value",
                lambda grads, th: {k: np.clip(g, -th, th) for k, g in grads.items()},
            ),
            ("right values, but the input arrays were changed in place", _clip_in_place),
        ],
        atol=1e-12,
    )
)

# --- 05-jacobian-product: dh_T/dh_0 itself ----------------------------------------------


def _relu_states(rng, T, H):
    """ReLU states ``(T, H)`` with a different set of H // 2 + 1 active units at
    every step: the product is not zero, and its order matters."""
    hs = np.zeros((T, H))
    for t in range(T):
        active = rng.permutation(H)[: H // 2 + 1]
        hs[t, active] = 0.2 + np.abs(rng.standard_normal(len(active)))
    return hs


def _jacobian_cases():
    rng = np.random.default_rng(6)
    cases = []
    for T, H, name in [
        (1, 1, "tanh"),
        (2, 3, "tanh"),
        (5, 4, "tanh"),
        (4, 3, "sigmoid"),
        (6, 4, "relu"),
    ]:
        W_hh = rng.standard_normal((H, H)) + np.triu(np.ones((H, H)))  # not symmetric
        hs = _relu_states(rng, T, H) if name == "relu" else _states(rng, (T, H), name)
        active = f" ({H // 2 + 1} of the {H} units active, a different set at each step)"
        what = f"T={T}, H={H}, {name}" + (active if name == "relu" else "")
        cases.append((what, (hs, W_hh, name)))
    return cases


def _product_with(jacobian, newest_left=True):
    """``J_T ... J_1`` (or the other order) with ``jacobian(hs, t, W_hh, name)`` for ``J_t``."""

    def product(hs, W_hh, name):
        P = np.eye(len(W_hh))
        for t in range(1, len(hs) + 1):
            J = jacobian(hs, t, W_hh, name)
            P = J @ P if newest_left else P @ J
        return P

    return product


def _jacobian(hs, t, W, name):
    return activation_derivative(hs[t - 1], name)[:, None] * W


register(
    Exercise(
        "05-jacobian-product",
        "the Jacobian product dh_T/dh_0 = J_T ... J_1",
        reference=jacobian_product,
        cases=_jacobian_cases,
        hints=[
            "Start from the identity (dh_0/dh_0) and take one step forward at a time: "
            "dh_t/dh_0 = J_t (dh_{t-1}/dh_0), with J_t = dh_t/dh_{t-1}.",
            "J_t = diag(f'(z_t)) W_hh: row i of W_hh scaled by f'(z_t)[i], because h_t[i] = f(z_t[i]) "
            "and z_t[i] depends on h_{t-1} through row i. f'(z_t) comes from h_t = hs[t - 1].",
            "P = np.eye(H); for t in 1..T: P = (activation_derivative(hs[t - 1], name)[:, None] * W_hh) @ P. "
            "The newest Jacobian goes on the LEFT.",
        ],
        mistakes=[
            (
                "the product in the wrong order, J_1 J_2 ... J_T: matrices do not commute",
                _product_with(_jacobian, newest_left=False),
            ),
            (
                "W_hh diag(f') instead of diag(f') W_hh: the slopes scale the columns, not the rows",
                _product_with(lambda hs, t, W, n: W * activation_derivative(hs[t - 1], n)[None, :]),
            ),
            (
                "the slope of the previous state, f'(z_{t-1}) (1 at t = 1): one step off",
                _product_with(
                    lambda hs, t, W, n: (
                        (activation_derivative(hs[t - 2], n)[:, None] if t >= 2 else 1.0) * W
                    )
                ),
            ),
            (
                "each Jacobian transposed, W_hh^T diag(f'): the backward pass's factors, not dh_t/dh_{t-1}",
                _product_with(lambda hs, t, W, n: _jacobian(hs, t, W, n).T),
            ),
            (
                "tanh's derivative as 1 - tanh(h)**2: h is already tanh(z), so it is 1 - h**2",
                _product_with(lambda hs, t, W, n: (1 - np.tanh(hs[t - 1]) ** 2)[:, None] * W),
            ),
        ],
        atol=1e-12,
    )
)

# --- 05-think ------------------------------------------------------------------------------

register(
    Exercise(
        "05-think",
        "three questions on powers, bounds and cliffs",
        answer=r"""
        **(a)** $w^{999} = 1/2$ gives $w = 2^{-1/999} = e^{-\ln 2 / 999} \approx 1 - 0.000694 = 0.99931$.
        A weight 0.07 % below 1 already halves the signal after 1000 steps.

        **(b)** With input 0 (and $b_h = 0$, $h_0 = 0$) every state stays exactly 0, where
        $\tanh'(0) = 1$: each Jacobian is $W_{hh} = \sigma_{\max} Q$ itself. An orthogonal $Q$
        keeps every vector's length, so each step back multiplies the norm by exactly
        $\sigma_{\max}$ and $\|\partial L/\partial h_t\| = \sigma_{\max}^{T-t}$: the bound holds
        with equality, because both of its inequalities are equalities here (the slope is its
        maximum $\gamma = 1$, and every direction is stretched by $\sigma_{\max}$).

        **(c)** Plain descent reaches the valley from start points whose whole path stays away
        from the wall: on the valley's side, where the loss slopes gently into the valley and
        every step is short. What they have in common is not the loss at the start but the
        path: no step lands within a hair's breadth of the wall, where the gradient is
        enormous. Start points right next to the wall (like the default) are a gamble.
        """,
        hints=[
            "(a) Take logarithms. (b) What is tanh's slope at 0? (c) Watch where the first few steps go."
        ],
    )
)
