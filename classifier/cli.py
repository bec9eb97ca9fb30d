"""The `sectors` command line: tag, train, evaluate, audit, suggest, report.

A face: it parses arguments, calls the layers below, and turns errors into one-line
messages and exit codes (2 usage or input, 1 anything else, 0 success).

    sectors tag article.txt
    sectors tag paragraphs.csv --text-column body -o tagged.csv --proba
    python -m classifier tag - < article.txt
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

from .io import InputError, LabelledData, format_chunk, iter_paragraphs, read_labelled
from .persist import ModelError, atomic_write, load_model, sha256_file
from .tagging import output_columns, tag_frame

__all__ = ["main", "build_parser"]


class UsageError(Exception):
    """Bad arguments: exit code 2."""


# -- tag -----------------------------------------------------------------------------


def _bar(total: int | None, desc: str, enabled: bool | None, unit: str = " par"):
    from tqdm import tqdm

    # enabled None: show the bar only when stderr is a terminal (tqdm's disable=None).
    disable = None if enabled is None else not enabled
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=disable, leave=False)


def _formatted_chunks(args, model, fmt: str) -> Iterator[tuple[int, str | bytes]]:
    """(paragraph count, formatted output) per unit of work, in input order."""
    kwargs = dict(
        proba=args.proba, explain=args.explain, threshold=args.threshold, top_k=args.top_k
    )
    reading = dict(text_column=args.text_column, encoding=args.encoding, sep=args.sep,
                   input_format=args.input_format, chunksize=args.chunk_size)
    if args.jobs and args.jobs > 1:
        from .parallel import tag_parallel

        yield from tag_parallel(args.inputs, model, args.jobs, fmt=fmt,
                                range_bytes=args.range_bytes, **reading, **kwargs)
    else:
        for i, chunk in enumerate(iter_paragraphs(args.inputs, **reading)):
            yield len(chunk), format_chunk(tag_frame(model, chunk, **kwargs), fmt, header=i == 0)


def cmd_tag(args) -> int:
    fmt = args.format or ("table" if args.output in (None, "-") and sys.stdout.isatty() else "csv")
    if args.output and args.output != "-" and not args.format:
        fmt = {".jsonl": "jsonl", ".ndjson": "jsonl", ".txt": "table"}.get(
            Path(args.output).suffix.lower(), "csv"
        )
    model = load_model(args.model)
    bar = _bar(None, "tagging", args.progress)
    with _output(args.output) as fh:
        empty = True
        for n, text in _formatted_chunks(args, model, fmt):
            if isinstance(text, bytes):  # from --jobs workers, already encoded
                _write_bytes(fh, text)
            else:
                fh.write(text)
            empty = False
            bar.update(n)
        if empty and fmt == "csv":  # no paragraphs at all: still a valid CSV
            cols = output_columns(model.labels, proba=args.proba, explain=args.explain)
            fh.write(",".join(cols) + "\n")
    bar.close()
    return 0


def _write_bytes(fh, data: bytes) -> None:
    buffer = getattr(fh, "buffer", None)
    encoding = (getattr(fh, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if buffer is None or encoding != "utf8":
        fh.write(data.decode("utf-8"))
    else:
        fh.flush()
        buffer.write(data)


@contextlib.contextmanager
def _output(path: str | None):
    if path in (None, "-"):
        yield sys.stdout
        sys.stdout.flush()
    else:
        # Written under a temporary name and renamed at the end: a killed run leaves no
        # partial file under the final name.
        with atomic_write(path, "w", encoding="utf-8", newline="") as fh:
            yield fh


# -- train ---------------------------------------------------------------------------


def format_scores(scores: dict, title: str) -> str:
    """A per-label table of precision, recall, F1 and support, then micro and macro F1."""
    lines = [title, f"{'label':<14}{'precision':>10}{'recall':>8}{'f1':>8}{'support':>9}"]
    for label, m in scores["per_label"].items():
        lines.append(
            f"{label:<14}{m['precision']:>10.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}{m['support']:>9}"
        )
    lines.append(f"{'micro F1':<14}{scores['micro_f1']:>26.3f}")
    lines.append(f"{'macro F1':<14}{scores['macro_f1']:>26.3f}")
    return "\n".join(lines)


def cmd_train(args) -> int:
    from .evaluate import evaluate
    from .model import SectorClassifier

    data = read_labelled(args.data, text_column=args.text_column, encoding=args.encoding, sep=args.sep)
    _check_nonempty(data)
    test_path = args.test
    if test_path is None and args.data == DEFAULT_DATA:
        test_path = DEFAULT_TEST if os.path.exists(DEFAULT_TEST) else None
    test = None
    if test_path:
        test = read_labelled(test_path, text_column=args.text_column, encoding=args.encoding, sep=args.sep)

    steps = (args.cv if args.cv > 1 else 0) + 1
    bar = _bar(steps, "training", args.progress, unit=" step")

    def progress(message: str) -> None:
        bar.set_postfix_str(message)
        bar.update(1)

    model = SectorClassifier(C=args.C, cv=args.cv, augment=args.augment, random_state=args.seed,
                             subwords=args.subwords, label_order=data.labels)
    try:
        model.fit(data.texts, data.label_lists, progress=progress)
    except ValueError as exc:  # the data cannot train a model: an input error
        raise InputError(f"{args.data}: {exc}") from None
    bar.close()
    metadata = {
        "training": {"path": str(args.data), "sha256": sha256_file(args.data), "rows": len(data.texts)},
    }
    if model.cv_scores_:
        print(format_scores(model.cv_scores_, f"cross-validated on {args.data} ({args.cv} folds)"))
    if test is not None:
        report = evaluate(model, test.texts, test.label_lists)
        metadata["test"] = {
            "path": str(test_path),
            "sha256": sha256_file(test_path),
            "rows": len(test.texts),
            "metrics": {k: report[k] for k in ("per_label", "micro_f1", "macro_f1", "samples_f1")},
        }
        print()
        print(format_scores(report, f"held-out test set {test_path}"))
    model.save(args.out, metadata=metadata)
    print(f"\nmodel written to {args.out} (card: {Path(args.out).with_suffix('.json')})")
    return 0


def _check_nonempty(data: LabelledData) -> None:
    empty = [line for line, t in zip(data.lines, data.texts) if not t.strip()]
    if empty:
        raise InputError(f"{data.path}: empty text on line(s) {', '.join(map(str, empty[:10]))}")


# -- evaluate, audit, suggest -------------------------------------------------------


def cmd_evaluate(args) -> int:
    from .evaluate import evaluate, public, write_report

    model = load_model(args.model)
    data = read_labelled(args.data, text_column=args.text_column, encoding=args.encoding,
                         sep=args.sep, check=False)
    report = evaluate(model, data.texts, data.label_lists, threshold=args.threshold,
                      worst=args.worst)
    for kind in report["errors"].values():
        for err in kind:
            err["line"] = data.lines[err.pop("row")]
    if args.report:
        written = write_report(report, args.report)
    if args.json:
        print(json.dumps(public(report), ensure_ascii=False))
        return 0
    print(format_scores(report, f"{args.data}: {report['n']} paragraphs"))
    print(f"{'samples F1':<14}{report['samples_f1']:>26.3f}")
    print(f"{'exact match':<14}{report['exact_match']:>26.3f}")
    print(f"{'Hamming loss':<14}{report['hamming_loss']:>26.3f}")
    if report["unknown_labels"]:
        found = ", ".join(f"{l} ({c})" for l, c in report["unknown_labels"].items())
        print(f"\nlabels in the data that the model does not know (not scored): {found}")
    for kind, title in (("false_positives", "worst false positives"),
                        ("false_negatives", "worst false negatives")):
        if report["errors"][kind]:
            print(f"\n{title} (label, probability / threshold, line, text):")
            for e in report["errors"][kind]:
                print(f"  {e['label']:<13} {e['proba']:.2f} / {e['threshold']:.2f}  "
                      f"line {e['line']}: {_short(e['text'])}")
    if args.report:
        print(f"\nreport written: {', '.join(str(p) for p in written)}")
    return 0


def _short(text: str, width: int = 110) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def cmd_audit(args) -> int:
    from .evaluate import audit

    data = read_labelled(args.data, text_column=args.text_column, encoding=args.encoding, sep=args.sep)
    try:
        items = audit(data.texts, data.label_lists, data.labels, cv=args.cv,
                      random_state=args.seed, top=args.n)
    except ValueError as exc:
        raise InputError(f"{args.data}: {exc}") from None
    for item in items:
        item["line"] = data.lines[item.pop("row")]
    if args.json:
        print(json.dumps(items, ensure_ascii=False))
        return 0
    print(f"{len(items)} most suspicious labels in {args.data} (out-of-fold model disagrees):")
    for it in items:
        verdict = "missing?" if it["given"] == 0 else "wrong?"
        print(f"  line {it['line']:>5}  {it['label']:<13} {verdict:<9} p={it['proba']:.2f}  "
              f"{_short(it['text'], 90)}")
    return 0


def cmd_suggest(args) -> int:
    from .evaluate import suggest

    model = load_model(args.model)
    frames = list(iter_paragraphs(args.inputs, text_column=args.text_column,
                                  encoding=args.encoding, sep=args.sep,
                                  input_format=args.input_format))
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["text"])
    items = suggest(model, df["text"].tolist(), n=args.n)
    for it in items:
        row = df.iloc[it.pop("row")]
        it["source"], it["paragraph"] = str(row["source"]), int(row["paragraph"])
    if args.json:
        print(json.dumps(items, ensure_ascii=False))
        return 0
    print(f"{len(items)} paragraphs the model is least sure about (label them next):")
    for it in items:
        print(f"  {Path(it['source']).name}:{it['paragraph']:<5} {it['label']:<13} "
              f"p={it['proba']:.2f}  {_short(it['text'], 90)}")
    return 0


def cmd_report(args) -> int:
    from .report import build_report

    result = build_report(args.tagged, args.output, article_context=not args.paragraph_only)
    print(f"{args.tagged}: {result.paragraphs} paragraphs, {result.counted} counted "
          f"(a sector and a foreign partner) from {result.articles} articles")
    for path in result.files:
        print(f"  {path}")
    return 0


# -- parser and main -----------------------------------------------------------------

DEFAULT_DATA = "data/train.csv"
DEFAULT_TEST = "data/test.csv"
DEFAULT_OUT = "models/sectors.joblib"


def _add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--text-column", default="text", help="CSV/JSONL column with the text (default: text)")
    p.add_argument("--encoding", help="input encoding (default: detected; e.g. utf-8, cp1251)")
    p.add_argument("--sep", help="CSV delimiter (default: detected among , ; and tab)")


def _probability(value: str) -> float:
    p = float(value)
    if not 0.0 <= p <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {value}")
    return p


def _augment(value: str) -> float | str:
    return value if value == "auto" else float(value)


def _subwords(value: str) -> tuple[int, int] | None:
    if value.lower() == "none":
        return None
    try:
        lo, hi = (int(v) for v in value.split("-"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected LO-HI (e.g. 3-5) or none, got {value!r}") from None
    if not 1 <= lo <= hi:
        raise argparse.ArgumentTypeError(f"expected 1 <= LO <= HI, got {value!r}")
    return lo, hi


def _positive(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return n


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sectors",
        description="Tag paragraphs of Russian cooperation news with economic sectors.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("tag", help="tag paragraphs of articles, CSV or JSONL files")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help=".txt article, .html page, .csv, .jsonl, a folder of these, or - for stdin")
    p.add_argument("-o", "--output", help="output file (default: stdout); written atomically")
    p.add_argument("--format", choices=["csv", "jsonl", "table"],
                   help="output format (default: table on a terminal, else csv or by -o's extension)")
    p.add_argument("--input-format", choices=["auto", "txt", "csv", "jsonl", "html"], default="auto",
                   help="how to read INPUT (default: by extension; stdin: jsonl if it starts with '{', html with '<')")
    p.add_argument("--model", help="model file (default: the shipped model)")
    p.add_argument("--proba", action="store_true", help="add one probability column per label")
    p.add_argument("--explain", action="store_true", help="add the terms behind each label")
    p.add_argument("--threshold", type=_probability, help="one probability cut for all labels")
    p.add_argument("--top-k", type=_positive, help="keep at most K most probable labels")
    p.add_argument("--jobs", type=_positive, default=1, help="worker processes (default 1)")
    p.add_argument("--chunk-size", type=_positive, default=10_000, help=argparse.SUPPRESS)
    p.add_argument("--range-bytes", type=_positive, default=4 << 20, help=argparse.SUPPRESS)
    p.add_argument("--progress", dest="progress", action="store_true", default=None,
                   help="progress bar on stderr (default: when stderr is a terminal)")
    p.add_argument("--no-progress", dest="progress", action="store_false")
    _add_input_options(p)
    p.set_defaults(func=cmd_tag)

    p = sub.add_parser("train", help="train a model from a labelled CSV")
    add_train_arguments(p)
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="score a model on a labelled CSV")
    p.add_argument("data", metavar="DATA.csv", help="labelled CSV (either form train accepts)")
    p.add_argument("--model", help="model file (default: the shipped model)")
    p.add_argument("--report", metavar="DIR", help="write metrics.json and PNG charts here")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    p.add_argument("--threshold", type=_probability, help="one probability cut for all labels")
    p.add_argument("--worst", type=int, default=10, help="errors of each kind to show (default 10)")
    _add_input_options(p)
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("audit", help="list rows whose labels look wrong to a cross-validated model")
    p.add_argument("data", metavar="DATA.csv")
    p.add_argument("-n", type=int, default=30, help="rows to list (default 30)")
    p.add_argument("--cv", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true")
    _add_input_options(p)
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("suggest", help="paragraphs the model is least sure about: label these next")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=".txt, .csv, .jsonl or -")
    p.add_argument("-n", type=int, default=50, help="paragraphs to list (default 50)")
    p.add_argument("--model", help="model file (default: the shipped model)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--input-format", choices=["auto", "txt", "csv", "jsonl"], default="auto")
    _add_input_options(p)
    p.set_defaults(func=cmd_suggest)

    p = sub.add_parser("report", help="region x partner x sector counts, charts and report.html "
                       "from `sectors tag --places` output")
    p.add_argument("tagged", metavar="TAGGED.csv", help="CSV with labels and places columns")
    p.add_argument("-o", "--output", default="report", metavar="DIR",
                   help="folder to write into (default: report)")
    p.add_argument("--paragraph-only", action="store_true",
                   help="count only places named in the paragraph itself, not its article's")
    p.set_defaults(func=cmd_report)
    return parser


def add_train_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("data", nargs="?", default=DEFAULT_DATA, metavar="DATA.csv",
                   help=f"labelled CSV: text,labels (ids joined by ';') or text + 0/1 columns (default {DEFAULT_DATA})")
    p.add_argument("--out", default=DEFAULT_OUT, help=f"model file to write (default {DEFAULT_OUT})")
    p.add_argument("--test", help=f"labelled CSV to score the model on, kept in its card (default {DEFAULT_TEST} with the default data)")
    p.add_argument("--cv", type=int, default=5, help="cross-validation folds for thresholds and metrics (default 5)")
    p.add_argument("--seed", type=int, default=0, help="random seed for the folds (default 0)")
    p.add_argument("-C", type=float, default=40.0, dest="C", help="inverse regularisation strength (default 40)")
    p.add_argument("--augment", type=_augment, default="auto",
                   help="joined paragraph pairs added per training row; default auto: 1 for multi-label data, 0 otherwise")
    p.add_argument("--subwords", type=_subwords, default=(3, 5), metavar="LO-HI|none",
                   help="character n-gram lengths of lemmas shared in training (default 3-5); none: off")
    p.add_argument("--progress", dest="progress", action="store_true", default=None)
    p.add_argument("--no-progress", dest="progress", action="store_false")
    _add_input_options(p)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `sectors` command line; returns the exit code."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    argv = [a for a in argv if a != "--debug"]  # accepted anywhere on the line
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed its usage message
        return int(exc.code or 0)
    try:
        return args.func(args)
    except (InputError, ModelError, UsageError, FileNotFoundError, IsADirectoryError,
            PermissionError, UnicodeError) as exc:
        if debug:
            traceback.print_exc()
        print(f"sectors: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("sectors: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        with contextlib.suppress(Exception):
            sys.stdout = open(os.devnull, "w")
        return 0
    except Exception as exc:  # noqa: BLE001 - the face turns every failure into a line
        if debug:
            traceback.print_exc()
        print(f"sectors: error: {type(exc).__name__}: {_one_line(exc)}", file=sys.stderr)
        return 1


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


if __name__ == "__main__":
    sys.exit(main())
