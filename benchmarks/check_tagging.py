"""Check that fast tagging gives exactly what a straightforward computation gives.

    python benchmarks/check_tagging.py CSV [CSV ...] [--text-column text] [--model PATH]

For every text of the CSVs, the model's `predict_with_proba` (byte tokenizer, numpy form
lookups, sentence rows only where a text has several sentences) against a reference
built the plain way: the regex tokenizer, one form-table dict lookup per token, the
text and sentence TF-IDF matrices, one sparse product each, the best of each text's rows,
calibration and the sigmoid. Prints, per CSV, how many label sets and probabilities are
bit-for-bit the same and the largest difference; exit 1 if any differ.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from classifier import load_model  # noqa: E402
from classifier import features  # noqa: E402
from classifier.io import read_csv_chunks  # noqa: E402


def reference_proba(model, texts: list[str], block: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """(probabilities, has a known term) of `texts`, computed the straightforward way."""
    import scipy.sparse as sp

    feat = model.featurizer_
    n_features = len(feat.vocabulary_)
    out, known = [], []
    for start in range(0, len(texts), block):
        part = texts[start:start + block]
        tokens = features._tokens(part, sentences=True)
        codes = np.array([feat.form_table_.get(t, features._OOV) for t in tokens], dtype=np.int64)
        r, c, v, n, _ = feat._normed(*feat._units(codes, by_sentence=False))
        X = features._csr(r, c, v, n, n_features)
        r, c, v, n, text_of = feat._normed(*feat._units(codes, by_sentence=True))
        S = features._csr(r, c, v, n, n_features)
        scores = np.asarray(X @ model.coef_.T)
        has = np.diff(X.indptr) > 0
        scores[~has] = -np.inf
        sent = np.asarray(S @ model.coef_.T)
        sent[np.diff(S.indptr) == 0] = -np.inf
        np.maximum.at(scores, text_of, sent)
        scores[~has] = 0.0
        out.append(scores)
        known.append(has)
    scores = np.vstack(out) + model.intercept_
    calib = getattr(model, "calibration_", None)
    if calib is not None:
        scores = scores * calib[:, 0] + calib[:, 1]
    return 0.5 * (1.0 + np.tanh(0.5 * scores)), np.concatenate(known)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv", nargs="+")
    ap.add_argument("--text-column", default="text")
    ap.add_argument("--model")
    args = ap.parse_args(argv)
    model = load_model(args.model)
    if model.scope != "both":
        print(f"the model's scope is {model.scope!r}; this check covers scope 'both'")
        return 2
    failed = False
    for path in args.csv:
        df = pd.concat(list(read_csv_chunks(path, args.text_column)), ignore_index=True)
        texts = df[args.text_column].fillna("").astype(str).tolist()
        labels, proba = model.predict_with_proba(texts)
        ref, known = reference_proba(model, texts)
        ref_labels = model.labels_from_proba(ref, known=known)
        same_labels = sum(a == b for a, b in zip(labels, ref_labels))
        same_rows = int((proba == ref).all(axis=1).sum())
        diff = float(np.abs(proba - ref).max()) if len(texts) else 0.0
        print(f"{path}: {len(texts):,} texts; label sets identical {same_labels:,}/{len(texts):,}; "
              f"probability rows bit-identical {same_rows:,}/{len(texts):,}; "
              f"largest difference {diff:.3g}")
        failed |= same_labels != len(texts) or same_rows != len(texts)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
