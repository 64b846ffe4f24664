#!/usr/bin/env python3
"""Speed of the entity extractor on a real corpus (lexicon only, or with a model).

    .venv/bin/python benchmarks/entities_speed.py CORPUS [--limit N] [--ner lexicon|model|camel]

Reads and parses the articles first (not timed), builds their normalized views (shared by every
extractor, not timed), then times ``extract.entities`` alone in CPU time (best of three rounds, so other
jobs on a shared machine disturb it less). Prints ms per article, µs per 100 words, articles/s and
entities per article, and a calibration line (the CPU time of a plain 1M-step Python loop) so figures
taken on a busy shared machine can be scaled.
"""
from __future__ import annotations

import argparse
import sys
import time

from idlibnb.corpus import read_corpus
from idlibnb.extract.entities import actor_lexicon, entities
from idlibnb.parse import parse


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--limit", type=int, default=3000)
    ap.add_argument("--ner", default="lexicon")
    args = ap.parse_args(argv)
    docs = []
    for art in read_corpus(args.corpus, manifest=[]):
        docs.append(parse(art))
        if len(docs) >= args.limit:
            break
    actor_lexicon()
    for d in docs:
        d.norm("text"), d.norm("title")
    list(entities(docs[0], model=args.ner))  # load the model, if any
    t = time.process_time()
    acc = 0
    for i in range(1_000_000):
        acc += i
    ref = time.process_time() - t
    words = sum(len(d.text.split()) + len(d.title.split()) for d in docs)
    best, n = float("inf"), 0
    for _ in range(3):
        t = time.process_time()
        n = sum(len(list(entities(d, model=args.ner))) for d in docs)
        best = min(best, time.process_time() - t)
    print(f"{len(docs)} articles, {words / len(docs):.0f} words/article, ner={args.ner}")
    print(f"{best / len(docs) * 1000:.3f} ms/article, {best / words * 1e8:.1f} µs/100 words, "
          f"{len(docs) / best:.0f} articles/s, {n / len(docs):.1f} entities/article")
    print(f"calibration: a 1M-step Python loop took {ref * 1000:.0f} ms of CPU here "
          f"(about 40-50 ms on an idle modern core; scale the figures above by it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
