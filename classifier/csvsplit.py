"""Split a CSV file into byte ranges that begin and end at row boundaries.

`sectors tag --jobs N` hands each worker a byte range to read and parse itself, so the
parent process does no per-row work: it only scans the raw bytes, with numpy, for the
newlines that end rows, and counts the rows so paragraphs keep their numbers.

A newline ends a row when an even number of quote characters precede it in the range
(a quoted field opens and closes with one quote; a quote inside it is doubled). That
holds for every CSV a CSV writer produces. It does not hold for hand-made oddities the
pandas parser tolerates, such as a quote in the middle of an unquoted field or bare
carriage-return line ends; where one appears, `Unsplittable` is raised with the offset
of the first row not yet covered, and the caller reads on from there row by row.

>>> layout = csv_layout("big.csv")                              # doctest: +SKIP
>>> for part in csv_ranges(layout):                            # doctest: +SKIP
...     frame = read_csv_range(layout, part.start, part.end)   # len(frame) == part.rows
"""
from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .io import CsvLayout

__all__ = ["ByteRange", "Unsplittable", "csv_ranges", "splittable"]

RANGE_BYTES = 4 << 20
_QUOTE, _LF, _CR, _SPACE, _TAB = 34, 10, 13, 32, 9


@dataclass(frozen=True)
class ByteRange:
    """Bytes `start:end` of a file hold `rows` CSV rows; `start` falls on line `first_line`."""

    start: int
    end: int
    rows: int
    first_line: int


class Unsplittable(Exception):
    """The CSV cannot be split by quote parity from byte `offset` (line `line`) on."""

    def __init__(self, offset: int, line: int, reason: str):
        super().__init__(f"byte {offset} (line {line}): {reason}")
        self.offset, self.line, self.reason = offset, line, reason


def splittable(layout: CsvLayout) -> bool:
    """Whether the file's encoding and delimiter allow splitting on raw bytes: the quote,
    the delimiter and line ends must be the single ASCII bytes they are in UTF-8 or
    cp1251 (not so in UTF-16)."""
    name = codecs.lookup(layout.encoding).name
    if name.startswith(("utf-16", "utf-32", "utf-7")) or len(layout.sep) != 1:
        return False
    probe = '"\r\n ' + layout.sep
    try:
        return probe.encode(layout.encoding) == probe.encode("ascii")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False


def csv_ranges(layout: CsvLayout, size: int = RANGE_BYTES) -> Iterator[ByteRange]:
    """Consecutive ranges of about `size` bytes covering the data rows of a CSV.

    Raises `Unsplittable` where the quote-parity rule cannot be trusted; the ranges
    yielded before that are exact.
    """
    if not splittable(layout):
        raise Unsplittable(layout.data_start, 2, "encoding or delimiter not byte-splittable")
    sep = layout.sep.encode("ascii")[0]
    with open(layout.path, "rb") as fh:
        fh.seek(layout.data_start)
        start, line, buf, eof = layout.data_start, 2, b"", False
        want = size
        while True:
            while len(buf) < want and not eof:
                more = fh.read(want - len(buf))
                eof = not more
                buf += more
            if not buf:
                return
            found = _scan(buf, eof, sep)
            if found is None:  # one row longer than the buffer: read further
                want = len(buf) + size
                continue
            if isinstance(found, str):
                raise Unsplittable(start, line, found)
            cut, rows, newlines = found
            yield ByteRange(start, start + cut, rows, line)
            start, line, buf, want = start + cut, line + newlines, buf[cut:], size


def _scan(buf: bytes, eof: bool, sep: int):
    """(cut, rows, newlines) for the longest run of whole rows at the start of `buf`;
    None if no row ends in it; a reason string if the quote-parity rule fails."""
    a = np.frombuffer(buf, np.uint8)
    n = len(a)
    quotes = np.flatnonzero(a == _QUOTE)
    newlines = np.flatnonzero(a == _LF)
    # A newline ends a row when an even number of quotes precede it.
    ends = newlines[(np.searchsorted(quotes, newlines) & 1) == 0]
    # Quotes are checked over the whole buffer, so a stray one is found at once rather
    # than after reading the rest of the file in search of a row end.
    ok_around = np.zeros(256, dtype=bool)
    ok_around[[sep, _LF, _CR, _QUOTE]] = True
    opening, closing = quotes[0::2], quotes[1::2]
    # An opening quote starts a field (or doubles a quote inside one) ...
    if not ok_around[a[opening[opening > 0] - 1]].all():
        return "a quote inside an unquoted field"
    # ... and a closing quote ends it (or is doubled).
    after = closing + 1
    if not ok_around[a[after[after < n]]].all():
        return "text after a closing quote"
    if eof:
        cut = n
        if len(quotes) % 2:
            return "a quoted field is not closed at the end of the file"
    elif len(ends):
        cut = int(ends[-1]) + 1
    else:
        return None
    cr = np.flatnonzero(a[:cut] == _CR)
    bare = cr[a[np.minimum(cr + 1, n - 1)] != _LF] if len(cr) else cr
    if len(cr) and cr[-1] == n - 1:
        bare = np.append(bare, cr[-1])
    # pandas also ends rows at a lone carriage return (old Mac files); inside quotes it is text.
    if len(bare) and ((np.searchsorted(quotes, bare) & 1) == 0).any():
        return "a carriage return without a newline"

    ends = ends[ends < cut]
    if not len(ends) or int(ends[-1]) + 1 != cut:  # the file's last row has no newline
        ends = np.append(ends, cut)
    starts = np.concatenate(([0], ends[:-1] + 1))
    # pandas skips lines of spaces (and tabs, unless tab is the delimiter). Only rows that
    # are empty or start with such a byte can be blank; those few are checked one by one.
    blank = np.zeros(256, dtype=bool)
    blank[[_SPACE, _CR, _LF] + ([] if sep == _TAB else [_TAB])] = True
    maybe = (starts == ends) | blank[a[np.minimum(starts, n - 1)]]
    strip = b" \r\n" if sep == _TAB else b" \t\r\n"
    blanks = sum(1 for s, e in zip(starts[maybe].tolist(), ends[maybe].tolist())
                 if not buf[s:e].strip(strip))
    rows = len(ends) - blanks
    return cut, rows, int(np.count_nonzero(newlines < cut))
