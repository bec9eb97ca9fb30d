"""Out-of-fold scores -> per-label calibration and thresholds, and honest CV metrics.

The cross-validated search that follows the fits: each label's linear scores on the
paragraphs its fold did not train on decide where that label is cut (or how its scores
map to probabilities), and the reported metrics score every fold with the cut learned on
the other folds only. Pure numpy plus one tiny scikit-learn fit per label.

>>> thresholds, calibration = tune(oof, Y, calibrate=True)          # doctest: +SKIP
>>> honest_scores(Y, oof, folds, labels, calibrate=True)["macro_f1"]  # doctest: +SKIP
0.9123
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "sigmoid",
    "best_threshold",
    "per_label_scores",
    "platt",
    "calibrate_at_half",
    "expected_calibration_error",
    "tune",
    "honest_scores",
]

MIN_CALIBRATION = 30  # positives (and negatives) a label needs for a Platt slope


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function, without overflow warnings for large |z|."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def best_threshold(y: np.ndarray, proba: np.ndarray, floor: float = 0.05) -> float:
    """The probability cut that maximises F1 of `y` on `proba` (0.5 without positives).

    The cut is placed halfway between neighbouring scores so it does not overfit to one
    paragraph's exact probability.

    >>> best_threshold(np.array([0, 0, 1, 1]), np.array([0.1, 0.3, 0.6, 0.9]))
    0.45
    """
    if y.sum() == 0 or y.sum() == len(y):
        return 0.5
    order = np.argsort(-proba, kind="stable")
    p, t = proba[order], y[order]
    tp = np.cumsum(t)
    k = np.arange(1, len(t) + 1)
    f1 = 2 * tp / (k + t.sum())
    # Only cut between distinct scores.
    valid = np.append(p[:-1] > p[1:], True)
    f1 = np.where(valid, f1, -1)
    i = int(np.argmax(f1))
    cut = (p[i] + p[i + 1]) / 2 if i + 1 < len(p) else p[i] / 2
    return float(np.clip(cut, floor, 1 - floor))


def per_label_scores(Y: np.ndarray, P: np.ndarray, labels: Sequence[str]) -> dict:
    """Precision, recall, F1 and support for each label, plus micro and macro F1."""
    out: dict = {"per_label": {}}
    f1s = []
    for j, label in enumerate(labels):
        tp = int(((Y[:, j] == 1) & (P[:, j] == 1)).sum())
        fp = int(((Y[:, j] == 0) & (P[:, j] == 1)).sum())
        fn = int(((Y[:, j] == 1) & (P[:, j] == 0)).sum())
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        f1s.append(f1)
        out["per_label"][label] = {
            "precision": round(prec, 4),
            "recall": round(rec, 4),
            "f1": round(f1, 4),
            "support": int(Y[:, j].sum()),
        }
    tp = int(((Y == 1) & (P == 1)).sum())
    fp = int(((Y == 0) & (P == 1)).sum())
    fn = int(((Y == 1) & (P == 0)).sum())
    out["micro_f1"] = round(2 * tp / (2 * tp + fp + fn), 4) if tp + fp + fn else 0.0
    out["macro_f1"] = round(float(np.mean(f1s)), 4) if f1s else 0.0
    return out


def platt(score: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(a, b) of Platt scaling: P(y=1 | score) = sigmoid(a * score + b), fitted by
    logistic regression on held-out scores; (1, 0) when `y` has one class only."""
    if y.min() == y.max():
        return 1.0, 0.0
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1e4, solver="lbfgs").fit(score.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def calibrate_at_half(score: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(a, b) such that sigmoid(a * score + b) is Platt-calibrated and then shifted so
    that 0.5 is the cut that maximises F1 on these held-out scores.

    One rule, p >= 0.5, then holds for every label, and a probability reads on one scale
    across labels; the shift is the log-odds of the F1-best cut on the calibrated scale
    (F1 favours cuts below 0.5 for rare labels), so probabilities near the cut run a
    little high, which the model card's calibration error reports.
    """
    # Platt's slope needs enough of both classes to be estimated; on fewer the scores keep
    # their own scale and are only shifted, which is the tuned threshold on one scale.
    n_pos = int(y.sum())
    if min(n_pos, len(y) - n_pos) < MIN_CALIBRATION:
        a, b = 1.0, 0.0
    else:
        a, b = platt(score, y)
    cut = best_threshold(y, sigmoid(a * score + b))
    return a, b - float(np.log(cut / (1 - cut)))


def expected_calibration_error(Y: np.ndarray, proba: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error over all (text, label) cells: the gap between mean
    probability and share of positives in `bins` equal-width bins, weighted by size."""
    p, y = np.ravel(proba), np.ravel(Y).astype(np.float64)
    if not len(p):
        return 0.0
    which = np.minimum((p * bins).astype(int), bins - 1)
    n = np.bincount(which, minlength=bins)
    gap = np.abs(np.bincount(which, p, bins) - np.bincount(which, y, bins))
    return float(gap.sum() / len(p))


def tune(oof: np.ndarray, Y: np.ndarray, calibrate: bool) -> tuple[np.ndarray, np.ndarray]:
    """(thresholds, calibration) from out-of-fold linear scores `oof` (n, n_labels).

    With `calibrate`, calibration holds each label's (a, b) of `calibrate_at_half` and
    every threshold is 0.5; without, calibration is the identity (1, 0) and each label
    gets its F1-best cut on the logistic of its scores.
    """
    n_labels = Y.shape[1]
    thresholds = np.full(n_labels, 0.5)
    calibration = np.tile([1.0, 0.0], (n_labels, 1))
    if calibrate:
        calibration = np.array([calibrate_at_half(oof[:, j], Y[:, j]) for j in range(n_labels)])
    else:
        thresholds = np.array([best_threshold(Y[:, j], sigmoid(oof[:, j])) for j in range(n_labels)])
    return thresholds, calibration


def honest_scores(Y: np.ndarray, oof: np.ndarray, folds: Sequence, labels: Sequence[str],
                  calibrate: bool) -> dict:
    """Cross-validated precision/recall/F1 per label, micro and macro F1, calibration
    error and the fold count, each fold cut (or calibrated) on the other folds only, so
    the reported F1 does not profit from tuning on the very paragraphs it is scored on."""
    P = np.zeros_like(Y)
    proba = np.zeros(oof.shape)
    for _, va in folds:
        rest = np.setdiff1d(np.arange(len(Y)), va)
        for j in range(Y.shape[1]):
            if calibrate:
                a, b = calibrate_at_half(oof[rest, j], Y[rest, j])
                proba[va, j] = sigmoid(a * oof[va, j] + b)
                P[va, j] = proba[va, j] >= 0.5
            else:
                proba[va, j] = sigmoid(oof[va, j])
                P[va, j] = proba[va, j] >= best_threshold(Y[rest, j], sigmoid(oof[rest, j]))
    scores = per_label_scores(Y, P, labels)
    scores["ece"] = round(expected_calibration_error(Y, proba), 4)
    scores["folds"] = len(folds)
    return scores
