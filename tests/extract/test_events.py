"""Reported events (idlibnb.extract.events) on documents built here, with hand-made entities."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idlibnb.doc import Doc
from idlibnb.extract.dates import timexes
from idlibnb.extract.entities import Entity
from idlibnb.extract.events import EVENT_TYPES, Event, events
from idlibnb.gazetteer import Place
from idlibnb.parse import split_sentences
from idlibnb.tables import SCHEMAS


def make(text: str, published: str | None = "2020-03-23") -> Doc:
    return Doc("t", "t.txt", "", text, sentences=split_sentences(text), published=published)


def ent(text: str, surface: str, label: str, entity_id: str, side: str | None = None) -> Entity:
    start = text.index(surface)
    return Entity("t", "text", start, start + len(surface), surface, label, entity_id, surface, None,
                  None, side, None, "lexicon")


class FakeGazetteer:
    def get(self, entity_id):
        if entity_id == "damascus":
            return Place("damascus", "دمشق", "Damascus", "city", 33.51, 36.29, "Damascus", "point", "test")
        return None


def run(text: str, published: str | None = "2020-03-23", entities=()):
    doc = make(text, published)
    return list(events(doc, entities=list(entities), timexes=list(timexes(doc)), gazetteer=FakeGazetteer()))


def types(text: str, published: str | None = "2020-03-23") -> set:
    return {e.event_type for e in run(text, published)}


def test_fields_are_the_table_columns():
    assert list(Event._fields) == list(SCHEMAS["events"])


def test_trigger_inflections_and_codes():
    rows = {e.event_type: e for e in run(
        "وقصفت قوات النظام بلدة كفرنبل. وشنت الطائرات غارات جوية على المدينة. "
        "وأجرى الرئيسان اتصالاً هاتفياً. وسيّرت القوات دوريات مشتركة على الطريق. "
        "وأرسل النظام تعزيزات عسكرية. وتستمر الاعتصامات على الطريق الدولي. "
        "كما وثق نزوح 41814 عائلة. وزار الوزير دمشق.")}
    assert set(rows) == {"attack", "call", "patrol", "reinforcement", "protest", "displacement", "meeting"}
    assert rows["call"].cameo_code == "041"
    assert rows["reinforcement"].cameo_code == "154"
    assert rows["protest"].acled_event_type == "Protests"
    assert rows["patrol"].acled_event_type == "Strategic developments"
    (shelling,) = run("وقصفت قوات النظام بلدة كفرنبل.")
    (air,) = run("وشنت الطائرات غارات جوية على المدينة.")
    assert (shelling.cameo_code, shelling.acled_sub_event_type) == ("194", "Shelling/artillery/missile attack")
    assert (air.cameo_code, air.acled_sub_event_type) == ("195", "Air/drone strike")
    assert all(t in EVENT_TYPES for t in rows)


def test_no_event_without_report():
    # prevention, intent, violation, a word that only contains a trigger
    assert types("بهدف منع وقوع المزيد من الضحايا ولتجنب حدوث موجات نزوح جديدة.") == set()
    assert types("وعلى خلفية انتهاك وقف إطلاق النار من قبل النظام.") == set()
    assert types("قال أعضاء قسم علم الاجتماع إنهم لم يروا أدلة.") == set()
    assert types("قالت وزارة الدفاع الروسية إن الوضع هادئ.") == set()
    assert types("وبحث الرئيسان سبل تهدئة التصعيد ووقف إطلاق نار شامل.") == set()


def test_ceasefire_needs_a_declaration():
    assert types("وأمس الخميس، أعلنت وزارة الدفاع الروسية وقف إطلاق نار في إدلب.", "2020-01-13") == {"ceasefire"}
    assert types("وقال إن وقف إطلاق النار صامد.") == set()


def test_dates_go_to_the_trigger_they_belong_to():
    rows = run("وفي 5 مارس، أعلن الرئيسان التركي والروسي توصلهما إلى اتفاق لوقف إطلاق النار في إدلب "
               "اعتبارا من 6 من الشهر نفسه.")
    got = {(e.event_type, e.date, e.date_precision) for e in rows}
    assert got == {("agreement", "2020-03-05", "day"), ("ceasefire", "2020-03-06", "day")}
    # one sentence, one span: both rows carry it, and the evidence is the sentence
    assert len({(e.start, e.end) for e in rows}) == 1


def test_today_and_weekday_reports_take_the_publication_date():
    rows = run("زار وزير الدفاع الروسي دمشق الإثنين وأجرى محادثات مع الأسد.")
    assert [(e.event_type, e.date) for e in rows] == [("meeting", "2020-03-23")]
    # undated article: the weekday cannot be resolved, the event stays undated
    assert [(e.event_type, e.date) for e in run("زار وزير الدفاع الروسي دمشق الإثنين.", None)] == [
        ("meeting", None)]


def test_one_event_reported_twice_is_one_row():
    rows = run("قصفت قوات النظام بلدة كفرنبل. وقصفت قوات النظام بلدة كفرنبل مجددا.")
    assert len(rows) == 1


def test_actors_place_and_coordinates():
    text = "زار وزير الدفاع الروسي سيرغي شويغو دمشق الإثنين وأجرى محادثات مع بشار الأسد في دمشق."
    es = [ent(text, "سيرغي شويغو", "PER", "sergei_shoigu", "russia"),
          ent(text, "بشار الأسد", "PER", "bashar_al_assad", "syrian_government"),
          ent(text, "في دمشق", "LOC", "damascus")._replace(surface="دمشق")]
    es[2] = es[2]._replace(start=es[2].start + 3)
    (row,) = run(text, entities=es)
    assert row.actors == ["sergei_shoigu", "bashar_al_assad"]
    assert row.place == "damascus" and (row.lat, row.lon) == (33.51, 36.29)
    text2 = "وتوصلت تركيا وروسيا لاتفاق إضافي في سوتشي."
    es2 = [ent(text2, "تركيا", "LOC", "turkey", "turkey"), ent(text2, "روسيا", "LOC", "russia", "russia"),
           ent(text2, "سوتشي", "LOC", "sochi")]
    (row2,) = run(text2, entities=es2)
    assert row2.actors == ["turkey", "russia"] and row2.place == "sochi" and row2.lat is None


def test_trigger_inside_a_place_name_is_ignored():
    text = "وقصفت قوات النظام الفطيرة والزيارة بسهل الغاب."
    es = [ent(text, "الزيارة", "LOC", "al_ziyara")]
    assert {e.event_type for e in run(text, entities=es)} == {"attack"}


def test_spans_and_evidence():
    text = "مقدمة لا حدث فيها. وقصفت قوات النظام بلدة كفرنبل."
    (row,) = run(text)
    assert text[row.start:row.end] == row.evidence == "وقصفت قوات النظام بلدة كفرنبل."


def test_hostile_input_never_raises():
    for text in ["", "قصف" * 300, "اتفاق، " * 100, "\u200f" * 10 + "غارة", "وقف إطلاق النار " * 50]:
        run(text)
        run(text, None)
    assert list(events(make("غارات جوية."))) is not None  # computes its own timexes


def test_seed_event_types(seed_docs):
    want = {"000": {"meeting", "agreement", "patrol", "protest", "reinforcement", "attack"},
            "004": {"call", "attack", "displacement", "agreement", "meeting"}}
    for doc_id, doc in seed_docs.items():
        if doc_id[:3] in want:
            assert {e.event_type for e in events(doc)} == want[doc_id[:3]]


def test_trigger_scan_equals_one_search_per_key():
    """The one-scan trigger finder gives what a str.find pass per key gives."""
    import importlib

    from idlibnb.normalize import normalize_ar

    E = importlib.import_module("idlibnb.extract.events")  # the module (the package exports the function)

    def reference(norm):
        found = []
        for key, rows in E._TRIGGERS.items():
            i = norm.find(key)
            while i >= 0:
                s = i
                while s > 0 and norm[s - 1].isalnum() and i - s < 6:
                    s -= 1
                if s == 0 or not norm[s - 1].isalnum():
                    for t in rows:
                        m = t.regex.match(norm, s)
                        if m:
                            found.append((s, m.end(), t))
                            break
                i = norm.find(key, i + len(key))
        found.sort(key=lambda x: (x[0], -x[1]))
        out, end = [], -1
        for s, e, t in found:
            if s >= end:
                out.append((s, e, t))
                end = e
        return out

    for text in ["وقصفت الطائرات الروسية بلدة، وشنت غارات جوية، واشتباكات عنيفة بعد اتصال هاتفي",
                 "توصل الطرفان إلى اتفاق لوقف إطلاق النار ودوريات مشتركة وتسيير دوريات، ونزوح آلاف",
                 "استقبل الرئيس الوفد وزار دمشق والتقى نظيره، ومحادثات ومباحثات، ومظاهرات واعتصام",
                 "والاستقبالات، للقصفقصف، بالهجومات، xقصف، 5غارات، هجمات/قصف"]:
        norm = normalize_ar(text)
        assert E._find_triggers(norm) == reference(norm), text


# -- the trigger finder from the doc's word tokens gives what the scan of the whole text gives

def _events_module():
    import importlib

    return importlib.import_module("idlibnb.extract.events")  # the module (the package exports the function)


def test_rows_first_words_are_listed():
    # every row's first word is a finite list (else the word-token path is off and the text is scanned)
    E = _events_module()
    firsts = E._all_first_words()
    assert firsts is not None and "وقصفت" in firsts and "بالاتفاق" in firsts and "وقف" in firsts
    assert "الزيارات" in firsts and "قصفقصف" not in firsts


def test_first_words_of_a_pattern():
    E = _events_module()
    words = {w for w, _ in E._first_words(r"(?:[وف])?(?:ال)?[يت]?قصف(?:ت|ا)?(?:\s+\w+)?\s+جوي(?!\w)")}
    assert words == {p + a + y + "قصف" + s for p in ("", "و", "ف") for a in ("", "ال") for y in ("", "ي", "ت")
                     for s in ("", "ت", "ا")}
    for open_pattern in (r"قصف\w*", r"قصف.", r"[^ا]قصف", r"(?:قصف)+"):
        with pytest.raises(E._Open):
            E._first_words(open_pattern)
    assert {w for w, _ in E._first_words(r"قصف-جوي")} == {"قصف"}  # a mark ends the word


_TRIGGER_PIECES = ["وقصفت", "قصف", "القصف", "غارات", "جوية", "اتصال", "هاتفي", "هاتفيا", "اتفاق", "وبالاتفاق",
                   "لوقف", "وقف", "اطلاق", "النار", "دوريات", "دورية", "مشتركة", "تسيير", "زار", "الزيارة", "زيارته",
                   "استقبل", "يستقبل", "اجتماع", "نزوح", "ونزح", "هجوم", "لاذع", "تعزيزات", "عسكرية", "مؤتمر",
                   "صحفي", "قصفقصف", "xقصف", "5غارات", "_قصف", " ", "  ", "\n", "،", ".", "/", "-", "(", ")",
                   "ال", "و", "ب", "x", "5"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TRIGGER_PIECES), max_size=30))
def test_trigger_words_from_the_doc_words_match_the_text_scan(pieces):
    from idlibnb.normalize import normalize_ar, word_tokens

    E = _events_module()
    norm = normalize_ar("".join(pieces))
    assert E._find_triggers(norm, word_tokens(norm)) == E._find_triggers(norm)


_CONTEXT_PIECES = ["لتجنب", "تجنب", "منع", "ولمنع", "بالمنع", "خرق", "خروقات", "الالتزام", "اعلن", "اعلنت", "دخل",
                   "قبل", "حال", "وقف", "xمنع", "منعx", "_منع", " ", "،", ".", ":", "\n", "!", "؟", "ال", "و", "5"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_CONTEXT_PIECES), max_size=15))
def test_context_tries_find_what_the_flat_alternations_find(pieces):
    import re

    E = _events_module()
    text = "".join(pieces)
    blockers, cues = {}, {}
    for r in E.package_tsv("event_context.tsv", required=("words", "role", "event_types", "source")):
        for t in r["event_types"].split("|"):
            (blockers if r["role"] == "blocker" else cues).setdefault(t.strip(), []).append(r["words"])

    def flat(words):
        return re.compile(r"(?<!\w)(?:[وفبلك]|لل|ال|وال|بال|فال)?(?:" + "|".join(words) + r")(?!\w)")

    for t in E.EVENT_TYPES:
        assert bool(E._BLOCK[t].search(text)) == bool(flat(blockers.get("*", []) + blockers.get(t, [])).search(text))
    for t, words in cues.items():
        assert bool(E._CUE[t].search(text)) == bool(flat(words).search(text))
    # the window after its last clause break
    m = E._LAST_CLAUSE_BREAK.match(text)
    assert (m.end() if m else 0) == max((x.end() for x in E._CLAUSE_BREAK.finditer(text)), default=0)


def test_evacuation_flight_and_uprooting_are_displacement():
    assert types("وتم الاتفاق على إجلاء ألفي مقاتل من البلدة.") == {"agreement", "displacement"}
    assert types("وقال مسؤول إن آلاف المدنيين فرّوا من القصف نحو الحدود.") == {"attack", "displacement"}
    assert types("وأسفرت المعارك عن تشريد عشرات العائلات.") == {"attack", "displacement"}
    assert types("وتتواصل عمليات الإخلاء من البلدات المحاصرة.") == {"displacement"}
    assert "displacement" in types("وطالبت المنظمة بإخلاء الجرحى من المستشفى.")
    # clearing an area, or a release from custody, moves nobody
    assert "displacement" not in types("وطالب بإخلاء المنطقة من السلاح الثقيل.")
    assert "displacement" not in types("وقررت المحكمة إخلاء سبيل الصحفي.")


def test_a_truce_named_stop_the_fighting():
    assert types("وأعلن الطرفان التوصل إلى اتفاق لوقف القتال في المدينة.") == {"agreement", "ceasefire"}


def test_shelling_that_stopped_is_no_attack():
    assert "attack" not in types("وعاد السكان إلى القرى مع توقف القصف بشكل كامل.")
    assert "attack" in types("وتعرضت القرى لقصف عنيف مساء الأحد.")


def test_a_security_council_truce_resolution_is_a_ceasefire():
    assert "ceasefire" in types("ومنذ إجماع مجلس الأمن على قرار هدنة في كافة أنحاء البلاد لثلاثين يوما تواصل القصف.")


def test_an_explosion_is_an_attack_but_not_a_figure_of_speech():
    assert types("وذكر المرصد أن انفجارا استهدف سيارة عسكرية على الطريق.") == {"attack"}
    assert "attack" not in types("وحذر الوزير من انفجار الوضع في المنطقة.")


def test_a_need_is_no_event_and_an_accusative_ceasefire_is_one():
    assert "displacement" not in types("وقال المكتب إن هناك حاجة عاجلة لإجلاء ألف حالة طبية من البلدة.")
    assert "ceasefire" in types("وتبنى مجلس الأمن قرارا يطلب وقفا لإطلاق النار في البلاد لمدة 30 يوما.")
