"""Train notebook 09's character-level classifier and report how good and how fast it is.

    python benchmarks/classifier.py                          # bundled names, batched loop
    python benchmarks/classifier.py --loop both              # + the naive one-name-at-a-time loop
    python benchmarks/classifier.py --data my.tsv --cell gru # any `text<TAB>label` file

The model, data pipeline and training loops are imported from
``helpers.classifier`` (the code notebook 09 teaches), not copied. Prints test
accuracy, the majority-class baseline, the mean of the per-class accuracies
and the wall time. With ``--loop both``, both loops start from the same
initial weights and the report says whether the batched loop reaches at least
the per-example loop's accuracy in at most a tenth of its time: it re-runs the
batched loop alone for as many epochs as fit in a tenth of the per-example
loop's time (less 10 % for timing noise, counted from the full batched run)
and compares test accuracy and wall time. The exit status is 1 when it does not.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time

import numpy as np
import torch

from helpers.classifier import (
    DATA,
    NameClassifier,
    count_parameters,
    evaluate,
    majority_baseline,
    make_loader,
    prepare_data,
    train_classifier,
    train_per_example,
)
from helpers.repro import get_device, seed_all


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--data", default=str(DATA), help="a text<TAB>label file (default: assets/names.tsv)"
    )
    p.add_argument("--loop", choices=["batched", "per-example", "both"], default="batched")
    p.add_argument("--cell", choices=["rnn", "lstm", "gru"], default="rnn")
    p.add_argument("--hidden", type=int, default=64, help="hidden size (default 64)")
    p.add_argument("--embed", type=int, default=32, help="embedding size (default 32)")
    p.add_argument("--epochs", type=int, default=10, help="epochs of the batched loop (default 10)")
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=5e-3, help="Adam learning rate, batched loop")
    p.add_argument(
        "--pe-epochs", type=int, default=1, help="epochs of the per-example loop (default 1)"
    )
    p.add_argument("--pe-lr", type=float, default=1e-3, help="Adam learning rate, per-example loop")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1, help="torch CPU threads (default 1)")
    p.add_argument("--no-progress", action="store_true", help="hide the tqdm bars")
    return p.parse_args(argv)


def report(name: str, model, data, seconds: float, baseline: float) -> dict:
    """Evaluate on validation and test; print one block; return the numbers."""
    val = (
        evaluate(model, make_loader(data["datasets"]["val"], 512))
        if len(data["datasets"]["val"])
        else None
    )
    test = evaluate(model, make_loader(data["datasets"]["test"], 512))
    per_class = test["per_class"]
    print(f"\n[{name}]")
    print(f"  wall time (training)    {seconds:8.1f} s")
    if val is not None:
        print(f"  validation accuracy     {val['accuracy']:8.3f}")
    print(f"  test accuracy           {test['accuracy']:8.3f}   (majority baseline {baseline:.3f})")
    print(f"  per-class mean accuracy {np.nanmean(per_class):8.3f}")
    for label, acc in zip(data["classes"], per_class):
        print(f"      {label:<16} {acc:6.3f}")
    return {
        "val": None if val is None else val["accuracy"],
        "test": test["accuracy"],
        "seconds": seconds,
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    seed_all(args.seed)
    data = prepare_data(args.data, seed=args.seed)
    splits, classes = data["splits"], data["classes"]
    top, baseline = majority_baseline(splits["train"][1], splits["test"][1])
    device = get_device()
    sizes = ", ".join(f"{k} {len(v[0])}" for k, v in splits.items())
    print(f"data: {args.data}  ({sizes}; {len(classes)} classes; {len(data['vocab'])} symbols)")
    print(f"majority baseline: always '{top}' -> test accuracy {baseline:.3f}")
    print(
        f"model: {args.cell.upper()} embed {args.embed} hidden {args.hidden}; device {device}; "
        f"torch {torch.__version__}, {args.threads} thread(s); python {platform.python_version()}"
    )

    def fresh_model():
        seed_all(args.seed)  # same initial weights for both loops
        return NameClassifier(
            len(data["vocab"]), len(classes), args.embed, args.hidden, args.cell
        ).to(device)

    results = {}
    if args.loop in ("per-example", "both"):
        model = fresh_model()
        print(f"parameters: {count_parameters(model)}")
        print(f"\nper-example loop: {args.pe_epochs} epoch(s), batch size 1, Adam lr {args.pe_lr}")
        h = train_per_example(
            model, data["datasets"]["train"], epochs=args.pe_epochs, lr=args.pe_lr,
            seed=args.seed, progress=not args.no_progress, device=device,
        )  # fmt: skip
        results["per-example"] = report("per-example loop", model, data, h["seconds"], baseline)
    if args.loop in ("batched", "both"):
        model = fresh_model()
        print(f"parameters: {count_parameters(model)}")
        print(
            f"\nbatched loop: {args.epochs} epoch(s), batch size {args.batch_size}, Adam lr {args.lr}"
        )
        val_set = data["datasets"]["val"]
        start = time.perf_counter()
        h = train_classifier(
            model,
            make_loader(data["datasets"]["train"], args.batch_size, shuffle=True, seed=args.seed),
            make_loader(val_set, 512) if len(val_set) else None,
            epochs=args.epochs, lr=args.lr, seed=args.seed, progress=not args.no_progress, device=device,
        )  # fmt: skip
        results["batched"] = report(
            "batched loop", model, data, time.perf_counter() - start, baseline
        )
        results["batched"]["curve"] = list(zip(h["val_accuracy"], h["elapsed"]))
    if args.loop == "both" and results["per-example"]["val"] is not None:
        pe = results["per-example"]
        target, slow = pe["val"], pe["seconds"]
        curve = results["batched"]["curve"]
        print(f"\n[comparison] per-example loop: validation accuracy {target:.3f} in {slow:.1f} s")
        matched = next((k + 1 for k, (acc, _) in enumerate(curve) if acc >= target), None)
        if matched is not None:
            print(
                f"  the batched loop's validation accuracy first matched it after epoch {matched} "
                f"({curve[matched - 1][0]:.3f}, {curve[matched - 1][1]:.1f} s)"
            )
        # The budget: a tenth of the per-example time, less 10 % for timing noise. Re-run
        # the batched loop for the epochs that fit (same seed, so the same first epochs),
        # alone, and compare its test accuracy with the per-example loop's.
        epoch = sum(1 for _, t in curve if t <= 0.9 * slow / 10)
        if epoch == 0:
            print("  not one batched epoch fits in a tenth of the per-example time  ->  FAIL")
            return 1
        model = fresh_model()
        start = time.perf_counter()
        train_classifier(
            model,
            make_loader(data["datasets"]["train"], args.batch_size, shuffle=True, seed=args.seed),
            make_loader(data["datasets"]["val"], 512),
            epochs=epoch, lr=args.lr, seed=args.seed, progress=False, device=device,
        )  # fmt: skip
        fast = time.perf_counter() - start
        test = evaluate(model, make_loader(data["datasets"]["test"], 512))["accuracy"]
        ok = test >= pe["test"] and fast <= slow / 10
        print(
            f"  batched, {epoch} epoch(s) (what fits in a tenth of the time): test accuracy "
            f"{test:.3f} vs per-example {pe['test']:.3f}, in {fast:.1f} s = 1/{slow / fast:.0f} "
            f"of the per-example time"
        )
        print(
            f"  at least the same accuracy in at most a tenth of the time: {'PASS' if ok else 'FAIL'}"
        )
        b = results["batched"]
        print(
            f"  full batched run ({args.epochs} epochs): test accuracy {b['test']:.3f} "
            f"in {b['seconds']:.1f} s"
        )
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
