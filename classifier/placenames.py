"""Readable names for place codes: Russian federal subjects (ISO 3166-2:RU) and countries.

Country names come from pycountry's ISO 3166-1 data and its Russian translation; the
subjects' Russian names are listed here because pycountry translates only a few of them
(its own names are ISO transliterations such as «Tatarstan, Respublika»). The list is the
83 subdivision codes of ISO 3166-2:RU, with the names in common Russian use.

>>> place_name("RU-TA"), place_name("KZ"), place_name("XX")
('Татарстан', 'Казахстан', 'XX')
"""
from __future__ import annotations

from functools import lru_cache

__all__ = ["place_name", "RU_SUBJECTS"]

RU_SUBJECTS = {
    "RU-AD": "Адыгея", "RU-AL": "Республика Алтай", "RU-ALT": "Алтайский край",
    "RU-AMU": "Амурская область", "RU-ARK": "Архангельская область",
    "RU-AST": "Астраханская область", "RU-BA": "Башкортостан", "RU-BEL": "Белгородская область",
    "RU-BRY": "Брянская область", "RU-BU": "Бурятия", "RU-CE": "Чечня",
    "RU-CHE": "Челябинская область", "RU-CHU": "Чукотский АО", "RU-CU": "Чувашия",
    "RU-DA": "Дагестан", "RU-IN": "Ингушетия", "RU-IRK": "Иркутская область",
    "RU-IVA": "Ивановская область", "RU-KAM": "Камчатский край",
    "RU-KB": "Кабардино-Балкария", "RU-KC": "Карачаево-Черкесия",
    "RU-KDA": "Краснодарский край", "RU-KEM": "Кемеровская область",
    "RU-KGD": "Калининградская область", "RU-KGN": "Курганская область",
    "RU-KHA": "Хабаровский край", "RU-KHM": "Ханты-Мансийский АО", "RU-KIR": "Кировская область",
    "RU-KK": "Хакасия", "RU-KL": "Калмыкия", "RU-KLU": "Калужская область", "RU-KO": "Коми",
    "RU-KOS": "Костромская область", "RU-KR": "Карелия", "RU-KRS": "Курская область",
    "RU-KYA": "Красноярский край", "RU-LEN": "Ленинградская область",
    "RU-LIP": "Липецкая область", "RU-MAG": "Магаданская область", "RU-ME": "Марий Эл",
    "RU-MO": "Мордовия", "RU-MOS": "Московская область", "RU-MOW": "Москва",
    "RU-MUR": "Мурманская область", "RU-NEN": "Ненецкий АО", "RU-NGR": "Новгородская область",
    "RU-NIZ": "Нижегородская область", "RU-NVS": "Новосибирская область",
    "RU-OMS": "Омская область", "RU-ORE": "Оренбургская область", "RU-ORL": "Орловская область",
    "RU-PER": "Пермский край", "RU-PNZ": "Пензенская область", "RU-PRI": "Приморский край",
    "RU-PSK": "Псковская область", "RU-ROS": "Ростовская область",
    "RU-RYA": "Рязанская область", "RU-SA": "Якутия", "RU-SAK": "Сахалинская область",
    "RU-SAM": "Самарская область", "RU-SAR": "Саратовская область",
    "RU-SE": "Северная Осетия", "RU-SMO": "Смоленская область", "RU-SPE": "Санкт-Петербург",
    "RU-STA": "Ставропольский край", "RU-SVE": "Свердловская область",
    "RU-TA": "Татарстан", "RU-TAM": "Тамбовская область", "RU-TOM": "Томская область",
    "RU-TUL": "Тульская область", "RU-TVE": "Тверская область", "RU-TY": "Тыва",
    "RU-TYU": "Тюменская область", "RU-UD": "Удмуртия", "RU-ULY": "Ульяновская область",
    "RU-VGG": "Волгоградская область", "RU-VLA": "Владимирская область",
    "RU-VLG": "Вологодская область", "RU-VOR": "Воронежская область",
    "RU-YAN": "Ямало-Ненецкий АО", "RU-YAR": "Ярославская область",
    "RU-YEV": "Еврейская АО", "RU-ZAB": "Забайкальский край",
}

# Shorter than ISO's official forms, as a chart's axis has room for.
_SHORT_COUNTRY = {
    "AE": "ОАЭ", "US": "США", "GB": "Великобритания", "KR": "Южная Корея",
    "KP": "КНДР", "IR": "Иран", "SY": "Сирия", "VN": "Вьетнам", "LA": "Лаос",
    "MD": "Молдова", "TZ": "Танзания", "VE": "Венесуэла", "BO": "Боливия",
    "RU": "Россия", "CZ": "Чехия",
}


@lru_cache(maxsize=None)
def _country_ru(code: str) -> str | None:
    try:
        import gettext

        import pycountry
    except ImportError:
        return None
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return None
    try:
        ru = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    except OSError:
        return getattr(country, "common_name", None) or country.name
    return ru.gettext(country.name)


def place_name(code: str) -> str:
    """The Russian name of a country (ISO 3166-1 alpha-2) or federal subject (RU-XXX)
    code; the code itself when it is unknown."""
    code = code.strip().upper()
    if code in RU_SUBJECTS:
        return RU_SUBJECTS[code]
    if code in _SHORT_COUNTRY:
        return _SHORT_COUNTRY[code]
    return _country_ru(code) or code
