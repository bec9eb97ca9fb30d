"""One logistic regression per label, and the multiple-instance refits on sentences.

The estimator step of training: designs in, coefficients out. Labels are fitted in
parallel threads (the solver's sparse products run without the GIL). Reads no texts.

>>> coef, intercept = fit_labels(X, Y, weight, C=0.25)                 # doctest: +SKIP
>>> coef, intercept = fit_labels(X, Y, weight, Xs, text_of, mil_iter=2) # doctest: +SKIP
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .design import Design
from .logistic import fit_logistic

__all__ = ["fit_labels", "fit_label", "n_workers", "TOL"]

TOL = 1e-2  # the solver's stopping tolerance (liblinear's rule; 1e-4 is scikit-learn's default)


def n_workers(n_jobs: int | None) -> int:
    """Workers for `n_jobs`: None or 0 one per core, negative all cores but
    `-n_jobs - 1`, at least 1."""
    cores = os.cpu_count() or 1
    if n_jobs in (None, 0):
        return cores
    if n_jobs < 0:
        return max(1, cores + 1 + n_jobs)
    return n_jobs


def _design(X) -> Design | None:
    if X is None or isinstance(X, Design):
        return X
    import scipy.sparse as sp

    return Design(sp.csr_matrix(X))


def fit_labels(X, Y: np.ndarray, weight: np.ndarray, Xs=None, text_of=None, *,
               C: float = 0.25, class_weight: str | None = "balanced", mil_iter: int = 2,
               n_jobs: int | None = None, random_state: int | None = 0, tol: float = TOL):
    """(coef, intercept) of one logistic regression per column of `Y` on the rows of
    `X` (a sparse matrix or a `Design`), labels in parallel threads; with sentence rows
    `Xs` (`text_of` the text of each, sorted), each label then refitted `mil_iter`
    times on them (see `fit_label`). The result does not depend on `n_jobs`;
    `random_state` is accepted for compatibility (the solver draws nothing)."""
    from threadpoolctl import threadpool_limits

    X, Xs = _design(X), _design(Xs)
    # Threads read the matrices at once: they must not sort them in place.
    for Z in (X, Xs):
        if Z is not None:
            Z.canonical()
    # The preconditioner's squares, made once for every label rather than once per fit:
    # both time and, with labels in threads, peak memory.
    squares = X.squares(), None if Xs is None else Xs.squares()

    def one(j):
        return fit_label(X, Y[:, j], weight, Xs, text_of, C=C, class_weight=class_weight,
                         mil_iter=mil_iter, tol=tol, squares=squares)

    workers = max(1, min(n_workers(n_jobs), Y.shape[1]))
    # One BLAS thread per label thread: no oversubscription, the same sums every run.
    with threadpool_limits(1), ThreadPoolExecutor(max_workers=workers) as pool:
        fitted = list(pool.map(one, range(Y.shape[1])))
    coef = np.vstack([c for c, _ in fitted])
    intercept = np.array([b for _, b in fitted])
    return coef, intercept


def fit_label(X: Design, y: np.ndarray, weight: np.ndarray, Xs: Design | None = None,
              text_of=None, *, C: float, class_weight, mil_iter: int, tol: float = TOL,
              squares: tuple = (None, None)):
    """(coef, intercept) of one label: a logistic regression on the texts `X`; with
    sentence rows `Xs`, then refitted on sentences: in every positive text the row it
    scores highest stands for the text, and every row of a negative text is negative,
    weighed 1/sqrt(its text's rows) (`mil_iter` rounds, multiple-instance learning,
    each starting from the last).
    `squares` holds ``X.squares()`` and ``Xs.squares()`` if made already."""
    if y.min() == y.max():  # a fold may lack a label: predict its constant
        return np.zeros(X.n_columns), 20.0 if y[0] else -20.0
    coef, b = fit_logistic(X, y, weight, C=C, class_weight=class_weight, tol=tol,
                           squares=squares[0])
    if Xs is None:
        return coef, b
    pos_text = y.astype(bool)
    n_terms = np.diff(Xs.words.indptr)
    has_terms = n_terms > 0
    starts = np.searchsorted(text_of, np.arange(len(y)))
    # A list item cut from its context («уголь, зерно, металл» in a cargo paragraph,
    # transport only by rule 4) would teach that the word alone is not its sector
    # («Экспорт зерна в Китай» lost agro): a negative text's row of one term is left
    # out, unless it is the text's first row (with scope "both", the text itself).
    first_row = np.zeros(len(text_of), dtype=bool)
    first_row[starts] = True
    negatives = np.flatnonzero(~pos_text[text_of] & has_terms & ((n_terms > 1) | first_row))
    # And a negative text split into many clauses would weigh many times one text:
    # each negative row weighs 1/sqrt(rows of its text), so a long text still counts
    # more than a short one, not n times more (real pages +0.015 micro F1; 1/n: no better).
    n_rows = np.bincount(text_of, minlength=len(y))
    neg_weight = weight[text_of[negatives]] / np.sqrt(n_rows[text_of[negatives]])
    for _ in range(mil_iter):
        score = Xs.dot(coef)
        score[~has_terms] = -np.inf
        best = np.maximum.reduceat(score, starts)
        # The first sentence of each positive text that reaches its text's best score.
        hit = (score == best[text_of]) & pos_text[text_of] & has_terms
        witness = hit & np.append(True, (text_of[1:] != text_of[:-1]) | ~hit[:-1])
        first = np.flatnonzero(witness)
        first = first[np.append(True, text_of[first][1:] != text_of[first][:-1])]
        rows = np.concatenate([first, negatives])
        ys = np.concatenate([np.ones(len(first), np.int8), np.zeros(len(negatives), np.int8)])
        row_weight = np.concatenate([weight[text_of[first]], neg_weight])
        coef, b = fit_logistic(Xs[rows], ys, row_weight, C=C,
                               class_weight=class_weight, tol=tol, start=(coef, b),
                               squares=None if squares[1] is None else squares[1][rows])
    return coef, b
