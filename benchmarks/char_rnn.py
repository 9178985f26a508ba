"""Notebook 06's character model, trained longer (the notebook's ``FULL = True`` run).

    python benchmarks/char_rnn.py               # the FULL run: 15 epochs
    python benchmarks/char_rnn.py --epochs 3    # the notebook's fast run

Prints the held-out loss (nats per character) next to the uniform, unigram
and bigram baselines, and a seeded sample. Same data, split, seed and
hyper-parameters as the notebook; numpy only, one thread.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from helpers.charmodel import (  # noqa: E402
    bigram_loss,
    char_rnn_eval_loss,
    ids_to_text,
    init_char_rnn,
    load_text,
    sample_chars,
    text_chars,
    text_to_ids,
    train_char_rnn,
    unigram_loss,
)
from helpers.repro import seed_all  # noqa: E402

H, B, T, LR, MAX_NORM = 128, 16, 25, 0.03, 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=15)
    args = parser.parse_args()
    text = load_text()
    chars = text_chars(text)
    V = len(chars)
    ids = text_to_ids(text, chars)
    n = int(0.9 * len(ids))
    train_ids, held_out = ids[:n], ids[n:]
    rng = seed_all(0)
    params = init_char_rnn(V, H, rng)
    start = time.perf_counter()
    params, history = train_char_rnn(
        params, train_ids, epochs=args.epochs, B=B, T=T, lr=LR, max_norm=MAX_NORM, progress=False
    )
    seconds = time.perf_counter() - start
    print(f"run: char-rnn H={H} B={B} T={T} lr={LR} epochs={args.epochs} ({seconds:.0f} s)")
    print(f"uniform  log V     {np.log(V):.2f} nats/char")
    print(f"unigram  held-out  {unigram_loss(train_ids, held_out, V):.2f}")
    print(f"bigram   held-out  {bigram_loss(train_ids, held_out, V):.2f}")
    print(f"char-RNN held-out  {char_rnn_eval_loss(params, held_out):.2f}")
    print(f"char-RNN training  {history['loss'][-1]:.2f} (mean loss of the last 20 chunks)")
    seed = text_to_ids("T", chars)[0]
    sample = sample_chars(params, np.zeros((1, H)), seed, 300, 0.8, np.random.default_rng(1))
    print("sample at temperature 0.8:\nT" + ids_to_text(sample, chars))


if __name__ == "__main__":
    main()
