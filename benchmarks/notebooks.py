"""Time each notebook in a fresh kernel and every widget update in it.

    python benchmarks/notebooks.py                 # all notebooks
    python benchmarks/notebooks.py notebooks/05_*.ipynb

For each notebook: the wall time of a top-to-bottom run in a fresh kernel
(budget: 60 s, notebook 08: 90 s), then every control of every live demo set
to its minimum, maximum and middle, with the median and slowest update
(budget: median under 150 ms, aim 50 ms). Exits non-zero if a budget is missed
or a setting fails.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from coursetools.notebooks import notebook_paths, run_with_sweep

BUDGET_S = {"08": 90.0}
DEFAULT_BUDGET_S = 60.0
MEDIAN_UPDATE_BUDGET_S = 0.150


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or notebook_paths()
    ok = True
    print(
        f"{'notebook':40} {'run s':>7} {'budget':>7} {'updates':>8} {'median ms':>10} {'max ms':>8} {'failed':>7}"
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
        ok &= (
            report["seconds"] <= budget
            and failed == 0
            and (not times or median <= MEDIAN_UPDATE_BUDGET_S)
        )
        print(
            f"{path.name:40} {report['seconds']:7.1f} {budget:7.0f} {len(times):8d} "
            f"{median * 1000:10.1f} {max(times, default=float('nan')) * 1000:8.1f} {failed:7d}",
            flush=True,
        )
    print("all budgets met" if ok else "SOME BUDGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
