"""Quotes: direct and indirect speech, speakers (named, described, implicit), cues, spans."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from idlibnb.doc import Doc
from idlibnb.extract.entities import Entity
from idlibnb.extract.quotes import KINDS, Quote, quotes
from idlibnb.parse import split_sentences


def make_doc(text: str, title: str = "", doc_id: str = "d1") -> Doc:
    return Doc(doc_id, f"{doc_id}.txt", title, text, sentences=split_sentences(text))


def ent(doc: Doc, surface: str, label: str, entity_id: str, field: str = "text") -> Entity:
    start = doc.field_text(field).index(surface)
    return Entity(doc.doc_id, field, start, start + len(surface), surface, label, entity_id,
                  surface, None, None, None, None, "lexicon")


def qs(text: str, entities=(), title: str = "") -> list[Quote]:
    return list(quotes(make_doc(text, title=title), entities=list(entities)))


def test_indirect_after_cue_with_named_speaker():
    [q] = qs("وأعلنت وزارة الدفاع الروسية أن شويغو ناقش مع الأسد قضايا ضمان وقف مستقر.")
    assert (q.speaker, q.cue, q.kind) == ("وزارة الدفاع الروسية", "أعلنت", "indirect")
    assert q.content.startswith("شويغو ناقش")


def test_direct_quote_content_excludes_the_marks():
    text = 'وقالت سانا "حضر اللقاء عدد من المسؤولين الروس".'
    [q] = qs(text)
    assert (q.speaker, q.cue, q.kind, q.content) == ("سانا", "قالت", "direct", "حضر اللقاء عدد من المسؤولين الروس")
    assert text[q.start:q.end] == q.content


def test_mixed_marks_and_implicit_speakers():
    text = ("وقال المركز في بيان أن “الدورية المشتركة كانت بمحيط الطريق الدولي، لافتاً الى أنه” لضمان "
            "أمن المشاركين في الدورية تم تقليص مسار الدورية”. وكشف أن”تركيا تعهدت بتصفية الجماعات المتطرفة”.")
    rows = qs(text)
    assert [(q.speaker, q.cue, q.kind) for q in rows] == [
        ("المركز", "قال", "direct"), ("المركز", "لافتاً", "direct"), ("المركز", "كشف", "direct")]
    assert rows[0].content.startswith("الدورية المشتركة")
    assert rows[1].content.strip().startswith("لضمان أمن")
    assert rows[2].content.startswith("تركيا تعهدت")


def test_double_prime_closes_a_quote():
    text = "وأكد أوغلو أنه “إذا لم نستطع منع هذه الكوارث في مصدرها فالكل سيعاني″، ثم غادر."
    [q] = qs(text)
    assert q.kind == "direct" and q.content.endswith("سيعاني")


def test_unbalanced_mark_does_not_swallow_the_article():
    text = "وقال المتحدث إن “الوضع صعب جدا في المنطقة\n" + "فقرة أخرى طويلة. " * 200
    [q] = qs(text)
    assert "فقرة أخرى" not in q.content


def test_pronoun_subject_takes_previous_speaker():
    text = ("بدورها أفادت رئاسة النظام السوري في بيان، أن المحادثات تناولت الاتفاقات.\n"
            "وأوضحت أنه تم التركيز على آليات تنفيذ هذه الاتفاقيات.")
    rows = qs(text)
    assert [(q.speaker, q.cue) for q in rows] == [("رئاسة النظام السوري", "أفادت"), ("رئاسة النظام السوري", "أوضحت")]


def test_participle_cue_and_described_source():
    text = ("أكدت مصادر عسكرية من فصائل الثوار لشبكة شام، رصدها حشود عسكرية كبيرة، لافتة إلى أن هذه "
            "التعزيزات هدفها شن عملية عسكرية.")
    rows = qs(text)
    assert [q.cue for q in rows] == ["أكدت", "لافتة"]
    assert all(q.speaker.startswith("مصادر عسكرية") for q in rows)
    assert rows[0].end <= rows[1].start  # the first stops where the next cue begins


def test_speaker_id_from_entities_and_person_over_role():
    text = "رأى وزير الخارجية التركية مولود تشاووش أوغلو أن محافظة إدلب تحولت إلى قطاع غزة جديد."
    doc = make_doc(text)
    [q] = quotes(doc, entities=[ent(doc, "مولود تشاووش أوغلو", "PER", "mevlut_cavusoglu")])
    assert (q.speaker, q.speaker_id) == ("مولود تشاووش أوغلو", "mevlut_cavusoglu")


def test_apposition_names_the_speaker():
    [q] = qs("وأكد وزير الدفاع التركي، خلوصي أكار، في تصريحات صحافية نقلتها وكالة الأناضول أن المباحثات إيجابية.")
    assert (q.speaker, q.cue) == ("خلوصي أكار", "أكد")


def test_verbal_noun_object_and_coordinated_speakers():
    [q] = qs("وفي مايو 2017، أعلنت تركيا وروسيا وإيران التوصل إلى اتفاق منطقة خفض التصعيد بإدلب.")
    assert q.speaker == "تركيا وروسيا وإيران" and q.content.startswith("التوصل")
    [q] = qs("وأمس الخميس، أعلنت وزارة الدفاع الروسية وقف إطلاق نار في محافظة إدلب.")
    assert q.speaker == "وزارة الدفاع الروسية" and q.content.startswith("وقف إطلاق")


def test_according_to_attribution():
    text = "كما بحث الأسد وشويغو “الوضع في منطقة الجزيرة والخطوات المتخذة”، بحسب البيان."
    [q] = qs(text)
    assert (q.speaker, q.cue, q.kind) == ("البيان", "بحسب", "indirect")
    assert q.content.startswith("كما بحث الأسد")
    assert qs("وقف إطلاق النار يبدأ منتصف الليل، وفق التوقيت المحلي.") == []


def test_distanced_name_as_speaker():
    [q] = qs('وكان أعلن ما سمي "المركز الروسي للمصالحة في سوريا"، أنه لم يرصد أي خرق لنظام وقف إطلاق النار.')
    assert q.speaker.startswith("المركز الروسي") and q.content.startswith("لم يرصد")


def test_title_quote():
    doc = make_doc("نص.", title="روسيا تؤكد أن المباحثات مع تركيا حول إدلب كانت بناءة")
    [q] = quotes(doc, entities=[])
    assert (q.field, q.speaker, q.cue) == ("title", "روسيا", "تؤكد")
    assert doc.title[q.start:q.end] == q.content


def test_no_speaker_no_quote_and_impersonal_forms():
    assert qs("يذكر أن تركيا أقامت 12 نقطة مراقبة.") == []
    assert qs("قال إن الوضع صعب.") == []  # nobody has spoken before: no speaker


_PIECES = ["قال", "وقال", "أكدت", "الوزارة", "المركز", "أن", "إن", "“", "”", '"', "″", "«", "»", "،", ".",
           "\n", "لافتا", "إلى", "بحسب", "البيان", "الوضع", "صعب", "جدا", "ً", "ـ", ":", "ما سمي"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.booleans())
def test_random_text_spans_and_vocabularies(pieces, spaced):
    text = (" " if spaced else "").join(pieces)
    doc = make_doc(text, title=text[:30])
    for q in quotes(doc, entities=[]):
        assert doc.field_text(q.field)[q.start:q.end] == q.content
        assert q.kind in KINDS and q.content.strip()
        assert q.speaker


def test_nested_report_keeps_the_statements_speaker():
    [q] = qs("ونقلت وكالة الأناضول عن مصادر عسكرية قولها إن تعزيزات جديدة وصلت إلى نقاط المراقبة.")
    assert q.speaker == "مصادر عسكرية" and q.content.startswith("تعزيزات")


def test_leading_attribution_and_kana_qad():
    [q] = qs("وبحسب مصادر محلية، فإن الطائرات الحربية استهدفت سوقا شعبيا في مدينة سراقب.")
    assert (q.speaker, q.cue) == ("مصادر محلية", "بحسب") and q.content.startswith("الطائرات")
    [q] = qs("وكان مسؤول تركي قد قال لرويترز إن أنقرة لن تسحب قواتها.")
    assert q.speaker == "مسؤول تركي" and q.content.startswith("أنقرة")


def test_cue_after_the_quote():
    text = "«نحن لن نغادر إدلب أبدا»، قال وزير الدفاع التركي خلوصي أكار للصحفيين."
    [q] = qs(text)
    assert q.kind == "direct" and q.content == "نحن لن نغادر إدلب أبدا"
    assert "خلوصي أكار" in q.speaker


def test_verbal_nouns_of_cue_verbs_are_not_cues():
    assert qs("وقال مصدر طلب عدم ذكر اسمه إن الهجوم فشل.")[0].speaker == "مصدر"


def test_headline_quote_needs_a_person_or_body():
    doc = make_doc("نص.", title="أردوغان: لن نسمح بموجة نزوح جديدة من إدلب")
    [q] = quotes(doc, entities=[ent(doc, "أردوغان", "PER", "erdogan", field="title")])
    assert (q.speaker_id, q.kind, q.content) == ("erdogan", "direct", "لن نسمح بموجة نزوح جديدة من إدلب")
    doc = make_doc("نص.", title="إدلب: مقتل 5 مدنيين بقصف روسي")
    assert list(quotes(doc, entities=[ent(doc, "إدلب", "LOC", "idlib", field="title")])) == []


def test_speaker_after_bism_and_marks_dropped_from_speaker():
    [q] = qs("في حين نفى المتحدث باسم وزارة الدفاع الروسية إيغور كوناشينكوف وجود أي ضربات على مناطق مدنية.")
    assert q.speaker.startswith("المتحدث باسم وزارة الدفاع الروسية")
    [q] = qs('وأفاد مراسل "نداء سوريا" بأن الطائرات الروسية قصفت بلدة كفرنبل.')
    assert q.speaker == "مراسل نداء سوريا"


def test_long_text_of_quotes_stays_fast():
    import time

    doc = make_doc("“ قال ″ المركز إن الوضع صعب، " * 3000)
    t0 = time.perf_counter()
    list(quotes(doc, entities=[]))
    assert time.perf_counter() - t0 < 20


_SEARCH_PIECES = ["ان", "انه", "بان", "وانها", "انتشار", "وانهما", "هن", "ها", "²", "الي", "علي", "عن", "ب", "و", "ف", " ", "  ", "\n", ":", "كان",
                  "كانت", "وكان", "قد", "x", "،", ".", "!", "؟", "?", "ه", "بيان", "عدم", "دون", "قال", "5"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_SEARCH_PIECES), max_size=25), st.integers(0, 80), st.integers(0, 80))
def test_fast_searches_find_what_their_regexes_find(pieces, a, b):
    import re

    from idlibnb.extract.quotes import _COMP, _KANA_QAD, _SENT_END, _comp_search, _kana_qad_search, _negated

    text = "".join(pieces)
    lo, hi = sorted((a, b))

    def span(m):
        return m.span() if m else None

    assert span(_comp_search(text, lo, hi)) == span(_COMP.search(text, lo, hi))
    assert span(_kana_qad_search(text, lo, hi)) == span(_KANA_QAD.search(text, lo, hi))
    assert span(_SENT_END.search(text, lo, hi)) == span(re.compile(r"[.!؟?](?=\s|$)|\n").search(text, lo, hi))
    old = re.compile(r"(?:عدم|رفض|دون|بعد|قبل)\s+$")
    assert _negated(text, hi) == bool(old.search(text, max(0, hi - 8), hi))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["قال", " ", ".", "!", "؟", "\n", "x", ".x", "،"]), max_size=20), st.integers(2, 12))
def test_a_sentence_end_found_before_the_window_edge_holds_for_later_cues(pieces, window):
    # _field_quotes reuses the last sentence end for a cue before it (the search started earlier)
    import importlib

    q = importlib.import_module("idlibnb.extract.quotes")
    text = "".join(pieces)
    old, q._MAX_SENTENCE = q._MAX_SENTENCE, window  # a small window reaches its edge in short texts
    try:
        for i0 in range(len(text) + 1):
            sm = q._SENT_END.search(text, i0, i0 + window)
            if sm and sm.start() <= i0 + window - 2:
                assert all(q._sentence_end(text, ce) == sm.start() for ce in range(i0, sm.start() + 1))
    finally:
        q._MAX_SENTENCE = old


def test_according_to_what_a_source_reported_closes_the_clause_before():
    [q] = qs("قتل تسعة مدنيين في قصف على البلدة، وفق ما أفاد المرصد السوري.")
    assert (q.speaker, q.cue) == ("المرصد السوري", "وفق")
    assert q.content.startswith("قتل تسعة مدنيين")
    # no comma before the attribution
    [q] = qs("وقتل خلالها عشرون من المهاجمين وفق وزارة الدفاع.")
    assert (q.speaker, q.content) == ("وزارة الدفاع", "وقتل خلالها عشرون من المهاجمين")


def test_an_attribution_in_mid_sentence_closes_the_clause_before_it():
    [q] = qs("وقتل عشرة مدنيين في غارة على المشفى، بحسب المرصد، الأمر الذي نفاه الجيش.")
    assert (q.speaker, q.cue) == ("المرصد", "بحسب")
    assert q.content.startswith("وقتل عشرة مدنيين")
    # behind و it opens what follows instead: the clause before is no quote
    rows = qs("وتوسعت المعارك في الريف، ووفقا لوزارة الدفاع، تم قصف مواقع المسلحين بالمدفعية الثقيلة.")
    assert not any(q.content.startswith("وتوسعت") for q in rows)


def test_official_figures_are_a_source():
    [q] = qs("ووفق الأرقام الرسمية، قتل عشرون جنديا منذ بداية التدخل في البلاد.")
    assert (q.speaker, q.cue) == ("الأرقام الرسمية", "وفق")
    assert q.content.startswith("قتل عشرون جنديا")


def test_the_subject_of_kana_without_qad():
    rows = qs("وقال ناشطون إن القصف مستمر على البلدات. "
              "وكان رئيس الأركان اللواء سعيد أحمد قال إن الجيش سيلتزم بالقرار، ولكنه اعتبر أن بعض المناطق خارج الهدنة.")
    assert [(q.speaker, q.cue) for q in rows] == [
        ("ناشطون", "قال"), ("رئيس الأركان اللواء سعيد أحمد", "قال"), ("رئيس الأركان اللواء سعيد أحمد", "اعتبر")]


def test_a_conjunction_is_no_speaker():
    rows = qs("وقال البيان إن المستشفيات استقبلت الجرحى. ولم يذكر البيان عدد الضحايا، بل أشار إلى أن عشرات أصيبوا.")
    assert [q.speaker for q in rows] == ["البيان", "البيان"]


def test_amma_names_the_speaker_of_a_fa_cue():
    rows = qs("وقال مدير المرصد إن الغارة أصابت المستشفى. أما سمير خالد، أحد مسؤولي الهلال الأحمر، "
              'فقال "تعرضت المدينة لقصف كثيف خلال النهار". وأضاف "إنه المستشفى الوحيد العامل في المدينة".')
    assert [q.speaker for q in rows] == ["مدير المرصد", "سمير خالد", "سمير خالد"]


def test_a_long_described_source_before_qawluhu():
    [q] = qs("ونقلت الوكالة عن أحمد سالم المتحدث باسم غرفة العمليات المركزية للجيش الحر في جنوبي البلاد "
             "قوله إن الهيئة عقدت اجتماعا مع المسؤولين.")
    assert q.speaker.startswith("أحمد سالم")


def test_afada_with_a_verbal_noun_reports():
    [q] = qs("وأفاد المرصد السوري بمقتل 12 مدنيا في القصف على البلدة.")
    assert (q.speaker, q.cue, q.kind) == ("المرصد السوري", "أفاد", "indirect")
    assert "مقتل 12 مدنيا" in q.content
    [q] = qs("كما أفاد المرصد عن 70 حالة اختناق بين المدنيين في الأقبية.")
    assert q.content.startswith("70 حالة اختناق")


def test_hasabama_closes_the_clause_before():
    [q] = qs("وقد نزح أكثر من 12 ألف شخص من المحافظة، حسبما أعلن المرصد السوري الخميس.")
    assert q.speaker == "المرصد السوري"
    assert q.content.startswith("وقد نزح أكثر من 12 ألف")


def test_kana_qad_around_an_apposition():
    [q] = qs("وكان رئيس الوزراء المكلف، سعد الحريري، الذي يعارض الحكومة قد أوضح أن لبنان ضد العودة القسرية.")
    assert "سعد الحريري" in q.speaker and q.content.startswith("لبنان ضد العودة")


def test_a_quoted_name_after_a_role_is_part_of_the_speaker():
    [q] = qs('وقال رئيس "المركز الروسي للمصالحة بين الأطراف"، الجنرال سمير علي، في تصريحات: '
             '"ننفي بشدة هذه المعلومات".')
    assert q.speaker.startswith("رئيس") and "المركز الروسي" in q.speaker
    assert (q.kind, q.content) == ("direct", "ننفي بشدة هذه المعلومات")


def test_a_verbal_noun_after_bi_ends_the_speaker():
    [q] = qs("وأفادت وسائل إعلام سورية بسقوط قتلى وجرحى في غارة على موقع عسكري.")
    assert q.speaker == "وسائل إعلام سورية"
    assert "سقوط قتلى وجرحى" in q.content


def test_the_verb_of_a_closing_attribution_is_no_cue():
    [q] = qs("ودخلت قافلة المساعدات إلى البلدة الجمعة، وفق ما أفادت المتحدثة باسم اللجنة الدولية في دمشق، سلمى علي.")
    assert (q.cue, q.content) == ("وفق", "ودخلت قافلة المساعدات إلى البلدة الجمعة")
    assert q.speaker.startswith("المتحدثة باسم اللجنة")
    # at a sentence start "وبحسب ما صرحت" still introduces what follows
    [q] = qs("وبحسب ما صرحت وزارة الدفاع فإن الوزيرين بحثا الوضع في المنطقة.")
    assert (q.speaker, q.cue) == ("وزارة الدفاع", "صرحت")


def test_warned_that_and_a_source_with_commas_before_qawluhu():
    [q] = qs("يذكر أن الأمم المتحدة حذرت من أن قافلة المساعدات معرضة للخطر.")
    assert (q.speaker, q.content) == ("الأمم المتحدة", "قافلة المساعدات معرضة للخطر")
    [q] = qs("ونقلت الوكالة عن الرائد سامي، المتحدث باسم القيادة المركزية، قوله إن التحالف لم ينفذ أي غارات.")
    assert q.speaker.startswith("الرائد سامي")


def test_a_quote_on_the_line_before_is_not_the_next_cues():
    rows = qs('وزعمت الوكالة أن المسلحين "منعوا المدنيين من الخروج."\nوقالت المنظمة إن ألف شخص قتلوا في الغوطة.')
    assert [(q.speaker, q.content) for q in rows][-1] == ("المنظمة", "ألف شخص قتلوا في الغوطة")


def test_kana_without_qad_before_a_verbal_noun():
    [q] = qs("وكانت اللجنة الدولية أعلنت الخميس إرجاء قافلة المساعدات إلى البلدة.")
    assert q.speaker == "اللجنة الدولية" and "إرجاء قافلة" in q.content
    assert [q.speaker for q in qs("النظام السوري كان قد نفى تلك المزاعم بشدة.")] != ["قد"]


def test_a_closing_attribution_to_a_role_takes_the_name_after_it():
    [q] = qs("وسيطرت القوات على وسط المدينة صباح اليوم، وفق ما أعلن الرئيس التركي سليم داود الأحد.")
    assert (q.speaker, q.cue) == ("الرئيس التركي سليم داود", "وفق")
    assert q.content.startswith("وسيطرت القوات")


def test_a_quoted_name_after_an_organisation_head_is_part_of_the_speaker():
    [q] = qs('وذكرت منظمة "أطباء بلا حدود الدولية" أنها استقبلت 770 قتيلا في مرافقها.')
    assert q.speaker.startswith("منظمة") and q.content.startswith("استقبلت 770 قتيلا")


def test_amma_without_a_comma_and_state_media_as_a_source():
    rows = qs("وقالت الوزارة إن الهجوم وقع ليلا. أما المرصد السوري ومقره لندن فأكد أن التنظيم شن هجوما على الموقع.")
    assert [q.speaker for q in rows] == ["الوزارة", "المرصد السوري ومقره لندن"]
    [q] = qs("واستعادت القوات المنطقة بعد انتهاء الإجلاء، حسب ما أعلن الإعلام الحكومي الأربعاء، في تطور لافت.")
    assert (q.speaker, q.cue) == ("الإعلام الحكومي", "حسب")


def test_closing_attributions_after_a_quotation_mark_and_with_an_imperfect_verb():
    [q] = qs('وتعاني المدينة من وضع "إنساني مأساوي" وفق ما قال مسؤولون أكراد، وزاد القصف خشية السكان.')
    assert (q.speaker, q.cue) == ("مسؤولون أكراد", "وفق") and q.content.startswith("وتعاني المدينة")
    [q] = qs("ويتحصن المقاتلون في المدينة للدفاع عنها، وفق ما يقول مدير المرصد.")
    assert q.speaker == "مدير المرصد" and q.content.startswith("ويتحصن المقاتلون")
    # a parenthetical source inside a count ("، 77 حالة") closes nothing
    assert qs("ومن بين تلك الحالات وفق الأمم المتحدة، 77 حالة طارئة تعد أولوية.") == []


def test_an_accusation_object_is_no_quote_and_a_bi_report_has_no_speaker_after_the_cue():
    assert qs("وكانت دمشق اتهمت إسرائيل في التاسع من الشهر بشن غارة جوية على المطار.") == []
    [q] = qs("وأفادت تقارير بقتل 14 مدنيا بسبب غارات شنتها القوات الحكومية ليلا.")
    assert q.speaker == "تقارير" and "قتل 14 مدنيا" in q.content
    rows = qs("وسحبت دمشق تقارير نشرتها أفادت بتعرض أراضيها لاعتداء صاروخي ليلا.")
    assert all(not q.speaker.startswith("بتعرض") for q in rows)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["قال", " ", ".", "!", "؟", "\n", "x", "،"]), max_size=30), st.integers(0, 40),
       st.integers(2, 12))
def test_sentence_start_is_the_last_end_before_it(pieces, i, window):
    # the searches after the first one only look past the end found so far: same start as the max of all
    import importlib

    q = importlib.import_module("idlibnb.extract.quotes")
    text = "".join(pieces)
    i = min(i, len(text))
    old, q._MAX_SENTENCE = q._MAX_SENTENCE, window  # a small window reaches its edge in short texts
    try:
        lo = max(0, i - window)
        j = max(text.rfind(c, lo, i) for c in ".\n؟!")
        assert q._sentence_start(text, i) == (j + 1 if j >= 0 else lo)
    finally:
        q._MAX_SENTENCE = old
