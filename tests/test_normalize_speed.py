"""The fast paths of ``idlibnb.normalize`` equal the plain definitions they replace."""
from hypothesis import given, settings, strategies as st

from idlibnb import normalize as N

# every character the table touches, plus Arabic letters, Latin, marks and white space around them
_TOUCHED = [chr(cp) for cp in N._TABLE]
_ALPHABET = st.sampled_from(_TOUCHED + list("ابتثجحخدهوي لمن abcxyz019.،\n\t-_\"") + ["é", "ß"])


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=120))
def test_map_one_to_one_is_the_table(s):
    assert N._map_odd(N._map_common(s))[0] == s.translate(N._TABLE_ONE_TO_ONE)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_map_one_to_one_on_any_unicode(s):
    assert N._map_odd(N._map_common(s))[0] == s.translate(N._TABLE_ONE_TO_ONE)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=120))
def test_normalize_ar_is_translate_then_delete(s):
    assert N.normalize_ar(s) == s.translate(N._TABLE)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=120))
def test_normtext_is_translate_with_the_deleted_offsets(s):
    nt = N.NormText(s)
    assert nt.norm == s.translate(N._TABLE)
    deleted = [k for k, c in enumerate(s) if c in N._DELETED]
    assert (nt._deleted or []) == deleted
    assert nt._map == ([d - k for k, d in enumerate(deleted)] if deleted else None)
