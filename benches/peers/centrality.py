#!/usr/bin/env python3
"""nexo's centrality kernels side by side with NetworKit, igraph and rustworkx.

Usage (from the repository root):
    python3 benches/peers/centrality.py [--sizes small,large] [--threads 1,2] [--repeat 3] [--busy]

It creates benches/peers/.venv with requirements.txt (first run only), builds
nexo's benchmark binary (`cargo bench --bench centrality --no-run`), writes
the benchmark graphs as edge lists, then times every kernel for every tool on
the same file, alternating tools in one session, best of --repeat runs, graph
loading excluded. Each measurement runs in its own process so thread settings
(OpenMP, rayon) apply. --busy keeps one core busy with another process, to
check that nothing gets slower at 2 threads than at 1 under load.

Prints a Markdown table: seconds per tool and nexo / fastest peer. igraph is
single-threaded: its 1-thread time stands in the rows of more threads. Then,
quality beside speed: for the kernels that score nodes, how many of each
tool's top 10 are in the exact top 10 (exact betweenness and closeness on the
small graph, PageRank solved exactly by igraph's PRPACK on both).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / "benches/peers/.venv"

SIZES = {"small": (10_000, 50_000), "large": (200_000, 2_000_000)}
# kernel -> sizes it runs on (exact all-pairs kernels only on the small graph)
KERNELS = {
    "betweenness": ["small"],
    "closeness": ["small"],
    "closeness_top10": ["small", "large"],
    "betweenness_k100": ["small", "large"],
    "kadabra": ["small", "large"],
    "pagerank_50": ["small", "large"],
    "core": ["small", "large"],
    "components": ["small", "large"],
}
PEERS = ["networkit", "igraph", "rustworkx"]
# Kernels that score nodes, and the exact result their top 10 is compared with: exact betweenness
# and closeness (nexo's, which the reference tests check against networkx and igraph; computed on
# the small graph only), and PageRank solved exactly (igraph's PRPACK).
SCORES = {"betweenness": "betweenness", "betweenness_k100": "betweenness", "kadabra": "betweenness",
          "closeness": "closeness", "closeness_top10": "closeness", "pagerank_50": "pagerank"}


MODULES = "networkit, igraph, leidenalg, rustworkx, networkx, duckdb, polars"


def ensure_venv():
    """Re-runs this script in benches/peers/.venv, creating it or installing what it lacks."""
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    python = VENV / "bin/python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    if subprocess.run([str(python), "-c", f"import {MODULES}"], capture_output=True).returncode != 0:
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(ROOT / "benches/peers/requirements.txt")],
                       check=True)
    os.execv(str(python), [str(python), *sys.argv])


def nexo_binary():
    out = subprocess.run(["cargo", "bench", "--bench", "centrality", "--no-run", "--message-format=json"],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "centrality" and msg.get("executable"):
            return msg["executable"]
    raise SystemExit("no centrality benchmark executable")


# ---- peers, run in a worker process -------------------------------------------------------------

def read_edges(path):
    with open(path) as f:
        n = int(f.readline().split()[2])
        edges = [tuple(map(int, line.split())) for line in f]
    return n, edges


def sources(n, k=100):
    import random
    return random.Random(7).sample(range(n), k)


def run_networkit(path, kernel, threads):
    import networkit as nk
    nk.setNumberOfThreads(threads)
    n, edges = read_edges(path)
    g = nk.Graph(n)
    for u, v in edges:
        g.addEdge(u, v)
    c = nk.centrality
    algo = {
        "betweenness": lambda: c.Betweenness(g, normalized=True),
        "closeness": lambda: c.Closeness(g, True, c.ClosenessVariant.GENERALIZED),
        "closeness_top10": lambda: c.TopCloseness(g, 10, True, True),
        "betweenness_k100": lambda: c.EstimateBetweenness(g, 100, normalized=True, parallel=True),
        "kadabra": lambda: c.KadabraBetweenness(g, 0.01, 0.1),
        "core": lambda: c.CoreDecomposition(g),
        "components": lambda: nk.components.ConnectedComponents(g),
    }
    if kernel == "pagerank_50":
        pr = c.PageRank(g, damp=0.85, tol=1e-300)
        pr.maxIterations = 50
        algo["pagerank_50"] = lambda: pr
    a = algo[kernel]()
    start = time.perf_counter()
    a.run()
    seconds = time.perf_counter() - start
    if kernel == "closeness_top10":
        return seconds, a.topkNodesList()
    return seconds, (top10(a.scores()) if kernel in SCORES else None)


def run_igraph(path, kernel, threads):
    import igraph as ig
    n, edges = read_edges(path)
    g = ig.Graph(n=n, edges=edges)
    call = {
        "betweenness": lambda: g.betweenness(directed=False),
        "closeness": lambda: g.closeness(),
        "betweenness_k100": lambda: g.betweenness(directed=False, sources=sources(n)),
        "pagerank_50": lambda: g.pagerank(directed=False),  # PRPACK: solves, no iteration count
        "core": lambda: g.coreness(),
        "components": lambda: g.connected_components(),
    }.get(kernel)
    if call is None:
        return None, None
    start = time.perf_counter()
    values = call()
    return time.perf_counter() - start, (top10(values) if kernel in SCORES else None)


def run_rustworkx(path, kernel, threads):
    import rustworkx as rx
    n, edges = read_edges(path)
    g = rx.PyGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from_no_data(edges)
    call = {
        "betweenness": lambda: rx.betweenness_centrality(g, normalized=True, parallel_threshold=50),
        "closeness": lambda: rx.closeness_centrality(g),
        "core": lambda: rx.core_number(g),
        "components": lambda: rx.connected_components(g),
    }.get(kernel)
    if kernel == "pagerank_50":
        d = rx.PyDiGraph()
        d.add_nodes_from(range(n))
        d.add_edges_from_no_data(edges + [(v, u) for u, v in edges])

        def call():
            try:
                return rx.pagerank(d, alpha=0.85, max_iter=50, tol=1e-300)
            except rx.FailedToConverge:
                return None  # it ran its 50 iterations, and keeps its scores to itself
    if call is None:
        return None, None
    start = time.perf_counter()
    values = call()
    seconds = time.perf_counter() - start
    if values is None or kernel not in SCORES:
        return seconds, None
    return seconds, top10([values[u] for u in range(n)])


def top10(values):
    """The 10 nodes of highest score, ties to the smaller id (as nexo's benchmark binary)."""
    values = list(values)
    return sorted(range(len(values)), key=lambda u: (-values[u], u))[:10]


def worker(args):
    runner = {"networkit": run_networkit, "igraph": run_igraph, "rustworkx": run_rustworkx}[args.tool]
    seconds, top = runner(args.graph, args.kernel, args.threads)
    print(json.dumps({"seconds": seconds, "top10": top}))


# ---- driver --------------------------------------------------------------------------------------

TIMEOUT = "timeout"


def run_once(tool, binary, graph, kernel, threads, timeout, script=__file__, extra=()):
    """The JSON object one run prints last, TIMEOUT past `timeout` seconds. Peers run as
    `script --worker` (another peers script passes its own file); `extra` arguments go to
    every tool."""
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
    if tool == "nexo":
        cmd = [binary, "--graph", graph, "--kernel", kernel, *extra]
    else:
        cmd = [sys.executable, script, "--worker", "--tool", tool, "--graph", graph, "--kernel", kernel,
               "--threads-one", str(threads), *extra]
    try:
        done = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return TIMEOUT
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(tool, binary, graph, kernel, threads, timeout, tops=None):
    """Seconds of one run, None if the tool lacks the kernel, TIMEOUT past `timeout` seconds.
    Records the run's top 10 in `tops[tool]` when it gives one."""
    result = run_once(tool, binary, graph, kernel, threads, timeout)
    if result == TIMEOUT:
        return TIMEOUT
    if tops is not None and result.get("top10") is not None:
        tops[tool] = result["top10"]
    return result["seconds"]


def reference_top10(kernel, size, tops, exact):
    """The exact top 10 a kernel's is compared with, None where no exact result was computed."""
    what = SCORES.get(kernel)
    if what == "pagerank":
        return tops.get("igraph")
    return exact.get((size, what))


def agreement_table(rows):
    """Markdown: how many of each tool's top 10 are in the exact top 10."""
    lines = ["", "Top-10 agreement with exact results (nodes of each tool's top 10 in the exact top 10):", "",
             f"| graph | kernel | exact reference | nexo | {' | '.join(PEERS)} |",
             "|---|---|---|---|" + "---|" * len(PEERS)]
    for graph, kernel, reference, tops in rows:
        cell = lambda t: "—" if t not in tops else f"{len(set(tops[t]) & set(reference))} / 10"
        lines.append(f"| {graph} | {kernel} | {SCORES[kernel]} | {cell('nexo')} | "
                     + " | ".join(cell(p) for p in PEERS) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small,large")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kernels", default=",".join(KERNELS))
    parser.add_argument("--busy", action="store_true", help="keep one core busy meanwhile")
    parser.add_argument("--timeout", type=float, default=120, help="seconds before a run is given up")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tool", help=argparse.SUPPRESS)
    parser.add_argument("--graph", help=argparse.SUPPRESS)
    parser.add_argument("--kernel", help=argparse.SUPPRESS)
    parser.add_argument("--threads-one", dest="threads_one", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        args.threads = args.threads_one
        worker(args)
        return
    ensure_venv()
    binary = nexo_binary()
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if args.busy else None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            print(f"| graph | kernel | threads | nexo s | {' | '.join(p + ' s' for p in PEERS)} | nexo / fastest peer |")
            print("|---|---|---|---|" + "---|" * len(PEERS) + "---|")
            agreement, exact = [], {}
            for size in args.sizes.split(","):
                nodes, edges = SIZES[size]
                graph = str(Path(tmp) / f"{size}.txt")
                subprocess.run([binary, "--generate", graph, "--nodes", str(nodes), "--edges", str(edges)], check=True)
                for kernel in args.kernels.split(","):
                    if size not in KERNELS[kernel]:
                        continue
                    igraph_single, tops = None, {}
                    for threads in map(int, args.threads.split(",")):
                        best = {tool: None for tool in ["nexo", *PEERS]}
                        for _ in range(args.repeat):
                            for tool in best:  # alternate tools within each repetition
                                if tool == "igraph" and threads > 1:
                                    continue  # single-threaded: its 1-thread time stands, below
                                if best[tool] == TIMEOUT:
                                    continue
                                seconds = measure(tool, binary, graph, kernel, threads, args.timeout, tops)
                                if seconds == TIMEOUT or best[tool] is None:
                                    best[tool] = seconds
                                elif seconds is not None:
                                    best[tool] = min(best[tool], seconds)
                        if threads == 1:
                            igraph_single = best["igraph"]
                        else:
                            best["igraph"] = igraph_single
                        peers = [best[p] for p in PEERS if best[p] not in (None, TIMEOUT)]
                        ratio = f"{best['nexo'] / min(peers):.2f}" if peers else "n/a"
                        if any(best[p] == TIMEOUT for p in PEERS) and (not peers or best["nexo"] < min(peers)):
                            ratio = f"< {best['nexo'] / args.timeout:.3f}" if not peers else ratio
                        cell = lambda x: "—" if x is None else f"> {args.timeout:.0f}" if x == TIMEOUT else f"{x:.3f}"
                        cells = " | ".join(cell(best[p]) for p in PEERS)
                        print(f"| {nodes:,} / {edges:,} | {kernel} | {threads} | {best['nexo']:.3f} | {cells} | {ratio} |",
                              flush=True)
                    if kernel in ("betweenness", "closeness") and "nexo" in tops:
                        exact[(size, kernel)] = tops["nexo"]
                    if kernel in SCORES:
                        agreement.append((size, f"{nodes:,} / {edges:,}", kernel, tops))
            rows = [(g, k, reference_top10(k, size, t, exact), t) for size, g, k, t in agreement]
            print(agreement_table([r for r in rows if r[2] is not None]))
    finally:
        if busy:
            busy.kill()


if __name__ == "__main__":
    main()
