"""Figures and quotes for the notebook: every figure with its source, period, place and whether its
parts add up; killed/displaced claims over time and by source; claims that disagree for overlapping
periods, side by side; who is quoted in which outlet, how often, and what they said."""
from __future__ import annotations

import pandas as pd
from matplotlib.ticker import MaxNLocator

from . import pick_label

__all__ = ["figures_table", "claims_over_time", "claims_by_source", "conflicting_claims",
           "quotes_per_speaker", "speakers_by_outlet", "speakers_by_outlet_plot", "quotes_table"]

_CLAIMS = ("killed", "displaced")


def _names(tables, label_language: str = "ar") -> dict[str, str]:
    """entity_id -> display name (canonical Arabic, English or transliteration)."""
    ents = tables.entities
    if ents is None or ents.empty:
        return {}
    first = ents.dropna(subset=["entity_id"]).drop_duplicates("entity_id")
    return {i: pick_label(_s(c) or _s(s), _s(e), language=label_language)
            for i, c, s, e in zip(first["entity_id"], first["canonical"], first["surface"], first["name_en"])}


def _place_names(tables, label_language: str = "ar") -> dict[str, str]:
    names = _names(tables, label_language)
    places = tables.places
    if places is not None and not places.empty:
        for i, n, e in zip(places["entity_id"], places["name"], places["name_en"]):
            names[i] = pick_label(_s(n), _s(e), language=label_language)
    return names


def _s(v) -> str | None:
    return v if isinstance(v, str) and v else None


def _with_articles(df: pd.DataFrame, tables) -> pd.DataFrame:
    arts = tables.articles[["doc_id", "outlet", "outlet_en", "published"]]
    return df.merge(arts, on="doc_id", how="left")


def _status(row, ids: set) -> str:
    if row["consistent"] is True:
        return "parts add up"
    if row["consistent"] is False:
        return "parts do not add up"
    if isinstance(row["part_of"], str) and row["part_of"] in ids:
        return "part"
    return ""


def figures_table(tables, *, label_language: str = "ar") -> pd.DataFrame:
    """Every figure: value, what it counts, source, period, place, status (parts add up or not),
    the article's outlet and date. Parts follow their total."""
    figs = tables.figures
    cols = ["doc_id", "outlet", "published", "surface", "value", "quantity", "unit", "qualifier",
            "source", "period_start", "period_end", "place", "status", "part_of", "figure_id"]
    if figs is None or figs.empty:
        return pd.DataFrame(columns=cols)
    names = _place_names(tables, label_language)
    df = _with_articles(figs.copy(), tables)
    ids = set(df["figure_id"])
    df["status"] = [_status(r, ids) for r in df[["consistent", "part_of"]].to_dict("records")]
    df["source"] = [names.get(s, s) if isinstance(s, str) else None for s in df["source"]]
    df["place"] = [names.get(p, p) if isinstance(p, str) else None for p in df["place"]]
    if label_language != "ar":
        df["outlet"] = [pick_label(_s(o), _s(e), language=label_language) for o, e in
                        zip(df["outlet"], df["outlet_en"])]
    return df[cols].sort_values(["published", "doc_id", "figure_id"], na_position="last") \
        .reset_index(drop=True)


def _claims(tables, label_language: str) -> pd.DataFrame:
    """Top-level killed/displaced figures (not parts) with a date: the period's end, else the article's."""
    figs = tables.figures
    if figs is None or figs.empty:
        return pd.DataFrame()
    df = figs[figs["quantity"].isin(_CLAIMS) & figs["part_of"].isna()]
    if df.empty:
        return pd.DataFrame()
    df = _with_articles(df.copy(), tables)
    df["date"] = df["period_end"].fillna(df["published"])
    df["outlet"] = [pick_label(_s(o), _s(e), language=label_language) or None
                    for o, e in zip(df["outlet"], df["outlet_en"])]
    names = _names(tables, label_language)
    unknown = pick_label("غير منسوب", "unattributed", language=label_language)
    df["source_name"] = [names.get(s, s) if isinstance(s, str) else unknown for s in df["source"]]
    return df


def claims_over_time(tables, *, label_language: str = "ar"):
    """Killed and displaced claims (totals, not parts) over time, one colour per source."""
    import matplotlib.pyplot as plt

    from .corpus import empty_figure

    df = _claims(tables, label_language)
    df = df[df["date"].notna()] if not df.empty else df
    if df.empty:
        return empty_figure(pick_label("لا توجد أرقام مؤرخة للقتلى أو النازحين",
                                       "No dated killed/displaced figures", language=label_language))
    df = df.assign(when=pd.to_datetime(df["date"].astype(str).str.slice(0, 10), errors="coerce"))
    df = df[df["when"].notna()]
    if df.empty:
        return empty_figure(pick_label("لا توجد أرقام مؤرخة", "No dated figures", language=label_language))
    quantities = [q for q in _CLAIMS if (df["quantity"] == q).any()]
    fig, axes = plt.subplots(len(quantities), 1, figsize=(8, 3.2 * len(quantities)), squeeze=False)
    for ax, q in zip(axes[:, 0], quantities):
        sub = df[df["quantity"] == q]
        for source, grp in sub.groupby("source_name"):
            ax.scatter(grp["when"], grp["value"], label=source, s=30)
        ax.set_yscale("log")
        pad = pd.Timedelta(days=20)  # one date alone would otherwise span years
        ax.set_xlim(sub["when"].min() - pad, sub["when"].max() + pad)
        ax.set_title(pick_label({"killed": "القتلى", "displaced": "النازحون"}[q], q, language=label_language))
        ax.legend(fontsize=8, loc="best")
        ax.tick_params(axis="x", rotation=30)
    fig.tight_layout()
    return fig


def claims_by_source(tables, *, label_language: str = "ar"):
    """How many killed/displaced claims each source makes (totals only)."""
    import matplotlib.pyplot as plt

    from .corpus import empty_figure

    df = _claims(tables, label_language)
    if df.empty:
        return empty_figure(pick_label("لا توجد أرقام للقتلى أو النازحين", "No killed/displaced figures",
                                       language=label_language))
    counts = df.groupby(["source_name", "quantity"]).size().unstack(fill_value=0)
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(counts) + 1.5))
    counts.plot.barh(ax=ax, stacked=True)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(pick_label("عدد الأرقام", "figures", language=label_language))
    ax.set_ylabel("")
    ax.set_title(pick_label("أرقام القتلى والنازحين حسب المصدر", "Killed/displaced claims by source",
                            language=label_language))
    fig.tight_layout()
    return fig


def _overlap(a0, a1, b0, b1) -> bool:
    """Do two ISO periods overlap? Dates of any precision compare as strings ('2019-05' starts
    before '2019-05-13' and ends after it: its end is '2019-05~'); a missing end is open."""
    if not (isinstance(a0, str) and isinstance(b0, str)):
        return False
    a_end = (a1 if isinstance(a1, str) else "9999") + "~"
    b_end = (b1 if isinstance(b1, str) else "9999") + "~"
    return a0 <= b_end and b0 <= a_end


def conflicting_claims(tables, *, label_language: str = "ar") -> pd.DataFrame:
    """Two sources (or two outlets) giving different numbers of the same quantity and unit for
    overlapping periods, side by side. Only totals with a period are compared."""
    cols = ["quantity", "unit", "value_a", "source_a", "outlet_a", "period_a", "value_b", "source_b",
            "outlet_b", "period_b", "doc_a", "doc_b"]
    df = _claims(tables, label_language)
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = df[df["period_start"].notna()]
    rows = []
    for (q, u), grp in df.groupby(["quantity", "unit"]):
        recs = grp.to_dict("records")
        for i, a in enumerate(recs):
            for b in recs[i + 1:]:
                if a["value"] == b["value"]:
                    continue
                if (a["source_name"], a["outlet"]) == (b["source_name"], b["outlet"]) and a["doc_id"] == b["doc_id"]:
                    continue
                if not _overlap(a["period_start"], a["period_end"], b["period_start"], b["period_end"]):
                    continue
                rows.append({
                    "quantity": q, "unit": u, "value_a": a["value"], "source_a": a["source_name"],
                    "outlet_a": a["outlet"], "period_a": f"{a['period_start']} – {a['period_end'] or '…'}",
                    "value_b": b["value"], "source_b": b["source_name"], "outlet_b": b["outlet"],
                    "period_b": f"{b['period_start']} – {b['period_end'] or '…'}",
                    "doc_a": a["doc_id"], "doc_b": b["doc_id"]})
    return pd.DataFrame(rows, columns=cols)


def _speaker_names(tables, label_language: str) -> pd.DataFrame:
    q = tables.quotes
    if q is None or q.empty:
        return pd.DataFrame()
    names = _names(tables, label_language)
    q = _with_articles(q.copy(), tables)
    q["who"] = [names.get(i) if isinstance(i, str) and i in names
                else pick_label(_s(s) or "?", None, language=label_language)
                for i, s in zip(q["speaker_id"], q["speaker"])]
    unknown = pick_label("غير معروف", "unknown", language=label_language)
    q["outlet_name"] = [pick_label(_s(o), _s(e), language=label_language) or unknown
                        for o, e in zip(q["outlet"], q["outlet_en"])]
    return q


def quotes_per_speaker(tables, *, label_language: str = "ar") -> pd.DataFrame:
    """One row per speaker (entity when known, else the words used): how many quotes, direct and
    indirect, in how many articles and which outlets, and the opening of one quote."""
    cols = ["speaker", "speaker_id", "quotes", "direct", "indirect", "articles", "outlets", "example"]
    q = _speaker_names(tables, label_language)
    if q.empty:
        return pd.DataFrame(columns=cols)
    g = q.groupby("who", sort=False)
    out = pd.DataFrame({
        "speaker": list(g.groups),
        "speaker_id": g["speaker_id"].first().values,
        "quotes": g.size().values,
        "direct": g["kind"].apply(lambda k: int((k == "direct").sum())).values,
        "indirect": g["kind"].apply(lambda k: int((k == "indirect").sum())).values,
        "articles": g["doc_id"].nunique().values,
        "outlets": g["outlet_name"].apply(lambda o: "، ".join(sorted(set(o)))).values,
        "example": g["content"].first().str.slice(0, 120).values,
    })
    return out.sort_values(["quotes", "speaker"], ascending=[False, True]).reset_index(drop=True)


def speakers_by_outlet(tables, *, label_language: str = "ar", top: int = 20) -> pd.DataFrame:
    """Quotes per speaker (rows, the ``top`` most quoted) and outlet (columns)."""
    q = _speaker_names(tables, label_language)
    if q.empty:
        return pd.DataFrame()
    keep = q["who"].value_counts().index[:top]
    return pd.crosstab(q.loc[q["who"].isin(keep), "who"], q.loc[q["who"].isin(keep), "outlet_name"]) \
        .loc[lambda t: t.sum(axis=1).sort_values(ascending=False).index]


def speakers_by_outlet_plot(tables, *, label_language: str = "ar", top: int = 15):
    """Who is quoted in which outlet: a heat map of quote counts."""
    import matplotlib.pyplot as plt

    from .corpus import empty_figure

    t = speakers_by_outlet(tables, label_language=label_language, top=top)
    if t.empty:
        return empty_figure(pick_label("لا توجد اقتباسات", "No quotes", language=label_language))
    fig, ax = plt.subplots(figsize=(1.2 * len(t.columns) + 4, 0.4 * len(t) + 1.5))
    im = ax.imshow(t.values, cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(t.columns)), list(t.columns), rotation=30, ha="right")
    ax.set_yticks(range(len(t.index)), list(t.index))
    for i in range(t.shape[0]):
        for j in range(t.shape[1]):
            if t.values[i, j]:
                ax.text(j, i, int(t.values[i, j]), ha="center", va="center", fontsize=8)
    fig.colorbar(im, ax=ax, fraction=0.03)
    ax.set_title(pick_label("من يُقتبس في أي وسيلة", "Who is quoted where", language=label_language))
    fig.tight_layout()
    return fig


def quotes_table(tables, *, label_language: str = "ar") -> pd.DataFrame:
    """Every quote with its speaker, cue, kind, outlet and date, by speaker."""
    cols = ["who", "cue", "kind", "content", "outlet_name", "published", "doc_id", "field", "start"]
    q = _speaker_names(tables, label_language)
    if q.empty:
        return pd.DataFrame(columns=cols)
    return q[cols].rename(columns={"who": "speaker", "outlet_name": "outlet"}) \
        .sort_values(["speaker", "published", "doc_id", "start"], na_position="last").reset_index(drop=True)
