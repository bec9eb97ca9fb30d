"""Score the place extractor against place codes labelled by readers.

    python benchmarks/places_eval.py LABELS.csv --texts TEXTS.csv
        [--id-column row_id] [--codes-column places] [--text-column text]
        [--split all|dev|test] [--errors 20]

LABELS.csv has a row id, the codes (joined by ";", empty = no place) and optionally a
`sha256` of the text, which is checked. The texts come from TEXTS.csv: joined on its own
id column when it has one, else on the 0-based row number (how `data/telegram_places.csv`
points into ../shared/corpora/telegram_news.csv). The repo keeps ids, hashes and codes,
never the text.

--split dev|test keeps one half of the rows, chosen by a hash of the row id: rules were
tuned on `dev` only, `test` is the honest figure.

Prints precision, recall and F1 of codes (micro over rows), overall and per kind
(countries incl. RU, Russian federal subjects), and the first --errors rows that differ.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from classifier.places import PlaceExtractor, place_kind  # noqa: E402


def half(row_id) -> str:
    digest = hashlib.sha256(str(row_id).encode()).digest()
    return "dev" if digest[0] % 2 == 0 else "test"


def codes(cell) -> list[str]:
    if not isinstance(cell, str):
        return []
    return [c.strip() for c in cell.split(";") if c.strip()]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(gold: list[list[str]], pred: list[list[str]]) -> dict:
    counts = {k: [0, 0, 0] for k in ("all", "country", "region")}
    for g, p in zip(gold, pred):
        g, p = set(g), set(p)
        for code in g | p:
            slot = 0 if code in g and code in p else (1 if code in p else 2)
            counts["all"][slot] += 1
            counts[place_kind(code)][slot] += 1
    return {k: (*prf(*v), v[0] + v[2]) for k, v in counts.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("labels")
    ap.add_argument("--texts", required=True)
    ap.add_argument("--id-column", default="row_id")
    ap.add_argument("--codes-column", default="places")
    ap.add_argument("--text-column", default="text")
    ap.add_argument("--split", choices=("all", "dev", "test"), default="all")
    ap.add_argument("--errors", type=int, default=20)
    args = ap.parse_args(argv)

    labels = pd.read_csv(args.labels, dtype=str, keep_default_na=False)
    texts = pd.read_csv(args.texts, dtype=str, keep_default_na=False)
    for col, frame, name in ((args.id_column, labels, args.labels),
                             (args.codes_column, labels, args.labels),
                             (args.text_column, texts, args.texts)):
        if col not in frame.columns:
            print(f"error: {name}: no column {col!r}", file=sys.stderr)
            return 2
    if args.id_column in texts.columns:
        by_id = dict(zip(texts[args.id_column], texts[args.text_column]))
    else:
        by_id = {str(i): t for i, t in enumerate(texts[args.text_column])}
    if args.split != "all":
        labels = labels[[half(i) == args.split for i in labels[args.id_column]]]
    missing = [i for i in labels[args.id_column] if i not in by_id]
    if missing:
        print(f"error: {args.texts}: no text for row ids {missing[:5]}", file=sys.stderr)
        return 2
    rows = labels[args.id_column].tolist()
    docs = [by_id[i] for i in rows]
    if "sha256" in labels.columns:
        bad = [i for i, t, h in zip(rows, docs, labels["sha256"])
               if hashlib.sha256(t.encode()).hexdigest() != h]
        if bad:
            print(f"error: {args.texts}: text differs from its sha256 for rows {bad[:5]}",
                  file=sys.stderr)
            return 2
    gold = [codes(c) for c in labels[args.codes_column]]

    extractor = PlaceExtractor().fit()
    t = time.perf_counter()
    pred = extractor.transform(docs)
    seconds = time.perf_counter() - t

    print(f"{args.labels} ({args.split}): {len(docs)} texts, {sum(map(len, gold))} gold codes, "
          f"{len(docs) / seconds:,.0f} texts/s")
    print(f"{'':10}{'precision':>10}{'recall':>8}{'F1':>7}{'gold':>7}")
    for kind, (p, r, f, n) in score(gold, pred).items():
        name = {"all": "micro", "country": "countries", "region": "RU regions"}[kind]
        print(f"{name:10}{p:>10.3f}{r:>8.3f}{f:>7.3f}{n:>7}")
    shown = 0
    for row, g, p, doc in zip(rows, gold, pred, docs):
        if set(g) != set(p) and shown < args.errors:
            shown += 1
            extra = sorted(set(p) - set(g))
            lost = sorted(set(g) - set(p))
            print(f"\nrow {row}: +{extra} -{lost}\n  {doc[:300]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
