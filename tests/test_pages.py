"""Saved news pages: article paragraphs in, furniture out, date and URL found.

The pages are written here in the markup shapes of Russian news and regional government
sites (menus, captions, «Читайте также», cookie notices, footers); the text is our own.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from classifier.io import InputError, iter_paragraphs
from classifier.pages import is_boilerplate, read_page

ARTICLE = [
    "Татарстан и Казахстан договорились расширить поставки грузовой техники и запчастей.",
    "Стороны обсудили открытие сервисного центра в Костанае и обучение местных механиков на заводе в Набережных Челнах.",
    "Кроме того, партнёры намерены запустить прямой грузовой поезд между Казанью и Астаной уже весной.",
    "Казахстанская сторона предложила провести следующий деловой форум в Алматы осенью.",
]


def _p(texts):
    return "\n".join(f"<p>{t}</p>" for t in texts)


PORTAL = f"""<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">
<title>Татарстан и Казахстан расширят поставки техники</title>
<link rel="canonical" href="https://news.example.ru/economy/tatarstan-kazakhstan">
</head><body>
<header><div class="today">5 декабря 2026</div><nav><ul class="menu"><li><a href="/">Главная</a></li>
<li><a href="/economy">Экономика</a></li><li><a href="/politics">Политика</a></li><li><a href="/sport">Спорт</a></li></ul></nav></header>
<main><article>
<h1>Татарстан и Казахстан расширят поставки техники</h1>
<div class="meta"><time datetime="2025-05-12T10:15:00+03:00">12 мая 2025, 10:15</time></div>
<div class="article-text">
<p>{ARTICLE[0]}</p>
<figure><img src="/img/1.jpg" alt=""><figcaption>Фото: пресс-служба Раиса РТ</figcaption></figure>
<p>{ARTICLE[1]}</p>
<p><strong>Читайте также:</strong> <a href="/news/2">В Казани открылся новый логистический центр</a></p>
<p>{ARTICLE[2]}</p>
<p>{ARTICLE[3]}</p>
<p><em>Подписывайтесь на наш канал в Telegram, чтобы первыми узнавать новости экономики.</em></p>
</div>
<div class="share">Поделиться: <a href="#">ВКонтакте</a> <a href="#">Telegram</a></div>
</article>
<aside class="related"><h3>Читайте также</h3><ul>
<li><span class="date">02.05.2025</span> <a href="/news/3">Аграрии завершили посевную кампанию</a></li>
<li><span class="date">28.04.2025</span> <a href="/news/4">На заводе запустили новую линию</a></li>
</ul></aside></main>
<div class="cookie-notice"><p>Мы используем файлы cookie, чтобы сайт работал лучше. Продолжая пользоваться сайтом, вы соглашаетесь с этим.</p><button>Принять</button></div>
<footer><p>© 2026 Информационное агентство. Все права защищены.</p>
<p>При полном или частичном использовании материалов ссылка на источник обязательна.</p></footer>
</body></html>"""

META_ONLY = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Делегация Узбекистана в Уфе</title>
<meta property="og:url" content="https://www.example.org/2024/09/uzbekistan-ufa.html">
<meta property="article:published_time" content="2024-09-03T09:30:00+05:00">
</head><body><div class="menu"><a href="/">Главная</a> <a href="/news">Новости</a></div>
<div class="post"><h1>Делегация Узбекистана в Уфе</h1>
<div itemprop="articleBody">
<p>Делегация Ташкентской области провела переговоры в Уфе о поставках хлопковой пряжи для текстильных фабрик Башкортостана.</p>
<p class="wp-caption-text">Фото: Анна Кузнецова</p>
<p>Башкирские аграрии предложили узбекским партнёрам семена подсолнечника и технологии хранения урожая.</p>
<p>Больше новостей — в нашем телеграм-канале.</p>
</div><div class="tags">Теги: <a href="/t/1">экономика</a></div></div>
<div class="more-news"><h2>Другие новости</h2><div class="card"><a href="/n/5"><h3>Итоги выставки подвели в правительстве</h3>
<p>Экспозиция собрала более трёхсот компаний, а число посетителей превысило прошлогоднее.</p></a></div></div>
<section class="gdpr"><span>Сайт использует куки и сервисы веб-аналитики. Оставаясь на сайте, вы соглашаетесь с их использованием.</span></section>
</body></html>"""

VISIBLE_DATE_BR = """<!DOCTYPE html><html><head><meta charset="windows-1251"><title>Новости</title></head><body>
<div class="header">Новости региона</div>
<div class="news-date">Опубликовано 7 февраля 2026 г.</div>
<div class="text">Оренбургская область и Казахстан открыли новый пункт пропуска для грузовиков на границе.<br><br>
По словам губернатора, пропускная способность перехода вырастет до тысячи машин в сутки.<br><br>
Фото: архив редакции<br><br>
Строительство обошлось в два миллиарда рублей, работы заняли полтора года.</div>
<div class="footer">© 2027 Оренбургские новости</div></body></html>"""


def _write(tmp_path: Path, name: str, html: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(html.encode(encoding))
    return path


def test_article_paragraphs_without_menus_captions_read_also_cookies_footer():
    page = read_page(PORTAL.encode("utf-8"), "saved/portal.html")
    assert page.paragraphs == ARTICLE
    assert page.date == "2025-05-12"  # the article's <time>, not today's date or related news
    assert page.source == "https://news.example.ru/economy/tatarstan-kazakhstan"
    assert page.title == "Татарстан и Казахстан расширят поставки техники"


def test_date_from_meta_url_from_og_and_teaser_cards_dropped():
    page = read_page(META_ONLY.encode("utf-8"), "meta.html")
    assert page.date == "2024-09-03"
    assert page.source == "https://www.example.org/2024/09/uzbekistan-ufa.html"
    assert len(page.paragraphs) == 2
    assert page.paragraphs[0].startswith("Делегация Ташкентской области")
    assert page.paragraphs[1].startswith("Башкирские аграрии")


def test_visible_date_and_br_separated_paragraphs_in_a_cp1251_page(tmp_path):
    path = _write(tmp_path, "br.html", VISIBLE_DATE_BR, "cp1251")
    (frame,) = list(iter_paragraphs([str(path)]))
    assert frame["text"].tolist() == [
        "Оренбургская область и Казахстан открыли новый пункт пропуска для грузовиков на границе.",
        "По словам губернатора, пропускная способность перехода вырастет до тысячи машин в сутки.",
        "Строительство обошлось в два миллиарда рублей, работы заняли полтора года.",
    ]
    assert set(frame["date"]) == {"2026-02-07"}  # not the footer's © year
    assert set(frame["source"]) == {str(path)}  # no URL in the page: its file
    assert frame["paragraph"].tolist() == [1, 2, 3]


@pytest.mark.parametrize("row", [
    "Фото: пресс-служба Раиса РТ",
    "Фото пресс-службы министерства сельского хозяйства",
    "Читайте также: Аграрии завершили уборку зерновых",
    "Подпишитесь на нас в Дзене и ВКонтакте.",
    "Мы используем файлы cookie для улучшения работы сайта.",
    "© 2025 Все права защищены",
    "12.05.2025 10:15",
    "12 мая 2025, 10:15",
    "Нашли опечатку? Выделите текст и нажмите Ctrl+Enter",
])
def test_furniture_rows(row):
    assert is_boilerplate(row)


@pytest.mark.parametrize("row", [
    "Фотовыставку о дружбе Татарстана и Узбекистана откроют в Ташкенте в мае.",
    "Об этом губернатор сообщил в своём телеграм-канале после встречи с послом Казахстана.",
    "Планы на будущее",
    "Подписанное соглашение предусматривает поставки зерна в Китай по железной дороге.",
    # long rows are article text whatever words they hold
    "Читайте также в отчёте министерства: " + "экспорт зерна в Казахстан вырос, " * 10,
])
def test_article_rows_are_kept(row):
    assert not is_boilerplate(row)


def test_a_page_without_article_text_is_an_error_naming_the_file(tmp_path):
    path = _write(tmp_path, "empty.html", "<html><body><nav><a href='/'>Главная</a></nav></body></html>")
    with pytest.raises(InputError, match="empty.html: no article text"):
        list(iter_paragraphs([str(path)]))


def test_generated_pages_meet_the_extraction_targets(tmp_path):
    # The benchmark's page generator on a small folder: every layout twice.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from make_pages import LAYOUTS, make_pages
    from pages_eval import evaluate

    make_pages(tmp_path, n=2 * len(LAYOUTS), seed=11)
    result = evaluate(tmp_path)
    assert result["recovered"] >= 0.9
    assert result["boilerplate"] <= 0.05
    assert result["date"] >= 0.9
