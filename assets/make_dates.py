"""Build ``assets/dates.tsv``: dates written the way people write them -> ISO dates.

    pip install babel            # a build-time tool only; the notebooks read the TSV
    python assets/make_dates.py  # rewrites assets/dates.tsv (identical on every run)

Source: the date formats and the month and weekday names of the Unicode CLDR
(Common Locale Data Repository, Unicode licence), as shipped inside Babel
(https://babel.pocoo.org, BSD licence). Which locales and formats are used is
in ``LOCALES`` and ``FORMATS`` below.

Rules, applied in this order:
1. ``N_DRAWS`` draws, each a date uniform between 1970-01-01 and 2049-12-31,
   a locale and a format (uniform), from ``random.Random(SEED)``.
2. The date is written with ``babel.dates`` in that locale and format; the
   target is the ISO date ``YYYY-MM-DD``. Two-digit years (``3/3/26``) stand for
   1970-2049, matching the POSIX rule (70-99 -> 19xx, 00-68 -> 20xx) on that range.
3. Repeats of a (text, ISO date) pair are merged.
4. A text that could stand for two different dates is dropped: ``4/3/26`` is
   3 April in en_US (M/d/yy) and 4 March in es_ES (d/M/yy), ``10/11/2026``
   11 October in en_US and 10 November in en_GB, and nothing in the text says
   which. Only all-numeric texts can be read two ways (month names settle the
   rest), so every date of the range is written in each all-numeric
   (locale, format) pair, and a drawn text that more than one date produces
   is dropped (the script prints how many).
5. Rows are sorted by (ISO date, text), so the file is byte-identical on every run.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from pathlib import Path

from babel.dates import format_date, format_skeleton

SEED = 0
N_DRAWS = 12_000
FIRST, LAST = dt.date(1970, 1, 1), dt.date(2049, 12, 31)
LOCALES = ["en_US", "en_GB", "fr_FR", "de_DE", "es_ES", "it_IT"]
# CLDR's four standard lengths, and two flexible skeletons: numeric with a
# four-digit year (3/3/2026) and abbreviated with the weekday (Tue, Mar 3, 2026).
FORMATS = ["short", "medium", "long", "full", "skeleton:yMd", "skeleton:yMMMEd"]
OUT = Path(__file__).resolve().parent / "dates.tsv"


def write(date: dt.date, locale: str, form: str) -> str:
    if form.startswith("skeleton:"):
        return format_skeleton(form.split(":", 1)[1], date, locale=locale)
    return format_date(date, form, locale=locale)


def numeric_readings(span: int) -> dict[str, set[str]]:
    """Every all-numeric text of the range, with the set of dates it can stand for."""
    sample = dt.date(2026, 3, 3)
    numeric = [
        (loc, form)
        for loc in LOCALES
        for form in FORMATS
        if not any(c.isalpha() for c in write(sample, loc, form))
    ]
    readings = defaultdict(set)
    for day in range(span + 1):
        date = FIRST + dt.timedelta(days=day)
        for loc, form in numeric:
            readings[write(date, loc, form)].add(date.isoformat())
    return readings


def main() -> None:
    rng = random.Random(SEED)
    span = (LAST - FIRST).days
    readings = numeric_readings(span)
    meanings = defaultdict(set)
    for _ in range(N_DRAWS):
        date = FIRST + dt.timedelta(days=rng.randrange(span + 1))
        locale, form = rng.choice(LOCALES), rng.choice(FORMATS)
        text = " ".join(write(date, locale, form).split())  # no-break spaces -> plain spaces
        meanings[text].add(date.isoformat())
    ambiguous = sorted(t for t, isos in meanings.items() if len(isos | readings[t]) > 1)
    dropped = set(ambiguous)
    rows = sorted((iso, t) for t, isos in meanings.items() if t not in dropped for iso in isos)
    with OUT.open("w", encoding="utf-8", newline="\n") as f:
        for iso, text in rows:
            f.write(f"{text}\t{iso}\n")
    print(
        f"wrote {len(rows)} rows to {OUT.name}; dropped {len(ambiguous)} texts that two dates share"
    )
    print("ambiguous, e.g.:", ", ".join(ambiguous[:5]))


if __name__ == "__main__":
    main()
