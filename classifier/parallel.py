"""Tag chunks of paragraphs in several worker processes, in order, with bounded memory.

Each worker loads the model once; at most two chunks per worker are in flight, so a
huge input is never read ahead into memory.

>>> for frame in tag_parallel(iter_paragraphs(["big.csv"]), None, jobs=2):   # doctest: +SKIP
...     frame.to_csv(out, header=False)
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

from .persist import load_model
from .io import format_chunk
from .tagging import tag_frame

__all__ = ["tag_parallel"]

_worker_model = None


def _init(model_path: str | None) -> None:
    global _worker_model
    _worker_model = load_model(model_path)


def _work(chunk: pd.DataFrame, kwargs: dict, fmt: str | None, header: bool):
    frame = tag_frame(_worker_model, chunk, **kwargs)
    return frame if fmt is None else (len(frame), format_chunk(frame, fmt, header))


def tag_parallel(
    chunks: Iterable[pd.DataFrame],
    model_path: str | None,
    jobs: int,
    fmt: str | None = None,
    **kwargs,
) -> Iterator:
    """Yield `tag_frame(model, chunk, **kwargs)` for each chunk, in input order; with
    `fmt`, (row count, `format_chunk` text) instead, so workers also do the formatting
    and the parent only reads and writes."""
    with ProcessPoolExecutor(jobs, initializer=_init, initargs=(model_path,)) as pool:
        pending: deque = deque()
        for i, chunk in enumerate(chunks):
            pending.append(pool.submit(_work, chunk, kwargs, fmt, i == 0))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
