"""Tag inputs in several worker processes, in order, with bounded memory.

Workers get the parent's loaded model once, at start. For a CSV file the parent only finds row boundaries
(`classifier.csvsplit`) and each worker reads, parses, tags and formats its own byte
range, returning encoded output: on two cores the parent's share is small enough that
two workers get nearly all of both. Other inputs (articles, JSONL, stdin, CSVs the byte
split cannot handle) are read by the parent and sent in DataFrame chunks. At most two
tasks per worker are in flight, so a huge input is never read ahead into memory.

>>> for n, data in tag_parallel(["big.csv"], load_model(), jobs=2):   # doctest: +SKIP
...     out.write(data)
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

from .csvsplit import RANGE_BYTES, ByteRange, Unsplittable, csv_ranges
from .io import (
    CHUNK_ROWS,
    CsvLayout,
    InputError,
    check_input,
    csv_layout,
    expand_inputs,
    format_chunk,
    input_kind,
    iter_paragraphs,
    read_csv_chunks,
    read_csv_range,
    table_frame,
    text_of,
)
from .tagging import tag_frame

__all__ = ["tag_parallel"]

_worker_model = None


def _init(model) -> None:
    global _worker_model
    _worker_model = model


def _tag_chunk(frame: pd.DataFrame, fmt: str, header: bool, kwargs: dict,
               fmt_options: dict) -> tuple[int, bytes]:
    tagged = tag_frame(_worker_model, frame, **text_of(frame, kwargs))
    return len(tagged), format_chunk(tagged, fmt, header, **fmt_options).encode("utf-8")


def _tag_range(
    layout: CsvLayout, part: ByteRange, text_column: str, number: int, fmt: str,
    header: bool, kwargs: dict, fmt_options: dict,
) -> tuple[int, bytes]:
    rows = read_csv_range(layout, part.start, part.end, part.first_line)
    if len(rows) != part.rows:  # the split and the parser disagree: never guess numbers
        raise InputError(
            f"{layout.path}: lines from {part.first_line}: found {part.rows} rows by quote "
            f"parity, the CSV parser {len(rows)}; rerun with --jobs 1"
        )
    frame = table_frame(layout.path, range(number, number + len(rows)), rows)
    return _tag_chunk(frame, fmt, header, kwargs, fmt_options)


def _tasks(inputs: Sequence[str], text_column: str, encoding: str | None, sep: str | None,
           input_format: str | None, chunksize: int, range_bytes: int) -> Iterator[tuple]:
    """(function, arguments) per unit of work, in output order; header flag added later."""
    for name in expand_inputs(inputs):
        if name == "-" or input_kind(name, input_format) != "csv":
            for chunk in iter_paragraphs([name], text_column, encoding, sep, input_format,
                                         chunksize, skip_empty_pages=name not in inputs):
                yield _tag_chunk, (chunk,)
            continue
        check_input(name)
        layout = csv_layout(name, text_column, encoding, sep)
        number = 1
        try:
            for part in csv_ranges(layout, range_bytes):
                yield _tag_range, (layout, part, text_column, number)
                number += part.rows
        except Unsplittable as stop:
            # Row by row from the first row not yet handed out, numbering on.
            for chunk in read_csv_chunks(name, text_column, encoding, sep, chunksize, stop.offset):
                frame = table_frame(name, range(number, number + len(chunk)), chunk)
                number += len(chunk)
                yield _tag_chunk, (frame,)


def tag_parallel(
    inputs: Sequence[str],
    model,
    jobs: int,
    fmt: str = "csv",
    text_column: str = "text",
    encoding: str | None = None,
    sep: str | None = None,
    input_format: str | None = None,
    chunksize: int = CHUNK_ROWS,
    range_bytes: int = RANGE_BYTES,
    fmt_options: dict | None = None,
    **kwargs,
) -> Iterator[tuple[int, bytes]]:
    """Yield (paragraph count, UTF-8 output in format `fmt`) per unit of work, in input
    order; the first unit carries the header. `kwargs` go to `tag_frame`, `fmt_options`
    to `format_chunk`.

    `model` is a loaded model: the parent loads it once, so a bad model file is one clear
    error before any worker starts, and forked workers inherit it without reading it again.
    """
    tasks = _tasks(inputs, text_column, encoding, sep, input_format, chunksize, range_bytes)
    kwargs = {**kwargs, "text_column": text_column}
    with ProcessPoolExecutor(jobs, initializer=_init, initargs=(model,)) as pool:
        pending: deque = deque()
        for i, (fn, args) in enumerate(tasks):
            pending.append(pool.submit(fn, *args, fmt, i == 0, kwargs, fmt_options or {}))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
