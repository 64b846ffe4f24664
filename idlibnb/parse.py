"""From an :class:`~idlibnb.doc.Article` to a :class:`~idlibnb.doc.Doc`: headline, outlet, byline,
dateline, publication date where the text states it, and the cleaned body split into paragraphs and
sentences.

What Arabic news pages carry around the story, and what this module takes off it:

- a headline first line, sometimes repeated (kept once, as ``title``);
- credit lines near the top: ``● أخبار سورية ٢٣ مارس ٢٠٢٠``, ``متابعة الوسيلة:``, and a leading
  parenthetical credit ``(پاکستان پوائنٹ نیوز / سبوتنيك - 14 مارس 2020ء) قالت …``;
- a dateline opening the first paragraph: ``موسكو –``, ``دبي، الإمارات (CNN)--`` (recorded as
  ``dateline``; it stays in the text, where the article puts it);
- source/author lines at the bottom: ``المصدر: شبكة شام الكاتب: فريق التحرير``;
- boilerplate: ``مشاركة:``, ``اقرأ أيضاً:``, tatweel- or punctuation-only lines.

Fields a source gives explicitly (TREC tags, table columns, metadata.csv) take precedence.
Publication dates come from metadata (basis 'metadata') or from a credit line (basis 'text');
inference from the article's own anchors is :func:`idlibnb.extract.dates.infer_published`'s job.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, NamedTuple
from urllib.parse import urlparse

from .corpus import iso_published
from .doc import Article, Doc
from .lexicon import PhraseMatcher, package_tsv
from .normalize import NormText, normalize_ar

__all__ = ["parse", "split_sentences", "split_paragraphs", "Outlets", "OutletName"]

# a sentence end: . ! ? ؟ (then closing quotes) before white space, or line breaks. Written to begin
# with one character class (not an alternation) so re's fast scan skips to candidates: 4x faster
_SENT_END = re.compile(r"[.!؟?\n](?:(?<=\n)\n*|[.!؟?]*[\"”»″'’)]*(?=\s))")
_TERMINAL = re.compile(r"[.:؛;]\s*$")
_BULLET = re.compile(r"^\s*[●•▪■◾◆►▶\-–—*]+\s*")
_ONLY_MARKS = re.compile(r"^[\sـ\-–—_=*•●.·,،:;|/\\~#]*$")
_BOILERPLATE = re.compile(
    r"^\s*(?:مشاركة|شارك(?:وا)?(?: المقال| الخبر)?|اقرأ أيضا|اقرأ أيضاً|اقرأ ايضا|اقرأ المزيد|"
    r"إقرأ أيضا|إقرأ أيضاً|تابعونا(?: على)?.*|للمزيد|اشترك(?: الآن)?.*|طباعة|"
    r"Share|Read more|Related)\s*:?\s*$", re.I)
# a line dropped from the body: boilerplate or marks only (one regex call a line, not two)
_DROPPED = re.compile(f"{_ONLY_MARKS.pattern}|(?i:{_BOILERPLATE.pattern})")
_READ_ALSO = re.compile(r"^\s*(?:اقرأ|إقرأ) (?:أيضا|أيضاً|ايضا|المزيد)\s*:?\s*$")
_SOURCE_LINE = re.compile(r"^\s*(?:المصدر|مصدر الخبر)\s*[:：]\s*(?P<src>.+?)\s*"
                          r"(?:(?:الكاتب|كتبه|بقلم|إعداد|اعداد)\s*[:：]\s*(?P<by>.+?))?\s*$")
_BYLINE_LINE = re.compile(r"^\s*(?:الكاتب|كتبه|بقلم|إعداد|اعداد|تحرير)\s*[:：]\s*(?P<by>.+?)\s*$")
_FOLLOW_LINE = re.compile(r"^\s*(?:متابعة|خاص|نقلا عن|نقلاً عن|المصدر)\s*[:：\-–]?\s*(?P<src>[^:：]{2,40}?)\s*[:：]?\s*$")
_PAREN_CREDIT = re.compile(r"^\s*\((?P<inner>[^()\n]{3,90})\)\s*")
# possessive word repeats: a place word ends where its class does, and the words are followed by
# nothing a place word can begin with, so giving back letters or words never led to a match; it
# only tried every split of the lede's first words before failing (3x slower)
_DATELINE = re.compile(
    r"^\s*(?P<place>[^\s\d\-–—(:،,.\"“«]{2,20}+(?:[ ،,]+[^\s\d\-–—(:،,.\"“«]{2,20}+){0,3}+)\s*"
    r"(?:\((?P<agency>[^()\n]{2,30})\))?\s*(?:[-–—]{1,2}|:)\s*(?=\S)")
_CREDIT_DATE_HINT = re.compile(r"[0-9٠-٩۰-۹]{4}")
# runs of spaces that need rewriting to one " " (a lone " " is left alone: most lines have only those)
_SPACES = re.compile(r"(?: [ \t\u00a0\u2000-\u200a\u202f]|[\t\u00a0\u2000-\u200a\u202f])"
                     r"[ \t\u00a0\u2000-\u200a\u202f]*")
_ODD_SPACES = ("\t", "\u00a0", "\u202f", *map(chr, range(0x2000, 0x200B)))


class OutletName(NamedTuple):
    outlet_id: str
    name_ar: str
    name_en: str


class Outlets:
    """The outlets lexicon (``idlibnb/data/outlets.tsv``): names, aliases, feed codes, domains."""

    def __init__(self, rows: list[dict]):
        self._by_key: dict[str, OutletName] = {}
        self._by_domain: dict[str, OutletName] = {}
        pairs = []
        for r in rows:
            name = OutletName(r["outlet_id"], r["name_ar"], r["name_en"])
            for alias in [r["name_ar"], r["name_en"], r["outlet_id"], *r.get("aliases", "").split("|")]:
                if alias.strip():
                    self._by_key.setdefault(_key(alias), name)
                    pairs.append((alias, name))
            for d in r.get("domains", "").split("|"):
                if d.strip():
                    self._by_domain[d.strip().lower()] = name
        self.matcher = PhraseMatcher(pairs)

    @classmethod
    def pretrained(cls) -> "Outlets":
        return _outlets()

    def lookup(self, name: str | None) -> OutletName | None:
        """The outlet a name, alias or feed code stands for (exact, normalization-blind)."""
        return self._by_key.get(_key(name)) if name else None

    def from_url(self, url: str | None) -> OutletName | None:
        if not url:
            return None
        host = (urlparse(url).hostname or "").lower()
        while host:
            if host in self._by_domain:
                return self._by_domain[host]
            host = host.partition(".")[2]
        return None

    def find(self, s: str) -> list[OutletName]:
        """Outlets named in a short credit string, in order of appearance."""
        return [m.payload for m in self.matcher.find(NormText(s))]


def _key(s: str) -> str:
    return " ".join(normalize_ar(s).replace("-", " ").split()).lower()


def _key_words(lines: list[str]) -> list[list[str]]:
    """``[_key(x).split() for x in lines]`` (lines without "\n"), the whole block normalized,
    de-hyphenated and lowercased in one call each: normalization maps character by character and
    leaves "\n" alone, and "\n", like a line's ends, is neither cased nor ignorable to
    lowercasing (a final sigma stays final)."""
    if not lines:
        return []
    return [x.split() for x in normalize_ar("\n".join(lines)).replace("-", " ").lower().split("\n")]


@lru_cache(maxsize=1)
def _outlets() -> Outlets:
    return Outlets(package_tsv(
        "outlets.tsv", required=("outlet_id", "name_ar", "name_en", "source"),
        optional=("aliases", "domains", "country")))


# ------------------------------------------------------------------------------------- sentences

def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans of ``text``: a sentence ends at . ! ? ؟ (with closing quotes) before white
    space, or at a line break. Spans are trimmed of surrounding white space."""
    spans, start = [], 0
    append = spans.append
    for m in _SENT_END.finditer(text):
        end = m.end()
        # _add_span(text, start, end, spans, offset), inlined: one call per sentence adds up
        body = text[start:end].lstrip()
        if body:
            s = end - len(body) + offset
            append((s, s + len(body.rstrip())))
        start = end
    _add_span(text, start, len(text), spans, offset)
    return spans


def _add_span(text: str, start: int, end: int, spans: list, offset: int) -> None:
    chunk = text[start:end]
    if not chunk.strip():
        return
    s = start + len(chunk) - len(chunk.lstrip())
    e = start + len(chunk.rstrip())
    spans.append((s + offset, e + offset))


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            s = pos + len(line) - len(line.lstrip())
            spans.append((s, pos + len(line.rstrip())))
        pos += len(line) + 1
    return spans


def _line_spans(lines: list[str]) -> list[tuple[int, int]]:
    """``split_paragraphs("\\n".join(lines))`` for lines already stripped (some maybe empty),
    without splitting and stripping the text again."""
    spans, pos = [], 0
    for line in lines:
        if line:
            spans.append((pos, pos + len(line)))
            pos += len(line) + 1
        else:
            pos += 1
    return spans


# ----------------------------------------------------------------------------------------- parse

class _Header(NamedTuple):
    title: str | None
    lines: list[str]  # body lines left
    credits: list[str]  # credit strings (for outlet and date)
    outlets: list[str]  # outlet names said explicitly ("متابعة X:", "المصدر: X")
    byline: str | None
    dateline: str | None
    agency: str | None


def _clean_line(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def _clean_spaces(text: str) -> str:
    """``_SPACES.sub(" ", text)`` (every run of spaces but a lone " " becomes one " ") with C-level
    str.replace calls, three times faster: odd spaces become " ", then runs of " " are halved
    until none is left."""
    for c in _ODD_SPACES:
        if c in text:
            text = text.replace(c, " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def _is_title_like(line: str) -> bool:
    words = len(line.split(None, 40))  # the \S+ runs (up to 41), counted without a regex
    return 2 <= words <= 40 and len(line) <= 300 and not _TERMINAL.search(line)


def _looks_like_credit(line: str, outlets: Outlets) -> bool:
    """A short line near the top holding a date or an outlet's name, not a sentence."""
    # the \S+ runs, up to 13 (split(None, k) yields min(runs, k + 1) strings): a lede's first
    # line is not cut into all of its words to learn it has more than 12
    words = len(line.split(None, 12))
    if words > 12 or _TERMINAL.search(line.rstrip(":：")) and not line.rstrip().endswith(":"):
        return False
    return bool(_BULLET.match(line) or _CREDIT_DATE_HINT.search(line) or outlets.find(line))


def _split_header(raw: str, meta_title: str | None, outlets: Outlets) -> _Header:
    # _clean_line on every line, with the spaces cleaned once over the whole text (no run of
    # spaces that _SPACES rewrites holds a line break)
    raw = _clean_spaces(raw.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [x for x in map(str.strip, raw.split("\n")) if x]
    credits, named, byline = [], [], None
    title = meta_title
    # the headline: the first line, if it reads like one (and the source gave none)
    if title is None and len(lines) > 1 and _is_title_like(lines[0]):
        title = lines[0]
    if title:
        head = lines[:8]
        # drop every repeat of the headline in the top lines (001 repeats it three times); a line
        # far longer than the headline is a paragraph, not a repeat (even fully vocalized, a
        # repeat is at most about twice as long), so it is not normalized to be compared
        limit = 3 * len(title) + 16
        # nor is a line with another count of lams (ل): normalization, hyphen splitting and
        # lowercasing neither make nor delete one, so only lines alike in that are normalized
        lams = title.count("ل")
        short = [x for x in head if len(x) <= limit and x.count("ل") == lams]
        if short:  # (nine articles in ten have no line to compare: the headline is not keyed)
            key, *keys = _key_words([title, *short])
            repeats = {x for x, k in zip(short, keys) if k == key}
            if repeats:
                lines = [x for x in head if x not in repeats] + lines[8:]
    # credit lines in the top zone
    top = 0  # the body starts at the first of the top four lines that is no credit
    while top < 4 and top < len(lines):
        line = lines[top]
        m = _FOLLOW_LINE.match(line)
        if m and outlets.find(m.group("src")) or (m and line.rstrip().endswith(":")):
            named.append(m.group("src"))
        elif _looks_like_credit(line, outlets) and top + 1 < len(lines):
            credits.append(_BULLET.sub("", line))
        else:
            break
        top += 1
    body = lines[top:]
    # bottom: source and author lines, boilerplate, "read also" tails
    while body:
        last = body[-1]
        m = _SOURCE_LINE.match(last)
        if m:
            named.append(m.group("src"))
            byline = byline or (m.group("by") and m.group("by").strip())
        elif b := _BYLINE_LINE.match(last):
            byline = byline or b.group("by")
        elif _DROPPED.match(last) is None:
            break
        body.pop()
    for i in range(len(body) // 2, len(body)):
        if _READ_ALSO.match(body[i]):
            body = body[:i]  # what follows is a list of other articles' headlines
            break
    body = [x for x in body if _DROPPED.match(x) is None]
    dateline = agency = None
    if body:
        first = body[0]
        m = _PAREN_CREDIT.match(first)
        if m and (_CREDIT_DATE_HINT.search(m.group("inner")) or outlets.find(m.group("inner"))):
            credits.append(m.group("inner"))
            first = first[m.end():]
        m = _DATELINE.match(first)
        if m and len(first) > m.end() + 20 and _is_place_like(m.group("place")):
            # recorded, but left in the text: it is the lede's first words as published
            dateline, agency = m.group("place").strip(" ،,"), m.group("agency")
        body[0] = first
    return _Header(title, body, credits, named, byline, dateline, agency)


_NOT_PLACE_START = frozenset("في من إلى الى على عن مع قال قالت أعلن أرسل هذا هذه".split())


def _is_place_like(s: str) -> bool:
    """A dateline is a place ("موسكو", "دبي، الإمارات العربية المتحدة"), not a phrase."""
    words = s.replace("،", " ").replace(",", " ").split()
    if not words or words[0] in _NOT_PLACE_START or any(w.isascii() for w in words):
        return False
    return len(words) <= 2 or ("،" in s or "," in s)


def _credit_date(credits: list[str]) -> str | None:
    """The first full day date written in a credit line (explicit, absolute)."""
    if not credits:
        return None
    from .extract.dates import timexes

    for c in credits:
        probe = Doc("credit", "", "", c, sentences=[(0, len(c))])
        for t in timexes(probe):
            if t.kind == "absolute" and t.precision == "day" and t.value:
                return t.value
    return None


def _outlet_candidates(meta: dict, head: _Header, outlets: Outlets) -> Iterator[OutletName | None]:
    """The outlet each clue names, best clue first, computed only as far as it is needed."""
    yield outlets.lookup(meta.get("outlet"))
    for c in head.credits:
        found = outlets.find(c)
        yield found[-1] if found else None  # "(Carrier / Agency - date)": the agency
    for n in head.outlets:
        yield outlets.lookup(n) or (outlets.find(n) or [None])[0]
    yield outlets.lookup(head.agency) if head.agency else None
    yield outlets.from_url(meta.get("url"))


# a corpus has a few thousand publication dates, each costing ~15 µs to read (RFC 2822 is tried
# first): each is read once
_iso_published = lru_cache(maxsize=4096)(iso_published)


def parse(article: Article) -> Doc:
    """Parse one article into a :class:`Doc`; never raises on odd text."""
    meta = article.meta
    outlets = Outlets.pretrained()
    head = _split_header(article.raw, meta.get("title"), outlets)
    lines = head.lines
    text = "\n".join(lines)
    warnings = list(meta.get("warnings", []))
    if not text.strip() and article.raw.strip():
        # the whole article was its headline (a one-line brief): keep it as the body too
        lines = [_clean_line(x) for x in article.raw.split("\n") if x.strip()]
        text = "\n".join(lines)
    if not text.strip():
        warnings.append("empty text")

    # outlet: what the source says, then credit lines, then "المصدر:", the dateline's agency, the URL
    outlet_name = en = None
    known = next((c for c in _outlet_candidates(meta, head, outlets) if c is not None), None)
    if known:
        outlet_name, en = known.name_ar, known.name_en
    elif meta.get("outlet"):
        outlet_name = meta["outlet"]  # an outlet we do not know: keep the source's own name
    elif head.outlets:
        outlet_name = head.outlets[0]

    published = basis = None
    stamp = meta.get("published")
    given = (_iso_published(stamp) if type(stamp) is str else iso_published(stamp)) if stamp else None
    if given:
        published, basis = given, "metadata"
    else:
        if meta.get("published"):
            warnings.append(f"published value {str(meta['published'])[:40]!r} is not a date")
        stated = _credit_date(head.credits)
        if stated:
            published, basis = stated, "text"

    title = head.title or ""
    return Doc(
        doc_id=article.doc_id,
        source_file=article.source_file,
        title=title,
        text=text,
        url=meta.get("url"),
        outlet=outlet_name,
        outlet_en=en,
        byline=meta.get("byline") or head.byline,
        dateline=head.dateline,
        published=published,
        published_basis=basis,
        sentences=split_sentences(text),
        paragraphs=_line_spans(lines),
        warnings=warnings,
    )
