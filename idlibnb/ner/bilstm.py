"""The BiLSTM tagger of :mod:`.bilstm_train`, run in numpy (float32; torch is never imported here).

Everything that depends on the word alone is computed once per distinct word type of a call: its
input row (frozen word and stem vectors, the character CNN, the summed embedding of its CRF
signals) and that row's input projection for both directions (one GEMM). The recurrence runs over
all sentences of the call at once, longest first, so each step is one small GEMM per direction for
the sentences still running. Not wired into :class:`~idlibnb.ner.NERTagger` yet: the BiLSTM round
(``docs/ner.md``) screened it on dev tenths only.

OpenBLAS splits even these small GEMMs over threads, which costs ~6× the CPU time of one thread on
a shared machine: callers timing it per CPU-second should limit BLAS to one thread
(``threadpoolctl.threadpool_limits(1)``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

__all__ = ["BiLSTMScorer", "BILSTM_FILE", "BAG_FAMILIES", "type_raw", "type_inputs"]

BILSTM_FILE = "bilstm.npz"
#: the CRF feature families the network reads as a bag (prefixes of :meth:`FeatureExtractor._type_features`)
BAG_FAMILIES = ("k0=", "k1=", "k2=", "e0=", "e1=", "e2=", "e3=", "g", "lx=", "t=", "nolx", "nog", "nocl",
                "knocl", "enocl", "punct", "digit", "latin", "AC", "Cap", "al", "cl=", "len=")


def type_raw(features, tok: str, vec_index: dict[str, int]) -> tuple:
    """A word type's ``(word vector row, stem vector row, bag feature names, "^word$")``; a word
    without a vector gets row ``len(vec_index)`` (zeros)."""
    own = features._type_features(tok)[0]  # own[1] = "w=" + the normalized word, own[2] = "s=" + its stem
    word, stem = own[1][2:], own[2][2:]
    miss = len(vec_index)
    return (vec_index.get(word, miss), vec_index.get(stem, miss),
            [f for f in own if f.startswith(BAG_FAMILIES)], "^" + word + "$")


def type_inputs(raws: Sequence[tuple], feat_index: dict[str, int], char_index: dict[str, int], max_chars: int):
    """Arrays of word types from their :func:`type_raw`: vector rows (word, stem), bag feature ids
    and offsets, character ids (0 padding, 1 unknown; words cut to ``max_chars`` letters)."""
    import numpy as np

    vn, vr, fids, offs = [], [], [], []
    chars = np.zeros((len(raws), max_chars + 2), dtype=np.int64)
    fget, cget = feat_index.get, char_index.get
    for j, (a, b, bag, w) in enumerate(raws):
        vn.append(a)
        vr.append(b)
        offs.append(len(fids))
        fids.extend(i for i in map(fget, bag) if i is not None)
        w = w if len(w) <= max_chars + 2 else w[:max_chars + 1] + "$"
        chars[j, :len(w)] = [cget(c, 1) for c in w]
    return (np.array(vn, dtype=np.int64), np.array(vr, dtype=np.int64), np.array(fids, dtype=np.int64),
            np.array(offs, dtype=np.int64), chars)


def _sigmoid(x, out) -> None:
    import numpy as np

    np.negative(x, out=out)
    np.exp(out, out=out)
    out += 1
    np.reciprocal(out, out=out)


class BiLSTMScorer:
    """Per-token label probabilities of the BiLSTM (arrays from :func:`~.bilstm_train.export_bilstm`)."""

    def __init__(self, path: str | Path | dict, features):
        import numpy as np

        from .neural import unpack_strings

        d = np.load(path, allow_pickle=False) if not isinstance(path, dict) else path
        f32 = lambda k: np.ascontiguousarray(d[k], dtype=np.float32)  # noqa: E731
        self.features = features
        self.labels = [str(x) for x in d["labels"]]
        words = unpack_strings(d, "words")
        self.vec_index = dict(zip(words, range(len(words))))
        self.vecs = np.asarray(d["vecs"])  # (V + 1, dim) float16, last row zeros: no vector
        self.feat_index = {f: i for i, f in enumerate(unpack_strings(d, "feat_names"))}
        self.char_index = {c: i + 2 for i, c in enumerate(unpack_strings(d, "chars"))}  # 0 pad, 1 unknown
        self.max_chars = int(d["max_chars"])
        self.bag = f32("bag")                                       # (n_feats, B)
        self.char_emb = f32("char_emb")                             # (n_chars, E), row 0 zeros
        conv = f32("conv")                                          # (F, E, 3): torch Conv1d weight
        self.conv_k = [np.ascontiguousarray(conv[:, :, k].T) for k in range(3)]  # (E, F) each
        self.conv_b = f32("conv_b")
        self.w_in = f32("w_in")                                     # (D, 8H): both directions, gates i f o g
        self.b_in = f32("b_in")
        self.w_hh = [f32("w_hh_fwd"), f32("w_hh_bwd")]              # (H, 4H) each
        self.hidden = self.w_hh[0].shape[0]
        self.w_out, self.b_out = f32("w_out"), f32("b_out")         # (2H, L), (L,)

    def _type_rows(self, types: Sequence[str]):
        """Input rows of word types (``(T, D)``), as the torch network's ``type_rows``."""
        import numpy as np
        from scipy.sparse import csr_matrix

        vn, vr, fids, offs, chars = type_inputs([type_raw(self.features, t, self.vec_index) for t in types],
                                                self.feat_index, self.char_index, self.max_chars)
        offs = np.append(offs, len(fids))
        bag = csr_matrix((np.ones(len(fids), dtype=np.float32), fids, offs),
                         shape=(len(types), len(self.bag))) @ self.bag
        x = self.char_emb[chars]                                    # (T, W, E)
        n_t, w = chars.shape
        xp = np.zeros((n_t, w + 2, x.shape[2]), dtype=np.float32)
        xp[:, 1:-1] = x
        c = xp[:, :w] @ self.conv_k[0]
        c += xp[:, 1:w + 1] @ self.conv_k[1]
        c += xp[:, 2:] @ self.conv_k[2]
        c += self.conv_b
        np.maximum(c, 0, out=c)
        c *= (chars > 0)[:, :, None]
        return np.hstack([self.vecs[vn].astype(np.float32), self.vecs[vr].astype(np.float32), bag, c.max(axis=1)])

    def logits_sents(self, sents: Sequence[Sequence[str]]):
        """Per sentence, its ``(len, n_labels)`` scores."""
        import numpy as np

        index: dict[str, int] = {}
        flat = np.array([index.setdefault(t, len(index)) for s in sents for t in s], dtype=np.intp)
        lens = np.array([len(s) for s in sents], dtype=np.intp)
        n_labels = len(self.b_out)
        if not len(flat):
            return [np.zeros((0, n_labels), dtype=np.float32) for _ in sents]
        proj = self._type_rows(list(index)) @ self.w_in
        proj += self.b_in
        starts = np.cumsum(lens) - lens
        order = np.argsort(-lens, kind="stable")
        long_first, first_pos = lens[order], starts[order]
        H = self.hidden
        hs = np.zeros((len(flat), 2 * H), dtype=np.float32)
        for d in range(2):  # forward, backward
            h = np.zeros((len(order), H), dtype=np.float32)
            c = np.zeros_like(h)
            g_all = np.empty((len(order), 4 * H), dtype=np.float32)
            cols = slice(4 * H * d, 4 * H * (d + 1))
            for t in range(int(long_first[0])):
                nb = int(np.searchsorted(-long_first, -t, side="left"))  # sentences longer than t
                pos = first_pos[:nb] + (t if d == 0 else long_first[:nb] - 1 - t)
                g = g_all[:nb]
                np.matmul(h[:nb], self.w_hh[d], out=g)
                g += proj[flat[pos], cols]
                _sigmoid(g[:, :3 * H], g[:, :3 * H])
                np.tanh(g[:, 3 * H:], out=g[:, 3 * H:])
                cb, hb = c[:nb], h[:nb]
                cb *= g[:, H:2 * H]
                cb += g[:, :H] * g[:, 3 * H:]
                np.tanh(cb, out=hb)
                hb *= g[:, 2 * H:3 * H]
                hs[pos, H * d:H * (d + 1)] = hb
        out = hs @ self.w_out
        out += self.b_out
        return [out[a:a + n] for a, n in zip(starts, lens)]

    def probs_sents(self, sents: Sequence[Sequence[str]]):
        """Per sentence, its ``(len, n_labels)`` softmax probabilities."""
        import numpy as np

        out = []
        for x in self.logits_sents(sents):
            x = x - x.max(axis=1, keepdims=True) if len(x) else x
            np.exp(x, out=x)
            out.append(x / x.sum(axis=1, keepdims=True) if len(x) else x)
        return out
