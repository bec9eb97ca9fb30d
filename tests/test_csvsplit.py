"""Byte ranges for --jobs workers: together they hold exactly the rows pandas reads."""
import csv
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier.csvsplit import Unsplittable, csv_ranges, splittable
from classifier.io import CsvLayout, csv_layout, read_csv_chunks, read_csv_range

CELL = st.lists(
    st.sampled_from(list('аяё ЗАВОД"\n\r,;\t') + ["зерно", "«нефть»", '""']), max_size=12
).map("".join)


def whole(path, **kw):
    frames = list(read_csv_chunks(path, **kw))
    return pd.concat(frames, ignore_index=True) if frames else None


def by_ranges(path, size, **kw):
    """Rows read range by range, then row by row from where a split stops (as --jobs does)."""
    layout = csv_layout(path, **kw)
    parts = []
    try:
        for part in csv_ranges(layout, size):
            parts.append(part)
    except Unsplittable as stop:
        rest = list(read_csv_chunks(path, start=stop.offset, **kw))
    else:
        rest = []
    frames = [read_csv_range(layout, p.start, p.end, p.first_line) for p in parts]
    assert [len(f) for f in frames] == [p.rows for p in parts]
    assert all(a.end == b.start for a, b in zip(parts, parts[1:]))
    frames = [f for f in frames + rest if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else None, parts


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.tuples(CELL, CELL), max_size=25),
    terminator=st.sampled_from(["\n", "\r\n"]),
    blank_every=st.integers(0, 4),
    trailing=st.booleans(),
    size=st.integers(1, 64),
)
def test_ranges_hold_exactly_the_rows_pandas_reads(tmp_path, rows, terminator, blank_every, trailing, size):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=terminator)
    writer.writerow(["text", "labels"])
    for i, row in enumerate(rows):
        writer.writerow(row)
        if blank_every and i % blank_every == 0:
            buf.write(terminator if i % 2 else "   \t" + terminator)  # pandas skips both
    content = buf.getvalue()
    if not trailing:
        content = content[: -len(terminator)] if rows else content
    path = tmp_path / "rows.csv"
    path.write_bytes(content.encode("utf-8"))
    expected = whole(path)
    got, parts = by_ranges(path, size)
    if expected is None or got is None:
        assert (0 if expected is None else len(expected)) == (0 if got is None else len(got))
    else:
        pd.testing.assert_frame_equal(got, expected)


def test_ranges_cover_a_cp1251_file_and_count_lines(tmp_path):
    text = "text\n" + "".join(f'"Завод №{i},\nвторая строка"\n' for i in range(50))
    path = tmp_path / "excel.csv"
    path.write_bytes(text.encode("cp1251"))
    got, parts = by_ranges(path, 100, encoding="cp1251")
    assert len(parts) > 5 and sum(p.rows for p in parts) == 50
    assert got["text"].iloc[7] == "Завод №7,\nвторая строка"
    # Each row takes two lines: a range starting at row k starts at line 2 + 2k.
    assert all((p.first_line - 2) % 2 == 0 for p in parts)


def test_a_stray_quote_stops_the_split_where_the_rows_before_it_are_exact(tmp_path):
    lines = ["text"] + [f"Экспорт зерна {i}" for i in range(40)]
    lines[30] = 'Завод "КАМАЗ выпустил грузовики'  # a quote inside an unquoted field
    path = tmp_path / "hand.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    layout = csv_layout(path)
    parts = []
    with pytest.raises(Unsplittable) as err:
        for part in csv_ranges(layout, 64):
            parts.append(part)
    assert "quote inside an unquoted field" in str(err.value)
    before = sum(p.rows for p in parts)
    rest = pd.concat(read_csv_chunks(path, start=err.value.offset), ignore_index=True)
    assert before + len(rest) == 40
    assert rest["text"].iloc[29 - before] == 'Завод "КАМАЗ выпустил грузовики'


def test_utf16_and_multichar_delimiters_are_not_split(tmp_path):
    path = tmp_path / "pipes.csv"
    path.write_text("text||labels\nзерно||agro\n", encoding="utf-8")
    layout = csv_layout(path, sep="||")
    assert not splittable(layout)
    with pytest.raises(Unsplittable):
        list(csv_ranges(layout))
    assert not splittable(CsvLayout(str(path), "utf-16-le", ",", ("text",), 0))
    assert splittable(CsvLayout(str(path), "cp1251", ";", ("text",), 0))
