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
from typing import Iterator, NamedTuple

from ..doc import Doc
from ..lexicon import package_tsv, trie_regex
from ..normalize import normalize_ar

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
        return re.compile(r"(?<!\w)(?:[وفبلك]|لل|ال|وال|بال|فال)?(?:" + "|".join(words) + r")(?!\w)")

    generic = blockers.get("*", [])
    block = {t: rx(generic + blockers.get(t, [])) for t in EVENT_TYPES}
    cue = {t: rx(cues[t]) for t in cues}
    return block, cue


_TRIGGERS = _load_triggers()
_BLOCK, _CUE = _load_context()
_CLAUSE_BREAK = re.compile(r"[،,؛:.!؟?\n]")
# a date introduced by these words starts the event named just before it ("وقف إطلاق النار اعتبارا من 6")
_FROM_RE = re.compile(r"(?:اعتبارا|ابتداء|بدءا|بداء)\s+من\s+(?:\w+\s+){0,2}$")
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


def _find_triggers(norm: str) -> list[tuple[int, int, _Trigger]]:
    """``(norm_start, norm_end, trigger)`` of every trigger word, left to right, no overlaps: the
    start of a word holding a key at most 6 characters in (after clitics and article)."""
    starts = set()  # (word start, key index); a key twice in a word gives one start
    search, pos = _KEY_RX.search, 0
    while True:
        m = search(norm, pos)
        if m is None:
            break
        i = s = m.start()
        while s > 0 and norm[s - 1].isalnum() and i - s < 6:  # back to the word's start (clitics)
            s -= 1
        if s == 0 or not norm[s - 1].isalnum():
            starts.update((s, k) for k in _KEY_PREFIXES[m.group()])
        pos = i + 1
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
    cut = max((m.end() for m in _CLAUSE_BREAK.finditer(window)), default=0)
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
    triggers = _find_triggers(norm)
    if not triggers:
        return
    if timexes is None:
        from .dates import timexes as _timexes
        timexes = list(_timexes(doc))
    if entities is None:
        entities = []
    sents = doc.sentences or [(0, len(text))]
    starts = [s for s, _ in sents]

    def sent_index(pos: int) -> int:
        return max(0, bisect_right(starts, pos) - 1)

    # a trigger inside a place name is no trigger ("الزيارة" the village)
    loc_spans = [(x.start, x.end) for x in entities if x.label == "LOC" and getattr(x, "field", "text") == "text"]
    # group triggers, dates and entities by sentence
    by_sent: dict[int, list] = {}
    for ns, ne, t in triggers:
        s, e = nt.span(ns, ne)
        if any(a < e and s < b for a, b in loc_spans):
            continue
        k = sent_index(s)
        ss, se = sents[k]
        if not (ss <= s < se):
            continue
        if _blocked(norm, ns, ne, t, nt.norm_index(ss)):
            continue
        by_sent.setdefault(k, []).append((s, e, t))
    if not by_sent:
        return
    dates_in: dict[int, list] = {}
    for x in timexes:
        if x.field != "text" or not x.value or x.precision not in ("day", "month", "year"):
            continue
        dates_in.setdefault(sent_index(x.start), []).append(x)
    ents_in: dict[int, list] = {}
    for x in entities:
        if getattr(x, "field", "text") == "text" and x.entity_id:
            ents_in.setdefault(sent_index(x.start), []).append(x)
    gaz = gazetteer if gazetteer is not None else _gazetteer()

    seen = set()
    rows = []
    for k in sorted(by_sent):
        ss, se = sents[k]
        found = by_sent[k]
        sent_norm = norm[nt.norm_index(ss):nt.norm_index(se)]
        # a type that needs a cue word (a ceasefire declared, not merely mentioned)
        found = [f for f in found if f[2].event_type not in _CUE or _CUE[f[2].event_type].search(sent_norm)]
        if not found:
            continue
        claims = _assign_dates(text, found, dates_in.get(k, []))
        ents = ents_in.get(k, [])
        by_type: dict[str, list] = {}
        for f in found:
            by_type.setdefault(f[2].event_type, []).append(f)
        for etype, fs in by_type.items():
            t = fs[0][2]
            date = min((c for c in claims if c[1] in [id(f) for f in fs]), key=lambda c: c[0], default=None)
            value, precision = (date[2].value, date[2].precision) if date else (None, None)
            place, actors = _place_and_actors(text, fs[0], ents, gaz)
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


def _assign_dates(text: str, found, dates) -> list:
    """``[(distance, id(trigger), timex)]``: each date of the sentence goes to its nearest trigger
    (a date after "اعتبارا من" to the nearest trigger before it)."""
    claims = []
    for x in dates:
        before = normalize_ar(text[max(0, x.start - 40):x.start])
        starts_event = _FROM_RE.search(before) is not None
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


def _place_and_actors(text: str, f, ents, gaz=None) -> tuple[str | None, list]:
    """The place of a trigger (a city or region over a country, after the trigger over before) and
    the actors of its sentence (people, organisations, and states named as subjects)."""
    s, e = f[0], f[1]
    best, place = None, None
    actors = []
    for x in ents:
        if x.label == "LOC":
            before = normalize_ar(text[max(0, x.start - 12):x.start])
            country = _is_country(x, gaz)
            # "بدمشق", "في موسكو": a place; a state named bare ("توصلت تركيا وروسيا") acts
            locative = bool(_LOCATIVE.search(before) or _BI.search(before)) or not country
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
