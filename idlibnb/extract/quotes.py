"""Direct and indirect quotes with their speaker and cue verb — issue 5.

A quote starts at a cue (``data/speech_verbs.tsv``: قال، أكد، أوضح … in their inflections and
participles such as موضحا، لافتة). After the cue come the speaker (a named body or person, a described
source such as "مصادر عسكرية", or nothing: "وأضاف"/"موضحا" take the previous speaker of the article),
perhaps "في بيان" or "لصحيفة …", then the content: a quotation mark opens a direct quote; أن/إن/: or
a verbal noun ("أعلنت الوزارة وقف إطلاق النار") an indirect one. A clause that ends in
"، بحسب البيان" is a quote of what follows بحسب. Quotation marks are read by position, not by
shape, because articles mix “ ” " « » ″ and use ” to open; a quote ends at the next mark in the
same paragraph, so an unbalanced mark never swallows the article.

``start``/``end`` are the span of the content (without the marks) in ``doc.field_text(field)``.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import chain
from operator import attrgetter, itemgetter
from typing import Iterator, NamedTuple

from ..doc import Doc
from ..lexicon import package_tsv, trie_regex
from ..normalize import TOKEN_PATTERN, normalize_ar
from .figures import _word_keys, _word_positions

__all__ = ["Quote", "quotes", "KINDS"]

KINDS = ("direct", "indirect")


class Quote(NamedTuple):
    doc_id: str
    field: str
    start: int
    end: int
    speaker: str | None
    speaker_id: str | None
    cue: str | None
    content: str
    kind: str


_L = r"[^\W\d_]"
_MARKS = "\"“”«»″„‟"
_MARK = re.compile(f"[{_MARKS}]")
_MARKSET = frozenset(_MARKS)
_COMP = re.compile(rf"(?<!{_L})(?:(?:علي|الي|عن|ب|من)\s+)?(?:[بوف])?ان(?:ه|ها|هم|هما|هن)?(?!{_L})|:")
# a quoted run followed by أن is the speaker's name ('أعلن ما سمي "المركز الروسي"، أنه …')
_NAME_THEN_COMP = re.compile(rf"\s*[،,]?\s*(?:[بو])?ان(?:ه|ها|هم)?(?!{_L})")
_MARK_BEFORE = re.compile(rf"[{_MARKS}][ \t]*[،,]?[ \t]*\Z")  # not across a line: that quote is another's
_MARK_AHEAD = re.compile(rf"\s*[{_MARKS}]")
_PREP_AHEAD = re.compile(r"\s*(?:الي|علي|عن|ب)\s+")
_GAP_AHEAD = re.compile(r"[\s،,]*(?:الي|علي|عن)?\s*")
_APPOSITION = re.compile(r"\s*[،,]\s*([^\W\d_]+(?:\s+[^\W\d_]+){0,3})\s*[،,]")
_AND = re.compile(r"\s*(?:و|،\s*)")
_FA_INNA = re.compile(r"\s*(?:فان|فانه|فانها)?\s*")
_NOT_A_CUE = ("عدم", "رفض", "دون", "بعد", "قبل")  # followed by whitespace right before the cue
# "، وفق ما أفادت المتحدثة …", "حسبما قالت …": the verb is part of an attribution that closes a clause
# (see _attributions); at a sentence start ("وبحسب ما صرحت الوزارة فإن …") it is the cue
_ATTRIB_MA = (["ما"], ["حسبما"], ["بحسبما"])
_TRAIL_MA = re.compile(r"(?:[،,]|[^\W\d_])\s+و?(?:(?:ب?حسب|وفق|وفقا\s*ل)\s*ما|ب?حسبما)\s+$")
_NESTED = re.compile(rf"(?<!{_L})عن\s+(?P<who>[^،,.\n]{{2,120}}?(?:[،,][^،,.\n]{{2,80}}?){{0,2}})\s*[،,]?\s+قول(?:ه|ها|هم|هما)(?!{_L})")
# "وبحسب مصادر محلية، فإن …" at a sentence start (checked in code: a literal-first pattern scans fast)
_LEAD_ATTRIB = re.compile(rf"و?(?P<cue>بحسب|حسب|وفق|وفقا\s*ل|طبقا\s*ل|نقلا\s+عن)(?:ـ)?\s*(?!ما(?!{_L}))")
_KANA_QAD = re.compile(rf"(?<!{_L})[وف]?كان(?:ت)?\s+(?P<np>[^،,.\n]{{2,60}}?(?:[،,][^،,.\n]{{2,50}}?){{0,2}})"
                       rf"\s*[،,]?\s*قد\s*$")
# "وكان رئيس الأركان … قال": the same subject with no قد (tried only when the cue is preceded by كان X)
_KANA = re.compile(rf"(?<!{_L})[وف]?كان(?:ت)?\s+(?!قد(?!{_L}))(?P<np>[^،,.\n\d]{{2,60}}?)\s*$")
# "أما شيروان بري، أحد رؤساء الهلال الأحمر … فقال": the subject follows أما, the cue takes ف
_AMMA = re.compile(rf"(?<!{_L})و?اما\s+(?P<np>[^،,.\n]{{2,80}}?)\s*(?:[،,]|$)")  # "أما المرصد … فأكد" too
# one character class first: the engine skips to the next candidate character in C instead of trying
# two branches at every position (same matches as "[.!؟?](?=\s|$)|\n")
_SENT_END = re.compile(r"[\n.!؟?](?:(?<=\n)|(?=\s|$))")
_MAX_SPEAKER_REGION = 140
_MAX_DIRECT = 1500


def _n(words: str) -> set[str]:
    return {normalize_ar(w) for w in words.split()}


# tokens that end a speaker phrase (it goes on with where/when/to whom it was said)
_STOP = _n("في خلال عبر ضمن عقب بعد قبل امام أمام اليوم أمس امس يوم صباح مساء مساء الأحد الاثنين الإثنين "
           "الثلاثاء الأربعاء الخميس الجمعة السبت إلى الى على عن من مع ان أن إن بأن بان انه أنه إنه حول بشأن "
           "خلال لدى لوسائل للصحفيين للصحافيين للصحافة للإعلام لقناة لصحيفة لشبكة لوكالة لموقع لتلفزيون "
           "لإذاعة لراديو لمراسل لمراسلة لجريدة لمجلة بيان تصريح تصريحات مؤتمر كلمة حديث مقابلة الذي التي "
           "لرويترز لفرانس للجزيرة للعربية للأناضول لسكاي لبي لسي لسبوتنيك لتاس لنوفوستي لإنترفاكس "
           "للتلفزيون للإذاعة للوكالة للصحيفة لقناة لتلفزيون لموقع لصحف لوسائل نقلا وفقا بحسب حسب وفق "
           "الماضي الماضية الجاري الحالي مؤخرا لاحقا سابقا الليلة الثلاثاء وذلك اسمه اسمها هويته هويتها "
           "طلب طلبت طلبوا رفض رفضت رفضوا فضل فضلت مفضلا مشترطا طالبا طالبة طالبين")
# prepositions with a pronoun: "قال لها إن" (to her), "قال عنه" (about him) — skipped, not the speaker
_PRON_PREP = _n("له لها لهم لهن لنا لي لك لكم فيه فيها عنه عنها عنهم منه منها عليه عليها معه معها إليه إليها اليه اليها")
_TIME_FIRST = _n("العام الأسبوع الشهر السنة اليوم")
# a speaker phrase made only of these is no speaker ("وكان أعلن", "بدورها أفادت")
_NOT_SPEAKER = _n("ولكن وكما اما وأما كان كانت قد كما ثم بدوره بدورها بدورهم وقت فيما بينما حيث ذلك هذا هذه وقد وكان وكانت "
                  "فقد لكن لكنه لكنها ولكنه ولكنها بل وبل كذلك أيضا ايضا جهته جهتها وفي وفيما اذ إذ لا لم لن ما يأتي وتابع "
                  "الخميس الجمعة السبت الأحد الاثنين الإثنين الثلاثاء الأربعاء وأمس والخميس والجمعة")
_ROLE = _n("وزير وزيرة رئيس رئيسة المتحدث متحدث الناطق ناطق مدير مديرة قائد سفير مندوب ممثل الأمين "
           "نائب مستشار زعيم المبعوث مبعوث العميد اللواء العقيد الجنرال الرئيس الوزير مسؤول المسؤول منسق")
# a quoted run right after one of these is a name, not the quote: 'قال رئيس "المركز الروسي للمصالحة" إن'
_ROLE_BEFORE_NAME = _ROLE | _n("باسم قائد زعيم أمير منظمة المنظمة جماعة حركة هيئة مركز شبكة وكالة صحيفة قناة "
                                "موقع فصيل تنظيم مجلس لجنة جمعية ائتلاف")  # 'ذكرت منظمة "أطباء بلا حدود" أن'

_DISTANCING = re.compile(r"\s*(?:ما\s+(?:سمي|يسمي|تسمي|يعرف\s+ب|تعرف\s+ب)|ما\s+اسماه|ما\s+اسمته)\s*")
_SOURCE_HEADS = _n("البيان بيان مصادر مصدر المصادر المصدر وكالة الوكالة صحيفة الصحيفة موقع الموقع المرصد "
                   "مسؤول مسؤولون المتحدث متحدث الناطق التقرير تقرير وزارة الوزارة الأمم مراسل مراسلنا "
                   "شبكة الشبكة قناة القناة منظمة المنظمة فريق الفريق "
                   # "وفق الأرقام الرسمية"، "بحسب إحصاءات الأمم المتحدة"، "وفق تقارير"
                   "الأرقام أرقام الإحصاءات إحصاءات الإحصائيات إحصائيات المعطيات معطيات التقديرات "
                   "تقديرات التقارير تقارير وسائل الإعلام إعلام التلفزيون المتحدثة متحدثة الناطقة ناطقة مسؤولة المسؤولة")
_COMPS = _n("ان وان بان انه وانه بانه انها وانها")
# verbal nouns of what is reported after ب ("أفاد المرصد بمقتل …")
_REPORTED_NOUNS = _n("مقتل قتل سقوط مصرع إصابة نزوح وقوع حدوث شن تعرض استهداف وصول خروج دخول ارتفاع وجود اندلاع")
_ATTRIB = re.compile(rf"[،,\s]\s*و?(?P<cue>بحسب|حسب|وفق|وفقا\s*ل|طبقا\s*ل|نقلا\s+عن)(?:ـ)?\s*"
                     rf"(?:ما\s+(?:افاد|افادت|ذكر|ذكرت|اعلن|اعلنت|اورد|اوردت|قال|قالت|اكد|اكدت|يقول|تقول|يذكر|تذكر"
                     rf"|يفيد|تفيد)(?:ه|ها)?\s+)?")
# the clause goes on after the source ("، بحسب المرصد، الأمر الذي نفاه الجيش"): it still closes the
# report before it, unless what follows is the report ("، فإن …", or a cue behind و: "، ووفقا للوزارة،
# تم قصف …") or the sentence's own count goes on ("، أيضا وفق المرصد، 8 مدنيين")
_CLAUSE_GOES_ON = re.compile(r"\s*[،,](?!\s*(?:ف?ان(?:ه|ها)?(?![^\W\d_])|\d))")


class _Cue(NamedTuple):
    lemma: str
    kind: str  # verb | participle
    aspect: str  # perfect | imperfect | participle
    needs_comp: bool


@lru_cache(maxsize=None)
def _lex():
    rows = package_tsv("speech_verbs.tsv", required=("form", "lemma", "kind", "aspect", "needs_comp", "source"),
                       allowed={"kind": ("verb", "participle"), "needs_comp": ("yes", "no"),
                                "aspect": ("perfect", "imperfect", "participle")})
    cues = {}
    for r in rows:
        cues.setdefault(normalize_ar(r["form"]), _Cue(r["lemma"], r["kind"], r["aspect"], r["needs_comp"] == "yes"))
    rx = re.compile(rf"[وف]?(?P<cue>{trie_regex(cues)})(?!{_L})")
    keys = _word_keys(cues, "وف")
    return cues, rx, keys


_BREAKS: frozenset = frozenset()  # _speaker_breaks(), once built (a global: no cache call per phrase)


def _speaker_breaks() -> frozenset:
    """Words that end a speaker phrase: stop words, prepositions with a pronoun and every cue
    (bare or behind و/ف: "وأضاف" starts the next statement)."""
    global _BREAKS
    if not _BREAKS:
        cues = _lex()[0]
        _BREAKS = frozenset(_STOP | _PRON_PREP | set(cues) | {c + w for w in cues for c in "وف"})
    return _BREAKS


@lru_cache(maxsize=None)
def _all_bare() -> frozenset:
    """Every word :func:`_field_quotes` looks up: the cues and the attribution words."""
    return _lex()[2].bare | _ATTRIB_KEYS.bare


_SEP_BREAK = frozenset("،,(:؛.\n")  # punctuation between two words ends a speaker phrase
_ATTRIB_KEYS = _word_keys(_n("بحسب حسب وفق وفقا طبقا نقلا حسبما بحسبما"), "و")  # "، حسبما أعلن المرصد"


class _Q:
    __slots__ = ("cue_s", "ns", "ne", "speaker", "sp_span", "speaker_id", "cue", "kind", "direct_end")

    def __init__(self, cue_s, ns, ne, speaker, sp_span, speaker_id, cue, kind, direct_end=False):
        self.cue_s, self.ns, self.ne = cue_s, ns, ne
        self.speaker, self.sp_span, self.speaker_id = speaker, sp_span, speaker_id
        self.cue, self.kind, self.direct_end = cue, kind, direct_end


def quotes(doc: Doc, *, entities=None) -> Iterator[Quote]:
    """Quotes in ``doc``'s title and text: ``(speaker, cue, content, kind)`` with the content's span.
    ``entities`` are the doc's entity rows (extracted here when None) and give ``speaker_id``."""
    if entities is None:
        from . import entities as _ents

        try:
            entities = list(_ents.entities(doc))
        except Exception:  # quotes still work without entities
            entities = []
    out: list[Quote] = []
    doc_id = doc.doc_id
    by_field: dict[str, list] | None = None  # the doc's entity rows per field, once a field needs them
    for field in ("title", "text"):
        text = doc.field_text(field)
        if not text:
            continue
        nt = doc.norm(field)
        # the words that can start a quote (cues, بحسب…): a field with none (most titles) and no
        # headline colon has no quote, and its entities need not be prepared
        words = _all_bare().intersection(doc.words(field))
        if not words and (field != "title" or ":" not in nt.norm):
            continue
        if by_field is None:
            by_field = {"title": [], "text": []}
            for e in entities:
                if getattr(e, "doc_id", doc_id) == doc_id:
                    rows = by_field.get(getattr(e, "field", "text"))
                    if rows is not None:
                        rows.append(e)
        # nothing deleted by normalization (equal lengths: NormText maps characters one to one and
        # only deletes): the offsets are the original ones, no conversion either way
        same = len(nt.norm) == len(nt.orig)
        if same:
            ents = sorted([(e.start, e.end, e) for e in by_field[field]])
        else:
            ni = nt.norm_index
            ents = sorted([(ni(e.start), ni(e.end), e) for e in by_field[field]])
        found = _field_quotes(nt.norm, ents, words) if words else []
        if field == "title" and not found:
            found = _headline_quote(nt.norm, ents)
        rows: list[Quote] = []
        for q in found:
            if same:
                (s, e), (cs, ce), (ss, se) = (q.ns, q.ne), q.cue, q.sp_span
            else:
                (s, e), (cs, ce), (ss, se) = nt.span(q.ns, q.ne), nt.span(*q.cue), nt.span(*q.sp_span)
            content = text[s:e]
            if not content.strip():
                continue
            # quotation marks around a name ('مراسل "نداء سوريا"') are not part of who spoke
            speaker = text[ss:se]
            if _MARK.search(speaker):  # a regex scan: a set test would make a string of every letter
                speaker = _MARK.sub(" ", speaker)
            speaker = " ".join(speaker.split()) or None
            rows.append(_new_quote(Quote, (doc_id, field, s, e, speaker, q.speaker_id, text[cs:ce] or None, content,
                                           q.kind)))
        # title first, then text; by start (a stable sort), one quote per start: the first
        rows.sort(key=_START)
        last = -1
        for q in rows:
            if q.start != last:
                out.append(q)
                last = q.start
    return iter(out)


_START = itemgetter(2)  # Quote.start
_new_quote = tuple.__new__  # Quote(...) without the Python-level __new__ of a NamedTuple
_NS = attrgetter("ns")

_MAX_SENTENCE = 1500  # a "sentence" longer than this is cut: text without punctuation stays linear


def _sentence_end(norm: str, i: int) -> int:
    m = _SENT_END.search(norm, i, i + _MAX_SENTENCE)
    return m.start() if m else min(len(norm), i + _MAX_SENTENCE)


def _sentence_start(norm: str, i: int) -> int:
    lo = max(0, i - _MAX_SENTENCE)
    # each search only after the last end found so far: the ones never found scan a short stretch
    j = norm.rfind(".", lo, i)
    for c in "\n؟!":
        k = norm.rfind(c, j + 1 if j >= lo else lo, i)
        if k > j:
            j = k
    return j + 1 if j >= 0 else lo


def _para_end(norm: str, i: int) -> int:
    j = norm.find("\n", i, i + _MAX_DIRECT)
    return min(len(norm), i + _MAX_DIRECT) if j < 0 else j


def _next_mark(norm: str, i: int, limit: int) -> int:
    """The offset of the first quotation mark in ``norm[i:limit]``, or -1."""
    m = _MARK.search(norm, i, limit)
    return m.start() if m else -1


def _field_quotes(norm: str, ents, words: list[str] | None = None) -> list[_Q]:
    cues, rx, keys = _lex()
    found: list[_Q] = []
    consumed = -1
    prev: tuple[str, tuple[int, int], str | None] | None = None  # last speaker, span, id
    if words is not None:
        words = _all_bare().intersection(words)  # one lookup of the text's words for cues and بحسب…
        if not words:
            return []  # no cue and no بحسب…: nothing can be found
    ent_starts = [e[0] for e in ents]
    # "طلب عدم ذكر اسمه": a verbal noun after عدم/رفض/دون, nobody speaks
    matches = []
    for p in sorted(_word_positions(norm, keys, words)):
        m = rx.match(norm, p)
        if m:
            # _negated, inline: whitespace, and before it عدم/رفض/دون/بعد/قبل
            before = norm[p - 8 if p > 8 else 0:p]
            if not before[-1:].isspace():
                matches.append(m)
                continue
            trimmed = before.rstrip()
            # every word of _ATTRIB_MA ends in ما: the split is for those few
            if not (trimmed.endswith(_NOT_A_CUE) or (trimmed.endswith("ما") and before.split()[-1:] in _ATTRIB_MA
                                                     and _TRAIL_MA.search(norm, max(0, p - 24), p))):
                matches.append(m)
    send_from = send_at = -1  # the last sentence-end search: where it started, the end it found
    for i, m in enumerate(matches):
        cs, ce = m.span("cue")
        if cs < consumed:
            continue
        cue = cues[m.group("cue")]
        if send_from <= ce <= send_at:
            # a cue in the sentence of the one before (", مشيرا إلى"): no end between, the same end
            sent_end = send_at
        else:
            sm = _SENT_END.search(norm, ce, ce + _MAX_SENTENCE)
            sent_end = sm.start() if sm else min(len(norm), ce + _MAX_SENTENCE)
            # reusable only if the match did not depend on where the search window stopped
            send_from, send_at = (ce, sent_end) if sm and sent_end <= ce + _MAX_SENTENCE - 2 else (-1, -1)
        # the region after a cue ends where the next cue begins ("…، لافتة إلى أن …")
        nxt = matches[i + 1].start() if i + 1 < len(matches) else len(norm)
        q = _after_cue(norm, m, cue, sent_end, ents, ent_starts, prev, nxt)
        if q is None:
            continue
        found.append(q)
        consumed = max(consumed, q.ns)
        prev = (q.speaker, q.sp_span, q.speaker_id)
    found += _attributions(norm, ents, ent_starts, found, words)
    found.sort(key=_NS)
    # an indirect quote runs to the end of its sentence or to the next quote's cue inside it
    cue_starts = sorted([q.cue_s for q in found])
    for q in found:
        if q.direct_end:
            continue
        k = bisect_right(cue_starts, q.ns)
        if k < len(cue_starts) and cue_starts[k] < q.ne:
            q.ne = cue_starts[k]
        while q.ne > q.ns and norm[q.ne - 1] in " ،,؛;":
            q.ne -= 1
    return [q for q in found if q.ne - q.ns >= 3]


def _negated(norm: str, p: int) -> bool:
    """Do the 8 characters before ``p`` end in عدم/رفض/دون/بعد/قبل and whitespace? (what the regex
    "(?:عدم|رفض|دون|بعد|قبل)\\s+$" searched in that window)"""
    before = norm[max(0, p - 8):p]
    return before[-1:].isspace() and before.rstrip().endswith(_NOT_A_CUE)


def _comp_search(norm: str, pos: int, limit: int):
    """``_COMP.search(norm, pos, limit)``, started near the first place a match can be: every match
    holds ":" or "ان", and what may precede "ان" in a match (علي/الي/عن/ب, whitespace, a clitic ب/و/ف)
    holds neither, so no match starts before the first usable "ان" minus that prefix. An "ان" inside
    a word (كان، بيان، الانسحاب) is skipped: a letter other than a clitic before it rules it out."""
    j = norm.find("ان", pos, limit)
    while j > 0:
        b = norm[j - 1]
        if not b.isalpha() or b in "بوف" and (j < 2 or not norm[j - 2].isalpha()):
            break
        j = norm.find("ان", j + 1, limit)
    c = norm.find(":", pos, limit)
    if j < 0:
        return _COMP.search(norm, c, limit) if c >= 0 else None
    start = j - 1  # a clitic, then whitespace, then at most three letters of a preposition
    while start > pos and norm[start - 1].isspace():
        start -= 1
    start -= 3
    if 0 <= c < start:
        start = c
    return _COMP.search(norm, max(pos, start), limit)


def _n_tokens(s: str, cap: int = 3) -> int:
    """How many word tokens ``s`` has, counted up to ``cap`` (a long quote is not tokenized)."""
    n = 0
    for _ in TOKEN_PATTERN.finditer(s):
        n += 1
        if n >= cap:
            break
    return n


def _kana_qad_search(norm: str, lo: int, hi: int):
    """``_KANA_QAD.search(norm, lo, hi)``; the window must end in "قد" (and whitespace) to match."""
    if not norm[lo:hi].rstrip().endswith("قد"):
        return None
    return _KANA_QAD.search(norm, lo, hi)


def _after_cue(norm, m, cue: _Cue, sent_end, ents, ent_starts, prev, next_cue):
    verb = cue.kind == "verb"
    if not verb and prev is None:
        return None  # a participle ("موضحا") speaks for the previous speaker: there is none
    cs, ce = m.span("cue")
    ms = m.start()
    cue_span = (cs, ce)
    limit = min(sent_end, ce + _MAX_SPEAKER_REGION, next_cue)
    # "«…»، قال المتحدث": the quote came first
    # (a regex scan for a mark, not a set test: that would make a string of every letter)
    if verb and _MARK.search(norm, ms - 4 if ms > 4 else 0, ms) and _MARK_BEFORE.search(
            before := norm[ms - 4 if ms > 4 else 0:ms]):
        close = ms - len(before) + max(before.rfind(c) for c in _MARKS)
        open_ = max(norm.rfind(c, max(0, close - _MAX_DIRECT), close) for c in _MARKS)
        if open_ >= 0 and "\n" not in norm[open_:close] and len(norm[open_ + 1:close].split()) >= 3:
            sp = _speaker_np(norm, ce, sent_end, ents, ent_starts, masdar=False)
            if sp is None and prev is not None:
                sp = prev
            if sp is not None:
                q = _Q(cs, open_ + 1, close, sp[0], sp[1], sp[2], cue_span, "direct", True)
                return q
    # find where the content starts: a complementizer, a colon, or a quotation mark of a real quote
    pos = ce
    content_start = kind = None
    region_end = None
    # a direct quote's closing mark, found with its opening one: _para_end never reaches past
    # _MAX_DIRECT, so it is what a search from the content start would find
    close = -1
    while pos < limit:
        cm = _comp_search(norm, pos, limit)
        # only a mark before the complementizer matters: search no further
        mk = _MARK.search(norm, pos, limit if cm is None else cm.start())
        mk = mk.start() if mk else -1
        if mk >= 0:
            nxt = _next_mark(norm, mk + 1, _para_end(norm, mk + 1))
            inner = norm[mk + 1:nxt] if nxt > 0 else norm[mk + 1:sent_end]
            if _n_tokens(inner) >= 3 and not (
                    nxt > 0 and _NAME_THEN_COMP.match(norm, nxt + 1)) and not (
                    nxt > 0 and norm[max(ce, mk - 16):mk].split()[-1:] and
                    norm[max(ce, mk - 16):mk].split()[-1] in _ROLE_BEFORE_NAME):
                region_end, content_start, kind, close = mk, mk + 1, "direct", nxt
                break
            pos = (nxt + 1) if nxt > 0 else mk + 1  # a quoted name ('لشبكة "شام"'): part of the region
            continue
        if cm is None:
            break
        region_end, content_start = cm.start(), cm.end()
        # "أن “…”": a mark right after the complementizer makes it direct
        mm = _MARK_AHEAD.match(norm[content_start:content_start + 3]) if _MARK.search(
            norm, content_start, content_start + 3) else None
        if mm:
            nxt = _next_mark(norm, content_start + mm.end(), _para_end(norm, content_start + mm.end()))
            inner = norm[content_start + mm.end():nxt] if nxt > 0 else ""
            after = norm[nxt + 1:sent_end] if nxt > 0 else ""
            n_inner = _n_tokens(inner)
            # a mark right after أن/: opens a quote, however short — unless a short quoted term
            # is only the start of a reported clause ('أن "الممر الإنساني" عبر معبر …')
            if n_inner >= 3 or (n_inner and not TOKEN_PATTERN.search(after)):
                content_start += mm.end()
                kind, close = "direct", nxt
                break
        kind = "indirect"
        break
    if content_start is None:
        if cue.needs_comp or cue.aspect != "perfect":
            return None  # only a perfect verb takes a verbal noun as what was said
        # a verbal noun after the speaker: "أعلنت الوزارة وقف إطلاق النار"
        kq = _kana_qad_search(norm, max(0, cs - 80), ms) if verb else None
        if verb and kq is None and norm.find("كان", max(0, cs - 80), ms) >= 0:
            kq = _KANA.search(norm, max(0, cs - 80), ms)  # "وكانت اللجنة أعلنت الخميس إرجاء …"
        sp = None if kq else _speaker_np(norm, ce, sent_end, ents, ent_starts, masdar=True)
        if sp is None:
            sp = _speaker_before(norm, ms, ents, ent_starts)
            after = _PREP_AHEAD.match(norm, ce, sent_end)
            start = after.end() if after else ce
        else:
            start = sp[1][1]
            after = _GAP_AHEAD.match(norm, start, sent_end)
            start = after.end() if after else start
        if sp is None or not verb:
            if not verb and prev is not None:
                sp = prev
            else:
                return None
        while start < sent_end and norm[start] in " ،,":
            start += 1
        if sent_end - start < 8:
            return None
        return _Q(cs, start, sent_end, sp[0], sp[1], sp[2], cue_span, "indirect")
    # the speaker sits between the cue and the content
    if not verb:
        sp = prev
    else:
        nested = _NESTED.search(norm, ce, region_end) if norm.find("قول", ce, region_end) >= 0 else None
        if nested:
            # "نقلت وكالة الأناضول عن مصادر عسكرية قولها إن": the statement is the sources'
            sp = _speaker_np(norm, nested.start("who"), nested.end("who"), ents, ent_starts, masdar=False)
        else:
            sp = _speaker_np(norm, ce, region_end, ents, ent_starts, masdar=False)
        if sp is None and not norm[ce:region_end].strip(" ،,"):
            sp = _speaker_before(norm, ms, ents, ent_starts)
        elif sp is None:
            sp = _kana_qad(norm, ms, ents, ent_starts)
        if sp is None:
            sp = prev
    if sp is None:
        return None
    if kind == "direct":
        end = close if close > 0 else sent_end
        return _Q(cs, content_start, end, sp[0], sp[1], sp[2], cue_span, "direct", close > 0)
    while content_start < sent_end and norm[content_start] in " ،,":
        content_start += 1
    return _Q(cs, content_start, sent_end, sp[0], sp[1], sp[2], cue_span, "indirect")


def _entity_in(ents, ent_starts, s, e):
    """The entity starting inside ``[s, e)``: a person if there is one, else the first."""
    k = bisect_right(ent_starts, s - 1)
    inside = []
    while k < len(ents) and ents[k][0] < e:
        inside.append(ents[k])
        k += 1
    if not inside:
        return None
    per = [x for x in inside if x[2].label == "PER"]
    return per[0] if per else inside[0]


def _speaker_np(norm, s, e, ents, ent_starts, *, masdar: bool):
    """``(surface, (ns, ne), entity_id)`` of the speaker phrase in ``norm[s:e]``, or None."""
    e = min(e, s + 160)  # a speaker phrase is a few words: never tokenize the whole sentence
    d = _DISTANCING.match(norm, s, e) if norm.find("ما", s, e) >= 0 else None
    # tokens are read lazily: the phrase usually ends after a few words, the window need not be scanned
    it = TOKEN_PATTERN.finditer(norm, d.end() if d else s, e)
    t = next(it, None)
    w = t.group() if t is not None else ""  # each group() is a new string to hash: taken once
    while t is not None and w in _PRON_PREP:
        t = next(it, None)
        w = t.group() if t is not None else ""
    if t is None:
        return None
    nxt = next(it, None)
    while nxt is not None and w in _NOT_SPEAKER:  # never drop the last token
        t, nxt = nxt, next(it, None)
        w = t.group()
    if w in _TIME_FIRST:
        return None
    if masdar and w[:1] == "ب" and w[1:] in _REPORTED_NOUNS:
        return None  # "تقارير أفادت | بتعرض أراضيها …": no speaker after the cue, the report starts
    breaks = _BREAKS or _speaker_breaks()
    # the chosen words: how many, the first one, their span, whether all of them are _NOT_SPEAKER
    n_chosen, first_w, ns, ne, only_not = 0, "", -1, -1, True
    seen_al = after_bism = False
    coord = 0
    prev_end = -1  # end of the token before (-1: this is the first)
    for t in chain((t,), (nxt,), it) if nxt is not None else (t,):
        w = t.group()
        ts, te = t.span()
        if prev_end >= 0:
            if not _SEP_BREAK.isdisjoint(norm[prev_end:ts]):
                break
            if w.startswith("بال"):
                break  # "طالبت إيران | بالإفراج عن …": the object, not the speaker
            if masdar and w[:1] == "ب" and w[1:] in _REPORTED_NOUNS:
                break  # "أفادت وسائل إعلام سورية | بسقوط قتلى"
        if w in breaks:
            break
        prev_end = te
        capped = False  # at most 8 words, "باسم" and the word after it aside
        if w == "باسم":
            after_bism = True  # "المتحدث باسم الخارجية", "باسم وزارة الدفاع"
        elif after_bism:
            after_bism = False
            seen_al = True
        else:
            if masdar and n_chosen:
                is_al = w.startswith(("ال", "وال", "ل"))
                if w.startswith("و") and not is_al and not seen_al:
                    coord += 1
                elif coord:
                    break  # "تركيا وروسيا وإيران | التوصل"
                elif seen_al and not is_al:
                    break  # "وزارة الدفاع الروسية | وقف"
                seen_al = seen_al or is_al
            elif masdar:
                seen_al = w.startswith("ال")
            capped = True
        if not n_chosen:
            first_w, ns = w, ts
        ne = te
        n_chosen += 1
        if only_not and w not in _NOT_SPEAKER:
            only_not = False
        if capped and n_chosen >= 8:
            break
    if not n_chosen or only_not:
        return None
    # apposition: "وزير الدفاع التركي، خلوصي أكار، …" → the name
    if first_w in _ROLE:
        rest = norm[ne:e]
        ap = _APPOSITION.match(rest)
        if ap and not any(w in _STOP for w in ap.group(1).split()):
            ns, ne = ne + ap.start(1), ne + ap.end(1)
    ent = _entity_in(ents, ent_starts, ns, ne)
    if ent is not None:
        es, ee, row = ent
        if masdar:
            # an entity chain "تركيا وروسيا وإيران" is one speaker
            j = ent_starts.index(es) if es in ent_starts else -1
            last = ee
            while 0 <= j + 1 < len(ents) and _AND.fullmatch(norm[last:ents[j + 1][0]] or "x"):
                j += 1
                last = ents[j][1]
            if last > ee:
                return norm[es:last], (es, last), None
        return row.surface, (es, max(ee, ne) if ee < ne and masdar else ee), row.entity_id
    return norm[ns:ne], (ns, ne), None


def _kana_qad(norm, cs, ents, ent_starts, start=None):
    """"وكانت الوزارة قد أعلنت …", "وكان مسؤول تركي قد قال …": the subject sits between كان and قد.
    ``start`` is the sentence start of ``cs`` when the caller has it."""
    if start is None:
        start = _sentence_start(norm, cs)
    kq = _kana_qad_search(norm, max(start, cs - 140), cs)
    if not kq and norm.find("كان", max(start, cs - 80), cs) >= 0:
        kq = _KANA.search(norm, max(start, cs - 80), cs)
    if not kq:
        return None
    ns, ne = kq.span("np")
    ent = _entity_in(ents, ent_starts, ns, ne)
    if ent is not None:
        return ent[2].surface, (ent[0], ent[1]), ent[2].entity_id
    return norm[ns:ne], (ns, ne), None


def _speaker_before(norm, cs, ents, ent_starts):
    """SVO: "وأن معطيات الأمم المتحدة أشارت إلى …", "روسيا تؤكد أن …", "كانت الوزارة قد أعلنت"."""
    s0 = _sentence_start(norm, cs)
    start = max(s0, cs - 200)  # at most six words count: never look far
    kq = _kana_qad(norm, cs, ents, ent_starts, s0)
    if kq:
        return kq
    if norm.startswith("ف", cs) and norm.find("اما", start, cs) >= 0:
        am = _AMMA.search(norm, start, cs)
        if am:
            ns, ne = am.span("np")
            ent = _entity_in(ents, ent_starts, ns, ne)
            if ent is not None:
                return ent[2].surface, (ent[0], ent[1]), ent[2].entity_id
            return norm[ns:ne], (ns, ne), None
    cut = max(norm.rfind("،", start, cs), norm.rfind(",", start, cs), norm.rfind(":", start, cs),
              norm.rfind("؛", start, cs))
    if cut >= 0:
        start = cut + 1
    # only the words after the last أن/إن count, at most six: the last 70 characters (from a word
    # start) decide when they hold a complementizer or seven words; else the whole stretch is read
    w = max(start, cs - 70)
    while w > start and norm[w - 1].isalnum():
        w -= 1
    toks = list(TOKEN_PATTERN.finditer(norm, w, cs))
    if w > start and len(toks) < 7 and not any(t.group() in _COMPS for t in toks):
        toks = list(TOKEN_PATTERN.finditer(norm, start, cs))
    k = max((i for i, t in enumerate(toks) if t.group() in _COMPS), default=-1)
    toks = toks[k + 1:]
    if not 1 <= len(toks) <= 6:
        return None
    while toks and toks[0].group() in _NOT_SPEAKER:
        toks = toks[1:]
    if not toks or any(t.group() in _NOT_SPEAKER or t.group() in _STOP for t in toks):
        return None
    while toks and toks[0].group() in _NOT_SPEAKER:
        toks = toks[1:]
    if not toks or _MARK.search(norm, toks[0].start(), toks[-1].end()):
        return None
    ns, ne = toks[0].start(), toks[-1].end()
    ent = _entity_in(ents, ent_starts, ns, ne)
    if ent is not None:
        return ent[2].surface, (ent[0], ent[1]), ent[2].entity_id
    return norm[ns:ne], (ns, ne), None


_HEADLINE = re.compile(r"^\s*(?P<sp>[^:\d\n]{2,50}?)\s*:\s*(?P<c>\S.{5,})$")


def _headline_quote(norm, ents):
    """"أردوغان: لن نسمح بـ…" — a headline that gives a person or body, a colon and what they said.
    Only when the head is a PER/ORG entity: "إدلب: مقتل 5 مدنيين" names a place, not a speaker."""
    m = _HEADLINE.match(norm) if ":" in norm else None
    if not m or len(m.group("sp").split()) > 5:
        return []
    s, e = m.span("sp")
    who = [x for x in ents if s <= x[0] and x[1] <= e and x[2].label in ("PER", "ORG")]
    if not who:
        return []
    es, ee, row = who[0]
    cs, ce = m.span("c")
    while ce > cs and norm[ce - 1] in " ." + _MARKS:
        ce -= 1
    while cs < ce and norm[cs] in _MARKS:
        cs += 1
    return [_Q(s, cs, ce, row.surface, (es, ee), row.entity_id, (s, s), "direct", True)]


def _attributions(norm, ents, ent_starts, found, words=None):
    """"…، بحسب البيان.": the clause before is a quote of the source after بحسب/وفق/نقلا عن;
    "وبحسب مصادر محلية، فإن …": the clause after it is."""
    out = []
    positions = sorted(_word_positions(norm, _ATTRIB_KEYS, words))
    if not positions:
        return out
    quoted: set[int] | None = None  # sentence starts of the quotes found (computed when needed)
    lead = []
    for p in positions:
        before = norm[max(0, p - 4):p].rstrip(" \t")
        if not before or before[-1] in "\n.":
            m = _LEAD_ATTRIB.match(norm, p)  # only at a sentence start
            if m:
                lead.append(m)
    for m in lead:
        s0 = _sentence_start(norm, m.start("cue"))
        if quoted is None:
            quoted = {_sentence_start(norm, q.cue_s) for q in found}
        if s0 in quoted:
            continue
        send = _sentence_end(norm, m.end())
        comma = min((i for i in (norm.find("،", m.end(), send), norm.find(",", m.end(), send)) if i >= 0),
                    default=-1)
        if comma < 0 or comma - m.end() > 80:
            continue
        sp = _speaker_np(norm, m.end(), comma, ents, ent_starts, masdar=False)
        if sp is None:
            continue
        head = sp[0].split()[0] if sp[0].split() else ""
        if sp[2] is None and head not in _SOURCE_HEADS:
            continue
        ns = comma + 1
        fa = _FA_INNA.match(norm, ns, send)
        ns = fa.end()
        if send - ns < 12:
            continue
        out.append(_Q(m.start("cue"), ns, send, sp[0], sp[1], sp[2], m.span("cue"), "indirect"))
    trail = []
    for p in positions:
        before = norm[max(0, p - 4):p].rstrip(" \t")
        if before[-1:] in ("،", ","):
            m = _ATTRIB.match(norm, p - (len(norm[max(0, p - 4):p]) - len(before)) - 1)
        elif (before[-1:].isalpha() or before[-1:] in _MARKSET) and norm[p - 1].isspace():
            m = _ATTRIB.match(norm, p - 1)  # "قتل خلالها 43 مهاجما وفق وزارة الدفاع.", '… "مأساوي" وفق ما قال
        else:
            m = None
        if m:
            trail.append(m)
    for m in trail:
        s0 = _sentence_start(norm, m.start())
        if quoted is None:
            quoted = {_sentence_start(norm, q.cue_s) for q in found}
        if s0 in quoted:
            continue
        send = _sentence_end(norm, m.end())
        sp = _speaker_np(norm, m.end(), send, ents, ent_starts, masdar=True)
        if sp is None:
            continue
        head = sp[0].split()[0] if sp[0].split() else ""
        if sp[2] is None and head not in _SOURCE_HEADS:
            if head not in _ROLE:
                continue  # "وفق تعبيره", "وفق التوقيت المحلي": not a source
            # "، وفق ما أعلن الرئيس التركي رجب طيب أردوغان الأحد": the role and the name after it
            sp = _speaker_np(norm, m.end(), send, ents, ent_starts, masdar=False) or sp
        opens = norm[m.start("cue") - 1] == "و" or not _CLAUSE_GOES_ON.match(norm, sp[1][1], send)
        if send - sp[1][1] > 25 and opens:
            continue  # the clause goes on: بحسب opens it rather than closing a report
        ns = s0
        while ns < m.start() and norm[ns] in " \n":
            ns += 1
        if m.start() - ns < 12:
            continue
        cue = m.span("cue")
        out.append(_Q(cue[0], ns, m.start(), sp[0], sp[1], sp[2], cue, "indirect", True))
    return out
