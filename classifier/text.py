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
    "normalize",
    "tokenize",
    "lemmatize",
    "lemmas",
    "get_morph",
    "BREAK",
    "STOP_TAGS",
    "NAME_TAGS",
    "name_tag",
]

_DATE_HEADER = re.compile(r"^\ufeff?\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*", re.IGNORECASE)

# Stress marks and soft hyphens sit inside words in copied texts and would split or
# hide them from the dictionary; control characters (NUL, ...) break CSV writers.
# (A regex, not str.translate: translate goes through a dict per character, ~10x slower.)
_INVISIBLE = re.compile("[\u0301\u0300\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_ENDS_SENTENCE = re.compile(r"[.!?:;…»\"\')]$")
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
    """An article split into paragraphs, with the date from its `date YYYY-MM-DD` header."""

    paragraphs: list[str] = field(default_factory=list)
    date: str | None = None


def normalize(text: str) -> str:
    """Lower-case, drop stress marks, soft hyphens and control characters, fold ё into е.

    >>> normalize("Нефтехи\u0301мия и ёлки")
    'нефтехимия и елки'
    """
    text = _CONTROL.sub(" ", _INVISIBLE.sub("", text))
    return text.lower().replace("ё", "е")


def split_paragraphs(text: str) -> list[str]:
    """Split text into paragraphs: one per non-empty line, or per blank-line block.

    A block is joined into one paragraph when its lines are hard-wrapped (most of them
    break mid-sentence); otherwise every non-empty line is a paragraph, headings included.

    >>> split_paragraphs("Заголовок\\nПервый абзац.\\n\\nВторой абзац.")
    ['Заголовок', 'Первый абзац.', 'Второй абзац.']
    >>> split_paragraphs("Татарстан и Казахстан расширяют поставки\\nзерна и техники.\\n\\nВторой абзац.")
    ['Татарстан и Казахстан расширяют поставки зерна и техники.', 'Второй абзац.']
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        # A short first line with no full stop is a heading even above wrapped text.
        heading = (
            len(lines) > 1
            and len(lines[0]) < 60
            and not _ENDS_SENTENCE.search(lines[0])
            and lines[1][:1].isupper()
        )
        body = lines[1:] if heading else lines
        inner = body[:-1]
        # Hard-wrapped lines are long and mostly stop mid-sentence.
        wrapped = bool(inner) and sum(
            len(line) >= 30 and not _ENDS_SENTENCE.search(line) for line in inner
        ) > len(inner) / 2
        if wrapped and heading:
            paragraphs.append(lines[0])
            lines = body
        if wrapped:
            paragraphs.append(" ".join(lines))
        else:
            paragraphs.extend(lines)
    return paragraphs


def parse_article(text: str) -> Article:
    """Split an article into paragraphs and take its leading `date YYYY-MM-DD` header off.

    >>> parse_article("date 2025-11-01 Раис прибыл в Астану.").date
    '2025-11-01'
    """
    date = None
    match = _DATE_HEADER.match(text)
    if match:
        date = match.group(1)
        text = text[match.end():]
    return Article(paragraphs=split_paragraphs(text), date=date)


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
