"""Who cooperates with whom in what: counts, charts and one HTML page from tagged paragraphs.

Input is `sectors tag --places` output: columns `source, paragraph, date, text, labels,
places` (`labels` and `places` are ids joined by ";"). A *region* is a Russian federal
subject code (`RU-TA`), a *partner* a foreign country code (`KZ`; `RU`, Russia as a whole,
is not a partner).

How a paragraph counts (the unit is the paragraph):

1. Its sectors are its labels; a paragraph without a label is not counted.
2. Its regions are the `RU-XXX` codes in it, its partners the other country codes. With
   `article_context` (the default), a paragraph that names no region takes the regions
   named anywhere in its article (rows with the same `source`), and likewise for partners:
   news name the region once in the lead and speak of «казахстанские партнёры» further
   down. A paragraph still without a partner is not counted (no foreign side); one still
   without a region counts under `RU` («регион не назван»).
3. It adds 1 to every (region, partner, sector) combination it has: a paragraph naming
   Tatarstan, Kazakhstan and Uzbekistan about trade and agro adds 1 to four cells. So the
   cells of the table sum to more than the number of paragraphs; the `articles` column
   counts distinct sources. The partner x sector heatmap, the top partners and the months
   count each paragraph once per (partner, sector) and (month, sector) it has.

>>> result = build_report("tagged.csv", "report/")                  # doctest: +SKIP
>>> result.files                                                    # doctest: +SKIP
[PosixPath('report/cooperation.csv'), ..., PosixPath('report/report.html')]
"""
from __future__ import annotations

import base64
import html
import io as _io
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .io import LABEL_SEP, InputError, read_csv_chunks
from .persist import atomic_write
from .placenames import place_name

__all__ = ["cooperation_counts", "read_tagged", "build_report", "Report", "SECTOR_NAMES"]

SECTOR_NAMES = {
    "industry": "промышленность", "agro": "АПК", "energy": "энергетика",
    "petrochem": "нефтегазохимия", "transport": "транспорт и логистика",
    "trade": "торговля", "humanitarian": "гуманитарное", "digital": "цифровизация",
}
UNSPECIFIED_REGION = "RU"
_NEEDED = ("labels", "places")


def _codes(value) -> list[str]:
    return [c.strip().upper() for c in str(value or "").split(LABEL_SEP) if c.strip()]


def read_tagged(path: str | os.PathLike) -> pd.DataFrame:
    """The tagged CSV as strings, with `source`, `paragraph` and `date` present (blank when
    the file lacks them). A missing `labels` or `places` column is an error naming it."""
    frames = []
    for chunk in read_csv_chunks(path, text_column=None):
        missing = [c for c in _NEEDED if c not in chunk.columns]
        if missing:
            hint = " (tag with `sectors tag --places`)" if "places" in missing else ""
            raise InputError(
                f"{path}: no column {', '.join(map(repr, missing))}; columns found: "
                f"{', '.join(map(repr, chunk.columns))}{hint}"
            )
        keep = [c for c in ("source", "paragraph", "date", "labels", "places") if c in chunk.columns]
        frames.append(chunk[keep])
    if not frames:
        raise InputError(f"{path}: no data rows")
    df = pd.concat(frames)
    for col in ("source", "paragraph", "date"):
        if col not in df.columns:
            df[col] = ""
    bad = df.index[~df["date"].str.fullmatch(r"(\d{4}-\d{2}-\d{2}.*)?")]
    if len(bad):
        raise InputError(f"{path}: line {bad[0]}: date {df.at[bad[0], 'date']!r} is not YYYY-MM-DD")
    return df


def cooperation_counts(df: pd.DataFrame, article_context: bool = True) -> pd.DataFrame:
    """One row per counted (paragraph, region, partner, sector): columns `source`, `row`
    (position in `df`), `month` (YYYY-MM or ""), `region`, `partner`, `sector`. See the
    module docstring for the counting rule.

    >>> df = pd.DataFrame({"source": ["a", "a"], "date": ["2025-05-12", "2025-05-12"],
    ...                    "labels": ["trade", "agro;trade"], "places": ["RU-TA;KZ", "UZ"]})
    >>> cooperation_counts(df)[["region", "partner", "sector"]].values.tolist()
    [['RU-TA', 'KZ', 'trade'], ['RU-TA', 'UZ', 'agro'], ['RU-TA', 'UZ', 'trade']]
    """
    sources = df["source"].astype(str).tolist() if "source" in df else [""] * len(df)
    places = [_codes(v) for v in df["places"]]
    regions = [[c for c in p if c.startswith("RU-")] for p in places]
    partners = [[c for c in p if "-" not in c and c != "RU"] for p in places]
    if article_context:
        art_regions: dict[str, list[str]] = {}
        art_partners: dict[str, list[str]] = {}
        for src, reg, par in zip(sources, regions, partners):
            art_regions.setdefault(src, [])
            art_partners.setdefault(src, [])
            art_regions[src] += [r for r in reg if r not in art_regions[src]]
            art_partners[src] += [p for p in par if p not in art_partners[src]]
        regions = [r or art_regions[s] for r, s in zip(regions, sources)]
        partners = [p or art_partners[s] for p, s in zip(partners, sources)]
    dates = df["date"].astype(str).tolist() if "date" in df else [""] * len(df)
    out = []
    for i, (src, labels, reg, par, day) in enumerate(
            zip(sources, df["labels"], regions, partners, dates)):
        sectors = [l for l in str(labels or "").split(LABEL_SEP) if l.strip()]
        if not sectors or not par:
            continue
        month = day[:7] if len(day) >= 7 else ""
        for r in reg or [UNSPECIFIED_REGION]:
            for p in par:
                for s in sectors:
                    out.append((src, i, month, r, p, s.strip()))
    return pd.DataFrame(out, columns=["source", "row", "month", "region", "partner", "sector"])


@dataclass
class Report:
    """What `build_report` wrote and the numbers it shows."""

    files: list[Path] = field(default_factory=list)
    paragraphs: int = 0
    counted: int = 0
    articles: int = 0
    table: pd.DataFrame | None = None


def _name(code: str) -> str:
    return "регион не назван" if code == UNSPECIFIED_REGION else place_name(code)


def _sector(label: str) -> str:
    return SECTOR_NAMES.get(label, label)


def region_partner_sector(counts: pd.DataFrame) -> pd.DataFrame:
    """The region x partner x sector table: paragraphs and distinct articles per cell."""
    if counts.empty:
        return pd.DataFrame(columns=["region", "region_name", "partner", "partner_name",
                                     "sector", "paragraphs", "articles"])
    table = (counts.groupby(["region", "partner", "sector"])
             .agg(paragraphs=("row", "nunique"), articles=("source", "nunique"))
             .reset_index()
             .sort_values(["paragraphs", "region", "partner", "sector"],
                          ascending=[False, True, True, True]))
    table.insert(1, "region_name", table["region"].map(_name))
    table.insert(3, "partner_name", table["partner"].map(_name))
    return table.reset_index(drop=True)


# -- charts ---------------------------------------------------------------------------


def _plt():
    try:
        import matplotlib
    except ImportError:
        raise InputError("the report's charts need matplotlib: pip install 'sectors[report]'") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig, path: Path) -> bytes:
    buf = _io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    data = buf.getvalue()
    with atomic_write(path, "wb") as fh:
        fh.write(data)
    return data


def _heatmap(plt, counts: pd.DataFrame, sectors: list[str], top: int = 15):
    pairs = counts.drop_duplicates(["row", "partner", "sector"])
    grid = pd.crosstab(pairs["partner"], pairs["sector"]).reindex(columns=sectors, fill_value=0)
    grid = grid.loc[grid.sum(axis=1).sort_values(ascending=False).index[:top]]
    fig, ax = plt.subplots(figsize=(1.1 * len(sectors) + 3, 0.45 * len(grid) + 1.8))
    im = ax.imshow(grid.to_numpy(), cmap="YlOrRd", aspect="auto")
    ax.set_xticks(range(len(sectors)), [_sector(s) for s in sectors], rotation=35, ha="right")
    ax.set_yticks(range(len(grid)), [f"{_name(c)} ({c})" for c in grid.index])
    peak = grid.to_numpy().max() if grid.size else 0
    for (i, j), v in pd.DataFrame(grid.to_numpy()).stack().items():
        if v:
            ax.text(j, i, int(v), ha="center", va="center", fontsize=8,
                    color="white" if v > 0.6 * peak else "black")
    ax.set_title("Партнёры и отрасли: число абзацев")
    fig.colorbar(im, ax=ax, shrink=0.8)
    return fig


def _months(plt, counts: pd.DataFrame, sectors: list[str]):
    dated = counts[counts["month"] != ""].drop_duplicates(["row", "sector"])
    grid = pd.crosstab(dated["month"], dated["sector"]).reindex(columns=sectors, fill_value=0)
    if len(grid):  # months without a paragraph are shown, as gaps
        span = pd.period_range(grid.index.min(), grid.index.max(), freq="M").strftime("%Y-%m")
        grid = grid.reindex(span, fill_value=0)
    fig, ax = plt.subplots(figsize=(max(6.0, 0.35 * len(grid) + 3), 4.2))
    bottom = None
    colors = plt.get_cmap("tab10")
    for k, s in enumerate(sectors):
        values = grid[s].to_numpy() if len(grid) else []
        ax.bar(list(grid.index), values, bottom=bottom, label=_sector(s), color=colors(k % 10))
        bottom = values if bottom is None else bottom + values
    ax.set_ylabel("абзацев")
    ax.set_title("Отрасли по месяцам")
    ax.tick_params(axis="x", rotation=60)
    ax.legend(fontsize=8, ncols=2, frameon=False)
    return fig


def _top_partners(plt, counts: pd.DataFrame, sectors: list[str], top: int = 5):
    pairs = counts.drop_duplicates(["row", "partner", "sector"])
    cols = 4 if len(sectors) > 4 else len(sectors)
    rows = -(-len(sectors) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 2.4 * rows), squeeze=False)
    for ax, s in zip(axes.flat, sectors):
        best = pairs[pairs["sector"] == s]["partner"].value_counts().head(top)[::-1]
        ax.barh([_name(c) for c in best.index], best.to_numpy(), color="#c0504d")
        ax.set_title(_sector(s), fontsize=10)
        ax.tick_params(labelsize=8)
        ax.xaxis.get_major_locator().set_params(integer=True)
    for ax in list(axes.flat)[len(sectors):]:
        ax.axis("off")
    fig.suptitle("Главные партнёры по отраслям (абзацев)")
    fig.tight_layout()
    return fig


# -- the page -------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;max-width:1100px;
color:#222;padding:0 1em}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0;font-size:.92em}
th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}td.n{text-align:right}
th{background:#f3f3f3}img{max-width:100%;height:auto;border:1px solid #eee}
.note{color:#555;font-size:.9em;max-width:60em}
"""


def _html_table(frame: pd.DataFrame, numeric: set[str], table_id: str) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for rec in frame.itertuples(index=False):
        cells = "".join(
            f'<td class="n">{html.escape(str(v))}</td>' if c in numeric else f"<td>{html.escape(str(v))}</td>"
            for c, v in zip(frame.columns, rec))
        body.append(f"<tr>{cells}</tr>")
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _img(data: bytes, alt: str) -> str:
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{base64.b64encode(data).decode()}">'


def _page(title: str, result: Report, table: pd.DataFrame, images: dict[str, bytes],
          counts: pd.DataFrame, article_context: bool, undated: int) -> str:
    pairs = counts.drop_duplicates(["row", "region", "partner"])
    region_partner = (pairs.groupby(["region", "partner"]).agg(paragraphs=("row", "nunique"),
                                                                articles=("source", "nunique"))
                      .reset_index().sort_values("paragraphs", ascending=False).head(20))
    rp = pd.DataFrame({
        "регион": [f"{_name(r)} ({r})" for r in region_partner["region"]],
        "партнёр": [f"{_name(p)} ({p})" for p in region_partner["partner"]],
        "абзацев": region_partner["paragraphs"], "статей": region_partner["articles"],
    })
    top = table.head(25)
    rps = pd.DataFrame({
        "регион": [f"{n} ({c})" for n, c in zip(top["region_name"], top["region"])],
        "партнёр": [f"{n} ({c})" for n, c in zip(top["partner_name"], top["partner"])],
        "отрасль": [f"{_sector(s)} ({s})" for s in top["sector"]],
        "абзацев": top["paragraphs"], "статей": top["articles"],
    })
    context = ("абзац без региона (партнёра) берёт регионы (партнёров) своей статьи"
               if article_context else "учитываются только места, названные в самом абзаце")
    parts = [
        "<!DOCTYPE html>", '<html lang="ru"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f'<p id="summary">Абзацев во входном файле: <b>{result.paragraphs}</b>; учтено абзацев о '
        f"сотрудничестве с зарубежным партнёром в какой-либо отрасли: <b>{result.counted}</b> "
        f"из <b>{result.articles}</b> статей.</p>",
        f'<p class="note">Как считается: единица счёта — абзац; {context}; абзац без отрасли или '
        "без зарубежного партнёра не учитывается; абзац без российского региона учитывается как "
        "«регион не назван» (RU). Абзац добавляет 1 в каждую свою комбинацию регион × партнёр × "
        "отрасль, поэтому сумма ячеек больше числа абзацев."
        + (f" Абзацев без даты (нет на графике по месяцам): {undated}." if undated else "") + "</p>",
    ]
    titles = {"partners_sectors.png": "Партнёры и отрасли", "sectors_by_month.png": "Отрасли по месяцам",
              "top_partners.png": "Главные партнёры по отраслям"}

    def chart(name: str) -> list[str]:
        return [f"<h2>{titles[name]}</h2>", _img(images[name], titles[name])] if name in images else []

    parts += chart("partners_sectors.png")
    parts += [
        "<h2>Регион × партнёр × отрасль</h2>",
        _html_table(rps, {"абзацев", "статей"}, "region-partner-sector"),
        f'<p class="note">Первые {len(rps)} строк из {len(table)}; полная таблица: cooperation.csv.</p>',
        "<h2>Регион × партнёр</h2>", _html_table(rp, {"абзацев", "статей"}, "region-partner"),
    ]
    parts += chart("sectors_by_month.png") + chart("top_partners.png")
    parts.append("</body></html>")
    return "\n".join(parts)


def build_report(
    tagged: str | os.PathLike,
    out_dir: str | os.PathLike,
    article_context: bool = True,
    title: str = "Сотрудничество регионов России с зарубежными партнёрами",
) -> Report:
    """Write cooperation.csv, three PNG charts and report.html into `out_dir` from a CSV
    of `sectors tag --places`. Every file is written atomically."""
    df = read_tagged(tagged)
    counts = cooperation_counts(df, article_context=article_context)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder")
    table = region_partner_sector(counts)
    result = Report(paragraphs=len(df), counted=int(counts["row"].nunique()),
                    articles=int(counts["source"].nunique()), table=table)
    path = out / "cooperation.csv"
    with atomic_write(path, "w", encoding="utf-8", newline="") as fh:
        table.to_csv(fh, index=False, lineterminator="\n")
    result.files.append(path)
    known = list(SECTOR_NAMES)
    sectors = [s for s in known if s in set(counts["sector"])] + sorted(set(counts["sector"]) - set(known))
    images: dict[str, bytes] = {}
    if sectors:
        plt = _plt()
        for name, make in (("partners_sectors.png", _heatmap), ("sectors_by_month.png", _months),
                           ("top_partners.png", _top_partners)):
            fig = make(plt, counts, sectors)
            images[name] = _save(fig, out / name)
            plt.close(fig)
            result.files.append(out / name)
    undated = int(counts.loc[counts["month"] == "", "row"].nunique())
    page = _page(title, result, table, images, counts, article_context, undated)
    path = out / "report.html"
    with atomic_write(path, "w", encoding="utf-8") as fh:
        fh.write(page)
    result.files.append(path)
    return result
