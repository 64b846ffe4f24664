"""How an article names the sides (regime/state, terrorist/rebel/…), by voice — see issue 6."""
from __future__ import annotations

from typing import Iterator, NamedTuple

from ..doc import Doc

__all__ = ["Frame", "framing"]


class Frame(NamedTuple):
    doc_id: str
    field: str
    start: int
    end: int
    surface: str
    target: str
    frame: str
    voice: str


def framing(doc: Doc, *, quotes=None) -> Iterator[Frame]:
    """Framing terms in ``doc`` (placeholder until issue 6 lands)."""
    return iter(())
