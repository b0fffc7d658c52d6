#!/usr/bin/env python3
"""Reference modularity values for nexo's community tests, computed with networkx.

Reads the graphs written by scripts/reference/centrality.py
(crates/graph/tests/fixtures/centrality/<name>/edges.csv and meta.json) and writes
crates/graph/tests/fixtures/community/<name>.json: partitions of the graph (networkx
Louvain with seed 0 at resolutions 1 and 0.5, label propagation or its directed
variant, every node alone, all nodes together) and networkx's weighted modularity
of each at resolutions 1, 0.5 and 2.

Usage (from the repository root, with the venv of centrality.py):
  /tmp/ref/bin/python scripts/reference/community.py
"""
import csv
import json
from pathlib import Path

import networkx as nx
from networkx.algorithms import community as nxc

SRC = Path("crates/graph/tests/fixtures/centrality")
OUT = Path("crates/graph/tests/fixtures/community")
RESOLUTIONS = [1.0, 0.5, 2.0]


def load(folder):
    meta = json.loads((folder / "meta.json").read_text())
    g = nx.DiGraph() if meta["directed"] else nx.Graph()
    g.add_nodes_from(range(meta["n"]))
    with open(folder / "edges.csv") as f:
        for row in csv.DictReader(f):
            u, v, w = int(row["source"]), int(row["target"]), float(row["weight"])
            # The graph nexo builds sums repeated edges.
            if g.has_edge(u, v):
                g[u][v]["weight"] += w
            else:
                g.add_edge(u, v, weight=w)
    assert g.number_of_edges() == meta["m"], folder
    return g


def membership(g, communities):
    label = {}
    for i, c in enumerate(sorted(communities, key=min)):
        for u in c:
            label[u] = i
    return [label[u] for u in range(g.number_of_nodes())]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for folder in sorted(p for p in SRC.iterdir() if p.is_dir()):
        g = load(folder)
        partitions = {
            "louvain": nxc.louvain_communities(g, weight="weight", resolution=1.0, seed=0),
            "louvain_half": nxc.louvain_communities(g, weight="weight", resolution=0.5, seed=0),
            "singletons": [{u} for u in g.nodes],
            "whole": [set(g.nodes)],
        }
        if g.is_directed():
            partitions["label_propagation"] = list(nxc.asyn_lpa_communities(g, weight="weight", seed=0))
        else:
            partitions["label_propagation"] = list(nxc.label_propagation_communities(g))
        cases = []
        for name, communities in partitions.items():
            cases.append({
                "partition": name,
                "membership": membership(g, communities),
                "modularity": {
                    str(r): nx.community.modularity(g, communities, weight="weight", resolution=r)
                    for r in RESOLUTIONS
                },
            })
        doc = {"graph": folder.name, "directed": g.is_directed(), "networkx": nx.__version__, "cases": cases}
        (OUT / f"{folder.name}.json").write_text(json.dumps(doc, indent=1) + "\n")
        print(folder.name, [(c["partition"], round(c["modularity"]["1.0"], 4)) for c in cases])


if __name__ == "__main__":
    main()
