#!/usr/bin/env python3
"""nexo's community detection side by side with NetworKit and igraph: time and modularity.

Usage (from the repository root):
    python3 benches/peers/community.py [--sizes small,large,planted] [--threads 1,2] [--repeat 3]
                                       [--kernels leiden,louvain,lpa] [--timeout 120]

Same harness as centrality.py (whose functions it imports): the venv in
benches/peers/.venv, nexo's benchmark binary (`cargo bench --bench centrality
--no-run`, kernels `leiden`, `louvain`, `lpa`), the same generated edge lists,
one process per measurement so thread settings apply, tools alternating within
each repetition, best of --repeat, graph loading excluded.

Graphs: `small` and `large` are the preferential-attachment graphs of
centrality.py (10k / 50k and 200k / 2M). They have no community structure to
speak of: every tool's label propagation puts the large one in a single
community. `planted` has 200k nodes, about 2M edges and planted communities in
the manner of LFR (`--generate ... --planted 0.3`: heavy-tailed community sizes
and degrees, 30 % of each node's links outside its community); for it, each
tool's partition is also scored by its NMI against the planted communities
(igraph's `compare_communities(method="nmi")`, the same function for all).

Every tool runs on the unweighted undirected graph at resolution 1:

- leiden: nexo `leiden`; NetworKit `ParallelLeiden(g, randomize=True,
  iterations=3, gamma=1.0)` (its defaults: at most 3 Leiden runs); igraph
  `community_leiden(objective_function="modularity", n_iterations=-1)` (until
  an iteration no longer improves).
- louvain: nexo `louvain`; NetworKit `PLM(g, refine=False, gamma=1.0)`; igraph
  `community_multilevel()`.
- lpa: nexo `lpa`; NetworKit `PLP(g)`; igraph `community_label_propagation()`.

Prints a Markdown table: seconds per tool, nexo / fastest peer, and for each
tool the modularity it reached with its community count (and NMI), from its fastest
run (each tool computes the modularity of its own partition: NetworKit's
`Modularity().getQuality`, igraph's `Graph.modularity`). igraph is
single-threaded: it runs in the first thread count's row only and that result
stands in the other rows.
"""
import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
sys.path.insert(0, str(Path(__file__).resolve().parent))
import centrality as common  # noqa: E402

SCRIPT = str(Path(__file__).resolve())
# size -> nodes, edges asked of the generator, mixing share of a planted partition (None: preferential
# attachment). The planted generator merges repeated pairs: 2.22M draws leave about 2M edges.
SIZES = {**{size: (*shape, None) for size, shape in common.SIZES.items()}, "planted": (200_000, 2_220_000, 0.3)}
KERNELS = {kernel: ["small", "large", "planted"] for kernel in ["leiden", "louvain", "lpa"]}
PEERS = ["networkit", "igraph"]
ERROR = "error"
# igraph's Leiden iterations: 2, igraph's default. -1 (until an iteration no longer changes the
# partition) did not finish in 300 s on the 200k / 2M graph: each iteration still finds tiny gains.
# NetworKit's ParallelLeiden does at most 3; nexo 2 on graphs this size (1 if the first gains < 0.001).
IGRAPH_LEIDEN_ITERATIONS = 2


# ---- peers, run in a worker process -------------------------------------------------------------

def write_membership(path, membership):
    Path(path).write_text("".join(f"{c}\n" for c in membership))


def run_networkit(path, kernel, threads, membership_file=None):
    import networkit as nk
    nk.setNumberOfThreads(threads)
    n, edges = common.read_edges(path)
    g = nk.Graph(n)
    for u, v in edges:
        g.addEdge(u, v)
    c = nk.community
    algo = {
        "leiden": lambda: c.ParallelLeiden(g, randomize=True, iterations=3, gamma=1.0),
        "louvain": lambda: c.PLM(g, refine=False, gamma=1.0),
        "lpa": lambda: c.PLP(g),
    }[kernel]()
    start = time.perf_counter()
    algo.run()
    seconds = time.perf_counter() - start
    partition = algo.getPartition()
    if membership_file:
        write_membership(membership_file, partition.getVector())
    return {"seconds": seconds, "modularity": c.Modularity().getQuality(partition, g),
            "communities": partition.numberOfSubsets()}


def run_igraph(path, kernel, threads, membership_file=None):
    import igraph as ig
    n, edges = common.read_edges(path)
    g = ig.Graph(n=n, edges=edges)
    call = {
        "leiden": lambda: g.community_leiden(objective_function="modularity", resolution=1.0,
                                              n_iterations=IGRAPH_LEIDEN_ITERATIONS),
        "louvain": lambda: g.community_multilevel(resolution=1.0),
        "lpa": lambda: g.community_label_propagation(),
    }[kernel]
    start = time.perf_counter()
    clustering = call()
    seconds = time.perf_counter() - start
    membership = clustering.membership
    if membership_file:
        write_membership(membership_file, membership)
    return {"seconds": seconds, "modularity": g.modularity(membership, resolution=1.0),
            "communities": len(set(membership))}


def worker(args):
    runner = {"networkit": run_networkit, "igraph": run_igraph}[args.tool]
    print(json.dumps(runner(args.graph, args.kernel, args.threads, args.membership)))


# ---- driver --------------------------------------------------------------------------------------

def run_once(tool, binary, graph, kernel, threads, timeout, truth=None):
    """The JSON object of one run, TIMEOUT past `timeout` seconds, ERROR if the tool failed. With
    `truth` (a node's planted community per line), the run's NMI against it is added."""
    membership = f"{graph}.{tool}.membership"
    extra = ["--membership", membership] if truth else []
    try:
        result = common.run_once(tool, binary, graph, kernel, threads, timeout, script=SCRIPT, extra=extra)
    except subprocess.CalledProcessError as e:
        print(f"{tool} {kernel} at {threads} threads failed (exit {e.returncode}):\n{e.stderr[-2000:]}",
              file=sys.stderr)
        return ERROR
    if truth and isinstance(result, dict):
        import igraph as ig
        found = [int(c) for c in Path(membership).read_text().split()]
        result["nmi"] = ig.compare_communities(truth, found, method="nmi")
    return result


def seconds_cell(result, timeout):
    if result is None or result == ERROR:
        return "—" if result is None else ERROR
    return f"> {timeout:.0f}" if result == common.TIMEOUT else f"{result['seconds']:.3f}"


def quality_cell(result):
    if not isinstance(result, dict) or result.get("modularity") is None:
        return "—"
    communities, nmi = result.get("communities"), result.get("nmi")
    details = ([] if communities is None else [f"{communities:,}"]) + ([] if nmi is None else [f"NMI {nmi:.3f}"])
    return f"{result['modularity']:.4f}" + (f" ({'; '.join(details)})" if details else "")


def ratio_cell(best, timeout):
    """nexo / fastest peer; bounds where some of them ran past the timeout."""
    nexo = best["nexo"]
    done = [best[p]["seconds"] for p in PEERS if isinstance(best[p], dict)]
    timed_out = any(best[p] == common.TIMEOUT for p in PEERS)
    if isinstance(nexo, dict):
        if done:
            return f"{nexo['seconds'] / min(done):.2f}"
        return f"< {nexo['seconds'] / timeout:.3f}" if timed_out else "n/a"
    if nexo == common.TIMEOUT and done:
        return f"> {timeout / min(done):.2f}"
    return "n/a"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small,large,planted")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kernels", default=",".join(KERNELS))
    parser.add_argument("--timeout", type=float, default=120, help="seconds before a run is given up")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tool", help=argparse.SUPPRESS)
    parser.add_argument("--graph", help=argparse.SUPPRESS)
    parser.add_argument("--kernel", help=argparse.SUPPRESS)
    parser.add_argument("--threads-one", dest="threads_one", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--membership", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        args.threads = args.threads_one
        worker(args)
        return
    common.ensure_venv()
    binary = common.nexo_binary()
    tools = ["nexo", *PEERS]
    with tempfile.TemporaryDirectory() as tmp:
        print(f"| graph | kernel | threads | {' | '.join(t + ' s' for t in tools)} | nexo / fastest peer | "
              f"{' | '.join(t + ' modularity (communities)' for t in tools)} |")
        print("|---|---|---|" + "---|" * (2 * len(tools) + 1))
        for size in args.sizes.split(","):
            nodes, edges, mixing = SIZES[size]
            graph = str(Path(tmp) / f"{size}.txt")
            planted = [] if mixing is None else ["--planted", str(mixing)]
            subprocess.run([binary, "--generate", graph, "--nodes", str(nodes), "--edges", str(edges), *planted],
                           check=True)
            truth = None if mixing is None else [int(c) for c in Path(f"{graph}.truth").read_text().split()]
            with open(graph) as f:
                edges = int(f.readline().split()[4])  # what the generator kept
            for kernel in args.kernels.split(","):
                if size not in KERNELS[kernel]:
                    continue
                igraph_single = None
                for threads in map(int, args.threads.split(",")):
                    best = {tool: None for tool in tools}
                    if igraph_single is not None:
                        best["igraph"] = igraph_single  # single-threaded: run once per kernel
                    for _ in range(args.repeat):
                        for tool in tools:  # alternate tools within each repetition
                            if tool == "igraph" and igraph_single is not None:
                                continue
                            if best[tool] in (common.TIMEOUT, ERROR):
                                continue
                            result = run_once(tool, binary, graph, kernel, threads, args.timeout, truth)
                            if not isinstance(result, dict) or best[tool] is None \
                                    or result["seconds"] < best[tool]["seconds"]:
                                best[tool] = result  # the fastest run, with its modularity
                    if igraph_single is None:
                        igraph_single = best["igraph"]
                    seconds = " | ".join(seconds_cell(best[t], args.timeout) for t in tools)
                    quality = " | ".join(quality_cell(best[t]) for t in tools)
                    print(f"| {nodes:,} / {edges:,}{'' if mixing is None else ' planted'} | {kernel} | {threads} | {seconds} | "
                          f"{ratio_cell(best, args.timeout)} | {quality} |", flush=True)


if __name__ == "__main__":
    main()
