//! Communities in `nexo analyze`: the `community` column, communities.csv
//! and the options.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::{Case, Run, root, two_groups_links};

fn two_groups() -> Case {
    Case::with(&[("links.csv", two_groups_links(false).as_bytes())])
}

fn community_of(run: &Run) -> BTreeMap<String, String> {
    run.csv("nodes.csv").into_iter().map(|r| (r["node"].clone(), r["community"].clone())).collect()
}

#[test]
fn every_method_finds_the_two_groups_and_describes_them() {
    let case = two_groups();
    for method in ["leiden", "louvain", "lpa"] {
        let run = case.analyze(&["--format", "csv", "--communities", method]).ok();
        let community = community_of(&run);
        for group in ["A", "B"] {
            let ids: BTreeSet<&String> =
                community.iter().filter(|(k, _)| k.starts_with(group)).map(|(_, c)| c).collect();
            assert_eq!(ids.len(), 1, "{method}: group {group} split: {community:?}");
        }
        assert_ne!(community["A1"], community["B1"], "{method}");
        let rows = run.csv("communities.csv");
        assert_eq!(rows.len(), 2, "{method}");
        // 6 links inside each group, weight 1 each; the bridge is external to both.
        for row in &rows {
            let number = |column: &str| row[column].parse::<f64>().unwrap();
            assert_eq!(row["size"], "4");
            assert_eq!((number("internal_weight"), number("external_weight"), number("density")), (6.0, 1.0, 1.0));
            assert_eq!(row["cross_border_share"], "", "no countries known");
            // m = 13, each group: 6/13 - (13/26)^2.
            let q: f64 = row["modularity"].parse().unwrap();
            assert!((q - (6.0 / 13.0 - 0.25)).abs() < 1e-12, "{q}");
        }
        // Top by degree: the bridge's end first (4 neighbours), then by node key order.
        let a = rows.iter().find(|r| r["top_degree"].contains("A1")).expect("community of A");
        assert_eq!(a["top_degree"], "A1;A2;A3;A4");
    }
}

#[test]
fn none_writes_no_table_and_bad_resolutions_are_refused() {
    let case = two_groups();
    let run = case.analyze(&["--format", "csv", "--communities", "none"]).ok();
    assert!(!run.out.join("communities.csv").exists());
    assert!(community_of(&run).values().all(String::is_empty), "null column");
    for bad in ["--resolution=-1", "--resolution=NaN"] {
        let stderr = two_groups().analyze(&[bad]).fails_cleanly();
        assert!(stderr.contains("--resolution"), "{stderr}");
    }
}

#[test]
fn communities_of_the_synthetic_case_are_connected_and_add_up() {
    let case = Case::with(&[]);
    let small = root().join("datasets-synthetic/small");
    let args = ["analyze".into(), small.into_os_string(), "--out".into(), case.out().into_os_string()];
    let extra = ["--format", "csv", "--measures", "none", "--quiet"];
    let run = Run::of(&[&args[..], &extra.map(Into::into)[..]].concat(), case.out()).ok();
    let community = community_of(&run);
    let rows = run.csv("communities.csv");
    let sizes: usize = rows.iter().map(|r| r["size"].parse::<usize>().unwrap()).sum();
    assert_eq!(sizes, community.len(), "every node in one community");
    // The modularity terms add up to the modularity in the manifest.
    let manifest = run.manifest();
    let entry = manifest["measures"].as_array().unwrap().iter().find(|m| m["measure"] == "community").unwrap();
    let method = entry["method"].as_str().unwrap();
    let stated: f64 = method.split("modularity ").nth(1).unwrap().split(',').next().unwrap().parse().unwrap();
    let sum: f64 = rows.iter().map(|r| r["modularity"].parse::<f64>().unwrap()).sum();
    assert!((sum - stated).abs() < 1e-6, "{sum} vs {method}");
    assert!(stated > 0.5, "{method}");
    for row in &rows {
        let share: f64 = row["cross_border_share"].parse().unwrap_or(0.0);
        assert!((0.0..=1.0).contains(&share));
        let listed: usize = row["countries"]
            .split(';')
            .filter(|s| !s.is_empty())
            .map(|s| s.split(':').nth(1).unwrap().parse::<usize>().unwrap())
            .sum();
        assert!(listed <= row["size"].parse().unwrap());
    }
    // Leiden's guarantee, checked on the links written: each community is connected.
    let mut parent: BTreeMap<String, String> = community.keys().map(|k| (k.clone(), k.clone())).collect();
    fn root_of(parent: &mut BTreeMap<String, String>, mut x: String) -> String {
        while parent[&x] != x {
            x = parent[&x].clone();
        }
        x
    }
    for edge in run.csv("edges.csv") {
        if community[&edge["source"]] == community[&edge["target"]] {
            let (a, b) = (root_of(&mut parent, edge["source"].clone()), root_of(&mut parent, edge["target"].clone()));
            if a != b {
                let (low, high) = if a < b { (a, b) } else { (b, a) };
                parent.insert(high, low);
            }
        }
    }
    let mut parts: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for node in community.keys() {
        let r = root_of(&mut parent, node.clone());
        parts.entry(community[node].clone()).or_default().insert(r);
    }
    assert!(parts.values().all(|roots| roots.len() == 1), "a community is disconnected");
}
