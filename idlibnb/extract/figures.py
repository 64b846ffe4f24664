"""Casualty, displacement and other counts with source, period, place and breakdown — issue 5."""
from __future__ import annotations

from typing import Iterator, NamedTuple

from ..doc import Doc

__all__ = ["Figure", "figures"]


class Figure(NamedTuple):
    figure_id: str
    doc_id: str
    field: str
    start: int
    end: int
    surface: str
    value: float
    quantity: str
    unit: str | None
    qualifier: str
    part_of: str | None
    place: str | None
    period_start: str | None
    period_end: str | None
    source: str | None
    consistent: bool | None


def figures(doc: Doc, *, entities=None, timexes=None) -> Iterator[Figure]:
    """Figures in ``doc`` (placeholder until issue 5 lands)."""
    return iter(())
