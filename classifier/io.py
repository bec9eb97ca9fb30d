"""Every input and output format: text articles, CSV, JSONL, stdin; encodings; chunks.

The CLI, train.py and the benchmarks all read through here, so a format or an encoding
is added once. Readers stream: tagging input comes in DataFrame chunks of
`source, paragraph, date, text`, so memory does not grow with the input.

>>> for chunk in iter_paragraphs(["article.txt"]):          # doctest: +SKIP
...     print(chunk[["paragraph", "text"]])
>>> data = read_labelled("data/train.csv")                   # doctest: +SKIP
>>> len(data.texts), data.labels[:2]                         # doctest: +SKIP
(2300, ('industry', 'agro'))
"""
from __future__ import annotations

import contextlib
import csv
import io as _io
import json
import os
import re
import shutil
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .labels import fold_case, likely_typos
from .text import parse_article

__all__ = [
    "InputError",
    "LabelledData",
    "detect_encoding",
    "read_labelled",
    "read_csv_chunks",
    "read_csv_range",
    "csv_layout",
    "CsvLayout",
    "paragraph_frame",
    "check_input",
    "iter_paragraphs",
    "input_kind",
    "expand_inputs",
    "LABEL_SEP",
    "format_chunk",
    "format_for",
    "FORMATS",
    "input_columns",
    "table_frame",
    "text_of",
    "estimate_rows",
]

LABEL_SEP = ";"
CHUNK_ROWS = 10_000
_SAMPLE_BYTES = 1 << 18
_LABEL_ID = re.compile(r"^[^\W_][\w.\-]*$")


class InputError(ValueError):
    """Bad input: the message names the file and the line or column."""


# -- encodings and delimiters --------------------------------------------------------


def detect_encoding(path: str | os.PathLike, sample: bytes | None = None) -> str:
    """Encoding of a file: UTF-8 (with or without BOM) or what charset-normalizer finds.

    >>> detect_encoding("export_from_excel.csv")                 # doctest: +SKIP
    'cp1251'
    """
    if sample is None:
        with open(path, "rb") as fh:
            sample = fh.read(_SAMPLE_BYTES)
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A sample cut inside a multi-byte character is still UTF-8.
        if exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise InputError(f"{path}: cannot detect the text encoding; pass --encoding (e.g. cp1251)")
    enc = best.encoding
    # Russian Excel exports are cp1251; the detector sometimes names a near relative.
    return "cp1251" if enc in ("mac_cyrillic", "cp1125", "cp866", "koi8_u") else enc


def _open_text(path: str | os.PathLike, encoding: str | None) -> tuple[_io.TextIOBase, str]:
    enc = encoding or detect_encoding(path)
    return open(path, encoding=enc, newline=""), enc


def _decode_error(path, enc: str, exc: UnicodeDecodeError, offset: int = 0) -> InputError:
    return InputError(
        f"{path}: cannot decode as {enc} (byte {offset + exc.start}); pass --encoding, "
        "e.g. --encoding cp1251"
    )


def _sniff_sep(header: str, want: str | None) -> str:
    best, best_cols = ",", 0
    for sep in (",", ";", "\t"):
        cols = next(csv.reader([header], delimiter=sep), [])
        names = [c.strip().lower() for c in cols]
        if want and want.lower() in names:
            return sep
        if len(cols) > best_cols:
            best, best_cols = sep, len(cols)
    return best


# -- reading CSV ---------------------------------------------------------------------


@dataclass(frozen=True)
class CsvLayout:
    """What a CSV's header line tells: how to parse the rows that follow it."""

    path: str
    encoding: str  # of the data rows (a BOM stays with the header)
    sep: str
    columns: tuple[str, ...]
    data_start: int  # byte offset of the first data row


def csv_layout(
    path: str | os.PathLike,
    text_column: str | None = "text",
    encoding: str | None = None,
    sep: str | None = None,
) -> CsvLayout:
    """Read a CSV's header: encoding, delimiter, columns and where the data begins.

    A missing `text_column` is an error that lists the columns found.
    """
    enc = encoding or detect_encoding(path)
    with open(path, "rb") as fh:
        raw = fh.readline()
    try:
        header = raw.decode(enc)
    except UnicodeDecodeError as exc:
        raise _decode_error(path, enc, exc) from None
    except LookupError:
        raise InputError(f"{path}: unknown encoding {enc!r}") from None
    if not header.strip():
        raise InputError(f"{path}: empty file, expected a CSV header line")
    header = header.lstrip("\ufeff")
    sep = sep or _sniff_sep(header, text_column)
    line = header.rstrip("\r\n")
    # The csv module takes one-character delimiters only; pandas parses longer ones too.
    columns = next(csv.reader([line], delimiter=sep)) if len(sep) == 1 else line.split(sep)
    columns = tuple(c.strip() for c in columns)
    if text_column is not None and text_column not in columns:
        raise InputError(
            f"{path}: no column {text_column!r}; columns found: {', '.join(map(repr, columns))}"
            " (choose one with --text-column)"
        )
    data_enc = "utf-8" if enc == "utf-8-sig" else enc
    return CsvLayout(str(path), data_enc, sep, columns, len(raw))


def _pandas_rows(fh, layout: CsvLayout, chunksize: int | None):
    return pd.read_csv(
        fh,
        # pandas reads a delimiter longer than one character as a regular expression
        sep=layout.sep if len(layout.sep) == 1 else re.escape(layout.sep),
        names=list(layout.columns),
        header=None,
        dtype=object,  # plain Python str cells, what the tagger consumes
        keep_default_na=False,
        chunksize=chunksize,
        encoding=layout.encoding,
        engine="python" if len(layout.sep) > 1 else "c",
    )


def read_csv_chunks(
    path: str | os.PathLike,
    text_column: str | None = "text",
    encoding: str | None = None,
    sep: str | None = None,
    chunksize: int = CHUNK_ROWS,
    start: int | None = None,
) -> Iterator[pd.DataFrame]:
    """Stream a CSV as DataFrames of strings (missing cells are ""); delimiter detected.

    A missing `text_column` is an error that lists the columns found. `start` is a byte
    offset at a row boundary to begin at instead of the first data row.
    """
    layout = csv_layout(path, text_column, encoding, sep)
    # A binary handle: given a text handle, pandas' C parser buffers far more of the file
    # (peak RSS 264 MB against 142 MB over a 74 MB CSV).
    with open(path, "rb") as fh:
        fh.seek(layout.data_start if start is None else start)
        first = 2
        try:
            for chunk in _pandas_rows(fh, layout, chunksize):
                chunk.index = range(first, first + len(chunk))  # index = data row's line
                first += len(chunk)
                yield chunk
        except UnicodeDecodeError as exc:
            raise _decode_error(path, layout.encoding, exc) from None
        except pd.errors.EmptyDataError:
            return
        except pd.errors.ParserError as exc:
            raise InputError(f"{path}: malformed CSV: {_one_line(exc)}") from None


def read_csv_range(layout: CsvLayout, start: int, end: int, first_line: int = 2) -> pd.DataFrame:
    """The rows in bytes `start:end` of a CSV, which must begin and end at row boundaries
    (see `classifier.csvsplit`); `first_line` is the file line where `start` falls, for
    error messages."""
    with open(layout.path, "rb") as fh:
        fh.seek(start)
        data = fh.read(end - start)
    try:
        return _pandas_rows(_io.BytesIO(data), layout, None)
    except UnicodeDecodeError as exc:
        raise _decode_error(layout.path, layout.encoding, exc, offset=start) from None
    except pd.errors.EmptyDataError:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in layout.columns})
    except pd.errors.ParserError as exc:
        msg = re.sub(r"line (\d+)", lambda m: f"line {int(m.group(1)) + first_line - 1}", _one_line(exc))
        raise InputError(f"{layout.path}: malformed CSV: {msg}") from None


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


# -- labelled data -------------------------------------------------------------------


@dataclass
class LabelledData:
    """Texts with their label lists, as read from a labelled CSV or JSONL file.

    `notes` are things the reader fixed and the user should know (labels merged by case).
    """

    texts: list[str]
    label_lists: list[list[str]]
    labels: tuple[str, ...]
    lines: list[int]
    path: str
    notes: list[str] = field(default_factory=list)


def read_labelled(
    path: str | os.PathLike,
    text_column: str = "text",
    encoding: str | None = None,
    sep: str | None = None,
    check: bool = True,
    labels_column: str = "labels",
) -> LabelledData:
    """Read a labelled CSV in either form, or JSONL.

    Long form: columns `text` and `labels` (ids joined by ";", empty = none; another
    name with `labels_column`). Wide form: a `text` column plus one 0/1 column per label.
    JSONL: one object per line with `text` and `labels` (a list of ids or a ";" string).
    Labels that differ only in case are merged into their most frequent spelling, with a
    note. With `check`, refuse bad label ids, rare labels that look like misspellings of
    another, and identical texts with conflicting labels, naming the lines.
    """
    if input_kind(str(path)) == "jsonl":
        df = _labelled_jsonl(path, text_column, labels_column, encoding)
    else:
        frames = list(read_csv_chunks(path, text_column, encoding, sep))
        df = pd.concat(frames) if frames else pd.DataFrame(columns=[text_column])
    if df.empty:
        raise InputError(f"{path}: no data rows")
    others = [c for c in df.columns if c != text_column]
    if labels_column in df.columns:
        label_lists = [_split_labels(v) for v in df[labels_column]]
        if check:
            _check_ids(path, df.index, label_lists)
    else:
        candidates = [c for c in others if c and c.lower() not in ("id", "source", "paragraph", "date")]
        binary = [c for c in candidates if df[c].str.strip().isin(["0", "1", ""]).all()]
        if not binary:
            raise InputError(
                f"{path}: no labels: no {labels_column!r} column and no 0/1 label columns "
                f"(columns found: {', '.join(map(repr, df.columns))}); name the label column "
                "with --labels-column, or tag unlabelled text with `sectors tag`"
            )
        for col in candidates:
            bad = df.index[~df[col].str.strip().isin(["0", "1", ""])]
            if len(bad):
                raise InputError(
                    f"{path}:{bad[0]}: column {col!r} must hold 0 or 1 (wide form), "
                    f"found {df.at[bad[0], col]!r}"
                )
        if check:
            _check_ids(path, [1], [candidates])
        flags = df[candidates].apply(lambda s: s.str.strip() == "1").to_numpy()
        label_lists = [[candidates[j] for j in row.nonzero()[0]] for row in flags]
    texts = df[text_column].tolist()
    lines = [int(i) for i in df.index]
    label_lists, merged = fold_case(label_lists)
    notes = [
        f"{path}: labels differing only in case merged into {keep!r}: "
        f"{', '.join(map(repr, variants))}"
        for keep, variants in merged.items()
    ]
    if check:
        _check_typos(path, label_lists, lines)
        _check_conflicts(path, texts, label_lists, lines)
    if labels_column in df.columns:
        order = _label_order(label_lists)
    else:
        gone = {v for variants in merged.values() for v in variants}
        order = [c for c in candidates if c not in gone]
    return LabelledData(texts, label_lists, tuple(order), lines, str(path), notes)


def _labelled_jsonl(path, text_column: str, labels_column: str, encoding: str | None) -> pd.DataFrame:
    fh, enc = _open_text(path, encoding)
    rows, index = [], []
    with fh:
        try:
            for line_no, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                record = _json_record(path, line_no, line, text_column)
                text = record[text_column]
                row = {text_column: "" if text is None else str(text)}
                if labels_column in record:
                    labels = record[labels_column]
                    if isinstance(labels, list):
                        labels = LABEL_SEP.join(str(l) for l in labels)
                    row[labels_column] = "" if labels is None else str(labels)
                rows.append(row)
                index.append(line_no)
        except UnicodeDecodeError as exc:
            raise _decode_error(path, enc, exc) from None
    return pd.DataFrame(rows, index=index, dtype=object).fillna("")


def _check_typos(path, label_lists, lines) -> None:
    counts = Counter(l for row in label_lists for l in row)
    for typo, meant in likely_typos(counts).items():
        where = [str(line) for line, row in zip(lines, label_lists) if typo in row]
        raise InputError(
            f"{path}:{where[0]}: label {typo!r} ({counts[typo]} row(s), lines "
            f"{', '.join(where[:10])}) looks like a typo: did you mean {meant!r}?"
        )


def _split_labels(value: str) -> list[str]:
    return [p.strip() for p in str(value).split(LABEL_SEP) if p.strip()]


def _check_ids(path, lines, label_lists) -> None:
    for line, row in zip(lines, label_lists):
        for label in row:
            if not _LABEL_ID.match(label):
                raise InputError(
                    f"{path}:{line}: label {label!r} is not a simple id "
                    f"(letters, digits, '_', '-', '.'; several ids are joined by '{LABEL_SEP}')"
                )


def _check_conflicts(path, texts, label_lists, lines) -> None:
    seen: dict[str, tuple[int, frozenset]] = {}
    for text, labels, line in zip(texts, label_lists, lines):
        key = " ".join(text.split()).lower()
        if not key:
            continue
        prev = seen.get(key)
        if prev is None:
            seen[key] = (line, frozenset(labels))
        elif prev[1] != frozenset(labels):
            raise InputError(
                f"{path}: lines {prev[0]} and {line} hold the same text with different labels "
                f"({';'.join(sorted(prev[1])) or 'none'} vs {';'.join(sorted(labels)) or 'none'})"
            )


def _label_order(label_lists: Sequence[Sequence[str]]) -> list[str]:
    """Labels in the order the data lists them: if rows write «agro;trade», agro comes
    first. Ties and cycles fall back to first appearance."""
    first: dict[str, int] = {}
    before: dict[str, set[str]] = defaultdict(set)
    for row in label_lists:
        for i, label in enumerate(row):
            first.setdefault(label, len(first))
            for later in row[i + 1:]:
                if later != label:
                    before[later].add(label)
    order: list[str] = []
    pending = sorted(first, key=first.get)
    while pending:
        ready = [l for l in pending if not (before[l] - set(order))] or pending[:1]
        order.append(ready[0])
        pending.remove(ready[0])
    return order


# -- output ---------------------------------------------------------------------------

# Output formats and what `-o FILE` picks by extension.
FORMATS = ("csv", "tsv", "excel", "jsonl", "table", "xlsx")
_BY_EXTENSION = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl",
                 ".ndjson": "jsonl", ".txt": "table", ".xlsx": "xlsx"}


def format_for(path: str | None, default: str = "csv") -> str:
    """The output format `-o path` implies: by extension, `default` when unknown.

    >>> format_for("tagged.tsv"), format_for("tagged.xlsx"), format_for("out.dat")
    ('tsv', 'xlsx', 'csv')
    """
    if not path or path == "-":
        return default
    return _BY_EXTENSION.get(Path(path).suffix.lower(), default)


def format_chunk(
    frame: pd.DataFrame,
    fmt: str,
    header: bool,
    columns: Sequence[str] | None = None,
    text_column: str = "text",
    width: int | None = 0,
    thresholds: dict[str, float] | None = None,
) -> str:
    """A tagged chunk as output text: "csv", "tsv", "excel" (";"-separated with decimal
    commas, for Excel in Russian locales), "jsonl" or "table" (a readable view).

    `header` writes the CSV header or the table's column titles (the first chunk).
    `columns` fixes the CSV columns and their order across chunks of several inputs; a
    chunk with a column outside them is an error. The table cuts texts to the terminal
    (`width` 0) or to `width` characters (None: never); with `thresholds` it shows each
    probability over its cut, the assigned labels marked.
    """
    fh = _io.StringIO()
    first = header
    if fmt in ("csv", "tsv", "excel"):
        if columns is not None:
            extra = [c for c in frame.columns if c not in columns]
            if extra:
                source = frame["source"].iloc[0] if "source" in frame and len(frame) else "input"
                raise InputError(
                    f"{source}: column(s) {', '.join(map(repr, extra))} not in the output's "
                    "header (set by the first input); tag inputs with different columns "
                    "separately, or use --format jsonl"
                )
            frame = frame.reindex(columns=list(columns), fill_value="")
        sep = {"csv": ",", "tsv": "\t", "excel": ";"}[fmt]
        frame.to_csv(fh, index=False, header=first, lineterminator="\n", sep=sep,
                     decimal="," if fmt == "excel" else ".")
    elif fmt == "jsonl":
        pcols = [c for c in frame.columns if c.startswith("p_")]
        for rec in frame.to_dict("records"):
            rec["labels"] = [l for l in rec["labels"].split(";") if l]
            if "places" in rec:
                rec["places"] = [c for c in str(rec["places"]).split(";") if c]
            if pcols:
                rec["proba"] = {c[2:]: rec.pop(c) for c in pcols}
            if "explain" in rec:
                rec["explain"] = json.loads(rec["explain"])
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    else:
        _format_table(fh, frame, first, text_column, width, thresholds)
    return fh.getvalue()


_LABELS_WIDTH = 28


def _wrap_labels(labels: str, width: int) -> list[str]:
    """Label ids as lines of at most `width` characters, ", "-separated; "—" for none."""
    ids = [label for label in str(labels).split(LABEL_SEP) if label]
    if not ids:
        return ["—"]
    lines = [""]
    for i, label in enumerate(ids):
        piece = label if len(label) <= width - 1 else label[: width - 2] + "…"
        piece += "," if i < len(ids) - 1 else ""
        candidate = f"{lines[-1]} {piece}" if lines[-1] else piece
        if len(candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(piece)
    return lines


def _format_table(fh, frame, header: bool, text_column: str, width: int | None,
                  thresholds: dict[str, float] | None) -> None:
    if width == 0:
        width = shutil.get_terminal_size((100, 20)).columns
    pcols = [c for c in frame.columns if c.startswith("p_")]
    if header:
        fh.write(f"{'source':<18} {'#':>6}  {'labels':<28} text\n")
        if pcols and thresholds:
            fh.write(f"{'':<27}label probability/cut, * = assigned\n")
    for rec in frame.to_dict("records"):
        text = " ".join(str(rec[text_column if text_column in rec else "text"]).split())
        if width is not None:
            room = max(20, width - 55)
            text = text if len(text) <= room else text[: room - 1] + "…"
        # Labels that do not fit their column continue on lines of their own, so the text
        # column stays where the header put it (chunks are formatted apart).
        label_lines = _wrap_labels(rec["labels"], _LABELS_WIDTH)
        fh.write(
            f"{Path(str(rec['source'])).name[:18]:<18} {rec['paragraph']:>6}  "
            f"{label_lines[0]:<{_LABELS_WIDTH}} {text}\n"
        )
        for more in label_lines[1:]:
            fh.write(f"{'':<27}{more}\n")
        if "places" in rec:
            places = ", ".join(c for c in str(rec["places"]).split(";") if c)
            fh.write(f"{'':<27}places: {places or '—'}\n")
        if pcols:
            given = set(rec["labels"].split(";"))
            if thresholds:
                probs = "  ".join(
                    f"{c[2:]} {rec[c]:.2f}/{thresholds[c[2:]]:.2f}{'*' if c[2:] in given else ''}"
                    for c in pcols
                )
            else:
                probs = "  ".join(f"{c[2:]}={rec[c]:.2f}" for c in pcols)
            fh.write(f"{'':<27}{probs}\n")
        if "explain" in rec and rec["explain"] != "{}":
            for label, terms in json.loads(rec["explain"]).items():
                pros = ", ".join(f"{t} {w:+.2f}" for t, w in terms if w > 0)
                cons = ", ".join(f"{t} {w:+.2f}" for t, w in terms if w < 0)
                mark = "" if label in rec["labels"].split(";") else " (not assigned)"
                line = f"{'':<27}{label}{mark}: {pros or '—'}"
                fh.write(line + (f"  | against: {cons}" if cons else "") + "\n")


# -- paragraphs to tag ---------------------------------------------------------------

# Columns the tagger writes itself; an input column of the same name is kept under
# `input_<name>` so nothing the input held is lost.
_WRITTEN = ("source", "paragraph", "labels", "explain")


def input_kind(name: str, forced: str | None = None) -> str:
    """'txt', 'lines', 'csv' or 'jsonl' for an input path, by extension (or `forced`)."""
    if forced and forced != "auto":
        return forced
    suffix = Path(name).suffix.lower()
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".html", ".htm"):
        return "html"
    return "txt"


# What `sectors tag DIR/` reads from a folder (not its subfolders), in name order.
FOLDER_SUFFIXES = (".html", ".htm", ".txt", ".csv", ".jsonl")


def expand_inputs(inputs: Sequence[str]) -> list[str]:
    """Inputs with each folder replaced by its .html/.htm/.txt/.csv/.jsonl files, sorted."""
    out: list[str] = []
    for name in inputs:
        if name != "-" and os.path.isdir(name):
            found = sorted(
                str(p) for p in Path(name).iterdir()
                if p.is_file() and p.suffix.lower() in FOLDER_SUFFIXES and not p.name.startswith(".")
            )
            if not found:
                raise InputError(f"{name}: no {', '.join(FOLDER_SUFFIXES)} files in this folder")
            out.extend(found)
        else:
            out.append(name)
    return out


def iter_paragraphs(
    inputs: Sequence[str],
    text_column: str = "text",
    encoding: str | None = None,
    sep: str | None = None,
    input_format: str | None = None,
    chunksize: int = CHUNK_ROWS,
    lines: bool = False,
    skip_empty_pages: bool = False,
) -> Iterator[pd.DataFrame]:
    """Stream paragraphs from text articles, CSV, JSONL or "-" (stdin).

    A .txt file is split into paragraphs (`input_format="lines"`: one per non-empty
    line) and yields `source, paragraph, date, text`, the date from its header. A CSV row
    or JSONL record is one paragraph and keeps every input column, in order, then
    `source, paragraph` and `date` if the input has none (see `table_frame`).
    An .html page gives its article's paragraphs, date and URL (`classifier.pages`); a
    folder gives its files. Paragraphs are numbered from 1; `lines=True` adds a `line` column: the line of the
    file where each paragraph starts. A page with no article text is an error when it is
    named, a one-line warning on stderr and skipped when a folder gave it (or with
    `skip_empty_pages`): a folder of saved pages holds index and error pages too.
    """
    listed = set(inputs)
    for name in expand_inputs(inputs):
        if name == "-":
            yield from _stdin_paragraphs(text_column, input_format, chunksize, sep, lines)
            continue
        check_input(name)
        kind = input_kind(name, input_format)
        if kind == "csv":
            n = 0
            for chunk in read_csv_chunks(name, text_column, encoding, sep, chunksize):
                yield table_frame(name, range(n + 1, n + 1 + len(chunk)), chunk, lines)
                n += len(chunk)
        elif kind == "jsonl":
            fh, enc = _open_text(name, encoding)
            with fh:
                yield from _jsonl_paragraphs(name, fh, enc, text_column, chunksize, lines)
        elif kind == "html":
            with open(name, "rb") as fh:
                page = _page_paragraphs(name, fh.read(), skip_empty_pages or name not in listed)
            if page is not None:
                yield page
        else:
            fh, enc = _open_text(name, encoding)
            with fh:
                try:
                    content = fh.read()
                except UnicodeDecodeError as exc:
                    raise _decode_error(name, enc, exc) from None
            yield from _article_paragraphs(name, content, chunksize, kind == "txt", lines)


def input_columns(
    inputs: Sequence[str],
    text_column: str = "text",
    encoding: str | None = None,
    sep: str | None = None,
    input_format: str | None = None,
) -> list[str]:
    """The columns `iter_paragraphs` gives over all `inputs`, in order (a CSV's header and
    a JSONL file's fields are read; stdin is read and kept for `iter_paragraphs`)."""
    out: dict[str, None] = {}
    for name in inputs:
        if name == "-":
            kind, names = _stdin_columns(text_column, input_format, sep)
        else:
            kind = input_kind(name, input_format)
        if name == "-" and kind in ("csv", "jsonl"):
            pass
        elif kind == "csv":
            check_input(name)
            names = csv_layout(name, text_column, encoding, sep).columns
        elif kind == "jsonl":
            check_input(name)
            names = _jsonl_fields(name, encoding)
        else:
            names = ("source", "paragraph", "date", "text")
        if kind in ("csv", "jsonl"):
            names = _kept_names(names) + [c for c in ("source", "paragraph", "date")
                                          if c not in names]
        out.update(dict.fromkeys(names))
    return list(out)


def _kept_names(names) -> list[str]:
    return [f"input_{c}" if c in _WRITTEN or c.startswith("p_") else c for c in names]


def table_frame(source: str, numbers, rows: pd.DataFrame, lines: bool = False) -> pd.DataFrame:
    """CSV rows or JSONL records to tag: every input column in order (one named like a
    column the tagger writes kept as `input_<name>`), then `source`, `paragraph`, and
    `date` if the input has none. `rows.index` holds the file lines."""
    numbers = list(numbers)
    out = rows.copy()
    out.columns = _kept_names(out.columns)
    out["source"] = source
    out["paragraph"] = numbers
    if "date" not in out.columns:
        out["date"] = ""
    if lines:
        out["line"] = [int(i) for i in rows.index]
    return out.reset_index(drop=True)


def text_of(frame: pd.DataFrame, kwargs: dict) -> dict:
    """`tag_frame` keyword arguments for `frame`: an article's paragraphs are in `text`
    whatever column the CSV inputs beside it use."""
    column = kwargs.get("text_column", "text")
    return kwargs if column in frame.columns else {**kwargs, "text_column": "text"}


def check_input(name: str) -> None:
    """Raise `InputError` unless `name` is an existing file."""
    if not os.path.exists(name):
        raise InputError(f"{name}: no such file")
    if os.path.isdir(name):
        raise InputError(f"{name}: is a directory, expected a file")


def paragraph_frame(source: str, numbers, date: str | None, texts) -> pd.DataFrame:
    """Paragraphs to tag as a DataFrame: `source, paragraph, date, text`."""
    texts = list(texts)
    return pd.DataFrame(
        {
            "source": [source] * len(texts),
            "paragraph": list(numbers),
            "date": [date or ""] * len(texts),
            "text": texts,
        }
    )


def _article_paragraphs(source: str, content: str, chunksize: int, wrapped: bool = True,
                        lines: bool = False) -> Iterator[pd.DataFrame]:
    if not content.strip():
        raise InputError(f"{source}: empty file, no paragraphs to tag")
    try:
        article = parse_article(content, wrapped=wrapped)
    except ValueError as exc:  # an impossible date in the header
        raise InputError(f"{source}:1: {exc}") from None
    paras = article.paragraphs
    for start in range(0, len(paras), chunksize):
        part = paras[start:start + chunksize]
        frame = paragraph_frame(source, range(start + 1, start + 1 + len(part)), article.date, part)
        if lines:
            frame["line"] = article.lines[start:start + len(part)]
        yield frame


def _page_paragraphs(name: str, data: bytes, skip_empty: bool = False) -> pd.DataFrame | None:
    from .pages import read_page

    page = read_page(data, name)
    if not page.paragraphs:
        if skip_empty:
            print(f"sectors: warning: {name}: no article text found in this page; skipped",
                  file=sys.stderr)
            return None
        raise InputError(f"{name}: no article text found in this page")
    return paragraph_frame(page.source, range(1, len(page.paragraphs) + 1), page.date,
                           page.paragraphs)


def _json_record(source, line_no: int, line: str, text_column: str) -> dict:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}:{line_no}: malformed JSON: {exc.msg}") from None
    if not isinstance(record, dict) or text_column not in record:
        raise InputError(f"{source}:{line_no}: expected an object with a {text_column!r} field")
    return record


def _jsonl_fields(path, encoding: str | None) -> tuple[str, ...]:
    fh, _ = _open_text(path, encoding)
    fields: dict[str, None] = {}
    with fh:
        for line in fh:
            if line.strip():
                with contextlib.suppress(json.JSONDecodeError):
                    record = json.loads(line)
                    if isinstance(record, dict):
                        fields.update(dict.fromkeys(record))
    return tuple(fields)


def _cell(value):
    # Nested values go out as JSON text, so a CSV cell holds them whole.
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def _jsonl_paragraphs(source, fh, enc, text_column, chunksize, lines=False) -> Iterator[pd.DataFrame]:
    records, numbers = [], []
    line_no = record_no = 0
    try:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            record = _json_record(source, line_no, line, text_column)
            value = record[text_column]
            record = {k: _cell(v) for k, v in record.items()}
            record[text_column] = "" if value is None else str(value)
            records.append(record)
            numbers.append(line_no)
            record_no += 1
            if len(records) >= chunksize:
                yield _records_frame(source, records, numbers, record_no, lines)
                records, numbers = [], []
    except UnicodeDecodeError as exc:
        raise _decode_error(source, enc, exc) from None
    if records:
        yield _records_frame(source, records, numbers, record_no, lines)
    elif record_no == 0:
        raise InputError(f"{source}: empty file, expected JSON lines")


def _records_frame(source, records, line_numbers, last: int, lines: bool) -> pd.DataFrame:
    rows = pd.DataFrame.from_records(records, index=line_numbers).fillna("")
    return table_frame(source, range(last - len(records) + 1, last + 1), rows, lines)


def _looks_like_csv_header(line: str, text_column: str, sep: str | None) -> tuple[bool, list[str]]:
    sep = sep or _sniff_sep(line, text_column)
    names = [c.strip() for c in next(csv.reader([line], delimiter=sep), [])] if len(sep) == 1 else line.split(sep)
    if text_column in names:
        return True, names
    return len(names) > 1 and all(_LABEL_ID.match(n) for n in names), names


_STDIN: list = []  # [the stdin object read, its decoded text, its encoding]


def _stdin_text() -> tuple[str, str]:
    """(decoded stdin, its encoding), read once: the columns are planned before tagging."""
    if not _STDIN or _STDIN[0] is not sys.stdin:
        data = sys.stdin.buffer.read()
        enc = detect_encoding("<stdin>", data[:_SAMPLE_BYTES])
        _STDIN[:] = [sys.stdin, data.decode(enc, errors="replace").lstrip("\ufeff"), enc]
    return _STDIN[1], _STDIN[2]


def _stdin_kind(content: str, text_column: str, input_format: str | None, sep: str | None) -> str:
    if input_format and input_format != "auto":
        return input_format
    if content.lstrip().startswith("{"):
        return "jsonl"
    if content.lstrip().startswith("<"):
        return "html"
    header = content.lstrip().split("\n", 1)[0].rstrip("\r")
    is_csv, names = _looks_like_csv_header(header, text_column, sep)
    if is_csv and text_column not in names:
        raise InputError(
            f"<stdin>: looks like a CSV with columns {', '.join(map(repr, names))} but no "
            f"{text_column!r} column; choose one with --text-column, or pass "
            "--input-format txt (or lines) to tag it as text"
        )
    return "csv" if is_csv else "txt"


def _stdin_columns(text_column, input_format, sep) -> tuple[str, tuple[str, ...]]:
    content, _ = _stdin_text()
    kind = _stdin_kind(content, text_column, input_format, sep)
    if kind == "csv":
        header = content.split("\n", 1)[0].rstrip("\r")
        sep = sep or _sniff_sep(header, text_column)
        return kind, tuple(c.strip() for c in next(csv.reader([header], delimiter=sep), []))
    if kind == "jsonl":
        fields: dict[str, None] = {}
        for line in content.splitlines():
            with contextlib.suppress(json.JSONDecodeError):
                record = json.loads(line) if line.strip() else None
                if isinstance(record, dict):
                    fields.update(dict.fromkeys(record))
        return kind, tuple(fields)
    return kind, ()


def _stdin_paragraphs(text_column, input_format, chunksize, sep=None, lines=False) -> Iterator[pd.DataFrame]:
    content, enc = _stdin_text()
    kind = _stdin_kind(content, text_column, input_format, sep)
    if kind == "html":
        yield _page_paragraphs("<stdin>", content.encode("utf-8"))
    elif kind == "jsonl":
        yield from _jsonl_paragraphs("<stdin>", _io.StringIO(content), enc, text_column, chunksize, lines)
    elif kind == "csv":
        header = content.split("\n", 1)[0]
        sep = sep or _sniff_sep(header, text_column)
        try:
            reader = pd.read_csv(_io.StringIO(content), sep=sep, dtype=object, keep_default_na=False,
                                 chunksize=chunksize, engine="python" if len(sep) > 1 else "c")
            n = 0
            for chunk in reader:
                if text_column not in chunk.columns:
                    raise InputError(
                        f"<stdin>: no column {text_column!r}; columns found: "
                        f"{', '.join(map(repr, chunk.columns))} (choose one with --text-column)"
                    )
                chunk.index = range(n + 2, n + 2 + len(chunk))
                yield table_frame("<stdin>", range(n + 1, n + 1 + len(chunk)), chunk, lines)
                n += len(chunk)
        except pd.errors.ParserError as exc:
            raise InputError(f"<stdin>: malformed CSV: {_one_line(exc)}") from None
        except pd.errors.EmptyDataError:
            raise InputError("<stdin>: empty input, expected a CSV header line") from None
    else:
        yield from _article_paragraphs("<stdin>", content, chunksize, kind != "lines", lines)


def estimate_rows(inputs: Sequence[str], input_format: str | None = None) -> int | None:
    """About how many paragraphs `inputs` hold, for a progress bar: the line count of CSV
    and JSONL files (a quoted newline counts one too many); None if any input is an
    article or stdin, whose paragraphs are known only once read."""
    total = 0
    for name in inputs:
        kind = "txt" if name == "-" else input_kind(name, input_format)
        if kind not in ("csv", "jsonl") or not os.path.isfile(name):
            return None
        with open(name, "rb") as fh:
            lines = sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 24), b""))
        total += max(0, lines - (kind == "csv"))
    return total
