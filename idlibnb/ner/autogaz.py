"""A self-trained gazetteer: how often a first-pass model tags each word as a name across a big corpus.

A CRF sees one sentence; whether a word is a name is clearer over thousands of them. A first model,
trained on ANERcorp alone, tags unlabelled news; every word seen often enough gets the share of its
occurrences tagged PER, ORG or LOC, bucketed into a feature (``gPER=3`` …) for the final model.
Built at training time from a corpus path; at tag time only :func:`read_autogaz` runs.

:func:`name_likeness` adds two model-free signals of the same corpus to every word seen often
enough: how often its stem takes the article ``ال`` (``alr=0..4``) and a pronoun or plural suffix
(``sfr=0..4``). Common nouns take both; foreign names, which the model has never seen, almost never do.
"""
from __future__ import annotations

import gzip
import random
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable

__all__ = ["learn_autogaz", "name_likeness", "add_name_likeness", "write_autogaz", "read_autogaz"]

_BUCKETS = ((0.8, "3"), (0.5, "2"), (0.2, "1"))
#: pronoun and plural suffixes a common noun takes and a name almost never does
_SUFFIXES = ("ه", "ها", "هم", "هما", "كم", "نا", "ي", "ات", "ين", "ون")
_SHARE_BUCKETS = ((0.01, "0"), (0.05, "1"), (0.2, "2"), (0.5, "3"))


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


def _share(x: float) -> str:
    return next((b for hi, b in _SHARE_BUCKETS if x < hi), "4")


def name_likeness(counts: Counter, key, *, min_count: int = 5) -> dict[str, str]:
    """``{gazetteer key: "alr=K|sfr=K"}`` from a corpus's token counts (normalized tokens).

    ``key`` maps a token to the gazetteer's key (``FeatureExtractor.key``: clitics stripped, ``ال``
    kept); a key's stem is the key without ``ال``. ``alr``: the share of the stem's occurrences with
    ``ال``; ``sfr``: of its bare occurrences and suffixed forms, the share suffixed; bucketed at 1%,
    5%, 20% and 50%. Stems seen fewer than ``min_count`` times get nothing."""
    keys: Counter = Counter()
    with_al: Counter = Counter()
    bare: Counter = Counter()
    for tok, c in counts.items():
        k = key(tok)
        keys[k] += c
        if k.startswith("ال") and len(k) > 3:
            with_al[k[2:]] += c
        else:
            bare[k] += c
    suffixed: Counter = Counter()
    for k, c in keys.items():
        for s in _SUFFIXES:
            if k.endswith(s) and len(k) - len(s) >= 2 and bare[k[:-len(s)]] >= min_count:
                suffixed[k[:-len(s)]] += c
    out = {}
    for k in keys:
        stem = k[2:] if k.startswith("ال") and len(k) > 3 else k
        n = with_al[stem] + bare[stem]
        if n >= min_count:
            sfx = suffixed[stem] / (bare[stem] + suffixed[stem]) if bare[stem] else 0.0
            out[k] = f"alr={_share(with_al[stem] / n)}|sfr={_share(sfx)}"
    return out


def add_name_likeness(gaz: dict[str, str], likeness: dict[str, str]) -> dict[str, str]:
    """A gazetteer with each word's :func:`name_likeness` values appended (``|``-joined)."""
    out = dict(likeness)
    for w, v in gaz.items():
        out[w] = v + ("|" + likeness[w] if w in likeness else "")
    return out


def write_autogaz(gaz: dict[str, str], path: str | Path, *, note: str = "") -> None:
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as f:
        for line in note.splitlines():
            f.write(f"# {line}\n")
        for w, feat in sorted(gaz.items()):
            f.write(f"{w}\t{feat}\n")


def read_autogaz(path: str | Path) -> dict[str, str]:
    out: dict[str, str] = {}
    values: dict[str, str] = {}  # one string object per distinct value (they repeat thousands of times)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            w, feat = line.rstrip("\n").split("\t")
            out[w] = values.setdefault(feat, feat)
    return out
