"""Framing plots: outlets × frames heatmaps (narrator and quoted voice side by side) and the regime
index per outlet with its count and interval."""
from __future__ import annotations

import numpy as np

from ..framing_stats import UNKNOWN_OUTLET, framing_summary, regime_index
from . import pick_label

__all__ = ["frames_heatmap", "regime_index_plot", "FRAME_LABELS"]

#: Arabic and English labels of the frames (and targets)
FRAME_LABELS = {
    "regime": ("نظام", "regime"), "state": ("دولة", "state"), "terrorist": ("إرهاب", "terrorist"),
    "rebel": ("ثوار", "rebel"), "opposition": ("معارضة", "opposition"),
    "armed_group": ("مسلحون", "armed group"), "occupier": ("احتلال", "occupier"),
    "guarantor": ("ضامن", "guarantor"), "distancing": ("تحفظ", "distancing"),
    "government": ("الحكومة", "government"), "russia": ("روسيا", "Russia"), "turkey": ("تركيا", "Turkey"),
    "narrator": ("صوت الوسيلة", "narrator"), "quoted": ("اقتباس", "quoted"),
}
_ORDER = ["regime", "state", "terrorist", "rebel", "opposition", "armed_group", "occupier",
          "guarantor", "distancing"]


def _label(key: str, language: str) -> str:
    ar, en = FRAME_LABELS.get(key, (key, key))
    return pick_label(ar, en, language=language)


def _outlet_labeller(tables, language: str):
    english = {o: e for o, e in zip(tables.articles["outlet"], tables.articles["outlet_en"])
               if isinstance(o, str) and isinstance(e, str)}

    def label(name: str) -> str:
        if name == UNKNOWN_OUTLET:
            return pick_label("غير معروف", "unknown", language=language)
        return pick_label(name, english.get(name), language=language)
    return label


def _empty(message: str):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 1.5))
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center")
    return fig


def frames_heatmap(tables, *, label_language: str = "ar", share: bool = True):
    """Outlets × frames, one panel per voice (narrator, quoted): each cell the share of the
    outlet's framing terms in that voice (or the count with ``share=False``), counts written in."""
    import matplotlib.pyplot as plt

    summ = framing_summary(tables, by="outlet")
    if summ.empty:
        return _empty(pick_label("لا توجد مصطلحات تأطير في هذه المقالات",
                                 "No framing terms in these articles", language=label_language))
    outlets = sorted(summ["outlet"].unique())
    name = _outlet_labeller(tables, label_language)
    frames = [f for f in _ORDER if f in set(summ["frame"])]
    voices = ["narrator", "quoted"]
    fig, axes = plt.subplots(1, 2, figsize=(2.2 + 0.8 * len(frames) * 2, 1.2 + 0.45 * len(outlets)),
                             sharey=True, squeeze=False)
    for ax, voice in zip(axes[0], voices):
        sub = summ[summ["voice"] == voice].groupby(["outlet", "frame"])["n"].sum()
        counts = np.array([[int(sub.get((o, f), 0)) for f in frames] for o in outlets])
        totals = counts.sum(axis=1, keepdims=True)
        values = np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0) if share else counts
        ax.imshow(values, aspect="auto", cmap="Blues", vmin=0, vmax=1 if share else max(1, counts.max()))
        for i in range(len(outlets)):
            for j in range(len(frames)):
                if counts[i, j]:
                    ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=8,
                            color="white" if values[i, j] > (0.6 if share else counts.max() * 0.6) else "black")
        ax.set_xticks(range(len(frames)), [_label(f, label_language) for f in frames], rotation=45, ha="right")
        ax.set_yticks(range(len(outlets)), [name(o) for o in outlets])
        ax.set_title(_label(voice, label_language))
    fig.suptitle(pick_label("كيف تسمي كل وسيلة الأطراف", "How each outlet names the sides",
                            language=label_language))
    fig.tight_layout()
    return fig


def regime_index_plot(tables, *, label_language: str = "ar", by: str = "outlet"):
    """The regime index (share of 'regime' among the government references in the narrator's
    voice) per outlet, with its 95% interval and n written beside it; outlets without any
    government reference are listed as n = 0."""
    import matplotlib.pyplot as plt

    idx = regime_index(tables, by=by)
    if idx.empty or not idx["n"].sum():
        return _empty(pick_label("لا توجد إشارات إلى الحكومة السورية بصوت الوسيلة",
                                 "No narrator references to the Syrian government", language=label_language))
    idx = idx.sort_values(["n", by], ascending=[True, True])
    fig, ax = plt.subplots(figsize=(7, 1.2 + 0.4 * len(idx)))
    y = np.arange(len(idx))
    has = idx["n"].to_numpy() > 0
    ax.errorbar(idx["index"].to_numpy()[has], y[has],
                xerr=[(idx["index"] - idx["low"]).to_numpy()[has], (idx["high"] - idx["index"]).to_numpy()[has]],
                fmt="o", color="#c44e52", capsize=3)
    for yi, (n, v) in enumerate(zip(idx["n"], idx["index"])):
        ax.text(1.02, yi, f"n={n}", va="center", fontsize=8, transform=ax.get_yaxis_transform())
    name = _outlet_labeller(tables, label_language)
    labels = [name(o) if by == "outlet" else o for o in idx[by]]
    ax.set_yticks(y, labels)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel(pick_label("نسبة «النظام» من إشارات الحكومة", "share of 'regime' among government references",
                             language=label_language))
    fig.tight_layout()
    return fig
