"""The command line, run as a user runs it: in a subprocess."""
import argparse
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
    res = sectors("tag", "-", "--model", model_path, "--format", "csv", stdin='{"text": "Прямой авиарейс"}\n')
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
        (["tag", "x.txt", "--threshold", "2"], "a number between 0 and 1"),
        (["tag", "x.txt", "--threshold", "abc"], "a number between 0 and 1, got 'abc'"),
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


# -- a new user's first day -----------------------------------------------------------

HEADLINES = (
    "Заводы Татарстана начали выпуск грузовиков для Узбекистана\n"
    "Фермеры собрали рекордный урожай пшеницы\n"
    "Открыт прямой авиарейс между Казанью и Ташкентом\n"
    "Студенты из Казахстана приехали учиться в вузы республики\n"
    "Делегацию встретили в аэропорту\n"
)


def test_headlines_one_per_line_are_five_paragraphs(model_path, tmp_path):
    path = tmp_path / "h.txt"
    path.write_text("Дата: 2025-11-03\n" + HEADLINES, encoding="utf-8")
    rows = read_csv(sectors("tag", str(path), "--model", model_path, "--format", "csv").stdout)
    assert len(rows) == 5 and {r["date"] for r in rows} == {"2025-11-03"}
    assert "agro" in rows[1]["labels"] and "transport" in rows[2]["labels"]


def test_impossible_date_is_an_error(model_path, tmp_path):
    path = tmp_path / "d.txt"
    path.write_text("date 2025-13-45\n" + HEADLINES, encoding="utf-8")
    res = sectors("tag", str(path), "--model", model_path)
    assert res.returncode == 2 and "d.txt:1: impossible date '2025-13-45'" in res.stderr


def test_csv_on_stdin_keeps_its_columns(model_path):
    res = sectors("tag", "-", "--model", model_path, "--format", "csv",
                  stdin="id,text\n1,Грузовые поезда пойдут через Казахстан\n2,Фермеры собрали урожай\n")
    assert res.returncode == 0, res.stderr
    rows = read_csv(res.stdout)
    assert [r["id"] for r in rows] == ["1", "2"] and rows[0]["labels"] == "transport"
    one = sectors("tag", "-", "--model", model_path, "--format", "csv", "--input-format", "lines",
                  stdin="Поставки зерна\nвыросли втрое\n")
    assert len(read_csv(one.stdout)) == 2


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_input_columns_pass_through(model_path, tmp_path, jobs):
    path = tmp_path / "p.csv"
    path.write_text("id,site,date,body\n7,kazan.ru,2025-11-03,Фермеры собрали урожай пшеницы\n"
                    "8,tashkent.uz,2025-11-04,Студенты приехали в вуз\n", encoding="utf-8")
    res = sectors("tag", str(path), "--model", model_path, "--text-column", "body", "--format", "csv",
                  "--jobs", jobs, "--proba")
    assert res.returncode == 0, res.stderr
    rows = read_csv(res.stdout)
    assert list(rows[0])[:6] == ["id", "site", "date", "body", "source", "paragraph"]
    assert rows[1]["id"] == "8" and rows[1]["date"] == "2025-11-04" and rows[0]["labels"] == "agro"
    jsonl = tmp_path / "p.jsonl"
    jsonl.write_text('{"id": "a1", "text": "Фермеры собрали урожай"}\n', encoding="utf-8")
    rec = json.loads(sectors("tag", str(jsonl), "--model", model_path, "--format", "jsonl").stdout)
    assert rec["id"] == "a1" and rec["labels"] == ["agro"]


def test_train_never_replaces_the_shipped_model_without_force(tmp_path, labelled_csv):
    res = sectors("train", str(labelled_csv), "--cv", "0")
    assert res.returncode == 2 and "pass --out FILE" in res.stderr
    from classifier.persist import default_model_path

    res = sectors("train", str(labelled_csv), "--cv", "0", "--out", str(default_model_path()))
    assert res.returncode == 2 and "--force" in res.stderr and "shipped model" in res.stderr


def test_train_py_works_from_another_folder_and_says_where_it_wrote(tmp_path, labelled_csv):
    res = run(str(ROOT / "train.py"), "train.csv", "--out", "mine.joblib", "--cv", "0",
              cwd=labelled_csv.parent)
    assert res.returncode == 0, res.stderr
    assert "model written to mine.joblib" in res.stdout
    assert (labelled_csv.parent / "mine.joblib").exists()
    # the default data resolves against the package, not the working directory
    from classifier.cli import DEFAULT_DATA

    assert DEFAULT_DATA == ROOT / "data" / "train.csv"


def test_top_k_never_forces_labels(model_path):
    # Protocol only, worded like the fixture's no-label rows: every label is below its cut.
    res = sectors("tag", "-", "--model", model_path, "--format", "jsonl", "--top-k", "3", "--explain",
                  stdin="Переговоры прошли в дружественной атмосфере, сообщили в пресс-службе.\n")
    rec = json.loads(res.stdout)
    assert rec["labels"] == [] and rec["explain"] == {}


def test_proba_table_shows_the_cut_and_explain_label(model_path):
    res = sectors("tag", "-", "--model", model_path, "--format", "table", "--proba",
                  "--explain-label", "agro", "--explain-negative",
                  stdin="Грузовые поезда пойдут по новому маршруту через Казахстан.\n")
    assert res.returncode == 0, res.stderr
    cuts = json.loads(Path(model_path).with_suffix(".json").read_text(encoding="utf-8"))["thresholds"]
    assert f"transport " in res.stdout and f"/{cuts['transport']:.2f}*" in res.stdout
    assert f"/{cuts['agro']:.2f} " in res.stdout or f"/{cuts['agro']:.2f}\n" in res.stdout
    assert "agro (not assigned):" in res.stdout and "against:" in res.stdout
    bad = sectors("tag", "-", "--model", model_path, "--explain-label", "energy", stdin="Текст\n")
    assert bad.returncode == 2 and "energy: not a label of this model" in bad.stderr


def test_labelled_csv_checks(model_path, tmp_path):
    rows = [(t, [l.capitalize() if i == 0 else l for l in ls]) for i, (t, ls) in enumerate(CORPUS)]
    data = write_csv(tmp_path / "c.csv", rows, header=("text", "sector"))
    out = tmp_path / "c.joblib"
    res = sectors("train", str(data), "--out", str(out), "--cv", "0", "--labels-column", "sector")
    assert res.returncode == 0, res.stderr
    assert "merged into 'industry': 'Industry'" in res.stderr
    assert "few rows for industry (9)" in res.stderr
    typo = write_csv(tmp_path / "t.csv", list(CORPUS) + [("Новый терминал для контейнеров", ["transprot"])])
    res = sectors("train", str(typo), "--out", str(out), "--cv", "0")
    assert res.returncode == 2 and f"t.csv:{len(CORPUS) + 2}: label 'transprot'" in res.stderr
    assert "did you mean 'transport'?" in res.stderr
    unlabelled = write_csv(tmp_path / "u.csv", [("1", "Завод")], header=("id", "text"))
    res = sectors("evaluate", str(unlabelled), "--model", model_path)
    assert res.returncode == 2 and "no labels" in res.stderr


def test_train_reads_jsonl(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text("".join(json.dumps({"text": t, "labels": l}, ensure_ascii=False) + "\n" for t, l in CORPUS),
                    encoding="utf-8")
    res = sectors("train", str(path), "--out", str(tmp_path / "j.joblib"), "--cv", "0")
    assert res.returncode == 0, res.stderr
    card = json.loads((tmp_path / "j.json").read_text(encoding="utf-8"))
    assert card["training"]["rows"] == len(CORPUS)


def test_summary_on_stderr_and_quiet_in_pipes(model_path, article, tmp_path):
    out = tmp_path / "t.csv"
    res = sectors("tag", str(article), "--model", model_path, "-o", str(out), "--progress")
    assert res.returncode == 0, res.stderr
    assert f"tagged 3 paragraphs -> {out} in " in res.stderr
    quiet = sectors("tag", str(article), "--model", model_path, "-o", str(out))
    assert quiet.stderr == ""


@pytest.mark.parametrize("ext, check", [
    (".tsv", lambda b: b.decode().splitlines()[0].split("\t")[:4] == ["source", "paragraph", "date", "text"]),
    (".csv", lambda b: b.startswith(b"\xef\xbb\xbfsource;paragraph;date;text")),
])
def test_output_by_extension(model_path, article, tmp_path, ext, check):
    out = tmp_path / f"t{ext}"
    args = ["--excel"] if ext == ".csv" else []
    res = sectors("tag", str(article), "--model", model_path, "-o", str(out), "--proba", *args)
    assert res.returncode == 0, res.stderr
    assert check(out.read_bytes())


def test_xlsx_output_is_a_real_workbook(model_path, article, tmp_path):
    openpyxl = pytest.importorskip("openpyxl", reason="the excel extra is not installed")
    out = tmp_path / "t.xlsx"
    res = sectors("tag", str(article), "--model", model_path, "-o", str(out), "--proba")
    assert res.returncode == 0, res.stderr
    sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.values)
    assert rows[0][:5] == ("source", "paragraph", "date", "text", "labels")
    assert len(rows) == 4 and rows[2][4] == "transport" and isinstance(rows[2][5], float)


def test_txt_output_keeps_whole_texts(model_path, tmp_path):
    long = "Грузовые поезда пойдут по новому маршруту через Казахстан " * 6
    src = tmp_path / "a.txt"
    src.write_text(long + "\n", encoding="utf-8")
    out = tmp_path / "t.txt"
    assert sectors("tag", str(src), "--model", model_path, "-o", str(out)).returncode == 0
    assert long.strip() in out.read_text(encoding="utf-8")


def test_suggest_says_how_it_ranks_uses_file_line_and_drops_repeats(model_path, tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("Стороны обсудили поставки зерна и техники в регион.\n"
                    "Стороны обсудили поставки зерна и техники в регион!\n\n"
                    "Студенты посетили завод.\n", encoding="utf-8")
    res = sectors("suggest", str(path), "--model", model_path, "-n", "5")
    assert res.returncode == 0, res.stderr
    assert "ranked by how close a label's probability is to its threshold" in res.stdout
    assert "s.txt:1 " in res.stdout and "s.txt:2 " not in res.stdout and "s.txt:4 " in res.stdout


def test_audit_prints_file_line_and_warns_on_thin_labels(tmp_path):
    data = write_csv(tmp_path / "a.csv", CORPUS)
    res = sectors("audit", str(data), "-n", "3", "--cv", "3")
    assert res.returncode == 0, res.stderr
    assert "a.csv:" in res.stdout and "few rows for" in res.stderr


def test_version_and_help_everywhere():
    from classifier import __version__
    from classifier.cli import build_parser

    assert sectors("--version").stdout.strip() == f"sectors {__version__}"
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, p in sub.choices.items():
        assert p.description and f"sectors {name}" in p.epilog or name == "train", name
        for action in p._actions:
            assert action.help, f"{name} {action.option_strings}"


def test_model_card_passed_as_model_says_to_pass_the_joblib(model_path, article):
    card = str(Path(model_path).with_suffix(".json"))
    res = sectors("tag", str(article), "--model", card)
    assert res.returncode == 2 and f"pass the model file itself: {model_path}" in res.stderr


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


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_folder_page_without_article_text_is_skipped_with_a_warning(model_path, tmp_path, jobs):
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.html").write_text(
        "<html><body><nav><a href='/'>Главная</a> <a href='/news'>Новости</a></nav></body></html>",
        encoding="utf-8")
    (folder / "c.html").write_text(
        '<html><head><meta charset="utf-8"><title>Делегация в Ташкенте</title></head><body><article>'
        "<p>Делегация Башкортостана обсудила в Ташкенте поставки зерна и муки.</p>"
        "</article></body></html>", encoding="utf-8")
    out = tmp_path / "tagged.csv"
    res = sectors("tag", str(folder), "--model", model_path, "--places", "--jobs", jobs,
                  "-o", str(out), "--no-progress")
    assert res.returncode == 0, res.stderr
    warnings = [line for line in res.stderr.splitlines() if line.strip()]
    assert warnings == [f"sectors: warning: {folder / 'b.html'}: no article text found in this "
                        "page; skipped"]
    rows = read_csv(out.read_text(encoding="utf-8"))
    assert [r["source"] for r in rows] == [str(folder / "a.txt")] * 3 + [str(folder / "c.html")]
    assert rows[-1]["places"] == "RU-BA;UZ"
    # named on its own, the same page is still an error
    res = sectors("tag", str(folder / "b.html"), "--model", model_path)
    assert res.returncode == 2 and "b.html: no article text" in res.stderr


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl", "table", "xlsx"])
def test_places_are_in_every_output_format(model_path, tmp_path, fmt):
    article = tmp_path / "a.txt"
    article.write_text("Делегация Татарстана прибыла в Ташкент.\n\nЗаседание прошло в срок.\n",
                       encoding="utf-8")
    out = tmp_path / f"tagged.{fmt}"
    res = sectors("tag", str(article), "--model", model_path, "--places", "--format", fmt,
                  "-o", str(out))
    assert res.returncode == 0, res.stderr
    if fmt == "xlsx":
        openpyxl = pytest.importorskip("openpyxl")
        sheet = openpyxl.load_workbook(out).active
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        col = rows[0].index("places")
        assert [r[col] or "" for r in rows[1:]] == ["RU-TA;UZ", ""]
        return
    text = out.read_text(encoding="utf-8")
    if fmt == "jsonl":
        assert [json.loads(line)["places"] for line in text.splitlines()] == [["RU-TA", "UZ"], []]
    elif fmt == "table":
        assert [line.split("places:")[1].strip() for line in text.splitlines()
                if "places:" in line] == ["RU-TA, UZ", "—"]
    else:
        rows = list(csv.DictReader(io.StringIO(text), delimiter="\t" if fmt == "tsv" else ","))
        assert [r["places"] for r in rows] == ["RU-TA;UZ", ""]


def test_train_base_adds_the_users_rows_weighted_to_a_base_corpus(tmp_path):
    base = write_csv(tmp_path / "base.csv", CORPUS)
    mine = write_csv(tmp_path / "mine.csv", [
        ("Пасечники вывезли мед на ярмарку в Казани.", ["agro"]),
        ("Мед с башкирских пасек раскупили за день.", ["agro"]),
        ("Ярмарка меда собрала пасечников из трех районов.", ["agro"]),
    ])
    out = tmp_path / "m.joblib"
    res = sectors("train", str(mine), "--base", str(base), "--base-weight", "5",
                  "--out", str(out), "--cv", "0")
    assert res.returncode == 0, res.stderr
    assert f"{len(CORPUS)} rows of {base}" in res.stderr and "weight 5" in res.stderr
    card = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert card["base"]["rows"] == len(CORPUS) and card["base"]["user_weight"] == 5.0
    assert card["labels"] == ["industry", "agro", "transport", "humanitarian"]
    res = sectors("tag", "-", "--model", str(out), "--format", "csv", stdin="Пасечники привезли мед\n")
    assert read_csv(res.stdout)[0]["labels"] == "agro"


def test_train_base_names_a_missing_base_file(tmp_path):
    mine = write_csv(tmp_path / "mine.csv", CORPUS)
    res = sectors("train", str(mine), "--base", str(tmp_path / "none.csv"), "--out", str(tmp_path / "m.joblib"))
    assert res.returncode == 2 and "none.csv" in res.stderr


def test_evaluate_groups_scores_by_a_column(tmp_path, model_path):
    rows = [("Между Казанью и Ташкентом открыли прямой авиарейс.", "transport", "tass"),
            ("Авиакомпания увеличит число рейсов в Алматы.", "transport", "tass"),
            ("Студенты из Казахстана учатся в вузах.", "humanitarian", "kazinform"),
            ("Фермеры собрали урожай пшеницы.", "agro", "kazinform")]
    path = tmp_path / "g.csv"
    path.write_text("text,labels,source\n" + "".join(f'"{t}",{l},{s}\n' for t, l, s in rows), encoding="utf-8")
    res = sectors("evaluate", str(path), "--model", model_path, "--group-by", "source", "--json")
    assert res.returncode == 0, res.stderr
    groups = json.loads(res.stdout)["groups"]
    assert set(groups) == {"tass", "kazinform"} and groups["tass"]["n"] == 2
    res = sectors("evaluate", str(path), "--model", model_path, "--group-by", "channel")
    assert res.returncode == 2 and "'channel'" in res.stderr
