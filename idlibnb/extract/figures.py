"""Casualty, displacement and other counts with source, period, place and breakdown — issue 5.

A figure is a number (digits in any script, number words, scale words, mixed forms such as
"ألف و700") followed by a counted noun from ``data/figure_nouns.tsv`` ("455 مدنيًا", "6 كم",
"ثلاثة أطفال"), a dual that counts ("مدنيان", "طفلين"), or a bare singular after بينهم/منهم
("بينهم طفل" = 1). Requiring a counted noun is what keeps years, dates, ages, money, percentages and
model names ("إم 4", "سو-35") out: none of them is followed by one.

What is counted comes from the noun itself (قتلى → killed), else from a casualty/displacement word
near it (``data/quantity_verbs.tsv``), else from the figure it breaks down. Within a sentence,
"بينهم 139 طفلًا" is part of the figure before it, and a list "إدلب 334 مدنيًا … حماة 108 مدنيين"
after a total of the same unit is a breakdown by place; ``consistent`` says whether it adds up.

Everything is matched on the normalized text (:meth:`Doc.norm`) and mapped back, so
``doc.field_text(field)[start:end] == surface``.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Iterable, Iterator, NamedTuple

from ..doc import Doc
from ..lexicon import package_tsv, trie_regex
from ..normalize import normalize_ar
from .dates import _digit_runs

__all__ = ["Figure", "figures", "parse_number_ar", "QUANTITIES", "QUALIFIERS"]

QUANTITIES = ("killed", "injured", "displaced", "population", "distance", "other")
QUALIFIERS = ("exact", "approx", "more_than", "less_than")
_PERSON_QUANTITIES = {"killed", "injured", "displaced"}
_MAX_VALUE = 1e9  # more people than that is a malformed number, not a claim


class Figure(NamedTuple):
    figure_id: str
    doc_id: str
    field: str
    start: int
    end: int
    surface: str
    value: float
    quantity: str
    unit: str | None
    qualifier: str
    part_of: str | None
    place: str | None
    period_start: str | None
    period_end: str | None
    source: str | None
    consistent: bool | None


# --------------------------------------------------------------------------------------------
# lexicons → compiled patterns (once, lazily)

_L = r"[^\W\d_]"  # a letter (Arabic or Latin)


def _alt(words: Iterable[str]) -> str:
    """Trie alternation of the normalized forms of ``words`` (spaces match any whitespace)."""
    return trie_regex({" ".join(normalize_ar(w).split()) for w in words if w.strip()})


class _Noun(NamedTuple):
    unit: str
    quantity: str | None
    kind: str  # person | thing | distance
    form: str  # 'sg' | 'pl' | 'du'
    singular: str


class _Lex(NamedTuple):
    number_words: dict  # normalized word (spaces collapsed) -> (value, kind)
    nouns: dict  # normalized form -> _Noun (the counted noun after a number is looked up here)
    scan: re.Pattern  # numbers (with their noun), counting duals, bare singulars after بينهم
    sibling: re.Pattern  # "بينهم طفلان وامرأة": a bare singular joined to a part by و
    triggers: re.Pattern
    trigger_q: dict  # normalized form -> (quantity, position)
    cues: re.Pattern
    cue_kind: dict
    starts: _Keys  # first words a figure can start with (number words, duals, بينهم), with clitics


def _noun_forms(rows) -> dict[str, _Noun]:
    out: dict[str, _Noun] = {}
    for r in rows:
        sg = normalize_ar(r["singular"])
        q = r.get("quantity") or None
        plurals = [normalize_ar(p) for p in (r.get("plural") or "").split("|") if p.strip()]

        def put(form, kind):
            out.setdefault(form, _Noun(r["unit"], q, r["kind"], kind, sg))

        put(sg, "sg")
        for p in plurals:
            put(p, "pl")
        head, _, rest = sg.partition(" ")
        rest = (" " + rest) if rest else ""
        if r["kind"] == "distance" and len(head) <= 3:
            continue  # abbreviations (كم) have no derived forms
        if not head.endswith(("ه", "ا", "ي")) or head.endswith("ي") and len(head) > 3:
            put(head + "ا" + rest, "sg")  # accusative: طفلا، مدنيا، جنديا
        stem = head[:-1] + "ت" if head.endswith("ه") else head
        for suf in ("ان", "ين"):
            form = stem + suf
            if form in plurals or form + rest in out and out[form + rest].form == "pl":
                continue  # مدنيين is a plural first: never read it as a dual
            put(form + rest, "du")
    return out


@lru_cache(maxsize=None)
def _lex() -> _Lex:
    nw_rows = package_tsv("number_words.tsv", required=("word", "value", "kind", "source"),
                          allowed={"kind": ("unit", "ten", "hundred", "scale", "scale_pl", "scale_dual", "fraction")})
    number_words = {" ".join(normalize_ar(r["word"]).split()): (float(r["value"]), r["kind"]) for r in nw_rows}
    noun_rows = package_tsv("figure_nouns.tsv", required=("singular", "unit", "kind", "source"),
                            allowed={"kind": ("person", "thing", "distance"), "quantity": QUANTITIES})
    nouns = _noun_forms(noun_rows)
    digits = (r"\d{1,3}(?:[,٬]\d{3})+(?:[.٫]\d+)?(?![\d,٬])"
              r"|\d+[.٫]\d+"
              r"|\d+[,،]\d{1,2}(?=\s*(?:مليون|ملايين|الف|الاف|مليار))"
              r"|\d+")
    atom = rf"(?:{digits}|(?:{_alt(number_words)})(?!{_L}))"
    duals = [f for f, n in nouns.items() if n.form == "du" and n.kind == "person"]
    singles = [f for f, n in nouns.items() if n.form == "sg" and n.kind == "person"
               and n.unit != "persons" and not f.endswith("ا")]
    # one pass over the text: a word start, perhaps a clitic (و700، ومدنيان), then one of three shapes;
    # the noun after a number is looked up in ``nouns`` (see _noun_after): as an alternation of its
    # ~900 forms it made compiling the pattern the dearest part of the stage
    scan = re.compile(
        rf"(?<!{_L})(?<![\d.,٫٬/\-])[وبلف]?(?:"
        rf"(?P<chunk>{atom}(?:\s+و?\s*{atom}|\s*و{atom})*)(?![\d]|[.,٫٬/\-]\d|\s*%)"
        rf"|(?P<dual>{_alt(duals)})(?!{_L})"
        rf"|(?:من\s+)?(?:بينهم|منهم|بينهن|منهن)\s+(?P<bare>{_alt(singles)})(?!{_L})(?!\s+\d))")
    qrows = package_tsv("quantity_verbs.tsv", required=("form", "quantity", "position", "source"),
                        allowed={"quantity": QUANTITIES, "position": ("before", "after")})
    trigger_q = {normalize_ar(r["form"]): (r["quantity"], r["position"]) for r in qrows}
    triggers = re.compile(rf"(?<!{_L})(?P<p>[وفبل]|ال|لل)?(?P<w>{_alt(trigger_q)})(?!{_L})")
    crows = package_tsv("source_cues.tsv", required=("form", "kind", "source"),
                        allowed={"kind": ("prep", "verb")})
    cue_kind = {" ".join(normalize_ar(r["form"]).split()): r["kind"] for r in crows}
    cues = re.compile(rf"(?<!{_L})(?:[وف])?(?P<w>{_alt(cue_kind)})(?!{_L})|(?<!{_L})(?:[وف])?(?P<w2>وفقا|طبقا)\s*ل")
    sibling = re.compile(rf"\s*و(?P<bare>{_alt(singles)})(?!{_L})(?!\s+\d)")
    firsts = {w.split()[0] for w in number_words} | set(duals) | {"بينهم", "منهم", "بينهن", "منهن"}
    starts = _word_keys(firsts, "وبلف")
    return _Lex(number_words, nouns, scan, sibling, triggers, trigger_q, cues, cue_kind, starts)


_QUALIFIERS = [  # on normalized text, the words just before the number
    ("more_than", re.compile(r"(?:اكثر\s+من|ما\s+يزيد\s+(?:عن|علي)|يزيد\s+(?:عن|علي)|ما\s+لا\s+يقل\s+عن|لا\s+يقل\s+عن"
                             r"|ازيد\s+من|اكثر\s+من|ما\s+يربو\s+علي|يربو\s+علي)\s*$")),
    ("less_than", re.compile(r"(?:اقل\s+من|ما\s+دون|ما\s+يقل\s+عن|(?:ما\s+)?لا\s+(?:يتجاوز|تتجاوز|يزيد\s+عن|يزيد\s+علي))\s*$")),
    ("approx", re.compile(r"(?<!\w)ب?(?:نحو|قرابه|حوالي|زهاء|ما\s+يقارب|ما\s+يقرب\s+من|يقارب|تقريبا|قرابه)\s*$")),
]
_SUB = re.compile(r"(?:(?:من\s+)?(?:بينهم|منهم|بينهن|منهن|بينها|منها|من\s+ضمنهم|ضمنهم))\s*$")
_DIST_MARK = re.compile(r"موزع|توزع|كالتالي|كالاتي|علي\s+النحو|:")
_SIBLING_GAP = re.compile(r"\s*،?\s*و?\s*$")
_PERIOD_START = re.compile(r"(?:منذ|من|بين|اعتبارا\s+من|خلال\s+الفتره\s+من|في\s+الفتره\s+(?:بين|من))\s*$")
_PERIOD_SINCE = re.compile(r"منذ\s*$")
_PERIOD_DURING = re.compile(r"(?:خلال|طيله|طوال)\s*$")
_PERIOD_END = re.compile(r"(?:حتي|الي|لغايه|و|وحتي|والي|ولغايه)\s*$")


def parse_number_ar(s: str) -> float | None:
    """The value of a written number: digits, number words, scale words and mixed forms.

    >>> parse_number_ar("ألف و700"), parse_number_ar("3.5 مليون"), parse_number_ar("ثلاثة آلاف")
    (1700.0, 3500000.0, 3000.0)
    """
    groups = _parse_chunk(normalize_ar(s))
    if not groups or len(groups) != 1:
        return None
    return groups[0][0]


def _atoms(chunk: str) -> list[tuple[float, str, bool]]:
    """``(value, kind, glued_and)`` for every atom of a number chunk (normalized)."""
    lex = _lex()
    out = []
    toks = chunk.split()
    i = 0
    while i < len(toks):
        tok, conj = toks[i], False
        if tok == "و":
            i += 1
            if i >= len(toks):
                break
            tok, conj = toks[i], True
        elif tok[0] == "و" and tok[1:2] and (tok[1].isdigit() or tok[1:] in lex.number_words
                                              or i + 1 < len(toks) and f"{tok[1:]} {toks[i+1]}" in lex.number_words):
            tok, conj = tok[1:], True
        elif tok[0] in "بل" and tok[1:2].isdigit():
            tok = tok[1:]
        # compound teens are two words ("ثلاثة عشر")
        if i + 1 < len(toks) and f"{tok} {toks[i+1]}" in lex.number_words:
            v, k = lex.number_words[f"{tok} {toks[i+1]}"]
            out.append((v, k, conj))
            i += 2
            continue
        if tok in lex.number_words:
            v, k = lex.number_words[tok]
            out.append((v, k, conj))
        else:
            num = tok.replace("٬", "").replace("٫", ".").replace("،", ".")
            if "," in num:
                num = num.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", num) else num.replace(",", ".")
            try:
                out.append((float(num), "digit", conj))
            except ValueError:
                return []
        i += 1
    return out


def _parse_chunk(chunk: str) -> list[tuple[float, int]]:
    """Numbers in a chunk as ``(value, n_atoms)``: atoms join only where Arabic joins them
    ("ألف و700", "ثلاثة آلاف", "خمسة وعشرون"), never "25 و26". A vague plural scale with no
    multiplier ("آلاف") ends the chunk with None."""
    atoms = _atoms(chunk)
    groups: list[list[tuple[float, str, bool]]] = []
    for a in atoms:
        if groups:
            prev = groups[-1][-1]
            v, k, conj = a
            pk = prev[1]
            if k.startswith("scale") and not conj:
                joins = pk != "scale_dual"
            elif pk == "fraction":
                joins = False
            elif conj:
                joins = pk in ("scale", "scale_pl", "scale_dual", "hundred") or (pk == "unit" and k == "ten")
            else:
                joins = pk == "unit" and k == "hundred" and v == 100 and prev[0] < 10
            if joins:
                groups[-1].append(a)
                continue
        groups.append([a])
    out = []
    for g in groups:
        total, cur, ok = 0.0, None, True
        if g[-1][1] == "fraction" or any(k == "fraction" for _, k, _ in g[1:]):
            out.append((None, len(g)))
            continue
        for v, k, _ in g:
            if k.startswith("scale"):
                if cur is None:
                    if k == "scale_pl":
                        ok = False  # "آلاف" alone: thousands, not a number
                        break
                    cur = 1.0
                total += cur * v
                cur = None
            elif k == "hundred" and cur is not None and cur < 10 and v == 100:
                cur *= 100
            else:
                cur = (cur or 0.0) + v
        out.append((total + (cur or 0.0) if ok else None, len(g)))
    return out


# --------------------------------------------------------------------------------------------

class _Cand:
    __slots__ = ("ns", "ne", "num_s", "value", "noun", "qualifier", "quantity", "sub", "parent",
                 "place", "place_part", "sent", "children", "fid", "source", "period", "consistent", "elided")

    def __init__(self, ns, ne, num_s, value, noun):
        self.ns, self.ne, self.num_s, self.value, self.noun = ns, ne, num_s, value, noun
        self.qualifier = "exact"
        self.quantity = None
        self.sub = False
        self.parent = None
        self.place = None
        self.place_part = False
        self.children = []
        self.fid = None
        self.source = None
        self.period = (None, None)
        self.consistent = None
        self.elided = False  # no noun after the number: a row only if what it counts is known


def _assign_sentences(cands: list[_Cand], doc: Doc, field: str, nt) -> None:
    """Each candidate's sentence as a normalized span (only the sentences that hold a candidate
    are converted: an article has many more sentences than figures)."""
    whole = (0, len(nt.norm))
    if field == "title" or not doc.sentences:
        for c in cands:
            c.sent = whole
        return
    starts = [s for s, _ in doc.sentences]
    done: dict[int, tuple[int, int]] = {}
    for c in cands:
        k = bisect_right(starts, nt.orig_index(c.ns)) - 1
        if k < 0:
            c.sent = whole
            continue
        if k not in done:
            s, e = doc.sentences[k]
            done[k] = (nt.norm_index(s), nt.norm_index(e))
        c.sent = done[k]


_DIGIT_RUN = re.compile(r"\d+")
_STRIP = "،,.:;؛!؟?()[]{}«»\"“”″'‘’/-–—…*#|"
_TRAIL = list("،,.:;)»\"”″'") + ['".', '",', '"،', '”.', '”،', ').', ')،', '),', '»،', '».', '":', '″.', '″،']
_LEAD = list("(«\"“'") + [':"', ':“', '("', '(«', '"(', ':«']


_TRAIL_SET, _LEAD_SET = frozenset(_TRAIL), frozenset(_LEAD)


class _Keys:
    """A word list as :func:`_word_positions` looks it up: ``bare``, the words bare and behind a
    clitic; ``keys``, those and with the punctuation that sticks to words (whitespace-split tokens),
    built when first asked for: the doc-words path of :func:`_word_positions` does without it when
    the words are ``plain`` (none begins or ends with such punctuation or holds a separator)."""

    __slots__ = ("bare", "plain", "_keys")

    def __init__(self, bare: frozenset):
        # a word of several words (or with ،) is never one token, in either path: leaving it out
        # changes no position, and lets a list with two-word duals take the doc-words path
        self.bare = frozenset(w for w in bare if "،" not in w and len(w.split()) == 1)
        self.plain = all(w[0] not in _STRIP and w[-1] not in _STRIP for w in self.bare)
        self._keys = None

    @property
    def keys(self) -> frozenset:
        if self._keys is None:
            b = self.bare
            self._keys = frozenset(b | {w + p for w in b for p in _TRAIL} | {p + w for w in b for p in _LEAD})
        return self._keys


def _word_keys(words: Iterable[str], clitics: str = "") -> _Keys:
    """The whitespace-split tokens under which ``words`` can appear: bare, behind a clitic, and with
    the punctuation that sticks to words — the key set :func:`_word_positions` intersects with."""
    return _Keys(frozenset(set(words) | {c + w for w in words for c in clitics}))


@lru_cache(maxsize=8)
def _token_set(norm: str) -> frozenset:
    """The whitespace tokens of a normalized text (cached: figures and quotes ask for the same text)."""
    return frozenset(norm.replace("،", " ").split())


def _occurrences(norm: str, w: str) -> list[int]:
    """Start offsets of ``w`` in ``norm`` with no letter right before or after it."""
    out = []
    n = len(w)
    i = norm.find(w)
    while i >= 0:
        j = i + n
        if (i == 0 or not norm[i - 1].isalpha()) and (j == len(norm) or not norm[j].isalpha()):
            out.append(i)
        i = norm.find(w, j)
    return out


def _occurrences_each(norm: str, found) -> dict[str, list[int]]:
    """:func:`_occurrences` of every word of ``found`` (all letters). A word that is one letter more
    than another one found (وقال beside قال) is collected while that one is scanned: each of its
    occurrences holds one of the shorter word, one str.find pass serves both. The scan steps one
    character at a time so no occurrence is stepped over."""
    by: dict[str, list[int]] = {w: [] for w in found}
    derived: dict[str, dict[str, str]] = {}  # shorter word -> {its extra first letter: longer word}
    alone = []
    for w in found:
        if w[1:] in by and w[2:] not in by:  # w[1:] is then scanned alone
            derived.setdefault(w[1:], {})[w[0]] = w
        else:
            alone.append(w)
    n = len(norm)
    for w in alone:
        out, pre, k = by[w], derived.get(w), len(w)
        i = norm.find(w)
        while i >= 0:
            j = i + k
            if j == n or not norm[j].isalpha():
                if i == 0 or not norm[i - 1].isalpha():
                    out.append(i)
                elif pre:
                    longer = pre.get(norm[i - 1])
                    if longer is not None and (i == 1 or not norm[i - 2].isalpha()):
                        by[longer].append(i - 1)
            i = norm.find(w, i + 1)
    return by


def _word_positions(norm: str, keys: _Keys, words: list[str] | None = None) -> list[int]:
    """Start offsets of the words of ``keys`` in ``norm`` (on word boundaries), for every word of
    which at least one whitespace-split token (after ، → space) is in ``keys.keys``: a set
    intersection with the text's tokens (C speed) first, then str.find for the few words present. A
    regex run at every word start costs several times more on long lexicons.

    ``words`` are the text's word tokens (:meth:`Doc.words`, cached for every extractor): then no
    token set is built. A key token is a word with punctuation around it, so its word is one of
    ``words``; a word found there counts if one of its occurrences sits in a whitespace token that is
    a key, as the token set would have said. A word list that is not ``keys.plain`` (a word with
    punctuation at an end, or two words) is looked up in the token set: its words are no tokens."""
    if words is None or not keys.plain:
        hits = {t.strip(_STRIP) for t in _token_set(norm) & keys.keys}
        out = []
        for w in hits:
            out += _occurrences(norm, w)
        return out
    out = []
    n = len(norm)
    found = keys.bare.intersection(words)
    if not found:
        return out
    each = _occurrences_each(norm, found) if "".join(found).isalpha() else {w: _occurrences(norm, w) for w in found}
    for w, occ in each.items():
        for i in occ:
            # the whitespace token (، splits too) around this occurrence
            a, b = i, i + len(w)
            while a > 0 and not (norm[a - 1].isspace() or norm[a - 1] == "،"):
                a -= 1
            while b < n and not (norm[b].isspace() or norm[b] == "،"):
                b += 1
            j = i + len(w)
            # "t in keys.keys and t.strip(_STRIP) == w" for a word with no punctuation at its ends:
            # the token is the word, the word and a _TRAIL, or a _LEAD and the word
            if (a == i and (b == j or norm[j:b] in _TRAIL_SET)) or (b == j and norm[a:i] in _LEAD_SET):
                out += occ
                break
    return out


def _digit_run_starts(norm: str) -> list[int]:
    """Start offsets of the runs of decimal digits in ``norm`` (``_DIGIT_RUN.finditer``): the runs
    dates found in the text's cp1256 bytes (cached), the regex for a text outside cp1256."""
    runs = _digit_runs(norm)
    if runs is None:
        return [m.start() for m in _DIGIT_RUN.finditer(norm)]
    return [r[0] for r in runs]


# the words a counted noun can be after a number: "455 مدنيا", "5كم", "من الأطفال", "نقطة مراقبة"
_NOUN_WORDS = re.compile(rf"\s*(?P<min>من\s+(?:ال)?)?(?P<w1>{_L}+)(?:\s+(?P<w2>{_L}+))?")


def _noun_after(norm: str, end: int, nouns: dict) -> tuple[str, int, int] | None:
    """The counted noun right after a number ending at ``end``: ``(form, start, end)``, the
    two-word form first ("نقطه مراقبه" before "نقطه"), or None."""
    w = _NOUN_WORDS.match(norm, end)
    if w is None:
        return None
    form, form_end = None, None
    if w.group("w2") is not None:
        two = f"{w.group('w1')} {w.group('w2')}"
        if two in nouns:
            form, form_end = two, w.end("w2")
    if form is None and w.group("w1") in nouns:
        form, form_end = w.group("w1"), w.end("w1")
    if form is None:
        return None
    if w.group("min") and nouns[form].kind == "thing" and nouns[form].form == "sg":
        return None  # "50 ألفا من مدينة عفرين": people from a place, not 50,000 cities
    return form, w.start("w1"), form_end


def _scan(norm: str, lex: _Lex, words: list[str] | None = None):
    """The scan regex run only where a figure can start: digit runs and the words of ``lex.starts``
    present in the text (found with a set intersection, then str.find), instead of at every word
    start — three times faster than ``lex.scan.finditer`` and the same matches. Yields the match and
    the noun after its number (:func:`_noun_after`, None when there is none)."""
    starts = []
    for p in _digit_run_starts(norm):
        if p and norm[p - 1] in "وبلف" and (p < 2 or not norm[p - 2].isalpha()):
            p -= 1  # "و700": the clitic is where the scan starts
        starts.append(p)
    starts.extend(_word_positions(norm, lex.starts, words))
    last = -1
    for p in sorted(set(starts)):
        if p < last:
            continue
        m = lex.scan.match(norm, p)
        if m:
            noun = _noun_after(norm, m.end("chunk"), lex.nouns) if m.group("chunk") else None
            last = noun[2] if noun else m.end()
            yield m, noun


_TOLL = re.compile(r"(?:عدد|حصيله|اعداد)\s+(?:ال)?(?P<n>قتلي|ضحايا|شهداء|جرحي|مصابين|نازحين|مهجرين|لاجئين)"
                   r"(?:\s+(?P<civ>ال)?مدنيين)?(?:\s+[^\s.،,:؛]+){0,6}?"
                   r"\s+(?:الي|ب|نحو|بلغ|بلغت|يبلغ|تبلغ|قرابه|حوالي|اكثر\s+من|الي\s+اكثر\s+من|الي\s+نحو)\s*$")
# "العدد الإجمالي من المدنيين الذين خرجوا من الغوطة بلغ 79 ألفا": people and the verb that says what
# happened to them, in a relative clause, before a number with no noun
_TOLL_WHO = re.compile(r"(?:عدد|اعداد)(?:\s+(?:الاجمالي|الكلي)\s+(?:من|ل))?\s+(?:ال)?(?P<who>مدنيين|اشخاص|سكان)"
                       r"\s+(?:الذين|ممن)\s+(?P<clause>(?:[^\s.،,:؛]+\s+){1,5}?)"
                       r"(?:بلغ|بلغت|وصل|وصلت|ارتفع|ارتفعت)\s+(?:الي\s+)?(?:(?:نحو|حوالي|اكثر\s+من)\s+)?$")
_TOLL_LAST = ("الي", "ب", "نحو", "بلغ", "بلغت", "يبلغ", "تبلغ", "قرابه", "حوالي", "من")  # "اكثر من"
_NOT_A_COUNT_AFTER = re.compile(r"\s*(?:عام|عاما|اعوام|سنه|سنوات|يوم|يوما|ايام|شهر|اشهر|ساعه|ساعات|في\s+المئه|بالمئه"
                                r"|بالمائه|دولار|يورو|ليره|مليار)(?![^\W\d_])")


def _toll(norm: str, m, lex: _Lex) -> "_Cand | None":
    """A number with no noun after it, right after "عدد/حصيلة القتلى … إلى": persons (or civilians)
    of the quantity the word before names. Years and durations are left out."""
    cs, ce = m.span("chunk")
    lo = max(0, cs - 90)
    # most numbers have no toll before them: the window must end in one of the last words of _TOLL
    # and hold عدد/اعداد/حصيله (cheap necessary conditions) before the regex is run
    if not norm[lo:cs].rstrip().endswith(_TOLL_LAST) or (
            norm.find("عدد", lo, cs) < 0 and norm.find("عداد", lo, cs) < 0 and norm.find("حصيله", lo, cs) < 0):
        return None
    t = _TOLL.search(norm, lo, cs)
    if t is None:
        return _toll_who(norm, m, lex, lo)
    if _NOT_A_COUNT_AFTER.match(norm, ce):
        return None
    value = _one_count(m)
    if value is None:
        return None
    noun = lex.nouns.get(t.group("n"))
    if noun is None:
        return None
    if t.group("civ") is not None or "مدنيين" in t.group(0):
        noun = noun._replace(unit="civilians")
    return _Cand(cs, ce, cs, value, noun)


def _one_count(m) -> float | None:
    """The value of a scan match's chunk when it is one number that can count people (not a year)."""
    groups = _parse_chunk(m.group("chunk"))
    if not groups or len(groups) != 1 or groups[0][0] is None:
        return None
    value = groups[0][0]
    if not (0 < value <= _MAX_VALUE) or (1900 <= value <= 2100 and float(value).is_integer()):
        return None
    return value


def _toll_who(norm: str, m, lex: _Lex, lo: int) -> "_Cand | None":
    """The count of :data:`_TOLL_WHO`: persons (or civilians) of the quantity its verb names."""
    cs, ce = m.span("chunk")
    t = _TOLL_WHO.search(norm, lo, cs)
    if t is None or _NOT_A_COUNT_AFTER.match(norm, ce):
        return None
    verb = next(lex.triggers.finditer(t.group("clause")), None)
    groups = _parse_chunk(m.group("chunk"))
    if verb is None or not groups or len(groups) != 1 or groups[0][0] is None or not (0 < groups[0][0] <= _MAX_VALUE):
        return None
    quantity = lex.trigger_q[" ".join(verb.group("w").split())][0]
    noun = lex.nouns[_PERSON]._replace(quantity=quantity)
    if t.group("who") == "مدنيين":
        noun = noun._replace(unit="civilians")
    return _Cand(cs, ce, cs, groups[0][0], noun)


_PERSON = normalize_ar("شخص")
# "وأصيب 28 بجروح": the wounded with no noun
_ELIDED_WOUNDED = re.compile(r"\s+(?:اخرين\s+)?ب(?:جروح|جراح)(?![^\W\d_])")
# "أكثر من 1401 بينهم 276 طفلا": a number broken down right after it counts people; "نحو 100 منهم
# قتلوا" is a part of the people counted before it
_ELIDED_WHOLE = re.compile(r"\s*،?\s*(?:من\s+)?(?:(?P<whole>بينهم|بينهن)|منهم|منهن)\s")
# "39 من المعارضة المسلحة و39 من الجيش السوري قتلوا": the side named after من says who is counted
_ELIDED_SIDE = re.compile(r"\s+من\s+(?:(?P<soldiers>الجيش|الجنود|قوات\s+النظام|القوات\s+الحكوميه|قوات\s+الحكومه|القوات\s+النظاميه)"
                          r"|(?P<fighters>المعارضه|الفصائل|المسلحين|المقاتلين|الجهاديين|المتشددين|التنظيم|تنظيم\s+الدوله"
                          r"|تنظيم\s+داعش|داعش|هيئه\s+تحرير\s+الشام|قوات\s+سوريا\s+الديمقراطيه|وحدات\s+حمايه\s+الشعب))(?![^\W\d_])")
_CIVILIANS_NEAR = re.compile(r"(?<![^\W\d_])(?:ال)?مدني(?:ين|ون)(?![^\W\d_])")


_ELIDED_FIRST = ("بجروح", "بجراح", "اخرين", "بينهم", "بينهن", "منهم", "منهن", "من ")  # the shapes' first words


def _elided(norm: str, m, lex: _Lex) -> "_Cand | None":
    """A number with no noun that still counts people: the wounded of "أصيب 28 بجروح", the fighters
    or soldiers of "39 من المعارضة" (kept only with a casualty word, as the whole), the whole of
    "1401 بينهم 276 طفلا" (civilians when the text around speaks of civilians) and the part of "100
    منهم". Persons until :func:`_others_take_unit` gives them the unit counted before them."""
    cs, ce = m.span("chunk")
    k = ce
    while k < len(norm) and norm[k] in " ،\n":
        k += 1
    if not norm.startswith(_ELIDED_FIRST, k):
        return None  # most numbers with no noun (years, dates, ages): no shape below starts so
    wounded = _ELIDED_WOUNDED.match(norm, ce)
    whole = None if wounded else _ELIDED_WHOLE.match(norm, ce)
    side = None if wounded or whole else _ELIDED_SIDE.match(norm, ce)
    if wounded is None and whole is None and side is None:
        return None
    value = _one_count(m)
    if value is None:
        return None
    noun = lex.nouns[_PERSON]
    if wounded is not None:
        noun = noun._replace(quantity="injured")
    elif side is not None:
        noun = noun._replace(unit="soldiers" if side.group("soldiers") else "fighters")
    elif whole.group("whole") and _CIVILIANS_NEAR.search(norm, max(0, cs - 120), min(len(norm), ce + 200)):
        noun = noun._replace(unit="civilians")
    c = _Cand(cs, ce, cs, value, noun)
    c.elided = True
    c.sub = whole is not None and not whole.group("whole")
    return c


# "ليرتفع عدد الضحايا المدنيين إلى 46 قتيلا": the toll before the number names civilians
_CIVILIAN_TOLL_BEFORE = re.compile(r"(?:عدد|حصيله)\s+(?:ال)?(?:ضحايا|قتلي|شهداء)\s+(?:ال)?مدنيين(?:\s+[^\s.،,:؛]+){0,3}?\s+$")
_CIVILIAN_ADJ = re.compile(r"\s+(?:ال)?مدني(?:ا|ين|ون)?(?![^\W\d_])")


def _candidates(norm: str, lex: _Lex, words: list[str] | None = None) -> list[_Cand]:
    cands: list[_Cand] = []
    may_toll = None  # whether a toll can be named in the text (asked once, when needed)
    for m, noun_at in _scan(norm, lex, words):
        dual, bare, chunk = m.group("dual", "bare", "chunk")
        noun_s = noun_at[0] if noun_at else None
        if dual:
            c = _Cand(m.start("dual"), m.end("dual"), m.start("dual"), 2.0, lex.nouns[dual])
            c.qualifier = "dual"
            cands.append(c)
            continue
        if bare:
            c = _Cand(m.start("bare"), m.end("bare"), m.start("bare"), 1.0, lex.nouns[bare])
            c.qualifier = "bare"
            c.sub = True
            cands.append(c)
            continue
        cs = m.start("chunk")
        if not noun_s:
            # "ارتفعت حصيلة القتلى إلى 30": the count is named before the number; a toll's window holds
            # عدد/عداد/حصيله (see _toll), so a text without them has none
            if may_toll is None:
                may_toll = "عدد" in norm or "عداد" in norm or "حصيله" in norm
            c = _toll(norm, m, lex) if may_toll else None
            if c is None:
                c = _elided(norm, m, lex)
            if c is not None:
                cands.append(c)
            continue
        groups = _parse_chunk(chunk)
        if not groups or groups[-1][0] is None:
            continue
        value = groups[-1][0]
        if len(groups) > 1:
            # only the last number of "25 و26 …" touches the noun: find where it starts
            for t in reversed(list(re.finditer(r"\S+", chunk))):
                if len(_parse_chunk(chunk[t.start():])) == 1:
                    cs = m.start("chunk") + t.start()
                    break
        noun = lex.nouns[noun_s]
        if noun.quantity and noun.unit == "persons" and (
                _CIVILIAN_ADJ.match(norm, noun_at[2]) or _CIVILIAN_TOLL_BEFORE.search(norm, max(0, cs - 70), cs)):
            noun = noun._replace(unit="civilians")  # "11 قتيلا مدنيا"
        if noun.form == "du" or not (0 < value <= _MAX_VALUE):
            continue  # "3 طفلين" is a misparse; more than 10^9 is not a count
        if norm[cs] in "وبلف" and cs + 1 < len(norm) and not norm[cs + 1].isspace() and (
                norm[cs + 1].isdigit() or norm[cs:].split(maxsplit=1)[0][1:] in lex.number_words):
            cs += 1  # the clitic of "و700" is not part of the number
        cands.append(_Cand(cs, noun_at[2], cs, value, noun))
    # "جنديين تركيين": a dual right after a counted noun is its adjective, not another figure
    out: list[_Cand] = []
    for c in cands:
        if c.qualifier == "dual" and out and 0 <= c.ns - out[-1].ne <= 2 and not norm[out[-1].ne:c.ns].strip():
            continue  # ("7 نساء وطفلتان": joined by و, the dual is a figure of its own)
        out.append(c)
    return out


def _norm_span(nt, start: int, end: int) -> tuple[int, int]:
    """``(nt.norm_index(start), nt.norm_index(end))``; a text of which normalization deleted nothing
    (equal lengths: NormText only maps characters one to one and deletes) keeps its offsets."""
    if len(nt.norm) == len(nt.orig):
        return start, end
    return nt.norm_index(start), nt.norm_index(end)


def _entity_norm_spans(doc, field, nt, entities):
    out = []
    same = len(nt.norm) == len(nt.orig)  # see _norm_span
    for e in entities or ():
        if getattr(e, "field", "text") != field or getattr(e, "doc_id", doc.doc_id) != doc.doc_id:
            continue
        out.append((e.start, e.end, e) if same else (nt.norm_index(e.start), nt.norm_index(e.end), e))
    out.sort(key=lambda x: x[0])
    return out


def _ensure(doc, entities, timexes):
    if entities is None:
        from . import entities as _ents

        try:
            entities = list(_ents.entities(doc))
        except Exception:  # an upstream failure must not take the figures down with it
            entities = []
    if timexes is None:
        from . import dates as _dates

        try:
            timexes = list(_dates.timexes(doc))
        except Exception:
            timexes = []
    return entities, timexes


def figures(doc: Doc, *, entities=None, timexes=None) -> Iterator[Figure]:
    """Figures in ``doc``'s title and text, with quantity, unit, qualifier, breakdown, place,
    period and source. ``entities``/``timexes`` are the rows extracted for ``doc`` (computed here
    when None). Never raises on odd input: a number it cannot read is not a figure."""
    entities, timexes = _ensure(doc, entities, timexes)
    lex = _lex()
    rows: list[Figure] = []
    seen: dict[tuple, str] = {}
    for field in ("text", "title"):
        text = doc.field_text(field)
        if not text:
            continue
        nt = doc.norm(field)
        norm = nt.norm
        cands = _candidates(norm, lex, doc.words(field))
        if not cands:
            continue
        ents = _entity_norm_spans(doc, field, nt, entities)
        txs = sorted(((*_norm_span(nt, t.start, t.end), t) for t in timexes or ()
                      if getattr(t, "field", "text") == field and t.value), key=lambda x: x[0])
        windows = _trigger_windows(norm, cands)
        _assign_sentences(cands, doc, field, nt)
        _structure(cands, norm, ents)
        cands = _bare_siblings(cands, norm, lex)
        locs = [e[0] for e in ents if e[2].label == "LOC"] if entities else None
        for c in cands:
            _qualify(c, norm)
        trig = _triggers_near(norm, windows, lex, cands)
        trig_starts = [t[0] for t in trig]
        for c in cands:
            _quantity(c, norm, trig, trig_starts, locs)
        _others_take_unit(cands)
        _sides_share_quantity(cands, norm)
        _whole_from_parts(cands)
        _versus_takes_quantity(cands, norm)
        _consistency(cands)
        last_source = None
        for c in cands:
            c.period = _period(c, norm, txs, doc.published)
            c.source = _source(c, norm, ents, lex)
            if c.source is None and last_source is not None and _bare_verb_cue(c, norm, lex):
                c.source = last_source  # "كما وثق نزوح …": the same subject as the sentence before
            last_source = c.source or last_source
        for c in cands:
            if c.quantity is None:
                continue
            if c.elided and c.quantity not in _PERSON_QUANTITIES:
                c.quantity = None  # "1401 بينهم …" with no casualty word: not known what it counts
                continue
            if c.qualifier in ("dual", "bare"):
                c.qualifier = "exact"
                if not (c.parent or c.quantity in _PERSON_QUANTITIES):
                    c.quantity = None  # a dual alone ("أب لطفلين") is not a figure
                    continue
            s, e = nt.span(c.ns, c.ne)
            c.fid = f"{doc.doc_id}:{field}:{s}"
            key = (c.value, c.quantity, c.noun.unit, c.place)
            if not c.parent and not c.children and key in seen:
                c.quantity = None  # the same fact again: one row
                continue
            seen.setdefault(key, c.fid)
        for c in cands:
            if c.quantity is None or c.fid is None:
                continue
            s, e = nt.span(c.ns, c.ne)
            parent = c.parent
            while parent is not None and parent.fid is None:
                parent = parent.parent
            rows.append(Figure(
                figure_id=c.fid, doc_id=doc.doc_id, field=field, start=s, end=e, surface=text[s:e],
                value=float(c.value), quantity=c.quantity, unit=c.noun.unit, qualifier=c.qualifier,
                part_of=parent.fid if parent is not None else None,
                place=c.place, period_start=c.period[0], period_end=c.period[1], source=c.source,
                consistent=c.consistent,
            ))
    rows.sort(key=lambda f: (f.field, f.start))
    return iter(rows)


_TO_OR_ON = re.compile(r"(?<![^\W\d_])(?:الي|علي)\s+$")


def _trigger_windows(norm: str, cands: list[_Cand]) -> list[list[int]]:
    """The windows around the candidates (as :func:`_candidates` gives them) where quantity words
    are looked for; windows that overlap are merged so no word is cut in two."""
    windows: list[list[int]] = []
    for c in cands:
        a, b = max(c.ns - 90, 0), min(len(norm), c.ne + 66)  # 60: see _WHO_GAP
        if windows and a <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], b)
        else:
            windows.append([a, b])
    for w in windows:
        a = w[0]
        while a > 0 and not norm[a - 1].isspace():
            a -= 1  # start on a word boundary
        w[0] = a
    return windows


def _windows_read(windows: list[list[int]], cands: list[_Cand]) -> list[list[int]]:
    """The windows :func:`_quantity` can read a quantity word from: those meeting the range it
    looks in ([ns - _READS_BEFORE, ne + _READS_AFTER]) of a candidate whose noun names no quantity of its own. Only when
    the windows are disjoint (their words then come out sorted, so what _quantity bisects for in
    the fewer is what it found in all); else all of them."""
    if any(windows[i][0] < windows[i - 1][1] for i in range(1, len(windows))):
        return windows
    ranges = sorted((c.ns - _READS_BEFORE, c.ne + _READS_AFTER) for c in cands if _reads_quantity_words(c))
    if not ranges:
        return []
    los = [lo for lo, _ in ranges]
    reach, his = -1, []  # the furthest range end among the ranges starting so far
    for _, hi in ranges:
        reach = max(reach, hi)
        his.append(reach)
    out = []
    for w in windows:
        k = bisect_right(los, w[1] - 1)  # ranges starting before the window ends
        if k and his[k - 1] >= w[0]:
            out.append(w)
    return out


def _triggers_near(norm: str, windows: list[list[int]], lex: _Lex, cands: list[_Cand]) -> list[tuple[int, int, tuple]]:
    """Quantity words in the windows (:func:`_trigger_windows`) around the candidates only (not the
    whole text), in those of them the candidates can read from."""
    found = []
    for a, b in _windows_read(windows, cands):
        for m in lex.triggers.finditer(norm, a, b):
            q, pos = lex.trigger_q[" ".join(m.group("w").split())]
            if m.group("p") in ("ل", "لل") or (m.group("p") == "ال" and _TO_OR_ON.search(norm, max(0, m.start() - 5), m.start())):
                pos = "both"  # "دفعت 320 ألف مدني للنزوح / إلى الفرار / على النزوح" after the noun, "أدى لمقتل 4" before it
            found.append((m.start("w"), m.end("w"), (q, pos)))
    return found


def _bare_siblings(cands: list[_Cand], norm: str, lex: _Lex) -> list[_Cand]:
    """"بينهم طفلان وامرأة": a bare singular after a part, joined by و, is one more part (= 1)."""
    out = []
    for i, c in enumerate(cands):
        out.append(c)
        if not (c.sub and c.parent is not None):
            continue
        m = lex.sibling.match(norm, c.ne)
        if not m or (i + 1 < len(cands) and cands[i + 1].ns < m.end()):
            continue
        noun = lex.nouns[m.group("bare")]
        if noun.unit == c.noun.unit:
            continue  # "139 طفلًا وطفلة": boys and girls, one count
        sib = _Cand(m.start("bare"), m.end("bare"), m.start("bare"), 1.0, noun)
        sib.qualifier, sib.sub, sib.parent, sib.sent = "bare", True, c.parent, c.sent
        c.parent.children.append(sib)
        out.append(sib)
    return out


def _structure(cands: list[_Cand], norm: str, ents) -> None:
    """Link parts to wholes within each sentence: بينهم-children and breakdowns by place."""
    ent_ends = [e[1] for e in ents]
    by_sent: dict[tuple[int, int], list[_Cand]] = {}
    for i, c in enumerate(cands):
        # the figures before this one in its sentence (at most 60: a breakdown is never longer, and a
        # text without full stops must not make this quadratic)
        same_sent = by_sent.setdefault(c.sent, [])[-60:]
        by_sent[c.sent].append(c)
        b0 = max(c.sent[0], c.ns - 30)  # qualifiers are short: never search the whole sentence
        before = norm[b0:c.ns]
        head = c.ns
        # the qualifier belongs to the figure, not to the gap in front of it
        for _, rx in _QUALIFIERS:
            m = rx.search(before)
            if m:
                head = b0 + m.start()
                break
        gap_to_prev = norm[same_sent[-1].ne:head] if same_sent else None
        # a LOC entity right before the number: "إدلب 334 مدنيًا", "واللاذقية مدنيان"
        loc = None
        j = bisect_right(ent_ends, head) - 1
        while j >= 0 and ents[j][1] >= head - 3:
            es, ee, ent = ents[j]
            if ent.label == "LOC" and not norm[ee:head].strip(" ،,"):
                loc = ent
                break
            j -= 1
        if c.sub or _SUB.search(norm[max(c.sent[0], head - 20):head]):
            c.sub = True
            whole = next((p for p in reversed(same_sent) if not p.sub), None)
            if whole is not None:
                c.parent = whole
                whole.children.append(c)
        elif loc is not None or (same_sent and gap_to_prev is not None and len(gap_to_prev) < 60
                                 and _looks_like_place_gap(gap_to_prev)
                                 and _DIST_MARK.search(norm, max(same_sent[0].ne, head - 1500), head)):
            total = next((p for p in same_sent if not p.sub and not p.place_part
                          and p.noun.unit == c.noun.unit and p.value > c.value), None)
            if total is not None:
                c.place_part = True
                c.parent = total
                total.children.append(c)
            if loc is not None:
                c.place = loc.entity_id
        elif same_sent and same_sent[-1].sub and same_sent[-1].parent is not None \
                and _SIBLING_GAP.fullmatch(gap_to_prev or "x"):
            # "بينهم 417 طفلا و 289 امرأة": the second is a part of the same whole
            c.sub = True
            c.parent = same_sent[-1].parent
            c.parent.children.append(c)


_PLACE_GAP = re.compile(r"[\s،,:؛]*(?:و|في\s+|ب)?" + _L + r"+(?:\s+" + _L + r"+)?\s*$")


def _looks_like_place_gap(gap: str) -> bool:
    """Without entities: the words between two breakdown parts look like a place name."""
    tail = re.split(r"[،,:؛]", gap)[-1]
    return bool(_PLACE_GAP.match(tail)) and not _SUB.search(tail)


_AFTER_QUAL = re.compile(r"\s*(?:(?P<more>علي\s+الاقل)|(?P<approx>تقريبا))(?![^\W\d_])")


def _qualify(c: _Cand, norm: str) -> None:
    if c.qualifier in ("dual", "bare"):
        return
    am = _AFTER_QUAL.match(norm, c.ne, min(len(norm), c.ne + 20))
    if am:
        c.qualifier = "more_than" if am.group("more") else "approx"
        return
    before = norm[max(c.sent[0], c.ns - 25):c.ns]
    for name, rx in _QUALIFIERS:
        m = rx.search(before)
        if m:
            c.qualifier = name
            c.ns = c.ns - (len(before) - m.start())
            return


# "عدد المدنيين الذين قتلوا … ارتفع إلى 1181 شخصا": a relative clause names the count that follows
_WHO_BEFORE = re.compile(r"(?<![^\W\d_])(?:الذين|ممن|اللواتي|اللاتي)\s+$")
# "قوة من 500 مقاتل وان نحو 100 منهم قتلوا": a casualty word after another number is that number's
_HAS_DIGIT = re.compile(r"\d")
# "15 مسلحا على الأقل من تنظيم الدولة قتلوا": who they were, between the noun and its casualty word
_WHO_GAP = re.compile(r"\s*(?:علي\s+الاقل\s*)?،?\s*من\s+(?:[^\s.،,:؛\d]+\s+){1,4}(?:قد\s+)?")


#: how far before a candidate's start / after its end :func:`_quantity` reads a casualty word
#: (``_windows_read`` scans only the windows within that reach)
_READS_BEFORE, _READS_AFTER = 70, 60


def _reads_quantity_words(c: _Cand) -> bool:
    """Whether :func:`_quantity` may take ``c``'s quantity from a casualty word near it."""
    return not c.noun.quantity and c.noun.kind == "person"


def _quantity(c: _Cand, norm: str, trig, trig_starts, locs=None) -> None:
    n = c.noun
    if n.quantity:
        c.quantity = n.quantity
        return
    if n.kind != "person":
        c.quantity = "other"
        return
    if c.parent is not None and c.parent.quantity not in (None, "other") and not c.elided:
        c.quantity = c.parent.quantity
        return
    # the casualty word after the noun ("5 مدنيين قتلوا"), then the nearest one before
    k = bisect_left(trig_starts, c.ne)
    if k < len(trig) and trig[k][2][1] in ("after", "both") and trig[k][0] < c.sent[1] \
            and (trig[k][0] - c.ne <= 25 or trig[k][0] - c.ne <= _READS_AFTER and _WHO_GAP.fullmatch(norm, c.ne, trig[k][0])) \
            and not _HAS_DIGIT.search(norm, c.ne, trig[k][0]):
        c.quantity = trig[k][2][0]
        return
    k = bisect_left(trig_starts, c.ns) - 1
    while k >= 0 and trig[k][0] >= max(c.sent[0], c.ns - _READS_BEFORE):
        if trig[k][2][1] in ("before", "both") or _WHO_BEFORE.search(norm, max(0, trig[k][0] - 7), trig[k][0]):
            c.quantity = trig[k][2][0]
            return
        k -= 1
    # millions of people with no casualty word: how many live somewhere ("حيث ترك نحو 3.5 مليون شخص"
    # in a sentence about Idlib) — when entities are known, only if the sentence names a place
    places_known = locs is not None
    in_place = not places_known or any(c.sent[0] <= s < c.sent[1] for s in locs)
    c.quantity = "population" if c.value >= 1e6 and in_place else "other"
    if c.elided and c.parent is not None and c.parent.quantity not in (None, "other"):
        c.quantity = c.parent.quantity  # "100 منهم" with no casualty word of its own


_OTHERS = normalize_ar("آخر")


def _others_take_unit(cands: list[_Cand]) -> None:
    """"قتل ثلاثة مدنيين وأصيب آخران": "others" are more of what the sentence counted just before;
    so are the people of a number with no noun ("قتل 3 جنود وأصيب 5 بجروح")."""
    prev = None
    for c in cands:
        if (c.noun.singular == _OTHERS or c.elided and c.noun.unit == "persons") and prev is not None and prev.sent == c.sent \
                and prev.noun.kind == "person" and prev.noun.unit != "persons":
            c.noun = c.noun._replace(unit=prev.noun.unit)
        prev = c


_AND_GAP = re.compile(r"[^\d.؛]{0,60}\sو$")


def _sides_share_quantity(cands: list[_Cand], norm: str) -> None:
    """"39 من المعارضة و39 من الجيش قتلوا": numbers with no noun joined by و share the casualty word
    that follows the last of them."""
    for c, nxt in zip(reversed(cands[:-1]), reversed(cands[1:])):
        if c.elided and nxt.elided and c.quantity == "other" and nxt.quantity in _PERSON_QUANTITIES \
                and c.sent == nxt.sent and _AND_GAP.fullmatch(norm, c.ne, nxt.ns):
            c.quantity = nxt.quantity


def _whole_from_parts(cands: list[_Cand]) -> None:
    """"12 مدنيا من عائلة واحدة بينهم 4 أطفال قتلوا": the casualty word follows the last part, too
    far from the whole for _quantity; a whole of people left without one takes its parts' quantity."""
    for c in cands:
        if c.quantity != "other" or c.noun.kind != "person" or not c.children:
            continue
        # (not from "نحو 100 منهم قتلوا": a part of its own, of a force of 500 fighters)
        q = next((k.quantity for k in c.children if k.quantity in _PERSON_QUANTITIES and not k.elided), None)
        if q is None:
            continue
        c.quantity = q
        for k in c.children:
            if k.quantity == "other":
                k.quantity = q


# "مقتل 60 عنصرا من قوات النظام مقابل 34 مقاتلا من الفصائل": the count after مقابل is of the same kind
_VERSUS = re.compile(r"(?<![^\W\d_])مقابل\s+$")


def _versus_takes_quantity(cands: list[_Cand], norm: str) -> None:
    prev = None
    for c in cands:
        if prev is not None and c.quantity == "other" and c.noun.kind == "person" and prev.sent == c.sent \
                and prev.quantity in _PERSON_QUANTITIES and c.ns - prev.ne < 150 \
                and _VERSUS.search(norm, max(prev.ne, c.ns - 12), c.ns):
            c.quantity = prev.quantity
        prev = c


def _consistency(cands: list[_Cand]) -> None:
    """A total broken down by place into parts of its own unit: do they add up? And the total's own
    children ("بينهم 139 طفلًا") against the same-unit children of those parts (113 + 22 + 3 + 1)."""
    for c in cands:
        parts = [p for p in c.children if p.place_part and p.noun.unit == c.noun.unit]
        if not parts:
            continue
        c.consistent = abs(sum(p.value for p in parts) - c.value) < 1e-6
        for child in c.children:
            if child.place_part:
                continue
            sub = [g for p in parts for g in p.children
                   if g.noun.unit == child.noun.unit and not g.place_part]
            if sub:
                child.consistent = abs(sum(g.value for g in sub) - child.value) < 1e-6


def _period(c: _Cand, norm: str, txs, published) -> tuple[str | None, str | None]:
    """The range the sentence gives: "منذ X وحتى Y", "بين X إلى Y", "منذ X" (to publication)."""
    s0, s1 = c.sent
    lo = bisect_left(txs, (s0,))
    inside = []
    for t in txs[lo:]:
        if t[0] >= s1:
            break
        inside.append(t)
    if not inside:
        return None, None
    start = end = None
    since = False
    for ts, te, t in inside:
        before = norm[max(s0, ts - 22):ts]
        if start is None and _PERIOD_START.search(before):
            start = t.value
            since = bool(_PERIOD_SINCE.search(before))
        elif start is not None and end is None and _PERIOD_END.search(before):
            end = t.value
    if start is not None and end is None and since:
        end = published
    if start is None:
        # "خلال الأسبوع الماضي", "خلال شهر أيار": the figure covers that one week/month/year
        for ts, te, t in inside:
            if t.precision in ("week", "month", "year") and _PERIOD_DURING.search(norm[max(s0, ts - 12):ts]):
                return t.value, t.value
    return start, end


_BARE_VERB = re.compile(r"\s+(?:نزوح|مقتل|اصابه|سقوط|قتل|تهجير|ب|عن|ان|الي)")


def _bare_verb_cue(c: _Cand, norm: str, lex: _Lex) -> bool:
    """Does the sentence attribute the figure with a verb that has no subject of its own
    ("كما وثق نزوح 41814 عائلة")? Then the subject is the previous sentence's."""
    for m in lex.cues.finditer(norm, c.sent[0], c.ns):
        w = m.group("w")
        if w and lex.cue_kind.get(" ".join(w.split())) == "verb" and _BARE_VERB.match(norm, m.end()):
            return True
    return False


def _source(c: _Cand, norm: str, ents, lex: _Lex) -> str | None:
    """The entity the sentence attributes the figure to: after بحسب/وفق, or the subject of
    أعلن/وثق/أفاد … (after the verb, else just before it)."""
    if not ents:
        return None
    s0, s1 = c.sent
    lo = bisect_left(ents, (s0,))
    speakers = []
    for e in ents[lo:]:
        if e[0] >= s1:
            break
        if e[2].label in ("ORG", "PER"):
            speakers.append(e)
    if not speakers:
        return None
    best = None
    for m in lex.cues.finditer(norm, s0, s1):
        w = m.group("w") or m.group("w2")
        kind = lex.cue_kind.get(" ".join(w.split()), "prep")
        ce = m.end()
        after = next((e for e in speakers if ce <= e[0] <= ce + (45 if kind == "prep" else 30)
                      and not (e[0] <= c.ns < e[1])), None)
        ent = after
        if ent is None and kind == "verb":
            ent = next((e for e in reversed(speakers) if m.start() - 25 <= e[1] <= m.start()), None)
        if ent is None:
            continue
        dist = abs(m.start() - c.ns)
        if kind == "prep":
            dist -= 1000  # an explicit بحسب/وفق outranks a verb
        if best is None or dist < best[0]:
            best = (dist, ent[2].entity_id)
    return best[1] if best else None
