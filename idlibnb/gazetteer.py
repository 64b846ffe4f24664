"""Places with coordinates: the `places` table.

:class:`Gazetteer` maps a LOC ``entity_id`` (the ids of ``idlibnb/data/actors.tsv``) to a :class:`Place`
with coordinates, kind, admin1 (governorate/province), precision and source, read from
``idlibnb/data/places.tsv``. Coordinates of countries, governorates and cities come from open data
(ODbL 1.0, see ``idlibnb/data/NOTICE-geo.md``); villages, bases, roads and regions the data lacks carry
coordinates chosen by idlibnb with precision 'approximate' or 'region' and the reason in ``source``.
``scripts/build_places.py`` refreshes the ODbL-derived rows.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

from .lexicon import LexiconError, data_path, read_tsv

__all__ = ["Place", "Gazetteer", "PLACE_KINDS", "PRECISIONS", "read_places"]

PLACE_KINDS = ("country", "governorate", "city", "town", "village", "region", "road", "base",
               "crossing")
PRECISIONS = ("point", "region", "approximate")


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


def _float(row: dict, col: str) -> float | None:
    v = row.get(col) or ""
    if not v:
        return None
    try:
        return float(v)
    except ValueError:
        raise LexiconError(f"{row['_file']}:{row['_line']}: {col} '{v}' is not a number") from None


def read_places(path: str | Path) -> list[Place]:
    """Rows of a places TSV (columns of the `places` table; extra columns such as geo_ref ignored)."""
    rows = read_tsv(path, required=("entity_id", "name", "kind", "precision", "source"),
                    optional=("name_en", "lat", "lon", "admin1"),
                    allowed={"kind": PLACE_KINDS, "precision": PRECISIONS})
    out = []
    for r in rows:
        lat, lon = _float(r, "lat"), _float(r, "lon")
        if (lat is None) != (lon is None):
            raise LexiconError(f"{r['_file']}:{r['_line']}: lat and lon go together")
        if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise LexiconError(f"{r['_file']}:{r['_line']}: coordinates out of range")
        out.append(Place(r["entity_id"], r["name"], r.get("name_en") or None, r["kind"], lat, lon,
                         r.get("admin1") or None, r["precision"], r["source"]))
    return out


class Gazetteer:
    """Lookup of place entity ids.

    >>> Gazetteer.pretrained().get("idlib").name_en
    'Idlib'
    """

    def __init__(self, places: dict[str, Place] | Iterable[Place] | None = None):
        if places is None:
            places = {}
        if not isinstance(places, dict):
            places = {p.entity_id: p for p in places}
        self._places: dict[str, Place] = dict(places)

    @classmethod
    def pretrained(cls, extra: Iterable[str | Path] = ()) -> "Gazetteer":
        """The shipped gazetteer, extended (or overridden by entity_id) by ``extra`` places TSVs."""
        return _pretrained(tuple(str(p) for p in extra))

    def get(self, entity_id: str) -> Place | None:
        return self._places.get(entity_id)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._places

    def __len__(self) -> int:
        return len(self._places)

    def __iter__(self) -> Iterator[Place]:
        return iter(self._places.values())

    def frame(self):
        """All places as a DataFrame with the `places` table's columns."""
        from .tables import frame

        return frame("places", [p._asdict() for p in self])


@lru_cache(maxsize=8)
def _pretrained(extra: tuple[str, ...]) -> Gazetteer:
    places: dict[str, Place] = {}
    for path in (data_path("places.tsv"), *extra):
        for p in read_places(path):
            places[p.entity_id] = p
    return Gazetteer(places)
