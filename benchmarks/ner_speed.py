"""Speed of the shipped NER model on real articles: ``NERTagger.spans`` per article, tokenization included.

    .venv/bin/python benchmarks/ner_speed.py /tmp/ant [--limit 2000]

Reports tokens per CPU-second (this process, one core) for the first pass over the articles (cold type
cache) and a second pass (warm), plus the model load time. Not run by ``make test``.
"""
from __future__ import annotations

import argparse
import time

from idlibnb.ner import NERTagger, tokenize_with_offsets
from idlibnb.ner.clusters import iter_corpus_texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", help="folder of TREC-style .txt articles or plain text files")
    ap.add_argument("--limit", type=int, default=2000, help="articles to tag")
    args = ap.parse_args()
    texts = []
    for t in iter_corpus_texts(args.corpus):
        texts.append(t)
        if len(texts) >= args.limit:
            break
    n_tok = sum(len(tokenize_with_offsets(t)) for t in texts)
    t0 = time.process_time()
    ner = NERTagger.pretrained()
    load = time.process_time() - t0
    for how in ("spans (one call per article)", "spans_many (batches of 100 articles)"):
        ner.clear_cache()
        for label in ("cold", "warm"):
            t0 = time.process_time()
            if how.startswith("spans_many"):
                n_spans = sum(len(s) for i in range(0, len(texts), 100) for s in ner.spans_many(texts[i:i + 100]))
            else:
                n_spans = sum(len(ner.spans(t)) for t in texts)
            cpu = time.process_time() - t0
            print(f"{how}, {label}: {len(texts)} articles, {n_tok} tokens, {n_spans} mentions in "
                  f"{cpu:.2f} s CPU = {n_tok / cpu:,.0f} tokens/s")
    print(f"model load: {load:.2f} s CPU")


if __name__ == "__main__":
    main()
