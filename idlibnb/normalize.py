"""Normalization of Arabic text for matching, with a map back to the original offsets.

Extractors match on normalized text (alef/hamza forms, alef maksura, teh marbuta, diacritics,
tatweel, Arabic-Indic and Persian digits, odd spaces, invisible bidi marks) and report spans in the
original text through :class:`NormText`, so ``text[start:end]`` is always what the article says.

The character mapping is camel-tools' own (``normalize_alef_ar``, ``normalize_alef_maksura_ar``,
``normalize_teh_marbuta_ar``, ``dediac_ar``), written out below as a table: importing camel-tools'
character sets costs ~2.5 s per process, which every worker and every notebook kernel would pay.
``tests/test_normalize.py`` recomputes the table from camel-tools and fails if the two ever differ.
Each input character maps to at most one output character, so every output character still knows
where it came from.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

__all__ = [
    "NormText",
    "normalize_ar",
    "fold_digits_ar",
    "tokens_ar",
    "word_tokens",
    "TOKEN_PATTERN",
]


#: what camel-tools' alef, alef-maksura and teh-marbuta normalizers and dediac_ar do to each
#: character of the Arabic blocks (recomputed from camel-tools by the tests)
CAMEL_TABLE: dict[int, int | None] = {
    0x0622: 0x0627, 0x0623: 0x0627, 0x0625: 0x0627, 0x0671: 0x0627,  # آ أ إ ٱ -> ا
    0x0629: 0x0647,  # ة -> ه
    0x0649: 0x064A,  # ى -> ي
    0x064B: None, 0x064C: None, 0x064D: None, 0x064E: None, 0x064F: None,  # tanween, harakat
    0x0650: None, 0x0651: None, 0x0652: None, 0x0670: None,  # kasra, shadda, sukun, dagger alef
}


def _build_table() -> dict[int, int | None]:
    table: dict[int, int | None] = dict(CAMEL_TABLE)
    table[0x0640] = None  # tatweel: a stretch, never a letter
    # digits: Arabic-Indic and Persian forms fold to ASCII so numbers and dates match one way
    for i in range(10):
        table[0x0660 + i] = ord("0") + i
        table[0x06F0 + i] = ord("0") + i
    # Persian/Urdu letter forms seen in carried articles fold to their Arabic twins
    table[0x06A9] = ord("ك")  # keheh
    table[0x06CC] = ord("ي")  # farsi yeh
    table[0x06C1] = ord("ه")  # heh goal
    # odd spaces fold to a plain space; invisible marks vanish
    for cp in (0x00A0, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008,
               0x2009, 0x200A, 0x202F, 0x205F, 0x3000):
        table[cp] = ord(" ")
    for cp in (0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0x202A, 0x202B, 0x202C, 0x202D,
               0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF, 0x00AD):
        table[cp] = None
    # Latin letters compare case-blind ("M4" = "m4")
    for cp in range(ord("A"), ord("Z") + 1):
        table[cp] = cp + 32
    return table


_TABLE = _build_table()
_DELETED = frozenset(chr(cp) for cp, v in _TABLE.items() if v is None)
_DIGITS = {cp: v for cp, v in _TABLE.items() if v is not None and chr(v).isdigit()}
_DELETE_RE = re.compile("[" + re.escape("".join(sorted(_DELETED))) + "]")
_TABLE_ONE_TO_ONE = {cp: v for cp, v in _TABLE.items() if v is not None}
# str.translate looks every character up in a Python dict (~150 ns each). Instead: C-level
# str.replace calls, one per character actually present. The five common Arabic letter forms
# (hamza alefs, teh marbuta, alef maksura) are in nearly every text and are each scanned for; the
# rare rest (digits, odd spaces, Persian forms, Latin capitals) is found by one regex scan. Order
# does not matter: no character is mapped to a character that is mapped again.
_ARABIC_PAIRS = tuple((c, chr(_TABLE_ONE_TO_ONE[ord(c)])) for c in "أإآةى")
_RARE_MAP = {chr(cp): chr(v) for cp, v in _TABLE_ONE_TO_ONE.items()
             if (chr(cp), chr(v)) not in _ARABIC_PAIRS}


# any character that is mapped rarely or deleted: a text without one (most) needs one scan only
_ODD_RE = re.compile("[" + re.escape("".join(sorted(set(_RARE_MAP) | _DELETED))) + "]")


def _map_common(s: str) -> str:
    for a, b in _ARABIC_PAIRS:
        if a in s:
            s = s.replace(a, b)
    return s


#: word tokens on normalized text: runs of letters and digits (Arabic or Latin)
TOKEN_PATTERN = re.compile(r"[^\W_]+")


# punctuation common in news: each one present is turned into a space by a C-level str.replace
_PUNCTUATION = tuple(".,،:؛;()\"«»'-–—/?؟![]{}%+*#@&=<>|\\…“”‘’•·_$^~`")


def word_tokens(norm: str) -> list[str]:
    """``TOKEN_PATTERN.findall(norm)``, about twice as fast on news text. Exact: a character that
    is not a letter or digit separates tokens whether it is kept or turned into a space, and
    ``str.isalnum`` is true exactly for ``[^\\W_]`` characters; the regex runs only on chunks that
    still hold another mark."""
    for c in _PUNCTUATION:
        if c in norm:
            norm = norm.replace(c, " ")
    chunks = norm.split()
    if "".join(chunks).isalnum():  # one C call: every chunk is a token
        return chunks
    out: list[str] = []
    app, ext, split = out.append, out.extend, TOKEN_PATTERN.findall
    for chunk in chunks:
        if chunk.isalnum():
            app(chunk)
        else:
            ext(split(chunk))
    return out


def normalize_ar(s: str) -> str:
    """Normalize Arabic text for matching (the camel-tools forms plus digits, spaces, case)."""
    s = _map_common(s)
    if _ODD_RE.search(s) is None:  # most strings (it stops at the first odd character else)
        return s
    s, deleted = _map_odd(s)
    for c in deleted:
        s = s.replace(c, "")
    return s


def _map_odd(s: str) -> tuple[str, set[str]]:
    """``s`` with its rarely mapped characters mapped, and the deleted characters it holds (still
    in it): one regex scan for every odd character, then a C-level ``str.replace`` per kind
    present, instead of a scan each to find, map, delete and locate them."""
    odd = set(_ODD_RE.findall(s))
    if not odd:
        return s, odd
    deleted = odd.intersection(_DELETED)
    for c in odd.difference(deleted) if deleted else odd:
        s = s.replace(c, _RARE_MAP[c])
    return s, deleted


def fold_digits_ar(s: str) -> str:
    """Arabic-Indic and Persian digits to ASCII, nothing else changed (same length)."""
    return s.translate(_DIGITS)


def tokens_ar(s: str) -> list[str]:
    """Normalized word tokens of a string (for lexicon keys and phrase matching)."""
    return TOKEN_PATTERN.findall(normalize_ar(s))


def _deleted_offsets(s: str, present: set[str]) -> list[int]:
    """Sorted offsets of the deleted characters in ``s`` (``present``: every one of them that
    ``s`` holds): ``str.find`` per occurrence when they are few (most texts: a tanween or a shadda
    here and there), one regex scan when they are many (a vocalized text)."""
    if sum(map(s.count, present)) > 32:
        return [m.start() for m in _DELETE_RE.finditer(s)]
    offsets: list[int] = []
    append, find = offsets.append, s.find
    for c in present:
        i = find(c)
        while i >= 0:
            append(i)
            i = find(c, i + 1)
    if len(present) > 1:
        offsets.sort()
    return offsets


class NormText:
    """A normalized view of a string that maps every normalized offset back to the original.

    >>> nt = NormText("قالَ أحمد")
    >>> nt.norm
    'قال احمد'
    >>> nt.span(4, 8)
    (5, 9)
    """

    __slots__ = ("orig", "norm", "_map", "_deleted")

    def __init__(self, orig: str):
        self.orig = orig
        mapped, deleted = _map_odd(_map_common(orig))
        if not deleted:
            self.norm, self._map, self._deleted = mapped, None, None  # offsets are the same
        else:
            # deletions are few (tanween, shadda, tatweel, bidi marks): keep their original offsets
            # d_k and, for the k-th, the normalized index of the first character kept after it (d_k - k)
            self._deleted = offsets = _deleted_offsets(mapped, deleted)
            self._map = [d - k for k, d in enumerate(offsets)]
            for c in deleted:
                mapped = mapped.replace(c, "")
            self.norm = mapped

    def orig_index(self, i: int) -> int:
        """Original offset of normalized offset ``i`` (``len(norm)`` maps to ``len(orig)``)."""
        if self._map is None:
            return i
        if i >= len(self.norm):
            return len(self.orig)
        return i + bisect_right(self._map, i)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the normalized span ``[start, end)``, diacritics and
        tatweel on its last letter included."""
        if self._map is None:
            return start, end
        if end <= start:
            s = self.orig_index(start)
            return s, s
        # the end runs up to the next kept character: marks on the last letter (a fatha, a
        # shadda, tatweel) belong to the span
        return self.orig_index(start), self.orig_index(end)

    def norm_index(self, i: int) -> int:
        """Normalized offset of original offset ``i`` (the first kept character at or after it)."""
        if self._map is None:
            return i
        return i - bisect_left(self._deleted, i)  # minus the deletions before it

    def tokens(self) -> list[tuple[str, int, int]]:
        """``(token, norm_start, norm_end)`` for every word token of the normalized text."""
        return [(m.group(), m.start(), m.end()) for m in TOKEN_PATTERN.finditer(self.norm)]

    def __len__(self) -> int:
        return len(self.norm)

    def __repr__(self) -> str:
        return f"NormText({self.orig[:30]!r}…)"

