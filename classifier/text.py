"""Russian text handling: articles into paragraphs, paragraphs into tokens and lemmas.

Knows Russian and nothing about models.

>>> art = parse_article("date 2025-11-01 Визит в Казахстан.\\nРеспублики обсудили поставки зерна.")
>>> art.date, art.paragraphs
('2025-11-01', ['Визит в Казахстан.', 'Республики обсудили поставки зерна.'])
>>> lemmas("Поставки зерна из Казахстана")
['поставка', 'зерно', 'казахстан']
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = [
    "Article",
    "parse_article",
    "split_paragraphs",
    "split_paragraph_lines",
    "normalize",
    "tokenize",
    "lemmatize",
    "lemmas",
    "get_morph",
    "morph_loaded",
    "release_morph",
    "BREAK",
    "STOP_TAGS",
    "NAME_TAGS",
    "name_tag",
]

_DATE_HEADER = re.compile(
    r"^\ufeff?\s*(?:date|дата)\s*:?[ \t]*"
    r"(?:(?P<iso>\d{4}-\d{1,2}-\d{1,2})|(?P<ru>\d{1,2}\.\d{1,2}\.\d{4}))(?![\d.-])\s*",
    re.IGNORECASE,
)

# Stress marks and soft hyphens sit inside words in copied texts and would split or
# hide them from the dictionary; control characters (NUL, ...) break CSV writers.
# (A regex, not str.translate: translate goes through a dict per character, ~10x slower.)
_INVISIBLE = re.compile("[\u0301\u0300\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_ENDS_SENTENCE = re.compile(r"[.!?:;…»\"\')]$")
# A line that starts in lower case (after any opening quote or bracket) carries on.
_LOWER_START = re.compile(r"^[«\"'(]*[a-zа-яё]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# A word: letters/digits, optionally joined by single hyphens («торгово-экономический»,
# «Казахстан-Татарстан»). A dangling hyphen («авиа- и железнодорожное») ends the word.
TOKEN_RE = re.compile(r"[0-9a-zа-яё]+(?:-[0-9a-zа-яё]+)*")

# Function words are dropped by part of speech, so every inflected form of a pronoun or
# a preposition goes, not only the forms someone thought to list.
STOP_TAGS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO", "NUMR", "PRED", "Apro"})
# Frequent content words that carry no sector and are not caught by their tag.
STOP_LEMMAS = frozenset(
    {"быть", "стать", "также", "ещё", "уже", "очень", "год", "который", "этот", "весь", "свой"}
)


@dataclass
class Article:
    """An article split into paragraphs, with the date from its date header and the
    line each paragraph starts on."""

    paragraphs: list[str] = field(default_factory=list)
    date: str | None = None
    lines: list[int] = field(default_factory=list)


def normalize(text: str) -> str:
    """Lower-case, drop stress marks, soft hyphens and control characters, fold ё into е.

    >>> normalize("Нефтехи\u0301мия и ёлки")
    'нефтехимия и елки'
    """
    text = _CONTROL.sub(" ", _INVISIBLE.sub("", text))
    return text.lower().replace("ё", "е")


def split_paragraphs(text: str) -> list[str]:
    """Split text into paragraphs: one per non-empty line, unless the text is hard-wrapped.

    A line is its own paragraph (headlines, posts ending in an emoji or a link, headings)
    unless it continues the sentence of the line before: it starts in lower case and the
    line before does not end a sentence. A blank-line block where most line breaks are
    such continuations is hard-wrapped and joined whole (a short heading above it kept apart).

    >>> split_paragraphs("Заголовок\\nПервый абзац.\\n\\nВторой абзац.")
    ['Заголовок', 'Первый абзац.', 'Второй абзац.']
    >>> split_paragraphs("Татарстан и Казахстан расширяют поставки\\nзерна и техники.\\n\\nВторой абзац.")
    ['Татарстан и Казахстан расширяют поставки зерна и техники.', 'Второй абзац.']
    >>> split_paragraphs("Казань и Ташкент обсудили поставки\\nВ Иннополисе открыли IT-школу")
    ['Казань и Ташкент обсудили поставки', 'В Иннополисе открыли IT-школу']
    """
    return [para for _, para in split_paragraph_lines(text)]


def split_paragraph_lines(text: str, wrapped: bool = True) -> list[tuple[int, str]]:
    """`split_paragraphs` with the 1-based line each paragraph starts on.

    `wrapped=False` never joins lines: every non-empty line is a paragraph.

    >>> split_paragraph_lines("Первая строка\\n\\nВторая строка")
    [(1, 'Первая строка'), (3, 'Вторая строка')]
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs: list[tuple[int, str]] = []
    block: list[tuple[int, str]] = []
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if line:
            block.append((number, line))
            continue
        paragraphs.extend(_block_paragraphs(block, wrapped))
        block = []
    paragraphs.extend(_block_paragraphs(block, wrapped))
    return paragraphs


def _continues(previous: str, line: str) -> bool:
    """`line` carries on the sentence `previous` broke off."""
    return bool(_LOWER_START.match(line)) and not _ENDS_SENTENCE.search(previous)


def _block_paragraphs(block: list[tuple[int, str]], wrapped: bool) -> list[tuple[int, str]]:
    if not wrapped or len(block) < 2:
        return list(block)
    lines = [line for _, line in block]
    breaks = [_continues(a, b) for a, b in zip(lines, lines[1:])]
    # A first line with no full stop, shorter than the lines under it, is a heading even
    # above wrapped text.
    body_length = sorted(len(line) for line in lines[1:])[(len(lines) - 1) // 2]
    heading = (
        len(lines[0]) < min(60, 0.75 * body_length)
        and not _ENDS_SENTENCE.search(lines[0])
        and not breaks[0]
    )
    body_breaks = breaks[1:] if heading else breaks
    if body_breaks and sum(body_breaks) > len(body_breaks) / 2:
        # Hard-wrapped block: most breaks fall mid-sentence, so every break is a wrap.
        start = 1 if heading else 0
        joined = (block[start][0], " ".join(lines[start:]))
        return ([block[0]] if heading else []) + [joined]
    out: list[tuple[int, str]] = []
    for (number, line), cont in zip(block, [False, *breaks]):
        if cont:
            out[-1] = (out[-1][0], f"{out[-1][1]} {line}")
        else:
            out.append((number, line))
    return out


def parse_article(text: str, wrapped: bool = True) -> Article:
    """Split an article into paragraphs and take its leading date header off.

    The header is `date 2025-11-03`, `date: 2025-11-03` or `Дата 2025-11-03` (also
    `03.11.2025`) at the start of the text; an impossible date is a `ValueError`.
    `wrapped=False` makes every non-empty line a paragraph.

    >>> parse_article("date 2025-11-01 Раис прибыл в Астану.").date
    '2025-11-01'
    >>> parse_article("Дата: 03.11.2025\\nРаис прибыл в Астану.").date
    '2025-11-03'
    """
    date = None
    match = _DATE_HEADER.match(text)
    if match:
        date = _iso_date(match)
        text = text[match.end():]
    pairs = split_paragraph_lines(text, wrapped)
    # Line numbers in the whole text: the header may have taken whole lines.
    shift = match.group(0).count("\n") if match else 0
    return Article(
        paragraphs=[p for _, p in pairs],
        date=date,
        lines=[n + shift for n, _ in pairs],
    )


def _iso_date(match: re.Match) -> str:
    import datetime as _dt

    if match.group("iso"):
        text = match.group("iso")
        y, m, d = text.split("-")
    else:
        text = match.group("ru")
        d, m, y = text.split(".")
    try:
        return _dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        raise ValueError(f"impossible date {text!r} in the date header") from None


def tokenize(text: str) -> list[str]:
    """Normalized word forms of `text`, hyphenated compounds kept whole.

    >>> tokenize("Авиа- и железнодорожное сообщение Казахстан-Татарстан")
    ['авиа', 'и', 'железнодорожное', 'сообщение', 'казахстан-татарстан']
    """
    return TOKEN_RE.findall(normalize(text))


_morph_lock = threading.Lock()
_MORPH = None


def get_morph():
    """The process-wide pymorphy3 MorphAnalyzer, created on first use.

    Kept in a module global (not a class attribute, not in any model) so models pickle
    without it and every process, forked or spawned, builds its own once.
    """
    global _MORPH
    if _MORPH is None:
        with _morph_lock:
            if _MORPH is None:
                import pymorphy3

                _MORPH = pymorphy3.MorphAnalyzer()
    return _MORPH


def morph_loaded() -> bool:
    """Whether this process has built its MorphAnalyzer."""
    return _MORPH is not None


def release_morph() -> None:
    """Drop the process-wide MorphAnalyzer (the next `get_morph` builds a new one): for
    a caller that needed it only to build tables, in a process that tags on."""
    global _MORPH
    with _morph_lock:
        _MORPH = None


BREAK = ""


@lru_cache(maxsize=1_000_000)
def lemmatize(form: str) -> str | None:
    """Lemma of one normalized word form; None for a function word; BREAK ("") for a
    number or a stray letter.

    Function words are transparent (a bigram spans them); numbers are not features but
    do separate their neighbours («поставки 500 тонн» has no bigram «поставка тонна»).
    Each distinct form is parsed once per process.

    >>> lemmatize("нефтехимии"), lemmatize("в"), lemmatize("2025")
    ('нефтехимия', None, '')
    """
    if not any(ch.isalpha() for ch in form):
        return BREAK
    parse = get_morph().parse(form)[0]
    tag = parse.tag
    if any(g in tag for g in STOP_TAGS):
        return None
    if len(form) < 2:
        return BREAK
    lemma = parse.normal_form.replace("ё", "е")
    if lemma in STOP_LEMMAS:
        return None
    return lemma


NAME_TAGS = ("Name", "Surn", "Patr", "Geox")


@lru_cache(maxsize=1_000_000)
def name_tag(form: str) -> str | None:
    """Which kind of proper name a normalized word form is by its first pymorphy3 parse:
    "Name", "Surn", "Patr" (first names, surnames, patronymics), "Geox" (places) or None.

    >>> name_tag("минниханов"), name_tag("казахстан"), name_tag("завод")
    ('Surn', 'Geox', None)
    """
    tag = get_morph().parse(form)[0].tag
    for kind in NAME_TAGS:
        if kind in tag:
            return kind
    return None


def lemmas(text: str) -> list[str]:
    """Content-word lemmas of `text`, in order, function words dropped.

    >>> lemmas("Студенты из Казахстана учатся в вузах Татарстана")
    ['студент', 'казахстан', 'учиться', 'вуз', 'татарстан']
    """
    out = []
    for form in tokenize(text):
        lemma = lemmatize(form)
        if lemma:
            out.append(lemma)
    return out
