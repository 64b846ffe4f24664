"""The `idlibnb` command: extract tables, render the notebooks, evaluate the NER model."""
from __future__ import annotations

import argparse
import sys

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="idlibnb",
        description="Tables and notebooks from Arabic news about the war in north-west Syria.")
    p.add_argument("--version", action="store_true", help="print the version and exit")
    sub = p.add_subparsers(dest="command")

    ex = sub.add_parser("extract", help="extract every table from a corpus",
                        description="Read CORPUS (a folder or file: .txt articles, TREC XML, CSV, "
                                    "JSONL, Parquet) and write every table to --out.")
    ex.add_argument("corpus", help="corpus folder or file")
    ex.add_argument("--out", required=True, help="output folder for the tables")
    ex.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    ex.add_argument("--metadata", help="metadata.csv (doc_id, outlet, published, url, title) "
                                       "overriding what is parsed")
    ex.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    ex.add_argument("--engine", choices=("pool", "dask"), default="pool")
    ex.add_argument("--scheduler", help="Dask scheduler address (default: a local cluster)")
    ex.add_argument("--ner", choices=("model", "lexicon", "camel"), default="model",
                    help="entity recognition: the shipped CRF model (default), lexicons only, "
                         "or camel-tools' NER (needs its data installed)")
    ex.add_argument("--lexicon", action="append", default=[], metavar="TSV",
                    help="extra actor lexicon rows (repeatable)")
    ex.add_argument("--force", action="store_true", help="ignore the incremental-run cache")
    ex.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")

    rp = sub.add_parser("report", help="run every notebook and render them to HTML",
                        description="Run notebooks/NN-*.ipynb with papermill and render each to a "
                                    "self-contained HTML file, plus an index.html.")
    rp.add_argument("corpus", nargs="?", default="data/raw", help="corpus (default: data/raw)")
    rp.add_argument("--out", default="reports", help="output folder (default: reports)")
    rp.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                    metavar=("NAME", "VALUE"), help="a notebook parameter (repeatable); values are "
                                                   "read as YAML literals: 2020-03-01 stays a string")
    rp.add_argument("--notebooks", default=None, help="folder of notebooks (default: notebooks/)")
    rp.add_argument("--timeout", type=int, default=600, help="seconds per cell")

    ne = sub.add_parser("ner-eval", help="evaluate the shipped NER model on a CoNLL file")
    ne.add_argument("test_file", nargs="?", default=None,
                    help="token TAG per line (default: the ANERcorp test split in data/external)")
    return p


def _extract(args) -> int:
    from .engines import extract_to
    from .pipeline import Options

    options = Options(ner=args.ner, lexicon_files=tuple(args.lexicon), metadata=args.metadata)
    summary = extract_to(args.corpus, args.out, options, jobs=args.jobs, engine=args.engine,
                         scheduler=args.scheduler, fmt=args.format, force=args.force,
                         progress=not args.no_progress and sys.stderr.isatty())
    print(f"{summary.n_articles} articles from {summary.n_files} files "
          f"({summary.n_skipped} skipped) in {summary.seconds:.1f} s -> {args.out}")
    return 0 if summary.n_articles else 1


def _report(args) -> int:
    from .report import render_reports

    result = render_reports(args.corpus, args.out, parameters=dict(args.parameter),
                            notebooks=args.notebooks, timeout=args.timeout)
    for nb in result.notebooks:
        status = "ok" if nb.ok else f"FAILED ({nb.error_summary})"
        print(f"{nb.name}: {status}")
    print(f"index: {result.index}")
    return 0 if result.ok else 1


def _ner_eval(args) -> int:
    from .ner import eval_main

    return eval_main([args.test_file] if args.test_file else [])


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.version:
        from . import __version__

        print(__version__)
        return 0
    commands = {"extract": _extract, "report": _report, "ner-eval": _ner_eval}
    if args.command not in commands:
        build_parser().print_help()
        return 2
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
