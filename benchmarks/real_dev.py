#!/usr/bin/env python
"""Score a model on real Telegram posts labelled by our rules, and the learning curve of
adapting the shipped corpus to them with `train --base`.

    python benchmarks/real_dev.py [--corpus ../shared/corpora/telegram_news.csv]
                                  [--model M] [--curve] [--sizes 0 50 100 200 400]
                                  [--write-csv /tmp/real.csv]

`data/telegram_labels.csv` holds row ids into the public corpus telegram_news.csv (21,327
posts of 24 Russian Telegram channels, CC BY 4.0, from the public repository
NKTKLN/telegram-news-classifier), each text's sha256 and our labels: 1,000 posts, half
found by cooperation, economy and regional words and half at random, each labelled by two
readers blind, disagreements decided by a third. The texts are joined from the corpus at
run time and checked against the hashes; they are never stored in this project.

Prints micro/macro F1, per-label P/R/F1 and the expected calibration error, for all posts
and for each pool. With `--curve`, for each channel fold (the channels split into
`--folds` groups, so a fold's test posts come from channels its training never saw) it
trains on data/train.csv plus N labelled posts of the other channels (weighted by
`--weight`, as `sectors train --base` does) and scores the held-out channels.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from classifier import SectorClassifier, load_model  # noqa: E402
from classifier.io import read_labelled  # noqa: E402
from classifier.model import binarize, expected_calibration_error, per_label_scores  # noqa: E402


def load_labelled(corpus: Path, labels: Path) -> pd.DataFrame:
    """The labelled rows with their text joined from the corpus, hashes checked."""
    lab = pd.read_csv(labels, keep_default_na=False)
    texts = pd.read_csv(corpus, keep_default_na=False)["text"]
    lab["text"] = [texts.iloc[r] for r in lab["row_id"]]
    bad = [r for r, t, h in zip(lab.row_id, lab.text, lab.sha256)
           if hashlib.sha256(t.encode("utf-8")).hexdigest() != h]
    if bad:
        raise SystemExit(f"{corpus}: {len(bad)} rows differ from the labelled texts "
                         f"(row ids {bad[:5]}...): another version of the corpus?")
    lab["label_list"] = [[l for l in s.split(";") if l] for s in lab["labels"]]
    return lab


def score(model, frame: pd.DataFrame) -> dict:
    labels = list(model.labels)
    Y = binarize([[l for l in row if l in labels] for row in frame.label_list], labels)
    lists, P = model.predict_with_proba(frame.text.tolist())
    out = per_label_scores(Y, binarize(lists, labels), labels)
    out["ece"] = expected_calibration_error(Y, P)
    return out


def show(name: str, s: dict, n: int) -> None:
    per = "  ".join(f"{l[:6]} {v['precision']:.2f}/{v['recall']:.2f}/{v['f1']:.2f}"
                    for l, v in s["per_label"].items())
    print(f"{name:<10} n={n:<5} micro {s['micro_f1']:.3f}  macro {s['macro_f1']:.3f}  "
          f"ECE {s['ece']:.3f}\n           P/R/F1: {per}")


def curve(lab, sizes, folds, weight, seed, cv):
    base = read_labelled(ROOT / "data" / "train.csv")
    channels = sorted(lab.channel.unique())
    rng = np.random.default_rng(seed)
    rng.shuffle(channels)
    groups = [set(channels[k::folds]) for k in range(folds)]
    print(f"\nlearning curve: data/train.csv ({len(base.texts)} rows) + N posts of other "
          f"channels (weight {weight:g}); {folds} channel folds; micro / macro F1 on held-out channels")
    for n in sizes:
        micro, macro, secs = [], [], []
        for held in groups:
            test = lab[lab.channel.isin(held)]
            pool = lab[~lab.channel.isin(held)].sample(frac=1, random_state=seed)
            user = pool.iloc[:n]
            t0 = time.perf_counter()
            model = SectorClassifier(cv=cv, label_order=list(base.labels), random_state=seed).fit(
                base.texts + user.text.tolist(), base.label_lists + user.label_list.tolist(),
                sample_weight=[1.0] * len(base.texts) + [weight] * len(user))
            secs.append(time.perf_counter() - t0)
            s = score(model, test)
            micro.append(s["micro_f1"])
            macro.append(s["macro_f1"])
        print(f"  N={n:<4} micro {np.mean(micro):.3f}  macro {np.mean(macro):.3f}  "
              f"(folds: {', '.join(f'{m:.3f}' for m in micro)}; {np.mean(secs):.0f} s a fit)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "telegram_news.csv")
    ap.add_argument("--labels", type=Path, default=ROOT / "data" / "telegram_labels.csv")
    ap.add_argument("--model", help="model file (default: the shipped model)")
    ap.add_argument("--curve", action="store_true", help="also print the train --base learning curve")
    ap.add_argument("--sizes", type=int, nargs="+", default=[0, 50, 100, 200, 400])
    ap.add_argument("--folds", type=int, default=3, help="channel folds of the curve (default 3)")
    ap.add_argument("--weight", type=float, default=3.0, help="weight of a user row (default 3)")
    ap.add_argument("--cv", type=int, default=5, help="folds for calibration in each curve fit")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--write-csv", type=Path, metavar="OUT",
                    help="also write the joined posts as text,labels,channel,pool to OUT (a path "
                         "outside the project), e.g. for benchmarks/compare.py data/train.csv OUT")
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        raise SystemExit(f"{args.corpus}: no corpus; pass --corpus PATH to telegram_news.csv")
    lab = load_labelled(args.corpus, args.labels)
    if args.write_csv:
        if args.write_csv.resolve().is_relative_to(ROOT):
            raise SystemExit(f"{args.write_csv}: the corpus text stays outside the project; "
                             "choose a path outside it")
        lab[["text", "labels", "channel", "pool"]].to_csv(args.write_csv, index=False)
    model = load_model(args.model)
    show("all", score(model, lab), len(lab))
    for pool in sorted(lab.pool.unique()):
        part = lab[lab.pool == pool]
        show(pool, score(model, part), len(part))
    if args.curve:
        curve(lab, args.sizes, args.folds, args.weight, args.seed, args.cv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
