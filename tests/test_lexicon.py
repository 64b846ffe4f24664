import pytest

from idlibnb.lexicon import LexiconError, PhraseMatcher, read_tsv
from idlibnb.normalize import NormText


def test_matcher_clitics_and_longest():
    m = PhraseMatcher([("القوات التركية", "TUR"), ("القوات", "F"), ("روسيا", "RUS"), ("إم 4", "M4")])
    text = "وللقوات التركية ولروسيا، بالقوات وعلى الطريق \"أم 4\""
    found = [(text[x.start:x.end], x.payload) for x in m.find(NormText(text))]
    assert found == [("وللقوات التركية"[1:], "TUR"), ("روسيا", "RUS"), ("القوات", "F"), ("أم 4", "M4")]


def test_matcher_word_boundaries():
    m = PhraseMatcher([("حماة", "HAMA")])
    assert m.find(NormText("حماةالوطن")) == []
    assert [x.payload for x in m.find(NormText("في حماه"))] == ["HAMA"]  # teh marbuta folded


def test_matcher_spans_slice_original_with_diacritics():
    m = PhraseMatcher([("بشار الأسد", "A")])
    text = "التقى بشّار الأسدَ اليوم"
    (hit,) = m.find(NormText(text))
    assert text[hit.start:hit.end] == "بشّار الأسدَ"


def test_read_tsv_errors_name_file_and_line(tmp_path):
    p = tmp_path / "lex.tsv"
    p.write_text("id\ttype\tsource\nx\tPER\tnote\ny\tTHING\tnote\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"lex.tsv:3: unknown type 'THING'"):
        read_tsv(p, required=("id", "type", "source"), allowed={"type": {"PER", "ORG", "LOC"}})
    p.write_text("id\ttype\nx\tPER\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"lex.tsv:1: header lacks column\(s\) source"):
        read_tsv(p, required=("id", "type", "source"))
    p.write_text("id\ttype\tsource\nx\t\tnote\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"lex.tsv:2: column 'type' is empty"):
        read_tsv(p, required=("id", "type", "source"))


def test_read_tsv_comments_and_short_rows(tmp_path):
    p = tmp_path / "lex.tsv"
    p.write_text("# a comment\nid\tname\tsource\n\nx\tس\tnote\ny\tص\tnote\n", encoding="utf-8")
    rows = read_tsv(p, required=("id", "source"))
    assert [r["id"] for r in rows] == ["x", "y"] and rows[1]["_line"] == "5"


def test_matcher_readings_follow_changes():
    """Token readings are memoized: adding phrases or switching clitics off must still be seen."""
    m = PhraseMatcher([("روسيا", "RUS")])
    nt = NormText("وتركيا ولروسيا")
    assert [x.payload for x in m.find(nt)] == ["RUS"]
    m.add("تركيا", "TUR")
    assert [x.payload for x in m.find(nt)] == ["TUR", "RUS"]
    m.replace("تركيا", "TR")
    assert [x.payload for x in m.find(nt)] == ["TR", "RUS"]
    m.clitics = False
    assert m.find(nt) == []
    m.clitics = True
    assert [x.payload for x in m.find(nt)] == ["TR", "RUS"]


def test_trie_regex_matches_the_longest_word_and_any_whitespace():
    import re

    from idlibnb.lexicon import trie_regex

    rx = re.compile(trie_regex(["قال", "قالت", "في الساعة", "a.b"]))
    assert rx.match("قالت").group() == "قالت"
    assert rx.match("قال ").group() == "قال"
    assert rx.match("في \n الساعة").group() == "في \n الساعة"
    assert rx.match("a.b") and not rx.match("axb")
    assert trie_regex([]) == ""


def test_match_at_is_finds_first_match_when_it_starts_at_the_first_token():
    """match_at(tokens) is find's first match when that match starts at the first token, else None."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    words = ["القوات", "التركية", "قوات", "روسيا", "النظام", "السوري", "ب", "x2"]
    m = PhraseMatcher([("القوات التركية", "TUR"), ("القوات", "F"), ("روسيا", "RUS"),
                       ("النظام السوري", "GOV"), ("النظام السوري القوات", "LONG")])

    @settings(max_examples=400, deadline=None)
    @given(st.lists(st.sampled_from(words + ["و" + w for w in words] + ["لل" + w[2:] for w in words[:1]]
                                    + ["بال" + w[2:] for w in words[:2]]), max_size=8),
           st.booleans())
    def check(toks, clitics):
        m.clitics = clitics
        nt = NormText(" ، ".join(toks))
        tokens = nt.tokens()
        found = m.find(nt, tokens)
        at0 = found[0] if found and tokens and nt.norm_index(found[0].start) < tokens[0][2] else None
        assert m.match_at(nt, tokens) == at0

    check()
