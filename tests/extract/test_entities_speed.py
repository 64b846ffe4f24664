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
    for k in range(n):
        assert f.start(k) == starts[k]
