"""The faster forms in ``idlibnb.parse`` equal the plain ones they replace."""
from hypothesis import given, settings, strategies as st

from idlibnb import parse as P

_TEXT = st.text(alphabet=st.sampled_from(
    list("ابت ثجح أإآةىـًّ٣3 .!?؟\n\t\"”»)'-–:،,") + ["\u00a0", "\u2009", "\u202f", "\u200f", "Σ", "İ", "A"]),
    max_size=120)


def _split_sentences_plain(text, offset=0):
    spans, start = [], 0
    for m in P._SENT_END.finditer(text):
        P._add_span(text, start, m.end(), spans, offset)
        start = m.end()
    P._add_span(text, start, len(text), spans, offset)
    return spans


@settings(max_examples=500, deadline=None)
@given(_TEXT, st.integers(0, 50))
def test_split_sentences_equals_one_add_span_per_sentence(text, offset):
    assert P.split_sentences(text, offset) == _split_sentences_plain(text, offset)


_CASED = st.text(alphabet=st.sampled_from(
    list("ابت أإآةىـً -–\t\u00a0\u200f\u00ad'.:") + list("ΣσςΑΒİIiıẞßǅΏ\u0301\u0345\u00b7\u02bcAbZ")), max_size=40)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(_TEXT, _CASED).map(lambda s: s.replace("\n", " ")), max_size=8))
def test_key_words_equal_one_key_per_line(lines):
    assert P._key_words(lines) == [P._key(x).split() for x in lines]


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_header_lines_are_the_cleaned_nonempty_lines(raw):
    # a title-less header of a text without credits keeps its cleaned lines (bar boilerplate)
    lines = [P._clean_line(x) for x in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    expected = [x for x in lines if x]
    cleaned = P._SPACES.sub(" ", raw.replace("\r\n", "\n").replace("\r", "\n"))
    assert [x for x in map(str.strip, cleaned.split("\n")) if x] == expected


_SPACEY = st.text(alphabet=st.sampled_from(
    list(" \t\n\u00a0\u2000\u2005\u200a\u200b\u202f\u3000\u205f\u1680\x0b\x1c") + ["ا", "ب", ".", "x"]), max_size=60)


@settings(max_examples=500, deadline=None)
@given(_SPACEY)
def test_clean_spaces_equals_the_spaces_substitution(text):
    assert P._clean_spaces(text) == P._SPACES.sub(" ", text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_SPACEY, st.text(max_size=40)))
def test_word_count_by_split_equals_the_regex(line):
    import re

    assert len(line.split()) == len(re.findall(r"\S+", line))


_ANY_NORMALIZED = st.text(alphabet=st.sampled_from(
    sorted(map(chr, __import__("idlibnb.normalize", fromlist=["_TABLE"])._TABLE))
    + list("لﻟﻻ ل-–") + list("ΣσςİIiẞßǅΏ\u0301\u0345AbZ")), max_size=40)


@settings(max_examples=500, deadline=None)
@given(_ANY_NORMALIZED)
def test_a_line_keeps_its_lams_in_its_key(line):
    # _split_header compares with the headline only the lines with as many lams as it has
    assert P._key(line).count("ل") == line.count("ل")


def test_a_repeated_headline_is_dropped_however_written():
    title = "الأسد يلتقي وفداً روسياً في دمشق"
    raw = "\n".join([title, "الاسد يلتقي وفدا روسيا في دمشق", "الأسـد يَلتقي وفداً روسياً في دمشق",
                     "الأسد يلتقي وفداً روسياً في دمشق اليوم", "قال الرئيس السوري إن اللقاء بحث التعاون."])
    head = P._split_header(raw, None, P.Outlets.pretrained())
    assert head.title == title
    assert head.lines == ["الأسد يلتقي وفداً روسياً في دمشق اليوم", "قال الرئيس السوري إن اللقاء بحث التعاون."]
