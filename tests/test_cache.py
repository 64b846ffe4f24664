"""Incremental runs: only new or changed articles are extracted again; --force, other options or an
interrupted part never serve stale rows."""
from __future__ import annotations

import pandas as pd
import pytest

from idlibnb import engines
from idlibnb.cache import CACHE_DIRNAME
from idlibnb.engines import extract_to
from idlibnb.pipeline import Options

LEX = Options(ner="lexicon")
ARTICLES = {
    "a1": "وزير الدفاع الروسي يزور دمشق\nزار وزير الدفاع الروسي سيرغي شويغو دمشق يوم الاثنين 23 آذار "
          "2020 والتقى الرئيس السوري بشار الأسد.",
    "a2": "مقتل 5 مدنيين في قصف على إدلب\nقتل 5 مدنيين بينهم طفلان في قصف على بلدة في ريف إدلب.",
    "a3": "دورية روسية تركية مشتركة\nسيرت القوات الروسية والتركية دورية مشتركة على طريق M4.",
}


def write_corpus(folder, articles=ARTICLES):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def calls(monkeypatch):
    seen: list[str] = []
    real = engines.analyse_many

    def counting(docs, options, **kw):
        seen.extend(doc.doc_id for doc in docs)
        return real(docs, options, **kw)

    monkeypatch.setattr(engines, "analyse_many", counting)
    return seen


def docs(out):
    return sorted(pd.read_parquet(out / "articles.parquet")["doc_id"])


def test_rerun_extracts_only_new_and_changed(tmp_path, calls):
    corpus, out = write_corpus(tmp_path / "corpus"), tmp_path / "out"
    extract_to(corpus, out, LEX, jobs=1)
    assert sorted(calls) == ["a1", "a2", "a3"]
    first = {n: pd.read_parquet(out / f"{n}.parquet") for n in ("articles", "entities", "stories")}

    calls.clear()
    extract_to(corpus, out, LEX, jobs=1)
    assert calls == []  # nothing new: everything from the cache
    for n, df in first.items():
        pd.testing.assert_frame_equal(df, pd.read_parquet(out / f"{n}.parquet"))

    (corpus / "a4.txt").write_text("خبر جديد\nوصلت تعزيزات تركية إلى إدلب.", encoding="utf-8")
    (corpus / "a1.txt").write_text(ARTICLES["a1"] + " وأضاف أن الاتفاق صامد.", encoding="utf-8")
    calls.clear()
    extract_to(corpus, out, LEX, jobs=1)
    assert sorted(calls) == ["a1", "a4"]
    assert docs(out) == ["a1", "a2", "a3", "a4"]
    assert "الاتفاق صامد" in pd.read_parquet(out / "articles.parquet").set_index("doc_id").loc["a1", "text"]

    (corpus / "a2.txt").unlink()
    calls.clear()
    extract_to(corpus, out, LEX, jobs=1)
    assert calls == [] and docs(out) == ["a1", "a3", "a4"]


def test_force_and_other_options_reextract(tmp_path, calls):
    corpus, out = write_corpus(tmp_path / "corpus"), tmp_path / "out"
    extract_to(corpus, out, LEX, jobs=1)
    calls.clear()
    extract_to(corpus, out, LEX, jobs=1, force=True)
    assert sorted(calls) == ["a1", "a2", "a3"]
    calls.clear()
    extract_to(corpus, out, Options(ner="lexicon", metadata=None, lexicon_files=()), jobs=1)
    assert calls == []  # equal options, equal key
    extra = tmp_path / "extra.tsv"
    extra.write_text("x\n", encoding="utf-8")
    fake = Options(ner="lexicon", lexicon_files=(str(extra),))
    from idlibnb.cache import run_fingerprint

    assert run_fingerprint(fake) != run_fingerprint(LEX)
    extra.write_text("y\n", encoding="utf-8")  # an edited lexicon file changes the key too
    assert run_fingerprint(fake) != run_fingerprint(Options(ner="lexicon", lexicon_files=(str(extra) + "x",)))


def test_interrupted_part_is_ignored(tmp_path, calls):
    corpus, out = write_corpus(tmp_path / "corpus"), tmp_path / "out"
    extract_to(corpus, out, LEX, jobs=1)
    parts = list((out / CACHE_DIRNAME / "parts").iterdir())
    assert parts
    for p in parts:  # as if the run died before the index of each part was written
        (p / "keys.arrow").unlink()
    calls.clear()
    extract_to(corpus, out, LEX, jobs=1)
    assert sorted(calls) == ["a1", "a2", "a3"]
    assert docs(out) == ["a1", "a2", "a3"]


def test_cache_lives_in_out(tmp_path):
    corpus, out = write_corpus(tmp_path / "corpus"), tmp_path / "out"
    extract_to(corpus, out, LEX, jobs=1)
    assert (out / CACHE_DIRNAME / "fingerprint.txt").is_file()
    assert not any(p.name.startswith(".") and p.name != CACHE_DIRNAME for p in out.iterdir())


def test_cached_run_starts_no_workers(tmp_path, monkeypatch):
    corpus, out = write_corpus(tmp_path / "corpus"), tmp_path / "out"
    extract_to(corpus, out, LEX, jobs=1)

    def no_pool(*args, **kwargs):
        raise AssertionError("a run served by the cache started workers")

    monkeypatch.setattr(engines, "_Pool", no_pool)
    assert extract_to(corpus, out, LEX, jobs=2).n_articles == 3


def test_read_table_reads_only_the_columns_asked_for():
    import pyarrow as pa

    from idlibnb.cache import read_table, table_bytes

    table = pa.table({"doc_id": ["a", "b"], "text": ["نص", "آخر"], "_key": ["k1", "k2"]})
    data = table_bytes(table)
    assert read_table(data).equals(table)
    assert read_table(data, ("_key", "doc_id")).column_names == ["doc_id", "_key"]
    assert read_table(data, ("doc_id",)).equals(table.select(["doc_id"]))
