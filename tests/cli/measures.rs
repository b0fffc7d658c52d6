//! Centrality columns end to end: records in, the same values as networkx
//! out (the references of crates/graph/tests/fixtures), exact or estimated
//! as the manifest says.

use std::collections::{BTreeMap, HashMap};

use crate::common::{Case, root, two_groups_links};

/// A links table of a reference graph, nodes keyed `N<id>`, and networkx's values by key.
struct Reference {
    case: Case,
    nodes: HashMap<String, BTreeMap<String, String>>,
    edges: Vec<BTreeMap<String, String>>,
    katz_alpha: f64,
}

fn rows(path: &std::path::Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).expect("fixture");
    let header = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|r| header.iter().zip(r.expect("row").iter()).map(|(h, v)| (h.into(), v.into())).collect())
        .collect()
}

fn reference(name: &str) -> Reference {
    let dir = root().join("crates/graph/tests/fixtures/centrality").join(name);
    let mut links = String::from("source,target,weight,layer\n");
    for edge in rows(&dir.join("edges.csv")) {
        links.push_str(&format!("N{},N{},{},call\n", edge["source"], edge["target"], edge["weight"]));
    }
    let nodes = rows(&dir.join("nodes.csv")).into_iter().map(|row| (format!("N{}", row["node"]), row)).collect();
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("meta.json")).expect("meta")).expect("json");
    Reference {
        case: Case::with(&[("links.csv", links.as_bytes())]),
        nodes,
        edges: rows(&dir.join("edge_scores.csv")),
        katz_alpha: meta["katz_alpha"].as_f64().expect("alpha"),
    }
}

fn float(row: &BTreeMap<String, String>, column: &str) -> f64 {
    row[column].parse().unwrap_or_else(|_| panic!("{column}: {:?}", row[column]))
}

/// Asserts that every node's `ours` column equals the reference's `theirs` within `tolerance`.
fn assert_column(output: &[BTreeMap<String, String>], reference: &Reference, ours: &str, theirs: &str, tolerance: f64) {
    assert_eq!(output.len(), reference.nodes.len());
    for row in output {
        let (a, e) = (float(row, ours), float(&reference.nodes[&row["node"]], theirs));
        assert!((a - e).abs() <= tolerance, "{ours} of {}: nexo {a}, networkx {e}", row["node"]);
    }
}

#[test]
fn undirected_measures_match_networkx_on_caviar() {
    let r = reference("caviar_undirected");
    let alpha = r.katz_alpha.to_string();
    let run = r.case.analyze(&["--format", "csv", "--katz-alpha", &alpha]).ok();
    let nodes = run.csv("nodes.csv");
    assert_column(&nodes, &r, "betweenness", "betweenness", 1e-9);
    assert_column(&nodes, &r, "closeness", "closeness", 1e-9);
    assert_column(&nodes, &r, "harmonic", "harmonic", 1e-9);
    assert_column(&nodes, &r, "eigenvector", "eigenvector", 1e-6);
    assert_column(&nodes, &r, "katz", "katz", 1e-6);
    assert_column(&nodes, &r, "core", "core", 0.0);
    // Edge betweenness: every layer row of a pair carries the pair's score.
    let expected: HashMap<(String, String), f64> = r
        .edges
        .iter()
        .flat_map(|e| {
            let (u, v) = (format!("N{}", e["source"]), format!("N{}", e["target"]));
            let score = float(e, "edge_betweenness");
            [((u.clone(), v.clone()), score), ((v, u), score)]
        })
        .collect();
    for row in run.csv("edges.csv") {
        let e = expected[&(row["source"].clone(), row["target"].clone())];
        assert!((float(&row, "edge_betweenness") - e).abs() <= 1e-9, "{}-{}", row["source"], row["target"]);
    }
    let manifest = run.manifest();
    let methods: Vec<&str> =
        manifest["measures"].as_array().unwrap().iter().map(|m| m["method"].as_str().unwrap()).collect();
    assert!(methods[0].starts_with("exact"), "{methods:?}");
}

#[test]
fn directed_and_weighted_paths_match_networkx_on_caviar() {
    let r = reference("caviar_directed");
    let run = r
        .case
        .analyze(&["--format", "csv", "--directed", "--measures", "betweenness,closeness,pagerank,components"])
        .ok();
    let nodes = run.csv("nodes.csv");
    assert_column(&nodes, &r, "betweenness", "betweenness", 1e-9);
    assert_column(&nodes, &r, "closeness", "closeness", 1e-9);
    assert_column(&nodes, &r, "pagerank", "pagerank", 1e-6);
    assert_column(&nodes, &r, "scc_size", "scc_size", 0.0);
    assert!(nodes.iter().all(|row| row["eigenvector"].is_empty()), "not asked, so null");

    let run = r
        .case
        .analyze(&["--format", "csv", "--directed", "--path-weight", "inverse", "--measures", "betweenness"])
        .ok();
    assert_column(&run.csv("nodes.csv"), &r, "betweenness", "betweenness_inverse", 1e-9);
}

#[test]
fn above_the_exact_limit_estimates_say_so_and_stay_close() {
    let r = reference("montagna_meetings");
    let run = r
        .case
        .analyze(&[
            "--format",
            "csv",
            "--measures",
            "betweenness,closeness",
            "--exact-limit",
            "1e4",
            "--epsilon",
            "0.005",
        ])
        .ok();
    let manifest = run.manifest();
    let entries = manifest["measures"].as_array().unwrap();
    assert!(entries[0]["method"].as_str().unwrap().starts_with("adaptive (KADABRA)"), "{entries:?}");
    assert!(entries[1]["method"].as_str().unwrap().starts_with("sampled sources"), "{entries:?}");
    let warnings = manifest["warnings"].to_string();
    assert!(warnings.contains("above the exact limit"), "{warnings}");
    // epsilon is on the share of all pairs; networkx's scale is n / (n - 2) larger.
    let n = r.nodes.len() as f64;
    assert_column(&run.csv("nodes.csv"), &r, "betweenness", "betweenness", 0.005 * n / (n - 2.0));
}

#[test]
fn weights_that_cannot_be_lengths_are_refused_with_the_link_named() {
    let case = Case::with(&[("links.csv", b"source,target,weight\nANA,BETO,2\nBETO,CARMEN,0\n")]);
    let run = case.analyze(&["--path-weight", "inverse"]);
    let stderr = run.fails_cleanly();
    assert!(stderr.contains("BETO - CARMEN") && stderr.contains("weight 0"), "{stderr}");
}

#[test]
fn a_meaningless_exact_limit_is_refused() {
    let case = Case::with(&[("links.csv", b"source,target\nANA,BETO\n")]);
    let stderr = case.analyze(&["--exact-limit", "0"]).fails_cleanly();
    assert!(stderr.contains("--exact-limit"), "{stderr}");
}

#[test]
fn brokerage_positions_are_written_for_each_node() {
    // Two groups of four, all linked within, joined by A1 - B1.
    let csv = two_groups_links(false);
    let case = Case::with(&[("links.csv", csv.as_bytes())]);
    let run = case.analyze(&["--format", "csv", "--measures", "holes,cuts", "--communities", "none"]).ok();
    let nodes: BTreeMap<String, BTreeMap<String, String>> =
        run.csv("nodes.csv").into_iter().map(|r| (r["node"].clone(), r)).collect();
    for (node, articulation, bridges) in [("A1", "1", "1"), ("B1", "1", "1"), ("A2", "0", "0"), ("B4", "0", "0")] {
        assert_eq!((nodes[node]["articulation"].as_str(), nodes[node]["bridges"].as_str()), (articulation, bridges));
    }
    // By hand: A2's contacts A1, A3, A4 (p = 1/3), all tied to each other;
    // A1 has four contacts. c = (1/3 + 2/9)² + 2 (1/3 + 1/12 + 1/9)² = 1122/1296.
    assert!((float(&nodes["A2"], "constraint") - 1122.0 / 1296.0).abs() < 1e-12);
    // Effective size n - 2t/n = 3 - 2 * 3 / 3 = 1; efficiency 1/3.
    assert!((float(&nodes["A2"], "effective_size") - 1.0).abs() < 1e-12);
    assert!((float(&nodes["A2"], "efficiency") - 1.0 / 3.0).abs() < 1e-12);
    // The bridge's end brokers more: lower constraint than its group.
    assert!(float(&nodes["A1"], "constraint") < float(&nodes["A2"], "constraint"));
}

#[test]
fn brokerage_roles_follow_the_chosen_groups() {
    // An exporter in Colombia, a broker in Spain, a distributor in Spain and
    // one in Italy; the exporter also reaches the Spanish distributor.
    let links = "source,target\nEXP,BRK\nBRK,DIS\nBRK,ITA\nEXP,DIS\n";
    let entities =
        "identifier,entity,country,cell\nEXP,EXP,CO,south\nBRK,BRK,ES,north\nDIS,DIS,ES,north\nITA,ITA,IT,north\n";
    let case = Case::with(&[("links.csv", links.as_bytes()), ("entities.csv", entities.as_bytes())]);
    let roles = |groups: &str| {
        let run = case.analyze(&["--format", "csv", "--measures", "brokerage", "--groups", groups]).ok();
        let broker = run.csv("nodes.csv").into_iter().find(|r| r["node"] == "BRK").expect("broker row");
        ["coordinator", "itinerant", "representative", "gatekeeper", "liaison", "brokerage"]
            .map(|c| broker[c].parse::<u64>().unwrap())
    };
    // Only EXP -> BRK -> ITA is open (EXP -> DIS exists): CO, ES, IT are three countries.
    assert_eq!(roles("country"), [0, 0, 0, 0, 1, 1]);
    // By region: Latin America -> Europe -> Europe, the broker guards Europe's door.
    assert_eq!(roles("region"), [0, 0, 0, 1, 0, 1]);
    // By an entities column: south -> north -> north.
    assert_eq!(roles("cell"), [0, 0, 0, 1, 0, 1]);
    let stderr = Case::with(&[("links.csv", links.as_bytes())]).analyze(&["--groups", "gang"]).fails_cleanly();
    assert!(stderr.contains("--groups") && stderr.contains("gang"), "{stderr}");
}

#[test]
fn ties_across_groups_countries_and_regions() {
    let links = "source,target\nEXP,BRK\nBRK,DIS\nBRK,ITA\nEXP,DIS\n";
    let entities = "identifier,entity,country\nEXP,EXP,CO\nBRK,BRK,ES\nDIS,DIS,ES\nITA,ITA,IT\n";
    let case = Case::with(&[("links.csv", links.as_bytes()), ("entities.csv", entities.as_bytes())]);
    let run = case.analyze(&["--format", "csv", "--measures", "ties", "--communities", "none"]).ok();
    let broker = run.csv("nodes.csv").into_iter().find(|r| r["node"] == "BRK").expect("broker row");
    // BRK's ties: EXP (Colombia), DIS (Spain, its own country), ITA (Italy).
    assert!((float(&broker, "ei_index") - 1.0 / 3.0).abs() < 1e-12);
    assert!((float(&broker, "cross_country_share") - 2.0 / 3.0).abs() < 1e-12);
    assert!((float(&broker, "cross_region_share") - 1.0 / 3.0).abs() < 1e-12);
    let groups: BTreeMap<String, BTreeMap<String, String>> =
        run.csv("groups.csv").into_iter().map(|r| (r["group"].clone(), r)).collect();
    let row = |g: &str| ["members", "internal_weight", "external_weight", "ei_index"].map(|c| float(&groups[g], c));
    assert_eq!(row("CO"), [1.0, 0.0, 2.0, 1.0]);
    assert_eq!(row("ES"), [2.0, 1.0, 3.0, 0.5]);
    assert_eq!(row("IT"), [1.0, 0.0, 1.0, 1.0]);
}

#[test]
fn disrupt_writes_the_curve_step_by_step() {
    // A star around HUB with a chain HUB - A - B: removing HUB leaves A - B and three isolated leaves.
    let links = "source,target\nHUB,L1\nHUB,L2\nHUB,L3\nHUB,A\nA,B\n";
    let case = Case::with(&[("links.csv", links.as_bytes())]);
    let out = case.out();
    let args: Vec<std::ffi::OsString> = vec![
        "disrupt".into(),
        case.path().into(),
        "--out".into(),
        out.clone().into(),
        "--format".into(),
        "csv".into(),
        "--by".into(),
        "degree".into(),
        "--steps".into(),
        "2".into(),
        "--efficiency".into(),
        "--quiet".into(),
    ];
    let run = crate::common::Run::of(&args, out.clone()).ok();
    let rows = run.csv("disruption.csv");
    let column = |c: &str| rows.iter().map(|r| r[c].clone()).collect::<Vec<_>>();
    assert_eq!(column("step"), ["0", "1", "2"]);
    assert_eq!(column("removed"), ["", "HUB", "A"]);
    assert_eq!(column("removed_total"), ["0", "1", "2"]);
    assert_eq!(column("nodes"), ["6", "5", "4"]);
    assert_eq!(column("largest_weak"), ["6", "2", "1"]);
    assert_eq!(column("weak_components"), ["1", "4", "4"]);
    let efficiency: Vec<f64> = column("efficiency").iter().map(|e| e.parse().unwrap()).collect();
    assert!(efficiency[0] > efficiency[1] && efficiency[1] > efficiency[2] && efficiency[2] >= 0.0, "{efficiency:?}");
    assert_eq!(run.manifest()["measures"][0]["measure"], "disruption");
    let mut bad = args.clone();
    bad.extend(["--block".into(), "0".into()]);
    let other = Case::with(&[("links.csv", links.as_bytes())]);
    bad[3] = other.out().into();
    bad[1] = other.path().into();
    let stderr = crate::common::Run::of(&bad, other.out()).fails_cleanly();
    assert!(stderr.contains("--block"), "{stderr}");
}

#[test]
fn disrupt_by_key_players_and_by_sampled_betweenness() {
    // A star of 100 leaves around HUB with a chain HUB - A - B, both ways.
    let mut links = String::from("source,target\nHUB,A\nA,HUB\nA,B\nB,A\n");
    for leaf in 0..100 {
        links.push_str(&format!("HUB,L{leaf}\nL{leaf},HUB\n"));
    }
    let disrupt = |extra: &[&str]| {
        let case = Case::with(&[("links.csv", links.as_bytes())]);
        let out = case.out();
        let mut args: Vec<std::ffi::OsString> = ["disrupt", "--format", "csv", "--steps", "2", "--quiet", "--out"]
            .iter()
            .map(Into::into)
            .chain([out.clone().into_os_string(), case.path().into()])
            .collect();
        args.extend(extra.iter().map(Into::into));
        let run = crate::common::Run::of(&args, out).ok();
        let removed: Vec<String> = run.csv("disruption.csv").iter().map(|r| r["removed"].clone()).collect();
        (removed, run.manifest()["measures"][0]["method"].as_str().unwrap().to_owned())
    };
    // Removing A then leaves only isolated nodes; any leaf would leave A - B.
    let (removed, method) = disrupt(&["--by", "kpp"]);
    assert_eq!(removed, ["", "HUB", "A"]);
    assert!(method.starts_with("key players (kpp-neg)"), "{method}");
    let (removed, method) = disrupt(&["--by", "betweenness", "--exact-limit", "1"]);
    assert_eq!(removed[1], "HUB");
    assert!(method.starts_with("betweenness from 64 sampled sources per step"), "{method}");
    let (_, method) = disrupt(&["--by", "betweenness"]);
    assert!(method.starts_with("betweenness, 1 per step"), "{method}");
}

#[test]
fn keyplayers_names_the_bridge() {
    // Two groups of four, all linked within, joined by A1 - B1: removing A1
    // (or B1) leaves 3 + 4 nodes, 18 of 42 ordered pairs connected.
    let csv = two_groups_links(false);
    let case = Case::with(&[("links.csv", csv.as_bytes())]);
    let out = case.out();
    let args: Vec<std::ffi::OsString> = ["keyplayers", "--k", "1", "--format", "csv", "--quiet", "--out"]
        .iter()
        .map(Into::into)
        .chain([out.clone().into_os_string(), case.path().into()])
        .collect();
    let run = crate::common::Run::of(&args, out).ok();
    let rows = run.csv("keyplayers.csv");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["node"], "A1");
    assert_eq!(rows[0]["criterion"], "fragmentation");
    assert!((float(&rows[0], "fragmentation") - (1.0 - 18.0 / 42.0)).abs() < 1e-12);
    // The 18 pairs left are all adjacent; A1 reaches 4 nodes in one hop
    // (itself counting 1) and B2 - B4 in two: (5 + 3 / 2) / 8.
    assert!((float(&rows[0], "distance_fragmentation") - (1.0 - 18.0 / 42.0)).abs() < 1e-12);
    assert!((float(&rows[0], "reach") - 6.5 / 8.0).abs() < 1e-12);
    for kind in ["neg-distance", "pos"] {
        let case = Case::with(&[("links.csv", csv.as_bytes())]);
        let mut args = args.clone();
        args[7] = case.out().into_os_string();
        args[8] = case.path().into();
        args.extend(["--kind".into(), kind.into()]);
        let run = crate::common::Run::of(&args, case.out()).ok();
        let rows = run.csv("keyplayers.csv");
        assert_eq!(rows[0]["node"], "A1", "{kind}");
        assert_eq!(rows[0]["criterion"], if kind == "pos" { "reach" } else { "distance_fragmentation" });
        let method = run.manifest()["measures"][0]["method"].as_str().unwrap().to_owned();
        assert!(method.starts_with(if kind == "pos" { "KPP-Pos" } else { "KPP-Neg" }), "{method}");
    }
    let other = Case::with(&[("links.csv", csv.as_bytes())]);
    let mut bad = args.clone();
    bad[2] = "0".into();
    bad[7] = other.out().into_os_string();
    bad[8] = other.path().into();
    let stderr = crate::common::Run::of(&bad, other.out()).fails_cleanly();
    assert!(stderr.contains("--k"), "{stderr}");
}

#[test]
fn the_key_node_list_puts_the_bridge_first() {
    // Two groups of four joined by A1 - B1, every link both ways (PageRank
    // runs on the directed graph).
    let csv = two_groups_links(true);
    let case = Case::with(&[("links.csv", csv.as_bytes())]);
    let run = case.analyze(&["--format", "csv", "--communities", "none"]).ok();
    let nodes: BTreeMap<String, BTreeMap<String, String>> =
        run.csv("nodes.csv").into_iter().map(|r| (r["node"].clone(), r)).collect();
    // A1 and B1 are symmetric (their scores may differ in the last bits).
    let mut top = [nodes["A1"]["key_rank"].as_str(), nodes["B1"]["key_rank"].as_str()];
    top.sort_unstable();
    assert_eq!(top, ["1", "2"]);
    // Every other node scores below both ends of the bridge.
    let bridge = float(&nodes["A1"], "key_score").min(float(&nodes["B1"], "key_score"));
    assert!(
        nodes.iter().filter(|(k, _)| !["A1", "B1"].contains(&k.as_str())).all(|(_, r)| float(r, "key_score") < bridge)
    );
    let ranks: std::collections::BTreeSet<&str> = nodes.values().map(|r| r["key_rank"].as_str()).collect();
    assert_eq!(ranks.len(), 8, "ranks are distinct");
}
