"""Quotes' shortcuts say what the full pass says: a field none of whose words is a cue or an
attribution word (بحسب…) yields no quote even when every position is tried (the pass without the
word list), and the rows come out per field by start, one per start, as a sort and a seen-set did."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from idlibnb.doc import Doc
from idlibnb.extract.quotes import _all_bare, _field_quotes, quotes
from idlibnb.normalize import normalize_ar, word_tokens

_PIECES = ["قال", "وقال", "أكد", "موضحا", "بحسب", "وبحسب", "وفق", "نقلا عن", "إن", "أن", ":", "،", ".", "\n",
           '"', "«", "»", "الوزارة", "المتحدث", "مصادر", "محلية", "الجيش", "ناقش", "وقف", "إطلاق", "النار",
           "في", "إدلب", "اليوم", "قد", "كانت", "عدم", "بيان", "مقال", "القائل", "قالب"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_no_cue_word_no_quote(pieces):
    norm = normalize_ar(" ".join(pieces))
    if _all_bare().intersection(word_tokens(norm)):
        return  # a cue or attribution word: the shortcut does not apply
    assert _field_quotes(norm, [], None) == []


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60), st.lists(st.sampled_from(_PIECES), max_size=10))
def test_rows_by_field_then_start_one_per_start(text_pieces, title_pieces):
    doc = Doc("d", "d.txt", " ".join(title_pieces), " ".join(text_pieces))
    rows = list(quotes(doc, entities=[]))
    keys = [(q.field != "title", q.start) for q in rows]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    for q in rows:
        assert doc.field_text(q.field)[q.start:q.end] == q.content
