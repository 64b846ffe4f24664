"""Reported events, coded the way ACLED and CAMEO (GDELT, Phoenix) code them, from trigger lexicons.

One row per reported event: a trigger word from ``idlibnb/data/event_triggers.tsv`` (زار، محادثات،
اتصال هاتفي، اتفاق، وقف إطلاق النار، دورية مشتركة، قصف، غارة، تعزيزات، اعتصام، نزوح … with their
inflections and clitics) gives the event type, its CAMEO event code and the ACLED event type and
sub-event type a coder would give it. Context words (``event_context.tsv``) drop triggers that report
no event (intent, fear, prevention: "لتجنب حدوث موجات نزوح"; a ceasefire only violated or asked for).

Per sentence: actors are the entity ids named in it (people, organisations, and countries that act);
the place is the location named with the trigger (coordinates from the gazetteer); the date is the
temporal expression of the sentence nearest to the trigger that belongs to it (a date introduced by
"اعتبارا من" belongs to the trigger before it); evidence is the sentence. One event reported twice
(same type, date and place) is one row.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from operator import itemgetter
from typing import Iterator, NamedTuple

from ..doc import Doc
from ..lexicon import package_tsv, trie_regex
from ..normalize import normalize_ar

try:  # the regex parser of the standard library (3.11+), to list the words a trigger starts with
    from re import _constants as _C
    from re._parser import parse as _sre_parse
except ImportError:  # pragma: no cover - another Python's internals: the text is scanned instead
    _C = _sre_parse = None

__all__ = ["Event", "events", "EVENT_TYPES"]

EVENT_TYPES = ("meeting", "call", "agreement", "ceasefire", "patrol", "attack", "reinforcement",
               "protest", "displacement")


class Event(NamedTuple):
    doc_id: str
    start: int
    end: int
    event_type: str
    cameo_code: str | None
    acled_event_type: str | None
    acled_sub_event_type: str | None
    date: str | None
    date_precision: str | None
    place: str | None
    lat: float | None
    lon: float | None
    actors: list
    evidence: str


# clitics and article a trigger word may carry: و/ف, then ب/ل/ك and/or ال ("وبالاتفاق", "للاتفاق")
_PREFIX = r"(?:[وف])?(?:[بك]?ال|لل|[بلك])?"


class _Trigger(NamedTuple):
    regex: re.Pattern
    event_type: str
    cameo: str | None
    acled: str | None
    acled_sub: str | None


def _load_triggers():
    by_key: dict[str, list[_Trigger]] = {}
    for r in package_tsv("event_triggers.tsv",
                         required=("key", "pattern", "event_type", "source"),
                         allowed={"event_type": EVENT_TYPES}):
        rx = re.compile(_PREFIX + "(?:" + r["pattern"] + r")(?!\w)")
        by_key.setdefault(normalize_ar(r["key"]), []).append(
            _Trigger(rx, r["event_type"], r.get("cameo_code") or None,
                     r.get("acled_event_type") or None, r.get("acled_sub_event_type") or None))
    return by_key


def _load_context():
    blockers: dict[str, list[str]] = {}
    cues: dict[str, list[str]] = {}
    for r in package_tsv("event_context.tsv", required=("words", "role", "event_types", "source"),
                         allowed={"role": ("blocker", "cue")}):
        target = blockers if r["role"] == "blocker" else cues
        for t in r["event_types"].split("|"):
            target.setdefault(t.strip(), []).append(r["words"])

    def rx(words):
        # only ever searched for (is there one?): a trie of literal words finds a match exactly where
        # the flat alternation does, trying one branch per character instead of every word
        parts = [w for cell in words for w in cell.split("|")]
        literal = all(re.escape(w) == w and " " not in w for w in parts)
        body = trie_regex(parts) if literal else "|".join(words)
        return re.compile(r"(?<!\w)(?:[وفبلك]|لل|ال|وال|بال|فال)?(?:" + body + r")(?!\w)")

    generic = blockers.get("*", [])
    block = {t: rx(generic + blockers.get(t, [])) for t in EVENT_TYPES}
    cue = {t: rx(cues[t]) for t in cues}
    return block, cue


_TRIGGERS = _load_triggers()
_BLOCK, _CUE = _load_context()
_CLAUSE_BREAK = re.compile(r"[،,؛:.!؟?\n]")
_LAST_CLAUSE_BREAK = re.compile(r"(?s).*" + _CLAUSE_BREAK.pattern)  # up to the last one
# a date introduced by these words starts the event named just before it ("وقف إطلاق النار اعتبارا من 6")
_FROM_RE = re.compile(r"(?:اعتبارا|ابتداء|بدءا|بداء)\s+من\s+(?:\w+\s+){0,2}$")
_FROM_FIRST = ("اعتبارا", "ابتداء", "بدءا", "بداء")
_BI = re.compile(r"(?:^|\W)[وف]?ب$")  # "بدمشق": the clitic ب before a place
_LOCATIVE = re.compile(r"(?:(?<!\w)(?:في|الي|قرب|داخل|نحو|شمال|جنوب|شرق|غرب|شمالي|جنوبي|شرقي|غربي|ريف|مدينه|بلده|قريه|منطقه|محافظه|العاصمه)\s+$)")
_MAX_GAP = 120  # characters between a trigger and the date it can take
_GAZETTEER = None


def _gazetteer():
    global _GAZETTEER
    if _GAZETTEER is None:
        try:
            from ..gazetteer import Gazetteer
            _GAZETTEER = Gazetteer.pretrained()
        except Exception:  # the gazetteer is optional here: events keep their place id without it
            _GAZETTEER = False
    return _GAZETTEER or None


_KEYS = tuple(_TRIGGERS)  # trigger keys in the lexicon's order (a tie between triggers keeps it)
_ROWS = tuple(_TRIGGERS.values())
# one scan for every key: a trie alternation matches the longest key starting at a position, and
# every other key starting there is a prefix of it
_KEY_RX = re.compile("(?:" + trie_regex(_KEYS) + ")")
_KEY_PREFIXES = {k: tuple(i for i, p in enumerate(_KEYS) if k.startswith(p)) for k in _KEYS}


def _keys_at_word_starts(text: str) -> Iterator[tuple[int, int]]:
    """``(word start, key index)`` for every key occurring in a word of ``text`` at most 6
    characters in (after clitics and article); a key twice in a word may give its start twice."""
    search, pos = _KEY_RX.search, 0
    while True:
        m = search(text, pos)
        if m is None:
            return
        i = s = m.start()
        while s > 0 and text[s - 1].isalnum() and i - s < 6:  # back to the word's start (clitics)
            s -= 1
        if s == 0 or not text[s - 1].isalnum():
            for k in _KEY_PREFIXES[m.group()]:
                yield s, k
        pos = i + 1


class _Open(Exception):
    """A pattern whose first word no finite list holds."""


_FIRST_WORDS_MAX = 100_000  # first words listed for all rows at most (else: the text is scanned)


def _first_words(pattern: str) -> set[tuple[str, bool]]:
    """``(first word, ended)`` for every alphanumeric run a match of ``pattern`` can begin with ('' if
    none): the text it matches up to its first character that is no letter or digit (a space, the
    end), for every branch and optional part; ``ended``: the word is over (a space came). Lookarounds
    are left out (they only forbid matches: the list can only grow). Raises :class:`_Open` where the
    first word is no finite list (``\\w``, ``.``, a negated set, letters repeated without bound)."""
    def chars(items):  # an [...] set: its characters, None for a space class
        out = []
        for op, av in items:
            if op is _C.LITERAL:
                out.append(chr(av))
            elif op is _C.RANGE and av[1] - av[0] < 64:
                out += map(chr, range(av[0], av[1] + 1))
            elif op is _C.CATEGORY and av is _C.CATEGORY_SPACE:
                out.append(None)
            else:
                raise _Open(pattern)
        return out

    def seq(items, heads):  # heads: {(first word so far, ended)}
        for op, av in items:
            live = {h for h, ended in heads if not ended}
            if not live:
                return heads
            done = heads - {(h, False) for h in live}
            if op is _C.LITERAL or op is _C.IN:
                nxt = set()
                for c in ([chr(av)] if op is _C.LITERAL else chars(av)):
                    if c is not None and c.isalnum():
                        nxt |= {(h + c, False) for h in live}
                    else:
                        nxt |= {(h, True) for h in live}
            elif op is _C.BRANCH:
                nxt = set().union(*(seq(alt, {(h, False) for h in live}) for alt in av[1]))
            elif op is _C.SUBPATTERN:
                nxt = seq(av[3], {(h, False) for h in live})
            elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT):
                lo, hi, sub = av
                if hi is _C.MAXREPEAT:
                    once = seq(sub, {("", False)})
                    if any(not ended or h for h, ended in once):
                        raise _Open(pattern)  # letters repeated without bound
                    hi = max(lo, 1)  # every round ends the word: more rounds add nothing
                cur = {(h, False) for h in live}
                nxt = set(cur) if lo == 0 else set()
                for i in range(1, hi + 1):
                    cur = seq(sub, cur)
                    if i >= lo:
                        nxt |= cur
            elif op in (_C.ASSERT, _C.ASSERT_NOT, _C.AT):
                continue
            else:
                raise _Open(pattern)
            heads = done | nxt
            if len(heads) > _FIRST_WORDS_MAX:
                raise _Open(pattern)
        return heads

    return seq(_sre_parse(pattern), {("", False)})


def _all_first_words() -> frozenset[str] | None:
    """The first words of every trigger row, None if some row's are no finite list."""
    if _sre_parse is None:
        return None
    out: set[str] = set()
    head, tail = _PREFIX + "(?:", r")(?!\w)"
    try:
        prefixes = _first_words(_PREFIX)  # the clitics, listed once: none ends a word
        glued = not any(ended for _, ended in prefixes)
        for rows in _ROWS:
            for t in rows:
                p = t.regex.pattern
                if glued and p.startswith(head) and p.endswith(tail):  # the row's own pattern
                    out.update(c + w for w, _ in _first_words(p[len(head):-len(tail)]) for c, _ in prefixes)
                else:
                    out.update(w for w, _ in _first_words(p))
                if len(out) > _FIRST_WORDS_MAX:
                    return None
    except (_Open, RecursionError, AttributeError, TypeError, ValueError):  # unlisted: scan the text
        return None
    out.discard("")
    return frozenset(out)


# A trigger matches at a word start, so the whole word it starts with is one of the rows' first
# words (listed once, lazily): an article's word tokens met with that list give the few words to
# look at, instead of scanning the text for keys at every character.
_FIRST_WORD_SET: list = []  # [frozenset | None] once computed
_KEYS_IN_WORD: dict[str, tuple[int, ...]] = {}  # first word -> the keys it holds at most 6 characters in


def _keys_in_word(w: str) -> tuple[int, ...]:
    ks = _KEYS_IN_WORD.get(w)
    if ks is None:
        ks = _KEYS_IN_WORD[w] = tuple(sorted({k for s, k in _keys_at_word_starts(w) if s == 0}))
    return ks


def _word_starts(norm: str, words: list[str]) -> set[tuple[int, int]] | None:
    """:func:`_keys_at_word_starts` of ``norm`` as a set, less the starts where no trigger row
    can match (the word there is no row's first word), from the word tokens ``words``; None when
    the rows' first words are not known (no finite list)."""
    if not _FIRST_WORD_SET:
        _FIRST_WORD_SET.append(_all_first_words())
    firsts = _FIRST_WORD_SET[0]
    if firsts is None:
        return None
    starts = set()
    add = starts.add
    n = len(norm)
    for w in firsts.intersection(words):
        keys = _keys_in_word(w)
        if not keys:
            continue
        k = len(w)
        i = norm.find(w)
        while i >= 0:
            j = i + k
            if (i == 0 or not norm[i - 1].isalnum()) and (j == n or not norm[j].isalnum()):
                for key in keys:  # mostly one: no generator per occurrence
                    add((i, key))
            i = norm.find(w, j)  # an occurrence inside this one is no whole word
    return starts


def _find_triggers(norm: str, words: list[str] | None = None) -> list[tuple[int, int, _Trigger]]:
    """``(norm_start, norm_end, trigger)`` of every trigger word, left to right, no overlaps: the
    start of a word holding a key at most 6 characters in (after clitics and article). ``words``:
    the word tokens of ``norm`` (:meth:`Doc.words`), if known."""
    # (word start, key index); a key twice in a word gives one start
    starts = _word_starts(norm, words) if words is not None else None
    if starts is None:
        starts = set(_keys_at_word_starts(norm))
    found = []
    for s, k in starts:
        for t in _ROWS[k]:
            m = t.regex.match(norm, s)
            if m:
                found.append((s, -m.end(), k, t))
                break
    # by start, longest first; between keys, the one listed first
    found.sort(key=lambda x: x[:3])
    out, end = [], -1
    for s, ne, _, t in found:
        if s >= end:
            out.append((s, -ne, t))
            end = -ne
    return out


def _blocked(norm: str, s: int, e: int, t: _Trigger, sent_ns: int) -> bool:
    lo = max(sent_ns, s - 40)
    window = norm[lo:s]
    m = _LAST_CLAUSE_BREAK.match(window)  # the window after its last clause break
    cut = m.end() if m else 0
    if _BLOCK[t.event_type].search(window, cut):
        return True
    return False


def events(doc: Doc, *, entities=None, timexes=None, gazetteer=None) -> Iterator[Event]:
    """Events reported in the body of ``doc`` (see the module docstring)."""
    text = doc.text
    if not text:
        return
    nt = doc.norm("text")
    norm = nt.norm
    triggers = _find_triggers(norm, doc.words("text"))
    if not triggers:
        return
    if timexes is None:
        from .dates import timexes as _timexes
        timexes = list(_timexes(doc))
    if entities is None:
        entities = []
    sents = doc.sentences or [(0, len(text))]
    starts = [s for s, _ in sents]

    # a trigger inside a place name is no trigger ("الزيارة" the village)
    loc_spans = [(x.start, x.end) for x in entities if x.label == "LOC" and getattr(x, "field", "text") == "text"]
    # group triggers, dates and entities by sentence (the sentence starting last at or before them)
    by_sent: dict[int, list] = {}
    for ns, ne, t in triggers:
        s, e = nt.span(ns, ne)
        inside = False
        for a, b in loc_spans:
            if a < e and s < b:
                inside = True
                break
        if inside:
            continue
        k = bisect_right(starts, s) - 1
        ss, se = sents[k if k > 0 else 0]
        if not (ss <= s < se):
            continue
        if _blocked(norm, ns, ne, t, nt.norm_index(ss)):
            continue
        by_sent.setdefault(k if k > 0 else 0, []).append((s, e, t))
    if not by_sent:
        return
    # the dates and entities of those sentences only
    dates_in: dict[int, list] = {}
    for x in timexes:
        if x.field != "text" or not x.value or x.precision not in ("day", "month", "year"):
            continue
        k = bisect_right(starts, x.start) - 1
        if (k if k > 0 else 0) in by_sent:
            dates_in.setdefault(k if k > 0 else 0, []).append(x)
    ents_in: dict[int, list] = {}
    for x in entities:
        if getattr(x, "field", "text") == "text" and x.entity_id:
            k = bisect_right(starts, x.start) - 1
            if (k if k > 0 else 0) in by_sent:
                ents_in.setdefault(k if k > 0 else 0, []).append(x)
    gaz = gazetteer if gazetteer is not None else _gazetteer()

    seen = set()
    rows = []
    locatives: dict[int, tuple[bool, bool]] = {}  # id(LOC entity) -> (locative, country)
    for k in sorted(by_sent):
        ss, se = sents[k]
        found = by_sent[k]
        sent_norm = norm[nt.norm_index(ss):nt.norm_index(se)]
        # a type that needs a cue word (a ceasefire declared, not merely mentioned)
        found = [f for f in found if f[2].event_type not in _CUE or _CUE[f[2].event_type].search(sent_norm)]
        if not found:
            continue
        claims = _assign_dates(nt, found, dates_in.get(k, []))
        ents = ents_in.get(k, [])
        by_type: dict[str, list] = {}
        for f in found:
            by_type.setdefault(f[2].event_type, []).append(f)
        for etype, fs in by_type.items():
            t = fs[0][2]
            ids = {id(f) for f in fs}  # once per type, not per claim
            date = min((c for c in claims if c[1] in ids), key=_first, default=None)
            value, precision = (date[2].value, date[2].precision) if date else (None, None)
            place, actors = _place_and_actors(nt, fs[0], ents, gaz, locatives)
            key = (etype, value, place)
            if key in seen:
                continue
            seen.add(key)
            lat = lon = None
            if place and gaz is not None:
                try:
                    p = gaz.get(place)
                except Exception:
                    p = None
                if p is not None:
                    lat, lon = p.lat, p.lon
            rows.append(Event(doc.doc_id, ss, se, etype, t.cameo, t.acled, t.acled_sub, value, precision,
                              place, lat, lon, actors, text[ss:se]))
    # a dated event told once with its place and once without is one event: keep the placed row
    placed = {(r.event_type, r.date) for r in rows if r.date and r.place}
    rows = [r for r in rows if r.place or not r.date or (r.event_type, r.date) not in placed]
    # several events of one sentence share its span: the table sorts stably, so trigger order stays
    yield from rows


_first = itemgetter(0)  # a date claim's distance: the nearest claim wins, the first of a tie


def _assign_dates(nt, found, dates) -> list:
    """``[(distance, id(trigger), timex)]``: each date of the sentence goes to its nearest trigger
    (a date after "اعتبارا من" to the nearest trigger before it). ``nt``: the text's NormText."""
    claims = []
    norm = nt.norm
    # _FROM_RE needs one of its first words, in the window before the date, hence in the text
    may_start = bool(dates) and any(w in norm for w in _FROM_FIRST)
    for x in dates:
        if may_start:
            # normalization maps or drops single characters: the window's normalized text is a slice
            before = norm[nt.norm_index(max(0, x.start - 40)):nt.norm_index(x.start)]
            starts_event = _FROM_RE.search(before) is not None
        else:
            starts_event = False
        best = None
        for f in found:
            s, e = f[0], f[1]
            if starts_event:
                if e > x.start:
                    continue
                d = x.start - e
            else:
                d = x.start - e if e <= x.start else s - x.end if x.end <= s else 0
            if d <= _MAX_GAP and (best is None or d < best[0]):
                best = (d, id(f))
        if best:
            claims.append((best[0], best[1], x))
    return claims


def _is_country(x, gaz) -> bool:
    if gaz is not None:
        try:
            p = gaz.get(x.entity_id)
        except Exception:
            p = None
        if p is not None:
            return p.kind == "country"
    return bool(x.side or x.cameo)


def _place_and_actors(nt, f, ents, gaz=None, locatives=None) -> tuple[str | None, list]:
    """The place of a trigger (a city or region over a country, after the trigger over before) and
    the actors of its sentence (people, organisations, and states named as subjects). ``nt``: the
    text's NormText; ``locatives``: a memo of each LOC entity's (locative, country) for one text."""
    s, e = f[0], f[1]
    best, place = None, None
    actors = []
    if locatives is None:
        locatives = {}
    for x in ents:
        if x.label == "LOC":
            got = locatives.get(id(x))
            if got is None:
                # the normalized text of the 12 characters before it (a slice: see _assign_dates)
                before = nt.norm[nt.norm_index(max(0, x.start - 12)):nt.norm_index(x.start)]
                country = _is_country(x, gaz)
                # "بدمشق", "في موسكو": a place; a state named bare ("توصلت تركيا وروسيا") acts
                got = locatives[id(x)] = (bool(_LOCATIVE.search(before) or _BI.search(before)) or not country,
                                          country)
            locative, country = got
            if locative:
                d = x.start - e if x.start >= e else (s - x.end) + 20  # prefer a place after the trigger
                rank = (country, d)
                if best is None or rank < best:
                    best, place = rank, x.entity_id
                continue
        if x.entity_id not in actors:
            actors.append(x.entity_id)
    if place in actors:
        actors.remove(place)
    return place, actors
