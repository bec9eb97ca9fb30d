"""The form -> lemma table that lets tagging look words up instead of parsing them.

Fitting a featurizer knows its vocabulary lemmas; this module expands every one of them
(and every function word seen) into all its inflected forms with pymorphy3's lexemes, and
keeps a form only where its own first parse leads back to that lemma, so looking a form
up says what parsing it would say. A form missing from the table cannot carry a
vocabulary lemma. Building it is most of a final fit's featurizing time; the
cross-validation folds of training never need it.

>>> table = build_form_table({"зерна", "в"}, {"зерно": 0}, lemmatize)   # doctest: +SKIP
>>> table["зерном"], table["в"]                                          # doctest: +SKIP
(0, -1)
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from .text import get_morph

__all__ = ["STOP", "build_form_table"]

STOP = -1  # a function word: dropped, bigrams span it


def build_form_table(seen_forms: Iterable[str], code: dict[str, int],
                     lemma_of: Callable[[str], str | None]) -> dict[str, int]:
    """Word form -> lemma code (`code`), or STOP for a function word, for every form in
    `seen_forms` and every inflection of every lemma in `code` whose own lemma (by
    `lemma_of`, None for a function word) is in `code`. Insertion order is fixed by
    sorting, so a model file has the same bytes on every run."""
    table: dict[str, int] = {}
    for form in sorted(seen_forms):
        lemma = lemma_of(form)
        if lemma is None:
            table[form] = STOP
        elif lemma in code:
            table[form] = code[lemma]
    morph = get_morph()
    wanted = [lemma for lemma in code if not lemma.startswith("<")]  # not placeholders
    wanted += [f for f, c in table.items() if c == STOP]
    for word in wanted:
        for parse in morph.parse(word)[:3]:
            try:
                lexeme = parse.lexeme
            except Exception:  # some guessed paradigms cannot be expanded
                continue
            for item in lexeme:
                form = item.word.replace("ё", "е")
                if form in table:
                    continue
                lemma = lemma_of(form)
                if lemma is None:
                    table[form] = STOP
                elif lemma in code:
                    table[form] = code[lemma]
    return table
