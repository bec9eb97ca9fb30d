"""The place extractor's names as numpy tables, and the scan of a block of words that
finds them without a Python step per word.

`PlaceExtractor` decides a name with a handful of word checks (every word of the name is
a form of its dictionary word, capitals where the name has them, an abbreviation written
as listed, a country adjective not followed by «язык» or «кухня»). Here each check is one
numpy operation over all candidates of a block at once: the words are found by a
`FormIndex` over the forms (one code per word, no string made), every name a word can
anchor is a row of flat arrays, and a (form, dictionary word) pair is a sorted int64 key.
Before any of that, a bit per anchor form's shape (first eight bytes and length) lets
only the few words that may anchor a name through to the exact lookup. Only names that
are also common words or person names, whose rules read the text around them, are left
to the extractor's own Python check, and only where the rest matched.

>>> index = PlaceExtractor().fit().index_  # doctest: +SKIP
>>> index.form_codes(a, starts, ends)  # a block's words -> form codes  # doctest: +SKIP
"""
from __future__ import annotations

import numpy as np

from .formindex import FormIndex

__all__ = ["NameIndex", "word_spans"]

_SPACE = 32


def word_spans(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets of the runs of non-space bytes of `a`."""
    edges = np.diff((a != _SPACE).view(np.int8), prepend=np.int8(0), append=np.int8(0))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


def _capitals(codec: str) -> np.ndarray:
    out = np.zeros(256, dtype=bool)
    for b in range(256):
        try:
            out[b] = bytes([b]).decode(codec).isupper()
        except UnicodeDecodeError:
            pass
    return out


_UPPER_BYTES = _capitals("cp1251")  # which bytes are capital letters
_SIEVE_BITS = 21  # a 256 KB bit table
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


# Row L: the uint64 whose first L bytes (in memory order) are 0xFF, the rest 0.
_PREFIX_MASKS = (
    (np.arange(8)[None, :] < np.arange(9)[:, None]).astype(np.uint8) * 0xFF
).view(np.uint64).ravel()


def _shape(a: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Per word, its first eight bytes (zero past its end) with its length in the top
    byte: the whole word when it is shorter than eight bytes."""
    lengths = ends - starts
    padded = np.concatenate([a, np.zeros(8, dtype=np.uint8)])
    # A uint64 at every byte offset (stride 1, unaligned loads): one gather per word,
    # half the time of gathering eight bytes and viewing them.
    at = np.ndarray((len(a) + 1,), dtype=np.uint64, buffer=padded, strides=(1,))
    out = at[starts]
    out &= _PREFIX_MASKS[np.minimum(lengths, 8)]
    return out ^ (lengths.astype(np.uint64) << np.uint64(56))


def _encodable(word: str, codec: str) -> bytes | None:
    try:
        return word.encode(codec)
    except UnicodeEncodeError:
        return None


class NameIndex:
    """Flat arrays of the names each word form can anchor, and of the names' words.

    Built by `build` from the extractor's anchors and forms; `entries_` lists the names
    in the order their ids follow (a user may set to None those it never reads).
    """

    @classmethod
    def build(cls, anchors: dict, forms: dict, context_rules: bool, not_place_words=(),
              codec: str = "cp1251", is_word=None, extra_entries=()) -> "NameIndex":
        """`anchors`: form -> [(entry, position of the form's word in the name)], longest
        first; `forms`: form -> the dictionary words it is a form of; an adjective name
        followed by a form of one of `not_place_words` is no place; `is_word(form)`:
        whether a word of the text can be that form at all; `extra_entries`: names
        found otherwise than by their anchor, which need an id too."""
        self = cls()
        self.context_rules = context_rules
        vocab = [f for f in forms if (is_word is None or is_word(f))]
        encoded = [_encodable(f, codec) for f in vocab]
        encoded_of = {f: b for f, b in zip(vocab, encoded) if b is not None}
        vocab = list(encoded_of)
        vocab_id = {f: i for i, f in enumerate(vocab)}
        blob = b" ".join(b for b in encoded if b is not None)
        self.forms_index_ = FormIndex(blob, np.arange(len(vocab)))
        self.no_form_ = len(vocab)  # the code of a word that is no known form
        wanted = set(not_place_words)
        self.not_place_ = np.array([bool(wanted.intersection(forms[f])) for f in vocab] + [False])

        words = sorted({w for ws in forms.values() for w in ws})
        word_id = {w: i for i, w in enumerate(words)}
        self.n_words_ = len(words)
        keys = [vocab_id[f] * len(words) + word_id[w]
                for f, ws in forms.items() if f in vocab_id for w in ws]
        self.members_ = np.unique(np.asarray(keys, dtype=np.int64))

        entries: list = []
        entry_id: dict[int, int] = {}
        start = np.zeros(len(vocab) + 1, dtype=np.int32)  # last row: a word not in vocab
        count = np.zeros(len(vocab) + 1, dtype=np.int32)
        cand_entry, cand_offset = [], []
        for form, lst in anchors.items():
            t = vocab_id.get(form)
            if t is None:
                continue
            start[t], count[t] = len(cand_entry), len(lst)
            for entry, a in lst:
                e = entry_id.setdefault(id(entry), len(entries))
                if e == len(entries):
                    entries.append(entry)
                cand_entry.append(e)
                cand_offset.append(a)
        for entry in extra_entries:
            if entry_id.setdefault(id(entry), len(entries)) == len(entries):
                entries.append(entry)
        self.entries_ = entries
        # What each name gives: its first code (-1: none, «-»), and how many readings.
        names = sorted({e.codes[0] for e in entries if e.codes[0] != "-"})
        self.code_names_ = names
        code_of = {c: i for i, c in enumerate(names)}
        self.code_ = np.array([code_of.get(e.codes[0], -1) for e in entries], dtype=np.int64)
        self.readings_ = np.array([len(e.codes) for e in entries], dtype=np.int64)
        # Every word of a text is first tested against a bit per anchor form's shape.
        anchor_blob = b" ".join(encoded_of[f] for f in anchors if f in vocab_id)
        fa = np.frombuffer(anchor_blob, dtype=np.uint8)
        sieve = np.zeros(1 << (_SIEVE_BITS - 3), dtype=np.uint8)
        h = self._sieve_slot(_shape(fa, *word_spans(fa)))
        np.bitwise_or.at(sieve, h >> np.uint64(3),
                         np.left_shift(1, (h & np.uint64(7)).astype(np.uint8)).astype(np.uint8))
        self.sieve_ = sieve
        self.n_forms_ = len(vocab)
        self.anchor_start_, self.anchor_count_ = start, count
        self.cand_entry_ = np.asarray(cand_entry, dtype=np.int64)
        self.cand_offset_ = np.asarray(cand_offset, dtype=np.int64)

        width = max((len(e.words) for e in entries), default=1)
        n = len(entries)
        self.length_ = np.array([len(e.words) for e in entries], dtype=np.int64)
        self.words_ = np.full((n, width), -1, dtype=np.int64)
        self.caps_ = np.zeros((n, width), dtype=bool)
        exact_ids: dict[bytes, int] = {}
        self.exact_ = np.full(n, -1, dtype=np.int64)  # -1: not an abbreviation
        # a word absent from `forms` matches no text word: its key is past every member
        missing = len(words) * (len(vocab) + 2)
        for i, e in enumerate(entries):
            self.words_[i, :len(e.words)] = [word_id.get(w, missing) for w in e.words]
            self.caps_[i, :len(e.caps)] = e.caps
            if e.exact is not None:
                raw = _encodable(e.exact, codec)
                if raw is None or (is_word is not None and not is_word(e.exact)):
                    self.exact_[i] = -2  # never written so in a text
                else:
                    self.exact_[i] = exact_ids.setdefault(raw, len(exact_ids))
        self.exact_index_ = FormIndex(b" ".join(exact_ids), list(exact_ids.values()))
        self.adjective_ = np.array([e.adjective for e in entries], dtype=bool)
        self.contextual_ = np.array([e.common or e.person for e in entries], dtype=bool)
        return self

    def _sieve_slot(self, shape: np.ndarray) -> np.ndarray:
        return (shape * _GOLDEN) >> np.uint64(64 - _SIEVE_BITS)

    def form_codes(self, a: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                   data: bytes | None = None) -> np.ndarray:
        """The form code of each word (`no_form_` for a word that is no known form)."""
        return self.forms_index_.codes_at(a, starts, ends, self.no_form_, data)

    def anchor_codes(self, a: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                     data: bytes | None = None) -> np.ndarray:
        """The form code of each word that can anchor a name; `no_form_` for the rest
        (and for some words that are forms but anchor nothing)."""
        # Most words of a text anchor no name: the bit of their shape sends only the
        # few that may to the exact lookup. A zero byte (a text separator) is no word.
        h = self._sieve_slot(_shape(a, starts, ends))
        bits = self.sieve_[h >> np.uint64(3)] >> (h & np.uint64(7)).astype(np.uint8)
        maybe = np.flatnonzero((bits & 1).astype(bool) & (a[starts] != 0))
        out = np.full(len(starts), self.no_form_, dtype=np.int64)
        if len(maybe):
            out[maybe] = self.form_codes(a, starts[maybe], ends[maybe], data)
        return out

    def first_names(self, a: np.ndarray, data: bytes, raw_a: np.ndarray, starts: np.ndarray,
                    ends: np.ndarray, doc: np.ndarray, lo: np.ndarray, hi: np.ndarray, check):
        """For every word that can anchor a name, the first of its names (longest first)
        that matches there: (word positions, entry ids, first word of each name).

        `a`/`data`: the block lower-cased (uint8 array and bytes), `raw_a` as written;
        `starts`/`ends`: its words; `doc`: each word's text; `lo`/`hi`: each text's
        first word and the end of its words. Names that are also common words or person
        names are decided by `check(entry id, first word, text)` once the numpy checks
        pass."""
        tid = self.anchor_codes(a, starts, ends, data)
        count = self.anchor_count_[tid]
        hits = np.flatnonzero(count)
        empty = np.zeros(0, dtype=np.int64)
        if not len(hits):
            return empty, empty, empty
        cnt = count[hits]
        total = int(cnt.sum())
        cand_hit = np.repeat(np.arange(len(hits)), cnt)
        base = np.repeat(np.cumsum(cnt) - cnt, cnt)
        flat = np.repeat(self.anchor_start_[tid[hits]], cnt) + (np.arange(total) - base)
        ent = self.cand_entry_[flat]
        pos = hits[cand_hit]
        first = pos - self.cand_offset_[flat]
        length = self.length_[ent]
        d = doc[pos]
        ok = (first >= lo[d]) & (first + length <= hi[d])

        # every word of the name is a form of its dictionary word
        c = np.flatnonzero(ok)
        lens = length[c]
        pc = np.repeat(c, lens)
        k = np.arange(int(lens.sum())) - np.repeat(np.cumsum(lens) - lens, lens)
        at = first[pc] + k
        # the anchor is a form of its word by construction: only the others are looked up
        other = np.flatnonzero(at != pos[pc])
        o_at = at[other]
        key = (self.form_codes(a, starts[o_at], ends[o_at], data) * self.n_words_
               + self.words_[ent[pc[other]], k[other]])
        where = np.minimum(np.searchsorted(self.members_, key), max(len(self.members_) - 1, 0))
        good = np.ones(len(at), dtype=bool)
        if len(self.members_):
            good[other] = self.members_[where] == key
        else:
            good[other] = False
        if self.context_rules:
            need_cap = self.caps_[ent[pc], k] & (self.exact_[ent[pc]] == -1)
            good &= ~need_cap | _UPPER_BYTES[raw_a[starts[at]]]
        ok[pc[~good]] = False

        # an abbreviation is matched as written
        ex = self.exact_[ent]
        c = np.flatnonzero(ok & (ex != -1))
        if len(c):
            at = first[c]
            got = self.exact_index_.codes_at(raw_a, starts[at], ends[at], -3)
            ok[c] = got == ex[c]
        is_exact = ex != -1
        if self.context_rules:
            # a country adjective before «язык» / «кухня» is a language or a cuisine
            c = np.flatnonzero(ok & ~is_exact & self.adjective_[ent])
            if len(c):
                nxt = first[c] + length[c]
                inside = nxt < hi[d[c]]
                nxt = nxt[inside]
                ok[c[inside]] = ~self.not_place_[self.form_codes(a, starts[nxt], ends[nxt], data)]
            # common words and person names: the text around them decides
            c = np.flatnonzero(ok & ~is_exact & self.contextual_[ent])
            for i in c.tolist():
                ok[i] = check(int(ent[i]), int(first[i]), int(d[i]))
        chosen = np.flatnonzero(ok)
        _, firsts = np.unique(cand_hit[chosen], return_index=True)
        chosen = chosen[firsts]
        return pos[chosen], ent[chosen], first[chosen]
