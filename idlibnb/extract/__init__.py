"""Extractors: pure functions ``extract.<noun>(doc, *, options) -> Iterator[NamedTuple]``.

Each yields named tuples whose fields are exactly the columns of its table (docs/tables.md), with
``start``/``end`` offsets into ``doc.text`` (``field='text'``) or ``doc.title`` (``field='title'``)
such that ``surface == doc.field_text(field)[start:end]``. They return data and never print.
Upstream results may be passed in (``entities=…``, ``timexes=…``) so a pipeline computes each once;
left out, an extractor computes what it needs itself.
"""
from .dates import timexes
from .entities import entities
from .events import events
from .figures import figures
from .framing import framing
from .quotes import quotes

__all__ = ["entities", "timexes", "figures", "quotes", "events", "framing"]
