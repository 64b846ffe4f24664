"""Doc.with_published keeps the normalized views and word tokens already computed."""
from idlibnb.doc import Doc
from idlibnb.normalize import NormText, word_tokens


def _doc():
    return Doc(doc_id="d1", source_file="f.txt", title="قالَ أحمد: الهدنة صامدة",
               text="أعلنت الأمم المتحدة، يوم الإثنين، أن 12 مدنياً قُتلوا.\nوقال المرصد إن…")


def test_with_published_carries_the_text_caches():
    doc = _doc()
    views = doc.norm_text, doc.norm_title, doc.words("text"), doc.words("title")
    new = doc.with_published("2020-03-14", "inferred", "evidence")
    assert (new.published, new.published_basis, new.published_evidence) == ("2020-03-14", "inferred", "evidence")
    assert doc.published is None and doc.published_basis is None
    # the very same objects: nothing is normalized or tokenized again
    assert (new.norm_text, new.norm_title, new.words("text"), new.words("title")) == views
    assert all(a is b for a, b in zip((new.norm_text, new.norm_title, new.words("text"), new.words("title")), views))


def test_with_published_without_caches_computes_the_same_views():
    doc = _doc()
    doc.words("text")  # only some caches present: the others are computed on the copy as usual
    new = doc.with_published("2020-03-14", "inferred")
    assert "norm_title" not in new.__dict__
    assert new.norm_title.norm == NormText(doc.title).norm
    assert new.words("title") == word_tokens(NormText(doc.title).norm)
    assert new.words("text") is doc.words("text")
    assert new == doc.with_published("2020-03-14", "inferred")
