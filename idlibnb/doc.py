"""The two records every stage passes along: :class:`Article` (what a reader found) and
:class:`Doc` (a parsed article: title, outlet, date, cleaned body, sentences, normalized views)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

from .normalize import NormText, word_tokens

__all__ = ["Article", "Doc"]


@dataclass
class Article:
    """One article as a reader found it. ``meta`` holds fields the source gave explicitly
    (TREC tags, table columns, metadata.csv): doc_id, title, outlet, published, url, byline."""

    doc_id: str
    source_file: str
    raw: str
    meta: dict = field(default_factory=dict)


@dataclass
class Doc:
    """A parsed article. Spans elsewhere are offsets into ``text`` (``field='text'``) or ``title``."""

    doc_id: str
    source_file: str
    title: str
    text: str
    url: str | None = None
    outlet: str | None = None
    outlet_en: str | None = None
    byline: str | None = None
    dateline: str | None = None
    published: str | None = None  # ISO date at its own precision
    published_basis: str | None = None  # 'metadata' | 'text' | 'inferred' | None
    published_evidence: str | None = None
    sentences: list[tuple[int, int]] = field(default_factory=list)  # spans in text
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def field_text(self, name: str) -> str:
        """The string a span with ``field=name`` indexes: ``'title'`` or ``'text'``."""
        if name == "title":
            return self.title
        if name == "text":
            return self.text
        raise ValueError(f"unknown field {name!r}")

    @cached_property
    def norm_text(self) -> NormText:
        return NormText(self.text)

    @cached_property
    def norm_title(self) -> NormText:
        return NormText(self.title)

    def norm(self, name: str) -> NormText:
        """The normalized view of field ``name`` (cached)."""
        return self.norm_title if name == "title" else self.norm_text

    @cached_property
    def _words_text(self) -> list[str]:
        return word_tokens(self.norm_text.norm)

    @cached_property
    def _words_title(self) -> list[str]:
        return word_tokens(self.norm_title.norm)

    def words(self, name: str) -> list[str]:
        """The word tokens (``normalize.TOKEN_PATTERN``) of field ``name``'s normalized view,
        computed once for every extractor (cached; do not modify the list)."""
        return self._words_title if name == "title" else self._words_text

    def sentence_of(self, offset: int) -> tuple[int, int]:
        """The span of the sentence holding ``offset`` in ``text``."""
        for s, e in self.sentences:
            if s <= offset < e:
                return s, e
        return 0, len(self.text)

    def with_published(self, value: str | None, basis: str | None, evidence: str | None = None) -> "Doc":
        """A copy with another publication date. The normalized views and word tokens already
        computed come along (they depend on title and text only, which the copy shares)."""
        new = replace(self, published=value, published_basis=basis, published_evidence=evidence)
        cached, into = self.__dict__, new.__dict__
        for name in _TEXT_CACHES:
            if name in cached:
                into[name] = cached[name]
        return new

    @property
    def n_words(self) -> int:
        return len(self.text.split())


#: the cached properties of a Doc that depend only on its title and text
_TEXT_CACHES = ("norm_text", "norm_title", "_words_text", "_words_title")
