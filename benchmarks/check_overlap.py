#!/usr/bin/env python
"""Check that written paragraphs share no run of N words with real text that was read.

    python benchmarks/check_overlap.py data/train.csv data/test.csv \
        --against ../shared/example_article.txt ../shared/corpora/telegram_news.csv PAGES_DIR/

Every paragraph of the CSVs given first (a `text` column) is compared with every text of
the `--against` files (`.txt` files and folders of them read whole, CSVs by their `text`
column). Words are lower-cased runs of letters and digits, «ё» read as «е», so
punctuation and case do not hide a copied run. Exit 1 and one line per hit
(`file:line: the shared run`) when any written paragraph shares a run of `--words`
(default 8) words; exit 0 and a summary line when none does. Run it before every commit
that adds data.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Iterator
from pathlib import Path

_WORD = re.compile(r"[0-9a-zа-я]+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("ё", "е"))


def shingles(text: str, n: int) -> Iterator[tuple[str, ...]]:
    w = words(text)
    return (tuple(w[i:i + n]) for i in range(len(w) - n + 1))


def _csv_texts(path: Path) -> Iterator[tuple[int, str]]:
    csv.field_size_limit(1 << 30)
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if "text" not in (reader.fieldnames or []):
            raise SystemExit(f"{path}: no 'text' column")
        for row in reader:
            yield reader.line_num, row["text"] or ""


def reference_texts(paths: list[Path]) -> Iterator[str]:
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            if f.suffix == ".csv":
                yield from (t for _, t in _csv_texts(f))
            elif f.suffix in (".txt", ".md", ".html", ".json", ".jsonl"):
                yield f.read_text(encoding="utf-8", errors="replace")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("written", nargs="+", type=Path, help="CSV files of written paragraphs")
    ap.add_argument("--against", nargs="+", type=Path, required=True,
                    help="real texts that were read: .txt/.csv files or folders")
    ap.add_argument("--words", type=int, default=8, help="run length in words (default 8)")
    args = ap.parse_args(argv)

    seen: set[tuple[str, ...]] = set()
    n_ref = 0
    for text in reference_texts(args.against):
        seen.update(shingles(text, args.words))
        n_ref += 1
    hits = n_rows = 0
    for path in args.written:
        for line, text in _csv_texts(path):
            n_rows += 1
            for run in shingles(text, args.words):
                if run in seen:
                    print(f"{path}:{line}: {' '.join(run)}")
                    hits += 1
                    break
    print(f"{n_rows} written paragraphs against {n_ref} real texts: "
          f"{hits} share a run of {args.words} words", file=sys.stderr)
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
