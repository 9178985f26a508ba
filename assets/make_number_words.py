"""Write a small made-up pair file for ``benchmarks/translate.py``: English
number words -> digits (``forty-two thousand three hundred and one<TAB>42301``).

    python assets/make_number_words.py assets/number_words.tsv   # 3,000 pairs
    python benchmarks/translate.py --data assets/number_words.tsv --seeds 0 1 --save assets/number_words_models
                                   # the checkpoints notebook 11 loads

3,000 distinct numbers drawn with ``random.Random(0)``: the number of digits
uniform in 1..6, then the number uniform among those with that many digits
(British style: "and" before the last two digits), one pair per line. So the
inputs run from short (3 characters) to long (71) for a short output, and
accuracy can be measured by input length: the long ones are where a fixed
encoder summary is strained. No external data: the words come from the tables
below. Deterministic: re-running it writes a byte-identical file.
"""

from __future__ import annotations

import random
import sys

ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def below_thousand(n: int) -> str:
    words = []
    if n >= 100:
        words.append(f"{ONES[n // 100]} hundred")
        n %= 100
        if n:
            words.append("and")
    if n >= 20:
        words.append(TENS[n // 10] + (f"-{ONES[n % 10]}" if n % 10 else ""))
    elif n or not words:
        words.append(ONES[n])
    return " ".join(words)


def in_words(n: int) -> str:
    """``in_words(42301)`` -> ``'forty-two thousand three hundred and one'``."""
    thousands, rest = divmod(n, 1000)
    if not thousands:
        return below_thousand(rest)
    head = f"{below_thousand(thousands)} thousand"
    if not rest:
        return head
    return f"{head} {'and ' if rest < 100 else ''}{below_thousand(rest)}"


def main(argv: list[str]) -> int:
    out = argv[0] if argv else "number_words.tsv"
    rng = random.Random(0)
    numbers, seen = [], set()
    while len(numbers) < 3000:  # digits uniform in 1..6, so inputs run from short to long
        digits = rng.randint(1, 6)
        n = rng.randrange(10 ** (digits - 1) if digits > 1 else 0, 10**digits)
        if n not in seen:
            seen.add(n)
            numbers.append(n)
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for n in numbers:
            f.write(f"{in_words(n)}\t{n}\n")
    print(f"wrote {len(numbers)} pairs to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
