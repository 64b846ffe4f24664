"""Training the convolutional tagger of :mod:`.neural` with torch (training time only).

``learn_vectors`` learns word2vec skip-gram vectors (gensim) from a corpus path; ``train_neural``
fits the network on CoNLL sentences and returns the arrays :class:`~.neural.NeuralScorer` loads
(``write_neural`` saves them as ``neural.npz``). Neither runs at tag time; torch is imported here only.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Iterable, Sequence

__all__ = ["learn_vectors", "train_neural", "write_neural", "NEURAL_PARAMS"]

#: network and training settings (chosen on the dev split: the last tenth of ANERcorp train)
NEURAL_PARAMS = {"z": 64, "h": 64, "dropout": 0.3, "feat_dropout": 0.1, "epochs": 12, "lr": 2e-3,
                 "batch": 32, "min_feat_count": 3, "seed": 0}


def learn_vectors(texts: Iterable[str], *, dims: int = 100, window: int = 3, epochs: int = 5,
                  min_count: int = 3, workers: int = 2, seed: int = 0):
    """``(words commonest first, float32 vectors)``: word2vec skip-gram over normalized corpus text."""
    import numpy as np

    from .clusters import skipgram_vectors

    kv = skipgram_vectors(texts, dims=dims, window=window, epochs=epochs, min_count=min_count,
                          workers=workers, seed=seed)
    return list(kv.index_to_key), np.asarray(kv.vectors, dtype=np.float32)


def _encode(sents, features, vec_index, feat_index=None, min_count=3):
    """Per sentence ``(vn, vr, feature ids, offsets)``; builds the feature vocabulary if not given."""
    import numpy as np

    memo: dict[str, tuple] = {}
    miss = len(vec_index)
    for toks, _ in sents:
        for t in toks:
            if t not in memo:  # own[1] is "w=" + the word, own[2] "s=" + its stem (as the scorer reads them)
                own = features._type_features(t)[0]
                memo[t] = (vec_index.get(own[1][2:], miss), vec_index.get(own[2][2:], miss), own)
    if feat_index is None:
        counts: Counter[str] = Counter()
        for toks, _ in sents:
            for t in toks:
                counts.update(memo[t][2])
        feat_index = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= min_count))}
    enc = []
    for toks, _ in sents:
        vn = np.array([memo[t][0] for t in toks], dtype=np.int64)
        vr = np.array([memo[t][1] for t in toks], dtype=np.int64)
        ids = [[feat_index[f] for f in memo[t][2] if f in feat_index] for t in toks]
        enc.append((vn, vr, ids))
    return enc, feat_index


def train_neural(sents: Sequence[tuple[list[str], list[str]]], features, words: list[str], vecs,
                 *, labels: Sequence[str], params: dict | None = None, log=None) -> dict:
    """Fit the network on ``(tokens, tags)`` sentences (tags already mapped to ``labels``) and
    return the arrays of ``neural.npz``. ``words``/``vecs``: the frozen word vectors (one row each)."""
    import numpy as np
    import torch
    from torch import nn

    from .neural import pack_strings

    prm = dict(NEURAL_PARAMS, **(params or {}))
    torch.manual_seed(prm["seed"])
    rng = np.random.default_rng(prm["seed"])
    vec_index = {w: i for i, w in enumerate(words)}
    enc, feat_index = _encode(sents, features, vec_index, min_count=prm["min_feat_count"])
    lab_index = {l: i for i, l in enumerate(labels)}
    ys = [np.array([lab_index[t] for t in tags], dtype=np.int64) for _, tags in sents]
    # the float16 the scorer ships, and a zero row for words without a vector
    vec_t = torch.tensor(np.vstack([vecs, np.zeros((1, vecs.shape[1]), dtype=np.float32)])
                         .astype(np.float16).astype(np.float32))
    Z, H, L, dim = prm["z"], prm["h"], len(labels), vecs.shape[1]

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.bag = nn.EmbeddingBag(len(feat_index), Z, mode="sum")
            self.vec = nn.Linear(2 * dim, Z)
            self.conv1 = nn.Conv1d(Z, H, 3, padding=1)
            self.conv2 = nn.Conv1d(H, L, 3, padding=1)
            self.drop = nn.Dropout(prm["dropout"])
            nn.init.normal_(self.bag.weight, std=0.05)

        def forward(self, vn, vr, fids, offs, mask):
            b, n = vn.shape
            x = torch.cat([vec_t[vn], vec_t[vr]], -1)
            z = self.bag(fids, offs).reshape(b, n, Z) + self.vec(self.drop(x))
            z = torch.relu(z) * mask[..., None]
            h = torch.relu(self.conv1(self.drop(z).transpose(1, 2))) * mask[:, None, :]
            return self.conv2(self.drop(h)).transpose(1, 2)

    net = Net()

    def batch(ids):
        n = max(len(enc[i][0]) for i in ids)
        vn = np.full((len(ids), n), len(words), dtype=np.int64)
        vr = vn.copy()
        y = np.full((len(ids), n), -100, dtype=np.int64)
        mask = np.zeros((len(ids), n), dtype=np.float32)
        fids: list[int] = []
        offs: list[int] = []
        for j, i in enumerate(ids):
            k = len(enc[i][0])
            vn[j, :k], vr[j, :k] = enc[i][0], enc[i][1]
            y[j, :k] = ys[i]
            mask[j, :k] = 1
            for f in enc[i][2]:
                offs.append(len(fids))
                if prm["feat_dropout"] and f:
                    keep = rng.random(len(f)) >= prm["feat_dropout"]
                    f = [x for x, kp in zip(f, keep) if kp]
                fids.extend(f)
            offs.extend([len(fids)] * (n - k))  # padding positions: empty bags
        return (torch.from_numpy(vn), torch.from_numpy(vr), torch.tensor(fids, dtype=torch.int64),
                torch.tensor(offs, dtype=torch.int64), torch.from_numpy(mask), torch.from_numpy(y))

    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)

    def batch_loss(ids):
        vn, vr, fids, offs, mask, y = batch(ids)
        return loss_fn(net(vn, vr, fids, offs, mask).reshape(-1, L), y.reshape(-1))

    fit_in_batches(net, [len(e[0]) for e in enc], batch_loss, prm, rng, log=log)
    det = lambda t: t.detach().numpy().copy()  # noqa: E731
    return {
        "labels": np.array(list(labels)),
        "words_utf8": pack_strings(words),
        "vecs": vec_t.numpy().astype(np.float16),
        "feat_names_utf8": pack_strings(sorted(feat_index, key=feat_index.get)),
        "a": det(net.bag.weight).astype(np.float16),
        "w_vec": det(net.vec.weight).T.copy(),
        "b_in": det(net.vec.bias),
        "w1": det(net.conv1.weight),
        "b1": det(net.conv1.bias),
        "w2": det(net.conv2.weight),
        "b2": det(net.conv2.bias),
    }



def fit_in_batches(net, lengths: Sequence[int], batch_loss, prm: dict, rng, *,
                   clip: float | None = None, log=None, name: str = "network") -> None:
    """Train ``net`` with Adam and a one-cycle schedule (``prm``: lr, epochs, batch) on sentences of
    ``lengths``; ``batch_loss(ids)`` gives the mean loss of sentences ``ids``. Each epoch shuffles
    the sentences, puts similar lengths together in batches (less padding) and takes the batches in
    random order. ``clip``: the gradients' largest norm. Leaves ``net`` in eval mode."""
    import numpy as np
    import torch
    from torch import nn

    opt = torch.optim.Adam(net.parameters(), lr=prm["lr"])
    size = prm["batch"]
    n_batches = (len(lengths) + size - 1) // size
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=prm["lr"], total_steps=prm["epochs"] * n_batches)
    order = np.arange(len(lengths))
    for ep in range(prm["epochs"]):
        net.train()
        rng.shuffle(order)
        batches = []
        for c in range(0, len(order), size * 20):
            chunk = sorted(order[c:c + size * 20], key=lengths.__getitem__)
            batches += [chunk[i:i + size] for i in range(0, len(chunk), size)]
        rng.shuffle(batches)
        total = 0.0
        for ids in batches:
            loss = batch_loss(ids)
            opt.zero_grad()
            loss.backward()
            if clip:
                nn.utils.clip_grad_norm_(net.parameters(), clip)
            opt.step()
            sched.step()
            total += float(loss.detach()) * len(ids)
        if log:
            log(f"{name} epoch {ep + 1}: loss {total / len(lengths):.4f}")
    net.eval()

def by_length(sents: Sequence[Sequence[str]], batch: int, out: list, empty) -> Iterable[list[int]]:
    """Indices of the non-empty sentences, in batches of ``batch`` sentences of similar length
    (shortest first), for running a network over them; an empty sentence's slot in ``out`` is set
    to ``empty`` (its zero-length output) instead."""
    order = sorted(range(len(sents)), key=lambda i: len(sents[i]))
    for c in range(0, len(order), batch):
        ids = []
        for i in order[c:c + batch]:
            if sents[i]:
                ids.append(i)
            else:
                out[i] = empty
        if ids:
            yield ids


def write_neural(arr: dict, path: str | Path) -> None:
    """Save the network's arrays (compressed ``.npz``, no pickles)."""
    import numpy as np

    np.savez_compressed(path, **arr)


def torch_logits(arr: dict, features, sents: Sequence[Sequence[str]]):
    """The network's per-token scores computed by torch from the arrays of ``neural.npz`` (one
    zero-padded batch, as in training): the reference the numpy scorer is tested against."""
    import numpy as np
    import torch
    import torch.nn.functional as F

    from .neural import unpack_strings

    t = lambda k: torch.from_numpy(np.asarray(arr[k], dtype=np.float32))  # noqa: E731
    words = unpack_strings(arr, "words")
    feat_index = {f: i for i, f in enumerate(unpack_strings(arr, "feat_names"))}
    enc, _ = _encode([(s, None) for s in sents], features, {w: i for i, w in enumerate(words)}, feat_index)
    n = max(len(s) for s in sents)
    vecs, a = t("vecs"), t("a")
    z = torch.zeros((len(sents), n, a.shape[1]))
    mask = torch.zeros((len(sents), n))
    for j, (vn, vr, ids) in enumerate(enc):
        for i, f in enumerate(ids):
            x = torch.cat([vecs[int(vn[i])], vecs[int(vr[i])]])
            z[j, i] = torch.relu(a[f].sum(0) + x @ t("w_vec") + t("b_in"))
            mask[j, i] = 1
    h = torch.relu(F.conv1d(z.transpose(1, 2), t("w1"), t("b1"), padding=1)) * mask[:, None, :]
    out = F.conv1d(h, t("w2"), t("b2"), padding=1).transpose(1, 2)
    return [out[j, :len(s)].numpy() for j, s in enumerate(sents)]
