"""Training texts featurized once: the term counts of every text and sentence, from
which each cross-validation fold's featurizer and matrices are cut.

Tokenizing and lemmatizing is the costly part of featurizing, and the folds of training
would each repeat it on the same texts. Here every text is read once, every distinct
word form parsed once, and every term of every text counted. A featurizer fitted on
some of the texts keeps the terms those texts hold (its `min_df`, `max_df`,
`max_features`), and its matrix of any text is the counts of the kept terms, weighted
and normalised: exactly what fitting it on those texts and transforming would give
(tests/test_featurized.py compares the two).

>>> data = FeaturizedTexts.build(texts, LemmaTfidfVectorizer(), sentences=True)  # doctest: +SKIP
>>> feat = data.featurizer(train_rows)                  # fitted on those texts alone
>>> X, text_of = data.matrix(feat, train_rows, sentences=True, subwords=True)
>>> Z, text_of = data.design(feat, train_rows, sentences=True, subwords=True)  # factored
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .features import (_OOV, _SENT, _SENT_CODE, _SEP, _SEP_CODE, _STOP, LemmaTfidfVectorizer,
                       _csr, _tokens)
from .design import Design
from .subwords import LemmaNgrams, lemma_ngrams

__all__ = ["FeaturizedTexts"]


def clone_params(estimator, **overrides):
    """A new unfitted estimator with `estimator`'s parameters, some replaced."""
    return type(estimator)(**{**estimator.get_params(), **overrides})


@dataclass
class FeaturizedTexts:
    """Term counts of `n_texts` texts over every term they hold (`terms`, sorted).

    `counts` is (n_texts, n_terms) CSR of raw term counts; with sentences,
    `sentence_counts` has one row per sentence and `text_of_sentence` the text of each
    (sorted, every text at least one sentence). `lemmas` are all lemmas (sorted) and
    `grams` their character n-grams when the template has a subword block.
    """

    template: LemmaTfidfVectorizer
    terms: np.ndarray
    lemmas: np.ndarray
    counts: object
    sentence_counts: object | None
    text_of_sentence: np.ndarray | None
    forms: list[str]
    grams: LemmaNgrams | None

    @property
    def n_texts(self) -> int:
        return self.counts.shape[0]

    @classmethod
    def build(cls, texts: list[str], template: LemmaTfidfVectorizer,
              sentences: bool) -> "FeaturizedTexts":
        """Read `texts` once with `template`'s tokenizing and lemmatizing settings."""
        template._check_params()
        tokens = _tokens(texts, sentences)
        index: dict[str, int] = {}
        form_ids = np.fromiter((index.setdefault(t, len(index)) for t in tokens),
                               dtype=np.int64, count=len(tokens))
        forms = list(index)
        lemma_of_form = [template._lemma(f) if f not in (_SEP, _SENT) else None for f in forms]
        lemmas = np.array(sorted({l for l in lemma_of_form if l}), dtype=object)
        code = {lemma: i for i, lemma in enumerate(lemmas)}
        form_code = np.array(
            [_SEP_CODE if f == _SEP else _SENT_CODE if f == _SENT
             else _STOP if l is None else code[l] if l else _OOV
             for f, l in zip(forms, lemma_of_form)], dtype=np.int64)
        codes = form_code[form_ids] if len(form_ids) else np.zeros(0, dtype=np.int64)

        # Every term of every text: its lemmas and, read by text (sentence marks dropped
        # like function words), the pairs of neighbouring lemmas.
        terms = list(lemmas)
        if tuple(template.ngram_range) == (1, 2):
            is_end = codes == _SEP_CODE
            keep = ~is_end & (codes != _SENT_CODE) & (codes != _STOP)
            doc = (np.cumsum(is_end) - is_end)[keep]
            kept = codes[keep]
            pair = (doc[:-1] == doc[1:]) & (kept[:-1] >= 0) & (kept[1:] >= 0)
            keys = np.unique(kept[:-1][pair] * len(lemmas) + kept[1:][pair])
            terms += [f"{lemmas[k // len(lemmas)]} {lemmas[k % len(lemmas)]}" for k in keys]
        terms = np.array(sorted(terms), dtype=object)

        # A featurizer over all those terms, raw counts, reads the codes into counts.
        reader = clone_params(template, sublinear_tf=False, norm=None, lookup="parse",
                              subwords=None, min_df=1, max_df=1.0, max_features=None)
        reader.fit_counts(terms, np.ones(len(terms), dtype=np.int64), max(len(texts), 1))
        n_terms = len(terms)
        rows, cols, vals, n, _ = reader._units(codes, by_sentence=False)
        counts = _csr(rows, cols, vals, n, n_terms)
        sentence_counts = text_of = None
        if sentences:
            rows, cols, vals, n, text_of = reader._units(codes, by_sentence=True)
            sentence_counts = _csr(rows, cols, vals, n, n_terms)
        grams = None
        if template.subwords is not None:
            grams = lemma_ngrams(lemmas, template.subwords)
        seen = [f for f in forms if f not in (_SEP, _SENT)]
        return cls(template, terms, lemmas, counts, sentence_counts, text_of, seen, grams)

    # -- one fold -----------------------------------------------------------------

    def featurizer(self, rows: np.ndarray, lookup: str = "parse") -> LemmaTfidfVectorizer:
        """The template fitted on the texts `rows`: the same state as
        ``template.fit([texts[i] for i in rows])``, the form table only with
        ``lookup="table"``."""
        rows = np.asarray(rows)
        feat = clone_params(self.template, lookup=lookup)
        part = self.counts[rows]
        df = np.bincount(part.indices, minlength=len(self.terms))
        feat.fit_counts(self.terms, df, len(rows), self.forms_of(rows) if lookup == "table" else None)
        if feat.subwords is not None:
            has = np.flatnonzero(feat.unigram_cols_ >= 0)
            which = np.searchsorted(self.lemmas, feat.lemmas_[has])
            r, c, v, n = self._weights(feat, rows, sentences=False)[:4]
            feat.fit_subwords(r, c, v, n, grams=self.grams.restrict(which))
        return feat

    def forms_of(self, rows: np.ndarray) -> list[str]:
        """The word forms of the texts `rows`, for the form table (every form the texts
        hold when `rows` are all texts; more forms only add table entries that parsing
        would give anyway, so the featurizer's columns are the same)."""
        if len(rows) != self.n_texts:
            raise ValueError("a form table is built for a featurizer of all texts only")
        return self.forms

    def _weights(self, feat: LemmaTfidfVectorizer, rows: np.ndarray, sentences: bool):
        """`feat._weights` of the texts `rows` (or their sentences): (rows, cols, tf
        weights, n_rows, text_of_row) over `feat`'s columns."""
        rows = np.asarray(rows)
        if sentences:
            starts = np.searchsorted(self.text_of_sentence, rows)
            ends = np.searchsorted(self.text_of_sentence, rows, side="right")
            lengths = ends - starts
            take = np.repeat(starts - np.cumsum(np.append(0, lengths[:-1])), lengths) \
                + np.arange(lengths.sum())
            part = self.sentence_counts[take]
            text_of = np.repeat(np.arange(len(rows)), lengths)
        else:
            part = self.counts[rows]
            text_of = np.arange(len(rows))
        # Term -> feat's column; the vocabulary is a sorted subset of the sorted terms,
        # so columns stay in CSR order.
        column = np.full(len(self.terms), -1, dtype=np.int64)
        column[np.searchsorted(self.terms, np.array(list(feat.vocabulary_), dtype=object))] = \
            np.arange(len(feat.vocabulary_))
        cols = column[part.indices]
        keep = cols >= 0
        unit = np.repeat(np.arange(part.shape[0]), np.diff(part.indptr))[keep]
        tf = part.data[keep].astype(np.float64)
        if feat.sublinear_tf:
            tf = 1.0 + np.log(tf)
        return unit, cols[keep], tf, part.shape[0], text_of

    def triplets(self, feat: LemmaTfidfVectorizer, rows: np.ndarray, sentences: bool):
        """`feat.transform_triplets` (or `transform_sentence_triplets` with `sentences`)
        of the texts `rows`: (rows, cols, values, n_rows[, text_of_row])."""
        r, c, v, n, text_of = feat._normed(*self._weights(feat, rows, sentences))
        return (r, c, v, n, text_of) if sentences else (r, c, v, n)

    def matrix(self, feat: LemmaTfidfVectorizer, rows: np.ndarray, sentences: bool,
               subwords: bool):
        """What the linear models see for the texts `rows` (or their sentences):
        `feat`'s TF-IDF columns, then its subword block if `subwords`; and the text of
        each row."""
        r, c, tf, n, text_of = self._weights(feat, rows, sentences)
        nr, nc, nv, _, _ = feat._normed(r, c, tf.copy(), n, text_of)
        X = _csr(nr, nc, nv, n, len(feat.vocabulary_))
        if subwords:
            import scipy.sparse as sp

            X = sp.hstack([X, feat.subwords_from(r, c, tf, n)], format="csr")
        return X, text_of

    def design(self, feat: LemmaTfidfVectorizer, rows: np.ndarray, sentences: bool,
               subwords: bool):
        """`matrix` as a `Design`: the same rows, the subword block kept in factors."""
        r, c, tf, n, text_of = self._weights(feat, rows, sentences)
        nr, nc, nv, _, _ = feat._normed(r, c, tf.copy(), n, text_of)
        words = _csr(nr, nc, nv, n, len(feat.vocabulary_))
        if not subwords:
            return Design(words), text_of
        lemmas, row_scale, grams = feat.subword_factors(r, c, tf, n)
        return Design(words, lemmas, row_scale, grams), text_of
