#!/usr/bin/env python3
"""Records -> links aggregation: nexo against DuckDB and Polars on the same call records.

Usage (from the repository root):
    python3 benches/peers/aggregate.py [--scenario medium] [--threads 1,2] [--repeat 3]

Generates the scenario once (`nexo generate --seed 1`, cached in target/e2e like benches/e2e.py)
and aggregates its call records (the Parquet part files of `calls/`, or `calls.parquet` for the
small scenario) into one row per (source,
target, kind) with the number of records, total duration and first and last time:

- nexo: `nexo analyze --calls CASE/calls --measures none --communities none`, timed by the
  manifest's `read_and_aggregate` stage (reading, decoding, canonicalising identifiers and
  aggregating; nexo also counts each identifier's countries and the records per day);
- DuckDB: `CREATE TABLE links AS SELECT source, target, kind, count(*), sum(duration_s),
  min(start), max(start) FROM read_parquet('CASE/calls/*.parquet') GROUP BY ALL`, `SET threads`;
- Polars: the same as a lazy `scan_parquet(...).group_by(...).agg(...).collect()`,
  `POLARS_MAX_THREADS`.

Peers group the identifiers as written; nexo compares them in canonical form (the generated
phone numbers are already canonical, so the groups agree: the script checks the row counts).
Each run is its own process (thread settings apply), under `/usr/bin/time -v` for its peak
memory; tools alternate within each repetition; best of --repeat. Prints a Markdown table.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import centrality as common  # noqa: E402
import e2e  # noqa: E402

ROOT = common.ROOT

DUCKDB = """
import duckdb, sys, time
con = duckdb.connect()
con.execute(f"SET threads = {sys.argv[2]}")
con.execute("SET enable_progress_bar = false")
started = time.perf_counter()
con.execute(f\"\"\"CREATE TABLE links AS SELECT source, target, kind, count(*) AS records,
    sum(duration_s) AS duration_s, min(start) AS first_seen, max(start) AS last_seen
    FROM read_parquet('{sys.argv[1]}') GROUP BY ALL\"\"\")
seconds = time.perf_counter() - started
print(seconds, con.execute("SELECT count(*) FROM links").fetchone()[0])
"""

POLARS = """
import sys, time
import polars as pl
started = time.perf_counter()
links = (pl.scan_parquet(sys.argv[1])
         .group_by(["source", "target", "kind"])
         .agg(pl.len().alias("records"), pl.col("duration_s").sum(), pl.col("start").min().alias("first_seen"),
              pl.col("start").max().alias("last_seen"))
         .collect())
print(time.perf_counter() - started, links.height)
"""


def timed(cmd, env):
    done = subprocess.run(["/usr/bin/time", "-v", *cmd], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed: {done.stderr[-2000:]}")
    return done.stdout, e2e.peak_rss_bytes(done.stderr)


def run_nexo(binary, calls, threads, scratch):
    out = Path(scratch) / "out"
    if out.exists():
        shutil.rmtree(out)
    cmd = [str(binary), "analyze", "--calls", str(calls), "--out", str(out), "--threads", str(threads), "--quiet",
           "--measures", "none", "--communities", "none"]
    _, rss = timed(cmd, dict(os.environ))
    manifest = json.loads((out / "manifest.json").read_text())
    seconds = {s["stage"]: s["seconds"] for s in manifest["stages"]}["read_and_aggregate"]
    return seconds, manifest["network"]["links"], rss, manifest["records"]["accepted"]


def run_peer(script, calls, threads):
    env = dict(os.environ, POLARS_MAX_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
    files = f"{calls}/*.parquet" if calls.is_dir() else str(calls)
    stdout, rss = timed([sys.executable, "-c", script, files, str(threads)], env)
    seconds, rows = stdout.strip().splitlines()[-1].split()
    return float(seconds), int(rows), rss


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="medium")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cache", default=str(ROOT / "target/e2e"))
    args = parser.parse_args()
    common.ensure_venv()
    binary = e2e.build()
    case, _ = e2e.generate(binary, args.scenario, Path(args.cache))
    # Larger scenarios write their calls in part files, small ones in one file.
    calls = case / "calls" if (case / "calls").is_dir() else case / "calls.parquet"
    print(f"| records | threads | nexo s | DuckDB s | Polars s | nexo / fastest peer | peak RSS GB nexo / DuckDB / Polars |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch:
        for threads in map(int, args.threads.split(",")):
            best = {"nexo": None, "duckdb": None, "polars": None}
            memory = {}
            for _ in range(args.repeat):
                seconds, links, rss, records = run_nexo(binary, calls, threads, scratch)
                for tool, result in (("nexo", (seconds, links, rss)),
                                     ("duckdb", run_peer(DUCKDB, calls, threads)),
                                     ("polars", run_peer(POLARS, calls, threads))):
                    seconds, rows, rss = result
                    if rows != links:
                        raise SystemExit(f"{tool} found {rows} links, nexo {links}")
                    best[tool] = seconds if best[tool] is None else min(best[tool], seconds)
                    memory[tool] = rss
            ratio = best["nexo"] / min(best["duckdb"], best["polars"])
            rss = " / ".join("n/a" if memory[t] is None else f"{memory[t] / 1e9:.2f}" for t in best)
            print(f"| {records:,} | {threads} | {best['nexo']:.2f} | {best['duckdb']:.2f} | {best['polars']:.2f} | "
                  f"{ratio:.2f} | {rss} |", flush=True)


if __name__ == "__main__":
    main()
