"""Every reader and encoding; every file accounted for in the manifest."""
import json
import os
import re

from hypothesis import given, strategies as st

import pandas as pd
import pytest

from idlibnb.corpus import (MAX_TEXT_CHARS, UnreadableFile, decode_bytes, iso_published, read_corpus,
                            rfc2822_date)

ARTICLE = "قالت وزارة الدفاع الروسية إن دورية مشتركة سيرت على الطريق الدولي في إدلب.\nوأضافت أن الوضع مستقر."

TREC = """<DOC>
<DOCNO>SK-middleEast-1-20180730</DOCNO>
<URL>https://www.skynewsarabia.com/middle-east/1</URL>
<SRC>skynews</SRC>
<CAT>middleEast</CAT>
<TITLE>عنوان &quot;الخبر&quot; الأول</TITLE>
<TIME>Mon, 30 Jul 2018 23:12:48 -0400</TIME>
<AUTHOR>أبوظبي - سكاي نيوز عربية</AUTHOR>
<ABSTRACT>ملخص</ABSTRACT>
<TEXT>
{body}
</TEXT>
</DOC>
<DOC>
<DOCNO>BB-world-2-20180101</DOCNO>
<SRC>BBC</SRC>
<TITLE>عنوان ثان</TITLE>
<TIME>Mon, 01 Jan 2018 01:00:00 GMT</TIME>
<TEXT>
<P>فقرة أولى.</P><P>فقرة ثانية.</P>
</TEXT>
</DOC>
""".format(body=ARTICLE)


def read(path, **kw):
    manifest = []
    arts = list(read_corpus(path, manifest=manifest, **kw))
    return arts, {m.source_file: m for m in manifest}


def test_txt_folder_recursive(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "two.txt").write_text(ARTICLE, encoding="utf-8")
    arts, man = read(tmp_path)
    assert sorted(a.doc_id for a in arts) == ["one", "two"]
    assert man["a/one.txt"].status == "ok" and man["a/one.txt"].n_articles == 1


def test_trec_recognised_by_content_whatever_extension(tmp_path):
    (tmp_path / "feed.txt").write_text(TREC, encoding="utf-8")
    arts, man = read(tmp_path)
    assert [a.doc_id for a in arts] == ["SK-middleEast-1-20180730", "BB-world-2-20180101"]
    first, second = arts
    assert first.meta["title"] == 'عنوان "الخبر" الأول'
    assert first.meta["outlet"] == "skynews"
    assert first.meta["published"] == "2018-07-30"  # the day in its own time zone
    assert first.meta["url"].startswith("https://www.skynewsarabia.com")
    assert "دورية مشتركة" in first.raw
    assert "فقرة أولى." in second.raw and "<P>" not in second.raw
    assert man["feed.txt"].n_articles == 2 and man["feed.txt"].status == "ok"


def test_broken_xml(tmp_path):
    (tmp_path / "broken.xml").write_text("<DOC><DOCNO>x</DOCNO><TEXT>نص بلا نهاية", encoding="utf-8")
    (tmp_path / "half.xml").write_text(TREC + "<DOC><DOCNO>y</DOCNO><TEXT>نص", encoding="utf-8")
    arts, man = read(tmp_path)
    assert man["broken.xml"].status == "skipped" and "broken XML" in man["broken.xml"].reason
    assert man["half.xml"].status == "partial" and len(arts) == 2


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1256"])
def test_encodings_read_as_arabic(tmp_path, encoding):
    (tmp_path / "a.txt").write_bytes(ARTICLE.replace("\n", "\r\n").encode(encoding))
    arts, man = read(tmp_path)
    assert arts[0].raw == ARTICLE
    assert man["a.txt"].status == "ok"


def test_nul_bytes_dropped(tmp_path):
    (tmp_path / "a.txt").write_bytes(ARTICLE.encode("utf-8").replace(b" ", b" \x00", 3))
    arts, _ = read(tmp_path)
    assert "\x00" not in arts[0].raw and arts[0].raw == ARTICLE


def test_bad_files_each_get_a_reason(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    (tmp_path / "notext.csv").write_text("doc_id,title\n1,عنوان\n", encoding="utf-8")
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    arts, man = read(tmp_path)
    assert [a.doc_id for a in arts] == ["good"]
    assert man["empty.txt"].reason == "empty file"
    assert man["binary.bin"].status == "skipped" and "binary" in man["binary.bin"].reason
    assert man["image.txt"].status == "skipped"
    assert "no text column" in man["notext.csv"].reason
    assert len(man) == 5


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_permissions(tmp_path):
    p = tmp_path / "locked.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    p.chmod(0)
    arts, man = read(tmp_path)
    assert man["locked.txt"].status == "skipped" and "unreadable" in man["locked.txt"].reason


def test_tables_csv_jsonl_parquet(tmp_path):
    rows = [{"doc_id": "c1", "title": "عنوان", "outlet": "سانا", "published": "2020-03-05",
             "url": "https://sana.sy/x", "text": ARTICLE},
            {"doc_id": "c2", "text": ARTICLE}]
    pd.DataFrame(rows).to_csv(tmp_path / "t.csv", index=False)
    (tmp_path / "t.jsonl").write_text("\n".join(json.dumps({**r, "doc_id": r["doc_id"] + "j"},
                                                           ensure_ascii=False) for r in rows),
                                      encoding="utf-8")
    pd.DataFrame([{**r, "doc_id": r["doc_id"] + "p"} for r in rows]).to_parquet(tmp_path / "t.parquet")
    arts, man = read(tmp_path)
    ids = sorted(a.doc_id for a in arts)
    assert ids == ["c1", "c1j", "c1p", "c2", "c2j", "c2p"]
    c1 = next(a for a in arts if a.doc_id == "c1")
    assert c1.meta == {"doc_id": "c1", "title": "عنوان", "outlet": "سانا", "published": "2020-03-05",
                       "url": "https://sana.sy/x"}
    assert all(m.n_articles == 2 for m in man.values())


def test_single_file_corpus(tmp_path):
    p = tmp_path / "feed.trec"
    p.write_text(TREC, encoding="utf-8")
    arts, man = read(p)
    assert len(arts) == 2 and list(man) == ["feed.trec"]


def test_metadata_sidecar_overrides(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("doc_id,outlet,published\na,عنب بلدي,2019-05-20\n", encoding="utf-8")
    arts, man = read(tmp_path)
    assert arts[0].meta["outlet"] == "عنب بلدي" and arts[0].meta["published"] == "2019-05-20"
    assert man["metadata.csv"].reason == "metadata sidecar"


def test_overlong_article_is_cut_and_partial(tmp_path):
    (tmp_path / "huge.txt").write_text("كلمة " * (MAX_TEXT_CHARS // 4), encoding="utf-8")
    arts, man = read(tmp_path)
    assert len(arts[0].raw) == MAX_TEXT_CHARS
    assert man["huge.txt"].status == "partial"


def test_duplicate_stems_get_distinct_ids(tmp_path):
    for d in ("x", "y"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "same.txt").write_text(ARTICLE, encoding="utf-8")
    arts, _ = read(tmp_path)
    assert len({a.doc_id for a in arts}) == 2


def test_decode_and_dates():
    with pytest.raises(UnreadableFile):
        decode_bytes(b"\x00\x00")
    assert decode_bytes("أ\r\nب".encode("utf-16"))[0] == "أ\nب"
    assert rfc2822_date("Sun, 15 Jul 2018 21:56:56 +0400") == "2018-07-15"
    assert rfc2822_date("not a date") is None
    assert rfc2822_date("2018-09-30T12:00:00Z") == "2018-09-30"
    assert rfc2822_date("20180930") == "2018-09-30"
    assert rfc2822_date("30/09/2018") == "2018-09-30"
    assert rfc2822_date("31/02/2018") is None


def test_unreadable_file_simulated(tmp_path, monkeypatch):
    # as root chmod does not bite: make the read itself fail the way a locked file does
    from idlibnb import corpus

    p = tmp_path / "locked.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    real = corpus._read_bytes

    def read_bytes(path):
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(corpus, "_read_bytes", read_bytes)
    arts, man = read(tmp_path)
    assert [a.doc_id for a in arts] == ["ok"]
    assert man["locked.txt"].reason == "unreadable: Permission denied"


def test_iso_published():
    assert iso_published("2020-03-05") == "2020-03-05"
    assert iso_published("2020-03") == "2020-03" and iso_published("2020") == "2020"
    assert iso_published("Mon, 23 Mar 2020 10:00:00 +0300") == "2020-03-23"
    for bad in ("0", "2020-13", "2020-13-45", "yesterday", ""):
        assert iso_published(bad) is None


_LAZY_TAG = re.compile(r"<(DOCNO|TITLE|TEXT)>(.*?)</\1>", re.S | re.I)


@given(st.lists(st.sampled_from(["<TITLE>", "</TITLE>", "<title>", "</Title>", "<TEXT>", "</TEXT>",
                                 "<text>", "</DOCNO>", "<DOCNO>", "نص", "a", "\n", "<", ">", "/"]),
                max_size=30))
def test_elements_equal_the_lazy_regex(parts):
    from idlibnb.corpus import _elements

    marks = re.compile(r"<(/?)(DOCNO|TITLE|TEXT)>", re.I)
    text = "".join(parts)
    assert _elements(text, marks) == _LAZY_TAG.findall(text)


def test_read_bytes_reads_the_whole_file(tmp_path):
    from idlibnb.corpus import _read_bytes

    for size in (0, 1, 4095, 4096, 70_000):
        p = tmp_path / f"f{size}"
        p.write_bytes(os.urandom(size))
        assert _read_bytes(p) == p.read_bytes()
    with pytest.raises(IsADirectoryError):
        _read_bytes(tmp_path)
    with pytest.raises(FileNotFoundError):
        _read_bytes(tmp_path / "missing")


def test_decode_utf8_nul_and_carriage_returns():
    # NUL and CR looked for in the bytes of a UTF-8 file: dropped and folded as in the text
    assert decode_bytes("أ\x00ب\r\nج\rد\n".encode())[0] == "أب\nج\nد\n"
    assert decode_bytes("أب\nج".encode()) == ("أب\nج", "utf-8")
    assert decode_bytes(b"\n\x00 abcdefgh") == ("\n abcdefgh", "utf-8")
    with pytest.raises(UnreadableFile):
        decode_bytes(b"")
    with pytest.raises(UnreadableFile):
        decode_bytes(b" \t\r\n\x00")
