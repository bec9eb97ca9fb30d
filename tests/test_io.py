import pytest

import io
from types import SimpleNamespace

import pandas as pd

from classifier.io import (
    InputError,
    detect_encoding,
    format_chunk,
    format_for,
    input_columns,
    iter_paragraphs,
    read_labelled,
)

ROWS = [
    ("Завод начал выпуск грузовиков.", "industry"),
    ("Экспорт зерна вырос; поставки идут по железной дороге.", "agro;trade;transport"),
    ("Стороны подписали ряд документов.", ""),
]


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_long_form(tmp_path):
    body = "text,labels\n" + "".join(f'"{t}",{l}\n' for t, l in ROWS)
    data = read_labelled(write(tmp_path / "a.csv", body))
    assert data.texts == [t for t, _ in ROWS]
    assert data.label_lists == [["industry"], ["agro", "trade", "transport"], []]
    assert data.labels == ("industry", "agro", "trade", "transport")
    assert data.lines == [2, 3, 4]


def test_wide_form(tmp_path):
    body = "text,industry,agro,trade\n" + "\n".join(
        ['"Завод начал выпуск.",1,0,0', '"Экспорт зерна вырос.",0,1,1', '"Протокол.",0,0,0']
    )
    data = read_labelled(write(tmp_path / "w.csv", body))
    assert data.label_lists == [["industry"], ["agro", "trade"], []]
    assert data.labels == ("industry", "agro", "trade")


def test_semicolon_delimited_cp1251_excel_export(tmp_path):
    body = "text;labels\r\n" + "".join(f'"{t}";"{l}"\r\n' for t, l in ROWS)
    path = write(tmp_path / "excel.csv", body, "cp1251")
    assert detect_encoding(path) == "cp1251"
    data = read_labelled(path)
    assert data.texts[0] == "Завод начал выпуск грузовиков."
    assert data.label_lists[1] == ["agro", "trade", "transport"]


def test_utf8_bom(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "text,labels\nЗавод,industry\n".encode())
    assert read_labelled(path).texts == ["Завод"]


def test_forced_encoding_and_separator(tmp_path):
    path = write(tmp_path / "x.csv", "text|labels\nЗавод|industry\n", "cp1251")
    data = read_labelled(path, encoding="cp1251", sep="|")
    assert data.label_lists == [["industry"]]


def test_undecodable_file_names_the_encoding_and_suggests_the_flag(tmp_path):
    path = write(tmp_path / "bad.csv", "text,labels\nЗавод,industry\n", "cp1251")
    with pytest.raises(InputError, match=r"bad\.csv: cannot decode as utf-8.*--encoding"):
        read_labelled(path, encoding="utf-8")


def test_missing_text_column_lists_columns(tmp_path):
    path = write(tmp_path / "c.csv", "body,labels\nЗавод,industry\n")
    with pytest.raises(InputError, match=r"c\.csv: no column 'text'; columns found: 'body', 'labels'"):
        read_labelled(path)


def test_empty_file(tmp_path):
    with pytest.raises(InputError, match=r"e\.csv: empty file"):
        read_labelled(write(tmp_path / "e.csv", ""))
    with pytest.raises(InputError, match="no data rows"):
        read_labelled(write(tmp_path / "h.csv", "text,labels\n"))


def test_labels_that_are_not_ids_name_the_line(tmp_path):
    path = write(tmp_path / "l.csv", "text,labels\nЗавод,industry\nЗерно,\"agro, trade\"\n")
    with pytest.raises(InputError, match=r"l\.csv:3: label 'agro, trade' is not a simple id"):
        read_labelled(path)


def test_identical_texts_with_conflicting_labels_name_both_lines(tmp_path):
    path = write(tmp_path / "d.csv", "text,labels\nЗавод,industry\nЗерно,agro\n Завод ,trade\n")
    with pytest.raises(InputError, match=r"lines 2 and 4 hold the same text"):
        read_labelled(path)


def test_wide_form_rejects_non_binary_cells(tmp_path):
    path = write(tmp_path / "w.csv", "text,industry,agro\nЗавод,1,0\nЗерно,0,yes\n")
    with pytest.raises(InputError, match=r"w\.csv:3: column 'agro' must hold 0 or 1"):
        read_labelled(path)


def test_article_paragraphs_carry_source_number_and_date(tmp_path):
    path = write(tmp_path / "a.txt", "date 2024-05-06 Заголовок\nПервый абзац.\n\nВторой абзац.\n")
    (frame,) = list(iter_paragraphs([str(path)]))
    assert frame["paragraph"].tolist() == [1, 2, 3]
    assert frame["text"].tolist() == ["Заголовок", "Первый абзац.", "Второй абзац."]
    assert set(frame["date"]) == {"2024-05-06"}


def test_csv_and_jsonl_are_streamed_in_chunks_without_losing_rows(tmp_path):
    csv_path = write(tmp_path / "p.csv", "id,text\n" + "".join(f"{i},Абзац {i}\n" for i in range(25)) + "25,\n")
    frames = list(iter_paragraphs([str(csv_path)], chunksize=10))
    assert [len(f) for f in frames] == [10, 10, 6]
    assert sum((f["paragraph"].tolist() for f in frames), []) == list(range(1, 27))
    assert frames[-1]["text"].tolist()[-1] == ""
    jsonl = write(tmp_path / "p.jsonl", "".join(f'{{"text": "Абзац {i}"}}\n' for i in range(12)))
    frames = list(iter_paragraphs([str(jsonl)], chunksize=5))
    assert [len(f) for f in frames] == [5, 5, 2]


def test_malformed_jsonl_line_is_named(tmp_path):
    path = write(tmp_path / "m.jsonl", '{"text": "ok"}\n{"text": oops}\n')
    with pytest.raises(InputError, match=r"m\.jsonl:2: malformed JSON"):
        list(iter_paragraphs([str(path)]))
    path = write(tmp_path / "n.jsonl", '{"body": "ok"}\n')
    with pytest.raises(InputError, match=r"n\.jsonl:1: expected an object with a 'text' field"):
        list(iter_paragraphs([str(path)]))


def test_missing_input_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(iter_paragraphs([str(tmp_path / "nope.txt")]))


def test_empty_article_is_an_error(tmp_path):
    with pytest.raises(InputError, match=r"a\.txt: empty file"):
        list(iter_paragraphs([str(write(tmp_path / "a.txt", "\n  \n"))]))


def test_csv_input_columns_pass_through_in_order(tmp_path):
    path = write(tmp_path / "p.csv", "id,site,date,body,labels\n7,kazan.ru,2025-11-03,Завод выпустил грузовики,old\n")
    (frame,) = list(iter_paragraphs([str(path)], text_column="body"))
    assert list(frame.columns) == ["id", "site", "date", "body", "input_labels", "source", "paragraph"]
    assert frame.iloc[0]["id"] == "7" and frame.iloc[0]["date"] == "2025-11-03"
    assert frame.iloc[0]["input_labels"] == "old"
    assert input_columns([str(path)], text_column="body") == list(frame.columns)


def test_jsonl_fields_pass_through(tmp_path):
    path = write(tmp_path / "p.jsonl", '{"id": 5, "text": "Зерно", "tags": ["a", "b"]}\n')
    (frame,) = list(iter_paragraphs([str(path)]))
    assert frame.iloc[0]["id"] == 5 and frame.iloc[0]["tags"] == '["a", "b"]'
    assert list(frame.columns) == ["id", "text", "tags", "source", "paragraph", "date"]


def test_txt_headlines_are_separate_paragraphs_with_lines(tmp_path):
    path = write(tmp_path / "h.txt", "Дата: 2025-11-03\nКАМАЗ откроет завод в Казахстане\n\nЗапущена платформа электронной торговли\n")
    (frame,) = list(iter_paragraphs([str(path)], lines=True))
    assert frame["text"].tolist() == ["КАМАЗ откроет завод в Казахстане", "Запущена платформа электронной торговли"]
    assert frame["line"].tolist() == [2, 4] and set(frame["date"]) == {"2025-11-03"}


def test_impossible_date_header_is_an_input_error(tmp_path):
    path = write(tmp_path / "d.txt", "date 2025-13-45\nЗавод.\n")
    with pytest.raises(InputError, match=r"d\.txt:1: impossible date '2025-13-45'"):
        list(iter_paragraphs([str(path)]))


def test_stdin_csv_is_read_as_csv(monkeypatch):
    data = "id,text\n1,Завод выпустил грузовики\n2,Студенты приехали\n".encode()
    monkeypatch.setattr("sys.stdin", SimpleNamespace(buffer=io.BytesIO(data)))
    (frame,) = list(iter_paragraphs(["-"]))
    assert frame["id"].tolist() == ["1", "2"] and frame["paragraph"].tolist() == [1, 2]


def test_stdin_csv_without_the_text_column_is_refused(monkeypatch):
    monkeypatch.setattr("sys.stdin", SimpleNamespace(buffer=io.BytesIO("id,body\n1,Завод\n".encode())))
    with pytest.raises(InputError, match=r"<stdin>: looks like a CSV .* --text-column"):
        list(iter_paragraphs(["-"]))


def test_stdin_lines_format_one_paragraph_per_line(monkeypatch):
    monkeypatch.setattr("sys.stdin", SimpleNamespace(buffer=io.BytesIO("Поставки зерна\nвыросли втрое\n".encode())))
    (frame,) = list(iter_paragraphs(["-"], input_format="lines"))
    assert frame["text"].tolist() == ["Поставки зерна", "выросли втрое"]


def test_labels_differing_in_case_are_merged_with_a_note(tmp_path):
    body = "text,labels\nНефть,petrochem\nГаз,Petrochem\nБензин,petrochem\n"
    data = read_labelled(write(tmp_path / "c.csv", body))
    assert data.label_lists == [["petrochem"]] * 3 and data.labels == ("petrochem",)
    assert "'Petrochem'" in data.notes[0] and "merged into 'petrochem'" in data.notes[0]


def test_a_rare_misspelt_label_is_refused_with_a_suggestion(tmp_path):
    rows = [f"Поезд {i},transport" for i in range(8)] + ["Самолёт,transprot", "Автобус,transprot"]
    path = write(tmp_path / "t.csv", "text,labels\n" + "\n".join(rows) + "\n")
    with pytest.raises(InputError, match=r"t\.csv:10: label 'transprot' .*lines 10, 11.*did you mean 'transport'"):
        read_labelled(path)


def test_labels_column_option_and_jsonl_labelled(tmp_path):
    path = write(tmp_path / "l.csv", "text,sector\nЗавод,industry\n")
    assert read_labelled(path, labels_column="sector").label_lists == [["industry"]]
    jsonl = write(tmp_path / "l.jsonl", '{"text": "Завод", "labels": ["industry"]}\n\n{"text": "Зерно", "labels": "agro;trade"}\n')
    data = read_labelled(jsonl)
    assert data.label_lists == [["industry"], ["agro", "trade"]] and data.lines == [1, 3]


def test_unlabelled_csv_says_it_has_no_labels(tmp_path):
    path = write(tmp_path / "u.csv", "id,site,text\n1,kazan.ru,Завод\n")
    with pytest.raises(InputError, match=r"u\.csv: no labels: no 'labels' column.*--labels-column"):
        read_labelled(path)


@pytest.mark.parametrize("fmt, sep", [("csv", ","), ("tsv", "\t"), ("excel", ";")])
def test_delimited_output_formats(fmt, sep):
    frame = pd.DataFrame({"text": ["Завод"], "labels": ["industry"], "p_industry": [0.75]})
    out = format_chunk(frame, fmt, header=True)
    assert out.splitlines()[0] == sep.join(["text", "labels", "p_industry"])
    assert out.splitlines()[1].endswith("0,75" if fmt == "excel" else "0.75")


def test_format_by_extension():
    assert [format_for(p) for p in ("a.csv", "a.TSV", "a.xlsx", "a.jsonl", "a.txt", "a")] == [
        "csv", "tsv", "xlsx", "jsonl", "table", "csv"]


def test_table_shows_probability_over_the_cut_and_full_text_in_files():
    frame = pd.DataFrame({"source": ["a.txt"], "paragraph": [1], "text": ["Экспорт зерна " * 20],
                          "labels": ["agro"], "p_agro": [0.89], "p_industry": [0.78]})
    out = format_chunk(frame, "table", header=True, width=None,
                       thresholds={"agro": 0.41, "industry": 0.81})
    assert "agro 0.89/0.41*" in out and "industry 0.78/0.81\n" in out
    assert ("Экспорт зерна " * 20).strip() in out


# -- folders, pages on stdin, the terminal table ----------------------------------------

PAGE = """<html><head><meta charset="utf-8"><title>Переговоры в Казани</title>
<meta property="article:published_time" content="2025-10-02T11:00:00+03:00"></head><body>
<nav><a href="/">Главная</a> <a href="/news">Новости</a></nav><article><h1>Переговоры в Казани</h1>
<p>Делегация Кыргызстана обсудила в Казани поставки сельскохозяйственной техники и запчастей к ней.</p>
<p>Стороны договорились открыть дилерский центр в Бишкеке до конца следующего года.</p>
</article><footer>© 2025 Все права защищены</footer></body></html>"""


def test_a_folder_gives_its_pages_articles_tables_and_jsonl_in_name_order(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "b_page.html", PAGE)
    write(folder / "a_article.txt", "date 2025-03-14\nПервый абзац статьи.\n\nВторой абзац статьи.\n")
    write(folder / "c_rows.csv", "text\nАбзац из таблицы.\n")
    write(folder / "d_posts.jsonl", '{"text": "Пост из ленты."}\n')
    write(folder / "truth.json", "{}")  # neither read nor an error
    write(folder / "chart.png", "not an image")
    (folder / "sub").mkdir()
    write(folder / "sub" / "deeper.txt", "Вложенная папка не читается.")
    frames = list(iter_paragraphs([str(folder)]))
    rows = [r for f in frames for r in f.to_dict("records")]
    assert [r["text"] for r in rows] == [
        "Первый абзац статьи.", "Второй абзац статьи.",
        "Делегация Кыргызстана обсудила в Казани поставки сельскохозяйственной техники и запчастей к ней.",
        "Стороны договорились открыть дилерский центр в Бишкеке до конца следующего года.",
        "Абзац из таблицы.", "Пост из ленты.",
    ]
    assert [r["date"] for r in rows[:4]] == ["2025-03-14"] * 2 + ["2025-10-02"] * 2
    assert rows[2]["source"] == str(folder / "b_page.html")


def test_a_folder_with_nothing_to_read_is_an_error(tmp_path):
    write(tmp_path / "notes.md", "# нет")
    with pytest.raises(InputError, match="no .html, .htm, .txt, .csv, .jsonl files"):
        list(iter_paragraphs([str(tmp_path)]))


def test_a_page_on_stdin(monkeypatch):
    import io as _io
    import sys

    monkeypatch.setattr(sys, "stdin", _io.TextIOWrapper(_io.BytesIO(PAGE.encode("utf-8"))))
    (frame,) = list(iter_paragraphs(["-"]))
    assert len(frame) == 2 and set(frame["date"]) == {"2025-10-02"}


def test_terminal_table_keeps_the_text_column_aligned_with_long_label_lists():
    import pandas as pd

    from classifier.io import format_chunk

    frame = pd.DataFrame({
        "source": ["article.txt"] * 3, "paragraph": [1, 2, 123456], "date": [""] * 3,
        "text": ["Завод начал выпуск грузовиков.", "Протокол встречи.", "Экспорт зерна вырос."],
        "labels": ["industry;agro;petrochem;trade", "", "humanitarian;transport;digital;energy;trade"],
    })
    lines = format_chunk(frame, "table", header=True).splitlines()
    column = lines[0].index("text")
    rows = [l for l in lines[1:] if l.startswith("article.txt")]
    assert [r[column:] for r in rows] == [
        "Завод начал выпуск грузовиков.", "Протокол встречи.", "Экспорт зерна вырос."]
    assert all(r[column - 1] == " " for r in rows)
    # every label is shown, the ones that did not fit on lines of their own under the column
    shown = " ".join(lines[1:])
    for label in ("industry", "agro", "petrochem", "trade", "humanitarian", "digital", "energy"):
        assert label in shown
    labels_at = lines[0].index("labels")
    continuation = [l for l in lines[1:] if not l.startswith("article.txt")]
    assert continuation and all(l[:labels_at].strip() == "" and l[labels_at] != " " for l in continuation)
