#!/usr/bin/env python3
"""Fill the coordinates of idlibnb/data/places.tsv from the shared geographic reference data.

    python scripts/build_places.py ../shared/geo [--check]

Every row of ``places.tsv`` whose ``geo_ref`` names a record of the ODbL data gets that record's
latitude/longitude, a precision ('point' for a city, 'region' for a country or a province centre) and a
source note naming the dataset; rows without ``geo_ref`` (villages, bases, roads, regions the data does
not have) keep the coordinates, precision and note written by hand. The Arabic names are idlibnb's own
pairing with the English names of the data.

geo_ref forms:
  country:SY                 countries.json (mledoze/countries), the country's centre point
  SY:<state name>:<city>     cities/SY.json (countries-states-cities via sp-framework/geodata), a city
  SYSTATE:<state name>       the same file, a state/province/governorate centre

The script also checks that every LOC row of actors.tsv has a places row (and no places row lacks an
entity) and that names agree; ``--check`` reports without writing. The package never reads ../shared:
the filled TSV is committed as package data.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "idlibnb" / "data"
COLUMNS = ["entity_id", "name", "name_en", "kind", "lat", "lon", "admin1", "precision", "source",
           "geo_ref"]
CITIES_SRC = ("countries-states-cities database via sp-framework/geodata commit 16e6db88 (ODbL 1.0)")
COUNTRIES_SRC = "mledoze/countries commit 5e9f3700 (ODbL 1.0)"


def read_rows(path: Path) -> tuple[list[str], list[dict]]:
    comments, rows, header = [], [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            comments.append(line)
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells)))
    return comments, rows


def lookup(geo: Path, ref: str, cache: dict) -> tuple[float, float, str, str]:
    """(lat, lon, precision, source) of a geo_ref."""
    kind, _, rest = ref.partition(":")
    if kind == "country":
        if "countries" not in cache:
            cache["countries"] = {c["cca2"]: c for c in json.loads((geo / "countries.json").read_text())}
        c = cache["countries"][rest]
        lat, lon = c["latlng"]
        return float(lat), float(lon), "region", (
            f"{COUNTRIES_SRC}: {c['name']['common']}, centre point; Arabic name from its "
            f"translations.ara ({c['translations']['ara']['common']})")
    cc, state_only = (kind[:-5], True) if kind.endswith("STATE") else (kind, False)
    if cc not in cache:
        cache[cc] = json.loads((geo / "cities" / f"{cc}.json").read_text())
    data = cache[cc]
    parts = rest.split(":")
    states = {s["name"]: s for s in data["states"].values()}
    states.update({f"{s['name']} {s.get('type')}": s for s in data["states"].values()})
    state = states[parts[0]]
    if state_only:
        return (float(state["latitude"]), float(state["longitude"]), "region",
                f"{CITIES_SRC}: {cc} {state['name']} ({state.get('type') or 'state'}), centre point")
    cities = {c["name"]: c for c in (state.get("cities") or {}).values()}
    city = cities[parts[1]]
    precision = "region" if re.search(r"District$", city["name"]) else "point"
    return (float(city["latitude"]), float(city["longitude"]), precision,
            f"{CITIES_SRC}: {cc} {state['name']} / {city['name']}; Arabic name paired by idlibnb")


def check_against_actors(rows: list[dict]) -> list[str]:
    problems = []
    _, actors = read_rows(DATA / "actors.tsv")
    locs = {r["entity_id"]: r for r in actors if r.get("type") == "LOC"}
    places = {r["entity_id"]: r for r in rows}
    for eid, a in locs.items():
        if eid not in places:
            problems.append(f"LOC {eid} has no places row")
        elif re.sub(r"[\[\]~]", "", a["name"]).strip() != places[eid]["name"]:
            problems.append(f"{eid}: name {places[eid]['name']!r} != actors name {a['name']!r}")
    for eid in places:
        if eid not in locs:
            problems.append(f"places row {eid} has no LOC entity in actors.tsv (gazetteer only)")
    return problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("geo", type=Path, help="the shared geo folder (countries.json, cities/)")
    ap.add_argument("--places", type=Path, default=DATA / "places.tsv")
    ap.add_argument("--check", action="store_true", help="report only; do not rewrite places.tsv")
    args = ap.parse_args(argv)
    comments, rows = read_rows(args.places)
    cache: dict = {}
    n_geo = 0
    for r in rows:
        if r.get("geo_ref"):
            lat, lon, precision, source = lookup(args.geo, r["geo_ref"], cache)
            r["lat"], r["lon"] = f"{lat:.5f}", f"{lon:.5f}"
            r["precision"], r["source"] = precision, source
            n_geo += 1
        if not (r["lat"] and r["lon"] and r["precision"] and r["source"]):
            print(f"{r['entity_id']}: missing coordinates, precision or source", file=sys.stderr)
    for p in check_against_actors(rows):
        print(p, file=sys.stderr)
    print(f"{len(rows)} places, {n_geo} from the ODbL data, "
          f"{sum(r['precision'] == 'approximate' for r in rows)} approximate")
    if not args.check:
        with args.places.open("w", encoding="utf-8", newline="") as fh:
            for c in comments:
                fh.write(c + "\n")
            w = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                           escapechar="\\")
            w.writerow(COLUMNS)
            for r in rows:
                w.writerow([r.get(c, "") for c in COLUMNS])
    return 0


if __name__ == "__main__":
    sys.exit(main())
