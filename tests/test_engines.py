"""The process-pool engine: every table written (empty ones with their columns), readable by
pandas, DuckDB and Tables.read, in both formats; a failing article does not stop a run."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from idlibnb import engines
from idlibnb.engines import extract_to
from idlibnb.pipeline import Options
from idlibnb.tables import SCHEMAS, TABLE_NAMES, Tables

ARTICLES = {
    "a1": "وزير الدفاع الروسي يزور دمشق\nزار وزير الدفاع الروسي سيرغي شويغو دمشق يوم الاثنين 23 آذار 2020 "
          "والتقى الرئيس السوري بشار الأسد. وقال شويغو إن الهدنة في إدلب صامدة.",
    "a2": "مقتل 5 مدنيين في قصف على إدلب\nقتل 5 مدنيين بينهم طفلان في قصف لقوات النظام على بلدة "
          "في ريف إدلب الجنوبي، بحسب المرصد السوري لحقوق الإنسان.",
    "a3": "دورية روسية تركية مشتركة\nسيرت القوات الروسية والتركية دورية مشتركة على طريق M4 "
          "الدولي في 15 آذار 2020 وفق الاتفاق الموقع في موسكو.",
}

LEX = Options(ner="lexicon")


def write_corpus(folder: Path, articles: dict[str, str] = ARTICLES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def test_pool_writes_every_table(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    summary = extract_to(corpus, tmp_path / "out", LEX, jobs=1)
    assert summary.n_articles == 3 and summary.n_files == 3 and summary.n_skipped == 0
    for name in TABLE_NAMES:
        path = tmp_path / "out" / f"{name}.parquet"
        assert path.is_file(), name
        df = pd.read_parquet(path)
        assert list(df.columns) == list(SCHEMAS[name]), name
    tables = Tables.read(tmp_path / "out")
    assert sorted(tables.articles["doc_id"]) == ["a1", "a2", "a3"]
    assert set(tables.stories["doc_id"]) == {"a1", "a2", "a3"}


def test_empty_corpus_writes_empty_tables_with_columns(tmp_path):
    (tmp_path / "corpus").mkdir()
    summary = extract_to(tmp_path / "corpus", tmp_path / "out", LEX, jobs=1)
    assert summary.n_articles == 0
    for name in TABLE_NAMES:
        df = pd.read_parquet(tmp_path / "out" / f"{name}.parquet")
        assert df.empty and list(df.columns) == list(SCHEMAS[name])


def test_csv_format_replaces_parquet(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    extract_to(corpus, tmp_path / "out", LEX, jobs=1)
    extract_to(corpus, tmp_path / "out", LEX, jobs=1, fmt="csv")
    for name in TABLE_NAMES:
        assert (tmp_path / "out" / f"{name}.csv").is_file()
        assert not (tmp_path / "out" / f"{name}.parquet").exists()  # would shadow the csv
    tables = Tables.read(tmp_path / "out")
    assert len(tables.articles) == 3
    assert all(isinstance(a, list) for a in tables.events["actors"])


def test_failing_article_is_reported_not_fatal(tmp_path, monkeypatch):
    from idlibnb import extract

    corpus = write_corpus(tmp_path / "corpus")
    real = extract.quotes

    def flaky(doc, **kw):  # an extractor half-way through the pipeline fails on one article
        if doc.doc_id == "a2":
            raise RuntimeError("boom")
        return real(doc, **kw)

    monkeypatch.setattr(extract, "quotes", flaky)
    summary = extract_to(corpus, tmp_path / "out", LEX, jobs=1)
    assert summary.n_articles == 2
    man = pd.read_parquet(tmp_path / "out" / "manifest.parquet")
    name = man["source_file"].map(lambda s: Path(s).name)
    row = man[name == "a2.txt"].iloc[0]
    assert row["status"] == "skipped" and "boom" in row["reason"]
    assert (man.loc[name != "a2.txt", "status"] == "ok").all()


def test_overlong_article_is_cut_and_partial(tmp_path, monkeypatch):
    from idlibnb import corpus as corpus_module

    monkeypatch.setattr(corpus_module, "MAX_TEXT_CHARS", 2_000)
    corpus = write_corpus(tmp_path / "corpus", {"long": "عنوان\n" + "كلمة " * 1_000})
    extract_to(corpus, tmp_path / "out", LEX, jobs=1)
    man = pd.read_parquet(tmp_path / "out" / "manifest.parquet")
    assert man.loc[0, "status"] == "partial" and "cut at" in man.loc[0, "reason"]
    art = pd.read_parquet(tmp_path / "out" / "articles.parquet")
    assert len(art.loc[0, "text"]) <= 2_000


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_partitioned_dataset_reads_everywhere(tmp_path):
    """The Dask layout (a folder of parts) read by pandas, DuckDB, Dask and Tables.read."""
    corpus = write_corpus(tmp_path / "corpus")
    tables = Tables.read(_run_partitioned(corpus, tmp_path / "out"))
    path = tmp_path / "out" / "entities.parquet"
    assert path.is_dir() and sorted(p.name for p in path.iterdir())[0] == "part-00000.parquet"
    pdf = pd.read_parquet(path)
    assert list(pdf.columns) == list(SCHEMAS["entities"])
    duckdb = pytest.importorskip("duckdb")
    n = duckdb.sql(f"select count(*) from read_parquet('{path}/*.parquet')").fetchall()[0][0]
    assert n == len(tables.entities) == len(pdf)
    import dask.dataframe as dd

    assert len(dd.read_parquet(str(tmp_path / "out" / "articles.parquet")).compute()) == 3


def _run_partitioned(corpus: Path, out: Path) -> Path:
    # the partitioned writer without a cluster: what the Dask engine writes after its pass
    from idlibnb.cache import Cache, run_fingerprint

    extract_to(corpus, out, LEX, jobs=1)
    cache = Cache(out, run_fingerprint(LEX))
    order = list(cache.index)
    manifest = [tuple(r) for r in pd.read_parquet(out / "manifest.parquet").itertuples(index=False)]
    from idlibnb.corpus import ManifestRow

    from idlibnb.pipeline import corpus_pass

    story_rows, redone = corpus_pass([cache.signature(k) for k in order],
                                     lambda ids: engines._article_rows(cache, order, ids), LEX)
    tables = engines._assemble(cache, order, [ManifestRow(*r) for r in manifest], story_rows, redone)
    engines._write(tables, out, fmt="parquet", partitioned=True)
    return out


def test_setup_error_stops_the_run(tmp_path, monkeypatch):
    """A missing lexicon breaks every article: say so once instead of skipping the whole corpus."""
    from idlibnb.lexicon import LexiconError

    from idlibnb import extract

    def broken(doc, **kw):
        raise LexiconError("actors.tsv: cannot read lexicon")

    monkeypatch.setattr(extract, "entities", broken)
    with pytest.raises(LexiconError):
        extract_to(write_corpus(tmp_path / "corpus"), tmp_path / "out", LEX, jobs=1)


def test_batches_collect_less_often_and_restore_the_threshold(tmp_path, monkeypatch):
    import gc

    corpus = write_corpus(tmp_path / "corpus")
    real = engines.analyse_many
    seen = []

    def spy(docs, options, **kw):
        seen.append(gc.get_threshold()[0])
        return real(docs, options, **kw)

    monkeypatch.setattr(engines, "analyse_many", spy)
    before = gc.get_threshold()
    extract_to(corpus, tmp_path / "out", LEX, jobs=1)
    assert seen and min(seen) >= engines._BATCH_GC_THRESHOLD
    assert gc.get_threshold() == before
