"""Reproducibility and device choice."""

from __future__ import annotations

import random

import numpy as np


def seed_all(seed: int = 0) -> np.random.Generator:
    """Seed Python's ``random``, numpy's global generator and torch (CPU and CUDA).

    Returns a fresh ``np.random.Generator`` seeded with ``seed``, the generator
    the course's numpy code uses.

    Python's string hashing (the order of a set of strings) is not seeded: it is
    fixed by ``PYTHONHASHSEED`` only when the interpreter starts, so setting it
    here would change nothing in the running kernel. Iterate over sorted sets
    where order matters.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed: expected a non-negative integer, got {seed!r}")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)  # noqa: NPY002 - seeds code that uses the legacy API
    try:
        import torch
    except ImportError:  # torch is optional for the numpy-only notebooks
        pass
    else:
        torch.manual_seed(seed)  # seeds CUDA too, when present
    return np.random.default_rng(seed)


def get_device():
    """``torch.device('cuda')`` when a GPU is present, else ``torch.device('cpu')``."""
    import torch

    return torch.device("cuda" if torch.cuda.is_available() else "cpu")
