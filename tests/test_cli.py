"""`idlibnb extract` end to end, on the seeds and on a corpus with bad files."""
import subprocess
import sys

import pandas as pd

from idlibnb.cli import main
from idlibnb.tables import SCHEMAS, Tables


def test_extract_seeds_writes_every_table(tmp_path, seeds_dir, capsys):
    out = tmp_path / "out"
    assert main(["extract", str(seeds_dir), "--out", str(out), "--ner", "lexicon", "--no-progress",
                 "--jobs", "1"]) == 0
    assert "5 articles from 5 files (0 skipped)" in capsys.readouterr().out
    for name in SCHEMAS:
        assert (out / f"{name}.parquet").exists(), name
    t = Tables.read(out)
    assert len(t.manifest) == 5 and len(t.articles) == 5
    arts = t.articles.set_index("doc_id")
    assert arts.loc["001_14fdf8bce4db8ce1", "published"] == "2020-03-23"
    # every span slices its text exactly
    for name in ("entities", "timexes", "figures", "framing"):
        df = getattr(t, name)
        for r in df.itertuples():
            field = arts.loc[r.doc_id, "title" if r.field == "title" else "text"]
            assert field[r.start:r.end] == r.surface, (name, r)


def test_extract_csv_format(tmp_path, seeds_dir):
    out = tmp_path / "csv"
    assert main(["extract", str(seeds_dir), "--out", str(out), "--format", "csv", "--ner", "lexicon",
                 "--no-progress", "--jobs", "1"]) == 0
    assert pd.read_csv(out / "articles.csv")["doc_id"].tolist()[0] == "000_16f97de3f6bee19d"


def test_extract_exit_status(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["extract", str(tmp_path), "--out", str(tmp_path / "o"), "--no-progress",
                 "--jobs", "1"]) == 1
    t = Tables.read(tmp_path / "o")
    assert t.manifest.loc[0, "reason"] == "empty file"


def test_console_script_help():
    r = subprocess.run([sys.executable, "-m", "idlibnb.cli", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "extract" in r.stdout and "report" in r.stdout
