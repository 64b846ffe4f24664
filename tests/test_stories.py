"""Same-story grouping, blocking, dates passed between twins, story contrasts (idlibnb.stories),
and the corpus-wide step in idlibnb.pipeline.finish."""
from __future__ import annotations

import time
from types import SimpleNamespace

import numpy as np
import pandas as pd

from idlibnb import pipeline, stories
from idlibnb.doc import Doc
from idlibnb.parse import split_sentences
from idlibnb.tables import SCHEMAS, Tables, frame

VISIT = ("زار وزير الدفاع الروسي سيرغي شويغو دمشق وأجرى محادثات مع بشار الأسد حول وقف إطلاق النار "
         "في إدلب وتسيير الدوريات المشتركة على الطريق الدولي إم4 بين حلب واللاذقية، وحشود قوات "
         "النظام في كفرنبل ومعرة حرمة والدار الكبيرة بريف إدلب الجنوبي.")
FLOODS = ("هطلت أمطار غزيرة على مدينة عمان وأغرقت الشوارع والأنفاق وأغلقت المدارس أبوابها "
          "وحذرت الأرصاد الجوية من سيول في وادي موسى والبتراء خلال عطلة نهاية الأسبوع.")


def ent(doc_id, eid):
    return SimpleNamespace(doc_id=doc_id, entity_id=eid)


def tx(surface, value=None):
    return SimpleNamespace(surface=surface, value=value)


def sig(doc_id, text, ents=(), published=None, timexes=(), title=""):
    doc = Doc(doc_id, f"{doc_id}.txt", title, text, sentences=split_sentences(text), published=published)
    return stories.signature(doc, entities=[ent(doc_id, e) for e in ents], timexes=timexes)


VISIT_ENTS = ("shoigu", "assad", "damascus", "idlib", "m4", "kafranbel")


def test_signature_pickles_to_the_same_signature():
    import pickle

    s = sig("a", VISIT, VISIT_ENTS, "2020-03-23", [tx("اليوم الاثنين", "2020-03-23")])
    back = pickle.loads(pickle.dumps(s, protocol=pickle.HIGHEST_PROTOCOL))
    assert type(back) is stories.Signature and back[:5] == s[:5]
    for a, b in zip(back.terms, s.terms):
        assert a.dtype == b.dtype and np.array_equal(a, b)


def test_signature_is_small_and_stable():
    s = sig("a", VISIT, VISIT_ENTS, "2020-03-23", [tx("اليوم الاثنين", "2020-03-23")])
    assert s.entity_ids == tuple(sorted(VISIT_ENTS))
    assert s.dates == ("2020-03-23",)
    assert s.weekdays == ((0, False),)
    ids, tf = s.terms
    assert ids.dtype == np.uint32 and len(ids) == len(tf) <= stories.N_TERMS
    again = sig("a", VISIT, VISIT_ENTS, "2020-03-23", [tx("اليوم الاثنين", "2020-03-23")])
    assert np.array_equal(ids, again.terms[0])


def test_twins_grouped_and_others_alone():
    rewrite = "قالت وزارة الدفاع الروسية إن شويغو " + VISIT.replace("زار وزير الدفاع الروسي سيرغي شويغو", "زار")
    sigs = [
        sig("b", rewrite, VISIT_ENTS, "2020-03-23"),
        sig("a", VISIT, VISIT_ENTS),  # undated
        sig("c", FLOODS, ("amman",), "2020-03-23"),
    ]
    rows = stories.find_stories(sigs)
    assert sorted(r[:2] for r in rows) == [("s-a", "a"), ("s-a", "b"), ("s-c", "c")]
    sim = {d: s for _, d, s in rows}
    assert stories.THRESHOLD <= sim["a"] == sim["b"] <= 1 and sim["c"] == 1.0


def test_no_shared_entity_no_pair_even_with_the_same_words():
    sigs = [sig("a", VISIT, ("x",), "2020-03-23"), sig("b", VISIT, ("y",), "2020-03-23")]
    assert len(stories.candidate_pairs(sigs)) == 0
    assert {r[0] for r in stories.find_stories(sigs)} == {"s-a", "s-b"}


def test_dates_too_far_apart_are_not_compared():
    sigs = [sig("a", VISIT, VISIT_ENTS, "2020-03-01"), sig("b", VISIT, VISIT_ENTS, "2020-03-23")]
    assert len(stories.candidate_pairs(sigs)) == 0
    sigs[1] = sig("b", VISIT, VISIT_ENTS, "2020-03-03")
    assert stories.candidate_pairs(sigs).tolist() == [[0, 1]]


def test_common_entity_in_a_dense_window_proposes_no_pairs():
    sigs = [sig(f"d{i:03d}", f"{FLOODS} {i}", ("syria",), "2020-03-23") for i in range(stories.MAX_BLOCK + 5)]
    assert len(stories.candidate_pairs(sigs)) == 0


def test_empty_and_single():
    assert stories.find_stories([]) == []
    assert stories.find_stories([sig("a", "")]) == [("s-a", "a", 1.0)]


def test_story_ids_do_not_depend_on_input_order():
    sigs = [sig("b", VISIT, VISIT_ENTS, "2020-03-23"), sig("a", VISIT, VISIT_ENTS, "2020-03-22"),
            sig("c", FLOODS, ("amman",), "2020-03-23")]
    assert stories.find_stories(sigs) == stories.find_stories(sigs[::-1])


def test_chains_do_not_snowball():
    # a-b and b-c are linked, a-c are not: b joins one side, the other stays apart
    base = VISIT.split()
    a = " ".join(base[:20] + ["قطن"] * 20)
    b = " ".join(base + ["قطن"] * 20 + ["قمح"] * 20)
    c = " ".join(base[20:] + ["قمح"] * 20)
    sigs = [sig(x, t, ("idlib",), "2020-03-23") for x, t in (("a", a), ("b", b), ("c", c))]
    pairs = stories.candidate_pairs(sigs)
    sims = dict(zip(map(tuple, pairs.tolist()), stories._pair_cosines(stories._tfidf(sigs), pairs)))
    if sims[(0, 1)] >= stories.THRESHOLD and sims[(1, 2)] >= stories.THRESHOLD > sims[(0, 2)]:
        assert len({s for s, _, _ in stories.find_stories(sigs)}) == 2


def test_sorted_unique_is_numpy_unique():
    rng = np.random.default_rng(2)
    for a in (np.array([], dtype=np.int64), np.array([5]), rng.integers(0, 50, 400), rng.integers(0, 10**12, 300)):
        assert np.array_equal(stories._sorted_unique(a.copy()), np.unique(a))


def test_unique_inverse_is_numpy_unique():
    rng = np.random.default_rng(4)
    for ids in (np.array([], dtype=np.uint32), np.array([7], dtype=np.uint32),
                rng.integers(0, 40, 500).astype(np.uint32), rng.integers(0, 2**32, 400).astype(np.uint32),
                rng.integers(0, 2**40, 50)):
        vocab, cols = stories._unique_inverse(ids)
        want_vocab, want_cols = np.unique(ids, return_inverse=True)
        assert vocab.dtype == want_vocab.dtype and cols.dtype == want_cols.dtype
        assert np.array_equal(vocab, want_vocab) and np.array_equal(cols, want_cols)


def test_near_linear_on_many_articles():
    rng = np.random.default_rng(0)
    words = [f"كلمة{i}" for i in range(3000)]
    sigs = []
    for i in range(2000):
        text = " ".join(rng.choice(words, 80))
        ents = tuple(f"e{j}" for j in rng.choice(500, 5, replace=False))
        sigs.append(sig(f"d{i:05d}", text, ents, f"2020-{1 + i % 12:02d}-{1 + i % 28:02d}"))
    t = time.perf_counter()
    rows = stories.find_stories(sigs)
    assert len(rows) == 2000 and time.perf_counter() - t < 20


def test_date_from_twin_when_the_weekday_agrees():
    sigs = [sig("a", VISIT, VISIT_ENTS, None, [tx("الإثنين")]),
            sig("b", VISIT, VISIT_ENTS, "2020-03-23", [tx("اليوم الاثنين", "2020-03-23")])]
    got = stories.date_from_twins(stories.find_stories(sigs), sigs)
    assert [(g.doc_id, g.published, g.twin) for g in got] == [("a", "2020-03-23", "b")]
    assert "b" in got[0].evidence and "2020-03-23" in got[0].evidence


def test_no_date_from_twin_when_the_weekday_disagrees_or_is_missing():
    story = [("s-a", "a", 0.5), ("s-a", "b", 0.5)]
    for anchors in ([tx("الخميس")], []):
        sigs = [sig("a", VISIT, VISIT_ENTS, None, anchors),
                sig("b", VISIT, VISIT_ENTS, "2020-03-23", [tx("اليوم الاثنين", "2020-03-23")])]
        assert stories.date_from_twins(story, sigs) == []


def test_yesterday_means_published_the_day_after():
    story = [("s-a", "a", 0.5), ("s-a", "b", 0.5)]
    sigs = [sig("a", VISIT, VISIT_ENTS, None, [tx("أمس الإثنين")]),
            sig("b", VISIT, VISIT_ENTS, "2020-03-23", [tx("اليوم الاثنين", "2020-03-23")])]
    assert stories.date_from_twins(story, sigs)[0].published == "2020-03-24"


def _tables(docs):
    return Tables(
        articles=frame("articles", [pipeline.article_row(d) for d in docs]),
        entities=frame("entities", [dict(doc_id=d.doc_id, field="text", start=i, end=i + 1, surface=e,
                                         label="LOC", entity_id=e, canonical=e)
                                    for d in docs for i, e in enumerate(VISIT_ENTS)]),
        figures=frame("figures", [dict(figure_id="f1", doc_id="a", field="text", start=0, end=2,
                                       surface="6 كم", value=6.0, quantity="distance", unit="km")]),
        stories=frame("stories", [("s-a", "a", 0.4), ("s-a", "b", 0.4), ("s-c", "c", 1.0)]),
    )


def test_story_contrasts_and_views():
    docs = [Doc(x, f"{x}.txt", "", VISIT, sentences=split_sentences(VISIT), outlet=o)
            for x, o in (("a", "<شام>"), ("b", "سبوتنيك"), ("c", "الوسيلة"))]
    t = _tables(docs)
    c = stories.story_contrasts(t)
    assert set(c["doc_id"]) == {"a", "b"}
    fig = c[c["kind"] == "figure"]
    assert fig["unique"].all() and list(fig["doc_id"]) == ["a"]
    assert not c[c["kind"] == "entity"]["unique"].any()
    html = stories.stories_html(t)
    assert "&lt;شام&gt;" in html and "<شام>" not in html
    assert list(stories.story_table(t)["doc_id"]) == ["a", "b"]
    empty = Tables()
    assert stories.story_contrasts(empty).empty and stories.story_table(empty).empty
    assert "No story" in stories.stories_html(empty) and "No articles" in stories.stories_note(empty)


def test_doc_from_row_round_trips_an_article():
    text = "قصفت قوات النظام إدلب.\n\nوقال مصدر إن الوضع هادئ."
    doc = Doc("a", "a.txt", "عنوان", text, outlet="شام", published="2020-03-23", published_basis="text",
              sentences=split_sentences(text), warnings=["w1", "w2"])
    row = frame("articles", [pipeline.article_row(doc)]).to_dict("records")[0]
    back = pipeline.doc_from_row(row)
    assert (back.doc_id, back.title, back.text, back.outlet, back.published, back.warnings) == \
        ("a", "عنوان", text, "شام", "2020-03-23", ["w1", "w2"])
    assert back.sentences == doc.sentences


def test_finish_dates_an_undated_twin_and_resolves_it_again():
    results = []
    for doc_id, pub, lead in (("a", None, "زار شويغو دمشق الإثنين. "), ("b", "2020-03-23", "زار شويغو دمشق اليوم الاثنين. ")):
        text = lead + VISIT
        doc = Doc(doc_id, f"{doc_id}.txt", "", text, sentences=split_sentences(text), published=pub,
                  published_basis="text" if pub else None)
        results.append(pipeline.analyse(doc))
    tables = pipeline.assemble(results, [])
    arts = tables.articles.set_index("doc_id")
    assert list(tables.stories["story_id"]) == ["s-a", "s-a"]
    if results[0].signature.weekdays:  # the dates extractor found the weekday
        assert arts.at["a", "published"] == "2020-03-23"
        assert arts.at["a", "published_basis"] == "inferred"
        assert "b" in arts.at["a", "published_evidence"]
        for name in ("articles", "entities", "timexes", "framing", "stories"):
            df = getattr(tables, name)
            assert list(df.columns) == list(SCHEMAS[name])
        tx_a = tables.timexes[tables.timexes["doc_id"] == "a"]
        assert "2020-03-23" in set(tx_a["value"].dropna())
    assert isinstance(tables.articles, pd.DataFrame)
