"""Speed and memory of ``idlibnb extract`` on a real corpus, against a camel-tools reference.

    .venv/bin/python benchmarks/run_benchmark.py CORPUS_DIR [--sizes 1000 10000 all]
        [--configs 1:lexicon 1:model 2:lexicon 2:model] [--json results.json] [--profile]

CORPUS_DIR holds one folder per outlet (e.g. the ANT corpus unpacked: Alarabia/, BBC/, CNN/,
France24/, SkyNews/, each with category folders of TREC XML ``.txt`` files). For each size a sample
is taken evenly across outlets (equal shares, spread evenly over each outlet's sorted files) and
linked into a temporary folder. Every measurement is a whole process started from the shell
(start-up and imports included): ``idlibnb extract SAMPLE --out TMP --jobs J --ner NER --force``,
and the reference, a small script applying camel-tools' normalize_alef_ar, normalize_alef_maksura_ar,
normalize_teh_marbuta_ar, dediac_ar and simple_word_tokenize to the same files on one core.
Peak memory is sampled every 0.1 s over the whole process tree: RSS summed over processes (which
counts the pages forked workers share with their parent once per process), the largest single
process's RSS, and PSS summed over processes (shared pages counted once: the tree's real
footprint). ``--profile N`` also writes a pyinstrument profile of ``--jobs 1`` on N articles to
``benchmark-profile-N.txt``.

Prints a Markdown table (docs/s, MB/s, peak RSS, ratio to the reference at the same size). The
ratio is by wall-clock time, as the issue asks; the table also gives each process tree's CPU time
(user + system, from the OS once the tree is reaped) and the ratio by CPU time, which other jobs on
the machine disturb far less.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

REFERENCE = r"""
import sys, time
t0 = time.perf_counter()
from pathlib import Path
from camel_tools.utils.normalize import (normalize_alef_ar, normalize_alef_maksura_ar,
                                         normalize_teh_marbuta_ar)
from camel_tools.utils.dediac import dediac_ar
from camel_tools.tokenizers.word import simple_word_tokenize

t0 = time.perf_counter()  # the work alone, imports excluded
n = tokens = 0
for p in sorted(Path(sys.argv[1]).rglob("*")):
    if not p.is_file():
        continue
    text = p.read_bytes().decode("utf-8", errors="replace")
    text = dediac_ar(normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(text))))
    tokens += len(simple_word_tokenize(text))
    n += 1
print(n, tokens, "in", round(time.perf_counter() - t0, 2), "s")
"""

PROFILE = r"""
import sys
from pyinstrument import Profiler

profiler = Profiler(interval=0.002)
profiler.start()
from idlibnb.cli import main

main(sys.argv[2:])
profiler.stop()
with open(sys.argv[1], "w") as f:
    f.write(profiler.output_text(unicode=True, color=False, show_all=False))
"""


def outlet_files(corpus: Path) -> dict[str, list[Path]]:
    out = {}
    for outlet in sorted(p for p in corpus.iterdir() if p.is_dir() and not p.name.startswith(".")):
        files = sorted(p for p in outlet.rglob("*") if p.is_file())
        if files:
            out[outlet.name] = files
    return out


def sample(files: dict[str, list[Path]], n: int | None) -> list[Path]:
    """``n`` files (all if None) in equal shares per outlet, spread evenly over each outlet."""
    total = sum(len(v) for v in files.values())
    if n is None or n >= total:
        return [p for v in files.values() for p in v]
    quotas = {k: 0 for k in files}
    left = n
    while left:  # equal shares; an outlet with too few files gives its share to the others
        open_ = [k for k in files if quotas[k] < len(files[k])]
        share = max(1, left // len(open_))
        for k in open_:
            take = min(share, len(files[k]) - quotas[k], left)
            quotas[k] += take
            left -= take
            if not left:
                break
    picked = []
    for k, q in quotas.items():
        v = files[k]
        picked += [v[int(i * len(v) / q)] for i in range(q)]
    return picked


def link_sample(paths: list[Path], corpus: Path, dest: Path) -> int:
    """Symlink ``paths`` under ``dest`` keeping their relative layout; returns their total bytes."""
    size = 0
    for p in paths:
        target = dest / p.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(p.resolve())
        size += p.stat().st_size
    return size


def measure(cmd: list[str], *, env=None) -> dict:
    """Run ``cmd``; wall seconds and peak memory of its process tree."""
    t0 = time.perf_counter()
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    peak_sum = peak_one = peak_pss = 0
    while proc.poll() is None:
        try:
            procs = [proc] + proc.children(recursive=True)
            rss, pss = [], []
            for p in procs:
                try:
                    rss.append(p.memory_info().rss)
                    # PSS: pages shared between the forked workers and their parent (the imported
                    # package) counted once, split between the processes sharing them
                    pss.append(getattr(p.memory_full_info(), "pss", 0))
                except psutil.Error:
                    pass
            peak_sum, peak_one = max(peak_sum, sum(rss)), max(peak_one, max(rss, default=0))
            peak_pss = max(peak_pss, sum(pss))
        except psutil.Error:
            pass
        time.sleep(0.1)
    out, err = proc.communicate()
    seconds = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # the whole tree, once reaped
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    if proc.returncode not in (0,):
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    last = out.strip().splitlines()[-1] if out.strip() else ""
    m = re.search(r" in ([\d.]+) s", last)
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": peak_sum / 1e6,
            "peak_pss_mb": peak_pss / 1e6, "peak_rss_one_mb": peak_one / 1e6,
            "stdout": last, "work_seconds": float(m.group(1)) if m else None}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--sizes", nargs="+", default=["1000", "10000", "all"])
    ap.add_argument("--configs", nargs="+", default=["1:lexicon", "1:model", "2:lexicon", "2:model"],
                    help="JOBS:NER pairs to run at every size")
    ap.add_argument("--serial-max", type=int, default=10000,
                    help="largest size run with --jobs 1 (the whole corpus serially takes long)")
    ap.add_argument("--reference-max", type=int, default=10 ** 9,
                    help="largest size the reference runs at; larger sizes compare with the last one")
    ap.add_argument("--rounds", type=int, default=1,
                    help="run the reference and every config this many times, alternating, and "
                         "print each config's median ratio (the machine's speed drifts between runs)")
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--profile", type=int, metavar="N",
                    help="also profile (pyinstrument) --jobs 1 on a sample of N articles")
    ap.add_argument("--profile-ner", default="model", choices=("model", "lexicon"))
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args(argv)

    files = outlet_files(args.corpus)
    n_all = sum(len(v) for v in files.values())
    sizes = [None if s == "all" else int(s) for s in args.sizes]
    tmp = Path(tempfile.mkdtemp(prefix="idlibnb-bench-"))
    idlibnb = [PYTHON, "-m", "idlibnb.cli"]
    env = dict(os.environ, PYTHONHASHSEED="0")
    results = []
    samples: dict[int, Path] = {}
    ref_rate = ref_cpu_rate = ref_size = None
    print(f"corpus {args.corpus}: {n_all} files in {len(files)} outlets; {os.cpu_count()} cores; "
          f"load {os.getloadavg()[0]:.2f}", file=sys.stderr)
    try:
        for n in sizes:
            label = str(n) if n else f"all ({n_all})"
            picked = sample(files, n)
            dest = tmp / f"sample-{len(picked)}"
            size = link_sample(picked, args.corpus, dest)
            samples[len(picked)] = dest
            for rnd in range(1, args.rounds + 1):
                ref_rate, ref_cpu_rate, ref_size = run_size(args, picked, label, dest, size, rnd,
                                                            results, idlibnb, env, tmp, ref_rate,
                                                            ref_cpu_rate, ref_size)
        if args.profile:
            dest = samples.get(args.profile) or tmp / "sample-profile"
            if not dest.exists():
                link_sample(sample(files, args.profile), args.corpus, dest)
            report = Path.cwd() / f"benchmark-profile-{args.profile}.txt"
            subprocess.run([PYTHON, "-c", PROFILE, str(report), "extract", str(dest),
                            "--out", str(tmp / "out-profile"), "--jobs", "1", "--ner", args.profile_ner,
                            "--force", "--no-progress"], check=True, env=env, capture_output=True)
            print(f"profile: {report}", file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    print(table(results))
    if args.rounds > 1:
        print(medians(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    return 0


def run_size(args, picked, label, dest, size, rnd, results, idlibnb, env, tmp, ref_rate,
             ref_cpu_rate, ref_size):
    """One round at one size: the reference (unless above --reference-max), then every config;
    appends the rows to ``results`` and returns the reference rates the ratios use."""
    if len(picked) <= args.reference_max or ref_rate is None:
        load = os.getloadavg()[0]
        ref = measure([PYTHON, "-c", REFERENCE, str(dest)], env=env)
        ref_rate = len(picked) / ref["seconds"]
        ref_cpu_rate = len(picked) / ref["cpu_seconds"]
        ref_size = len(picked)
        results.append({"size": len(picked), "label": label, "run": "camel-tools reference",
                        "jobs": 1, "ner": "-", "mb": size / 1e6, **ref,
                        "docs_s": ref_rate, "ratio": 1.0, "cpu_ratio": 1.0, "load": load, "round": rnd})
        print(f"  {label}: reference {ref_rate:.0f} docs/s", file=sys.stderr)
    for cfg in args.configs:
        jobs, ner = cfg.split(":")
        if jobs == "1" and len(picked) > args.serial_max:
            continue
        out = tmp / f"out-{len(picked)}-{jobs}-{ner}"
        load = os.getloadavg()[0]
        r = measure(idlibnb + ["extract", str(dest), "--out", str(out), "--jobs", jobs,
                               "--ner", ner, "--force", "--no-progress"], env=env)
        shutil.rmtree(out, ignore_errors=True)
        rate = len(picked) / r["seconds"]
        results.append({"size": len(picked), "label": label, "run": "idlibnb extract",
                        "ref_size": ref_size,
                        "jobs": int(jobs), "ner": ner, "mb": size / 1e6, **r,
                        "docs_s": rate, "ratio": rate / ref_rate,
                        "cpu_ratio": (len(picked) / r["cpu_seconds"]) / ref_cpu_rate
                        if r["cpu_seconds"] else float("nan"), "load": load, "round": rnd})
        print(f"  {label}: jobs {jobs} ner {ner}: {rate:.0f} docs/s, {r['seconds']:.1f} s, "
              f"peak {r['peak_rss_mb']:.0f} MB ({r['stdout']})", file=sys.stderr)
    return ref_rate, ref_cpu_rate, ref_size


def medians(results: list[dict]) -> str:
    """Each config's median ratio to the reference of its round, and the range, over the rounds."""
    groups: dict[tuple, list[dict]] = {}
    for r in results:
        if r["run"] != "camel-tools reference":
            groups.setdefault((r["size"], r["jobs"], r["ner"]), []).append(r)
    lines = ["", "| articles | jobs | NER | rounds | median × reference (range) | median by CPU time (range) |",
             "|---:|---:|---|---:|---|---|"]
    for (size, jobs, ner), rs in groups.items():
        wall = sorted(r["ratio"] for r in rs)
        cpu = sorted(r["cpu_ratio"] for r in rs)
        lines.append(f"| {size:,} | {jobs} | {ner} | {len(rs)} | {statistics.median(wall):.2f} "
                     f"({wall[0]:.2f}–{wall[-1]:.2f}) | {statistics.median(cpu):.2f} "
                     f"({cpu[0]:.2f}–{cpu[-1]:.2f}) |")
    return "\n".join(lines)


def table(results: list[dict]) -> str:
    lines = ["| articles | run | jobs | NER | seconds | docs/s | MB/s | peak RSS (tree / largest) | "
             "peak PSS (tree) | × reference | CPU s | × reference by CPU time | docs/s without start-up | load |",
             "|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['size']:,} | {r['run']} | {r['jobs']} | {r['ner']} | {r['seconds']:.1f} | "
                     f"{r['docs_s']:.0f} | {r['mb'] / r['seconds']:.2f} | "
                     f"{r['peak_rss_mb']:.0f} / {r['peak_rss_one_mb']:.0f} MB | {r['peak_pss_mb']:.0f} MB | "
                     f"{r['ratio']:.2f}"
                     f"{'' if r.get('ref_size', r['size']) == r['size'] else ' (vs ' + format(r['ref_size'], ',') + ')'} | "
                     f"{r['cpu_seconds']:.1f} | {r['cpu_ratio']:.2f} | "
                     f"{r['size'] / r['work_seconds'] if r.get('work_seconds') else float('nan'):.0f} | "
                     f"{r['load']:.1f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
