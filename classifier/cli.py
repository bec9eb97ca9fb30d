"""The `sectors` command line: tag, train, evaluate, audit, suggest, serve, report.

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
import time
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

from . import __version__
from .io import (
    InputError,
    LabelledData,
    estimate_rows,
    format_chunk,
    format_for,
    input_columns,
    input_kind,
    iter_paragraphs,
    read_labelled,
    text_of,
)
from .labels import MIN_TRUSTED, thin_labels
from .persist import ModelError, atomic_write, default_model_path, load_model, sha256_file
from .spreadsheet import check_xlsx_writer, xlsx_output
from .tagging import output_columns, tag_frame

__all__ = ["main", "build_parser"]


class UsageError(Exception):
    """Bad arguments: exit code 2."""


# -- tag -----------------------------------------------------------------------------


def _bar(total: int | None, desc: str, enabled: bool | None, unit: str = " par"):
    from tqdm import tqdm

    # enabled None: show the bar only when stderr is a terminal (tqdm's disable=None).
    disable = None if enabled is None else not enabled
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=disable, leave=False,
                unit_scale=unit == " par", dynamic_ncols=True)


def _chatty(args) -> bool:
    """Summaries on stderr: on a terminal, or when --progress asks; never in pipes."""
    return args.progress if args.progress is not None else sys.stderr.isatty()


def _formatted_chunks(args, model, fmt: str, fmt_options: dict) -> Iterator[tuple[int, str | bytes]]:
    """(paragraph count, formatted output) per unit of work, in input order."""
    kwargs = dict(
        proba=args.proba, explain=args.explain, threshold=args.threshold, top_k=args.top_k,
        explain_labels=tuple(args.explain_label or ()), explain_negative=args.explain_negative,
        places=args.places,
    )
    reading = dict(text_column=args.text_column, encoding=args.encoding, sep=args.sep,
                   input_format=args.input_format, chunksize=args.chunk_size)
    if args.jobs and args.jobs > 1:
        from .parallel import tag_parallel

        yield from tag_parallel(args.inputs, model, args.jobs, fmt=fmt, fmt_options=fmt_options,
                                range_bytes=args.range_bytes, **reading, **kwargs)
    else:
        kwargs["text_column"] = args.text_column
        for i, chunk in enumerate(iter_paragraphs(args.inputs, **reading)):
            tagged = tag_frame(model, chunk, **text_of(chunk, kwargs))
            yield len(chunk), format_chunk(tagged, fmt, header=i == 0, **fmt_options)


def _output_format(args) -> str:
    to_file = args.output not in (None, "-")
    if args.format:
        fmt = args.format
    elif to_file:
        fmt = format_for(args.output)
    else:
        fmt = "table" if sys.stdout.isatty() else "csv"
    if args.excel and fmt == "csv":
        fmt = "excel"
    if fmt == "xlsx":
        if not to_file:
            raise UsageError("xlsx output needs a file: -o tagged.xlsx")
        try:
            check_xlsx_writer()
        except ImportError as exc:
            raise UsageError(str(exc)) from None
    return fmt


def cmd_tag(args) -> int:
    started = time.perf_counter()
    fmt = _output_format(args)
    model = load_model(args.model)
    unknown = [l for l in args.explain_label or () if l not in model.labels]
    if unknown:
        raise UsageError(f"--explain-label {', '.join(unknown)}: not a label of this model "
                         f"({', '.join(model.labels)})")
    args.explain = args.explain or bool(args.explain_label) or args.explain_negative
    columns = None
    if fmt in ("csv", "tsv", "excel", "xlsx"):
        base = input_columns(args.inputs, args.text_column, args.encoding, args.sep,
                             args.input_format)
        columns = output_columns(model.labels, base=base, proba=args.proba, explain=args.explain,
                                 places=args.places)
    cuts = model.thresholds_ if args.threshold is None else [args.threshold] * len(model.labels)
    fmt_options = dict(
        columns=columns,
        text_column=args.text_column,
        width=0 if args.output in (None, "-") else None,  # a file gets whole texts
        thresholds={l: float(t) for l, t in zip(model.labels, cuts)},
    )
    chatty = _chatty(args)
    total = estimate_rows(args.inputs, args.input_format) if chatty else None
    bar = _bar(total, "tagging", args.progress)
    n_done = 0
    with _output(args.output, fmt) as fh:
        to_screen = fh is sys.stdout
        empty = True
        for n, text in _formatted_chunks(args, model, "csv" if fmt == "xlsx" else fmt, fmt_options):
            if to_screen:  # the bar steps off the line while the output is written
                bar.clear()
            if isinstance(text, bytes):  # from --jobs workers, already encoded
                _write_bytes(fh, text)
            else:
                fh.write(text)
            if to_screen:
                fh.flush()
                bar.refresh()
            empty = False
            n_done += n
            bar.update(n)
        if empty and fmt in ("csv", "tsv", "excel", "xlsx"):  # no paragraphs: still a header
            fh.write(format_chunk(pd.DataFrame(columns=columns), "csv" if fmt == "xlsx" else fmt,
                                  header=True))
    bar.close()
    if chatty:
        where = "stdout" if args.output in (None, "-") else args.output
        print(f"tagged {n_done:,} paragraph{'s' if n_done != 1 else ''} -> {where} "
              f"in {time.perf_counter() - started:.1f} s", file=sys.stderr)
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
def _output(path: str | None, fmt: str = "csv"):
    if path in (None, "-"):
        if fmt == "excel":
            sys.stdout.write("\ufeff")
        yield sys.stdout
        sys.stdout.flush()
    elif fmt == "xlsx":
        with xlsx_output(path) as fh:
            yield fh
    else:
        # Written under a temporary name and renamed at the end: a killed run leaves no
        # partial file under the final name. Excel needs the BOM to read UTF-8.
        encoding = "utf-8-sig" if fmt == "excel" else "utf-8"
        with atomic_write(path, "w", encoding=encoding, newline="") as fh:
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


def _read_labelled(args, path, check: bool = True) -> LabelledData:
    data = read_labelled(path, text_column=args.text_column, encoding=args.encoding,
                         sep=args.sep, check=check, labels_column=args.labels_column)
    for note in data.notes:
        print(f"sectors: note: {note}", file=sys.stderr)
    return data


def _warn_thin(data: LabelledData) -> None:
    counts = {l: sum(l in row for row in data.label_lists) for l in data.labels}
    thin = thin_labels(counts)
    if thin:
        found = ", ".join(f"{l} ({n})" for l, n in thin.items())
        print(f"sectors: warning: {data.path}: few rows for {found}; below {MIN_TRUSTED} "
              "positives a label's scores and threshold are not to be trusted", file=sys.stderr)


def _step_bar(total: int, desc: str, enabled: bool | None):
    """A bar over `total` steps and a callback that marks the running one done when the
    next starts (the last is marked by the caller)."""
    bar = _bar(total, desc, enabled, unit=" step")
    running = [False]

    def progress(message: str) -> None:
        if running[0]:
            bar.update(1)
        running[0] = True
        bar.set_postfix_str(message)

    return bar, progress


def _train_paths(args) -> tuple[str, str]:
    """DATA and --out, defaults resolved against the package; refuses to replace the
    shipped model with one trained on other data unless --force."""
    data = args.data or str(DEFAULT_DATA)
    shipped = default_model_path()
    is_default_data = _same_file(data, DEFAULT_DATA)
    if args.out is None:
        if not is_default_data:
            raise UsageError(f"pass --out FILE for the model trained on {data} "
                             f"(e.g. --out {Path(data).stem}.joblib)")
        out = str(shipped)
    else:
        out = args.out
    if Path(out).suffix.lower() == ".json":
        raise UsageError(f"--out {out}: give the model file (.joblib); its card goes beside it")
    if _same_file(out, shipped) and not is_default_data and not args.force:
        raise UsageError(
            f"--out {out} is the shipped model that `sectors tag` and load_model() use; "
            f"write your model elsewhere (e.g. --out {Path(data).stem}.joblib) or pass --force "
            "to replace it"
        )
    return data, out


def _same_file(a, b) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def cmd_train(args) -> int:
    from .evaluate import evaluate
    from .model import SectorClassifier

    started = time.perf_counter()
    data_path, out = _train_paths(args)
    data = _read_labelled(args, data_path)
    _check_nonempty(data)
    _warn_thin(data)
    test_path = args.test
    if test_path is None and _same_file(data_path, DEFAULT_DATA) and DEFAULT_TEST.exists():
        test_path = str(DEFAULT_TEST)
    test = _read_labelled(args, test_path) if test_path else None

    texts, label_lists, weight, labels = data.texts, data.label_lists, None, data.labels
    if args.base is not None:
        base_path = Path(args.base) if args.base else DEFAULT_DATA
        if not base_path.exists():
            raise UsageError(f"{base_path}: no base corpus there; pass --base PATH to the "
                             "shipped data/train.csv of a source checkout")
        base = read_labelled(base_path)
        # The user's rows count `base_weight` times: their outlet's style wins where the two
        # disagree, while the base corpus keeps every sector covered.
        texts = base.texts + data.texts
        label_lists = base.label_lists + data.label_lists
        weight = [1.0] * len(base.texts) + [args.base_weight] * len(data.texts)
        labels = tuple(dict.fromkeys(base.labels + data.labels))
        print(f"training on {len(base.texts):,} rows of {base_path} and {len(data.texts):,} of "
              f"{data_path} (weight {args.base_weight:g})", file=sys.stderr)

    steps = (args.cv if args.cv > 1 else 0) + 2  # reading the texts, the folds, the final fit
    bar, progress = _step_bar(steps, "training", args.progress)
    model = SectorClassifier(C=args.C, cv=args.cv, augment=args.augment, random_state=args.seed,
                             subwords=args.subwords, label_order=labels, scope=args.scope,
                             calibrate=not args.no_calibrate, n_jobs=args.jobs)
    try:
        model.fit(texts, label_lists, progress=progress, sample_weight=weight)
    except ValueError as exc:  # the data cannot train a model: an input error
        raise InputError(f"{data_path}: {exc}") from None
    bar.update(1)
    bar.close()
    metadata = {
        "training": {"path": str(data_path), "sha256": sha256_file(data_path), "rows": len(data.texts)},
    }
    if args.base is not None:
        metadata["base"] = {"path": str(base_path), "sha256": sha256_file(base_path),
                            "rows": len(base.texts), "user_weight": args.base_weight}
    if model.cv_scores_:
        print(format_scores(model.cv_scores_, f"cross-validated on {data_path} ({args.cv} folds)"))
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
    model.save(out, metadata=metadata)
    print(f"\nmodel written to {out} (card: {Path(out).with_suffix('.json')})")
    if _chatty(args):
        print(f"trained on {len(data.texts):,} paragraphs -> {out} in "
              f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


def _check_nonempty(data: LabelledData) -> None:
    empty = [line for line, t in zip(data.lines, data.texts) if not t.strip()]
    if empty:
        raise InputError(f"{data.path}:{empty[0]}: empty text (lines {', '.join(map(str, empty[:10]))})")


# -- evaluate, audit, suggest -------------------------------------------------------


def _model_case(data: LabelledData, labels: Sequence[str]) -> None:
    """Data labels that match a model label but for case are read as that label."""
    by_lower = {l.lower(): l for l in labels}
    renamed = {l: by_lower[l.lower()] for row in data.label_lists for l in row
               if l not in labels and l.lower() in by_lower}
    if renamed:
        data.label_lists = [[renamed.get(l, l) for l in row] for row in data.label_lists]
        found = ", ".join(f"{a!r} as {b!r}" for a, b in renamed.items())
        print(f"sectors: note: {data.path}: read {found} (the model's spelling)", file=sys.stderr)


def _group_column(args, data: LabelledData) -> list:
    """The `--group-by` column of the labelled file, one value per row read."""
    path = str(args.data)
    if input_kind(path, None) == "jsonl":
        frame = pd.read_json(path, lines=True, dtype=False)
    else:
        frame = pd.read_csv(path, sep=args.sep or None, engine="python", dtype=str,
                            keep_default_na=False, encoding=args.encoding or "utf-8-sig")
    if args.group_by not in frame.columns:
        raise InputError(f"{path}: no column {args.group_by!r} to group by; columns: "
                         f"{', '.join(map(repr, frame.columns))}")
    if len(frame) != len(data.texts):
        raise InputError(f"{path}: {len(frame)} rows but {len(data.texts)} labelled paragraphs")
    return frame[args.group_by].fillna("").astype(str).tolist()


def cmd_evaluate(args) -> int:
    from .evaluate import evaluate, public, write_report
    from .labels import likely_typos

    model = load_model(args.model)
    data = _read_labelled(args, args.data, check=False)
    _model_case(data, model.labels)
    groups = _group_column(args, data) if args.group_by else None
    report = evaluate(model, data.texts, data.label_lists, threshold=args.threshold,
                      worst=args.worst, groups=groups)
    name = Path(args.data).name
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
    print(f"{'calibration error':<18}{report['ece']:>22.3f}")
    if "groups" in report:
        width = max(len(args.group_by), *(len(str(g)) for g in report["groups"]))
        print(f"\nby {args.group_by}:")
        print(f"{args.group_by:<{width}}  {'n':>6}  {'micro':>6}  {'macro':>6}  "
              + "  ".join(f"{l[:7]:>7}" for l in model.labels))
        for g, part in report["groups"].items():
            f1s = "  ".join(f"{part['per_label'][l]['f1']:>7.3f}" if part['per_label'][l]['support']
                            else f"{'—':>7}" for l in model.labels)
            print(f"{g:<{width}}  {part['n']:>6}  {part['micro_f1']:>6.3f}  {part['macro_f1']:>6.3f}  {f1s}")
    if report["unknown_labels"]:
        counts = {**{l: 10**6 for l in model.labels}, **report["unknown_labels"]}
        typos = likely_typos(counts)
        found = ", ".join(
            f"{l} ({c}{', did you mean ' + typos[l] + '?' if l in typos else ''})"
            for l, c in report["unknown_labels"].items()
        )
        print(f"\nlabels in the data that the model does not know (not scored): {found}")
    for kind, title in (("false_positives", "worst false positives"),
                        ("false_negatives", "worst false negatives")):
        if report["errors"][kind]:
            print(f"\n{title} (file:line, label, probability / threshold, text):")
            for e in report["errors"][kind]:
                print(f"  {name}:{e['line']:<6} {e['label']:<13} {e['proba']:.2f} / {e['threshold']:.2f}  "
                      f"{_short(e['text'])}")
    if args.report:
        print(f"\nreport written: {', '.join(str(p) for p in written)}")
    return 0


def _short(text: str, width: int = 110) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def cmd_audit(args) -> int:
    from .evaluate import audit

    data = _read_labelled(args, args.data)
    _warn_thin(data)
    bar, progress = _step_bar(args.cv + 1, "auditing", args.progress)
    try:
        items = audit(data.texts, data.label_lists, data.labels, cv=args.cv,
                      random_state=args.seed, top=args.n, progress=progress)
    except ValueError as exc:
        raise InputError(f"{args.data}: {exc}") from None
    bar.update(1)
    bar.close()
    for item in items:
        item["line"] = data.lines[item.pop("row")]
    if args.json:
        print(json.dumps(items, ensure_ascii=False))
        return 0
    name = Path(args.data).name
    print(f"{len(items)} most suspicious labels in {args.data}, most confident first "
          "(a model trained on the other folds disagrees; p = its probability):")
    for it in items:
        verdict = "missing?" if it["given"] == 0 else "wrong?"
        print(f"  {name}:{it['line']:<6} {it['label']:<13} {verdict:<9} p={it['proba']:.2f}  "
              f"{_short(it['text'], 90)}")
    return 0


def cmd_suggest(args) -> int:
    from .evaluate import suggest

    model = load_model(args.model)
    frames = list(iter_paragraphs(args.inputs, text_column=args.text_column,
                                  encoding=args.encoding, sep=args.sep,
                                  input_format=args.input_format, lines=True))
    frames = [f.rename(columns={args.text_column: "text"}) if args.text_column in f else f
              for f in frames]
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["text"])
    items = suggest(model, df["text"].tolist(), n=args.n,
                    drop_near_duplicates=not args.keep_duplicates)
    for it in items:
        row = df.iloc[it.pop("row")]
        it["source"], it["paragraph"], it["line"] = (
            str(row["source"]), int(row["paragraph"]), int(row["line"]))
    if args.json:
        print(json.dumps(items, ensure_ascii=False))
        return 0
    dropped = "" if args.keep_duplicates else "; near-duplicates of a listed paragraph left out"
    print(f"{len(items)} paragraphs the model is least sure about, to label next: ranked by how "
          f"close a label's probability is to its threshold (log-odds){dropped}")
    for it in items:
        where = f"{Path(it['source']).name}:{it['line']}"
        print(f"  {where:<20} {it['label']:<13} p={it['proba']:.2f} / {it['threshold']:.2f}  "
              f"{_short(it['text'], 80)}")
    return 0


# -- serve ---------------------------------------------------------------------------


def cmd_serve(args) -> int:
    try:
        import uvicorn

        from .serve import MODEL_ENV, app_from_env, create_app
    except ImportError as exc:
        raise UsageError(f"serve needs the serve extra: pip install -e '.[serve]' ({exc})") from None
    # Loaded here first so a bad model stops the start with the CLI's one-line error.
    app = create_app(args.model)
    if args.workers == 1:
        uvicorn.run(app, host=args.host, port=args.port, access_log=args.access_log)
    else:  # each worker process imports the app and loads its own model
        os.environ[MODEL_ENV] = str(Path(args.model).resolve()) if args.model else ""
        uvicorn.run(f"{app_from_env.__module__}:{app_from_env.__name__}", factory=True,
                    host=args.host, port=args.port, workers=args.workers,
                    access_log=args.access_log)
    return 0


def add_serve_parser(sub) -> None:
    p = _command(
        sub, "serve", "HTTP API and a page to paste an article into",
        "Serves POST /v1/tag, GET /v1/model, GET /healthz and the page at /.\n"
        "Needs the serve extra: pip install -e '.[serve]'.",
        ["sectors serve", "sectors serve --port 8080 --workers 2"],
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--model", help="model file (default: the shipped model)")
    p.add_argument("--workers", type=_positive, default=1,
                   help="worker processes, one model each (default 1; one per core is usual)")
    p.add_argument("--access-log", action="store_true", help="log every request")
    p.set_defaults(func=cmd_serve)


def add_report_parser(sub) -> None:
    p = _command(
        sub, "report", "region x partner x sector counts, charts and report.html",
        "Reads `sectors tag --places` output (columns labels and places) and writes\n"
        "cooperation.csv, PNG charts and one self-contained report.html into DIR.",
        ["sectors tag pages/ --places -o tagged.csv && sectors report tagged.csv -o report/"],
    )
    p.add_argument("tagged", metavar="TAGGED.csv", help="CSV with labels and places columns")
    p.add_argument("-o", "--output", default="report", metavar="DIR",
                   help="folder to write into (default: report)")
    p.add_argument("--paragraph-only", action="store_true",
                   help="count only places named in the paragraph itself, not its article's")
    p.set_defaults(func=cmd_report)


def cmd_report(args) -> int:
    from .report import build_report

    result = build_report(args.tagged, args.output, article_context=not args.paragraph_only)
    print(f"{args.tagged}: {result.paragraphs} paragraphs, {result.counted} counted "
          f"(a sector and a foreign partner) from {result.articles} articles")
    for path in result.files:
        print(f"  {path}")
    return 0


# -- parser and main -----------------------------------------------------------------

# Resolved against the package, not the working directory: train.py works from anywhere.
REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO / "data" / "train.csv"
DEFAULT_TEST = REPO / "data" / "test.csv"


class _Formatter(argparse.RawDescriptionHelpFormatter):
    pass


def _command(sub, name: str, summary: str, description: str, examples: Sequence[str]):
    """A subcommand parser with a description and examples in its --help."""
    return sub.add_parser(
        name, help=summary, description=f"{summary}.\n\n{description}",
        epilog="examples:\n" + "\n".join(f"  {e}" for e in examples),
        formatter_class=_Formatter,
    )


def _add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--text-column", default="text", metavar="NAME",
                   help="CSV column or JSONL field with the text (default: text)")
    p.add_argument("--encoding", help="input encoding (default: detected; e.g. utf-8, cp1251)")
    p.add_argument("--sep", help="CSV delimiter (default: detected among , ; and tab)")


def _add_labelled_options(p: argparse.ArgumentParser) -> None:
    _add_input_options(p)
    p.add_argument("--labels-column", default="labels", metavar="NAME",
                   help="column with the label ids joined by ';' (default: labels; without "
                        "it, 0/1 columns per label)")


def _add_progress_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--progress", dest="progress", action="store_true", default=None,
                   help="progress bar and a summary line on stderr (default: when stderr is "
                        "a terminal)")
    p.add_argument("--no-progress", dest="progress", action="store_false",
                   help="no progress bar and no summary line")


def _add_model_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", metavar="FILE.joblib",
                   help="model file (default: the shipped model); its .json card must sit beside it")


def _probability(value: str) -> float:
    try:
        p = float(value)
    except ValueError:
        p = float("nan")
    if not 0.0 <= p <= 1.0:
        raise argparse.ArgumentTypeError(f"must be a number between 0 and 1, got {value!r}")
    return p


def _augment(value: str) -> float | str:
    if value == "auto":
        return value
    try:
        return float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number or auto, got {value!r}") from None


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
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {value!r}")
    return n


def _folds(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = -1
    if n < 0 or n == 1:
        raise argparse.ArgumentTypeError(f"must be 0 (none) or a whole number of at least 2, got {value!r}")
    return n


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sectors",
        description="Tag paragraphs of Russian cooperation news with economic sectors.",
        epilog="examples:\n  sectors tag article.txt\n  sectors train my.csv --out my.joblib\n"
               "  sectors COMMAND --help",
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"sectors {__version__}",
                        help="print the version and exit")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    add_tag_parser(sub)
    add_train_parser(sub)
    add_evaluate_parser(sub)
    add_audit_parser(sub)
    add_suggest_parser(sub)
    add_serve_parser(sub)
    add_report_parser(sub)
    return parser


def add_tag_parser(sub) -> argparse.ArgumentParser:
    p = _command(
        sub, "tag", "tag paragraphs of articles, CSV or JSONL files",
        "Every input paragraph gets one output row, in input order. A .txt article has one\n"
        "paragraph per line (lines continuing a sentence are joined); a leading\n"
        "'date: 2025-11-03' header fills the date column. CSV and JSONL rows keep all their\n"
        "columns. The output format follows -o's extension (.csv .tsv .jsonl .xlsx .txt).",
        ["sectors tag article.txt",
         "sectors tag paragraphs.csv --text-column body --proba -o tagged.xlsx",
         "cat posts.csv | sectors tag - --explain-label digital --format jsonl"],
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=".txt article, .html page, .csv, .jsonl, a folder of these, or - for stdin")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="output file (default: stdout); format by extension, written atomically")
    p.add_argument("--format", choices=["csv", "tsv", "jsonl", "table", "xlsx"],
                   help="output format (default: table on a terminal, else by -o's extension, else csv)")
    p.add_argument("--excel", action="store_true",
                   help="CSV for Excel in Russian locales: ';' between fields, decimal commas, UTF-8 with BOM")
    p.add_argument("--input-format", choices=["auto", "txt", "lines", "csv", "jsonl", "html"], default="auto",
                   help="how to read INPUT (default: by extension; stdin: JSONL if it starts with "
                        "'{', CSV if its first line names the text column); lines: one paragraph per line")
    _add_model_option(p)
    p.add_argument("--proba", action="store_true",
                   help="add one probability column per label (the table shows probability/threshold)")
    p.add_argument("--explain", action="store_true", help="add the terms behind each assigned label")
    p.add_argument("--places", action="store_true",
                   help="add the countries and Russian regions each paragraph names (ISO codes)")
    p.add_argument("--explain-label", action="append", metavar="LABEL",
                   help="also explain LABEL in every row, assigned or not (repeatable)")
    p.add_argument("--explain-negative", action="store_true",
                   help="in explanations, also list the terms that count against each label")
    p.add_argument("--threshold", type=_probability, metavar="P",
                   help="one probability cut for all labels instead of the tuned ones")
    p.add_argument("--top-k", type=_positive, metavar="K",
                   help="keep at most K of the labels the thresholds give, the most probable")
    p.add_argument("--jobs", type=_positive, default=1, help="worker processes (default 1)")
    p.add_argument("--chunk-size", type=_positive, default=10_000, help=argparse.SUPPRESS)
    p.add_argument("--range-bytes", type=_positive, default=4 << 20, help=argparse.SUPPRESS)
    _add_progress_options(p)
    _add_input_options(p)
    p.set_defaults(func=cmd_tag)
    return p


def add_train_parser(sub) -> argparse.ArgumentParser:
    p = _command(
        sub, "train", "train a model from a labelled CSV or JSONL file",
        "Prints cross-validated and held-out scores per label and writes the model with its\n"
        "JSON card. The shipped model is replaced only by training on the shipped data, or\n"
        "with --force.",
        ["sectors train my.csv --out my.joblib",
         "sectors train my.jsonl --out models/my.joblib --test my_test.csv --cv 5",
         "sectors train ours.csv --base --out ours.joblib   # shipped corpus + your rows",
         "python train.py          # data/train.csv -> the shipped model"],
    )
    add_train_arguments(p)
    p.set_defaults(func=cmd_train)
    return p


def add_train_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("data", nargs="?", default=None, metavar="DATA",
                   help="labelled CSV (text,labels with ids joined by ';', or text + 0/1 columns) "
                        "or JSONL (default: the repository's data/train.csv)")
    p.add_argument("--out", metavar="FILE.joblib",
                   help="model file to write, card beside it (needed unless DATA is the default)")
    p.add_argument("--force", action="store_true",
                   help="allow --out to replace the shipped model with one trained on other data")
    p.add_argument("--test", metavar="FILE",
                   help="labelled file to score the model on, kept in its card "
                        "(default: data/test.csv with the default data)")
    p.add_argument("--cv", type=_folds, default=3,
                   help="cross-validation folds for thresholds and metrics (default 3; 0: none)")
    p.add_argument("--seed", type=int, default=0, help="random seed for the folds (default 0)")
    p.add_argument("-C", type=float, default=0.25, dest="C", help="inverse regularisation strength (default 0.25)")
    p.add_argument("--augment", type=_augment, default="auto",
                   help="joined paragraph pairs added per training row; default auto: 1 for multi-label data, 0 otherwise")
    p.add_argument("--subwords", type=_subwords, default=(3, 5), metavar="LO-HI|none",
                   help="character n-gram lengths of lemmas shared in training (default 3-5); none: off")
    p.add_argument("--base", nargs="?", const="", default=None, metavar="BASE.csv",
                   help="also train on a base corpus (default: the shipped data/train.csv), "
                        "DATA's rows weighted up by --base-weight: adapt the model to your outlet")
    p.add_argument("--base-weight", type=float, default=3.0, metavar="W",
                   help="weight of each DATA row against a base row with --base (default 3)")
    p.add_argument("--scope", choices=["both", "sentence", "text"], default="both",
                   help="decide labels on the best of the paragraph and its sentences (both, "
                        "default), on sentences only, or on the whole paragraph only (text)")
    p.add_argument("--no-calibrate", action="store_true",
                   help="keep raw scores with a tuned threshold per label instead of "
                        "calibrated probabilities cut at 0.5")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="threads fitting labels in parallel (default: one per core)")
    _add_progress_options(p)
    _add_labelled_options(p)


def add_evaluate_parser(sub) -> argparse.ArgumentParser:
    p = _command(
        sub, "evaluate", "score a model on a labelled CSV or JSONL file",
        "Per-label precision, recall and F1, micro/macro/samples F1, exact match, Hamming\n"
        "loss, and the worst errors by file:line.",
        ["sectors evaluate data/test.csv", "sectors evaluate my_test.csv --model my.joblib --json"],
    )
    p.add_argument("data", metavar="DATA", help="labelled CSV or JSONL (either form train accepts)")
    _add_model_option(p)
    p.add_argument("--report", metavar="DIR", help="write metrics.json and PNG charts here")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    p.add_argument("--group-by", metavar="COLUMN",
                   help="also score each value of this column apart (e.g. source, channel)")
    p.add_argument("--threshold", type=_probability, metavar="P",
                   help="one probability cut for all labels instead of the tuned ones")
    p.add_argument("--worst", type=int, default=10, metavar="N",
                   help="errors of each kind to show (default 10)")
    _add_labelled_options(p)
    p.set_defaults(func=cmd_evaluate)
    return p


def add_audit_parser(sub) -> argparse.ArgumentParser:
    p = _command(
        sub, "audit", "list rows whose labels look wrong to a cross-validated model",
        "Trains on all folds but one, predicts the held-out fold, and lists the labels it\n"
        "disagrees with most confidently, by file:line.",
        ["sectors audit data/train.csv", "sectors audit my.csv -n 50 --json"],
    )
    p.add_argument("data", metavar="DATA", help="labelled CSV or JSONL")
    p.add_argument("-n", type=int, default=30, help="rows to list (default 30)")
    p.add_argument("--cv", type=_folds, default=5, help="folds (default 5)")
    p.add_argument("--seed", type=int, default=0, help="random seed for the folds (default 0)")
    p.add_argument("--json", action="store_true", help="print one JSON list instead of lines")
    _add_progress_options(p)
    _add_labelled_options(p)
    p.set_defaults(func=cmd_audit)
    return p


def add_suggest_parser(sub) -> argparse.ArgumentParser:
    p = _command(
        sub, "suggest", "paragraphs the model is least sure about: label these next",
        "Ranks paragraphs by how close a label's probability is to its threshold and leaves\n"
        "out near-duplicates of a paragraph already listed; prints file:line.",
        ["sectors suggest unlabelled.csv -n 50", "sectors suggest article.txt --json"],
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=".txt, .csv, .jsonl or -")
    p.add_argument("-n", type=int, default=50, help="paragraphs to list (default 50)")
    _add_model_option(p)
    p.add_argument("--json", action="store_true", help="print one JSON list instead of lines")
    p.add_argument("--keep-duplicates", action="store_true",
                   help="list near-duplicate paragraphs too")
    p.add_argument("--input-format", choices=["auto", "txt", "lines", "csv", "jsonl"], default="auto",
                   help="how to read INPUT (default: by extension)")
    _add_input_options(p)
    p.set_defaults(func=cmd_suggest)
    return p


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
