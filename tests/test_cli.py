"""The command line, run as a user runs it: in a subprocess."""
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, cycled_texts, write_csv

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = (
    "date 2025-03-14 Делегация прибыла в Ташкент.\n"
    "Грузовые поезда пойдут по новому маршруту через Казахстан.\n"
    "В вузах республики учатся студенты из Узбекистана.\n"
)


def run(*args, stdin=None, cwd=ROOT):
    return subprocess.run(
        [sys.executable, *args], input=stdin, capture_output=True, text=True, cwd=cwd, timeout=300
    )


def sectors(*args, stdin=None):
    return run("-m", "classifier", *args, stdin=stdin)


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    d = tmp_path_factory.mktemp("model")
    data = write_csv(d / "train.csv", CORPUS)
    out = d / "m.joblib"
    res = run("train.py", str(data), "--out", str(out), "--cv", "3", "--seed", "0")
    assert res.returncode == 0, res.stderr
    assert "macro F1" in res.stdout and "precision" in res.stdout
    assert f"model written to {out}" in res.stdout
    return str(out)


@pytest.fixture()
def article(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def read_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_train_writes_model_and_card(model_path):
    card = json.loads(Path(model_path).with_suffix(".json").read_text(encoding="utf-8"))
    assert card["training"]["rows"] == len(CORPUS)
    assert len(card["training"]["sha256"]) == 64
    assert card["labels"] == ["industry", "agro", "transport", "humanitarian"]
    assert card["params"]["subwords"] == [3, 5]


def test_train_subwords_option(tmp_path):
    data = write_csv(tmp_path / "train.csv", CORPUS)
    out = tmp_path / "plain.joblib"
    res = sectors("train", str(data), "--out", str(out), "--cv", "0", "--subwords", "none")
    assert res.returncode == 0, res.stderr
    card = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert card["params"]["subwords"] is None
    bad = sectors("train", str(data), "--out", str(out), "--subwords", "5-2")
    assert bad.returncode == 2 and "1 <= LO <= HI" in bad.stderr


def test_tag_txt_article_csv_output(model_path, article):
    res = sectors("tag", str(article), "--model", model_path, "--format", "csv")
    assert res.returncode == 0, res.stderr
    rows = read_csv(res.stdout)
    assert [r["paragraph"] for r in rows] == ["1", "2", "3"]
    assert rows[0]["text"] == "Делегация прибыла в Ташкент." and rows[0]["date"] == "2025-03-14"
    assert list(rows[0]) == ["source", "paragraph", "date", "text", "labels"]
    assert "transport" in rows[1]["labels"] and "humanitarian" in rows[2]["labels"]


def test_tag_csv_input_with_text_column_and_proba(model_path, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('id,body\n1,"Завод выпустил грузовики"\n2,""\n3,"Студенты приехали в вуз"\n', encoding="utf-8")
    res = sectors("tag", str(path), "--model", model_path, "--text-column", "body", "--proba", "--format", "csv")
    assert res.returncode == 0, res.stderr
    rows = read_csv(res.stdout)
    assert len(rows) == 3 and rows[1]["labels"] == ""
    assert {"p_industry", "p_agro", "p_transport", "p_humanitarian"} <= set(rows[0])
    assert 0 <= float(rows[0]["p_industry"]) <= 1


def test_tag_jsonl_input_and_output_with_explain(model_path, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "Авиакомпания открыла рейсы в Бишкек"}\n{"text": "Протокол встречи"}\n', encoding="utf-8")
    res = sectors("tag", str(path), "--model", model_path, "--format", "jsonl", "--explain")
    assert res.returncode == 0, res.stderr
    recs = [json.loads(l) for l in res.stdout.splitlines()]
    assert len(recs) == 2 and recs[0]["labels"] == ["transport"]
    assert recs[0]["explain"]["transport"][0][1] > 0


def test_tag_stdin_and_table(model_path):
    res = sectors("tag", "-", "--model", model_path, "--format", "table", stdin=ARTICLE)
    assert res.returncode == 0, res.stderr
    assert "transport" in res.stdout and "<stdin>" in res.stdout
    res = sectors("tag", "-", "--model", model_path, "--format", "csv", stdin='{"text": "Грузовые поезда"}\n')
    assert read_csv(res.stdout)[0]["labels"] == "transport"


def test_output_file_and_several_inputs(model_path, article, tmp_path):
    out = tmp_path / "out.csv"
    res = sectors("tag", str(article), str(article), "--model", model_path, "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert res.stdout == ""
    assert len(read_csv(out.read_text(encoding="utf-8"))) == 6
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_threshold_and_top_k(model_path, article):
    res = sectors("tag", str(article), "--model", model_path, "--format", "csv", "--top-k", "2", "--threshold", "0")
    assert all(len(r["labels"].split(";")) == 2 for r in read_csv(res.stdout))


def test_jobs_gives_the_same_rows(model_path, tmp_path, article):
    rows = [(f"{t}\nАбзац {i}: «цитата» и \"кавычки\"",) for i, (t,) in enumerate(cycled_texts(300))]
    path = write_csv(tmp_path / "many.csv", rows, header=["text"])
    for fmt in ("csv", "jsonl"):
        one = sectors("tag", str(path), str(article), "--model", model_path, "--format", fmt)
        # Small byte ranges: many workers' parts, quoted newlines across their edges.
        two = sectors("tag", str(path), str(article), "--model", model_path, "--format", fmt,
                      "--jobs", "2", "--range-bytes", "500", "--chunk-size", "50")
        assert one.returncode == two.returncode == 0, two.stderr
        assert one.stdout == two.stdout
        if fmt == "csv":
            out = read_csv(two.stdout)
            assert [int(r["paragraph"]) for r in out if r["source"] == str(path)] == list(range(1, 301))


def test_jobs_reads_on_row_by_row_after_a_stray_quote(model_path, tmp_path):
    lines = ["text"] + [f"Экспорт зерна вырос на {i} процентов" for i in range(200)]
    lines[150] = 'Завод "КАМАЗ выпустил грузовики'  # pandas keeps the quote as text
    path = tmp_path / "hand.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one = sectors("tag", str(path), "--model", model_path, "--format", "csv")
    two = sectors("tag", str(path), "--model", model_path, "--format", "csv",
                  "--jobs", "2", "--range-bytes", "400", "--chunk-size", "30")
    assert one.returncode == two.returncode == 0, two.stderr
    assert one.stdout == two.stdout
    out = read_csv(two.stdout)
    assert len(out) == 200 and out[149]["text"] == lines[150] and out[149]["paragraph"] == "150"


@pytest.mark.parametrize(
    "args, message",
    [
        (["tag", "nope.txt"], "nope.txt: no such file"),
        (["tag", "x.txt", "--threshold", "2"], "must be between 0 and 1"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_usage_and_input_errors_exit_2_without_traceback(args, message, model_path):
    res = sectors(*args, "--model", model_path) if args[0] == "tag" else sectors(*args)
    assert res.returncode == 2
    assert message in res.stderr
    assert "Traceback" not in res.stderr


def test_jobs_with_a_missing_model_is_one_clear_error(tmp_path, article):
    res = sectors("tag", str(article), "--jobs", "2", "--model", str(tmp_path / "nope.joblib"))
    assert res.returncode == 2 and "model file not found" in res.stderr
    assert "Traceback" not in res.stderr and "BrokenProcessPool" not in res.stderr


def test_missing_column_error_lists_columns(model_path, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("body\nЗавод\n", encoding="utf-8")
    res = sectors("tag", str(path), "--model", model_path)
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0
    assert "no column 'text'; columns found: 'body'" in res.stderr


def test_debug_shows_the_traceback(model_path):
    res = sectors("--debug", "tag", "nope.txt", "--model", model_path)
    assert res.returncode == 2 and "Traceback" in res.stderr


def test_bad_model_file_is_reported(tmp_path, article):
    bad = tmp_path / "bad.joblib"
    bad.write_bytes(b"not a model")
    res = sectors("tag", str(article), "--model", str(bad))
    assert res.returncode == 2 and "card missing" in res.stderr


def test_train_refuses_rare_labels(tmp_path):
    data = tmp_path / "t.csv"
    rows = ["text,labels"] + [f'"{t}",{";".join(l)}' for t, l in CORPUS] + ['"Солнечная станция",energy']
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    res = run("train.py", str(data), "--out", str(tmp_path / "m.joblib"), "--cv", "2")
    assert res.returncode == 2
    assert "energy (1)" in res.stderr
    assert not (tmp_path / "m.joblib").exists()


def test_evaluate_json_and_report(model_path, labelled_csv, tmp_path):
    res = sectors("evaluate", str(labelled_csv), "--model", model_path, "--json", "--report", str(tmp_path / "rep"))
    assert res.returncode == 0, res.stderr
    report = json.loads(res.stdout)
    assert {"micro_f1", "macro_f1", "samples_f1", "exact_match", "hamming_loss", "per_label"} <= set(report)
    assert (tmp_path / "rep" / "metrics.json").exists()
    assert (tmp_path / "rep" / "f1_per_label.png").stat().st_size > 1000
    assert (tmp_path / "rep" / "precision_recall.png").stat().st_size > 1000


def test_evaluate_reports_unknown_labels(model_path, tmp_path):
    data = tmp_path / "u.csv"
    data.write_text('text,labels\n"Солнечная станция",energy\n"Завод грузовиков",industry\n', encoding="utf-8")
    res = sectors("evaluate", str(data), "--model", model_path)
    assert res.returncode == 0, res.stderr
    assert "does not know" in res.stdout and "energy (1)" in res.stdout
    assert "worst" in res.stdout or "macro F1" in res.stdout


def test_audit_finds_a_flipped_label(tmp_path):
    data = tmp_path / "a.csv"
    rows = list(CORPUS) * 2
    rows[0] = (rows[0][0] + " снова", ["humanitarian"])  # a factory paragraph labelled wrong
    write_csv(data, rows)
    res = sectors("audit", str(data), "--json", "-n", "5", "--cv", "3")
    assert res.returncode == 0, res.stderr
    items = json.loads(res.stdout)
    assert any(it["line"] == 2 for it in items[:3])


def test_suggest_lists_uncertain_paragraphs(model_path, article):
    res = sectors("suggest", str(article), "--model", model_path, "-n", "2", "--json")
    assert res.returncode == 0, res.stderr
    items = json.loads(res.stdout)
    assert len(items) == 2 and {"source", "paragraph", "label", "proba", "text"} <= set(items[0])


def test_tag_a_folder_of_pages_and_articles(model_path, tmp_path):
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.html").write_text(
        '<html><head><meta charset="utf-8"><title>Поезда в Китай</title>'
        '<link rel="canonical" href="https://example.ru/news/trains">'
        '<meta property="article:published_time" content="2025-11-20T08:00:00+03:00"></head><body>'
        '<nav><ul><li><a href="/">Главная</a></li><li><a href="/news">Новости</a></li></ul></nav>'
        "<article><h1>Поезда в Китай</h1>"
        "<p>Грузовые поезда пойдут по новому маршруту через Казахстан в Китай уже с весны.</p>"
        "<p>Фото: пресс-служба железной дороги</p>"
        "<p>В вузах республики учатся студенты из Узбекистана, Казахстана и Китая.</p></article>"
        '<div class="cookie">Мы используем файлы cookie. Продолжая, вы соглашаетесь.</div>'
        "</body></html>", encoding="utf-8")
    res = sectors("tag", str(folder), "--model", model_path, "--format", "csv")
    assert res.returncode == 0, res.stderr
    rows = read_csv(res.stdout)
    assert [r["source"] for r in rows] == [str(folder / "a.txt")] * 3 + ["https://example.ru/news/trains"] * 2
    page = rows[3:]
    assert [r["paragraph"] for r in page] == ["1", "2"] and {r["date"] for r in page} == {"2025-11-20"}
    assert "transport" in page[0]["labels"] and "humanitarian" in page[1]["labels"]
