"""Dev-split screening and error breakdown for the NER model's first pass (never the test split).

    .venv/bin/python benchmarks/ner_dev.py gaz --fold 9 --corpus /tmp/ant       # leak-free gazetteer
    .venv/bin/python benchmarks/ner_dev.py screen --fold 9 base cng bgw agg      # one CRF per variant
    .venv/bin/python benchmarks/ner_dev.py errors --fold 9                       # what the base gets wrong
    .venv/bin/python benchmarks/ner_dev.py triggers --fold 9 --corpus /tmp/ant  # gazetteer + trigger shares
    .venv/bin/python benchmarks/ner_dev.py screen st3000 bag0 --fold 9          # self-trained / bagged members
    .venv/bin/python benchmarks/ner_dev.py ensemble base,st3000 --fold 9         # their weights averaged
    .venv/bin/python benchmarks/ner_dev.py bilstm --fold 9 --vectors neural.npz --stack  # BiLSTM (needs torch)
    .venv/bin/python benchmarks/ner_dev.py twopass --fold 9 --tag _x --lexicon L --gaz G  # both passes

Dev is one contiguous tenth of ANERcorp's train split (``--fold 9``: the last, as in
``idlibnb/data/ner/training.json``); the first pass is fitted on the other nine tenths with the shipped
recipe's settings (c1 0.1, c2 0.01, 100 iterations, MISC kept) and the shipped clusters and name
lexicon. The gazetteer is rebuilt for each fold by a first pass that never saw its dev tenth (the
shipped one was built by a model trained on all of train, so it has seen every tenth).

Variants (joined with ``+``) add features to the shipped ones; ``base`` adds none:
``cng`` the word's character trigrams; ``bgw`` word bigrams (previous|this, this|next); ``bgk`` /
``bge`` the same over the 128 PPMI / 256 skip-gram cluster ids; ``ctx3`` the words and clusters three
away; ``bag3`` / ``bagk`` the name-list and gazetteer values / the clusters of the three words on
each side, as a bag; ``sport`` the word's own features conjoined with "a sports sentence" (two sports
words within ±2 sentences); ``agg`` / ``aggk`` the neighbours (words and clusters / clusters only) of
every occurrence of the word in its document, as mean-valued features; ``bioes`` BIOES labels.
``triggers`` writes the fold's gazetteer plus, per word, the share of its corpus occurrences right
after an ORG trigger / a person title (the name lexicon's ``t=`` words) / a place noun (مدينة، قرية …)
as ``tORG=1|2|3`` (≥5%, ≥20%, ≥50%), for ``screen --gaz``.
Training options join the variants the same way: ``st<N>[o<share>][m<min>]`` adds N self-training
sentences (:mod:`idlibnb.ner.selftrain`: tagged confidently by the fold's ``base`` model, screened
first, in 3,000 corpus articles; ``o`` the share with an ORG name, default 0.5; ``m`` the name
tokens' marginal threshold, default 0.9), ``bag<k>`` leaves out the k-th ninth of the fit data,
``c1_<v>`` sets c1, ``lxd<pct>`` hides the person-name list value (``nm=``) of that share of the
training tokens (and from their neighbours), never at tagging. ``ensemble`` scores comma-joined lists of screened variants with their weights
averaged (what :class:`NERTagger` does with several first-pass files), with the fast decoder.
``bilstm`` trains the BiLSTM of :mod:`idlibnb.ner.bilstm_train` (torch, one thread; word vectors from
a ``train --neural`` model's ``neural.npz``; ``--params`` a JSON of settings) on the nine tenths and
scores it alone on the dev tenth; ``--stack`` also fits the shipped recipe's two passes (4-fold
cross-validated first-pass tags) and the same second pass with the BiLSTM's 4-fold cross-validated
probabilities as ``q=`` features (as ``train --neural`` does with its network), both scored with crfsuite.
``--lm`` adds the frozen states of a language model trained on unlabelled news (:mod:`idlibnb.ner.bilm`)
to the BiLSTM's inputs. ``poe`` (after ``bilstm``, which writes the dev probabilities, and the two passes'
models) adds λ × the BiLSTM's dev log-probabilities to the first / second / both passes' scores of those
two passes (a product of experts), λ = 0.25, 0.5, 1, after the two passes alone.
``twopass`` fits the shipped recipe's two passes with the run's ``--lexicon`` / ``--gaz`` (the first pass
``screen`` wrote as ``base<tag>``, else fitted; the second on 4-fold cross-validated first-pass tags)
and scores them with crfsuite; give parallel runs separate ``--work`` folders.
Variants go right after the command (``screen base st3000 --fold 2``), not after the options.
``--lexicon`` swaps the name lexicon (e.g. one extended with UD-PETRARCH actor names); ``--gaz`` the
gazetteer. Scratch files go to ``--work`` (default /tmp/ner_dev); not run by ``make test``.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import time
from collections import Counter
from pathlib import Path

from idlibnb.ner import (DOC_SENTS, LABELS, MODEL_DIR, FeatureExtractor, NERTagger, bio_chunks, entity_prf,
                         map_tag, read_conll)
from idlibnb.ner.autogaz import learn_autogaz, read_autogaz, write_autogaz
from idlibnb.ner.clusters import iter_corpus_texts, read_clusters
from idlibnb.ner.namelex import read_name_lexicon
from idlibnb.normalize import normalize_ar

TRAIN = Path(__file__).resolve().parent.parent / "data" / "external" / "anercorp" / "train.txt"
CRF_PARAMS = {"c1": 0.1, "c2": 0.01, "max_iterations": 100, "feature.possible_transitions": True}
#: words that mark a sentence as sports news (for the ``sport`` variant)
SPORT_WORDS = frozenset(normalize_ar(w) for w in """مباراة المباراة مباراته مباريات الدوري دوري هدف هدفا الهدف
اهداف الأهداف فريق الفريق فريقه لاعب اللاعب لاعبي لاعبين المنتخب منتخب بطولة البطولة كأس الشوط مرمى التعادل
تعادل الملعب ملعب مدرب المدرب نقطة نقاط الجولة الكرة القدم المهاجم مهاجم الحارس ركلة""".split())


def split(fold: int):
    """``(fit, dev)``: dev is the ``fold``-th contiguous tenth of train, fit the rest."""
    sents = read_conll(TRAIN)
    a, b = len(sents) * fold // 10, len(sents) * (fold + 1) // 10
    return sents[:a] + sents[b:], sents[a:b]


def to_bioes(tags: list[str]) -> list[str]:
    out = []
    for i, t in enumerate(tags):
        if t == "O":
            out.append(t)
            continue
        cont = (tags[i + 1] if i + 1 < len(tags) else "O") == "I-" + t[2:]
        out.append(("B-" if cont else "S-") + t[2:] if t[0] == "B" else ("I-" if cont else "E-") + t[2:])
    return out


def from_bioes(tags: list[str]) -> list[str]:
    return [t if t == "O" else ("B-" if t[0] in "BS" else "I-") + t[2:] for t in tags]


def sport_flags(sents_toks, window: int = 2, need: int = 2) -> list[bool]:
    cnt = [sum(normalize_ar(t) in SPORT_WORDS for t in toks) for toks in sents_toks]
    out = []
    for i in range(len(cnt)):
        d0 = i - i % DOC_SENTS
        out.append(sum(cnt[max(d0, i - window):min(d0 + DOC_SENTS, i + window + 1)]) >= need)
    return out


class VariantFeatures(FeatureExtractor):
    """The shipped features plus a variant's (computed per token: for screening, not for speed)."""

    def __init__(self, *a, variant: tuple[str, ...] = (), **k):
        super().__init__(*a, **k)
        self.variant, self.sport, self.training = variant, False, False
        drop = [x for x in variant if x.startswith("lxd")]
        self.lex_dropout = int(drop[0][3:]) / 100 if drop else 0.0
        self._rng = random.Random(0)

    def parts(self, tok: str):
        own = self._type_features(tok)[0]
        pick = lambda *p: [f for f in own if f.startswith(p)]  # noqa: E731
        return (pick("w="), pick("k1="), pick("lx=", "t="), pick("gPER", "gORG", "gLOC", "gMISC"), pick("e1="))

    def sequence(self, tokens):
        out = super().sequence(tokens)
        v = self.variant
        if not v:
            return out
        if self.lex_dropout and self.training:  # hide some words' name-list values while fitting
            out = [list(f) for f in out]
            for j in range(len(tokens)):
                if self._rng.random() < self.lex_dropout:
                    for i, pre in ((j, ""), (j + 1, "-1"), (j - 1, "+1"), (j + 2, "-2"), (j - 2, "+2")):
                        if 0 <= i < len(out):
                            out[i] = [pre + "nolx" if x.startswith(pre + "nm=") else x for x in out[i]]
        ex = [self.parts(t) for t in tokens]
        n = len(tokens)
        first = lambda j, part, none: (ex[j][part] or [none])[0] if 0 <= j < n else "OUT"  # noqa: E731
        for i in range(n):
            f = out[i] = list(out[i])
            if "cng" in v:
                m = "^" + normalize_ar(tokens[i]) + "$"
                f += ["n3=" + m[a:a + 3] for a in range(len(m) - 2)]
            if "bgw" in v:
                f += ["bgl=" + first(i - 1, 0, "") + "|" + first(i, 0, ""),
                      "bgr=" + first(i, 0, "") + "|" + first(i + 1, 0, "")]
            if "bgk" in v:
                f += ["kpl=" + first(i - 1, 1, "k1=-") + "|" + first(i, 1, "k1=-"),
                      "kpr=" + first(i, 1, "k1=-") + "|" + first(i + 1, 1, "k1=-")]
            if "bge" in v:
                f += ["epl=" + first(i - 1, 4, "e1=-") + "|" + first(i, 4, "e1=-"),
                      "epr=" + first(i, 4, "e1=-") + "|" + first(i + 1, 4, "e1=-")]
            if "ctx3" in v:
                for off in (-3, 3):
                    j = i + off
                    f += ["%+d" % off + x for x in ex[j][0] + ex[j][1] + ex[j][2]] if 0 <= j < n else ["%+dOUT" % off]
            for side, rng in (("<", range(i - 3, i)), (">", range(i + 1, i + 4))):
                for j in rng:
                    if 0 <= j < n:
                        if "bag3" in v:
                            f += [side + x for x in ex[j][2] + ex[j][3]]
                        if "bagk" in v:
                            f += [side + x for x in ex[j][1]]
            if "sport" in v and self.sport:
                f += ["S|" + x for part in ex[i] for x in part]
        return out


def agg_features(fx: VariantFeatures, sents_toks, words: bool = True) -> list[list[dict[str, float]]]:
    """Per token: its word type's left/right neighbours over all its occurrences in the document
    (windows of DOC_SENTS sentences), as mean-valued features."""
    out = []
    for d0 in range(0, len(sents_toks), DOC_SENTS):
        doc = sents_toks[d0:d0 + DOC_SENTS]
        ctx: dict[str, Counter] = {}
        for toks in doc:
            ex = [fx.parts(t) for t in toks]
            for i, t in enumerate(toks):
                c = ctx.setdefault(fx.key(t), Counter())
                c["#"] += 1
                for side, j in (("L", i - 1), ("R", i + 1)):
                    names = (([side + "w" + ex[j][0][0]] if words else []) + [side + x for x in ex[j][1][:1]]
                             if 0 <= j < len(toks) else [side + "OUT"])
                    for name in names:
                        c["A" + name] += 1
        for toks in doc:
            row = []
            for t in toks:
                c = ctx[fx.key(t)]
                row.append({f: v / c["#"] for f, v in c.items() if f != "#"})
            out.append(row)
    return out


def _items(fx: VariantFeatures, sents_toks):
    """crfsuite items of each sentence (dicts when a variant adds real-valued features)."""
    v = fx.variant
    sport = sport_flags(sents_toks)
    agg = agg_features(fx, sents_toks, "aggk" not in v) if {"agg", "aggk"} & set(v) else None
    for j, toks in enumerate(sents_toks):
        fx.sport = sport[j]
        rows = fx.sequence(toks)
        yield rows if agg is None else [dict(dict.fromkeys(r, 1.0), **a) for r, a in zip(rows, agg[j])]


def _resources(args):
    cl = read_clusters(MODEL_DIR / "clusters.tsv.gz")
    cl2 = read_clusters(MODEL_DIR / "clusters2.tsv.gz")
    lex = read_name_lexicon(args.lexicon or MODEL_DIR / "namelex.tsv.gz")
    gaz_path = Path(args.gaz) if args.gaz else Path(args.work) / f"gaz_fold{args.fold}.tsv.gz"
    gaz = read_autogaz(gaz_path) if gaz_path.exists() else None
    return cl, cl2, lex, gaz


def cmd_gaz(args) -> None:
    import pycrfsuite

    cl, cl2, lex, _ = _resources(args)
    fit, _ = split(args.fold)
    fx = FeatureExtractor(cl, clusters2=cl2, lexicon=lex)
    p = Path(args.work) / f"stage1_fold{args.fold}.crfsuite"
    tr = pycrfsuite.Trainer(verbose=False)
    for toks, tags in fit:
        tr.append(fx.sequence(toks), [map_tag(t, keep_misc=True) for t in tags])
    tr.set_params(CRF_PARAMS)
    tr.train(str(p))
    gaz = learn_autogaz(NERTagger(p, cl, clusters2=cl2, lexicon=lex), iter_corpus_texts(args.corpus),
                        max_tokens=args.gaz_tokens)
    out = Path(args.work) / f"gaz_fold{args.fold}.tsv.gz"
    write_autogaz(gaz, out, note=f"dev gazetteer: first pass fitted without tenth {args.fold} of train")
    print(f"{len(gaz)} words -> {out}")


#: nouns that open a place name (with and without ال), for the ``triggers`` gazetteer
PLACE_NOUNS = "مدينة بلدة قرية محافظة ولاية عاصمة منطقة إقليم جزيرة دولة مقاطعة مخيم حي ريف"


def cmd_triggers(args) -> None:
    from idlibnb.ner import tokenize_with_offsets

    cl, cl2, lex, gaz = _resources(args)
    fx = FeatureExtractor(cl, clusters2=cl2, lexicon=lex)
    trigger = {w: v[2:] for w, v in lex.items() if v in ("t=ORG", "t=PER")}
    for w in PLACE_NOUNS.split():
        trigger.setdefault(normalize_ar(w), "LOC")
        trigger.setdefault("ال" + normalize_ar(w), "LOC")
    seen: Counter = Counter()
    after = {t: Counter() for t in ("ORG", "PER", "LOC")}
    for text in iter_corpus_texts(args.corpus):
        prev = None
        for tok, _, _ in tokenize_with_offsets(text):
            k = fx.key(tok)
            seen[k] += 1
            if prev is not None:
                after[prev][k] += 1
            prev = trigger.get(k)
    out = dict(gaz or {})
    for w, c in seen.items():
        best = max(after, key=lambda t: after[t][w])
        share = after[best][w] / c if c >= 3 else 0.0
        b = "3" if share >= 0.5 else "2" if share >= 0.2 else "1" if share >= 0.05 else None
        if b:
            out[w] = (out[w] + "|" if w in out else "") + f"t{best}={b}"
    path = Path(args.work) / f"gaz_fold{args.fold}_triggers.tsv.gz"
    write_autogaz(out, path, note="dev gazetteer + trigger shares")
    print(f"{len(out)} words -> {path}")


def _self_train_pool(args, res):
    """The fold's self-training candidates (:func:`idlibnb.ner.selftrain.confident_sentences` of the
    fold's ``base`` first pass over the corpus), computed once and kept in the work folder."""
    import pickle

    from idlibnb.ner.selftrain import confident_sentences

    path = Path(args.work) / f"selftrain_fold{args.fold}.pkl"
    if not path.exists():
        base = Path(args.work) / f"base_fold{args.fold}.crfsuite"
        cl, cl2, lex, gaz = res
        cands = confident_sentences(base, FeatureExtractor(cl, gaz, clusters2=cl2, lexicon=lex),
                                    iter_corpus_texts(args.corpus))
        path.write_bytes(pickle.dumps(cands))
    return pickle.loads(path.read_bytes())


def _training_options(variant: tuple[str, ...]) -> tuple[tuple[str, ...], dict]:
    """Split a variant into feature tokens and training options: ``st<N>[o<share>][m<min entity>]``
    (self-training: N confident corpus sentences, the share with an ORG name, the marginal threshold),
    ``bag<k>`` (leave out the k-th ninth of the fit data: bagging for ensembles), ``c1_<v>``."""
    import re

    feats, opts = [], {}
    for v in variant:
        m = re.fullmatch(r"st(\d+)(?:o([\d.]+))?(?:m([\d.]+))?", v)
        if m:
            opts["self_train"] = (int(m[1]), float(m[2] or 0.5), float(m[3] or 0.9))
        elif re.fullmatch(r"bag\d", v):
            opts["bag"] = int(v[3:])
        elif v.startswith("c1_"):
            opts["c1"] = float(v[3:])
        else:
            feats.append(v)
    return tuple(feats), opts


def cmd_screen(args) -> None:
    import pycrfsuite

    from idlibnb.ner.selftrain import select_sentences

    cl, cl2, lex, gaz = _resources(args)
    fit, dev = split(args.fold)
    gold = [[map_tag(t) for t in tags] for _, tags in dev]
    for name in args.variants:
        variant, opts = _training_options(() if name == "base" else tuple(name.split("+")))
        fx = VariantFeatures(cl, gaz, clusters2=cl2, lexicon=lex, variant=variant)
        bioes = "bioes" in variant
        t = time.time()
        p = Path(args.work) / f"{name}{args.tag}_fold{args.fold}.crfsuite"
        data = fit
        if "bag" in opts:
            a, b = len(fit) * opts["bag"] // 9, len(fit) * (opts["bag"] + 1) // 9
            data = fit[:a] + fit[b:]
        if "self_train" in opts:
            cap, share, min_ent = opts["self_train"]
            data = data + select_sentences(_self_train_pool(args, (cl, cl2, lex, gaz)), cap=cap,
                                           org_share=share, min_entity=min_ent)
        tr = pycrfsuite.Trainer(verbose=False)
        fx.training = True
        for items, (_, tags) in zip(_items(fx, [s[0] for s in data]), data):
            tags = [map_tag(x, keep_misc=True) for x in tags]
            tr.append(items, to_bioes(tags) if bioes else tags)
        tr.set_params(dict(CRF_PARAMS, c1=opts.get("c1", CRF_PARAMS["c1"])))
        tr.train(str(p))
        fx.training = False
        tg = pycrfsuite.Tagger()
        tg.open(str(p))
        pred = [[x if x == "O" or x[2:] in LABELS else "O" for x in (from_bioes(tg.tag(it)) if bioes else tg.tag(it))]
                for it in _items(fx, [s[0] for s in dev])]
        r = entity_prf(gold, pred)
        print(json.dumps({"variant": name + args.tag, "fold": args.fold, "seconds": round(time.time() - t),
                          **{k: round(v["f1"], 4) for k, v in r.items()}}), flush=True)


def breakdown(dev, pred, fit) -> dict:
    """Counts of each gold entity's outcome (correct, missed, wrong type, boundary), of predicted
    entities overlapping no gold one, and recall by whether the name / its words were seen in ``fit``."""
    seen_names, seen_words = set(), set()
    for toks, tags in fit:
        for s, e, typ in bio_chunks([map_tag(t) for t in tags]):
            seen_names.add((" ".join(map(normalize_ar, toks[s:e])), typ))
            seen_words.update(map(normalize_ar, toks[s:e]))
    out: dict[str, Counter] = {lab: Counter() for lab in LABELS}
    for (toks, tags), p in zip(dev, pred):
        gs = [c for c in bio_chunks([map_tag(t) for t in tags]) if c[2] in LABELS]
        gm = bio_chunks([map_tag(t, keep_misc=True) for t in tags])
        ps = [c for c in bio_chunks(p) if c[2] in LABELS]
        for s, e, typ in gs:
            over = [q for q in ps if q[0] < e and s < q[1]]
            if (s, e, typ) in ps:
                k = "correct"
            elif not over:
                k = "missed"
            elif any(q[:2] == (s, e) for q in over):
                k = "wrong type: " + next(q[2] for q in over if q[:2] == (s, e))
            else:
                q = over[0]
                k = ("boundary" if q[2] == typ else "boundary and type") + ": " + ", ".join(
                    w for w, c in (("starts late", q[0] > s), ("starts early", q[0] < s), ("ends early", q[1] < e),
                                   ("ends late", q[1] > e), ("split", len(over) > 1)) if c)
            out[typ][k] += 1
            name = " ".join(map(normalize_ar, toks[s:e]))
            seen = ("name seen" if (name, typ) in seen_names else
                    "every word seen" if all(normalize_ar(w) in seen_words for w in toks[s:e]) else "a word unseen")
            out[typ][f"{seen}: n"] += 1
            out[typ][f"{seen}: found"] += k == "correct"
        for s, e, typ in ps:
            if (s, e, typ) not in gs and not any(c[0] < e and s < c[1] for c in gs):
                misc = any(c[2] == "MISC" and c[0] < e and s < c[1] for c in gm)
                out[typ]["predicted, no gold overlap" + (" (gold MISC)" if misc else "")] += 1
    return {lab: dict(c.most_common()) for lab, c in out.items()}


def cmd_errors(args) -> None:
    cl, cl2, lex, gaz = _resources(args)
    fit, dev = split(args.fold)
    model = Path(args.model) if args.model else Path(args.work) / f"base{args.tag}_fold{args.fold}.crfsuite"
    tagger = NERTagger(model, cl, gaz, clusters2=cl2, lexicon=lex)
    docs = [[t for t, _ in dev[i:i + DOC_SENTS]] for i in range(0, len(dev), DOC_SENTS)]
    pred = [p for d in tagger.tag_docs(docs) for p in d]
    scores = entity_prf([[map_tag(t) for t in tags] for _, tags in dev], pred)
    print(json.dumps({"scores": {k: round(v["f1"], 4) for k, v in scores.items()},
                      "breakdown": breakdown(dev, pred, fit)}, ensure_ascii=False, indent=1))


def cmd_ensemble(args) -> None:
    """Each argument a comma-separated list of screened variants: their models' weights averaged
    (what :class:`NERTagger` does with several model files), scored on the dev tenth."""
    cl, cl2, lex, gaz = _resources(args)
    _, dev = split(args.fold)
    gold = [[map_tag(t) for t in tags] for _, tags in dev]
    docs = [[t for t, _ in dev[i:i + DOC_SENTS]] for i in range(0, len(dev), DOC_SENTS)]
    for group in args.variants:
        paths = [Path(args.work) / f"{name}{args.tag}_fold{args.fold}.crfsuite" for name in group.split(",")]
        tagger = NERTagger(paths, cl, gaz, clusters2=cl2, lexicon=lex)
        pred = [p for d in tagger.tag_docs(docs) for p in d]
        r = entity_prf(gold, pred)
        print(json.dumps({"ensemble": group + args.tag, "fold": args.fold,
                          **{k: round(v["f1"], 4) for k, v in r.items()}}), flush=True)


def _vectors(path):
    """``(words, float32 vectors)`` of a ``neural.npz`` (the network round's 60K skip-gram vectors)."""
    import numpy as np

    from idlibnb.ner.neural import unpack_strings

    with np.load(path, allow_pickle=False) as d:
        return unpack_strings(d, "words"), d["vecs"][:-1].astype(np.float32)


def _two_pass_crfsuite(first_path, second_path, fx, sents, dense=None):
    """crfsuite's two-pass decoding of dev sentences, documents being windows of DOC_SENTS
    sentences; ``dense``: per sentence, the second pass's real-valued features (or None)."""
    import pycrfsuite

    from idlibnb.ner import _with_dense

    t1, t2 = pycrfsuite.Tagger(), pycrfsuite.Tagger()
    t1.open(str(first_path))
    t2.open(str(second_path))
    out = []
    for d0 in range(0, len(sents), DOC_SENTS):
        doc = sents[d0:d0 + DOC_SENTS]
        first = [t1.tag(fx.sequence(s)) for s in doc]
        dv = iter(fx.doc_values([t for s in doc for t in s], [t for p in first for t in p]))
        for j, (s, p) in enumerate(zip(doc, first)):
            rows = [a + b for a, b in zip(fx.sequence(s), fx.dynamic(p, [next(dv) for _ in s]))]
            out.append(t2.tag(_with_dense(rows, dense[d0 + j] if dense is not None else None)))
    return [[x if x == "O" or x[2:] in LABELS else "O" for x in p] for p in out]


def _fit_first_pass(fit, fx, path: Path) -> None:
    """The shipped recipe's first pass (as ``screen base``) on the fit sentences."""
    import pycrfsuite

    tr = pycrfsuite.Trainer(verbose=False)
    for toks, tags in fit:
        tr.append(fx.sequence(toks), [map_tag(x, keep_misc=True) for x in tags])
    tr.set_params(CRF_PARAMS)
    tr.train(str(path))


def _scores(gold, pred) -> dict:
    return {k: round(v["f1"], 4) for k, v in entity_prf(gold, pred).items()}


def cmd_bilstm(args) -> None:
    """(a) the BiLSTM tagger alone on the dev tenth; with ``--stack`` also (b) its 4-fold
    cross-validated probabilities as ``q=`` features of the CRF's second pass, against the shipped
    recipe's two passes (the same cross-validated first-pass tags for both)."""
    import pickle

    import numpy as np
    import torch

    from idlibnb.ner.bilstm_train import bilstm_probs, train_bilstm
    from idlibnb.ner.neural import dense_features
    from idlibnb.ner.train import _docs, _fit_second_pass

    torch.set_num_threads(1)
    cl, cl2, lex, gaz = _resources(args)
    fit, dev = split(args.fold)
    fx = FeatureExtractor(cl, gaz, clusters2=cl2, lexicon=lex)
    words, vecs = _vectors(args.vectors)
    params = json.loads(args.params) if args.params else {}
    labels = sorted({map_tag(x, keep_misc=True) for _, tags in fit for x in tags})
    mapped = [(toks, [map_tag(x, keep_misc=True) for x in tags]) for toks, tags in fit]
    gold = [[map_tag(t) for t in tags] for _, tags in dev]
    dev_toks = [t for t, _ in dev]
    work, tag = Path(args.work), f"{args.tag}_fold{args.fold}"
    log = lambda m: print(m, flush=True)  # noqa: E731
    t = time.time()
    lm = None
    if args.lm:
        from idlibnb.ner.bilm import load_bilm

        lm = load_bilm(args.lm)
    net, enc = train_bilstm(mapped, fx, words, vecs, labels=labels, params=params, log=log, lm=lm)
    p_dev = bilstm_probs(net, enc, dev_toks, lm=lm)
    (work / f"bilstm_dev{tag}.pkl").write_bytes(pickle.dumps(p_dev))  # what `poe` reads
    pred = [[labels[i] for i in p.argmax(1)] for p in p_dev]
    print(json.dumps({"bilstm alone": args.tag, "fold": args.fold, "seconds": round(time.time() - t),
                      **_scores(gold, pred)}), flush=True)
    if not args.stack:
        return
    cv_path = work / f"bilstm_cv{tag}.pkl"
    if cv_path.exists():
        cv = pickle.loads(cv_path.read_bytes())
    else:  # the second pass's document folds (train._fit_second_pass)
        cv = [None] * len(fit)
        docs = _docs(len(fit), DOC_SENTS)
        for f in range(4):
            held = sorted(j for i, d in enumerate(docs) if i % 4 == f for j in d)
            hs = set(held)
            n, e = train_bilstm([m for j, m in enumerate(mapped) if j not in hs], fx, words, vecs,
                                labels=labels, params=params, lm=lm)
            for j, p in zip(held, bilstm_probs(n, e, [fit[j][0] for j in held], lm=lm)):
                cv[j] = dense_features(p, labels)
            log(f"bilstm fold {f + 1}/4: {time.time() - t:.0f} s")
        cv_path.write_bytes(pickle.dumps(cv))
    first_model = work / f"base_fold{args.fold}.crfsuite"
    if not first_model.exists():
        _fit_first_pass(fit, fx, first_model)
    crf = dict(clusters=cl, gaz=gaz, c1=CRF_PARAMS["c1"], c2=CRF_PARAMS["c2"],
               max_iterations=CRF_PARAMS["max_iterations"], keep_misc=True, folds=4, doc_sents=DOC_SENTS, log=log)
    first_path, base2 = work / f"first_cv_fold{args.fold}.pkl", work / f"second_base_fold{args.fold}.crfsuite"
    if not base2.exists() or not first_path.exists():
        first_path.write_bytes(pickle.dumps(_fit_second_pass(fit, fx, base2, None, **crf)))
    first = pickle.loads(first_path.read_bytes())
    print(json.dumps({"two passes (shipped recipe)": "", "fold": args.fold,
                      **_scores(gold, _two_pass_crfsuite(first_model, base2, fx, dev_toks))}), flush=True)
    nn2 = work / f"second_bilstm{tag}.crfsuite"
    _fit_second_pass(fit, fx, nn2, None, first=first, dense=cv, **crf)
    dense_dev = [dense_features(p, labels) for p in p_dev]
    print(json.dumps({"two passes + bilstm q= features": args.tag, "fold": args.fold,
                      "seconds": round(time.time() - t),
                      **_scores(gold, _two_pass_crfsuite(first_model, nn2, fx, dev_toks, dense_dev))}), flush=True)


def cmd_twopass(args) -> None:
    """The shipped recipe's two passes with this run's name lexicon / gazetteer: the first pass
    ``screen`` fitted (``base<tag>``, else fitted here), the second on its 4-fold cross-validated
    tags; scored with crfsuite. Give each parallel run its own ``--work`` (the folds' scratch files)."""
    from idlibnb.ner.train import _fit_second_pass

    cl, cl2, lex, gaz = _resources(args)
    fit, dev = split(args.fold)
    fx = FeatureExtractor(cl, gaz, clusters2=cl2, lexicon=lex)
    gold = [[map_tag(t) for t in tags] for _, tags in dev]
    work, t = Path(args.work), time.time()
    first_model = work / f"base{args.tag}_fold{args.fold}.crfsuite"
    if not first_model.exists():
        _fit_first_pass(fit, fx, first_model)
    second = work / f"second_base{args.tag}_fold{args.fold}.crfsuite"
    _fit_second_pass(fit, fx, second, None, clusters=cl, gaz=gaz, c1=CRF_PARAMS["c1"], c2=CRF_PARAMS["c2"],
                     max_iterations=CRF_PARAMS["max_iterations"], keep_misc=True, folds=4, doc_sents=DOC_SENTS,
                     log=lambda m: None)
    print(json.dumps({"two passes": args.tag, "fold": args.fold, "seconds": round(time.time() - t),
                      **_scores(gold, _two_pass_crfsuite(first_model, second, fx, [t for t, _ in dev]))}), flush=True)


def cmd_poe(args) -> None:
    """After ``bilstm --stack``: the shipped two passes (fast decoder) with λ × the BiLSTM's dev
    log-probabilities added to the first / second / both passes' scores before each Viterbi (a
    product of experts; nothing retrained)."""
    import pickle

    import numpy as np

    cl, cl2, lex, gaz = _resources(args)
    fit, dev = split(args.fold)
    work = Path(args.work)
    labels = sorted({map_tag(x, keep_misc=True) for _, tags in fit for x in tags})
    logp = np.log(np.concatenate(pickle.loads((work / f"bilstm_dev{args.tag}_fold{args.fold}.pkl").read_bytes()))
                  + 1e-6).astype(np.float32)
    gold = [[map_tag(t) for t in tags] for _, tags in dev]
    docs = [[t for t, _ in dev[i:i + DOC_SENTS]] for i in range(0, len(dev), DOC_SENTS)]
    tagger = NERTagger(work / f"base_fold{args.fold}.crfsuite", cl, gaz, work / f"second_base_fold{args.fold}.crfsuite",
                       clusters2=cl2, lexicon=lex)
    pred = [p for d in tagger.tag_docs(docs) for p in d]
    print(json.dumps({"two passes (no log-probabilities)": "", "fold": args.fold, **_scores(gold, pred)}), flush=True)
    for which in ("first", "second", "both"):
        scorers = {"first": [tagger._scores], "second": [tagger._scores2]}.get(which, [tagger._scores, tagger._scores2])
        for lam in (0.25, 0.5, 1.0):
            for sc in scorers:  # the label order of each pass's model
                bias = lam * logp[:, [labels.index(lab) for lab in sc.labels]]
                sc.viterbi = (lambda decode, bias: lambda e, lengths: decode(e + bias, lengths))(
                    type(sc).viterbi.__get__(sc), bias)
            tagger.clear_cache()
            pred = [p for d in tagger.tag_docs(docs) for p in d]
            for sc in scorers:
                del sc.viterbi  # back to the class's method
            print(json.dumps({"two passes + log-probabilities": which, "lambda": lam, "fold": args.fold,
                              **_scores(gold, pred)}), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=("gaz", "triggers", "screen", "errors", "ensemble", "bilstm", "poe",
                                                  "twopass"))
    ap.add_argument("variants", nargs="*", default=["base"])
    ap.add_argument("--fold", type=int, default=9, help="which contiguous tenth of train is dev (0-9)")
    ap.add_argument("--corpus", default="/tmp/ant", help="unlabelled corpus for the gazetteer")
    ap.add_argument("--gaz-tokens", type=int, default=10_000_000)
    ap.add_argument("--gaz", default=None, help="gazetteer file (default: the fold's, from `gaz`)")
    ap.add_argument("--lexicon", default=None, help="name lexicon file (default: the shipped one)")
    ap.add_argument("--model", default=None, help="`errors`: a first-pass model other than the base's")
    ap.add_argument("--tag", default="", help="suffix of the model files (to tell runs apart)")
    ap.add_argument("--work", default="/tmp/ner_dev")
    ap.add_argument("--vectors", default=None, help="`bilstm`: a neural.npz whose word vectors to use")
    ap.add_argument("--params", default=None, help="`bilstm`: network settings as JSON (BILSTM_PARAMS)")
    ap.add_argument("--stack", action="store_true", help="`bilstm`: also stack it into the second pass")
    ap.add_argument("--lm", default=None, help="`bilstm`: a saved language model (bilm.save_bilm) whose states "
                                               "join the tagger's inputs")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    random.seed(0)
    {"gaz": cmd_gaz, "triggers": cmd_triggers, "screen": cmd_screen, "errors": cmd_errors,
     "ensemble": cmd_ensemble, "bilstm": cmd_bilstm, "poe": cmd_poe,
     "twopass": cmd_twopass}[args.command](args)


if __name__ == "__main__":
    main()
