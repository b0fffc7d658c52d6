#!/usr/bin/env python3
"""End-to-end benchmark: generate the synthetic scenarios, run `nexo analyze` on each at 1 and 2
threads, and report the time per stage (from the manifest), records per second and peak memory.

Usage (from the repository root):
    python3 benches/e2e.py [--scenarios small,medium] [--threads 1,2] [--cache DIR] [--args "..."]

It builds the release binary (`cargo build --release`), generates each scenario once with seed 1
into --cache (default `target/e2e`; `nexo generate` is deterministic, so a cached case is the same
case), then runs `nexo analyze CASE --out OUT --threads T --quiet [--args]` under
`/usr/bin/time -v` for its peak resident memory. `large` (10 million people) needs tens of GB of
disk and memory and a long time on two cores: ask for it explicitly. Prints a Markdown table, one
row per scenario and thread count; the stage columns are the manifest's `stages`.

Standard library only: runs with the system Python.
"""
import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ["read_and_aggregate", "fingerprint_inputs", "resolve_entities", "measures", "communities", "write"]


def build():
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    return ROOT / "target/release/nexo"


def generate(binary, scenario, cache):
    case = cache / scenario
    if (case / "scenario.json").exists():
        return case, None
    if case.exists():
        shutil.rmtree(case)
    started = time.perf_counter()
    subprocess.run([str(binary), "generate", "--scenario", scenario, "--seed", "1", "--out", str(case), "--quiet"],
                   check=True)
    return case, time.perf_counter() - started


def peak_rss_bytes(stderr):
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    return int(found.group(1)) * 1024 if found else None


def analyze(binary, case, out, threads, extra):
    if out.exists():
        shutil.rmtree(out)
    cmd = ["/usr/bin/time", "-v", str(binary), "analyze", str(case), "--out", str(out), "--threads", str(threads),
           "--quiet", *extra]
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"nexo analyze failed ({done.returncode}): {done.stderr[-2000:]}")
    manifest = json.loads((out / "manifest.json").read_text())
    return wall, peak_rss_bytes(done.stderr), manifest


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", default="small,medium")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--cache", default=str(ROOT / "target/e2e"))
    parser.add_argument("--args", default="", help="more options for nexo analyze, e.g. \"--measures none\"")
    args = parser.parse_args()
    if not Path("/usr/bin/time").exists():
        raise SystemExit("/usr/bin/time is needed for peak memory (Debian package `time`)")
    binary = build()
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    extra = args.args.split()
    print(f"nexo analyze {' '.join(extra)} (seconds; records/s over the whole run)\n")
    print("| scenario | threads | records | nodes | links | " + " | ".join(STAGES)
          + " | total s | records/s | peak RSS GB |")
    print("|---|---|---|---|---|" + "---|" * len(STAGES) + "---|---|---|")
    for scenario in args.scenarios.split(","):
        case, generated = generate(binary, scenario, cache)
        if generated is not None:
            print(f"<!-- generated {scenario} in {generated:.1f} s -->", file=sys.stderr)
        for threads in map(int, args.threads.split(",")):
            wall, rss, manifest = analyze(binary, case, cache / f"out-{scenario}-{threads}", threads, extra)
            seconds = {s["stage"]: s["seconds"] for s in manifest["stages"]}
            records = manifest["records"]["accepted"] + manifest["records"]["rejected"]
            stages = " | ".join(f"{seconds.get(s, 0.0):.2f}" for s in STAGES)
            memory = "n/a" if rss is None else f"{rss / 1e9:.2f}"
            print(f"| {scenario} | {threads} | {records:,} | {manifest['network']['nodes']:,} | "
                  f"{manifest['network']['links']:,} | {stages} | {wall:.2f} | {records / wall:,.0f} | {memory} |",
                  flush=True)


if __name__ == "__main__":
    main()
