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


# words naming Syria and framing terms, glued now and then to a digit or a Latin letter (a run of
# Arabic letters that is no word token)
_PIECES = ["سوريا", "السوري", "النظام", "الدولة", "الاسد", "ادلب", "قوات", "الحكومة", "المعارضة",
           "الارهابيين", "2020", "x", "ISIS", " ", " ", " ", "، ", ". ", "\"", "«", "»", "\n", "و", "ب"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_find_with_word_tokens_equals_find_with_arabic_runs(pieces):
    """A term's written form is found only as a whole token, so the doc's word tokens give the
    same matches as the runs of Arabic letters framing used to pass."""
    from idlibnb.extract.framing import _ARABIC_WORDS
    from idlibnb.normalize import NormText, word_tokens

    lex = FramingLexicon.pretrained()
    nt = NormText("".join(pieces))
    for in_syria in (False, True):
        assert lex.find(nt, in_syria=in_syria, words=word_tokens(nt.norm)) == \
            lex.find(nt, in_syria=in_syria, words=_ARABIC_WORDS.findall(nt.norm))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.lists(st.sampled_from(_PIECES), max_size=8))
def test_framing_rows_equal_the_arabic_runs_reading(pieces, title_pieces):
    """framing() with the doc's word tokens (and the runs only when the tokens name no Syria) gives
    the rows of the runs-only reading it replaced."""
    import importlib

    from idlibnb.doc import Doc

    F = importlib.import_module("idlibnb.extract.framing")

    class RunsDoc(Doc):  # the old reading: runs of Arabic letters wherever framing asks for words
        def words(self, name):
            return F._ARABIC_WORDS.findall(self.norm(name).norm)

    title, text = "".join(title_pieces), "".join(pieces)
    lex = FramingLexicon.pretrained()
    assert list(F.framing(Doc("d", "f", title, text), quotes=[], lexicon=lex)) == \
        list(F.framing(RunsDoc("d", "f", title, text), quotes=[], lexicon=lex))
