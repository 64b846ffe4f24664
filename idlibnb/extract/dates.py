"""Temporal expressions resolved to ISO dates, and publication dates inferred — see issue 4."""
from __future__ import annotations

from typing import Iterator, NamedTuple

from ..doc import Doc

__all__ = ["Timex", "timexes", "infer_published"]


class Timex(NamedTuple):
    doc_id: str
    field: str
    start: int
    end: int
    surface: str
    value: str | None
    precision: str | None
    kind: str
    anchor: str | None


def timexes(doc: Doc, *, anchor: str | None = None) -> Iterator[Timex]:
    """Temporal expressions in ``doc`` (placeholder until issue 4 lands)."""
    return iter(())


def infer_published(doc: Doc, timexes=None) -> tuple[str, str] | None:
    """``(date, evidence)`` when the article's own anchors fix its date, else None."""
    return None
