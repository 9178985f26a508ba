"""Notebook 06's character model, trained longer or wider (the notebook's ``FULL = True`` run).

    python benchmarks/char_rnn.py                      # the FULL run: 15 epochs, H = 128
    python benchmarks/char_rnn.py --epochs 3           # the notebook's fast run
    python benchmarks/char_rnn.py --H 256 --epochs 30  # a wider state, trained longer

Prints the n-gram baselines of the notebook (smoothing chosen on the last 10 % of
the training text), the RNN's held-out loss after every ``--report-every`` epochs
(nats and bits per character; a curve, nothing is chosen by it), the largest joint
gradient norm applied so far (after clipping, so it equals the threshold once clipping has
fired), and a seeded sample. Notebook 06's section 10 quotes the first two commands' output.
Same data, split, seed and hyper-parameters as the notebook unless changed; numpy
only, one thread.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from helpers.charmodel import (  # noqa: E402
    char_rnn_eval_loss,
    choose_on_validation,
    ids_to_text,
    init_char_rnn,
    load_text,
    ngram_loss,
    sample_chars,
    stream_chunks,
    text_chars,
    text_to_ids,
    train_char_rnn,
)
from helpers.repro import seed_all  # noqa: E402

B, T = 16, 25
K_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
BETA_GRID = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0)


def row(name: str, nats: float) -> str:
    return f"{name:<34} {nats:5.2f} nats/char  {nats / np.log(2):5.2f} bits/char"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--H", type=int, default=128)
    parser.add_argument("--lr", type=float, default=0.03)
    parser.add_argument("--max-norm", type=float, default=5.0)
    parser.add_argument("--report-every", type=int, default=5)
    args = parser.parse_args()
    text = load_text()
    chars = text_chars(text)
    V = len(chars)
    ids = text_to_ids(text, chars)
    n = int(0.9 * len(ids))
    train_ids, held_out = ids[:n], ids[n:]
    print(row("uniform, ln V", np.log(V)))
    print(row("unigram (add-1)", ngram_loss(train_ids, held_out, V, 1, k=1.0)))
    print(row("bigram (add-0.1)", ngram_loss(train_ids, held_out, V, 2, k=0.1)))
    k, _ = choose_on_validation(train_ids, V, 3, "k", K_GRID)
    print(row(f"trigram (add-{k:g})", ngram_loss(train_ids, held_out, V, 3, k=k)))
    for order in (4, 5):
        beta, _ = choose_on_validation(train_ids, V, order, "beta", BETA_GRID)
        loss = ngram_loss(train_ids, held_out, V, order, beta=beta)
        print(row(f"interpolated 1-{order}-gram (beta {beta:g})", loss))

    per_epoch = len(stream_chunks(train_ids, B, T))
    params = init_char_rnn(V, args.H, seed_all(0))
    run = {"step": 0, "memory": 0.0, "largest": 0.0, "recent": []}
    start = time.perf_counter()

    def after_step(params, memory, loss):
        run["step"] += 1
        total = sum(float(m.sum()) for m in memory.values())  # Adagrad adds g**2 (clipped g)
        run["largest"] = max(run["largest"], np.sqrt(max(total - run["memory"], 0.0)))
        run["memory"] = total
        run["recent"] = (run["recent"] + [loss])[-20:]
        epoch, rest = divmod(run["step"], per_epoch)
        if rest == 0 and (epoch % args.report_every == 0 or epoch == args.epochs):
            print(
                row(f"char-RNN H={args.H}, epoch {epoch}", char_rnn_eval_loss(params, held_out))
                + f"  (training {np.mean(run['recent']):.2f}; largest applied gradient norm so far "
                f"{run['largest']:.2f}, clipping at {args.max_norm:g}; "
                f"{time.perf_counter() - start:.0f} s)",
                flush=True,
            )

    params = train_char_rnn(
        params, train_ids, args.epochs, B, T, args.lr, args.max_norm, after_step=after_step
    )
    print(f"run: char-rnn H={args.H} B={B} T={T} lr={args.lr} epochs={args.epochs}")
    seed = text_to_ids("T", chars)[0]
    h0 = np.zeros((1, args.H))
    sample = sample_chars(params, h0, seed, 300, 0.8, np.random.default_rng(1))
    print("sample at temperature 0.8:\nT" + ids_to_text(sample, chars))


if __name__ == "__main__":
    main()
