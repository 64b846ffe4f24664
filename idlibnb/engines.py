"""Engines: map the per-article function over a corpus and write every table.

- ``engine="pool"`` (default): a process pool over batches of articles (``jobs`` processes, default
  all cores; ``jobs=1`` runs in this process). The main process reads the corpus as a stream and keeps
  only a few batches in flight, so memory stays flat in corpus size.
- ``engine="dask"``: the same batch function submitted to a Dask cluster (``scheduler`` address, or a
  ``LocalCluster`` of ``jobs`` worker processes on loopback). Each table is then written as a
  partitioned Parquet dataset (a folder of ``part-NNNNN.parquet`` files, in key order).

Every batch returns its rows as Arrow IPC bytes per table; they land in the incremental cache
(:mod:`idlibnb.cache`, ``OUT/.idlibnb-cache/``) with the small per-article story signatures. Then the
corpus-wide step runs on the signatures (:func:`idlibnb.pipeline.corpus_pass`: stories, dates passed
between twins, the twins analysed again on a worker), the tables are read back as Arrow from the
parts of the articles seen in this run, sorted by their keys (``tables.KEYS``, ties broken by corpus
order then extractor order, so every engine and ``jobs`` value writes identical tables), the twins'
rows replace their old ones, places are looked up, and each table goes straight from Arrow to
``OUT/<table>.parquet`` (or ``.csv``) — the same tables :func:`idlibnb.pipeline.run` builds in pandas.

An article longer than :data:`MAX_TEXT_CHARS` is cut there and its file's manifest row says
``partial``; an article an extractor fails on is left out and its file's row says why. Neither stops
the run.
"""
from __future__ import annotations

import gc
import os
import pickle
import shutil
import sys
import time
import uuid
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor
from concurrent.futures import wait as futures_wait
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .cache import Cache, Part, article_key, index_bytes, read_table, run_fingerprint, table_bytes
from . import corpus as _corpus
from .corpus import read_corpus
from .lexicon import LexiconError
from . import parse
from .pipeline import PER_ARTICLE, Options, analyse_many, batch_model, corpus_pass, place_rows
from .tables import KEYS, SCHEMAS, TABLE_NAMES

__all__ = ["RunSummary", "extract_to", "MAX_TEXT_CHARS", "BATCH_SIZE", "SERIAL_BATCH_SIZE",
           "ARROW_SCHEMAS",
           "process_batch"]

#: the readers cut an article's text here and mark its file 'partial' (idlibnb.corpus owns the limit)
MAX_TEXT_CHARS: int = _corpus.MAX_TEXT_CHARS
#: articles per task: big enough to amortise inter-process traffic, small enough to balance
BATCH_SIZE = 100
#: articles per batch when they run in this process (``jobs=1``): nothing to balance, and every
#: batch costs a cache part per table, written now and read back at the end (~0.1 ms an article
#: less than batches of 100)
SERIAL_BATCH_SIZE = 250
#: rows per file of a partitioned (Dask) dataset; the articles table carries the text, so fewer
_PART_ROWS = {"articles": 5_000}
_DEFAULT_PART_ROWS = 100_000
_ROW_GROUP = 50_000
#: the writer buffers a whole row group: keep those of the text-heavy table small
_ROW_GROUPS = {"articles": 2_000}

_SETUP_ERRORS = (LexiconError, ImportError, OSError, MemoryError)
_STORED = ("articles",) + PER_ARTICLE  # tables built per article, kept in the cache parts
_ARROW_TYPES = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(),
                "boolean": pa.bool_(), "object": pa.list_(pa.string())}
ARROW_SCHEMAS: dict[str, pa.Schema] = {
    name: pa.schema([(c, _ARROW_TYPES[t]) for c, t in schema.items()])
    for name, schema in SCHEMAS.items()
}


class RunSummary(NamedTuple):
    n_articles: int
    n_files: int
    n_skipped: int
    seconds: float


# -- the per-batch function every engine maps ---------------------------------------------------

def _column(values: list, dtype: str) -> pa.Array:
    typ = _ARROW_TYPES[dtype]
    try:
        return pa.array(values, typ)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
        pass  # a value of another type: coerce it the way tables.conform does
    if dtype == "string":
        return pa.array([None if v is None or v != v else str(v) for v in values], typ)
    if dtype == "object":
        return pa.array([[str(x) for x in v] if v is not None else [] for v in values], typ)
    if dtype == "boolean":
        return pa.array([None if v is None or v != v else bool(v) for v in values], typ)
    if dtype == "int64":
        return pa.array([int(v) if v is not None and v == v else 0 for v in values], typ)
    return pa.array([float(v) if v is not None else None for v in values], typ)


def _rows_table(name: str, rows: list, keys: list[str], rownums: list[int]) -> pa.Table:
    """Rows (dicts, or named tuples whose fields are the columns) as an Arrow table of ``name``,
    plus ``_key`` (the article's cache key) and ``_row`` (the order the extractor gave)."""
    schema = SCHEMAS[name]
    cols = list(schema)
    if not rows:
        columns = [[] for _ in cols]
    elif isinstance(rows[0], dict):
        columns = [[r.get(c) for r in rows] for c in cols]
    elif tuple(getattr(rows[0], "_fields", ())) == tuple(cols) or type(rows[0]) is tuple:
        columns = [list(c) for c in zip(*rows)]  # named tuples of the table, or plain tuples in column order
    else:
        columns = [[getattr(r, c, None) for r in rows] for c in cols]
    arrays = [_column(vals, schema[c]) for c, vals in zip(cols, columns)]
    for i, c in enumerate(cols):
        if schema[c] == "int64" and arrays[i].null_count:
            arrays[i] = pc.fill_null(arrays[i], 0)
    arrays += [pa.array(keys, pa.string()), pa.array(rownums, pa.int32())]
    return pa.Table.from_arrays(arrays, names=cols + ["_key", "_row"])


#: container objects allocated (net) between two young-generation collections while a batch is
#: extracted: the default 700 runs ~1,500 collections per 10,000 articles (4-5% of the CPU) that
#: find next to nothing, since an article's objects die without cycles; 50,000 keeps cyclic garbage
#: bounded (a few MB) and spends 0.15 s there instead of 1.3 s
_BATCH_GC_THRESHOLD = 50_000


@contextmanager
def _fewer_collections():
    """Collect cyclic garbage less often inside the block (restored after it)."""
    saved = gc.get_threshold()
    gc.set_threshold(max(saved[0], _BATCH_GC_THRESHOLD), *saved[1:])
    try:
        yield
    finally:
        gc.set_threshold(*saved)


class BatchResult(NamedTuple):
    part: Part
    failures: list  # (source_file, doc_id, reason)


def process_batch(batch: list, options: Options) -> BatchResult:
    """Extract every article of ``batch`` (``(key, Article)`` pairs) and return the rows of every
    per-article table as compressed Arrow bytes, with the batch's index (keys, doc_ids, signatures)."""
    with _fewer_collections():
        return _process_batch(batch, options)


def _process_batch(batch: list, options: Options) -> BatchResult:
    rows = {name: [] for name in _STORED}
    keys_of = {name: [] for name in _STORED}
    rownums = {name: [] for name in _STORED}
    keys, doc_ids, sigs, failures = [], [], [], []
    parsed = []
    for key, article in batch:
        try:
            parsed.append((key, article, parse.parse(article)))
        except _SETUP_ERRORS:
            raise
        except Exception as exc:  # one article must not stop a corpus: say which and why
            failures.append((article.source_file, article.doc_id,
                             f"{type(exc).__name__}: {exc}"[:300]))
    docs = [doc for _, _, doc in parsed]
    model = batch_model(docs, options)  # the NER model once per batch
    for (key, article, _), r in zip(parsed, analyse_many(docs, options, model=model)):
        if isinstance(r, _SETUP_ERRORS):
            raise r  # a missing lexicon or model breaks every article: stop and say so
        if isinstance(r, Exception):  # one article must not stop a corpus: say which and why
            failures.append((article.source_file, article.doc_id,
                             f"{type(r).__name__}: {r}"[:300]))
            continue
        rows["articles"].append(r.article)
        keys_of["articles"].append(key)
        rownums["articles"].append(0)
        for name in PER_ARTICLE:
            got = getattr(r, name)
            rows[name].extend(got)
            keys_of[name].extend([key] * len(got))
            rownums[name].extend(range(len(got)))
        keys.append(key)
        doc_ids.append(r.doc_id)
        sigs.append(r.signature)
    files = {name: table_bytes(_rows_table(name, rows[name], keys_of[name], rownums[name]))
             for name in _STORED}
    files["keys"] = index_bytes(keys, doc_ids, sigs)
    return BatchResult(Part(uuid.uuid4().hex, files, len(keys)), failures)


def analyse_docs(docs: list, options: Options) -> list:
    """:func:`pipeline.analyse` of already parsed docs (the twins the corpus-wide step dates), the
    NER model run once over them; mapped on the engine's workers like :func:`process_batch`."""
    with _fewer_collections():
        model = batch_model(docs, options)
        results = analyse_many(docs, options, model=model)
        for r in results:
            if isinstance(r, Exception):
                raise r
        return results


# -- reading the corpus -------------------------------------------------------------------------

def _batches(items: Iterator, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _fix_manifest(manifest: list, failed: dict) -> list:
    """Manifest rows with 'partial' (or 'skipped') where articles failed."""
    out = []
    for m in manifest:
        reasons = [f"{d}: extraction failed ({why})" for d, why in failed.get(m.source_file, [])]
        if reasons:
            n_failed = len(failed.get(m.source_file, []))
            status = "skipped" if m.n_articles and n_failed >= m.n_articles else "partial"
            if m.status == "skipped":
                status = "skipped"
            reason = "; ".join(([m.reason] if m.reason else []) + reasons)
            m = m._replace(status=status, reason=reason[:2000],
                           n_articles=max(0, m.n_articles - n_failed))
        out.append(m)
    return out


# -- executors ----------------------------------------------------------------------------------

class _InProcess:
    """``jobs=1``: the batches run here, one after the other (no process, no pickling)."""

    def submit(self, fn, *args):
        from concurrent.futures import Future

        f = Future()
        try:
            f.set_result(fn(*args))
        except BaseException as exc:  # pragma: no cover - process_batch catches per article
            f.set_exception(exc)
        return f

    @staticmethod
    def wait(pending):
        return set(pending), set()

    def close(self):
        pass


class _Pool:
    def __init__(self, jobs: int):
        import multiprocessing as mp

        # fork: workers start with the package already imported (no second start-up)
        method = "fork" if "fork" in mp.get_all_start_methods() and sys.platform != "darwin" else None
        self._ex = ProcessPoolExecutor(jobs, mp_context=mp.get_context(method))

    def submit(self, fn, *args):
        return self._ex.submit(fn, *args)

    @staticmethod
    def wait(pending):
        return futures_wait(pending, return_when=FIRST_COMPLETED)

    def close(self):
        self._ex.shutdown(wait=True, cancel_futures=True)


class _Dask:
    def __init__(self, jobs: int, scheduler: str | None):
        from distributed import Client, LocalCluster

        self._cluster = None
        if scheduler:
            self._client = Client(scheduler)
        else:
            self._cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                         host="127.0.0.1", dashboard_address=None)
            self._client = Client(self._cluster)

    def submit(self, fn, *args):
        return self._client.submit(fn, *args, pure=False)

    @staticmethod
    def wait(pending):
        from distributed import wait

        done, not_done = wait(list(pending), return_when="FIRST_COMPLETED")
        return set(done), set(not_done)

    def close(self):
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


# -- the run ------------------------------------------------------------------------------------

def extract_to(corpus, out, options: Options = Options(), *, jobs: int | None = None,
               engine: str = "pool", scheduler: str | None = None, fmt: str = "parquet",
               force: bool = False, progress: bool = False) -> RunSummary:
    """Extract every table from ``corpus`` into ``out`` (``<table>.parquet`` or ``.csv``).

    Articles whose cache key is already in ``OUT/.idlibnb-cache/`` are not extracted again unless
    ``force``. Returns how many articles and files there were, how many files were skipped and
    the wall-clock seconds.
    """
    t0 = time.perf_counter()
    if engine not in ("pool", "dask"):
        raise ValueError(f"unknown engine {engine!r} (pool or dask)")
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"unknown format {fmt!r} (parquet or csv)")
    jobs = max(1, jobs or os.cpu_count() or 1)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cache = Cache(out, run_fingerprint(options), force=force)

    manifest: list = []
    order: list[str] = []  # cache keys in corpus order: the tie-breaker of every sort
    seen: set[str] = set()

    def todo() -> Iterator[tuple[str, object]]:
        for article in read_corpus(corpus, manifest=manifest, metadata=options.metadata):
            key = article_key(cache.fingerprint, article)
            if key in seen:  # the very same article twice (same file, id and text)
                continue
            seen.add(key)
            order.append(key)
            if key not in cache:
                yield key, article

    def start():  # only once there is work: a run served by the cache starts no worker
        if engine == "dask":
            return _Dask(jobs, scheduler)
        if jobs == 1:
            return _InProcess()
        # no warm-up before forking: each worker loads the models itself, so the main process,
        # which later holds the tables, does not carry a copy of them too
        return _Pool(jobs)

    bar = None
    failed: dict[str, list] = {}
    window = 2 * jobs if engine == "pool" else 3 * jobs

    def collect(done) -> None:
        nonlocal bar
        if progress and bar is None:  # made after the workers fork: its monitor thread is ours
            from tqdm import tqdm

            bar = tqdm(unit="doc", desc="extract", leave=False)
        for fut in done:
            res: BatchResult = fut.result()
            cache.add(res.part)
            for src, doc_id, why in res.failures:
                failed.setdefault(src, []).append((doc_id, why))
            if bar is not None:
                bar.update(res.part.n_articles + len(res.failures))

    executor = None
    try:
        pending: set = set()
        size = SERIAL_BATCH_SIZE if engine == "pool" and jobs == 1 else BATCH_SIZE
        for batch in _batches(todo(), size):
            executor = executor or start()
            pending.add(executor.submit(process_batch, batch, options))
            if len(pending) >= window:
                done, pending = executor.wait(pending)
                collect(done)
        while pending:
            done, pending = executor.wait(pending)
            collect(done)

        if engine == "pool" and jobs > 1 and executor is not None:
            # the workers go before the same-story pass, whose memory in this process would add to
            # theirs; the few articles it dates again get one fresh worker (forked from a process
            # that holds no model, it loads what it needs and exits before the tables are loaded)
            executor.close()
            executor = None

        def on_workers(docs, opts):
            nonlocal executor
            if executor is None:
                executor = _Pool(1) if engine == "pool" and jobs > 1 else start()
            fut = executor.submit(analyse_docs, docs, opts)
            executor.wait({fut})
            return fut.result()

        # the corpus-wide step before the tables are loaded: it needs only the signatures and the
        # rows of the few articles it dates again
        story_rows, redone = corpus_pass(
            [cache.signature(k) for k in order if k in cache],
            lambda doc_ids: _article_rows(cache, order, doc_ids), options, analyse_many=on_workers)
    finally:
        if executor is not None:
            executor.close()
        if bar is not None:
            bar.close()

    manifest = _fix_manifest(manifest, failed)
    # the assembly allocates a few large buffers once: the system allocator hands them back to the
    # OS when freed, where Arrow's default pool keeps them (about half the peak memory at 10K)
    saved_pool = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        _release_memory()  # what the same-story pass freed
        tables = _assemble(cache, order, manifest, story_rows, redone)
        n_articles = tables["articles"].num_rows
        _write(tables, out, fmt=fmt, partitioned=(engine == "dask"), release=True)
    finally:
        pa.set_memory_pool(saved_pool)
    cache.prune(order)
    skipped = sum(1 for m in manifest if m.status == "skipped")
    return RunSummary(n_articles, len(manifest), skipped, time.perf_counter() - t0)


def _release_memory() -> None:
    """Hand freed memory back to the OS: glibc keeps the many small blocks of freed Python and
    numpy objects (signatures, frames) in its heap otherwise (~60-100 MB at 31K articles). No
    gc.collect(): reference counting has freed them, and a full collection costs ~0.1 s a call."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


# -- assembling and writing ---------------------------------------------------------------------

def _to_pandas(name: str, table: pa.Table) -> pd.DataFrame:
    """An Arrow table of ``name`` as the DataFrame :func:`tables.frame` would give."""
    mapping = {pa.string(): pd.StringDtype(), pa.bool_(): pd.BooleanDtype()}
    df = table.to_pandas(types_mapper=mapping.get)
    for col, dtype in SCHEMAS[name].items():
        if dtype == "object":
            df[col] = pd.Series([list(v) if v is not None else [] for v in df[col]],
                                index=df.index, dtype=object)
    return df


def _read_stored(cache: Cache, name: str, order: list[str]) -> pa.Table:
    """Table ``name`` of the articles in ``order``, sorted by its key (ties: corpus order, then the
    order the extractor gave)."""
    files = cache.part_files(name, order)
    aux = ARROW_SCHEMAS[name].append(pa.field("_key", pa.string())).append(pa.field("_row", pa.int32()))
    if not files:
        return ARROW_SCHEMAS[name].empty_table()
    table = pa.concat_tables([read_table(f).cast(aux) for f in files])  # no copy: chunks
    seq = pc.index_in(table["_key"], value_set=pa.array(order, pa.string()))
    table = table.append_column("_seq", seq)
    if seq.null_count:  # rows of articles no longer in the corpus (a part is shared)
        table = table.filter(pc.is_valid(seq))
    sort = [(k, "ascending") for k in KEYS[name]] + [("_seq", "ascending"), ("_row", "ascending")]
    indices = pc.sort_indices(table, sort_keys=sort)
    table = table.select(list(SCHEMAS[name])).take(indices)  # the one copy
    return table


def _article_rows(cache: Cache, order: list[str], doc_ids: set[str]) -> list[dict]:
    """Rows of the articles table for ``doc_ids``, in table order, read part by part (the whole
    table is never held for a handful of articles)."""
    files = cache.part_files("articles", order)
    if not files or not doc_ids:
        return []
    wanted = pa.array(sorted(doc_ids), pa.string())
    live = pa.array(order, pa.string())
    found = []
    for f in files:
        # the doc_id column first: most parts hold none of the articles, and their texts need
        # not be decompressed
        mask = pc.is_in(read_table(f, ("doc_id",))["doc_id"], value_set=wanted)
        if pc.any(mask).as_py():
            t = read_table(f).filter(mask)
            found.extend(t.filter(pc.is_in(t["_key"], value_set=live)).to_pylist())
    rank = {k: i for i, k in enumerate(order)}
    found.sort(key=lambda r: (r["doc_id"], rank[r["_key"]]))  # the articles table's order
    return [{c: r.get(c) for c in SCHEMAS["articles"]} for r in found]


def _assemble(cache: Cache, order: list[str], manifest: list, story_rows: list,
              redone: list) -> dict[str, pa.Table]:
    """Every table as Arrow, in :data:`~idlibnb.tables.TABLE_NAMES` order: the per-article ones
    read back from the parts (the re-analysed articles' rows in place of their old ones), then
    manifest, stories and places. The rows go from the parts to the Parquet writer without a
    pandas round trip: no Python string per cell, one sorted copy per table."""
    tables = {"manifest": _sorted_arrow("manifest", manifest)}
    ids = pa.array(sorted({r.doc_id for r in redone}), pa.string()) if redone else None
    for name in _STORED:  # one table at a time, so at most one is held twice
        table = _read_stored(cache, name, order)
        if ids is not None:
            rows = ([r.article for r in redone] if name == "articles"
                    else [x for r in redone for x in getattr(r, name)])
            table = _replace_rows(name, table, ids, rows)
        tables[name] = table
    tables["stories"] = _sorted_arrow("stories", story_rows)
    tables["places"] = _sorted_arrow("places", place_rows(_loc_ids(tables["entities"])))
    return {name: tables[name] for name in TABLE_NAMES}


def _replace_rows(name: str, table: pa.Table, ids: pa.Array, rows: list) -> pa.Table:
    """``table`` without the rows of articles ``ids`` and with ``rows`` instead, sorted by the
    table's key (a stable sort: what ``tables.conform`` gives for the same concatenation)."""
    kept = table.filter(pc.invert(pc.is_in(table["doc_id"], value_set=ids)))
    new = _rows_table(name, rows, [""] * len(rows), list(range(len(rows)))).select(list(SCHEMAS[name]))
    both = pa.concat_tables([kept, new.cast(kept.schema)])
    indices = pc.sort_indices(both, sort_keys=[(k, "ascending") for k in KEYS[name]])
    return both.take(indices)


def _loc_ids(entities: pa.Table) -> list[str]:
    """The distinct entity ids of LOC mentions, sorted."""
    loc = pc.fill_null(pc.equal(entities["label"], "LOC"), False)
    return sorted({i for i in entities["entity_id"].filter(loc).to_pylist() if i is not None})


def _sorted_arrow(name: str, rows: list) -> pa.Table:
    """Rows of a table built after the per-article pass (manifest, stories, places) as Arrow,
    sorted by the table's key, ties in the order given: what ``tables.frame`` gives, without a
    pandas round trip."""
    n = len(rows)
    table = _rows_table(name, rows, [""] * n, [0] * n).select(list(SCHEMAS[name]))
    if n:
        table = table.take(pc.sort_indices(table, sort_keys=[(k, "ascending") for k in KEYS[name]]))
    return table


def _replace_path(tmp: Path, final: Path) -> None:
    if final.is_dir():
        shutil.rmtree(final)
    elif final.exists():
        final.unlink()
    tmp.replace(final)


def _write(tables: dict[str, pa.Table], out: Path, *, fmt: str, partitioned: bool,
           release: bool = False) -> None:
    """Every table (Arrow, as :func:`_assemble` gives them) as ``OUT/<table>.parquet`` (one file;
    with ``partitioned`` a folder of ``part-NNNNN.parquet`` files in key order) or
    ``OUT/<table>.csv``. ``release``: take each table out of ``tables`` once written."""
    for name in list(tables):
        table = tables.pop(name) if release else tables[name]
        other = out / f"{name}.{'csv' if fmt == 'parquet' else 'parquet'}"
        final = out / f"{name}.{fmt}"
        tmp = out / f".{name}.{fmt}.tmp"
        if tmp.is_dir():
            shutil.rmtree(tmp)
        if fmt == "csv":
            df = _to_pandas(name, table)
            if name == "events":
                df["actors"] = df["actors"].map(lambda xs: "|".join(xs))
            df.to_csv(tmp, index=False)
            del df
        elif partitioned:
            tmp.mkdir()
            step = _PART_ROWS.get(name, _DEFAULT_PART_ROWS)
            for i, start in enumerate(range(0, max(len(table), 1), step)):
                pq.write_table(table.slice(start, step), tmp / f"part-{i:05d}.parquet",
                               row_group_size=_ROW_GROUPS.get(name, _ROW_GROUP))
        else:
            pq.write_table(table, tmp, row_group_size=_ROW_GROUPS.get(name, _ROW_GROUP))
        _replace_path(tmp, final)
        if other.is_dir():
            shutil.rmtree(other)
        elif other.exists():
            other.unlink()  # a table from an earlier run in the other format would shadow this one
        if release:
            del table
            _release_memory()
