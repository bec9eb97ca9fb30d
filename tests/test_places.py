"""Places: countries and Russian federal subjects a paragraph refers to."""
import subprocess
import sys
from pathlib import Path

import pytest

from classifier import PlaceExtractor, extract_places
from classifier.places import place_kind

ROOT = Path(__file__).resolve().parents[1]


def places(text: str) -> list[str]:
    return extract_places([text])[0]


@pytest.mark.parametrize(
    "text, expected",
    [
        # names in any case, Russia only when named as a whole
        ("Делегация Татарстана прибыла в Казахстан.", ["RU-TA", "KZ"]),
        ("Товарооборот России с Узбекистаном вырос, а Татарстан нарастил экспорт.",
         ["RU", "UZ", "RU-TA"]),
        # adjectives and demonyms
        ("Казахстанские партнёры оценили башкирскую продукцию.", ["KZ", "RU-BA"]),
        ("Узбекская сторона предложила совместный проект, китайцы поддержали его.",
         ["UZ", "CN"]),
        ("Российско-китайский форум собрал предпринимателей.", ["RU", "CN"]),
        # titles tied to a place
        ("Раис провёл встречу с акимом и хокимом.", ["RU-TA", "KZ", "UZ"]),
        ("Аким Костанайской области посетил Набережные Челны.", ["KZ", "RU-TA"]),
        # foreign regions and cities count as their country, Russian ones as their subject
        ("Компания открыла склад в провинции Гуйчжоу и офис в Ташкенте.", ["CN", "UZ"]),
        ("Автобусы из Нижнекамска поедут в Стерлитамак и Екатеринбург.",
         ["RU-TA", "RU-BA", "RU-SVE"]),
        ("Выставка прошла в Санкт-Петербурге и Ростове-на-Дону.", ["RU-SPE", "RU-ROS"]),
        # abbreviations and colloquial names
        ("Делегации РТ, КНР, ОАЭ и США обсудили поставки.", ["RU-TA", "CN", "AE", "US"]),
        ("Аграрии Оренбуржья, Прикамья и Кубани приехали в Подмосковье.",
         ["RU-ORE", "RU-PER", "RU-KDA", "RU-MOS"]),
        ("Газовики Ямала и Югры обменялись опытом с коллегами из Зауралья.",
         ["RU-YAN", "RU-KHM", "RU-KGN"]),
        # a dateline counts
        ("УФА, 3 июня. Предприятия республики подписали договоры.", ["RU-BA"]),
        # fused company names are not places, a place's own word in a name is
        ("КАМАЗ и Татнефть подписали соглашение.", []),
        ("Казанский федеральный университет принял студентов.", ["RU-TA"]),
        ("Союз ЕАЭС и ШОС обсудили повестку.", []),
        # longest name wins
        ("В Нижнем Новгороде и Великом Новгороде прошли ярмарки.", ["RU-NIZ", "RU-NGR"]),
        ("Инвесторы из Южной Кореи и Латинской Америки.", ["KR"]),
        ("Ставки выше в Московской и Ленинградской областях.", ["RU-MOS", "RU-LEN"]),
    ],
)
def test_extracts_places_in_order_of_first_mention(text, expected):
    assert places(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Археологи раскопали курган у реки.", []),
        ("Завод в Кургане выпустил автобусы.", ["RU-KGN"]),
        ("Владимир Путин провёл совещание.", []),
        ("Фестиваль прошёл во Владимире.", ["RU-VLA"]),
        ("Студенты изучают китайский язык и татарскую кухню.", []),
        ("Пропан и бутан используют как топливо.", []),
        ("Бутан и Непал подписали договор.", ["BT", "NP"]),
        ("Орёл кружил над полем. Выставка прошла в Орле.", ["RU-ORL"]),
    ],
)
def test_ambiguous_names_follow_context(text, expected):
    assert places(text) == expected


def test_abbreviation_with_two_readings_takes_the_one_the_text_names():
    assert places("Делегация РБ посетила Минск и Гомель.") == ["BY"]
    assert places("Делегация РБ посетила Уфу.") == ["RU-BA"]


def test_each_code_once_and_every_text_gets_a_row():
    out = extract_places(["Казахстан, Казахстана, казахстанский.", "", "Без мест."])
    assert out == [["KZ"], [], []]


def test_context_rules_can_be_switched_off():
    ext = PlaceExtractor(context_rules=False).fit()
    assert ext.transform(["Археологи раскопали курган у реки."]) == [["RU-KGN"]]
    assert ext.get_params()["context_rules"] is False


def test_a_single_string_is_an_error_not_a_list_of_characters():
    with pytest.raises(TypeError, match="wrap it"):
        extract_places("Казань")


def test_transform_before_fit_is_an_error():
    with pytest.raises(ValueError, match="not fitted"):
        PlaceExtractor().transform(["Казань"])


def test_every_federal_subject_of_iso_3166_2_ru_is_in_the_gazetteer():
    import pycountry

    gazetteer = (ROOT / "classifier" / "data" / "places.tsv").read_text(encoding="utf-8")
    listed = {line.split("\t")[0] for line in gazetteer.splitlines() if "\t" in line}
    iso = {s.code for s in pycountry.subdivisions.get(country_code="RU")}
    assert len(iso) == 83
    assert iso <= listed


def test_own_gazetteer_and_a_broken_line_named(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text("# мой список\nRU-TA\tИннополис | иннополисский\n", encoding="utf-8")
    ext = PlaceExtractor(gazetteer=str(path), use_pycountry=False).fit()
    assert ext.transform(["Иннополисские стартапы и Казань"]) == [["RU-TA"]]
    path.write_text("RU-TA Иннополис\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        PlaceExtractor(gazetteer=str(path)).fit()


def test_place_kind():
    assert [place_kind(c) for c in ("RU-MOW", "RU", "CN")] == ["region", "country", "country"]


def test_cli_tag_places_column(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(
        "Раис Татарстана встретился с акимом Костанайской области.\n"
        "Поставки станков выросли.\n",
        encoding="utf-8",
    )
    res = subprocess.run(
        [sys.executable, "-m", "classifier", "tag", str(article), "--places", "--format", "csv"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].split(",")[-1] == "places"
    assert lines[1].endswith(",RU-TA;KZ") and lines[2].endswith(",")


# Paragraphs that test where words end: characters outside the Russian and Latin
# alphabets (emoji, Kazakh letters, typographic signs), NUL, capitals inside and around.
TRICKY = [
    "Делегация из Казахстана🇰🇿прибыла в Уфу.",
    "Казань\x00Москва",
    "Қазақстан и Ташкент подписали меморандум.",
    "КАЗАНЬ, 12 мая. Делегация из Ташкента прибыла в Россию.",
    "Ёлка в Ёкатеринбурге и Екатеринбурге",
    "Российско-казахстанский форум прошёл в Оренбурге",
    "В Московской и Ленинградской областях открыли склады.",
    "Делегация РБ посетила Минск и Гомель.",
    "Курган. Делегация посетила Киров и встретилась с Владимиром Путиным.",
    "Завод №5 «Татнефть» — партнёр Узбекистана…",
    "",
    "Без мест: только слова™ и символы ©.",
]


def test_a_block_gives_each_text_what_it_gives_alone():
    ext = PlaceExtractor().fit()
    alone = [ext.transform([t])[0] for t in TRICKY]
    assert ext.transform(TRICKY) == alone
    assert ext.transform(TRICKY[::-1]) == alone[::-1]


def test_signs_outside_the_alphabets_end_words():
    ext = PlaceExtractor().fit()
    out = ext.transform(TRICKY[:4])
    assert out[0] == ["KZ", "RU-BA"]  # the flag between two words splits them
    assert out[1] == ["RU-TA", "RU-MOW"]  # NUL is a gap between words, not the text's end
    assert out[2] == ["UZ"]  # «Қазақстан» is not a Russian spelling of a listed name
    assert out[3] == ["RU-TA", "UZ", "RU"]
