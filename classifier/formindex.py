"""Form-table lookups for a whole block of tokens at once, in numpy.

A dict lookup per token (a bytes object made by `bytes.split`, hashed, probed, its code
boxed and unboxed) was the largest cost of tagging left. Here the tokens stay in the byte
string: a token of at most 16 bytes is its own key, the two 8-byte words of its bytes
padded with zeros (no token holds a zero byte, so distinct tokens have distinct keys),
and all keys are found at once in an open-addressing hash table of numpy arrays that
compares whole keys, so an answer is exact, never a hash guess. Longer tokens, rare, go
through the dict.

>>> index = FormIndex(b"\\xe7\\xe5\\xf0\\xed\\xee \\x01", [7, -3])
>>> index.codes(b" \\xe7\\xe5\\xf0\\xed\\xee  \\xe7\\xe5 \\x01 ", missing=-2).tolist()
[7, -2, -3]
"""
from __future__ import annotations

import numpy as np

__all__ = ["FormIndex"]

_WIDTH = 16  # bytes a key holds: two uint64 words
_SPACE = 32
_MUL = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F))


def _spans(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets of the runs of non-space bytes of `a`."""
    edges = np.diff((a != _SPACE).view(np.int8), prepend=np.int8(0), append=np.int8(0))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


def _keys(a: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """(n, 2) uint64 keys of the tokens at `starts` (each at most `_WIDTH` bytes)."""
    padded = np.concatenate([a, np.zeros(_WIDTH, dtype=np.uint8)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, _WIDTH)[starts]
    # Zero the bytes past each token's end: one AND with the mask of its length.
    return windows.view(np.uint64) & _LENGTH_MASKS[lengths]


# Row L: the two words whose first L bytes are 0xFF, the rest 0 (in memory order).
_LENGTH_MASKS = (
    (np.arange(_WIDTH)[None, :] < np.arange(_WIDTH + 1)[:, None]).astype(np.uint8) * 0xFF
).view(np.uint64)


class FormIndex:
    """The codes of a bytes-keyed form table for every token of a byte string."""

    def __init__(self, forms: bytes, codes) -> None:
        """`forms`: the forms separated by spaces; `codes`: the code of each, in order."""
        a = np.frombuffer(forms, dtype=np.uint8)
        starts, ends = _spans(a)
        codes = np.asarray(codes, dtype=np.int64)
        if len(codes) != len(starts):
            raise ValueError(f"{len(starts)} forms but {len(codes)} codes")
        lengths = ends - starts
        short = lengths <= _WIDTH
        # Only the few forms too long for a key stay in a dict.
        self.long = {forms[s:e]: int(c) for s, e, c in
                     zip(starts[~short].tolist(), ends[~short].tolist(), codes[~short])}
        keys = _keys(a, starts[short], lengths[short])
        codes = codes[short]
        n = len(codes)
        bits = max(4, int(np.ceil(np.log2(3 * max(n, 1)))))  # load <= 1/3
        self._shift = np.uint64(64 - bits)
        self._mask = (1 << bits) - 1
        self._slots_hi = np.zeros(1 << bits, dtype=np.uint64)
        self._slots_lo = np.zeros(1 << bits, dtype=np.uint64)
        self._slots_code = np.zeros(1 << bits, dtype=np.int32)
        slot = self._home(keys)
        pending = np.arange(n)
        while len(pending):
            s = slot[pending]
            free = (self._slots_hi[s] == 0) & (self._slots_lo[s] == 0)
            # Of the forms that want one free slot, the first takes it; the rest, and
            # those that found it taken, probe the next slot.
            taken, first = np.unique(s[free], return_index=True)
            won = pending[free][first]
            self._slots_hi[taken], self._slots_lo[taken] = keys[won, 0], keys[won, 1]
            self._slots_code[taken] = codes[won]
            placed = np.zeros(n, dtype=bool)
            placed[won] = True
            pending = pending[~placed[pending]]
            slot[pending] = (slot[pending] + 1) & self._mask

    def _home(self, keys: np.ndarray) -> np.ndarray:
        mixed = (keys[:, 0] * _MUL[0]) ^ (keys[:, 1] * _MUL[1])
        return (mixed >> self._shift).astype(np.int64)

    def codes(self, data: bytes, missing: int) -> np.ndarray:
        """The code of every space-separated token of `data`, `missing` where absent:
        what a dict of the forms gives for every token of ``data.split()``."""
        a = np.frombuffer(data, dtype=np.uint8)
        starts, ends = _spans(a)
        return self.codes_at(a, starts, ends, missing, data)

    def codes_at(self, a: np.ndarray, starts: np.ndarray, ends: np.ndarray, missing: int,
                 data: bytes | None = None) -> np.ndarray:
        """The code of each token `a[starts[i]:ends[i]]` of the uint8 array `a` (`data`:
        the same bytes, if the caller has them), `missing` where absent: for callers that
        found (or chose) the tokens themselves."""
        if data is None:
            data = memoryview(a).cast("B")
        lengths = ends - starts
        out = np.full(len(starts), missing, dtype=np.int64)
        short = lengths <= _WIDTH
        keys = _keys(a, starts[short], lengths[short])
        where = np.flatnonzero(short)
        slot = self._home(keys)
        todo = np.arange(len(where))
        while len(todo):
            s = slot[todo]
            hi, lo = self._slots_hi[s], self._slots_lo[s]
            found = (hi == keys[todo, 0]) & (lo == keys[todo, 1])
            out[where[todo[found]]] = self._slots_code[s[found]]
            go_on = ~found & ((hi != 0) | (lo != 0))  # an empty slot ends the probe
            todo = todo[go_on]
            slot[todo] = (slot[todo] + 1) & self._mask
        long = np.flatnonzero(~short)
        if len(long):
            get = self.long.get
            out[long] = [get(bytes(data[s:e]), missing) for s, e in zip(starts[long].tolist(), ends[long].tolist())]
        return out
