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
4. A surname that occurs in more than one language (``Adam``, ``Martin``,
   ``Garcia``...) is DROPPED from every language: its label would be a coin toss.
5. Languages with fewer than ``MIN_PER_CLASS`` names are dropped; a language
   with more than ``MAX_PER_CLASS`` keeps a seeded random sample of that many
   (Polish has ~3800; capping keeps one class from dominating).
6. Rows are sorted by (label, text), so the file is byte-identical on every run.

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
    "Czech": [("cs_CZ", "last_names")],  # 192 after rule 4: dropped by rule 5
    "Dutch": [("nl_NL", "last_names")],
    "English": [("en_US", "last_names"), ("en_GB", "last_names")],
    "Finnish": [("fi_FI", "last_names")],
    "French": [("fr_FR", "last_names"), ("fr_CA", "last_names"), ("fr_CH", "last_names")],
    "German": [("de_DE", "last_names"), ("de_AT", "last_names"), ("de_CH", "last_names")],
    "Hungarian": [("hu_HU", "last_names")],  # 93: dropped by rule 5
    "Italian": [("it_IT", "last_names")],
    "Polish": [("pl_PL", "male_last_names"), ("pl_PL", "unisex_last_names")],
    "Portuguese": [("pt_PT", "last_names"), ("pt_BR", "last_names")],  # 96: dropped
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


def collect() -> dict[str, set[str]]:
    """{language: set of cleaned surnames} from the Faker locales (rules 1-3)."""
    names = {}
    for label, sources in SOURCES.items():
        found = set()
        for locale, attr in sources:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
            for raw in getattr(provider, attr):  # a tuple, or an OrderedDict name -> weight
                name = clean(raw)
                if name is not None:
                    found.add(name)
        names[label] = found
    return names


def build() -> tuple[list[tuple[str, str]], dict]:
    """Rows ``[(text, label), ...]`` sorted by (label, text), and a report dict."""
    names = collect()
    seen_in = Counter(n for found in names.values() for n in found)
    rng = random.Random(SEED)
    rows, report = [], {}
    for label in sorted(names):
        unique = sorted(n for n in names[label] if seen_in[n] == 1)  # rule 4
        report[label] = {"collected": len(names[label]), "unique": len(unique)}
        if len(unique) < MIN_PER_CLASS:  # rule 5
            report[label]["kept"] = 0
            continue
        if len(unique) > MAX_PER_CLASS:
            unique = sorted(rng.sample(unique, MAX_PER_CLASS))
        report[label]["kept"] = len(unique)
        rows += [(n, label) for n in unique]
    return rows, report


def main() -> None:
    import faker

    rows, report = build()
    with OUT.open("w", encoding="utf-8", newline="\n") as f:
        f.write("text\tlabel\n")
        for text, label in rows:
            f.write(f"{text}\t{label}\n")
    print(f"Faker {faker.VERSION}; wrote {len(rows)} rows to {OUT.name}")
    for label, r in report.items():
        print(
            f"  {label:<11} collected {r['collected']:5d}  unique {r['unique']:5d}  kept {r['kept']:5d}"
        )


if __name__ == "__main__":
    main()
