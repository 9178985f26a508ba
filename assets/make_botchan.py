"""Build ``assets/botchan.txt``: chapters I-IV of *Botchan*, the text notebook 06 trains on.

    pip download --no-deps --no-binary :all: --no-build-isolation sentencepiece==0.2.3
    python assets/make_botchan.py sentencepiece-0.2.3.tar.gz   # rewrites assets/botchan.txt

Source: ``test/botchan.txt`` inside the source distribution of SentencePiece
0.2.3 on PyPI (Apache-2.0), a copy of Project Gutenberg eBook #8868,
*Botchan (Master Darling)* by Natsume Sōseki (Kin-nosuke Natsume),
translated by Yasotaro Morri, revised by J. R. Kennedy (1919): public
domain. SentencePiece is only a source for the file; nothing here imports it.

Rules, in order:
1. Keep the lines from ``CHAPTER I`` up to (not including) ``CHAPTER V.``
   (the Gutenberg header, the translator's note and chapters V-XI are left out).
2. Drop the footnote blocks (a line starting ``[Footnote`` up to the line that
   closes its bracket) and the footnote markers in the text (``[1]``, ``[D]``).
3. Remove the space a dropped marker leaves before punctuation; end with one newline.

Deterministic: the same input writes a byte-identical file.
"""

from __future__ import annotations

import re
import sys
import tarfile
from pathlib import Path

MEMBER = "sentencepiece-0.2.3/test/botchan.txt"
OUT = Path(__file__).with_name("botchan.txt")


def read_source(path: str) -> str:
    """The Gutenberg text, from the sdist (``.tar.gz``) or from an extracted ``botchan.txt``."""
    if path.endswith(".tar.gz"):
        with tarfile.open(path) as tar:
            data = tar.extractfile(MEMBER).read()
    else:
        data = Path(path).read_bytes()
    return data.decode("utf-8-sig").replace("\r\n", "\n")


def clean(text: str) -> str:
    lines = text.split("\n")
    start = lines.index("CHAPTER I")
    stop = lines.index("CHAPTER V.")
    kept, in_footnote = [], False
    for line in lines[start:stop]:
        if line.startswith("[Footnote"):
            in_footnote = True
        if in_footnote:
            in_footnote = not line.rstrip().endswith("]")
            continue
        line = re.sub(r" ?\[(\d+|[A-Z])\]", "", line)  # footnote markers
        kept.append(line.rstrip())
    return "\n".join(kept).strip() + "\n"


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit(__doc__)
    text = clean(read_source(argv[1]))
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(text)} characters, {len(set(text))} distinct)")


if __name__ == "__main__":
    main(sys.argv)
