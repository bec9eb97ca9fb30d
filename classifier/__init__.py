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
    "__version__",
]
