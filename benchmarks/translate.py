"""Train notebook 11's encoder–decoders, with and without attention, on any pairs.

    python benchmarks/translate.py --data assets/dates.tsv          # the course's dates
    python benchmarks/translate.py --data my_pairs.tsv --epochs 20  # any source<TAB>target file
    python benchmarks/translate.py --data assets/dates.tsv --seeds 0 1 2 --save assets/dates_models
                                   # the checkpoints notebook 11 loads (FULL = False)

FILE.tsv holds one ``source<TAB>target`` pair per line (UTF-8; blank lines are
skipped). The pairs are split 80 / 10 / 10 into train / validation / test by
source string (seeded), so no source string is in two splits. Printed for the
test split: exact match (the whole output right) and corpus BLEU and chrF
(``sacrebleu``; BLEU on characters, ``tokenize="char"``, as the models write
characters: with word tokens an output of one word, such as ``42301``, has
no 2-grams and scores a BLEU of 0 even when right) for

- a translation memory: the target of the most similar training source, by
  the Jaccard overlap of character 1-3-gram sets (no training);
- the encoder–decoder without attention (c_t = the encoder's last state) and
  with additive attention, each trained with teacher forcing and Adam, decoded
  greedily; the validation split picks the epoch whose weights are kept.

and the wall time of each. The model, training loop and decoding are imported
from ``helpers.seq2seq`` (the code notebook 11 teaches), not copied. Bad input
(a missing or empty file, a line without a tab, a file that is not UTF-8)
gets a one-line error naming the file and the line, and exit status 2.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch

from helpers.seq2seq import (
    Seq2Seq,
    build_vocab,
    encode_pairs,
    exact_match,
    fit,
    load_pairs,
    save_model,
    split_pairs,
    translate,
    translation_memory,
)


def scores(predictions, targets) -> dict:
    import sacrebleu

    return {
        "exact": exact_match(predictions, targets),
        "bleu": sacrebleu.corpus_bleu(predictions, [targets], tokenize="char").score,
        "chrf": sacrebleu.corpus_chrf(predictions, [targets]).score,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="a source<TAB>target file (UTF-8)")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--embed", type=int, default=32)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-2)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument(
        "--max-pairs", type=int, default=0, help="use only the first N pairs (0: all)"
    )
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--save", default="", help="folder for the trained models' checkpoints")
    parser.add_argument("--no-progress", dest="progress", action="store_false")
    args = parser.parse_args(argv)
    try:
        sources, targets = load_pairs(args.data)
    except (OSError, ValueError) as exc:
        print(f"translate.py: error: {exc}", file=sys.stderr)
        return 2
    if args.max_pairs:
        sources, targets = sources[: args.max_pairs], targets[: args.max_pairs]
    torch.set_num_threads(args.threads)
    splits = split_pairs(sources, targets, seed=0)
    if min(len(s[0]) for s in splits.values()) == 0:
        print(f"translate.py: error: {args.data}: too few distinct sources to split "
              f"({len(set(sources))})", file=sys.stderr)  # fmt: skip
        return 2
    src_vocab, tgt_vocab = build_vocab(splits["train"][0]), build_vocab(splits["train"][1])
    test_src, test_tgt = splits["test"]
    print(f"{args.data}: {len(sources)} pairs, {len(set(sources))} distinct sources; "
          f"train / val / test {len(splits['train'][0])} / {len(splits['val'][0])} / {len(test_src)} "
          f"(no source in two splits)")  # fmt: skip
    print(f"vocabularies: {len(src_vocab) - 4} source and {len(tgt_vocab) - 4} target characters; "
          f"torch {torch.__version__}, {platform.processor() or platform.machine()}, "
          f"{args.threads} thread(s)")  # fmt: skip
    rows = []
    start = time.perf_counter()
    memory = translation_memory(*splits["train"], test_src)
    rows.append(("translation memory (char 1-3-gram Jaccard)", scores(memory, test_tgt),
                 time.perf_counter() - start))  # fmt: skip
    max_len = max(len(t) for t in splits["train"][1]) + 10
    train = encode_pairs(*splits["train"], src_vocab, tgt_vocab)
    for attention in (False, True):
        for seed in args.seeds:
            start = time.perf_counter()
            name = f"{'with' if attention else 'without'} attention, seed {seed}"
            torch.manual_seed(seed)
            model = Seq2Seq(len(src_vocab), len(tgt_vocab), args.embed, args.hidden, attention)
            history = fit(model, train, args.epochs, args.lr, args.batch_size, seed,
                          val=(*splits["val"], src_vocab, tgt_vocab), progress=args.progress,
                          name=name)  # fmt: skip
            predictions, _ = translate(model, test_src, src_vocab, tgt_vocab, max_len)
            rows.append((name, scores(predictions, test_tgt), time.perf_counter() - start))
            if args.save:
                kind = "attention" if attention else "plain"
                path = save_model(Path(args.save) / f"{kind}_seed{seed}.pt", model, src_vocab,
                                  tgt_vocab, history)  # fmt: skip
                print(f"  saved {path}")
    print(f"\ntest split: {len(test_src)} pairs")
    print(f"{'model':44} {'exact':>7} {'BLEU':>6} {'chrF':>6} {'seconds':>8}  (BLEU on characters)")
    for name, s, seconds in rows:
        print(f"{name:44} {s['exact']:7.3f} {s['bleu']:6.1f} {s['chrf']:6.1f} {seconds:8.1f}")
    for attention in (False, True):
        exact = [
            s["exact"] for n, s, _ in rows if n.startswith("with " if attention else "without")
        ]
        label = "with attention" if attention else "without attention"
        print(f"{label}: mean exact match over {len(exact)} seed(s) {np.mean(exact):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
