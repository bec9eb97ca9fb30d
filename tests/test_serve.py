"""The HTTP service: the API through FastAPI's test client, `sectors serve` in a
subprocess, and the page in a real headless browser."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed")
pytest.importorskip("httpx", reason="httpx (FastAPI's test client) is not installed")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's note that it prefers httpx2
    from fastapi.testclient import TestClient

from classifier import ModelError, load_model, parse_article  # noqa: E402
from classifier.serve import MAX_BODY_BYTES, MAX_TEXTS, create_app  # noqa: E402
from tests.conftest import CORPUS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample_article.txt"
ARTICLE = (
    "date 2025-03-14 Делегация прибыла в Ташкент.\n"
    "Грузовые поезда пойдут по новому маршруту через Казахстан.\n"
    "\n"
    "В вузах республики учатся студенты из Узбекистана.\n"
)
TEXTS = [t for t, _ in CORPUS[::5]]


@pytest.fixture(scope="module")
def model_path(fitted, tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "small.joblib"
    fitted.save(path)
    return path


@pytest.fixture(scope="module")
def client(model_path):
    return TestClient(create_app(model_path))


def tag(client, **body):
    res = client.post("/v1/tag", json=body)
    assert res.status_code == 200, res.text
    return res.json()["results"]


# -- answers -------------------------------------------------------------------------


def test_texts_get_the_labels_predict_gives_in_order(client, fitted):
    results = tag(client, texts=TEXTS)
    assert [r["text"] for r in results] == TEXTS
    assert [r["labels"] for r in results] == fitted.predict(TEXTS)
    assert all(set(r) == {"text", "labels"} for r in results)  # nothing unasked for


def test_article_is_split_and_dated_as_sectors_tag_does(client, fitted):
    results = tag(client, article=ARTICLE)
    paragraphs = parse_article(ARTICLE).paragraphs
    assert [r["text"] for r in results] == paragraphs
    assert [r["paragraph"] for r in results] == [1, 2, 3]
    assert {r["date"] for r in results} == {"2025-03-14"}
    assert [r["labels"] for r in results] == fitted.predict(paragraphs)


def test_a_large_request_gets_the_same_answers(client, fitted):
    texts = [CORPUS[i % len(CORPUS)][0] for i in range(3000)]  # ~400 KB: tagged off the loop
    results = tag(client, texts=texts)
    assert [r["labels"] for r in results] == fitted.predict(texts)
    explained = tag(client, texts=texts[:300], explain=True)
    assert [sorted(r["evidence"]) for r in explained] == [sorted(l) for l in fitted.predict(texts[:300])]


def test_proba_gives_every_label_probability(client, fitted):
    results = tag(client, texts=TEXTS, proba=True)
    expected = fitted.predict_proba(TEXTS)
    got = np.array([[r["proba"][label] for label in fitted.labels] for r in results])
    np.testing.assert_allclose(got, expected, atol=1e-4)


def test_explain_gives_terms_with_spans_on_the_words(client, fitted):
    text = "Грузовые поезда с зерном пойдут по железной дороге в Актобе."
    [result] = tag(client, texts=[text], explain=True)
    assert result["labels"], "the fixture paragraph should get a label"
    assert set(result["evidence"]) == set(result["labels"])
    marked = set()
    for terms in result["evidence"].values():
        assert terms and all(t["weight"] > 0 for t in terms)
        for t in terms:
            assert t["spans"], t
            for start, end in t["spans"]:
                marked.add((t["term"], text[start:end]))
    # The words behind the labels are found in the text as written: inflected forms,
    # not the lemmas the model keeps.
    words = set(text.replace(".", "").split())
    assert all(set(span.split()) <= words for _, span in marked), marked
    assert any(span.lower() != term for term, span in marked if " " not in term), marked


def test_threshold_and_top_k_change_the_cut(client, fitted):
    assert [r["labels"] for r in tag(client, texts=TEXTS, top_k=1)] == fitted.predict(TEXTS, top_k=1)
    everything = tag(client, texts=TEXTS[:1], threshold=0.0)
    assert everything[0]["labels"] == list(fitted.labels)


def test_places_gives_the_codes_of_each_paragraph(client):
    res = client.post("/v1/tag", json={
        "texts": ["Раис Татарстана встретился с акимом Костанайской области.", "Завод выпустил станки."],
        "places": True})
    assert res.status_code == 200
    assert [r["places"] for r in res.json()["results"]] == [["RU-TA", "KZ"], []]
    plain = client.post("/v1/tag", json={"texts": ["Завод выпустил станки."]}).json()
    assert "places" not in plain["results"][0]


def test_model_card_health_docs_and_page(client, fitted, model_path):
    card = client.get("/v1/model").json()
    assert card["labels"] == list(fitted.labels)
    assert card == json.loads(model_path.with_suffix(".json").read_text(encoding="utf-8"))
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["labels"] == list(fitted.labels)
    assert client.get("/docs").status_code == 200
    assert "/v1/tag" in client.get("/openapi.json").json()["paths"]
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    # Works offline: nothing is fetched from another host.
    for ref in ('src="http', "src='http", 'href="http', "url(http", "@import"):
        assert ref not in page.text


# -- bad input -----------------------------------------------------------------------

BAD = [
    # (body bytes, status, field named in the message)
    (b'{"texts": ["\xd0\x9f\xff"]}', 400, "UTF-8"),
    ('{"texts": ["Экспорт зерна",]'.encode(), 400, "malformed JSON"),
    (b"", 400, "body"),
    (b"[1, 2]", 422, "body"),
    ('{"texts": "Экспорт зерна вырос"}'.encode(), 422, "texts"),
    (b'{"texts": {"a": 1}}', 422, "texts"),
    ('{"texts": ["Экспорт зерна", 5]}'.encode(), 422, "texts[1]"),
    ('{"texts": ["Экспорт зерна", null]}'.encode(), 422, "texts[1]"),
    (b'{"texts": []}', 422, "texts"),
    ('{"texts": ["Экспорт зерна", " \\n "]}'.encode(), 422, "texts[1]"),
    (b'{"article": ""}', 422, "article"),
    (b'{"article": ["a"]}', 422, "article"),
    ('{"article": "Экспорт", "texts": ["Экспорт"]}'.encode(), 422, "either texts"),
    (b'{"proba": true}', 422, "either texts"),
    ('{"text": "Экспорт зерна"}'.encode(), 422, "text: unknown field"),
    ('{"texts": ["Экспорт"], "proba": "yes"}'.encode(), 422, "proba"),
    ('{"texts": ["Экспорт"], "explain": 1}'.encode(), 422, "explain"),
    ('{"texts": ["Экспорт"], "threshold": 1.5}'.encode(), 422, "threshold"),
    ('{"texts": ["Экспорт"], "threshold": "0.5"}'.encode(), 422, "threshold"),
    ('{"texts": ["Экспорт"], "top_k": 0}'.encode(), 422, "top_k"),
    ('{"texts": ["Экспорт"], "top_k": 1.5}'.encode(), 422, "top_k"),
    (json.dumps({"texts": ["Экспорт"] * (MAX_TEXTS + 1)}).encode(), 413, "texts"),
]


@pytest.mark.parametrize("body,status,field", BAD, ids=[f"{s}-{f}" for _, s, f in BAD])
def test_bad_input_gets_a_one_line_4xx_naming_the_field(client, body, status, field):
    res = client.post("/v1/tag", content=body, headers={"content-type": "application/json"})
    assert res.status_code == status, res.text
    message = res.json()["error"]
    assert field in message
    assert "\n" not in message and "Traceback" not in res.text


def test_body_over_the_limit_is_413(client):
    big = json.dumps({"article": "Экспорт зерна вырос. " * (MAX_BODY_BYTES // 30)}).encode()
    assert len(big) > MAX_BODY_BYTES
    res = client.post("/v1/tag", content=big)
    assert res.status_code == 413 and res.json()["error"].startswith("body:")

    def chunks():  # no Content-Length: the limit holds while reading
        for _ in range(0, len(big), 1 << 20):
            yield big[: 1 << 20]

    res = client.post("/v1/tag", content=chunks())
    assert res.status_code == 413 and res.json()["error"].startswith("body:")


def test_unknown_paths_and_methods_are_json_errors(client):
    res = client.get("/v1/tags")
    assert res.status_code == 404 and "/v1/tags" in res.json()["error"]
    assert client.get("/v1/tag").status_code == 405


def test_a_good_request_after_bad_ones_still_works(client, fitted):
    for body, _, _ in BAD[:4]:
        client.post("/v1/tag", content=body)
    assert [r["labels"] for r in tag(client, texts=TEXTS)] == fitted.predict(TEXTS)


# -- the model file and `sectors serve` ----------------------------------------------


def sectors(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "classifier", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=timeout)


def test_bad_model_stops_the_start_with_the_cli_error(tmp_path, model_path):
    bad = tmp_path / "bad.joblib"
    shutil.copy(model_path, bad)
    shutil.copy(model_path.with_suffix(".json"), bad.with_suffix(".json"))
    with open(bad, "ab") as fh:
        fh.write(b"edited")
    with pytest.raises(ModelError, match="sha256"):
        create_app(bad)
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    served = sectors("serve", "--model", str(bad), "--port", str(free_port()))
    tagged = sectors("tag", str(article), "--model", str(bad))
    assert served.returncode == tagged.returncode == 2
    assert served.stderr == tagged.stderr
    assert served.stderr.count("\n") == 1 and "sha256" in served.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(url: str, body: dict | None = None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as res:
        return json.load(res)


def test_sectors_serve_with_two_workers_answers_on_loopback(model_path, fitted):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "classifier", "serve", "--model", str(model_path),
         "--port", str(port), "--workers", "2"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        pids = set()
        deadline = time.time() + 60
        while len(pids) < 2 and time.time() < deadline:
            assert proc.poll() is None, proc.stdout.read().decode()
            try:
                pids.add(http(f"{base}/healthz")["pid"])
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        assert len(pids) == 2, "two worker processes, each with its model"
        results = http(f"{base}/v1/tag", {"texts": TEXTS})["results"]
        assert [r["labels"] for r in results] == fitted.predict(TEXTS)
    finally:
        os.killpg(proc.pid, 2)
        proc.wait(timeout=30)


# -- the page in a headless browser --------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def live_server():
    """The app with the shipped model under uvicorn, in a thread, on 127.0.0.1."""
    uvicorn = pytest.importorskip("uvicorn")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture()
def browser(tmp_path):
    if not CHROMIUM or not os.path.exists(CHROMEDRIVER):
        pytest.skip("no headless browser: apt-get install chromium chromium-driver")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                 f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(tmp_path)})
    # The driver is Debian's, named explicitly: selenium must not fetch one.
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def test_page_shows_the_sample_article_with_its_chips(live_server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    article = SAMPLE.read_text(encoding="utf-8")
    paragraphs = parse_article(article).paragraphs
    expected = load_model().predict(paragraphs)

    browser.get(live_server)
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#legend .chip"))
    box = browser.find_element(By.ID, "article")
    browser.execute_script("arguments[0].value = arguments[1];"
                           "arguments[0].dispatchEvent(new Event('input'));", box, article)
    browser.find_element(By.ID, "tag").click()
    WebDriverWait(browser, 20).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "#results .para")) == len(paragraphs))

    rows = browser.find_elements(By.CSS_SELECTOR, "#results .para")
    chips = [[c.get_attribute("data-label") for c in row.find_elements(By.CSS_SELECTOR, ".chip")]
             for row in rows]
    assert chips == expected
    texts = [row.find_element(By.CSS_SELECTOR, ".text").text for row in rows]
    assert texts == paragraphs
    # The terms behind the labels are marked, and the chips carry their probability.
    assert browser.find_elements(By.CSS_SELECTOR, "#results mark")
    first = next(row for row, labels in zip(rows, expected) if labels)
    assert "probability" in first.find_element(By.CSS_SELECTOR, ".chip").get_attribute("title")

    browser.find_element(By.ID, "csv").click()
    deadline = time.time() + 10
    while not list(tmp_path.glob("*.csv")) and time.time() < deadline:
        time.sleep(0.1)
    [csv_file] = tmp_path.glob("*.csv")
    import pandas as pd

    table = pd.read_csv(csv_file, encoding="utf-8-sig", keep_default_na=False)
    assert table["text"].tolist() == paragraphs
    assert [l.split(";") if l else [] for l in table["labels"]] == expected
    assert {f"p_{label}" for label in load_model().labels} <= set(table.columns)
