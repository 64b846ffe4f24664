"""The BiLSTM tagger (:mod:`idlibnb.ner.bilstm_train`, :mod:`idlibnb.ner.bilstm`): trains, predicts, numpy = torch."""
from __future__ import annotations

import random

import pytest

import idlibnb.ner as ner

from test_ner import _sentence  # the synthetic sentences of the CRF tests


@pytest.fixture(scope="module")
def tiny_bilstm():
    """A BiLSTM trained on the synthetic sentences of the CRF tests (and its data)."""
    torch = pytest.importorskip("torch")
    import numpy as np

    from idlibnb.ner.bilstm_train import train_bilstm

    torch.set_num_threads(1)
    rng = random.Random(5)
    data = [([w for w, _ in s], [ner.map_tag(t, keep_misc=True) for _, t in s])
            for s in (_sentence(rng) for _ in range(80))]
    fx = ner.FeatureExtractor({"دمشق": ("1", "2", "3")}, {"دمشق": "gLOC=3|gB"}, lexicon={"بوتين": "lx=PER"})
    words = sorted({w for toks, _ in data for w in toks})[:15]
    vecs = np.random.default_rng(0).standard_normal((len(words), 6)).astype(np.float32)
    labels = sorted({t for _, tags in data for t in tags})
    net, enc = train_bilstm(data, fx, words, vecs, labels=labels,
                            params={"hidden": 8, "bag": 4, "char_emb": 4, "char_filters": 5, "epochs": 10,
                                    "batch": 8, "lr": 3e-2, "dropout": 0.0, "min_feat_count": 1})
    return net, enc, fx, data, labels, words


#: sentences the network never saw: an empty one, a word longer than max_chars, one token
_UNSEEN = [[], ["كلمةجديدةطويلةجدالاتنتهيأبداأبدا", "في", "موسكو", "."], ["."]]


def test_bilstm_numpy_equals_torch(tiny_bilstm):
    """The numpy inference (batched over sentences of different lengths) computes torch's probabilities."""
    import numpy as np

    net, enc, fx, data, labels, words = tiny_bilstm
    from idlibnb.ner.bilstm import BiLSTMScorer
    from idlibnb.ner.bilstm_train import bilstm_probs, export_bilstm

    import copy

    arr = export_bilstm(net, enc, labels, words)
    net = copy.deepcopy(net)
    net.vecs.copy_(net.vecs.half().float())  # the vectors are shipped in float16
    test = [toks for toks, _ in data[:15]] + _UNSEEN
    ref = bilstm_probs(net, enc, test, batch=4)
    got = BiLSTMScorer(arr, fx).probs_sents(test)
    for r, g in zip(ref, got):
        assert g.shape == r.shape and np.allclose(g, r, atol=1e-5)


def test_bilstm_trains_and_predicts(tiny_bilstm):
    import numpy as np

    from idlibnb.ner.bilstm_train import bilstm_probs

    net, enc, fx, data, labels, _ = tiny_bilstm
    assert "gLOC=3" in enc.feat_index and "w=دمشق" not in enc.feat_index  # only the cheap families
    test = [toks for toks, _ in data[:20]] + _UNSEEN
    probs = bilstm_probs(net, enc, test, batch=7)
    assert [len(p) for p in probs] == [len(s) for s in test]
    flat = np.concatenate([p for p in probs if len(p)])
    assert flat.shape[1] == len(labels) and np.allclose(flat.sum(axis=1), 1, atol=1e-5)
    pred = [[labels[i] for i in p.argmax(1)] for p in probs[:20]]
    gold = [[ner.map_tag(t) for t in tags] for _, tags in data[:20]]
    assert ner.entity_prf(gold, pred)["all"]["f1"] > 0.5  # the patterns are easy to learn


@pytest.fixture(scope="module")
def tiny_bilm(tiny_bilstm):
    """A bidirectional language model trained on the same synthetic sentences."""
    from idlibnb.ner.bilm import train_bilm

    _, _, _, data, _, words = tiny_bilstm
    import numpy as np

    vecs = np.random.default_rng(1).standard_normal((len(words), 6)).astype(np.float32)
    clusters = {w: ("0", "0", str(i % 3)) for i, w in enumerate(words)}
    sents = [toks for toks, _ in data]
    return train_bilm(sents, words, vecs, clusters, params={"hidden": 5, "shape_dim": 3, "epochs": 3, "batch": 8,
                                                             "min_punct": 1}), sents


def test_bilm_states_and_save(tiny_bilm, tmp_path):
    """States are (len, 2 × hidden) per sentence, the forward half depending on the left context only;
    a saved model gives the same states."""
    import numpy as np

    from idlibnb.ner.bilm import bilm_eval, bilm_states, load_bilm, save_bilm

    net, sents = tiny_bilm
    test = sents[:6] + _UNSEEN
    states = bilm_states(net, test, batch=4)
    assert [s.shape for s in states] == [(len(t), 10) for t in test]
    longer = bilm_states(net, [sents[0] + ["في"]])[0]
    assert np.allclose(longer[:-1, :5], states[0][:, :5], atol=1e-6)  # forward: left context only
    assert not np.allclose(longer[:-1, 5:], states[0][:, 5:], atol=1e-6)  # backward: sees the new word
    save_bilm(net, tmp_path / "lm.pkl")
    again = bilm_states(load_bilm(tmp_path / "lm.pkl"), test, batch=3)
    assert all(np.allclose(a, b, atol=1e-6) for a, b in zip(again, states))
    ev = bilm_eval(net, sents[:10])
    assert ev["tokens"] == sum(map(len, sents[:10])) and 0 <= ev["accuracy"] <= 1


def test_bilstm_with_lm(tiny_bilstm, tiny_bilm):
    """``lm=`` adds the language model's states to the tagger's inputs; the numpy export refuses it."""
    import numpy as np

    from idlibnb.ner.bilstm_train import bilstm_probs, export_bilstm, train_bilstm

    plain, _, fx, data, labels, words = tiny_bilstm
    lm, _ = tiny_bilm
    vecs = np.random.default_rng(0).standard_normal((len(words), 6)).astype(np.float32)
    net, enc = train_bilstm(data, fx, words, vecs, labels=labels, lm=lm,
                            params={"hidden": 8, "bag": 4, "char_emb": 4, "char_filters": 5, "epochs": 2,
                                    "batch": 8, "min_feat_count": 1})
    assert net.lstm.input_size == plain.lstm.input_size + 10 and plain.n_ctx == 0
    test = [toks for toks, _ in data[:9]] + _UNSEEN
    probs = bilstm_probs(net, enc, test, batch=4, lm=lm)
    assert [p.shape for p in probs] == [(len(s), len(labels)) for s in test]
    assert np.allclose(np.concatenate([p for p in probs if len(p)]).sum(axis=1), 1, atol=1e-5)
    with pytest.raises(ValueError):
        export_bilstm(net, enc, labels, words)
