"""Offline by construction: importing idlibnb and extracting open no socket, and camel-tools'
data-dependent modules (which reach for the network or their data at import) are not imported
unless ``--ner camel`` asks for them. Run in a fresh interpreter so sys.modules is clean."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent("""
    import socket, sys

    def refuse(*args, **kwargs):
        raise OSError("network access attempted: " + repr(args)[:200])

    class Refused(socket.socket):  # a subclass, so modules that subclass socket (ssl) still import
        def __init__(self, *args, **kwargs):
            refuse(*args)

    socket.socket = Refused
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    socket.socketpair = refuse

    from pathlib import Path
    corpus = Path(sys.argv[1])
    import idlibnb
    from idlibnb.engines import extract_to
    from idlibnb.pipeline import Options, run

    for ner in ("model", "lexicon"):
        tables = run(corpus, Options(ner=ner))
        assert len(tables.articles) == 2, tables.articles
        summary = extract_to(corpus, Path(sys.argv[2]) / ner, Options(ner=ner), jobs=1)
        assert summary.n_articles == 2
    data_modules = sorted(m for m in sys.modules
                          if m.split(".")[:2] in (["camel_tools", "ner"], ["camel_tools", "morphology"],
                                                  ["camel_tools", "disambig"], ["camel_tools", "tagger"],
                                                  ["camel_tools", "data"], ["camel_tools", "dialectid"],
                                                  ["camel_tools", "sentiment"]))
    assert not data_modules, data_modules
    print("offline ok")
""")


def test_extract_opens_no_socket_and_loads_no_camel_data(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("قصف على إدلب\nقتل 3 مدنيين في قصف على إدلب يوم الاثنين.", encoding="utf-8")
    (corpus / "b.txt").write_text("زيارة إلى دمشق\nزار وزير الدفاع الروسي دمشق.", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(corpus), str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).resolve().parent.parent)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "offline ok" in proc.stdout
