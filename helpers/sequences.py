"""Small synthetic sequence datasets, seeded, for the recurrent-network notebooks."""

from __future__ import annotations

import numpy as np

from .validate import check_range


def temporal_xor(T: int, batch: int = 1, rng=None, random_phase: bool = False):
    """Elman's (1990) temporal XOR: streams of random bit pairs, each followed by their XOR.

    ``a1 b1 (a1 xor b1) a2 b2 (a2 xor b2) ...``; only every third bit can be
    predicted from the past. Time-major like every sequence in the course.
    T: bits per stream; batch: independent streams (columns).
    random_phase: each stream starts at a random point of a triple (0, 1 or 2
        bits in), as a window cut from Elman's one long stream would; otherwise
        every stream starts at a triple boundary.
    rng: a ``np.random.Generator`` (or a seed); default seed 0.
    Returns ``(bits, is_xor)``, both ``(T, batch)``: the bits as 0.0/1.0, and
    True where a bit is the XOR of the two before it.
    """
    check_range(T, "T", 1, None, integer=True)
    check_range(batch, "batch", 1, None, integer=True)
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng or 0)
    n = T // 3 + 2  # enough triples for T bits from any phase
    pairs = rng.integers(0, 2, size=(n, 2, batch))
    triples = np.concatenate([pairs, pairs[:, :1] ^ pairs[:, 1:]], axis=1)  # (n, 3, batch)
    stream = triples.reshape(3 * n, batch)
    phase = rng.integers(0, 3, size=batch) if random_phase else np.zeros(batch, dtype=int)
    t = phase + np.arange(T)[:, None]  # (T, batch): where each stream's bits come from
    bits = np.take_along_axis(stream, t, axis=0).astype(float)
    return bits, t % 3 == 2
