"""Name-list features: which words of known names (and which trigger words) a token is.

At training time :func:`build_name_lexicon` collects, per normalized word, the entity types of the
names it occurs in — from idlibnb's own lexicons (``actors.tsv``, ``places.tsv``), the Arabic country
names of the shared geo data (when its path is given) — plus the trigger words that open organisation names (شركة، حزب …)
and person titles (``titles.tsv``). The result is one feature per word (``lx=LOC+PER``, ``t=ORG`` …),
computed once per word type like every other feature; it is a hint the CRF weighs, never a label.
With a person-name list (:func:`read_person_names`: Wikidata's Arabic labels of people and a
dictionary of names transliterated into Arabic, ``data/external/names``), every word of it that the
package's lexicons lack gets ``nm=r|m|c`` by how common it is in the cluster corpus (its rank in the
cluster file, commonest first); the corpus's commonest words (في، من …, which such lists hold by
accident) get none. At tag time only :func:`read_name_lexicon` runs.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterable

from ..normalize import normalize_ar
from .autogaz import read_autogaz, write_autogaz

__all__ = ["ORG_TRIGGERS", "build_name_lexicon", "write_name_lexicon", "read_name_lexicon", "read_person_names",
           "add_person_names", "frequency_bucket"]

#: words that open an organisation's name (normalized later; with and without ال)
ORG_TRIGGERS = (
    "شركة", "شركات", "حزب", "منظمة", "جامعة", "وكالة", "مجلس", "اتحاد", "جمعية", "بنك", "مصرف", "هيئة",
    "حركة", "جبهة", "وزارة", "صحيفة", "قناة", "مؤسسة", "نادي", "فريق", "منتخب", "لجنة", "مركز", "معهد",
    "محكمة", "مجموعة", "تحالف", "ائتلاف", "تنظيم", "كتائب", "لواء", "فيلق", "جيش", "قوات", "رابطة",
    "نقابة", "مكتب", "دائرة", "مديرية", "برلمان", "مجمع", "أكاديمية", "كلية", "مستشفى", "إذاعة", "تلفزيون",
    "مجلة", "دار", "بورصة", "سوق", "صندوق", "برنامج", "مفوضية", "منتدى", "تجمع", "حكومة", "سلطة", "جماعة",
)
#: person-name words by rank in the cluster file (commonest first): the ranks at which ANT's counts
#: pass 5,000, 200 and 10 — the commonest are skipped, the others bucketed (``nm=c``, ``m``, ``r``)
PERSON_SKIP_RANK, PERSON_COMMON_RANK, PERSON_MID_RANK = 146, 5484, 46680
_BRACKET = re.compile(r"\[[^\]]*\]")
_WORD = re.compile(r"[^\W_]+")


def _words(name: str) -> list[str]:
    name = _BRACKET.sub(" ", name).replace("~", " ")
    return _WORD.findall(normalize_ar(name))


def _rows(path: Path) -> Iterable[dict[str, str]]:
    """The rows of a package TSV (``#`` comments, then a header line) as dicts."""
    header = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if header is None:
                header = cols
                continue
            yield dict(zip(header, cols))


def _actor_names(path: Path) -> Iterable[tuple[str, str]]:
    """``(type, name)`` of every name and alias of ``actors.tsv`` (PER/ORG/LOC rows, kind=name)."""
    for row in _rows(path):
        if row.get("type") not in ("PER", "ORG", "LOC") or row.get("kind") == "descriptor":
            continue
        names = [row.get("name", "")] + (row.get("aliases") or "").split("|") \
            + (row.get("context_aliases") or "").split("|")
        for n in names:
            if n.strip():
                yield row["type"], n


def _places(path: Path) -> Iterable[str]:
    return (row.get("name", "") for row in _rows(path))


def _titles(path: Path) -> Iterable[str]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2 and cols[1] == "head" and not line.startswith("#"):
                yield cols[0]


def read_person_names(path: str | Path) -> dict[str, str]:
    """``{normalized word: roles}`` of a person-name list (``word<TAB>roles<TAB>…``, ``#`` comments)."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 2 or not cols[0]:
                raise ValueError(f"{path}:{n}: expected word<TAB>roles")
            out[cols[0]] = cols[1]
    return out


def build_name_lexicon(data_dir: Path, *, countries_json: Path | None = None) -> dict[str, str]:
    """``{normalized word: feature}`` from the package's lexicons (and optional extra lists);
    :func:`add_person_names` adds a person-name list to it."""
    types: dict[str, set[str]] = {}

    def add(word: str, typ: str) -> None:
        if len(word) > 1:
            types.setdefault(word, set()).add(typ)

    for typ, name in _actor_names(data_dir / "actors.tsv"):
        for w in _words(name):
            add(w, typ)
    for name in _places(data_dir / "places.tsv"):
        for w in _words(name):
            add(w, "LOC")
    if countries_json is not None and Path(countries_json).exists():
        for c in json.loads(Path(countries_json).read_text(encoding="utf-8")):
            ara = (c.get("translations") or {}).get("ara") or {}
            for name in {ara.get("common", ""), ara.get("official", "")}:
                ws = _words(name)
                if len(ws) <= 2:
                    for w in ws:
                        add(w, "LOC")
    out = {w: "lx=" + "+".join(sorted(t)) for w, t in types.items()}
    for t in ORG_TRIGGERS:
        n = normalize_ar(t)
        for form in (n, "ال" + n):
            out[form] = "t=ORG"
    for t in _titles(data_dir / "titles.tsv"):
        ws = _words(t)
        if len(ws) == 1:
            out.setdefault(ws[0], "t=PER")
    return out


def add_person_names(lex: dict[str, str], person_names: dict[str, str], word_rank: dict[str, int]) -> dict[str, str]:
    """``lex`` plus ``nm=c|m|r`` for each word of ``person_names`` (:func:`read_person_names`) it
    lacks, by the word's rank in the cluster corpus (``word_rank``: commonest first; a word it lacks
    counts as rare); the corpus's commonest words are left out."""
    out = dict(lex)
    for w in person_names:
        b = frequency_bucket(w, word_rank)
        if len(w) > 1 and w not in out and b:
            out[w] = "nm=" + b
    return out


def frequency_bucket(word: str, word_rank: dict[str, int]) -> str:
    """``c``, ``m`` or ``r`` (common, middling, rare: by ``word``'s rank in the cluster corpus, a word
    it lacks counting as rare), or ``""`` for its commonest words, which name lists hold by accident."""
    r = word_rank.get(word, PERSON_MID_RANK)
    return "" if r < PERSON_SKIP_RANK else "c" if r < PERSON_COMMON_RANK else "m" if r < PERSON_MID_RANK else "r"


def write_name_lexicon(lex: dict[str, str], path: str | Path, *, note: str = "") -> None:
    """The same ``word<TAB>features`` gzipped file as the self-trained gazetteer's."""
    write_autogaz(lex, path, note=note)


def read_name_lexicon(path: str | Path) -> dict[str, str]:
    return read_autogaz(path)
