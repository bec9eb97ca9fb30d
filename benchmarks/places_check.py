"""Check that the place extractor's codes are unchanged, text by text, on a corpus.

    python benchmarks/places_check.py CORPUS.csv --save REF.jsonl    # record the codes
    python benchmarks/places_check.py CORPUS.csv --check REF.jsonl   # compare with them

The texts are every row of CORPUS.csv and every non-empty line of each row (lines are
what a paragraph-by-paragraph run sees, with other sentence starts and neighbours). REF
holds one JSON line per text: a short hash of the text and its codes, never the text.
Prints how many texts were compared, the extractor's speed, and the first differences;
exits 1 when any text's codes differ.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from classifier.io import read_csv_chunks  # noqa: E402
from classifier.places import PlaceExtractor  # noqa: E402


def corpus_texts(path: str, column: str) -> list[str]:
    rows = [t for chunk in read_csv_chunks(path, column) for t in chunk[column].fillna("")]
    lines = [line for row in rows for line in row.split("\n") if line.strip()]
    return rows + lines


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv")
    ap.add_argument("--text-column", default="text")
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", metavar="REF")
    mode.add_argument("--check", metavar="REF")
    ap.add_argument("--show", type=int, default=10, help="differences printed")
    args = ap.parse_args(argv)

    texts = corpus_texts(args.csv, args.text_column)
    extractor = PlaceExtractor().fit()
    start = time.perf_counter()
    codes = extractor.transform(texts)
    seconds = time.perf_counter() - start
    print(f"{args.csv}: {len(texts):,} texts (rows and their lines), "
          f"{sum(map(len, codes)):,} codes, {len(texts) / seconds:,.0f} texts/s")
    if args.save:
        with open(args.save, "w", encoding="utf-8") as fh:
            for text, row in zip(texts, codes):
                fh.write(json.dumps({"sha": digest(text), "codes": row}) + "\n")
        print(f"reference written to {args.save}")
        return 0
    with open(args.check, encoding="utf-8") as fh:
        ref = [json.loads(line) for line in fh]
    if len(ref) != len(texts):
        print(f"error: {args.check}: {len(ref):,} texts, the corpus gives {len(texts):,}",
              file=sys.stderr)
        return 2
    differ = 0
    for i, (text, row, want) in enumerate(zip(texts, codes, ref)):
        if want["sha"] != digest(text):
            print(f"error: {args.check}: text {i} is not the one recorded", file=sys.stderr)
            return 2
        if row != want["codes"]:
            differ += 1
            if differ <= args.show:
                print(f"text {i}: now {row}, recorded {want['codes']}\n  {text[:200]!r}")
    print(f"identical: {len(texts) - differ:,} of {len(texts):,} texts; differ: {differ:,}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
