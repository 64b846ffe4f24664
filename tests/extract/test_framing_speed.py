"""Framing's fast paths against what they replaced: whole-word spans by str.find equal the
per-word regex's matches, on random text over the letters, digits and punctuation that matter."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from idlibnb.extract.framing import FramingLexicon, _whole_word_spans

_ALPHABET = "النظامو ف_2.،\n\"«ب"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=60), st.sampled_from(["النظام", "نظام", "ال", "ا", "ام_", "2"]))
def test_whole_word_spans_equal_the_regex(norm, word):
    rx = re.compile(rf"{re.escape(word)}(?![^\W_])")
    expected = [m.span() for m in rx.finditer(norm) if not m.start() or not norm[m.start() - 1].isalnum()]
    assert _whole_word_spans(norm, word) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="سوريادلبحمصرقه \n", max_size=40), st.text(alphabet="سوريادلبحمصرقه \n", max_size=20))
def test_one_pass_over_both_fields_says_what_two_did(text, title):
    lex = FramingLexicon.pretrained()
    subs = lex._syria_subs
    expected = any(w in text for w in subs) or any(w in title for w in subs)
    assert lex.may_name_syria(text + "\n" + title) == expected
