"""Self-training: sentences of unlabelled news that a first-pass CRF tags confidently, as extra data.

ANERcorp has few organisation names; unlabelled news has many. A first-pass model tags a sample of
articles; a sentence is kept when every token of every name it found has a CRF marginal of at least
``min_entity`` for its tag and every other token at least ``min_other`` for ``O`` (so a name the
model half-saw does not come back as a confident ``O``), and when it holds a PER/ORG/LOC name. Up to
``cap`` of them are added to the training data, ``org_share`` of them sentences with an ORG name
(the weak type) when there are enough. Training-time only: nothing here runs when tagging.
"""
from __future__ import annotations

import random
from pathlib import Path
from typing import Iterable

__all__ = ["confident_sentences", "select_sentences"]

#: articles of the corpus tagged, sentences added, their share with an ORG name, marginal thresholds
SELF_TRAIN_ARTICLES = 3000
SELF_TRAIN_CAP = 3000
ORG_SHARE = 0.5
MIN_ENTITY = 0.9
MIN_OTHER = 0.8


def confident_sentences(model_path: str | Path, features, texts: Iterable[str], *,
                        n_articles: int = SELF_TRAIN_ARTICLES, seed: int = 1, min_len: int = 5,
                        max_len: int = 60) -> list[tuple[float, float, bool, list[str], list[str]]]:
    """``(min entity marginal, min O marginal, has ORG, tokens, tags)`` of every sentence (``min_len``
    to ``max_len`` tokens) of ``n_articles`` shuffled ``texts`` in which the crfsuite model at
    ``model_path`` (over ``features``) finds a PER, ORG or LOC name."""
    import pycrfsuite

    from . import LABELS, _sentences, tokenize_with_offsets

    texts = list(texts)
    random.Random(seed).shuffle(texts)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    keep = set(LABELS)
    out = []
    try:
        for text in texts[:n_articles]:
            for s in _sentences(tokenize_with_offsets(text)):
                toks = [t[0] for t in s]
                if not min_len <= len(toks) <= max_len:
                    continue
                tagger.set(features.sequence(toks))
                y = tagger.tag()
                types = {t[2:] for t in y if t != "O"}
                if not types & keep:
                    continue
                m = [tagger.marginal(t, i) for i, t in enumerate(y)]
                ent = min(p for p, t in zip(m, y) if t != "O")
                other = min([p for p, t in zip(m, y) if t == "O"] or [1.0])
                out.append((ent, other, "ORG" in types, toks, list(y)))
    finally:
        tagger.close()
    return out


def select_sentences(cands, *, cap: int = SELF_TRAIN_CAP, org_share: float = ORG_SHARE,
                     min_entity: float = MIN_ENTITY, min_other: float = MIN_OTHER,
                     seed: int = 0) -> list[tuple[list[str], list[str]]]:
    """Up to ``cap`` ``(tokens, tags)`` of :func:`confident_sentences` above both thresholds, a random
    ``org_share`` of them with an ORG name (as many as there are, if fewer), the rest without."""
    ok = [c for c in cands if c[0] >= min_entity and c[1] >= min_other]
    random.Random(seed).shuffle(ok)
    org = [c for c in ok if c[2]]
    other = [c for c in ok if not c[2]]
    n_org = min(len(org), int(cap * org_share))
    return [(c[3], c[4]) for c in org[:n_org] + other[:max(0, cap - n_org)]]
