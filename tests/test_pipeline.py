"""pipeline.analyse_many: every extractor over a batch, stage by stage, gives what analyse gives
article by article; an article an extractor fails on gets its exception and the others go on."""
from __future__ import annotations

import numpy as np
import pytest

from idlibnb import extract, pipeline
from idlibnb.doc import Doc
from idlibnb.parse import split_sentences

LEX = pipeline.Options(ner="lexicon")


def _doc(doc_id: str, text: str, published: str | None = None) -> Doc:
    return Doc(doc_id, f"{doc_id}.txt", "", text, sentences=split_sentences(text), published=published,
               published_basis="metadata" if published else None)


UNDATED = _doc("undated", "وطالب الجانب السوري في الاجتماع في موسكو اليوم الاثنين بالانسحاب من إدلب. "
                          "وأعلنت الوزارة وقف إطلاق النار اعتبارا من منتصف ليل 12 يناير الجاري. "
                          "وقتل مدنيون في الفترة بين 29 أبريل 2019 إلى 5 يناير 2020.")


def _same(a: pipeline.ArticleResult, b: pipeline.ArticleResult) -> bool:
    """Equal results (the signature's term counts are arrays)."""
    rows = [n for n in vars(a) if n != "signature"]
    sa, sb = a.signature, b.signature
    return ([getattr(a, n) for n in rows] == [getattr(b, n) for n in rows] and sa[:-1] == sb[:-1]
            and all(np.array_equal(x, y) for x, y in zip(sa.terms, sb.terms)))


def test_same_results_as_one_article_at_a_time(seed_docs):
    docs = [*seed_docs.values(), UNDATED]
    many = pipeline.analyse_many(docs, LEX)
    assert [r.doc_id for r in many] == [d.doc_id for d in docs]
    assert all(_same(m, pipeline.analyse(d, LEX)) for m, d in zip(many, docs))
    assert many[-1].article["published_basis"] == "inferred"  # dated from its text, then re-read
    assert many[-1].article["published"] == "2020-01-13"


def test_a_failing_article_gets_its_exception_and_the_others_go_on(seed_docs, monkeypatch):
    docs = list(seed_docs.values())
    expected = pipeline.analyse_many(docs, LEX)
    real_quotes, after = extract.quotes, []

    def flaky(doc, **kw):
        if doc.doc_id == docs[1].doc_id:
            raise RuntimeError("boom")
        return real_quotes(doc, **kw)

    def spy(doc, **kw):  # an extractor after the failing one
        after.append(doc.doc_id)
        return []

    monkeypatch.setattr(extract, "quotes", flaky)
    monkeypatch.setattr(extract, "framing", spy)
    got = pipeline.analyse_many(docs, LEX)
    assert isinstance(got[1], RuntimeError) and str(got[1]) == "boom"
    assert docs[1].doc_id not in after and len(after) == len(docs) - 1
    for g, e in zip(got[:1] + got[2:], expected[:1] + expected[2:]):
        assert g.entities == e.entities and g.quotes == e.quotes and g.framing == []
    with pytest.raises(RuntimeError, match="boom"):
        pipeline.analyse(docs[1], LEX)


def test_empty_batch():
    assert pipeline.analyse_many([], LEX) == []
