"""A self-trained gazetteer: how often a first-pass model tags each word as a name across a big corpus.

A CRF sees one sentence; whether a word is a name is clearer over thousands of them. A first model,
trained on ANERcorp alone, tags unlabelled news; every word seen often enough gets the share of its
occurrences tagged PER, ORG or LOC, bucketed into a feature (``gPER=3`` …) for the final model.
Built at training time from a corpus path; at tag time only :func:`read_autogaz` runs.
"""
from __future__ import annotations

import gzip
import random
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable

__all__ = ["learn_autogaz", "write_autogaz", "read_autogaz"]

_BUCKETS = ((0.8, "3"), (0.5, "2"), (0.2, "1"))


def learn_autogaz(tagger, texts: Iterable[str], *, max_tokens: int = 3_000_000, min_count: int = 3,
                  seed: int = 0, positions: bool = True, batch: int = 200) -> dict[str, str]:
    """``{normalized clitic-stripped word: "gPER=3"-style feature}`` from tagging ``texts``.

    With ``positions``, a word that is tagged mostly inside names (``I-``) rather than at their
    start (``B-``) gets a second feature, ``gI`` (else ``gB``), joined with ``|``."""
    from . import _sentences, tokenize_with_offsets

    texts = list(texts)
    random.Random(seed).shuffle(texts)
    feats = tagger.features
    seen: Counter[str] = Counter()
    named: dict[str, Counter[str]] = defaultdict(Counter)
    inside: Counter[str] = Counter()
    n_tok = 0
    for b in range(0, len(texts), batch):
        docs = [[[t[0] for t in s] for s in _sentences(tokenize_with_offsets(text))]
                for text in texts[b:b + batch]]
        for d, tags_d in zip(docs, tagger.tag_docs(docs)):
            for words, tags in zip(d, tags_d):
                for w, t in zip(words, tags):
                    key = feats.key(w)
                    seen[key] += 1
                    if t != "O":
                        named[key][t[2:]] += 1
                        if t[0] == "I":
                            inside[key] += 1
                n_tok += len(words)
        if n_tok >= max_tokens:
            break
    out = {}
    for w, c in named.items():
        total = seen[w]
        if total < min_count:
            continue
        lab, k = c.most_common(1)[0]
        share = k / total
        for lo, b in _BUCKETS:
            if share >= lo:
                out[w] = f"g{lab}={b}"
                if positions:
                    out[w] += "|gI" if inside[w] * 2 > sum(c.values()) else "|gB"
                break
    return out


def write_autogaz(gaz: dict[str, str], path: str | Path, *, note: str = "") -> None:
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as f:
        for line in note.splitlines():
            f.write(f"# {line}\n")
        for w, feat in sorted(gaz.items()):
            f.write(f"{w}\t{feat}\n")


def read_autogaz(path: str | Path) -> dict[str, str]:
    out = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            w, feat = line.rstrip("\n").split("\t")
            out[w] = feat
    return out
