"""Time each notebook in a fresh kernel and every widget update in it.

    python benchmarks/notebooks.py                 # all notebooks
    python benchmarks/notebooks.py notebooks/05_*.ipynb
    python benchmarks/notebooks.py --cpu --demos notebooks/05_*.ipynb

For each notebook: the wall time of a top-to-bottom run in a fresh kernel
(budget: 60 s, notebook 08: 90 s), then every control of every live demo set
to its minimum, maximum and middle (every option of a dropdown, both states of a
checkbox, and in a text box the empty string, one letter, an accented name, a
300-letter name and digits with punctuation: ``coursetools.sweep.test_values``),
with the median and slowest update. Budget: median at most 30 ms and slowest at
most 100 ms, so a slider dragged at 10 updates a second follows the hand. The
machine may be shared: re-measure a miss before acting on it. Exits non-zero if a
budget is missed or a setting fails.

``--cpu`` adds the CPU time of each update in the kernel (median and slowest):
on a loaded machine wall time counts the time the kernel waited for a core, CPU
time does not, so it shows what an idle machine would see (the budgets apply to
wall time). ``--demos`` adds one line per demo under each notebook.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from coursetools.notebooks import notebook_paths, run_with_sweep

BUDGET_S = {"08": 90.0}
DEFAULT_BUDGET_S = 60.0
MEDIAN_UPDATE_BUDGET_S = 0.030
SLOWEST_UPDATE_BUDGET_S = 0.100


def _ms(records: list[dict], key: str) -> tuple[float, float]:
    """Median and slowest of ``key`` over ``records``, in milliseconds."""
    times = [r[key] for r in records if key in r]
    if not times:
        return float("nan"), float("nan")
    return statistics.median(times) * 1e3, max(times) * 1e3


def main(argv: list[str]) -> int:
    cpu, demos = "--cpu" in argv, "--demos" in argv
    argv = [a for a in argv if a not in ("--cpu", "--demos")]
    paths = [Path(a).resolve() for a in argv] or notebook_paths()
    ok = True
    cpu_head = f" {'cpu med':>8} {'cpu max':>8}" if cpu else ""
    print(
        f"{'notebook':40} {'run s':>7} {'budget':>7} {'updates':>8} {'median ms':>10} "
        f"{'max ms':>8}{cpu_head} {'failed':>7}  missed (budgets: median "
        f"{MEDIAN_UPDATE_BUDGET_S * 1e3:.0f} ms, slowest {SLOWEST_UPDATE_BUDGET_S * 1e3:.0f} ms)"
    )
    for path in paths:
        report = run_with_sweep(path)
        times = [r["seconds"] for r in report["sweep"]]
        failed = (
            sum(1 for r in report["sweep"] if r["error"])
            + len(report["errors"])
            + len(report["warnings"])
        )
        median = statistics.median(times) if times else float("nan")
        budget = BUDGET_S.get(path.name[:2], DEFAULT_BUDGET_S)
        slowest = max(times, default=float("nan"))
        missed = [
            what
            for what, miss in [
                ("run time", report["seconds"] > budget),
                ("median update", bool(times) and median > MEDIAN_UPDATE_BUDGET_S),
                ("slowest update", bool(times) and slowest > SLOWEST_UPDATE_BUDGET_S),
                ("failed settings", failed > 0),
            ]
            if miss
        ]
        ok &= not missed
        cpu_cols = " {:8.1f} {:8.1f}".format(*_ms(report["sweep"], "cpu_seconds")) if cpu else ""
        print(
            f"{path.name:40} {report['seconds']:7.1f} {budget:7.0f} {len(times):8d} "
            f"{median * 1000:10.1f} {slowest * 1000:8.1f}{cpu_cols} {failed:7d}  "
            f"{', '.join(missed)}",
            flush=True,
        )
        if demos:
            for name in dict.fromkeys(r["demo"] for r in report["sweep"]):
                rows = [r for r in report["sweep"] if r["demo"] == name]
                wall = "{:10.1f} {:8.1f}".format(*_ms(rows, "seconds"))
                cpu_cols = " {:8.1f} {:8.1f}".format(*_ms(rows, "cpu_seconds")) if cpu else ""
                print(f"  {name[:38]:38} {'':15} {len(rows):8d} {wall}{cpu_cols}", flush=True)
    print("all budgets met" if ok else "SOME BUDGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
