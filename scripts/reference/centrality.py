#!/usr/bin/env python3
"""Reference values for nexo's centrality tests, computed with networkx.

Writes one folder per graph under crates/graph/tests/fixtures/centrality/:
  edges.csv      source,target,weight   (node ids 0..n-1; the graph nexo builds)
  nodes.csv      node id, label, then one column per measure
  edge_scores.csv source,target, edge betweenness (hops and inverse weight)
  meta.json      directed, n, m, katz_alpha, networkx version

Usage (from the repository root):
  python3 -m venv /tmp/ref && /tmp/ref/bin/pip install networkx==3.6.1 numpy scipy
  /tmp/ref/bin/python scripts/reference/centrality.py --datasets DIR
where DIR holds the real networks (caviar/, montagna/: see crates/graph/tests/fixtures/README.md).
Every tolerance is tight (1e-13, 10k iterations) so the fixtures are exact to
well below the tests' tolerances.
"""
import argparse
import csv
import json
import random
from pathlib import Path

import networkx as nx
import numpy as np

OUT = Path("crates/graph/tests/fixtures/centrality")
TOL = 1e-13
ITER = 10_000


def karate():
    g = nx.karate_club_graph()  # carries 'weight' (interaction counts)
    return g, False


def florentine():
    g = nx.florentine_families_graph()
    nx.set_edge_attributes(g, 1, "weight")
    return g, False


def kite():
    g = nx.krackhardt_kite_graph()
    nx.set_edge_attributes(g, 1, "weight")
    return g, False


def caviar(datasets, directed):
    g = nx.DiGraph() if directed else nx.Graph()
    with open(datasets / "caviar/edges/caviar_full_arcs.csv") as f:
        for row in csv.DictReader(f):
            u, v, w = row["source"], row["target"], int(row["weight"])
            if not directed and g.has_edge(u, v):
                g[u][v]["weight"] += w  # A + A^T
            else:
                g.add_edge(u, v, weight=w)
    return g, directed


def montagna(datasets, name):
    g = nx.Graph()
    with open(datasets / f"montagna/{name}_edges.csv") as f:
        for row in csv.DictReader(f):
            g.add_edge(row["source"], row["target"], weight=int(row["weight_sum"]))
    return g, False


def random_directed():
    """Small integer weights: many weighted shortest-path ties."""
    rng = random.Random(20261128)
    g = nx.gnp_random_graph(60, 0.07, seed=7, directed=True)
    for u, v in g.edges:
        g[u][v]["weight"] = rng.randint(1, 3)
    return g, True


def measures(g, directed):
    for u, v, d in g.edges(data=True):
        d["inverse"] = 1.0 / d["weight"]
    lam = max(abs(np.linalg.eigvals(nx.to_numpy_array(g, weight="weight"))))
    katz_alpha = float(f"{0.5 / lam:.6g}")
    cols = {
        "betweenness": nx.betweenness_centrality(g),
        "betweenness_weight": nx.betweenness_centrality(g, weight="weight"),
        "betweenness_inverse": nx.betweenness_centrality(g, weight="inverse"),
        "closeness": nx.closeness_centrality(g),
        "closeness_inverse": nx.closeness_centrality(g, distance="inverse"),
        "harmonic": {k: v / (len(g) - 1) for k, v in nx.harmonic_centrality(g).items()},
        "harmonic_inverse": {k: v / (len(g) - 1) for k, v in nx.harmonic_centrality(g, distance="inverse").items()},
        "pagerank": nx.pagerank(g, tol=TOL, max_iter=ITER),
        "eigenvector": nx.eigenvector_centrality(g, tol=TOL, max_iter=ITER, weight="weight"),
        "katz": nx.katz_centrality(g, alpha=katz_alpha, tol=TOL, max_iter=ITER, weight="weight"),
        "core": nx.core_number(nx.DiGraph(g) if directed else g),
    }
    weak = nx.weakly_connected_components(g) if directed else nx.connected_components(g)
    strong = nx.strongly_connected_components(g) if directed else nx.connected_components(g)
    for name, parts in (("wcc_size", weak), ("scc_size", strong)):
        cols[name] = {v: len(part) for part in parts for v in part}
    edges = {
        "edge_betweenness": nx.edge_betweenness_centrality(g),
        "edge_betweenness_inverse": nx.edge_betweenness_centrality(g, weight="inverse"),
    }
    return cols, edges, katz_alpha


def write(name, g, directed):
    folder = OUT / name
    folder.mkdir(parents=True, exist_ok=True)
    ids = {v: i for i, v in enumerate(g.nodes)}
    cols, edges, katz_alpha = measures(g, directed)
    with open(folder / "edges.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source", "target", "weight"])
        for u, v, d in g.edges(data=True):
            w.writerow([ids[u], ids[v], d["weight"]])
    with open(folder / "nodes.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["node", "label", *cols])
        for v in g.nodes:
            w.writerow([ids[v], v, *(repr(float(c[v])) for c in cols.values())])
    with open(folder / "edge_scores.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source", "target", *edges])
        for u, v in g.edges:
            w.writerow([ids[u], ids[v], *(repr(e[(u, v)]) for e in edges.values())])
    meta = {"directed": directed, "n": len(g), "m": g.number_of_edges(), "katz_alpha": katz_alpha,
            "networkx": nx.__version__}
    (folder / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"{name}: n={len(g)} m={g.number_of_edges()} katz_alpha={katz_alpha}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, required=True, help="folder of the real networks")
    args = parser.parse_args()
    cases = {
        "karate": karate(),
        "florentine": florentine(),
        "kite": kite(),
        "caviar_directed": caviar(args.datasets, True),
        "caviar_undirected": caviar(args.datasets, False),
        "montagna_meetings": montagna(args.datasets, "meetings"),
        "montagna_phonecalls": montagna(args.datasets, "phonecalls"),
        "random_directed": random_directed(),
    }
    for name, (g, directed) in cases.items():
        write(name, g, directed)


if __name__ == "__main__":
    main()
