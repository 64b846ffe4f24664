"""The lazily resolved token offsets of ``entities._Field`` equal a full scan, in any order asked."""
import sys

from hypothesis import given, settings, strategies as st

import idlibnb.extract.entities  # noqa: F401  (the module, not the function the package exports)
from idlibnb.normalize import TOKEN_PATTERN, NormText

E = sys.modules["idlibnb.extract.entities"]

_TEXT = st.lists(st.sampled_from(
    list("ابت ثج .،\"«»-_/ـ\n") + ["قوات", "النظام", "وال", "بال", "  ", "12", "x", "–", "…", " - "]),
    max_size=30).map("".join)


def _plain_gap_ok(f, k):
    starts = [m.start() for m in TOKEN_PATTERN.finditer(f.norm)]
    g = f.norm[starts[k - 1] + len(f.words[k - 1]):starts[k]]
    return len(g) <= 3 and all(c in E._GAP_OK for c in g)


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.lists(st.tuples(st.sampled_from(["start", "gaps", "gap_ok"]), st.integers(0, 40),
                                 st.integers(1, 4)), max_size=12))
def test_offsets_and_gaps_equal_a_full_scan(text, asks):
    nt = NormText(text)
    f = E._Field("text", nt)
    n = len(f.words)
    starts = [m.start() for m in TOKEN_PATTERN.finditer(nt.norm)]
    assert f.words == [m.group() for m in TOKEN_PATTERN.finditer(nt.norm)]
    if not n:
        return
    for kind, k, width in asks:
        k %= n
        if kind == "start":
            assert f.start(k) == starts[k]
        elif kind == "gap_ok" and k > 0:
            assert f.gap_ok(k) == _plain_gap_ok(f, k)
        else:
            j = min(n, k + width)
            assert f.gaps_ok(k, j) == all(_plain_gap_ok(f, t) for t in range(k + 1, j))
            w = len(f.words[k]) // 2
            assert f.orig_span(k, j, w) == nt.span(starts[k] + w, starts[j - 1] + len(f.words[j - 1]))
        if k > 0:
            assert f.gap(k) == nt.norm[starts[k - 1] + len(f.words[k - 1]):starts[k]]
        assert f.end(k) == starts[k] + len(f.words[k])
    for k in range(n):
        assert f.start(k) == starts[k]


class _EagerMatcher(E._Matcher):
    """``entities._Matcher`` as it was: every clitic form's entries built when a phrase is added.
    The scan (``find``, ``entries``) is the matcher's own: what changed is how a written form's
    entries are put together."""

    def __init__(self):
        super().__init__()
        self._first = {}
        self._keys = self._first.keys()  # a live view: the scan's key test

    def add(self, toks, payload, *, lead=0):
        if not toks or lead >= len(toks):
            return
        toks = tuple(toks)
        rest, n, first = toks[1:], len(toks), self._first
        for key, width in E._clitic_keys(toks[0]):
            bucket = first.get(key)
            if bucket is None:
                bucket = first[key] = ([], {})
            lst = bucket[0] if n == 1 else bucket[1].setdefault(rest[0], [])
            if any(e.rest == rest and e.width == width and e.lead == lead for e in lst):
                continue
            lst.append(E._Entry(n, rest, width, lead, payload))
            if len(lst) > 1:
                lst.sort(key=E._entry_order)

    def _bucket(self, key):
        return self._first[key]


_WORDS = ["القوات", "قوات", "للقوات", "وللقوات", "لقوات", "والقوات", "بالقوات", "ال", "الي", "لل", "للي",
          "و", "ب", "وب", "ولل", "فلل", "النظام", "نظام", "ونظام", "الروسي", "روسي", "لروسي", "كالقوات",
          "فللنظام", "للنظام"]
_PHRASE = st.tuples(st.lists(st.sampled_from(_WORDS), min_size=0, max_size=3), st.integers(0, 2))


@settings(max_examples=400, deadline=None)
@given(st.lists(_PHRASE, max_size=25),
       st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from([" ", " - ", "، ", "\"", "  "])), max_size=25),
       st.lists(st.booleans(), min_size=25, max_size=25), st.booleans())
def test_lazy_matcher_equals_the_eager_one(phrases, text, free, use_free):
    lazy, eager = E._Matcher(), _EagerMatcher()
    for k, (toks, lead) in enumerate(phrases):
        lazy.add(toks, k, lead=lead)
        eager.add(toks, k, lead=lead)
        if k == len(phrases) // 2:  # entries put together before later phrases come
            for key in _WORDS:
                assert list(lazy.entries(key)) == list(eager.entries(key))
    assert set(lazy.keys()) == set(eager._first)
    for key in set(eager._first) | set(_WORDS):
        assert list(lazy.entries(key)) == list(eager.entries(key))
    f = E._Field("text", NormText("".join(w + gap for w, gap in text)))
    mask = free[:len(f.words)] if use_free else None
    assert lazy.find(f, mask) == eager.find(f, mask)
    assert len(lazy) == sum(len(b[0]) + sum(len(x) for x in b[1].values()) for b in eager._first.values())


@given(st.text(alphabet=st.sampled_from(list("وفبلكاتنم")), max_size=8))
def test_strip_clitic_shortcut(w):
    plain = w
    for c in ("وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك"):
        if w.startswith(c) and len(w) - len(c) >= 3:
            plain = w[len(c):]
            break
    assert E._strip_clitic(w) == plain
