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

__all__ = ["tag_frame", "output_columns"]


def output_columns(
    labels, base=("source", "paragraph", "date", "text"), proba=False, explain=False,
    places=False,
) -> list[str]:
    """Column names `tag_frame` produces for a model with `labels`."""
    cols = list(base) + ["labels"]
    if places:
        cols.append("places")
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
    places: bool = False,
) -> pd.DataFrame:
    """`frame` with a `labels` column (ids joined by ";"), with `places` a `places` column
    (country and Russian federal subject codes joined by ";", see `classifier.places`),
    with `proba` one `p_<label>` column per label, with `explain` a JSON column of the
    terms behind each label.

    Every input row gives exactly one output row, in order.
    """
    out = frame.copy()
    texts = out[text_column].fillna("").astype(str).tolist()
    if texts:
        label_lists, P = model.predict_with_proba(texts, threshold, top_k)
    else:
        label_lists, P = [], np.zeros((0, len(model.labels)))
    # dtype given: an empty frame must have str columns too, or Dask/Spark meta breaks
    out["labels"] = pd.Series([LABEL_SEP.join(row) for row in label_lists], index=out.index, dtype=str)
    if places:
        from .places import PLACES_SEP, extract_places

        out["places"] = pd.Series(
            [PLACES_SEP.join(row) for row in extract_places(texts)], index=out.index, dtype=str
        )
    if proba:
        for j, label in enumerate(model.labels):
            out[f"p_{label}"] = np.round(P[:, j], 4)
    if explain:
        out["explain"] = pd.Series(
            [
                json.dumps(model.explain(t, labels=row.split(LABEL_SEP)) if row else {},
                           ensure_ascii=False)
                for t, row in zip(texts, out["labels"])
            ],
            index=out.index,
            dtype=str,
        )
    return out
