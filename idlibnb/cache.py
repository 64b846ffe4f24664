"""The incremental-run cache: what every article already contributed, so a re-run only extracts
articles that are new or changed.

Layout (``OUT/.idlibnb-cache/``, next to the tables it speeds up)::

    fingerprint.txt              what the cache was built with (version, code, options)
    parts/<part_id>/<table>.arrow   the rows a batch of articles gave every per-article table, plus
                                    ``_key`` (the article's cache key) and ``_row`` (Arrow IPC, LZ4)
    parts/<part_id>/keys.arrow      the batch's index: key, doc_id, pickled story signature;
                                    written last, so a part is complete iff it exists

An article's key hashes the run fingerprint (``idlibnb.__version__``, the content of the package's
code and data files, the :class:`~idlibnb.pipeline.Options` and the content of the lexicon and
metadata files they name) with what the reader gave for it: source file, doc_id, raw text and
metadata — i.e. the content of the file it came from. Change any of these and the article is
extracted again; everything else is read back from the parts. Parts left with no live article are
deleted at the end of a run; an interrupted run keeps its completed parts, so the next one resumes.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import uuid
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Iterable, NamedTuple

import pyarrow as pa

__all__ = ["CACHE_DIRNAME", "Part", "Cache", "run_fingerprint", "article_key", "table_bytes",
           "read_table", "index_bytes"]

#: the cache folder's name inside the output folder
CACHE_DIRNAME = ".idlibnb-cache"
_KEYS = "keys"
_EXT = ".arrow"
_FORMAT = "arrow-ipc-lz4/1"  # part layout: a cache from another layout is not reused
# no thread pool: a part's buffers are small (a batch of articles), and handing each one to a
# pool thread costs more CPU than compressing it here (12% of writing, 24% of reading a part)
_IPC_OPTIONS = pa.ipc.IpcWriteOptions(compression="lz4", use_threads=False)
_INDEX_SCHEMA = pa.schema([("_key", pa.string()), ("doc_id", pa.string()),
                           ("signature", pa.binary())])


class Part(NamedTuple):
    """What one batch of articles produced: parquet bytes per table (``keys`` included)."""

    part_id: str
    files: dict  # table name -> parquet bytes
    n_articles: int


def _hash_file(path: Path, h) -> None:
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """Hash of every file of the installed package (code and shipped data): a changed extractor or
    lexicon invalidates cached rows even when the version number did not move."""
    root = Path(__file__).resolve().parent
    h = hashlib.blake2b(digest_size=16)
    for p in sorted(root.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo"):
            h.update(str(p.relative_to(root)).encode())
            _hash_file(p, h)
    return h.hexdigest()


def run_fingerprint(options) -> str:
    """What every cached row depends on besides its article: version, package content, options
    and the content of any file the options name."""
    from . import __version__

    h = hashlib.blake2b(digest_size=16)
    h.update(__version__.encode())
    h.update(_FORMAT.encode())
    h.update(_code_fingerprint().encode())
    h.update(json.dumps(asdict(options), sort_keys=True, default=str).encode())
    for name in (*getattr(options, "lexicon_files", ()), getattr(options, "metadata", None)):
        if name and Path(name).is_file():
            _hash_file(Path(name), h)
    return h.hexdigest()


# json.dumps(meta, sort_keys=True, default=str, ensure_ascii=False) without a new encoder per call
_META_JSON = json.JSONEncoder(sort_keys=True, default=str, ensure_ascii=False).encode


def article_key(fingerprint: str, article) -> str:
    """The cache key of one article as a reader gave it."""
    head = "\0".join([fingerprint, str(article.source_file), str(article.doc_id), article.raw,
                      _META_JSON(article.meta or {})])
    return hashlib.blake2b(head.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def index_bytes(keys: Iterable[str], doc_ids: Iterable[str], signatures: Iterable) -> bytes:
    """The ``keys`` file of a part."""
    sigs = [pickle.dumps(s, protocol=pickle.HIGHEST_PROTOCOL) for s in signatures]
    table = pa.table([pa.array(list(keys), pa.string()), pa.array(list(doc_ids), pa.string()),
                      pa.array(sigs, pa.binary())], schema=_INDEX_SCHEMA)
    return table_bytes(table)


def table_bytes(table: pa.Table) -> bytes:
    """An Arrow IPC file (LZ4): several times cheaper to write and read back than Parquet, and the
    parts are only ever read by this module."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema, options=_IPC_OPTIONS) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _ipc_file(source, options=None):
    if isinstance(source, (bytes, bytearray)):
        source = pa.BufferReader(source)
    else:
        source = pa.OSFile(str(source))
    return pa.ipc.open_file(source, options=options)


def read_table(source, columns: Iterable[str] | None = None) -> pa.Table:
    """A table written by :func:`table_bytes` (a path or bytes); with ``columns``, only those
    are read (the others are not decompressed)."""
    options = pa.ipc.IpcReadOptions(use_threads=False)
    if columns is not None:
        with _ipc_file(source, options) as reader:  # the footer only: the schema
            names = reader.schema.names
        options = pa.ipc.IpcReadOptions(use_threads=False,
                                        included_fields=[names.index(c) for c in columns])
    with _ipc_file(source, options) as reader:
        return reader.read_all()


class Cache:
    """The cache folder of one output folder. ``force=True`` starts it afresh (it is rebuilt)."""

    def __init__(self, out: str | os.PathLike, fingerprint: str, *, force: bool = False):
        self.root = Path(out) / CACHE_DIRNAME
        self.parts_dir = self.root / "parts"
        self.fingerprint = fingerprint
        fp_file = self.root / "fingerprint.txt"
        if force or not fp_file.exists() or fp_file.read_text().strip() != fingerprint:
            # another version, other code or other options: nothing in it can be reused
            shutil.rmtree(self.root, ignore_errors=True)
        self.parts_dir.mkdir(parents=True, exist_ok=True)
        fp_file.write_text(fingerprint + "\n")
        self.index: dict[str, tuple[str, str, bytes]] = {}  # key -> (part_id, doc_id, signature)
        for part in sorted(self.parts_dir.iterdir()):
            keys = part / f"{_KEYS}{_EXT}"
            if not keys.exists():  # an interrupted write: never complete, never used
                shutil.rmtree(part, ignore_errors=True)
                continue
            t = read_table(keys).to_pydict()
            for k, d, s in zip(t["_key"], t["doc_id"], t["signature"]):
                self.index.setdefault(k, (part.name, d, s))

    def __contains__(self, key: str) -> bool:
        return key in self.index

    @staticmethod
    def new_part_id() -> str:
        return uuid.uuid4().hex

    def add(self, part: Part) -> None:
        """Store a finished part (its ``keys`` file last, so a half-written part is never read)."""
        d = self.parts_dir / part.part_id
        d.mkdir(parents=True, exist_ok=True)
        for name, data in part.files.items():
            if name != _KEYS:
                (d / f"{name}{_EXT}").write_bytes(data)
        tmp = d / f".{_KEYS}.tmp"
        tmp.write_bytes(part.files[_KEYS])
        tmp.replace(d / f"{_KEYS}{_EXT}")
        t = read_table(part.files[_KEYS]).to_pydict()
        for k, doc, s in zip(t["_key"], t["doc_id"], t["signature"]):
            self.index.setdefault(k, (part.part_id, doc, s))

    def signature(self, key: str):
        return pickle.loads(self.index[key][2])

    def part_files(self, name: str, live: Iterable[str]) -> list[Path]:
        """The ``name`` files of every part holding at least one of the ``live`` keys."""
        parts = sorted({self.index[k][0] for k in live if k in self.index})
        return [p for p in (self.parts_dir / pid / f"{name}{_EXT}" for pid in parts) if p.exists()]

    def prune(self, live: Iterable[str]) -> int:
        """Delete the parts no live article needs; returns how many were deleted."""
        keep = {self.index[k][0] for k in live if k in self.index}
        n = 0
        for part in list(self.parts_dir.iterdir()):
            if part.name not in keep:
                shutil.rmtree(part, ignore_errors=True)
                n += 1
        self.index = {k: v for k, v in self.index.items() if v[0] in keep}
        return n
