#!/usr/bin/env python3
"""Reference values for nexo's structural-hole and cut tests, computed with networkx.

Reads the graphs written by scripts/reference/centrality.py
(crates/graph/tests/fixtures/centrality/<name>/edges.csv and meta.json; repeated rows
summed as community.py does) plus two small hand-checkable graphs (`path4`: 0-1-2-3;
`two_triangles_bridge`: 0-1-2-0, 3-4-5-3 and 2-3) and writes:

- crates/graph/tests/fixtures/holes/<name>.csv, one row per node 0..n-1:
  `constraint`, `constraint_weighted`: nx.constraint(G) and nx.constraint(G, weight="weight")
  (all-nodes call, i.e. networkx's sparse-matrix path; Burt's constraint over in- and
  out-neighbours, mutual weight a_uv + a_vu).
  `effective_size`, `effective_size_weighted`: Burt's effective size
  sum_{v in N(u)} (1 - sum_{w in N(u)} p_uw m_vw), p = mutual weight / u's sum, m = mutual
  weight / v's maximum, as networkx 3.6.1 computes it node by node
  (nx.effective_size(G, nodes=list(G), weight=...)). The script checks that it reproduces
  that call exactly wherever it is not NaN; it differs from it only for nodes of a directed
  graph with in-arcs and no out-arc, where networkx's per-node path tests `G[v]`
  (successors) for isolation and answers NaN.
  `effective_size_nx_default`, `effective_size_weighted_nx_default`: what
  nx.effective_size(G[, weight="weight"]) returns without `nodes` (sparse path). In networkx
  3.6.1 that path divides column j, not row j, by row j's maximum
  (`M2 /= M2.max(axis=1).toarray()` lacks `[:, np.newaxis]`; networkx PR #8906), so it
  differs from Burt's definition on weighted graphs and on directed graphs with reciprocated
  arcs. Kept for information only; it equals `effective_size` on undirected unweighted graphs.
  `efficiency`, `efficiency_weighted`: effective size / number of distinct neighbours (in- or
  out-, ego excluded), Burt's efficiency. networkx 3.6.1 has no efficiency function in
  structuralholes (its docstring suggests esize / G.degree(v), which counts a reciprocated
  pair twice on a DiGraph); this is the distinct-neighbour version.
  Isolated nodes give `nan` in every column. Floats are Python repr (shortest round-trip).
- crates/graph/tests/fixtures/holes/cuts.json: for each graph, on its undirected simple
  version (nx.Graph(G), weights ignored), the sorted articulation points
  (nx.articulation_points) and the sorted bridges (nx.bridges) as sorted [min, max] pairs;
  the two small graphs also list their `edges`.

Usage (from the repository root):
  benches/peers/.venv/bin/python scripts/reference/holes.py
"""
import csv
import json
import math
from pathlib import Path

import networkx as nx
from networkx.algorithms.structuralholes import normalized_mutual_weight as nmw

from community import load  # scripts/reference/community.py: the graph nexo builds

SRC = Path("crates/graph/tests/fixtures/centrality")
OUT = Path("crates/graph/tests/fixtures/holes")
SMALL = {
    "path4": [(0, 1), (1, 2), (2, 3)],
    "two_triangles_bridge": [(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)],
}



def small(edges):
    g = nx.Graph()
    g.add_nodes_from(range(max(max(e) for e in edges) + 1))
    g.add_edges_from(edges, weight=1.0)
    return g


def neighbours(g, u):
    return set(nx.all_neighbors(g, u)) - {u}


def burt_effective_size(g, u, weight):
    """networkx's per-node effective size (its `redundancy` sum, networkx's own helpers),
    without its successor-only isolation test."""
    nbrs = set(nx.all_neighbors(g, u))
    if not nbrs - {u}:
        return float("nan")
    return sum(
        1 - sum(nmw(g, u, w, weight=weight) * nmw(g, v, w, norm=max, weight=weight) for w in nbrs)
        for v in nbrs
    )


def same(a, b, tol):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= tol * max(1.0, abs(a))


def columns(g):
    cols = {}
    for suffix, w in (("", None), ("_weighted", "weight")):
        c = nx.constraint(g, weight=w)
        per_node = nx.constraint(g, nodes=list(g), weight=w)
        for u in g:
            if not math.isnan(per_node[u]):
                assert same(c[u], per_node[u], 1e-13), (u, c[u], per_node[u])
            elif neighbours(g, u):
                # networkx's per-node path answers NaN for in-arc-only nodes (it tests G[u]).
                alt = sum(nx.local_constraint(g, u, v, weight=w) for v in set(nx.all_neighbors(g, u)))
                assert same(c[u], alt, 1e-13), (u, c[u], alt)
            else:
                assert math.isnan(c[u])
        cols["constraint" + suffix] = c
        es = {u: burt_effective_size(g, u, w) for u in g}
        nx_nodes = nx.effective_size(g, nodes=list(g), weight=w)
        for u in g:
            if not math.isnan(nx_nodes[u]):
                assert es[u] == nx_nodes[u] or same(es[u], nx_nodes[u], 1e-13), (u, es[u], nx_nodes[u])
        cols["effective_size" + suffix] = es
        cols["efficiency" + suffix] = {
            u: es[u] / len(neighbours(g, u)) if neighbours(g, u) else float("nan") for u in g
        }
        cols["effective_size" + suffix + "_nx_default"] = nx.effective_size(g, weight=w)
    order = ["constraint", "constraint_weighted", "effective_size", "effective_size_weighted",
             "efficiency", "efficiency_weighted", "effective_size_nx_default",
             "effective_size_weighted_nx_default"]
    return {k: cols[k] for k in order}


def cuts(g):
    u = nx.Graph(g)
    return {
        "n": g.number_of_nodes(),
        "directed": g.is_directed(),
        "articulation_points": sorted(nx.articulation_points(u)),
        "bridges": sorted([min(a, b), max(a, b)] for a, b in nx.bridges(u)),
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    graphs = {p.name: load(p) for p in sorted(SRC.iterdir()) if p.is_dir()}
    graphs.update({name: small(edges) for name, edges in SMALL.items()})
    doc = {"networkx": nx.__version__, "graphs": {}}
    for name, g in graphs.items():
        assert list(g.nodes) == list(range(g.number_of_nodes()))
        cols = columns(g)
        with open(OUT / f"{name}.csv", "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["node", *cols])
            for u in g:
                w.writerow([u, *(repr(float(c[u])) for c in cols.values())])
        entry = cuts(g)
        if name in SMALL:
            entry["edges"] = [list(e) for e in SMALL[name]]
        doc["graphs"][name] = entry
        default_off = sum(
            not same(cols[k][u], cols[k + "_nx_default"][u], 1e-12)
            for k in ("effective_size", "effective_size_weighted") for u in g
        )
        print(name, "articulation", len(entry["articulation_points"]), "bridges", len(entry["bridges"]),
              "nx-default effective sizes differing", default_off)
    (OUT / "cuts.json").write_text(json.dumps(doc, indent=1) + "\n")


if __name__ == "__main__":
    main()
