"""Arabic named-entity recognition: a CRF trained on ANERcorp, shipped inside the package.

:class:`NERTagger` tags PER/ORG/LOC mentions that no lexicon knows. It is a linear-chain CRF
(python-crfsuite) over cheap features — the normalized word, its clitic-stripped stem, affixes,
shape, two sets of k-means word clusters learnt from unlabelled Arabic news (see :mod:`.clusters`),
a self-trained gazetteer (:mod:`.autogaz`) and name lists (:mod:`.namelex`) — for the word and its
neighbours, and a second, document-level pass (which, when the model folder holds a network trained
with ``train --neural``, also reads its tag probabilities: :mod:`.neural`, run in numpy; the
shipped model has none). A word type's features, score vectors and network rows are computed once
and cached, so tagging is mostly array lookups plus a Viterbi batched in numpy.

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
MODEL2_FILE = "model2.crfsuite"
#: further first-pass models of an ensemble (their weights are averaged with model.crfsuite's)
MEMBER_GLOB = "model-*.crfsuite"
CLUSTER2_FILE = "clusters2.tsv.gz"
LEXICON_FILE = "namelex.tsv.gz"
NEURAL_FILE = "neural.npz"
#: sentences per "document" when a file has no document breaks (ANERcorp): the second pass's scope
DOC_SENTS = 50

# words (letters/digits with their diacritics and tatweel) or single punctuation marks;
# invisible bidi/zero-width marks are neither (ANERcorp's own preparation dropped U+200F)
_TOKEN = re.compile(
    r"(?:[^\W_]|[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED])+"
    r"|[^\w\s\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF\u061C\u00AD]"
)
_SENT_END = frozenset(".!?؟")
_DIGIT = re.compile(r"\d")
_LEN = tuple("len=%d" % i for i in range(10))
_NOCL = ("nocl",)
_NOG = ["nog"]
_ENOCL = (["enocl"], ["enocl"], ["enocl"])
_KNOCL = (["knocl"], ["knocl"])
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

#: word types whose features and scores a tagger keeps (then it starts afresh): each costs about
#: 1 KB across the caches, and a worker tagging 15,000 articles meets some 200,000 types — an
#: unbounded cache held 1 GB there, while the commonest 40,000 types cover almost every token
MAX_CACHED_TYPES = 40_000
_MISSING = object()


class FeatureExtractor:
    """Per-token CRF features, computed once per word type and combined by lookup.

    For each distinct token the extractor builds five lists — the word's own features and the
    features it contributes as the previous / next word and as the word two before / after — so a
    sentence's features are list concatenations, with no string building per token.
    """

    def __init__(self, clusters: dict[str, tuple[str, ...]] | None = None,
                 gazetteer: dict[str, str] | None = None, *, clusters2: dict[str, tuple[str, ...]] | None = None,
                 lexicon: dict[str, str] | None = None, doc_context: bool = False,
                 max_cache: int = MAX_CACHED_TYPES):
        self.clusters = clusters or {}
        # the neighbours of a word's other occurrences in the document (:meth:`context`)
        self.doc_context = doc_context
        # a gazetteer value may hold several features joined with "|"; words share one list per value
        # (a few hundred values over ~60,000 words; the lists are only read)
        split: dict[str, list[str]] = {}
        self.gazetteer = {w: split.get(v) or split.setdefault(v, v.split("|")) for w, v in (gazetteer or {}).items()}
        self.clusters2 = clusters2 or {}
        self.lexicon = lexicon or {}
        self._keys: dict[str, str] = {}
        self._cstr: dict[tuple[str, ...], tuple[list[str], list[str], list[str]]] = {}
        # each word's cluster feature strings, built the first time the word is met (most of the
        # 200K words of the cluster files never are: building all at load cost ~2 s and ~70 MB)
        self._cfeat: dict[str, tuple | None] = {}
        self._efeat: dict[str, tuple | None] = {}
        # the cluster file lists words commonest first: its order is a frequency rank
        self._rank = {w: i for i, w in enumerate(self.clusters)}
        self.max_cache = max_cache
        self._cache: dict[str, tuple[list[str], list[str], list[str], list[str], list[str]]] = {}

    def clear_cache(self) -> None:
        self._cache.clear()

    def key(self, tok: str) -> str:
        """The normalized, clitic-stripped form of a token (the gazetteer's and document's key)."""
        k = self._keys.get(tok)
        if k is None:
            if len(self._keys) > self.max_cache:
                self._keys.clear()
            k = self._keys[tok] = self._analyse(normalize_ar(tok))[1]
        return k

    def doc_values(self, tokens: Sequence[str], tags: Sequence[str]) -> list[str]:
        """Per token, what a first pass said about the same word elsewhere in the document:
        its commonest entity type plus ``a`` (every occurrence tagged so) or ``s`` (some), else ``O``."""
        keys = list(map(self._keys.get, tokens))
        if None in keys:
            keys = [k if k is not None else self.key(t) for k, t in zip(keys, tokens)]
        occ: dict[str, int] = {}
        ent: dict[str, dict[str, int]] = {}
        for k, t in zip(keys, tags):
            occ[k] = occ.get(k, 0) + 1
            if t != "O" and len(k) > 1:
                c = ent.setdefault(k, {})
                c[t[2:]] = c.get(t[2:], 0) + 1
        val = {}
        for k, c in ent.items():
            typ = max(c, key=c.get)
            val[k] = typ + ("a" if c[typ] == occ[k] else "s")
        return [val.get(k, "O") for k in keys]

    def context(self, sents: Sequence[Sequence[str]]) -> list[list[dict[str, float]]]:
        """Document-context features of one document's sentences, per token: the neighbours of every
        occurrence of its word (same :meth:`key`) in the document — their 128-cluster of the stem
        (``ALk1=``/``ARk1=``), or ``ALOUT``/``AROUT`` at a sentence edge — each valued by its share
        of the occurrences. So a name the sentence alone leaves open sees how the article uses it
        elsewhere ("في X", "سكان X"); the fast scorer computes the same sums. (The neighbours'
        words as well did no better on the dev split.)"""
        names: dict[str, tuple[list[str], list[str]]] = {}
        for s in sents:
            for t in s:
                if t not in names:
                    own = self.sequence([t])[0]  # the type's own features come first, from the cache
                    k1 = [f for f in own if f.startswith("k1=")][:1]
                    names[t] = (["AL" + f for f in k1], ["AR" + f for f in k1])
        keys = [[self.key(t) for t in s] for s in sents]
        acc: dict[str, dict[str, float]] = {}
        for s, ks in zip(sents, keys):
            for i, k in enumerate(ks):
                c = acc.setdefault(k, {"#": 0.0})
                c["#"] += 1
                for f in names[s[i - 1]][0] if i > 0 else _CTX_OUT[0]:
                    c[f] = c.get(f, 0.0) + 1
                for f in names[s[i + 1]][1] if i + 1 < len(s) else _CTX_OUT[1]:
                    c[f] = c.get(f, 0.0) + 1
        shares = {k: {f: v / c["#"] for f, v in c.items() if f != "#"} for k, c in acc.items()}
        return [[shares[k] for k in ks] for ks in keys]

    @staticmethod
    def dynamic(tags: Sequence[str], dvals: Sequence[str]) -> list[list[str]]:
        """Second-pass features of one sentence: first-pass tags and document values, ±1 token."""
        n = len(tags)
        return [["y=" + tags[i], "-1y=" + (tags[i - 1] if i else "BOS"),
                 "+1y=" + (tags[i + 1] if i + 1 < n else "EOS"), "d=" + dvals[i],
                 "-1d=" + (dvals[i - 1] if i else "BOS"), "+1d=" + (dvals[i + 1] if i + 1 < n else "EOS")]
                for i in range(n)]

    def _analyse(self, n: str) -> tuple[str, str]:
        """``(clitics, rest)``: strip و/ف and ب/ك/ل (``لل`` + X is ل + ``ال`` + X) when what is left is
        a commoner word of the cluster corpus than the whole — so والجيش → الجيش but بوتين stays."""
        if len(n) > 2 and n[0] in "وفبكل" and n[1].isascii():
            return n[0], n[1:]  # "وDell": an Arabic clitic on a Latin name
        rank = self._rank
        if not rank or len(n) < 4 or n[0] not in "وفبكل":
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
        if len(self._keys) < self.max_cache:
            self._keys[tok] = rest
        base = rest[2:] if rest[:2] == "ال" and len(rest) > 3 else rest
        w, st, x2 = "w=" + n, "s=" + base, "x2=" + n[-2:]
        own = ["b", w, st, x2, "p1=" + base[:1], "p2=" + base[:2], "p3=" + base[:3], "x1=" + n[-1:],
               "x3=" + n[-3:], "x4=" + n[-4:], _LEN[min(len(base), 9)]]
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
        cfeat = self._cluster_feats
        c = cfeat(n)
        rc = cfeat(rest) if rest != n else c
        if rc is None and base != rest:
            rc = cfeat(base)
        own += _NOCL if c is None else c[0]
        k, k1 = _KNOCL if rc is None else rc[1:]
        g = self.gazetteer.get(rest) or _NOG
        own += k
        own += g
        ctx1, ctx2 = [w, st, x2] + g + k, [w] + k1
        if self.clusters2:
            ef = self._cluster2_feats
            e = ef(rest) or ef(n) or (ef(base) if base != rest else None) or _ENOCL
            own += e[0]
            ctx1 += e[1]
            ctx2 += e[2]
        if self.lexicon:
            lx = self.lexicon.get(rest) or self.lexicon.get(base) or "nolx"
            own.append(lx)
            ctx1.append(lx)
            ctx2.append(lx)
        return own, ctx1, ctx2

    def _cluster_feats(self, w: str) -> tuple | None:
        """:meth:`_cluster_strings` of word ``w``'s clusters (None if it has none), memoized."""
        return self._memo_feats(w, self._cfeat, self.clusters, self._cluster_strings)

    def _cluster2_feats(self, w: str) -> tuple | None:
        """:meth:`_cluster2_strings` of word ``w``'s second clusters (None if none), memoized."""
        return self._memo_feats(w, self._efeat, self.clusters2, self._cluster2_strings)

    def _memo_feats(self, w: str, memo: dict, clusters: dict, strings) -> tuple | None:
        r = memo.get(w, _MISSING)
        if r is _MISSING:
            if len(memo) > self.max_cache:  # bounded like the other caches
                self._cfeat.clear()
                self._efeat.clear()
                self._cstr.clear()
            c = clusters.get(w)
            r = memo[w] = None if c is None else strings(c)
        return r

    def _cluster2_strings(self, c: tuple[str, ...]) -> tuple[list[str], list[str], list[str]]:
        """The ``e*`` feature strings of a second cluster-id tuple: all for the word, the middle
        granularities for its neighbours."""
        r = self._cstr.get(("e",) + c)
        if r is None:
            e = ["e%d=%s" % kv for kv in enumerate(c)]
            r = self._cstr[("e",) + c] = (e, e[1:3], e[1:2])
        return r

    def _cluster_strings(self, c: tuple[str, ...]) -> tuple[list[str], list[str], list[str]]:
        """The ``c*`` / ``k*`` feature strings of a cluster-id tuple (memoized: tuples repeat)."""
        r = self._cstr.get(c)
        if r is None:
            k = ["k%d=%s" % kv for kv in enumerate(c[:3])]
            r = self._cstr[c] = (["c%d=%s" % kv for kv in enumerate(c)], k, k[1:2])
        return r

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


_CTX_OUT = (["ALOUT"], ["AROUT"])
_BOS1 = ["-1BOS"]
_EOS1 = ["+1EOS"]
_BOS2 = ["-2BOS"]
_EOS2 = ["+2EOS"]


# --------------------------------------------------------------------------------------------------
# the tagger

#: a feature's role (its prefix): the word itself (0), the word before / after / two before / two
#: after, and the left / right neighbour of an occurrence of a word in the document (:meth:`FeatureExtractor.context`)
_ROLE_PREFIX = {"-1": 1, "+1": 2, "-2": 3, "+2": 4, "AL": 5, "AR": 6}
N_ROLES = 7
#: roles of a model without document-context features (its score tables stay this narrow)
N_WORD_ROLES = 5


class _Scores:
    """The CRF's weights, read out of the crfsuite model, and per-word-type score vectors.

    A linear-chain CRF's emission score at a token is the sum of weights of its features. Every
    feature here belongs to one word type in one role (the token itself, the word before, after, two
    before, two after), so each type's five partial sums are computed once and cached; a sentence's
    emissions are then five array lookups, and Viterbi runs batched over sentences in numpy. The
    result is crfsuite's own decoding (checked in the tests), several times faster.
    """

    def __init__(self, model_path: "Path | Sequence[Path]", features: "FeatureExtractor",
                 max_cache: int = MAX_CACHED_TYPES):
        import numpy as np
        import pycrfsuite
        from scipy.sparse import csr_matrix

        self._csr = csr_matrix  # imported here, at load, not on the first tagging call
        # several models (an ensemble): their weights averaged, which is the same as summing their
        # Viterbi scores, so an ensemble tags as fast as one model
        paths = [model_path] if isinstance(model_path, (str, os.PathLike)) else list(model_path)
        infos = []
        for path in paths:
            tagger = pycrfsuite.Tagger()
            tagger.open(str(path))
            infos.append((tagger.labels(), tagger.info()))
            tagger.close()
        self.labels = infos[0][0]
        lab = {l: i for i, l in enumerate(self.labels)}
        n_lab = len(self.labels)
        attrs: dict[str, int] = {}
        for _, info in infos:
            for (a, _), _w in info.state_features.items():
                attrs.setdefault(a, len(attrs))
        w = np.zeros((len(attrs) + 1, n_lab))  # the last row stays zero: "no known feature"
        t = np.zeros((n_lab, n_lab))
        for _, info in infos:
            for (a, l), v in info.state_features.items():
                w[attrs[a], lab[l]] += v / len(infos)
            for (f, to), v in info.transitions.items():
                t[lab[f], lab[to]] += v / len(infos)
        self.attrs, self.w, self.trans, self.features = attrs, w, t, features
        self.zero = zero = len(attrs)
        self.has_context = any(a[:2] in ("AL", "AR") for a in attrs)
        self.n_roles = n_roles = N_ROLES if self.has_context else N_WORD_ROLES
        # base feature -> id (from 1: 0 is falsy and stays the all-zero "no feature" row) of a row
        # of role_rows, its weight rows in each role (own, -1, +1, -2, +2[, AL, AR]), zero row when absent
        roles: dict[str, list[int]] = {}
        for a, i in attrs.items():
            r = _ROLE_PREFIX.get(a[:2], 0)
            roles.setdefault(a[2:] if r else a, [zero] * n_roles)[r] = i
        self._role_attrs = roles
        self.roles = {f: k + 1 for k, f in enumerate(roles)}
        role_rows = np.array([[zero] * n_roles] + list(roles.values()), dtype=np.intp).reshape(-1, n_roles)
        # one row per base feature: its role weight vectors side by side, so a type's scores
        # are one sparse row (its features) times this matrix
        self.role_w = w[role_rows].reshape(len(role_rows), -1)
        self.max_cache = max_cache
        # BIO tags the package keeps (MISC and anything else → O)
        self.out_labels = [l if l == "O" or l[2:] in LABELS else "O" for l in self.labels]
        self._boundary = [self._vector(f) for f in (_BOS1, _EOS1, _BOS2, _EOS2)]
        self._ctx_out = [self._vector(f) for f in _CTX_OUT]
        self.reset()

    def dynamic_tables(self, values: Sequence[str], family: str):
        """``(own, prev, next)`` tables: the weight vector of ``family=value`` in each role, with
        two extra rows for ``BOS`` (as previous) and ``EOS`` (as next)."""
        import numpy as np

        vals = list(values) + ["BOS", "EOS"]
        return tuple(np.array([self._vector([pre + family + "=" + v]) for v in vals])
                     for pre in ("", "-1", "+1"))

    def add_features(self, names: Sequence[str]) -> None:
        """Put features this model lacks into its base-feature index, after the model's own (so
        ``role_w`` keeps one row per model feature only), so that its sparse feature rows of a word
        type carry them for the network (:mod:`.neural`): see :attr:`_last_m_full`."""
        self.extra = [f for f in dict.fromkeys(names) if f not in self.roles]
        for f in self.extra:
            self.roles[f] = len(self.roles) + 1

    def dense_tables(self, labels: Sequence[str]):
        """``(own, prev, next)`` weight matrices ``(len(labels), n_labels)`` of the real-valued
        network features ``q=LABEL`` (see :mod:`.neural`), or None if this model has none."""
        import numpy as np

        if not any(a.startswith("q=") for a in self.attrs):
            return None
        return tuple(np.array([self._vector([pre + "q=" + l]) for l in labels]) for pre in ("", "-1", "+1"))

    def reset(self) -> None:
        import numpy as np

        self.index: dict[str, int] = {}
        self.table = np.zeros((16384, self.n_roles, len(self.labels)))
        self._last_feats = self._last_new = self._last_m = self._last_ids = self._last_m_full = None

    def _vector(self, feats: list[str]):
        attrs = self.attrs
        return self.w[[attrs[f] for f in feats if f in attrs] or [self.zero]].sum(axis=0)

    def _add(self, new: list[str], feats: list[list[str]] | None = None, m=None) -> list[list[str]]:
        """Score vectors of unseen word types, all at once (one ``reduceat`` over their features).
        Returns the types' feature lists so a second scorer can reuse them."""
        import numpy as np

        if m is None:  # the types' feature rows (another scorer sharing this feature index may pass them)
            roles, tf = self.roles, self.features._type_features
            if feats is None:
                feats = [tf(tok)[0] for tok in new]
            flat: list[int] = []
            starts: list[int] = [0]
            get = roles.get
            for own in feats:
                flat.extend(filter(None, map(get, own)))  # unknown features (None) dropped at C speed
                starts.append(len(flat))
            ind = np.array(flat, dtype=np.int32)
            ones = np.ones(len(ind), dtype=np.float32)
            ptr = np.array(starts, dtype=np.int32)
            n_rows = len(self.role_w)
            if len(roles) + 1 > n_rows:  # features past role_w (the network's only): their rows, and
                # the model's rows with them pointed at the zero row
                self._last_m_full = self._csr((ones, ind, ptr), shape=(len(feats), len(roles) + 1))
                ind = np.where(ind < n_rows, ind, 0).astype(np.int32)
            else:
                self._last_m_full = None
            m = self._csr((ones, ind, ptr), shape=(len(feats), n_rows))
        self._last_m = m
        sums = (m @ self.role_w).reshape(len(feats), self.n_roles, -1)
        n0 = len(self.index)
        if n0 + len(new) > len(self.table):
            grown = np.zeros((max(2 * len(self.table), n0 + len(new)),) + self.table.shape[1:])
            grown[:n0] = self.table[:n0]
            self.table = grown
        self.table[n0:n0 + len(new)] = sums
        for i, tok in enumerate(new):
            self.index[tok] = n0 + i
        return feats

    def emissions(self, tokens: list[str], lengths: list[int], feats_from: "_Scores | None" = None,
                  groups=None):
        """``(n_tokens, n_labels)`` emission scores for sentences laid end to end; ``groups``: per
        token, the id of its (document, word key), for the document-context features."""
        import numpy as np

        if len(self.index) > self.max_cache:
            self.reset()
        index = self.index
        new = [t for t in dict.fromkeys(tokens) if t not in index]
        if new:
            self._last_feats = self._add(new, *_reuse(feats_from, new, self))
        else:
            self._last_feats = self._last_m = None
        self._last_new = new
        ids = self._last_ids = np.array(list(map(index.__getitem__, tokens)), dtype=np.intp)
        tab = self.table
        left, right = _room(lengths)
        bos1, eos1, bos2, eos2 = self._boundary
        e = tab[ids, 0].copy()
        for role, shift, room, edge in ((1, -1, left, bos1), (2, 1, right, eos1),
                                        (3, -2, left, bos2), (4, 2, right, eos2)):
            k = -shift if shift < 0 else shift
            src = np.clip(np.arange(len(tokens)) + shift, 0, len(tokens) - 1)
            has = room >= k
            e += np.where(has[:, None], tab[ids[src], role], edge)
        if groups is not None and self.has_context:  # the mean, over the occurrences of the word in
            # the document, of its left and right neighbours' vectors in the context roles
            n = len(tokens)
            src = np.clip(np.arange(n) - 1, 0, n - 1)
            ctx = np.where((left >= 1)[:, None], tab[ids[src], 5], self._ctx_out[0])
            src = np.clip(np.arange(n) + 1, 0, n - 1)
            ctx += np.where((right >= 1)[:, None], tab[ids[src], 6], self._ctx_out[1])
            counts = np.bincount(groups)
            sums = np.zeros((len(counts), ctx.shape[1]))
            np.add.at(sums, groups, ctx)
            e += sums[groups] / counts[groups, None]
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
        back = np.empty((maxlen, n, n_lab), dtype=np.int8)  # label ids < 128; rows past a
        # sentence's end are never read
        active = n
        for t in range(1, maxlen):
            while active and slens[active - 1] <= t:
                active -= 1
            cand = score[:active, :, None] + trans
            back[t, :active] = cand.argmax(axis=1)
            score[:active] = cand.max(axis=1) + e[offs[:active] + t]
        cur = score.argmax(axis=1)
        paths = np.empty((n, maxlen), dtype=np.intp)
        # walk back: sentences are sorted longest first, so the live ones at step t are a prefix;
        # a sentence joins the walk at its own last position with its best final label
        n_live = np.searchsorted(-slens, -np.arange(maxlen), side="left")  # count with slens > t
        for t in range(maxlen - 1, -1, -1):
            k = int(n_live[t])
            paths[:k, t] = cur[:k]
            if t > 0:
                cur[:k] = back[t, np.arange(k), cur[:k]]
        out: list[list[int]] = [[] for _ in range(n)]
        for j, i in enumerate(order):
            out[i] = paths[j, :slens[j]].tolist()
        return out


def _reuse(other: "_Scores | None", new: list[str], this: "_Scores"):
    """``(feature lists, feature-row matrix)`` another scorer just computed for the same new types,
    if it did; the matrix only when both scorers share one feature index (:func:`_share_index`)."""
    if other is None or other._last_feats is None or other._last_new != new:
        return None, None
    return other._last_feats, (other._last_m if other.roles is this.roles else None)


def _share_index(a: "_Scores", b: "_Scores") -> None:
    """Give two scorers one base-feature index (the union of their models' features; a feature one
    model lacks has zero weights there), so the second reuses the first's feature rows."""
    import numpy as np

    feats = list(a._role_attrs) + [f for f in b._role_attrs if f not in a._role_attrs]
    roles = {f: k + 1 for k, f in enumerate(feats)}
    for f in getattr(a, "extra", ()):  # the network's features no model has: past role_w's rows
        if f not in roles:
            roles[f] = len(roles) + 1
    for sc in (a, b):
        none = [sc.zero] * sc.n_roles
        rows = np.array([none] + [sc._role_attrs.get(f, none) for f in feats], dtype=np.intp).reshape(-1, sc.n_roles)
        sc.role_w = sc.w[rows].reshape(len(rows), -1)
        sc.roles = roles


def _room(lengths: list[int]):
    """Per token of sentences laid end to end: how many tokens precede / follow it in its sentence."""
    import numpy as np

    lens = np.asarray(lengths, dtype=np.intp)
    total = int(lens.sum())
    pos = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens)
    return pos, np.repeat(lens, lens) - pos - 1


def _add_dense(e, p, tables, left, right) -> None:
    """Add the network's per-token probabilities ``p`` as real-valued features in three roles."""
    import numpy as np

    own, prev, nxt = tables
    e += p @ own
    n = len(p)
    if n > 1:
        e[1:] += np.where(left[1:, None] >= 1, p[:-1] @ prev, 0)
        e[:-1] += np.where(right[:-1, None] >= 1, p[1:] @ nxt, 0)


def _join(a: list[dict[str, float]] | None, b: list[dict[str, float]] | None) -> list[dict[str, float]] | None:
    """Per token, two sets of real-valued features in one dict (either may be None)."""
    if a is None or b is None:
        return a if b is None else b
    return [{**x, **y} for x, y in zip(a, b)]


def _with_dense(rows: list[list[str]], dense: list[dict[str, float]] | None) -> list:
    """Feature lists as crfsuite items, with the network's real-valued features added."""
    if dense is None:
        return rows
    out = []
    for r, d in zip(rows, dense):
        item = dict.fromkeys(r, 1.0)
        if len(item) != len(r):  # a repeated feature counts twice, as in a list
            item = {}
            for f in r:
                item[f] = item.get(f, 0.0) + 1.0
        item.update(d)
        out.append(item)
    return out


def _add_dynamic(e, values, tables, left, right) -> None:
    """Add a per-token categorical feature in its three roles (own, as previous, as next word)."""
    import numpy as np

    own, prev, nxt = tables
    n_vals = len(own) - 2
    e += own[values]
    n = len(values)
    src = np.clip(np.arange(n) - 1, 0, max(n - 1, 0))
    e += prev[np.where(left >= 1, values[src], n_vals)]
    src = np.clip(np.arange(n) + 1, 0, max(n - 1, 0))
    e += nxt[np.where(right >= 1, values[src], n_vals + 1)]


class NERTagger:
    """A CRF named-entity tagger: ``.tag(tokens)`` → BIO tags, ``.spans(text)`` → character spans."""

    _pretrained: "NERTagger | None" = None
    _lock = threading.Lock()

    def __init__(self, model_path: "str | os.PathLike | Sequence[str | os.PathLike]",
                 clusters: dict[str, tuple[str, ...]] | None = None,
                 gazetteer: dict[str, str] | None = None,
                 model2_path: "str | os.PathLike | Sequence[str | os.PathLike] | None" = None,
                 *, clusters2: dict[str, tuple[str, ...]] | None = None, lexicon: dict[str, str] | None = None,
                 neural: "str | os.PathLike | dict | None" = None):
        # a pass may be an ensemble of models trained alike (their weights averaged: see _Scores)
        self.model_paths = _path_list(model_path)
        self.model2_paths = _path_list(model2_path) if model2_path else []
        self.model_path = self.model_paths[0]
        self.model2_path = self.model2_paths[0] if model2_path else None
        self.features = FeatureExtractor(clusters, gazetteer, clusters2=clusters2, lexicon=lexicon)
        self._scores = _Scores(self.model_paths, self.features)
        self.features.doc_context = self._scores.has_context
        self._scores2 = None
        self._neural = self._q1 = self._q2 = None
        if neural is not None:
            from .neural import NeuralScorer

            # the first scorer's sparse feature rows carry the network's features too
            self._neural = NeuralScorer(neural, self.features)
            self._scores.add_features(self._neural.feat_names)
            self._q1 = self._scores.dense_tables(self._neural.labels)
        if self.model2_path is not None:
            s2 = self._scores2 = _Scores(self.model2_paths, self.features)
            _share_index(self._scores, s2)
            if self._neural is not None:
                self._q2 = s2.dense_tables(self._neural.labels)
            self._y_tables = s2.dynamic_tables(self._scores.labels, "y")
            self._dvals = ["O"] + [t + x for t in ("PER", "ORG", "LOC", "MISC") for x in "as"]
            self._dindex = {v: i for i, v in enumerate(self._dvals)}
            self._d_tables = s2.dynamic_tables(self._dvals, "d")
        if self._neural is not None:
            self._neural.bind(self._scores.roles, len(self._scores.roles) + 1, final=True)
        self._cache_lock = threading.Lock()
        # one tiny document through every code path, so lazy imports and first-call set-up inside
        # numpy/scipy happen at load time rather than in the first real call
        self.tag_docs([[["قال", "الرئيس", "في", "دمشق", "."], ["و", "الأمم", "المتحدة"]]])
        self.clear_cache()

    @classmethod
    def load(cls, model_dir: str | os.PathLike) -> "NERTagger":
        """A tagger from a folder holding ``model.crfsuite`` and (optionally) its second pass,
        clusters and gazetteer."""
        from .autogaz import read_autogaz
        from .clusters import read_clusters
        from .namelex import read_name_lexicon

        d = Path(model_dir)
        if not (d / MODEL_FILE).exists():
            raise FileNotFoundError(f"no NER model at {d / MODEL_FILE}: run `python -m idlibnb.ner train`")
        clusters = read_clusters(d / CLUSTER_FILE) if (d / CLUSTER_FILE).exists() else None
        clusters2 = read_clusters(d / CLUSTER2_FILE) if (d / CLUSTER2_FILE).exists() else None
        gaz = read_autogaz(d / GAZ_FILE) if (d / GAZ_FILE).exists() else None
        lex = read_name_lexicon(d / LEXICON_FILE) if (d / LEXICON_FILE).exists() else None
        m2 = d / MODEL2_FILE if (d / MODEL2_FILE).exists() else None
        nn = d / NEURAL_FILE if (d / NEURAL_FILE).exists() else None
        # the first pass's other ensemble members, if any (``train --ensemble``)
        first = [d / MODEL_FILE] + sorted(d.glob(MEMBER_GLOB))
        return cls(first, clusters, gaz, m2, clusters2=clusters2, lexicon=lex, neural=nn)

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
        self.features._keys.clear()
        self._scores.reset()
        if self._scores2 is not None:
            self._scores2.reset()
        if self._neural is not None:
            self._neural.reset()

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """BIO tags (``B-PER``, ``I-LOC``, ``O`` …) for one sentence of tokens."""
        return self.tag_sents([tokens])[0]

    def tag_sents(self, sents: Iterable[Sequence[str]]) -> list[list[str]]:
        """BIO tags for the sentences of one document, all at once.

        The second pass (when the model has one) looks at how the first pass tagged the same word
        elsewhere in the batch, so pass one article (or a window of sentences) per call.
        """
        return self.tag_docs([sents])[0]

    def tag_docs(self, docs: Iterable[Iterable[Sequence[str]]]) -> list[list[list[str]]]:
        """:meth:`tag_sents` for many documents, decoded in one batch (fastest)."""
        import numpy as np

        docs = [[list(s) for s in d] for d in docs]
        sents = [s for d in docs for s in d]
        lengths = [len(s) for s in sents]
        keep = [n for n in lengths if n]
        if not keep:
            return [[[] for _ in d] for d in docs]
        flat = [t for s in sents for t in s]
        sc = self._scores
        with self._cache_lock:  # the type caches grow in place
            left, right = _room(keep)
            groups = None
            if self.features.doc_context:  # one id per (document, word key)
                key, ids = self.features.key, {}
                groups = np.array([ids.setdefault((i, key(t)), len(ids)) for i, d in enumerate(docs)
                                   for s in d for t in s], dtype=np.intp)
            e = sc.emissions(flat, keep, groups=groups)
            p = None
            nn = self._neural
            if nn is not None:
                if sc._last_new:  # z of the new word types, in the scorer's rows, from its feature rows
                    m = sc._last_m_full if sc._last_m_full is not None else sc._last_m
                    nn.add_types(sc.index[sc._last_new[0]], sc._last_new, m, sc._last_feats)
                p = nn.probs_ids(sc._last_ids, left, right, n_rows=len(sc.index))
                if self._q1 is not None:
                    _add_dense(e, p, self._q1, left, right)
            paths = sc.viterbi(e, keep)
            labels = sc.out_labels
            s2 = self._scores2
            if s2 is not None:
                y1 = [i for p in paths for i in p]
                y = np.array(y1, dtype=np.intp)
                tags1 = list(map(sc.labels.__getitem__, y1))
                dvals: list[str] = []
                at = 0
                for d in docs:  # the document-level values: one document at a time
                    n = sum(len(s) for s in d)
                    dvals += self.features.doc_values(flat[at:at + n], tags1[at:at + n])
                    at += n
                dindex = self._dindex
                dv = np.array(list(map(dindex.__getitem__, dvals)), dtype=np.intp)
                e2 = s2.emissions(flat, keep, feats_from=sc, groups=groups)
                if self._q2 is not None:
                    _add_dense(e2, p, self._q2, left, right)
                _add_dynamic(e2, y, self._y_tables, left, right)
                _add_dynamic(e2, dv, self._d_tables, left, right)
                paths = s2.viterbi(e2, keep)
                labels = s2.out_labels
        it = iter(paths)
        tagged = [[labels[i] for i in next(it)] if n else [] for n in lengths]
        out, at = [], 0
        for d in docs:
            out.append(tagged[at:at + len(d)])
            at += len(d)
        return out

    def _tag_sents_crfsuite(self, sents: Sequence[Sequence[str]]) -> list[list[str]]:
        """crfsuite's own decoding of the same model(s) (the reference the tests compare with)."""
        import pycrfsuite

        from .neural import dense_features

        if len(self.model_paths) > 1 or len(self.model2_paths) > 1:
            raise ValueError("crfsuite decodes one model per pass, not an ensemble")

        t1 = pycrfsuite.Tagger()
        t1.open(str(self.model_path))
        nn = self._neural
        dense = ([dense_features(p, nn.labels) for p in nn.probs_sents(sents)] if nn is not None
                 else [None] * len(sents))
        ctx = self.features.context(sents) if self.features.doc_context else [None] * len(sents)
        first = [t1.tag(_with_dense(self.features.sequence(s), _join(ctx[j], dense[j] if self._q1 else None)))
                 if s else [] for j, s in enumerate(sents)]
        if self.model2_path is not None:
            t2 = pycrfsuite.Tagger()
            t2.open(str(self.model2_path))
            flat = [t for s in sents for t in s]
            dv = iter(self.features.doc_values(flat, [t for p in first for t in p]))
            out = []
            for j, (s, p) in enumerate(zip(sents, first)):
                if not s:
                    out.append([])
                    continue
                dyn = self.features.dynamic(p, [next(dv) for _ in s])
                rows = [a + b for a, b in zip(self.features.sequence(s), dyn)]
                out.append(t2.tag(_with_dense(rows, _join(ctx[j], dense[j] if self._q2 else None))))
            first = out
        return [[x if x == "O" or x[2:] in LABELS else "O" for x in p] for p in first]

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, label)`` character spans of PER/ORG/LOC mentions in ``text``."""
        return self.spans_many([text])[0]

    def spans_many(self, texts: Iterable[str]) -> list[list[tuple[int, int, str]]]:
        """:meth:`spans` of many texts (each its own document), decoded in one batch: several times
        faster than one call per text for short articles."""
        docs = [list(_sentences(tokenize_with_offsets(t))) for t in texts]
        tagged = self.tag_docs([[[t[0] for t in s] for s in d] for d in docs])
        out: list[list[tuple[int, int, str]]] = []
        for d, tags_d in zip(docs, tagged):
            spans: list[tuple[int, int, str]] = []
            for sent, tags in zip(d, tags_d):
                for s, e, lab in bio_chunks(tags):
                    spans.append((sent[s][1], sent[e - 1][2], lab))
            out.append(spans)
        return out


def _path_list(p: "str | os.PathLike | Sequence[str | os.PathLike]") -> list[Path]:
    return [Path(p)] if isinstance(p, (str, os.PathLike)) else [Path(x) for x in p]


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
