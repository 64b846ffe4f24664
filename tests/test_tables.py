"""The table contract in code matches docs/tables.md; frames keep columns, dtypes and order."""
import re
from pathlib import Path

import pandas as pd

from idlibnb.tables import KEYS, SCHEMAS, Tables, frame

DOC = (Path(__file__).resolve().parent.parent / "docs" / "tables.md").read_text(encoding="utf-8")


def test_docs_list_every_column_and_key():
    for name, schema in SCHEMAS.items():
        m = re.search(rf"^## `{name}` \(key: ([^)]*)\): (.*)$", DOC, re.M)
        assert m, f"docs/tables.md has no section for {name}"
        assert tuple(k.strip() for k in m.group(1).split(",")) == KEYS[name]
        assert [c.strip() for c in m.group(2).split(",")] == list(schema), name


def test_frame_sorts_and_types():
    df = frame("timexes", [
        {"doc_id": "b", "field": "text", "start": 5, "end": 9, "surface": "أمس", "value": None,
         "precision": None, "kind": "relative", "anchor": None},
        {"doc_id": "a", "field": "text", "start": 1, "end": 2, "surface": "x", "value": "2020",
         "precision": "year", "kind": "absolute", "anchor": None}])
    assert list(df.columns) == list(SCHEMAS["timexes"])
    assert list(df["doc_id"]) == ["a", "b"]
    assert df["start"].dtype == "int64" and pd.isna(df.loc[1, "value"])


def test_empty_tables_round_trip(tmp_path):
    t = Tables()
    t.write(tmp_path)
    back = Tables.read(tmp_path)
    for name, df in back:
        assert list(df.columns) == list(SCHEMAS[name]) and df.empty
    t.write(tmp_path / "csv", format="csv")
    assert Tables.read(tmp_path / "csv").summary()["articles"] == 0


def test_events_actors_round_trip_csv(tmp_path):
    t = Tables(events=frame("events", [{"doc_id": "a", "start": 0, "end": 3, "event_type": "meeting",
                                        "actors": ["x", "y"], "evidence": "نص"}]))
    t.articles = frame("articles", [{"doc_id": "a", "text": "نص", "n_words": 1, "n_sentences": 1}])
    t.write(tmp_path, format="csv")
    assert Tables.read(tmp_path).events.loc[0, "actors"] == ["x", "y"]


def test_filter_by_date_and_outlet():
    arts = frame("articles", [
        {"doc_id": "a", "outlet": "سانا", "outlet_en": "SANA", "published": "2020-03-05", "text": "x"},
        {"doc_id": "b", "outlet": "الوسيلة", "published": "2019-05-20", "text": "y"},
        {"doc_id": "c", "outlet": None, "published": None, "text": "z"}])
    t = Tables(articles=arts)
    assert list(t.filter(date_from="2020-01-01").articles["doc_id"]) == ["a"]
    assert list(t.filter(date_to="2019-12").articles["doc_id"]) == ["b"]
    assert list(t.filter(outlets=["sana"]).articles["doc_id"]) == ["a"]
    assert len(t.filter().articles) == 3


def test_written_tables_read_back_with_plain_nulls(tmp_path):
    t = Tables(figures=frame("figures", [{"figure_id": "f1", "doc_id": "a", "field": "text",
                                          "start": 0, "end": 2, "surface": "12", "value": 12,
                                          "quantity": "other", "qualifier": "exact",
                                          "consistent": True},
                                         {"figure_id": "f2", "doc_id": "a", "field": "text",
                                          "start": 5, "end": 6, "surface": "3", "value": 3,
                                          "quantity": "other", "qualifier": "exact"}]))
    t.write(tmp_path)
    raw = pd.read_parquet(tmp_path / "figures.parquet")  # as a scorer or a script reads it
    missing = raw.loc[1, "unit"]  # None or NaN (pandas 3's str dtype), never pd.NA
    assert missing is None or (isinstance(missing, float) and missing != missing)
    assert raw.loc[0, "consistent"] == True  # noqa: E712
    t.write(tmp_path / "csv", format="csv")
    back = Tables.read(tmp_path / "csv")
    assert back.figures["consistent"].tolist()[0] is True and pd.isna(back.figures["consistent"][1])
