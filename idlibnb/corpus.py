"""Corpus readers: a folder (recursive) or a single file of articles in any of the forms news
archives come in, each file accounted for in the manifest — never an exception, never a silent drop.

- ``.txt`` (or any text file): one article per file, doc_id = the file's stem;
- TREC/CLEF-style XML (``<DOC><DOCNO>…<TEXT>…</DOC>``, one or several per file), recognised by
  content whatever the extension (the ANT corpus keeps it in ``.txt`` files);
- CSV/TSV, JSONL/JSON and Parquet tables with a ``text`` column (optional ``doc_id``, ``title``,
  ``outlet``, ``published``, ``url``, ``byline``);
- a sidecar ``metadata.csv`` (doc_id, outlet, published, url, title) overriding what is parsed.

Encodings: UTF-8 with or without BOM, UTF-16/32 with BOM, Windows-1256 and whatever
charset-normalizer recognises; CRLF; NUL bytes dropped.
"""
from __future__ import annotations

import codecs
import email.utils
import html
import io
import json
import os
import re
from bisect import bisect_right
from calendar import isleap, mdays
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator, NamedTuple

from .doc import Article

__all__ = [
    "ManifestRow",
    "read_corpus",
    "decode_bytes",
    "parse_trec",
    "MAX_TEXT_CHARS",
    "UnreadableFile",
    "iso_published",
]

#: an article longer than this (characters of text) is cut here and its file marked 'partial':
#: news articles are a few thousand characters; a megabyte is a dump or a broken file, and
#: letting it through would stall every extractor on one document.
MAX_TEXT_CHARS = 1_000_000

_TABLE_EXTS = {".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet", ".pq"}
_TEXT_EXTS = {".txt", ".xml", ".sgml", ".sgm", ".trec", ".text", ""}
_METADATA_NAME = "metadata.csv"
_TEXT_COLUMNS = ("text", "body", "content", "article")

_DOC_MARK = re.compile(r"<(/?)(DOC)>", re.I)
_TREC_SNIFF = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<[A-Za-z]+>\s*)?<DOC>", re.I)
_TAG_MARK = re.compile(r"<(/?)(DOCNO|DOCID|URL|SRC|SOURCE|CAT|TITLE|HEADLINE|TIME|DATE|AUTHOR|BYLINE|"
                       r"ABSTRACT|TEXT)>", re.I)
_PARA_TAG = re.compile(r"</?P>", re.I)
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_BYTES = b"\x00 \t\r\n"
_CONTROL_BYTES = bytes([*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


class ManifestRow(NamedTuple):
    source_file: str
    status: str  # 'ok' | 'skipped' | 'partial'
    reason: str | None
    n_articles: int
    encoding: str | None
    bytes: int


class UnreadableFile(Exception):
    """A file that holds no readable article; the message is the manifest's reason."""


# ---------------------------------------------------------------------------------------- decoding

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _arabic_share(text: str) -> float:
    letters = [c for c in text[:20000] if c.isalpha()]
    if not letters:
        return 0.0
    return sum("\u0600" <= c <= "\u06ff" for c in letters) / len(letters)


def _looks_binary(text: str, controls: int | None = None) -> bool:
    """Control characters in more than 1% of the first 20,000 characters, or a run of
    replacement characters. ``controls``: their count in ``text``, if the caller knows it (and
    ``text`` is no longer than 20,000 characters)."""
    sample = text[:20000]
    if not sample:
        return False
    if controls is None or len(text) > 20000:
        controls = len(_CONTROL.findall(sample))
    return controls / len(sample) > 0.01 or "\ufffd" * 8 in sample


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a file's bytes: ``(text, encoding)``; raises :class:`UnreadableFile` for empty or
    binary files. NUL bytes are dropped and CRLF/CR become LF."""
    # (a file whose first byte is text is not empty: no copy stripped to see)
    if not data or data[0] in _BLANK_BYTES and not data.strip(_BLANK_BYTES):
        raise UnreadableFile("empty file")
    text = encoding = None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text, encoding = data[len(bom):].decode(enc, errors="replace"), enc
            break
    if text is None:
        nul_share = data.count(b"\x00") / len(data)
        if nul_share > 0.2:
            # UTF-16 without a BOM: one byte of every pair is NUL for Latin text
            for enc in ("utf-16-le", "utf-16-be"):
                try:
                    cand = data.decode(enc)
                except UnicodeDecodeError:
                    continue
                if not _looks_binary(cand):
                    text, encoding = cand, enc
                    break
            if text is None:
                raise UnreadableFile("binary file (not text in any known encoding)")
        else:
            try:
                text, encoding = data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                text, encoding = _decode_legacy(data)
    controls = None
    has_nul = has_cr = True
    if encoding == "utf-8":
        # in UTF-8 a control character is its own byte, never part of another character's bytes:
        # counted in C on the bytes instead of by a regex over the text; NUL and CR looked for
        # there too (memchr), not in the decoded text (where a NUL needle cannot use memchr)
        controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
        has_nul, has_cr = b"\x00" in data, b"\r" in data
    if has_nul:
        text = text.replace("\x00", "")
    if _looks_binary(text, controls):
        raise UnreadableFile("binary file (control characters, not text)")
    if has_cr:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, encoding


def _decode_legacy(data: bytes) -> tuple[str, str]:
    # Arabic archives are mostly Windows-1256: prefer it when it yields Arabic letters.
    try:
        cand = data.decode("cp1256")
        if _arabic_share(cand) > 0.3:
            return cand, "cp1256"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:500_000]).best()
    if best is None:
        raise UnreadableFile("binary file (no text encoding recognised)")
    return data.decode(best.encoding, errors="replace"), best.encoding


# ------------------------------------------------------------------------------------------- TREC

def _clean_field(s: str) -> str:
    return html.unescape(s).strip()


_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NUMBER = {m: i for i, m in enumerate(_MONTH_ABBR, 1)}
# the form feeds nearly always write, "Thu, 12 Apr 2018 16:19:43 +0400" (or GMT), read without the
# general parser (whose every step this form passes through unchanged)
_RFC2822_USUAL = re.compile(
    r"\s*[A-Za-z]{3}, (\d{1,2}) (" + "|".join(_MONTH_ABBR) + r") (\d{4}) "
    r"([01]\d|2[0-3]):([0-5]\d):([0-5]\d) (?:[+-](?:[01]\d|2[0-3])[0-5]\d|GMT|UTC?)\s*")


def rfc2822_date(value: str) -> str | None:
    """The calendar day of an RFC 2822 timestamp, in its own time zone ('YYYY-MM-DD')."""
    m = _RFC2822_USUAL.fullmatch(value)
    if m is not None:
        day, year = int(m.group(1)), int(m.group(3))
        month = _MONTH_NUMBER[m.group(2)]
        # calendar.monthrange(year, month)[1] without the weekday it also works out
        if year >= 100 and 1 <= day <= (29 if month == 2 and isleap(year) else mdays[month]):
            return f"{year:04d}-{month:02d}-{day:02d}"
    elif len(value.split()) < 3:
        return _other_stamp(value)  # no RFC 2822 parse has fewer than three fields
    try:
        dt = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        dt = None
    if dt is None:
        return _other_stamp(value)
    return dt.date().isoformat()


_STAMPS = (
    (re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})"), (0, 1, 2)),  # 2018-09-30[T12:00]
    (re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:\D|$)"), (0, 1, 2)),  # 20180930
    (re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4})"), (2, 1, 0)),  # 30/09/2018
)


_MONTH_OR_YEAR = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?\s*$")


def iso_published(value) -> str | None:
    """A publication date from metadata as an ISO string at its own precision ('YYYY-MM-DD',
    'YYYY-MM', 'YYYY'), or None when the value is not a real date."""
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    value = str(value).strip()
    m = _MONTH_OR_YEAR.match(value)
    if m:
        year, month = int(m.group(1)), m.group(2)
        if not 1000 <= year <= 2999 or (month and not 1 <= int(month) <= 12):
            return None
        return f"{year:04d}-{int(month):02d}" if month else f"{year:04d}"
    return rfc2822_date(value) if value else None


def _other_stamp(value: str) -> str | None:
    """Timestamps feeds write instead of RFC 2822: ISO, compact, day/month/year."""
    import datetime as dt

    for pattern, order in _STAMPS:
        m = pattern.match(value)
        if m:
            y, mo, d = (int(m.group(i + 1)) for i in order)
            try:
                return dt.date(y, mo, d).isoformat()
            except ValueError:
                return None
    return None


_OPEN_CLOSE = ["", "/"]


def _elements(text: str, marks: re.Pattern, parts: list[str] | None = None) -> list[tuple[str, str]]:
    """``(name, content)`` of each element, exactly what ``re.findall(r"<(NAME)>(.*?)</\\1>",
    text, re.S | re.I)`` gives, but from one scan for the tags (``marks`` finds ``<NAME>`` and
    ``</NAME>``): the lazy ``.*?`` tried the closing tag at every character, 4x slower on news.
    ``parts``: ``marks.split(text)`` if the caller has it."""
    # the usual file, <A>…</A><B>…</B>…: one C-level split, and each element is the piece
    # between an opening tag and its closing twin ([text, "", "A", content, "/", "A", text, …])
    if parts is None:
        parts = marks.split(text)
    n = len(parts) // 3
    if n % 2 == 0 and parts[1::3] == _OPEN_CLOSE * (n // 2) and parts[2::6] == parts[5::6]:
        return list(zip(parts[2::6], parts[3::6]))
    found = list(marks.finditer(text))
    closes: dict[str, list[int]] = {}
    for k, m in enumerate(found):
        if m.group(1):
            closes.setdefault(m.group(2).upper(), []).append(k)
    out: list[tuple[str, str]] = []
    k = 0
    while k < len(found):
        m = found[k]
        if not m.group(1):
            after = closes.get(m.group(2).upper(), ())
            c = bisect_right(after, k)
            if c < len(after):  # the first closing tag of the same name: the lazy match
                out.append((m.group(2), text[m.end():found[after[c]].start()]))
                k = after[c] + 1
                continue
        k += 1
    return out


def parse_trec(text: str, source_file: str) -> tuple[list[Article], str | None]:
    """Articles of a TREC/CLEF-style file, and a problem note (None if the file is whole)."""
    articles, problem = [], None
    parts = _DOC_MARK.split(text)  # [text, slash, name, text, …]
    blocks = [content for _, content in _elements(text, _DOC_MARK, parts)]
    n_open = parts[1::3].count("")  # the <DOC> tags
    if n_open > len(blocks):
        problem = f"broken XML: {n_open - len(blocks)} <DOC> without </DOC>"
    for i, block in enumerate(blocks):
        fields: dict[str, str] = {}
        for tag, value in _elements(block, _TAG_MARK):
            fields.setdefault(tag.upper(), value)
        body = fields.get("TEXT")
        if body is None:
            problem = problem or "broken XML: a <DOC> without <TEXT>"
            continue
        body = html.unescape(_PARA_TAG.sub("\n", body))
        meta = {}
        doc_id = _clean_field(fields.get("DOCNO") or fields.get("DOCID") or "")
        meta["doc_id"] = doc_id or f"{Path(source_file).stem}-{i + 1}"
        for key, tags in (("url", ("URL",)), ("outlet", ("SRC", "SOURCE")),
                          ("title", ("TITLE", "HEADLINE")), ("byline", ("AUTHOR", "BYLINE")),
                          ("category", ("CAT",)), ("abstract", ("ABSTRACT",))):
            for tag in tags:
                value = fields.get(tag)
                if value and (value := _clean_field(value)):
                    meta[key] = value
                    break
        stamp = fields.get("TIME") or fields.get("DATE")
        published = rfc2822_date(html.unescape(stamp)) if stamp else None
        if published:
            meta["published"] = published
        articles.append(Article(meta["doc_id"], source_file, body.strip("\n"), meta))
    if not articles and problem is None:
        problem = "broken XML: no complete <DOC>…</DOC>"
    return articles, problem


# ----------------------------------------------------------------------------------------- tables

def _read_table(path: Path, data: bytes) -> tuple[list[dict], str]:
    import pandas as pd

    ext = path.suffix.lower()
    if ext in (".parquet", ".pq"):
        try:
            return pd.read_parquet(io.BytesIO(data)).to_dict("records"), "binary"
        except Exception as exc:  # pyarrow raises many kinds
            raise UnreadableFile(f"unreadable Parquet: {type(exc).__name__}") from exc
    text, encoding = decode_bytes(data)
    try:
        if ext in (".jsonl", ".ndjson"):
            rows = []
            for n, line in enumerate(text.splitlines(), 1):
                if line.strip():
                    obj = json.loads(line)
                    if isinstance(obj, dict):
                        rows.append(obj)
            return rows, encoding
        if ext == ".json":
            obj = json.loads(text)
            rows = obj if isinstance(obj, list) else obj.get("articles", [obj]) if isinstance(obj, dict) else []
            return [r for r in rows if isinstance(r, dict)], encoding
        sep = "\t" if ext == ".tsv" else ","
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
        return df.to_dict("records"), encoding
    except (ValueError, pd.errors.ParserError) as exc:
        raise UnreadableFile(f"malformed {ext[1:].upper()}: {str(exc).splitlines()[0][:120]}") from exc


def _table_articles(path: Path, rows: list[dict], source_file: str) -> list[Article]:
    if not rows:
        raise UnreadableFile("table has no rows")
    columns = {str(c).strip().lower(): c for c in rows[0]}
    text_col = next((columns[c] for c in _TEXT_COLUMNS if c in columns), None)
    if text_col is None:
        raise UnreadableFile(f"no text column (columns: {', '.join(map(str, rows[0]))[:200]})")
    out = []
    for i, row in enumerate(rows, 1):
        body = row.get(text_col)
        if not isinstance(body, str) or not body.strip():
            continue
        meta = {}
        for key in ("doc_id", "title", "outlet", "published", "url", "byline"):
            col = columns.get(key)
            value = row.get(col) if col is not None else None
            if value is not None and str(value).strip() and str(value) != "nan":
                meta[key] = str(value).strip()
        meta.setdefault("doc_id", f"{path.stem}-{i}")
        out.append(Article(meta["doc_id"], source_file, body.replace("\r\n", "\n"), meta))
    return out


# ------------------------------------------------------------------------------------- metadata

def read_metadata(path: str | Path) -> dict[str, dict]:
    """``doc_id -> {outlet, published, url, title, byline}`` from a metadata.csv (empty cells ignored)."""
    import pandas as pd

    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "doc_id" not in df.columns:
        raise ValueError(f"{path}: metadata needs a doc_id column (has {', '.join(df.columns)})")
    keep = [c for c in ("outlet", "published", "url", "title", "byline") if c in df.columns]
    return {str(r["doc_id"]).strip(): {c: r[c].strip() for c in keep if r[c].strip()}
            for r in df.to_dict("records")}


# ------------------------------------------------------------------------------------------ files

def _parts_of(p: Path) -> tuple[str, ...]:
    return p.parts


def _files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    out = []
    skip = len(root.parts)
    # a posix Path's order is the order of its parts: taken once per path instead of per pair
    # (Windows paths compare case-blind: their own order)
    for p in sorted(root.rglob("*"), key=_parts_of if isinstance(root, PurePosixPath) else None):
        rel = p.parts[skip:]  # p.relative_to(root).parts: rglob's paths extend root's own
        if any(part.startswith(".") for part in rel[:-1]):
            continue  # hidden folders: .git, .ipynb_checkpoints, caches
        if p.is_file() or p.is_symlink():
            out.append(p)
    return out


def _read_bytes(path: Path) -> bytes:
    """``path.read_bytes()`` with one unbuffered read of the size the file has (no io.open
    file object, buffer and second read for EOF)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        data = os.read(fd, size + 1)
        if len(data) != size:  # a short read, or a file that grew or reports no size: read to EOF
            parts = [data]
            while parts[-1]:
                parts.append(os.read(fd, 1 << 20))
            data = b"".join(parts)
        return data
    finally:
        os.close(fd)


def read_file(path: Path, source_file: str) -> tuple[list[Article], ManifestRow]:
    """Every article of one file and the file's manifest row; never raises."""
    try:
        data = _read_bytes(path)
    except OSError as exc:
        try:  # the size is asked for only here: a file read whole is len(data) bytes
            size = path.stat().st_size
        except OSError:
            size = 0
        return [], ManifestRow(source_file, "skipped", f"unreadable: {exc.strerror or exc}", 0, None, size)
    encoding = None
    try:
        ext = path.suffix.lower()
        problem = None
        if ext in _TABLE_EXTS:
            rows, encoding = _read_table(path, data)
            articles = _table_articles(path, rows, source_file)
        else:
            text, encoding = decode_bytes(data)
            if _TREC_SNIFF.match(text, 0, 2000):  # as if text[:2000], without the copy
                articles, problem = parse_trec(text, source_file)
            elif ext in _TEXT_EXTS or _is_mostly_text(text):
                articles = [Article(path.stem, source_file, text, {})]
            else:
                raise UnreadableFile(f"unsupported file type {ext}")
        if not articles:
            raise UnreadableFile(problem or "no article text")
    except UnreadableFile as exc:
        return [], ManifestRow(source_file, "skipped", str(exc), 0, encoding, len(data))
    status, reasons = ("partial", [problem]) if problem else ("ok", [])
    for a in articles:
        if len(a.raw) > MAX_TEXT_CHARS:
            a.raw = a.raw[:MAX_TEXT_CHARS]
            a.meta.setdefault("warnings", []).append(f"text cut at {MAX_TEXT_CHARS:,} characters")
            status = "partial"
            reasons.append(f"{a.doc_id}: text cut at {MAX_TEXT_CHARS:,} characters")
    reason = "; ".join(reasons)[:500] or None
    return articles, ManifestRow(source_file, status, reason, len(articles), encoding, len(data))


def _is_mostly_text(text: str) -> bool:
    return _arabic_share(text) > 0.3


def read_corpus(
    path: str | Path,
    *,
    manifest: list | None = None,
    metadata: str | Path | None = None,
) -> Iterator[Article]:
    """Articles of a corpus folder or file, in a stable order; one ManifestRow per file seen is
    appended to ``manifest``. A ``metadata.csv`` beside the articles (or ``metadata``) overrides
    outlet, published, url, title and byline by doc_id."""
    root = Path(path)
    manifest = manifest if manifest is not None else []
    if not root.exists():
        raise FileNotFoundError(f"corpus not found: {root}")
    base = root if root.is_dir() else root.parent
    sidecar = Path(metadata) if metadata else (root / _METADATA_NAME if root.is_dir() else None)
    overrides: dict[str, dict] = {}
    if sidecar is not None and sidecar.exists():
        overrides = read_metadata(sidecar)
    seen_ids: set[str] = set()
    sidecar_path = sidecar.resolve() if sidecar is not None and sidecar.exists() else None
    skip = len(base.parts)
    for f in _files(root):
        source_file = "/".join(f.parts[skip:])  # f.relative_to(base).as_posix()
        if sidecar_path is not None and f.name == sidecar_path.name and f.resolve() == sidecar_path:
            manifest.append(ManifestRow(source_file, "ok", "metadata sidecar", 0, "utf-8", f.stat().st_size))
            continue
        if f.name.startswith("."):
            manifest.append(ManifestRow(source_file, "skipped", "hidden file", 0, None, 0))
            continue
        articles, row = read_file(f, source_file)
        manifest.append(row)
        for a in articles:
            if a.doc_id in seen_ids:  # two files with one stem in different folders
                a.meta.setdefault("warnings", []).append(f"doc_id {a.doc_id} seen before; renamed")
                a.doc_id = f"{Path(source_file).with_suffix('').as_posix().replace('/', '__')}"
                n = 2
                while a.doc_id in seen_ids:
                    a.doc_id = f"{a.doc_id}-{n}"
                    n += 1
                a.meta["doc_id"] = a.doc_id
            seen_ids.add(a.doc_id)
            if a.doc_id in overrides:
                a.meta.update(overrides[a.doc_id])
                a.meta["metadata_override"] = True
            yield a


def iter_manifest(rows: Iterable[ManifestRow]) -> list[dict]:
    return [r._asdict() for r in rows]
