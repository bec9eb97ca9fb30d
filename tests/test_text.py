import pickle

import pytest

from classifier.text import (
    get_morph,
    morph_loaded,
    release_morph,
    lemmas,
    lemmatize,
    normalize,
    parse_article,
    split_paragraphs,
    tokenize,
)


@pytest.mark.parametrize(
    "form, lemma",
    [
        ("нефтехимии", "нефтехимия"),
        ("студентов", "студент"),
        ("заводах", "завод"),
        ("авиарейсами", "авиарейс"),
        ("торгово-экономического", "торгово-экономический"),
        ("казахстанскими", "казахстанский"),
        ("поставки", "поставка"),
        ("энергетике", "энергетика"),
        ("ёлками", "елка"),
        ("елками", "елка"),
    ],
)
def test_lemmas_of_real_russian_forms(form, lemma):
    assert lemmatize(form) == lemma


def test_function_words_are_dropped_by_part_of_speech():
    # pronouns, prepositions, conjunctions, particles and numerals in unusual forms
    assert lemmas("С ними и благодаря которому двумя же нами") == []
    assert lemmas("Ими подписано соглашение") == ["подписать", "соглашение"]


def test_numbers_are_not_lemmas():
    assert lemmas("В 2025 году 15 тонн") == ["тонна"]


def test_tokenize_keeps_hyphenated_words_and_cuts_dangling_hyphen():
    assert tokenize("Авиа- и железнодорожное сообщение") == ["авиа", "и", "железнодорожное", "сообщение"]
    assert tokenize("Казахстан-Татарстан, нефтегазохимический") == [
        "казахстан-татарстан",
        "нефтегазохимический",
    ]
    assert tokenize("IT-парк и ИТ 2025") == ["it-парк", "и", "ит", "2025"]


def test_stress_marks_soft_hyphens_and_yo_are_normalized():
    assert normalize("Нефтехи\u0301мия") == "нефтехимия"
    assert tokenize("нефте\u00adхимия") == ["нефтехимия"]
    assert lemmas("Ещё ёмкость") == lemmas("Еще емкость")


def test_control_characters_do_not_glue_words():
    assert tokenize("завод\x00зерно") == ["завод", "зерно"]


def test_date_header_is_removed_and_kept():
    art = parse_article("date 2025-11-01 Раис прибыл в Казахстан.\nПереговоры в Астане.\n")
    assert art.date == "2025-11-01"
    assert art.paragraphs == ["Раис прибыл в Казахстан.", "Переговоры в Астане."]


def test_no_header_means_no_date():
    art = parse_article("Переговоры в Астане.")
    assert art.date is None and art.paragraphs == ["Переговоры в Астане."]


def test_paragraphs_one_per_line_with_headings():
    text = "Заголовок раздела\nПервый абзац статьи.\n\n\nВторой абзац.\r\n   \nТретий."
    assert split_paragraphs(text) == ["Заголовок раздела", "Первый абзац статьи.", "Второй абзац.", "Третий."]


def test_hard_wrapped_blocks_are_joined():
    text = (
        "Татарстан и Казахстан договорились расширить поставки\n"
        "сельхозтехники и зерна в ближайшие годы.\n\n"
        "Второй абзац о студентах."
    )
    assert split_paragraphs(text) == [
        "Татарстан и Казахстан договорились расширить поставки сельхозтехники и зерна в ближайшие годы.",
        "Второй абзац о студентах.",
    ]


def test_lemmatization_is_cached_per_form():
    lemmatize.cache_clear()
    lemmas("заводы заводы заводы")
    info = lemmatize.cache_info()
    assert info.misses == 1 and info.hits == 2


def test_morph_analyzer_is_a_process_singleton():
    assert get_morph() is get_morph()


def test_a_released_analyzer_is_rebuilt_on_next_use():
    before = get_morph()
    release_morph()
    assert not morph_loaded()
    after = get_morph()
    assert morph_loaded() and after is not before
    assert after.parse("поставки")[0].normal_form == "поставка"


def test_lemmas_are_picklable_output():
    assert pickle.loads(pickle.dumps(lemmas("Студенты"))) == ["студент"]


def test_headlines_without_full_stops_stay_apart():
    text = (
        "Татарстан и Узбекистан обсудили поставки зерна\n"
        "КАМАЗ откроет сборочное производство в Казахстане\n"
        "Новый авиарейс свяжет Казань и Самарканд\n"
        "Студенты из Бишкека приедут на летнюю школу\n"
        "В Иннополисе запустят общую платформу для электронной торговли"
    )
    assert len(split_paragraphs(text)) == 5


def test_posts_ending_in_emoji_or_link_stay_apart():
    text = (
        "Делегация Башкортостана прилетела в Ташкент 🇺🇿\n"
        "Подробности о новом логистическом центре: https://example.org/news/1\n"
        "Фермеры получили первые партии семян 🌾"
    )
    assert split_paragraphs(text) == text.split("\n")


def test_a_line_continuing_the_sentence_is_joined_to_it():
    text = (
        "Раис Татарстана подписал соглашение о поставках\n"
        "сельхозтехники в Узбекистан.\n"
        "Отдельно стороны обсудили открытие торгового дома."
    )
    assert split_paragraphs(text) == [
        "Раис Татарстана подписал соглашение о поставках сельхозтехники в Узбекистан.",
        "Отдельно стороны обсудили открытие торгового дома.",
    ]


def test_wrapped_block_joins_even_where_a_line_starts_with_a_name():
    text = (
        "Министр рассказал о том, что поставки удобрений в\n"
        "Казахстан выросли, а грузы пойдут через\n"
        "новый терминал в порту, который построят к\n"
        "осени будущего года."
    )
    assert split_paragraphs(text) == [" ".join(text.split("\n"))]


def test_paragraph_lines_are_reported():
    art = parse_article("date 2025-11-01\nЗаголовок\n\nПервый абзац о зерне.\nВторой абзац.")
    assert art.paragraphs == ["Заголовок", "Первый абзац о зерне.", "Второй абзац."]
    assert art.lines == [2, 4, 5]


def test_lines_mode_never_joins():
    text = "Поставки зерна выросли\nна треть за год."
    assert parse_article(text, wrapped=False).paragraphs == ["Поставки зерна выросли", "на треть за год."]


@pytest.mark.parametrize(
    "header", ["date: 2025-11-03", "Дата 2025-11-03", "дата: 2025-11-03", "DATE 2025-11-03", "Дата: 03.11.2025"]
)
def test_date_header_spellings(header):
    art = parse_article(f"{header}\nТоварооборот вырос на треть.")
    assert art.date == "2025-11-03"
    assert art.paragraphs == ["Товарооборот вырос на треть."]


def test_impossible_date_is_an_error():
    with pytest.raises(ValueError, match="impossible date '2025-13-45'"):
        parse_article("date 2025-13-45\nТоварооборот вырос.")
