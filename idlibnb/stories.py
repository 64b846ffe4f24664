"""Same-story grouping across outlets, on small per-article signatures — see issue 6."""
from __future__ import annotations

from typing import Iterable, NamedTuple

__all__ = ["Signature", "signature", "find_stories"]


class Signature(NamedTuple):
    doc_id: str
    published: str | None
    entity_ids: tuple
    dates: tuple
    terms: dict


def signature(doc, *, entities=(), timexes=()) -> Signature:
    """A small summary of one article for cross-article comparison."""
    return Signature(doc.doc_id, doc.published, tuple(sorted({e.entity_id for e in entities})),
                     tuple(sorted({t.value for t in timexes if t.value})), {})


def find_stories(signatures: Iterable[Signature]) -> list[tuple[str, str, float]]:
    """``(story_id, doc_id, similarity)`` rows; placeholder: every article is a story of one."""
    return [(f"s-{s.doc_id}", s.doc_id, 1.0) for s in signatures]
