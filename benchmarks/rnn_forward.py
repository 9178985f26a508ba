"""The numpy RNN forward (helpers.scratch.rnn_forward) against a bare loop.

    python benchmarks/rnn_forward.py [--T 1000] [--repeats 30]

Prints the median time of ``rnn_forward`` and of the same recurrence written
as a bare loop (no input checks, no caches, no function call per step) for a
few batch/width sizes, and their ratio. Issue 13's target: within 1.5x at
T = 1000. The inputs are checked once, before the loop, so the ratio is the
cost of keeping every step's cache for the backward pass and the call per step.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from helpers.scratch import rnn_forward


def bare_loop(xs, h0, W_xh, W_hh, b_h):
    hs = np.empty(xs.shape[:2] + h0.shape[1:])
    h = h0
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ W_xh.T + h @ W_hh.T + b_h)
        hs[t] = h
    return hs


def median_seconds(fn, args, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--T", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    print(f"T = {args.T}, median of {args.repeats} runs")
    print(f"{'B':>4} {'D':>4} {'H':>4} {'rnn_forward':>13} {'bare loop':>11} {'ratio':>7}")
    for B, D, H in [(1, 3, 4), (8, 10, 32), (32, 27, 64)]:
        xs = rng.standard_normal((args.T, B, D))
        h0 = np.zeros((B, H))
        p = {
            "W_xh": rng.standard_normal((H, D)) * 0.3,
            "W_hh": rng.standard_normal((H, H)) * 0.3,
            "b_h": np.zeros(H),
        }
        assert np.allclose(rnn_forward(xs, h0, p)[0], bare_loop(xs, h0, **p))
        ours = median_seconds(rnn_forward, (xs, h0, p), args.repeats)
        bare = median_seconds(bare_loop, (xs, h0, *p.values()), args.repeats)
        print(
            f"{B:>4} {D:>4} {H:>4} {ours * 1e3:10.2f} ms {bare * 1e3:8.2f} ms {ours / bare:6.2f}x"
        )


if __name__ == "__main__":
    main()
