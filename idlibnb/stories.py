"""Same-story grouping across outlets, on small per-article signatures — see issue 6.

Two articles report the same story when they name a common actor or place (an ``entity_id``),
their dates lie within a few days of each other, and their words agree: the cosine of their TF-IDF
vectors over normalized, clitic-stripped tokens is at least :data:`THRESHOLD`.

Scale (SPEC "Scale"): the per-article pass leaves a :class:`Signature` per article (entity ids,
dates, weekday anchors, at most :data:`N_TERMS` hashed term counts — about a kilobyte). The
corpus-wide pass then compares only articles that share an entity id within :data:`WINDOW_DAYS`
(an inverted index on entity ids, each posting list swept in date order); an entity named by more
than :data:`MAX_BLOCK` articles in one window (Syria, Russia) is too common to propose pairs there.
Pairs are scored with sparse row products; stories are the connected components. Never all pairs.

Then the dates: :func:`date_from_twins` dates an undated article from a dated member of its story
when the weekday it names agrees with a date of the twin (seed 000's "الإثنين" = 001's Monday
2020-03-23). :func:`story_contrasts` says what each article of a story has that the others lack.
"""
from __future__ import annotations

import datetime as _dt
import html
import re
import zlib
from collections import Counter
from functools import lru_cache
from itertools import compress, repeat
from operator import is_
from typing import Iterable, NamedTuple, Sequence

import numpy as np

from .lexicon import data_path, read_tsv
from .normalize import normalize_ar

__all__ = [
    "Signature", "signature", "find_stories", "candidate_pairs", "date_from_twins", "TwinDate",
    "story_contrasts", "story_table", "story_side_by_side_html", "stories_html", "stories_note",
    "twin_dated", "THRESHOLD", "WINDOW_DAYS", "MAX_BLOCK", "N_TERMS",
]

#: cosine of TF-IDF vectors at or above which two articles sharing an entity and a date window
#: report the same story. Why 0.3: articles on one event by different outlets share its names,
#: places, numbers and the quoted statement (cosine 0.35-0.6 on the seeds' twin and on same-day
#: wire rewrites), while articles on the same war and the same week but another event share the
#: recurring vocabulary only (Idlib, the ceasefire, the M4, the Russian ministry: 0.1-0.25).
THRESHOLD = 0.3
#: days between two articles' dates for them to be compared (news of one event spreads over a few days)
WINDOW_DAYS = 3
#: an entity shared by more articles than this within one window proposes no pairs there
MAX_BLOCK = 60
#: weight of an entity id among an article's terms (as if its name occurred this many times)
ENTITY_WEIGHT = 3
#: hashed terms kept per article (the most frequent ones)
N_TERMS = 150

_WEEKDAYS = {  # normalized spelling -> Python weekday (Monday = 0)
    "الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4, "السبت": 5, "الاحد": 6,
}
_WEEKDAY_RX = re.compile(r"(?<![^\W_])(?:[وف]?(?:ب|ل)?)(?:يوم )?(" + "|".join(_WEEKDAYS) + r")(?![^\W_])")
_YESTERDAY_RX = re.compile(r"(?<![^\W_])[وف]?(?:امس|البارحه)(?![^\W_])")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_PREFIXES = ("وبال", "وكال", "فبال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال")
# the first prefix (in that order) leaving at least three characters: one regex match, not 11 tests
_PREFIX_RX = re.compile("(?:" + "|".join(_PREFIXES) + r")(?=.{3})", re.S)


class Signature(NamedTuple):
    """What the corpus-wide pass needs of one article (about a kilobyte)."""

    doc_id: str
    published: str | None
    entity_ids: tuple[str, ...]  # sorted, unique
    dates: tuple[str, ...]  # day-precision ISO values of its resolved timexes, sorted, unique
    weekdays: tuple[tuple[int, bool], ...]  # weekdays its timexes name, and whether "أمس" precedes
    terms: tuple[np.ndarray, np.ndarray]  # (crc32 term ids uint32, counts float32)

    def __reduce__(self):
        # the cache pickles one per article: plain bytes for the two arrays pickle and unpickle
        # ~7x faster than numpy's own reduction (6 us instead of 43 us a signature)
        ids, tf = self.terms
        return _signature_from_bytes, (*self[:5], np.asarray(ids, np.uint32).tobytes(),
                                       np.asarray(tf, np.float32).tobytes())


def _signature_from_bytes(doc_id, published, entity_ids, dates, weekdays, ids: bytes,
                          tf: bytes) -> Signature:
    return Signature(doc_id, published, entity_ids, dates, weekdays,
                     (np.frombuffer(ids, np.uint32), np.frombuffer(tf, np.float32)))


@lru_cache(maxsize=1)
def _stopwords() -> frozenset:
    rows = read_tsv(data_path("stopwords_ar.tsv"), required=("word",), optional=("note",))
    return frozenset(normalize_ar(r["word"]) for r in rows)


_PREFIX_FIRST = frozenset(p[0] for p in _PREFIXES)  # a token starting otherwise keeps its letters


def _base(tok: str) -> str:
    """A token without its clitic and article (و، ف، ب، ل، ك، ال، لل) for bag-of-words matching."""
    if tok.isdigit():
        return tok
    first = tok[0]
    if first in _PREFIX_FIRST:
        m = _PREFIX_RX.match(tok)
        if m:
            return tok[m.end():]
    if first in "وف" and len(tok) > 4:
        tok = tok[1:]
    return tok


# _base of many tokens at once, one per line: the first prefix leaving three characters, else و/ف
# before four (a digit token has neither); one C-level substitution instead of a call per token
_BASES_RX = re.compile("^(?:(?:" + "|".join(_PREFIXES) + ")(?=[^\n]{3})|[وف](?=[^\n]{4}))", re.M)


def _bases(tokens: list[str]) -> list[str]:
    """``[_base(t) for t in tokens]`` (tokens hold no line break: they are runs of letters and digits)."""
    return _BASES_RX.sub("", "\n".join(tokens)).split("\n") if tokens else []


def _term(tok: str) -> str | None:
    """The bag-of-words term of a token, or None for stop words and short tokens."""
    if tok in _stopwords() or len(tok) < _SHORT and not tok.isdigit():
        return None
    return _base(tok)


def _hash(term: str) -> int:
    return zlib.crc32(term.encode("utf-8"))  # stable across processes, unlike hash()


_NO_TERM = -1  # the id of stop words and short tokens
_TERM_IDS: dict[str, int] = {}  # token -> hashed term id (or _NO_TERM), memoized across articles
_ENTITY_TERM_IDS: dict[str, int] = {}  # entity id -> hashed term id of "@" + entity id
_WEEKDAYS_OF: dict[str, tuple[tuple[int, bool], ...]] = {}  # timex surface -> weekdays it names
_MAX_MEMO = 200_000  # bounded: a long run meets ever new word types and surfaces
_SHORT = 3  # tokens shorter than this are no term (unless digits)


def _term_counts(title: list[str], text: list[str], entity_ids: list[str]) -> Counter:
    """Hashed term id -> count (title words twice: the title says what the story is; the actors
    and places named :data:`ENTITY_WEIGHT` times each; several word types may fold into one term).
    Each token is mapped to its term id through a memo and the ids are counted, both at C speed;
    only the word types new to this process are folded and hashed in Python."""
    tokens = text + title + title if title else text
    cache = _TERM_IDS
    if len(cache) > _MAX_MEMO:  # bounded: a long run meets ever new word types
        cache.clear()
    ids = list(map(cache.get, tokens))
    agg = Counter(ids)
    get = agg.get  # dict.get: no Counter.__missing__ call per new key
    if None in agg:  # new word types: their term ids kept, then their tokens counted, at C speed
        del agg[None]
        fresh = list(compress(tokens, map(is_, ids, repeat(None))))
        types = list(set(fresh))
        cache.update(zip(types, map(zlib.crc32, map(str.encode, _bases(types)))))
        for t in _stopwords().intersection(types):
            cache[t] = _NO_TERM
        for t in compress(types, map(_SHORT.__gt__, map(len, types))):  # fewer than 3 characters
            if not t.isdigit():
                cache[t] = _NO_TERM
        agg.update(map(cache.get, fresh))
    agg.pop(_NO_TERM, None)
    if entity_ids:
        memo = _ENTITY_TERM_IDS
        if len(memo) > _MAX_MEMO:
            memo.clear()
        for e in entity_ids:
            i = memo.get(e)
            if i is None:
                i = memo[e] = _hash("@" + e)
            agg[i] = get(i, 0) + ENTITY_WEIGHT
    return agg


_COUNT_BASE = 1 << 30  # above any term count: (base - count) << 32 | id sorts by count, then id


def _top_terms(agg: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The :data:`N_TERMS` commonest term ids (ties broken by id) and their counts: one sort of
    int64 keys (descending count in the high bits, the 32-bit id below) instead of a lexsort."""
    n = len(agg)
    ids = np.fromiter(agg, dtype=np.int64, count=n)
    key = np.fromiter(agg.values(), dtype=np.int64, count=n)
    # the key built and sorted in place: each small array operation costs more than its work
    np.subtract(_COUNT_BASE, key, out=key)
    key <<= 32
    key |= ids
    key.sort()
    key = key[:N_TERMS]
    return (key & 0xFFFFFFFF).astype(np.uint32), (_COUNT_BASE - (key >> 32)).astype(np.float32)


def _weekdays_named(surface: str) -> tuple[tuple[int, bool], ...]:
    """``(weekday, whether "أمس" precedes)`` for each weekday a timex surface names (memoized:
    surfaces such as "الخميس" or "أمس الاثنين" recur in every article)."""
    got = _WEEKDAYS_OF.get(surface)
    if got is None:
        if len(_WEEKDAYS_OF) > _MAX_MEMO:
            _WEEKDAYS_OF.clear()
        norm = normalize_ar(surface)
        got = _WEEKDAYS_OF[surface] = tuple(
            (_WEEKDAYS[m.group(1)], bool(_YESTERDAY_RX.search(norm))) for m in _WEEKDAY_RX.finditer(norm))
    return got


def signature(doc, *, entities=(), timexes=()) -> Signature:
    """A small summary of one article for cross-article comparison."""
    entity_ids = sorted({e.entity_id for e in entities if e.entity_id})
    # the actors and places named count as words too: a shared rare place says "same story" loudly
    ids, tf = _top_terms(_term_counts(doc.words("title"), doc.words("text"), entity_ids))
    weekdays = set()
    for t in timexes:
        weekdays.update(_weekdays_named(t.surface or ""))
    return Signature(
        doc.doc_id, doc.published,
        tuple(entity_ids),
        tuple(sorted({t.value for t in timexes if t.value and _ISO_DAY.fullmatch(t.value)})),
        tuple(sorted(weekdays)),
        (ids, tf),
    )


def _ordinal(iso: str | None) -> int | None:
    if not iso or not _ISO_DAY.match(iso):
        return None
    try:
        return _dt.date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return None


def _anchor_day(sig: Signature) -> int | None:
    """The day an article is about: its publication date, else its latest resolved day."""
    day = _ordinal(sig.published)
    if day is None and sig.dates:
        day = _ordinal(sig.dates[-1])
    return day


def _tfidf(sigs: Sequence[Signature]):
    """Rows of L2-normalized TF-IDF (sublinear tf, smoothed idf as scikit-learn's TfidfTransformer
    computes them; done with scipy directly, which spares the seconds of importing scikit-learn)."""
    from scipy import sparse

    n = len(sigs)
    lens = np.array([len(s.terms[0]) for s in sigs], dtype=np.int64)
    if not lens.sum():
        return sparse.csr_matrix((n, 1), dtype=np.float32)
    ids = np.concatenate([s.terms[0] for s in sigs])
    tf = np.concatenate([s.terms[1] for s in sigs]).astype(np.float32)
    vocab, cols = _unique_inverse(ids)
    df = np.bincount(cols, minlength=len(vocab))
    idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
    w = (1 + np.log(tf)) * idf[cols]
    rows = np.repeat(np.arange(n), lens)
    norms = np.sqrt(np.bincount(rows, weights=w.astype(np.float64) ** 2, minlength=n))
    w = w / np.where(norms > 0, norms, 1)[rows]
    indptr = np.concatenate([[0], np.cumsum(lens)])
    return sparse.csr_matrix((w.astype(np.float32), cols, indptr), shape=(n, len(vocab)))


def _unique_inverse(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(ids, return_inverse=True)`` for 32-bit term ids, twice as fast: one in-place
    sort of int64 keys (the id in the high bits, its position below) instead of an argsort."""
    n = len(ids)
    shift = max(1, n.bit_length())
    if ids.dtype.itemsize > 4 or 32 + shift > 63:  # the key would not fit in 63 bits
        return np.unique(ids, return_inverse=True)
    key = ids.astype(np.int64)
    key <<= shift
    key |= np.arange(n, dtype=np.int64)
    key.sort()
    sorted_ids = key >> shift
    first = _run_starts(sorted_ids)
    inverse = np.empty(n, dtype=np.intp)
    inverse[key & ((1 << shift) - 1)] = np.cumsum(first) - 1
    return sorted_ids[first].astype(ids.dtype), inverse


def candidate_pairs(sigs: Sequence[Signature], *, window_days: int = WINDOW_DAYS,
                    max_block: int = MAX_BLOCK) -> np.ndarray:
    """``(i, j)`` index pairs (i < j) of articles sharing an entity id within ``window_days``; an
    undated article pairs with the others of an entity's posting list when that list is short."""
    postings: dict[str, list[int]] = {}
    for i, s in enumerate(sigs):
        for e in s.entity_ids:
            postings.setdefault(e, []).append(i)
    days = np.array([d if (d := _anchor_day(s)) is not None else -1 for s in sigs], dtype=np.int64)
    n = len(sigs)
    chunks = []
    for members in postings.values():
        if len(members) < 2:
            continue
        m = np.asarray(members, dtype=np.int64)
        dated, undated = m[days[m] >= 0], m[days[m] < 0]
        if len(dated) > 1:
            order = np.argsort(days[dated], kind="stable")
            idx, d = dated[order], days[dated][order]
            k = np.arange(len(d))
            hi = np.searchsorted(d, d + window_days, side="right")
            lo = np.searchsorted(d, d - window_days, side="left")
            dense = (hi - lo - 1) > max_block  # too common around this day to tell stories apart
            cnt = np.where(dense, 0, hi - k - 1)  # partners later in the window
            a = np.repeat(k, cnt)
            b = a + 1 + (np.arange(len(a)) - np.repeat(np.cumsum(cnt) - cnt, cnt))
            keep = ~dense[b]
            chunks.append(_codes(idx[a[keep]], idx[b[keep]], n))
        if len(undated) and len(m) <= max_block:
            others = m
            a = np.repeat(undated, len(others))
            b = np.tile(others, len(undated))
            keep = a != b
            chunks.append(_codes(a[keep], b[keep], n))
    if not chunks:
        return np.empty((0, 2), dtype=np.int64)
    codes = _sorted_unique(np.concatenate(chunks))
    return np.stack([codes // n, codes % n], axis=1)


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    """``np.unique(a)`` by one in-place sort: numpy 2's hash table for unique integers costs 7x
    more on the ~1M pair codes of 10K articles (0.34 s instead of 0.05 s)."""
    a.sort()
    return a[_run_starts(a)]


def _run_starts(a: np.ndarray) -> np.ndarray:
    """Where each run of equal values of sorted ``a`` begins (a boolean mask)."""
    first = np.empty(len(a), dtype=bool)
    first[:1] = True
    np.not_equal(a[1:], a[:-1], out=first[1:])
    return first


def _codes(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    return lo * n + hi


def _pair_cosines(x, pairs: np.ndarray, chunk: int = 20_000) -> np.ndarray:
    # chunks of 20K pairs: each row-wise product materializes two sparse blocks; 200K pairs held
    # ~400 MB more at peak on 10K articles for no gain in speed
    out = np.empty(len(pairs), dtype=np.float64)
    for k in range(0, len(pairs), chunk):
        p = pairs[k:k + chunk]
        out[k:k + chunk] = np.asarray(x[p[:, 0]].multiply(x[p[:, 1]]).sum(axis=1)).ravel()
    return out


def find_stories(signatures: Iterable[Signature], *, threshold: float = THRESHOLD,
                 window_days: int = WINDOW_DAYS, max_block: int = MAX_BLOCK) -> list[tuple[str, str, float]]:
    """``(story_id, doc_id, similarity)`` rows, one per article. Candidate pairs at or above
    ``threshold`` are links; groups of linked articles merge, strongest link first, when more than
    half of the pairs across two groups are links. A story is named after its smallest doc_id;
    ``similarity`` is the article's best cosine with another article (1.0 for a story of one)."""
    sigs = sorted((s for s in signatures if s is not None), key=lambda s: s.doc_id)
    n = len(sigs)
    if not n:
        return []
    pairs = candidate_pairs(sigs, window_days=window_days, max_block=max_block)
    best = np.zeros(n)
    parent = list(range(n))
    size = [1] * n
    first = list(range(n))  # the smallest index (= smallest doc_id) of each group names its story

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if len(pairs):
        sims = _pair_cosines(_tfidf(sigs), pairs)
        linked = sims >= threshold
        pairs, sims = pairs[linked], sims[linked]
        # links between groups, kept up to date as groups merge (the smaller one's into the bigger)
        across: dict[int, dict[int, int]] = {}
        for i, j in pairs.tolist():
            across.setdefault(i, {})[j] = 1
            across.setdefault(j, {})[i] = 1
        # strongest links first; two groups merge only when more than half of the article pairs
        # across them are linked (average linkage), so a chain of loosely related reports on a busy
        # week does not snowball into one story
        for k in np.lexsort((pairs[:, 1], pairs[:, 0], -sims)).tolist():
            ri, rj = root(int(pairs[k, 0])), root(int(pairs[k, 1]))
            if ri == rj or across[ri].get(rj, 0) * 2 <= size[ri] * size[rj]:
                continue
            keep, gone = (ri, rj) if size[ri] >= size[rj] else (rj, ri)
            parent[gone] = keep
            size[keep] += size[gone]
            first[keep] = min(first[keep], first[gone])
            links = across.pop(gone)
            links.pop(keep, None)
            mine = across[keep]
            mine.pop(gone, None)
            for other, c in links.items():
                mine[other] = mine.get(other, 0) + c
                theirs = across[other]
                theirs[keep] = theirs.get(keep, 0) + theirs.pop(gone)
        for (i, j), sim in zip(pairs.tolist(), sims.tolist()):
            if root(i) == root(j):
                best[i], best[j] = max(best[i], sim), max(best[j], sim)
    rows = []
    for i, s in enumerate(sigs):
        r = first[root(i)]
        rows.append((f"s-{sigs[r].doc_id}", s.doc_id, round(float(best[i]), 4) if best[i] else 1.0))
    return rows


class TwinDate(NamedTuple):
    """A publication date an undated article takes from a dated member of its story."""

    doc_id: str
    published: str
    twin: str
    evidence: str


_WEEKDAY_NAMES = {v: k for k, v in _WEEKDAYS.items()}


def date_from_twins(stories: Iterable[tuple[str, str, float]], signatures: Iterable[Signature]
                    ) -> list[TwinDate]:
    """Dates for undated articles of multi-article stories, when a weekday they name (their own
    anchor: "الإثنين", "أمس الخميس") falls on a day a dated twin is about — its publication date or
    one of its resolved days in the week before it. The latest such day wins; "أمس" means the
    article was published the day after. Articles with no weekday anchor, or none that agrees,
    stay undated."""
    by_id = {s.doc_id: s for s in signatures if s is not None}
    groups: dict[str, list[str]] = {}
    for story_id, doc_id, _ in stories:
        groups.setdefault(story_id, []).append(doc_id)
    out = []
    for members in groups.values():
        if len(members) < 2:
            continue
        dated = sorted((m for m in members if m in by_id and _ordinal(by_id[m].published) is not None),
                       key=lambda m: (by_id[m].published, m))
        for m in sorted(members):
            sig = by_id.get(m)
            if sig is None or sig.published or not sig.weekdays or not dated:
                continue
            best = None
            for t in dated:
                tw = by_id[t]
                p = _ordinal(tw.published)
                days = {p} | {d for d in map(_ordinal, tw.dates) if d is not None and p - 7 < d <= p}
                for day in days:
                    for wd, yesterday in sig.weekdays:
                        if _dt.date.fromordinal(day).weekday() == wd:
                            cand = (day + (1 if yesterday else 0), t, day, wd)
                            if best is None or cand[0] > best[0]:
                                best = cand
            if best:
                pub, t, day, wd = best
                iso = _dt.date.fromordinal(pub).isoformat()
                out.append(TwinDate(m, iso, t, (
                    f"{_WEEKDAY_NAMES[wd]} = {_dt.date.fromordinal(day).isoformat()}: same story as "
                    f"{t} (published {by_id[t].published})")))
    return out


def _s(v) -> str | None:
    """A table cell as a string, or None for a missing value (None, NaN, pd.NA)."""
    return v if isinstance(v, str) and v else None


def story_contrasts(tables, story_id: str | None = None):
    """What each article of a multi-article story reports that the other members do not:
    a DataFrame story_id, doc_id, outlet, kind ('entity'|'figure'|'quote'), item, shared_by
    (how many members have it), unique (True when only this article has it)."""
    import pandas as pd

    cols = ["story_id", "doc_id", "outlet", "kind", "item", "shared_by", "unique"]
    st = tables.stories
    sizes = st.groupby("story_id")["doc_id"].transform("size") if len(st) else st["doc_id"]
    st = st[sizes > 1] if len(st) else st
    if story_id is not None:
        st = st[st["story_id"] == story_id]
    if st.empty:
        return pd.DataFrame(columns=cols)
    member = dict(zip(st["doc_id"], st["story_id"]))
    outlet = dict(zip(tables.articles["doc_id"], tables.articles["outlet"].fillna(tables.articles["doc_id"])))
    items = []
    ents = tables.entities[tables.entities["doc_id"].isin(member)]
    for r in ents.drop_duplicates(["doc_id", "entity_id"]).itertuples():
        items.append((r.doc_id, "entity", _s(r.entity_id) or _s(r.surface), _s(r.canonical) or _s(r.surface)))
    figs = tables.figures[tables.figures["doc_id"].isin(member)]
    for r in figs.itertuples():
        key = f"{_s(r.quantity)}:{r.value:g}"
        items.append((r.doc_id, "figure", key, f"{_s(r.surface)} ({_s(r.quantity)})"))
    qs = tables.quotes[tables.quotes["doc_id"].isin(member)]
    for r in qs.itertuples():
        speaker, content = _s(r.speaker) or "?", _s(r.content) or ""
        who = _s(r.speaker_id) or normalize_ar(speaker)
        # a quote is shared when another article quotes the same speaker (wordings differ)
        items.append((r.doc_id, "quote", who, f"{speaker}: {content[:80]}"))
    if not items:
        return pd.DataFrame(columns=cols)
    df = pd.DataFrame(items, columns=["doc_id", "kind", "key", "item"]).drop_duplicates(["doc_id", "kind", "key", "item"])
    df["story_id"] = df["doc_id"].map(member)
    df["shared_by"] = df.groupby(["story_id", "kind", "key"])["doc_id"].transform("nunique")
    df["unique"] = df["shared_by"] == 1
    df["outlet"] = df["doc_id"].map(outlet)
    return df[cols].sort_values(["story_id", "doc_id", "kind", "item"], kind="mergesort").reset_index(drop=True)


def story_table(tables):
    """The multi-article stories: story_id, doc_id, outlet, published, published_basis,
    similarity, title (empty, with its columns, when every article stands alone)."""
    import pandas as pd

    cols = ["story_id", "doc_id", "outlet", "published", "published_basis", "similarity", "title"]
    st = tables.stories
    if st.empty:
        return pd.DataFrame(columns=cols)
    st = st[st.groupby("story_id")["doc_id"].transform("size") > 1]
    out = st.merge(tables.articles[["doc_id", "outlet", "published", "published_basis", "title"]],
                   on="doc_id", how="left")
    out["outlet"] = out["outlet"].fillna(_UNKNOWN)
    return out[cols].sort_values(["story_id", "doc_id"], kind="mergesort").reset_index(drop=True)


def story_side_by_side_html(contrasts, story_id: str) -> str:
    """One column per article of ``story_id``: the entities, figures and quotes it reports, those
    no other member reports in bold (from :func:`story_contrasts`). Article text is escaped."""
    from .framing_stats import Html

    e = html.escape
    df = contrasts[contrasts["story_id"] == story_id]
    if df.empty:
        return Html(f"<p>Nothing to compare in {e(story_id)}.</p>")
    docs = list(dict.fromkeys(df["doc_id"]))
    head = "".join(f"<th>{e(str(df.loc[df['doc_id'] == d, 'outlet'].iloc[0]))}<br><small>{e(d)}</small></th>"
                   for d in docs)
    rows = []
    for kind in ("entity", "figure", "quote"):
        cells = []
        for d in docs:
            part = df[(df["doc_id"] == d) & (df["kind"] == kind)] \
                .sort_values(["unique", "item"], ascending=[False, True], kind="mergesort")
            items = [f"<b>{e(i)}</b>" if u else e(i) for i, u in zip(part["item"], part["unique"])]
            cells.append("<td dir='rtl' style='text-align:right;vertical-align:top'>"
                         + "<br>".join(items) + "</td>")
        rows.append(f"<tr><th>{kind}</th>{''.join(cells)}</tr>")
    return Html(f"<h4>{e(story_id)}</h4><table><thead><tr><th></th>{head}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")


def stories_html(tables, *, limit: int = 10) -> str:
    """Side-by-side views of the ``limit`` largest multi-article stories (ties by story_id)."""
    from .framing_stats import Html

    contrasts = story_contrasts(tables)
    if contrasts.empty:
        return Html("<p>No story is told by more than one article here, so there is nothing to "
                    "set side by side.</p>")
    sizes = contrasts.groupby("story_id")["doc_id"].nunique()
    order = sorted(sizes.index, key=lambda s: (-sizes[s], s))[:limit]
    return Html("".join(story_side_by_side_html(contrasts, s) for s in order)
                + "<p><small>bold: only this article reports it; a quote counts as shared when "
                  "another article quotes the same speaker.</small></p>")


def stories_note(tables) -> str:
    """A sentence on how many stories span several articles (and when none does)."""
    from .framing_stats import Markdown

    n = len(tables.articles)
    st = tables.stories
    if not n:
        return Markdown("**No articles** in this selection.")
    sizes = st.groupby("story_id")["doc_id"].size() if len(st) else st
    multi = int((sizes > 1).sum()) if len(st) else 0
    if not multi:
        return Markdown(f"**No two of these {n} article(s) report the same story**: every article "
                        "is a story of its own.")
    in_multi = int(sizes[sizes > 1].sum())
    return Markdown(f"{multi} story(ies) told by more than one article, covering {in_multi} of {n} "
                    f"article(s). Threshold: TF-IDF cosine ≥ {THRESHOLD} between articles that share "
                    f"an actor or place within {WINDOW_DAYS} days.")


def twin_dated(tables):
    """Articles whose publication date was passed from a dated twin of their story: doc_id,
    published, published_evidence."""
    arts = tables.articles
    mask = (arts["published_basis"] == "inferred") & \
        arts["published_evidence"].fillna("").str.contains("same story as", regex=False)
    return arts.loc[mask, ["doc_id", "published", "published_evidence"]].reset_index(drop=True)


_UNKNOWN = "(unknown outlet)"
