"""Exercises of notebook 01 (see ``helpers.exercises``)."""

import numpy as np

from ..activations import sigmoid, sigmoid_prime, softmax
from . import Exercise, register


def _sigmoid_prime_cases():
    return [
        ("z = 0 (the maximum, 0.25)", (np.array([0.0]),)),
        ("z from -6 to 6", (np.linspace(-6.0, 6.0, 13),)),
        ("a 2-D array of shape (3, 4)", (np.linspace(-3.0, 3.0, 12).reshape(3, 4),)),
        ("large |z| = 30 and 700", (np.array([-700.0, -30.0, 30.0, 700.0]),)),
    ]


def _softmax_cases():
    return [
        ("one vector of 3 scores", (np.array([1.0, 2.0, 3.0]),)),
        (
            "a batch (4, 3): one distribution per row",
            (np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-1.0, 5.0, 0.5], [2.0, -2.0, 0.0]]),),
        ),
        ("equal scores give equal probabilities", (np.full(5, 7.0),)),
        ("large scores (1000, 1001, 1002)", (np.array([[1000.0, 1001.0, 1002.0]]),)),
        (
            "a batch mixing rows near 1000 with rows near 0",
            (np.array([[1000.0, 999.0, 998.0], [0.0, 1.0, -1.0]]),),
        ),
    ]


register(
    Exercise(
        "01-sigmoid-prime",
        "the derivative of the sigmoid",
        reference=sigmoid_prime,
        cases=_sigmoid_prime_cases,
        hints=[
            "Write the derivative in terms of the sigmoid's own value s = σ(z).",
            "σ'(z) = σ(z) (1 − σ(z)); compute s = sigmoid(z) once and reuse it.",
        ],
        mistakes=[
            ("σ(z)(1 + σ(z)): the sign inside the bracket", lambda z: sigmoid(z) * (1 + sigmoid(z))),
            ("z (1 − z): the formula applied to z instead of σ(z)", lambda z: z * (1 - z)),
            ("1 − σ(z)²: that is the shape of tanh's derivative", lambda z: 1 - sigmoid(z) ** 2),
        ],
        atol=1e-12,
    ),
    Exercise(
        "01-softmax",
        "a row-wise softmax that never overflows",
        reference=softmax,
        cases=_softmax_cases,
        hints=[
            "Softmax does not change when you add the same number to every score of a row.",
            "Subtract each row's own maximum (keepdims=True) before np.exp, then divide by the row sum.",
        ],
        mistakes=[
            ("no max-shift: np.exp(1000) overflows to inf", lambda z: np.exp(z) / np.exp(z).sum(-1, keepdims=True)),
            (
                "one maximum for the whole batch: a row far below it underflows to 0/0",
                lambda z: (lambda e: e / e.sum(-1, keepdims=True))(np.exp(z - np.max(z))),
            ),
            (
                "normalised over the wrong axis (columns instead of rows)",
                lambda z: (lambda e: e / e.sum(0, keepdims=True))(np.exp(z - z.max(0, keepdims=True))),
            ),
        ],
        atol=1e-12,
    ),
)
