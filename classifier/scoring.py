"""Linear scores of texts decided on the best of the text and each of its sentences.

What `SectorClassifier` computes with scope="both", from one tokenizing pass and one
bigram lookup for both kinds of rows. A text of one sentence is its own only sentence (the
same cells in the same order, so the same score to the last bit), so sentence rows are
built for texts of two or more sentences only. Every sum runs over a row's cells in column
order, as a CSR product would, so the scores equal those of the text and sentence
matrices of `LemmaTfidfVectorizer` bit for bit.

>>> best, known = best_of_text_and_sentences(clf.featurizer_, clf.coef_, ["Зерно. Нефть."])  # doctest: +SKIP
"""
from __future__ import annotations

import numpy as np

__all__ = ["best_of_text_and_sentences"]

_INT32_MAX = np.iinfo(np.int32).max


def best_of_text_and_sentences(feat, coef: np.ndarray, texts: list[str]
                               ) -> tuple[np.ndarray, np.ndarray]:
    """(n_texts, n_labels) scores without intercepts: each text's best of its own row and
    its sentences' rows; and whether the text has a known term (scores 0.0 where not)."""
    from .features import _SENT_CODE, _SEP_CODE, _STOP

    m = len(texts)
    codes = feat._codes(texts, sentences=True)
    is_end = codes == _SEP_CODE
    is_break = is_end | (codes == _SENT_CODE)
    text_id = np.cumsum(is_end) - is_end
    sent_id = np.cumsum(is_break) - is_break
    text_of_sent = text_id[is_break]
    keep = ~is_break & (codes != _STOP)
    codes, text_id, sent_id = codes[keep], text_id[keep], sent_id[keep]

    known = codes >= 0
    uni = np.full(len(codes), -1, dtype=np.int64)
    uni[known] = feat.unigram_cols_[codes[known]]
    has_uni = uni >= 0
    bi_text = bi_sent = bi_cols = np.zeros(0, dtype=np.int64)
    same_sent = np.zeros(0, dtype=bool)
    if len(feat.bigram_keys_) and len(codes) > 1:
        left, right = codes[:-1], codes[1:]
        pair = (text_id[:-1] == text_id[1:]) & known[:-1] & known[1:]
        keys = left[pair] * len(feat.lemmas_) + right[pair]
        where = np.minimum(np.searchsorted(feat.bigram_keys_, keys), len(feat.bigram_keys_) - 1)
        hit = feat.bigram_keys_[where] == keys
        bi_cols = feat.bigram_cols_[where[hit]]
        bi_text = text_id[:-1][pair][hit]
        bi_sent = sent_id[:-1][pair][hit]
        # Read by sentence, a sentence end splits a bigram (read by text it does not).
        same_sent = bi_sent == sent_id[1:][pair][hit]

    best, has = _unit_scores(feat, coef, np.concatenate([text_id[has_uni], bi_text]),
                             np.concatenate([uni[has_uni], bi_cols]), m)
    best[~has] = -np.inf

    n_sent = np.bincount(text_of_sent, minlength=m)
    multi = n_sent[text_of_sent] > 1  # per sentence: its text has others
    if multi.any():
        # Sentences of those texts, renumbered 0.. in order, so rows stay compact.
        new_id = np.cumsum(multi) - 1
        tok = multi[sent_id[has_uni]]
        pairs = same_sent & multi[bi_sent]
        rows = np.concatenate([new_id[sent_id[has_uni][tok]], new_id[bi_sent[pairs]]])
        cols = np.concatenate([uni[has_uni][tok], bi_cols[pairs]])
        n_rows = int(multi.sum())
        sent, sent_has = _unit_scores(feat, coef, rows, cols, n_rows)
        sent[~sent_has] = -np.inf
        texts_multi = text_of_sent[multi]
        starts = np.flatnonzero(np.append(True, texts_multi[1:] != texts_multi[:-1]))
        where = texts_multi[starts]
        best[where] = np.maximum(best[where], np.maximum.reduceat(sent, starts, axis=0))
    # A sentence's terms are terms of its text: no known term in the text, none anywhere.
    best[~has] = 0.0
    return best, has


def _unit_scores(feat, coef: np.ndarray, rows: np.ndarray, cols: np.ndarray, n_rows: int):
    """Scores (n_rows, n_labels) of the rows whose terms are (rows, cols), one pair per
    occurrence, weighted as `LemmaTfidfVectorizer` weighs them; and which rows have any."""
    n_features = len(feat.idf_)
    keys = rows * n_features + cols
    if n_rows * n_features <= _INT32_MAX:
        keys = keys.astype(np.int32)  # sorts much faster than int64
    # Counting (row, col) pairs by sorting one key gives the term frequencies in CSR order.
    cells, tf = np.unique(keys, return_counts=True)
    rows, cols = cells // n_features, cells % n_features
    vals = tf.astype(np.float64)
    if feat.sublinear_tf:
        vals = 1.0 + np.log(vals)
    vals *= feat.idf_[cols]
    if feat.norm == "l2" and len(vals):
        norms = np.sqrt(np.bincount(rows, weights=vals * vals, minlength=n_rows))
        vals /= norms[rows]
    products = coef[:, cols] * vals  # (n_labels, n_cells): one gather, one product
    scores = np.empty((n_rows, coef.shape[0]))
    # One weighted bincount per label is the sparse product X @ coef.T, summed in the
    # same order (numpy's reductions sum pairwise, which changes the last bits).
    for j in range(coef.shape[0]):
        scores[:, j] = np.bincount(rows, weights=products[j], minlength=n_rows)
    return scores, np.bincount(rows, minlength=n_rows) > 0
