"""Corpus readers (placeholder: .txt folders only; full readers land with the foundation issue)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator, NamedTuple

from .doc import Article

__all__ = ["ManifestRow", "read_corpus"]


class ManifestRow(NamedTuple):
    source_file: str
    status: str
    reason: str | None
    n_articles: int
    encoding: str | None
    bytes: int


def read_corpus(path, *, manifest=None, metadata=None) -> Iterator[Article]:
    path = Path(path)
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*.txt"))
    for f in files:
        data = f.read_bytes()
        if manifest is not None:
            manifest.append(ManifestRow(str(f), "ok", None, 1, "utf-8", len(data)))
        yield Article(f.stem, str(f), data.decode("utf-8"), {})
