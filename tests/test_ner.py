"""The NER package: tiny train/eval on a fixture, the fast scorer against crfsuite, the camel path."""
from __future__ import annotations

import random
import sys
import types

import pytest

import idlibnb.ner as ner
from idlibnb.ner import (
    CamelNER,
    NERTagger,
    bio_chunks,
    entity_prf,
    read_conll,
    tokenize_with_offsets,
)
from idlibnb.ner.clusters import learn_clusters, read_clusters, write_clusters
from idlibnb.ner.train import train_model

_FIRST = ["أحمد", "محمد", "سامي", "خالد", "ليلى", "هدى", "فلاديمير", "رجب"]
_LAST = ["العلي", "حسن", "الخطيب", "بوتين", "أردوغان", "الأسد", "شويغو", "كريم"]
_PLACES = ["دمشق", "إدلب", "حلب", "موسكو", "أنقرة", "سراقب", "حماة", "بيروت"]
_ORGS = [["الأمم", "المتحدة"], ["هيئة", "تحرير", "الشام"], ["الدفاع", "المدني"], ["وكالة", "سانا"]]
_FILL = ["في", "على", "من", "اليوم", "أمس", "إن", "التي", "مع", "بعد", "قبل"]


def _sentence(rng: random.Random) -> list[tuple[str, str]]:
    per = [(rng.choice(_FIRST), "B-PERS"), (rng.choice(_LAST), "I-PERS")]
    loc = [(rng.choice(_PLACES), "B-LOC")]
    org = rng.choice(_ORGS)
    orgt = [(w, "B-ORG" if i == 0 else "I-ORG") for i, w in enumerate(org)]
    fill = [(rng.choice(_FILL), "O")]
    pattern = rng.choice([
        [("قال", "O"), ("الرئيس", "O")] + per + [("في", "O")] + loc + [(".", "O")],
        [("أعلنت", "O")] + orgt + [("أن", "O"), ("قصف", "O")] + loc + fill + [(".", "O")],
        [("التقى", "O")] + per + [("ممثل", "O")] + orgt + [("في", "O")] + loc + [(".", "O")],
        [("زار", "O"), ("الوزير", "O")] + per + [("مدينة", "O")] + loc + [("كأس", "B-MISC"), (".", "O")],
    ])
    return pattern


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    """A tiny model trained on a synthetic CoNLL file (with clusters from a synthetic corpus)."""
    rng = random.Random(1)
    d = tmp_path_factory.mktemp("ner")
    data = d / "data"
    (data / "anercorp").mkdir(parents=True)
    for split, n in (("train", 300), ("test", 60)):
        with open(data / "anercorp" / f"{split}.txt", "w", encoding="utf-8") as f:
            for _ in range(n):
                for w, t in _sentence(rng):
                    f.write(f"{w} {t}\n")
                f.write("\n")
    (data / "names").mkdir()  # a person-name list: one word the corpus lacks, one it has
    (data / "names" / "person_names.tsv").write_text("# test\nكوفي\tG\twikidata\nفي\tF\tarabnamer\n",
                                                    encoding="utf-8")
    corpus = d / "corpus"
    corpus.mkdir()
    docs = [" ".join(w for w, _ in _sentence(rng)) for _ in range(400)]
    (corpus / "a.txt").write_text("<DOC><TEXT>" + "\n".join(docs) + "</TEXT></DOC>", encoding="utf-8")
    out = d / "model"
    rec = train_model(data, out=out, cluster_corpus=corpus, c1=0.0, c2=0.01, max_iterations=40,
                      gaz_tokens=5_000, folds=2, cluster_kwargs={"vocab_size": 500, "contexts": 50, "dims": 8,
                                                        "granularities": (4, 8), "min_count": 1},
                      w2v_kwargs={"dims": 8, "granularities": (4, 8), "min_count": 1, "epochs": 2},
                      vector_kwargs={"dims": 8, "min_count": 1, "epochs": 2},
                      neural=True, neural_params={"z": 8, "h": 8, "epochs": 3, "min_feat_count": 1},
                      doc_context=True)
    assert rec["clusters"] > 0 and rec["model_bytes"] > 0 and rec["person_names"] == 2
    return out, data


def test_tokenize_offsets():
    text = "قالَ وزير الدفاع، سيرغي شويغو (M4) 3.5"
    toks = tokenize_with_offsets(text)
    assert all(text[s:e] == t for t, s, e in toks)
    assert [t for t, _, _ in toks][:3] == ["قالَ", "وزير", "الدفاع"]
    assert ("،", 16, 17) in toks


def test_bio_chunks_seqeval_style():
    assert bio_chunks(["B-PER", "I-PER", "O", "I-LOC", "B-LOC"]) == [(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "LOC")]
    assert bio_chunks(["B-ORG", "I-PER"]) == [(0, 1, "ORG"), (1, 2, "PER")]
    assert bio_chunks([]) == []


def test_entity_prf_ignores_misc():
    gold = [["B-PER", "I-PER", "O", "B-MISC"]]
    pred = [["B-PER", "I-PER", "O", "O"]]
    s = entity_prf(gold, pred)
    assert s["all"]["f1"] == 1.0 and s["PER"]["support"] == 1


def test_train_tag_spans_eval(model_dir, capsys):
    out, data = model_dir
    tagger = NERTagger.load(out)
    sents = read_conll(data / "anercorp" / "test.txt")
    assert tagger.model2_path is not None  # the document-level second pass was trained
    assert tagger.features.doc_context  # and both passes read the document-context features
    doc = [t for t, _ in sents[:20]] + [[]]
    pred = tagger.tag_sents(doc)
    # the fast numpy scorer decodes exactly as crfsuite does, both passes
    assert pred == tagger._tag_sents_crfsuite(doc)
    assert pred[-1] == [] and all(len(p) == len(t) for p, t in zip(pred, doc))
    for toks in doc[:5]:
        assert tagger.tag(toks) == tagger._tag_sents_crfsuite([toks])[0]
    assert tagger.tag_docs([doc[:3], [], doc[3:6]]) == [tagger.tag_sents(doc[:3]), [], tagger.tag_sents(doc[3:6])]
    assert all(t == "O" or t[2:] in ("PER", "ORG", "LOC") for p in pred for t in p)
    text = "قال الرئيس فلاديمير بوتين في موسكو. أعلنت الأمم المتحدة أن قصف إدلب اليوم."
    spans = tagger.spans(text)
    assert spans and all(text[s:e].strip() == text[s:e] and lab in ("PER", "ORG", "LOC") for s, e, lab in spans)
    assert (text.index("موسكو"), text.index("موسكو") + len("موسكو"), "LOC") in spans
    assert tagger.spans("") == [] and tagger.tag([]) == []
    assert ner.eval_main([str(data / "anercorp" / "test.txt"), "--model-dir", str(out)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    f1, tps = last.split()
    assert f1.startswith("f1=0.") or f1 == "f1=1.000"
    assert float(f1[3:]) > 0.9 and int(tps.split("=")[1]) > 0


def _has(mod: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(mod) is not None


@pytest.mark.skipif(not (_has("torch") and _has("gensim")), reason="the network needs torch and gensim to train")
def test_network_is_trained_and_stacked(model_dir):
    """The fixture's model has the network; both passes' fast decoding (with the network's
    probabilities as real-valued second-pass features) equals crfsuite's, checked above; here: the
    network is loaded, bound to the first scorer's feature index, and its bound (tagger) and
    standalone outputs agree."""
    import json

    import numpy as np

    out, data = model_dir
    assert (out / "neural.npz").exists()
    rec = json.loads((out / "training.json").read_text())
    assert rec["neural"]["z"] == 8 and rec["neural"]["vector_words"] > 0
    tagger = NERTagger.load(out)
    assert tagger._neural is not None and tagger._q2 is not None and tagger._q1 is None
    sents = [t for t, _ in read_conll(data / "anercorp" / "test.txt")[:10]]
    flat = [t for s in sents for t in s]
    lengths = [len(s) for s in sents]
    left, right = ner._room(lengths)
    tagger.clear_cache()
    sc = tagger._scores
    sc.emissions(flat, lengths)
    m = sc._last_m_full if sc._last_m_full is not None else sc._last_m
    tagger._neural.add_types(0, sc._last_new, m, sc._last_feats)
    bound = tagger._neural.probs_ids(sc._last_ids, left, right)
    alone = np.concatenate(tagger._neural.probs_sents(sents))
    assert np.allclose(bound, alone, atol=1e-6)
    assert np.allclose(bound.sum(axis=1), 1, atol=1e-5)


def test_network_numpy_equals_torch():
    """The numpy inference of the network computes what the torch model computes (same weights)."""
    torch = pytest.importorskip("torch")
    import numpy as np

    from idlibnb.ner.neural import NeuralScorer
    from idlibnb.ner.neural_train import torch_logits, train_neural

    torch.set_num_threads(1)
    rng = random.Random(3)
    sents = [_sentence(rng) for _ in range(60)]
    data = [([w for w, _ in s], [ner.map_tag(t, keep_misc=True) for _, t in s]) for s in sents]
    fx = ner.FeatureExtractor({"دمشق": ("1", "2")}, {"دمشق": "gLOC=3|gB"}, lexicon={"بوتين": "lx=PER"})
    words = sorted({w for s in sents for w, _ in s})[:20]
    vecs = np.random.default_rng(0).standard_normal((len(words), 6)).astype(np.float32)
    labels = sorted({t for _, tags in data for t in tags})
    arr = train_neural(data, fx, words, vecs, labels=labels,
                       params={"z": 8, "h": 6, "epochs": 2, "min_feat_count": 1})
    test = [toks for toks, _ in data[:12]] + [["كلمة", "جديدة", "تماما"], ["."]]
    ref = torch_logits(arr, fx, test)
    got = NeuralScorer(arr, fx).probs_sents(test)
    for r, g in zip(ref, got):
        r = np.exp(r - r.max(axis=1, keepdims=True))
        r /= r.sum(axis=1, keepdims=True)
        # the word vectors' share of the first layer is kept in float16 at load
        assert g.shape == r.shape and np.allclose(g, r, atol=2e-3)


def test_clusters_roundtrip(tmp_path):
    texts = ["دمشق حلب إدلب موسكو في على من"] * 5
    cl = learn_clusters(texts, vocab_size=20, contexts=5, dims=3, granularities=(2, 3), min_count=1)
    write_clusters(cl, tmp_path / "c.tsv.gz", note="test")
    back = read_clusters(tmp_path / "c.tsv.gz")
    assert set(back) == set(cl) and all(len(v) == 2 for v in back.values())


def test_name_lexicon(tmp_path):
    from pathlib import Path

    from idlibnb.ner.namelex import build_name_lexicon, read_name_lexicon, write_name_lexicon

    lex = build_name_lexicon(Path(ner.__file__).resolve().parent.parent / "data")
    assert lex["بوتين"] == "lx=PER" and lex["شركه"] == "t=ORG" and lex["الشركه"] == "t=ORG"
    assert "PER" in lex["الاسد"] and lex["دمشق"] == "lx=LOC"
    write_name_lexicon(lex, tmp_path / "l.tsv.gz", note="test")
    assert read_name_lexicon(tmp_path / "l.tsv.gz") == lex


def test_person_names_in_name_lexicon(tmp_path):
    """Person-name words join the lexicon as nm=c|m|r by corpus rank; the commonest words and the
    lexicon's own words are left as they are; a bad row names its file and line."""
    from idlibnb.ner.namelex import (PERSON_COMMON_RANK, PERSON_SKIP_RANK, add_person_names,
                                     read_person_names)

    p = tmp_path / "p.tsv"
    p.write_text("# comment\nميلر\tF\tarabnamer\nفي\tF\tarabnamer\nسعيد\tG\twikidata\n"
                 "كيني\tF\tarabnamer\nبوتين\tF\tarabnamer\nو\tU\twikidata\n", encoding="utf-8")
    persons = read_person_names(p)
    assert persons["ميلر"] == "F" and len(persons) == 6
    rank = {"في": 0, "سعيد": PERSON_SKIP_RANK + 1, "كيني": PERSON_COMMON_RANK}
    lex = add_person_names({"بوتين": "lx=PER"}, persons, rank)
    assert lex == {"بوتين": "lx=PER", "ميلر": "nm=r", "سعيد": "nm=c", "كيني": "nm=m"}
    (tmp_path / "bad.tsv").write_text("ميلر\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.tsv:1"):
        read_person_names(tmp_path / "bad.tsv")


def test_trained_model_has_person_names_and_name_likeness(model_dir):
    from idlibnb.ner.autogaz import read_autogaz
    from idlibnb.ner.namelex import read_name_lexicon

    out, _ = model_dir
    lex = read_name_lexicon(out / ner.LEXICON_FILE)
    assert lex["كوفي"] == "nm=r" and not lex.get("في", "").startswith("nm=")  # the commonest: left out
    gaz = read_autogaz(out / ner.GAZ_FILE)
    assert "alr=" in gaz["قال"] and "sfr=" in gaz["قال"]


def test_name_likeness():
    """A stem's share of occurrences with ال and with a suffix, bucketed; rare stems get nothing."""
    from collections import Counter

    from idlibnb.ner.autogaz import add_name_likeness, name_likeness

    counts = Counter({"الجيش": 90, "جيش": 10, "جيشه": 5, "ميلر": 30, "نادر": 4})
    nl = name_likeness(counts, lambda t: t)
    assert nl["الجيش"] == nl["جيش"] == "alr=4|sfr=3"  # 90 of 100 with ال; 5 of 15 bare forms suffixed
    assert nl["ميلر"] == "alr=0|sfr=0" and "نادر" not in nl
    merged = add_name_likeness({"ميلر": "gPER=3|gB", "بوتين": "gPER=3|gB"}, nl)
    assert merged["ميلر"] == "gPER=3|gB|alr=0|sfr=0" and merged["بوتين"] == "gPER=3|gB"
    assert merged["الجيش"] == "alr=4|sfr=3"


def test_features_are_whole_families():
    """What a word lends its neighbours is whole feature families of its own features, with the
    second cluster set, the name lexicon and a two-feature gazetteer value too (the fast scorer
    relies on it)."""
    fx = ner.FeatureExtractor({"دمشق": ("1", "2", "3", "4")}, {"دمشق": "gLOC=3|gB"},
                              clusters2={"دمشق": ("5", "6", "7", "8")}, lexicon={"دمشق": "lx=LOC"})
    for tok in ("دمشق", "ودمشق", "بوتين", "."):
        own, c1, c2 = fx._type_features(tok)
        fam = lambda fs: {f.split("=")[0] for f in fs}  # noqa: E731
        assert set(c2) <= set(c1) | set(own) and set(c1) <= set(own)
        assert fam(c1) <= fam(own)
    own, c1, _ = fx._type_features("دمشق")
    assert {"gLOC=3", "gB", "e0=5", "e3=8", "lx=LOC"} <= set(own) and {"e1=6", "e2=7", "lx=LOC", "gB"} <= set(c1)


def test_document_context_features():
    """Each token gets the neighbours (128-clusters) of every occurrence of its word in the document,
    valued by their share of the occurrences; a sentence edge is ALOUT/AROUT."""
    clusters = {w: ("1", str(i), "3") for i, w in enumerate(["في", "إلى", "سكان", "دمشق", "قال"])}
    fx = ner.FeatureExtractor(clusters, doc_context=True)
    doc = [["في", "دمشق"], ["سكان", "دمشق", "قال"]]
    ctx = fx.context(doc)
    assert ctx[0][1] == {"ALk1=0": 0.5, "ALk1=2": 0.5, "AROUT": 0.5, "ARk1=4": 0.5}
    assert ctx[1][1] == ctx[0][1] and ctx[0][0] == {"ALOUT": 1.0, "ARk1=3": 1.0}


def test_pretrained_is_cached():
    if not (ner.MODEL_DIR / ner.MODEL_FILE).exists():
        pytest.skip("no shipped model")
    a = NERTagger.pretrained()
    assert a is NERTagger.pretrained()
    assert isinstance(a.spans("قال الرئيس السوري بشار الأسد في دمشق."), list)


# --- camel-tools path ---------------------------------------------------------------------------

def test_camel_absent_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("CAMELTOOLS_DATA", str(tmp_path / "nothing"))
    monkeypatch.setattr(CamelNER, "_cache", {})
    with pytest.raises(RuntimeError, match="camel-tools NER data is not installed"):
        CamelNER.pretrained()


def test_camel_with_fake_model(monkeypatch, tmp_path):
    """A fake ``camel_tools.ner`` whose recognizer tags known names, standing in for the BERT model."""
    (tmp_path / "data" / "ner" / "arabert").mkdir(parents=True)
    (tmp_path / "catalogue.json").write_text("{}", encoding="utf-8")
    monkeypatch.setenv("CAMELTOOLS_DATA", str(tmp_path))
    monkeypatch.setattr(CamelNER, "_cache", {})
    known = {"بوتين": "B-PERS", "فلاديمير": "B-PERS", "موسكو": "B-LOC", "الأمم": "B-ORG", "المتحدة": "I-ORG",
             "كأس": "B-MISC"}

    class FakeRecognizer:
        loaded_with = None

        @staticmethod
        def pretrained(model_name=None, use_gpu=True):
            FakeRecognizer.loaded_with = (model_name, use_gpu)
            return FakeRecognizer()

        def predict(self, sentences, batch_size=32):
            out = []
            for s in sentences:
                tags = [known.get(w, "O") for w in s]
                # "فلاديمير بوتين" is one person
                tags = ["I-PERS" if t == "B-PERS" and i and tags[i - 1] == "B-PERS" else t
                        for i, t in enumerate(tags)]
                out.append(tags)
            return out

    fake = types.ModuleType("camel_tools.ner")
    fake.NERecognizer = FakeRecognizer
    monkeypatch.setitem(sys.modules, "camel_tools.ner", fake)
    cn = CamelNER.pretrained()
    assert cn is CamelNER.pretrained() and FakeRecognizer.loaded_with == (None, False)
    text = "قال فلاديمير بوتين في موسكو إن الأمم المتحدة. كأس العالم"
    spans = cn.spans(text)
    assert [(text[s:e], lab) for s, e, lab in spans] == [
        ("فلاديمير بوتين", "PER"), ("موسكو", "LOC"), ("الأمم المتحدة", "ORG")]
    assert cn.tag([]) == []


def test_import_idlibnb_never_imports_camel_ner():
    import subprocess

    code = "import idlibnb, idlibnb.ner, sys; assert 'camel_tools.ner' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_self_training_selection(model_dir):
    """Confidently tagged corpus sentences: every one holds a name, the thresholds and the cap hold,
    ORG sentences get their share; train_model adds them to the first pass."""
    import shutil

    from idlibnb.ner.selftrain import confident_sentences, select_sentences

    out, data = model_dir
    tagger = NERTagger.load(out)
    rng = random.Random(5)
    texts = [" ".join(w for w, _ in _sentence(rng)) + " " + " ".join(w for w, _ in _sentence(rng))
             for _ in range(40)]
    cands = confident_sentences(out / "model.crfsuite", tagger.features, texts, n_articles=30, min_len=3)
    assert cands
    for ent, other, has_org, toks, tags in cands:
        assert 0.0 <= ent <= 1.0 and 0.0 <= other <= 1.0 and len(toks) == len(tags) >= 3
        assert any(t[2:] in ("PER", "ORG", "LOC") for t in tags)
        assert has_org == any(t.endswith("-ORG") for t in tags)
    fake = [(0.95, 0.9, True, ["a"], ["B-ORG"])] * 5 + [(0.95, 0.9, False, ["b"], ["B-LOC"])] * 20 \
        + [(0.5, 0.9, True, ["c"], ["B-ORG"])] * 10 + [(0.95, 0.5, False, ["d"], ["B-PER"])] * 10
    sel = select_sentences(fake, cap=10, org_share=0.5)
    assert len(sel) == 10 and sum(t == ["B-ORG"] for _, t in sel) == 5
    assert all(toks in (["a"], ["b"]) for toks, _ in sel)
    assert len(select_sentences(fake, cap=100)) == 25
    # a retrain with self-training, reusing the fixture's clusters and gazetteer
    out2 = out.parent / "model_selftrain"
    shutil.copytree(out, out2)
    rec = train_model(data, out=out2, self_train=30, self_train_corpus=data.parent / "corpus", c1=0.0, c2=0.01,
                      max_iterations=20, folds=2)
    assert rec["self_train"]["sentences"] > 0 and rec["self_train"]["candidates"] > 0
    assert NERTagger.load(out2).tag(["قال", "الرئيس", "أحمد", "العلي", "في", "دمشق", "."])[5] == "B-LOC"


def test_ensemble_members(model_dir):
    """Extra first-pass members (a self-trained one, bagged ones) are fitted beside the kept models;
    the tagger averages the members' weights (label by label), which for one model twice changes nothing."""
    import shutil

    import numpy as np

    out, data = model_dir
    out3 = out.parent / "model_ensemble"
    shutil.copytree(out, out3)
    rec = train_model(data, out=out3, self_train=30, self_train_corpus=data.parent / "corpus", bags=2,
                      add_members=True, doc_context=True, c1=0.0, c2=0.01, max_iterations=20)
    assert rec["ensemble"]["members"] == ["model.crfsuite", "model-bag0.crfsuite", "model-bag1.crfsuite",
                                          "model-st.crfsuite"]
    assert (out3 / "model.crfsuite").read_bytes() == (out / "model.crfsuite").read_bytes()
    tagger = NERTagger.load(out3)
    assert [p.name for p in tagger.model_paths] == rec["ensemble"]["members"]
    alone = [ner._Scores(p, tagger.features) for p in tagger.model_paths]
    sc = tagger._scores
    for a, i in sc.attrs.items():
        for j, lab in enumerate(sc.labels):
            want = sum(s.w[s.attrs[a], s.labels.index(lab)] for s in alone if a in s.attrs) / len(alone)
            assert np.isclose(sc.w[i, j], want)
    sents = [t for t, _ in read_conll(data / "anercorp" / "test.txt")[:15]]
    assert all(len(p) == len(s) for p, s in zip(tagger.tag_sents(sents), sents))
    out4 = out.parent / "model_twice"
    shutil.copytree(out, out4)
    shutil.copy(out / "model.crfsuite", out4 / "model-same.crfsuite")
    twice = NERTagger.load(out4)
    assert len(twice.model_paths) == 2 and twice.tag_sents(sents) == NERTagger.load(out).tag_sents(sents)
    with pytest.raises(ValueError):
        twice._tag_sents_crfsuite(sents)
