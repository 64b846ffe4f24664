"""Actors and places: who is named, by which outlet, with whom, and where.

Every function takes the :class:`~idlibnb.tables.Tables` of a corpus and returns a DataFrame or a
matplotlib Figure (never prints). Counts are of *articles* naming an actor unless said otherwise, so
one article repeating a name twenty times does not outweigh twenty articles.
"""
from __future__ import annotations

import json
from functools import lru_cache
from itertools import combinations
from pathlib import Path

import pandas as pd

from . import pick_label
from .corpus import empty_figure

__all__ = [
    "actor_counts",
    "actor_counts_by_outlet",
    "top_actors",
    "top_actors_by_outlet",
    "comention_graph",
    "comention_network",
    "place_mentions",
    "places_map",
    "unlinked_mentions",
    "outlines",
]

_COLORS = {"PER": "#4c72b0", "ORG": "#dd8452", "LOC": "#55a868"}
_SIDE_COLORS = {
    "russia": "#c44e52", "turkey": "#dd8452", "syrian_government": "#8c1c13",
    "syrian_opposition": "#55a868", "jihadist": "#333333", "iran": "#8172b3", "us": "#4c72b0",
    "un": "#64b5cd", "kurdish": "#ccb974", "media": "#937860", "relief": "#2a9d8f",
    "monitor": "#2a9d8f", "international": "#7f7f7f", "israel": "#1f3b73",
}


def _s(v):
    return None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v)


def _label(row, language: str) -> str:
    return pick_label(_s(row.get("canonical")) or _s(row.get("surface")), _s(row.get("name_en")),
                      language=language)


def _mentions(tables, labels=("PER", "ORG", "LOC")) -> pd.DataFrame:
    ents = tables.entities
    if ents.empty:
        return ents
    return ents[ents["label"].isin(list(labels)) & ents["entity_id"].notna()]


def actor_counts(tables, *, labels=("PER", "ORG"), top: int | None = 20,
                 label_language: str = "ar") -> pd.DataFrame:
    """Actors by the number of articles naming them: entity_id, label (display name), type, side,
    cameo, articles, mentions — most named first."""
    ents = _mentions(tables, labels)
    cols = ["entity_id", "name", "type", "side", "cameo", "articles", "mentions"]
    if ents.empty:
        return pd.DataFrame(columns=cols)
    first = ents.drop_duplicates("entity_id").set_index("entity_id")
    g = ents.groupby("entity_id").agg(articles=("doc_id", "nunique"), mentions=("doc_id", "size"))
    g = g.join(first[["label", "canonical", "surface", "name_en", "side", "cameo"]])
    g["name"] = [_label(r, label_language) for _, r in g.iterrows()]
    g = g.rename(columns={"label": "type"}).reset_index()
    g = g.sort_values(["articles", "mentions", "entity_id"], ascending=[False, False, True])
    if top:
        g = g.head(top)
    return g[cols].reset_index(drop=True)


def actor_counts_by_outlet(tables, *, labels=("PER", "ORG"), top: int = 10,
                           label_language: str = "ar") -> pd.DataFrame:
    """Articles naming each of the ``top`` actors (overall), one column per outlet."""
    ents = _mentions(tables, labels)
    top_ids = actor_counts(tables, labels=labels, top=top, label_language=label_language)
    if ents.empty or top_ids.empty:
        return pd.DataFrame()
    arts = tables.articles[["doc_id", "outlet", "outlet_en"]].copy()
    arts["outlet_label"] = [
        pick_label(_s(o), _s(e), language=label_language) if (_s(o) or _s(e))
        else pick_label("غير معروف", "unknown", language=label_language)
        for o, e in zip(arts["outlet"], arts["outlet_en"])]
    m = ents[ents["entity_id"].isin(top_ids["entity_id"])][["doc_id", "entity_id"]].drop_duplicates()
    m = m.merge(arts[["doc_id", "outlet_label"]], on="doc_id", how="left")
    table = m.pivot_table(index="entity_id", columns="outlet_label", values="doc_id",
                          aggfunc="nunique", fill_value=0)
    names = dict(zip(top_ids["entity_id"], top_ids["name"]))
    table = table.reindex(top_ids["entity_id"]).fillna(0).astype(int)
    table.index = [names[i] for i in table.index]
    table.index.name = pick_label("الفاعل", "actor", language=label_language)
    table.columns.name = None
    return table


def top_actors(tables, *, labels=("PER", "ORG"), top: int = 20, label_language: str = "ar"):
    """Horizontal bars: the actors named in the most articles, coloured by type."""
    import matplotlib.pyplot as plt

    counts = actor_counts(tables, labels=labels, top=top, label_language=label_language)
    if counts.empty:
        return empty_figure(pick_label("لا يوجد فاعلون", "No actors", language=label_language))
    counts = counts.iloc[::-1]
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(counts) + 1.2))
    ax.barh(range(len(counts)), counts["articles"], color=[_COLORS.get(t, "#888") for t in counts["type"]])
    ax.set_yticks(range(len(counts)), counts["name"])
    ax.set_xlabel(pick_label("عدد المقالات", "articles", language=label_language))
    ax.set_title(pick_label("الفاعلون الأكثر ذكراً", "Most named actors", language=label_language))
    ax.xaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    return fig


def top_actors_by_outlet(tables, *, labels=("PER", "ORG"), top: int = 10,
                         label_language: str = "ar"):
    """Heat map: articles of each outlet naming each of the overall top actors."""
    import matplotlib.pyplot as plt

    table = actor_counts_by_outlet(tables, labels=labels, top=top, label_language=label_language)
    if table.empty:
        return empty_figure(pick_label("لا يوجد فاعلون", "No actors", language=label_language))
    fig, ax = plt.subplots(figsize=(1.1 * len(table.columns) + 3, 0.4 * len(table) + 1.5))
    im = ax.imshow(table.values, cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(table.columns)), table.columns, rotation=30, ha="right")
    ax.set_yticks(range(len(table.index)), table.index)
    for (r, c), v in pd.DataFrame(table.values).stack().items():
        ax.text(c, r, str(v), ha="center", va="center",
                color="white" if v > table.values.max() / 2 else "black", fontsize=8)
    fig.colorbar(im, ax=ax, label=pick_label("مقالات", "articles", language=label_language))
    ax.set_title(pick_label("الفاعلون حسب الوسيلة الإعلامية", "Actors by outlet",
                            language=label_language))
    fig.tight_layout()
    return fig


def comention_graph(tables, *, labels=("PER", "ORG", "LOC"), top: int = 30, min_weight: int = 1,
                    label_language: str = "ar"):
    """A networkx Graph of the ``top`` entities (by articles): an edge joins two entities named in
    the same article, weighted by the number of such articles. Nodes carry name, type, side,
    articles."""
    import networkx as nx

    counts = actor_counts(tables, labels=labels, top=top, label_language=label_language)
    g = nx.Graph()
    for r in counts.itertuples():
        g.add_node(r.entity_id, name=r.name, type=r.type, side=_s(r.side), articles=int(r.articles))
    if counts.empty:
        return g
    ents = _mentions(tables, labels)
    keep = set(counts["entity_id"])
    per_doc = ents[ents["entity_id"].isin(keep)].groupby("doc_id")["entity_id"].agg(
        lambda s: sorted(set(s)))
    for ids in per_doc:
        for a, b in combinations(ids, 2):
            w = g.edges[a, b]["weight"] + 1 if g.has_edge(a, b) else 1
            g.add_edge(a, b, weight=w)
    drop = [(a, b) for a, b, w in g.edges(data="weight") if w < min_weight]
    g.remove_edges_from(drop)
    return g


def comention_network(tables, *, labels=("PER", "ORG", "LOC"), top: int = 30,
                      min_weight: int = 1, label_language: str = "ar", seed: int = 0):
    """Who is named with whom: the co-mention graph drawn with matplotlib (node size = articles,
    edge width = articles naming both, colour = side, or type when the side is unknown)."""
    import matplotlib.pyplot as plt
    import networkx as nx

    g = comention_graph(tables, labels=labels, top=top, min_weight=min_weight,
                        label_language=label_language)
    if g.number_of_nodes() == 0:
        return empty_figure(pick_label("لا يوجد فاعلون", "No actors", language=label_language))
    pos = nx.spring_layout(g, seed=seed, weight="weight", k=1.5 / max(1, g.number_of_nodes()) ** 0.5)
    fig, ax = plt.subplots(figsize=(10, 8))
    widths = [0.5 + 2.5 * w / max(1, max((w for *_, w in g.edges(data="weight")), default=1))
              for *_, w in g.edges(data="weight")]
    nx.draw_networkx_edges(g, pos, ax=ax, width=widths, alpha=0.35, edge_color="#555")
    nodes = list(g.nodes)
    sizes = [120 + 80 * g.nodes[n]["articles"] for n in nodes]
    colors = [_SIDE_COLORS.get(g.nodes[n]["side"], _COLORS.get(g.nodes[n]["type"], "#888"))
              for n in nodes]
    nx.draw_networkx_nodes(g, pos, nodelist=nodes, node_size=sizes, node_color=colors, alpha=0.85,
                           ax=ax)
    for n in nodes:
        x, y = pos[n]
        ax.text(x, y + 0.04, g.nodes[n]["name"], ha="center", va="bottom", fontsize=9)
    ax.set_title(pick_label("من يُذكر مع من", "Who is named with whom", language=label_language))
    ax.axis("off")
    fig.tight_layout()
    return fig


def place_mentions(tables, *, label_language: str = "ar") -> pd.DataFrame:
    """Places named in the corpus with their coordinates: entity_id, name, kind, lat, lon, admin1,
    precision, articles, mentions (places the gazetteer lacks have no coordinates)."""
    ents = _mentions(tables, ("LOC",))
    cols = ["entity_id", "name", "kind", "lat", "lon", "admin1", "precision", "articles", "mentions"]
    if ents.empty:
        return pd.DataFrame(columns=cols)
    g = ents.groupby("entity_id").agg(articles=("doc_id", "nunique"), mentions=("doc_id", "size"),
                                      canonical=("canonical", "first"), surface=("surface", "first"),
                                      name_en=("name_en", "first")).reset_index()
    places = tables.places if getattr(tables, "places", None) is not None else pd.DataFrame()
    if not places.empty:
        g = g.merge(places[["entity_id", "kind", "lat", "lon", "admin1", "precision"]],
                    on="entity_id", how="left")
    else:
        for c in ("kind", "lat", "lon", "admin1", "precision"):
            g[c] = None
    g["name"] = [_label(r, label_language) for _, r in g.iterrows()]
    g = g.sort_values(["articles", "mentions", "entity_id"], ascending=[False, False, True])
    return g[cols].reset_index(drop=True)


@lru_cache(maxsize=1)
def outlines() -> dict[str, list[list[tuple[float, float]]]]:
    """Country outlines shipped in ``idlibnb/data/geo`` (ODbL, see NOTICE-geo.md): ISO3 -> rings."""
    from ..lexicon import data_path

    out: dict[str, list] = {}
    for path in sorted(Path(data_path("geo")).glob("*.geo.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        rings = []
        for feat in data.get("features", []):
            geom = feat.get("geometry") or {}
            polys = geom.get("coordinates", [])
            if geom.get("type") == "Polygon":
                polys = [polys]
            for poly in polys:
                if poly:
                    rings.append([tuple(p[:2]) for p in poly[0]])
        out[path.name.split(".")[0].upper()] = rings
    return out


#: the map's default frame: north-west Syria and its neighbours (lon_min, lon_max, lat_min, lat_max)
NW_SYRIA = (35.3, 38.6, 34.6, 37.0)
SYRIA = (34.8, 42.6, 32.2, 37.6)


def places_map(tables, *, extent: tuple[float, float, float, float] | None = None,
               label_language: str = "ar", label_top: int = 25):
    """Places named in the corpus on the country outlines, each a circle sized by the articles
    naming it (hollow for approximate coordinates; roads and regions as squares). ``extent`` is
    (lon_min, lon_max, lat_min, lat_max); by default the frame holds Syria's named places, and places
    outside it (Moscow, Ankara …) are listed under the map."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Polygon

    pm = place_mentions(tables, label_language=label_language)
    pm = pm[pm["lat"].notna() & pm["lon"].notna()] if not pm.empty else pm
    if pm.empty:
        return empty_figure(pick_label("لا توجد أماكن بإحداثيات", "No located places",
                                       language=label_language))
    if extent is None:
        inside = pm[(pm["lon"].between(SYRIA[0], SYRIA[1])) & (pm["lat"].between(SYRIA[2], SYRIA[3]))
                    & (pm["kind"] != "country")]
        if inside.empty:
            extent = SYRIA
        else:
            pad = 0.35
            extent = (min(inside["lon"].min() - pad, NW_SYRIA[0]), max(inside["lon"].max() + pad, NW_SYRIA[1]),
                      min(inside["lat"].min() - pad, NW_SYRIA[2]), max(inside["lat"].max() + pad, NW_SYRIA[3]))
    x0, x1, y0, y1 = extent
    fig, ax = plt.subplots(figsize=(9, 9 * (y1 - y0) / max(0.1, (x1 - x0)) * 0.95 + 0.8))
    for iso, rings in outlines().items():
        for ring in rings:
            ax.add_patch(Polygon(ring, closed=True, facecolor="#f2efe9" if iso == "SYR" else "#fafafa",
                                 edgecolor="#999", linewidth=0.8, zorder=0))
    shown = pm[pm["lon"].between(x0, x1) & pm["lat"].between(y0, y1) & (pm["kind"] != "country")]
    away = pm[~pm.index.isin(shown.index)]
    scale = 900 / max(1, shown["articles"].max()) if not shown.empty else 1
    for exact, marker in ((True, "o"), (False, "o")):
        sub = shown[(shown["precision"] == "point") == exact]
        pts = sub[~sub["kind"].isin(["road", "region"])]
        ax.scatter(pts["lon"], pts["lat"], s=30 + scale * pts["articles"], marker=marker,
                   facecolors="#c44e52" if exact else "none", edgecolors="#c44e52", alpha=0.6,
                   linewidths=1.5, zorder=3)
    reg = shown[shown["kind"].isin(["road", "region"])]
    ax.scatter(reg["lon"], reg["lat"], s=30 + scale * reg["articles"], marker="s", facecolors="none",
               edgecolors="#4c72b0", linewidths=1.5, alpha=0.7, zorder=3)
    for r in shown.head(label_top).itertuples():
        ax.annotate(r.name, (r.lon, r.lat), xytext=(4, 4), textcoords="offset points", fontsize=8,
                    zorder=4)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / max(0.2, __import__("math").cos(__import__("math").radians((y0 + y1) / 2))))
    ax.set_title(pick_label("الأماكن المذكورة (الحجم = عدد المقالات)",
                            "Places named (size = articles)", language=label_language))
    ax.set_xlabel("lon")
    ax.set_ylabel("lat")
    if not away.empty:
        names = ", ".join(f"{n} ({a})" for n, a in zip(away["name"].head(12), away["articles"].head(12)))
        fig.text(0.01, 0.005, pick_label("خارج الخريطة: ", "Outside the map: ",
                                         language=label_language) + names, fontsize=8,
                 ha="left", va="bottom", wrap=True)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def unlinked_mentions(tables) -> pd.DataFrame:
    """Names only the statistical model found (``method == 'model'``), most frequent first, with a
    suggested lexicon row: add the ones you trust to your own actors TSV (``idlibnb extract
    --lexicon FILE``) with their real id, English name, side and CAMEO code."""
    ents = tables.entities
    cols = ["surface", "label", "entity_id", "articles", "mentions", "example_doc", "suggested_row"]
    if ents.empty:
        return pd.DataFrame(columns=cols)
    m = ents[ents["method"] == "model"]
    if m.empty:
        return pd.DataFrame(columns=cols)
    g = m.groupby(["entity_id", "label"]).agg(
        surface=("surface", lambda s: s.value_counts().index[0]), articles=("doc_id", "nunique"),
        mentions=("doc_id", "size"), example_doc=("doc_id", "first")).reset_index()
    g["suggested_row"] = [
        "\t".join([eid.replace("ner:", "").replace(":", "_") if eid.isascii() else "NEW_ID", lab, surf,
                   "", "", "", "", "", "name", "added from model mentions"])
        for eid, lab, surf in zip(g["entity_id"], g["label"], g["surface"])]
    g = g.sort_values(["articles", "mentions", "surface"], ascending=[False, False, True])
    return g[cols].reset_index(drop=True)
