"""idlibnb's temporal expressions against dateparser's search_dates, side by side.

    .venv/bin/python benchmarks/dates_vs_dateparser.py GOLD.json CORPUS [--real DIR] [--limit N]

GOLD.json has the shape of the seed gold (per doc_id: ``published`` and ``timexes`` with ``value``);
CORPUS is the folder of those articles. Both systems get the same anchor, the gold publication date:
idlibnb through ``timexes(doc, anchor=…)``, dateparser through ``settings={'RELATIVE_BASE': …}``.
Scored like the project's scorer: the set of (doc_id, value) pairs at day, month or year precision
against the gold set (dateparser always answers at day precision). Speed is documents per second of
the extraction alone (parsing excluded; CPU time, best of several rounds; dateparser warmed up). ``--real DIR`` also times idlibnb on
a folder of real articles (any corpus format ``idlibnb`` reads), which has no gold.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
import warnings
from datetime import datetime
from pathlib import Path

from idlibnb.corpus import read_corpus
from idlibnb.extract.dates import timexes
from idlibnb.parse import parse

_ISO = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def prf(gold: set, sys_: set) -> tuple[float, float, float]:
    tp = len(gold & sys_)
    p = tp / len(sys_) if sys_ else 0.0
    r = tp / len(gold) if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def ours(docs, anchors) -> set:
    out = set()
    for d in docs:
        for t in timexes(d, anchor=anchors.get(d.doc_id)):
            if t.value and _ISO.fullmatch(t.value):
                out.add((d.doc_id, t.value))
    return out


def theirs(docs, anchors) -> set:
    from dateparser.search import search_dates

    out = set()
    for d in docs:
        base = anchors.get(d.doc_id)
        settings = {"RELATIVE_BASE": datetime.fromisoformat(base)} if base and len(base) == 10 else {}
        for field in (d.title, d.text):
            if not field:
                continue
            try:
                found = search_dates(field, languages=["ar"], settings=settings) or []
            except Exception:  # dateparser raises on some inputs; count it as finding nothing
                found = []
            out |= {(d.doc_id, dt.date().isoformat()) for _, dt in found}
    return out


def timed(fn, docs, anchors, rounds: int) -> tuple[set, float]:
    """Result and docs/s, from CPU time (the machine may be shared: wall time would count others)."""
    best, result = float("inf"), set()
    for _ in range(rounds):
        t = time.process_time()
        result = fn(docs, anchors)
        best = min(best, time.process_time() - t)
    return result, len(docs) / best if best else float("inf")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold")
    ap.add_argument("corpus")
    ap.add_argument("--real", help="a folder of real articles to time idlibnb on (no gold)")
    ap.add_argument("--limit", type=int, default=0, help="at most this many real articles")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)

    gold = json.loads(Path(args.gold).read_text(encoding="utf-8"))
    docs = [d for d in (parse(a) for a in read_corpus(args.corpus, manifest=[])) if d.doc_id in gold]
    anchors = {k: v.get("published") for k, v in gold.items()}
    gold_set = {(k, t["value"]) for k, v in gold.items() for t in v.get("timexes", [])
                if _ISO.fullmatch(str(t["value"]))}
    for d in docs:  # the normalized views are shared by every extractor: build them before timing
        d.norm("text"), d.norm("title")

    warnings.filterwarnings("ignore")
    theirs(docs[:1], anchors)  # dateparser loads its language data on first use: not timed
    mine, mine_dps = timed(ours, docs, anchors, args.rounds)
    peer, peer_dps = timed(theirs, docs, anchors, max(1, args.rounds // 5))
    rows = [("idlibnb timexes", *prf(gold_set, mine), mine_dps),
            ("dateparser search_dates", *prf(gold_set, peer), peer_dps)]
    print(f"seed gold: {len(docs)} articles, {len(gold_set)} gold (doc, value) pairs")
    print(f"{'system':26s} {'P':>6s} {'R':>6s} {'F1':>6s} {'docs/s':>10s}")
    for name, p, r, f, dps in rows:
        print(f"{name:26s} {p:6.3f} {r:6.3f} {f:6.3f} {dps:10.1f}")
    print(f"speed-up: {mine_dps / peer_dps:.0f}x")

    if args.real:
        real = []
        for a in read_corpus(args.real, manifest=[]):
            real.append(parse(a))
            if args.limit and len(real) >= args.limit:
                break
        for d in real:
            d.norm("text"), d.norm("title")
        ra = {d.doc_id: d.published for d in real}
        found, dps = timed(ours, real, ra, max(1, args.rounds // 2))
        chars = sum(len(d.text) for d in real) / max(1, len(real))
        print(f"real articles: {len(real)} (avg {chars:.0f} chars): idlibnb {dps:.0f} docs/s "
              f"({1000 / dps:.3f} ms/doc), {len(found)} distinct (doc, value) pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
