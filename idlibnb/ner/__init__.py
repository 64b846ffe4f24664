"""Arabic named-entity recognition: a CRF trained on ANERcorp, shipped inside the package.

:class:`NERTagger` tags PER/ORG/LOC mentions that no lexicon knows. It is a linear-chain CRF
(python-crfsuite) over cheap features — the normalized word, its clitic-stripped stem, affixes,
shape, and k-means word clusters learnt from unlabelled Arabic news (see :mod:`.clusters`) — for the
word and its neighbours. A word type's features are computed once and cached, so tagging is mostly
dictionary lookups plus crfsuite's C++ Viterbi.

:class:`CamelNER` wraps camel-tools' own BERT NER when its data is installed; nothing here imports
``camel_tools.ner`` until :meth:`CamelNER.pretrained` is called.

``python -m idlibnb.ner train|eval`` retrains / evaluates (see ``docs/ner.md``).
"""
from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from ..normalize import normalize_ar

__all__ = [
    "NERTagger",
    "CamelNER",
    "tokenize_with_offsets",
    "read_conll",
    "bio_chunks",
    "entity_prf",
    "evaluate",
    "eval_main",
    "LABELS",
    "MODEL_DIR",
]

#: the labels the package keeps (ANERcorp's PERS is PER; MISC is dropped)
LABELS = ("PER", "ORG", "LOC")
#: the shipped model, clusters and their notice
MODEL_DIR = Path(__file__).resolve().parent.parent / "data" / "ner"
MODEL_FILE = "model.crfsuite"
CLUSTER_FILE = "clusters.tsv.gz"
GAZ_FILE = "autogaz.tsv.gz"

# words (letters/digits with their diacritics and tatweel) or single punctuation marks;
# invisible bidi/zero-width marks are neither (ANERcorp's own preparation dropped U+200F)
_TOKEN = re.compile(
    r"(?:[^\W_]|[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED])+"
    r"|[^\w\s\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF\u061C\u00AD]"
)
_SENT_END = frozenset(".!?؟")
_TAG_MAP = {"PERS": "PER", "PER": "PER", "ORG": "ORG", "LOC": "LOC"}


# --------------------------------------------------------------------------------------------------
# tokens and CoNLL data

def tokenize_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """``(token, start, end)`` for every word or punctuation token of ``text`` (original offsets)."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def read_conll(path: str | os.PathLike) -> list[tuple[list[str], list[str]]]:
    """Sentences of a ``token TAG`` file (blank line between sentences) as ``(tokens, tags)``."""
    sents: list[tuple[list[str], list[str]]] = []
    toks: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if not parts:
                if toks:
                    sents.append((toks, tags))
                    toks, tags = [], []
                continue
            toks.append(parts[0])
            tags.append(parts[-1] if len(parts) > 1 else "O")
    if toks:
        sents.append((toks, tags))
    return sents


def map_tag(tag: str, *, keep_misc: bool = False) -> str:
    """ANERcorp tag to ours: ``B-PERS`` → ``B-PER``; MISC → ``O`` unless ``keep_misc``."""
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, _, typ = tag.partition("-")
    if typ in _TAG_MAP:
        return f"{prefix}-{_TAG_MAP[typ]}"
    if keep_misc and typ == "MISC":
        return tag
    return "O"


def bio_chunks(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(start, end, type)`` token spans of a BIO sequence, conlleval/seqeval style.

    An ``I-X`` after ``O`` or after another type opens a new chunk (as seqeval's default mode does).
    """
    chunks = []
    start, typ = -1, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, t = tag.partition("-") if tag != "O" else ("O", "", None)
        begins = prefix == "B" or (prefix == "I" and t != typ) or prefix not in ("B", "I", "O")
        if typ is not None and (prefix == "O" or begins):
            chunks.append((start, i, typ))
            typ = None
        if prefix in ("B", "I") and (typ is None):
            start, typ = i, t
    return chunks


def entity_prf(gold: Iterable[Sequence[str]], pred: Iterable[Sequence[str]],
               labels: Sequence[str] = LABELS) -> dict[str, dict[str, float]]:
    """Entity-level precision/recall/F1 (exact span and type), overall (``'all'``) and per label."""
    keep = set(labels)
    counts = {lab: [0, 0, 0] for lab in list(labels) + ["all"]}  # tp, n_pred, n_gold
    for g, p in zip(gold, pred):
        gs = {c for c in bio_chunks(g) if c[2] in keep}
        ps = {c for c in bio_chunks(p) if c[2] in keep}
        for c in gs:
            counts[c[2]][2] += 1
            counts["all"][2] += 1
        for c in ps:
            counts[c[2]][1] += 1
            counts["all"][1] += 1
            if c in gs:
                counts[c[2]][0] += 1
                counts["all"][0] += 1
    out = {}
    for lab, (tp, npred, ngold) in counts.items():
        p = tp / npred if npred else 0.0
        r = tp / ngold if ngold else 0.0
        out[lab] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
                    "support": ngold}
    return out


# --------------------------------------------------------------------------------------------------
# features

class FeatureExtractor:
    """Per-token CRF features, computed once per word type and combined by lookup.

    For each distinct token the extractor builds five lists — the word's own features and the
    features it contributes as the previous / next word and as the word two before / after — so a
    sentence's features are list concatenations, with no string building per token.
    """

    def __init__(self, clusters: dict[str, tuple[str, ...]] | None = None,
                 gazetteer: dict[str, str] | None = None, *, max_cache: int = 500_000):
        self.clusters = clusters or {}
        self.gazetteer = gazetteer or {}
        # the cluster file lists words commonest first: its order is a frequency rank
        self._rank = {w: i for i, w in enumerate(self.clusters)}
        self.max_cache = max_cache
        self._cache: dict[str, tuple[list[str], list[str], list[str], list[str], list[str]]] = {}

    def clear_cache(self) -> None:
        self._cache.clear()

    def key(self, tok: str) -> str:
        """The normalized, clitic-stripped form of a token (the self-trained gazetteer's key)."""
        return self._analyse(normalize_ar(tok))[1]

    def _analyse(self, n: str) -> tuple[str, str]:
        """``(clitics, rest)``: strip و/ف and ب/ك/ل (``لل`` + X is ل + ``ال`` + X) when what is left is
        a commoner word of the cluster corpus than the whole — so والجيش → الجيش but بوتين stays."""
        if len(n) > 2 and n[0] in "وفبكل" and n[1].isascii():
            return n[0], n[1:]  # "وDell": an Arabic clitic on a Latin name
        rank = self._rank
        if not rank or len(n) < 4:
            return "", n
        cands = []
        if n[0] in "وف":
            cands.append((n[0], n[1:]))
        for c, r in [("", n)] + cands[:1]:
            if len(r) >= 4 and r[0] in "بكل":
                cands.append((c + r[:2], "ا" + r[1:]) if r[:2] == "لل" else (c + r[0], r[1:]))
        best, best_rank = ("", n), rank.get(n, len(rank))
        for c, r in cands:
            k = rank.get(r, len(rank))
            if k < best_rank:
                best, best_rank = (c, r), k
        return best

    def _type_features(self, tok: str):
        n = normalize_ar(tok)
        cl, rest = self._analyse(n)
        base = rest[2:] if rest[:2] == "ال" and len(rest) > 3 else rest
        own = ["b", "w=" + n]
        if base != n:
            own.append("s=" + base)
        if cl:
            own.append("cl=" + cl)
        if base != rest:
            own.append("al")
        ln = len(base)
        own += ["p2=" + base[:2], "p3=" + base[:3], "x1=" + n[-1:], "x2=" + n[-2:], "x3=" + n[-3:],
                "len=" + str(ln if ln < 8 else 8)]
        if not n[:1].isalnum():
            own.append("punct")
        elif any(ch.isdigit() for ch in n):
            own.append("digit")
        elif n.isascii():
            own.append("AC" if tok.isupper() else "Cap" if tok[:1].isupper() else "latin")
        c = self.clusters.get(n) or self.clusters.get(rest)
        if c is None and base != rest:
            c = self.clusters.get(base)
            if c is not None:
                own.append("cstem")
        if rest != n and n in self.clusters and rest in self.clusters:
            own += ["sc%d=%s" % (k, v) for k, v in enumerate(self.clusters[rest][:3])]
        if c is None:
            own.append("nocl")
            cf = ()
        else:
            cf = ["c%d=%s" % (k, v) for k, v in enumerate(c)]
            own += cf
        g = self.gazetteer.get(rest)
        if g is not None:
            own.append(g)
        rc = self.clusters.get(rest) or c
        rf = ["c%d=%s" % (k, v) for k, v in enumerate(rc[:3])] if rc else ["nocl"]
        ctx = ["w=" + n, "s=" + base] + rf + ["x2=" + n[-2:], g or "nog"]
        ctx2 = ["w=" + n] + rf[1:2]
        return (own, ["-1" + f for f in ctx], ["+1" + f for f in ctx],
                ["-2" + f for f in ctx2], ["+2" + f for f in ctx2])

    def sequence(self, tokens: Sequence[str]) -> list[list[str]]:
        """The feature lists of a sentence's tokens, ready for crfsuite."""
        cache = self._cache
        if len(cache) > self.max_cache:
            cache.clear()
        rows = []
        for t in tokens:
            r = cache.get(t)
            if r is None:
                r = cache[t] = self._type_features(t)
            rows.append(r)
        n = len(rows)
        out = []
        for i in range(n):
            f = rows[i][0] + (rows[i - 1][1] if i > 0 else _BOS1) + (rows[i + 1][2] if i + 1 < n else _EOS1)
            f += rows[i - 2][3] if i > 1 else _BOS2
            f += rows[i + 2][4] if i + 2 < n else _EOS2
            out.append(f)
        return out


_BOS1 = ["-1BOS"]
_EOS1 = ["+1EOS"]
_BOS2 = ["-2BOS"]
_EOS2 = ["+2EOS"]


# --------------------------------------------------------------------------------------------------
# the tagger

class NERTagger:
    """A CRF named-entity tagger: ``.tag(tokens)`` → BIO tags, ``.spans(text)`` → character spans."""

    _pretrained: "NERTagger | None" = None
    _lock = threading.Lock()

    def __init__(self, model_path: str | os.PathLike, clusters: dict[str, tuple[str, ...]] | None = None,
                 gazetteer: dict[str, str] | None = None):
        import pycrfsuite

        self.model_path = Path(model_path)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.model_path))
        self.features = FeatureExtractor(clusters, gazetteer)

    @classmethod
    def load(cls, model_dir: str | os.PathLike) -> "NERTagger":
        """A tagger from a folder holding ``model.crfsuite`` and (optionally) its clusters/gazetteer."""
        from .autogaz import read_autogaz
        from .clusters import read_clusters

        d = Path(model_dir)
        if not (d / MODEL_FILE).exists():
            raise FileNotFoundError(f"no NER model at {d / MODEL_FILE}: run `python -m idlibnb.ner train`")
        clusters = read_clusters(d / CLUSTER_FILE) if (d / CLUSTER_FILE).exists() else None
        gaz = read_autogaz(d / GAZ_FILE) if (d / GAZ_FILE).exists() else None
        return cls(d / MODEL_FILE, clusters, gaz)

    @classmethod
    def pretrained(cls) -> "NERTagger":
        """The model shipped in ``idlibnb/data/ner`` (loaded once per process)."""
        with cls._lock:
            if NERTagger._pretrained is None:
                NERTagger._pretrained = cls.load(MODEL_DIR)
            return NERTagger._pretrained

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """BIO tags (``B-PER``, ``I-LOC``, ``O`` …) for one sentence of tokens."""
        if not tokens:
            return []
        tags = self._tagger.tag(self.features.sequence(tokens))
        return [t if t == "O" or t[2:] in LABELS else "O" for t in tags]

    def tag_sents(self, sents: Iterable[Sequence[str]]) -> list[list[str]]:
        return [self.tag(s) for s in sents]

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, label)`` character spans of PER/ORG/LOC mentions in ``text``."""
        toks = tokenize_with_offsets(text)
        out: list[tuple[int, int, str]] = []
        for sent in _sentences(toks):
            words = [t[0] for t in sent]
            for s, e, lab in bio_chunks(self.tag(words)):
                out.append((sent[s][1], sent[e - 1][2], lab))
        return out


def _sentences(toks: list[tuple[str, int, int]]) -> Iterator[list[tuple[str, int, int]]]:
    """Cut a token list after sentence-final marks (ANERcorp's sentences end at '.')."""
    start = 0
    for i, t in enumerate(toks):
        if t[0] in _SENT_END:
            yield toks[start:i + 1]
            start = i + 1
    if start < len(toks):
        yield toks[start:]


from .camel import CamelNER  # noqa: E402
from .evaluate import eval_main, evaluate  # noqa: E402
