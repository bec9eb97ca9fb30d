"""Saved news pages: the article's paragraphs, its publication date and its URL.

trafilatura finds the main text (menus, sidebars, teaser lists and footers go); on top of
it, rows that are page furniture in every Russian news template trafilatura keeps when
they sit inside the article's container are dropped: photo credits («Фото: ...»),
«Читайте также» links, subscription calls, cookie notices, copyright lines, share and tag
lines, and the headline repeated as a heading. The date is the publication date, looked
for in this order: structured metadata (JSON-LD, `article:published_time` and kin), a
`<time datetime>` outside sidebars and footers, a date written in the visible text before
the article's first paragraph (`12.05.2025`, `12 мая 2025`), then htmldate's guess.

>>> page = read_page(open("news.html", "rb").read(), "news.html")       # doctest: +SKIP
>>> page.source, page.date, page.paragraphs[0][:40]                     # doctest: +SKIP
('https://example.ru/news/1', '2025-05-12', 'Татарстан и Казахстан договорились о ра')
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

__all__ = ["Page", "read_page", "is_boilerplate", "page_date"]


@dataclass
class Page:
    """One saved page: `source` is its URL when the page states one, else the file name."""

    source: str
    date: str | None
    title: str | None
    paragraphs: list[str] = field(default_factory=list)


# -- boilerplate rows -----------------------------------------------------------------

# Each pattern matches a whole row of page furniture. Rows longer than _SHORT characters
# are article text whatever they contain: a cookie notice or a photo credit is one
# sentence, an article paragraph mentioning «фото» or «Telegram» is not furniture.
_SHORT = 260
_FURNITURE = re.compile(
    r"""^(?:
        (?:фото|фотография|видео|иллюстрация|скриншот|кадр|инфографика|коллаж)
            (?:\s*[:|/©—–-]|\s+(?:пресс|из\s|с\s+сайта|предоставлен|автора|архив|взят|:))
      | (?:источник|автор)\s+(?:фото|изображения|иллюстрации)\b
      | (?:читайте|смотрите)\s+(?:также|тоже|ещё|еще|нас|наш)\b
      | по\s+теме\s*[:.]
      | (?:подробн\w*|смотрите|читайте|весь\s+сюжет)\b.{0,40}\bпо\s+ссылке
      | (?:подписывайтесь|подпишитесь|присоединяйтесь|следите\s+за\s+(?:нами|новостями))\b
      | больше\s+(?:новостей|материалов|интересного)\b
      | (?:поделиться|поделитесь|теги|метки|рубрика)\s*[:]?\s*$
      | (?:теги|метки|ключевые\s+слова)\s*:
      | (?:версия\s+для\s+печати|распечатать|комментариев\s+пока\s+нет)
      | ©
      | реклама\s*$
      | [\d.:/\s,-]+$
      | \d{1,2}\s+(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)
            \s+\d{4}(?:\s*(?:г\.|года?))?[\s,|]*(?:в\s+)?(?:\d{1,2}:\d{2})?$
      | (?:опубликовано|обновлено|дата\s+публикации)\b.{0,40}\d{4}
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_FURNITURE_ANYWHERE = re.compile(
    r"""(?:
        \bcookies?\b|\bкуки\b|файл\w*\s+cookie
      | все\s+права\s+защищены
      | при\s+(?:полном\s+или\s+частичном\s+)?(?:использовании|копировании|цитировании|перепечатке)\s+материал
      | ссылка\s+на\s+(?:источник|сайт)\s+обязательна
      | ctrl\s*\+\s*enter
      | зарегистрирован\w*\s+(?:роскомнадзором|в\s+федеральной\s+службе)
    )""",
    re.IGNORECASE | re.VERBOSE,
)


def is_boilerplate(text: str) -> bool:
    """True for a row that is page furniture rather than article text.

    >>> is_boilerplate("Фото: пресс-служба Раиса РТ")
    True
    >>> is_boilerplate("Фото выставки разослали участникам форума вместе с итоговым докладом.")
    False
    """
    row = " ".join(text.split())
    if not row:
        return True
    if len(row) > _SHORT:
        return False
    return bool(_FURNITURE.match(row) or _FURNITURE_ANYWHERE.search(row))


# -- dates ----------------------------------------------------------------------------

_MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7,
    "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}
_NUMERIC = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})")
_WORDS = re.compile(
    r"\b(\d{1,2})\s+(января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|"
    r"ноября|декабря)\s+(\d{4})\b",
    re.IGNORECASE,
)
_META_DATE_KEYS = (
    "article:published_time", "og:article:published_time", "article:published",
    "datepublished", "pubdate", "publishdate", "publish-date", "publish_date",
    "dc.date", "dc.date.issued", "dcterms.created", "dcterms.issued", "date",
    "sailthru.date", "parsely-pub-date", "mediator_published_time",
)
# Containers whose dates belong to other articles or to the site, never to this one.
_ELSEWHERE = {"aside", "nav", "footer", "li", "a", "script", "style", "noscript", "template"}
_ARTICLE = {"article", "main"}
_ELSEWHERE_CLASS = re.compile(
    r"related|read-?more|more-news|sidebar|widget|teaser|card|comment|footer|menu|latest|"
    r"recommend|popular|also|similar|promo|banner|cookie|share",
    re.IGNORECASE,
)


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        value = date(y, m, d)
    except ValueError:
        return None
    # A page saved today was not published after tomorrow (time zones) or before the web.
    if value.year < 1995 or value > date.today() + timedelta(days=1):
        return None
    return value.isoformat()


def _parse_date(text: str) -> str | None:
    """The first date written in `text` as ISO, dd.mm.yyyy or «12 мая 2025»."""
    found = []
    for m in _ISO.finditer(text):
        found.append((m.start(), _valid(int(m[1]), int(m[2]), int(m[3]))))
    for m in _NUMERIC.finditer(text):
        found.append((m.start(), _valid(int(m[3]), int(m[2]), int(m[1]))))
    for m in _WORDS.finditer(text):
        month = next(v for k, v in _MONTHS.items() if m[2].lower().startswith(k))
        found.append((m.start(), _valid(int(m[3]), month, int(m[1]))))
    found = sorted(f for f in found if f[1])
    return found[0][1] if found else None


def _elsewhere(el) -> bool:
    node = el
    while node is not None:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if tag in _ELSEWHERE:
            return True
        # The site's header (today's date, the menu), not an <article>'s own <header>.
        if tag == "header" and not any(a.tag in _ARTICLE for a in node.iterancestors()):
            return True
        if _ELSEWHERE_CLASS.search(" ".join((node.get("class") or "", node.get("id") or ""))):
            return True
        node = node.getparent()
    return False


def _jsonld_dates(tree) -> list[str]:
    out = []
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if isinstance(item.get("datePublished"), str):
                    out.append(item["datePublished"])
                stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
    return out


def page_date(tree, html_text: str | None = None) -> str | None:
    """Publication date (ISO) of a parsed page, or None; see the module docstring."""
    for value in _jsonld_dates(tree):
        if found := _parse_date(value):
            return found
    metas = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _META_DATE_KEYS and meta.get("content"):
            metas.setdefault(key, meta.get("content"))
    for key in _META_DATE_KEYS:
        if key in metas and (found := _parse_date(metas[key])):
            return found
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        stamp = el.get("datetime") if el.tag == "time" else (
            el.get("content") or el.get("datetime") if (el.get("itemprop") or "").lower() == "datepublished" else None)
        if stamp and not _elsewhere(el) and (found := _parse_date(stamp)):
            return found
    found = _visible_date(tree)
    if found:
        return found
    if html_text is not None:
        try:
            from htmldate import find_date

            guess = find_date(html_text, outputformat="%Y-%m-%d", original_date=False,
                              extensive_search=False)
        except Exception:  # noqa: BLE001 - a guess that fails is no date, not a failed page
            guess = None
        return guess
    return None


def _visible_date(tree) -> str | None:
    """The first date in the visible text above the article's first long paragraph."""
    body = tree.find(".//body")
    if body is None:
        return None
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "noscript"):
            continue
        text = (el.text or "").strip()
        if len(text) > 200:  # the article has begun; dates below are inside or after it
            return None
        if text and not _elsewhere(el) and (found := _parse_date(text)):
            return found
    return None


# -- the page -------------------------------------------------------------------------


_BLOCKS = {
    "p", "head", "quote", "item", "list", "div", "table", "row", "cell", "body", "section",
    "article", "main", "blockquote", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "code",
}


def _rows(body) -> list[str]:
    """Text rows of trafilatura's body: one per paragraph, heading, list item, quote or
    table cell, at any depth (its fallback extractors return nested <div>s). Line breaks
    split a row; text loose between blocks (<br><br> layouts) makes rows of its own."""
    rows: list[str] = []

    def walk(el) -> None:
        parts = [el.text or ""]

        def flush() -> None:
            rows.extend(" ".join(p.split()) for p in parts)
            parts[:] = [""]

        for child in el:
            if child.tag == "lb":
                parts.append("")
            elif child.tag in _BLOCKS:
                flush()
                walk(child)
            else:
                parts[-1] += "".join(child.itertext())
            parts[-1] += child.tail or ""
        flush()

    walk(body)
    return [r for r in rows if r]


_LEAD_CLASS = re.compile(r"\b(?:lead|lede|announce|anons|intro|subtitle|summary|preview-text|"
                         r"article__lead|standfirst)\b", re.IGNORECASE)


def _lead(tree, rows: list[str]) -> str | None:
    """The article's lead when the template keeps it outside the article body, where
    trafilatura does not look: the first element marked as a lead, if it reads as text."""
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("meta", "script", "style"):
            continue
        marks = " ".join((el.get("class") or "", el.get("id") or "", el.get("itemprop") or ""))
        if not _LEAD_CLASS.search(marks.replace("_", "-")) and "description" != (el.get("itemprop") or ""):
            continue
        if _elsewhere(el):
            continue
        text = " ".join(" ".join(el.itertext()).split())
        if len(text) < 40 or is_boilerplate(text) or any(text in r or r in text for r in rows):
            return None
        return text
    return None


def _page_url(tree) -> str | None:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href", "").startswith("http"):
            return link.get("href").strip()
    for meta in tree.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == "og:url":
            value = (meta.get("content") or "").strip()
            if value.startswith("http"):
                return value
    return None


_MIN_ARTICLE = 40


def _title(tree) -> str:
    """The headline: og:title, else the first <h1>, else <title>."""
    for meta in tree.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == "og:title" and meta.get("content"):
            return " ".join(meta.get("content").split())
    for tag in ("h1", "title"):
        el = tree.find(f".//{tag}")
        if el is not None:
            text = " ".join(" ".join(el.itertext()).split())
            if text:
                return text
    return ""


def read_page(html: str | bytes, path: str) -> Page:
    """The article of one saved page: paragraphs, ISO date, title; `source` is the page's
    canonical URL (or og:url), else `path`. A page with no article text gives no
    paragraphs (the caller decides whether that is an error)."""
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return Page(path, None, None, [])
    html_text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    title = _title(tree)
    # Metadata off: the date and URL rules here replace trafilatura's (and run 2x faster).
    doc = trafilatura.bare_extraction(
        tree, with_metadata=False, include_comments=False, include_tables=True,
        include_images=False, include_links=False, deduplicate=False,
    )
    rows = _rows(doc.body) if doc is not None and doc.body is not None else []
    # bare_extraction works on (and prunes) the tree: parse again for dates and the URL.
    tree = load_html(html)
    title_key = title.lower().rstrip(".")
    kept = [r for r in rows if not is_boilerplate(r) and r.lower().rstrip(".") != title_key]
    if sum(len(r) for r in kept) < _MIN_ARTICLE:
        kept = []  # a menu word or two that a fallback extractor picked up, not an article
    lead = _lead(tree, kept) if kept else None
    if lead:
        kept.insert(0, lead)
    return Page(_page_url(tree) or path, page_date(tree, html_text), title or None, kept)
