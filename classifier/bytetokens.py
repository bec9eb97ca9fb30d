"""Tokens of a block of texts as cp1251 bytes: the form-table path's tokenizer.

`features._tokens` finds tokens with a regex findall over the normalised text, and the
regex engine's work per match was a third of tagging time. Every character a token can
hold ([0-9a-zа-яё]) has a byte in cp1251, so the same tokens come from C loops with no
step per token: encode to cp1251 (anything else becomes "?"), one `bytes.translate` that
lower-cases, folds ё into е, drops soft hyphens and blanks every non-token byte, and
`bytes.split`. Hyphens joining two token characters are kept, as `TOKEN_RE` keeps them.
Text ends and sentence ends travel as one-byte tokens of their own.

>>> byte_tokens(["Поставки зерна. Экспорт-импорт вырос"], sentences=True)
[b'\\xef\\xee\\xf1\\xf2\\xe0\\xe2\\xea\\xe8', b'\\xe7\\xe5\\xf0\\xed\\xe0', b'\\x02', \
b'\\xfd\\xea\\xf1\\xef\\xee\\xf0\\xf2-\\xe8\\xec\\xef\\xee\\xf0\\xf2', b'\\xe2\\xfb\\xf0\\xee\\xf1', b'\\x01']
"""
from __future__ import annotations

import re

import numpy as np

from .formindex import FormIndex
from .text import _INVISIBLE

__all__ = ["byte_tokens", "byte_text", "form_index", "SEP", "SENT", "SENT_BREAK"]

SEP = b"\x01"  # closes every text
SENT = b"\x02"  # marks a sentence end inside a text
_SEP_S, _SENT_S = SEP.decode(), SENT.decode()
_CODEC = "cp1251"
_SOFT_HYPHEN = "\u00ad"  # invisible, and in cp1251: the others are sent to it, then deleted

# The sentence and clause ends of `features._SENT_BREAK` / `_sentence_end` as one regex.
# Every branch starts from the one character class of the punctuation, so the regex
# engine jumps from candidate to candidate by that class; lookbehinds after it check what
# precedes. (A branch that starts with a lookbehind, as `(?<=\s)[—–]` would, costs the
# jump and made this sub 4x slower.) The punctuation and its closing quote hold no token,
# so the mark replaces them: a plain string, no template to expand per match.
SENT_BREAK = re.compile(
    r'[.!?…,;:—–](?:'
    r'(?<=[.!?…])(?:[»")]|(?<=[»")][.!?…])|(?<=\w\w[.!?…]))'
    r'(?=[^\S\u2028\u2029]+[«"„(]?[A-ZА-ЯЁ0-9])'
    r'|(?<=[,;:])(?=\s)|(?<=\s[—–])(?=\s))'  # clause ends, as in `features._SENT_BREAK`
)
_SENT_MARK = f" {_SENT_S} "

# The only characters outside cp1251 that str.lower() turns into token characters.
_LOWER_OUTSIDE = {"\u0130": "\u0130".lower(), "\u212a": "\u212a".lower()}
_INVISIBLE_OUTSIDE = [c for c in _INVISIBLE.pattern.strip("[]") if c != _SOFT_HYPHEN]
_TOKEN_CHAR = re.compile(r"[0-9a-zа-я]")


def _translation() -> bytes:
    table = bytearray(b" " * 256)
    for b in range(256):
        try:
            char = bytes([b]).decode(_CODEC)
        except UnicodeDecodeError:  # 0x98 has no character
            continue
        low = char.lower().replace("ё", "е")
        if _TOKEN_CHAR.fullmatch(low):
            table[b] = low.encode(_CODEC)[0]
        elif char in "-" + _SEP_S + _SENT_S:
            table[b] = b
    return bytes(table)


_TABLE = _translation()
_TOKEN_BYTES = b"0-9a-z\xe0-\xff"
# A hyphen is part of a token only between two token characters.
_LOOSE_HYPHEN = re.compile(
    b"-(?:(?<![" + _TOKEN_BYTES + b"]-)|(?![" + _TOKEN_BYTES + b"]))"
)


def byte_tokens(texts: list[str], sentences: bool) -> list[bytes]:
    """The tokens `features._tokens(texts, sentences)` gives, cp1251-encoded, with `SEP`
    for its text ends and `SENT` for its sentence ends."""
    return byte_text(texts, sentences).split()


def byte_text(texts: list[str], sentences: bool) -> bytes:
    """The tokens of `byte_tokens` separated by spaces (one or more)."""
    # The empty text after the last mark closes the last text (no copy to append it).
    joined = f" {_SEP_S} ".join([*texts, ""])
    if (joined.count(_SEP_S) != len(texts) or _SENT_S in joined
            or "\u2028" in joined or "\u2029" in joined):
        # Marks typed in the text would read as ours; they are control characters
        # (blanks) or line separators (spaces) there, so blanking them changes no token.
        joined = f" {_SEP_S} ".join([
            t.replace(_SEP_S, " ").replace(_SENT_S, " ").replace("\u2028", " ").replace("\u2029", " ")
            for t in texts
        ] + [""])
    if sentences:
        joined = SENT_BREAK.sub(_SENT_MARK, joined)
    # Each `in` is one fast scan; these characters are rare.
    for char in _INVISIBLE_OUTSIDE:
        if char in joined:
            joined = joined.replace(char, _SOFT_HYPHEN)
    for char, low in _LOWER_OUTSIDE.items():
        if char in joined:
            joined = joined.replace(char, low)
    data = joined.encode(_CODEC, "replace").translate(_TABLE, _SOFT_HYPHEN.encode(_CODEC))
    if b"-" in data:
        data = _LOOSE_HYPHEN.sub(b" ", data)
    return data


def form_index(forms: list[str], codes: np.ndarray, sep_code: int, sent_code: int) -> FormIndex:
    """A `FormIndex` of a form table (`forms` and the code of each), with `SEP` and `SENT`
    for its own marks; built from one joined string, so no bytes object per form is made."""
    codes = np.asarray(codes, dtype=np.int64)
    marks = [i for i, f in enumerate(forms) if f == "\u2028" or f == "\u2029"]
    if marks:  # the regex path's marks: never tokens here
        forms = [f for f in forms if f != "\u2028" and f != "\u2029"]
        codes = np.delete(codes, marks)
    blob = " ".join([*forms, _SEP_S, _SENT_S]).encode(_CODEC, "replace")
    return FormIndex(blob, np.append(codes, [sep_code, sent_code]))
