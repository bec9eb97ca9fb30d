"""Texts into a sparse TF-IDF matrix over lemma unigrams and bigrams, and back into names.

Everything that makes tagging fast lives here. Fitting parses every word form with
pymorphy3; it then builds a form -> lemma table that covers every inflected form of every
lemma the vocabulary uses (from pymorphy3's lexemes) and every function word seen.
Transforming looks whole chunks of tokens up in that table at once (one dict lookup per
token, numpy for the rest); a form missing from the table cannot carry a vocabulary lemma,
so it is never parsed. ``lookup="parse"`` keeps the straightforward parse-every-word path,
which the table must agree with; fitting with it skips building the table (the
cross-validation folds of training do, since they transform each text only once).

>>> vec = LemmaTfidfVectorizer().fit(["Поставки зерна растут", "Экспорт зерна вырос"])
>>> vec.transform(["Зерно поставляют"]).shape
(1, 9)
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from itertools import repeat

import numpy as np

from ._params import NotFittedError, ParamsMixin, check_fitted
from . import subwords
from .bytetokens import byte_text, form_index
from .formtable import STOP as _STOP
from .formtable import build_form_table
from .text import BREAK, NAME_TAGS, TOKEN_RE, lemmatize, name_tag, normalize

__all__ = ["LemmaTfidfVectorizer", "as_text_list"]

_OOV = -2  # anything else outside the vocabulary: dropped, splits bigrams
_SEP_CODE = -3
_SENT_CODE = -4
_SEP = "\u2029"  # paragraph separator: never a token character, marks document ends
_SENT = "\u2028"  # line separator: marks sentence ends inside a document
_FEW = 50  # fewer texts than this are tokenized the plain way until the form index exists
_TOKEN_OR_SEP = re.compile(TOKEN_RE.pattern + "|[" + _SEP + _SENT + "]")
# A sentence ends at . ! ? or … after a word of two or more characters (so initials such
# as «Р. Минниханов» do not end one), or after a closing quote or bracket that follows
# them, when the next word starts with a capital letter or a digit. Read on the raw text:
# normalising lower-cases it. A clause ends one too (a comma, semicolon or colon before a
# space, a dash between spaces): real paragraphs name a sector in one item of a list or
# one clause of a long protocol sentence, and scored as its own unit the cue is not
# diluted by the names and titles around it (measured on real news: +0.03 micro F1,
# +0.05 macro F1). «1,5» has no space after the comma and stays whole.
# The scan starts at the punctuation, so the regex engine skips ahead to candidates
# instead of trying a lookbehind at every character; `_sentence_end` checks what precedes.
_SENT_BREAK = re.compile(r"([.!?…][»\")]?)[^\S\u2028\u2029]+(?=[«\"„(]?[A-ZА-ЯЁ0-9])"
                         r"|[,;:](?=\s)|[—–](?<=\s[—–])(?=\s)")


def _sentence_end(m: re.Match) -> str:
    mark = m.group(1)
    if mark is None:  # a clause end
        return m.group(0) + _SENT
    before = m.string[max(0, m.start() - 2):m.start()]
    if len(mark) == 2 or (before and before[-1] in '»")') or (len(before) == 2 and all(
            c.isalnum() or c == "_" for c in before)):
        return mark + _SENT
    return m.group(0)


def as_text_list(texts: Iterable[str] | str, name: str = "texts") -> list[str]:
    """`texts` as a list of str; a lone string is an error, not a list of characters."""
    if isinstance(texts, (str, bytes)):
        raise TypeError(
            f"{name} must be a list of strings, got a single string; wrap it: [text]"
        )
    # pandas Series/Index and numpy arrays: tolist() gives plain Python objects
    out = texts.tolist() if hasattr(texts, "tolist") else list(texts)
    for i, t in enumerate(out):
        if not isinstance(t, str):
            if t is None or (isinstance(t, float) and np.isnan(t)):
                out[i] = ""
            else:
                raise TypeError(f"{name}[{i}] is {type(t).__name__}, expected str")
    return out


class LemmaTfidfVectorizer(ParamsMixin):
    """TF-IDF over pymorphy3 lemma unigrams and bigrams, function words dropped by tag.

    Parameters
    ----------
    ngram_range : (int, int), default (1, 2)
        Only (1, 1) and (1, 2) are supported: unigrams, or unigrams and bigrams.
    min_df : int, default 1
        Keep terms that occur in at least this many training documents.
    max_df : float, default 1.0
        Drop terms that occur in more than this share of training documents.
    max_features : int or None
        Keep only the most frequent terms (by document frequency).
    sublinear_tf : bool, default True
        Use 1 + log(tf) instead of raw counts.
    norm : {"l2", None}, default "l2"
    lookup : {"table", "parse"}, default "table"
        How transform finds lemmas: the fitted form table, or parsing every word form.
    subwords : (int, int) or None, default (3, 5)
        Lengths of the character n-grams of vocabulary lemmas (with "<" and ">" marking
        the ends) that `transform_subwords` gives; None: no subword block.
    subword_min_df : int, default 2
        Keep n-grams that occur in at least this many training documents.
    placeholders : tuple of str, default ()
        Kinds of proper names (pymorphy3 tags "Name", "Surn", "Patr", "Geox") replaced by
        one placeholder term each («<surn>»), so the model learns nothing from who spoke
        or which place hosted a meeting, only that a person or place was named.

    Attributes
    ----------
    vocabulary_ : dict[str, int]
        Term ("лемма" or "лемма лемма") -> column.
    idf_ : ndarray of shape (n_features,)
    lemmas_ : ndarray of str
        Every lemma used by some term; a lemma's position is its code.
    form_table_ : dict[str, int]
        Word form -> lemma code (-1 for function words); absent forms are out of
        vocabulary. Built only when fitted with ``lookup="table"``.
    subword_grams_ : ndarray of str
        The character n-grams of the subword block, in column order.
    subword_idf_ : ndarray; subword_scale_ : float
        Idf of each n-gram; the factor that gives the subword block of a typical
        training document the l2 norm of its (normalised) word block.

    Examples
    --------
    >>> vec = LemmaTfidfVectorizer(min_df=1)
    >>> X = vec.fit_transform(["Экспорт нефти вырос", "Нефть и газ"])
    >>> "экспорт нефть" in vec.vocabulary_
    True
    """

    def __init__(
        self,
        ngram_range: tuple[int, int] = (1, 2),
        min_df: int = 1,
        max_df: float = 1.0,
        max_features: int | None = None,
        sublinear_tf: bool = True,
        norm: str | None = "l2",
        lookup: str = "table",
        subwords: tuple[int, int] | None = (3, 5),
        subword_min_df: int = 2,
        placeholders: tuple[str, ...] = (),
    ):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf
        self.norm = norm
        self.lookup = lookup
        self.subwords = subwords
        self.subword_min_df = subword_min_df
        self.placeholders = placeholders

    # -- fitting -------------------------------------------------------------------

    def fit(self, X: Iterable[str], y=None) -> "LemmaTfidfVectorizer":
        """Learn the vocabulary, idf weights and the form table from raw texts."""
        texts = as_text_list(X, "X")
        self._check_params()
        bigrams = tuple(self.ngram_range) == (1, 2)

        df: Counter[str] = Counter()
        seen_forms: set[str] = set()
        for text in texts:
            forms = TOKEN_RE.findall(normalize(text))
            seen_forms.update(forms)
            terms = set()
            prev = None
            for form in forms:
                lemma = self._lemma(form)
                if lemma is None:
                    continue
                if lemma == BREAK:
                    prev = None
                    continue
                terms.add(lemma)
                if bigrams and prev is not None:
                    terms.add(prev + " " + lemma)
                prev = lemma
            df.update(terms)

        n_docs = len(texts)
        if n_docs == 0:
            raise ValueError("cannot fit on an empty list of texts")
        terms = sorted(df)
        self.fit_counts(np.array(terms, dtype=object),
                        np.fromiter((df[t] for t in terms), np.int64, len(terms)), n_docs,
                        seen_forms)
        if self.subwords is not None:
            self.fit_subwords(*self._weights(texts)[:4])
        return self

    def _check_params(self) -> None:
        if tuple(self.ngram_range) not in ((1, 1), (1, 2)):
            raise ValueError(f"ngram_range must be (1, 1) or (1, 2), got {self.ngram_range}")
        if self.lookup not in ("table", "parse"):
            raise ValueError(f"lookup must be 'table' or 'parse', got {self.lookup!r}")
        unknown = set(self.placeholders) - set(NAME_TAGS)
        if unknown:
            raise ValueError(f"placeholders must be among {NAME_TAGS}, got {sorted(unknown)}")
        if self.subwords is not None and not 1 <= self.subwords[0] <= self.subwords[1]:
            raise ValueError(f"subwords must be (lo, hi) with 1 <= lo <= hi, got {self.subwords}")

    def fit_counts(self, terms: np.ndarray, df: np.ndarray, n_docs: int,
                   seen_forms: Iterable[str] | None = None) -> "LemmaTfidfVectorizer":
        """Learn the vocabulary and idf weights from document frequencies: `df[i]`
        training documents of `n_docs` hold the term `terms[i]` (sorted). With
        ``lookup="table"``, also the form table over `seen_forms`, the training word forms.
        The subword block, if any, is `fit_subwords`'s work.

        `fit` is this on counts it takes from raw texts; training computes the counts of
        all its texts once and fits each cross-validation fold's featurizer from them.
        """
        self._check_params()
        max_count = self.max_df * n_docs if isinstance(self.max_df, float) else self.max_df
        kept = np.flatnonzero((df > 0) & (df >= self.min_df) & (df <= max_count))
        if self.max_features is not None:
            # Most frequent first, ties in term order (terms are sorted).
            kept = np.sort(kept[np.argsort(-df[kept], kind="stable")[: self.max_features]])
        if not len(kept):
            raise ValueError("empty vocabulary: the texts hold no content words")
        terms = [str(t) for t in terms[kept]]
        for name in ("_form_index", *_LAZY_TABLES["form_table_"], *_LAZY_TABLES["vocabulary_"]):
            self.__dict__.pop(name, None)  # a loaded model's packed tables, refitted
        self.vocabulary_ = {t: i for i, t in enumerate(terms)}
        counts = df[kept].astype(np.float64)
        self.idf_ = np.log((1 + n_docs) / (1 + counts)) + 1.0  # sklearn's smooth idf

        lemma_set = set()
        for t in terms:
            lemma_set.update(t.split(" "))
        self.lemmas_ = np.array(sorted(lemma_set), dtype=object)
        code = {lemma: i for i, lemma in enumerate(self.lemmas_)}
        n_lemmas = len(self.lemmas_)

        self.unigram_cols_ = np.full(n_lemmas, -1, dtype=np.int64)
        keys, cols = [], []
        for t, col in self.vocabulary_.items():
            parts = t.split(" ")
            if len(parts) == 1:
                self.unigram_cols_[code[t]] = col
            else:
                keys.append(code[parts[0]] * n_lemmas + code[parts[1]])
                cols.append(col)
        order = np.argsort(keys) if keys else np.array([], dtype=np.int64)
        self.bigram_keys_ = np.asarray(keys, dtype=np.int64)[order]
        self.bigram_cols_ = np.asarray(cols, dtype=np.int64)[order]

        self.__dict__.pop("form_table_", None)  # a refit must not keep an old table
        if self.lookup == "table":
            # Expanding every vocabulary lemma's lexeme is most of the fitting time; a
            # "parse" featurizer never reads the table.
            if seen_forms is None:
                raise ValueError("lookup='table' needs the training word forms (seen_forms)")
            self.build_form_table(seen_forms)
        return self

    def _lemma(self, form: str) -> str | None:
        lemma = lemmatize(form)
        if lemma and self.placeholders:
            kind = name_tag(form)
            if kind in self.placeholders:
                return f"<{kind.lower()}>"
        return lemma

    def fit_subwords(self, rows: np.ndarray, cols: np.ndarray, tfw: np.ndarray, n_docs: int,
                     grams: "subwords.LemmaNgrams | None" = None) -> "LemmaTfidfVectorizer":
        """Learn the subword block from the training documents' tf weights (`_weights`'
        first four arrays). `grams`, the n-grams of the lemmas with a unigram column in
        lemma order, saves building them when the caller has them."""
        has = np.flatnonzero(self.unigram_cols_ >= 0)  # a bigram-only lemma has nothing to fold into
        if grams is None:
            grams = subwords.lemma_ngrams(self.lemmas_[has], self.subwords)
        F, _ = self._lemma_weights_from(rows, cols, tfw, n_docs)
        # The block's scale is set against the word block's own size, normalised or not:
        # against unit rows an unnormalised word block would dwarf it tenfold.
        word_norms = self._word_norms(rows, cols, tfw, n_docs)
        self.__dict__.update(subwords.fit_block(grams, has, F, word_norms, self.subword_min_df))
        return self

    def _subword_matrix(self):
        import scipy.sparse as sp

        return sp.csr_matrix(
            (self.subword_data_, self.subword_indices_, self.subword_indptr_),
            shape=(len(self.lemmas_), len(self.subword_grams_)),
        )

    def _word_norms(self, rows, cols, tfw, n_docs: int) -> np.ndarray:
        """Each document's word-block l2 norm (tf weights times idf), before any norm."""
        vals = tfw * self.idf_[cols]
        return np.sqrt(np.bincount(rows, weights=vals * vals, minlength=n_docs))

    def _lemma_weights_from(self, rows, cols, tfw, n_docs: int):
        """(n_docs, n_lemmas) CSR of each lemma's tf weight (what its unigram column holds
        before idf and the norm), and each document's row divisor (its word-block norm with
        norm="l2", else 1), from `_weights`' arrays."""
        import scipy.sparse as sp

        norms = self._word_norms(rows, cols, tfw, n_docs) if self.norm == "l2" else np.ones(n_docs)
        lemma_of_col = np.full(len(self.vocabulary_), -1, dtype=np.int64)
        has = self.unigram_cols_ >= 0
        lemma_of_col[self.unigram_cols_[has]] = np.flatnonzero(has)
        codes = lemma_of_col[cols]
        uni = codes >= 0
        F = sp.csr_matrix((tfw[uni], (rows[uni], codes[uni])), shape=(n_docs, len(self.lemmas_)))
        return F, norms

    def transform_subwords(self, X: Iterable[str], sentences: bool = False):
        """The subword block: (n_texts, n_grams) CSR of the character n-grams of each
        text's vocabulary lemmas, weighted by the lemma's tf and the n-gram's idf, divided
        by the text's word-block norm times `subword_scale_`.

        Training puts it beside `transform`'s columns, so lemmas that share n-grams
        («нефтехимия», «нефтехимический», «нижнекамскнефтехим») share evidence. The block
        is linear in the lemmas' tf weights over that same norm, so `fold_subwords` turns
        its coefficients into unigram coefficients and tagging never computes it.
        """
        check_fitted(self, "subword_grams_")
        import scipy.sparse as sp

        return self.subwords_from(*self._weights(as_text_list(X, "X"), sentences)[:4])

    def subwords_from(self, rows, cols, tfw, n_docs: int):
        """`transform_subwords` of the documents whose `_weights` arrays are given."""
        check_fitted(self, "subword_grams_")
        F, norms = self._lemma_weights_from(rows, cols, tfw, n_docs)
        return subwords.block(F, norms, self._subword_matrix(), self.subword_scale_)

    def subword_factors(self, rows, cols, tfw, n_docs: int):
        """`subwords_from` in factors (lemma tf weights, row scale, lemma -> n-gram
        matrix): the block is ``diag(row_scale) @ lemmas @ grams``."""
        check_fitted(self, "subword_grams_")
        F, norms = self._lemma_weights_from(rows, cols, tfw, n_docs)
        return F, subwords.row_scale(norms, self.subword_scale_), self._subword_matrix()

    def fold_subwords(self, coef: np.ndarray) -> np.ndarray:
        """Coefficients over the subword block, (n_outputs, n_grams), as the equivalent
        coefficients over `transform`'s columns, (n_outputs, n_features): a linear model
        on both blocks scores every text the same from `transform` alone."""
        check_fitted(self, "subword_grams_")
        return subwords.fold(coef, self._subword_matrix(), self.unigram_cols_, self.idf_,
                             self.subword_scale_, len(self.vocabulary_))

    def build_form_table(self, seen_forms: Iterable[str]) -> None:
        """The form -> lemma table of `formtable.build_form_table` over the vocabulary's
        lemmas and `seen_forms`, plus the document and sentence marks."""
        code = {lemma: i for i, lemma in enumerate(self.lemmas_)}
        table = build_form_table(seen_forms, code, self._lemma)
        table[_SEP] = _SEP_CODE
        table[_SENT] = _SENT_CODE
        self.form_table_ = table

    # -- transforming --------------------------------------------------------------

    def fit_transform(self, X: Iterable[str], y=None):
        """`fit(X)` then `transform(X)`."""
        texts = as_text_list(X, "X")
        return self.fit(texts).transform(texts)

    def transform(self, X: Iterable[str]):
        """Texts -> (n_texts, n_features) scipy CSR matrix of TF-IDF weights."""
        rows, cols, vals, n_docs = self.transform_triplets(X)
        return _csr(rows, cols, vals, n_docs, len(self.vocabulary_))

    def transform_triplets(self, X: Iterable[str]):
        """The TF-IDF matrix as sorted (rows, cols, values) arrays plus the row count.

        What `transform` wraps in a CSR matrix; the model scores straight from it, so
        tagging never needs scipy.
        """
        rows, cols, vals, n_docs, _ = self._weighted(as_text_list(X, "X"), sentences=False)
        return rows, cols, vals, n_docs

    def transform_sentence_triplets(self, X: Iterable[str]):
        """TF-IDF of every sentence of every text: (rows, cols, values, n_sentences,
        text_of_sentence), each sentence weighted and normalised as a text of its own.

        Every text has at least one sentence (possibly empty), in order, so
        `text_of_sentence` is sorted and `np.searchsorted` finds each text's first one.
        """
        return self._weighted(as_text_list(X, "X"), sentences=True)

    def transform_sentences(self, X: Iterable[str]):
        """(n_sentences, n_features) CSR of the sentences of `X`, and the text of each row."""
        rows, cols, vals, n, text_of = self.transform_sentence_triplets(X)
        return _csr(rows, cols, vals, n, len(self.vocabulary_)), text_of

    def transform_both_triplets(self, X: Iterable[str]):
        """`transform_triplets` and `transform_sentence_triplets` of the same texts from
        one pass of tokenizing and lookup, the costly part of both."""
        texts = as_text_list(X, "X")
        codes = self._codes(texts, sentences=True)
        return (self._normed(*self._units(codes, by_sentence=False))[:4],
                self._normed(*self._units(codes, by_sentence=True)))

    def _weighted(self, texts: list[str], sentences: bool):
        return self._normed(*self._weights(texts, sentences))

    def _normed(self, rows, cols, vals, n_units, text_of):
        vals *= self.idf_[cols]
        if self.norm == "l2" and len(vals):
            norms = np.sqrt(np.bincount(rows, weights=vals * vals, minlength=n_units))
            vals /= norms[rows]
        return rows, cols, vals, n_units, text_of

    def _weights(self, texts: list[str], sentences: bool = False):
        """(rows, cols, tf weights, n_rows, text_of_row): term frequencies, sublinear if so
        set, in CSR order; idf and the norm not yet applied. Rows are texts, or with
        `sentences` the sentences of the texts."""
        return self._units(self._codes(texts, sentences), by_sentence=sentences)

    def _codes(self, texts: list[str], sentences: bool) -> np.ndarray:
        check_fitted(self, "idf_")
        if self.lookup == "table":
            return self._codes_by_table(texts, sentences)
        return self._codes_by_parse(_tokens(texts, sentences))

    def _units(self, codes: np.ndarray, by_sentence: bool):
        is_end = codes == _SEP_CODE
        is_sent = codes == _SENT_CODE
        # Read by text, a sentence mark is dropped like a function word, so a bigram spans
        # it exactly as in a text read without marks.
        is_break = is_end | is_sent if by_sentence else is_end
        unit_ids = np.cumsum(is_break) - is_break  # a break closes its unit
        text_of = (np.cumsum(is_end) - is_end)[is_break]
        keep = ~is_end & ~is_sent & (codes != _STOP)
        rows, cols, vals, _ = self._tf(unit_ids[keep], codes[keep], len(text_of))
        return rows, cols, vals, len(text_of), text_of

    def _codes_by_table(self, texts: list[str], sentences: bool) -> np.ndarray:
        d = self.__dict__
        # The table as a dict, or as a loaded model keeps it until something asks for the
        # dict: packed, so tagging a big file never holds the dict's 180k str objects.
        source = d.get("form_table_", d.get("_forms_packed"))
        if source is None:
            raise NotFittedError(
                "this featurizer was fitted with lookup='parse' and has no form table; "
                "refit it with lookup='table'"
            )
        # The tokens as cp1251 bytes (no regex step per token), found in the table all
        # at once by numpy (no Python object per token); the index is built once per
        # table.
        cached = d.get("_form_index")
        if (cached is None or cached[0] is not source) and len(texts) < _FEW:
            # Building the index takes ~0.1 s: a first call with a few texts (a cold
            # start, one request) reads them the plain way, with the same codes.
            tokens = _tokens(texts, sentences)
            return np.fromiter(map(self.form_table_.get, tokens, repeat(_OOV)),
                               dtype=np.int64, count=len(tokens))
        if cached is None or cached[0] is not source:
            if isinstance(source, dict):
                forms, codes = list(source), np.fromiter(source.values(), np.int64, len(source))
            else:
                forms, codes = _unpack(source), d["_form_codes_packed"]
            cached = self._form_index = (source, form_index(forms, codes, _SEP_CODE, _SENT_CODE))
        return cached[1].codes(byte_text(texts, sentences), _OOV)

    def _codes_by_parse(self, tokens: list[str]) -> np.ndarray:
        code = {lemma: i for i, lemma in enumerate(self.lemmas_)}
        known = {_SEP: _SEP_CODE, _SENT: _SENT_CODE}
        out = np.empty(len(tokens), dtype=np.int64)
        for i, form in enumerate(tokens):
            c = known.get(form)
            if c is None:
                lemma = self._lemma(form)
                c = _STOP if lemma is None else code.get(lemma, _OOV) if lemma else _OOV
                known[form] = c
            out[i] = c
        return out

    def _tf(self, doc_ids: np.ndarray, codes: np.ndarray, n_docs: int):
        n_features = len(self.idf_)
        known = codes >= 0
        uni_cols = np.full(len(codes), -1, dtype=np.int64)
        uni_cols[known] = self.unigram_cols_[codes[known]]
        rows = [doc_ids[uni_cols >= 0]]
        cols = [uni_cols[uni_cols >= 0]]
        if len(self.bigram_keys_) and len(codes) > 1:
            left, right = codes[:-1], codes[1:]
            pair = (doc_ids[:-1] == doc_ids[1:]) & (left >= 0) & (right >= 0)
            keys = left[pair] * len(self.lemmas_) + right[pair]
            where = np.searchsorted(self.bigram_keys_, keys)
            where = np.minimum(where, len(self.bigram_keys_) - 1)
            hit = self.bigram_keys_[where] == keys
            rows.append(doc_ids[:-1][pair][hit])
            cols.append(self.bigram_cols_[where[hit]])
        # Counting (row, col) pairs by sorting one int64 key gives the term frequencies
        # already in CSR order.
        cells, tf = np.unique(np.concatenate(rows) * n_features + np.concatenate(cols),
                              return_counts=True)
        rows, cols = cells // n_features, cells % n_features
        vals = tf.astype(np.float64)
        if self.sublinear_tf:
            vals = 1.0 + np.log(vals)
        return rows, cols, vals, n_docs

    # joblib unpickles with the pure-Python pickle machinery: hundreds of thousands of
    # small str objects in dicts take seconds, one long string and an int array take
    # milliseconds. So the tables travel packed; the two dicts are rebuilt on first use.

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_names_cache", None)
        state.pop("_form_index", None)
        if "form_table_" in state:
            table = state.pop("form_table_")
            state["_forms_packed"] = _pack(table.keys())
            state["_form_codes_packed"] = np.fromiter(table.values(), np.int32, len(table))
        if "vocabulary_" in state:
            vocab = state.pop("vocabulary_")
            state["_terms_packed"] = _pack(vocab.keys())
            state["_term_cols_packed"] = np.fromiter(vocab.values(), np.int64, len(vocab))
        for name in ("lemmas_", "subword_grams_"):
            if name in state:
                state["_packed_" + name] = _pack(state.pop(name))
        return state

    def __setstate__(self, state):
        state = dict(state)
        # The form table and the vocabulary stay packed until first asked for (see
        # __getattr__): tagging reads neither dict, and they are ~45 MB of str objects.
        if "_lemmas_packed" in state:  # models saved before the subword block
            state["_packed_lemmas_"] = state.pop("_lemmas_packed")
            state.setdefault("subwords", None)
            state.setdefault("subword_min_df", 2)
        for name in ("lemmas_", "subword_grams_"):
            if "_packed_" + name in state:
                state[name] = np.array(_unpack(state.pop("_packed_" + name)), dtype=object)
        state.setdefault("placeholders", ())
        self.__dict__.update(state)

    def __getattr__(self, name: str):
        # Only reached when `name` is not set: a packed table is unpacked on first use.
        packed = _LAZY_TABLES.get(name)
        d = self.__dict__
        if packed is None or packed[0] not in d:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        table = dict(zip(_unpack(d.pop(packed[0])), d.pop(packed[1]).tolist()))
        if name == "form_table_":
            table.setdefault(_SENT, _SENT_CODE)  # tables from before sentences
        d[name] = table
        return table

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Term of each column: a lemma or a lemma bigram joined by a space."""
        return self._feature_names().copy()

    def _feature_names(self) -> np.ndarray:
        """`get_feature_names_out` without the copy, built once per vocabulary: building
        it takes ~10 ms, which every `explain` call paid."""
        check_fitted(self, "vocabulary_")
        cached = self.__dict__.get("_names_cache")
        if cached is None or cached[0] is not self.vocabulary_:  # refitted since
            names = np.empty(len(self.vocabulary_), dtype=object)
            for term, col in self.vocabulary_.items():
                names[col] = term
            cached = self._names_cache = (self.vocabulary_, names)
        return cached[1]


def _tokens(texts: list[str], sentences: bool) -> list[str]:
    """Normalised tokens of all `texts` in one list, each text closed by `_SEP` and, with
    `sentences`, each inner sentence end marked by `_SENT`."""
    raw = _SEP.join(t.replace(_SEP, " ").replace(_SENT, " ") for t in texts) + _SEP
    if sentences:
        raw = _SENT_BREAK.sub(_sentence_end, raw)
    return _TOKEN_OR_SEP.findall(normalize(raw))


def _csr(rows, cols, vals, n_rows: int, n_cols: int):
    import scipy.sparse as sp

    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    return sp.csr_matrix((vals, cols, indptr), shape=(n_rows, n_cols))


# Fitted dicts a loaded model keeps packed until first use: (packed keys, their values).
_LAZY_TABLES = {
    "form_table_": ("_forms_packed", "_form_codes_packed"),
    "vocabulary_": ("_terms_packed", "_term_cols_packed"),
}


def _pack(strings) -> str:
    # "\n" never occurs in a token or a term, so it can separate them.
    return "\n".join(strings)


def _unpack(packed: str) -> list[str]:
    return packed.split("\n") if packed else []
