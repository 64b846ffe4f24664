"""Readers and parser on a real corpus: how many articles come out with outlet, publication date,
title and text, what the manifest says, and how long it takes.

    .venv/bin/python benchmarks/read_corpus.py /tmp/ant        # the ANT corpus, unpacked

(Unpack ../shared/corpora/ant-news-2018.tar.xz into /tmp/ant first; never into the repository.)
"""
from __future__ import annotations

import argparse
import collections
import time

from idlibnb.corpus import read_corpus
from idlibnb.parse import parse


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    manifest: list = []
    n = 0
    have = collections.Counter()
    outlets = collections.Counter()
    for article in read_corpus(args.corpus, manifest=manifest):
        doc = parse(article)
        n += 1
        have["outlet"] += bool(doc.outlet_en)
        have["published"] += bool(doc.published)
        have["title"] += bool(doc.title)
        have["text"] += bool(doc.text.strip())
        outlets[doc.outlet_en or doc.outlet] += 1
    seconds = time.perf_counter() - t0
    status = collections.Counter(m.status for m in manifest)
    print(f"files: {len(manifest)} ({dict(status)}); articles: {n}; {seconds:.1f} s "
          f"({n / seconds:.0f} articles/s, read + parse, one core)")
    for key in ("outlet", "published", "title", "text"):
        print(f"  with {key:9s}: {have[key]:6d}  {have[key] / max(n, 1):.4%}")
    print("  outlets:", ", ".join(f"{k} {v}" for k, v in outlets.most_common()))


if __name__ == "__main__":
    main()
