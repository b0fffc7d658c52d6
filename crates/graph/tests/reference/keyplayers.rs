//! Key-player sets against brute force with networkx
//! (`scripts/reference/keyplayers.py`): the best sets of one and two nodes
//! of every reference graph under Borgatti's three criteria.

use nexo_graph::disruption::{Criterion, distance_fragmentation, fragmentation, key_players, reach};

use crate::fixture::{CASES, Case, dir};

#[test]
fn key_players_reach_the_brute_force_optimum() {
    let path = dir().join("keyplayers.json");
    let reference: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let criteria = [
        ("fragmentation", Criterion::Fragmentation),
        ("distance_fragmentation", Criterion::DistanceFragmentation),
        ("reach", Criterion::Reach),
    ];
    for name in CASES {
        let graph = Case::load(name).graph;
        for (label, criterion) in criteria {
            for k in [1usize, 2] {
                let entry = &reference["graphs"][name][label][k.to_string()];
                let best: f64 = entry["best"].as_str().unwrap().parse().unwrap();
                let found = key_players(&graph, k, criterion).unwrap();
                let context = format!("{name}, {label}, k {k}: {:?}", found.nodes);
                assert!((found.score - best).abs() < 1e-12, "{context}: {} vs the best {best}", found.score);
                // The set is one of the optimal sets, and its score is what
                // the evaluators say of it.
                let mut set = found.nodes.clone();
                set.sort_unstable();
                let optimal: Vec<Vec<u32>> = serde_json::from_value(entry["sets"].clone()).unwrap();
                assert!(optimal.contains(&set), "{context}: not among {optimal:?}");
                let evaluated = match criterion {
                    Criterion::Fragmentation => fragmentation(&graph, &set),
                    Criterion::DistanceFragmentation => distance_fragmentation(&graph, &set, 0, 0),
                    Criterion::Reach => reach(&graph, &set),
                };
                assert!((evaluated - best).abs() < 1e-12, "{context}: evaluated {evaluated}");
            }
        }
    }
}
