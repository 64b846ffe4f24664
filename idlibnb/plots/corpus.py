"""The corpus overview: what was read, from which outlets, when — and which files had problems."""
from __future__ import annotations

import pandas as pd
from matplotlib.ticker import MaxNLocator

from . import pick_label

__all__ = ["articles_overview", "articles_per_outlet", "articles_per_month", "manifest_problems",
           "empty_figure"]


def articles_overview(tables) -> pd.DataFrame:
    """One row per article: outlet, date (and how it is known), title, words, sentences."""
    cols = ["doc_id", "outlet", "outlet_en", "published", "published_basis", "title", "n_words",
            "n_sentences"]
    return tables.articles[cols].sort_values(["published", "doc_id"], na_position="last") \
        .reset_index(drop=True)


def empty_figure(message: str, *, figsize=(6, 1.5)):
    """A small figure that says there is nothing to plot (notebooks never fail on empty data)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=figsize)
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center")
    return fig


def articles_per_outlet(tables, *, label_language: str = "ar"):
    """Horizontal bar chart of articles per outlet (unknown outlets counted together)."""
    import matplotlib.pyplot as plt

    arts = tables.articles
    if arts.empty:
        return empty_figure("No articles")
    labels = [pick_label(_str(o), _str(e), language=label_language) if (_str(o) or _str(e)) else
              pick_label("غير معروف", "unknown", language=label_language)
              for o, e in zip(arts["outlet"].tolist(), arts["outlet_en"].tolist())]
    counts = pd.Series(labels).value_counts().sort_values()
    fig, ax = plt.subplots(figsize=(7, 0.4 * len(counts) + 1.2))
    ax.barh(counts.index, counts.values, color="#4c72b0")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(pick_label("عدد المقالات", "articles", language=label_language))
    ax.set_title(pick_label("المقالات حسب الوسيلة الإعلامية", "Articles per outlet",
                            language=label_language))
    fig.tight_layout()
    return fig


def articles_per_month(tables, *, label_language: str = "ar"):
    """Bar chart of dated articles per month (YYYY-MM), undated ones said in the title."""
    import matplotlib.pyplot as plt

    pub = tables.articles["published"].dropna()
    months = pub[pub.str.len() >= 7].str.slice(0, 7)
    undated = len(tables.articles) - len(months)
    if months.empty:
        return empty_figure(pick_label("لا توجد مقالات مؤرخة", "No dated articles",
                                       language=label_language))
    counts = months.value_counts().sort_index()
    fig, ax = plt.subplots(figsize=(max(5, 0.5 * len(counts) + 2), 3))
    ax.bar(counts.index, counts.values, color="#55a868")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(pick_label("عدد المقالات", "articles", language=label_language))
    title = pick_label("المقالات حسب الشهر", "Articles per month", language=label_language)
    if undated:
        title += f" ({undated} " + pick_label("بلا تاريخ", "undated", language=label_language) + ")"
    ax.set_title(title)
    ax.tick_params(axis="x", rotation=45)
    fig.tight_layout()
    return fig


def manifest_problems(tables) -> pd.DataFrame:
    """Files that were skipped or only partly read, with the reason."""
    man = tables.manifest
    return man[man["status"] != "ok"].reset_index(drop=True)


def _str(v) -> str | None:
    return v if isinstance(v, str) and v else None
