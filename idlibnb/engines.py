"""Engines that map the per-article function over a corpus and write the tables.

Placeholder (serial) until the scale issue lands the process pool, the Dask engine and the cache.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import NamedTuple

from .pipeline import Options, assemble, iter_results

__all__ = ["RunSummary", "extract_to"]


class RunSummary(NamedTuple):
    n_articles: int
    n_files: int
    n_skipped: int
    seconds: float


def extract_to(corpus, out, options: Options = Options(), *, jobs: int | None = None,
               engine: str = "pool", scheduler: str | None = None, fmt: str = "parquet",
               force: bool = False, progress: bool = False) -> RunSummary:
    """Extract every table from ``corpus`` into ``out`` (``<table>.parquet`` or ``.csv``)."""
    t0 = time.perf_counter()
    manifest: list = []
    results = iter_results(corpus, options, manifest)
    if progress:
        from tqdm import tqdm

        results = tqdm(results, unit="doc", desc="extract", leave=False)
    tables = assemble(list(results), manifest)
    tables.write(Path(out), format=fmt)
    skipped = sum(1 for m in manifest if m.status == "skipped")
    return RunSummary(len(tables.articles), len(manifest), skipped, time.perf_counter() - t0)
