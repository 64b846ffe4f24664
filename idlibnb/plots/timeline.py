"""Time and events for the timeline notebook: events on a timeline (date × type, coloured by outlet),
the chain of agreements, ceasefires and joint patrols as the corpus tells it, articles per week, and a
table of every dated event with its evidence.

Dates stay ISO strings at their own precision in the tables; for plotting only, a month is drawn at its
15th, a year at 1 July and a week at its Thursday."""
from __future__ import annotations

from datetime import date

import pandas as pd

from . import pick_label

__all__ = ["EVENT_LABELS", "plot_date", "events_table", "event_timeline", "agreement_chain",
           "agreement_chain_plot", "articles_per_week"]

#: event_type -> (Arabic, English) label
EVENT_LABELS = {
    "meeting": ("اجتماع", "meeting"), "call": ("اتصال هاتفي", "call"), "agreement": ("اتفاق", "agreement"),
    "ceasefire": ("وقف إطلاق النار", "ceasefire"), "patrol": ("دورية مشتركة", "joint patrol"),
    "attack": ("هجوم", "attack"), "reinforcement": ("تعزيزات", "reinforcement"),
    "protest": ("احتجاج", "protest"), "displacement": ("نزوح", "displacement"),
}
_CHAIN = ("agreement", "ceasefire", "patrol")


def plot_date(value) -> pd.Timestamp | None:
    """A point in time for an ISO date at any precision ('YYYY-MM-DD', 'YYYY-Www', 'YYYY-MM',
    'YYYY'); None when it cannot be read."""
    if not isinstance(value, str) or not value:
        return None
    try:
        if "-W" in value:
            y, w = value.split("-W")
            return pd.Timestamp(date.fromisocalendar(int(y), int(w), 4))
        parts = value[:10].split("-")
        if len(parts) == 3:
            return pd.Timestamp(date(int(parts[0]), int(parts[1]), int(parts[2])))
        if len(parts) == 2:
            return pd.Timestamp(date(int(parts[0]), int(parts[1]), 15))
        return pd.Timestamp(date(int(parts[0]), 7, 1))
    except (ValueError, TypeError):
        return None


def _s(v) -> str | None:
    return v if isinstance(v, str) and v else None


def _ids(xs) -> list:
    """Actor ids of one event row: a list (Parquet), a '|'-joined string (CSV) or nothing."""
    if isinstance(xs, str):
        return [x for x in xs.split("|") if x]
    try:
        return [x for x in xs if isinstance(x, str)] if xs is not None else []
    except TypeError:
        return []


def _type_label(t: str, language: str) -> str:
    ar, en = EVENT_LABELS.get(t, (t, t))
    return pick_label(ar, en, language=language)


def _names(tables, language: str) -> dict[str, str]:
    """entity_id -> display name, places first from the places table."""
    names: dict[str, str] = {}
    ents = tables.entities
    if ents is not None and not ents.empty:
        first = ents.dropna(subset=["entity_id"]).drop_duplicates("entity_id")
        for i, c, s, e in zip(first["entity_id"], first["canonical"], first["surface"], first["name_en"]):
            names[i] = pick_label(_s(c) or _s(s), _s(e), language=language)
    places = tables.places
    if places is not None and not places.empty:
        for i, n, e in zip(places["entity_id"], places["name"], places["name_en"]):
            names[i] = pick_label(_s(n), _s(e), language=language)
    return names


def _events(tables, language: str) -> pd.DataFrame:
    ev = tables.events
    if ev is None or ev.empty:
        return pd.DataFrame()
    arts = tables.articles[["doc_id", "outlet", "outlet_en", "published", "title"]]
    df = ev.merge(arts, on="doc_id", how="left")
    names = _names(tables, language)
    df["outlet_name"] = [pick_label(_s(o), _s(e), language=language) or
                         pick_label("مصدر غير معروف", "unknown outlet", language=language)
                         for o, e in zip(df["outlet"], df["outlet_en"])]
    df["type"] = [_type_label(t, language) for t in df["event_type"]]
    df["place_name"] = [names.get(p, p) if isinstance(p, str) else None for p in df["place"]]
    df["actor_names"] = [", ".join(names.get(a, a) for a in _ids(xs)) for xs in df["actors"]]
    df["when"] = [plot_date(d) for d in df["date"]]
    return df


def events_table(tables, *, label_language: str = "ar") -> pd.DataFrame:
    """Every dated event, earliest first: date and precision, type, CAMEO and ACLED codes, place,
    actors, outlet, article and the sentence it rests on."""
    cols = ["date", "date_precision", "type", "cameo_code", "acled_event_type", "acled_sub_event_type",
            "place_name", "actor_names", "outlet_name", "published", "doc_id", "evidence"]
    df = _events(tables, label_language)
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = df[df["date"].notna()]
    return df.sort_values(["date", "event_type", "doc_id"], kind="mergesort")[cols].reset_index(drop=True)


def event_timeline(tables, *, label_language: str = "ar"):
    """Dated events on a timeline: date × event type, one colour per outlet."""
    import matplotlib.pyplot as plt

    from .corpus import empty_figure

    df = _events(tables, label_language)
    df = df[df["when"].notna()] if not df.empty else df
    if df.empty:
        return empty_figure(pick_label("لا توجد أحداث مؤرخة", "No dated events", language=label_language))
    order = [t for t in EVENT_LABELS if (df["event_type"] == t).any()]
    y = {t: i for i, t in enumerate(order)}
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(order) + 2))
    outlets = sorted(df["outlet_name"].unique())
    for k, outlet in enumerate(outlets):
        grp = df[df["outlet_name"] == outlet]
        # a small vertical offset per outlet keeps one day's reports by several outlets apart
        off = (k - (len(outlets) - 1) / 2) * 0.12
        ax.scatter(grp["when"], [y[t] + off for t in grp["event_type"]], label=outlet, s=40, alpha=0.8)
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels([_type_label(t, label_language) for t in order])
    ax.set_ylim(-0.7, len(order) - 0.3)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.set_title(pick_label("الأحداث عبر الزمن", "Events over time", language=label_language))
    ax.tick_params(axis="x", rotation=30)
    fig.tight_layout()
    return fig


def agreement_chain(tables, *, label_language: str = "ar") -> pd.DataFrame:
    """Agreements, ceasefires and joint patrols as the corpus tells them: one row per (type, date,
    place), earliest first, with how many articles and outlets report it and one sentence saying so."""
    cols = ["date", "type", "place_name", "actor_names", "n_articles", "outlets", "evidence"]
    df = _events(tables, label_language)
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = df[df["event_type"].isin(_CHAIN) & df["date"].notna()]
    if df.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for (d, t, p), grp in df.groupby(["date", "event_type", df["place_name"].fillna("")], sort=True):
        actors = sorted({a for s in grp["actor_names"] for a in s.split(", ") if a})
        rows.append({"date": d, "type": _type_label(t, label_language), "place_name": p or None,
                     "actor_names": ", ".join(actors), "n_articles": grp["doc_id"].nunique(),
                     "outlets": ", ".join(sorted(grp["outlet_name"].unique())),
                     "evidence": grp["evidence"].iloc[0]})
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["date", "type"], kind="mergesort").reset_index(drop=True)


def agreement_chain_plot(tables, *, label_language: str = "ar"):
    """The chain of agreements, ceasefires and patrols on one time axis, labelled by place."""
    import matplotlib.pyplot as plt

    from .corpus import empty_figure

    chain = agreement_chain(tables, label_language=label_language)
    if chain.empty:
        return empty_figure(pick_label("لا توجد اتفاقات أو هدن مؤرخة", "No dated agreements or ceasefires",
                                       language=label_language))
    chain = chain.assign(when=[plot_date(d) for d in chain["date"]])
    chain = chain[chain["when"].notna()]
    if chain.empty:
        return empty_figure(pick_label("لا توجد تواريخ", "No dates", language=label_language))
    types = list(dict.fromkeys(chain["type"]))
    fig, ax = plt.subplots(figsize=(10, 1.2 * len(types) + 1.5))
    for i, t in enumerate(types):
        grp = chain[chain["type"] == t]
        ax.scatter(grp["when"], [i] * len(grp), s=30 + 30 * grp["n_articles"], label=t, zorder=3)
        for k, (w, place, d) in enumerate(zip(grp["when"], grp["place_name"], grp["date"])):
            # alternate above/below so labels of close dates do not sit on each other
            ax.annotate(f"{place or ''} {d}".strip(), (w, i), textcoords="offset points",
                        xytext=(0, 10 if k % 2 == 0 else -16), ha="center", fontsize=7)
    ax.plot(chain.sort_values("when")["when"], [types.index(t) for t in chain.sort_values("when")["type"]],
            color="grey", alpha=0.3, zorder=1)
    ax.set_yticks(range(len(types)))
    ax.set_yticklabels(types)
    ax.set_ylim(-0.6, len(types) - 0.2)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(pick_label("سلسلة الاتفاقات والهدن والدوريات", "Agreements, ceasefires and patrols",
                            language=label_language))
    ax.tick_params(axis="x", rotation=30)
    fig.tight_layout()
    return fig


def articles_per_week(tables, *, label_language: str = "ar"):
    """Articles per ISO week of publication (articles dated to the day; the rest are counted in the
    title), stacked by outlet."""
    import matplotlib.pyplot as plt

    from .corpus import empty_figure

    arts = tables.articles
    if arts is None or arts.empty:
        return empty_figure(pick_label("لا توجد مقالات", "No articles", language=label_language))
    pub = arts["published"].astype("string").fillna("")
    day = pub.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).astype(bool)
    df = arts[day].copy()
    if df.empty:
        return empty_figure(pick_label("لا توجد مقالات مؤرخة باليوم", "No articles dated to the day",
                                       language=label_language))
    df["week"] = [date.fromisoformat(p).isocalendar() for p in df["published"]]
    df["week"] = [f"{y}-W{w:02d}" for y, w, _ in df["week"]]
    df["outlet_name"] = [pick_label(_s(o), _s(e), language=label_language) or
                         pick_label("مصدر غير معروف", "unknown outlet", language=label_language)
                         for o, e in zip(df["outlet"], df["outlet_en"])]
    counts = df.groupby(["week", "outlet_name"]).size().unstack(fill_value=0).sort_index()
    # every week between the first and the last, empty ones included, so gaps show as gaps
    first, last = (date.fromisoformat(p) for p in (min(df["published"]), max(df["published"])))
    monday = first.toordinal() - first.weekday()
    weeks = []
    for o in range(monday, last.toordinal() + 1, 7):
        y, w, _ = date.fromordinal(o).isocalendar()
        weeks.append(f"{y}-W{w:02d}")
    counts = counts.reindex(weeks, fill_value=0)
    fig, ax = plt.subplots(figsize=(min(16, max(6, 0.18 * len(counts) + 3)), 3.5))
    counts.plot.bar(ax=ax, stacked=True, width=0.85)
    step = max(1, len(counts) // 24)
    ax.set_xticks(range(0, len(counts), step))
    ax.set_xticklabels(counts.index[::step], fontsize=7)
    ax.set_xlabel("")
    ax.set_ylabel(pick_label("عدد المقالات", "articles", language=label_language))
    undated = int((~day).sum())
    title = pick_label("المقالات في الأسبوع", "Articles per week", language=label_language)
    if undated:
        title += pick_label(f" (بلا تاريخ يومي: {undated})", f" ({undated} without a day date)",
                            language=label_language)
    ax.set_title(title)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    return fig
