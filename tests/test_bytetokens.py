"""The byte tokenizer of the tagging path gives the tokens of the regex tokenizer."""
from __future__ import annotations

import sys

import pytest

from classifier import features
from classifier.bytetokens import SENT, SEP, byte_tokens

# Written for the tests: every case the byte path treats apart from the regex path.
TRICKY = [
    "Поставки зерна выросли. Экспорт нефти снизился! Что дальше? Посмотрим…",
    "Р. Минниханов и А. Б. Иванов приехали. Встреча прошла в Казани.",
    "Он сказал: «Завод построим». Стройка начнётся весной.",
    "Итоги (предварительные.) Затем отчёт. «Кавычки?» Да.",
    "Авиа- и железнодорожное сообщение; торгово-экономический; --тире-- и - дефис; -а б-",
    "Не\u0301фтехи\u0301мия, газ\u00adпром, мо\u200bлоко, ко\u2060мбинат\ufeff.",
    "ЁЛКИ и ёжики. Ёмкость растёт.",
    "İstanbul и \u212aазань. Ελλάδα и Україна, İzmir.",
    "Управляющие\x01символы\x02внутри\x07текста. Разрыв\u2028строки.\u2029Абзац.",
    "Смайлы 😀 и ссылки https://example.ru/a-b?c=1. 2025 год. 12.5%",
    "Зерно, масло;\tмясо:\nрыба — нефть –\u00a0газ —\nсталь, 1,5 т, Москва—Казань, — —  начало",
    "— Да, — ответил министр: — поставки растут;", "Итог:", "Стороны —", "—", ",",
    "", "   ", "а", "-", "...", "Конец.",
]


def _reference(texts, sentences):
    marks = {features._SEP: SEP, features._SENT: SENT}
    return [marks.get(t) or t.encode("cp1251") for t in features._tokens(texts, sentences)]


@pytest.mark.parametrize("sentences", [False, True])
def test_same_tokens_as_the_regex_tokenizer(sentences):
    assert byte_tokens(TRICKY, sentences) == _reference(TRICKY, sentences)


@pytest.mark.parametrize("sentences", [False, True])
def test_every_text_alone_gives_its_own_tokens(sentences):
    for text in TRICKY:
        assert byte_tokens([text], sentences) == _reference([text], sentences), text


def test_no_character_outside_cp1251_lowers_into_a_token():
    # The byte path lower-cases per cp1251 byte; these would be missed if any other
    # character's lower case held a token character.
    from classifier.bytetokens import _LOWER_OUTSIDE

    found = {}
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp < 0xE000:
            continue
        char = chr(cp)
        try:
            char.encode("cp1251")
            continue
        except UnicodeEncodeError:
            pass
        if features.TOKEN_RE.search(char.lower()):
            found[char] = char.lower()
    assert found == _LOWER_OUTSIDE
