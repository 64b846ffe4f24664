"""A small convolutional tagger over word vectors, run in numpy; its tag probabilities feed the CRF.

The network (trained with torch at training time, :mod:`.neural_train`; torch is never imported at
tag time):

1. **Per word type**: ``z = relu(A·f + B·[v(word); v(stem)] + b)`` — ``f`` is the multi-hot vector of
   the CRF's own features of the word (:meth:`~idlibnb.ner.FeatureExtractor._type_features`: word,
   stem, affixes, shape, clusters, gazetteer and name-list values; those seen at least 3 times in
   training), ``v`` the word2vec skip-gram vectors (learnt on unlabelled news, frozen) of the
   normalized word and of its stem (the CRF's ``s=`` form: no clitics, no ال). ``z`` is cached per word type, in the same
   index as the CRF's per-type scores, and ``A·f`` reuses the CRF's sparse feature rows.
2. **Per token**: a width-3 convolution over a sentence's ``z`` (ReLU), then a width-3 convolution
   to one score per label (so each tag sees ±2 words), softmax.

Sentences are zero-padded at both ends (torch's ``Conv1d(padding=1)``), which the numpy code
reproduces exactly: the first convolution is computed once per distinct word type of a call
(``z @ W``) and summed by lookup per token; only the small last convolution is per token.
The CRF's second pass reads the probabilities as real-valued features (``q=LABEL`` for the token,
``-1q=``/``+1q=`` for its neighbours), trained on cross-validated network outputs.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

__all__ = ["NeuralScorer", "dense_features", "NEURAL_FILE", "pack_strings", "unpack_strings"]

NEURAL_FILE = "neural.npz"


def pack_strings(words) -> "object":
    """A list of strings as one UTF-8 byte array (newline-separated): far smaller in the ``.npz``
    and in memory than numpy's fixed-width unicode arrays, and no pickles."""
    import numpy as np

    return np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8)


def unpack_strings(d, key: str) -> list[str]:
    """:func:`pack_strings`' list back (``key + "_utf8"``), or a plain string array ``key``."""
    if key + "_utf8" in d:
        b = bytes(d[key + "_utf8"])
        return b.decode("utf-8").split("\n") if b else []
    return [str(w) for w in d[key]]


class NeuralScorer:
    """The network's numpy inference.

    Standalone (:meth:`probs_sents`) it keeps its own word-type index; inside :class:`NERTagger` it is
    :meth:`bind`-ed to the first CRF scorer's feature index and fills its ``z`` rows in that scorer's
    type index (:meth:`add_types`, :meth:`probs_ids`)."""

    def __init__(self, path: str | Path | dict, features, max_cache: int | None = None):
        import numpy as np

        from . import MAX_CACHED_TYPES

        d = np.load(path, allow_pickle=False) if not isinstance(path, dict) else path
        self.features = features
        f32 = lambda k: np.asarray(d[k], dtype=np.float32)  # noqa: E731
        self.labels = [str(x) for x in d["labels"]]
        words = unpack_strings(d, "words")
        self.n_words = len(words)
        self.vec_index = dict(zip(words, range(len(words))))  # a word's vector row
        self.feat_names = unpack_strings(d, "feat_names")
        self.a = np.asarray(d["a"])                             # (n_feats, Z), float16 as shipped
        self.w_vec, self.b_in = f32("w_vec"), f32("b_in")       # (2 dim, Z), (Z,)
        # each word vector's share of z, as the word (pn) and as the stem (pr), computed once at load
        # and kept in float16 (V × Z each): a new word type then costs two row lookups
        vecs = d["vecs"]  # (V + 1, dim) float16, last row zeros: no vector
        dim = vecs.shape[1]
        self.pn = np.empty((len(vecs), self.w_vec.shape[1]), dtype=np.float16)
        self.pr = np.empty_like(self.pn)
        for i in range(0, len(vecs), 8192):  # in blocks: no float32 copy of all vectors at once
            v = np.asarray(vecs[i:i + 8192], dtype=np.float32)
            self.pn[i:i + 8192] = v @ self.w_vec[:dim]
            self.pr[i:i + 8192] = v @ self.w_vec[dim:]
        del vecs
        w1 = f32("w1")                                          # (H, Z, 3): torch Conv1d weight
        self.h = w1.shape[0]
        # (Z, H) each: the weights applied to the previous word, the word itself, the next word
        self.w1k = [np.ascontiguousarray(w1[:, :, k].T) for k in range(3)]
        self.b1 = f32("b1")
        w2 = f32("w2")                                          # (L, H, 3)
        self.n_out = w2.shape[0]
        self.w2 = np.ascontiguousarray(np.concatenate([w2[:, :, k].T for k in range(3)], axis=1))
        self.b2 = f32("b2")
        self.max_cache = max_cache or MAX_CACHED_TYPES
        self.bind({f: i + 1 for i, f in enumerate(self.feat_names)}, len(self.feat_names) + 1)
        self.reset()

    def bind(self, roles: dict[str, int], n_rows: int, *, final: bool = False) -> None:
        """Use a feature index (``{feature: row}``, row 0 = no feature) for the sparse rows: the
        first-layer weights are laid out in its rows (features the network lacks stay zero).
        ``final``: drop the shipped weights and feature names (no further :meth:`bind`; saves ~7 MB)."""
        import numpy as np

        a = np.zeros((n_rows, self.a.shape[1]), dtype=np.float32)
        rows = [roles.get(f, 0) for f in self.feat_names]
        a[rows] = self.a
        a[0] = 0
        self.roles, self.a_rows = roles, a
        if final:
            self.a = self.feat_names = None

    def reset(self) -> None:
        import numpy as np

        self.index: dict[str, int] = {}  # standalone use: its own type index and z table
        self.own_z = np.zeros((256, self.a_rows.shape[1]), dtype=np.float32)
        self.z = np.zeros((4096, self.a_rows.shape[1]), dtype=np.float32)  # rows of the bound index

    def add_types(self, at: int, new: Sequence[str], m, own: Sequence[Sequence[str]], *,
                  table: str = "z") -> None:
        """``z`` of word types ``new`` into rows ``at…``: ``m`` their sparse feature rows (CSR, in
        the bound index), ``own`` their CRF feature lists (``own[1]`` is ``w=`` + the word)."""
        import numpy as np

        miss = self.n_words
        vget = self.vec_index.get
        vn = [vget(o[1][2:], miss) for o in own]  # own[1] = "w=" + the normalized word
        vr = [vget(o[2][2:], miss) for o in own]  # own[2] = "s=" + its stem (no clitics, no ال)
        z = m @ self.a_rows
        z += self.pn[vn]
        z += self.pr[vr]
        z += self.b_in
        np.maximum(z, 0, out=z)
        end = at + len(new)
        tab = getattr(self, table)
        if end > len(tab):
            grown = np.zeros((max(2 * len(tab), end), tab.shape[1]), dtype=np.float32)
            grown[:at] = tab[:at]
            tab = grown
            setattr(self, table, tab)
        tab[at:end] = z

    def logits_ids(self, ids, left, right, z=None, n_rows: int | None = None):
        """Per-token scores of tokens given as rows of ``z``; ``left``/``right``: how many tokens
        precede / follow each one in its sentence."""
        import numpy as np

        n = len(ids)
        z = self.z if z is None else z
        if n_rows is not None and n_rows <= n:  # few types cached: every row, no sort
            zu, inv = z[:n_rows], ids
        else:
            uniq, inv = np.unique(ids, return_inverse=True)
            zu = z[uniq]
        pad = len(zu)  # a zero row: no word before the first / after the last of a sentence
        pos = np.arange(n)
        prev = np.where(left >= 1, inv[np.maximum(pos - 1, 0)], pad)
        nxt = np.where(right >= 1, inv[np.minimum(pos + 1, n - 1)], pad)
        a = None
        for k, rows in ((1, inv), (0, prev), (2, nxt)):
            u = np.zeros((pad + 1, self.h), dtype=np.float32)
            np.matmul(zu, self.w1k[k], out=u[:-1])
            if a is None:
                a = np.take(u, rows, axis=0)
            else:
                a += np.take(u, rows, axis=0)
        a += self.b1
        np.maximum(a, 0, out=a)
        L = self.n_out
        g = np.zeros((n + 1, 3 * L), dtype=np.float32)
        np.matmul(a, self.w2, out=g[:-1])
        prev = np.where(left >= 1, pos - 1, n)
        nxt = np.where(right >= 1, pos + 1, n)
        out = g[:-1, L:2 * L] + self.b2
        out += np.take(g[:, :L], prev, axis=0)
        out += np.take(g[:, 2 * L:], nxt, axis=0)
        return out

    def probs_ids(self, ids, left, right, z=None, n_rows: int | None = None):
        """Per-token probabilities (softmax of :meth:`logits_ids`); ``n_rows``: rows of ``z`` in use."""
        import numpy as np

        x = self.logits_ids(ids, left, right, z, n_rows)
        x -= x.max(axis=1, keepdims=True)
        np.exp(x, out=x)
        x /= x.sum(axis=1, keepdims=True)
        return x

    def _ids(self, tokens: Sequence[str]):
        """Rows of ``z`` of tokens, in this scorer's own type index (standalone use)."""
        import numpy as np
        from scipy.sparse import csr_matrix

        if len(self.index) > self.max_cache:
            self.index.clear()
        index = self.index
        new = [t for t in dict.fromkeys(tokens) if t not in index]
        if new:
            tf = self.features._type_features
            own = [tf(t)[0] for t in new]
            get = self.roles.get
            flat: list[int] = []
            starts = [0]
            for o in own:
                flat.extend(filter(None, map(get, o)))
                starts.append(len(flat))
            m = csr_matrix((np.ones(len(flat), dtype=np.float32), np.array(flat, dtype=np.int32),
                            np.array(starts, dtype=np.int32)), shape=(len(new), len(self.a_rows)))
            at = len(index)
            self.add_types(at, new, m, own, table="own_z")
            for i, t in enumerate(new):
                index[t] = at + i
        return np.array([index[t] for t in tokens], dtype=np.intp)

    def probs_sents(self, sents: Sequence[Sequence[str]]):
        """Per sentence, its ``(len, n_labels)`` probabilities (standalone: training, tests)."""
        import numpy as np

        from . import _room

        lengths = [len(s) for s in sents if s]
        flat = [t for s in sents for t in s]
        if not flat:
            return [np.zeros((0, self.n_out), dtype=np.float32) for _ in sents]
        left, right = _room(lengths)
        p = self.probs_ids(self._ids(flat), left, right, self.own_z, len(self.index))
        out, at = [], 0
        for s in sents:
            out.append(p[at:at + len(s)])
            at += len(s)
        return out


def dense_features(p, labels: Sequence[str]) -> list[dict[str, float]]:
    """The CRF's real-valued features of one sentence from its network probabilities ``p``:
    ``q=LABEL`` for the token, ``-1q=``/``+1q=`` for the words before and after."""
    n = len(p)
    rows = [[float(x) for x in r] for r in p]
    out = []
    for i in range(n):
        d = {"q=" + lab: v for lab, v in zip(labels, rows[i])}
        if i:
            d.update({"-1q=" + lab: v for lab, v in zip(labels, rows[i - 1])})
        if i + 1 < n:
            d.update({"+1q=" + lab: v for lab, v in zip(labels, rows[i + 1])})
        out.append(d)
    return out
