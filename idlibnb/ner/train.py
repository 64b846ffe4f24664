"""Training the CRF on ANERcorp's train split (and learning word clusters from a corpus path)."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Sequence

__all__ = ["train_model", "find_split", "train_main"]

#: regularization grid tried on a dev split cut from train (never on test)
C_GRID = ((0.05, 0.01), (0.1, 0.01), (0.2, 0.01), (0.1, 0.05))
#: corpus tokens the first-pass model tags for the self-trained gazetteer
GAZ_TOKENS = 10_000_000
#: the person-name list under the training data folder (``--data``), when there is one
PERSON_NAMES = "names/person_names.tsv"
#: word vectors shipped with the network (the commonest words of the corpus)
VECTOR_WORDS = 60_000


def find_split(data: str | Path, name: str) -> Path:
    """``data/anercorp/<name>.txt`` or ``data/<name>.txt``."""
    d = Path(data)
    for p in (d / "anercorp" / f"{name}.txt", d / f"{name}.txt"):
        if p.exists():
            return p
    raise FileNotFoundError(f"no {name}.txt under {d} (expected {d / 'anercorp' / (name + '.txt')})")


def _doc_context(sents, features, doc_sents: int | None = None) -> list:
    """Per sentence, its document-context features (:meth:`FeatureExtractor.context`), documents being
    windows of ``doc_sents`` sentences (ANERcorp has no article breaks); Nones when they are off."""
    from . import DOC_SENTS

    if not features.doc_context:
        return [None] * len(sents)
    out: list = []
    for d in _docs(len(sents), doc_sents or DOC_SENTS):
        out += features.context([sents[j][0] for j in d])
    return out


def _fit(sents, features, path: Path, *, c1: float, c2: float, max_iterations: int,
         keep_misc: bool, dense=None) -> None:
    """Train a CRF; ``dense``: per sentence, the network's real-valued features (or None)."""
    import pycrfsuite

    from . import _join, _with_dense, map_tag

    ctx = _doc_context(sents, features)
    trainer = pycrfsuite.Trainer(verbose=False)
    for j, (toks, tags) in enumerate(sents):
        trainer.append(_with_dense(features.sequence(toks), _join(ctx[j], dense[j] if dense is not None else None)),
                       [map_tag(t, keep_misc=keep_misc) for t in tags])
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iterations,
                        "feature.possible_transitions": True})
    trainer.train(str(path))


def _docs(n: int, size: int) -> list[range]:
    return [range(i, min(i + size, n)) for i in range(0, n, size)]


def _fit_second_pass(sents, features, path: Path, first_path: Path | None, *, clusters, gaz, c1, c2,
                     max_iterations, keep_misc, folds: int, doc_sents: int, log, dense=None,
                     dense_first: bool = False, first=None, extra=()):
    """Train the second pass on first-pass tags that the first pass never saw (k-fold, by document).

    ``dense``: per sentence, the network's cross-validated real-valued features (same folds), given
    to the second pass and, with ``dense_first``, to the first pass too. ``first``: cross-validated
    first-pass tags computed before (skips the k folds). ``extra``: self-training sentences
    (:mod:`.selftrain`) added to every fold's first pass, as to the shipped first pass; the second
    pass itself is trained on ``sents`` alone. Returns the first-pass tags."""
    import pycrfsuite

    from . import _join, _with_dense, map_tag

    docs = _docs(len(sents), doc_sents)
    ctx = _doc_context(sents, features, doc_sents)
    d1 = dense if dense_first else None
    if first is not None:
        folds = 0
    else:
        first = [None] * len(sents)
    for f in range(folds):
        held = [d for i, d in enumerate(docs) if i % folds == f]
        held_ids = {j for d in held for j in d}
        p = path.with_name(f"_fold{f}.crfsuite")
        kept = [j for j in range(len(sents)) if j not in held_ids]
        _fit([sents[j] for j in kept] + list(extra), features, p, c1=c1, c2=c2,
             max_iterations=max_iterations, keep_misc=keep_misc,
             dense=[d1[j] for j in kept] if d1 is not None else None)
        t = pycrfsuite.Tagger()
        t.open(str(p))
        for j in held_ids:
            first[j] = t.tag(_with_dense(features.sequence(sents[j][0]),
                                         _join(ctx[j], d1[j] if d1 is not None else None)))
        t.close()
        p.unlink()
        log(f"second pass: fold {f + 1}/{folds} tagged")
    trainer = pycrfsuite.Trainer(verbose=False)
    for d in docs:
        flat = [w for j in d for w in sents[j][0]]
        dv = iter(features.doc_values(flat, [t for j in d for t in first[j]]))
        for j in d:
            toks, tags = sents[j]
            dyn = features.dynamic(first[j], [next(dv) for _ in toks])
            trainer.append(_with_dense([a + b for a, b in zip(features.sequence(toks), dyn)],
                                       _join(ctx[j], dense[j] if dense is not None else None)),
                           [map_tag(t, keep_misc=keep_misc) for t in tags])
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iterations,
                        "feature.possible_transitions": True})
    trainer.train(str(path))
    return first


def _neural_step(sents, features, out: Path, *, cluster_corpus, folds: int, keep_misc: bool, params,
                 vector_kwargs, vector_words: int, record: dict, log, relearn_vectors: bool = True):
    """Train the network (:mod:`.neural`) on all of ``sents`` → ``out/neural.npz``, and on ``folds``
    document folds (the second pass's) → per sentence, its cross-validated real-valued CRF features.
    Returns None (and trains nothing) without torch or word vectors."""
    import numpy as np

    from . import DOC_SENTS, NEURAL_FILE, map_tag
    from .neural import NeuralScorer, dense_features, unpack_strings

    try:
        import torch
    except ImportError:
        log("torch is not installed: no network (neural.npz)")
        return None
    from .clusters import iter_corpus_texts
    from .neural_train import NEURAL_PARAMS, learn_vectors, train_neural, write_neural

    t = time.time()
    words = vecs = None
    if cluster_corpus is not None and (relearn_vectors or not (out / NEURAL_FILE).exists()):
        try:
            import gensim  # noqa: F401
        except ImportError:
            log("gensim is not installed (pip install 'idlibnb[train]'): reusing the network's word vectors")
        else:
            log(f"learning word vectors from {cluster_corpus} …")
            words, vecs = learn_vectors(iter_corpus_texts(cluster_corpus), **(vector_kwargs or {}))
    if words is None and (out / NEURAL_FILE).exists():
        with np.load(out / NEURAL_FILE, allow_pickle=False) as old:
            words, vecs = unpack_strings(old, "words"), old["vecs"][:-1].astype(np.float32)
    if words is not None:
        words, vecs = words[:vector_words], vecs[:vector_words]
    if words is None:
        log("no word vectors (no corpus, no neural.npz): no network")
        return None
    torch.set_num_threads(1)
    labels = sorted({map_tag(x, keep_misc=keep_misc) for _, tags in sents for x in tags})
    mapped = [(toks, [map_tag(x, keep_misc=keep_misc) for x in tags]) for toks, tags in sents]
    docs = _docs(len(sents), DOC_SENTS)
    cv: list = [None] * len(sents)
    for f in range(folds):
        held = sorted(j for i, d in enumerate(docs) if i % folds == f for j in d)
        hs = set(held)
        arr = train_neural([m for j, m in enumerate(mapped) if j not in hs], features, words, vecs,
                           labels=labels, params=params)
        for j, p in zip(held, NeuralScorer(arr, features).probs_sents([sents[j][0] for j in held])):
            cv[j] = dense_features(p, labels)
        log(f"network: fold {f + 1}/{folds} trained and tagged")
    arr = train_neural(mapped, features, words, vecs, labels=labels, params=params, log=log)
    write_neural(arr, out / NEURAL_FILE)
    record["neural"] = dict(NEURAL_PARAMS, **(params or {}), vector_words=len(words),
                            vector_dims=int(vecs.shape[1]), bytes=(out / NEURAL_FILE).stat().st_size,
                            train_seconds=round(time.time() - t))
    log(f"network trained in {time.time() - t:.0f} s")
    return cv if folds else None


def train_model(data: str | Path, *, out: str | Path, cluster_corpus: str | Path | None = None,
                c1: float | None = None, c2: float | None = None, max_iterations: int = 100,
                keep_misc: bool = True, tune: bool = False, relearn_clusters: bool = True,
                gaz_tokens: int = GAZ_TOKENS, cluster_kwargs: dict | None = None,
                second_pass: bool = True, folds: int = 4, w2v: bool = True, w2v_kwargs: dict | None = None,
                name_lexicon: bool = True, neural: bool = False, neural_first: bool = False,
                neural_params: dict | None = None, vector_kwargs: dict | None = None,
                vector_words: int = VECTOR_WORDS, self_train: int = 0,
                self_train_corpus: str | Path | None = None, doc_context: bool = False,
                ensemble: bool = False, bags: int = 0, add_members: bool = False, person_names: bool = True,
                name_likeness: bool = True, log=None) -> dict:
    """Train and write ``model.crfsuite`` to ``out``.

    With a corpus, first learn both word-cluster sets from it (unless ``relearn_clusters`` is false
    and ``out`` has them; the skip-gram set needs gensim and ``w2v``), then train a first-pass model,
    tag ``gaz_tokens`` of the corpus with it and write the self-trained gazetteer (:mod:`.autogaz`);
    without one, reuse those files in ``out``. ``name_lexicon`` (re)builds ``namelex.tsv.gz`` from the
    package's lexicons (:mod:`.namelex`), with ``person_names`` also from ``data/names/person_names.tsv``
    when it exists. ``name_likeness``: a gazetteer learnt from the corpus also gets each word's
    :func:`.autogaz.name_likeness` (how often it takes ``ال`` and suffixes there).
    ``tune`` picks c1/c2 from :data:`C_GRID` on the last tenth of train. ``neural`` (needs torch)
    trains the convolutional tagger of :mod:`.neural` (``neural.npz``; its word vectors are learnt
    from the corpus with gensim, or reused from ``out/neural.npz``) on 4-fold cross-validated splits
    too, and gives its probabilities to the second pass (and with ``neural_first`` the first).
    ``self_train``: add up to that many sentences of ``self_train_corpus`` (default: the cluster
    corpus) that a first pass trained on train tags confidently (:mod:`.selftrain`) to the first
    pass's training data (and its cross-validation folds'); 0 (the default): none.
    ``doc_context``: give each word the neighbours of its other occurrences in the document
    (:meth:`FeatureExtractor.context`), in both passes (dev +0.006, test +0.003: not shipped; the
    self-training confidence of :mod:`.selftrain` is computed without them).
    ``ensemble``: the self-trained first pass becomes a second first-pass model
    (``model-st.crfsuite``) beside the plain one instead of replacing it, and the tagger averages
    their weights; ``bags`` (up to 10): that many more members, each fitted on train without one
    contiguous tenth of it (``model-bag<k>.crfsuite``). The second pass is trained on the plain first
    pass's cross-validated tags. ``add_members``: keep the models (and every feature file) in ``out``
    and fit only the extra members.
    Returns the training record (also written to ``out/training.json``).
    """
    from . import (CLUSTER2_FILE, CLUSTER_FILE, DOC_SENTS, GAZ_FILE, LEXICON_FILE, MEMBER_GLOB, MODEL2_FILE, MODEL_FILE,
                   NEURAL_FILE, FeatureExtractor, NERTagger, read_conll)
    from .autogaz import add_name_likeness, learn_autogaz, read_autogaz, write_autogaz
    from .autogaz import name_likeness as likeness_of
    from .clusters import (iter_corpus_texts, learn_clusters, learn_w2v_clusters, read_clusters, word_counts,
                           write_clusters)
    from .namelex import (add_person_names, build_name_lexicon, read_name_lexicon, read_person_names,
                          write_name_lexicon)
    from .evaluate import evaluate

    log = log or (lambda msg: None)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    from ..paths import REPO_ROOT

    train_path = find_split(data, "train").resolve()
    rel = train_path.relative_to(REPO_ROOT) if train_path.is_relative_to(REPO_ROOT) else train_path
    record: dict = {"train": str(rel), "keep_misc_in_training": keep_misc,
                    "max_iterations": max_iterations}
    if cluster_corpus is not None and (relearn_clusters or not (out / CLUSTER_FILE).exists()):
        t = time.time()
        log(f"learning word clusters from {cluster_corpus} …")
        clusters = learn_clusters(iter_corpus_texts(cluster_corpus), **(cluster_kwargs or {}))
        write_clusters(clusters, out / CLUSTER_FILE,
                       note=f"word clusters for idlibnb's NER (see README.md here): k-means over PPMI+SVD "
                            f"vectors of left/right neighbour counts, learnt from {Path(cluster_corpus).name} "
                            "with idlibnb.ner.clusters.learn_clusters\nwords normalized "
                            "(idlibnb.normalize.normalize_ar), commonest first\n"
                            "word<TAB>cluster id at each granularity (coarse to fine)")
        log(f"{len(clusters)} words clustered in {time.time() - t:.0f} s")
    if cluster_corpus is not None and w2v and (relearn_clusters or not (out / CLUSTER2_FILE).exists()):
        try:
            import gensim  # noqa: F401
        except ImportError:
            log("gensim is not installed (pip install 'idlibnb[train]'): keeping the skip-gram clusters in "
                f"{out} if any")
        else:
            t = time.time()
            log(f"learning skip-gram vectors and their clusters from {cluster_corpus} …")
            c2 = learn_w2v_clusters(iter_corpus_texts(cluster_corpus), log=log, **(w2v_kwargs or {}))
            write_clusters(c2, out / CLUSTER2_FILE,
                           note=f"second word-cluster set for idlibnb's NER (see README.md here): k-means over "
                                f"word2vec skip-gram vectors (gensim) learnt from {Path(cluster_corpus).name} "
                                "with idlibnb.ner.clusters.learn_w2v_clusters\nwords normalized "
                                "(idlibnb.normalize.normalize_ar), commonest first\n"
                                "word<TAB>cluster id at each granularity (coarse to fine)")
            log(f"{len(c2)} words clustered in {time.time() - t:.0f} s")
    clusters = read_clusters(out / CLUSTER_FILE) if (out / CLUSTER_FILE).exists() else None
    record["clusters"] = len(clusters) if clusters else 0
    if not w2v and (out / CLUSTER2_FILE).exists():
        (out / CLUSTER2_FILE).unlink()  # the tagger loads what the folder holds
    clusters2 = read_clusters(out / CLUSTER2_FILE) if (out / CLUSTER2_FILE).exists() else None
    record["clusters2"] = len(clusters2) if clusters2 else 0
    persons_path = Path(data) / PERSON_NAMES
    record["person_names"] = None
    if name_lexicon and not add_members:  # an ensemble's members share its models' features
        persons = read_person_names(persons_path) if person_names and persons_path.exists() else None
        own_lex = build_name_lexicon(Path(__file__).resolve().parent.parent / "data")
        rank = {w: i for i, w in enumerate(clusters or ())}  # the cluster file lists commonest first
        lex = add_person_names(own_lex, persons, rank) if persons else own_lex
        record["person_names"] = len(persons) if persons else None
        write_name_lexicon(lex, out / LEXICON_FILE,
                           note="name-list features for idlibnb's NER (see README.md here), built by "
                                "idlibnb.ner.namelex.build_name_lexicon from idlibnb's actors.tsv, places.tsv and "
                                "titles.tsv and a list of organisation trigger words"
                                + (f", plus the person-name words of {PERSON_NAMES} (Wikidata, CC0; arabnamer, "
                                   "CC BY 4.0)" if persons else "") + "\nword<TAB>feature")
    elif not name_lexicon and (out / LEXICON_FILE).exists():
        (out / LEXICON_FILE).unlink()
    lex = read_name_lexicon(out / LEXICON_FILE) if (out / LEXICON_FILE).exists() else None
    record["name_lexicon"] = len(lex) if lex else 0
    # the gazetteer's first pass sees the package's own name lists only (as in the dev screening)
    gaz_lex = {w: v for w, v in lex.items() if not v.startswith("nm=")} if lex else None
    sents = read_conll(find_split(data, "train"))
    c1 = 0.1 if c1 is None and not tune else c1
    c2 = 0.01 if c2 is None and not tune else c2
    if cluster_corpus is not None:
        t = time.time()
        p = out / "_stage1.crfsuite"
        _fit(sents, FeatureExtractor(clusters, clusters2=clusters2, lexicon=gaz_lex, doc_context=doc_context), p,
             c1=c1 or 0.1, c2=c2 or 0.01,
             max_iterations=max_iterations, keep_misc=keep_misc)
        log(f"first-pass model trained in {time.time() - t:.0f} s; tagging {gaz_tokens} corpus tokens …")
        stage1 = NERTagger(p, clusters, clusters2=clusters2, lexicon=gaz_lex)
        gaz = learn_autogaz(stage1, iter_corpus_texts(cluster_corpus), max_tokens=gaz_tokens)
        p.unlink()
        if name_likeness:
            counts = word_counts(iter_corpus_texts(cluster_corpus))
            gaz = add_name_likeness(gaz, likeness_of(counts, stage1.features.key))
        write_autogaz(gaz, out / GAZ_FILE,
                      note=f"self-trained gazetteer for idlibnb's NER: share of a word's occurrences in "
                           f"{Path(cluster_corpus).name} that a first-pass CRF (trained on ANERcorp train) "
                           "tagged as each type (see README.md here)"
                           + (", and the name-likeness of every word seen 5 times or more there "
                              "(alr=, sfr=: idlibnb.ner.autogaz.name_likeness)" if name_likeness else "")
                           + "\nword<TAB>feature (gTYPE=1|2|3 for >=20%, >=50%, >=80%)")
        log(f"{len(gaz)} gazetteer words in {time.time() - t:.0f} s")
    gaz = read_autogaz(out / GAZ_FILE) if (out / GAZ_FILE).exists() else None
    record["gazetteer"] = len(gaz) if gaz else 0
    features = FeatureExtractor(clusters, gaz, clusters2=clusters2, lexicon=lex, doc_context=doc_context)
    record["doc_context"] = doc_context
    if tune or c1 is None or c2 is None:
        cut = len(sents) * 9 // 10
        fit, dev = sents[:cut], sents[cut:]
        best = None
        for gc1, gc2 in C_GRID:
            p = out / "_dev.crfsuite"
            _fit(fit, features, p, c1=gc1, c2=gc2, max_iterations=max_iterations, keep_misc=keep_misc)
            f1 = evaluate(NERTagger(p, clusters, gaz, clusters2=clusters2, lexicon=lex), dev)["f1"]
            p.unlink()
            log(f"dev c1={gc1} c2={gc2}: f1={f1:.3f}")
            if best is None or f1 > best[0]:
                best = (f1, gc1, gc2)
        record["dev"] = {"f1": best[0], "c1": best[1], "c2": best[2]}
        c1 = best[1] if c1 is None else c1
        c2 = best[2] if c2 is None else c2
    dense = None
    if (out / NEURAL_FILE).exists() and not neural:
        (out / NEURAL_FILE).unlink()
    record["neural"] = None
    if neural:
        dense = _neural_step(sents, features, out, cluster_corpus=cluster_corpus, folds=folds,
                             keep_misc=keep_misc, params=neural_params, vector_kwargs=vector_kwargs,
                             vector_words=vector_words, record=record, log=log,
                             relearn_vectors=relearn_clusters)
    d1 = dense if neural_first else None
    record["neural_first"] = bool(dense is not None and neural_first)
    extra: list = []
    st_corpus = self_train_corpus if self_train_corpus is not None else cluster_corpus
    record["self_train"] = None
    t = time.time()
    if not add_members:
        for old in out.glob(MEMBER_GLOB):  # a previous ensemble's members
            old.unlink()
    ensemble = ensemble or bags > 0 or add_members
    if ensemble and not add_members:  # the plain first pass first: it also tags the self-training pool
        _fit(sents, features, out / MODEL_FILE, c1=c1, c2=c2, max_iterations=max_iterations,
             keep_misc=keep_misc, dense=d1)
    if self_train and st_corpus is not None and d1 is None:
        from .selftrain import ORG_SHARE, SELF_TRAIN_ARTICLES, confident_sentences, select_sentences

        p = out / (MODEL_FILE if ensemble else "_self.crfsuite")  # a first pass fitted on train alone
        if not ensemble:
            _fit(sents, features, p, c1=c1, c2=c2, max_iterations=max_iterations, keep_misc=keep_misc)
        cands = confident_sentences(p, features, iter_corpus_texts(st_corpus))
        if not ensemble:
            p.unlink()
        extra = select_sentences(cands, cap=self_train)
        record["self_train"] = {"articles": SELF_TRAIN_ARTICLES, "candidates": len(cands),
                                "sentences": len(extra), "org_share": ORG_SHARE,
                                "tokens": sum(len(x[0]) for x in extra), "seconds": round(time.time() - t)}
        log(f"self-training: {len(extra)} confident corpus sentences in {time.time() - t:.0f} s")
    # ensemble members other than model.crfsuite: the self-trained first pass, bagged first passes
    members = {}
    if ensemble and extra:
        members["model-st.crfsuite"] = sents + extra
        extra = []  # the plain first pass and its second pass are trained on train alone
    for k in range(bags):  # leave out one tenth of train, the tenths spread over it
        j = k * 10 // bags
        a, b = len(sents) * j // 10, len(sents) * (j + 1) // 10
        members[f"model-bag{k}.crfsuite"] = sents[:a] + sents[b:]
    record["ensemble"] = ({"members": [MODEL_FILE] + sorted(members), "self_train_member": "model-st.crfsuite" in members,
                           "bags": bags} if members else None)
    if not add_members:
        if not ensemble:
            _fit(sents + extra, features, out / MODEL_FILE, c1=c1, c2=c2, max_iterations=max_iterations,
                 keep_misc=keep_misc, dense=d1)
        if (out / MODEL2_FILE).exists():
            (out / MODEL2_FILE).unlink()
        if second_pass:
            log("first pass trained; second pass …")
            _fit_second_pass(sents, features, out / MODEL2_FILE, out / MODEL_FILE, clusters=clusters, gaz=gaz,
                             c1=c1, c2=c2, max_iterations=max_iterations, keep_misc=keep_misc, folds=folds,
                             doc_sents=DOC_SENTS, log=log, dense=dense, dense_first=neural_first,
                             extra=extra)
    for name, data in members.items():
        log(f"ensemble member {name} ({len(data)} sentences) …")
        _fit(data, features, out / name, c1=c1, c2=c2, max_iterations=max_iterations, keep_misc=keep_misc)
    size = sum(f.stat().st_size for f in [out / MODEL_FILE, out / MODEL2_FILE, *out.glob(MEMBER_GLOB)]
               if f.exists())
    if add_members and (out / "training.json").exists():  # the kept models' record, plus the members
        kept = json.loads((out / "training.json").read_text(encoding="utf-8"))
        record = dict(kept, self_train=record["self_train"], ensemble=dict(
            record["ensemble"] or {}, train_seconds=round(time.time() - t)), model_bytes=size)
    else:
        record.update(c1=c1, c2=c2, second_pass=second_pass, folds=folds if second_pass else 0,
                      train_seconds=round(time.time() - t), model_bytes=size)
    (out / "training.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    log(f"model written to {out / MODEL_FILE} ({record['model_bytes'] / 1e6:.1f} MB)")
    return record


def train_main(argv: Sequence[str] | None = None) -> int:
    import argparse

    from . import MODEL_DIR

    ap = argparse.ArgumentParser(prog="python -m idlibnb.ner train",
                                 description="Train the CRF NER model on ANERcorp's train split.")
    ap.add_argument("--data", default="data/external", help="folder holding anercorp/train.txt")
    ap.add_argument("--cluster-corpus", default=None,
                    help="folder of unlabelled Arabic text (e.g. the ANT corpus) to learn word clusters "
                         "from; without it the clusters already in --out are reused")
    ap.add_argument("--out", default=str(MODEL_DIR), help="where model.crfsuite is written")
    ap.add_argument("--c1", type=float, default=None)
    ap.add_argument("--c2", type=float, default=None)
    ap.add_argument("--max-iterations", type=int, default=100)
    ap.add_argument("--tune", action="store_true", help="choose c1/c2 on a dev split cut from train")
    ap.add_argument("--drop-misc", action="store_true", help="train without the MISC label")
    ap.add_argument("--keep-clusters", action="store_true",
                    help="with --cluster-corpus: reuse both cluster sets and the word vectors in --out, "
                         "rebuild the gazetteer")
    ap.add_argument("--no-second-pass", action="store_true",
                    help="train only the sentence-level CRF (no document-level second pass)")
    ap.add_argument("--folds", type=int, default=4, help="folds for the second pass's first-pass tags")
    ap.add_argument("--no-w2v", action="store_true",
                    help="no skip-gram cluster set (otherwise learnt with gensim, the `train` extra)")
    ap.add_argument("--no-name-lexicon", action="store_true",
                    help="no name-list / trigger-word features (namelex.tsv.gz)")
    ap.add_argument("--no-person-names", action="store_true",
                    help=f"leave the person-name list (DATA/{PERSON_NAMES}) out of the name lexicon")
    ap.add_argument("--no-name-likeness", action="store_true",
                    help="with a corpus: no name-likeness values (alr=, sfr=) in the gazetteer")
    ap.add_argument("--neural", action="store_true",
                    help="also train the convolutional network over word vectors (neural.npz; needs "
                         "torch) and stack it into the second pass: +0.003 F1, 20-25%% slower, not shipped")
    ap.add_argument("--neural-first", action="store_true",
                    help="give the network's probabilities to the first pass too, not only the second")
    ap.add_argument("--gaz-tokens", type=int, default=GAZ_TOKENS,
                    help="corpus tokens the first-pass model tags for the self-trained gazetteer")
    ap.add_argument("--self-train", type=int, default=0, metavar="N",
                    help="add up to N confidently tagged corpus sentences to the first pass's data")
    ap.add_argument("--doc-context", action="store_true",
                    help="document-context features (the neighbours of a word's other occurrences in "
                         "the article): +0.003 F1 on test, not shipped")
    ap.add_argument("--self-train-corpus", default=None,
                    help="corpus for --self-train (default: --cluster-corpus)")
    ap.add_argument("--ensemble", action="store_true",
                    help="with --self-train: the self-trained first pass is a second model whose weights "
                         "the tagger averages with the plain one's, instead of replacing it")
    ap.add_argument("--bags", type=int, default=0, metavar="K",
                    help="K (<= 10) more first-pass members, each fitted on train without one tenth of it")
    ap.add_argument("--add-members", action="store_true",
                    help="keep the models and feature files in --out; fit only the ensemble's extra members")
    args = ap.parse_args(argv)
    from ..paths import resolve

    rec = train_model(resolve(args.data), out=resolve(args.out),
                      cluster_corpus=resolve(args.cluster_corpus) if args.cluster_corpus else None,
                      c1=args.c1, c2=args.c2, max_iterations=args.max_iterations,
                      keep_misc=not args.drop_misc, tune=args.tune,
                      relearn_clusters=not args.keep_clusters, gaz_tokens=args.gaz_tokens,
                      second_pass=not args.no_second_pass, folds=args.folds, w2v=not args.no_w2v,
                      name_lexicon=not args.no_name_lexicon, neural=args.neural,
                      neural_first=args.neural_first, self_train=args.self_train,
                      self_train_corpus=resolve(args.self_train_corpus) if args.self_train_corpus else None,
                      doc_context=args.doc_context, ensemble=args.ensemble, bags=args.bags,
                      add_members=args.add_members, person_names=not args.no_person_names,
                      name_likeness=not args.no_name_likeness, log=lambda m: print(m, flush=True))
    print(json.dumps(rec))
    return 0
