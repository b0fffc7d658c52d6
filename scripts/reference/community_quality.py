#!/usr/bin/env python3
"""Reference modularity reached by other tools' community detection, for nexo's quality tests.

Graphs (all taken as undirected and weighted):
  * every graph of crates/graph/tests/fixtures/centrality/<name>/ (written by centrality.py);
    directed ones are symmetrised as nexo does: one edge per unordered pair, weight
    w(u,v) + w(v,u), repeated rows summed;
  * the real criminal networks of ../shared/datasets-real/ (see each folder's README), except
    caviar and montagna, which are already above. Each network or layer is written to
    crates/graph/tests/fixtures/community/graphs/<name>.csv (source,target,weight; one row per
    unordered pair, u <= v) with <name>.json ({n, m, source, weighted}). Node ids 0..n-1 follow
    the natural sort of the original labels ("N2" before "N10"); isolated nodes are kept.
    Symmetric adjacency matrices are read once (upper triangle); asymmetric ones are taken as
    directed and symmetrised like the centrality graphs; edge lists sum repeated pairs.

For each graph and seeds 0..9, at resolution 1 with weights: igraph Leiden (modularity,
n_iterations=-1, seeded through Python's `random`, which python-igraph uses as its RNG),
NetworKit PLM without and with refinement and PLP (one thread, networkit.setSeed(seed, False)),
and networkx Louvain. Every partition is scored with networkx's weighted
`community.modularity`. Each seed is run twice; `repeatable` says whether both runs agreed.

Writes crates/graph/tests/fixtures/community/quality.json.

Usage (from the repository root):
  benches/peers/.venv/bin/python scripts/reference/community_quality.py
"""
import csv
import json
import platform
import random
import re
from pathlib import Path

import igraph as ig
import networkit as nk
import networkx as nx
from networkx.algorithms import community as nxc

CENTRALITY = Path("crates/graph/tests/fixtures/centrality")
REAL = Path("../shared/datasets-real")
OUT = Path("crates/graph/tests/fixtures/community")
SEEDS = range(10)
NOORDIN_LAYERS = ["business_finance", "classmates", "communications", "friendship", "kinship",
                  "logistics", "meetings", "operations", "soulmates", "training_events"]


def natural(label):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", label)]


def undirected(labels, arcs):
    """Node labels and (u, v, w) rows -> (n, {(i, j): w} with i <= j), weights summed per pair."""
    index = {x: i for i, x in enumerate(sorted(set(labels), key=natural))}
    edges = {}
    for u, v, w in arcs:
        key = tuple(sorted((index[u], index[v])))
        edges[key] = edges.get(key, 0) + w
    return len(index), edges


def matrix(path):
    rows = list(csv.reader(open(path, encoding="utf-8-sig")))
    labels = [r[0] for r in rows[1:]]
    assert rows[0][1:] == labels, path
    a = [[float(x) for x in r[1:]] for r in rows[1:]]
    symmetric = all(a[i][j] == a[j][i] for i in range(len(a)) for j in range(i))
    arcs = [(labels[i], labels[j], a[i][j]) for i in range(len(a)) for j in range(len(a))
            if a[i][j] and (j >= i or not symmetric)]
    return labels, arcs


def edge_list(path, names=None, weight=None):
    rows = list(csv.DictReader(open(path)))
    labels = [r["id"] for r in csv.DictReader(open(names))] if names else []
    arcs = [(r["source"], r["target"], float(r[weight]) if weight else 1.0) for r in rows]
    return labels + [x for u, v, _ in arcs for x in (u, v)], arcs


def real_graphs():
    """name -> (source file relative to REAL, labels, arcs)."""
    g = {}
    for name, f in [("cielnet", "cielnet/CIELNET.csv"),
                    ("cocaine_acero", "cocaine-smuggling-spain/COCAINE_ACERO.csv"),
                    ("cocaine_jake", "cocaine-smuggling-spain/COCAINE_JAKE.csv"),
                    ("cocaine_juanes", "cocaine-smuggling-spain/COCAINE_JUANES.csv"),
                    ("cocaine_mambo", "cocaine-smuggling-spain/COCAINE_MAMBO.csv"),
                    ("italian_gangs", "italian-gangs/ITALIAN_GANGS.csv"),
                    ("london_gang", "london-gang/LONDON_GANG.csv"),
                    ("montreal_gangs", "montreal-street-gangs/MONTREALGANG.csv"),
                    ("natarajan_cocaine", "natarajan-cocaine-nyc/COCAINE_DEALING.csv"),
                    ("natarajan_heroin", "natarajan-heroin-nyc/HEROIN_DEALING.csv"),
                    ("siren", "siren/SIREN.csv"),
                    ("togo", "togo/TOGO.csv")]:
        g[name] = (f, *matrix(REAL / f))
    f = "jemaah-islamiyah-koschade/edges.csv"
    g["jemaah_islamiyah"] = (f, *edge_list(REAL / f, REAL / "jemaah-islamiyah-koschade/nodes.csv", "weight"))
    for name, stem in [("hijackers_associates", "associates"), ("hijackers_prior_contacts", "prior_contacts")]:
        f = f"911-hijackers/manchester_{stem}_edges.csv"
        labels, arcs = edge_list(REAL / f, REAL / f"911-hijackers/manchester_{stem}_nodes.csv")
        # The one self-loop of the associates list is a digitisation error (see the README).
        g[name] = (f, labels, [a for a in arcs if a[0] != a[1]])
    # Netzschleuder export: 0-based indices into nodes.csv ("# index, id, name, ...").
    f = "911-hijackers/netzschleuder_terrorists_911/edges.csv"
    nodes = {r[0]: r[2] for r in csv.reader(open(REAL / f.replace("edges", "nodes"))) if not r[0].startswith("#")}
    arcs = [(nodes[r[0]], nodes[r[1].strip()], 1.0) for r in csv.reader(open(REAL / f)) if not r[0].startswith("#")]
    g["hijackers_netzschleuder"] = (f, list(nodes.values()), arcs)
    # Noordin Top: each layer on the 79 persons, and all layers together (weight = layer count).
    f = "noordin-top/multiplex_edges.csv"
    persons = [r["id"] for r in csv.DictReader(open(REAL / "noordin-top/nodes.csv"))]
    rows = list(csv.DictReader(open(REAL / f)))
    for layer in NOORDIN_LAYERS:
        g[f"noordin_{layer}"] = (f, persons, [(r["source"], r["target"], 1.0) for r in rows if r["relation"] == layer])
    g["noordin_combined"] = (f, persons, [(r["source"], r["target"], 1.0) for r in rows])
    # 'Ndrangheta: person x summit incidence -> persons sharing summits, weight = shared summits.
    f = "ndrangheta-infinito/NDRANGHETAMAFIA_2M.csv"
    rows = list(csv.reader(open(REAL / f, encoding="utf-8-sig")))[1:]
    summits = [{j for j, x in enumerate(r[1:]) if float(x)} for r in rows]
    arcs = [(rows[i][0], rows[j][0], float(len(summits[i] & summits[j])))
            for i in range(len(rows)) for j in range(i) if summits[i] & summits[j]]
    g["ndrangheta_projection"] = (f, [r[0] for r in rows], arcs)
    return g


def write_real(name, source, n, edges):
    (OUT / "graphs").mkdir(parents=True, exist_ok=True)
    path = OUT / "graphs" / f"{name}.csv"
    with open(path, "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["source", "target", "weight"])
        for (u, v), w in sorted(edges.items()):
            out.writerow([u, v, int(w) if w == int(w) else w])
    meta = {"n": n, "m": len(edges), "source": source, "weighted": any(w != 1 for w in edges.values())}
    (OUT / "graphs" / f"{name}.json").write_text(json.dumps(meta, indent=1) + "\n")
    return path


def leiden(graphs, seed):
    random.seed(seed)
    return graphs["igraph"].community_leiden(objective_function="modularity", weights="weight",
                                             resolution=1, n_iterations=-1).membership


def networkit(algorithm):
    def run(graphs, seed):
        nk.setSeed(seed, False)
        return algorithm(graphs["networkit"]).run().getPartition().getVector()
    return run


def louvain(graphs, seed):
    label = {}
    for i, c in enumerate(nxc.louvain_communities(graphs["networkx"], weight="weight", resolution=1, seed=seed)):
        label.update((u, i) for u in c)
    return [label[u] for u in range(len(label))]


METHODS = {
    "leiden_igraph": leiden,
    "plm_networkit": networkit(lambda g: nk.community.PLM(g, refine=False, gamma=1.0)),
    "plm_refine_networkit": networkit(lambda g: nk.community.PLM(g, refine=True, gamma=1.0)),
    "plp_networkit": networkit(nk.community.PLP),
    "louvain_networkx": louvain,
}


def sig(x):
    return float(f"{x:.12g}")


def quality(n, edges):
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from((u, v, w) for (u, v), w in edges.items())
    h = nk.Graph(n, weighted=True)
    for (u, v), w in edges.items():
        h.addEdge(u, v, w)
    graphs = {"networkx": g, "networkit": h,
              "igraph": ig.Graph(n=n, edges=list(edges), edge_attrs={"weight": list(edges.values())})}
    result = {}
    for name, method in METHODS.items():
        runs = [(method(graphs, s), method(graphs, s)) for s in SEEDS]
        scores = []
        for membership, _ in runs:
            communities = {}
            for u, c in enumerate(membership):
                communities.setdefault(c, set()).add(u)
            scores.append(nx.community.modularity(g, communities.values(), weight="weight"))
        best = max(range(len(scores)), key=scores.__getitem__)
        result[name] = {"modularity": [sig(q) for q in scores], "max": sig(scores[best]),
                        "mean": sig(sum(scores) / len(scores)), "best_seed": best,
                        "communities": len(set(runs[best][0])),
                        "repeatable": all(list(a) == list(b) for a, b in runs)}
    return result


def main():
    nk.setNumberOfThreads(1)
    doc = {"tools": {"python": platform.python_version(), "networkx": nx.__version__,
                     "igraph": ig.__version__, "networkit": nk.__version__},
           "graphs": {}}
    graphs = []
    for folder in sorted(p for p in CENTRALITY.iterdir() if p.is_dir()):
        meta = json.loads((folder / "meta.json").read_text())
        rows = list(csv.DictReader(open(folder / "edges.csv")))
        n, edges = undirected([str(i) for i in range(meta["n"])],
                              [(r["source"], r["target"], float(r["weight"])) for r in rows])
        graphs.append((folder.name, folder / "edges.csv", n, edges, meta["directed"]))
    for name, (source, labels, arcs) in real_graphs().items():
        n, edges = undirected(labels, arcs)
        graphs.append((name, write_real(name, source, n, edges), n, edges, False))
    for name, path, n, edges, directed in graphs:
        loops = sum(u == v for u, v in edges)
        entry = {"path": str(path), "n": n, "m": len(edges), "symmetrised": directed, "self_loops": loops}
        entry.update(quality(n, edges))
        doc["graphs"][name] = entry
        print(f"{name:26s} n={n:4d} m={len(edges):5d} loops={loops} " + " ".join(
            f"{k[:8]}={v['max']:.4f}/{v['mean']:.4f}/{v['communities']}{'' if v['repeatable'] else '!'}"
            for k, v in entry.items() if isinstance(v, dict)))
    (OUT / "quality.json").write_text(json.dumps(doc, indent=1) + "\n")


if __name__ == "__main__":
    main()
