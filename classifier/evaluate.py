"""What users read about a model: metrics, worst errors, charts, audit and suggestions.

Computes; prints nothing (cli.py formats).

>>> report = evaluate(load_model(), texts, label_lists)        # doctest: +SKIP
>>> report["macro_f1"], report["per_label"]["trade"]["f1"]     # doctest: +SKIP
(0.89, 0.91)
"""
from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from .model import (
    SectorClassifier,
    _sigmoid,
    best_threshold,
    binarize,
    expected_calibration_error,
    per_label_scores,
)

__all__ = ["evaluate", "audit", "suggest", "write_report"]


def evaluate(
    model,
    texts: Sequence[str],
    label_lists: Sequence[Sequence[str]],
    threshold: float | None = None,
    worst: int = 10,
    groups: Sequence | None = None,
) -> dict:
    """Score `model` on labelled texts.

    With `groups` (one value per text, e.g. the `source` or `channel` column), the report's
    `groups` holds the same scores for each group's rows, so a user sees where the model
    is weak.

    Returns per-label precision/recall/F1/support, micro, macro and samples F1,
    exact-match ratio, Hamming loss, the labels in the data the model does not know
    (`unknown_labels`, with counts; those rows are scored on the known labels only), and
    the `worst` false positives and false negatives with text and probability.
    """
    labels = list(model.labels)
    known = set(labels)
    unknown = Counter(l for row in label_lists for l in row if l not in known)
    Y = binarize([[l for l in row if l in known] for row in label_lists], labels)
    proba = model.predict_proba(list(texts))
    cut = model.thresholds_ if threshold is None else np.full(len(labels), threshold)
    P = (proba >= cut).astype(np.int8)
    report = per_label_scores(Y, P, labels)
    inter = (Y & P).sum(axis=1)
    denom = Y.sum(axis=1) + P.sum(axis=1)
    # A row with no true and no predicted label is a perfect answer (F1 = 1).
    samples = np.where(denom == 0, 1.0, 2 * inter / np.maximum(denom, 1))
    report["samples_f1"] = round(float(samples.mean()), 4) if len(Y) else 0.0
    report["exact_match"] = round(float((Y == P).all(axis=1).mean()), 4) if len(Y) else 0.0
    report["hamming_loss"] = round(float((Y != P).mean()), 4) if len(Y) else 0.0
    report["n"] = len(Y)
    report["unknown_labels"] = dict(unknown)
    report["thresholds"] = {l: round(float(t), 4) for l, t in zip(labels, cut)}
    report["errors"] = _worst_errors(texts, Y, P, proba, labels, cut, worst)
    report["ece"] = round(expected_calibration_error(Y, proba), 4)
    if groups is not None:
        groups = np.asarray([str(g) for g in groups], dtype=object)
        report["groups"] = {}
        for g in sorted(set(groups)):
            rows = groups == g
            part = per_label_scores(Y[rows], P[rows], labels)
            part["n"] = int(rows.sum())
            report["groups"][g] = part
    report["_proba"] = proba  # for charts; dropped from JSON
    report["_Y"] = Y
    return report


def _worst_errors(texts, Y, P, proba, labels, cut, worst) -> dict:
    out = {"false_positives": [], "false_negatives": []}
    for kind, mask, score in (
        ("false_positives", (Y == 0) & (P == 1), proba - cut),
        ("false_negatives", (Y == 1) & (P == 0), cut - proba),
    ):
        rows, cols = np.nonzero(mask)
        order = np.argsort(-score[rows, cols])[:worst]
        for i in order:
            r, c = int(rows[i]), int(cols[i])
            out[kind].append(
                {
                    "row": r,
                    "label": labels[c],
                    "proba": round(float(proba[r, c]), 4),
                    "threshold": round(float(cut[c]), 4),
                    "true": [labels[j] for j in np.flatnonzero(Y[r])],
                    "predicted": [labels[j] for j in np.flatnonzero(P[r])],
                    "text": texts[r],
                }
            )
    return out


def public(report: dict) -> dict:
    """The JSON-able part of an `evaluate` report."""
    return {k: v for k, v in report.items() if not k.startswith("_")}


def write_report(report: dict, directory: str | os.PathLike) -> list[Path]:
    """Write metrics.json and PNG charts (per-label F1 bars, precision-recall curves with
    the chosen thresholds marked) to `directory`. Charts need the `report` extra
    (matplotlib)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = [directory / "metrics.json"]
    written[0].write_text(json.dumps(public(report), ensure_ascii=False, indent=2), encoding="utf-8")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError(
            "charts need matplotlib: pip install 'sectors[report]' (metrics.json was written)"
        ) from None
    labels = list(report["per_label"])
    f1 = [report["per_label"][l]["f1"] for l in labels]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    bars = ax.barh(labels[::-1], f1[::-1], color="#4C72B0")
    ax.bar_label(bars, fmt="%.2f", padding=3)
    ax.set_xlim(0, 1.08)
    ax.set_xlabel("F1")
    ax.set_title(f"Per-label F1 (macro {report['macro_f1']:.3f}, micro {report['micro_f1']:.3f})")
    fig.tight_layout()
    path = directory / "f1_per_label.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    written.append(path)

    from sklearn.metrics import precision_recall_curve

    proba, Y = report["_proba"], report["_Y"]
    cols = 4
    rows = int(np.ceil(len(labels) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 3.4 * rows), squeeze=False)
    for j, label in enumerate(labels):
        ax = axes[j // cols][j % cols]
        if Y[:, j].sum() == 0:
            ax.set_title(f"{label} (no positives)")
            continue
        prec, rec, thr = precision_recall_curve(Y[:, j], proba[:, j])
        ax.plot(rec, prec, color="#4C72B0")
        t = report["thresholds"][label]
        k = int(np.searchsorted(thr, t)) if len(thr) else 0
        k = min(k, len(prec) - 1)
        ax.plot([rec[k]], [prec[k]], "o", color="#C44E52", label=f"threshold {t:.2f}")
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("recall")
        ax.set_ylabel("precision")
        ax.set_title(f"{label}  F1 {report['per_label'][label]['f1']:.2f}")
        ax.legend(loc="lower left", fontsize=8)
    for j in range(len(labels), rows * cols):
        axes[j // cols][j % cols].axis("off")
    fig.tight_layout()
    path = directory / "precision_recall.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    written.append(path)
    return written


def audit(
    texts: Sequence[str],
    label_lists: Sequence[Sequence[str]],
    labels: Sequence[str],
    cv: int = 5,
    random_state: int = 0,
    top: int = 50,
    C: float = 0.25,
    progress: Callable[[str], None] | None = None,
) -> list[dict]:
    """Rows whose labels the out-of-fold model contradicts most confidently.

    `progress`, if given, is called with a short message before each fold.

    Each item: `row` (0-based), `label`, `given` (1 = labelled, 0 = not), `proba` of the
    out-of-fold model, `suspicion` (how confidently it disagrees), most suspicious first.
    """
    from sklearn.model_selection import KFold

    Y = binarize(label_lists, labels)
    clf = SectorClassifier(C=C, cv=0, label_order=list(labels), random_state=random_state)
    folds = list(KFold(cv, shuffle=True, random_state=random_state).split(texts))
    oof = _sigmoid(clf.out_of_fold_scores(texts, Y, folds, progress=progress))
    cuts = np.array([best_threshold(Y[:, j], oof[:, j]) for j in range(len(labels))])
    items = []
    for r, j in zip(*np.nonzero((oof >= cuts) != (Y == 1))):
        p = oof[r, j]
        suspicion = p if Y[r, j] == 0 else 1 - p
        items.append(
            {
                "row": int(r),
                "label": labels[j],
                "given": int(Y[r, j]),
                "proba": round(float(p), 4),
                "suspicion": round(float(suspicion), 4),
                "text": texts[r],
            }
        )
    items.sort(key=lambda d: -d["suspicion"])
    return items[:top]


def suggest(model, texts: Sequence[str], n: int = 50, drop_near_duplicates: bool = True) -> list[dict]:
    """The `n` paragraphs the model is least sure about, ranked by the margin: the
    distance, in log-odds, between some label's probability and that label's threshold
    (smallest first). Worth labelling next.

    With `drop_near_duplicates`, a paragraph that repeats one ranked above it (the same
    words, or a templated rewrite, see `classifier.dataset.near_duplicates`) is left out:
    labelling it would teach nothing new.
    """
    texts = list(texts)
    if not texts:
        return []
    proba = np.clip(model.predict_proba(texts), 1e-6, 1 - 1e-6)
    cut = np.clip(model.thresholds_, 1e-6, 1 - 1e-6)
    margin = np.abs(np.log(proba / (1 - proba)) - np.log(cut / (1 - cut)))
    closest = margin.argmin(axis=1)
    order = np.argsort(margin.min(axis=1), kind="stable")
    if drop_near_duplicates:
        from .dataset import near_duplicates

        # Enough candidates that n remain after the repeats are dropped, in most data.
        pool = order[: max(4 * n, n + 100)]
        repeats = {b for _, b, _ in near_duplicates([texts[i] for i in pool])}
        order = [i for k, i in enumerate(pool) if k not in repeats]
    return [
        {
            "row": int(i),
            "label": model.labels[closest[i]],
            "proba": round(float(proba[i, closest[i]]), 4),
            "threshold": round(float(cut[closest[i]]), 4),
            "margin": round(float(margin[i].min()), 4),
            "text": texts[i],
        }
        for i in order[:n]
    ]
