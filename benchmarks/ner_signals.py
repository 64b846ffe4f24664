"""Dev-screening files for three more per-word signals of the NER model (issue 3, session 9; none shipped).

    .venv/bin/python benchmarks/ner_signals.py wiki-lexicon --arwikicats DIR/ArWikiCats/jsons --out /tmp/ner_dev
    .venv/bin/python benchmarks/ner_signals.py topic /tmp/ant --work /tmp/ner_dev --folds 9 2 5 0
    .venv/bin/python benchmarks/ner_signals.py spelling /tmp/ant --work /tmp/ner_dev --folds 9 2 5 0
    .venv/bin/python benchmarks/ner_dev.py screen base --tag _wka --lexicon /tmp/ner_dev/wka.tsv.gz \
        --gaz /tmp/ner_dev/gaznl_fold9.tsv.gz --fold 9 --work /tmp/ner_dev
    .venv/bin/python benchmarks/ner_signals.py post-rules --work /tmp/ner_dev --folds 9 --lexicon /tmp/ner_dev/nmy.tsv.gz

``wiki-lexicon``: words of the Arabic Wikipedia/Wikidata labels that the PyPI package ``arwikicats``
0.2.3 (MIT; ``pip download --no-deps arwikicats==0.2.3``, unzip, pass its ``ArWikiCats/jsons``) carries
for football and other sports clubs (``sports/Clubs_key.json``: 2,162 clubs), cities and regions
(``cities/cities_full.json``, ``geography/P17_PP.json``) and people (``people/peoples.json``), added to
the name-list round's dev lexicon (``ner_names.py lexicon``, ``--base-lexicon``) as ``wk=TYPES.c|m|r``
(types of the lists the word is in, bucketed by corpus rank as ``nm=``; a word already ``lx=`` gets the
types merged, a person-name word keeps ``PER``). Writes ``wkc.tsv.gz`` (clubs only) and ``wka.tsv.gz``
(all three). Generic words (نادي، لكرة، القدم …) and bracketed notes are dropped.

``topic``: per gazetteer key, the ANT category (``<CAT>``: sport, economy, culture …) whose share of the
articles holding the word most exceeds its share of all articles: ``tp=CAT=1`` (lift ≥ 2) or ``=2``
(≥ 3.5), words in at least 5 articles; appended to ``gaznl_fold<k>`` as ``gaznltp_fold<k>``.

``spelling``: a character 2–5-gram logistic regression that tells person-name words (the list in
``data/external/names``) from the corpus's common nouns (name-likeness ``alr`` ≥ 2 or ``sfr`` ≥ 3) by
their letters alone; its probability bucketed (``spl=0..3`` at 0.4, 0.7,
0.9) for every key of the corpus and of ANERcorp (a function of the spelling, no labels), appended as
``gaznlsp_fold<k>``.

``post-rules``: rules over the shipped recipe's two-pass output on a dev tenth (``ner_dev.py twopass
--tag _nlnm`` first: its ``base_nlnm`` / ``second_base_nlnm`` models and ``gaznl`` gazetteer), within each
document: ``prop`` tags the untagged repeats of a name tagged elsewhere in it (a one-word name only if it
is not a common word), ``surname`` the bare last word of a tagged person name of two or more words,
``merge`` joins adjacent person names.

All of them failed their dev gate (docs/ner.md, "Issue 3, outside-labels round"). Not run by ``make test``.
"""
from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from idlibnb.ner import MODEL_DIR, FeatureExtractor, read_conll
from idlibnb.ner.autogaz import add_name_likeness, name_likeness, read_autogaz, write_autogaz
from idlibnb.ner.clusters import iter_corpus_texts, read_clusters, word_counts
from idlibnb.ner.namelex import frequency_bucket, read_name_lexicon, read_person_names, write_name_lexicon
from idlibnb.ner.train import PERSON_NAMES
from idlibnb.normalize import normalize_ar

ROOT = Path(__file__).resolve().parent.parent
_WORD = re.compile(r"[^\W_\d]+")
_PAREN = re.compile(r"\([^)]*\)")
_CAT = re.compile(r"<CAT>([^<]*)</CAT>")
#: words of club names that say "club" or the sport, not which club
_GENERIC = frozenset(normalize_ar(w) for w in """نادي النادي لكرة القدم السلة اليد الطائرة الماء الرياضي الرياضية
الثقافي الاجتماعي للسيدات للرجال فريق كرة قدم ب نادى للشباب الشباب تحت سنة دوري الدوري الدرجة الأولى الثانية
الممتاز""".split())


def _key():
    return FeatureExtractor(read_clusters(MODEL_DIR / "clusters.tsv.gz"), None).key


def _append(work: str, folds, values: dict[str, str], suffix: str, note: str) -> None:
    """``gaznl_fold<k>`` with ``values`` appended (``|``-joined) as ``gaznl<suffix>_fold<k>``."""
    for fold in folds:
        gaz = read_autogaz(Path(work) / f"gaznl_fold{fold}.tsv.gz")
        # add_name_likeness appends any per-word values, not only name-likeness
        write_autogaz(add_name_likeness(gaz, values), Path(work) / f"gaznl{suffix}_fold{fold}.tsv.gz", note=note)
        print(json.dumps({"fold": fold, "gazetteer": len(gaz), "added": len(values)}))


def _label_words(name: str) -> list[str]:
    return [w for w in _WORD.findall(normalize_ar(_PAREN.sub(" ", name))) if len(w) > 1 and w not in _GENERIC]


def cmd_wiki_lexicon(args) -> None:
    src = Path(args.arwikicats)
    rank = {w: i for i, w in enumerate(read_clusters(MODEL_DIR / "clusters.tsv.gz"))}
    types: dict[str, set[str]] = {}

    def add(files, typ, max_words=99):
        for f in files:
            for label in json.loads((src / f).read_text(encoding="utf-8")).values():
                ws = _label_words(label)
                if len(ws) <= max_words:
                    for w in ws:
                        types.setdefault(w, set()).add(typ)

    add(["sports/Clubs_key.json"], "ORG")
    variants = {"wkc": {w: set(t) for w, t in types.items()}}
    add(["cities/cities_full.json", "geography/P17_PP.json"], "LOC", max_words=3)
    add(["people/peoples.json"], "PER")
    variants["wka"] = types
    base = read_name_lexicon(args.base_lexicon)
    for name, ty in variants.items():
        lex, n = dict(base), Counter()
        for w, ts in ty.items():
            b = frequency_bucket(w, rank)
            if not b:
                continue
            cur = lex.get(w, "")
            if cur.startswith("lx="):
                lex[w] = "lx=" + "+".join(sorted(set(cur[3:].split("+")) | ts))
            elif not cur.startswith("t="):
                ts = ts | ({"PER"} if cur.startswith("nm=") else set())
                lex[w] = "wk=" + "+".join(sorted(ts)) + "." + b
                n[lex[w].split(".")[0]] += 1
        out = Path(args.out) / f"{name}.tsv.gz"
        write_name_lexicon(lex, out, note=f"dev screening: {args.base_lexicon} + arwikicats 0.2.3 labels ({name})")
        print(json.dumps({"lexicon": str(out), "words": len(ty), "wk": dict(n.most_common(8))}, ensure_ascii=False))


def topic_lift(corpus: str, key, *, min_docs: int = 5, low: float = 2.0, high: float = 3.5) -> dict[str, str]:
    """``{gazetteer key: "tp=CAT=1|2"}``: the category whose share of the key's articles most exceeds its
    share of all articles, if by ``low`` times (``=2`` from ``high``)."""
    ndocs: Counter = Counter()
    df: dict[str, Counter] = {}
    keys: dict[str, str] = {}
    for f in sorted(p for p in Path(corpus).rglob("*") if p.is_file()):
        m = _CAT.search(f.read_text(encoding="utf-8", errors="replace"))
        cat = m.group(1) if m else "?"
        ndocs[cat] += 1
        words = word_counts(iter_corpus_texts(f))
        for k in {keys.setdefault(w, key(w)) for w in words}:
            df.setdefault(k, Counter())[cat] += 1
    total = sum(ndocs.values())
    out = {}
    for k, c in df.items():
        n = sum(c.values())
        if n >= min_docs:
            cat, lift = max(((x, v / n * total / ndocs[x]) for x, v in c.items()), key=lambda p: p[1])
            if lift >= low:
                out[k] = f"tp={cat}={'2' if lift >= high else '1'}"
    return out


def cmd_topic(args) -> None:
    _append(args.work, args.folds, topic_lift(args.corpus, _key()), "tp",
            "dev screening: fold gazetteer + name-likeness + topic lift (benchmarks/ner_signals.py)")


def spelling_scores(counts: Counter, key, person_names, extra_words) -> dict[str, str]:
    """``{gazetteer key: "spl=0..3"}``: how name-like a word's letters are (see the module text)."""
    import numpy as np
    from sklearn.feature_extraction.text import HashingVectorizer
    from sklearn.linear_model import LogisticRegression

    stem = lambda k: k[2:] if k.startswith("ال") and len(k) > 3 else k  # noqa: E731
    pos, neg = {w for w in person_names if len(w) > 1}, set()
    for k, v in name_likeness(counts, key).items():
        alr, sfr = (int(x[-1]) for x in v.split("|"))
        if k not in person_names and stem(k) not in person_names and (alr >= 2 or sfr >= 3):
            neg.add(stem(k))
    neg -= pos
    hv = HashingVectorizer(analyzer="char", ngram_range=(2, 5), n_features=2 ** 20, alternate_sign=False)
    wrap = lambda ws: hv.transform(["^" + w + "$" for w in ws])  # noqa: E731
    words = sorted(pos) + sorted(neg)
    clf = LogisticRegression(C=2.0, max_iter=300, class_weight="balanced")
    clf.fit(wrap(words), np.array([1] * len(pos) + [0] * len(neg)))
    keys = sorted({key(w) for w in counts} | {key(w) for w in extra_words})
    keys = [k for k in keys if len(stem(k)) > 1 and stem(k).isalpha()]
    p = clf.predict_proba(wrap([stem(k) for k in keys]))[:, 1]
    return {k: "spl=" + ("3" if q >= .9 else "2" if q >= .7 else "1" if q >= .4 else "0") for k, q in zip(keys, p)}


def cmd_spelling(args) -> None:
    anercorp = ROOT / "data" / "external" / "anercorp"
    extra = {t for f in ("train.txt", "test.txt") for toks, _ in read_conll(anercorp / f) for t in toks}
    scores = spelling_scores(word_counts(iter_corpus_texts(args.corpus)), _key(),
                             read_person_names(ROOT / "data" / "external" / PERSON_NAMES), extra)
    _append(args.work, args.folds, scores, "sp",
            "dev screening: fold gazetteer + name-likeness + spelling score (benchmarks/ner_signals.py)")


def _doc_rules(name: str, sents, preds, rank) -> list[list[str]]:
    """One rule of ``post-rules`` applied to one document's sentences and predicted tags."""
    from idlibnb.ner import bio_chunks

    def tags(n, chunks):
        out = ["O"] * n
        for a, b, typ in chunks:
            out[a:b] = ["B-" + typ] + ["I-" + typ] * (b - a - 1)
        return out

    norm = [[normalize_ar(w) for w in s] for s in sents]
    if name == "merge":
        out = []
        for p in preds:
            ch: list = []
            for c in bio_chunks(p):
                if ch and ch[-1][1] == c[0] and ch[-1][2] == c[2] == "PER":
                    ch[-1] = (ch[-1][0], c[1], "PER")
                else:
                    ch.append(c)
            out.append(tags(len(p), ch))
        return out
    named: dict[tuple, list] = {}
    for ns, p in zip(norm, preds):
        for a, b, typ in bio_chunks(p):
            if name == "prop" or (typ == "PER" and b - a >= 2):
                named.setdefault(tuple(ns[a:b]) if name == "prop" else (ns[b - 1],), []).append(
                    typ if name == "prop" else "PER")
    best = {k: max(set(v), key=v.count) for k, v in named.items()}
    longest = max(map(len, best), default=0)
    out = []
    for ns, p in zip(norm, preds):
        p, i = list(p), 0
        while i < len(ns):
            for n in range(min(longest, len(ns) - i), 0, -1):
                key, typ = tuple(ns[i:i + n]), None
                if all(x == "O" for x in p[i:i + n]) and (n > 1 or frequency_bucket(key[0], rank) in ("m", "r")):
                    typ = best.get(key)
                if typ and (name == "prop" or ((i + 1 == len(ns) or p[i + 1][0] != "I") and (i == 0 or p[i - 1] == "O"))):
                    p[i:i + n] = ["B-" + typ] + ["I-" + typ] * (n - 1)
                    i += n - 1
                    break
            i += 1
        out.append(p)
    return out


def cmd_post_rules(args) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import ner_dev

    from idlibnb.ner import DOC_SENTS, entity_prf, map_tag

    rank = {w: i for i, w in enumerate(read_clusters(MODEL_DIR / "clusters.tsv.gz"))}
    for fold in args.folds:
        work = Path(args.work)
        args.fold, args.gaz = fold, str(work / f"gaznl_fold{fold}.tsv.gz")
        cl, cl2, lex, gaz = ner_dev._resources(args)
        _, dev = ner_dev.split(fold)
        sents = [t for t, _ in dev]
        pred = ner_dev._two_pass_crfsuite(work / f"base{args.tag}_fold{fold}.crfsuite",
                                          work / f"second_base{args.tag}_fold{fold}.crfsuite",
                                          FeatureExtractor(cl, gaz, clusters2=cl2, lexicon=lex), sents)
        gold = [[map_tag(t) for t in tags] for _, tags in dev]
        row = {}
        for rule in ("none", "prop", "surname", "merge"):
            out = pred if rule == "none" else [
                q for d0 in range(0, len(sents), DOC_SENTS)
                for q in _doc_rules(rule, sents[d0:d0 + DOC_SENTS], pred[d0:d0 + DOC_SENTS], rank)]
            row[rule] = round(entity_prf(gold, out)["all"]["f1"], 4)
        print(json.dumps({"fold": fold, **row}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=("wiki-lexicon", "topic", "spelling", "post-rules"))
    ap.add_argument("corpus", nargs="?", help="`topic`, `spelling`: unlabelled corpus folder (ANT)")
    ap.add_argument("--arwikicats", help="`wiki-lexicon`: the unzipped arwikicats wheel's ArWikiCats/jsons")
    ap.add_argument("--base-lexicon", default="/tmp/ner_dev/nmy.tsv.gz",
                    help="`wiki-lexicon`: the name-list round's dev lexicon (ner_names.py lexicon)")
    ap.add_argument("--out", default="/tmp/ner_dev", help="`wiki-lexicon`: folder of wkc/wka.tsv.gz")
    ap.add_argument("--work", default="/tmp/ner_dev", help="ner_dev.py's work folder (gaznl_fold<k>.tsv.gz)")
    ap.add_argument("--folds", type=int, nargs="+", default=[9, 2, 5, 0])
    ap.add_argument("--lexicon", default=None, help="`post-rules`: the name lexicon of the two passes")
    ap.add_argument("--tag", default="_nlnm", help="`post-rules`: the two passes' model tag (ner_dev.py twopass)")
    args = ap.parse_args()
    {"wiki-lexicon": cmd_wiki_lexicon, "topic": cmd_topic, "spelling": cmd_spelling,
     "post-rules": cmd_post_rules}[args.command](args)


if __name__ == "__main__":
    main()
