"""Tag paragraphs on a Dask cluster, or in any engine that runs pandas UDFs (Spark).

Needs the ``[dask]`` extra (``pip install 'sectors[dask]'``) for `tag_dask`; `tag_pandas`
needs only pandas. Both give the columns `tag_frame` gives (the input columns, then
``labels``, then ``places`` with ``places=True``, then ``p_<label>`` with ``proba=True``,
then ``explain`` with ``explain=True``),
so a Dask or Spark job writes the same table as ``sectors tag``.

>>> import dask.dataframe as dd
>>> df = dd.read_parquet("paragraphs/")                                 # doctest: +SKIP
>>> tag_dask(df, model_path="/shared/models/sectors.joblib").to_parquet("tagged/")  # doctest: +SKIP

Only the model's path travels in the task graph. Each worker process loads the model on
its first partition and keeps it for the life of the process (the ``--jobs`` workers of
``sectors tag`` instead inherit the parent's loaded model, see `classifier.parallel`).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .persist import default_model_path, load_model, read_card

if TYPE_CHECKING:
    import dask.dataframe

__all__ = ["tag_dask", "tag_pandas"]

# Per-process cache: resolved path -> (file stamp, model). The stamp (mtime, size) is
# part of the key because Dask workers outlive jobs: a model retrained to the same path
# must be picked up, not silently served from the old copy.
_MODELS: dict[str, tuple[tuple[int, int], object]] = {}
# A Dask worker runs several threads; without the lock each would unpickle its own copy
# on the first partitions, multiplying peak memory by the thread count.
_LOCK = threading.Lock()


def _cached_model(model_path: str | os.PathLike | None):
    path = Path(model_path) if model_path is not None else default_model_path()
    key = os.fspath(path)
    try:
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = (0, 0)  # let load_model raise its own clear "model file not found"
    with _LOCK:
        hit = _MODELS.get(key)
        if hit is None or hit[0] != stamp:
            _MODELS[key] = (stamp, load_model(path))
        return _MODELS[key][1]


def _string_dtype():
    # The dtype pandas infers for a column of str (object on pandas 2, "str" on pandas 3),
    # i.e. what tag_frame writes for a non-empty frame.
    return pd.Series([""]).dtype


def tag_pandas(
    frame: pd.DataFrame,
    text_column: str = "text",
    model_path: str | os.PathLike | None = None,
    proba: bool = False,
    explain: bool = False,
    threshold: float | None = None,
    top_k: int | None = None,
    places: bool = False,
) -> pd.DataFrame:
    """`tag_frame` with the model at `model_path` (None: the shipped model), loaded once
    per process. A pandas UDF for Spark's ``mapInPandas`` or any other engine.

    >>> tag_pandas(pd.DataFrame({"text": ["Экспорт зерна вырос"]}))   # doctest: +SKIP
                      text       labels
    0  Экспорт зерна вырос  agro;trade
    """
    from .tagging import tag_frame

    return tag_frame(_cached_model(model_path), frame, text_column=text_column,
                     proba=proba, explain=explain, threshold=threshold, top_k=top_k,
                     places=places)


def tag_dask(
    df: dask.dataframe.DataFrame,
    text_column: str = "text",
    model_path: str | os.PathLike | None = None,
    proba: bool = False,
    explain: bool = False,
    threshold: float | None = None,
    top_k: int | None = None,
    places: bool = False,
) -> dask.dataframe.DataFrame:
    """Lazily tag `df[text_column]` partition by partition; returns a Dask DataFrame with
    the columns of `tag_frame`, in the same partitions, index and row order as `df`.

    `model_path` must be readable at the same path on every worker (a shared disk, or
    the shipped model with None). With ``proba=True`` it is also read on the client, to
    take the label list for the ``p_<label>`` columns from the model's JSON card without
    unpickling the model there.

    >>> df = dd.read_parquet("paragraphs/")                        # doctest: +SKIP
    >>> tagged = tag_dask(df, model_path="/shared/sectors.joblib", proba=True)  # doctest: +SKIP
    >>> tagged.to_parquet("tagged/")                               # doctest: +SKIP
    """
    if text_column not in df.columns:
        raise KeyError(f"no column {text_column!r} in the Dask DataFrame; "
                       f"columns: {list(df.columns)}")
    if top_k is not None and top_k < 1:
        # fail here, not in the first task on a worker
        raise ValueError(f"top_k must be at least 1, got {top_k}")
    # Built by the same column assignments tag_frame makes, so an existing `labels`
    # column keeps its position, as it does in every partition.
    meta = df._meta.copy()
    meta["labels"] = pd.Series([], index=meta.index, dtype=_string_dtype())
    if places:
        meta["places"] = pd.Series([], index=meta.index, dtype=_string_dtype())
    if proba:
        path = model_path if model_path is not None else default_model_path()
        for label in read_card(path)["labels"]:
            meta[f"p_{label}"] = pd.Series([], index=meta.index, dtype="float64")
    if explain:
        meta["explain"] = pd.Series([], index=meta.index, dtype=_string_dtype())
    # The path, not the model, goes into the graph: a pickled model in every task would
    # be shipped from the client and deserialised once per partition.
    return df.map_partitions(
        tag_pandas,
        text_column=text_column,
        model_path=None if model_path is None else os.fspath(model_path),
        proba=proba,
        explain=explain,
        threshold=threshold,
        top_k=top_k,
        places=places,
        meta=meta,
    )
