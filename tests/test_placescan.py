"""The numpy name tables find what the dictionaries they are built from describe."""
from __future__ import annotations

import numpy as np
import pytest

from classifier.places import _LOWER_BYTES, PlaceExtractor
from classifier.placescan import word_spans

GAZETTEER = (
    "RU-TA\tТатарстан | Набережные Челны | РТ | татарстанский\n"
    "RU-BA\tБашкортостан | РБ | Уфа\n"
    "BY\tБеларусь | РБ\n"
    "RU-NIZ\tНижний Новгород\n"
    "RU-NGR\tВеликий Новгород\n"
    "RU-KGN\t!Курган\n"
    "CN\tКитай | китайский\n"
    "RU-MOW\tМосква | московский\n"
    "RU-MOS\tМосковская область\n"
    "RU-LEN\tЛенинградская область\n"
)


@pytest.fixture(scope="module")
def extractor(tmp_path_factory):
    path = tmp_path_factory.mktemp("gaz") / "places.tsv"
    path.write_text(GAZETTEER, encoding="utf-8")
    return PlaceExtractor(gazetteer=str(path), use_pycountry=False).fit()


def _words(text: str):
    low = text.encode("cp1251", "replace").translate(_LOWER_BYTES)
    a = np.frombuffer(low, dtype=np.uint8)
    starts, ends = word_spans(a)
    return low, a, starts, ends


def test_form_codes_find_the_inflected_forms_of_listed_names_only(extractor):
    low, a, starts, ends = _words("Делегация из Набережных Челнов и Уфы посетила Китай, "
                                  "а нижегородцы остались дома")
    index = extractor.index_
    codes = index.form_codes(a, starts, ends, low)
    words = [w.decode("cp1251") for w in low.split()]
    known = [w for w, c in zip(words, codes.tolist()) if c != index.no_form_]
    assert known == ["набережных", "челнов", "уфы", "китай"]
    assert len(set(codes[codes != index.no_form_].tolist())) == 4


def test_the_sieve_lets_every_anchor_through(extractor):
    # every inflected form of a name's rarest word must reach the exact lookup
    text = ("Татарстан Татарстана Татарстану Татарстаном Татарстане Уфа Уфы Уфе Уфу Уфой "
            "Китай Китая Китаю Китаем Китае китайский китайская китайских китайскими "
            "Челны Челнов Челнам Челнами Челнах Кургана Кургане Беларуси Беларусью "
            "Новгород Новгорода Новгороде татарстанское татарстанскому РТ РБ")
    low, a, starts, ends = _words(text)
    index = extractor.index_
    anchors = index.anchor_codes(a, starts, ends, low)
    exact = index.form_codes(a, starts, ends, low)
    anchored = index.anchor_count_[exact] > 0
    assert anchored.sum() >= 25
    assert (anchors[anchored] == exact[anchored]).all()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ярмарки прошли в Нижнем Новгороде и Великом Новгороде.", ["RU-NIZ", "RU-NGR"]),
        ("Делегация РТ прибыла в Набережные Челны.", ["RU-TA"]),
        ("делегация рт прибыла в город.", []),  # an abbreviation only as written
        ("Татарстанские и китайские заводы, китайский язык.", ["RU-TA", "CN"]),
        ("Студенты учат китайский язык.", []),
        ("Курган стоит у реки. Завод в Кургане открыт.", ["RU-KGN"]),
        ("Цены в Московской и Ленинградской областях выросли.", ["RU-MOS", "RU-LEN"]),
        ("Делегация РБ посетила Уфу.", ["RU-BA"]),
        ("Делегация РБ посетила Беларусь.", ["BY"]),
    ],
)
def test_names_decided_by_the_tables_follow_the_gazetteer_rules(extractor, text, expected):
    assert extractor.transform([text]) == [expected]


def test_names_never_cross_from_one_text_into_the_next(extractor):
    got = extractor.transform(["Завод построили в Нижнем", "Новгороде открыли склад", ""])
    assert got == [[], [], []]


def test_a_footer_line_names_no_place_and_the_lines_around_it_still_do(extractor):
    text = "Уфа приняла гостей\nПодписаться на Татарстан\nКитай ответил"
    assert extractor.transform([text]) == [["RU-BA", "CN"]]
