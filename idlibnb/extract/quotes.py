"""Direct and indirect quotes with their speaker and cue verb — see issue 5."""
from __future__ import annotations

from typing import Iterator, NamedTuple

from ..doc import Doc

__all__ = ["Quote", "quotes"]


class Quote(NamedTuple):
    doc_id: str
    field: str
    start: int
    end: int
    speaker: str | None
    speaker_id: str | None
    cue: str | None
    content: str
    kind: str


def quotes(doc: Doc, *, entities=None) -> Iterator[Quote]:
    """Quotes in ``doc`` (placeholder until issue 5 lands)."""
    return iter(())
