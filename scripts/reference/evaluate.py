#!/usr/bin/env python3
"""Independent reference for `nexo evaluate` on the hand-made case in
tests/fixtures/evaluate: NMI and ARI from scikit-learn, precision and recall
at k written out here from their definitions (docs/synthetic.md).

Usage: python scripts/reference/evaluate.py > tests/fixtures/evaluate/expected.json
(needs scikit-learn; any recent version).
"""
import csv
import json
import math
import pathlib

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

HERE = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "evaluate"
KS = [3, 5]
RANKINGS = ["degree", "betweenness", "pagerank"]


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


entities = {r["entity"]: r for r in rows(HERE / "case/truth/entities.csv")}
owners = {r["identifier"]: r["owner"] for r in rows(HERE / "case/truth/identifiers.csv")}
nodes = rows(HERE / "results/nodes.csv")


def entity_of(node):
    key = node if node in entities else owners.get(node)
    return (key, entities[key]) if key in entities else (None, None)


resolved = [entity_of(n["node"]) for n in nodes]
partitions = []
for scope in ["criminals", "everyone"]:
    truth, found = [], []
    for node, (key, e) in zip(nodes, resolved):
        if e is None or node["community"] == "":
            continue
        if scope == "criminals":
            if not e["organisation"]:
                continue
            truth.append(e["organisation"])
        else:
            truth.append(e["group"])
        found.append(int(node["community"]))
    partitions.append({
        "column": "community", "scope": scope, "nodes": len(truth),
        "nmi": normalized_mutual_info_score(truth, found),
        "ari": adjusted_rand_score(truth, found),
    })

totals = {role: sum(1 for e in entities.values() if e["role"] == role) for role in ["leader", "broker"]}
rankings = []
for column in RANKINGS:
    scored = [(float(n[column]) if n[column] != "" else -math.inf, n["node"], i) for i, n in enumerate(nodes)]
    # Descending score, missing last, ties by node key.
    order = [i for _, _, i in sorted(scored, key=lambda t: (-t[0], t[1]))]
    for k in KS:
        top = [resolved[i] for i in order[:k]]
        def precision(role=None):
            hits = sum(1 for key, e in top if e is not None and (e["organisation"] != "" if role is None else e["role"] == role))
            return hits / k
        def recall(role):
            return len({key for key, e in top if e is not None and e["role"] == role}) / totals[role]
        rankings.append({
            "column": column, "k": k,
            "leader_precision": precision("leader"), "leader_recall": recall("leader"),
            "broker_precision": precision("broker"), "broker_recall": recall("broker"),
            "member_share": precision(None),
        })

print(json.dumps({
    "nodes": len(nodes),
    "matched": sum(1 for key, _ in resolved if key is not None),
    "leaders": totals["leader"], "brokers": totals["broker"],
    "partitions": partitions, "rankings": rankings,
}, indent=2))
