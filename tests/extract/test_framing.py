"""Framing terms, their targets and frames, voice, distancing markers (idlibnb.extract.framing)."""
from __future__ import annotations

import pytest

from idlibnb.doc import Doc
from idlibnb.extract.framing import FRAMES, TARGETS, Frame, FramingLexicon, framing
from idlibnb.extract.quotes import Quote
from idlibnb.lexicon import LexiconError
from idlibnb.parse import split_sentences
from idlibnb.tables import SCHEMAS

SYRIA = " في سوريا."  # the generic words (النظام، المعارضة …) count only in an article about Syria


def make(text: str, title: str = "") -> Doc:
    return Doc("t", "t.txt", title, text, sentences=split_sentences(text))


def rows(text: str, title: str = "", quotes=()) -> list[Frame]:
    return list(framing(make(text, title), quotes=list(quotes)))


def frames(text: str, **kw) -> list[tuple[str, str, str, str]]:
    return [(r.surface, r.target, r.frame, r.voice) for r in rows(text, **kw)]


def test_fields_are_the_table_columns():
    assert list(Frame._fields) == list(SCHEMAS["framing"])


def test_shipped_lexicon_loads_with_every_vocabulary_value():
    lex = FramingLexicon.pretrained()
    assert len(lex.terms) > 100
    assert set(FRAMES) == {"regime", "state", "terrorist", "rebel", "opposition", "armed_group",
                           "occupier", "guarantor", "distancing"}
    assert set(TARGETS) == {"government", "opposition", "russia", "turkey"}


@pytest.mark.parametrize("text,surface,target,frame", [
    ("قصفت قوات النظام مدينة إدلب", "قوات النظام", "government", "regime"),
    ("التقى رئيس النظام السوري بشار الأسد", "رئيس النظام السوري", "government", "regime"),
    ("واصل نظام بشار الأسد هجماته في إدلب", "نظام بشار الأسد", "government", "regime"),
    ("خرقته قوات الأسد مرارا", "قوات الأسد", "government", "regime"),
    ("هاجمت الميليشيات الموالية للنظام القرية في ريف حلب", "الميليشيات الموالية للنظام", "government", "regime"),
    ("تقدم الجيش العربي السوري في ريف إدلب", "الجيش العربي السوري", "government", "state"),
    ("مواقع قوات الحكومة السورية في إدلب", "قوات الحكومة السورية", "government", "state"),
    ("شن إرهابيو هيئة تحرير الشام هجوما في إدلب", "إرهابيو", "opposition", "terrorist"),
    ("أكدت فصائل الثوار في إدلب", "فصائل الثوار", "opposition", "rebel"),
    ("ورفضتها فصائل المعارضة في إدلب", "فصائل المعارضة", "opposition", "opposition"),
    ("عملية ضد المجموعات المسلحة في إدلب", "المجموعات المسلحة", "opposition", "armed_group"),
    ("ندد الأهالي بالاحتلال الروسي في إدلب", "الاحتلال الروسي", "russia", "occupier"),
    ("طالب الأهالي الضامن التركي في إدلب", "الضامن التركي", "turkey", "guarantor"),
])
def test_terms(text, surface, target, frame):
    got = frames(text)
    assert (surface, target, frame, "narrator") in got


def test_longest_match_first_and_clitics():
    got = frames("وقصفت لقوات النظام مواقع. وقال للنظام السوري" + SYRIA)
    assert ("قوات النظام", "government", "regime", "narrator") in got
    assert [g[0] for g in got] == ["قوات النظام", "للنظام السوري"]


def test_surface_slices_the_original_text_with_diacritics():
    doc = make("قصفتْ قُوّاتُ النّظامِ إدلب")
    for r in framing(doc, quotes=[]):
        assert doc.field_text(r.field)[r.start:r.end] == r.surface
    assert [r.frame for r in framing(doc, quotes=[])] == ["regime"]


def test_title_field():
    got = rows("خبر عن إدلب.", title="قوات النظام تقصف إدلب")
    assert [(r.field, r.surface) for r in got] == [("title", "قوات النظام")]


@pytest.mark.parametrize("text", [
    "طالب بتغيير النظام الدولي" + SYRIA,
    "انتقد النظام الإيراني الاتفاق" + SYRIA,
    "وعاد الأمن والنظام إلى المدينة" + SYRIA,
    "قاتلت قوات النظام والمسلحين الموالين لها",
])
def test_false_friends(text):
    got = frames(text)
    assert not [g for g in got if g[0] in ("النظام", "والنظام") or g[2] == "armed_group"]


def test_generic_words_need_an_article_about_syria():
    assert frames("اشتبكت القوات الحكومية مع الحوثيين في صنعاء") == []
    assert frames("اشتبكت القوات الحكومية مع المعارضة في حلب")[0][:3] == ("القوات الحكومية", "government", "state")
    # a title counts as part of the article
    assert rows("اشتبكت القوات الحكومية مع المسلحين", title="معارك في ريف دمشق")


def test_free_syrian_army_is_not_the_state():
    got = frames("هاجم الجيش السوري الحر مواقع في حلب")
    assert got[0][:3] == ("الجيش السوري الحر", "opposition", "rebel")


def test_voice_from_quotes():
    text = "وشدد اللواء مملوك على أن الدولة السورية مصممة على تحرير إدلب. وقصفت قوات النظام القرى."
    s = text.index("الدولة")
    q = Quote("t", "text", s, text.index("."), "اللواء مملوك", None, "شدد", text[s:text.index(".")], "indirect")
    got = frames(text, quotes=[q])
    assert ("الدولة السورية", "government", "state", "quoted") in got
    assert ("قوات النظام", "government", "regime", "narrator") in got


def test_voice_between_quotation_marks():
    got = frames("وقال إن “الدولة السورية ستستعيد إدلب” بينما تقصف قوات النظام")
    assert ("الدولة السورية", "government", "state", "quoted") in got
    assert ("قوات النظام", "government", "regime", "narrator") in got


def test_quote_ends_at_in_his_words():
    text = ("وأعلن المركز أنه لم يرصد خرقا من قبل الفصائل المسلحة وفق تعبيره، في وقت لم يتطرق "
            "لانتهاكات النظام المستمرة في إدلب.")
    q = Quote("t", "text", text.index("لم يرصد"), len(text) - 1, "المركز", None, "أعلن",
              text[text.index("لم يرصد"):-1], "indirect")
    got = frames(text, quotes=[q])
    assert ("الفصائل المسلحة", "opposition", "armed_group", "quoted") in got
    assert ("النظام", "government", "regime", "narrator") in got


def test_quotes_computed_when_not_given():
    doc = make("قصفت قوات النظام إدلب")
    assert [r.frame for r in framing(doc)] == ["regime"]


@pytest.mark.parametrize("text,marker,target", [
    ("وكان أعلن ما سمي \"المركز الروسي للمصالحة في سوريا\" أنه لم يرصد خرقا", "ما سمي", "russia"),
    ("من قبل الفصائل المسلحة الموالية لتركيا وفق تعبيره في إدلب", "وفق تعبيره", "opposition"),
    ("وما أسمتها انتهاكات التنظيمات الإرهابية في إدلب", "ما أسمتها", "opposition"),
    ("داخل الأراضي السورية بزعم مكافحة الإرهاب", "بزعم", "opposition"),
])
def test_distancing_markers_take_the_target_they_distance(text, marker, target):
    got = [g for g in frames(text) if g[2] == "distancing"]
    assert (marker, target, "distancing", "narrator") in got


def test_distancing_marker_with_nothing_in_scope_is_dropped():
    assert frames("وقال بزعم أن الطقس جميل اليوم") == []


def test_scare_quotes_distance_the_term():
    text = "وسيطر ما يصفها بـ«الثوار» على القرية في إدلب"
    got = rows(text)
    scare = [r for r in got if r.frame == "distancing" and r.surface == "«الثوار»"]
    assert scare and scare[0].target == "opposition"
    assert ("الثوار", "rebel", "quoted") in [(r.surface, r.frame, r.voice) for r in got]


def test_ambiguous_guarantor_resolved_from_the_sentence():
    got = frames("دعا الأهالي الضامن إلى وقف هجمات روسيا في إدلب")
    assert ("الضامن", "russia", "guarantor", "narrator") in got


def test_no_terms_no_rows_and_empty_doc():
    assert rows("فاز الفريق بهدفين في الدوحة") == []
    assert list(framing(Doc("e", "e.txt", "", ""), quotes=[])) == []


def test_rows_sorted_and_unique_keys():
    got = rows("قوات النظام و«الثوار» والمعارضة في إدلب", title="النظام السوري يقصف")
    keys = [(r.field, r.start) for r in got]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


def test_user_lexicon_overrides_and_errors(tmp_path):
    extra = tmp_path / "mine.tsv"
    extra.write_text("term\ttarget\tframe\tnote\nالعصابات الأسدية\tgovernment\tregime\tmine\n", encoding="utf-8")
    lex = FramingLexicon.pretrained([str(extra)])
    got = list(framing(make("هاجمت العصابات الأسدية القرية"), quotes=[], lexicon=lex))
    assert [(r.surface, r.frame) for r in got] == [("العصابات الأسدية", "regime")]
    bad = tmp_path / "bad.tsv"
    bad.write_text("term\ttarget\tframe\tnote\nفلان\tgovernment\tterrorist\tx\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="bad.tsv:2"):
        FramingLexicon.from_files([str(bad)])


def test_bare_regime_needs_syria_nearby():
    far = "انتقد الناس حملات النظام ضد الصحفيين في أنقرة. " + "وتحدث عن الاقتصاد والانتخابات والليرة. " * 12
    text = far + "وكان قد دعم المعارضة في سوريا."
    assert "النظام" not in [r.surface for r in rows(text)]
    assert "النظام" in [r.surface for r in rows("قصف النظام ريف إدلب. " + far)]


def test_interim_government_is_the_opposition():
    got = frames("أعلنت الحكومة السورية المؤقتة في إدلب")
    assert got[0][:3] == ("الحكومة السورية المؤقتة", "opposition", "opposition")


def test_spelling_variants_of_militias():
    assert frames("قصفت مليشيات الأسد القرية")[0][2] == "regime"
