"""Entity-level evaluation of a tagger on a CoNLL file, and the ``ner-eval`` entry point."""
from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Sequence

__all__ = ["evaluate", "eval_main", "DEFAULT_TEST"]


def _default_test() -> Path:
    from ..paths import REPO_ROOT

    return REPO_ROOT / "data" / "external" / "anercorp" / "test.txt"


DEFAULT_TEST = _default_test()


def evaluate(tagger, sents: Sequence[tuple[list[str], list[str]]], *, repeat: int = 3) -> dict:
    """Score ``tagger`` on gold ``(tokens, tags)`` sentences; time it on this process's CPU.

    Every cache is emptied before each timed run, so the timing includes computing every word type's
    features (as for fresh text); the best of ``repeat`` such cold runs is kept (as ``timeit`` does),
    and CPU time of this single-threaded process is used, so other jobs on a shared machine count
    as little as possible against the model.
    """
    from . import DOC_SENTS, entity_prf, map_tag

    n_tokens = sum(len(s[0]) for s in sents)
    # ANERcorp has no document breaks: windows of DOC_SENTS sentences stand in for articles
    docs = [[toks for toks, _ in sents[i:i + DOC_SENTS]] for i in range(0, len(sents), DOC_SENTS)]
    cpu = wall = float("inf")
    for _ in range(max(1, repeat)):
        if hasattr(tagger, "clear_cache"):
            tagger.clear_cache()
        t0 = time.process_time()
        w0 = time.perf_counter()
        if hasattr(tagger, "tag_docs"):
            pred = [tags for d in tagger.tag_docs(docs) for tags in d]
        else:
            pred = [tags for d in docs for tags in tagger.tag_sents(d)]
        cpu = min(cpu, time.process_time() - t0)
        wall = min(wall, time.perf_counter() - w0)
    gold = [[map_tag(t) for t in tags] for _, tags in sents]
    scores = entity_prf(gold, pred)
    return {"scores": scores, "f1": scores["all"]["f1"], "tokens": n_tokens, "cpu_s": cpu,
            "wall_s": wall, "repeat": max(1, repeat), "tokens_per_s": n_tokens / cpu if cpu > 0 else float("inf")}


def eval_main(argv: list[str] | None = None) -> int:
    """Evaluate the shipped model on a CoNLL file; the last line is ``f1=0.xxx tokens_per_s=N``."""
    from . import CamelNER, NERTagger, read_conll

    ap = argparse.ArgumentParser(prog="idlibnb ner-eval", description=eval_main.__doc__)
    ap.add_argument("test_file", nargs="?", default=None,
                    help="CoNLL `token TAG` file (default: the ANERcorp test split in data/external)")
    ap.add_argument("--model-dir", default=None, help="a model folder other than the shipped one")
    ap.add_argument("--ner", choices=("model", "camel"), default="model")
    args = ap.parse_args(argv)
    from ..paths import resolve

    path = resolve(args.test_file) if args.test_file else DEFAULT_TEST
    if not path.exists():
        print(f"error: no test file at {path}")
        return 2
    sents = read_conll(path)
    if args.ner == "camel":
        tagger = CamelNER.pretrained()
    else:
        tagger = NERTagger.load(args.model_dir) if args.model_dir else NERTagger.pretrained()
    res = evaluate(tagger, sents, repeat=1 if args.ner == "camel" else 3)
    for lab, s in res["scores"].items():
        print(f"{lab:>4}  P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f} n={s['support']}")
    print(f"{res['tokens']} tokens in {res['cpu_s']:.3f} s CPU ({res['wall_s']:.3f} s wall), one core, "
          f"features included, caches emptied first (best of {res['repeat']} runs)")
    print(f"f1={res['f1']:.3f} tokens_per_s={int(res['tokens_per_s'])}")
    return 0
