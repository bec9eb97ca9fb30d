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

import csv
import io as _io
import json
import os
import re
import shutil
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

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
    """Texts with their label lists, as read from a labelled CSV."""

    texts: list[str]
    label_lists: list[list[str]]
    labels: tuple[str, ...]
    lines: list[int]
    path: str


def read_labelled(
    path: str | os.PathLike,
    text_column: str = "text",
    encoding: str | None = None,
    sep: str | None = None,
    check: bool = True,
) -> LabelledData:
    """Read a labelled CSV in either form.

    Long form: columns `text` and `labels` (ids joined by ";", empty = none).
    Wide form: a `text` column plus one 0/1 column per label.
    With `check`, refuse bad label ids and identical texts with conflicting labels,
    naming the line numbers.
    """
    frames = list(read_csv_chunks(path, text_column, encoding, sep))
    df = pd.concat(frames) if frames else pd.DataFrame(columns=[text_column])
    if df.empty:
        raise InputError(f"{path}: no data rows")
    others = [c for c in df.columns if c != text_column]
    if "labels" in df.columns:
        label_lists = [_split_labels(v) for v in df["labels"]]
        if check:
            _check_ids(path, df.index, label_lists)
        order = _label_order(label_lists)
    else:
        wide = [c for c in others if c and c.lower() not in ("id", "source", "paragraph", "date")]
        if not wide:
            raise InputError(
                f"{path}: no 'labels' column and no 0/1 label columns; columns found: "
                f"{', '.join(map(repr, df.columns))}"
            )
        for col in wide:
            bad = df.index[~df[col].str.strip().isin(["0", "1", ""])]
            if len(bad):
                raise InputError(
                    f"{path}: column {col!r} must hold 0 or 1 (wide form), "
                    f"line {bad[0]} has {df.at[bad[0], col]!r}"
                )
        if check:
            _check_ids(path, [1], [wide])
        flags = df[wide].apply(lambda s: s.str.strip() == "1").to_numpy()
        label_lists = [[wide[j] for j in row.nonzero()[0]] for row in flags]
        order = list(wide)
    texts = df[text_column].tolist()
    lines = [int(i) for i in df.index]
    if check:
        _check_conflicts(path, texts, label_lists, lines)
    return LabelledData(texts, label_lists, tuple(order), lines, str(path))


def _split_labels(value: str) -> list[str]:
    return [p.strip() for p in str(value).split(LABEL_SEP) if p.strip()]


def _check_ids(path, lines, label_lists) -> None:
    for line, row in zip(lines, label_lists):
        for label in row:
            if not _LABEL_ID.match(label):
                raise InputError(
                    f"{path}: line {line}: label {label!r} is not a simple id "
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


_LABELS_WIDTH = 28


def _wrap_labels(labels: str, width: int) -> list[str]:
    """Label ids as lines of at most `width` characters, ", "-separated; "—" for none."""
    ids = [l for l in str(labels).split(LABEL_SEP) if l]
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


def format_chunk(frame: pd.DataFrame, fmt: str, header: bool) -> str:
    """A tagged chunk as output text: "csv", "jsonl" or "table" (a readable terminal view).

    `header` writes the CSV header or the table's column titles (the first chunk).
    """
    fh = _io.StringIO()
    first = header
    if fmt == "csv":
        frame.to_csv(fh, index=False, header=first, lineterminator="\n")
    elif fmt == "jsonl":
        pcols = [c for c in frame.columns if c.startswith("p_")]
        for rec in frame.to_dict("records"):
            rec["labels"] = [l for l in rec["labels"].split(";") if l]
            if pcols:
                rec["proba"] = {c[2:]: rec.pop(c) for c in pcols}
            if "explain" in rec:
                rec["explain"] = json.loads(rec["explain"])
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    else:
        width = shutil.get_terminal_size((100, 20)).columns
        if first:
            fh.write(f"{'source':<18} {'#':>6}  {'labels':<{_LABELS_WIDTH}} text\n")
        pcols = [c for c in frame.columns if c.startswith("p_")]
        indent = " " * 27  # under the labels column: source 18, space, # 6, two spaces
        for rec in frame.to_dict("records"):
            room = max(20, width - 28 - _LABELS_WIDTH)
            text = " ".join(str(rec["text"]).split())
            text = text if len(text) <= room else text[: room - 1] + "…"
            # Labels that do not fit the column continue on lines of their own, so the
            # text column stays where the header put it (chunks are formatted apart).
            label_lines = _wrap_labels(rec["labels"], _LABELS_WIDTH)
            fh.write(
                f"{Path(str(rec['source'])).name[:18]:<18} {rec['paragraph']:>6}  "
                f"{label_lines[0]:<{_LABELS_WIDTH}} {text}\n"
            )
            for more in label_lines[1:]:
                fh.write(f"{indent}{more}\n")
            if pcols:
                probs = "  ".join(f"{c[2:]}={rec[c]:.2f}" for c in pcols)
                fh.write(f"{indent}{probs}\n")
            if "explain" in rec and rec["explain"] != "{}":
                for label, terms in json.loads(rec["explain"]).items():
                    shown = ", ".join(f"{t} {w:+.2f}" for t, w in terms)
                    fh.write(f"{indent}{label}: {shown}\n")
    return fh.getvalue()



# -- paragraphs to tag ---------------------------------------------------------------


def input_kind(name: str, forced: str | None = None) -> str:
    """'txt', 'csv' or 'jsonl' for an input path, by extension (or `forced`)."""
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
) -> Iterator[pd.DataFrame]:
    """Stream paragraphs from text articles, CSV, JSONL or "-" (stdin).

    Yields DataFrames with columns `source, paragraph, date, text`; every CSV row and
    JSONL record is one paragraph, numbered from 1; a .txt file is split into paragraphs
    and its `date YYYY-MM-DD` header goes to the `date` column; an .html page gives its
    article's paragraphs, date and URL (`classifier.pages`); a folder gives its files.
    """
    for name in expand_inputs(inputs):
        if name == "-":
            yield from _stdin_paragraphs(text_column, input_format, chunksize)
            continue
        check_input(name)
        kind = input_kind(name, input_format)
        if kind == "csv":
            n = 0
            for chunk in read_csv_chunks(name, text_column, encoding, sep, chunksize):
                yield paragraph_frame(name, range(n + 1, n + 1 + len(chunk)), None, chunk[text_column])
                n += len(chunk)
        elif kind == "jsonl":
            fh, enc = _open_text(name, encoding)
            with fh:
                yield from _jsonl_paragraphs(name, fh, enc, text_column, chunksize)
        elif kind == "html":
            with open(name, "rb") as fh:
                yield _page_paragraphs(name, fh.read())
        else:
            fh, enc = _open_text(name, encoding)
            with fh:
                try:
                    content = fh.read()
                except UnicodeDecodeError as exc:
                    raise _decode_error(name, enc, exc) from None
            yield from _article_paragraphs(name, content, chunksize)


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


def _article_paragraphs(source: str, content: str, chunksize: int) -> Iterator[pd.DataFrame]:
    if not content.strip():
        raise InputError(f"{source}: empty file, no paragraphs to tag")
    article = parse_article(content)
    paras = article.paragraphs
    for start in range(0, len(paras), chunksize):
        part = paras[start:start + chunksize]
        yield paragraph_frame(source, range(start + 1, start + 1 + len(part)), article.date, part)


def _page_paragraphs(name: str, data: bytes) -> pd.DataFrame:
    from .pages import read_page

    page = read_page(data, name)
    if not page.paragraphs:
        raise InputError(f"{name}: no article text found in this page")
    return paragraph_frame(page.source, range(1, len(page.paragraphs) + 1), page.date,
                           page.paragraphs)


def _jsonl_paragraphs(source, fh, enc, text_column, chunksize) -> Iterator[pd.DataFrame]:
    numbers, texts = [], []
    line_no = record_no = 0
    try:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{source}: line {line_no}: malformed JSON: {exc.msg}") from None
            if not isinstance(record, dict) or text_column not in record:
                raise InputError(
                    f"{source}: line {line_no}: expected an object with a {text_column!r} field"
                )
            value = record[text_column]
            texts.append("" if value is None else str(value))
            record_no += 1
            numbers.append(record_no)
            if len(texts) >= chunksize:
                yield paragraph_frame(source, numbers, None, texts)
                numbers, texts = [], []
    except UnicodeDecodeError as exc:
        raise _decode_error(source, enc, exc) from None
    if texts:
        yield paragraph_frame(source, numbers, None, texts)
    elif record_no == 0:
        raise InputError(f"{source}: empty file, expected JSON lines")


def _stdin_paragraphs(text_column, input_format, chunksize) -> Iterator[pd.DataFrame]:
    data = sys.stdin.buffer.read()
    enc = detect_encoding("<stdin>", data[:_SAMPLE_BYTES])
    content = data.decode(enc, errors="replace")
    start = content.lstrip()[:1]
    kind = input_format if input_format and input_format != "auto" else (
        "jsonl" if start == "{" else "html" if start == "<" else "txt"
    )
    if kind == "html":
        yield _page_paragraphs("<stdin>", data)
    elif kind == "jsonl":
        yield from _jsonl_paragraphs("<stdin>", _io.StringIO(content), enc, text_column, chunksize)
    elif kind == "csv":
        tmp = _io.StringIO(content)
        header = tmp.readline()
        sep = _sniff_sep(header, text_column)
        df = pd.read_csv(_io.StringIO(content), sep=sep, dtype=str, keep_default_na=False)
        if text_column not in df.columns:
            raise InputError(
                f"<stdin>: no column {text_column!r}; columns found: {', '.join(map(repr, df.columns))}"
            )
        yield paragraph_frame("<stdin>", range(1, len(df) + 1), None, df[text_column])
    else:
        yield from _article_paragraphs("<stdin>", content, chunksize)
