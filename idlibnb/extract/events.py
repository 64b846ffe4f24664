"""Reported events (ACLED/CAMEO-coded) from trigger lexicons — see issue 4."""
from __future__ import annotations

from typing import Iterator, NamedTuple

from ..doc import Doc

__all__ = ["Event", "events"]


class Event(NamedTuple):
    doc_id: str
    start: int
    end: int
    event_type: str
    cameo_code: str | None
    acled_event_type: str | None
    acled_sub_event_type: str | None
    date: str | None
    date_precision: str | None
    place: str | None
    lat: float | None
    lon: float | None
    actors: list
    evidence: str


def events(doc: Doc, *, entities=None, timexes=None, gazetteer=None) -> Iterator[Event]:
    """Events in ``doc`` (placeholder until issue 4 lands)."""
    return iter(())
