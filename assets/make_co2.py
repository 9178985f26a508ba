"""Build assets/co2_monthly.csv: monthly mean CO2 at Mauna Loa, March 1958 - December 2001.

    pip install statsmodels      # build-time only; the notebooks read the CSV
    python assets/make_co2.py

Source: ``statsmodels.datasets.co2``, the weekly averages of the continuous
Mauna Loa record (Keeling & Whorf, Scripps Institution of Oceanography, via
CDIAC). Its own docstring says: "This is public domain."

How the monthly series is built:

1. Each calendar month is the mean of that month's weekly readings (a week is
   placed in the month of its date stamp). Weeks without a reading are skipped.
2. Five months have no weekly reading at all (1958-06, 1958-10 and
   1964-02 to 1964-04). They are filled by seasonal interpolation: fit
   ``trend (quadratic in time) + one mean per calendar month`` to the observed
   months by least squares, interpolate the *deseasonalised* series
   (observed value minus its calendar month's seasonal mean) linearly across
   the gap, then add the seasonal mean back. A plain linear interpolation
   would cut straight through the seasonal peak in spring 1964.
3. Values are rounded to 0.01 ppm. The column ``filled`` is 1 on the five
   filled months and 0 elsewhere; ``weekly_readings`` counts the weeks averaged.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "co2_monthly.csv"


def monthly_from_weekly():
    """Return (year, month, mean ppm or NaN, number of weekly readings) per calendar month."""
    from statsmodels.datasets import co2

    data = co2.load_pandas().data["co2"]
    months = data.resample("MS")
    mean, count = months.mean(), months.count()
    years = np.array([d.year for d in mean.index])
    cal = np.array([d.month for d in mean.index])
    return years, cal, mean.to_numpy(dtype=float), count.to_numpy(dtype=int)


def fill_gaps(month_of_year: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Fill NaNs by linear interpolation of the deseasonalised series (see module docstring)."""
    t = np.arange(len(values), dtype=float)
    seen = ~np.isnan(values)
    tc = (t - t.mean()) / t.std()
    dummies = (month_of_year[:, None] == np.arange(1, 13)[None, :]).astype(float)
    design = np.column_stack([tc, tc**2, dummies])  # 12 dummies absorb the intercept
    coef, *_ = np.linalg.lstsq(design[seen], values[seen], rcond=None)
    seasonal = coef[2:] - coef[2:].mean()
    season_of = seasonal[month_of_year - 1]
    deseason = values - season_of
    filled = values.copy()
    filled[~seen] = np.interp(t[~seen], t[seen], deseason[seen]) + season_of[~seen]
    return filled


def main() -> None:
    years, cal, mean, count = monthly_from_weekly()
    filled = fill_gaps(cal, mean)
    with OUT.open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["month", "co2_ppm", "weekly_readings", "filled"])
        for y, m, v, n, gap in zip(years, cal, filled, count, np.isnan(mean)):
            writer.writerow([f"{y:04d}-{m:02d}", f"{v:.2f}", int(n), int(gap)])
    print(
        f"wrote {OUT.name}: {len(filled)} months {years[0]}-{cal[0]:02d} to "
        f"{years[-1]}-{cal[-1]:02d}, {int(np.isnan(mean).sum())} filled"
    )


if __name__ == "__main__":
    main()
