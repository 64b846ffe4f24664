"""Summaries of the ``framing`` table for notebooks: counts by target × frame × voice per article or
outlet, the regime index with its count (so small numbers show as small), keywords in context.
Pure functions of :class:`~idlibnb.tables.Tables`; HTML and Markdown come back as strings that
Jupyter renders (:class:`Html`, :class:`Markdown`), with every piece of article text escaped."""
from __future__ import annotations

import html
import math

import pandas as pd

__all__ = ["framing_summary", "regime_index", "kwic", "kwic_html", "framing_note", "Html",
           "Markdown", "UNKNOWN_OUTLET"]

class Html(str):
    """A string of HTML that Jupyter displays as HTML."""

    def _repr_html_(self) -> str:
        return str(self)


class Markdown(str):
    """A string of Markdown that Jupyter displays as Markdown."""

    def _repr_markdown_(self) -> str:
        return str(self)


#: the label of articles whose outlet is not known
UNKNOWN_OUTLET = "(unknown outlet)"
_Z = 1.96  # 95% Wilson interval


def _with_outlet(tables) -> pd.DataFrame:
    arts = tables.articles[["doc_id", "outlet", "outlet_en"]]
    df = tables.framing.merge(arts, on="doc_id", how="left")
    df["outlet"] = df["outlet"].fillna(UNKNOWN_OUTLET)
    return df


def _group_keys(tables, by: str) -> pd.Series:
    arts = tables.articles
    if by == "outlet":
        return arts["outlet"].fillna(UNKNOWN_OUTLET).drop_duplicates().sort_values()
    if by == "doc_id":
        return arts["doc_id"]
    raise ValueError(f"by must be 'outlet' or 'doc_id', not {by!r}")


def framing_summary(tables, by: str = "outlet") -> pd.DataFrame:
    """Counts of framing rows by ``by`` ('outlet' or 'doc_id') × target × frame × voice: a tidy
    DataFrame ``[by, target, frame, voice, n]`` (empty, with its columns, when nothing was framed)."""
    df = _with_outlet(tables)
    cols = [by, "target", "frame", "voice", "n"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    out = df.groupby([by, "target", "frame", "voice"], dropna=False).size().rename("n").reset_index()
    return out[cols].sort_values(cols[:-1], kind="mergesort").reset_index(drop=True)


def _wilson(k: int, n: int) -> tuple[float, float]:
    if not n:
        return math.nan, math.nan
    p = k / n
    d = 1 + _Z ** 2 / n
    c = (p + _Z ** 2 / (2 * n)) / d
    h = _Z * math.sqrt(p * (1 - p) / n + _Z ** 2 / (4 * n * n)) / d
    return max(0.0, c - h), min(1.0, c + h)


def regime_index(tables, by: str = "outlet", voice: str = "narrator") -> pd.DataFrame:
    """Share of 'regime' among the government references in ``voice`` per ``by`` ('outlet' or
    'doc_id'): columns ``[by, n, regime, state, index, low, high]`` where ``n`` is the number of
    references the share rests on and ``low``–``high`` its 95% Wilson interval. Every article or
    outlet of the tables gets a row; with ``n == 0`` the index is NaN (nothing to say)."""
    keys = _group_keys(tables, by)
    df = _with_outlet(tables)
    gov = df[(df["target"] == "government") & (df["voice"] == voice) & df["frame"].isin(["regime", "state"])]
    counts = gov.groupby([by, "frame"]).size().unstack(fill_value=0) if len(gov) else pd.DataFrame()
    rows = []
    for k in keys:
        r = int(counts.at[k, "regime"]) if "regime" in counts and k in counts.index else 0
        s = int(counts.at[k, "state"]) if "state" in counts and k in counts.index else 0
        n = r + s
        lo, hi = _wilson(r, n)
        rows.append({by: k, "n": n, "regime": r, "state": s,
                     "index": r / n if n else math.nan, "low": lo, "high": hi})
    return pd.DataFrame(rows, columns=[by, "n", "regime", "state", "index", "low", "high"])


def kwic(tables, *, width: int = 40, frame: str | None = None, target: str | None = None,
         per_term: int | None = 3) -> pd.DataFrame:
    """Keywords in context: every framing row (or ``per_term`` per surface form) with the
    ``width`` characters of its field on each side. Columns: doc_id, outlet, field, left, surface,
    right, target, frame, voice."""
    cols = ["doc_id", "outlet", "field", "left", "surface", "right", "target", "frame", "voice"]
    df = _with_outlet(tables)
    if frame:
        df = df[df["frame"] == frame]
    if target:
        df = df[df["target"] == target]
    if df.empty:
        return pd.DataFrame(columns=cols)
    if per_term:
        df = df.groupby(["frame", "surface"], sort=True).head(per_term)
    texts = tables.articles.set_index("doc_id")[["title", "text"]]
    rows = []
    for r in df.itertuples():
        s = texts.at[r.doc_id, r.field] if r.doc_id in texts.index else ""
        s = s if isinstance(s, str) else ""
        left = s[max(0, r.start - width):r.start].replace("\n", " ")
        right = s[r.end:r.end + width].replace("\n", " ")
        rows.append((r.doc_id, r.outlet, r.field, left, r.surface, right, r.target, r.frame, r.voice))
    return pd.DataFrame(rows, columns=cols)


def kwic_html(rows, **kwargs) -> Html:
    """An escaped, right-to-left HTML table of :func:`kwic` rows (the term in bold); ``rows`` is a
    :func:`kwic` DataFrame or the tables themselves (``kwargs`` then go to :func:`kwic`)."""
    df = rows if isinstance(rows, pd.DataFrame) else kwic(rows, **kwargs)
    if df.empty:
        return Html("<p>No framing terms to show.</p>")
    e = html.escape
    body = "".join(
        f"<tr><td>{e(str(r.outlet))}</td><td>{e(r.frame)}</td><td>{e(r.voice)}</td>"
        f"<td dir='rtl' style='text-align:right'>…{e(r.left)}<b>{e(r.surface)}</b>{e(r.right)}…</td></tr>"
        for r in df.itertuples())
    return Html("<table><thead><tr><th>outlet</th><th>frame</th><th>voice</th><th>in context</th></tr>"
                f"</thead><tbody>{body}</tbody></table>")


def framing_note(tables) -> Markdown:
    """A sentence saying what the framing tables rest on (and when there is nothing to show)."""
    n_docs, fr = len(tables.articles), tables.framing
    if not n_docs:
        return Markdown("**No articles** in this selection: there is nothing to frame.")
    if fr.empty:
        return Markdown(f"**No framing terms** in these {n_docs} article(s): none names the sides "
                        "in the words of the framing lexicon.")
    gov = fr[(fr["target"] == "government") & (fr["voice"] == "narrator") & fr["frame"].isin(["regime", "state"])]
    with_gov = gov["doc_id"].nunique()
    text = (f"{len(fr)} framing term(s) in {fr['doc_id'].nunique()} of {n_docs} article(s); "
            f"{len(gov)} narrator reference(s) to the Syrian government in {with_gov} article(s).")
    if not with_gov:
        text += " **No article refers to the government in its own voice**, so there is no regime index."
    elif n_docs < 2:
        text += " A single article: comparisons between outlets need more."
    return Markdown(text)
