//! Modularity against networkx (`scripts/reference/community.py`): Louvain,
//! label-propagation, singleton and whole partitions of every reference
//! graph, at resolutions 1, 0.5 and 2.

use nexo_graph::community::{louvain, modularity};

use crate::fixture::{CASES, Case, dir};

#[test]
fn modularity_matches_networkx() {
    let mut checked = 0;
    for &name in CASES {
        let case = Case::load(name);
        let path = dir().join("community").join(format!("{name}.json"));
        let reference: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(reference["directed"].as_bool().unwrap(), case.graph.is_directed(), "{name}");
        for partition in reference["cases"].as_array().unwrap() {
            let membership: Vec<u32> =
                partition["membership"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as u32).collect();
            for (resolution, expected) in partition["modularity"].as_object().unwrap() {
                let resolution: f64 = resolution.parse().unwrap();
                let q = modularity(&case.graph, &membership, resolution).unwrap();
                let expected = expected.as_f64().unwrap();
                assert!(
                    (q - expected).abs() < 1e-12,
                    "{name} {} at {resolution}: {q} vs networkx {expected}",
                    partition["partition"]
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, CASES.len() * 5 * 3);
}

#[test]
fn louvain_reaches_networkx_modularity() {
    for &name in CASES {
        let case = Case::load(name);
        if case.graph.is_directed() {
            continue;
        }
        let path = dir().join("community").join(format!("{name}.json"));
        let reference: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for (partition, resolution) in [("louvain", "1.0"), ("louvain_half", "0.5")] {
            let theirs = reference["cases"].as_array().unwrap().iter().find(|c| c["partition"] == partition).unwrap();
            let theirs = theirs["modularity"][resolution].as_f64().unwrap();
            let r: f64 = resolution.parse().unwrap();
            let membership = louvain(&case.graph, r, 0).unwrap();
            let ours = modularity(&case.graph, &membership, r).unwrap();
            eprintln!("{name} at {resolution}: nexo {ours:.4}, networkx {theirs:.4}");
            assert!(ours >= theirs - 0.002, "{name} at {resolution}: nexo {ours} < networkx {theirs} - 0.002");
            assert_eq!(louvain(&case.graph, r, 0).unwrap(), membership, "same seed, same partition");
        }
    }
}
