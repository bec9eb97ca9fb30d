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
    explain_labels: tuple[str, ...] = (),
    explain_negative: bool = False,
    places: bool = False,
) -> pd.DataFrame:
    """`frame` with a `labels` column (ids joined by ";"), with `places` a `places` column
    (country and Russian federal subject codes joined by ";", see `classifier.places`),
    with `proba` one `p_<label>` column per label, with `explain` a JSON column of the
    terms behind each label.

    `explain_labels` are explained in every row whether given or not; with
    `explain_negative` each explanation also lists the terms that count against the label.

    Every input row gives exactly one output row, in order.
    """
    out = frame.copy()
    texts = out[text_column].fillna("").astype(str).tolist()
    place_lists = None
    if places:
        from .places import extract_places

        # first: building the place tables on the first call leaves no heap holes
        # under the chunk's tagging arrays
        place_lists = extract_places(texts)
    label_lists, P, _ = tag_texts(model, texts, threshold, top_k)
    # dtype given: an empty frame must have str columns too, or Dask/Spark meta breaks
    out["labels"] = pd.Series([LABEL_SEP.join(row) for row in label_lists], index=out.index, dtype=str)
    if place_lists is not None:
        from .places import PLACES_SEP

        out["places"] = pd.Series(
            [PLACES_SEP.join(row) for row in place_lists], index=out.index, dtype=str
        )
    if proba:
        for j, label in enumerate(model.labels):
            out[f"p_{label}"] = np.round(P[:, j], 4)
    if explain:
        out["explain"] = pd.Series(
            [
                json.dumps(_explain(model, t, row, explain_labels, explain_negative),
                           ensure_ascii=False)
                for t, row in zip(texts, out["labels"])
            ],
            index=out.index,
            dtype=str,
        )
    return out


def _explain(model, text: str, row: str, extra: tuple[str, ...], negative: bool) -> dict:
    labels = [label for label in row.split(LABEL_SEP) if label]
    labels += [label for label in extra if label not in labels]
    return model.explain(text, labels=labels, negative=negative) if labels else {}


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
