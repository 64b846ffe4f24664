from hypothesis import given, settings, strategies as st

from idlibnb.normalize import NormText, fold_digits_ar, normalize_ar, tokens_ar
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (normalize_alef_ar, normalize_alef_maksura_ar,
                                         normalize_teh_marbuta_ar)

ARABIC = st.text(alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإىةئؤ"
                                             "ًٌٍَُِّْـ ٠١٢٣٤٥٦٧٨٩۱۲0123456789AbZ\u200f\u00a0\u2009.،“”\"")),
                 max_size=60)


def test_table_is_camel_tools_own():
    from idlibnb.normalize import CAMEL_TABLE

    derived = {}
    for cp in list(range(0x0600, 0x0700)) + list(range(0x0750, 0x0780)):
        ch = chr(cp)
        out = dediac_ar(normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(ch))))
        if out != ch:
            derived[cp] = ord(out) if out else None
    assert derived == CAMEL_TABLE


def test_camel_forms():
    assert normalize_ar("أإآٱ") == "اااا"
    assert normalize_ar("مستشفى مدرسة") == "مستشفي مدرسه"
    assert normalize_ar("قالَ") == "قال"
    assert normalize_ar("تـــركيا") == "تركيا"


def test_digits_spaces_case():
    assert normalize_ar("٢٣ مارس ۲۰۲۰") == "23 مارس 2020"
    assert normalize_ar("M4\u00a0road") == "m4 road"
    assert fold_digits_ar("٢٣ أيار") == "23 أيار"
    assert normalize_ar("\u200fإدلب") == "ادلب"


def test_tokens():
    assert tokens_ar("الطريق الدولي \"إم-4\"") == ["الطريق", "الدولي", "ام", "4"]


@settings(max_examples=300, deadline=None)
@given(ARABIC)
def test_matches_camel_tools(s):
    # idlibnb's one-pass table is camel-tools' own pipeline (plus digits, spaces, bidi marks, case)
    camel = dediac_ar(normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(s))))
    assert normalize_ar(s) == normalize_ar(camel)


@settings(max_examples=300, deadline=None)
@given(ARABIC, st.data())
def test_offset_map_slices_original(s, data):
    nt = NormText(s)
    assert nt.norm == normalize_ar(s)
    if not nt.norm:
        return
    a = data.draw(st.integers(0, len(nt.norm) - 1))
    b = data.draw(st.integers(a + 1, len(nt.norm)))
    start, end = nt.span(a, b)
    assert normalize_ar(s[start:end]) == nt.norm[a:b]
    for i in range(len(nt.norm)):
        assert normalize_ar(s[nt.orig_index(i)]) == nt.norm[i]
        assert nt.norm_index(nt.orig_index(i)) == i


@given(st.text(alphabet=st.sampled_from(list("ابتث جحخ ،.؟!_-0123456789٣ abcXYZ\u064b\u0640\t\n\u200f\u00a0é")),
               max_size=80))
def test_word_tokens_equal_the_token_pattern(s):
    from idlibnb.normalize import TOKEN_PATTERN, word_tokens

    assert word_tokens(s) == TOKEN_PATTERN.findall(s)
    assert word_tokens(normalize_ar(s)) == TOKEN_PATTERN.findall(normalize_ar(s))


@given(st.text(max_size=60))
def test_word_tokens_equal_the_token_pattern_on_any_unicode(s):
    from idlibnb.normalize import TOKEN_PATTERN, word_tokens

    assert word_tokens(s) == TOKEN_PATTERN.findall(s)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["قال", "أحمد", " ", "\n", "CNN", "٢٣", "\u064b", "\u0651", "\u064e",
                                 "\u0640", "\u200f", "\u00a0", "ی", "ک"]), max_size=80))
def test_normtext_few_and_many_deletions(parts):
    # few deleted characters are located by str.find, many (a vocalized text) by one regex scan
    from idlibnb.normalize import _DELETED, _TABLE

    s = "".join(parts)
    nt = NormText(s)
    assert nt.norm == normalize_ar(s) == s.translate(_TABLE)
    deleted = [k for k, c in enumerate(s) if c in _DELETED]
    assert (nt._deleted or []) == deleted
    assert nt._map == ([d - k for k, d in enumerate(deleted)] if deleted else None)
