"""Article parsing (placeholder until the foundation issue's parser lands)."""
from __future__ import annotations

import re

from .doc import Article, Doc

__all__ = ["parse", "split_sentences"]

_SENT_END = re.compile(r"[.!؟?]+[\"”»″']*(?=\s)|\n+")


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        if text[start:end].strip():
            s = start + (len(text[start:end]) - len(text[start:end].lstrip()))
            spans.append((s, len(text[:end].rstrip())))
        start = end
    if text[start:].strip():
        s = start + (len(text[start:]) - len(text[start:].lstrip()))
        spans.append((s, len(text.rstrip())))
    return spans


def parse(article: Article) -> Doc:
    lines = article.raw.replace("\r\n", "\n").split("\n")
    title = lines[0].strip() if lines else ""
    text = "\n".join(lines[1:]).strip()
    return Doc(article.doc_id, article.source_file, title, text, sentences=split_sentences(text))
