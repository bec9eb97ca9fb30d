"""The cooperation report: how paragraphs count, the files written, the page in a browser."""
from __future__ import annotations

import base64
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from classifier.io import InputError
from classifier.placenames import place_name
from classifier.report import build_report, cooperation_counts

ROOT = Path(__file__).resolve().parents[1]

# `sectors tag --places` output for two short articles, written for the tests.
TAGGED = [
    # source, paragraph, date, text, labels, places
    ("kazan.html", 1, "2025-05-12", "Татарстан и Казахстан договорились о поставках грузовиков.", "industry;trade", "RU-TA;KZ"),
    ("kazan.html", 2, "2025-05-12", "Казахстанские аграрии закупят у республики семена.", "agro", "KZ"),
    ("kazan.html", 3, "2025-05-12", "Переговоры прошли в тёплой атмосфере.", "", "RU-TA"),
    ("kazan.html", 4, "2025-05-12", "Узбекская сторона присоединится к проекту.", "industry", "UZ"),
    ("ufa.html", 1, "2025-07-03", "Башкортостан и Оренбургская область отправят зерно в Китай.", "agro;transport", "RU-BA;RU-ORE;CN"),
    ("ufa.html", 2, "2025-07-03", "Россия наращивает экспорт продовольствия.", "agro", "RU"),
    ("moscow.txt", 1, "", "Китайские инвесторы вложатся в нефтехимию.", "petrochem", "CN"),
]
COLUMNS = ["source", "paragraph", "date", "text", "labels", "places"]


def write_tagged(path: Path, rows=TAGGED, columns=COLUMNS) -> Path:
    pd.DataFrame(rows, columns=COLUMNS)[columns].to_csv(path, index=False)
    return path


def _triples(counts: pd.DataFrame) -> set[tuple]:
    return {(int(r), reg, par, s) for r, reg, par, s in
            counts[["row", "region", "partner", "sector"]].itertuples(index=False)}


def test_each_paragraph_counts_once_per_region_partner_sector_with_the_article_as_context():
    df = pd.DataFrame(TAGGED, columns=COLUMNS)
    got = _triples(cooperation_counts(df))
    assert got == {
        (0, "RU-TA", "KZ", "industry"), (0, "RU-TA", "KZ", "trade"),
        (1, "RU-TA", "KZ", "agro"),                         # region from its article
        (3, "RU-TA", "UZ", "industry"),                     # its own partner, article's region
        (4, "RU-BA", "CN", "agro"), (4, "RU-ORE", "CN", "agro"),
        (4, "RU-BA", "CN", "transport"), (4, "RU-ORE", "CN", "transport"),
        (5, "RU-BA", "CN", "agro"), (5, "RU-ORE", "CN", "agro"),  # «Россия» is no partner
        (6, "RU", "CN", "petrochem"),                      # no region anywhere: unspecified
    }  # row 2 has no sector: not counted


def test_paragraph_only_counts_places_named_in_the_paragraph():
    df = pd.DataFrame(TAGGED, columns=COLUMNS)
    got = _triples(cooperation_counts(df, article_context=False))
    assert (1, "RU", "KZ", "agro") in got and (1, "RU-TA", "KZ", "agro") not in got
    assert not any(r == 5 for r, *_ in got)  # no foreign partner in the paragraph itself


def test_report_files_table_and_a_self_contained_page(tmp_path):
    result = build_report(write_tagged(tmp_path / "tagged.csv"), tmp_path / "report")
    names = sorted(p.name for p in result.files)
    assert names == ["cooperation.csv", "partners_sectors.png", "report.html",
                     "sectors_by_month.png", "top_partners.png"]
    assert result.paragraphs == 7 and result.counted == 6 and result.articles == 3
    table = pd.read_csv(tmp_path / "report" / "cooperation.csv", keep_default_na=False)
    assert list(table.columns) == ["region", "region_name", "partner", "partner_name", "sector",
                                   "paragraphs", "articles"]
    cell = table[(table.region == "RU-TA") & (table.partner == "KZ") & (table.sector == "industry")]
    assert cell[["region_name", "partner_name", "paragraphs", "articles"]].values.tolist() == [
        ["Татарстан", "Казахстан", 1, 1]]
    agro = table[(table.region == "RU-BA") & (table.partner == "CN") & (table.sector == "agro")]
    assert agro["paragraphs"].tolist() == [2]
    for png in ("partners_sectors.png", "sectors_by_month.png", "top_partners.png"):
        assert (tmp_path / "report" / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    # self-contained: every image inline, nothing fetched from anywhere
    assert not re.search(r"""(src|href)\s*=\s*["'](?!data:)""", page)
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert len(images) == 3 and all(base64.b64decode(i)[:4] == b"\x89PNG" for i in images)
    assert "Татарстан (RU-TA)" in page and "Казахстан (KZ)" in page and "Китай (CN)" in page
    assert "регион не назван" in page  # the Moscow paragraph names no region


def test_missing_places_column_is_an_error_naming_it(tmp_path):
    path = write_tagged(tmp_path / "tagged.csv", columns=COLUMNS[:-1])
    with pytest.raises(InputError, match=r"no column 'places'.*sectors tag --places"):
        build_report(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_bad_date_names_its_line(tmp_path):
    rows = list(TAGGED)
    rows[3] = rows[3][:2] + ("12 мая",) + rows[3][3:]
    with pytest.raises(InputError, match="line 5: date '12 мая'"):
        build_report(write_tagged(tmp_path / "tagged.csv", rows), tmp_path / "out")


def test_place_names():
    assert place_name("RU-BA") == "Башкортостан"
    assert place_name("ru-mow") == "Москва"
    assert place_name("CN") == "Китай"
    assert place_name("ZZ") == "ZZ"


# -- the page in a real browser ---------------------------------------------------------

def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def _chromium(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}"]
    return subprocess.run([browser, *flags, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(_browser() is None, reason="no chromium on this machine (.ci/run installs it)")
def test_report_renders_in_a_headless_browser(tmp_path):
    import matplotlib.image as mpimg

    build_report(write_tagged(tmp_path / "tagged.csv"), tmp_path / "report")
    url = (tmp_path / "report" / "report.html").as_uri()
    browser = _browser()
    dom = _chromium(browser, tmp_path / "p1", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-500:]
    for table_id in ("region-partner-sector", "region-partner"):
        table = re.search(rf'<table id="{table_id}">(.*?)</table>', dom.stdout, re.S)
        assert table and table.group(1).count("<tr>") >= 3
    assert dom.stdout.count("<img") == 3
    shot = tmp_path / "shot.png"
    res = _chromium(browser, tmp_path / "p2", "--window-size=1200,1600", f"--screenshot={shot}", url)
    assert res.returncode == 0 and shot.exists(), res.stderr[-500:]
    pixels = mpimg.imread(shot)[..., :3]
    assert pixels.std() > 0.05  # not a blank page
    dark = (pixels.mean(axis=2) < 0.5).mean()
    assert 0.005 < dark < 0.5  # text and charts drawn on a light page


def test_cli_report(tmp_path):
    tagged = write_tagged(tmp_path / "tagged.csv")
    res = subprocess.run([sys.executable, "-m", "classifier", "report", str(tagged), "-o",
                          str(tmp_path / "rep")], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "7 paragraphs, 6 counted" in res.stdout
    assert (tmp_path / "rep" / "report.html").exists()
    bad = write_tagged(tmp_path / "no_places.csv", columns=COLUMNS[:-1])
    res = subprocess.run([sys.executable, "-m", "classifier", "report", str(bad)],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert res.returncode == 2
    assert res.stderr.startswith("sectors: error:") and "no_places.csv" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
