"""Places with coordinates (the `places` table) — see issue 3."""
from __future__ import annotations

from typing import NamedTuple

__all__ = ["Place", "Gazetteer"]


class Place(NamedTuple):
    entity_id: str
    name: str
    name_en: str | None
    kind: str
    lat: float | None
    lon: float | None
    admin1: str | None
    precision: str
    source: str


class Gazetteer:
    """Lookup of place entity ids (placeholder until issue 3 lands)."""

    def __init__(self, places: dict[str, Place] | None = None):
        self._places = places or {}

    @classmethod
    def pretrained(cls) -> "Gazetteer":
        return cls()

    def get(self, entity_id: str) -> Place | None:
        return self._places.get(entity_id)
