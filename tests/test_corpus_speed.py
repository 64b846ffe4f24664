"""The fast paths of ``idlibnb.corpus`` equal the general code they stand in for."""
import email.utils
from pathlib import Path

from hypothesis import given, settings, strategies as st

from idlibnb import corpus


def _rfc2822_date_general(value: str):
    """``corpus.rfc2822_date`` as it was before its fast paths: the email parser, then the others."""
    try:
        dt = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        dt = None
    if dt is None:
        return corpus._other_stamp(value)
    return dt.date().isoformat()


_DAYS = st.sampled_from(["Mon", "Thu", "Sun", "Foo", "thu", "Thu,", "1"])
_MONTHS = st.sampled_from(list(corpus._MONTH_ABBR) + ["apr", "APR", "Sept", "13"])
_STAMP = st.builds(
    lambda lead, day, d, mon, y, hh, mm, ss, sign, zh, zm, trail: (
        f"{lead}{day}, {d} {mon} {y} {hh}:{mm}:{ss} {sign}{zh + zm if len(sign) < 2 else ''}{trail}"),
    st.sampled_from(["", " ", "\t"]), _DAYS, st.sampled_from(["0", "1", "01", "12", "29", "30", "31", "32", "99"]),
    _MONTHS, st.sampled_from(["2018", "2020", "1900", "2100", "0099", "0100", "0001", "18", "99999"]),
    st.sampled_from(["00", "09", "16", "23", "24", "99", "7"]), st.sampled_from(["00", "19", "59", "60"]),
    st.sampled_from(["00", "43", "59", "60", "61"]), st.sampled_from(["+", "-", "", "GMT", "UTC", "UT", "gmt", "EST"]),
    st.sampled_from(["00", "04", "23", "24", "99"]), st.sampled_from(["00", "30", "59", "60", "99"]),
    st.sampled_from(["", " ", "\n", "x"]))


@settings(max_examples=2000, deadline=None)
@given(_STAMP)
def test_rfc2822_date_equals_the_general_parser(value):
    assert corpus.rfc2822_date(value) == _rfc2822_date_general(value)


@settings(max_examples=500, deadline=None)
@given(st.one_of(
    st.text(alphabet=st.sampled_from(list("0123456789-/. :,TZ+abcMonJanDec\t")), max_size=40),
    st.text(max_size=30)))
def test_rfc2822_date_on_other_strings(value):
    assert corpus.rfc2822_date(value) == _rfc2822_date_general(value)


def test_rfc2822_date_examples():
    for v in ("Thu, 12 Apr 2018 16:19:43 +0400", "Sun, 01 Mar 2020 23:59:59 -0500",
              "Thu, 29 Feb 2018 10:00:00 +0000", "Thu, 29 Feb 2020 10:00:00 -0000",
              "2018-04-12", "20180412", "12/04/2018", "", "  "):
        assert corpus.rfc2822_date(v) == _rfc2822_date_general(v), v


_PIECES = st.lists(st.sampled_from(
    ["<DOC>", "</DOC>", "<doc>", "</Doc>", "<TEXT>", "</TEXT>", "<text>", "<TITLE>", "</TITLE>", "<P>",
     "</P>", "<DOCNO>", "</DOCNO>", "<TIME>", "</TIME>", "x", "نص", "\n", " ", "<", ">", "/"]), max_size=30)


@settings(max_examples=1000, deadline=None)
@given(_PIECES)
def test_elements_equal_the_lazy_regex(pieces):
    import re

    text = "".join(pieces)
    for marks, names in ((corpus._DOC_MARK, "DOC"), (corpus._TAG_MARK, corpus._TAG_MARK.pattern[6:-2])):
        expected = re.findall(rf"<({names})>(.*?)</\1>", text, re.S | re.I)
        assert corpus._elements(text, marks) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["DOCNO", "TITLE", "TEXT", "TIME", "URL"]),
                          st.text(alphabet="ab نص\n<>/", max_size=12)), max_size=6))
def test_elements_of_well_formed_fields(fields):
    import re

    text = "".join(f"<{n}>{v}</{n}>\n" for n, v in fields)
    expected = re.findall(rf"<({corpus._TAG_MARK.pattern[6:-2]})>(.*?)</\1>", text, re.S | re.I)
    assert corpus._elements(text, corpus._TAG_MARK) == expected


def test_source_files_are_the_relative_posix_paths(tmp_path, monkeypatch):
    for rel in ("a/b/one.txt", "a/two.txt", "three.txt", ".hidden/x.txt", "a/.h/y.txt"):
        f = tmp_path / "corpus" / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text("نص الخبر هنا", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for root in (Path("corpus"), tmp_path / "corpus", Path("corpus/a/two.txt"), tmp_path / "corpus" / "three.txt",
                 Path("./corpus/")):
        base = root if root.is_dir() else root.parent
        manifest = []
        got = [a.source_file for a in corpus.read_corpus(root, manifest=manifest)]
        files = [p for p in sorted(root.rglob("*")) if p.is_file()] if root.is_dir() else [root]
        expected = [p.relative_to(base).as_posix() for p in files
                    if not any(part.startswith(".") for part in p.relative_to(root).parts[:-1])] \
            if root.is_dir() else [root.relative_to(base).as_posix()]
        assert got == expected
        assert [r.source_file for r in manifest] == expected


def _decode_outcome(data):
    try:
        return corpus.decode_bytes(data)
    except corpus.UnreadableFile as exc:
        return str(exc)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ابت نص\n\r\t\x00\x01\x07\x0b\x1f\x7f\x85\ufffd") + ["é"]),
               min_size=1, max_size=300))
def test_control_count_on_bytes_equals_the_regex(text):
    data = text.encode("utf-8")
    if data.startswith(b"\xef\xbb\xbf") or data.count(b"\x00") / len(data) > 0.2:
        return
    got = _decode_outcome(data)
    clean = text.replace("\x00", "")
    if not data.strip(b"\x00 \t\r\n"):
        assert got == "empty file"
    elif corpus._looks_binary(clean):  # the regex count
        assert got == "binary file (control characters, not text)"
    else:
        assert got == (clean.replace("\r\n", "\n").replace("\r", "\n"), "utf-8")
