"""Whatever users feed in: odd text never crashes, no row is lost, no file half-written."""
import csv
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier.tagging import tag_frame
from classifier.text import lemmas, parse_article, tokenize
from tests.conftest import CORPUS, cycled_texts, write_csv

ROOT = Path(__file__).resolve().parents[1]

ODD = [
    "",
    "   \t  ",
    "\x00\x01\x02 завод \x7f",
    "🚀🔥 Экспорт зерна 📈 вырос!!!",
    "Only Latin words about a factory and grain exports.",
    "Қазақстан мен Татарстан арасындағы ынтымақтастық дамып келеді.",
    "Татарстан белән Казахстан арасында хезмәттәшлек үсә.",
    "ЗАВОД!!! ЗЕРНО??? ...",
    "-" * 50 + "—–-",
    "\u0301\u00ad\u200b",
]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_tokenizer_never_crashes(text):
    tokens = tokenize(text)
    assert all(isinstance(t, str) and t for t in tokens)
    lemmas(text)
    parse_article(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(), max_size=12))
def test_predict_never_crashes_and_keeps_every_row(fitted, texts):
    out = tag_frame(fitted, pd.DataFrame({"text": texts}), proba=True)
    assert len(out) == len(texts)
    assert out["text"].tolist() == texts
    assert len(fitted.predict(texts)) == len(texts)


def test_odd_paragraphs_are_tagged(fitted):
    out = fitted.predict(ODD)
    assert len(out) == len(ODD)
    assert out[0] == [] and out[1] == []


def test_a_one_megabyte_paragraph_is_tagged(fitted):
    text = ("Завод выпускает грузовики, а зерно идёт на экспорт по железной дороге. " * 15000)[:1_000_000]
    start = time.perf_counter()
    (labels,) = fitted.predict([text])
    assert "industry" in labels
    assert time.perf_counter() - start < 60  # bounded, not a benchmark


def test_tag_frame_keeps_order_and_count_with_empty_and_missing_texts(fitted):
    frame = pd.DataFrame({"text": ["Завод", None, "", "Зерно"], "id": [1, 2, 3, 4]})
    out = tag_frame(fitted, frame)
    assert out["id"].tolist() == [1, 2, 3, 4]
    assert out["labels"].tolist()[1:3] == ["", ""]


def _sectors(*args, **kw):
    return subprocess.Popen([sys.executable, "-m", "classifier", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory):
    from classifier import SectorClassifier

    d = tmp_path_factory.mktemp("m")
    path = d / "m.joblib"
    SectorClassifier(cv=0).fit([t for t, _ in CORPUS], [l for _, l in CORPUS]).save(path)
    return path


def test_killed_tag_run_leaves_no_file_under_the_final_name(saved_model, tmp_path):
    src = write_csv(tmp_path / "big.csv", cycled_texts(400_000), header=["text"])
    out = tmp_path / "out.csv"
    proc = _sectors("tag", str(src), "-o", str(out), "--model", str(saved_model), "--chunk-size", "2000")
    deadline = time.time() + 60
    while time.time() < deadline and not any(p.name.startswith(".out.csv") for p in tmp_path.iterdir()):
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not out.exists()


def test_interrupted_training_keeps_the_existing_model(saved_model, tmp_path):
    from classifier import load_model

    out = tmp_path / "keep.joblib"
    Path(out).write_bytes(saved_model.read_bytes())
    Path(out).with_suffix(".json").write_bytes(saved_model.with_suffix(".json").read_bytes())
    before = out.read_bytes()
    data = tmp_path / "t.csv"
    # Distinct rows, enough that cross-validation runs for seconds: training reads repeated
    # texts once, so a small or repetitive file could finish before the interrupt lands.
    rows = [(f"{t} Сообщение {i}, выпуск {i * 7 % 1000}.", y) for i, (t, y) in enumerate(CORPUS * 300)]
    write_csv(data, rows)
    proc = subprocess.Popen(
        [sys.executable, "train.py", str(data), "--out", str(out), "--cv", "5", "--progress"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        # a runner started in the background passes SIGINT down ignored; a user's Ctrl-C is not
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    seen = b""
    # Interrupt in the middle of cross-validation: the bar shows its first fold at once
    # (later folds may go by between two refreshes).
    while b"fold 1/5" not in seen:
        byte = proc.stderr.read(1)
        assert byte, seen.decode(errors="replace")
        seen += byte
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert out.read_bytes() == before
    assert load_model(out).labels


def test_cp1251_semicolon_csv_is_tagged_from_the_cli(saved_model, tmp_path):
    src = tmp_path / "excel.csv"
    src.write_bytes("id;text\r\n1;Завод выпустил грузовики\r\n2;Студенты приехали\r\n".encode("cp1251"))
    proc = _sectors("tag", str(src), "--model", str(saved_model), "--format", "csv")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    rows = list(csv.DictReader(out.decode().splitlines()))
    assert [r["text"] for r in rows] == ["Завод выпустил грузовики", "Студенты приехали"]


def test_undecodable_input_suggests_encoding(saved_model, tmp_path):
    src = tmp_path / "bad.csv"
    src.write_bytes("text\nЗавод\n".encode("cp1251"))
    proc = _sectors("tag", str(src), "--model", str(saved_model), "--encoding", "utf-8")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2
    assert "cannot decode as utf-8" in err.decode() and "--encoding" in err.decode()
