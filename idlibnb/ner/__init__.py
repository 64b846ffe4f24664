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
_DIGIT = re.compile(r"\d")
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

    def _type_features(self, tok: str) -> tuple[list[str], list[str], list[str]]:
        """``(own, ctx1, ctx2)``: a word type's features, and the subsets it lends its neighbours
        (one and two tokens away; prefixed ``-1``/``+1``/``-2``/``+2`` in the model). Both subsets are
        whole feature families of ``own``, which the fast scorer relies on."""
        n = normalize_ar(tok)
        cl, rest = self._analyse(n)
        base = rest[2:] if rest[:2] == "ال" and len(rest) > 3 else rest
        w, st, x2 = "w=" + n, "s=" + base, "x2=" + n[-2:]
        own = ["b", w, st, x2, "p1=" + base[:1], "p2=" + base[:2], "p3=" + base[:3], "x1=" + n[-1:],
               "x3=" + n[-3:], "x4=" + n[-4:], "len=" + str(min(len(base), 9))]
        if cl:
            own.append("cl=" + cl)
        if base != rest:
            own.append("al")
        if not n[:1].isalnum():
            own.append("punct")
        elif _DIGIT.search(n):
            own.append("digit")
        elif n.isascii():
            own.append("AC" if tok.isupper() else "Cap" if tok[:1].isupper() else "latin")
        clusters = self.clusters
        c = clusters.get(n)
        rc = clusters.get(rest) if rest != n else c
        if rc is None and base != rest:
            rc = clusters.get(base)
        if c is None:
            own.append("nocl")
        else:
            own += ["c%d=%s" % kv for kv in enumerate(c)]
        if rc is None:
            k = ["knocl"]
            k1 = k
        else:
            k = ["k%d=%s" % kv for kv in enumerate(rc[:3])]
            k1 = k[1:2]
        g = self.gazetteer.get(rest) or "nog"
        own += k
        own.append(g)
        return own, [w, st, x2, g] + k, [w] + k1

    def sequence(self, tokens: Sequence[str]) -> list[list[str]]:
        """The feature lists of a sentence's tokens, ready for crfsuite (training)."""
        cache = self._cache
        if len(cache) > self.max_cache:
            cache.clear()
        rows = []
        for t in tokens:
            r = cache.get(t)
            if r is None:
                own, c1, c2 = self._type_features(t)
                r = cache[t] = (own, ["-1" + f for f in c1], ["+1" + f for f in c1],
                                ["-2" + f for f in c2], ["+2" + f for f in c2])
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

_ROLE_PREFIX = {"-1": 1, "+1": 2, "-2": 3, "+2": 4}


class _Scores:
    """The CRF's weights, read out of the crfsuite model, and per-word-type score vectors.

    A linear-chain CRF's emission score at a token is the sum of weights of its features. Every
    feature here belongs to one word type in one role (the token itself, the word before, after, two
    before, two after), so each type's five partial sums are computed once and cached; a sentence's
    emissions are then five array lookups, and Viterbi runs batched over sentences in numpy. The
    result is crfsuite's own decoding (checked in the tests), several times faster.
    """

    def __init__(self, model_path: Path, features: "FeatureExtractor", max_cache: int = 500_000):
        import numpy as np
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(str(model_path))
        info = tagger.info()
        self.labels = tagger.labels()
        lab = {l: i for i, l in enumerate(self.labels)}
        n_lab = len(self.labels)
        attrs: dict[str, int] = {}
        for (a, _), _w in info.state_features.items():
            attrs.setdefault(a, len(attrs))
        w = np.zeros((len(attrs) + 1, n_lab))  # the last row stays zero: "no known feature"
        for (a, l), v in info.state_features.items():
            w[attrs[a], lab[l]] = v
        t = np.zeros((n_lab, n_lab))
        for (f, to), v in info.transitions.items():
            t[lab[f], lab[to]] = v
        tagger.close()
        self.attrs, self.w, self.trans, self.features = attrs, w, t, features
        self.zero = zero = len(attrs)
        # base feature -> its weight row in each role (own, -1, +1, -2, +2); zero row when absent
        roles: dict[str, list[int]] = {}
        for a, i in attrs.items():
            r = _ROLE_PREFIX.get(a[:2], 0)
            roles.setdefault(a[2:] if r else a, [zero] * 5)[r] = i
        self.roles = {f: tuple(v) for f, v in roles.items()}
        self.max_cache = max_cache
        # BIO tags the package keeps (MISC and anything else → O)
        self.out_labels = [l if l == "O" or l[2:] in LABELS else "O" for l in self.labels]
        self._boundary = [self._vector(f) for f in (_BOS1, _EOS1, _BOS2, _EOS2)]
        self.reset()

    def reset(self) -> None:
        import numpy as np

        self.index: dict[str, int] = {}
        self.table = np.zeros((1024, 5, len(self.labels)))

    def _vector(self, feats: list[str]):
        attrs = self.attrs
        return self.w[[attrs[f] for f in feats if f in attrs] or [self.zero]].sum(axis=0)

    def _add(self, new: list[str]) -> None:
        """Score vectors of unseen word types, all at once (one ``reduceat`` over their features)."""
        import numpy as np

        roles, tf = self.roles, self.features._type_features
        empty = (self.zero,) * 5  # keeps every group non-empty for reduceat
        flat: list[tuple[int, ...]] = []
        starts: list[int] = []
        get = roles.get
        for tok in new:
            starts.append(len(flat))
            flat.append(empty)
            flat.extend([r for r in map(get, tf(tok)[0]) if r is not None])
        sums = np.add.reduceat(self.w[np.array(flat)], starts, axis=0)
        n0 = len(self.index)
        if n0 + len(new) > len(self.table):
            grown = np.zeros((max(2 * len(self.table), n0 + len(new)),) + self.table.shape[1:])
            grown[:n0] = self.table[:n0]
            self.table = grown
        self.table[n0:n0 + len(new)] = sums
        for i, tok in enumerate(new):
            self.index[tok] = n0 + i

    def emissions(self, tokens: list[str], lengths: list[int]):
        """``(n_tokens, n_labels)`` emission scores for sentences laid end to end."""
        import numpy as np

        if len(self.index) > self.max_cache:
            self.reset()
        index = self.index
        new = list(dict.fromkeys(t for t in tokens if t not in index))
        if new:
            self._add(new)
        ids = np.fromiter((index[t] for t in tokens), dtype=np.intp, count=len(tokens))
        tab = self.table
        lens = np.asarray(lengths, dtype=np.intp)
        starts = np.repeat(np.cumsum(lens) - lens, lens)
        pos = np.arange(len(tokens)) - starts  # position in sentence
        left = pos  # tokens before, tokens after
        right = np.repeat(lens, lens) - pos - 1
        bos1, eos1, bos2, eos2 = self._boundary
        e = tab[ids, 0].copy()
        for role, shift, room, edge in ((1, -1, left, bos1), (2, 1, right, eos1),
                                        (3, -2, left, bos2), (4, 2, right, eos2)):
            k = -shift if shift < 0 else shift
            src = np.clip(np.arange(len(tokens)) + shift, 0, len(tokens) - 1)
            has = room >= k
            e += np.where(has[:, None], tab[ids[src], role], edge)
        return e

    def viterbi(self, e, lengths: list[int]) -> list[list[int]]:
        """Best label index sequences, all sentences at once (longest first, shrinking batch)."""
        import numpy as np

        n = len(lengths)
        if n == 0:
            return []
        lens = np.asarray(lengths, dtype=np.intp)
        order = np.argsort(-lens, kind="stable")
        slens = lens[order]
        offs = (np.cumsum(lens) - lens)[order]
        maxlen = int(slens[0])
        n_lab = e.shape[1]
        trans = self.trans
        score = e[offs].copy()
        back = np.zeros((maxlen, n, n_lab), dtype=np.intp)
        active = n
        for t in range(1, maxlen):
            while active and slens[active - 1] <= t:
                active -= 1
            cand = score[:active, :, None] + trans
            back[t, :active] = cand.argmax(axis=1)
            score[:active] = cand.max(axis=1) + e[offs[:active] + t]
        best = score.argmax(axis=1)
        paths = np.zeros((n, maxlen), dtype=np.intp)
        cur = best.copy()
        # walk back: a sentence joins the walk at its own last position
        for t in range(maxlen - 1, -1, -1):
            live = slens > t
            paths[live, t] = cur[live]
            if t > 0:
                prev = back[t, np.arange(n), cur]
                cur = np.where(live, prev, cur)
        out: list[list[int]] = [[] for _ in range(n)]
        for j, i in enumerate(order):
            out[i] = paths[j, :slens[j]].tolist()
        return out


class NERTagger:
    """A CRF named-entity tagger: ``.tag(tokens)`` → BIO tags, ``.spans(text)`` → character spans."""

    _pretrained: "NERTagger | None" = None
    _lock = threading.Lock()

    def __init__(self, model_path: str | os.PathLike, clusters: dict[str, tuple[str, ...]] | None = None,
                 gazetteer: dict[str, str] | None = None):
        self.model_path = Path(model_path)
        self.features = FeatureExtractor(clusters, gazetteer)
        self._scores = _Scores(self.model_path, self.features)
        self._cache_lock = threading.Lock()

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

    def clear_cache(self) -> None:
        """Forget every word type's cached features and scores (for cold timings)."""
        self.features.clear_cache()
        self._scores.reset()

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """BIO tags (``B-PER``, ``I-LOC``, ``O`` …) for one sentence of tokens."""
        return self.tag_sents([tokens])[0]

    def tag_sents(self, sents: Iterable[Sequence[str]]) -> list[list[str]]:
        """BIO tags for many sentences at once (faster than one by one)."""
        sents = [list(s) for s in sents]
        lengths = [len(s) for s in sents]
        keep = [n for n in lengths if n]
        if not keep:
            return [[] for _ in sents]
        sc = self._scores
        with self._cache_lock:  # the type cache grows in place
            e = sc.emissions([t for s in sents for t in s], keep)
            paths = sc.viterbi(e, keep)
        labels = sc.out_labels
        it = iter(paths)
        return [[labels[i] for i in next(it)] if n else [] for n in lengths]

    def _tag_crfsuite(self, tokens: Sequence[str]) -> list[str]:
        """crfsuite's own decoding of the same model (reference for the tests)."""
        import pycrfsuite

        t = pycrfsuite.Tagger()
        t.open(str(self.model_path))
        tags = t.tag(self.features.sequence(tokens)) if tokens else []
        return [x if x == "O" or x[2:] in LABELS else "O" for x in tags]

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, label)`` character spans of PER/ORG/LOC mentions in ``text``."""
        sents = list(_sentences(tokenize_with_offsets(text)))
        out: list[tuple[int, int, str]] = []
        for sent, tags in zip(sents, self.tag_sents([[t[0] for t in s] for s in sents])):
            for s, e, lab in bio_chunks(tags):
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
