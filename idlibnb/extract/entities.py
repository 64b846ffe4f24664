"""Named entities (PER/ORG/LOC) linked to lexicon actors and places — see issue 3."""
from __future__ import annotations

from typing import Iterator, NamedTuple

from ..doc import Doc

__all__ = ["Entity", "entities"]


class Entity(NamedTuple):
    doc_id: str
    field: str
    start: int
    end: int
    surface: str
    label: str
    entity_id: str
    canonical: str | None
    name_en: str | None
    role: str | None
    side: str | None
    cameo: str | None
    method: str


def entities(doc: Doc, *, lexicons=None, model=None) -> Iterator[Entity]:
    """Entity mentions in the title and body of ``doc`` (placeholder until issue 3 lands)."""
    return iter(())
