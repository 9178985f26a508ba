"""Small synthetic sequence datasets, seeded, for the recurrent-network notebooks."""

from __future__ import annotations

import numpy as np

from .validate import check_range


def temporal_xor(n_triplets: int, batch: int = 1, rng=None) -> np.ndarray:
    """Elman's (1990) temporal XOR: random bit pairs, each followed by their XOR.

    ``a1 b1 (a1 xor b1) a2 b2 (a2 xor b2) ...``; only every third bit can be
    predicted from the past. Returns a ``(batch, 3 * n_triplets)`` array of 0.0/1.0.
    rng: a ``np.random.Generator`` (or a seed); default seed 0.
    """
    check_range(n_triplets, "n_triplets", 1, None, integer=True)
    check_range(batch, "batch", 1, None, integer=True)
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng or 0)
    pairs = rng.integers(0, 2, size=(batch, n_triplets, 2))
    xor = pairs[..., :1] ^ pairs[..., 1:]
    return np.concatenate([pairs, xor], axis=2).reshape(batch, 3 * n_triplets).astype(float)
