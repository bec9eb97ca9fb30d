"""The subword block: character n-grams of vocabulary lemmas, a second block of columns
used only in training.

Lemmas that share n-grams («нефтехимия», «нефтехимический», «нижнекамскнефтехим») share
evidence through it. A text's block is linear in its lemmas' tf weights (divided by the
text's word-block norm), so a linear model's coefficients over it fold back into
coefficients over the lemma columns, and tagging never computes it.

>>> grams = lemma_ngrams(["нефть", "нефтяной"], (3, 5))                   # doctest: +SKIP
>>> state = fit_block(grams.restrict(rows), F, word_norms, n_docs, min_df=2)  # doctest: +SKIP
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["LemmaNgrams", "lemma_ngrams", "fit_block", "block", "row_scale", "fold"]


@dataclass
class LemmaNgrams:
    """The character n-grams of some lemmas: for lemma `i`, its n-grams are
    `gram_ids[indptr[i]:indptr[i + 1]]` with their counts, in order of first
    occurrence in the lemma; gram ids number grams by first occurrence over the lemmas
    in order, and `names` spells them."""

    indptr: np.ndarray
    gram_ids: np.ndarray
    counts: np.ndarray
    names: np.ndarray

    def restrict(self, which: np.ndarray) -> "LemmaNgrams":
        """The n-grams of the lemmas `which` (in that order), numbered as if built from
        those lemmas alone: what `lemma_ngrams` gives on the lemmas `which` select."""
        starts, ends = self.indptr[which], self.indptr[which + 1]
        lengths = ends - starts
        indptr = np.zeros(len(which) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        pos = np.repeat(starts - indptr[:-1], lengths) + np.arange(indptr[-1])
        ids, counts = self.gram_ids[pos], self.counts[pos]
        uniq, first = np.unique(ids, return_index=True)
        order = np.argsort(first, kind="stable")
        renumber = np.empty(len(uniq), dtype=np.int64)
        renumber[order] = np.arange(len(uniq))
        return LemmaNgrams(indptr, renumber[np.searchsorted(uniq, ids)], counts,
                           self.names[uniq[order]])

    def matrix(self, rows: np.ndarray, n_rows: int):
        """(n_rows, n_grams) CSR of n-gram counts, lemma `k` of these on row `rows[k]`."""
        import scipy.sparse as sp

        lemma_rows = np.repeat(rows, np.diff(self.indptr))
        return sp.csr_matrix((self.counts.astype(np.float64), (lemma_rows, self.gram_ids)),
                             shape=(n_rows, len(self.names)))


def lemma_ngrams(lemmas: Sequence[str], lengths: tuple[int, int]) -> LemmaNgrams:
    """The `lengths` = (lo, hi) character n-grams of each lemma, "<" and ">" marking its
    ends."""
    lo, hi = lengths
    if not 1 <= lo <= hi:
        raise ValueError(f"subwords must be (lo, hi) with 1 <= lo <= hi, got {tuple(lengths)}")
    grams: dict[str, int] = {}
    indptr, ids, counts = [0], [], []
    for lemma in lemmas:
        word = f"<{lemma}>"
        found = Counter(word[i:i + n] for n in range(lo, hi + 1) for i in range(len(word) - n + 1))
        for gram, c in found.items():
            ids.append(grams.setdefault(gram, len(grams)))
            counts.append(c)
        indptr.append(len(ids))
    names = np.empty(len(grams), dtype=object)
    for gram, j in grams.items():
        names[j] = gram
    return LemmaNgrams(np.asarray(indptr, dtype=np.int64), np.asarray(ids, dtype=np.int64),
                       np.asarray(counts, dtype=np.int64), names)


def fit_block(grams: LemmaNgrams, rows: np.ndarray, F, word_norms: np.ndarray,
              min_df: int) -> dict:
    """The fitted state of the block from the lemma tf weights `F` (n_docs, n_lemmas) of
    the training documents and their word-block norms; `grams` are the n-grams of the
    lemmas on `rows` of F's columns.

    Keeps n-grams found in at least `min_df` documents, weighted by their idf; the scale
    gives a typical training document's block the l2 norm of its word block. Returns
    the vectorizer attributes ``subword_grams_``, ``subword_idf_``, ``subword_indptr_``,
    ``subword_indices_``, ``subword_data_`` and ``subword_scale_``.
    """
    import scipy.sparse as sp

    n_docs = F.shape[0]
    G = grams.matrix(rows, F.shape[1])
    present = (F > 0).astype(np.float64) @ (G > 0).astype(np.float64)
    df = np.asarray((present > 0).sum(axis=0)).ravel()
    keep = np.flatnonzero(df >= min_df)
    idf = np.log((1 + n_docs) / (1 + df[keep])) + 1.0
    Gidf = (G[:, keep] @ sp.diags(idf)).tocsr()
    raw = F @ Gidf
    sub_norms = np.sqrt(np.asarray(raw.multiply(raw).sum(axis=1)).ravel())
    both = (sub_norms > 0) & (word_norms > 0)
    return {
        "subword_grams_": grams.names[keep],
        "subword_idf_": idf,
        "subword_indptr_": Gidf.indptr,
        "subword_indices_": Gidf.indices,
        "subword_data_": Gidf.data,
        "subword_scale_": float(np.median(sub_norms[both] / word_norms[both])) if both.any() else 1.0,
    }


def block(F, word_norms: np.ndarray, M, scale: float):
    """The block of documents with lemma tf weights `F` and word-block norms
    `word_norms`, through the lemma -> n-gram matrix `M`."""
    import scipy.sparse as sp

    return (sp.diags(row_scale(word_norms, scale)) @ (F @ M)).tocsr()


def row_scale(word_norms: np.ndarray, scale: float) -> np.ndarray:
    """What `block` multiplies each document's row of ``F @ M`` by."""
    return 1.0 / (np.where(word_norms > 0, word_norms, 1.0) * scale)


def fold(coef: np.ndarray, M, unigram_cols: np.ndarray, idf: np.ndarray, scale: float,
         n_features: int) -> np.ndarray:
    """Coefficients over the block, (n_outputs, n_grams), as the equivalent coefficients
    over the word columns, (n_outputs, n_features)."""
    coef = np.atleast_2d(np.asarray(coef, dtype=np.float64))
    per_lemma = np.asarray(M @ coef.T)  # (n_lemmas, n_outputs)
    out = np.zeros((coef.shape[0], n_features))
    has = np.flatnonzero(unigram_cols >= 0)
    cols = unigram_cols[has]
    out[:, cols] = (per_lemma[has] / (scale * idf[cols])[:, None]).T
    return out
