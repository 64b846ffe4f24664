"""How an article names the sides (regime/state, terrorist/rebel/…), by voice — see issue 6.

The words are data (``idlibnb/data/framing.tsv``): each term has a target (government, opposition,
russia, turkey) and a frame; distancing markers (ما سمي، بزعم، وفق تعبيره …) take the target of the
term or cue word in their scope; a framing term standing alone between quotation marks is scare-quoted,
a distancing of its own. ``voice`` is 'quoted' inside a quote the quotes extractor found or between
quotation marks (the outlet reproducing someone else's words), else 'narrator'.

Speed: a regex over the normalized text finds the few places where a term can start; the
:class:`~idlibnb.lexicon.PhraseMatcher` then runs only on a handful of tokens around each of them.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Iterable, Iterator, NamedTuple, Sequence

from ..doc import Doc
from ..lexicon import LexiconError, PhraseMatcher, data_path, read_tsv
from ..normalize import TOKEN_PATTERN, NormText, tokens_ar

__all__ = ["Frame", "framing", "FramingLexicon", "TARGETS", "FRAMES"]

TARGETS = ("government", "opposition", "russia", "turkey")
FRAMES = ("regime", "state", "terrorist", "rebel", "opposition", "armed_group", "occupier",
          "guarantor", "distancing")
_FRAMES_BY_TARGET = {
    "government": {"regime", "state"},
    "opposition": {"terrorist", "rebel", "opposition", "armed_group"},
    "russia": {"occupier", "guarantor"},
    "turkey": {"occupier", "guarantor"},
}
_COLUMNS = ("term", "target", "frame", "scope", "not_followed_by", "not_preceded_by", "context", "note")

# quotation marks (straight, curly, guillemets, the double prime some sites use) and line breaks,
# which close any open quotation: web text pairs them badly, so they are paired in order per line
_QUOTE_MARKS = re.compile("[\"“”«»″„‟\n]")
# where a sentence ends: a distancing marker's scope and an ambiguous term's cue search stop there
_SENT_END = re.compile(r"[.!?؟\n]")
# runs of Arabic letters in normalized text: every lexicon word is one, and a scan for them is
# cheaper than full tokenization; it only tells which words to look for (boundaries are checked after)
_ARABIC_WORDS = re.compile("[\u0621-\u064a]+")
_WORD_BEFORE = re.compile(r"([^\W_]+)[\W_]*$")
# "in his words", "as he described it": the end of a paraphrase (normalized spelling)
_QUOTE_CLOSER = re.compile(r"(?<![^\W_])(?:[وف]?(?:ب?حسب|وفق|علي حد)) (?:تعبير|وصف)(?:ه|ها|هم)(?![^\W_])")
_NEAR_CHARS = 400  # how near a word naming Syria must be for the barest terms (about a paragraph)
_SCOPE_CHARS = 70  # how far a distancing marker reaches (about six words)
_CUE_CHARS = 120  # how far an ambiguous term looks for a cue word, within its sentence
_SCARE_MAX_EXTRA = 2  # characters besides the term allowed inside scare quotes (a clitic, spaces)


class Frame(NamedTuple):
    doc_id: str
    field: str
    start: int
    end: int
    surface: str
    target: str
    frame: str
    voice: str


@dataclass(frozen=True)
class _Term:
    targets: tuple[str, ...]  # one, several (resolved by cue), or TARGETS for distancing markers
    frame: str
    scope: str
    not_after: frozenset
    not_before: frozenset
    ntokens: int
    syria_only: bool  # a word every war has: counted only in an article that names Syria
    syria_near: bool  # … and only with a word naming Syria within _NEAR_CHARS (bare النظام)
    where: str  # file:line, for error messages and debugging


def _words(cell: str) -> frozenset:
    return frozenset(t for w in cell.split("|") for t in tokens_ar(w))


def _stem(tok: str) -> str:
    """A lexicon word without its article, as the locator looks for it."""
    return tok[2:] if tok.startswith("ال") and len(tok) > 4 else tok


_CLITIC_FORMS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل")


def _written_forms(tok: str) -> set[str]:
    """The ways a lexicon word can be written in a text, as PhraseMatcher accepts them: bare, behind
    a clitic (و ف ب ل ك and pairs), and "لل" for ل + ال."""
    forms = {tok} | {c + tok for c in _CLITIC_FORMS}
    if tok.startswith("ال"):
        forms |= {p + tok[2:] for p in ("لل", "ولل", "فلل")}
    return forms


def _bare(tok: str) -> str:
    """A neighbouring word without its clitic: "والدولي" -> "الدولي", "للتركي" -> "التركي"."""
    if tok.startswith("لل") and len(tok) > 4:
        return "ال" + tok[2:]
    if tok[:1] in "وفبلك" and len(tok) > 3:
        return _bare(tok[1:]) if tok[1:2] in "بلك" and len(tok) > 4 else tok[1:]
    return tok


class FramingLexicon:
    """The framing terms, distancing markers and cue words, with a fast locator for the terms."""

    def __init__(self, rows: Iterable[dict]):
        self.terms = PhraseMatcher()
        self.cues = PhraseMatcher()
        # the locator: a term is looked for only where its rarest word (the longest one) occurs;
        # anchors maps that word (without ال) to its positions in the terms that contain it
        self._anchors: dict[str, set[int]] = {}
        self._forms: dict[str, str] = {}  # every written form of an anchor word -> the anchor
        self._context: set[str] = set()  # written forms of the words that place an article in Syria
        context_words: list[str] = []
        ungated: list[str] = []  # normalized terms counted in any article
        self._lens: dict[tuple[str, int], int] = {}  # (anchor, its position) -> longest term
        self._firsts: dict[tuple[str, int], set[str]] = {}  # … -> written forms of a first word
        self.max_tokens = 1
        for row in rows:
            where = f"{row.get('_file', '?')}:{row.get('_line', '?')}"
            frame, targets = row["frame"], tuple(row["target"].split("|"))
            if frame == "context":
                words = tokens_ar(row["term"])
                if len(words) != 1:
                    raise LexiconError(f"{where}: a context row is one word")
                self._context.update(_written_forms(words[0]))
                context_words.append(_stem(words[0]))
                continue
            if frame not in FRAMES + ("cue",):
                raise LexiconError(f"{where}: unknown frame '{frame}'")
            if frame == "distancing":
                if targets == ("any",):
                    targets = TARGETS
                if row.get("scope") not in ("after", "before"):
                    raise LexiconError(f"{where}: a distancing marker needs scope after|before")
            for t in targets:
                if t not in TARGETS:
                    raise LexiconError(f"{where}: unknown target '{t}'")
                if frame not in ("cue", "distancing") and frame not in _FRAMES_BY_TARGET[t]:
                    raise LexiconError(f"{where}: frame '{frame}' is not a frame of '{t}'")
            toks = tokens_ar(row["term"])
            if not toks:
                raise LexiconError(f"{where}: empty term")
            if frame == "cue":
                self.cues.replace(row["term"], targets[0])
                continue
            self.terms.replace(row["term"], _Term(
                targets, frame, row.get("scope") or "", _words(row.get("not_followed_by", "")),
                _words(row.get("not_preceded_by", "")), len(toks),
                row.get("context") in ("syria", "syria_near"), row.get("context") == "syria_near", where))
            self.max_tokens = max(self.max_tokens, len(toks))
            if not row.get("context"):
                ungated.append(" ".join(toks))
            stems = [_stem(t) for t in toks]
            k = max(range(len(stems)), key=lambda i: (len(stems[i]), -i))
            self._anchors.setdefault(stems[k], set()).add(k)
            for form in _written_forms(toks[k]):
                self._forms[form] = stems[k]
            key = (stems[k], k)
            self._lens[key] = max(self._lens.get(key, 0), len(toks))
            if k:
                self._firsts.setdefault(key, set()).update(_written_forms(toks[0]))
        self._offsets = {w: sorted(ks, reverse=True) for w, ks in self._anchors.items()}
        # a quick test before any tokenizing: when every term either needs Syria in the article or
        # names it itself, an article with none of these substrings has no framing row at all
        subs = sorted(set(context_words), key=len)
        subs = [w for i, w in enumerate(subs) if not any(v in w for v in subs[:i])]
        self._syria_subs = tuple(subs) if subs and all(any(w in t for w in subs) for t in ungated) else None
        self._formset = frozenset(self._forms)

    @classmethod
    def from_files(cls, paths: Sequence[str]) -> "FramingLexicon":
        rows: list[dict] = []
        for p in paths:
            rows += read_tsv(p, required=("term", "target", "frame", "note"), optional=_COLUMNS)
        return cls(rows)

    @classmethod
    def pretrained(cls, extra: Sequence[str] = ()) -> "FramingLexicon":
        """The shipped lexicon, extended or overridden by the user's TSV files (same columns)."""
        return _pretrained(tuple(str(p) for p in extra) if extra else ())  # per article: no genexpr

    # -- matching ---------------------------------------------------------------------------
    def find(self, nt: NormText, *, in_syria: bool | None = None,
             words: list[str] | None = None) -> list[tuple[int, int, int, int, _Term]]:
        """``(norm_start, norm_end, start, end, term)`` of every framing term and distancing marker
        in ``nt``, left to right, false friends (blocked neighbours) dropped. ``in_syria``: whether
        the article names Syria (the words every war has count only then); found in ``nt`` if None.
        ``words``: the runs of Arabic letters of ``nt.norm`` (:func:`arabic_words`), if known."""
        norm = nt.norm
        # which anchor words occur at all: one C-speed pass (tokens, then a set intersection)
        if words is None:
            words = _ARABIC_WORDS.findall(norm)
        present = self._formset.intersection(words)
        if not present:
            return []
        if in_syria is None:
            in_syria = self.about_syria(words)
        hits = []
        for form in present:
            anchor = self._forms[form]
            hits += [(i, j, anchor) for i, j in _whole_word_spans(norm, form)]
        hits.sort()
        out = []
        done = 0  # normalized offset up to which the text is covered by a match already
        for ws, we, anchor in hits:
            if ws < done:
                continue
            after = [(m.group(), m.start(), m.end())
                     for m in islice(TOKEN_PATTERN.finditer(norm, ws), self.max_tokens + 1)]
            for k in self._offsets[anchor]:  # the earliest possible start first
                if k:
                    before = [(m.group(), m.start(), m.end())
                              for m in TOKEN_PATTERN.finditer(norm, max(done, ws - 16 * k), ws)][-k:]
                    if len(before) < k or before[0][0] not in self._firsts[anchor, k]:
                        continue
                    toks = before + after
                else:
                    toks = after
                # only a term starting at the first token counts: one reading, not a scan
                m = self.terms.match_at(nt, toks[:self._lens[anchor, k]])
                if m is None or nt.norm_index(m.start) >= toks[0][2]:
                    continue
                term: _Term = m.payload
                if term.syria_only and not in_syria:
                    continue
                if term.syria_near and not self._near_syria(nt, words, ws, we):
                    continue
                ne = toks[term.ntokens - 1][2]
                if ne < we:
                    continue  # a shorter term before the anchor word; it has its own anchor
                nxt = toks[term.ntokens][0] if len(toks) > term.ntokens else None
                if nxt and (nxt in term.not_after or _bare(nxt) in term.not_after):
                    continue
                if term.not_before:
                    prev = _WORD_BEFORE.search(norm, max(0, toks[0][1] - 40), toks[0][1])
                    if prev and (prev.group(1) in term.not_before or _bare(prev.group(1)) in term.not_before):
                        continue
                out.append((nt.norm_index(m.start), ne, m.start, m.end, term))
                done = ne
                break
        return out

    def _near_syria(self, nt: NormText, words: list[str], ns: int, ne: int) -> bool:
        """Whether a word naming Syria stands within _NEAR_CHARS of ``[ns, ne)`` (a title counts
        as near when the article names Syria at all)."""
        if len(nt.norm) <= _NEAR_CHARS:
            return True
        lo, hi = max(0, ns - _NEAR_CHARS), ne + _NEAR_CHARS
        return not self._context.isdisjoint(_ARABIC_WORDS.findall(nt.norm, lo, hi))

    def may_name_syria(self, norm: str) -> bool:
        """False only when no framing row can be found in normalized text ``norm`` because it names
        nothing Syrian (a substring test, no tokenizing)."""
        if self._syria_subs is None:
            return True
        for w in self._syria_subs:  # a loop, not any(genexpr): most articles test every substring
            if w in norm:
                return True
        return False

    def about_syria(self, words: Iterable[str]) -> bool:
        """Whether normalized ``words`` name Syria (a row with frame 'context'); a phrase row
        counts when its first word is there."""
        return not self._context.isdisjoint(words)

    def cue_targets(self, nt: NormText, ns: int, ne: int) -> list[tuple[int, int, str]]:
        """``(norm_start, norm_end, target)`` of the cue words in ``nt.norm[ns:ne]``."""
        toks = [(m.group(), m.start(), m.end()) for m in TOKEN_PATTERN.finditer(nt.norm, ns, ne)]
        return [(nt.norm_index(m.start), nt.norm_index(m.end - 1) + 1, m.payload)
                for m in self.cues.find(nt, toks)]


def _whole_word_spans(norm: str, word: str) -> list[tuple[int, int]]:
    """Spans of ``word`` in ``norm`` with no letter or digit right before or after it: what
    ``re.finditer(re.escape(word) + r"(?![^\\W_])", norm)`` finds (non-overlapping, left to right),
    keeping the matches at a word start — by str.find, without compiling a regex per word."""
    out = []
    n, k = len(norm), len(word)
    i = norm.find(word)
    while i >= 0:
        j = i + k
        if j < n and norm[j].isalnum():  # no match here: the next try starts one character on
            i = norm.find(word, i + 1)
            continue
        if not i or not norm[i - 1].isalnum():
            out.append((i, j))
        i = norm.find(word, j)
    return out


@lru_cache(maxsize=8)
def _pretrained(extra: tuple[str, ...]) -> FramingLexicon:
    return FramingLexicon.from_files((str(data_path("framing.tsv")), *extra))


def _quote_mark_spans(text: str) -> list[tuple[int, int]]:
    """``(open, close)`` offsets of quotation-mark pairs, paired in order within each line."""
    spans, open_at = [], None
    for m in _QUOTE_MARKS.finditer(text):
        if m.group() == "\n":
            open_at = None
        elif open_at is None:
            open_at = m.start()
        else:
            spans.append((open_at, m.start()))
            open_at = None
    return spans


def _inside(spans: list[tuple[int, int]], starts: list[int], s: int, e: int) -> int | None:
    """Index of a span in ``spans`` (sorted by start, ``starts`` their starts) holding ``[s, e)``;
    spans may nest (a quote inside a quote), and there are few per article."""
    for i in range(bisect_right(starts, s) - 1, -1, -1):
        a, b = spans[i]
        if a <= s and e <= b:
            return i
    return None


def _clip(nt: NormText, q) -> tuple[int, int]:
    """A reported statement's span, ending where an attribution closes it ("… وفق تعبيره، في وقت
    …": what follows "in his words" is the outlet's own voice again)."""
    if q.kind != "direct":
        m = _QUOTE_CLOSER.search(nt.norm, nt.norm_index(q.start), nt.norm_index(q.end))
        if m:
            return q.start, nt.span(m.start(), m.end())[1]
    return q.start, q.end


def _sentence_bounds(norm: str, ns: int, ne: int, reach: int) -> tuple[int, int]:
    lo, hi = max(0, ns - reach), min(len(norm), ne + reach)
    before = [m.end() for m in _SENT_END.finditer(norm, lo, ns)]
    after = _SENT_END.search(norm, ne, hi)
    return (before[-1] if before else lo), (after.start() if after else hi)


def _resolve_target(lex: FramingLexicon, nt: NormText, ns: int, ne: int, term: _Term,
                    matches: list) -> str | None:
    """The target of a distancing marker (what it distances) or of an ambiguous term."""
    if term.frame == "distancing":
        lo, hi = _sentence_bounds(nt.norm, ns, ne, _SCOPE_CHARS)
        if term.scope == "after":
            near = [x for x in matches if ne <= x[0] < hi and x[4].frame != "distancing"]
            if near:
                return near[0][4].targets[0]
            cues = lex.cue_targets(nt, ne, hi)
            return cues[0][2] if cues else None
        near = [x for x in matches if lo <= x[0] and x[1] <= ns and x[4].frame != "distancing"]
        if near:
            return near[-1][4].targets[0]
        cues = lex.cue_targets(nt, lo, ns)
        return cues[-1][2] if cues else None
    lo, hi = _sentence_bounds(nt.norm, ns, ne, _CUE_CHARS)
    cues = [(min(abs(cs - ne), abs(ns - ce)), t) for cs, ce, t in lex.cue_targets(nt, lo, hi)
            if t in term.targets]
    return min(cues)[1] if cues else term.targets[0]


def framing(doc: Doc, *, quotes=None, lexicon: FramingLexicon | None = None) -> Iterator[Frame]:
    """Framing terms and distancing markers in ``doc``'s title and text, with their voice.

    ``quotes``: rows of the quotes table for ``doc`` (their ``field``/``start``/``end`` span the
    quoted content); computed with :func:`idlibnb.extract.quotes` when left out.
    """
    lex = lexicon or FramingLexicon.pretrained()
    if quotes is None:
        from .quotes import quotes as _quotes

        quotes = list(_quotes(doc))
    rows: list[Frame] = []
    # one substring pass over both fields (a line break between them: no term spans it)
    if not lex.may_name_syria(doc.norm("text").norm + "\n" + doc.norm("title").norm):
        return
    # the doc's word tokens (cached) instead of its runs of Arabic letters: a term's written form is
    # found only as a whole token (_whole_word_spans), so the forms present among the tokens give
    # the same hits; a word naming Syria glued to a digit or a Latin letter is a run but no token,
    # hence the runs when the tokens name no Syria
    words = {f: doc.words(f) for f in ("title", "text")}
    in_syria = lex.about_syria(words["title"]) or lex.about_syria(words["text"]) \
        or lex.about_syria(_ARABIC_WORDS.findall(doc.norm("title").norm)) \
        or lex.about_syria(_ARABIC_WORDS.findall(doc.norm("text").norm))
    for field in ("title", "text"):
        text = doc.field_text(field)
        if not text:
            continue
        nt = doc.norm(field)
        matches = lex.find(nt, in_syria=in_syria, words=words[field])
        if not matches:
            continue
        marks = _quote_mark_spans(text)
        inner = [(a + 1, b) for a, b in marks]  # between the marks
        inner_starts = [a for a, _ in inner]
        said = sorted({_clip(nt, q) for q in quotes if q.field == field})
        said_starts = [a for a, _ in said]
        # quoted: inside a quote the quotes extractor found, or between quotation marks
        spans = sorted(set(said) | set(inner))
        starts = [a for a, _ in spans]
        for ns, ne, s, e, term in matches:
            target = _resolve_target(lex, nt, ns, ne, term, matches) \
                if term.frame == "distancing" or len(term.targets) > 1 else term.targets[0]
            if target is None:
                continue  # a marker with nothing recognisable in its scope
            voice = "quoted" if _inside(spans, starts, s, e) is not None else "narrator"
            rows.append(Frame(doc.doc_id, field, s, e, text[s:e], target, term.frame, voice))
            if term.frame == "distancing":
                continue
            # scare quotes: the term alone between quotation marks ("الثوار", «الدولة السورية»),
            # the writer's distancing — the narrator's unless the marks sit inside a reported quote
            k = _inside(inner, inner_starts, s, e)
            if k is not None and len(text[inner[k][0]:inner[k][1]].strip()) - (e - s) <= _SCARE_MAX_EXTRA:
                a, b = marks[k]
                v = "quoted" if _inside(said, said_starts, a, b + 1) is not None else "narrator"
                rows.append(Frame(doc.doc_id, field, a, b + 1, text[a:b + 1], target, "distancing", v))
    rows.sort(key=lambda r: (r.field, r.start))
    yield from rows
