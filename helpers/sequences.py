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


def keyword_batch(B: int = 64, T_max: int = 10, keyword: int = 7, pad: int = 10, device="cpu"):
    """A padded batch of digit sequences, labelled by whether they contain ``keyword``.

    Each sequence has a random length from 2 to ``T_max`` (the first is always
    ``T_max`` long, so the batch is never shorter) and random digits 0-9 other
    than ``keyword``; in a random half of them (label 1) one position inside the
    sequence is then set to ``keyword``. Steps after a sequence's end hold ``pad``.
    Time-major torch tensors on ``device``, drawn from torch's global RNG.
    Returns ``((tokens, lengths), labels)``: tokens ``(T_max, B)``, lengths
    ``(B,)`` and labels ``(B,)``, all integers.
    """
    import torch

    lengths = torch.randint(2, T_max + 1, (B,), device=device)
    lengths[0] = T_max
    tokens = torch.randint(0, 9, (T_max, B), device=device)  # 9 values: the digits but one
    tokens = tokens + (tokens >= keyword).long()  # shift those from the keyword up: no keyword
    labels = torch.randint(0, 2, (B,), device=device)
    where = (torch.rand(B, device=device) * lengths).long()  # a position inside each sequence
    cols = labels.nonzero()[:, 0]  # the sequences labelled 1 ...
    tokens[where[cols], cols] = keyword  # ... get the keyword there
    steps = torch.arange(T_max, device=device)[:, None]
    tokens[steps >= lengths[None, :]] = pad
    return (tokens, lengths), labels
