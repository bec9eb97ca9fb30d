"""Write a folder of saved news pages of varied markup, with the answers beside them.

Each page wraps a short cooperation article (Russian text written for this script) in what
news and regional government sites put around an article: menus, breadcrumbs, photo
captions, "read also" lists and teaser cards, share buttons, subscription calls, cookie
notices and footers. Six site layouts; the publication date sits in a `<time>` element,
a meta tag, JSON-LD or only in visible text, with distractor dates (related news, the
copyright year) around it. Seeded: the same seed writes the same pages.

    python benchmarks/make_pages.py /tmp/pages            # 100 pages + truth.json
    python benchmarks/make_pages.py /tmp/pages -n 20 --seed 3

`truth.json` (ignored by `sectors tag DIR/`, which reads .html/.txt/.csv/.jsonl) holds,
per file: the layout, the article paragraphs in order, the date, the URL (or null) and the
region and partner country the article is about, as ISO codes. `benchmarks/pages_eval.py` scores the page reader against it.
"""
from __future__ import annotations

import argparse
import html
import json
import random
from datetime import date, timedelta
from pathlib import Path

MONTHS_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря"]

# (code, nominative, genitive, instrumental, prepositional phrase, capital in prepositional)
REGIONS = [
    ("RU-TA", "Татарстан", "Татарстана", "Татарстаном", "в Татарстане", "в Казани"),
    ("RU-BA", "Башкортостан", "Башкортостана", "Башкортостаном", "в Башкортостане", "в Уфе"),
    ("RU-ORE", "Оренбургская область", "Оренбургской области", "Оренбургской областью",
     "в Оренбургской области", "в Оренбурге"),
    ("RU-SVE", "Свердловская область", "Свердловской области", "Свердловской областью",
     "в Свердловской области", "в Екатеринбурге"),
    ("RU-NIZ", "Нижегородская область", "Нижегородской области", "Нижегородской областью",
     "в Нижегородской области", "в Нижнем Новгороде"),
    ("RU-SAM", "Самарская область", "Самарской области", "Самарской областью",
     "в Самарской области", "в Самаре"),
    ("RU-CU", "Чувашия", "Чувашии", "Чувашией", "в Чувашии", "в Чебоксарах"),
    ("RU-PER", "Пермский край", "Пермского края", "Пермским краем", "в Пермском крае", "в Перми"),
]
PARTNERS = [
    ("KZ", "Казахстан", "Казахстана", "Казахстаном", "в Казахстане", "казахстанские"),
    ("UZ", "Узбекистан", "Узбекистана", "Узбекистаном", "в Узбекистане", "узбекские"),
    ("CN", "Китай", "Китая", "Китаем", "в Китае", "китайские"),
    ("BY", "Беларусь", "Беларуси", "Беларусью", "в Беларуси", "белорусские"),
    ("TR", "Турция", "Турции", "Турцией", "в Турции", "турецкие"),
    ("IN", "Индия", "Индии", "Индией", "в Индии", "индийские"),
    ("AE", "ОАЭ", "ОАЭ", "ОАЭ", "в ОАЭ", "эмиратские"),
    ("KG", "Киргизия", "Киргизии", "Киргизией", "в Киргизии", "киргизские"),
]

# Sentences with slots: {R} region nominative, {Rg} genitive, {Ri} instrumental, {Rp} "in
# region", {C} capital "in city", {P}/{Pg}/{Pi}/{Pp} partner forms, {Pa} partner adjective
# (plural), {N} a number, {Y} a year.
SENTENCES = [
    "Товарооборот между {Ri} и {Pi} по итогам года вырос на {N}%.",
    "Стороны договорились расширить поставки продукции машиностроения и открыть совместное сборочное производство.",
    "{Pa} компании заинтересованы в закупках грузовой техники и комплектующих, выпускаемых {Rp}.",
    "Делегация {Pg} посетила индустриальный парк и познакомилась с работой резидентов.",
    "В ходе переговоров обсуждались вопросы поставок зерна, мяса птицы и молочной продукции.",
    "Аграрии {Rg} намерены увеличить экспорт масличных культур в {P_acc} в следующем сезоне.",
    "Отдельное внимание уделили развитию логистики: планируется запуск регулярного контейнерного поезда.",
    "Грузоперевозки по новому маршруту сократят сроки доставки товаров почти вдвое.",
    "Энергетики двух сторон обсудили строительство солнечной электростанции мощностью {N} мегаватт.",
    "Предприятия нефтехимического комплекса {Rg} готовы поставлять полимеры и синтетический каучук.",
    "Партнёры рассмотрели проект глубокой переработки газа с участием инвесторов из {Pg}.",
    "Университеты подписали соглашение об обмене студентами и совместных программах магистратуры.",
    "В {Y} году {C} пройдут Дни культуры {Pg} с выставками, концертами и кинопоказами.",
    "Стороны договорились о сотрудничестве в сфере здравоохранения и медицинского туризма.",
    "IT-компании {Rg} представили решения для цифровизации государственных услуг и умного города.",
    "Обсуждался совместный проект по подготовке специалистов в области искусственного интеллекта.",
    "По словам министра, в регионе работают более {N} предприятий с участием капитала из {Pg}.",
    "Подписанная дорожная карта включает {N} проектов на общую сумму свыше {N2} млрд рублей.",
    "Торговый дом {Rg} откроет представительство {Pp} до конца года.",
    "Участники встречи отметили высокий интерес бизнеса к выставке, которая пройдёт {C} осенью.",
    "Экспорт продукции агропромышленного комплекса {Rg} в {P_acc} за девять месяцев превысил {N} млн долларов.",
    "Стороны обсудили возможность открытия прямого авиасообщения между {C_gen} и столицей {Pg}.",
    "Фермерам {Pg} предложили сельскохозяйственную технику на условиях лизинга.",
    "Энергосистемы соседних регионов планируют объединить для повышения надёжности электроснабжения.",
]
SUBHEADS = ["Промышленная кооперация", "Новые рынки сбыта", "Логистика и транспорт",
            "Гуманитарные связи", "Цифровая повестка", "Планы на будущее"]
HEADLINES = [
    "{R} и {P} расширят сотрудничество в промышленности",
    "Делегация {Pg} провела переговоры {Rp}",
    "{R} нарастит поставки продукции в {P_acc}",
    "Деловые круги {Rg} и {Pg} подписали соглашения",
    "{P} заинтересован в продукции предприятий {Rg}",
]
TEASERS = [
    "В регионе открылся новый логистический центр",
    "Итоги международной выставки подвели в правительстве",
    "Студенты из зарубежных стран приступили к учёбе",
    "Аграрии завершили уборку зерновых",
    "Экспортёры получили поддержку на выход на новые рынки",
    "Губернатор встретился с представителями малого бизнеса",
    "На заводе запустили линию по выпуску комплектующих",
    "Молодёжный форум собрал участников из десяти стран",
]
TEASER_LEADS = [
    "Новый объект позволит создать около двухсот рабочих мест и ускорит обработку грузов.",
    "Экспозиция собрала более трёхсот компаний, а число посетителей превысило прошлогоднее.",
    "Большинство первокурсников выбрали инженерные и медицинские специальности.",
]
CAPTIONS = ["Фото: пресс-служба правительства", "Фото: {author}", "Фото пресс-службы министерства",
            "Фото: архив редакции", "Источник фото: официальный сайт региона"]
AUTHORS = ["Ильдар Сафин", "Анна Кузнецова", "Марат Гильманов", "Ольга Петрова"]
COOKIES = [
    "Мы используем файлы cookie, чтобы сайт работал лучше. Продолжая пользоваться сайтом, вы соглашаетесь с этим.",
    "Этот сайт использует cookies для улучшения работы. Подробнее в политике конфиденциальности.",
    "Продолжая просмотр сайта, вы даёте согласие на обработку файлов cookie и персональных данных.",
    "Сайт использует куки и сервисы веб-аналитики. Оставаясь на сайте, вы соглашаетесь с их использованием.",
]
SUBSCRIBE = [
    "Подписывайтесь на наш канал в Telegram, чтобы первыми узнавать главные новости региона.",
    "Подпишитесь на нас в Дзене и ВКонтакте.",
    "Читайте нас в Telegram и MAX.",
    "Больше новостей — в нашем телеграм-канале.",
]
MENU = ["Главная", "Новости", "Экономика", "Политика", "Общество", "Культура", "Спорт",
        "Происшествия", "Регионы", "Контакты"]
FOOTER = [
    "© {year} Информационное агентство. Все права защищены.",
    "При полном или частичном использовании материалов ссылка на источник обязательна.",
    "Сетевое издание зарегистрировано Роскомнадзором. 18+",
    "Адрес редакции: ул. Центральная, 1. Телефон редакции: +7 (800) 000-00-00",
]


def _fill(template: str, rng: random.Random, reg, par) -> str:
    cities_gen = {"в Казани": "Казанью", "в Уфе": "Уфой", "в Оренбурге": "Оренбургом",
                  "в Екатеринбурге": "Екатеринбургом", "в Нижнем Новгороде": "Нижним Новгородом",
                  "в Самаре": "Самарой", "в Чебоксарах": "Чебоксарами", "в Перми": "Пермью"}
    acc = {"Турция": "Турцию", "Индия": "Индию", "Киргизия": "Киргизию"}
    return template.format(
        R=reg[1], Rg=reg[2], Ri=reg[3], Rp=reg[4], C=reg[5], C_gen=cities_gen[reg[5]],
        P=par[1], Pg=par[2], Pi=par[3], Pp=par[4], Pa=par[5].capitalize() if template.startswith("{Pa}") else par[5],
        P_acc=acc.get(par[1], par[1]), N=rng.randint(3, 95), N2=rng.randint(10, 400),
        Y=rng.choice([2025, 2026]),
    )


def _paragraph(rng: random.Random, reg, par, used: set) -> str:
    k = rng.choice([1, 2, 2, 3])
    choices = [s for s in SENTENCES if s not in used] or SENTENCES
    picked = rng.sample(choices, min(k, len(choices)))
    used.update(picked)
    return " ".join(_fill(s, rng, reg, par) for s in picked)


def _ru_date(d: date) -> str:
    return f"{d.day} {MONTHS_GEN[d.month - 1]} {d.year}"


def _esc(s: str) -> str:
    return html.escape(s, quote=True)


def make_article(rng: random.Random, index: int) -> dict:
    reg, par = rng.choice(REGIONS), rng.choice(PARTNERS)
    published = date(2024, 1, 1) + timedelta(days=rng.randint(0, 1030))
    used: set = set()
    n = rng.choice([2, 2, 3, 4, 5, 6, 7, 8])
    paras = [_paragraph(rng, reg, par, used) for _ in range(n)]
    # The lead names both sides, so every article says who cooperates with whom.
    paras[0] = f"{reg[1]} и {par[1]} " + rng.choice([
        "договорились о расширении сотрудничества.",
        "обсудили новые совместные проекты.",
        "подвели итоги года взаимной торговли.",
    ]) + " " + paras[0]
    subhead_at = rng.randint(2, n - 1) if n >= 5 and rng.random() < 0.4 else None
    body = []
    for i, p in enumerate(paras):
        if i == subhead_at:
            body.append(("h2", rng.choice(SUBHEADS)))
        body.append(("p", p))
    return {
        "index": index,
        "title": _fill(rng.choice(HEADLINES), rng, reg, par),
        "date": published,
        "body": body,
        "places": [reg[0], par[0]],
        "slug": f"news-{index:03d}",
    }


# -- layouts --------------------------------------------------------------------------

def _head(title: str, extra: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html lang="ru">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{_esc(title)} — Новости</title>\n{extra}</head>\n")


def _nav(rng) -> str:
    items = "".join(f'<li><a href="/{i}/">{m}</a></li>' for i, m in enumerate(rng.sample(MENU, 7)))
    return f'<header class="site-header"><div class="logo">Новости региона</div><nav><ul class="menu">{items}</ul></nav></header>\n'


def _related_list(rng, pub: date, with_dates: bool) -> str:
    items = []
    for t in rng.sample(TEASERS, 4):
        d = pub - timedelta(days=rng.randint(1, 40))
        stamp = f'<span class="date">{d:%d.%m.%Y}</span> ' if with_dates else ""
        items.append(f'<li>{stamp}<a href="/news/{rng.randint(1000, 9999)}">{t}</a></li>')
    return "".join(items)


def _footer(rng, pub: date) -> str:
    lines = "".join(f"<p>{_esc(f.format(year=pub.year + 1))}</p>" for f in rng.sample(FOOTER, 3))
    return f'<footer class="site-footer">{lines}<ul class="footer-menu"><li><a href="/about">О нас</a></li><li><a href="/ads">Реклама</a></li></ul></footer>\n'


def _cookie(rng, style: int) -> str:
    text = rng.choice(COOKIES)
    if style == 0:
        return f'<div class="cookie-notice"><p>{text}</p><button>Принять</button></div>\n'
    if style == 3:  # inside the article's container, as some templates put it
        return f'<p class="cookie">{text}</p>\n'
    if style == 1:
        return f'<div id="cookie-consent" class="popup">{text} <a href="/privacy">Подробнее</a> <button>OK</button></div>\n'
    return f'<section class="gdpr"><span>{text}</span></section>\n'


def _caption(rng) -> str:
    return rng.choice(CAPTIONS).format(author=rng.choice(AUTHORS))


def _body_html(art: dict, rng, caption_in_body: bool, inline_read_also: bool,
               subscribe: bool, br_mode: bool = False) -> str:
    out = []
    for i, (tag, text) in enumerate(art["body"]):
        if br_mode:
            out.append(_esc(text) + "<br><br>\n" if tag == "p" else f"<b>{_esc(text)}</b><br><br>\n")
        else:
            out.append(f"<{tag}>{_esc(text)}</{tag}>\n")
        if i == 1 and caption_in_body:
            out.append(f'<figure class="photo"><img src="/img/{rng.randint(1, 999)}.jpg" alt="">'
                       f"<figcaption>{_esc(_caption(rng))}</figcaption></figure>\n")
        if i == 2 and inline_read_also:
            out.append(f'<p><strong>Читайте также:</strong> <a href="/news/{rng.randint(1000, 9999)}">'
                       f"{rng.choice(TEASERS)}</a></p>\n")
    if subscribe:
        out.append(f"<p><em>{_esc(rng.choice(SUBSCRIBE))}</em></p>\n")
    return "".join(out)


def layout_portal(art, rng) -> tuple[str, str | None]:
    """<time datetime>, figure captions, an aside "Читайте также" list, cookie div."""
    d = art["date"]
    url = f"https://portal.example.ru/news/{art['slug']}"
    head = _head(art["title"], f'<link rel="canonical" href="{url}">\n')
    body = _body_html(art, rng, caption_in_body=True, inline_read_also=rng.random() < 0.5,
                      subscribe=rng.random() < 0.5)
    page = (head + "<body>\n" + _nav(rng)
            + f'<div class="breadcrumbs"><a href="/">Главная</a> / <a href="/news/">Новости</a></div>\n'
            + f'<main><article class="news">\n<h1>{_esc(art["title"])}</h1>\n'
            + f'<div class="meta"><time datetime="{d.isoformat()}T{rng.randint(8, 20):02d}:15:00+03:00">'
            + f"{_ru_date(d)}, {rng.randint(8, 20):02d}:15</time> <span class=\"views\">{rng.randint(100, 9000)}</span></div>\n"
            + f'<div class="article-text">\n{body}</div>\n'
            + '<div class="share">Поделиться: <a href="#">ВКонтакте</a> <a href="#">Telegram</a> <a href="#">Одноклассники</a></div>\n'
            + "</article>\n"
            + f'<aside class="related"><h3>Читайте также</h3><ul>{_related_list(rng, d, True)}</ul></aside>\n'
            + "</main>\n" + _cookie(rng, 0) + _footer(rng, d) + "</body>\n</html>\n")
    return page, url


def layout_gov(art, rng) -> tuple[str, str | None]:
    """A regional government site: the date only as visible dd.mm.yyyy text, gallery captions."""
    d = art["date"]
    body = _body_html(art, rng, caption_in_body=False, inline_read_also=False, subscribe=False)
    if rng.random() < 0.5:
        body += _cookie(rng, 3)
    gallery = "".join(
        f'<div class="gallery-item"><img src="/photo/{rng.randint(1, 999)}.jpg"><div class="caption">{_esc(_caption(rng))}</div></div>'
        for _ in range(rng.randint(1, 3)))
    latest = _related_list(rng, d, True)
    page = (_head(art["title"]) + "<body>\n" + _nav(rng)
            + '<div class="layout"><div class="content">\n'
            + f'<div class="news-date">{d:%d.%m.%Y}</div>\n<h1 class="news-title">{_esc(art["title"])}</h1>\n'
            + f'<div class="news-detail">\n{body}</div>\n<div class="gallery">{gallery}</div>\n'
            + '<div class="print-version"><a href="?print=y">Версия для печати</a></div>\n'
            + '</div>\n<div class="sidebar"><div class="block-title">Последние новости</div>'
            + f"<ul>{latest}</ul></div></div>\n"
            + _cookie(rng, 2) + _footer(rng, d) + "</body>\n</html>\n")
    return page, None


def layout_meta(art, rng) -> tuple[str, str | None]:
    """Date in article:published_time only; og:url; teaser cards with lead paragraphs."""
    d = art["date"]
    url = f"https://www.news-example.ru/{d.year}/{d.month:02d}/{art['slug']}.html"
    head = _head(art["title"], (
        f'<meta property="og:url" content="{url}">\n<meta property="og:type" content="article">\n'
        f'<meta property="og:title" content="{_esc(art["title"])}">\n'
        f'<meta property="article:published_time" content="{d.isoformat()}T09:30:00+03:00">\n'))
    body = _body_html(art, rng, caption_in_body=rng.random() < 0.5, inline_read_also=rng.random() < 0.5,
                      subscribe=True)
    cards = "".join(
        f'<div class="card"><a href="/news/{rng.randint(1000, 9999)}"><h3>{t}</h3><p>{rng.choice(TEASER_LEADS)}</p></a></div>'
        for t in rng.sample(TEASERS, 3))
    page = (head + "<body>\n" + _nav(rng)
            + f'<div class="post"><h1>{_esc(art["title"])}</h1>\n'
            + f'<div itemprop="articleBody" class="post-body">\n{body}</div>\n'
            + '<div class="tags">Теги: <a href="/tag/1">экономика</a>, <a href="/tag/2">сотрудничество</a></div>\n'
            + f'</div>\n<div class="more-news"><h2>Другие новости</h2>{cards}</div>\n'
            + _cookie(rng, 1) + _footer(rng, d) + "</body>\n</html>\n")
    return page, url


def layout_jsonld(art, rng) -> tuple[str, str | None]:
    """JSON-LD datePublished; paragraphs as <p> in an old table-and-div template."""
    d = art["date"]
    url = f"https://agency.example.org/ru/news/{art['slug']}/"
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": art["title"],
                     "datePublished": f"{d.isoformat()}T12:00:00+03:00",
                     "dateModified": f"{(d + timedelta(days=rng.randint(1, 5))).isoformat()}T08:00:00+03:00",
                     "url": url}, ensure_ascii=False)
    head = _head(art["title"], f'<script type="application/ld+json">{ld}</script>\n<link rel="canonical" href="{url}">\n')
    br_mode = rng.random() < 0.3
    body = _body_html(art, rng, caption_in_body=True, inline_read_also=True,
                      subscribe=rng.random() < 0.5, br_mode=br_mode)
    page = (head + "<body>\n" + _nav(rng)
            + f'<div id="content"><div class="article"><h1>{_esc(art["title"])}</h1>\n'
            + f'<div class="text">\n{body}</div>\n'
            + '<div class="social">Поделиться в соцсетях</div>\n'
            + f'<div class="read-more"><b>Читайте также:</b><ul>{_related_list(rng, d, False)}</ul></div>\n'
            + "</div></div>\n" + _cookie(rng, 0) + _footer(rng, d) + "</body>\n</html>\n")
    return page, url


def layout_blog(art, rng) -> tuple[str, str | None]:
    """A CMS theme: visible Russian date words only, captions as <p> inside the content."""
    d = art["date"]
    parts = []
    for i, (tag, text) in enumerate(art["body"]):
        parts.append(f"<{tag}>{_esc(text)}</{tag}>\n")
        if i == 0:
            parts.append(f'<div class="wp-caption"><img src="/wp-content/{rng.randint(1, 999)}.jpg">'
                         f'<p class="wp-caption-text">{_esc(_caption(rng))}</p></div>\n')
    if rng.random() < 0.6:
        parts.append(f"<p>{_esc(rng.choice(SUBSCRIBE))}</p>\n")
    page = (_head(art["title"]) + "<body>\n" + _nav(rng)
            + f'<div class="entry"><h1 class="entry-title">{_esc(art["title"])}</h1>\n'
            + f'<div class="entry-meta">Опубликовано {_ru_date(d)} г. | Автор: {rng.choice(AUTHORS)}</div>\n'
            + f'<div class="entry-content">\n{"".join(parts)}</div>\n'
            + '<div class="comments"><h3>Комментарии</h3><p>Комментариев пока нет.</p></div>\n'
            + '</div>\n<div class="widget"><h3>Свежие записи</h3><ul>'
            + _related_list(rng, d, False) + "</ul></div>\n"
            + _cookie(rng, rng.randint(0, 2)) + _footer(rng, d) + "</body>\n</html>\n")
    return page, None


def layout_divs(art, rng) -> tuple[str, str | None]:
    """Paragraphs as <div>s, the lead above the photo, a quote, an in-text link list, an ad
    and an error-report line inside the text, today's date in the site header."""
    d = art["date"]
    url = f"https://city.example.ru/news/{d:%Y%m%d}/{art['slug']}"
    paras = [t for _, t in art["body"]]
    lead, rest = art["body"][0][1], art["body"][1:]
    inner = []
    for i, (tag, text) in enumerate(rest):
        if tag == "h2":
            inner.append(f'<div class="subtitle"><strong>{_esc(text)}</strong></div>\n')
        elif i == 1 and rng.random() < 0.5:
            inner.append(f"<blockquote>{_esc(text)}</blockquote>\n")
        else:
            inner.append(f'<div class="paragraph">{_esc(text)}</div>\n')
        if i == 0:
            links = "".join(f'<li><a href="/news/{rng.randint(1000, 9999)}">{t}</a></li>' for t in rng.sample(TEASERS, 2))
            inner.append(f'<div class="inline-links"><div>По теме:</div><ul>{links}</ul></div>\n')
            inner.append('<div class="adv"><span>Реклама</span><div id="ad-slot-1"></div></div>\n')
    inner.append('<div class="typo">Нашли опечатку? Выделите текст и нажмите Ctrl+Enter</div>\n')
    today = date(2026, 12, 5)
    page = (_head(art["title"], f'<meta property="og:url" content="{url}">\n')
            + "<body>\n" + f'<header><div class="today">{_ru_date(today)}</div>' + _nav(rng) + "</header>\n"
            + f'<main><div class="article-header"><h1>{_esc(art["title"])}</h1>'
            + f'<span class="pub">{_ru_date(d)}, {rng.randint(8, 20):02d}:{rng.randint(0, 59):02d}</span></div>\n'
            + f'<div class="lead"><p>{_esc(lead)}</p></div>\n'
            + f'<div class="main-photo"><img src="/i/{rng.randint(1, 999)}.jpg"><span class="photo-author">{_esc(_caption(rng))}</span></div>\n'
            + f'<div class="article-body">\n{"".join(inner)}</div>\n'
            + _cookie(rng, rng.randint(0, 2))
            + f'</main>\n<div class="popular"><h3>Популярное</h3><ul>{_related_list(rng, d, True)}</ul></div>\n'
            + _footer(rng, d) + "</body>\n</html>\n")
    assert paras[0] == lead
    return page, url


LAYOUTS = [layout_portal, layout_gov, layout_meta, layout_jsonld, layout_blog, layout_divs]


def make_pages(out: Path, n: int = 100, seed: int = 0) -> dict:
    """Write `n` pages and truth.json into `out`; return the truth."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    truth = {}
    for i in range(n):
        art = make_article(rng, i)
        layout = LAYOUTS[i % len(LAYOUTS)]
        page, url = layout(art, rng)
        name = f"{art['slug']}.html"
        (out / name).write_text(page, encoding="utf-8")
        truth[name] = {
            "layout": layout.__name__,
            "date": art["date"].isoformat(),
            "url": url,
            "paragraphs": [t for _, t in art["body"]],
            "places": art["places"],
        }
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", help="folder to write the pages into")
    ap.add_argument("-n", type=int, default=100, help="number of pages (default 100)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    make_pages(Path(args.out), args.n, args.seed)
    print(f"{args.n} pages and truth.json written to {args.out}")


if __name__ == "__main__":
    main()
