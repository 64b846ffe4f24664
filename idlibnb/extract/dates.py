"""Temporal expressions resolved to ISO dates, and publication dates inferred from the text.

:func:`timexes` finds every date an Arabic news article names — explicit dates in both month systems
and their paired form (آذار/مارس), Arabic-Indic digits, numeric dates, ordinal day words, month +
year, a year alone, relative expressions (اليوم، أمس، weekdays, الأسبوع الماضي، 12 يناير الجاري …) and
ranges (one row per endpoint) — and resolves each at its own precision (day, week, month, year)
against the publication date. Relative expressions in an undated article stay unresolved.

:func:`infer_published` dates an undated article from its own anchors (the weekday of "today", a
current month, the latest dated past event, a "last week" anchor) and says which expressions the
date rests on; without enough evidence it returns None.

All matching runs once, with one compiled pattern, on the normalized text
(``doc.norm(field).norm``); spans are mapped back with :meth:`NormText.span`.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterator, NamedTuple

from ..doc import Doc
from ..lexicon import package_tsv, trie_regex
from ..normalize import normalize_ar

__all__ = ["Timex", "timexes", "infer_published", "resolve_anchor"]


class Timex(NamedTuple):
    doc_id: str
    field: str
    start: int
    end: int
    surface: str
    value: str | None
    precision: str | None
    kind: str
    anchor: str | None


# ---------------------------------------------------------------------------------------------
# lexicons (idlibnb/data/*.tsv) -> normalized forms

def _load_lexicons():
    months = {normalize_ar(r["name"]): (int(r["month"]), r["ambiguous"] == "1")
              for r in package_tsv("months.tsv", required=("name", "month", "source"))}
    weekdays = {normalize_ar(r["name"]): int(r["isoweekday"])
                for r in package_tsv("weekdays.tsv", required=("name", "isoweekday", "source"))}
    ordinals = {normalize_ar(r["phrase"]): int(r["day"])
                for r in package_tsv("ordinal_days.tsv", required=("phrase", "day", "source"))}
    words: dict[str, dict[str, str]] = {}
    for r in package_tsv("date_words.tsv", required=("word", "role", "source")):
        words.setdefault(r["role"], {})[normalize_ar(r["word"])] = r.get("value", "")
    return months, weekdays, ordinals, words


_MONTHS, _WEEKDAYS, _ORDINALS, _WORDS = _load_lexicons()
_SPACE_RE = re.compile(r"\s+")


def _key(s: str) -> str:
    return _SPACE_RE.sub(" ", s)


def _trie(words) -> str:
    """A trie alternation (:func:`idlibnb.lexicon.trie_regex`) of ``words`` with their spaces
    collapsed, as one group."""
    return "(?:" + trie_regex(_key(w) for w in words) + ")"


_alt = _trie


_MON = _alt(_MONTHS)
_WD = _alt(_WEEKDAYS)
_ORD = _alt(_ORDINALS)
_MODW = _alt(_WORDS["modifier"])
_SAMEW = _alt(_WORDS["same"])
_DAYW = _alt(_WORDS["day"])
_PART = _alt(_WORDS["daypart"])
_PREP = _alt(_WORDS["prep"])
_YEARW = _alt(_WORDS["year"])
_PERIOD = {k: v for k, v in _WORDS["period"].items()}
_PERW = _alt(_PERIOD)
_MODVAL = {k: int(v) for k, v in _WORDS["modifier"].items()}
_DAYVAL = {_key(k): int(v) for k, v in _WORDS["day"].items()}

_Y = r"(?:19|20)\d\d(?!\d)"
_Y_RE = re.compile(_Y)
# nouns a number counts: "في 2000 غارة" is no year
_COUNTED = (r"(?:[وبل])?(?:ال)?(?:شخص|اشخاص|مدني|مدنيين|قتيل|قتلي|جندي|جنود|عنصر|عناصر|مقاتل|مقاتلين|طفل"
            r"|اطفال|امراه|نساء|عائله|عائلات|اسره|منزل|غاره|غارات|صاروخ|صواريخ|قذيفه|دولار|يورو|ليره|كم"
            r"|كيلومتر|متر|طن|برميل|لاجئ|نازح|مليون|الف|مره|مرات|شهيد|مصاب|جريح|معتقل|سجين|حاله|اصابه"
            r"|نسمه|ساعه|يوم|نقطه|مقعد|صوت|موظف|عامل|طالب|لاعب|مشارك|زائر|سائح|حاج|مصل|مسافر|مهاجر"
            r"|مواطن|مهاجرين|لاعبين|مشاركين)(?!\w)")
_YSUF = r"(?:\s*(?:ء|م)(?!\w))?"  # 2020ء / 2020م (ميلادي)


def _month_pair(p: str) -> str:
    # "آذار/مارس", "مايو/أيار", "آذار (مارس)", "مارس - آذار"
    return (rf"(?P<{p}m1>{_MON})(?!\w)(?:\s*(?:/|\\|\(|-|–)\s*(?P<{p}m2>{_MON})(?!\w)(?:\s*\))?)?")


def _year(p: str) -> str:
    return rf"(?:\s*[،,]?\s*(?:من\s+)?(?:(?:عام|العام|سنه|السنه)\s+)?(?P<{p}y>{_Y}){_YSUF})"


def _mod(p: str) -> str:
    # "الماضي" / "من العام الماضي" / "من هذا العام" / "من العام نفسه"
    return (rf"(?:\s+(?:(?P<{p}mod>{_MODW})(?!\w)|من\s+(?:(?P<{p}this>هذا\s+العام|هذه\s+السنه)"
            rf"|(?:العام|السنه)\s+(?:(?P<{p}ymod>{_MODW})|(?P<{p}ysame>{_SAMEW}))(?!\w))))")


def _day(p: str) -> str:
    return rf"(?:(?<![\d.,/:])(?P<{p}d>[0-3]?\d)(?![\d.,/:])|(?P<{p}od>{_ORD})(?=\s+من\s))"


_PATTERNS = [
    # 2018-9-17, 2018/09/17
    ("iso", rf"(?<![\d/.\-])(?P<iso_y>{_Y})[-/.](?P<iso_m>\d{{1,2}})[-/.](?P<iso_d>\d{{1,2}})(?![\d/\-])"),
    # 17/9/2018, 17-09-2018
    ("dmy", rf"(?<![\d/.\-])(?P<dmy_a>\d{{1,2}})[-/.](?P<dmy_b>\d{{1,2}})[-/.](?P<dmy_y>{_Y})(?![/\-])"),
    # "يومي 25 و26 أبريل" / "من 5 إلى 10 مارس": two days, one month
    ("dl", rf"(?:(?P<dl_d1>[0-3]?\d)(?![\d.,/:])|(?P<dl_o1>{_ORD}))\s*(?:و|-|–|الي|حتي|او)\s*{_day('dl_')}(?:\s+من)?\s+(?:شهر\s+)?"
           rf"{_month_pair('dl_')}{_year('dl_')}?{_mod('dl_')}?"),
    # "5 آذار/مارس 2020", "الثالث عشر من آذار الماضي", "13 من أيار الحالي"
    ("dm", rf"{_day('dm_')}(?:\s+من)?\s+(?:شهر\s+)?{_month_pair('dm_')}{_year('dm_')}?{_mod('dm_')}?"),
    # "6 من الشهر نفسه", "12 من الشهر الجاري", "5 من هذا الشهر"
    ("dk", rf"{_day('dk_')}\s+من\s+(?:(?P<dk_pre>هذا|ذات|نفس)\s+)?الشهر(?:\s+(?P<dk_mod>{_MODW}|{_SAMEW}))?(?!\w)"),
    # "في مايو 2017", "يناير عام 2018", "أيار/مايو من العام الماضي", "شهر آب"
    ("mp", rf"(?P<mp_shahr>شهر\s+)?{_month_pair('mp_')}{_year('mp_')}?{_mod('mp_')}?"),
    # "اليوم الاثنين", "أمس الخميس", "صباح اليوم", "أول أمس"
    ("rd", rf"(?:(?P<rd_part>{_PART})\s+)?(?P<rd_w>{_DAYW})(?!\w)"
           rf"(?!\s+(?:التالي|نفسه|ذاته|الاول|الثاني|الثالث|الرابع|الخامس|الاخير|العالمي|الوطني|الدولي|الذي|من\s|السابق))"
           rf"(?:\s*[،,]?\s*(?P<rd_wd>{_WD})(?!\w))?"),
    # "الإثنين", "يوم الأربعاء الماضي", "مساء الخميس", "السبت المقبل"
    ("wd", rf"(?:(?P<wd_yawm>يوم)\s+)?(?:(?P<wd_part>{_PART})\s+)?(?P<wd_w>{_WD})(?!\w)(?!\s+عشر)(?!\s*[،,]?\s*(?:الموافق\s+)?\d)"
           rf"(?:\s+(?P<wd_mod>{_MODW})(?!\w))?"),
    # "الأسبوع الماضي", "العام الجاري", "هذا الشهر"
    ("pr", rf"(?:(?P<pr_this>هذا|هذه)\s+(?P<pr_u1>{_PERW})|(?P<pr_u2>{_PERW})\s+(?P<pr_mod>{_MODW}))(?!\w)"),
    # "عام 2018", "عامي 2018 و2019", "2020م", "في 2018،"
    ("yr", rf"(?:(?P<yr_kw>{_YEARW})\s+(?P<yr_y>{_Y}){_YSUF}"
           rf"|(?P<yr_ys>{_Y})\s*(?:ء|م)(?!\w)"
           rf"|(?P<yr_yr>{_Y})(?=\s*(?:-|–|الي|حتي|و)\s*{_Y})"  # the first of a range or list of years
           rf"|(?P<yr_yp>{_Y})(?!\s*%)(?!\s+{_COUNTED}))"
           rf"(?P<yr_more>(?:\s*(?:و|-|–|الي|حتي|او)\s*{_Y}{_YSUF})*)"),
]
# a preposition just before a bare month or year ("في مايو", "منذ 2011")
_PREP_BEFORE = re.compile(rf"(?<!\w)[وفبل]?{_PREP}\s+$")
_CLITIC = r"(?:[وفبل](?=\w))?"
# every expression, one pattern (the finder tries sub-patterns of it; see _sub_body): compiled
# only when asked for, as the tests do (~30 ms a process otherwise)
_ALL_KINDS = tuple(n for n, _ in _PATTERNS)


def _firsts(words) -> tuple[str, ...]:
    return tuple(sorted({w.split()[0] for w in words}))


# the words each expression can start with (after an optional clitic); iso, dmy: only digits
_KIND_FIRSTS = {
    "iso": (), "dmy": (),
    "dl": _firsts(_ORDINALS), "dm": _firsts(_ORDINALS), "dk": _firsts(_ORDINALS),
    "mp": _firsts([*_MONTHS, "شهر"]),
    "rd": _firsts([*_WORDS["daypart"], *_WORDS["day"]]),
    "wd": _firsts([*_WEEKDAYS, *_WORDS["daypart"], "يوم"]),
    "pr": _firsts([*_PERIOD, "هذا", "هذه"]),
    "yr": _firsts(_WORDS["year"]),
}
_DIGIT_KINDS = ("iso", "dmy", "dl", "dm", "dk", "yr")  # the expressions that can start with a digit
# Finding: candidate starts come from C-speed passes (the text's word tokens meet the lexicon's
# first words, then str.find for each word present; the digit runs from the text's cp1256 bytes),
# then the expressions are tried at those positions only, each with a pattern holding only the
# alternatives that can start there (see _word_body).
_FIRST_WORDS = frozenset(w for ws in _KIND_FIRSTS.values() for w in ws)
# whitespace tokens as str.split() gives them: a first word behind a clitic, a bracket or a quote,
# before punctuation; each maps to the bare word searched for
_LEADS = ("", "(", '"', "«", "“", "'")
_TRAILS = ("", "،", ",", ".", ":", "؛", ")", '"', "»", "”", "'", "/")
_TOKEN_CORE = {lead + c + w + trail: w for w in _FIRST_WORDS for c in ("", "و", "ف", "ب", "ل")
               for lead in _LEADS for trail in _TRAILS}
_TOKEN_KEYS = frozenset(_TOKEN_CORE)
_CLITIC_CHARS = frozenset("وفبل")
_DIGITS = "0123456789"  # digits are folded to ASCII by normalization


@lru_cache(maxsize=None)
def _sub_body(kinds: tuple[str, ...]) -> re.Pattern:
    """The pattern of every expression (``_sub_body(_ALL_KINDS)``) with only the alternatives
    ``kinds`` (in that order, same group names)."""
    return re.compile(_CLITIC + "(?:" + "|".join(f"(?P<K_{n}>{p})" for n, p in _PATTERNS if n in kinds) + ")")


_WORD_BODIES: dict[str, re.Pattern | None] = {}
_DIGIT_BODY = _sub_body(_DIGIT_KINDS)


def _word_body(tok: str) -> re.Pattern | None:
    """The pattern to try where the word ``tok`` (with its clitic, if any) starts, None if no
    expression can start there. Exact: an alternative left out must begin with one of its first
    words, all letters, right at the start of ``tok`` or after its clitic; the word ``tok`` is
    followed by no letter or digit, so only its own prefixes can be such words."""
    if tok not in _WORD_BODIES:
        reads = (tok, tok[1:]) if tok[0] in _CLITIC_CHARS else (tok,)
        kinds = tuple(n for n, _ in _PATTERNS
                      if any(r.startswith(_KIND_FIRSTS[n]) for r in reads)
                      or not all(w.isalnum() for w in _KIND_FIRSTS[n]))
        _WORD_BODIES[tok] = _sub_body(kinds) if kinds else None
    return _WORD_BODIES[tok]


# every first word bare and behind a clitic (the word tokens :meth:`Doc.words` gives for it) -> the word
_FORM_CORE = {c + w: w for w in _FIRST_WORDS for c in ("", "و", "ف", "ب", "ل")}
_FORMS = frozenset(_FORM_CORE)
# What an expression starting at a first word needs further on: some word tokens (a word the
# patterns put after white space and before no letter or digit is a whole word token of the text)
# or a year. A first word of most sentences (بعد، هذا، هذه، الاول، يوم) seldom starts one: it is not
# searched for in a text that holds none of the words it needs.
_YEAR = "19xx"  # a year is needed: a run of four digits 19xx/20xx (not a word token)
_MONTH_FIRSTS = frozenset(w.split()[0] for w in _MONTHS)


def _lasts(phrases) -> frozenset[str]:
    return frozenset(p.split()[-1] for p in phrases)


def _phrase_ends(phrases, first: str) -> frozenset[str] | None:
    """The last words of the ``phrases`` that start with the word ``first`` (none if none does),
    None if ``first`` alone is one: all that a match of one of them holds after ``first``."""
    return None if first in phrases else _lasts(p for p in phrases if p.split()[0] == first)


@lru_cache(maxsize=None)
def _needs(kind: str, first: str) -> frozenset[str] | None:
    """What a match of ``kind`` (see :data:`_PATTERNS`) that starts with the word ``first`` holds
    after it: one of these words, as a word token, or a year (:data:`_YEAR`); None: nothing."""
    if kind in ("dl", "dm", "dk"):  # an ordinal day: of a month, or "من الشهر"
        return _MONTH_FIRSTS | {"الشهر"}
    if kind == "mp":  # a month (its other words), or شهر + a month
        ends = _phrase_ends(_MONTHS, first)
        return ends if ends is None or first != "شهر" else ends | _MONTH_FIRSTS
    if kind == "rd":  # a day word (its other words), or a daypart + a day word
        ends = _phrase_ends(_WORDS["day"], first)
        dayparts = {p.split()[0] for p in _WORDS["daypart"]}
        return ends if ends is None or first not in dayparts else ends | _lasts(_WORDS["day"])
    if kind == "wd":  # a weekday, perhaps after يوم or a daypart
        ends = _phrase_ends(_WEEKDAYS, first)
        return ends if ends is None else ends | _lasts(_WEEKDAYS)
    if kind == "pr":  # هذا/هذه + a period, a period + a modifier
        return (_lasts(_PERIOD) if first in ("هذا", "هذه") else frozenset()) | (
            _lasts(_WORDS["modifier"]) if first in {p.split()[0] for p in _PERIOD} else frozenset())
    if kind == "yr":  # عام + a year
        return frozenset([_YEAR])
    return None


def _core_needs(w: str) -> frozenset[str] | None:
    """What an expression needs (:func:`_needs`) where the first word ``w`` stands, bare or behind
    a clitic: for every alternative :func:`_word_body` tries there, by the first words it may
    start with (the prefixes of ``w``, or of ``w`` without its clitic)."""
    if not all(f.isalnum() for fs in _KIND_FIRSTS.values() for f in fs):
        return None  # an alternative _word_body always tries
    needs: set[str] = set()
    for tok in (c + w for c in ("", "و", "ف", "ب", "ل")):
        for r in (tok, tok[1:]) if tok[0] in _CLITIC_CHARS else (tok,):
            for f in _FIRST_WORDS.intersection(r[:k] for k in range(1, len(r) + 1)):
                for n, firsts in _KIND_FIRSTS.items():
                    got = _needs(n, f) if f in firsts else frozenset()
                    if got is None:
                        return None
                    needs |= got
    return frozenset(needs)


_CORE_NEEDS = {w: _core_needs(w) for w in _FIRST_WORDS}
# the word tokens :func:`_candidates` looks for: every first word's forms and what they need
_TRIGGERS = _FORMS.union(*(x for x in _CORE_NEEDS.values() if x)) - {_YEAR}
# a day (a run of one or two digits) is followed, past white space, by a month, من (a month or
# "من الشهر" follows), شهر, a range's link (و، الى …) or a numeric date's separator
_AFTER_DAY = tuple(sorted({*_MONTH_FIRSTS, "من", "شهر", "و", "-", "–", "الي", "حتي", "او", "/", "."}))
# cp1256 is one byte per character and holds no decimal digit but 0-9 (a test checks): in its bytes
# the digit runs are found by C-level bytes methods instead of a Python loop over every digit
_DIGIT_MARKS = bytes(0x31 if 0x30 <= i <= 0x39 else 0x20 for i in range(256))  # digit -> "1", else " "


class _TextMemo:
    """Values computed from a normalized text, kept for the last ``size`` texts (oldest dropped
    first). Looked up by the text itself: its hash is computed once and cached by the str, and the
    same object, the common case, compares by identity."""

    __slots__ = ("size", "values")

    def __init__(self, size: int):
        self.size = size
        self.values: dict[str, object] = {}

    def get(self, norm: str):
        return self.values.get(norm)

    def keep(self, norm: str, value):
        if len(self.values) >= self.size:
            del self.values[next(iter(self.values))]
        self.values[norm] = value
        return value


# dates and figures ask for the same texts: a batch apart, since pipeline.analyse_many runs each
# extractor over a whole batch of articles (title and text each) before the next
_DIGIT_RUNS_MEMO = _TextMemo(1024)


def _digit_runs(norm: str) -> tuple[tuple[int, int], ...] | None:
    """``(start, end)`` of every run of decimal digits in ``norm`` (re's ``\\d+``), None for a text
    outside cp1256. Kept for the texts of a batch: dates and figures ask for the same texts."""
    got = _DIGIT_RUNS_MEMO.get(norm)
    if got is None:
        got = _DIGIT_RUNS_MEMO.keep(norm, _find_digit_runs(norm))
    return None if got is False else got


def _find_digit_runs(norm: str) -> tuple[tuple[int, int], ...] | bool:
    """:func:`_digit_runs`, computed (False for a text outside cp1256: a value kept too)."""
    try:
        marks = norm.encode("cp1256").translate(_DIGIT_MARKS)
    except UnicodeEncodeError:
        return False
    out = []
    i = marks.find(b"1")
    while i >= 0:
        e = marks.find(b" ", i)
        if e < 0:
            out.append((i, len(marks)))
            break
        out.append((i, e))
        i = marks.find(b"1", e)
    return tuple(out)


def _in_key_token(norm: str, i: int, j: int, w: str) -> bool:
    """Whether ``norm[i:j]`` (the word ``w``, perhaps behind its clitic) sits in a whitespace token
    (``/`` splits too) of :data:`_TOKEN_KEYS` that stands for ``w``: a key holds at most two
    characters before the word and one after it."""
    a, n = i, len(norm)
    while a > 0 and not (norm[a - 1].isspace() or norm[a - 1] == "/"):
        a -= 1
        if i - a > 2:
            return False
    b = j
    while b < n and not (norm[b].isspace() or norm[b] == "/"):
        b += 1
        if b - j > 1:
            return False
    return _TOKEN_CORE.get(norm[a:b]) == w


def _candidates(norm: str, words: list[str] | None = None) -> list[tuple[int, re.Pattern]]:
    """``(position, pattern to try there)``, left to right: where a lexicon first word (or its
    clitic) or an ASCII digit run starts.

    A first word counts where some whitespace token of ``norm`` (``/`` splits too) stands for it in
    :data:`_TOKEN_KEYS`. With the text's word tokens ``words`` (:meth:`Doc.words`), the text is not
    split: a key token's letters are one word token, so the first words among ``words`` (bare or
    behind a clitic) are scanned, and one is kept if one of its occurrences sits in a key token;
    and a first word is not scanned for where ``words`` lack what it needs (:data:`_CORE_NEEDS`).
    A run of one or two digits is kept only where it is followed as a day is (:data:`_AFTER_DAY`)."""
    found: dict[int, re.Pattern] = {}
    nlen = len(norm)
    # an expression starts only at a run of one or two digits (a day, a month) or four (a year
    # 19xx/20xx)
    digits = _DIGIT_BODY
    runs = _digit_runs(norm)
    year = runs is None
    if runs is not None:
        for i, e in runs:
            if e - i <= 2:
                k = e
                while k < nlen and norm[k].isspace():
                    k += 1
                if norm.startswith(_AFTER_DAY, k):
                    found[i] = digits
            elif e - i == 4 and norm.startswith(("19", "20"), i):
                found[i] = digits
                year = True
    else:  # outside cp1256 (other decimal digits may be left)
        for i in _digit_starts_by_find(norm):
            found[i] = digits
    if words is None:
        present = _TOKEN_KEYS.intersection((norm.replace("/", " ") if "/" in norm else norm).split())
        cores, verified = {_TOKEN_CORE[t] for t in present}, True
    else:
        present = _TRIGGERS.intersection(words)
        cores, verified = set(), False
        for f in present:
            w = _FORM_CORE.get(f)
            if w is not None:
                needs = _CORE_NEEDS[w]
                if needs is None or not needs.isdisjoint(present) or year and _YEAR in needs:
                    cores.add(w)
    for w in cores:
        ok, here = verified, []
        n, i = len(w), norm.find(w)
        while i >= 0:
            j = i + n
            if j == nlen or not norm[j].isalnum():
                if i == 0 or not norm[i - 1].isalnum():
                    ok = ok or _in_key_token(norm, i, j, w)
                    rx = _WORD_BODIES[w] if w in _WORD_BODIES else _word_body(w)
                    if rx is not None:
                        here.append((i, rx))
                elif norm[i - 1] in _CLITIC_CHARS and (i == 1 or not norm[i - 2].isalnum()):
                    ok = ok or _in_key_token(norm, i - 1, j, w)
                    t = norm[i - 1:j]
                    rx = _WORD_BODIES[t] if t in _WORD_BODIES else _word_body(t)
                    if rx is not None:
                        here.append((i - 1, rx))
            i = norm.find(w, j)
        if ok:
            found.update(here)
    return sorted(found.items())


def _digit_starts_by_find(norm: str) -> list[int]:
    """Where an expression may start at a digit, found with ``str.find`` per ASCII digit
    (``isdecimal()`` is ``\\d``): a run of one or two digits, or of four beginning 19/20."""
    out = []
    for d in _DIGITS:
        i = norm.find(d)
        while i >= 0:
            if (i == 0 or not "0" <= norm[i - 1] <= "9") and (
                    not norm[i + 1:i + 2].isdecimal() or not norm[i + 2:i + 3].isdecimal()
                    or norm[i + 3:i + 4].isdecimal() and not norm[i + 4:i + 5].isdecimal()
                    and norm.startswith(("19", "20"), i)):
                out.append(i)
            i = norm.find(d, i + 1)
    return out


def _scan(norm: str, words: list[str] | None = None):
    end = 0
    for pos, rx in _candidates(norm, words):
        if pos < end:
            continue
        m = rx.match(norm, pos)
        if m:
            yield m
            end = m.end()


# body start: the expression proper, without clitic or introducing preposition
_BODY_START = {"yr": ("yr_kw", "yr_ys", "yr_yp")}

_WEEK_RE = re.compile(r"^(\d{4})-W(\d\d)$")
_ANCHOR_RE = re.compile(r"^(\d{4})(?:-(\d\d)(?:-(\d\d))?)?")
_RANGE_GAP = re.compile(r"^\s*[،,]?\s*(?:و\s*)?(?:حتي|الي|لغايه|ولغايه|و|-|–)\s*$")
# a sentence speaking of the future (its dates are no lower bound on the publication date): one of
# these words, at a word start or behind و/ف (see _future). Every alternative starts with a letter,
# so re scans for those letters at C speed instead of trying the pattern at every position.
_FUTURE_WORD = re.compile(
    r"(?:سوف|س[يت](?!اس|ار|طر|اد|اق|نا|ده|ته|تين|ون|ول|رغ|رج|ين|تمبر)\w{3,}"
    r"|من\s+المتوقع|ال(?:مقرر|منتظر|مرتقب|مزمع)ه?|مقرره?|منتظره?|مرتقبه?|مزمعه?|المقبل|القادم|غدا)(?!\w)")
# where a reported clause starts after a date (a complementizer, a colon, a quotation mark)
_REPORTED_AFTER = re.compile(r"(?<!\w)[وب]?ان(?:ه|ها|هم)?(?!\w)|[:\"“”«»]")
# "اليوم" as a date: "في وقت سابق من اليوم", "خلال اليوم", "قال اليوم إن", "اليوم،", "حتى اليوم".
_TODAY_OK = re.compile(r"(?:(?:من|خلال|حتي|مساء|صباح|ظهر|فجر)\s+اليوم(?!\w)|اليوم\s*(?:[،,]|[وف]?[اإ]ن\s|عن\s|ان\s))")
# how long after its latest dated past event an article may be dated by inference (then: None)
_MAX_AFTER_LATEST = 366
_ANNIVERSARY = re.compile(r"(?<!\w)(?:[وبل]|بال|وال|لل)?(?:ال)?ذكري(?!\w)")
# within this many days of its latest dated event, an article's own weekday and month suffice
_RECENT_DAYS = 45
_LAST_WEEK = re.compile(r"(?<!\w)(?:[وفبل])?الاسبوع\s+(?:الماضي|المنصرم|الفائت)(?!\w)")


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"  # re's \w


def _future(norm: str, pos: int, endpos: int) -> bool:
    """Whether ``norm[pos:endpos]`` speaks of the future: a _FUTURE_WORD at a word start, or
    behind a clitic و/ف at a word start (as ``(?<!\\w)[وف]?`` before it would say)."""
    while True:
        m = _FUTURE_WORD.search(norm, pos, endpos)
        if m is None:
            return False
        p = m.start()
        if p == 0 or not _word_char(norm[p - 1]):
            return True
        if p - 1 >= pos and norm[p - 1] in "وف" and (p == 1 or not _word_char(norm[p - 2])):
            return True
        pos = p + 1


class _M:
    """A temporal expression found in normalized text, before resolution."""

    __slots__ = ("ns", "ne", "kind", "y", "m", "d", "mmod", "ymod", "wd", "wmod", "dayoff",
                 "period", "pmod", "same", "link", "deictic", "fut")

    def __init__(self, ns, ne, kind, *, y=None, m=None, d=None, mmod=None, ymod=None, wd=None, wmod=None,
                 dayoff=None, period=None, pmod=None, same=False, deictic=False):
        self.ns, self.ne, self.kind = ns, ne, kind
        self.y, self.m, self.d, self.mmod, self.ymod = y, m, d, mmod, ymod
        self.wd, self.wmod, self.dayoff, self.period, self.pmod = wd, wmod, dayoff, period, pmod
        self.same = same
        self.link = None  # the other endpoint of a range (for a year-less start)
        self.deictic = deictic
        self.fut = False  # said in a sentence about the future ("القمة المقررة في 12 حزيران")


def _month_of(m, p) -> int | None:
    a = m.group(p + "m1")
    return _MONTHS[_key(a)][0] if a else None


def _ambiguous_alone(m, p) -> bool:
    a = m.group(p + "m1")
    return _MONTHS[_key(a)][1] and not m.group(p + "m2")


def _mods(m, p, kw):
    mod = m.group(p + "mod")
    if mod:
        kw["mmod"] = _MODVAL[mod]
        kw["deictic"] = True
    if m.group(p + "this"):
        kw["ymod"] = 0
        kw["deictic"] = True
    ym = m.group(p + "ymod")
    if ym:
        kw["ymod"] = _MODVAL[ym]
        kw["deictic"] = True
    if m.group(p + "ysame"):
        kw["same"] = True


def _mentions(norm: str, words: list[str] | None = None) -> list[_M]:
    """Every temporal expression in a normalized string, left to right (``words``: its word tokens,
    if known). They do not depend on the publication date: the last few texts' are kept, for an
    undated article is read again once its date is inferred (treat them as read-only)."""
    got = _MENTIONS_MEMO.get(norm)
    if got is None:
        got = _MENTIONS_MEMO.keep(norm, _find_mentions(norm, words))
    return got


_MENTIONS_MEMO = _TextMemo(8)  # an article's title and text, read by timexes, inference and timexes again


def _find_mentions(norm: str, words: list[str] | None) -> list[_M]:
    out: list[_M] = []
    for m in _scan(norm, words):
        k = m.lastgroup[2:]
        ns = m.start("K_" + k)
        for g in _BODY_START.get(k, ()):
            if m.start(g) >= 0:
                ns = m.start(g)
                break
        ne = m.end()
        if k == "iso":
            out.append(_M(ns, ne, k, y=int(m["iso_y"]), m=int(m["iso_m"]), d=int(m["iso_d"])))
        elif k == "dmy":
            a, b = int(m["dmy_a"]), int(m["dmy_b"])
            d, mo = (b, a) if a <= 12 < b else (a, b)  # Arabic writes d/m/y; m/d/y only when forced
            out.append(_M(ns, ne, k, y=int(m["dmy_y"]), m=mo, d=d))
        elif k in ("dm", "dl"):
            p = k + "_"
            kw = {"m": _month_of(m, p)}
            if m.group(p + "y"):
                kw["y"] = int(m.group(p + "y"))
            _mods(m, p, kw)
            d2 = int(m.group(p + "d")) if m.group(p + "d") else _ORDINALS[_key(m.group(p + "od"))]
            if k == "dl":
                d1 = int(m["dl_d1"]) if m["dl_d1"] else _ORDINALS[_key(m["dl_o1"])]
                first = _M(ns, ne, "dm", d=d1, **kw)
                out.append(first)
                out.append(_M(m.start(p + "d") if m.group(p + "d") else m.start(p + "od"), ne, "dm", d=d2, **kw))
            else:
                out.append(_M(ns, ne, k, d=d2, **kw))
        elif k == "dk":
            d = int(m["dk_d"]) if m["dk_d"] else _ORDINALS[_key(m["dk_od"])]
            pre, mod = m["dk_pre"], m["dk_mod"]
            if pre == "هذا":
                out.append(_M(ns, ne, k, d=d, mmod=0, deictic=True))
            elif pre or (mod and mod in _WORDS["same"]):
                out.append(_M(ns, ne, k, d=d, same=True))
            elif mod:
                out.append(_M(ns, ne, k, d=d, mmod=_MODVAL[mod], deictic=True))
        elif k == "mp":
            kw = {"m": _month_of(m, "mp_")}
            if m["mp_y"]:
                kw["y"] = int(m["mp_y"])
            _mods(m, "mp_", kw)
            has_ctx = bool(m["mp_y"] or m["mp_shahr"] or m["mp_m2"] or "mmod" in kw or "ymod" in kw
                           or kw.get("same"))
            if not has_ctx and (_ambiguous_alone(m, "mp_") or not _PREP_BEFORE.search(norm, max(0, ns - 16), ns)):
                continue  # a bare month word: not a date on its own
            out.append(_M(ns, ne, k, **kw))
        elif k == "rd":
            w = _key(m["rd_w"])
            if w == "اليوم" and not (m["rd_wd"] or m["rd_part"]) and not _TODAY_OK.search(norm, max(0, ns - 14), ne + 5):
                continue  # a bare "اليوم" is mostly "nowadays" ("ما يحدث في سوريا اليوم"), not a date
            out.append(_M(ns, ne, k, dayoff=_DAYVAL[w], wd=_WEEKDAYS.get(m["rd_wd"]) if m["rd_wd"] else None,
                          deictic=True))
        elif k == "wd":
            mod = m["wd_mod"]
            out.append(_M(ns, ne, k, wd=_WEEKDAYS[m["wd_w"]], wmod=_MODVAL[mod] if mod else None,
                          deictic=True))
        elif k == "pr":
            unit = _PERIOD[m["pr_u1"] or m["pr_u2"]]
            out.append(_M(ns, ne, k, period=unit, pmod=_MODVAL[m["pr_mod"]] if m["pr_mod"] else 0,
                          deictic=True))
        elif k == "yr":
            if m["yr_yp"] and not _PREP_BEFORE.search(norm, max(0, ns - 16), ns):
                continue  # a bare four-digit number is a year only after في، منذ، حتى …
            y = m["yr_y"] or m["yr_ys"] or m["yr_yr"] or m["yr_yp"]
            more = m["yr_more"]
            out.append(_M(ns, m.start("yr_more") if more else ne, k, y=int(y)))
            if more:  # "عامي 2016 و2017", "من 2003 إلى 2011": one row per year
                base = m.start("yr_more")
                for x in _Y_RE.finditer(more):
                    out.append(_M(base + x.start(), base + x.end(), k, y=int(x.group())))
    # ranges: a year-less start takes its year from the end ("منذ 2 من شباط وحتى 13 من أيار 2019")
    for a, b in zip(out, out[1:]):
        if a.m and b.m and a.y is None and a.mmod is None and a.ymod is None and not a.same \
                and _RANGE_GAP.match(norm[a.ne:b.ns]):
            a.link = b
    for x in out:
        if (x.m and x.y is None and x.mmod is None and x.ymod is None and not x.same) or \
                (x.kind == "wd" and x.wmod is None):
            stop = norm.rfind(".", max(0, x.ns - 90), x.ns)
            # after the date, only up to a complementizer or a quote: "أكد الخميس أن بلاده ستتخذ …"
            # reports on Thursday what will be done, the Thursday is past
            rep = _REPORTED_AFTER.search(norm, x.ne, x.ne + 25)
            x.fut = _future(norm, max(0, x.ns - 90, stop + 1), rep.start() if rep else x.ne + 25)
    return out


# ---------------------------------------------------------------------------------------------
# resolution

def resolve_anchor(value: str | None) -> tuple[date | None, str | None]:
    """``(date, precision)`` of an ISO anchor ('YYYY-MM-DD', 'YYYY-MM', 'YYYY'); the date is the
    first day of a month or year anchor. ``(None, None)`` when it cannot be read."""
    if not value:
        return None, None
    if type(value) is str:
        return _read_anchor_cached(value)
    return _read_anchor(str(value))


def _read_anchor(value: str) -> tuple[date | None, str | None]:
    m = _ANCHOR_RE.match(value)
    if not m:
        return None, None
    try:
        y = int(m[1])
        if m[3]:
            return date(y, int(m[2]), int(m[3])), "day"
        if m[2]:
            return date(y, int(m[2]), 1), "month"
        return date(y, 1, 1), "year"
    except ValueError:
        return None, None


# a corpus has a few thousand publication dates, each read for every field and inference: once
_read_anchor_cached = lru_cache(maxsize=4096)(_read_anchor)


def _valid(y, m, d) -> bool:
    try:
        date(y, m, d)
        return True
    except (ValueError, TypeError):
        return False


def _year_for(x: _M, A: date | None, prec: str | None, prev) -> int | None:
    """The year of a month-named expression without one (None when it cannot be known)."""
    if x.y is not None:
        return x.y
    if x.same and prev and prev[0]:
        return prev[0]
    if x.link is not None:
        ly = x.link.y if x.link.y is not None else _year_for(x.link, A, prec, prev)
        if ly is None:
            return None
        return ly if x.m <= x.link.m else ly - 1
    if A is None or prec == "year" and x.ymod is None:
        return None
    if x.ymod is not None:
        return A.year + x.ymod
    if x.mmod == 0:
        return A.year
    if x.mmod == -1:  # the latest such month strictly before the current one …
        if x.m == A.month and x.d and prec == "day" and x.d < A.day:
            return A.year  # … unless a day of this month already past is meant ("13 آذار الماضي" on 21 March)
        return A.year if x.m < A.month else A.year - 1
    if x.mmod == 1:
        return A.year if x.m > A.month else A.year + 1
    if x.fut and x.m > A.month:
        return A.year  # a date to come, later this year
    return A.year if x.m <= A.month else A.year - 1  # the latest such month not after the anchor


def _resolve(x: _M, A: date | None, prec: str | None, prev):
    """``(value, precision, used_anchor)`` of one expression; value None when unresolvable,
    'bad' when the expression names an impossible date."""
    k = x.kind
    if k in ("iso", "dmy"):
        return (f"{x.y:04d}-{x.m:02d}-{x.d:02d}", "day", False) if _valid(x.y, x.m, x.d) else ("bad", None, False)
    if k == "yr":
        return str(x.y), "year", False
    if k in ("dm", "mp"):
        if not 1 <= (x.d or 1) <= 31:
            return "bad", None, False
        y = _year_for(x, A, prec, prev)
        used = x.y is None and not x.same and x.link is None
        if y is None:
            return None, "day" if x.d else "month", False
        if x.d is None:
            return f"{y:04d}-{x.m:02d}", "month", used
        if not _valid(y, x.m, x.d):
            return ("bad" if x.y is not None or not _valid(2000, x.m, x.d) else None), None, False
        return f"{y:04d}-{x.m:02d}-{x.d:02d}", "day", used
    if k == "dk":
        if x.same:
            if not prev or prev[1] is None:
                return None, "day", False
            y, mo = prev[0], prev[1]
            used = False
        else:
            if A is None or prec not in ("day", "month"):
                return None, "day", False
            mo = A.month + x.mmod
            y = A.year + (mo - 1) // 12
            mo = (mo - 1) % 12 + 1
            used = True
        if y is None or not _valid(y, mo, x.d):
            return (None if y is None else "bad"), "day", False
        return f"{y:04d}-{mo:02d}-{x.d:02d}", "day", used
    if A is None:
        return None, {"pr": x.period}.get(k, "day"), False
    if k == "pr":
        if x.period == "year":
            return str(A.year + x.pmod), "year", True
        if prec not in ("day", "month"):
            return None, x.period, False
        if x.period == "month":
            mo = A.month + x.pmod
            y = A.year + (mo - 1) // 12
            return f"{y:04d}-{(mo - 1) % 12 + 1:02d}", "month", True
        if prec != "day":
            return None, "week", False
        iy, iw, _ = (A + timedelta(weeks=x.pmod)).isocalendar()
        return f"{iy:04d}-W{iw:02d}", "week", True
    if prec != "day":
        return None, "day", False
    if k == "rd":
        if x.wd is not None and x.dayoff != 0:
            # "أمس الخميس": the weekday named wins over the day count (written the day before)
            back = (A.isoweekday() - x.wd) % 7 or 7
            d = A - timedelta(days=back) if x.dayoff < 0 else A + timedelta(days=(x.wd - A.isoweekday()) % 7 or 7)
        elif x.wd is not None and x.wd != A.isoweekday():
            # "اليوم الأحد" in a copy dated Tuesday (or a GMT date a day behind): the weekday named is
            # the day meant — the nearest one, the past one on a tie
            back = (A.isoweekday() - x.wd) % 7
            d = A - timedelta(days=back) if back <= 3 else A + timedelta(days=7 - back)
        else:
            d = A + timedelta(days=x.dayoff)
        return d.isoformat(), "day", True
    if k == "wd":
        if x.wmod == 1:
            d = A + timedelta(days=(x.wd - A.isoweekday()) % 7 or 7)
        elif x.wmod == -1:
            d = A - timedelta(days=(A.isoweekday() - x.wd) % 7 or 7)
        elif x.fut:  # "سيزور … الجمعة": the coming one
            d = A + timedelta(days=(x.wd - A.isoweekday()) % 7)
        else:  # bare or "الجاري": the most recent such day on or before the anchor
            d = A - timedelta(days=(A.isoweekday() - x.wd) % 7)
        return d.isoformat(), "day", True
    return None, None, False


def _resolve_all(ms: list[_M], anchor: str | None):
    """``[(mention, value, precision, used_anchor)]`` with impossible dates dropped."""
    A, prec = resolve_anchor(anchor)
    out, prev = [], None
    for x in ms:
        v, p, used = _resolve(x, A, prec, prev)
        if v == "bad":
            continue
        if v is not None and p in ("day", "month"):
            prev = (int(v[:4]), int(v[5:7]))
        elif x.kind in ("dm", "mp") and x.m:
            prev = (None, x.m)
        out.append((x, v, p, used))
    return out


def timexes(doc: Doc, *, anchor: str | None = None) -> Iterator[Timex]:
    """Temporal expressions in the title and body of ``doc``, resolved against ``anchor``
    (default: ``doc.published``). A range gives one row per endpoint."""
    anchor = anchor if anchor is not None else doc.published
    A, _ = resolve_anchor(anchor)
    anchor_iso = anchor[:10] if A is not None else None
    for field in ("title", "text"):
        text = doc.field_text(field)
        if not text:
            continue
        nt = doc.norm(field)
        for x, v, p, used in _resolve_all(_mentions(nt.norm, doc.words(field)), anchor):
            s, e = nt.span(x.ns, x.ne)
            yield Timex(doc.doc_id, field, s, e, text[s:e], v, p,
                        "relative" if x.deictic else "absolute", anchor_iso if used else None)


# ---------------------------------------------------------------------------------------------
# publication date inference

def _first_weekday(doc: Doc, ms: list[_M], nt) -> tuple[int, _M] | None:
    """The weekday of 'today': "اليوم الاثنين", else a bare weekday in the lead (the day reported)."""
    for x in ms:
        if x.kind == "rd" and x.dayoff == 0 and x.wd is not None:
            return x.wd, x
    lead_end = doc.sentences[min(2, len(doc.sentences) - 1)][1] if doc.sentences else len(doc.text)
    for x in ms:
        if x.kind == "wd" and x.wmod is None and nt.span(x.ns, x.ne)[0] < lead_end:
            return x.wd, x
    return None


def infer_published(doc: Doc, timexes=None) -> tuple[str, str] | None:
    """``(date, evidence)`` when the article's own anchors fix its date, else None.

    Constraints gathered: the weekday of "today"; a month called current (الجاري/الحالي), whose named
    days are not after publication unless the sentence speaks of the future; every explicitly dated
    past date (day, month or year) as a lower bound; a "last week" sentence whose latest date must
    fall in the week before publication. The earliest date satisfying them all is returned, at day
    precision when a weekday fixes it, else at month precision. Without a lower bound and a month
    (current month or last-week anchor), the evidence is too thin and None is returned."""
    nt = doc.norm("text")
    norm = nt.norm
    ms = _mentions(norm, doc.words("text"))
    if not ms:
        return None
    sent_of = {}

    def sentence(x):
        if x not in sent_of:
            s, e = doc.sentence_of(nt.span(x.ns, x.ne)[0])
            sent_of[x] = (s, e)
        return sent_of[x]

    def future(x):
        s, e = sentence(x)
        return _future(norm, nt.norm_index(s), nt.norm_index(e))

    def anniversary(x):
        s, e = sentence(x)
        return _ANNIVERSARY.search(norm, nt.norm_index(s), nt.norm_index(e)) is not None

    def surf(x):
        s, e = nt.span(x.ns, x.ne)
        return doc.text[s:e]

    # the latest explicitly dated day is the lower bound and the evidence of recency: a year or a
    # month alone ("عام 2006", "أيار/مايو 2015") says too little of when the article was written
    lower, lower_x, floor = None, None, None
    for x in ms:
        if x.kind in ("iso", "dmy", "dm", "mp", "yr") and x.y is not None and not future(x):
            if not _valid(x.y, x.m or 1, x.d or 1):
                continue
            cand = date(x.y, x.m or 1, x.d or 1)
            floor = cand if floor is None or cand > floor else floor  # every dated past is before it
            if x.d and x.kind != "yr" and not anniversary(x) and (lower is None or cand > lower):
                lower, lower_x = cand, x
    if lower is None:
        return None
    current = [x for x in ms if x.kind in ("dm", "mp") and x.y is None and x.mmod == 0]
    current_past = [x for x in current if x.d and not future(x)]
    lastweek = []
    for m in _LAST_WEEK.finditer(norm):
        s, e = doc.sentence_of(nt.span(m.start(), m.end())[0])
        ns, ne = nt.norm_index(s), nt.norm_index(e)
        dated = [x for x in ms if ns <= x.ns < ne and x.kind in ("iso", "dmy", "dm") and x.d]
        if dated:
            lastweek.append((m, dated))
    if not current and not lastweek:
        return None
    wd = _first_weekday(doc, ms, nt)
    if not wd and not lastweek:
        return None  # a month alone leaves the day open: no guess
    months = {x.m for x in current}
    if len(months) > 1:
        return None  # the article contradicts itself

    def resolved(x, P):
        v, p, _ = _resolve(x, P, "day", None)
        return date.fromisoformat(v) if v not in (None, "bad") and p == "day" else None

    for i in range(_MAX_AFTER_LATEST):
        P = lower + timedelta(days=i)
        if months and P.month not in months or P < floor:
            continue
        if wd and P.isoweekday() != wd[0]:
            continue
        if any((r := resolved(x, P)) is not None and r > P for x in current_past):
            continue
        ok = True
        for _, dated in lastweek:
            rs = [r for r in (resolved(x, P) for x in dated) if r is not None]
            monday = P - timedelta(days=P.isoweekday() - 1)
            if not rs or not (monday - timedelta(days=7) <= max(rs) < monday):
                ok = False
                break
        if not ok:
            continue
        if (P - lower).days > _RECENT_DAYS and not (wd and lastweek and current):
            # the latest dated event is not recent: only a weekday, a current month and a last-week
            # anchor together narrow the date enough (else anniversaries, "6 أكتوبر 1973", mislead)
            return None
        evidence = []
        if wd:
            evidence.append(surf(wd[1]))
        evidence += [surf(x) for x in (current_past or current)[:2]]
        for m, dated in lastweek[:1]:
            evidence.append(doc.text[slice(*nt.span(m.start(), m.end()))].strip())
        evidence.append(surf(lower_x))
        ev = " + ".join(dict.fromkeys(e.strip() for e in evidence if e.strip()))
        if wd:
            return P.isoformat(), ev
        return f"{P.year:04d}-{P.month:02d}", ev
    return None
