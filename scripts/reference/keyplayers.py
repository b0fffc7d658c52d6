#!/usr/bin/env python3
"""Reference values for nexo's key-player tests: the best sets of one and two nodes, by brute
force with networkx.

For each graph of crates/graph/tests/fixtures/centrality (read as community.py's `load` reads
it, then made undirected and simple: nx.Graph(G), weights ignored, as nexo's key players read
links both ways), every set S of size k in {1, 2} is scored by Borgatti's (2006) three criteria:

- `fragmentation`: F = 1 - sum_k s_k (s_k - 1) / (L (L - 1)) over the connected components
  s_k of G - S (nx.connected_components), L = n - k nodes left;
- `distance_fragmentation`: DF = 1 - nx.global_efficiency(G - S);
- `reach`: DR = sum_j 1 / max(d(S, j), 1) / n, d(S, j) the hops from the nearest member
  (nx.multi_source_dijkstra_path_length with unit weights; unreached nodes add 0).

Writes crates/graph/tests/fixtures/keyplayers.json: per graph, per criterion, per k, the best
value (Python repr of the float) and every set reaching it (to 1e-12). nexo's greedy start plus
swaps must reach the best value; for k = 1 the greedy start alone is exhaustive.

Usage (from the repository root):
  benches/peers/.venv/bin/python scripts/reference/keyplayers.py
"""
import itertools
import json
from pathlib import Path

import networkx as nx

from community import load  # scripts/reference/community.py: the graph nexo builds

SRC = Path("crates/graph/tests/fixtures/centrality")
OUT = Path("crates/graph/tests/fixtures/keyplayers.json")


def fragmentation(g, s):
    h = g.subgraph(set(g) - set(s))
    left = h.number_of_nodes()
    if left < 2:
        return 1.0
    pairs = sum(len(c) * (len(c) - 1) for c in nx.connected_components(h))
    return 1.0 - pairs / (left * (left - 1))


def distance_fragmentation(g, s):
    return 1.0 - nx.global_efficiency(g.subgraph(set(g) - set(s)))


def reach(g, s):
    d = nx.multi_source_dijkstra_path_length(g, set(s), weight=lambda u, v, e: 1)
    return sum(1.0 / max(x, 1) for x in d.values()) / g.number_of_nodes()


CRITERIA = {
    "fragmentation": fragmentation,
    "distance_fragmentation": distance_fragmentation,
    "reach": reach,
}


def main():
    doc = {"networkx": nx.__version__, "graphs": {}}
    for folder in sorted(p for p in SRC.iterdir() if p.is_dir()):
        g = nx.Graph(load(folder))
        g.remove_edges_from(nx.selfloop_edges(g))
        entry = {}
        for name, score in CRITERIA.items():
            entry[name] = {}
            for k in (1, 2):
                values = {s: score(g, s) for s in itertools.combinations(range(g.number_of_nodes()), k)}
                best = max(values.values())
                sets = [list(s) for s, v in values.items() if v >= best - 1e-12]
                entry[name][str(k)] = {"best": repr(best), "sets": sets}
                print(folder.name, name, k, best, sets[:4])
        doc["graphs"][folder.name] = entry
    OUT.write_text(json.dumps(doc, indent=1) + "\n")


if __name__ == "__main__":
    main()
