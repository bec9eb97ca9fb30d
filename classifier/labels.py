"""Label hygiene for labelled data: case variants, likely typos, labels too thin to trust.

Knows label ids and counts, nothing about files (io.py names the lines).

>>> fold_case([["Petrochem"], ["petrochem"], ["petrochem"]])[0]
[['petrochem'], ['petrochem'], ['petrochem']]
>>> likely_typos({"transport": 40, "transprot": 2})
{'transprot': 'transport'}
"""
from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence

__all__ = ["fold_case", "likely_typos", "thin_labels", "MIN_TRUSTED"]

# Below this many positives a label's cross-validated scores and tuned threshold rest
# on a handful of paragraphs: they move by whole points when one row changes.
MIN_TRUSTED = 20


def fold_case(label_lists: Sequence[Sequence[str]]) -> tuple[list[list[str]], dict[str, list[str]]]:
    """Merge labels that differ only in case into their most frequent spelling (lower
    case on a tie).

    Returns the new label lists and {kept spelling: [merged spellings]}.
    """
    counts = Counter(label for row in label_lists for label in row)
    spellings: dict[str, list[str]] = {}
    for label in counts:
        spellings.setdefault(label.lower(), []).append(label)
    rename: dict[str, str] = {}
    merged: dict[str, list[str]] = {}
    for key, variants in spellings.items():
        if len(variants) < 2:
            continue
        keep = max(variants, key=lambda v: (counts[v], v == key))
        merged[keep] = sorted(v for v in variants if v != keep)
        rename.update({v: keep for v in variants if v != keep})
    if not rename:
        return [list(row) for row in label_lists], {}
    out = []
    for row in label_lists:
        seen: dict[str, None] = {}
        for label in row:
            seen.setdefault(rename.get(label, label), None)
        out.append(list(seen))
    return out, merged


def likely_typos(counts: dict[str, int], rare: int = 5, cutoff: float = 0.8) -> dict[str, str]:
    """{rare label: the frequent label it is probably a misspelling of}.

    A label is rare with fewer than `rare` rows, or twenty times fewer than its look-alike;
    look-alike means a close spelling (difflib ratio at least `cutoff`).
    """
    out = {}
    for label, n in counts.items():
        others = [o for o in counts if o != label and counts[o] > n]
        match = difflib.get_close_matches(label, others, n=1, cutoff=cutoff)
        if match and (n < rare or n * 20 < counts[match[0]]):
            out[label] = match[0]
    return out


def thin_labels(counts: dict[str, int], minimum: int = MIN_TRUSTED) -> dict[str, int]:
    """Labels with fewer than `minimum` positive rows: {label: count}."""
    return {label: n for label, n in counts.items() if n < minimum}
