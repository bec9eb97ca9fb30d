"""Tag a DataFrame of paragraphs: the one place that decides the output columns.

`sectors tag`, `--jobs` workers and the Dask helper all go through `tag_frame`, so the
columns are the same wherever tagging runs.

>>> tag_frame(load_model(), pd.DataFrame({"text": ["Экспорт зерна вырос"]}))  # doctest: +SKIP
                  text       labels
0  Экспорт зерна вырос  agro;trade
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from .io import LABEL_SEP

__all__ = ["tag_frame", "tag_texts", "output_columns"]


def output_columns(
    labels, base=("source", "paragraph", "date", "text"), proba=False, explain=False
) -> list[str]:
    """Column names `tag_frame` produces for a model with `labels`."""
    cols = list(base) + ["labels"]
    if proba:
        cols += [f"p_{label}" for label in labels]
    if explain:
        cols.append("explain")
    return cols


def tag_frame(
    model,
    frame: pd.DataFrame,
    text_column: str = "text",
    proba: bool = False,
    explain: bool = False,
    threshold: float | None = None,
    top_k: int | None = None,
) -> pd.DataFrame:
    """`frame` with a `labels` column (ids joined by ";"), and with `proba` one `p_<label>`
    column per label, with `explain` a JSON column of the terms behind each label.

    Every input row gives exactly one output row, in order.
    """
    out = frame.copy()
    texts = out[text_column].fillna("").astype(str).tolist()
    label_lists, P, evidence = tag_texts(model, texts, threshold, top_k, explain)
    # dtype given: an empty frame must have str columns too, or Dask/Spark meta breaks
    out["labels"] = pd.Series([LABEL_SEP.join(row) for row in label_lists], index=out.index, dtype=str)
    if proba:
        for j, label in enumerate(model.labels):
            out[f"p_{label}"] = np.round(P[:, j], 4)
    if explain:
        out["explain"] = pd.Series(
            [json.dumps(e, ensure_ascii=False) for e in evidence], index=out.index, dtype=str
        )
    return out


def tag_texts(
    model,
    texts: list[str],
    threshold: float | None = None,
    top_k: int | None = None,
    explain: bool = False,
) -> tuple[list[list[str]], np.ndarray, list[dict] | None]:
    """Label lists, the (n, n_labels) probability matrix and, with `explain`, the terms
    behind each chosen label of each text (None without it): what every face shows.

    >>> labels, P, terms = tag_texts(load_model(), ["Экспорт зерна вырос"], explain=True)  # doctest: +SKIP
    >>> labels, terms
    ([['agro', 'trade']], [{'agro': [('зерно', 2.1), ...], 'trade': [('экспорт', 1.9), ...]}])
    """
    if texts:
        label_lists, P = model.predict_with_proba(texts, threshold, top_k)
    else:
        label_lists, P = [], np.zeros((0, len(model.labels)))
    evidence = None
    if explain:
        evidence = [model.explain(t, labels=row) if row else {} for t, row in zip(texts, label_lists)]
    return label_lists, P, evidence
