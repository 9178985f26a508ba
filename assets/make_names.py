"""Build ``assets/names.tsv``: surnames labelled by language, from Faker's locale lists.

    pip install faker            # a build-time tool only; the notebooks read the TSV
    python assets/make_names.py  # rewrites assets/names.tsv (identical on every run)

Source: the surname lists that ship inside Faker (https://github.com/joke2k/faker,
MIT licence), ``faker/providers/person/<locale>/__init__.py``. Which locales
make up each language is in ``SOURCES`` below.

Rules, applied in this order:
1. Unicode NFC normalisation and surrounding whitespace stripped.
2. Keep names made of letters, with single spaces, hyphens or apostrophes
   between letter runs (``van der Velden``, ``O'Neil``), 2 to 24 characters;
   entries with digits, commas or brackets are dropped.
3. Duplicates within a language are merged (de_DE and de_AT share names).
4. Languages with fewer than ``MIN_PER_CLASS`` names are dropped (Czech,
   Hungarian, Portuguese): they take no part in the rules below.
5. Accent-stripped copies are dropped: a name without diacritics whose
   accented form is also listed (``Castaneda`` in en_US beside ``Castañeda``
   in es_ES, ``Garcia`` beside ``García``, ``Muller`` beside ``Müller``) would
   teach that the accent is the label.
6. A surname listed under several languages goes to its MAJORITY language,
   the one with the most source lists that contain it (``Smith``: en_US and
   en_GB against one Dutch, French and Swedish list each -> English). On a
   tie, English loses (the en_US and en_GB lists describe populations with
   surnames of every origin: ``Boyer`` English/French -> French); a tie left
   after that (``Adam``: French and German) is dropped, its label a coin toss.
7. A language with more than ``MAX_PER_CLASS`` names keeps a seeded random
   sample of that many (Polish has ~3800; capping keeps one class from
   dominating).
8. Rows are sorted by (label, text), so the file is byte-identical on every run.

The train/validation/test split is not stored here: ``helpers.classifier.split_dataset``
makes a seeded, stratified split of any ``text<TAB>label`` file.
"""

from __future__ import annotations

import importlib
import random
import re
import unicodedata
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parent / "names.tsv"
SEED = 0
MIN_PER_CLASS = 300
MAX_PER_CLASS = 1500
MIN_LEN, MAX_LEN = 2, 24

# language label -> [(Faker locale, attribute of its person Provider holding surnames)]
SOURCES = {
    "Croatian": [("hr_HR", "last_names")],
    "Czech": [("cs_CZ", "last_names")],  # 200 names: dropped by rule 4
    "Dutch": [("nl_NL", "last_names")],
    "English": [("en_US", "last_names"), ("en_GB", "last_names")],
    "Finnish": [("fi_FI", "last_names")],
    "French": [("fr_FR", "last_names"), ("fr_CA", "last_names"), ("fr_CH", "last_names")],
    "German": [("de_DE", "last_names"), ("de_AT", "last_names"), ("de_CH", "last_names")],
    "Hungarian": [("hu_HU", "last_names")],  # 100: dropped by rule 4
    "Italian": [("it_IT", "last_names")],
    "Polish": [("pl_PL", "male_last_names"), ("pl_PL", "unisex_last_names")],
    "Portuguese": [("pt_PT", "last_names"), ("pt_BR", "last_names")],  # 150: dropped
    "Spanish": [("es_ES", "last_names"), ("es_MX", "last_names")],
    "Swedish": [("sv_SE", "last_names")],
}

NAME = re.compile(r"^[^\W\d_]+(?:[-' ][^\W\d_]+)*$")  # letters, joined by one space/-/'


def clean(raw) -> str | None:
    """The normalised name, or None when it breaks rule 2."""
    name = unicodedata.normalize("NFC", str(raw).strip())
    if NAME.match(name) and MIN_LEN <= len(name) <= MAX_LEN:
        return name
    return None


def strip_accents(name: str) -> str:
    """``name`` without its diacritics: ``Castañeda`` -> ``Castaneda``, ``Łukasz`` stays."""
    return "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))


def collect() -> dict[str, dict[str, int]]:
    """{language: {cleaned surname: number of that language's lists holding it}} (rules 1-3)."""
    names = {}
    for label, sources in SOURCES.items():
        found = Counter()
        for locale, attr in sources:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
            cleaned = {clean(raw) for raw in getattr(provider, attr)}  # tuple, or name -> weight
            found.update(cleaned - {None})
        names[label] = dict(found)
    return names


def assign(names: dict[str, dict[str, int]]) -> tuple[dict[str, list[str]], dict]:
    """Rules 4-6: {language: sorted surnames it keeps}, and what was dropped or moved."""
    big = {label: found for label, found in names.items() if len(found) >= MIN_PER_CLASS}
    everything = {n for found in big.values() for n in found}
    accented = {strip_accents(n) for n in everything if strip_accents(n) != n}
    stripped = {n for n in everything if n in accented}  # rule 5
    votes: dict[str, dict[str, int]] = {}
    for label, found in big.items():
        for n, lists in found.items():
            if n not in stripped:
                votes.setdefault(n, {})[label] = lists
    kept = {label: [] for label in big}
    ties, moved = [], 0
    for n, by_label in votes.items():  # rule 6
        top = max(by_label.values())
        leaders = [label for label, v in by_label.items() if v == top]
        if len(leaders) > 1 and "English" in leaders:
            leaders.remove("English")
        if len(leaders) > 1:
            ties.append(n)
            continue
        kept[leaders[0]].append(n)
        moved += len(by_label) > 1
    notes = {
        "small": sorted(set(names) - set(big)),
        "stripped": len(stripped),
        "majority": moved,
        "ties": len(ties),
    }
    return {label: sorted(found) for label, found in kept.items()}, notes


def build() -> tuple[list[tuple[str, str]], dict]:
    """Rows ``[(text, label), ...]`` sorted by (label, text), and a report dict."""
    names = collect()
    kept, notes = assign(names)
    rng = random.Random(SEED)
    rows, report = [], {"notes": notes}
    for label in sorted(kept):
        found = kept[label]
        report[label] = {"collected": len(names[label]), "assigned": len(found)}
        if len(found) > MAX_PER_CLASS:  # rule 7
            found = sorted(rng.sample(found, MAX_PER_CLASS))
        report[label]["kept"] = len(found)
        rows += [(n, label) for n in found]
    return rows, report


def main() -> None:
    import faker

    rows, report = build()
    with OUT.open("w", encoding="utf-8", newline="\n") as f:
        f.write("text\tlabel\n")
        for text, label in rows:
            f.write(f"{text}\t{label}\n")
    notes = report.pop("notes")
    print(f"Faker {faker.VERSION}; wrote {len(rows)} rows to {OUT.name}")
    print(
        f"  dropped as too small: {', '.join(notes['small'])}; accent-stripped copies dropped: "
        f"{notes['stripped']}; shared names given to their majority language: "
        f"{notes['majority']}; ties dropped: {notes['ties']}"
    )
    for label, r in report.items():
        print(
            f"  {label:<11} collected {r['collected']:5d}  assigned {r['assigned']:5d}  kept {r['kept']:5d}"
        )


if __name__ == "__main__":
    main()
