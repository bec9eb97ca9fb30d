"""The matrix the linear models train on, kept in factors: word columns, then the
subword block as (row scale) x (lemma tf weights) x (lemma -> n-gram weights).

The subword block of a row is its lemmas' n-grams, so spelt out it holds about ten times
the non-zeros of the word columns; a product with it is the same product through the
three factors, at the cost of the lemma weights (as many non-zeros as the unigram
columns) plus one pass over the n-gram table. The solver (`logistic`) only needs
products, so the block is never built.

>>> Z = Design(words, lemmas, row_scale, grams)          # doctest: +SKIP
>>> scores = Z.dot(coef)                                 # coef over words, then n-grams
>>> Z[rows], Design.vstack([Z1, Z2])[order]
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Design"]


@dataclass
class Design:
    """Rows of ``[words | diag(row_scale) @ lemmas @ grams]``.

    `words` (n_rows, n_words) and `lemmas` (n_rows, n_lemmas) are CSR, `grams`
    (n_lemmas, n_grams) CSR shared by every row; without a subword block `lemmas`,
    `row_scale` and `grams` are None.
    """

    words: object
    lemmas: object | None = None
    row_scale: np.ndarray | None = None
    grams: object | None = None

    @property
    def n_rows(self) -> int:
        return self.words.shape[0]

    @property
    def n_words(self) -> int:
        return self.words.shape[1]

    @property
    def n_columns(self) -> int:
        return self.n_words + (0 if self.grams is None else self.grams.shape[1])

    def __getitem__(self, rows) -> "Design":
        if self.grams is None:
            return Design(self.words[rows])
        return Design(self.words[rows], self.lemmas[rows], self.row_scale[rows], self.grams)

    @staticmethod
    def vstack(parts: Sequence["Design"]) -> "Design":
        """The rows of `parts` one after another (they share `grams`)."""
        import scipy.sparse as sp

        words = sp.vstack([p.words for p in parts], format="csr")
        if parts[0].grams is None:
            return Design(words)
        return Design(words, sp.vstack([p.lemmas for p in parts], format="csr"),
                      np.concatenate([p.row_scale for p in parts]), parts[0].grams)

    def canonical(self) -> "Design":
        """Sorted indices without duplicates, in place: threads may then share it."""
        for M in (self.words, self.lemmas, self.grams):
            if M is not None:
                M.sum_duplicates()
                M.sort_indices()
        return self

    def dot(self, coef: np.ndarray) -> np.ndarray:
        """(n_rows,) products of the rows with `coef` (n_columns,)."""
        out = self.words @ coef[:self.n_words]
        if self.grams is not None:
            out += self.row_scale * (self.lemmas @ (self.grams @ coef[self.n_words:]))
        return out

    def rdot(self, u: np.ndarray) -> np.ndarray:
        """(n_columns,) product of `u` (n_rows,) with the rows: the transpose's product."""
        w = self.words.T @ u
        if self.grams is None:
            return w
        return np.concatenate([w, self.grams.T @ (self.lemmas.T @ (self.row_scale * u))])

    def squares(self) -> "Design":
        """A design whose `rdot(d)` is about Σ_i d_i x_ij² per column: exact for the
        words, for the n-grams as if each row's n-gram came from one lemma only (a
        preconditioner needs no more)."""
        if self.grams is None:
            return Design(self.words.multiply(self.words).tocsr())
        return Design(self.words.multiply(self.words).tocsr(),
                      self.lemmas.multiply(self.lemmas).tocsr(), self.row_scale ** 2,
                      self.grams.multiply(self.grams).tocsr())

    def toarray(self) -> np.ndarray:
        """The dense matrix (tests and small checks only)."""
        import scipy.sparse as sp

        if self.grams is None:
            return self.words.toarray()
        block = sp.diags(self.row_scale) @ self.lemmas @ self.grams
        return np.hstack([self.words.toarray(), block.toarray()])
