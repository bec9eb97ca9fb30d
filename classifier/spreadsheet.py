"""Tagged output as an .xlsx workbook (the `excel` extra: openpyxl).

The tagger formats chunks as CSV text; `xlsx_output` gives a file-like object that
takes that text and writes its rows to one sheet, numbers as numbers, and saves the
workbook atomically when the block ends.

>>> with xlsx_output("tagged.xlsx") as fh:                      # doctest: +SKIP
...     fh.write("text,labels,p_agro\\nЭкспорт зерна,agro,0.91\\n")
"""
from __future__ import annotations

import contextlib
import csv
import io
import os
from collections.abc import Iterator

from .persist import atomic_write

__all__ = ["check_xlsx_writer", "xlsx_output", "XLSX_MAX_ROWS"]

XLSX_MAX_ROWS = 1_048_576
_NUMERIC = ("paragraph", "p_")


def check_xlsx_writer() -> None:
    """Raise an ImportError naming the extra to install when openpyxl is missing."""
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise ImportError(
            "writing .xlsx needs openpyxl: pip install 'sectors[excel]' "
            "(or write -o tagged.csv, or --excel for a CSV Excel opens)"
        ) from None


class _SheetWriter:
    """File-like: `write` takes CSV text (the first chunk with its header)."""

    def __init__(self, sheet):
        self._sheet = sheet
        self._header: list[str] | None = None
        self._numeric: list[bool] = []
        self.rows = 0

    def write(self, text: str) -> int:
        for row in csv.reader(io.StringIO(text)):
            if self._header is None:
                self._header = row
                self._numeric = [c == "paragraph" or c.startswith("p_") for c in row]
                self._sheet.append(row)
                continue
            self.rows += 1
            if self.rows >= XLSX_MAX_ROWS:
                raise ValueError(
                    f"more than {XLSX_MAX_ROWS - 1:,} rows do not fit in an .xlsx sheet; "
                    "write .csv instead"
                )
            self._sheet.append([_number(v) if num else v for v, num in zip(row, self._numeric)])
        return len(text)

    def flush(self) -> None:
        pass


def _number(value: str):
    try:
        return int(value) if value.isdigit() else float(value)
    except ValueError:
        return value


@contextlib.contextmanager
def xlsx_output(path: str | os.PathLike) -> Iterator[_SheetWriter]:
    """A writer of CSV text into one sheet of a new workbook saved atomically at `path`."""
    check_xlsx_writer()
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("tagged")
    writer = _SheetWriter(sheet)
    yield writer
    with atomic_write(path, "wb") as fh:
        book.save(fh)
