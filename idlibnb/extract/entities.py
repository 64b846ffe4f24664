"""Named entities (PER/ORG/LOC) linked to lexicon actors and places.

Three passes over each field (title, then body), all on the normalized view (``doc.norm(field)``)
with spans mapped back to the original text, so ``surface == doc.field_text(field)[start:end]``:

1. **Lexicon**: every alias of every row of ``idlibnb/data/actors.tsv`` (plus the user's TSVs), on
   word boundaries, with Arabic clitics glued to the first word (و ف ب ل ك and their pairs, "لل" for
   "ل" + "ال"), longest match first. Alias syntax: ``[مدينة] الباب`` needs the bracketed word before the
   name but leaves it out of the span; ``~الزيارة`` is an ambiguous place name, kept only in a locative
   context (after قرية/بلدة/مدينة…, in a list of places, or before "ب"/"في" + a place).
   Rows of type ``MISC`` (operations, agreements) are matched so their words are not read as names,
   and never emitted; rows of kind ``descriptor`` ("قوات النظام") are matched only with
   ``descriptors=True``.
2. **Statistical model** (``model='model'|'camel'`` or any object with ``.spans(text)``): its spans
   that overlap no lexicon match, with ``method='model'`` and an id from the normalized surface.
3. **In-article linking**: short forms that only make sense after a full mention — a bare surname
   ("شويغو" after "سيرغي شويغو", "أوغلو" after "مولود تشاووش أوغلو", also for names only the model
   found), a row's ``context_aliases``, and a repeated head noun after a full organisation name
   ("المركز" after "مركز المصالحة الروسي", "الوزارة" after "وزارة الدفاع الروسية").

A title written just before a person's name ("وزير الدفاع الروسي سيرغي شويغو") becomes the mention's
``role``; title heads come from ``idlibnb/data/titles.tsv``.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from functools import lru_cache
from itertools import compress
from operator import attrgetter
from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple, Sequence

from ..doc import Doc
from ..lexicon import LexiconError, data_path, read_tsv
from ..normalize import TOKEN_PATTERN, NormText, normalize_ar, tokens_ar, word_tokens

__all__ = [
    "Entity",
    "Actor",
    "entities",
    "prefetch_model",
    "load_actors",
    "actor_lexicon",
    "LABELS",
    "ACTOR_COLUMNS",
]

LABELS = ("PER", "ORG", "LOC")
_TYPES = LABELS + ("MISC",)
_KINDS = ("name", "descriptor")
ACTOR_REQUIRED = ("entity_id", "type", "name", "source")
ACTOR_OPTIONAL = ("aliases", "context_aliases", "name_en", "side", "cameo", "kind")
ACTOR_COLUMNS = ("entity_id", "type", "name", "aliases", "context_aliases", "name_en", "side",
                 "cameo", "kind", "source")


class Entity(NamedTuple):
    doc_id: str
    field: str
    start: int
    end: int
    surface: str
    label: str
    entity_id: str
    canonical: str | None
    name_en: str | None
    role: str | None
    side: str | None
    cameo: str | None
    method: str


class Actor(NamedTuple):
    """One row of an actors lexicon."""

    entity_id: str
    type: str
    name: str
    name_en: str | None
    side: str | None
    cameo: str | None
    kind: str


# --------------------------------------------------------------------------------------------------
# a fast clitic-aware phrase matcher (same conventions as lexicon.PhraseMatcher, keys pre-expanded)

# clitics glued to the first word: (prefix, characters left out of the span)
_PLAIN_CLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل")
_ID_CHARS = re.compile(r"[^\w]+")
# what may stand between two words of one name: spaces, quotes, hyphens (never . , ؛ : or a line)
_GAP_OK = frozenset(" \t\"'“”«»‘’″„‟-–‐_/ـ")
_GAP_CHARS = "".join(sorted(_GAP_OK))  # a gap is made only of these iff it strips to ""


class _Entry(NamedTuple):
    n: int  # tokens matched (context tokens included)
    rest: tuple  # tokens after the first
    width: int  # clitic characters left out of the span (first token)
    lead: int  # context tokens at the start, left out of the span
    payload: Any


def _entry_order(e: _Entry) -> tuple[int, int]:
    return -e.n, e.width


def _first_item(pair: tuple) -> Any:
    return pair[0]


def _clitic_keys(first: str) -> Iterator[tuple[str, int]]:
    """``(surface form of the first word, clitic width)``: bare, then with each clitic."""
    yield first, 0
    if len(first) < 2:
        return
    for c in _PLAIN_CLITICS:
        yield c + first, len(c)
    if first.startswith("ال") and len(first) > 3:
        rest = first[2:]
        yield "لل" + rest, 0  # "للقوات" = ل + "القوات": the span keeps "للقوات"
        yield "ولل" + rest, 1
        yield "فلل" + rest, 1


@lru_cache(maxsize=8192)
def _written_forms(first: str) -> tuple[str, ...]:
    """The keys of ``_clitic_keys(first)``, kept per process: the context pass adds the same
    surnames and head nouns article after article."""
    return tuple(key for key, _ in _clitic_keys(first))


def _bare_forms(key: str) -> Iterator[tuple[str, int]]:
    """``(first word, clitic width)`` of every first word whose clitic forms (``_clitic_keys``)
    include ``key``: the inverse of ``_clitic_keys``."""
    yield key, 0
    for c in _PLAIN_CLITICS:
        if key.startswith(c) and len(key) - len(c) >= 2:
            yield key[len(c):], len(c)
    for prefix, width in (("لل", 0), ("ولل", 1), ("فلل", 1)):
        if key.startswith(prefix) and len(key) - len(prefix) > 1:
            yield "ال" + key[len(prefix):], width


class _Matcher:
    """Phrases of normalized tokens; ``find`` scans a token list, longest match first.

    A phrase's first word may be written bare or with a clitic (``_clitic_keys``): ``_keys`` holds
    every such written form, for a C-level scan of the words. The entries of a written form (a
    pair: the one-word entries, and the longer ones indexed by their second word, so a word costs
    one or two dict lookups) are put together the first time a text holds it (``_bucket``): a
    lexicon of 3,000 phrases has 40,000 written forms, and an article meets a few dozen."""

    __slots__ = ("_by_first", "_keys", "_buckets", "_n_added")

    def __init__(self) -> None:
        # first word -> (order added, tokens after the first, lead, payload) of its phrases
        self._by_first: dict[str, list[tuple[int, tuple, int, Any]]] = {}
        self._keys: set[str] = set()
        self._buckets: dict[str, tuple[list[_Entry], dict[str, list[_Entry]]]] = {}
        self._n_added = 0

    def add(self, toks: Sequence[str], payload: Any, *, lead: int = 0) -> None:
        if not toks or lead >= len(toks):
            return
        toks = tuple(toks)
        rows = self._by_first.get(toks[0])
        if rows is None:
            rows = self._by_first[toks[0]] = []
            self._keys.update(_written_forms(toks[0]))
        rows.append((self._n_added, toks[1:], lead, payload))
        self._n_added += 1
        if self._buckets:
            self._buckets.clear()

    def _bucket(self, key: str) -> tuple[list[_Entry], dict[str, list[_Entry]]]:
        """The entries whose first word is written ``key``: for each tokens/width/lead the first
        phrase added, sorted longest first (ties in the order added)."""
        bucket = self._buckets.get(key)
        if bucket is not None:
            return bucket
        found = []
        for first, width in _bare_forms(key):
            for order, rest, lead, payload in self._by_first.get(first, ()):
                found.append((order, _Entry(len(rest) + 1, rest, width, lead, payload)))
        found.sort(key=_first_item)
        singles: list[_Entry] = []
        multi: dict[str, list[_Entry]] = {}
        seen = set()
        for _, e in found:
            ident = (e.rest, e.width, e.lead)
            if ident in seen:
                continue  # the first row wins
            seen.add(ident)
            if e.n == 1:
                singles.append(e)
            else:
                multi.setdefault(e.rest[0], []).append(e)
        singles.sort(key=_entry_order)
        for lst in multi.values():
            lst.sort(key=_entry_order)
        bucket = self._buckets[key] = (singles, multi)
        return bucket

    def entries(self, key: str) -> Iterator[_Entry]:
        """Every entry whose first word (as written) is ``key``, longest first."""
        if key not in self._keys:
            return iter(())
        singles, multi = self._bucket(key)
        return iter(sorted((e for lst in multi.values() for e in lst), key=_entry_order) + singles)

    def __len__(self) -> int:
        return sum(len(b[0]) + sum(len(x) for x in b[1].values()) for b in map(self._bucket, self._keys))

    def keys(self):
        return self._keys

    def find(self, f: "_Field", free: list[bool] | None = None) -> list[tuple[int, int, _Entry]]:
        """``(first token, end token, entry)`` for non-overlapping matches in field ``f``, left to
        right, longest first; ``free`` marks the tokens still available."""
        buckets, bucket = self._buckets, self._bucket
        words = f.words
        out = []
        n = len(words)
        end = 0
        for i in _hits(words, self._keys):
            if i < end or (free is not None and not free[i]):
                continue
            singles, multi = buckets.get(words[i]) or bucket(words[i])
            chosen = None
            if multi and i + 1 < n:
                for e in multi.get(words[i + 1], ()):
                    j = i + e.n
                    if j > n or (j - i > 2 and tuple(words[i + 2:j]) != e.rest[1:]):
                        continue
                    if free is not None and not all(free[i:j]):
                        continue
                    if not f.gaps_ok(i, j):
                        continue
                    chosen = e
                    break
            if chosen is None:
                if not singles:
                    continue
                chosen = singles[0]
            out.append((i, i + chosen.n, chosen))
            end = i + chosen.n
        return out


_INDICES: list[int] = list(range(1024))  # token indices, shared: a scan need not make an int per token


def _hits(words: list[str], vocab: frozenset | set) -> Iterator[int]:
    """Indices of the tokens in ``vocab``, ascending: a C-level scan of every token."""
    if len(words) > len(_INDICES):
        _INDICES.extend(range(len(_INDICES), 2 * len(words)))
    return compress(_INDICES, map(vocab.__contains__, words))


def _gap_ok(norm: str, a: int, b: int) -> bool:
    return b - a <= 3 and all(c in _GAP_OK for c in norm[a:b])


# --------------------------------------------------------------------------------------------------
# lexicons

class _Alias(NamedTuple):
    actor: Actor
    ambiguous: bool  # '~': needs a locative context


class _Lexicon:
    """The compiled actors and titles lexicons. The matcher with descriptor rows is built the first
    time ``descriptors=True`` asks for it: most runs never do, and a matcher costs ~0.1 s."""

    __slots__ = ("actors", "names", "_aliases", "_with_descriptors", "context", "titles",
                 "qualifiers", "model_junk")

    def __init__(self, actors: dict[str, Actor], names: _Matcher,
                 aliases: list[tuple[tuple[str, ...], "_Alias", int]],
                 context: dict[str, list[tuple[tuple[str, ...], Actor]]], titles: _Matcher,
                 qualifiers: frozenset, model_junk: frozenset):
        self.actors = actors
        self.names = names  # names and MISC blockers
        self._aliases = aliases  # (tokens, payload, lead) of every alias, descriptors included
        self._with_descriptors: _Matcher | None = None
        self.context = context  # entity_id -> context alias tokens
        self.titles = titles
        self.qualifiers = qualifiers
        self.model_junk = model_junk  # words a model mention may not begin or end with

    @property
    def with_descriptors(self) -> _Matcher:
        """The names matcher plus descriptor rows."""
        if self._with_descriptors is None:
            every = _Matcher()
            for toks, payload, lead in self._aliases:
                every.add(toks, payload, lead=lead)
            self._with_descriptors = every
        return self._with_descriptors


def _split_aliases(cell: str | None) -> list[str]:
    return [a.strip() for a in (cell or "").split("|") if a.strip()]


def _alias_tokens(alias: str) -> tuple[tuple[str, ...], int, bool]:
    """Tokens of an alias, the number of bracketed context words before it, and its '~' flag."""
    ambiguous = alias.startswith("~")
    alias = alias.lstrip("~").strip()
    lead = 0
    m = re.match(r"^\[([^\]]+)\]\s*(.*)$", alias)
    if m:
        lead_toks = tokens_ar(m.group(1))
        lead = len(lead_toks)
        return tuple(lead_toks + tokens_ar(m.group(2))), lead, ambiguous
    return tuple(tokens_ar(alias)), 0, ambiguous


def _joined_abd(toks: tuple[str, ...]) -> tuple[str, ...]:
    """The same name with "عبد" written together with what follows: "عبد الفتاح" -> "عبدالفتاح"."""
    out: list[str] = []
    for t in toks:
        if out and out[-1] == "عبد" and t.startswith("ال"):
            out[-1] = "عبد" + t
        else:
            out.append(t)
    return tuple(out)


def _plain(name: str) -> str:
    """A name without alias syntax: "[صحيفة] الوطن" -> "صحيفة الوطن", "~الزيارة" -> "الزيارة"."""
    return re.sub(r"\s+", " ", re.sub(r"[\[\]~]", "", name)).strip()


def load_actors(paths: Iterable[str | Path] = ()) -> list[dict[str, str]]:
    """Rows of the shipped actors lexicon, then of each extra TSV (same columns): a later row with the
    same ``entity_id`` replaces the earlier one. Errors name the file and line."""
    files = [data_path("actors.tsv"), *[Path(p) for p in paths]]
    rows: dict[str, dict[str, str]] = {}
    for f in files:
        for row in read_tsv(f, required=ACTOR_REQUIRED, optional=ACTOR_OPTIONAL,
                            allowed={"type": _TYPES, "kind": _KINDS}):
            if not _split_aliases(row["name"]) or not tokens_ar(row["name"]):
                raise LexiconError(f"{row['_file']}:{row['_line']}: name has no Arabic word")
            if not re.fullmatch(r"[a-z0-9_:.\-]+", row["entity_id"]):
                raise LexiconError(f"{row['_file']}:{row['_line']}: entity_id "
                                   f"'{row['entity_id']}' is not a lowercase ascii slug")
            rows.pop(row["entity_id"], None)
            rows[row["entity_id"]] = row
    return list(rows.values())


@lru_cache(maxsize=16)
def actor_lexicon(extra: tuple[str, ...] = ()) -> _Lexicon:
    """The compiled lexicon for the shipped TSVs plus ``extra`` files (cached per process)."""
    actors: dict[str, Actor] = {}
    names = _Matcher()
    aliases: list[tuple[tuple[str, ...], _Alias, int]] = []
    context: dict[str, list] = {}
    for row in load_actors(extra):
        a = Actor(row["entity_id"], row["type"], _plain(row["name"]), row.get("name_en") or None,
                  row.get("side") or None, row.get("cameo") or None, row.get("kind") or "name")
        actors[a.entity_id] = a
        forms = [_alias_tokens(x) for x in [row["name"], *_split_aliases(row.get("aliases"))]]
        forms += [(joined, lead, amb) for toks, lead, amb in forms
                  for joined in [_joined_abd(toks)] if joined != toks]
        ambiguous = {(t, lead) for t, lead, amb in forms if amb}
        for toks, lead, amb in forms:
            if not toks or (not amb and (toks, lead) in ambiguous):
                continue  # "~X" anywhere in the row makes every plain "X" ambiguous too
            payload = _Alias(a, amb)
            aliases.append((toks, payload, lead))
            if a.kind != "descriptor":
                names.add(toks, payload, lead=lead)
        ctx = [tuple(tokens_ar(c)) for c in _split_aliases(row.get("context_aliases"))]
        if ctx:
            context[a.entity_id] = [(t, a) for t in ctx if t]
    titles = _Matcher()
    trows = read_tsv(data_path("titles.tsv"), required=("phrase", "part", "source"),
                     allowed={"part": ("head", "qualifier")})
    quals = set()
    for r in trows:
        toks = tokens_ar(r["phrase"])
        if r["part"] == "head":
            titles.add(toks, r["phrase"])
        else:
            quals.update(toks)
    heads = {t for r in trows if r["part"] == "head" for t in tokens_ar(r["phrase"])}
    return _Lexicon(actors, names, aliases, context, titles, frozenset(quals),
                    frozenset(quals | heads | _MODEL_STOP))


# --------------------------------------------------------------------------------------------------
# statistical model

_MODEL_CACHE: dict[str, Any] = {}


def _resolve_model(model: Any) -> Any | None:
    """An object with ``.spans(text)``, or None for lexicon-only (also when no model is installed)."""
    if model is None or model == "lexicon":
        return None
    if hasattr(model, "spans"):
        return model
    if model not in ("model", "camel"):
        raise ValueError(f"model must be 'lexicon', 'model', 'camel' or an object with .spans(); "
                         f"got {model!r}")
    if model in _MODEL_CACHE:
        return _MODEL_CACHE[model]
    tagger = None
    try:
        from .. import ner  # written alongside; absent or without its model file -> lexicon only

        cls = ner.NERTagger if model == "model" else ner.CamelNER
        tagger = cls.pretrained()
    except (ImportError, AttributeError, OSError, LookupError, ValueError, RuntimeError):
        tagger = None
    _MODEL_CACHE[model] = tagger
    return tagger


class _PrefetchedSpans:
    """A model whose spans for known texts were computed ahead, in one batch; other texts go to
    the model one by one. Same output as the model: only the batching differs."""

    __slots__ = ("model", "_spans")

    def __init__(self, model: Any, spans: dict[str, list]):
        self.model, self._spans = model, spans

    def spans(self, text: str) -> list:
        got = self._spans.get(text)
        return got if got is not None else self.model.spans(text)


def prefetch_model(docs: Sequence[Doc], model: Any = "model") -> Any:
    """``model`` (as :func:`entities` takes it) with the spans of every title and body of ``docs``
    computed in one batch when it has ``spans_many`` — several times faster than one call per
    field for short articles. Pass the result as ``model=`` to :func:`entities` for those docs."""
    tagger = _resolve_model(model)
    if tagger is None or not hasattr(tagger, "spans_many"):
        return model
    texts = list(dict.fromkeys(t for d in docs for t in (d.title, d.text) if t))
    try:
        spans = tagger.spans_many(texts)
    except Exception:  # a batch that fails falls back to one call per field (each one guarded)
        return model
    return _PrefetchedSpans(tagger, dict(zip(texts, spans)))


_LABEL_MAP = {"PER": "PER", "PERS": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC"}
# words a model span may not consist of alone (calendar words, titles, pronouns, generic nouns)
_MODEL_STOP = frozenset(tokens_ar(
    "الله الرئيس رئيس وزير الوزير السيد الشيخ اللواء العميد الجيش القوات قوات النظام الحكومة الدولة "
    "المعارضة الفصائل الاثنين الثلاثاء الاربعاء الخميس الجمعة السبت الاحد يناير فبراير مارس ابريل "
    "مايو يونيو يوليو اغسطس سبتمبر اكتوبر نوفمبر ديسمبر كانون شباط اذار نيسان ايار حزيران تموز اب "
    "ايلول تشرين المنطقة منطقة المدينة مدينة البلاد الجانب الطرفين الوزارة المركز البيان بيان "
    "ريف قرية قرى بلدة مخيم محافظة ناحية"))
# words a model span may not be made of, though a longer name may hold them ("منظمة" in "المنظمة
# الدولية لحظر الأسلحة الكيميائية", "الشرقية" in "الضفة الغربية"): peoples and communities (not names
# in the gold's style: "الأكراد" is no organisation), generic nouns, and compass adjectives
_MODEL_NOT_ALONE = frozenset(tokens_ar(
    "الأكراد الاكراد الكرد الأتراك الروس العرب الإيرانيين الإيرانيون الأمريكيين الأميركيين الأمريكيون "
    "الأميركيون السوريين السوريون الإسرائيليين الإسرائيليون الفلسطينيين الفلسطينيون الجهاديين الجهاديون "
    "الأوروبيين البريطانيين الفرنسيين الشيعة السنة العلويين الدروز الأرمن الإيزيديين "
    "المنظمة الريف الحدود المجاورة شبه الدولية الحكومية الإقليمية العاصمة البلاد المملكة الولاية "
    "الولايات المحيط الصحراء الجنوب الشمال الشرق الغرب جيش الوكالة الهجوم الأسلحة الترسانة الكيميائية "
    "الكيماوية الكيماوي منظمة تنظيم جماعة إرهابية ارهابية إرهابي ارهابي الإرهابية الارهابية الإرهابي "
    "الارهابي متطرفة المتطرفة"))
_NAME_LINKS_ALL = frozenset(tokens_ar("عبد بن ابن ابو أبو بنت ام أم آل"))


def _not_alone(w: str) -> bool:
    """``w`` (maybe behind و/ب/ل, or لل = ل + ال: "للأكراد") is a word a model span may not be made of."""
    if _in(w, _MODEL_NOT_ALONE) or _in(w, _COMPASS_ADJECTIVES) or w in _NAME_LINKS_ALL:
        return True
    return w.startswith(_LL_CLITICS) and any(b in _MODEL_NOT_ALONE for b, _ in _bare_forms(w))


_LL_CLITICS = ("لل", "ولل", "فلل")  # the forms _bare_forms gives back their article


# a name does not begin with a compass adjective ("الريف الشرقي" trimmed of "الريف" is no name)
_COMPASS_ADJECTIVES = frozenset(tokens_ar(
    "الشرقي الغربي الشمالي الجنوبي الشرقية الغربية الشمالية الجنوبية"))
# an imperfect verb with the future prefix and a dual/plural ending ("سيسيران"، "ستواصلون") is no name
_FUTURE_VERB = re.compile(r"^[وف]?س[يت]\w{3,}(?:ان|ون|ين|وا)$")


# --------------------------------------------------------------------------------------------------
# extraction

class _Mention:
    __slots__ = ("field", "i", "j", "start", "end", "actor", "label", "entity_id", "canonical",
                 "method", "role", "emit")

    def __init__(self, field, i, j, start, end, actor, label, entity_id, canonical, method,
                 emit=True):
        self.field, self.i, self.j, self.start, self.end = field, i, j, start, end
        self.actor, self.label, self.entity_id = actor, label, entity_id
        self.canonical, self.method, self.role, self.emit = canonical, method, None, emit


class _Field:
    """Word tokens of one field's normalized text, with their offsets resolved on demand.

    Tokens are the runs of letters and digits (``normalize.TOKEN_PATTERN``). Splitting on spaces and
    looking up offsets only for the few tokens a lexicon cares about keeps the per-token work in C:
    a token's offset is found with ``str.find`` from the nearest resolved token before it, which is
    exact because every earlier token with the same text is a lexicon key too and was resolved first.
    """

    __slots__ = ("name", "nt", "norm", "words", "free", "mentions", "_start", "_known", "_starts")

    def __init__(self, name: str, nt: NormText, words: list[str] | None = None):
        self.name, self.nt, self.norm = name, nt, nt.norm
        self.words = word_tokens(self.norm) if words is None else words
        self.free = [True] * len(self.words)
        self.mentions: list[_Mention] = []
        self._start: dict[int, int] = {}
        self._known: list[int] = []  # resolved token indices, sorted
        self._starts: list[int] | None = None  # every token's start, once all are resolved

    def start(self, k: int) -> int:
        """Normalized offset of token ``k``: the last occurrence of its text before the next token
        when that one is resolved, else found with ``str.find`` from the nearest resolved token
        before it, skipping as many whole-word occurrences as there are equal tokens in between."""
        known_start = self._start
        s = known_start.get(k)
        if s is not None:
            return s
        norm, words, w = self.norm, self.words, self.words[k]
        known = self._known
        nxt = known_start.get(k + 1)
        if nxt is not None:
            # the token after it is resolved (roles and gaps walk back a token at a time): only
            # non-letters lie between them, so this token is the last occurrence of its text before
            s = known_start[k] = norm.rfind(w, 0, nxt)
            insort(known, k)
            return s
        pos = bisect_right(known, k)
        if pos:
            j = known[pos - 1]
            frm = self._start[j] + len(words[j])
            skip = words[j + 1:k].count(w) if k - j > 1 else 0
        else:
            frm, skip = 0, words[:k].count(w) if k else 0
        size, n_chars = len(w), len(norm)
        s = norm.find(w, frm)
        while s >= 0:
            t = s + size
            if (s and norm[s - 1].isalnum()) or (t < n_chars and norm[t].isalnum()):
                s = norm.find(w, s + 1)  # a letter or digit touches it: inside a longer word
            elif skip:
                skip -= 1
                s = norm.find(w, t)
            else:
                break
        if s < 0:  # never expected; fall back to a full scan
            self._resolve_all()
            return self._start[k]
        self._start[k] = s
        known.insert(pos, k)
        return s

    def _resolve_all(self) -> None:
        spans = [m.start() for m in TOKEN_PATTERN.finditer(self.norm)]
        self._start = dict(enumerate(spans))
        self._known = list(range(len(spans)))
        self._starts = spans

    def end(self, k: int) -> int:
        s = self._start.get(k)  # start()'s own first step, without the call
        return (self.start(k) if s is None else s) + len(self.words[k])

    def gap(self, k: int) -> str:
        """The normalized text between token ``k - 1`` and token ``k``."""
        known = self._start
        a, b = known.get(k - 1), known.get(k)
        if a is None:
            a = self.start(k - 1)
        if b is None:
            b = self.start(k)
        return self.norm[a + len(self.words[k - 1]):b]

    def gap_ok(self, k: int) -> bool:
        """Token ``k`` may continue a name begun at ``k - 1`` (spaces, quotes, hyphens between)."""
        g = self.gap(k)
        return len(g) <= 3 and not g.strip(_GAP_CHARS)

    def gaps_ok(self, i: int, j: int) -> bool:
        """``gap_ok(t)`` for every ``t`` in ``i + 1 .. j - 1``: tokens ``i .. j - 1`` read as one name.
        Walks the tokens from ``i``: the next token is the first occurrence of its text after the
        previous one ends (only non-letters lie between), so each offset costs one ``str.find``."""
        norm, words, known_start = self.norm, self.words, self._start
        prev_end = self.start(i) + len(words[i])
        for t in range(i + 1, j):
            s = known_start.get(t)
            if s is None:
                s = norm.find(words[t], prev_end)
                known_start[t] = s
                insort(self._known, t)
            g = norm[prev_end:s]
            if len(g) > 3 or g.strip(_GAP_CHARS):
                return False
            prev_end = s + len(words[t])
        return True

    def orig_span(self, i: int, j: int, width: int = 0) -> tuple[int, int]:
        known, last = self._start, j - 1
        s = known.get(i)
        if s is None:
            s = self.start(i)
        e = s if last == i else known.get(last)
        if e is None:
            e = self.start(last)
        return self.nt.span(s + width, e + len(self.words[last]))

    def token_range(self, ns: int, ne: int) -> tuple[int, int] | None:
        """Token indices ``(i, j)`` of the tokens inside the normalized span ``[ns, ne)``."""
        if self._starts is None:
            self._resolve_all()  # once per field: the model's spans then cost a bisection each
        starts, words = self._starts, self.words
        i = j = bisect_left(starts, ns)
        while j < len(starts) and starts[j] + len(words[j]) <= ne:
            j += 1
        return (i, j) if j > i else None

    def take(self, i: int, j: int) -> None:
        self.free[i:j] = [False] * (j - i)


_PLACE_NOUNS = frozenset(tokens_ar(
    "قرية قرى بلدة بلدات مدينة مدن منطقة مناطق ناحية حي مخيم محافظة ريف بلدتي قريتي مدينتي محور "
    "جبهة جبهات محيط اطراف أطراف تلة سهل جبل"))
_LOC_PREPS = ("ب", "في", "قرب", "بمحيط", "جنوب", "شمال", "شرق", "غرب", "جنوبي", "شمالي", "شرقي",
              "غربي", "بريف", "ريف")


_CLITIC_INITIALS = frozenset("وفبلك")


def _in(w: str, vocab: frozenset) -> bool:
    """``w`` or ``w`` without a leading clitic is in ``vocab``."""
    return w in vocab or _strip_clitic(w) in vocab


def _strip_clitic(w: str) -> str:
    if w[:1] not in _CLITIC_INITIALS:
        return w  # most words: no clitic can start them
    for c in ("وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك"):
        if w.startswith(c) and len(w) - len(c) >= 3:
            return w[len(c):]
    return w


def entities(doc: Doc, *, lexicons: Sequence[str | Path] | None = None, model: Any = "model",
             descriptors: bool = False) -> Iterator[Entity]:
    """Entity mentions in the title and body of ``doc``, lexicon first, then the model's.

    ``lexicons``: extra TSV files with the columns of ``idlibnb/data/actors.tsv`` (their rows extend
    the shipped lexicon, or replace a row with the same ``entity_id``). ``model``: ``'lexicon'`` (no
    statistical model), ``'model'`` (the shipped CRF, if installed), ``'camel'`` (camel-tools' NER, if
    its data is installed) or any object with ``.spans(text) -> [(start, end, label)]``.
    ``descriptors=True`` also reports descriptor rows such as "قوات النظام".
    """
    lex = actor_lexicon(tuple(str(p) for p in (lexicons or ())))
    tagger = _resolve_model(model)
    fields = [_Field(name, doc.norm(name), doc.words(name))
              for name in ("title", "text") if doc.field_text(name)]
    fields = [f for f in fields if f.words]
    if not fields:
        return iter(())
    matcher = lex.with_descriptors if descriptors else lex.names
    for f in fields:
        _lexicon_pass(f, matcher, lex)
        _state_body_pass(f)
    # short forms of lexicon names are linked before the model sees the text ("أوغلو" after
    # "مولود تشاووش أوغلو" is Çavuşoğlu, not a new name); then again for names only the model found
    _context_pass(fields, lex)
    if tagger is not None:
        for f in fields:
            _model_pass(f, tagger, doc.field_text(f.name), lex)
        _context_pass(fields, lex)
        _link_model_surnames(fields)
    for f in fields:
        _roles(f, lex)
    out = []
    doc_id = doc.doc_id
    for f in fields:
        text, name = doc.field_text(f.name), f.name
        for m in sorted(f.mentions, key=_by_start):
            if not m.emit:
                continue
            a = m.actor
            # tuple.__new__: the row without a Python-level NamedTuple.__new__ call (as _make does)
            out.append(_new_entity(Entity, (
                doc_id, name, m.start, m.end, text[m.start:m.end], m.label, m.entity_id,
                m.canonical, a.name_en if a else None, m.role, a.side if a else None,
                a.cameo if a else None, m.method)))
    return iter(out)


_by_start = attrgetter("start")
_new_entity = tuple.__new__


def _lexicon_pass(f: _Field, matcher: _Matcher, lex: _Lexicon) -> None:
    orig, words, name, free = f.nt.orig, f.words, f.name, f.free
    add, orig_span = f.mentions.append, f.orig_span
    for i, j, e in matcher.find(f):
        payload, lead = e.payload, e.lead
        a = payload.actor
        si = i + lead
        width = e.width if lead == 0 else 0
        if payload.ambiguous and not _locative(f, si, j, lex):
            continue
        s, t = orig_span(si, j, width)
        if _TANWEEN in orig[s:t] or orig[t:t + 1] == _TANWEEN:
            continue  # "تركياً", "سورياً": an adjective or adverb, not the place
        kind = a.type
        if kind == "ORG" and si > 0 and _in(words[si - 1], _MINISTER):
            continue  # "وزير الخارجية التركية": a portfolio inside a title, not the ministry
        emit = kind != "MISC"
        if j - si == 1 and width == 0 and words[si] in _NISBA_FORMS and not _country_context(f, si):
            # "فصائل سورية موالية": the adjective "Syrian", not the country; held (not reported) so
            # that the model does not tag it either
            s, t = orig_span(si, j)
            emit = False
        add(_Mention(name, si, j, s, t, a, kind, a.entity_id, a.name, "lexicon", emit=emit))
        free[i:j] = [False] * (j - i)  # f.take(i, j), inlined


def _state_body_pass(f: _Field) -> None:
    """A state body named by its kind and a nationality adjective, for states the lexicon does not
    list: "الجيش الإسرائيلي", "وزارة الخارجية اللبنانية", "الرئاسة المصرية" (an organisation in the
    gold's style, as "وزارة الدفاع التركية" is). The adjective may be the lexicon's country too
    ("الداخلية السعودية"): that place mention gives way. Not after a minister's title ("وزير
    الخارجية الإسرائيلي" is a portfolio)."""
    words, n = f.words, len(f.words)
    written = _BODY_WRITTEN.intersection(words)  # one C-level pass: most fields hold no body word
    if not written:
        return
    for k in _hits(words, written):
        if k == n - 1:
            break  # a body needs a word after it
        if not f.free[k]:
            continue
        first, width = _BODY_BARE[words[k]]  # "والرئاسة": the clitic stays out of the span
        for head in _BODY_FIRST[first]:
            j = k + len(head)
            if j >= n or (first, *words[k + 1:j]) != head or not all(f.free[k:j]):
                continue
            nat = words[j]
            if nat not in (_NAT_MASC if head in _MASC_BODIES else _NAT_FEM) or not f.gaps_ok(k, j + 1):
                continue
            if k > 0 and _in(words[k - 1], _MINISTER):
                break
            place = None
            if not f.free[j]:
                place = next((m for m in f.mentions if m.i == j and m.j == j + 1 and m.label == "LOC"
                              and m.method == "lexicon"), None)
                if place is None:
                    break
                f.mentions.remove(place)
            s, t = f.orig_span(k, j + 1, width)
            surface = f.nt.orig[s:t]
            f.mentions.append(_Mention(f.name, k, j + 1, s, t, None, "ORG",
                                       "org:" + "_".join((*head, nat)), surface, "lexicon"))
            f.take(k, j + 1)
            break


# kinds of state bodies, and the nationality adjectives that make one a name
_MASC_BODIES = frozenset({("الجيش",), ("سلاح", "الجو")})
_FEM_BODIES = [tuple(tokens_ar(p)) for p in (
    "وزارة الخارجية", "وزارة الدفاع", "وزارة الداخلية", "وزارة الإعلام", "وزارة العدل", "الخارجية",
    "الداخلية", "الرئاسة", "المخابرات", "الاستخبارات", "البحرية", "الشرطة", "القوات الجوية")]
_BODY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _h in sorted([*_FEM_BODIES, *_MASC_BODIES], key=len, reverse=True):
    _BODY_FIRST.setdefault(_h[0], []).append(_h)
# every written form of a body's first word (_bare_forms, the inverse, finds the bare word again)
_BODY_WRITTEN = frozenset(key for w in _BODY_FIRST for key in _written_forms(w))
# written form -> (first word, clitic width), read through _bare_forms once per form, not per token
_BODY_BARE = {key: next((b, width) for b, width in _bare_forms(key) if b in _BODY_FIRST)
              for key in _BODY_WRITTEN}
_NAT_MASC = frozenset(tokens_ar(
    "الإسرائيلي الأردني اللبناني العراقي المصري السعودي القطري الإماراتي الكويتي الفرنسي البريطاني "
    "الألماني الأمريكي الأميركي الروسي التركي الإيراني السوري الصيني الإيطالي الهولندي البلجيكي "
    "السويدي الفلسطيني اليمني الليبي التونسي الجزائري المغربي السوداني الباكستاني الأفغاني الأوكراني "
    "الكندي الياباني الهندي الإسباني النمساوي اليوناني القبرصي الأذربيجاني الكازاخي"))
_NAT_FEM = frozenset(w + "ه" for w in _NAT_MASC)  # normalized: ة is written ه


_TANWEEN = "\u064b"
# place names written like a feminine adjective ("سورية" = Syria, and "Syrian"): bare, they are the
# place only where a place is expected (_country_context); with a clitic ("بسورية") they always are
_NISBA_FORMS = frozenset(tokens_ar("سورية"))
_BEFORE_COUNTRY = frozenset(tokens_ar(
    "في إلى الى من عن على مع داخل خارج حول لدى نحو ضد عبر بين تجاه حتى إزاء ازاء جنوب شمال شرق غرب "
    "وسط جنوبي شمالي شرقي غربي أنحاء انحاء أراضي اراضي حدود أرض ارض"))


def _country_context(f: "_Field", i: int) -> bool:
    """Token ``i`` stands where a country is expected: first in its sentence (or after a colon or
    quote), or after a preposition or a compass word ("في سورية", "شمال شرق سورية")."""
    if i == 0:
        return True
    gap = f.gap(i)
    if gap.strip():
        return True  # punctuation before it: a new clause or a quoted name, not a noun's adjective
    return _in(f.words[i - 1], _BEFORE_COUNTRY)


_INTO = frozenset(tokens_ar("في إلى الى"))
_MINISTER = frozenset(tokens_ar("وزير وزيرة وزيرا الوزير وزيري"))
_NEAR = frozenset(tokens_ar("في قرب بين جنوب شمال شرق غرب جنوبي شمالي شرقي غربي ريف بريف محيط بمحيط "
                            "شمالا جنوبا شرقا غربا"))  # "دوما شمالا": a place given a bearing


def _clean_gap(f: _Field, k: int) -> bool:
    """No sentence break between token k-1 and token k."""
    gap = f.gap(k)
    return "." not in gap and "\n" not in gap and "؛" not in gap


def _locative(f: _Field, i: int, j: int, lex: _Lexicon) -> bool:
    """Context that makes an ambiguous place name a place: a place noun before it, a place or a
    place-preposition next to it, or a list with a known place ("والسرمانية والزيارة بسهل الغاب")."""
    words = f.words
    if i > 0 and _clean_gap(f, i):
        prev = words[i - 1]
        if _in(prev, _PLACE_NOUNS):
            return True
        last = f.mentions[-1] if f.mentions else None
        if last is not None and last.j == i and last.label == "LOC":
            return True
        if prev in _INTO and not words[i].startswith("ال"):
            return True  # "إلى دوما": the adverb "دوما" (always) follows no preposition
    if j >= len(words) or not _clean_gap(f, j):
        return False
    nxt = words[j]
    if _in(nxt, _NEAR):
        return True
    for c in ("ب", "و", "وب"):
        if nxt.startswith(c) and len(nxt) > len(c) + 2:
            w = nxt[len(c):]
            for e in lex.names.entries(w):
                p = e.payload
                if p.actor.type == "LOC" and not p.ambiguous and e.lead == 0 and e.width == 0 \
                        and (e.n == 1 or tuple(words[j + 1:j + e.n]) == e.rest):
                    return True
    return False


def _model_pass(f: _Field, tagger: Any, text: str, lex: _Lexicon) -> None:
    """The model's spans that overlap no lexicon match, trimmed of title words at the edges
    ("الرئيس فلان" -> "فلان"); spans made only of generic words ("الجانب الروسي") are dropped."""
    try:
        spans = tagger.spans(text)
    except Exception:  # a model that fails on one text must not stop the article
        return
    taken = sorted((m.start, m.end) for m in f.mentions)
    nt, words = f.nt, f.words
    junk = lex.model_junk
    for span in spans:
        s, t, label = span[0], span[1], span[2]
        label = _LABEL_MAP.get(str(label).upper())
        if label is None or not (0 <= s < t <= len(text)):
            continue
        if any(a < t and s < b for a, b in taken):
            continue  # lexicon matches take precedence
        rng = f.token_range(nt.norm_index(s), nt.norm_index(t))
        if rng is None:
            continue
        i, j = rng
        while i < j and (_in(words[i], junk) or words[i].isdigit()):
            i += 1
        while j > i and (_in(words[j - 1], junk) or words[j - 1].isdigit()):
            j -= 1
        if j == i or (j - i == 1 and (len(words[i]) < 3 or _FUTURE_VERB.match(words[i]))):
            continue
        if _in(words[i], _COMPASS_ADJECTIVES) or all(_not_alone(w) for w in words[i:j]):
            continue  # "الأكراد", "المنظمة", "الشرقي الشمالي": no name
        if label == "PER" and words[j - 1] in _NAME_LINKS_ALL and j < len(words) and f.free[j] \
                and f.gap_ok(j):
            j += 1  # "نسرين عبد" + "الله": a name does not end with عبد/أبو/بن
        s, t = f.orig_span(i, j)
        if j - i == 1 and text[s:t].endswith(_TANWEEN_FATH):
            continue  # "تركياً"، "سورياً": an adverbial accusative, not the name
        if label != "LOC" and i > 0 and _clean_gap(f, i) and _in(words[i - 1], _SETTLEMENT_NOUNS):
            label = "LOC"  # "قرى الجنينة والجيعة": what a village noun names is a place
        f.mentions.append(_Mention(f.name, i, j, s, t, None, label, _model_id(words[i:j]),
                                   text[s:t], "model"))
        taken.append((s, t))
        f.take(i, j)


_TANWEEN_FATH = ("ً", "اً", "ًا")
_SETTLEMENT_NOUNS = frozenset(tokens_ar(
    "قرية قرى بلدة بلدات مدينة مدن حي أحياء احياء مخيم ناحية منطقة مناطق محافظة بلدتي قريتي مدينتي"))


def _model_id(toks: Sequence[str]) -> str:
    return "ner:" + "_".join(toks)


_SURNAME_STOP = frozenset(tokens_ar(
    "الله الدين عبد بن ابن ابو أبو بنت ال الرحمن الرحيم الثاني الاول الأول جونيور الابن الأب"))
_NAME_LINKS = frozenset(tokens_ar("بن ابن ابو أبو بنت ام أم"))
_COMPOUND_FIRST = frozenset(tokens_ar("عبد ابو أبو"))  # first word of a two-word family name
# given names that are also family names: a bare one is never linked to a full name
_GIVEN_NAMES = frozenset(tokens_ar(
    "محمد احمد محمود مصطفى علي حسن حسين عمر عثمان خالد سعيد صالح ابراهيم اسماعيل يوسف يعقوب موسى "
    "عيسى سليمان داود عبد عبدالله عبدالرحمن جمال كمال نبيل سمير فؤاد رضا جعفر عباس قاسم هادي مهدي "
    "كريم رحيم سلمان فيصل فهد سلطان ناصر منصور حمزة طه ياسين زكريا يحيى بكر جميل عادل وليد خليل "
    "إسحاق نور الدين شريف حبيب رامي سامي فادي مروان عماد رياض نصر سعد زيد حمد راشد ماجد"))
_ORG_HEADS = frozenset(tokens_ar(
    "مركز وزارة هيئة جبهة حركة منظمة وكالة شبكة مرصد فريق لجنة مجلس ائتلاف حزب مكتب صحيفة قناة "
    "جماعة تنظيم مؤسسة جمعية منظمه اتحاد تحالف مفوضية برنامج صندوق"))
# words that may follow an anaphoric head noun without making it another phrase ("أعلنت الوزارة اليوم")
_AFTER_HEAD_OK = frozenset(tokens_ar(
    "اليوم الاثنين الثلاثاء الاربعاء الخميس الجمعة السبت الاحد الليلة الماضي الماضية امس"))


def _context_pass(fields: list[_Field], lex: _Lexicon) -> None:
    """Short forms linked to a full mention in the same article (both fields)."""
    per_keys: dict[tuple[str, ...], set] = {}
    mentioned: dict[str, _Mention] = {}
    for f in fields:
        for m in f.mentions:
            if not m.emit:
                continue
            mentioned.setdefault(m.entity_id, m)
            if m.label == "PER" and m.j - m.i >= 2:
                for key in _surname_keys_of(f.nt.orig[m.start:m.end]):
                    per_keys.setdefault(key, set()).add((m.entity_id, id(m.actor) if m.actor else 0))
    # representative mention per entity, for canonical/actor
    matcher = _Matcher()
    n_keys = 0
    for key, owners in per_keys.items():
        ids = {o[0] for o in owners}
        if len(ids) == 1:
            eid = next(iter(ids))
            matcher.add(key, ("link", mentioned[eid]))
            n_keys += 1
    # most articles mention no row with context aliases: one C-level test of the smaller key set
    # before walking the lexicon's rows (in their order, which decides between equal phrases)
    if not lex.context.keys().isdisjoint(mentioned.keys()):
        for eid, rows in lex.context.items():
            if eid in mentioned:
                for toks, _a in rows:
                    matcher.add(toks, ("link", mentioned[eid]))
                    n_keys += 1
    heads = sorted({_head(f, m) for f in fields for m in f.mentions
                    if m.emit and m.label == "ORG" and m.j - m.i >= 2} - {None})
    for h in heads:
        matcher.add(("ال" + h,), ("head", h))
        n_keys += 1
    if not n_keys:
        return
    order = {f.name: k for k, f in enumerate(fields)}
    for f in fields:
        found = matcher.find(f, free=f.free)
        for i, j, e in found:
            kind, target = e.payload
            if kind == "head":
                if j < len(f.words):
                    gap = f.gap(j)
                    nxt = f.words[j]
                    if gap.strip() == "" and nxt.startswith("ال") and nxt not in _AFTER_HEAD_OK:
                        continue  # "المركز الأول": another phrase
                target = _latest_with_head(fields, order, f, f.start(i), target)
                if target is None:
                    continue
            s, t = f.orig_span(i, j, e.width)
            f.mentions.append(_Mention(f.name, i, j, s, t, target.actor, target.label,
                                       target.entity_id, target.canonical, target.method))
            f.take(i, j)


def _link_model_surnames(fields: list[_Field]) -> None:
    """A surname the model tagged on its own ("كييس" after "ديفيد كييس") takes the id of the one full
    name in the article it ends; the context pass cannot, as the model's span already holds it."""
    owners: dict[tuple[str, ...], set] = {}
    full: dict[str, _Mention] = {}
    for f in fields:
        for m in f.mentions:
            if m.emit and m.label == "PER" and m.j - m.i >= 2:
                full.setdefault(m.entity_id, m)
                for key in _surname_keys_of(f.nt.orig[m.start:m.end]):
                    owners.setdefault(key, set()).add(m.entity_id)
    if not owners:
        return
    for f in fields:
        for m in f.mentions:
            if m.method != "model" or m.label != "PER" or m.actor is not None:
                continue
            toks = tokens_ar(f.nt.orig[m.start:m.end])
            ids = owners.get(tuple(toks))
            if not ids and toks:  # "لغيدني" after "فيلكس غيدني"
                ids = owners.get((_strip_clitic(toks[0]), *toks[1:]))
            if ids and len(ids) == 1:
                target = full[next(iter(ids))]
                if target.entity_id != m.entity_id:
                    m.actor, m.entity_id, m.canonical = target.actor, target.entity_id, target.canonical


def _surname_keys(toks: Sequence[str]) -> Iterator[tuple[str, ...]]:
    """Short forms of a person's full name that may stand for it later: the last word
    ("شويغو"), or the last two ("تشاووش أوغلو", "بن سلمان") — never a common given name alone."""
    last = toks[-1]
    patronymic = len(toks) >= 2 and toks[-2] in _NAME_LINKS
    if (len(last) >= 3 and last not in _SURNAME_STOP and last not in _GIVEN_NAMES
            and not last.isdigit() and not patronymic):
        yield (last,)
    compound = toks[-2] in _COMPOUND_FIRST and last.startswith("ال")  # "عبد الرحمن", "أبو الغيط"
    if len(toks) >= 3 and (toks[-2] not in _SURNAME_STOP or patronymic or compound):
        yield tuple(toks[-2:])


@lru_cache(maxsize=4096)
def _surname_keys_of(surface: str) -> tuple[tuple[str, ...], ...]:
    """``_surname_keys`` of a person's name as written, kept per process: the same full names
    recur article after article."""
    return tuple(_surname_keys(tokens_ar(surface)))


def _head(f: _Field, m: _Mention) -> str | None:
    """The head noun of an organisation mention ("مركز" for "مركز المصالحة الروسي"), if it has one."""
    return _head_word(f.words[m.i])


@lru_cache(maxsize=4096)
def _head_word(w: str) -> str | None:
    """The head noun an organisation name beginning with the word ``w`` has, if any (kept per
    process: the context pass asks for every organisation mention of every article)."""
    for form in (w, _strip_clitic(w)):
        if form.startswith("لل"):
            form = "ال" + form[2:]
        if form.startswith("ال"):
            form = form[2:]
        if form in _ORG_HEADS:
            return form
    return None


def _latest_with_head(fields, order, f, pos, head) -> _Mention | None:
    best = None
    for g in fields:
        if order[g.name] > order[f.name]:
            continue
        for m in g.mentions:
            if not m.emit or m.label != "ORG" or m.j - m.i < 2 or _head(g, m) != head:
                continue
            if g is f and m.start >= pos:
                continue
            if best is None or (order[g.name], m.start) > (order[best[0]], best[1].start):
                best = (g.name, m)
    return best[1] if best else None


def _roles(f: _Field, lex: _Lexicon) -> None:
    """A title right before a person's name becomes its role: "وزير الدفاع الروسي سيرغي شويغو".

    Walks back from each person's name over qualifier words ("الدفاع", "الروسي", "باسم") and names of
    organisations or places ("المتحدث باسم الأمم المتحدة") to a title head ("وزير", "الأمين العام");
    a comma may stand only right before the name."""
    pers = [m for m in f.mentions if m.emit and m.label == "PER" and m.role is None]
    if not pers:
        return
    ends_at = {m.j: m for m in f.mentions if m.label in ("ORG", "LOC")}
    words, quals, heads = f.words, lex.qualifiers, lex.titles
    for m in pers:
        k = m.i  # tokens before k are candidates
        last = k  # the role ends before token `last`
        if k == 0:
            continue
        g = f.gap(k).strip()
        if g not in ("", "،", ",") and not f.gap_ok(k):
            continue
        found = None  # (first token, clitic width) of the outermost title head so far
        for _step in range(12):
            if k == 0:
                break
            if k < last and not f.gap_ok(k):
                break
            head = _head_ending(words, k, heads)
            if head is not None:
                # keep walking: "متحدث الأمين العام للأمم المتحدة" is one title
                found = head
                k = head[0]
                continue
            org = ends_at.get(k)
            if org is not None:
                k = org.i
            elif _in(words[k - 1], quals):
                k -= 1
            else:
                break
        if found is not None:
            hi, width = found
            s, _ = f.orig_span(hi, hi + 1, width)
            _, t = f.orig_span(last - 1, last)
            m.role = f.nt.orig[s:t]


def _head_ending(words: list[str], k: int, heads: _Matcher) -> tuple[int, int] | None:
    """``(first token, clitic width)`` of a title head whose last token is ``k - 1``, if any."""
    written = heads.keys()
    for n in (1, 2, 3, 4):
        i = k - n
        if i < 0:
            break
        if words[i] not in written:
            continue  # most words: no title begins with them
        for e in heads.entries(words[i]):
            if e.n == n and tuple(words[i + 1:k]) == e.rest:
                return i, e.width
    return None
