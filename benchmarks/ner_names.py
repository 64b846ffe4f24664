"""Build the person-name list of the NER name lexicon, and the dev-screening files of its round.

    .venv/bin/python benchmarks/ner_names.py person-names --romanizer NAMES.sqlite3 --arabnamer DICT.json
    .venv/bin/python benchmarks/ner_names.py lexicon --out /tmp/ner_dev/nmy.tsv.gz
    .venv/bin/python benchmarks/ner_names.py namelike /tmp/ant --work /tmp/ner_dev --folds 9 2 5 0
    .venv/bin/python benchmarks/ner_dev.py screen base --tag _nlnm --lexicon /tmp/ner_dev/nmy.tsv.gz \
        --gaz /tmp/ner_dev/gaznl_fold9.tsv.gz --fold 9 --work /tmp/ner_dev

``person-names`` writes ``data/external/names/person_names.tsv`` from two person-name lists that PyPI
packages carry (nothing here downloads them: pass the files of ``pip download --no-deps``):
``arabic_name_romanizer`` 0.2.0's ``resources/names.sqlite3`` (UNICEF, MIT; its person names are
Wikidata labels, CC0 — only the ``wikidata`` rows are used) and ``arabnamer`` 0.1.3's
``data/dict_FINAL.json`` (22,797 English → Arabic name pairs, CC BY 4.0, E. Yousef). One row per
normalized word: its roles (``F`` in the transliteration dictionary; ``G`` / ``S`` / ``U`` a Wikidata
given name / surname / part of unknown role) and sources; words seen only inside a full name are left out.
``lexicon`` writes a name lexicon (``--base-lexicon``) plus that list's ``nm=`` words
(:func:`idlibnb.ner.namelex.build_name_lexicon`'s rule) for ``ner_dev.py --lexicon``; ``namelike`` adds
:func:`idlibnb.ner.autogaz.name_likeness` to each fold's gazetteer (``gaz_fold<k>`` from ``ner_dev.py
gaz``) as ``gaznl_fold<k>`` for ``ner_dev.py --gaz``. Not run by ``make test``.
"""
from __future__ import annotations

import argparse
import json
import re
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

from idlibnb.ner import MODEL_DIR, FeatureExtractor
from idlibnb.ner.autogaz import add_name_likeness, name_likeness, read_autogaz, write_autogaz
from idlibnb.ner.clusters import iter_corpus_texts, read_clusters, word_counts
from idlibnb.ner.namelex import (PERSON_MID_RANK, PERSON_SKIP_RANK, add_person_names, read_name_lexicon,
                                 read_person_names, write_name_lexicon)
from idlibnb.ner.train import PERSON_NAMES
from idlibnb.normalize import normalize_ar

ROOT = Path(__file__).resolve().parent.parent
_WORD = re.compile(r"[^\W_\d]+")
_ROLE = {"given": "G", "surname": "S"}
HEADER = """# person-name words for idlibnb's NER name lexicon (idlibnb.ner.namelex), built by benchmarks/ner_names.py
# from Wikidata's Arabic labels of people (CC0 1.0, via the arabic_name_romanizer 0.2.0 package, MIT, UNICEF)
# and arabnamer 0.1.3's English -> Arabic name dictionary (CC BY 4.0, E. Yousef, https://github.com/sayedyousef/arabnamer);
# changed: split into words, normalized (idlibnb.normalize.normalize_ar), roles merged. See NOTICE.md here.
# word<TAB>roles (F transliteration dictionary; G/S/U Wikidata given name/surname/unknown)<TAB>sources
"""


def person_roles(romanizer_db: str, arabnamer_json: str) -> dict[str, tuple[set[str], set[str]]]:
    """``{normalized word: (roles, sources)}``; role ``N``: seen inside a Wikidata full name."""
    rows: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for arabic in json.loads(Path(arabnamer_json).read_text(encoding="utf-8")).values():
        for w in _WORD.findall(normalize_ar(arabic)):
            rows[w][0].add("F")
            rows[w][1].add("arabnamer")
    db = sqlite3.connect(romanizer_db)
    for key, role in db.execute("SELECT arabic_key, role FROM units WHERE source = 'wikidata'"):
        ws = _WORD.findall(normalize_ar(key))
        if len(ws) == 1:
            rows[ws[0]][0].add(_ROLE.get(role, "U"))
            rows[ws[0]][1].add("wikidata")
    for (key,) in db.execute("SELECT arabic_key FROM full_names WHERE source = 'wikidata'"):
        for w in _WORD.findall(normalize_ar(key)):
            rows[w][0].add("N")
    return rows


def cmd_person_names(args) -> None:
    rows = person_roles(args.romanizer, args.arabnamer)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        f.write(HEADER)
        for w in sorted(rows):
            roles, sources = rows[w]
            if len(w) > 1 and roles - {"N"}:
                f.write(f"{w}\t{''.join(sorted(roles - {'N'}))}\t{','.join(sorted(sources))}\n")
                n += 1
    print(json.dumps({"words": n, "out": str(out)}))


def cmd_lexicon(args) -> None:
    """The shipped name lexicon plus the person-name words (the dev round's ``nmy`` lexicon)."""
    persons = read_person_names(args.person_names)
    rank = {w: i for i, w in enumerate(read_clusters(MODEL_DIR / "clusters.tsv.gz"))}
    base = read_name_lexicon(args.base_lexicon or MODEL_DIR / "namelex.tsv.gz")
    base = {w: v for w, v in base.items() if not v.startswith("nm=")}  # the package lexicons' words only
    lex = add_person_names(base, persons, rank)
    added = Counter(v for v in lex.values() if v.startswith("nm="))
    write_name_lexicon(lex, args.out, note="dev screening: shipped name lexicon + person-name words "
                                           "(benchmarks/ner_names.py)")
    print(json.dumps({"words": len(lex), "added": dict(added), "skip_rank": PERSON_SKIP_RANK,
                      "rare_from_rank": PERSON_MID_RANK}))


def cmd_namelike(args) -> None:
    counts = word_counts(iter_corpus_texts(args.corpus))
    likeness = name_likeness(counts, FeatureExtractor(read_clusters(MODEL_DIR / "clusters.tsv.gz"), None).key)
    for fold in args.folds:
        gaz = read_autogaz(Path(args.work) / f"gaz_fold{fold}.tsv.gz")
        write_autogaz(add_name_likeness(gaz, likeness), Path(args.work) / f"gaznl_fold{fold}.tsv.gz",
                      note="dev screening: fold gazetteer + name-likeness (benchmarks/ner_names.py)")
        print(json.dumps({"fold": fold, "gazetteer": len(gaz), "name_likeness": len(likeness)}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=("person-names", "lexicon", "namelike"))
    ap.add_argument("corpus", nargs="?", help="`namelike`: unlabelled corpus folder (ANT)")
    ap.add_argument("--romanizer", help="`person-names`: arabic_name_romanizer's resources/names.sqlite3")
    ap.add_argument("--arabnamer", help="`person-names`: arabnamer's data/dict_FINAL.json")
    ap.add_argument("--person-names", default=str(ROOT / "data" / "external" / PERSON_NAMES),
                    help="`lexicon`: the list `person-names` wrote")
    ap.add_argument("--base-lexicon", default=None,
                    help="`lexicon`: the name lexicon to extend (default: the shipped one, its nm= words dropped; "
                         "the round's dev runs used the one shipped before it: git show "
                         "3bcf28f:idlibnb/data/ner/namelex.tsv.gz)")
    ap.add_argument("--out", default=None, help="`person-names`: the list (default: data/external/names/); "
                                                "`lexicon`: the dev lexicon file")
    ap.add_argument("--work", default="/tmp/ner_dev", help="`namelike`: ner_dev.py's work folder")
    ap.add_argument("--folds", type=int, nargs="+", default=[9, 2, 5, 0])
    args = ap.parse_args()
    if args.command == "person-names" and args.out is None:
        args.out = str(ROOT / "data" / "external" / PERSON_NAMES)
    {"person-names": cmd_person_names, "lexicon": cmd_lexicon, "namelike": cmd_namelike}[args.command](args)


if __name__ == "__main__":
    main()
