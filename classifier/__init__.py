"""sectors: tag paragraphs of Russian cooperation news with economic sectors.

>>> from classifier import load_model
>>> model = load_model()                       # the shipped default model
>>> model.predict(["Товарооборот между Татарстаном и Казахстаном вырос на 15%"])
[['trade']]
>>> model.labels[:3]
('industry', 'agro', 'energy')
>>> from classifier import extract_places
>>> extract_places(["Раис Татарстана провёл переговоры с акимом Костанайской области"])
[['RU-TA', 'KZ']]

Saved news pages and the cooperation report (imported on first use, so that tagging's
cold start does not pay for trafilatura or pandas):

>>> from classifier import read_page, build_report
>>> read_page(open("news.html", "rb").read(), "news.html").paragraphs   # doctest: +SKIP
>>> build_report("tagged.csv", "report/").files                         # doctest: +SKIP
"""
__version__ = "0.1.0"

from .features import LemmaTfidfVectorizer
from .model import SectorClassifier
from .persist import ModelError, load_model
from .places import PlaceExtractor, extract_places
from .text import Article, lemmas, parse_article, split_paragraphs, tokenize

__all__ = [
    "SectorClassifier",
    "PlaceExtractor",
    "extract_places",
    "LemmaTfidfVectorizer",
    "load_model",
    "ModelError",
    "parse_article",
    "split_paragraphs",
    "tokenize",
    "lemmas",
    "Article",
    "read_page",
    "build_report",
    "place_name",
    "__version__",
]

_LAZY = {"read_page": "pages", "build_report": "report", "place_name": "placenames"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
