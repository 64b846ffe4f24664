"""The per-article signature against the straightforward implementation it replaced (a Counter of
tokens, one fold per word type, numpy unique/bincount/lexsort for the top terms): the same term
ids, counts, order and dtypes on random token lists, so stories and twin dates cannot change."""
from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from idlibnb import stories
from idlibnb.doc import Doc
from idlibnb.normalize import normalize_ar


def _reference_terms(title, text, entity_ids):
    counts = Counter(text)
    counts.update(title)
    counts.update(title)
    ids = np.array([-1 if (t := stories._term(w)) is None else stories._hash(t) for w in counts],
                   dtype=np.int64)
    n = np.fromiter(counts.values(), dtype=np.int64, count=len(counts))
    ent = np.array([stories._hash("@" + e) for e in entity_ids], dtype=np.int64)
    ids = np.concatenate([ids, ent])
    n = np.concatenate([n, np.full(len(ent), stories.ENTITY_WEIGHT, dtype=np.int64)])
    keep = ids != -1
    terms, inverse = np.unique(ids[keep], return_inverse=True)
    tf = np.bincount(inverse, weights=n[keep], minlength=len(terms))
    order = np.lexsort((terms, -tf))[:stories.N_TERMS]
    return terms[order].astype(np.uint32), tf[order].astype(np.float32)


def _reference_weekdays(surfaces):
    out = set()
    for s in surfaces:
        norm = normalize_ar(s)
        for m in stories._WEEKDAY_RX.finditer(norm):
            out.add((stories._WEEKDAYS[m.group(1)], bool(stories._YESTERDAY_RX.search(norm))))
    return tuple(sorted(out))


# words that fold together (clitics, the article), stop words, digits, short words, and enough
# distinct words that the top-N cut and its ties by id matter
_VOCAB = ["الجيش", "جيش", "والجيش", "بالجيش", "وبالجيش", "للجيش", "فالجيش", "في", "من", "على", "قال",
          "2020", "12", "اب", "ال", "والي", "وزارة", "الدفاع", "ودمشق", "فدمشق", "دمشق", "كالجيش"] + \
         [f"كلمة{i}" for i in range(200)]
_WORDS = st.lists(st.sampled_from(_VOCAB), max_size=400)
_SURFACES = ["الخميس", "أمس الاثنين", "يوم الإثنين", "وبالأحد", "الجمعة الماضي", "أمس", "2020-03-23",
             "البارحة السبت", "الثلاثاء والأربعاء", ""]


@settings(max_examples=150, deadline=None)
@given(_WORDS, st.lists(st.sampled_from(_VOCAB), max_size=12),
       st.lists(st.sampled_from(["idlib", "assad", "russia", "m4"]), unique=True),
       st.lists(st.sampled_from(_SURFACES), max_size=5))
def test_signature_equals_the_reference(text, title, entity_ids, surfaces):
    doc = Doc("d", "d.txt", " ".join(title), " ".join(text))
    # the doc's own tokens are what the signature counts; the reference gets the same lists
    ents = [SimpleNamespace(entity_id=e) for e in entity_ids]
    txs = [SimpleNamespace(surface=s, value=None) for s in surfaces]
    sig = stories.signature(doc, entities=ents, timexes=txs)
    ids, tf = _reference_terms(doc.words("title"), doc.words("text"), sorted(entity_ids))
    assert sig.terms[0].dtype == ids.dtype and sig.terms[1].dtype == tf.dtype
    assert np.array_equal(sig.terms[0], ids) and np.array_equal(sig.terms[1], tf)
    assert sig.weekdays == _reference_weekdays(surfaces)
    # once more: now every word type comes from the memo
    again = stories.signature(doc, entities=ents, timexes=txs)
    assert np.array_equal(again.terms[0], ids) and np.array_equal(again.terms[1], tf)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="وفبكلاسجيشدمق12٣", min_size=1, max_size=8), max_size=8))
def test_bases_at_once_equal_one_by_one(tokens):
    assert stories._bases(tokens) == [stories._base(t) for t in tokens]


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.integers(0, 2**32 - 1), st.one_of(st.integers(1, 4), st.integers(1, 10**6)),
                       max_size=stories.N_TERMS + 60))
def test_top_terms_equal_a_lexsort(agg):
    """The commonest term ids (ties by id) and their counts, as a lexsort orders them."""
    ids = np.fromiter(agg, dtype=np.int64, count=len(agg))
    counts = np.fromiter(agg.values(), dtype=np.int64, count=len(agg))
    order = np.lexsort((ids, -counts))[:stories.N_TERMS]
    got_ids, got_tf = stories._top_terms(agg)
    assert got_ids.dtype == np.uint32 and got_tf.dtype == np.float32
    assert np.array_equal(got_ids, ids[order].astype(np.uint32))
    assert np.array_equal(got_tf, counts[order].astype(np.float32))
