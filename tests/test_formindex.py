"""Numpy lookups of a whole block of tokens answer what the dict answers."""
from __future__ import annotations

import numpy as np

from classifier.formindex import FormIndex


def _enc(words):
    return [w.encode("cp1251") for w in words]


def test_codes_equal_dict_lookups_for_short_long_and_unknown_tokens():
    forms = _enc(["зерно", "зерна", "нефть", "нефтехимический", "электроэнергетический",
                  "торгово-экономический", "в", "а"]) + [b"\x01", b"\x02"]
    table = {f: i for i, f in enumerate(forms)}
    text = b" ".join(forms + _enc(["зерн", "зерновой", "нефтехимическийй",
                                   "электроэнергетическая", "я"])) + b"  \x01 "
    got = FormIndex(b" ".join(table), list(table.values())).codes(text, missing=-2)
    expected = [table.get(t, -2) for t in text.split()]
    assert got.tolist() == expected


def test_a_crowded_table_still_finds_every_form():
    rng = np.random.default_rng(0)
    letters = "абвгдежзиклмнопрстуфхцчшщыэюя"
    words = {"".join(rng.choice(list(letters), rng.integers(1, 20))) for _ in range(3000)}
    table = {w: i for i, w in enumerate(_enc(sorted(words)))}
    index = FormIndex(b" ".join(table), list(table.values()))
    probe = list(table) + _enc(["ъ" + w for w in sorted(words)[:500]])
    got = index.codes(b" ".join(probe), missing=-2)
    assert got.tolist() == [table.get(t, -2) for t in probe]


def test_empty_text_gives_no_codes():
    assert FormIndex(b"\x01", [-3]).codes(b"   ", missing=-2).tolist() == []


def test_forms_and_codes_must_pair_up():
    import pytest

    with pytest.raises(ValueError, match="2 forms but 1 codes"):
        FormIndex(b"a b", [1])
