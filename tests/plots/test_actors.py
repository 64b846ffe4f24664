"""Actors-and-places plots and tables: shapes, labels, empty corpora."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from idlibnb.pipeline import Options, run  # noqa: E402
from idlibnb.plots import actors as ap  # noqa: E402
from idlibnb.tables import Tables, frame  # noqa: E402


@pytest.fixture(scope="module")
def tables(seeds_dir):
    return run(seeds_dir, Options(ner="lexicon"))


def test_actor_counts(tables):
    c = ap.actor_counts(tables, top=5, label_language="en")
    assert list(c.columns) == ["entity_id", "name", "type", "side", "cameo", "articles", "mentions"]
    assert len(c) == 5 and c["articles"].is_monotonic_decreasing
    assert "Sergei Shoigu" in set(ap.actor_counts(tables, top=None, label_language="en")["name"])


def test_counts_by_outlet(tables):
    t = ap.actor_counts_by_outlet(tables, top=6, label_language="ar")
    assert len(t) == 6 and t.values.sum() > 0


def test_comention_graph(tables):
    g = ap.comention_graph(tables, labels=("PER", "ORG"), top=15)
    assert g.number_of_nodes() == 15
    assert g.has_edge("sergei_shoigu", "bashar_al_assad")
    assert g.edges["sergei_shoigu", "bashar_al_assad"]["weight"] >= 2


@pytest.mark.parametrize("lang", ["ar", "en", "translit"])
def test_figures_render(tables, lang):
    import matplotlib.pyplot as plt

    for fig in (ap.top_actors(tables, label_language=lang),
                ap.top_actors_by_outlet(tables, label_language=lang),
                ap.comention_network(tables, top=12, label_language=lang),
                ap.places_map(tables, label_language=lang)):
        fig.canvas.draw()
        plt.close(fig)


def test_place_mentions_have_coordinates(tables):
    pm = ap.place_mentions(tables)
    assert pm["lat"].notna().all() and "idlib" in set(pm["entity_id"])


def test_outlines_load():
    o = ap.outlines()
    assert "SYR" in o and len(o["SYR"][0]) > 20


def test_unlinked_mentions():
    ents = frame("entities", [
        dict(doc_id="a", field="text", start=0, end=3, surface="فلان", label="PER",
             entity_id="ner:فلان", canonical="فلان", method="model"),
        dict(doc_id="b", field="text", start=0, end=3, surface="فلان", label="PER",
             entity_id="ner:فلان", canonical="فلان", method="model"),
        dict(doc_id="b", field="text", start=5, end=10, surface="بوتين", label="PER",
             entity_id="vladimir_putin", canonical="فلاديمير بوتين", method="lexicon")])
    u = ap.unlinked_mentions(Tables(entities=ents))
    assert list(u["surface"]) == ["فلان"] and u.loc[0, "articles"] == 2
    assert u.loc[0, "suggested_row"].split("\t")[1:3] == ["PER", "فلان"]


def test_empty_tables_never_fail():
    t = Tables()
    assert ap.actor_counts(t).empty and ap.unlinked_mentions(t).empty
    for fig in (ap.top_actors(t), ap.top_actors_by_outlet(t), ap.comention_network(t),
                ap.places_map(t)):
        fig.canvas.draw()
