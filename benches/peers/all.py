#!/usr/bin/env python3
"""Every side-by-side comparison with the peers, in one session, into one Markdown report.

Usage (from the repository root):
    python3 benches/peers/all.py [--quick] [--out target/peers-report.md]

Runs, one after the other (each creates or completes benches/peers/.venv with networkit, igraph,
leidenalg, rustworkx, networkx, duckdb and polars from requirements.txt, and builds what it
needs):

1. aggregate.py: records -> links against DuckDB and Polars (medium case);
2. centrality.py: PageRank, exact and sampled betweenness, KADABRA, closeness and top-10
   closeness, k-core, components against NetworKit, igraph and rustworkx, with the top-10
   agreement with exact results;
3. community.py: Leiden, Louvain and label propagation against NetworKit and igraph, with
   modularity, on the centrality graphs and on one of planted communities (with NMI);
4. memory.py: bytes per edge and peak memory of the medium case's graph in nexo, NetworKit
   and igraph.

Each script alternates nexo and the peers within its own runs; the sections run in sequence so
that they never compete for the cores. `--quick`: one repetition, the small scenario and graph
only (minutes rather than the better part of an hour). The report is also printed as it grows.
"""
import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def sections(quick):
    """(title, script, arguments) of each comparison."""
    scenario = "small" if quick else "medium"
    repeat = "1" if quick else "3"
    sizes = "small" if quick else "small,large"
    return [
        ("Records -> links", "aggregate.py", ["--scenario", scenario, "--repeat", "1" if quick else "2"]),
        ("Centrality", "centrality.py", ["--sizes", sizes, "--repeat", repeat, "--timeout", "120"]),
        ("Communities", "community.py", ["--sizes", sizes if quick else "small,large,planted", "--repeat", repeat,
                                         "--timeout", "120"]),
        ("Memory of the graph", "memory.py", ["--scenario", scenario]),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one repetition, small inputs only")
    parser.add_argument("--out", default=str(ROOT / "target/peers-report.md"))
    args = parser.parse_args()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w") as report:
        report.write("# nexo side by side with its peers\n")
        for title, script, arguments in sections(args.quick):
            print(f"\n## {title} ({script})\n", flush=True)
            done = subprocess.run([sys.executable, str(HERE / script), *arguments], cwd=ROOT, text=True,
                                  capture_output=True)
            text = done.stdout if done.returncode == 0 else done.stdout + f"\nfailed:\n{done.stderr[-2000:]}"
            print(text, flush=True)
            report.write(f"\n## {title} (`benches/peers/{script} {' '.join(arguments)}`)\n\n{text}\n")
            report.flush()
            if done.returncode != 0:
                raise SystemExit(f"{script} failed; the report so far is in {out}")
    print(f"report: {out}")


if __name__ == "__main__":
    main()
