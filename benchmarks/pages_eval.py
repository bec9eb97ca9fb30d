"""How well the page reader gets articles out of saved news pages.

Reads every page of a folder written by `make_pages.py` through the same path as
`sectors tag DIR/` and compares with its truth.json:

- recovered: share of the article's paragraphs found as an output row (whitespace-
  normalised; a row holding two article paragraphs glued together recovers neither);
- boilerplate: share of output rows that are not article text (not inside the article);
- date: share of pages whose `date` is the publication date;
- source: share of pages whose `source` is the page's URL (pages that state one).

    python benchmarks/pages_eval.py                  # makes 100 pages in a temporary folder
    python benchmarks/pages_eval.py /tmp/pages -v    # a folder of make_pages.py; list misses
    python benchmarks/pages_eval.py --trafilatura-only   # without our filters, to compare

Targets: recovered >= 0.90, boilerplate <= 0.05, date >= 0.90.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from classifier.io import iter_paragraphs  # noqa: E402


def _norm(text: str) -> str:
    return " ".join(str(text).split()).lower()


def evaluate(folder: Path, verbose: bool = False) -> dict:
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    rows_by_file: dict[str, list] = {}
    names = sorted(truth)
    for name in names:
        for chunk in iter_paragraphs([str(folder / name)]):
            rows_by_file.setdefault(name, []).extend(chunk.to_dict("records"))
    seconds = time.perf_counter() - t0
    n_para = n_found = n_rows = n_junk = n_date = n_url = n_url_pages = 0
    by_layout: Counter = Counter()
    junk_seen: Counter = Counter()
    for name in names:
        want = truth[name]
        rows = rows_by_file.get(name, [])
        texts = [_norm(r["text"]) for r in rows]
        article = " ".join(_norm(p) for p in want["paragraphs"])
        got = set(texts)
        missing = [p for p in want["paragraphs"] if _norm(p) not in got]
        n_para += len(want["paragraphs"])
        n_found += len(want["paragraphs"]) - len(missing)
        junk = [t for t in texts if t not in article]
        n_rows += len(texts)
        n_junk += len(junk)
        junk_seen.update(junk)
        dates = {r["date"] for r in rows}
        date_ok = dates == {want["date"]}
        n_date += date_ok
        if want["url"]:
            n_url_pages += 1
            n_url += {r["source"] for r in rows} == {want["url"]}
        by_layout[(want["layout"], "paragraphs")] += len(want["paragraphs"])
        by_layout[(want["layout"], "found")] += len(want["paragraphs"]) - len(missing)
        by_layout[(want["layout"], "dates")] += date_ok
        by_layout[(want["layout"], "pages")] += 1
        if verbose and (missing or junk or not date_ok):
            print(f"{name} ({want['layout']}): date {sorted(dates)} want {want['date']}")
            for p in missing:
                print(f"   missed: {p[:90]}")
            for j in junk:
                print(f"   junk:   {j[:90]}")
    result = {
        "pages": len(names),
        "paragraphs": n_para,
        "rows": n_rows,
        "recovered": n_found / max(n_para, 1),
        "boilerplate": n_junk / max(n_rows, 1),
        "date": n_date / max(len(names), 1),
        "source": n_url / max(n_url_pages, 1),
        "pages_per_s": len(names) / seconds,
        "layouts": {
            lay: (by_layout[(lay, "found")] / by_layout[(lay, "paragraphs")],
                  by_layout[(lay, "dates")] / by_layout[(lay, "pages")])
            for lay in sorted({k[0] for k in by_layout})
        },
        "junk_top": junk_seen.most_common(5),
    }
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", help="pages and truth.json from make_pages.py "
                    "(default: 100 fresh pages, seed 0, in a temporary folder)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list missed and junk rows")
    ap.add_argument("--trafilatura-only", action="store_true",
                    help="for comparison: no furniture filter and no lead recovery on top")
    args = ap.parse_args()
    if args.trafilatura_only:
        import classifier.pages as pages

        pages.is_boilerplate = lambda text: not text.strip()
        pages._lead = lambda tree, rows: None
    if args.folder:
        res = evaluate(Path(args.folder), args.verbose)
    else:
        from make_pages import make_pages

        with tempfile.TemporaryDirectory() as tmp:
            make_pages(Path(tmp), 100, 0)
            res = evaluate(Path(tmp), args.verbose)
    print(f"pages {res['pages']}, article paragraphs {res['paragraphs']}, output rows {res['rows']}, "
          f"{res['pages_per_s']:.0f} pages/s")
    print(f"article paragraphs recovered  {res['recovered']:.3f}   (target >= 0.90)")
    print(f"boilerplate rows              {res['boilerplate']:.3f}   (target <= 0.05)")
    print(f"pages with the right date     {res['date']:.3f}   (target >= 0.90)")
    print(f"pages with their URL as source {res['source']:.3f}")
    for lay, (rec, dat) in res["layouts"].items():
        print(f"  {lay:<15} recovered {rec:.3f}  date {dat:.3f}")
    if res["junk_top"]:
        print("most frequent boilerplate rows:")
        for text, n in res["junk_top"]:
            print(f"  {n:>3}  {text[:90]}")


if __name__ == "__main__":
    main()
