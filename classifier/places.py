"""Places a paragraph refers to: countries (ISO 3166-1 alpha-2) and Russian federal
subjects (ISO 3166-2:RU), in order of first mention.

Names come from pycountry (ISO names and their Russian translations) and from the
gazetteer shipped in ``classifier/data/places.tsv`` (federal subjects with their short and
colloquial names, adjectives, demonyms, capitals and large cities; partner countries'
variants, regions and cities; abbreviations; titles tied to a place). pymorphy3 gives every
inflected form of each name once, when the extractor is fitted, so extracting is a table
lookup per word, cheap enough to run beside tagging.

Rules the lookup follows:

- a Russian region or city gives its subject's code; ``RU`` only when Russia as a whole is
  named («Россия», «РФ», «российский»);
- a foreign region or city gives its country's code;
- a name fused into a company's name («КАМАЗ», «Татнефть») is a different word and is not
  found; a name written as its own word inside an institution's name is;
- an adjective before «язык» or «кухня» is a language or a cuisine, not a place;
- proper names must be capitalised; names that are also common words («Курган») are not
  counted first in a sentence, and names that are also first names or surnames
  («Владимир», «Киров») are not counted next to another capitalised word.

>>> extract_places(["Раис Татарстана встретился с акимом Костанайской области."])
[['RU-TA', 'KZ']]
>>> PlaceExtractor().fit().transform(["КАЗАНЬ, 12 мая. Делегация из Ташкента прибыла в Россию."])
[['RU-TA', 'UZ', 'RU']]
"""
from __future__ import annotations

import ctypes
import gc
import gettext
import json
import pickle
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from ._params import ParamsMixin, check_fitted
from .features import as_text_list
from .placescan import NameIndex, _shape, word_spans
from .text import get_morph, morph_loaded, release_morph

__all__ = ["PlaceExtractor", "extract_places", "place_kind", "PLACES_SEP"]

PLACES_SEP = ";"

_BLOCK = 1000  # texts per block: memory stays flat on any input size
_SEP_ID = -2
# Words: letters and digits; hyphens, dashes and slashes split («Казахстан-Татарстан»,
# «Россия—Китай»), so names written with a hyphen («Санкт-Петербург») are matched as a
# run of their parts.
_WORD = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+")
_SPACE = " \t\u00a0"
_SENTENCE_END = set(".!?…")
# Words next to a person-name place that do not make it a name («в Кирове», «г. Владимир»).
_LOWER_NEIGHBOURS = frozenset(
    "в во из под над на с со к ко по о об до от за через у г город области".split()
)
# Nouns after which a country adjective is a language or a cuisine.
_NOT_PLACE_NOUNS = ("язык", "кухня")
# Nouns that make an adjective a region («Московская область»), also across «и».
_REGION_NOUNS = ("область", "край", "округ")
# pycountry subdivisions left out: Crimea, Sevastopol and the regions whose status is
# disputed get no code (the labelling rules), and Abkhazia, South Ossetia, Transnistria.
_SKIP_SUBDIVISIONS = frozenset(
    {"UA-43", "UA-40", "UA-14", "UA-09", "UA-23", "UA-65", "GE-AB", "MD-SN"}
)
# pycountry country names that are common Russian words in some form.
_SKIP_COUNTRY_NAMES = frozenset({"Того"})


def place_kind(code: str) -> str:
    """"region" for a Russian federal subject's code, "country" for any other.

    >>> place_kind("RU-TA"), place_kind("RU"), place_kind("KZ")
    ('region', 'country', 'country')
    """
    return "region" if code.startswith("RU-") else "country"


@dataclass(frozen=True)
class _Entry:
    words: tuple[str, ...]  # dictionary forms, normalized
    codes: tuple[str, ...]  # first is the default; others when the text names them too
    caps: tuple[bool, ...]  # word must be capitalised in the text
    exact: str | None = None  # an abbreviation, matched as written
    common: bool = False  # «!»: also a common word
    person: bool = False  # «~»: also a person's name
    adjective: bool = False


def _norm(word: str) -> str:
    return word.lower().replace("ё", "е")


def _default_gazetteer() -> str:
    return str(resources.files("classifier") / "data" / "places.tsv")


class PlaceExtractor(ParamsMixin):
    """Find the countries and Russian federal subjects each text refers to.

    Parameters
    ----------
    gazetteer : str or None, default None
        Path of a gazetteer TSV (format in the shipped ``classifier/data/places.tsv``);
        None: the shipped one.
    use_pycountry : bool, default True
        Add pycountry's Russian names of countries and of foreign subdivisions (a
        subdivision counts as its country) to what the gazetteer lists.
    context_rules : bool, default True
        Apply the capitalisation, sentence-start and person-name rules to ambiguous
        names; False counts every listed form wherever it stands.

    Attributes
    ----------
    forms_ : dict[str, tuple[str, ...]]
        Word form (lower case) -> the dictionary words it is a form of (sorted), for
        the forms the context rules read as strings.
    index_ : NameIndex
        Every form -> the names looked for where it stands (each name at its rarest
        word), and `forms_`, as numpy tables that find the names of a block of texts
        at once.
    region_phrases_ : dict[tuple[str, str], object]
        (adjective, «область»/«край»/«округ») -> the region they name together.
    n_names_ : int
        How many names the extractor knows.

    >>> ext = PlaceExtractor().fit()
    >>> ext.transform(["Узбекская сторона предложила поставки в Набережные Челны."])
    [['UZ', 'RU-TA']]
    """

    def __init__(
        self,
        gazetteer: str | None = None,
        use_pycountry: bool = True,
        context_rules: bool = True,
    ):
        self.gazetteer = gazetteer
        self.use_pycountry = use_pycountry
        self.context_rules = context_rules

    # ----------------------------------------------------------------- fitting
    def fit(self, texts: Iterable[str] | None = None, y=None) -> "PlaceExtractor":
        """Build the form table from the gazetteer and pycountry; `texts` are ignored."""
        had_morph = morph_loaded()
        self._build_tables()
        if not had_morph:
            # Tagging reads its own form table; the analyzer (~40 MB) served the tables
            # alone, so it goes.
            release_morph()
        # The tables' objects lie scattered among what building them left behind, which
        # keeps that memory taken; rebuilt from one pickled copy they lie together, and
        # the rest is returned (~7 MB less beside tagging).
        state = pickle.dumps(self.__dict__, protocol=pickle.HIGHEST_PROTOCOL)
        self.__dict__.clear()
        gc.collect()
        self.__dict__.update(pickle.loads(state))
        del state
        _return_freed_memory()
        return self

    def _build_tables(self) -> None:
        names = _read_gazetteer(self.gazetteer or _default_gazetteer())
        if self.use_pycountry:
            names += _pycountry_names({term for term, _ in names})
        morph = get_morph()
        codes_of: dict[str, list[str]] = {}
        for term, code in names:
            codes_of.setdefault(term, [])
            if code not in codes_of[term]:
                codes_of[term].append(code)
        entries = [_make_entry(term, tuple(codes), morph) for term, codes in codes_of.items()]
        forms: dict[str, set[str]] = {}
        done: set[tuple[str, int]] = set()
        for entry, term in zip(entries, codes_of):
            for raw in term.lstrip("!~").split():
                plain = raw.lstrip("=")
                if entry.exact is not None or raw.startswith("="):
                    for part in _norm(plain).split("-"):
                        forms.setdefault(part, set()).add(part)
                elif (plain, len(entry.words)) not in done:
                    done.add((plain, len(entry.words)))
                    proper = plain[:1].isupper() and len(entry.words) == 1
                    for part, part_forms in _word_forms(plain.lower(), morph, proper).items():
                        for form in part_forms:
                            forms.setdefault(form, set()).add(part)
        for word in _NOT_PLACE_NOUNS + _REGION_NOUNS:
            for form in _word_forms(word, morph)[word]:
                forms.setdefault(form, set()).add(word)
        # Each name is looked for at its rarest word (fewest names share it, longest on
        # a tie), so common words («область», «республика», «южный») trigger nothing.
        share = Counter(w for e in entries for w in set(e.words))
        words_of: dict[str, list[str]] = {}
        for form, words in forms.items():
            for word in words:
                words_of.setdefault(word, []).append(form)
        anchors: dict[str, list[tuple[_Entry, int]]] = {}
        for entry in entries:
            a = min(range(len(entry.words)),
                    key=lambda k: (share[entry.words[k]], -len(entry.words[k])))
            for form in words_of.get(entry.words[a], ()):
                anchors.setdefault(form, []).append((entry, a))
        for lst in anchors.values():
            lst.sort(key=lambda ea: -len(ea[0].words))  # stable: file order among equals
        phrases = {
            e.words: e for e in entries if len(e.words) == 2 and e.words[1] in _REGION_NOUNS
        }
        # tuples: a fitted extractor stays in memory beside tagging, and a one-word
        # tuple takes a fifth of a frozenset
        self.forms_ = {form: tuple(sorted(words)) for form, words in forms.items()}
        self.n_names_ = len(entries)
        self.index_ = NameIndex.build(anchors, self.forms_, self.context_rules,
                                      not_place_words=_NOT_PLACE_NOUNS,
                                      is_word=_WORD.fullmatch, extra_entries=phrases.values())
        ids = {id(e): i for i, e in enumerate(self.index_.entries_)}
        self.region_phrases_ = {key: ids[id(e)] for key, e in phrases.items()}
        # What the context rules still read by string: the forms of the words of names
        # that are also common words or person names, of the nouns the rules name and
        # of the adjectives of region phrases; and the names they decide or that have
        # several readings. The tables answer the rest.
        read = {e for e in self.index_.entries_ if e.common or e.person}
        needed = set(_NOT_PLACE_NOUNS + _REGION_NOUNS).union(
            *(e.words for e in read), (adj for adj, _ in phrases))
        self.forms_ = {f: ws for f, ws in self.forms_.items() if needed.intersection(ws)}
        self.index_.entries_ = [e if e in read or len(e.codes) > 1 else None
                                for e in self.index_.entries_]

    # -------------------------------------------------------------- extracting
    def transform(self, texts: Iterable[str]) -> list[list[str]]:
        """Codes of the places each text refers to, in order of first mention.

        >>> PlaceExtractor().fit().transform(["Башкирская продукция поехала в Китай", ""])
        [['RU-BA', 'CN'], []]
        """
        check_fitted(self, "forms_")
        texts = as_text_list(texts)
        out: list[list[str]] = []
        for start in range(0, len(texts), _BLOCK):
            out.extend(self._extract_block(texts[start:start + _BLOCK]))
        return out

    def fit_transform(self, texts: Iterable[str], y=None) -> list[list[str]]:
        return self.fit().transform(texts)

    def _extract_block(self, texts: list[str]) -> list[list[str]]:
        # Words are found without a Python step per word: the block is encoded as cp1251
        # (one byte per character; every letter and digit a word can hold is in it,
        # anything else becomes «?»), one bytes.translate lower-cases the letters and
        # blanks every other byte, numpy finds the words and `NameIndex` the names; only
        # names whose rules read the text around them make strings of the words there.
        joined = _SEP_BYTES_TEXT.join(texts)
        if joined.count(_SEP_WORD) != len(texts) - 1:
            joined = _SEP_BYTES_TEXT.join(t.replace(_SEP_WORD, " ") for t in texts)
        raw = joined.encode("cp1251", "replace")
        low = _without_footers(raw).translate(_LOWER_BYTES)
        a = np.frombuffer(low, dtype=np.uint8)
        starts, ends = word_spans(a)
        index = self.index_
        is_sep = a[starts] == _SEP_BYTES[0]
        seps = np.flatnonzero(is_sep)
        doc = np.cumsum(is_sep) - is_sep
        lo = np.concatenate(([0], seps + 1))
        hi = np.append(seps, len(starts))
        block = _Block(joined, low, raw, starts, ends)

        def check(e: int, first: int, d: int) -> bool:
            return self._matches(index.entries_[e], first, int(lo[d]), int(hi[d]), block)

        pos, ent, first = index.first_names(a, low, np.frombuffer(raw, dtype=np.uint8),
                                            starts, ends, doc, lo, hi, check)
        out: list[list[str]] = [[] for _ in texts]
        if not len(pos):
            return out
        end = first + index.length_[ent]
        if len(pos) > 1 and (pos[1:] < np.maximum.accumulate(end)[:-1]).any():
            # a name of several words takes the names anchored inside it
            keep = np.ones(len(pos), dtype=bool)
            consumed = -1
            for i, (p, e) in enumerate(zip(pos.tolist(), end.tolist())):
                if p < consumed:
                    keep[i] = False
                else:
                    consumed = e
            pos, ent = pos[keep], ent[keep]
        d = doc[pos]
        adjectives = np.flatnonzero(index.adjective_[ent] & (pos + 1 < hi[d]))
        if len(adjectives):
            # only an adjective followed by a known form or «и» / «или» can be coordinated
            nxt = pos[adjectives] + 1
            known = index.form_codes(a, starts[nxt], ends[nxt], low) != index.no_form_
            conj = np.isin(_shape(a, starts[nxt], ends[nxt]), _CONJUNCTION_SHAPES)
            go = adjectives[known | conj]
            # which of the five words after each is a known form
            after = np.minimum(pos[go][:, None] + np.arange(1, 6), len(starts) - 1).ravel()
            later = (index.form_codes(a, starts[after], ends[after], low)
                     != index.no_form_).reshape(-1, 5).tolist()
            for i, known_after in zip(go.tolist(), later):
                ent[i] = self._coordinated(int(ent[i]), int(pos[i]), int(hi[d[i]]), block,
                                           known_after)
        code = index.code_[ent]
        named = code >= 0
        d, ent, code = d[named], ent[named], code[named]
        several = index.readings_[ent] > 1
        if several.any():
            # a name with several readings takes the one its text names on its own
            for t in np.unique(d[several]).tolist():
                out[t] = _resolve([
                    index.entries_[e].codes if index.readings_[e] > 1
                    else (index.code_names_[index.code_[e]],) for e in ent[d == t].tolist()
                ])
            plain = ~np.isin(d, d[several])
            d, code = d[plain], code[plain]
        # first mention of each (text, code), in order
        _, firsts = np.unique(d * len(index.code_names_) + code, return_index=True)
        firsts.sort()
        names = index.code_names_
        for t, c in zip(d[firsts].tolist(), code[firsts].tolist()):
            out[t].append(names[c])
        return out

    def _coordinated(self, e: int, p: int, hi: int, block: "_Block", known_after) -> int:
        """«в Московской и Ленинградской областях»: an adjective whose noun comes after
        a coordinated one reads as the region it names with that noun. `known_after`:
        whether each of the five words after it is a known form."""
        low, forms = block.low, self.forms_
        for q in range(p + 1, min(p + 6, hi)):
            nouns = [w for w in forms.get(low[q], ()) if w in _REGION_NOUNS]
            if nouns:
                for key in forms.get(low[p], ()):
                    for noun in nouns:
                        phrase = self.region_phrases_.get((key, noun))
                        if phrase is not None:
                            return phrase
                return e
            if low[q] not in ("и", "или") and not known_after[q - p - 1]:
                return e
        return e

    def _matches(self, entry: _Entry, i: int, lo: int, hi: int, block) -> bool:
        low, cased = block.low, block.cased
        forms = self.forms_
        for k, word in enumerate(entry.words):
            if word not in forms.get(low[i + k], ()):
                return False
        if entry.exact is not None:
            return cased[i] == entry.exact
        if not self.context_rules:
            return True
        for k, cap in enumerate(entry.caps):
            if cap and not cased[i + k][:1].isupper():
                return False
        last = i + len(entry.words) - 1
        if entry.adjective and last + 1 < hi:
            if any(w in _NOT_PLACE_NOUNS for w in forms.get(low[last + 1], ())):
                return False
        first = cased[i]
        if (entry.common or entry.person) and not (len(first) > 1 and first.isupper()):
            if entry.person:
                # a capitalised word beside it makes it a name: «Владимир Путин»
                if i > lo and cased[i - 1][:1].isupper() and low[i - 1] not in _LOWER_NEIGHBOURS:
                    return False
                if last + 1 < hi and cased[last + 1][:1].isupper():
                    return False
            if entry.common:
                before = block.context(i, lo)
                if before is None or before.rstrip(_SPACE)[-1:] in _SENTENCE_END \
                        or "\n" in before:
                    return False
        return True


class _Words(dict):
    """Word `k` of a block as a string, decoded on first use: only the few words that
    context rules read become strings."""

    def __init__(self, data: bytes, starts: np.ndarray, ends: np.ndarray):
        super().__init__()
        self._data, self._starts, self._ends = data, memoryview(starts), memoryview(ends)

    def __missing__(self, k: int) -> str:
        word = self._data[self._starts[k]:self._ends[k]].decode("cp1251")
        self[k] = word
        return word


class _Block:
    """The words of a block of texts (lower-cased and as written, decoded on demand),
    and on demand the characters before a word (only names that are also common words
    ask, to tell a sentence start)."""

    def __init__(self, joined: str, low: bytes, raw: bytes, starts, ends):
        self.joined = joined  # `raw` decoded: one character per byte
        self.low, self.cased = _Words(low, starts, ends), _Words(raw, starts, ends)
        self._starts, self._ends = memoryview(starts), memoryview(ends)

    def context(self, i: int, lo: int) -> str | None:
        """Text before word `i` since the previous word (None for its text's first)."""
        return self.joined[self._ends[i - 1]:self._starts[i]] if i > lo else None


def _lower_table() -> bytes:
    """The bytes.translate table over cp1251: letters and digits lower-cased, the
    separator kept, every other byte a space."""
    lower = bytearray(b" " * 256)
    for b in range(256):
        try:
            ch = bytes([b]).decode("cp1251")
        except UnicodeDecodeError:
            continue
        if _WORD.fullmatch(ch):
            lower[b] = ch.lower().encode("cp1251")[0]
    lower[_SEP_BYTES[0]] = _SEP_BYTES[0]
    return bytes(lower)


_SEP_BYTES = b"\x00"  # the separator word between texts (NULs in texts become spaces)
_SEP_BYTES_TEXT = " \x00 "
_SEP_WORD = "\x00"
_LOWER_BYTES = _lower_table()
_CONJUNCTION_SHAPES = _shape(*(lambda b: (np.frombuffer(b, dtype=np.uint8),
                                          *word_spans(np.frombuffer(b, dtype=np.uint8))))(
    "и или".encode("cp1251")))


_FOOTER = "одписат".encode("cp1251")


def _without_footers(raw: bytes) -> bytes:
    """`raw` with its channel footers («Подписаться на Москву», «Прислать новость»)
    blanked: they name the channel, not a place the post is about. A footer is a line
    of a text holding «одписат»; blanked in place, it keeps every offset, and the text
    around it still reads as a line break."""
    i = raw.find(_FOOTER)
    if i < 0:
        return raw
    buf = bytearray(raw)
    while i >= 0:
        start = max(raw.rfind(b"\n", 0, i), raw.rfind(_SEP_BYTES, 0, i)) + 1
        ends = [j for j in (raw.find(b"\n", i), raw.find(_SEP_BYTES, i)) if j >= 0]
        end = min(ends) if ends else len(raw)
        buf[start:end] = b" " * (end - start)
        i = raw.find(_FOOTER, end)
    return bytes(buf)


def _resolve(hits: list[tuple[str, ...]]) -> list[str]:
    """Codes in order of first mention; a name with several readings takes the one the
    text also names on its own, else its first."""
    if not hits:
        return []
    named = {codes[0] for codes in hits if len(codes) == 1}
    out: list[str] = []
    for codes in hits:
        code = codes[0]
        if len(codes) > 1:
            code = next((c for c in codes if c in named), code)
        if code not in out:
            out.append(code)
    return out


# ------------------------------------------------------------------ name sources
def _make_entry(term: str, codes: tuple[str, ...], morph) -> _Entry:
    prefix = term[: len(term) - len(term.lstrip("!~"))]
    common = "!" in prefix
    person = "~" in prefix
    raw = term.lstrip("!~").replace("=", "").split()
    if len(raw) == 1 and "-" not in raw[0] and sum(ch.isupper() for ch in raw[0]) >= 2:
        return _Entry(words=(_norm(raw[0]),), codes=codes, caps=(True,), exact=raw[0])
    parts = [part for word in raw for part in word.split("-")]
    adjective = len(raw) == 1 and raw[0].islower() and "ADJF" in morph.parse(raw[0])[0].tag
    return _Entry(
        words=tuple(_norm(w) for w in parts),
        codes=codes,
        caps=tuple(w[:1].isupper() for w in parts),
        common=common,
        person=person,
        adjective=adjective,
    )


def _word_forms(word: str, morph, proper: bool = False) -> dict[str, set[str]]:
    """Every inflected form of `word`, per hyphen-separated part (normalized and as
    written with «ё»); for adjectives also the «-о» form that starts compounds
    («российско-казахстанский»). A `proper` name in the singular keeps its singular
    forms only: «Орлов» is a surname, not the city of Орёл."""
    parts = word.split("-")
    out = {_norm(part): {part, _norm(part)} for part in parts}
    parses = morph.parse(word)
    own = [p for p in parses if _norm(p.normal_form) == _norm(word)]
    if not own and word.endswith("ье"):
        # an unknown «-ье» region name («Приамурье») is read as feminine «-ья»: decline
        # it as the neuter it is
        out[_norm(word)].update(_norm(word[:-1] + end) for end in ("е", "я", "ю", "ем", "и"))
        own = []
    elif not own:
        own = parses[:1]
    singular = proper and any("sing" in p.tag and "NOUN" in p.tag for p in own)
    for p in own:
        for f in p.lexeme:
            if singular and "plur" in f.tag:
                continue
            split = f.word.split("-")
            if len(split) == len(parts):
                for part, form in zip(parts, split):
                    out[_norm(part)].update((form, _norm(form)))
    if len(parts) == 1 and word.endswith(("ский", "цкий")) and any("ADJF" in p.tag for p in own):
        out[_norm(word)].add(_norm(word)[:-2] + "о")
    return out


def _read_gazetteer(path: str) -> list[tuple[str, str]]:
    names: list[tuple[str, str]] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the gazetteer ({exc.strerror})") from None
    for lineno, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        code, sep, terms = line.partition("\t")
        if not sep or not re.fullmatch(r"[A-Z]{2}(-[A-Z0-9]{1,3})?|-", code.strip()):
            raise ValueError(f"{path}, line {lineno}: expected CODE<TAB>term | term ...")
        for term in terms.split("|"):
            term = " ".join(term.split())
            if term:
                names.append((term, code.strip()))
    return names


def _pycountry_names(known: set[str]) -> list[tuple[str, str]]:
    """Russian names of countries and foreign subdivisions from pycountry's own
    translations; names the gazetteer already lists keep the gazetteer's reading."""
    import pycountry

    morph = get_morph()
    names: list[tuple[str, str]] = []

    def add(name: str, code: str, single_word_check: bool) -> None:
        name = re.sub(r"\s*\(.*?\)", "", name).strip()
        if not name or "," in name or name in known or name in _SKIP_COUNTRY_NAMES:
            return
        if " " not in name and "-" not in name and sum(ch.isupper() for ch in name) > 1:
            return  # an abbreviation of a foreign subdivision («ОС»): mostly other things
        if single_word_check and " " not in name:
            # a one-word subdivision name that is a common Russian word («Кампания») is
            # left out; unknown words and known place names stay
            low = _norm(name)
            if len(low) < 4:
                return
            if morph.word_is_known(low) and "Geox" not in morph.parse(low)[0].tag:
                return
            if not any(_norm(p.normal_form) == low for p in morph.parse(low)):
                return  # read as a form of some other word: its forms would be wrong
        names.append((name, code))

    # The databases are read here rather than through pycountry's objects, so none of it
    # stays loaded once the extractor is built.
    countries = _catalog(pycountry, "iso3166-1")
    for country in _database(pycountry, "iso3166-1"):
        for attr in ("name", "official_name", "common_name"):
            value = country.get(attr)
            if value:
                ru = countries.gettext(value)
                if ru != value:
                    add(ru, country["alpha_2"], single_word_check=False)
    subdivisions = _catalog(pycountry, "iso3166-2")
    for sub in _database(pycountry, "iso3166-2"):
        if sub["code"] in _SKIP_SUBDIVISIONS:
            continue
        ru = subdivisions.gettext(sub["name"])
        if ru != sub["name"]:
            country_code = sub["code"].split("-")[0]
            code = sub["code"] if country_code == "RU" else country_code
            add(ru, code, single_word_check=True)
    return names


def _return_freed_memory() -> None:
    # glibc keeps freed heap pages for reuse; the tables' build leaves tens of MB of them
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # another C library: nothing to ask
        pass


def _database(pycountry, name: str) -> list[dict]:
    with open(Path(pycountry.DATABASE_DIR) / f"{name}.json", encoding="utf-8") as fh:
        return json.load(fh)[name.removeprefix("iso")]


def _catalog(pycountry, domain: str) -> gettext.NullTranslations:
    """The Russian catalog of `domain`, read without gettext's process-wide cache."""
    path = gettext.find(domain, pycountry.LOCALES_DIR, languages=["ru"])
    if path is None:
        return gettext.NullTranslations()
    with open(path, "rb") as fh:
        return gettext.GNUTranslations(fh)


# ---------------------------------------------------------------- default instance
_default_lock = threading.Lock()
_DEFAULT: PlaceExtractor | None = None


def default_extractor() -> PlaceExtractor:
    """The process-wide fitted extractor with the shipped gazetteer, built on first use."""
    global _DEFAULT
    if _DEFAULT is None:
        with _default_lock:
            if _DEFAULT is None:
                _DEFAULT = PlaceExtractor().fit()
    return _DEFAULT


def extract_places(texts: Iterable[str]) -> list[list[str]]:
    """Codes of the countries and Russian federal subjects each text refers to.

    >>> extract_places(["Казахстанские партнёры посетили Уфу и Москву"])
    [['KZ', 'RU-BA', 'RU-MOW']]
    """
    return default_extractor().transform(texts)
