"""The data contract: every table's columns, types and sort key (see docs/tables.md), and
:class:`Tables`, the bundle of DataFrames that ``idlibnb extract`` writes and the notebooks read.

Column names are exact; dates are ISO strings at their own precision, never datetimes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping

import pandas as pd

__all__ = ["SCHEMAS", "KEYS", "TABLE_NAMES", "Tables", "frame", "conform", "write_parquet"]

# column -> pandas dtype. "string" columns hold str or None; "object" holds lists.
SCHEMAS: dict[str, dict[str, str]] = {
    "manifest": {
        "source_file": "string", "status": "string", "reason": "string", "n_articles": "int64",
        "encoding": "string", "bytes": "int64",
    },
    "articles": {
        "doc_id": "string", "source_file": "string", "url": "string", "outlet": "string",
        "outlet_en": "string", "title": "string", "byline": "string", "dateline": "string",
        "published": "string", "published_basis": "string", "published_evidence": "string",
        "text": "string", "n_words": "int64", "n_sentences": "int64", "warnings": "string",
    },
    "entities": {
        "doc_id": "string", "field": "string", "start": "int64", "end": "int64", "surface": "string",
        "label": "string", "entity_id": "string", "canonical": "string", "name_en": "string",
        "role": "string", "side": "string", "cameo": "string", "method": "string",
    },
    "places": {
        "entity_id": "string", "name": "string", "name_en": "string", "kind": "string",
        "lat": "float64", "lon": "float64", "admin1": "string", "precision": "string",
        "source": "string",
    },
    "timexes": {
        "doc_id": "string", "field": "string", "start": "int64", "end": "int64", "surface": "string",
        "value": "string", "precision": "string", "kind": "string", "anchor": "string",
    },
    "figures": {
        "figure_id": "string", "doc_id": "string", "field": "string", "start": "int64",
        "end": "int64", "surface": "string", "value": "float64", "quantity": "string",
        "unit": "string", "qualifier": "string", "part_of": "string", "place": "string",
        "period_start": "string", "period_end": "string", "source": "string",
        "consistent": "boolean",
    },
    "quotes": {
        "doc_id": "string", "field": "string", "start": "int64", "end": "int64",
        "speaker": "string", "speaker_id": "string", "cue": "string", "content": "string",
        "kind": "string",
    },
    "events": {
        "doc_id": "string", "start": "int64", "end": "int64", "event_type": "string",
        "cameo_code": "string", "acled_event_type": "string", "acled_sub_event_type": "string",
        "date": "string", "date_precision": "string", "place": "string", "lat": "float64",
        "lon": "float64", "actors": "object", "evidence": "string",
    },
    "framing": {
        "doc_id": "string", "field": "string", "start": "int64", "end": "int64",
        "surface": "string", "target": "string", "frame": "string", "voice": "string",
    },
    "stories": {"story_id": "string", "doc_id": "string", "similarity": "float64"},
}

KEYS: dict[str, tuple[str, ...]] = {
    "manifest": ("source_file",),
    "articles": ("doc_id",),
    "entities": ("doc_id", "field", "start"),
    "places": ("entity_id",),
    "timexes": ("doc_id", "field", "start"),
    "figures": ("doc_id", "field", "start"),
    "quotes": ("doc_id", "field", "start"),
    "events": ("doc_id", "start"),
    "framing": ("doc_id", "field", "start"),
    "stories": ("story_id", "doc_id"),
}

TABLE_NAMES: tuple[str, ...] = tuple(SCHEMAS)


def frame(name: str, rows: Iterable[Mapping | tuple] = ()) -> pd.DataFrame:
    """A DataFrame of table ``name`` with its exact columns and dtypes, sorted by its key.

    ``rows`` are dicts or tuples in column order (an extractor's NamedTuples are both).
    """
    schema = SCHEMAS[name]
    cols = list(schema)
    rows = list(rows)
    if rows and isinstance(rows[0], tuple) and hasattr(rows[0], "_fields"):
        df = pd.DataFrame([tuple(getattr(r, c) for c in cols) for r in rows], columns=cols)
    elif rows and isinstance(rows[0], Mapping):
        df = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols)
    else:
        df = pd.DataFrame(rows, columns=cols)
    return conform(name, df)


def conform(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Give ``df`` the table's columns (missing ones empty), dtypes and sort order."""
    schema = SCHEMAS[name]
    df = df.copy()
    for col, dtype in schema.items():
        if col not in df:
            df[col] = None
        if dtype == "object":
            df[col] = df[col].map(_as_list)
        elif dtype == "string":
            df[col] = df[col].map(_as_str).astype("string")
        elif dtype == "boolean":
            df[col] = df[col].map(_as_bool).astype("boolean")
        else:
            df[col] = pd.to_numeric(df[col], errors="coerce").astype(dtype) \
                if dtype == "float64" else df[col].fillna(0).astype(dtype)
    df = df[list(schema)]
    key = list(KEYS[name])
    if len(df):
        df = df.sort_values(key, kind="mergesort").reset_index(drop=True)
    return df


def write_parquet(df: pd.DataFrame, path: str | Path, **kwargs) -> None:
    """Write a table as Parquet without pandas' dtype metadata, so any reader (pandas, Dask,
    DuckDB, R) gets plain strings and nulls: pandas then reads missing values as None, not pd.NA."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df, preserve_index=False)
    pq.write_table(table.replace_schema_metadata(None), path, **kwargs)


def _as_str(v):
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
        return None
    return str(v)


_TRUE, _FALSE = frozenset({"true", "1", "yes"}), frozenset({"false", "0", "no"})


def _as_bool(v):
    """True/False/None from a bool, a number or the text a CSV holds ('True', 'false', '')."""
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, str):
        low = v.strip().lower()
        return True if low in _TRUE else False if low in _FALSE else None
    return bool(v)


def _as_list(v):
    if v is None or (isinstance(v, float) and v != v):
        return []
    return [str(x) for x in v]


@dataclass
class Tables:
    """Every table of a corpus as pandas DataFrames (empty ones keep their columns)."""

    manifest: pd.DataFrame = field(default_factory=lambda: frame("manifest"))
    articles: pd.DataFrame = field(default_factory=lambda: frame("articles"))
    entities: pd.DataFrame = field(default_factory=lambda: frame("entities"))
    places: pd.DataFrame = field(default_factory=lambda: frame("places"))
    timexes: pd.DataFrame = field(default_factory=lambda: frame("timexes"))
    figures: pd.DataFrame = field(default_factory=lambda: frame("figures"))
    quotes: pd.DataFrame = field(default_factory=lambda: frame("quotes"))
    events: pd.DataFrame = field(default_factory=lambda: frame("events"))
    framing: pd.DataFrame = field(default_factory=lambda: frame("framing"))
    stories: pd.DataFrame = field(default_factory=lambda: frame("stories"))

    def __iter__(self) -> Iterator[tuple[str, pd.DataFrame]]:
        for name in TABLE_NAMES:
            yield name, getattr(self, name)

    def write(self, directory: str | Path, *, format: str = "parquet") -> list[Path]:
        """Write every table as ``DIR/<table>.parquet`` (or ``.csv``); returns the paths."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, df in self:
            df = conform(name, df)
            path = directory / f"{name}.{format}"
            if format == "parquet":
                write_parquet(df, path)
            elif format == "csv":
                out = df.copy()
                if name == "events":
                    out["actors"] = out["actors"].map(lambda xs: "|".join(xs))
                out.to_csv(path, index=False)
            else:
                raise ValueError(f"unknown format {format!r} (parquet or csv)")
            paths.append(path)
        return paths

    @classmethod
    def read(cls, directory: str | Path) -> "Tables":
        """Read tables written by :meth:`write` or ``idlibnb extract`` (parquet files, parquet
        dataset folders, or CSV)."""
        directory = Path(directory)
        found = {}
        for name in TABLE_NAMES:
            pq, csv_ = directory / f"{name}.parquet", directory / f"{name}.csv"
            if pq.exists():
                df = pd.read_parquet(pq)
            elif csv_.exists():
                df = pd.read_csv(csv_, dtype=str, keep_default_na=False, na_values=[""])
                if name == "events" and "actors" in df:
                    df["actors"] = df["actors"].map(lambda s: s.split("|") if isinstance(s, str) and s else [])
            else:
                continue
            found[name] = conform(name, df)
        if "articles" not in found:
            raise FileNotFoundError(f"{directory}: no articles table (articles.parquet or articles.csv)")
        return cls(**found)

    def filter(self, *, date_from: str | None = None, date_to: str | None = None,
               outlets: list[str] | None = None) -> "Tables":
        """The tables restricted to articles published in ``[date_from, date_to]`` (ISO strings,
        compared at the article's own precision; undated articles are kept only with no date
        filter) and, with ``outlets``, to those outlets (Arabic or English names)."""
        arts = self.articles
        keep = pd.Series(True, index=arts.index)
        if date_from or date_to:
            pub = arts["published"].fillna("")
            keep &= pub != ""
            if date_from:
                keep &= pub >= str(date_from)[: 10]
            if date_to:
                keep &= pub.str.slice(0, len(str(date_to))) <= str(date_to)
        if outlets:
            wanted = {o.lower() for o in outlets}
            keep &= arts["outlet"].fillna("").str.lower().isin(wanted) | \
                arts["outlet_en"].fillna("").str.lower().isin(wanted)
        docs = set(arts.loc[keep, "doc_id"])
        out = Tables(manifest=self.manifest, articles=arts[keep].reset_index(drop=True))
        for name in ("entities", "timexes", "figures", "quotes", "events", "framing", "stories"):
            df = getattr(self, name)
            setattr(out, name, df[df["doc_id"].isin(docs)].reset_index(drop=True))
        ids = set(out.entities["entity_id"].dropna())
        out.places = self.places[self.places["entity_id"].isin(ids)].reset_index(drop=True)
        return out

    def summary(self) -> dict[str, int]:
        """Row counts of every table."""
        return {name: len(df) for name, df in self}
