#!/usr/bin/env python3
"""Memory of the same graph in nexo, NetworKit and igraph, and bytes per edge.

Usage (from the repository root):
    python3 benches/peers/memory.py [--scenario medium]

Takes the undirected graph of a synthetic case's link network: runs `nexo analyze CASE
--measures none --communities none` (cached in target/e2e), numbers the nodes by their row in
`nodes.parquet` and writes each linked pair once as an edge list. Then, each in its own process:

- nexo: `benches/centrality.rs --graph FILE --kernel memory`, the heap bytes of its CSR graph
  (offsets, neighbours and weights), counted exactly;
- NetworKit: `EdgeListReader(' ', 0)` reads the file; igraph: `Graph.Read_Edgelist`; for each,
  the growth of the process's resident memory (`/proc/self/statm`) over reading the file,
  measured after the reader's buffers are gone (an upper bound of what the graph holds).

Each process also runs under `/usr/bin/time -f %M`: its peak resident memory, reading the file
included (for NetworKit and igraph, the Python interpreter and the library too). Prints a
Markdown table with bytes, bytes per edge and peak RSS. The peak resident memory of a whole
`nexo analyze` run on the same case is in the end-to-end table (`benches/e2e.py`).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import centrality as common  # noqa: E402
import e2e  # noqa: E402

ROOT = common.ROOT

WORKER = """
import gc, os, sys
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
tool, path = sys.argv[1], sys.argv[2]
if tool == "networkit":
    import networkit as nk
    nk.setNumberOfThreads(1)
    gc.collect(); before = rss()
    g = nk.graphio.EdgeListReader(" ", 0, "#", True, False).read(path)
    edges = g.numberOfEdges()
else:
    import igraph as ig
    gc.collect(); before = rss()
    g = ig.Graph.Read_Edgelist(path, directed=False)
    edges = g.ecount()
gc.collect()
print(rss() - before, edges)
"""


def edge_list(binary, case, scratch):
    """The case's undirected simple graph, as `u v` lines; its node and edge counts."""
    import duckdb
    out = scratch / f"{case.name}-network"
    if not (out / "edges.parquet").exists():
        subprocess.run([str(binary), "analyze", str(case), "--out", str(out), "--quiet", "--measures", "none",
                        "--communities", "none"], check=True)
    plain = scratch / f"{case.name}.edges"
    con = duckdb.connect()
    con.execute(f"""CREATE TABLE ids AS SELECT node, row_number() OVER () - 1 AS id
                    FROM '{out}/nodes.parquet'""")
    n = con.execute("SELECT count(*) FROM ids").fetchone()[0]
    con.execute(f"""CREATE TABLE pairs AS SELECT DISTINCT least(s.id, t.id) AS u, greatest(s.id, t.id) AS v
                    FROM '{out}/edges.parquet' e JOIN ids s ON e.source = s.node JOIN ids t ON e.target = t.node
                    ORDER BY u, v""")
    m = con.execute("SELECT count(*) FROM pairs").fetchone()[0]
    con.execute(f"COPY pairs TO '{plain}' (HEADER false, DELIMITER ' ')")
    with_header = scratch / f"{case.name}.txt"
    with open(with_header, "w") as f:
        f.write(f"# nodes {n} edges {m}\n")
        with open(plain) as pairs:
            shutil.copyfileobj(pairs, f)
    return plain, with_header, n, m


def peak_rss(cmd):
    """Standard output of `cmd`, one thread, and its peak resident memory in bytes."""
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], check=True, capture_output=True, text=True,
                          env=dict(os.environ, OMP_NUM_THREADS="1", RAYON_NUM_THREADS="1"))
    return done.stdout, int(done.stderr.strip().splitlines()[-1]) * 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="medium")
    parser.add_argument("--cache", default=str(ROOT / "target/e2e"))
    args = parser.parse_args()
    common.ensure_venv()
    binary = e2e.build()
    cache = Path(args.cache)
    case, _ = e2e.generate(binary, args.scenario, cache)
    plain, with_header, n, m = edge_list(binary, case, cache)
    bench = common.nexo_binary()
    out, peak = peak_rss([bench, "--graph", str(with_header), "--kernel", "memory"])
    nexo = json.loads(out.strip().splitlines()[-1])
    rows = [("nexo (CSR with weights)", nexo["bytes"], nexo["edges"], peak)]
    for tool in ("networkit", "igraph"):
        out, peak = peak_rss([sys.executable, "-c", WORKER, tool, str(plain)])
        grown, edges = map(int, out.split())
        rows.append((tool, grown, edges, peak))
    print(f"Graph of the {args.scenario} case: {n:,} nodes, {m:,} undirected edges\n")
    print("| tool | bytes | bytes per edge | process peak RSS |")
    print("|---|---|---|---|")
    for tool, bytes_, edges, peak in rows:
        if edges != m:
            raise SystemExit(f"{tool} read {edges} edges, not {m}")
        print(f"| {tool} | {bytes_ / 1e6:,.1f} MB | {bytes_ / m:.1f} | {peak / 1e6:,.0f} MB |")


if __name__ == "__main__":
    main()
