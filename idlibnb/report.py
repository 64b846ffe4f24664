"""``idlibnb report``: extract the corpus once, run every numbered notebook with papermill, render each
to one self-contained HTML file, and write an index page.

- The corpus is extracted once into ``OUT/tables/``; every notebook gets ``corpus=OUT/tables`` (which
  :func:`idlibnb.load` reads instead of extracting again), ``out_dir=OUT`` and the user's parameters.
- Parameter values are read as YAML literals, but dates stay strings ("2020-03-01"); papermill
  writes them into the notebook as Python literals, so a value cannot inject code.
- HTML pages are self-contained (images embedded, no scripts from the web), Arabic text is laid
  out right-to-left by the browser (``unicode-bidi: plaintext``), cells tagged ``hide-input`` show
  only their output, and every output is sanitized (nbconvert's ``sanitize_html``) so article text
  holding ``<script>`` or ``onerror=`` stays inert.
- A notebook that fails is reported with its error cell and still listed; the others still render.
"""
from __future__ import annotations

import datetime as _dt
import html
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .paths import NOTEBOOKS, resolve

__all__ = ["NotebookResult", "ReportResult", "render_reports", "parse_parameter", "notebook_paths"]

_NOTEBOOK_NAME = re.compile(r"^\d{2}-[\w.-]+\.ipynb$")
_EXTERNAL_SCRIPT = re.compile(r"<script[^>]*\bsrc=[\"']https?://[^>]*>\s*</script>", re.I)
_RTL_CSS = """
<style>
/* Arabic (and any right-to-left) text: each paragraph and cell takes the direction of its text */
.jp-RenderedHTMLCommon p, .jp-RenderedHTMLCommon li, .jp-RenderedHTMLCommon td,
.jp-RenderedHTMLCommon th, .jp-RenderedText pre, .jp-RenderedMarkdown h1, .jp-RenderedMarkdown h2,
.jp-RenderedMarkdown h3 { unicode-bidi: plaintext; text-align: start; }
.idlibnb-index td, .idlibnb-index th { padding: 0.2em 0.8em; unicode-bidi: plaintext; }
</style>
"""


@dataclass
class NotebookResult:
    name: str
    ok: bool
    ipynb: Path | None
    html: Path | None
    error_summary: str | None = None
    error_cell: int | None = None
    heading: str | None = None  # the notebook's first '# ' heading, shown in the index


@dataclass
class ReportResult:
    out: Path
    index: Path
    notebooks: list[NotebookResult] = field(default_factory=list)
    summary: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(nb.ok for nb in self.notebooks)


def parse_parameter(value: str) -> Any:
    """A command-line parameter value: a YAML literal (numbers, true/false, null, lists), except
    that dates and anything else exotic stay as the string given."""
    import yaml

    try:
        parsed = yaml.safe_load(value)
    except yaml.YAMLError:
        return value
    if isinstance(parsed, (_dt.date, _dt.datetime)) or not isinstance(
            parsed, (str, int, float, bool, list, type(None))):
        return value
    if isinstance(parsed, list) and not all(isinstance(x, (str, int, float, bool)) for x in parsed):
        return value
    return parsed


def notebook_paths(folder: str | os.PathLike | None = None) -> list[Path]:
    """The numbered notebooks ``NN-*.ipynb`` of a folder, in order."""
    folder = Path(folder) if folder else NOTEBOOKS
    return sorted(p for p in folder.glob("*.ipynb") if _NOTEBOOK_NAME.match(p.name))


def render_reports(corpus: str | os.PathLike, out: str | os.PathLike, *,
                   parameters: dict[str, Any] | None = None,
                   notebooks: str | os.PathLike | None = None, timeout: int = 600,
                   extract_options=None) -> ReportResult:
    """Run and render every notebook; see the module docstring. Never raises for a failing notebook."""
    from .engines import extract_to
    from .pipeline import Options
    from .tables import Tables

    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    corpus_path = resolve(corpus)
    tables_dir = out / "tables"
    if corpus_path.is_dir() and (corpus_path / "articles.parquet").exists():
        tables_dir = corpus_path  # already a folder of tables
    else:
        extract_to(corpus_path, tables_dir, extract_options or Options())
    tables = Tables.read(tables_dir)
    summary = _corpus_summary(tables, corpus_path)

    params = {k: parse_parameter(v) if isinstance(v, str) else v for k, v in (parameters or {}).items()}
    params.update(corpus=str(tables_dir), out_dir=str(out))
    result = ReportResult(out=out, index=out / "index.html", summary=summary)
    runtime = out / ".runtime"
    runtime.mkdir(exist_ok=True)
    saved_env = {k: os.environ.get(k) for k in ("MPLCONFIGDIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR")}
    # kernels inherit these: their caches and connection files stay inside OUT
    os.environ.update(MPLCONFIGDIR=str(runtime / "mpl"), JUPYTER_RUNTIME_DIR=str(runtime / "jupyter"),
                      IPYTHONDIR=str(runtime / "ipython"))
    try:
        for nb_path in notebook_paths(notebooks):
            result.notebooks.append(_run_one(nb_path, out, params, timeout))
    finally:
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        shutil.rmtree(runtime, ignore_errors=True)
    result.index.write_text(_index_html(result), encoding="utf-8")
    return result


def _run_one(nb_path: Path, out: Path, params: dict, timeout: int) -> NotebookResult:
    import papermill as pm

    target = out / nb_path.name
    res = NotebookResult(name=nb_path.stem, ok=True, ipynb=target, html=None,
                         heading=_heading(nb_path))
    try:
        pm.execute_notebook(str(nb_path), str(target), parameters=params, kernel_name="python3",
                            cwd=str(out), progress_bar=False, log_output=False,
                            execution_timeout=timeout)
    except Exception as exc:  # papermill raises PapermillExecutionError, but also kernel errors
        res.ok = False
        ename, evalue = getattr(exc, "ename", type(exc).__name__), getattr(exc, "evalue", str(exc))
        res.error_summary = f"{ename}: {str(evalue).splitlines()[0][:200] if evalue else ''}"
        res.error_cell = getattr(exc, "exec_count", None)
    if target.exists():
        try:
            res.html = _to_html(target)
        except Exception as exc:  # a broken notebook file must not stop the other pages
            res.ok = False
            res.error_summary = (res.error_summary or "") + f" (HTML: {type(exc).__name__})"
    return res


_ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "div",
    "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol",
    "p", "pre", "s", "small", "span", "strong", "style", "sub", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul"})
_ALLOWED_ATTRS = {"*": ["class", "id", "title", "dir", "lang", "align", "colspan", "rowspan",
                        "scoped"],
                  "a": ["href", "title"], "img": ["src", "alt", "width", "height"]}
_ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "data"})
_SVG_ACTIVE = re.compile(r"<script|\son\w+\s*=|javascript:", re.I)
_SCRIPT_MIMES = ("application/javascript", "text/javascript", "application/vnd.jupyter.widget-view+json")


def sanitize_html(fragment: str) -> str:
    """An HTML fragment with everything outside the allow-list escaped (inert, but visible)."""
    import bleach

    return bleach.clean(fragment, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRS,
                        protocols=_ALLOWED_PROTOCOLS, strip=False, strip_comments=True)


def _sanitize_outputs(nb) -> None:
    """Make every rich output of an executed notebook inert before it becomes HTML."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data")
            if not data:
                continue
            for mime in _SCRIPT_MIMES:
                data.pop(mime, None)
            for mime in ("text/html", "text/markdown"):
                if mime in data:
                    value = data[mime]
                    data[mime] = sanitize_html("".join(value) if isinstance(value, list) else value)
            svg = data.get("image/svg+xml")
            if svg is not None:
                svg = "".join(svg) if isinstance(svg, list) else svg
                # bleach cannot clean SVG: keep it only when it carries no script at all
                if "image/png" in data or _SVG_ACTIVE.search(svg):
                    data.pop("image/svg+xml")


def _heading(nb_path: Path) -> str | None:
    import nbformat

    try:
        nb = nbformat.read(str(nb_path), as_version=4)
    except Exception:  # an unreadable notebook is reported by papermill, not here
        return None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return None


def _to_html(ipynb: Path) -> Path:
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    nb = nbformat.read(str(ipynb), as_version=4)
    _sanitize_outputs(nb)
    exporter = HTMLExporter(template_name="lab", embed_images=True)
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_input_tags={"hide-input"}, remove_cell_tags={"remove-cell"},
                              enabled=True), enabled=True)
    body, _ = exporter.from_notebook_node(nb)
    body = _EXTERNAL_SCRIPT.sub("", body)  # self-contained: no scripts from the web
    body = body.replace("</head>", _RTL_CSS + "</head>", 1)
    target = ipynb.with_suffix(".html")
    target.write_text(body, encoding="utf-8")
    return target


def _corpus_summary(tables, corpus_path: Path) -> dict:
    arts, man = tables.articles, tables.manifest
    dates = arts["published"].dropna()
    return {
        "corpus": str(corpus_path),
        "articles": int(len(arts)),
        "outlets": int(arts["outlet"].nunique()),
        "dated": int(len(dates)),
        "first": str(dates.min()) if len(dates) else None,
        "last": str(dates.max()) if len(dates) else None,
        "files": int(len(man)),
        "files_skipped": int((man["status"] == "skipped").sum()),
        "files_partial": int((man["status"] == "partial").sum()),
        "rows": tables.summary(),
    }


def _index_html(result: ReportResult) -> str:
    e = html.escape
    s = result.summary
    rows = []
    for nb in result.notebooks:
        link = f'<a href="{e(nb.html.name)}">{e(nb.name)}</a>' if nb.html else e(nb.name)
        status = "ok" if nb.ok else f"failed — {e(nb.error_summary or '')}" + (
            f" (cell {nb.error_cell})" if nb.error_cell else "")
        rows.append(f"<tr><td>{link}</td><td>{e(nb.heading or '')}</td><td>{status}</td></tr>")
    counts = "".join(f"<tr><td>{e(k)}</td><td>{v}</td></tr>" for k, v in s.get("rows", {}).items())
    span = f"{e(str(s.get('first')))} — {e(str(s.get('last')))}" if s.get("first") else "no dated articles"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>idlibnb report</title>{_RTL_CSS}
<style>body {{ font-family: sans-serif; margin: 2em; }} table {{ border-collapse: collapse; }}</style>
</head><body>
<h1>idlibnb report</h1>
<p>Corpus <code>{e(str(s.get('corpus')))}</code>: {s.get('articles', 0)} articles from
{s.get('files', 0)} files ({s.get('files_skipped', 0)} skipped, {s.get('files_partial', 0)} partial),
{s.get('outlets', 0)} outlets, {s.get('dated', 0)} dated ({span}).</p>
<h2>Notebooks</h2>
<table class="idlibnb-index"><tr><th>notebook</th><th>what it shows</th><th>status</th></tr>{''.join(rows)}</table>
<h2>Tables</h2>
<p>Written to <code>tables/</code> (Parquet): rows per table.</p>
<table class="idlibnb-index"><tr><th>table</th><th>rows</th></tr>{counts}</table>
</body></html>
"""
