"""The gazetteer behind the `places` table: every place located, every row valid and sourced."""
from __future__ import annotations

import re

import pytest

from idlibnb.extract.entities import entities, load_actors
from idlibnb.gazetteer import PLACE_KINDS, PRECISIONS, Gazetteer, Place, read_places
from idlibnb.lexicon import LexiconError, data_path, read_tsv
from idlibnb.tables import SCHEMAS

# a reference a reader can follow: a wiki article or a host/path
_CITED = re.compile(r"wiki|\b[a-z0-9-]+(?:\.[a-z0-9-]+)+/", re.IGNORECASE)


def test_place_fields_are_the_table_columns():
    assert Place._fields == tuple(SCHEMAS["places"])


def test_pretrained_rows_are_valid_and_sourced():
    gaz = Gazetteer.pretrained()
    assert len(gaz) >= 200
    for p in gaz:
        assert p.kind in PLACE_KINDS and p.precision in PRECISIONS
        assert p.lat is not None and p.lon is not None, p.entity_id
        assert -90 <= p.lat <= 90 and -180 <= p.lon <= 180
        assert p.source and p.name
        if p.precision == "point":
            assert "ODbL" in p.source or _CITED.search(p.source), p.entity_id
        if p.precision == "approximate":
            assert "approximate" in p.source


def test_point_rows_name_their_source():
    """A `point` row comes from the ODbL data (geo_ref) or cites where its coordinates come from."""
    rows = read_tsv(data_path("places.tsv"), required=("entity_id", "precision", "source"),
                    optional=("geo_ref",))
    points = [r for r in rows if r["precision"] == "point"]
    assert points
    for r in points:
        if r.get("geo_ref"):
            assert "ODbL" in r["source"], r["entity_id"]
        else:
            assert _CITED.search(r["source"]) and "estimate" not in r["source"], r["entity_id"]
    assert _CITED.search('Wikipedia, "Hass, Syria" (en.wikipedia.org/wiki/Hass,_Syria)')
    assert not _CITED.search("approximate: idlibnb estimate from public maps")


def test_known_places():
    gaz = Gazetteer.pretrained()
    idlib = gaz.get("idlib")
    assert (idlib.name, idlib.name_en, idlib.kind, idlib.admin1, idlib.precision) == (
        "إدلب", "Idlib", "city", "Idlib", "point")
    assert abs(idlib.lat - 35.93) < 0.05 and abs(idlib.lon - 36.63) < 0.05
    assert gaz.get("m4_highway").kind == "road"
    assert gaz.get("hmeimim").kind == "base"
    assert gaz.get("jabal_al_zawiya").precision == "region"
    assert gaz.get("syria").kind == "country"
    assert gaz.get("nowhere") is None
    assert Gazetteer.pretrained() is Gazetteer.pretrained()


def test_every_seed_place_is_located(seed_docs):
    gaz = Gazetteer.pretrained()
    locs = {e.entity_id for d in seed_docs.values() for e in entities(d, model="lexicon")
            if e.label == "LOC"}
    assert len(locs) >= 30
    assert [i for i in sorted(locs) if gaz.get(i) is None or gaz.get(i).lat is None] == []


def test_places_rows_match_actor_names():
    gaz = Gazetteer.pretrained()
    for r in load_actors():
        if r["type"] == "LOC":
            assert gaz.get(r["entity_id"]).name.replace(" ", "") == \
                r["name"].replace("[", "").replace("]", "").replace("~", "").replace(" ", "")


def test_places_in_the_tables(seeds_dir):
    from idlibnb.pipeline import Options, run

    tables = run(seeds_dir, Options(ner="lexicon"))
    locs = set(tables.entities.loc[tables.entities["label"] == "LOC", "entity_id"])
    assert set(tables.places["entity_id"]) == locs
    assert tables.places["lat"].notna().all()


def test_extra_places_file(tmp_path):
    f = tmp_path / "mine.tsv"
    f.write_text("entity_id\tname\tname_en\tkind\tlat\tlon\tadmin1\tprecision\tsource\n"
                 "kafr_amim\tكفرعميم\tKafr Amim\tvillage\t35.7\t36.8\tIdlib\tapproximate\tmy map\n",
                 encoding="utf-8")
    gaz = Gazetteer.pretrained(extra=[f])
    assert gaz.get("kafr_amim").lat == 35.7 and gaz.get("idlib") is not None


@pytest.mark.parametrize("row,message", [
    ("x\tس\t\tplanet\t1\t2\t\tpoint\tsrc", r"mine\.tsv:2: unknown kind 'planet'"),
    ("x\tس\t\tcity\t1\t\t\tpoint\tsrc", r"mine\.tsv:2: lat and lon go together"),
    ("x\tس\t\tcity\tnorth\t2\t\tpoint\tsrc", r"mine\.tsv:2: lat 'north' is not a number"),
    ("x\tس\t\tcity\t1\t2\t\texact\tsrc", r"mine\.tsv:2: unknown precision 'exact'"),
    ("x\tس\t\tcity\t1\t2\t\tpoint\t", r"mine\.tsv:2: column 'source' is empty"),
])
def test_bad_places_rows(tmp_path, row, message):
    f = tmp_path / "mine.tsv"
    f.write_text("entity_id\tname\tname_en\tkind\tlat\tlon\tadmin1\tprecision\tsource\n" + row + "\n",
                 encoding="utf-8")
    with pytest.raises(LexiconError, match=message):
        read_places(f)


def test_geo_data_ships_with_its_licence():
    assert "ODbL" in data_path("NOTICE-geo.md").read_text(encoding="utf-8")
    assert "MIT License" in data_path("NOTICE-lexicons.md").read_text(encoding="utf-8")
    outlines = list(data_path("geo").glob("*.geo.json"))
    assert {p.name for p in outlines} >= {"syr.geo.json", "tur.geo.json"}
