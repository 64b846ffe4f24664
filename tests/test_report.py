"""The report runner: every notebook run and rendered; a failing one reported, the others still
rendered; parameters passed as literals; nothing written outside --out."""
import nbformat as nbf

from idlibnb.report import notebook_paths, parse_parameter, render_reports


def _notebook(path, *cells):
    nb = nbf.v4.new_notebook()
    params = nbf.v4.new_code_cell('corpus = "data/raw"\nout_dir = "reports"\nlabel = "x"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params] + [nbf.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbf.write(nb, path)


def test_failing_notebook_is_reported_and_others_render(tmp_path, seeds_dir):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _notebook(nbs / "01-ok.ipynb", "import idlibnb\nt = idlibnb.load(corpus)\nprint(len(t.articles), label)")
    _notebook(nbs / "02-broken.ipynb", "raise ValueError('on purpose')")
    _notebook(nbs / "03-after.ipynb", "print('still runs')")
    (nbs / "scratch.ipynb").write_text("{}")  # not numbered: not part of the report
    out = tmp_path / "out"
    res = render_reports(seeds_dir, out, parameters={"label": "2020-03-01"}, notebooks=nbs, timeout=120)
    by_name = {nb.name: nb for nb in res.notebooks}
    assert list(by_name) == ["01-ok", "02-broken", "03-after"]
    assert by_name["01-ok"].ok and by_name["03-after"].ok and not res.ok
    assert "ValueError" in by_name["02-broken"].error_summary
    assert by_name["02-broken"].html.exists()  # the failing page is still rendered
    executed = nbf.read(out / "01-ok.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
    assert "5 2020-03-01" in text  # the date parameter stayed a string
    index = (out / "index.html").read_text()
    assert "02-broken" in index and "failed" in index and "5 articles" in index
    html = (out / "01-ok.html").read_text()
    assert '<script src="http' not in html  # self-contained
    assert {p.name for p in out.iterdir()} <= {"tables", "index.html", "01-ok.ipynb", "01-ok.html",
                                                "02-broken.ipynb", "02-broken.html",
                                                "03-after.ipynb", "03-after.html"}


def test_parse_parameter():
    assert parse_parameter("2020-03-01") == "2020-03-01"
    assert parse_parameter("12") == 12 and parse_parameter("null") is None
    assert parse_parameter("[sana, bbc]") == ["sana", "bbc"]
    assert parse_parameter('"); import os; os.system("x"); ("') == '"); import os; os.system("x"); ("'


def test_repository_notebooks_are_numbered():
    names = [p.name for p in notebook_paths()]
    assert names and names[0] == "01-corpus-overview.ipynb"


def test_sanitizer_keeps_tables_and_headings_escapes_scripts():
    from idlibnb.report import sanitize_html

    page = ('<h2>عنوان</h2><style scoped>.dataframe td {text-align: right;}</style>'
            '<table class="dataframe"><tr><td>نص<script>alert(1)</script></td>'
            '<td><img src=x onerror=alert(1)></td><td><a href="javascript:alert(1)">x</a></td></tr></table>')
    clean = sanitize_html(page)
    assert "<h2>عنوان</h2>" in clean and '<table class="dataframe">' in clean
    assert "<script>" not in clean and "&lt;script&gt;" in clean
    assert "onerror" not in clean and "javascript:" not in clean
