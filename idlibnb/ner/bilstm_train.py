"""A BiLSTM tagger over the whole sentence, trained with torch (training and screening only).

Per word type, the network's input is three parts, computed once per type:

* the frozen word2vec skip-gram vectors (learnt on unlabelled news) of the normalized word and of
  its stem (the CRF's ``s=`` form), as in :mod:`.neural`;
* a character CNN over the normalized word (``^word$``; width 3, max-pooled);
* a summed embedding of the CRF's own cheap per-type signals (:data:`.bilstm.BAG_FAMILIES`: cluster ids,
  gazetteer and name-list values, shape, clitic and ``ال`` flags).

Optionally (``lm=``), each token's row is joined by the frozen states of the bidirectional language
model of :mod:`.bilm` at that token (contextual, not per type; torch only, the numpy scorer has no
language model). A bidirectional LSTM reads the sentence's rows and a linear layer gives one score per label
(softmax). Its cross-validated probabilities can be stacked into the CRF's second pass like the
convolutional network's (``q=LABEL`` features: :func:`~.neural.dense_features`);
:func:`export_bilstm` gives the arrays of its numpy inference (:class:`~.bilstm.BiLSTMScorer`).

torch is imported inside the functions: importing this module costs nothing.
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

from .bilstm import type_inputs, type_raw
from .neural_train import by_length, fit_in_batches

__all__ = ["BILSTM_PARAMS", "train_bilstm", "bilstm_probs", "export_bilstm"]

#: network and training settings (screened on dev tenths 9 and 2 of ANERcorp train)
BILSTM_PARAMS = {"hidden": 64, "bag": 48, "char_emb": 24, "char_filters": 40, "dropout": 0.5,
                 "epochs": 8, "lr": 4e-3, "batch": 64, "min_feat_count": 2, "max_chars": 20, "seed": 0}


class _Encoder:
    """Per word type: vector rows (word, stem), bag feature ids, character ids."""

    def __init__(self, features, words: Sequence[str], *, feat_index=None, char_index=None,
                 max_chars: int = 20):
        self.features = features
        self.vec_index = {w: i for i, w in enumerate(words)}
        self.feat_index, self.char_index, self.max_chars = feat_index, char_index, max_chars
        self.memo: dict[str, tuple] = {}

    def raw(self, tok: str):
        r = self.memo.get(tok)
        if r is None:
            r = self.memo[tok] = type_raw(self.features, tok, self.vec_index)
        return r

    def fit_vocab(self, sents, min_count: int) -> None:
        feats: Counter[str] = Counter()
        chars: Counter[str] = Counter()
        for toks in sents:
            for t in toks:
                _, _, bag, w = self.raw(t)
                feats.update(bag)
                chars.update(w)
        self.feat_index = {f: i for i, f in enumerate(sorted(f for f, c in feats.items() if c >= min_count))}
        # 0: padding, 1: unknown character
        self.char_index = {c: i + 2 for i, c in enumerate(sorted(c for c, n in chars.items() if n >= min_count))}

    def types(self, toks_list):
        """``(type list, per sentence its type ids)`` over sentences."""
        import numpy as np

        index: dict[str, int] = {}
        ids = [np.array([index.setdefault(t, len(index)) for t in toks], dtype=np.int64) for toks in toks_list]
        return list(index), ids

    def type_arrays(self, types: Sequence[str]):
        """:func:`~.bilstm.type_inputs` of word types."""
        return type_inputs([self.raw(t) for t in types], self.feat_index, self.char_index, self.max_chars)


def _network(n_feats: int, n_chars: int, vecs, n_labels: int, prm: dict, n_ctx: int = 0):
    import torch
    from torch import nn

    class BiLSTMTagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("vecs", torch.tensor(vecs))
            self.bag = nn.EmbeddingBag(max(n_feats, 1), prm["bag"], mode="sum")
            self.chars = nn.Embedding(n_chars, prm["char_emb"], padding_idx=0)
            self.conv = nn.Conv1d(prm["char_emb"], prm["char_filters"], 3, padding=1)
            dim = 2 * vecs.shape[1] + prm["bag"] + prm["char_filters"] + n_ctx
            self.lstm = nn.LSTM(dim, prm["hidden"], batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * prm["hidden"], n_labels)
            self.drop = nn.Dropout(prm["dropout"])
            nn.init.normal_(self.bag.weight, std=0.1)

        def type_rows(self, vn, vr, fids, offs, chars):
            mask = (chars > 0).float()[:, None, :]
            c = torch.relu(self.conv(self.chars(chars).transpose(1, 2))) * mask
            return torch.cat([self.vecs[vn], self.vecs[vr], self.bag(fids, offs), c.max(dim=2).values], -1)

        def forward(self, rows, tok, lengths, ctx=None):
            x = rows[tok] if ctx is None else torch.cat([rows[tok], ctx], -1)
            x = self.drop(x)  # (B, n, dim)
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=tok.shape[1])
            return self.out(self.drop(h))

    net = BiLSTMTagger()
    net.n_ctx = n_ctx
    return net


def _batch(enc: _Encoder, toks_list, pad_label: int = -100, tags=None, ctx=None):
    """Tensors of one batch of sentences: its distinct types' arrays, token → type ids, lengths,
    labels and (``ctx``: per sentence its ``(len, d)`` token states) the padded token states or None."""
    import numpy as np
    import torch

    types, ids = enc.types(toks_list)
    arrays = [torch.from_numpy(a) for a in enc.type_arrays(types)]
    n = max(len(t) for t in toks_list)
    tok = np.zeros((len(toks_list), n), dtype=np.int64)
    y = np.full((len(toks_list), n), pad_label, dtype=np.int64)
    for j, i in enumerate(ids):
        tok[j, :len(i)] = i
        if tags is not None:
            y[j, :len(i)] = tags[j]
    lengths = torch.tensor([len(t) for t in toks_list], dtype=torch.int64)
    states = None
    if ctx is not None:
        states = np.zeros((len(toks_list), n, ctx[0].shape[1]), dtype=np.float32)
        for j, c in enumerate(ctx):
            states[j, :len(c)] = c
        states = torch.from_numpy(states)
    return arrays, torch.from_numpy(tok), lengths, torch.from_numpy(y), states


def train_bilstm(sents: Sequence[tuple[list[str], list[str]]], features, words: list[str], vecs, *,
                 labels: Sequence[str], params: dict | None = None, log=None, lm=None):
    """Fit the BiLSTM on ``(tokens, tags)`` sentences (tags already mapped to ``labels``); returns
    ``(network, encoder)`` for :func:`bilstm_probs`. ``words``/``vecs``: frozen word vectors;
    ``lm``: a :func:`~.bilm.train_bilm` network whose frozen states join each token's input."""
    import numpy as np
    import torch
    from torch import nn

    prm = dict(BILSTM_PARAMS, **(params or {}))
    torch.manual_seed(prm["seed"])
    rng = np.random.default_rng(prm["seed"])
    enc = _Encoder(features, words, max_chars=prm["max_chars"])
    enc.fit_vocab([t for t, _ in sents], prm["min_feat_count"])
    vec_rows = np.vstack([np.asarray(vecs, dtype=np.float32), np.zeros((1, vecs.shape[1]), dtype=np.float32)])
    states = _lm_states(lm, [t for t, _ in sents])
    net = _network(len(enc.feat_index), len(enc.char_index) + 2, vec_rows, len(labels), prm,
                   n_ctx=0 if states is None else 2 * lm.lstm.hidden_size)
    lab_index = {lab: i for i, lab in enumerate(labels)}
    ys = [np.array([lab_index[t] for t in tags], dtype=np.int64) for _, tags in sents]
    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)

    def batch_loss(ids):
        arrays, tok, lengths, y, ctx = _batch(enc, [sents[i][0] for i in ids], tags=[ys[i] for i in ids],
                                              ctx=None if states is None else [states[i] for i in ids])
        out = net(net.type_rows(*arrays), tok, lengths, ctx)
        return loss_fn(out.reshape(-1, len(labels)), y.reshape(-1))

    fit_in_batches(net, [len(t) for t, _ in sents], batch_loss, prm, rng, clip=5.0, log=log, name="bilstm")
    return net, enc


def _lm_states(lm, sents):
    """Per sentence the language model's token states, or None without a language model."""
    if lm is None:
        return None
    from .bilm import bilm_states

    return bilm_states(lm, sents)


def bilstm_probs(net, enc: _Encoder, sents: Sequence[Sequence[str]], batch: int = 64, lm=None):
    """Per sentence, its ``(len, n_labels)`` softmax probabilities (numpy float32); ``lm``: the
    language model the network was trained with (:func:`train_bilstm`), if any."""
    import numpy as np
    import torch

    states = _lm_states(lm, sents)
    out: list = [None] * len(sents)
    empty = np.zeros((0, net.out.out_features), dtype=np.float32)
    with torch.no_grad():
        for ids in by_length(sents, batch, out, empty):
            arrays, tok, lengths, _, ctx = _batch(enc, [list(sents[i]) for i in ids],
                                                  ctx=None if states is None else [states[i] for i in ids])
            p = torch.softmax(net(net.type_rows(*arrays), tok, lengths, ctx), -1).numpy()
            for j, i in enumerate(ids):
                out[i] = p[j, :len(sents[i])]
    return out


def export_bilstm(net, enc: _Encoder, labels: Sequence[str], words: Sequence[str]) -> dict:
    """The arrays :class:`~.bilstm.BiLSTMScorer` loads (``bilstm.npz``): vectors in float16, the
    LSTM's gates reordered i, f, o, g (torch: i, f, g, o) so the sigmoids are one slice."""
    import numpy as np

    from .neural import pack_strings

    if getattr(net, "n_ctx", 0):
        raise ValueError("the numpy scorer has no language model: export a network trained without lm=")
    det = lambda t: t.detach().numpy().astype(np.float32)  # noqa: E731
    H = net.lstm.hidden_size
    perm = np.r_[0:2 * H, 3 * H:4 * H, 2 * H:3 * H]
    lstm = net.lstm
    w_in = np.hstack([det(lstm.weight_ih_l0)[perm].T, det(lstm.weight_ih_l0_reverse)[perm].T])
    b_in = np.concatenate([(det(lstm.bias_ih_l0) + det(lstm.bias_hh_l0))[perm],
                           (det(lstm.bias_ih_l0_reverse) + det(lstm.bias_hh_l0_reverse))[perm]])
    return {
        "labels": np.array(list(labels)),
        "words_utf8": pack_strings(words),
        "vecs": det(net.vecs).astype(np.float16),
        "feat_names_utf8": pack_strings(sorted(enc.feat_index, key=enc.feat_index.get)),
        "chars_utf8": pack_strings(sorted(enc.char_index, key=enc.char_index.get)),
        "max_chars": np.array(enc.max_chars),
        "bag": det(net.bag.weight), "char_emb": det(net.chars.weight),
        "conv": det(net.conv.weight), "conv_b": det(net.conv.bias),
        "w_in": w_in, "b_in": b_in,
        "w_hh_fwd": det(lstm.weight_hh_l0)[perm].T.copy(), "w_hh_bwd": det(lstm.weight_hh_l0_reverse)[perm].T.copy(),
        "w_out": det(net.out.weight).T.copy(), "b_out": det(net.out.bias),
    }
