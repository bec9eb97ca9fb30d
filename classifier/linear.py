"""One logistic regression per label, and the multiple-instance refits on sentences.

The estimator step of training: matrices in, coefficients out. Labels are fitted in
parallel threads (liblinear runs without the GIL). Reads no texts.

>>> coef, intercept = fit_labels(X, Y, weight, C=40.0)                 # doctest: +SKIP
>>> coef, intercept = fit_labels(X, Y, weight, Xs, text_of, mil_iter=2) # doctest: +SKIP
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["fit_labels", "fit_label", "n_workers"]


def n_workers(n_jobs: int | None) -> int:
    """Workers for `n_jobs`: None or 0 one per core, negative all cores but
    `-n_jobs - 1`, at least 1."""
    cores = os.cpu_count() or 1
    if n_jobs in (None, 0):
        return cores
    if n_jobs < 0:
        return max(1, cores + 1 + n_jobs)
    return n_jobs


def canonical(*matrices) -> None:
    """Put CSR matrices in canonical form (sorted, no duplicates), in place.

    scikit-learn sorts an unsorted CSR's indices in place, which one thread must not do
    while another reads the matrix: shared matrices must be canonical first.
    """
    for M in matrices:
        if M is not None:
            M.sum_duplicates()
            M.sort_indices()


def fit_labels(X, Y: np.ndarray, weight: np.ndarray, Xs=None, text_of=None, *,
               C: float = 40.0, class_weight: str | None = "balanced", mil_iter: int = 2,
               n_jobs: int | None = None, random_state: int | None = 0):
    """(coef, intercept) of one logistic regression per column of `Y` on the rows of
    `X`, labels in parallel threads; with sentence rows `Xs` (`text_of` the text of
    each, sorted), each label then refitted `mil_iter` times on them (see `fit_label`)."""
    canonical(X, Xs)

    def one(j):
        return fit_label(X, Y[:, j], weight, Xs, text_of, C=C, class_weight=class_weight,
                         mil_iter=mil_iter, random_state=random_state)

    workers = max(1, min(n_workers(n_jobs), Y.shape[1]))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        fitted = list(pool.map(one, range(Y.shape[1])))
    coef = np.vstack([c for c, _ in fitted])
    intercept = np.array([b for _, b in fitted])
    return coef, intercept


def _lr(X, y, weight, C: float, class_weight, random_state):
    from sklearn.linear_model import LogisticRegression

    # The primal (trust-region Newton) solver, not the dual: the dual reaches the same
    # optimum 3-6x sooner on data/, but with the subword block on Telegram posts it
    # does not converge in 1,000 passes; and its visiting order comes from a random
    # generator global to the process, which threads sharing it would make depend on
    # timing. The primal solver draws nothing, so threads repeat exactly.
    lr = LogisticRegression(
        C=C,
        class_weight=class_weight,
        solver="liblinear",
        max_iter=1000,
        random_state=random_state,  # liblinear shuffles; fits repeat exactly
    )
    lr.fit(X, y, sample_weight=weight)
    return lr.coef_[0].copy(), float(lr.intercept_[0])


def fit_label(X, y: np.ndarray, weight: np.ndarray, Xs=None, text_of=None, *, C: float,
              class_weight, mil_iter: int, random_state):
    """(coef, intercept) of one label: a logistic regression on the texts `X`; with
    sentence rows `Xs`, then refitted on sentences: in every positive text the row it
    scores highest stands for the text, and every row of a negative text is negative
    (`mil_iter` rounds, multiple-instance learning)."""
    if y.min() == y.max():  # a fold may lack a label: predict its constant
        return np.zeros(X.shape[1]), 20.0 if y[0] else -20.0
    coef, b = _lr(X, y, weight, C, class_weight, random_state)
    if Xs is None:
        return coef, b
    pos_text = y.astype(bool)
    has_terms = np.diff(Xs.indptr) > 0
    negatives = np.flatnonzero(~pos_text[text_of] & has_terms)
    starts = np.searchsorted(text_of, np.arange(len(y)))
    for _ in range(mil_iter):
        score = np.asarray(Xs @ coef).ravel()
        score[~has_terms] = -np.inf
        best = np.maximum.reduceat(score, starts)
        # The first sentence of each positive text that reaches its text's best score.
        hit = (score == best[text_of]) & pos_text[text_of] & has_terms
        witness = hit & np.append(True, (text_of[1:] != text_of[:-1]) | ~hit[:-1])
        first = np.flatnonzero(witness)
        first = first[np.append(True, text_of[first][1:] != text_of[first][:-1])]
        rows = np.concatenate([first, negatives])
        ys = np.concatenate([np.ones(len(first), np.int8), np.zeros(len(negatives), np.int8)])
        coef, b = _lr(Xs[rows], ys, weight[text_of[rows]], C, class_weight, random_state)
    return coef, b
