"""A small word-level bidirectional language model over unlabelled news (torch; training and screening only).

TagLM/ELMo-style contextual inputs for the BiLSTM tagger of :mod:`.bilstm_train`: a forward LSTM
reads a sentence left to right and predicts the NEXT token, a backward LSTM (its own weights) reads
it right to left and predicts the PREVIOUS token. Their states at token ``i`` (the left context up
to and including ``i``, the right context from ``i``) are the token's contextual features.

Tokens are the tagger's (:func:`~idlibnb.ner.tokenize_with_offsets`, cut into sentences the same
way), normalized with :func:`~idlibnb.normalize.normalize_ar`. Input per token: its frozen skip-gram
vector (the tagger's own) plus a small learnt embedding of what a word without a vector looks like
(the punctuation mark itself, digits, Latin letters, unknown). To keep the softmax cheap the target
is not the word but its skip-gram k-means cluster at 1,024 clusters (``clusters2.tsv.gz``, the
CRF's ``k2`` family); a word outside the clusters is predicted by that same shape class, and the
sentence's ends by one boundary class.

torch is imported inside the functions: importing this module costs nothing.
"""
from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path
from typing import Iterable, Sequence

from ..normalize import normalize_ar

__all__ = ["BILM_PARAMS", "lm_sentences", "train_bilm", "bilm_states", "bilm_eval", "save_bilm", "load_bilm"]

#: network and training settings (one pass over a few million ANT tokens fits in ~20 minutes of one thread)
BILM_PARAMS = {"hidden": 128, "shape_dim": 16, "epochs": 1, "lr": 3e-3, "batch": 64, "max_len": 60,
               "granularity": 2, "min_punct": 50, "seed": 0}

_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")


def lm_sentences(texts: Iterable[str], max_tokens: int, *, max_len: int = 60, min_len: int = 3) -> list[list[str]]:
    """The tagger's sentences (token lists) of ``texts`` up to ``max_tokens`` tokens; longer
    sentences are cut into pieces of ``max_len``, shorter than ``min_len`` dropped."""
    from . import _sentences, tokenize_with_offsets

    out: list[list[str]] = []
    n = 0
    for text in texts:
        for s in _sentences(tokenize_with_offsets(text)):
            toks = [t for t, _, _ in s]
            for c in range(0, len(toks), max_len):
                piece = toks[c:c + max_len]
                if len(piece) >= min_len:
                    out.append(piece)
                    n += len(piece)
        if n >= max_tokens:
            break
    return out


class _Vocab:
    """Per token: its vector row, its shape id (0: it has a vector) and its target class."""

    def __init__(self, words: Sequence[str], clusters: dict[str, tuple[str, ...]], granularity: int,
                 puncts: Sequence[str]):
        self.vec_index = {w: i for i, w in enumerate(words)}
        ids = sorted({c[granularity] for c in clusters.values()}, key=lambda x: (len(x), x))
        cid = {c: i for i, c in enumerate(ids)}
        self.cluster = {w: cid[c[granularity]] for w, c in clusters.items()}
        self.shapes = ["<vec>", "<unk>", "<digit>", "<latin>"] + list(puncts)
        self.shape_index = {s: i for i, s in enumerate(self.shapes)}
        self.n_clusters = len(ids)
        self.n_classes = len(ids) + len(self.shapes) + 1  # the last: sentence boundary
        self.memo: dict[str, tuple[int, int, int]] = {}

    def shape(self, n: str) -> str:
        if n in self.shape_index:
            return n
        return "<digit>" if _DIGIT.search(n) else "<latin>" if _LATIN.search(n) else "<unk>"

    def ids(self, tok: str) -> tuple[int, int, int]:
        r = self.memo.get(tok)
        if r is None:
            n = normalize_ar(tok)
            row = self.vec_index.get(n, len(self.vec_index))
            shape = self.shape_index[self.shape(n)]
            c = self.cluster.get(n)
            r = self.memo[tok] = (row, 0 if row < len(self.vec_index) else shape,
                                  c if c is not None else self.n_clusters + shape)
        return r

    def arrays(self, toks_list):
        """Padded ``(vector rows, shape ids, targets)`` of a batch of sentences and their lengths."""
        import numpy as np

        n = max(len(t) for t in toks_list)
        out = np.zeros((3, len(toks_list), n), dtype=np.int64)
        out[0] = len(self.vec_index)
        for j, toks in enumerate(toks_list):
            out[:, j, :len(toks)] = np.array([self.ids(t) for t in toks], dtype=np.int64).T
        return out, [len(t) for t in toks_list]


def _network(vecs, vocab: _Vocab, prm: dict):
    import torch
    from torch import nn

    class BiLM(nn.Module):
        def __init__(self):
            super().__init__()
            self.vocab = vocab
            self.register_buffer("vecs", torch.tensor(vecs))
            self.shape = nn.Embedding(len(vocab.shapes), prm["shape_dim"])
            self.lstm = nn.LSTM(vecs.shape[1] + prm["shape_dim"], prm["hidden"], batch_first=True,
                                bidirectional=True)
            self.fwd_out = nn.Linear(prm["hidden"], vocab.n_classes)
            self.bwd_out = nn.Linear(prm["hidden"], vocab.n_classes)

        def forward(self, rows, shapes, lengths):
            """``(B, n, 2 * hidden)``: forward state at token i, then backward state at token i."""
            x = torch.cat([self.vecs[rows], self.shape(shapes)], -1)
            packed = nn.utils.rnn.pack_padded_sequence(x, torch.tensor(lengths), batch_first=True,
                                                       enforce_sorted=False)
            h, _ = self.lstm(packed)
            return nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=rows.shape[1])[0]

        def logits(self, h):
            H = self.lstm.hidden_size
            return self.fwd_out(h[..., :H]), self.bwd_out(h[..., H:])

    net = BiLM()
    net.prm = prm
    return net


def save_bilm(net, path: str | Path) -> None:
    """Pickle the trained network's weights, vocabulary and settings (the class is local to :func:`_network`)."""
    import pickle

    Path(path).write_bytes(pickle.dumps({"state": net.state_dict(), "vocab": net.vocab, "prm": net.prm}))


def load_bilm(path: str | Path):
    """The network :func:`save_bilm` wrote (eval mode)."""
    import pickle

    d = pickle.loads(Path(path).read_bytes())
    net = _network(d["state"]["vecs"].numpy(), d["vocab"], d["prm"])
    net.load_state_dict(d["state"])
    return net.eval()


def _targets(y, lengths, boundary: int):
    """Next-token and previous-token targets of padded target classes ``y`` (-100: padding)."""
    import torch

    nxt = torch.full_like(y, -100)
    prv = torch.full_like(y, -100)
    for j, n in enumerate(lengths):
        nxt[j, :n - 1] = y[j, 1:n]
        nxt[j, n - 1] = boundary
        prv[j, 1:n] = y[j, :n - 1]
        prv[j, 0] = boundary
    return nxt, prv


def _batch_loss(net, toks_list, reduction: str = "mean"):
    """Summed forward + backward cross-entropy of a batch, and the two directions' correct counts."""
    import torch
    from torch import nn

    arr, lengths = net.vocab.arrays(toks_list)
    rows, shapes, y = (torch.from_numpy(a) for a in arr)
    h = net(rows, shapes, lengths)
    nxt, prv = _targets(y, lengths, net.vocab.n_classes - 1)
    lf, lb = net.logits(h)
    loss_fn = nn.CrossEntropyLoss(ignore_index=-100, reduction=reduction)
    C = net.vocab.n_classes
    loss = loss_fn(lf.reshape(-1, C), nxt.reshape(-1)) + loss_fn(lb.reshape(-1, C), prv.reshape(-1))
    correct = int((lf.argmax(-1) == nxt).sum()) + int((lb.argmax(-1) == prv).sum())
    return loss, correct


def train_bilm(sents: Sequence[Sequence[str]], words: Sequence[str], vecs, clusters: dict[str, tuple[str, ...]], *,
               params: dict | None = None, log=None):
    """Fit the language model on token lists; ``words``/``vecs``: the frozen skip-gram vectors,
    ``clusters``: :func:`~.clusters.read_clusters` of the target clusters. Returns the network
    (eval mode) for :func:`bilm_states`."""
    import numpy as np
    import torch

    from .neural_train import fit_in_batches

    prm = dict(BILM_PARAMS, **(params or {}))
    torch.manual_seed(prm["seed"])
    rng = np.random.default_rng(prm["seed"])
    puncts = Counter(t for s in sents for t in s if len(t) == 1 and not t.isalnum())
    vocab = _Vocab(words, clusters, prm["granularity"],
                   sorted(normalize_ar(p) for p, c in puncts.items() if c >= prm["min_punct"]))
    vec_rows = np.vstack([np.asarray(vecs, dtype=np.float32), np.zeros((1, vecs.shape[1]), dtype=np.float32)])
    net = _network(vec_rows, vocab, prm)
    fit_in_batches(net, [len(s) for s in sents], lambda ids: _batch_loss(net, [sents[i] for i in ids])[0],
                   prm, rng, clip=5.0, log=log, name="bilm")
    return net


def bilm_eval(net, sents: Sequence[Sequence[str]], batch: int = 128) -> dict:
    """Held-out per-direction perplexity and accuracy of the target classes (mean of both directions)."""
    import math

    import torch

    total, correct, n = 0.0, 0, 0
    with torch.no_grad():
        for c in range(0, len(sents), batch):
            chunk = [list(s) for s in sents[c:c + batch] if s]
            loss, ok = _batch_loss(net, chunk, reduction="sum")
            total += float(loss)
            correct += ok
            n += 2 * sum(map(len, chunk))
    return {"perplexity": round(math.exp(total / n), 2), "accuracy": round(correct / n, 4), "tokens": n // 2}


def bilm_states(net, sents: Sequence[Sequence[str]], batch: int = 128):
    """Per sentence, its ``(len, 2 * hidden)`` float32 states (forward, then backward)."""
    import numpy as np
    import torch

    from .neural_train import by_length

    out: list = [None] * len(sents)
    empty = np.zeros((0, 2 * net.lstm.hidden_size), dtype=np.float32)
    with torch.no_grad():
        for ids in by_length(sents, batch, out, empty):
            arr, lengths = net.vocab.arrays([list(sents[i]) for i in ids])
            h = net(torch.from_numpy(arr[0]), torch.from_numpy(arr[1]), lengths).numpy()
            for j, i in enumerate(ids):
                out[i] = h[j, :lengths[j]].copy()
    return out


def corpus_sample(path: str | Path, max_tokens: int, *, held_out_files: int = 200, seed: int = 0,
                  max_len: int = 60) -> tuple[list[list[str]], list[list[str]]]:
    """``(training sentences, held-out sentences)`` of a TREC corpus folder: files in a seeded
    random order (every outlet mixed), the first ``held_out_files`` held out."""
    from .clusters import iter_corpus_texts

    files = sorted(p for p in Path(path).rglob("*") if p.is_file())
    random.Random(seed).shuffle(files)
    texts = lambda fs: (t for f in fs for t in iter_corpus_texts(f))  # noqa: E731
    held = lm_sentences(texts(files[:held_out_files]), 10 ** 9, max_len=max_len)
    return lm_sentences(texts(files[held_out_files:]), max_tokens, max_len=max_len), held
