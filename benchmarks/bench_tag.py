"""Speed and memory of tagging, with printed numbers (no timed tests).

    python benchmarks/bench_tag.py CORPUS.csv [--text-column text] [--label-column labels]
        [--model PATH] [--train-sizes 2000,10000,20000] [--big-rows 100000,1000000]
        [--jobs 2] [--repeats 3] [--places] [--skip fasttext,train,big]

Prints, for the model (default: the shipped one) on the CSV's texts:
  - cold start: import + model load + first paragraph, in a fresh process (seconds);
  - model file size;
  - paragraphs/s in one process over every distinct text in one pass, and over a few
    hundred paragraphs repeated to the same count (warm caches flatter that figure);
  - the same for the straightforward parse-every-word pipeline, and how often its
    predictions agree with the fast form table;
  - fastText's Python predict on the same texts (trained on the CSV's labels) and a
    CPython floor (lower-case, one regex findall, one dict lookup per token, CSR assembly,
    one sparse product with the model's coefficients), interleaved with `sectors`, best
    of --repeats, with the ratios and the load average;
  - training time on 2k / 10k / 20k rows of the CSV (its own label set);
  - `sectors tag` on big CSVs (rows cycled from the corpus): paragraphs/s and peak RSS,
    with --jobs 1 and N, beside N independent processes on N parts of the file (what the
    machine gives N processes with no coordination: the ceiling for --jobs N);
  - with --places: tagging with and without place extraction, in one process and as
    `sectors tag --places` on the big CSVs;
  - this process's peak RSS.

Use a corpus of real, distinct texts, e.g. ../shared/corpora/telegram_news.csv.
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from itertools import repeat
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from classifier import SectorClassifier, load_model  # noqa: E402
from classifier.io import read_csv_chunks  # noqa: E402
from classifier.persist import default_model_path  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:>10,.0f} par/s  ({n:,} in {seconds:.2f} s)"


def cold_start(model_path: str | None) -> float:
    code = (
        "import time; t = time.perf_counter()\n"
        "from classifier import load_model\n"
        f"m = load_model({model_path!r})\n"
        "m.predict(['Товарооборот между Татарстаном и Казахстаном вырос на 15%'])\n"
        "print(time.perf_counter() - t)\n"
    )
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             cwd=ROOT, check=True)
        runs.append(float(out.stdout.strip()))
    return min(runs)


def throughput(model, texts: list[str], chunk: int = 10_000) -> float:
    start = time.perf_counter()
    for i in range(0, len(texts), chunk):
        model.predict(texts[i:i + chunk])
    return time.perf_counter() - start


def places_overhead(model, texts: list[str], repeats: int = 3) -> tuple[float, float]:
    """Best seconds of tagging without and with place extraction (interleaved runs, as
    `sectors tag` and `sectors tag --places` do per chunk)."""
    from classifier.places import default_extractor

    extractor = default_extractor()  # built once per process, like the CLI's
    plain, both = [], []
    for _ in range(repeats):
        plain.append(throughput(model, texts))
        start = time.perf_counter()
        for i in range(0, len(texts), 10_000):
            model.predict(texts[i:i + 10_000])
            extractor.transform(texts[i:i + 10_000])
        both.append(time.perf_counter() - start)
    return min(plain), min(both)


def agreement(model, texts: list[str]) -> tuple[float, float]:
    """Share of texts whose predicted label sets agree between the form table and parsing
    every word; and the parse pipeline's seconds."""
    fast = model.predict(texts)
    feat = model.featurizer_
    feat.set_params(lookup="parse")
    try:
        start = time.perf_counter()
        slow = model.predict(texts)
        seconds = time.perf_counter() - start
    finally:
        feat.set_params(lookup="table")
    same = sum(a == b for a, b in zip(fast, slow)) / len(texts)
    return same, seconds


def floor_predict(model, texts: list[str], chunk: int = 10_000) -> float:
    """Seconds of the CPython floor for scoring `texts` with `model`'s coefficients:
    lower-case, one regex findall, one dict lookup per token (every form of the model's
    form table whose lemma has a unigram column -> that column), CSR assembly, one sparse
    product; nothing else (no sentences, bigrams, tf-idf weights or calibration)."""
    import scipy.sparse as sp
    from classifier.text import TOKEN_RE

    feat = model.featurizer_
    end = "\u2029"
    column = {form: int(feat.unigram_cols_[code]) for form, code in feat.form_table_.items()
              if code >= 0 and feat.unigram_cols_[code] >= 0}
    column[end] = -1
    pattern = re.compile(TOKEN_RE.pattern + "|" + end)
    W = np.ascontiguousarray(model.coef_.T)
    start = time.perf_counter()
    for i in range(0, len(texts), chunk):
        part = texts[i:i + chunk]
        tokens = pattern.findall((end.join(part) + end).lower())
        cols = np.fromiter(map(column.get, tokens, repeat(-2)), np.int64, len(tokens))
        ends = cols == -1
        rows = np.cumsum(ends) - ends
        hit = cols >= 0
        indptr = np.zeros(len(part) + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows[hit], minlength=len(part)), out=indptr[1:])
        X = sp.csr_matrix((np.ones(int(hit.sum())), cols[hit], indptr), shape=(len(part), W.shape[0]))
        X @ W
    return time.perf_counter() - start


def fasttext_predictor(texts: list[str], labels: list[str] | None, fallback_labels):
    """A function that times fastText's predict over `texts` (trained on them), or None."""
    try:
        import fasttext
    except ImportError:
        print("fastText: skipped (pip install fasttext-wheel)")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "train.txt")
        rows = labels if labels is not None else fallback_labels
        with open(path, "w", encoding="utf-8") as fh:
            for text, lab in zip(texts, rows):
                tags = " ".join(f"__label__{l}" for l in str(lab).split(";") if l) or "__label__none"
                fh.write(f"{tags} {' '.join(text.split())}\n")
        ft = fasttext.train_supervised(path, epoch=5, wordNgrams=2, loss="ova", thread=2,
                                       verbose=0, seed=0)
    clean = [" ".join(t.split()) for t in texts]

    def timed() -> float:
        start = time.perf_counter()
        # fasttext-wheel's Python predict calls np.array(copy=False), which numpy 2
        # refuses; the C++ binding below is what it wraps, with the same per-text work.
        ft.f.multilinePredict(clean, -1, 0.5, "strict")
        return time.perf_counter() - start

    return timed


def load_average() -> str:
    return "load average %.2f %.2f %.2f" % os.getloadavg()


def train_times(df: pd.DataFrame, text_col: str, label_col: str, sizes: list[int]) -> None:
    shuffled = df.sample(frac=1.0, random_state=0)
    for n in sizes:
        if n > len(df):
            n = len(df)
        part = shuffled.iloc[:n]
        label_lists = [[l for l in str(v).split(";") if l] for v in part[label_col]]
        # a small sample may hold a label too rare to train; leave it out of that run
        counts = pd.Series([l for row in label_lists for l in row]).value_counts()
        label_lists = [[l for l in row if counts[l] >= 5] for row in label_lists]
        start = time.perf_counter()
        SectorClassifier(cv=5, random_state=0).fit(part[text_col].tolist(), label_lists)
        print(f"  {n:>6,} rows: {time.perf_counter() - start:7.1f} s (5-fold CV + final fit)")


def _tag_cmd(src: str, out: str, jobs: int, model_path: str | None,
             places: bool = False) -> list[str]:
    cmd = [sys.executable, "-m", "classifier", "tag", src, "-o", out, "--no-progress",
           "--jobs", str(jobs)] + (["--places"] if places else [])
    # Through /usr/bin/time: a child forked from this (by now large) process would report
    # the parent's pages in its own ru_maxrss.
    timer = ["/usr/bin/time", "-f", "%M"] if os.path.exists("/usr/bin/time") else []
    return timer + cmd + (["--model", model_path] if model_path else [])


def _run_all(cmds: list[list[str]]) -> tuple[float, float]:
    """Run commands at once; (wall seconds until all end, largest peak RSS in MB)."""
    start = time.perf_counter()
    procs = [subprocess.Popen(c, cwd=ROOT, stderr=subprocess.PIPE, text=True) for c in cmds]
    errs = [p.communicate()[1] for p in procs]
    seconds = time.perf_counter() - start
    for p, err in zip(procs, errs):
        if p.returncode != 0:
            raise RuntimeError(f"sectors tag failed: {err.strip()[-300:]}")
    peaks = [int(e.split()[-1]) / 1024 for e in errs if e.split() and e.split()[-1].isdigit()]
    return seconds, max(peaks, default=float("nan"))


def big_tag(texts: list[str], rows: int, jobs: int, model_path: str | None, repeats: int,
            places: bool = False) -> None:
    """--jobs 1 and --jobs N on one file, and N independent --jobs 1 runs on its N parts at
    once: that last one is what this machine gives N processes with no coordination at
    all, the ceiling for --jobs N. Interleaved `repeats` times; best and median shown."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "big.csv")
        parts = [os.path.join(tmp, f"part{k}.csv") for k in range(jobs)]
        handles = [open(p, "w", encoding="utf-8", newline="") for p in [src] + parts]
        writers = [csv.writer(h) for h in handles]
        for w in writers:
            w.writerow(["text"])
        for i in range(rows):
            writers[0].writerow([texts[i % len(texts)]])
            writers[1 + i * jobs // rows].writerow([texts[i % len(texts)]])
        for h in handles:
            h.close()
        size = os.path.getsize(src) / 1e6
        out = os.path.join(tmp, "out.csv")
        runs = {
            "--jobs 1": [_tag_cmd(src, out, 1, model_path)],
            f"--jobs {jobs}": [_tag_cmd(src, out, jobs, model_path)],
            f"{jobs} x --jobs 1 on parts": [_tag_cmd(p, p + ".out", 1, model_path) for p in parts],
        }
        if places:
            runs["--jobs 1 --places"] = [_tag_cmd(src, out + ".places", 1, model_path, True)]
        times: dict[str, list[float]] = {k: [] for k in runs}
        peaks: dict[str, float] = {}
        n_out = 0
        for _ in range(repeats):
            for name, cmds in runs.items():
                seconds, peak = _run_all(cmds)
                times[name].append(seconds)
                peaks[name] = max(peaks.get(name, 0.0), peak)
                if name == f"--jobs {jobs}":
                    with open(out, encoding="utf-8") as fh:
                        n_out = sum(1 for _ in csv.reader(fh)) - 1
        print(f"  {rows:,} rows ({size:,.0f} MB), {repeats} interleaved runs, "
              f"output rows {n_out:,}:")
        base_best, base_med = min(times["--jobs 1"]), float(np.median(times["--jobs 1"]))
        for name, ts in times.items():
            best, med = min(ts), float(np.median(ts))
            print(f"    {name:<24} best {rate(rows, best)}, median {med:6.1f} s; "
                  f"speed-up best {base_best / best:.2f}x, median {base_med / med:.2f}x; "
                  f"peak RSS {peaks[name]:,.0f} MB (largest process)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv")
    ap.add_argument("--text-column", default="text")
    ap.add_argument("--label-column", default="labels")
    ap.add_argument("--model")
    ap.add_argument("--repeat-sample", type=int, default=300)
    ap.add_argument("--train-sizes", default="2000,10000,20000")
    ap.add_argument("--big-rows", default="100000,1000000")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3, help="interleaved runs of each big-CSV case")
    ap.add_argument("--places", action="store_true",
                    help="also time tagging with place extraction (`sectors tag --places`)")
    ap.add_argument("--skip", default="", help="comma list of: fasttext,train,big,agreement")
    args = ap.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))

    df = pd.concat(list(read_csv_chunks(args.csv, args.text_column)), ignore_index=True)
    df = df[df[args.text_column].str.strip() != ""].drop_duplicates(args.text_column)
    texts = df[args.text_column].tolist()
    has_labels = args.label_column in df.columns
    print(f"corpus: {args.csv}: {len(texts):,} distinct texts, "
          f"mean {np.mean([len(t) for t in texts]):.0f} chars")

    model_path = args.model or str(default_model_path())
    print(f"model: {model_path}: {os.path.getsize(model_path) / 1e6:.1f} MB on disk")
    print(f"cold start (import + load + first paragraph, best of 3): {cold_start(args.model):.2f} s")

    model = load_model(args.model)
    model.predict(texts[:10])
    print("\none process, model.predict in chunks of 10,000:")
    print(f"  distinct texts, one pass:   {rate(len(texts), throughput(model, texts))}")
    rng = np.random.default_rng(0)
    sample = [texts[i] for i in rng.choice(len(texts), args.repeat_sample, replace=False)]
    repeated = (sample * (len(texts) // len(sample) + 1))[: len(texts)]
    if args.places:
        plain, both = places_overhead(model, texts)
        print(f"  tagging, best of 3:          {rate(len(texts), plain)}")
        print(f"  tagging + places, best of 3: {rate(len(texts), both)}  "
              f"(+{both / plain - 1:.0%})")
    print(f"  {args.repeat_sample} texts repeated:       {rate(len(repeated), throughput(model, repeated))}")
    if "agreement" not in skip:
        same, seconds = agreement(model, texts)
        print(f"  parse every word (no table): {rate(len(texts), seconds)}")
        print(f"  label sets identical, table vs parsing: {same:.2%}")
    print(f"\nsame texts, best of {args.repeats} interleaved runs ({load_average()}):")
    runs: dict[str, list[float]] = {"sectors predict": [], "CPython floor": []}
    ft = None
    if "fasttext" not in skip:
        preds = [";".join(p) for p in model.predict(texts)]
        ft = fasttext_predictor(texts, df[args.label_column].tolist() if has_labels else None, preds)
        if ft:
            runs["fastText predict"] = []
    for _ in range(args.repeats):
        runs["sectors predict"].append(throughput(model, texts))
        runs["CPython floor"].append(floor_predict(model, texts))
        if ft:
            runs["fastText predict"].append(ft())
    best = {name: min(ts) for name, ts in runs.items()}
    for name, seconds in best.items():
        print(f"  {name + ':':<18} {rate(len(texts), seconds)}")
    ours = best["sectors predict"]
    print(f"  sectors / floor: {best['CPython floor'] / ours:.2f}" + (
        f", sectors / fastText: {best['fastText predict'] / ours:.2f}x" if ft else ""))
    print(f"  ({load_average()})")

    if "train" not in skip and has_labels:
        print(f"\ntraining on the corpus's own labels ({args.label_column}):")
        train_times(df, args.text_column, args.label_column,
                    [int(x) for x in args.train_sizes.split(",") if x])

    if "big" not in skip:
        print("\n`sectors tag` on big CSVs (texts cycled from the corpus):")
        for rows in [int(x) for x in args.big_rows.split(",") if x]:
            big_tag(texts, rows, args.jobs, args.model, args.repeats, args.places)

    print(f"\npeak RSS of this process: {rss_mb():,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
