"""Where training's time goes: seconds per stage of one `SectorClassifier.fit` and save.

    python benchmarks/profile_train.py [DATA.csv] [--rows N] [--jobs N] [--cv 3]
        [--params subwords=None tol=1e-4]

Defaults to data/train.csv and the shipped training settings (what `python train.py`
does, without scoring data/test.csv). Each stage's time excludes the stages it calls,
so the rows add up to the total. The fits run in label threads and count as the wall
time the main thread waits for them; the final featurizer's form table is built in a
side thread meanwhile, so its time overlaps the fits and "other" can come out negative.
The lemma cache is cleared first, so lemmatizing costs what a fresh process pays.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from classifier import featurized, features, formtable, linear, model, persist, subwords, tuning  # noqa: E402
from classifier.io import read_labelled  # noqa: E402
from classifier.text import get_morph, lemmatize, name_tag  # noqa: E402

# (module or class, attribute, stage); a stage's time excludes the wrapped calls inside it.
STAGES = [
    (features.LemmaTfidfVectorizer, "_lemma", "lemmatizing (each distinct form once)"),
    (featurized.FeaturizedTexts, "build", "tokenizing and counting terms, once"),
    (featurized.FeaturizedTexts, "featurizer", "fold featurizers from counts"),
    (features.LemmaTfidfVectorizer, "fit_subwords", "subword block: fitting"),
    (features.LemmaTfidfVectorizer, "subwords_from", "subword block: matrices"),
    (featurized.FeaturizedTexts, "matrix", "fold matrices (TF-IDF rows)"),
    (model.SectorClassifier, "_augmented", "pair augmentation"),
    (linear, "fit_labels", "linear fits (label threads, wall)"),
    (features.LemmaTfidfVectorizer, "fold_subwords", "folding subword coefficients"),
    (model.SectorClassifier, "_held_out_scores", "scoring held-out folds"),
    (model, "tune", "calibration and thresholds"),
    (model, "honest_scores", "honest CV metrics"),
    (features, "build_form_table", "form table (final model)"),
    (persist, "save_model", "writing the model"),
]

_local = threading.local()
totals: dict[str, float] = defaultdict(float)
calls: dict[str, int] = defaultdict(int)


def _wrap(owner, name: str, stage: str) -> None:
    inner = getattr(owner, name)
    is_static = isinstance(owner, type) and isinstance(owner.__dict__.get(name), (classmethod, staticmethod))
    raw = owner.__dict__[name].__func__ if is_static else inner

    def timed(*args, **kwargs):
        stack = getattr(_local, "stack", None)
        if stack is None:
            stack = _local.stack = []
        stack.append(0.0)
        start = time.perf_counter()
        try:
            return raw(*args, **kwargs)
        finally:
            elapsed = time.perf_counter() - start
            children = stack.pop()
            totals[stage] += elapsed - children
            calls[stage] += 1
            if stack:
                stack[-1] += elapsed

    if is_static:
        setattr(owner, name, type(owner.__dict__[name])(timed))
    else:
        setattr(owner, name, timed)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="?", default=str(ROOT / "data" / "train.csv"))
    ap.add_argument("--rows", type=int, default=None, help="first N rows only")
    ap.add_argument("--jobs", type=int, default=None, help="threads (default: one per core)")
    ap.add_argument("--cv", type=int, default=3)
    ap.add_argument("--params", nargs="*", default=[], metavar="NAME=VALUE",
                    help="other SectorClassifier parameters, e.g. subwords=None tol=1e-4")
    args = ap.parse_args(argv)

    data = read_labelled(args.data)
    texts, label_lists = data.texts[: args.rows], data.label_lists[: args.rows]
    get_morph()
    lemmatize.cache_clear()
    name_tag.cache_clear()
    for owner, name, stage in STAGES:
        _wrap(owner, name, stage)
    from bench_train import _params

    clf = model.SectorClassifier(cv=args.cv, n_jobs=args.jobs, label_order=data.labels,
                                 **_params(args.params))
    start = time.perf_counter()
    clf.fit(texts, label_lists)
    fit_seconds = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        clf.save(Path(tmp) / "m.joblib")
    total = time.perf_counter() - start

    print(f"{args.data}: {len(texts):,} rows, cv={args.cv}, jobs={linear.n_workers(args.jobs)}"
          f"{''.join(f', {p}' for p in args.params)}")
    print(f"{'stage':<42}{'seconds':>9}{'calls':>7}")
    for _, _, stage in STAGES:
        if stage in totals:
            print(f"{stage:<42}{totals[stage]:>9.2f}{calls[stage]:>7}")
    accounted = sum(totals.values())
    print(f"{'other (main thread)':<42}{total - accounted:>9.2f}")
    print(f"{'total wall (fit + save)':<42}{total:>9.2f}")
    print(f"{'  of which fit':<42}{fit_seconds:>9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
