"""Figures: numbers in every written form, what they count, breakdowns, places, periods, sources."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idlibnb.doc import Doc
from idlibnb.extract.dates import Timex
from idlibnb.extract.entities import Entity
from idlibnb.extract.figures import QUALIFIERS, QUANTITIES, Figure, figures, parse_number_ar
from idlibnb.parse import split_sentences


def make_doc(text: str, title: str = "", published: str | None = None, doc_id: str = "d1") -> Doc:
    return Doc(doc_id, f"{doc_id}.txt", title, text, sentences=split_sentences(text), published=published)


def ent(doc: Doc, surface: str, label: str, entity_id: str, nth: int = 0, field: str = "text") -> Entity:
    text = doc.field_text(field)
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Entity(doc.doc_id, field, start, start + len(surface), surface, label, entity_id,
                  surface, None, None, None, None, "lexicon")


def tx(doc: Doc, surface: str, value: str) -> Timex:
    start = doc.text.index(surface)
    return Timex(doc.doc_id, "text", start, start + len(surface), surface, value, "day", "absolute", None)


def figs(text: str, **kw) -> list[Figure]:
    doc = make_doc(text)
    return list(figures(doc, entities=kw.get("entities", []), timexes=kw.get("timexes", [])))


def simple(text: str) -> list[tuple]:
    return [(f.value, f.quantity, f.unit, f.qualifier) for f in figs(text)]


@pytest.mark.parametrize("written, value", [
    ("455", 455), ("٤٥٥", 455), ("1,460", 1460), ("١٬٤٦٠", 1460), ("3.5 مليون", 3_500_000),
    ("٣٫٥ مليون", 3_500_000), ("ألف و700", 1700), ("ثلاثة آلاف", 3000), ("3 آلاف و500", 3500),
    ("ثلاث", 3), ("ثلاثة", 3), ("أحد عشر", 11), ("إحدى عشرة", 11), ("عشرون", 20), ("عشرين", 20),
    ("خمسة وعشرون", 25), ("مئتي", 200), ("ثلاث مئة", 300), ("خمسمائة", 500), ("ألفين", 2000),
    ("نصف مليون", 500_000), ("مليون", 1_000_000),
])
def test_parse_number_forms(written, value):
    assert parse_number_ar(written) == value


@pytest.mark.parametrize("written", ["آلاف", "ملايين", "نصف", "25 و26", "", "abc"])
def test_vague_or_ambiguous_numbers_have_no_value(written):
    assert parse_number_ar(written) is None


def test_casualty_count_with_unit_and_quantity():
    assert simple("أعلنت الأمم المتحدة مقتل 1460 مدنيا في إدلب.") == [(1460, "killed", "civilians", "exact")]
    assert simple("وأصيب 12 شخصا بجروح.") == [(12, "injured", "persons", "exact")]
    assert simple("وثق نزوح 41814 عائلة من المنطقة.") == [(41814, "displaced", "families", "exact")]
    assert simple("يقطن المنطقة نحو 4 ملايين مدني.") == [(4_000_000, "population", "civilians", "approx")]
    assert simple("ممر آمن بعمق 6 كم شمالي الطريق.") == [(6, "distance", "km", "exact")]
    assert simple("أقامت تركيا 12 نقطة مراقبة في إدلب.") == [(12, "other", "observation_points", "exact")]


def test_nouns_that_carry_their_quantity():
    assert simple("سقط 50 قتيلا و30 جريحا.") == [(50, "killed", "persons", "exact"),
                                                (30, "injured", "persons", "exact")]


def test_qualifiers():
    assert simple("مقتل أكثر من ألف و700 شخص.")[0][3] == "more_than"
    assert simple("مقتل ما يزيد عن 200 شخص.")[0][3] == "more_than"
    assert simple("مقتل 20 مدنيا على الأقل.")[0][3] == "more_than"
    assert simple("نزوح قرابة 900 ألف شخص.")[0][3] == "approx"
    assert simple("نزوح حوالي 900 ألف شخص.")[0][3] == "approx"
    assert simple("مقتل أقل من 10 أشخاص.")[0][3] == "less_than"


def test_number_words_with_gender_and_case():
    assert simple("قتل ثلاثة أطفال وثلاث نساء.") == [(3, "killed", "children", "exact"),
                                                    (3, "killed", "women", "exact")]
    assert simple("مقتل عشرين مدنيا.") == [(20, "killed", "civilians", "exact")]


def test_duals_count_but_not_definite_ones():
    assert simple("أدى القصف إلى مقتل طفلين.") == [(2, "killed", "children", "exact")]
    assert simple("قتل جنديان في الهجوم.") == [(2, "killed", "soldiers", "exact")]
    assert simple("بحث الرئيسان الوضع في إدلب.") == []
    assert simple("وهو أب لطفلين.") == []  # a dual with nothing happening to it is not a figure


@pytest.mark.parametrize("text", [
    "وفي مايو 2017، أعلنت الدول الضامنة الاتفاق.",
    "المؤرخ 2018-9-17 بشأن إدلب.",
    "في 5 آذار/مارس الجاري.",
    "طفل يبلغ من العمر 12 عاما.",
    "ارتفعت الأسعار 30 في المئة و15%.",
    "قيمتها 5 ملايين دولار.",
    "منذ الاجتماع الـ12 للدول الضامنة.",
    "على الطريق الدولي إم 4 بسوريا.",
    "مقاتلات من طراز سو-35 إس.",
    "بعد 9 سنوات من بدء الصراع.",
    "تضم آلاف المدنيين وعشرات الأطفال ومئات العائلات.",
])
def test_not_figures(text):
    assert figs(text) == []


def test_too_large_or_malformed_numbers_are_skipped():
    assert figs("نزوح 99999999999999 شخص.") == []
    assert figs("مقتل 1,2,3 شخص و..5 مدنيين") is not None  # nothing raises


def test_breakdown_by_place_links_parts_and_checks_the_sum():
    text = ("ووثق فريق منسقو الاستجابة مقتل 455 مدنيًا بينهم 139 طفلًا وطفلة، موزعين على المناطق: "
            "إدلب 334 مدنيًا بينهم 113 طفلًا، حماة 108 مدنيين بينهم 22 طفلًا، وحلب 11 مدنيًا بينهم "
            "ثلاثة أطفال، واللاذقية مدنيان بينهم طفل، وذلك منذ 2 من شباط وحتى 13 من أيار الحالي.")
    doc = make_doc(text, published="2019-05-14")
    ents = [ent(doc, "منسقو الاستجابة", "ORG", "response_coordinators"),
            ent(doc, "إدلب", "LOC", "idlib"), ent(doc, "حماة", "LOC", "hama"),
            ent(doc, "حلب", "LOC", "aleppo"), ent(doc, "اللاذقية", "LOC", "latakia")]
    times = [tx(doc, "2 من شباط", "2019-02-02"), tx(doc, "13 من أيار الحالي", "2019-05-13")]
    rows = list(figures(doc, entities=ents, timexes=times))
    by_value = {f.value: f for f in rows}
    assert sorted(by_value) == [1, 2, 3, 11, 22, 108, 113, 139, 334, 455]
    total = by_value[455]
    assert (total.quantity, total.unit, total.consistent, total.part_of) == ("killed", "civilians", True, None)
    assert total.source == "response_coordinators"
    assert (total.period_start, total.period_end) == ("2019-02-02", "2019-05-13")
    parts = {f.place: f.value for f in rows if f.part_of == total.figure_id and f.unit == "civilians"}
    assert parts == {"idlib": 334, "hama": 108, "aleppo": 11, "latakia": 2}
    assert by_value[139].part_of == total.figure_id and by_value[139].consistent is True
    assert by_value[113].part_of == by_value[334].figure_id
    assert by_value[1].part_of == by_value[2].figure_id and by_value[1].unit == "children"
    assert all(f.quantity == "killed" for f in rows)
    assert len({f.figure_id for f in rows}) == len(rows)


def test_breakdown_that_does_not_add_up():
    text = "مقتل 100 مدني موزعين على المناطق: إدلب 60 مدنيا، حماة 30 مدنيا."
    doc = make_doc(text)
    ents = [ent(doc, "إدلب", "LOC", "idlib"), ent(doc, "حماة", "LOC", "hama")]
    total = next(f for f in figures(doc, entities=ents, timexes=[]) if f.value == 100)
    assert total.consistent is False


def test_parts_after_beinahum_and_siblings():
    rows = figs("أعلنت الأمم المتحدة مقتل 1460 مدنيا، من بينهم 417 طفلا و 289 امرأة.")
    total = rows[0]
    assert [(f.value, f.unit, f.part_of) for f in rows[1:]] == [
        (417, "children", total.figure_id), (289, "women", total.figure_id)]
    assert all(f.quantity == "killed" for f in rows)
    assert total.consistent is None  # parts of another unit are not a breakdown


def test_period_between_and_since():
    text = "قتل 1460 مدنيا في الفترة بين 29 أبريل 2019 إلى 5 يناير 2020."
    doc = make_doc(text)
    times = [tx(doc, "29 أبريل 2019", "2019-04-29"), tx(doc, "5 يناير 2020", "2020-01-05")]
    f = next(figures(doc, entities=[], timexes=times))
    assert (f.period_start, f.period_end) == ("2019-04-29", "2020-01-05")
    text = "نزح 900 ألف شخص منذ مطلع ديسمبر."
    doc = make_doc(text, published="2020-02-20")
    f = next(figures(doc, entities=[], timexes=[tx(doc, "مطلع ديسمبر", "2019-12")]))
    assert (f.period_start, f.period_end) == ("2019-12", "2020-02-20")


def test_source_after_according_to_and_before_a_verb():
    text = "قتل 20 مدنيا في الغارات، بحسب المرصد السوري."
    doc = make_doc(text)
    f = next(figures(doc, entities=[ent(doc, "المرصد السوري", "ORG", "sohr")], timexes=[]))
    assert f.source == "sohr"
    text = "وأن معطيات الأمم المتحدة أشارت إلى مقتل أكثر من ألف و700 شخص."
    doc = make_doc(text)
    f = next(figures(doc, entities=[ent(doc, "الأمم المتحدة", "ORG", "un")], timexes=[]))
    assert f.source == "un"


def test_repeated_fact_is_one_row():
    rows = figs("مقتل 455 مدنيا في إدلب.\nوكان الفريق وثق مقتل 455 مدنيا.")
    assert len(rows) == 1


def test_title_figures_and_spans():
    doc = make_doc("نص المقال.", title="مقتل ٣ أطفال بقصف على إدلب")
    rows = list(figures(doc, entities=[], timexes=[]))
    assert [(f.field, f.value, f.unit) for f in rows] == [("title", 3, "children")]
    assert doc.title[rows[0].start:rows[0].end] == rows[0].surface == "٣ أطفال"


def test_diacritics_and_tatweel_keep_spans_exact():
    text = "أسفرَ القصفُ عن مقتـل ١٢ مدنيًّا وإصابةِ ٣٠ آخرين."
    rows = figs(text)
    assert [(f.value, f.quantity) for f in rows] == [(12, "killed"), (30, "injured")]
    for f in rows:
        assert text[f.start:f.end] == f.surface


def test_seed_004_breakdown(seed_docs):
    doc = next(d for k, d in seed_docs.items() if k.startswith("004"))
    rows = list(figures(doc, entities=[], timexes=[]))
    total = next(f for f in rows if f.value == 455)
    parts = sorted(f.value for f in rows if f.part_of == total.figure_id and f.unit == "civilians")
    assert parts == [2, 11, 108, 334] and total.consistent is True


_PIECES = ["مقتل", "455", "٣", "مدنيا", "أطفال", "بينهم", "طفل", "نحو", "أكثر من", "ألف", "و700", "آلاف",
           "مليون", "3.5", "،", ".", "\n", "إدلب", "كم", "2019-05-01", "الـ12", "مدنيان", "نزوح", "عائلة",
           "“", "”", "قال", "أن", "ً", "ـ", "1,460", "%", "-", "/", "سو-35"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30), st.booleans())
def test_random_text_spans_and_vocabularies(pieces, spaced):
    text = (" " if spaced else "").join(pieces)
    doc = make_doc(text, title=text[:40])
    rows = list(figures(doc, entities=[], timexes=[]))
    assert len({f.figure_id for f in rows}) == len(rows)
    ids = {f.figure_id for f in rows}
    for f in rows:
        assert doc.field_text(f.field)[f.start:f.end] == f.surface
        assert f.quantity in QUANTITIES and f.qualifier in QUALIFIERS
        assert 0 < f.value <= 1e9
        assert f.part_of is None or f.part_of in ids
        assert f.consistent in (None, True, False)


def test_adjective_dual_is_not_a_second_figure():
    assert simple("أعلنت الوزارة مقتل جنديين تركيين.") == [(2, "killed", "soldiers", "exact")]


def test_plots_handle_empty_and_small_tables():
    import matplotlib

    matplotlib.use("Agg")
    from idlibnb.plots import figures as fp
    from idlibnb.tables import Tables, frame

    empty = Tables(**{name: frame(name) for name in ("manifest", "articles", "entities", "places", "timexes",
                                                     "figures", "quotes", "events", "framing", "stories")})
    for lang in ("ar", "en"):
        assert fp.figures_table(empty, label_language=lang).empty
        assert fp.conflicting_claims(empty, label_language=lang).empty
        assert fp.quotes_per_speaker(empty, label_language=lang).empty
        fp.claims_over_time(empty, label_language=lang)
        fp.claims_by_source(empty, label_language=lang)
        fp.speakers_by_outlet_plot(empty, label_language=lang)
    a = make_doc("مقتل 455 مدنيا بين 2 شباط و13 أيار. وقال المرصد إن الوضع صعب جدا.", doc_id="a")
    b = make_doc("مقتل 500 مدني منذ 1 آذار.", doc_id="b")
    ta = [tx(a, "2 شباط", "2019-02-02"), tx(a, "13 أيار", "2019-05-13")]
    tb = [tx(b, "1 آذار", "2019-03-01")]
    rows = list(figures(a, entities=[], timexes=ta)) + list(figures(b, entities=[], timexes=tb))
    from idlibnb.extract.quotes import quotes as get_quotes

    arts = [{"doc_id": d.doc_id, "outlet": o, "outlet_en": None, "published": "2019-05-14", "text": d.text}
            for d, o in ((a, "عنب بلدي"), (b, "الجزيرة"))]
    small = Tables(**{**{name: frame(name) for name in ("manifest", "entities", "places", "timexes",
                                                       "events", "framing", "stories")},
                      "articles": frame("articles", arts), "figures": frame("figures", rows),
                      "quotes": frame("quotes", list(get_quotes(a, entities=[])))})
    table = fp.figures_table(small)
    assert list(table["value"]) == [455, 500]
    side = fp.conflicting_claims(small)
    assert len(side) == 1 and {side.loc[0, "value_a"], side.loc[0, "value_b"]} == {455, 500}
    assert fp.quotes_per_speaker(small).loc[0, "speaker"] == "المرصد"
    fp.claims_over_time(small, label_language="en")
    fp.speakers_by_outlet_plot(small)


def test_bare_singular_joined_to_a_part():
    rows = figs("قتل خمسة مدنيين بينهم طفلان وامرأة في قصف على أريحا.")
    assert [(f.value, f.unit) for f in rows] == [(5, "civilians"), (2, "children"), (1, "women")]
    assert rows[1].part_of == rows[2].part_of == rows[0].figure_id


def test_more_quantity_words_and_qualifier_with_clitic():
    assert simple("وقدرت الأمم المتحدة عدد النازحين بنحو مليون شخص.") == [(1e6, "displaced", "persons", "approx")]
    assert simple("انتشلت فرق الدفاع المدني جثث 7 أشخاص.") == [(7, "killed", "persons", "exact")]


def test_period_during_a_week_or_month():
    text = "وثق المرصد مقتل 120 مدنيا خلال شهر أيار."
    doc = make_doc(text)
    t = Timex(doc.doc_id, "text", text.index("شهر أيار"), text.index("شهر أيار") + 8, "شهر أيار", "2019-05",
              "month", "absolute", None)
    f = next(figures(doc, entities=[], timexes=[t]))
    assert (f.period_start, f.period_end) == ("2019-05", "2019-05")


def test_long_text_without_full_stops_stays_fast():
    import time

    doc = make_doc("مقتل 5 مدنيين بينهم طفل، " * 4000)  # 100k characters, one "sentence"
    t0 = time.perf_counter()
    rows = list(figures(doc, entities=[], timexes=[]))
    assert rows and time.perf_counter() - t0 < 20


def test_boys_and_girls_is_one_count():
    rows = figs("مقتل 455 مدنيًا بينهم 139 طفلًا وطفلة.")
    assert [(f.value, f.unit) for f in rows] == [(455, "civilians"), (139, "children")]


def test_death_toll_named_before_the_number():
    assert simple("وارتفعت حصيلة القتلى جراء القصف إلى 30.") == [(30, "killed", "persons", "exact")]
    assert simple("وارتفع عدد الضحايا المدنيين إلى 45، بحسب الدفاع المدني.") == [(45, "killed", "civilians", "exact")]
    assert simple("وبلغ عدد النازحين أكثر من 900 ألف.") == [(900_000, "displaced", "persons", "more_than")]
    assert simple("وارتفع عدد القتلى منذ عام 2011.") == []


_WP_PIECES = ["قال", "وقال", "بينهم", "ثلاثه", "مقال", "(", ")", "«", "»", '"', "،", ",", ".", ":", "…", "-",
              "/", " ", "  ", "\n", "\u00a0", "x", "5", "ـ"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WP_PIECES), max_size=25))
def test_word_positions_from_the_doc_words_match_the_token_set(pieces):
    # the fast path (the doc's cached word tokens) finds the same offsets as the whitespace-token set,
    # also for a word that only appears inside punctuation no key has ("(قال)", "قال…", "x-قال")
    from idlibnb.extract.figures import _word_keys, _word_positions
    from idlibnb.normalize import word_tokens

    text = "".join(pieces)
    keys = _word_keys({"قال", "بينهم", "ثلاثه"}, "و")
    assert sorted(_word_positions(text, keys, word_tokens(text))) == sorted(_word_positions(text, keys))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["قال", "وقال", "فوقال", "لل", "ل", "ولل", "و", " ", "،", "x", "5", "ا"]), max_size=20),
       st.sets(st.sampled_from(["قال", "وقال", "فوقال", "لل", "ولل", "ل", "ولل"]), min_size=1))
def test_occurrences_of_several_words_in_one_pass(pieces, found):
    # one str.find pass for "قال" also collects "وقال" (and a chain falls back to its own pass)
    from idlibnb.extract.figures import _occurrences, _occurrences_each

    text = "".join(pieces)
    assert _occurrences_each(text, found) == {w: _occurrences(text, w) for w in found}


def test_cp1256_holds_no_decimal_digit_but_ascii():
    # figures._digit_run_starts reads digits from the cp1256 bytes of a text: exact only if so
    held = [c for c in map(chr, range(0x110000)) if c.isdecimal() and c.encode("cp1256", "ignore")]
    assert held == list("0123456789")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789٣۵٥١٠x ولمدنيا،.“”😀", max_size=40))
def test_digit_run_starts_match_the_regex(text):
    from idlibnb.extract.figures import _DIGIT_RUN, _digit_run_starts

    assert _digit_run_starts(text) == [m.start() for m in _DIGIT_RUN.finditer(text)]


_KEY_PIECES = ["قال", "وقال", "بينهم", "ثلاثه", "(", ")", "«", "»", '"', "“", "”", "″", "'", ":", "،", ",", ".",
               ";", "؛", "…", "-", "/", "x", "5", " ", "\n"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_KEY_PIECES), max_size=12))
def test_plain_words_need_no_key_set(pieces):
    # words without punctuation at their ends are looked up without building the punctuated key set,
    # with the same answer; a word with punctuation at an end still uses the set
    from idlibnb.extract.figures import _word_keys, _word_positions
    from idlibnb.normalize import word_tokens

    text = "".join(pieces)
    plain = _word_keys({"قال", "بينهم", "ثلاثه"}, "و")
    assert plain.plain and plain._keys is None
    assert sorted(_word_positions(text, plain, word_tokens(text))) == sorted(_word_positions(text, plain))
    odd = _word_keys({"قال", "x."}, "و")
    assert not odd.plain
    assert sorted(_word_positions(text, odd, word_tokens(text))) == sorted(_word_positions(text, odd))


def test_a_whole_takes_the_casualty_word_of_its_parts():
    # the verb follows the last part, too far from the whole to be read as its own
    rows = simple("قتل في القصف 12 مدنيا على الأقل من عائلة واحدة بينهم 4 أطفال قتلوا في الغارة.")
    assert (12.0, "killed", "civilians", "more_than") in rows
    assert (4.0, "killed", "children", "exact") in rows
    # a whole whose parts say nothing stays what it was
    assert (30.0, "other", "fighters", "exact") in simple("ويضم الفصيل 30 مقاتلا بينهم 5 أجانب.")


def test_a_casualty_word_after_another_number_is_that_numbers():
    rows = simple("وشنت الطائرات غارات على قوة من 500 مقاتل وإن نحو 100 منهم قد قتلوا.")
    assert (500.0, "other", "fighters", "exact") in rows
    assert (500.0, "killed", "fighters", "exact") not in rows


def test_a_dual_joined_by_wa_is_a_figure_not_an_adjective():
    rows = simple("وارتفع عدد القتلى المدنيين إلى 20 بينهم 5 نساء وطفلتان.")
    assert (2.0, "killed", "children", "exact") in rows
    assert [r[:3] for r in simple("وأعلنت الوزارة مقتل جنديين تركيين في القصف.")] == [(2.0, "killed", "soldiers")]


def test_a_civilian_adjective_after_a_casualty_noun_names_the_unit():
    assert simple("سقوط 11 قتيلا مدنيا في غارة على البلدة.") == [(11.0, "killed", "civilians", "exact")]
    assert simple("سقوط 11 قتيلا في غارة على البلدة.") == [(11.0, "killed", "persons", "exact")]


def test_others_are_more_of_what_was_counted_before():
    rows = simple("قتل ثلاثة مدنيين وأصيب آخران في ضربة على الطريق.")
    assert (2.0, "injured", "civilians", "exact") in rows
    assert (10.0, "injured", "persons", "exact") in simple("وأصيب 10 آخرون في الانفجار.")


def test_evacuation_departure_and_contractors():
    assert simple("وتم الاتفاق على إجلاء سبعة آلاف من مقاتليها.") == [(7000.0, "displaced", "fighters", "exact")]
    assert simple("وقالت المنظمة إن 15 ألف شخص غادروا المدينة.") == [(15000.0, "displaced", "persons", "exact")]
    assert simple("وذكر المكتب خروج 20 ألف مدني من البلدات.") == [(20000.0, "displaced", "civilians", "exact")]
    assert simple("وقتل أكثر من 100 من المرتزقة في الضربة.") == [(100.0, "killed", "fighters", "more_than")]


def test_departures_and_casualties_inflicted():
    assert simple("وغادر نحو 30 ألف شخص المدينة مع تواصل الغارات.") == [(30000.0, "displaced", "persons", "approx")]
    assert simple("وأعلن المركز مغادرة 2500 من المسلحين وأقاربهم المخيم.")[0][:3] == (2500.0, "displaced", "fighters")
    assert simple("واستهدفت القذائف أحياء عدة موقعة نحو 20 شخصا.") == [(20.0, "killed", "persons", "approx")]
    assert simple("واستهدفت القذائف أحياء عدة موقعة 20 جريحا.") == [(20.0, "injured", "persons", "exact")]


def test_a_count_after_muqabil_is_of_the_same_kind():
    rows = simple("وقتل في المعارك 60 عنصرا من قوات النظام مقابل 34 مقاتلا من الفصائل.")
    assert [r[:3] for r in rows] == [(60.0, "killed", "fighters"), (34.0, "killed", "fighters")]
    # no casualty word before: nothing to take
    assert [r[1] for r in simple("ويضم الفصيل 60 عنصرا مقابل 34 مقاتلا في الفصيل الآخر.")] == ["other", "other"]


def test_dual_casualty_verbs_died_and_suffocation_cases():
    assert simple("وقالت وسائل الإعلام إن شخصين قتلا في انفجار.") == [(2.0, "killed", "persons", "exact")]
    rows = simple("وأشار المرصد إلى أن 11 شخصا بينهم 4 أطفال توفوا جراء ذلك.")
    assert [r[:3] for r in rows] == [(11.0, "killed", "persons"), (4.0, "killed", "children")]
    assert simple("وأفاد المرصد عن 70 حالة اختناق بين المدنيين.") == [(70.0, "injured", "suffocation_cases", "exact")]


def test_possessive_plurals_and_counted_things():
    rows = simple("وأعلن الجيش مقتل 8 من جنوده وإصابة 13 آخرين بجروح في المعارك.")
    assert [r[:3] for r in rows] == [(8.0, "killed", "soldiers"), (13.0, "injured", "soldiers")]
    assert [r[:3] for r in simple("وسلمت القافلة 247 طنا من المساعدات و2400 طرد غذائي.")] == [
        (247.0, "other", "tons"), (2400.0, "other", "food_parcels")]
    assert [r[2] for r in simple("وسيطر الجيش على 116 نقطة وأقام 12 نقطة مراقبة.")] == ["points", "observation_points"]
    assert simple("وشن التحالف 29 ألفا و358 ضربة منذ بدء عملياته.") == [(29358.0, "other", "strikes", "exact")]


def test_driven_to_flight_after_the_noun():
    assert simple("ودفع تقدم القوات أكثر من مئتي ألف مدني إلى الفرار من المدينة.") == [
        (200000.0, "displaced", "civilians", "more_than")]
    assert simple("وأجبر القصف 160 ألف شخص على النزوح عن منازلهم.") == [(160000.0, "displaced", "persons", "exact")]
    assert [r[:3] for r in simple("وألقى الجيش 12 برميلا متفجرا على ثلاثة مواقع.")] == [
        (12.0, "other", "barrel_bombs"), (3.0, "other", "sites")]


def test_a_relative_clause_names_the_count_that_follows():
    rows = simple("وأفاد بأن عدد المدنيين الذين قتلوا منذ بدء الهجوم ارتفع إلى 1181 شخصا بينهم 244 طفلا.")
    assert [r[:3] for r in rows] == [(1181.0, "killed", "persons"), (244.0, "killed", "children")]
    assert simple("وأعلنت رئاسة الأركان تحييد 3393 إرهابيا منذ بدء العملية.") == [(3393.0, "killed", "fighters", "exact")]


def test_war_news_counted_things_from_the_lexicon():
    # invented sentences: health care, weapons, sites and aid each come with their own unit
    assert simple("وأصيبت 16 مؤسسة صحية و20 مستشفى في الهجمات.") == [
        (16.0, "other", "health_facilities", "exact"), (20.0, "other", "hospitals", "exact")]
    assert simple("ونفذت الطائرات 35 هجمة جوية على البلدة.") == [(35.0, "other", "airstrikes", "exact")]
    assert simple("وقطعت القوات المنطقة إلى 3 جيوب معزولة.") == [(3.0, "other", "pockets", "exact")]
    assert simple("ووزع الهلال الأحمر 3000 بطانية و500 سلة إغاثية.") == [
        (3000.0, "other", "blankets", "exact"), (500.0, "other", "aid_baskets", "exact")]
    assert simple("وتعرض 28 مرفقا طبيا للقصف.") == [(28.0, "other", "medical_facilities", "exact")]


def test_sohr_women_as_muwatina_and_new_casualty_words():
    assert simple("ووثق المرصد مقتل 91 مواطنة في القصف.") == [(91.0, "killed", "women", "exact")]
    assert simple("وأفاد الدفاع المدني بمقتل 4 مسعفين.") == [(4.0, "killed", "paramedics", "exact")]
    assert simple("وقال الجيش إنه أجلي حوالي 5000 شخص من البلدة.") == [(5000.0, "displaced", "persons", "approx")]
    assert simple("وأعلن المرصد تصفية 5 عناصر من التنظيم.") == [(5.0, "killed", "fighters", "exact")]


def test_a_number_with_no_noun_before_bijuruh_counts_the_wounded():
    assert simple("وقتل 19 شخصا وأصيب 28 بجروح في القصف.") == [
        (19.0, "killed", "persons", "exact"), (28.0, "injured", "persons", "exact")]
    # the people counted just before give the unit
    assert simple("وقتل 3 جنود وأصيب 5 بجروح.") == [(3.0, "killed", "soldiers", "exact"), (5.0, "injured", "soldiers", "exact")]


def test_a_number_broken_down_right_after_it_counts_people():
    rows = figs("وقتل أكثر من 40 بينهم 12 طفلا في القصف على المدنيين.")
    assert [(f.value, f.quantity, f.unit) for f in rows] == [(40.0, "killed", "civilians"), (12.0, "killed", "children")]
    assert rows[1].part_of == rows[0].figure_id
    # with no casualty word it is not known what the whole counts: no row for it
    assert [(f.value, f.unit) for f in figs("وقال المرصد إن 1401 بينهم 276 طفلا.")] == [(276.0, "children")]
    # years and durations before بينهم are not counts
    assert figs("وصل في 2017 بينهم وفد.") == []


def test_minhum_after_a_number_is_a_part_with_its_own_casualty_word():
    rows = figs("هاجمت قوة من 500 مقاتل الموقع وقتل نحو 100 منهم في الضربات.")
    assert [(f.value, f.quantity, f.unit) for f in rows] == [(500.0, "other", "fighters"), (100.0, "killed", "fighters")]


def test_a_relative_clause_names_what_a_bare_total_counts():
    assert simple("وقالت الوزارة إن العدد الإجمالي من المدنيين الذين خرجوا من المنطقة بلغ 79 ألفا.") == [
        (79000.0, "displaced", "civilians", "exact")]


def test_the_side_after_min_says_who_a_number_with_no_noun_counts():
    assert simple("ويعتقد أن 39 من المعارضة المسلحة و24 من الجيش السوري قتلوا في المواجهات.") == [
        (39.0, "killed", "fighters", "exact"), (24.0, "killed", "soldiers", "exact")]
    assert figs("وانضم 300 من الفصائل إلى الاتفاق.") == []  # no casualty word: not known what happened


def test_a_toll_of_civilian_victims_makes_its_casualty_noun_civilian():
    assert simple("ليرتفع عدد الضحايا المدنيين إلى 46 قتيلا منذ الشهر الماضي.") == [(46.0, "killed", "civilians", "exact")]


def test_a_singular_place_after_min_is_where_people_come_from_not_what_is_counted():
    assert [(f.value, f.unit) for f in figs("كما هرب نحو 50 ألفا من مدينة عفرين.")] == []
    assert simple("وانسحب المسلحون من 3 أحياء جنوبي العاصمة.") == [(3.0, "other", "neighbourhoods", "exact")]


def test_who_they_were_between_a_count_and_its_casualty_word():
    assert simple("وقال إن 15 مسلحا على الأقل من تنظيم الدولة قتلوا خلال الهجوم.") == [(15.0, "killed", "fighters", "more_than")]
    assert simple("وقال الأطباء إن أكثر من 500 شخص عولجوا من أعراض الاختناق.") == [(500.0, "injured", "persons", "more_than")]
    assert simple("وقد أودت الحرب بأرواح نحو نصف مليون شخص.") == [(500000.0, "killed", "persons", "approx")]


def test_a_word_list_with_words_of_several_words_still_takes_the_doc_words_path():
    from idlibnb.extract.figures import _word_keys, _word_positions
    from idlibnb.normalize import word_tokens

    keys = _word_keys(["حالتان", "حالتان اختناق", "a،b"], "و")
    assert keys.plain and keys.bare == {"حالتان", "وحالتان"}  # no token is ever two words
    norm = "سجلت وحالتان اختناق، وحالتان."
    assert sorted(_word_positions(norm, keys, word_tokens(norm))) == sorted(_word_positions(norm, keys)) == [5, 21]


def test_quantity_words_are_read_only_in_windows_a_candidate_can_read_from():
    from idlibnb.extract.figures import _Cand, _Noun, _windows_read

    person = _Noun("civilians", None, "person", "pl", "مدني")
    killed = person._replace(quantity="killed")
    windows = [[0, 200], [300, 500], [600, 800]]
    cands = [_Cand(100, 110, 100, 5.0, killed), _Cand(400, 410, 400, 3.0, person)]
    assert _windows_read(windows, cands) == [[300, 500]]  # the first names its own quantity
    overlapping = [[0, 200], [150, 400]]
    assert _windows_read(overlapping, cands) == overlapping  # not disjoint: every window, as before
