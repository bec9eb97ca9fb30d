"""Side by side: our lemma tagger against simpler baselines on one train/test split.

Usage:
    python benchmarks/compare.py TRAIN.csv TEST.csv [--cv 5] [--seed 0]
        [--only ours,raw,char,fasttext] [--ours-params C=20,min_df=2 ...] [--json OUT]

Every system trains on TRAIN and is scored on TEST in one run, under one threshold
policy: each label gets the cut that maximises F1 on out-of-fold probabilities from
KFold(cv, shuffle=True, random_state=seed) over TRAIN (classifier.model.best_threshold),
then the system is refitted on all of TRAIN.

    ours      classifier.SectorClassifier (default parameters); it tunes its thresholds
              itself with the very same KFold, so its own predict is used.
    ours(..)  one more row per --ours-params: SectorClassifier with those parameters, e.g.
              --ours-params C=20,min_df=2,class_weight=None,ngram_range=1-1
    raw       the same per-label logistic regressions (classifier.linear.fit_labels, so
              C, class_weight and solver cannot drift) over sklearn TF-IDF of lower-cased
              word forms, unigrams + bigrams, sublinear tf, no lemmatisation.
    char      the same classifier over char_wb 2-5-gram TF-IDF (sublinear tf, min_df=2).
    fasttext  fastText supervised, loss="ova" (one sigmoid per label); optional: skipped
              with a note when the `fasttext` module (pip install fasttext-wheel) is missing.

Reported per system: macro and micro F1 on TEST, training seconds (the full fit including
cross-validation) and tagging speed (paragraphs per second predicting all TEST texts at
once, time.perf_counter), plus a compact per-label F1 table. Labels are TRAIN's labels in
TRAIN's order; TEST labels unknown to TRAIN are dropped with a printed note. Both CSV forms
(long `text,labels` or wide 0/1 columns) are read with classifier.io.read_labelled.

Notes:
- Timing: pymorphy3 is loaded and its dictionaries paged in before any clock starts, and
  the lemma cache is cleared before every ours row, so each ours row pays the parsing a
  fresh process would. The clocks are wall time: run nothing else on the machine.
- Cost: on 17k Telegram posts (2 CPUs) a full run takes roughly 15-20 minutes, most of
  it the char system (about 11 of them); --only ours,raw,fasttext skips it.
- fastText: fasttext-wheel 0.9.2 mispredicts through both model.predict forms under
  numpy 2 (see FastTextOva.predict_proba), so the script calls model.f.predict per line.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import KFold

from classifier import LemmaTfidfVectorizer, SectorClassifier
from classifier.io import read_labelled
from classifier.linear import fit_labels
from classifier.model import _sigmoid, best_threshold, binarize, per_label_scores
from classifier.tuning import honest_scores
from classifier.text import get_morph, lemmatize

SYSTEMS = ("ours", "raw", "char", "fasttext")

# Lower-cased Cyrillic/Latin words, hyphenated compounds kept whole ("нефтегаз-сервис").
WORD_PATTERN = r"(?u)\b[a-zа-яё]+(?:-[a-zа-яё]+)*\b"
_WORD_RE = re.compile(WORD_PATTERN)

# thread=2 runs fastText's lock-free parallel SGD, so even with a fixed seed two runs
# differ a little (seen: macro F1 0.681 and 0.679 on the Telegram split); thread=1 would
# repeat exactly but train more slowly.
FASTTEXT_PARAMS = dict(
    loss="ova", epoch=25, lr=0.5, wordNgrams=2, dim=100, minCount=1, thread=2, verbose=0
)


# -- systems -------------------------------------------------------------------------


class ProbaModel(Protocol):
    """What a thresholded system must offer: fit on (texts, 0/1 matrix), then probabilities."""

    def fit(self, texts: list[str], Y: np.ndarray) -> "ProbaModel": ...

    def predict_proba(self, texts: list[str]) -> np.ndarray: ...


class LinearTfidf:
    """A sklearn TfidfVectorizer followed by SectorClassifier's per-label logistic regressions."""

    def __init__(self, make_vectorizer: Callable[[], TfidfVectorizer]):
        self.make_vectorizer = make_vectorizer
        # Borrow the fitting code itself, not a copy of its settings: the baselines then
        # differ from ours only in the features.
        self.linear = SectorClassifier()

    def fit(self, texts: list[str], Y: np.ndarray) -> "LinearTfidf":
        self.vectorizer = self.make_vectorizer()
        X = self.vectorizer.fit_transform(texts)
        p = self.linear
        self.coef, self.intercept = fit_labels(X, Y, np.ones(X.shape[0]), C=p.C,
                                               class_weight=p.class_weight,
                                               random_state=p.random_state)
        return self

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        X = self.vectorizer.transform(texts)
        return _sigmoid(np.asarray(X @ self.coef.T) + self.intercept)


def raw_words() -> TfidfVectorizer:
    return TfidfVectorizer(
        lowercase=True, token_pattern=WORD_PATTERN, ngram_range=(1, 2), sublinear_tf=True,
        norm=SectorClassifier().norm,  # the same row scaling as ours, for the same C
    )


def char_ngrams() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2,
                           norm=SectorClassifier().norm)


def fasttext_line(text: str) -> str:
    # fastText splits on whitespace only, so "нефти," and "нефти" would be two words and
    # "Нефть" a third; feed it the same lower-cased word tokens the raw baseline sees.
    # Joining the tokens also removes the newlines fastText's one-line format forbids.
    return " ".join(_WORD_RE.findall(text.lower()))


class FastTextOva:
    """fastText supervised with one-vs-all loss; the training file goes to a temp dir."""

    def __init__(self, labels: Sequence[str], seed: int):
        import fasttext  # optional: the caller checks availability first

        self._fasttext = fasttext
        self.labels = list(labels)
        self.seed = seed

    def fit(self, texts: list[str], Y: np.ndarray) -> "FastTextOva":
        with tempfile.TemporaryDirectory(prefix="compare_ft_") as tmp:
            path = os.path.join(tmp, "train.txt")
            with open(path, "w", encoding="utf-8") as fh:
                for text, row in zip(texts, Y):
                    tags = " ".join(f"__label__{self.labels[j]}" for j in np.flatnonzero(row))
                    # fastText skips lines without a label, so unlabelled rows never act
                    # as negatives here (they do for the linear systems).
                    fh.write(f"{tags} {fasttext_line(text)}\n")
            self.model = self._fasttext.train_supervised(
                input=path, seed=self.seed, **FASTTEXT_PARAMS
            )
        return self

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        # fasttext-wheel 0.9.2 has two broken paths, so neither model.predict form is used:
        # - one string: it builds the result with np.array(probs, copy=False), which
        #   raises ValueError under numpy 2;
        # - a list (f.multilinePredict): every label of a row comes back with that row's
        #   top probability (seen with ova and softmax), so thresholds would be nonsense.
        # The C++ single-line call model.f.predict returns correct (prob, label) pairs
        # and touches no numpy; one call per paragraph.
        column = {f"__label__{label}": j for j, label in enumerate(self.labels)}
        P = np.zeros((len(texts), len(self.labels)))
        predict = self.model.f.predict
        for i, text in enumerate(texts):
            for p, name in predict(fasttext_line(text) + "\n", -1, 0.0, "strict"):
                if name in column:  # a label absent from a fold's training part is unknown
                    P[i, column[name]] = p
        return P


class Thresholded:
    """A ProbaModel plus per-label thresholds tuned on out-of-fold probabilities."""

    def __init__(self, make_model: Callable[[], ProbaModel], folds: list):
        self.make_model = make_model
        self.folds = folds

    def fit(self, texts: list[str], Y: np.ndarray) -> "Thresholded":
        oof = np.zeros(Y.shape)
        for tr, va in self.folds:
            model = self.make_model().fit([texts[i] for i in tr], Y[tr])
            oof[va] = model.predict_proba([texts[i] for i in va])
        self.thresholds = np.array([best_threshold(Y[:, j], oof[:, j]) for j in range(Y.shape[1])])
        # Scored exactly as SectorClassifier scores itself, so the "CV macro" column
        # compares like with like.
        labels = [str(j) for j in range(Y.shape[1])]
        self.cv_macro_f1 = honest_scores(Y, oof, self.folds, labels, calibrate=False)["macro_f1"]
        self.model = self.make_model().fit(texts, Y)
        return self

    def predict(self, texts: list[str]) -> np.ndarray:
        return (self.model.predict_proba(texts) >= self.thresholds).astype(np.int8)


class Ours:
    """SectorClassifier as users run it: its own CV thresholds, its own predict."""

    def __init__(self, labels: Sequence[str], cv: int, seed: int, params: dict):
        self.labels = list(labels)
        self.clf = SectorClassifier(cv=cv, random_state=seed, label_order=self.labels, **params)

    def fit(self, texts: list[str], Y: np.ndarray) -> "Ours":
        # Lemmas are cached per process; without this a second ours row would skip the
        # parsing the first one paid for and report a flattering training time.
        lemmatize.cache_clear()
        self.clf.fit(texts, [[self.labels[j] for j in np.flatnonzero(row)] for row in Y])
        return self

    @property
    def cv_macro_f1(self) -> float:
        return self.clf.cv_scores_["macro_f1"]

    def predict(self, texts: list[str]) -> np.ndarray:
        return binarize(self.clf.predict(texts), self.labels)


# -- running -------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    train_seconds: float
    predict_seconds: float
    n_test: int
    cv_macro_f1: float  # on TRAIN's folds: choose parameters by this, not by test F1
    scores: dict = field(repr=False)

    @property
    def per_second(self) -> float:
        return self.n_test / self.predict_seconds if self.predict_seconds > 0 else float("inf")


def run_system(name: str, system, train_texts, Y_train, test_texts, Y_test, labels) -> Result:
    start = time.perf_counter()
    system.fit(train_texts, Y_train)
    trained = time.perf_counter()
    P = system.predict(test_texts)
    done = time.perf_counter()
    scores = per_label_scores(Y_test, P, labels)
    return Result(
        name, trained - start, done - trained, len(test_texts), system.cv_macro_f1, scores
    )


def parse_value(text: str):
    """'None', 'true', '1-2' (an ngram range), ints and floats; anything else stays a str."""
    if text in ("None", "none"):
        return None
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    if re.fullmatch(r"\d+-\d+", text):
        return tuple(int(x) for x in text.split("-"))
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def parse_params(spec: str) -> dict:
    """'C=20,min_df=2' -> {'C': 20, 'min_df': 2}; names are checked against SectorClassifier."""
    allowed = set(SectorClassifier().get_params()) - {"cv", "random_state", "label_order"}
    params = {}
    for item in filter(None, (s.strip() for s in spec.split(","))):
        key, sep, value = item.partition("=")
        if not sep or key not in allowed:
            raise SystemExit(
                f"--ours-params: bad item {item!r}; use NAME=VALUE with NAME one of "
                f"{', '.join(sorted(allowed))}"
            )
        params[key] = parse_value(value)
    return params


def build_systems(only: Sequence[str], variants: Sequence[dict], labels, cv, seed, folds):
    """(name, system) pairs in table order; fastText is dropped with a note if missing."""
    systems = []
    if "ours" in only:
        systems.append(("ours", Ours(labels, cv, seed, {})))
    for params in variants:
        name = "ours(" + ",".join(f"{k}={v}" for k, v in params.items()) + ")"
        systems.append((name.replace(" ", ""), Ours(labels, cv, seed, params)))
    if "raw" in only:
        systems.append(("raw", Thresholded(lambda: LinearTfidf(raw_words), folds)))
    if "char" in only:
        systems.append(("char", Thresholded(lambda: LinearTfidf(char_ngrams), folds)))
    if "fasttext" in only:
        try:
            import fasttext  # noqa: F401
        except ImportError:
            print("fasttext: skipped, the fasttext module is not installed "
                  "(pip install fasttext-wheel)")
        else:
            systems.append(("fasttext", Thresholded(lambda: FastTextOva(labels, seed), folds)))
    return systems


def warm_up(texts: Sequence[str]) -> None:
    """Load pymorphy3 and page its dictionaries in before any clock starts.

    That is a one-off process start-up cost; left in, it lands on whichever ours row runs
    first (on 2000 paragraphs, 33 s for the first of two identical rows, 20 s for the
    second).
    """
    get_morph()
    LemmaTfidfVectorizer().fit(list(texts[:300]))
    lemmatize.cache_clear()


def known_test_labels(test_lists, labels) -> list[list[str]]:
    """Test label lists restricted to TRAIN's labels, with a note naming what was dropped."""
    known = set(labels)
    unknown = Counter(l for row in test_lists for l in row if l not in known)
    if unknown:
        listed = ", ".join(f"{l} ({c})" for l, c in unknown.most_common())
        print(f"note: test labels not in train are ignored: {listed}")
    return [[l for l in row if l in known] for row in test_lists]


# -- printing ------------------------------------------------------------------------


def summary_table(results: Sequence[Result]) -> str:
    width = max(len("system"), *(len(r.name) for r in results))
    lines = [f"{'system':<{width}}  macro F1  micro F1  CV macro  train s  paragraphs/s"]
    for r in results:
        lines.append(
            f"{r.name:<{width}}  {r.scores['macro_f1']:8.4f}  {r.scores['micro_f1']:8.4f}"
            f"  {r.cv_macro_f1:8.4f}  {r.train_seconds:7.1f}  {r.per_second:12.0f}"
        )
    return "\n".join(lines)


def per_label_table(results: Sequence[Result], labels: Sequence[str], Y_test) -> str:
    # Columns are short system names so 12 labels x 5 systems still fit in 80 characters.
    heads = [r.name if len(r.name) <= 10 else f"v{i}" for i, r in enumerate(results)]
    width = max(len("label"), *(len(l) for l in labels))
    cols = "".join(f"  {h:>10}" for h in heads)
    lines = [f"{'label':<{width}}  {'support':>7}{cols}"]
    for j, label in enumerate(labels):
        f1s = "".join(f"  {r.scores['per_label'][label]['f1']:10.3f}" for r in results)
        lines.append(f"{label:<{width}}  {int(Y_test[:, j].sum()):7d}{f1s}")
    legend = [f"  {h} = {r.name}" for h, r in zip(heads, results) if h != r.name]
    return "\n".join(lines + legend)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("train")
    ap.add_argument("test")
    ap.add_argument("--cv", type=int, default=5, help="folds for threshold tuning (>= 2)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", default=",".join(SYSTEMS), help="comma-separated systems to run")
    ap.add_argument(
        "--ours-params", action="append", default=[], metavar="NAME=VALUE,...",
        help="add a SectorClassifier variant row (whatever --only says); may be repeated",
    )
    ap.add_argument("--json", metavar="OUT", help="also write the results as JSON")
    args = ap.parse_args(argv)

    only = [s.strip() for s in args.only.split(",") if s.strip()]
    bad = [s for s in only if s not in SYSTEMS]
    if bad:
        ap.error(f"--only: unknown system(s) {', '.join(bad)}; choose from {', '.join(SYSTEMS)}")
    if args.cv < 2:
        ap.error("--cv must be at least 2: every system's thresholds come from the folds")
    variants = [parse_params(spec) for spec in args.ours_params]

    train, test = read_labelled(args.train), read_labelled(args.test)
    labels = list(train.labels)
    Y_train = binarize(train.label_lists, labels)
    Y_test = binarize(known_test_labels(test.label_lists, labels), labels)
    train_texts, test_texts = list(train.texts), list(test.texts)
    # One split for every thresholded system, the same one SectorClassifier makes itself.
    folds = list(KFold(args.cv, shuffle=True, random_state=args.seed).split(train_texts))
    print(f"train {args.train}: {len(train_texts)} paragraphs; test {args.test}: "
          f"{len(test_texts)} paragraphs; {len(labels)} labels; cv={args.cv} seed={args.seed}")

    warm_up(train_texts)
    results = []
    for name, system in build_systems(only, variants, labels, args.cv, args.seed, folds):
        print(f"running {name} ...", file=sys.stderr, flush=True)
        r = run_system(name, system, train_texts, Y_train, test_texts, Y_test, labels)
        print(f"  {name}: macro F1 {r.scores['macro_f1']:.4f}, trained in "
              f"{r.train_seconds:.0f} s", file=sys.stderr, flush=True)
        results.append(r)
    if not results:
        print("no system ran")
        return 1

    print()
    print(summary_table(results))
    print(f"(macro/micro F1 on the {len(test_texts)} test paragraphs; CV macro: out-of-fold "
          f"on train, each fold's thresholds tuned on the other folds; train s includes the "
          f"{args.cv}-fold threshold tuning; paragraphs/s: tagging all test paragraphs in one "
          f"call)")
    print()
    print("per-label F1 on test")
    print(per_label_table(results, labels, Y_test))

    if args.json:
        out = {
            "train": args.train, "test": args.test, "cv": args.cv, "seed": args.seed,
            "n_train": len(train_texts), "n_test": len(test_texts), "labels": labels,
            "systems": {
                r.name: {
                    "macro_f1": r.scores["macro_f1"],
                    "micro_f1": r.scores["micro_f1"],
                    "cv_macro_f1": r.cv_macro_f1,
                    "train_seconds": round(r.train_seconds, 2),
                    "paragraphs_per_second": round(r.per_second, 1),
                    "per_label": r.scores["per_label"],
                }
                for r in results
            },
        }
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(out, fh, ensure_ascii=False, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
