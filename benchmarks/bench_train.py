"""Training time, peak memory and quality at growing sizes, beside fastText.

    python benchmarks/bench_train.py [--corpus ../shared/corpora/telegram_news.csv]
        [--sizes 2000,5000,10000,17061] [--jobs N] [--skip-data] [--params tol=1e-4]

    python benchmarks/bench_train.py --sizes 17061 --skip-data    # one Telegram size
    python benchmarks/bench_train.py --sizes ""                   # data/ alone

Each row trains `SectorClassifier` with the shipped settings (what `python train.py`
does: 3-fold cross-validated calibration, then the final fit) in a fresh process, and
prints its wall time, the process's peak RSS and macro F1 on a held-out part, beside
fastText (benchmarks/compare.py's settings: supervised, one-vs-all, word bigrams, 25
epochs, 2 threads) trained on the same rows in the same run:

- the Telegram corpus (12 topics, one per post): an 80/20 split (seeded shuffle, seed 0);
  the first N rows of the 80% part train, the 20% part scores;
- data/train.csv -> data/test.csv.

fastText's macro F1 uses its own cut per label (0.5 of its one-vs-all sigmoid). The
clocks are wall time: ours and fastText run one after the other on the same rows, so a
busy machine slows both; each row prints the 1-minute load average after it. The targets
are a ratio of at most 2.0 and a peak RSS of at most 1.5 GB.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# ../shared beside the repository (a worktree one level deeper finds it one level up).
DEFAULT_CORPUS = next((p / "shared" / "corpora" / "telegram_news.csv" for p in ROOT.parents[:2]
                       if (p / "shared" / "corpora" / "telegram_news.csv").exists()),
                      ROOT.parent / "shared" / "corpora" / "telegram_news.csv")


def telegram_split(path: str | os.PathLike, seed: int = 0):
    """(train_texts, train_labels, test_texts, test_labels): an 80/20 split of the corpus
    after a seeded shuffle; labels are lists of ids."""
    import pandas as pd

    df = pd.read_csv(path)
    df = df[df["text"].fillna("").str.strip() != ""]
    order = np.random.default_rng(seed).permutation(len(df))
    df = df.iloc[order]
    n_test = int(np.ceil(0.2 * len(df)))
    lists = [[l for l in str(v).split(";") if l and l != "nan"] for v in df["labels"]]
    texts = df["text"].tolist()
    return texts[n_test:], lists[n_test:], texts[:n_test], lists[:n_test]


def data_split():
    from classifier.io import read_labelled

    train, test = read_labelled(ROOT / "data" / "train.csv"), read_labelled(ROOT / "data" / "test.csv")
    return train.texts, train.label_lists, test.texts, test.label_lists


def _macro_f1(labels, truth, predicted) -> float:
    from classifier.model import binarize
    from classifier.tuning import per_label_scores

    known = set(labels)
    Y = binarize([[l for l in row if l in known] for row in truth], labels)
    P = binarize(predicted, labels)
    return per_label_scores(Y, P, labels)["macro_f1"]


def run_ours(spec: dict) -> dict:
    """Train in this process (the child): spec names the data, rows and parameters."""
    import resource

    from classifier.model import SectorClassifier

    tr_t, tr_l, te_t, te_l = (telegram_split(spec["corpus"]) if spec["data"] == "telegram"
                              else data_split())
    tr_t, tr_l = tr_t[: spec["rows"]], tr_l[: spec["rows"]]
    labels = sorted({l for row in tr_l for l in row})
    counts = {l: sum(l in row for row in tr_l) for l in labels}
    labels = [l for l in labels if counts[l] >= 5]
    tr_l = [[l for l in row if l in labels] for row in tr_l]
    params = dict(spec.get("params", {}))
    start = time.perf_counter()
    clf = SectorClassifier(label_order=labels, n_jobs=spec.get("jobs"), **params).fit(tr_t, tr_l)
    with tempfile.TemporaryDirectory() as tmp:
        clf.save(Path(tmp) / "m.joblib")
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    f1 = _macro_f1(labels, te_l, clf.predict(te_t))
    return {"seconds": seconds, "peak_mb": peak, "macro_f1": f1, "rows": len(tr_t)}


def run_fasttext(spec: dict) -> dict | None:
    """fastText as benchmarks/compare.py runs it (its parameters and tokens), cut at 0.5."""
    try:
        import fasttext  # noqa: F401
    except ImportError:
        return None
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from compare import FastTextOva

    from classifier.model import binarize

    tr_t, tr_l, te_t, te_l = (telegram_split(spec["corpus"]) if spec["data"] == "telegram"
                              else data_split())
    tr_t, tr_l = tr_t[: spec["rows"]], tr_l[: spec["rows"]]
    labels = sorted({l for row in tr_l for l in row})
    start = time.perf_counter()
    ft = FastTextOva(labels, seed=0).fit(tr_t, binarize(tr_l, labels))
    seconds = time.perf_counter() - start
    P = ft.predict_proba(te_t) >= 0.5
    predicted = [[labels[j] for j in np.flatnonzero(row)] for row in P]
    return {"seconds": seconds, "macro_f1": _macro_f1(labels, te_l, predicted)}


def _child(kind: str, spec: dict) -> dict | None:
    out = subprocess.run([sys.executable, __file__, "--child", kind, json.dumps(spec)],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"{kind} failed on {spec}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _params(items: list[str]) -> dict:
    out = {}
    for item in items:
        key, _, value = item.partition("=")
        try:
            out[key] = json.loads(value.replace("(", "[").replace(")", "]"))
        except json.JSONDecodeError:
            out[key] = None if value == "None" else value
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--sizes", default="2000,5000,10000,17061")
    ap.add_argument("--jobs", type=int, default=None, help="training threads (default: all cores)")
    ap.add_argument("--skip-data", action="store_true", help="no data/ row")
    ap.add_argument("--params", nargs="*", default=[], metavar="NAME=VALUE",
                    help="SectorClassifier parameters for our rows, e.g. subwords=None")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        kind, spec = args.child[0], json.loads(args.child[1])
        result = run_ours(spec) if kind == "ours" else run_fasttext(spec)
        print(json.dumps(result))
        return 0

    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"{os.cpu_count()} cores")
    params = _params(args.params)
    runs = []
    if Path(args.corpus).exists():
        runs += [("telegram", int(n)) for n in args.sizes.split(",") if n]
    else:
        print(f"{args.corpus}: no corpus, Telegram rows skipped (pass --corpus PATH)")
    if not args.skip_data:
        runs.append(("data", None))
    print(f"{'data':<10}{'rows':>7}{'ours s':>9}{'fastText s':>12}{'ratio':>7}"
          f"{'peak RSS MB':>13}{'macro F1':>10}{'fastText F1':>13}{'load':>6}")
    for data, rows in runs:
        spec = {"data": data, "rows": rows, "corpus": args.corpus, "jobs": args.jobs,
                "params": params}
        ours = _child("ours", spec)
        ft = _child("fasttext", spec)
        ft_s = f"{ft['seconds']:>12.1f}" if ft else f"{'-':>12}"
        ratio = f"{ours['seconds'] / ft['seconds']:>7.1f}" if ft else f"{'-':>7}"
        ft_f1 = f"{ft['macro_f1']:>13.3f}" if ft else f"{'-':>13}"
        name = "telegram" if data == "telegram" else "data/"
        print(f"{name:<10}{ours['rows']:>7}{ours['seconds']:>9.1f}{ft_s}{ratio}"
              f"{ours['peak_mb']:>13.0f}{ours['macro_f1']:>10.3f}{ft_f1}"
              f"{os.getloadavg()[0]:>6.1f}", flush=True)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
