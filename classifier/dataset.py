"""Checks on labelled data before training: coverage statistics and near duplicates.

>>> data = read_labelled("data/train.csv")                          # doctest: +SKIP
>>> coverage(data.texts, data.label_lists)["no_label_share"]         # doctest: +SKIP
0.19
>>> near_duplicates(data.texts)[:1]                                  # doctest: +SKIP
[(12, 873, 0.86)]
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from .text import TOKEN_RE, normalize

__all__ = ["coverage", "near_duplicates", "normalized_key"]


def normalized_key(text: str) -> str:
    """The text's words, lower-cased with ё folded: equal keys mean the same paragraph."""
    return " ".join(TOKEN_RE.findall(normalize(text)))


def coverage(texts: Sequence[str], label_lists: Sequence[Sequence[str]]) -> dict:
    """Counts a labelled set should be judged by: positives per label, share of rows
    with no label and with two or more, and the length range in characters."""
    n = len(label_lists)
    lengths = np.array([len(t) for t in texts]) if n else np.zeros(1)
    words = np.array([len(TOKEN_RE.findall(normalize(t))) for t in texts]) if n else np.zeros(1)
    return {
        "rows": n,
        "positives": dict(Counter(l for row in label_lists for l in row)),
        "no_label_share": round(sum(1 for r in label_lists if not r) / n, 4) if n else 0.0,
        "multi_label_share": round(sum(1 for r in label_lists if len(r) > 1) / n, 4) if n else 0.0,
        "chars_min": int(lengths.min()),
        "chars_median": int(np.median(lengths)),
        "chars_max": int(lengths.max()),
        "words_min": int(words.min()),
    }


def near_duplicates(
    texts: Sequence[str], threshold: float = 0.75, min_words: int = 6
) -> list[tuple[int, int, float]]:
    """Pairs (i, j, similarity) of paragraphs that repeat each other, most similar first.

    Cosine similarity of TF-IDF over word-form unigrams and bigrams with numbers masked,
    so a templated rewrite («Товарооборот вырос на 12%» / «... на 15%», a swapped name)
    still scores high. Paragraphs under `min_words` words (headings) count only when
    identical.
    """
    keys = [normalized_key(t) for t in texts]
    pairs: list[tuple[int, int, float]] = []
    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key in first:
            pairs.append((first[key], i, 1.0))
        else:
            first[key] = i
    long_idx = [i for i, k in enumerate(keys) if len(k.split()) >= min_words]
    if len(long_idx) > 1:
        masked = [_mask_numbers(keys[i]) for i in long_idx]
        vec = TfidfVectorizer(ngram_range=(1, 2), token_pattern=r"\S+", sublinear_tf=True)
        X = vec.fit_transform(masked)
        sims = (X @ X.T).tocoo()
        seen = {(a, b) for a, b, _ in pairs}
        for a, b, s in zip(sims.row, sims.col, sims.data):
            if a < b and s >= threshold:
                i, j = long_idx[a], long_idx[b]
                if (i, j) not in seen:
                    pairs.append((i, j, round(float(s), 4)))
    pairs.sort(key=lambda p: -p[2])
    return pairs


def _mask_numbers(key: str) -> str:
    return " ".join("0" if w.isdigit() else w for w in key.split())
