"""Hostile text is inert in every rendered report page, ``idlibnb report`` writes nothing outside
``--out``, a parameter value cannot inject code, and the report needs no network (run in a network
namespace with loopback only, where the machine allows). One report run (it executes every notebook)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
# live = a real tag: "&lt;img … onerror=…&gt;" (escaped) is text and inert
LIVE = [re.compile(r"<script[^<>]*>\s*alert\(1\)", re.I), re.compile(r"<[a-z][^<>]*\sonerror\s*=", re.I)]


def loopback_only() -> list[str]:
    """A command prefix running in a new network namespace with nothing but loopback (root, Linux,
    ``unshare`` and ``ip``), or [] where that is not possible."""
    if os.name != "posix" or os.geteuid() != 0 or not (shutil.which("unshare") and shutil.which("ip")):
        return []
    probe = subprocess.run(["unshare", "-n", "sh", "-c", "ip link set lo up"], capture_output=True)
    if probe.returncode:
        return []
    return ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    pytest.importorskip("idlibnb.report")
    root = tmp_path_factory.mktemp("hostile")
    corpus, out, cwd, home = root / "corpus", root / "out", root / "cwd", root / "home"
    for d in (corpus, cwd, home):
        d.mkdir()
    (corpus / "h1.txt").write_text(
        f"{SCRIPT} قصف على إدلب\nقتل 5 مدنيين في قصف على إدلب يوم الاثنين 23 آذار 2020 {IMG}. "
        f"وقال وزير الدفاع الروسي سيرغي شويغو إن «{SCRIPT}» الهدنة صامدة.\n", encoding="utf-8")
    (corpus / "h2.txt").write_text(
        f"زيارة إلى دمشق {IMG}\nزار وزير الدفاع الروسي سيرغي شويغو دمشق والتقى بشار الأسد {SCRIPT}، "
        "وبحث معه الوضع في إدلب وقوات النظام.\n", encoding="utf-8")
    (corpus / "metadata.csv").write_text(
        f"doc_id,outlet,title\nh1,{IMG},\nh2,BBC,{SCRIPT} عنوان\n", encoding="utf-8")
    pwned = root / "pwned"
    payload = f'"); import os; os.system("touch {pwned}"); ("'
    env = {k: v for k, v in os.environ.items()
           if k not in ("MPLCONFIGDIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "JUPYTER_DATA_DIR")}
    env.update(HOME=str(home))
    netns = loopback_only()  # the same single run also shows report needs no network
    proc = subprocess.run(
        netns + [sys.executable, "-m", "idlibnb.cli", "report", str(corpus), "--out", str(out),
         "-p", "note", payload, "-p", "label_language", "ar"],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=1200)
    return proc, out, cwd, home, pwned, bool(netns)


def test_report_runs(report):
    proc, out, *_ = report
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]


def test_report_runs_with_loopback_only(report):
    proc, *_, netns = report
    if not netns:
        pytest.skip("no network namespace here (needs root, unshare and ip): ran with the network")
    assert proc.returncode == 0


def test_hostile_text_is_inert_in_every_page(report):
    _, out, *_ = report
    pages = list(out.rglob("*.html"))
    assert pages and (out / "index.html") in pages
    shown = False
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for pattern in LIVE:
            m = pattern.search(html)
            assert m is None, f"{page.name}: live {m.group(0)!r} at {m.start()}: {html[max(0, m.start() - 200):m.end() + 100]!r}"
        shown |= "alert(1)" in html
    assert shown, "the hostile strings never reached a page: the test would prove nothing"


def test_parameter_value_cannot_inject_code(report):
    pwned = report[4]
    assert not pwned.exists()


def test_nothing_written_outside_out(report):
    _, out, cwd, home, *_ = report
    assert list(cwd.iterdir()) == [], list(cwd.iterdir())
    assert list(home.rglob("*")) == [], list(home.rglob("*"))[:10]
