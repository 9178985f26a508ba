"""Reproducibility and device choice."""

from __future__ import annotations

import os
import random

import numpy as np


def seed_all(seed: int = 0) -> np.random.Generator:
    """Seed Python's ``random``, numpy's global generator and torch (CPU and CUDA).

    Returns a fresh ``np.random.Generator`` seeded with ``seed``, the generator
    the course's numpy code uses.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed: expected a non-negative integer, got {seed!r}")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)  # noqa: NPY002 - seeds code that uses the legacy API
    os.environ["PYTHONHASHSEED"] = str(seed)
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
