//! The bundled sample gives the network checked by hand (see
//! datasets-synthetic/README.md for the derivation).

use std::collections::BTreeMap;

use crate::common::{Case, Run, root};

fn analyze_sample(args: &[&str]) -> (Case, Run) {
    let case = Case::with(&[]);
    let run = case.analyze_sample(args).ok();
    (case, run)
}

fn by_key(rows: Vec<BTreeMap<String, String>>, key: &[&str]) -> BTreeMap<String, BTreeMap<String, String>> {
    rows.into_iter().map(|r| (key.iter().map(|k| r[*k].as_str()).collect::<Vec<_>>().join(" "), r)).collect()
}

#[test]
fn sample_gives_the_hand_checked_nodes() {
    let (_case, run) = analyze_sample(&["--format", "csv"]);
    let nodes = by_key(run.csv("nodes.csv"), &["node"]);
    let keys: Vec<&str> = nodes.keys().map(String::as_str).collect();
    assert_eq!(keys, ["+34699000111", "EC-PICH-778899", "P01", "P02", "P03", "P04", "P05", "P06", "P07"]);
    // node: identifiers, degree, in_degree, out_degree, strength, in_strength, out_strength
    let expected = [
        ("+34699000111", ["1", "2", "0", "2", "3", "0", "3"]),
        ("EC-PICH-778899", ["1", "2", "1", "1", "2", "1", "1"]),
        ("P01", ["2", "1", "1", "1", "5", "1", "4"]),
        ("P02", ["1", "3", "2", "2", "8", "3", "5"]),
        ("P03", ["3", "5", "4", "4", "15", "8", "7"]),
        ("P04", ["1", "3", "2", "1", "7", "5", "2"]),
        ("P05", ["2", "3", "3", "1", "6", "5", "1"]),
        ("P06", ["2", "3", "2", "2", "7", "5", "2"]),
        ("P07", ["2", "2", "1", "2", "5", "1", "4"]),
    ];
    let columns = ["identifiers", "degree", "in_degree", "out_degree", "strength", "in_strength", "out_strength"];
    for (node, values) in expected {
        for (column, value) in columns.iter().zip(values) {
            assert_eq!(nodes[node][*column], value, "{node} {column}");
        }
    }
    assert_eq!(nodes["P01"]["label"], "Hernán Ocampo");
    assert_eq!(nodes["P01"]["alias"], "El Patrón", "extra entity columns are carried");
    assert_eq!(nodes["P05"]["kind"], "company");
    assert_eq!(nodes["+34699000111"]["country"], "ES", "country observed in the records");
    assert_eq!(nodes["EC-PICH-778899"]["label"], "");
}

#[test]
fn sample_gives_the_hand_checked_edges() {
    let (_case, run) = analyze_sample(&["--format", "csv"]);
    let edges = by_key(run.csv("edges.csv"), &["source", "target", "layer"]);
    assert_eq!(edges.len(), 23);
    let p01_p03 = &edges["P01 P03 call"];
    assert_eq!(p01_p03["records"], "4", "three formats of one phone, and a second phone, are one person");
    assert_eq!(p01_p03["duration_s"], "660");
    assert_eq!(p01_p03["first_seen"], "2024-03-02T01:15:00Z");
    assert_eq!(p01_p03["last_seen"], "2024-03-26T03:00:00Z");
    let laundering = &edges["P07 P06 transfer"];
    assert_eq!((laundering["records"].as_str(), laundering["amount"].as_str()), ("2", "19700.5"));
    assert_eq!(edges["P07 P03 transfer"]["amount"], "1200.5", "decimal comma");
    assert_eq!(edges["P03 P05 meeting"]["weight"], "2", "a link row counts its weight");
    assert_eq!(edges["P02 P03 shared-address"]["first_seen"], "", "undated link");
    assert_eq!(edges["+34699000111 P04 sms"]["records"], "1");
    assert!(!edges.keys().any(|k| k.starts_with("P01 P01")), "self-contacts are dropped");
    let manifest = run.manifest();
    assert_eq!(manifest["records"]["self_contacts"], 2);
    assert_eq!(manifest["records"]["linked"], 28);
    assert_eq!(manifest["network"]["nodes"], 9);
    run.assert_counts_balance();
}

#[test]
fn weight_duration_and_amount() {
    let (_case, run) = analyze_sample(&["--format", "csv", "--weight", "amount"]);
    let nodes = by_key(run.csv("nodes.csv"), &["node"]);
    assert_eq!(nodes["P06"]["in_strength"], "29200.5");
    let (_case, run) = analyze_sample(&["--format", "csv", "--weight", "duration"]);
    let nodes = by_key(run.csv("nodes.csv"), &["node"]);
    assert_eq!(nodes["P01"]["out_strength"], "660");
}

#[test]
fn time_window_and_layers_select_records() {
    let (_case, run) =
        analyze_sample(&["--format", "csv", "--from", "2024-03-10", "--to", "2024-03-20", "--layers", "call,meeting"]);
    let edges = by_key(run.csv("edges.csv"), &["source", "target", "layer"]);
    assert!(edges.keys().all(|k| k.ends_with(" call") || k.ends_with(" meeting")), "{:?}", edges.keys());
    assert_eq!(edges["P02 P04 call"]["records"], "2");
    assert!(!edges.contains_key("P01 P03 call"));
    let records = &run.manifest()["records"];
    assert!(records["outside_window"].as_u64() > Some(0));
    assert!(records["layer_not_selected"].as_u64() > Some(0));
    run.assert_counts_balance();
}

#[test]
fn outputs_are_identical_at_any_thread_count() {
    let outputs = |threads: &str| {
        let (_case, run) = analyze_sample(&["--threads", threads]);
        ["nodes.parquet", "edges.parquet", "communities.parquet", "rejected.csv", "report.html"]
            .map(|f| std::fs::read(run.out.join(f)).expect("output"))
    };
    let one = outputs("1");
    assert_eq!(one, outputs("2"));
    assert_eq!(one, outputs("4"));
}

#[test]
fn schema_docs_are_in_step_with_the_code() {
    let path = root().join("docs/schemas.md");
    let generated = nexo_io::schema_markdown();
    if std::env::var_os("NEXO_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write docs");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(committed, generated, "docs/schemas.md is stale: run `NEXO_BLESS=1 cargo test schema_docs`");
}

#[test]
fn top_prints_the_highest_nodes_of_an_analysis() {
    for format in ["parquet", "csv"] {
        let (case, _run) = analyze_sample(&["--format", format]);
        let top = |by: &str| {
            let args: Vec<std::ffi::OsString> =
                vec!["top".into(), case.out().into(), "--by".into(), by.into(), "--n".into(), "3".into()];
            Run::of(&args, case.out())
        };
        let run = top("betweenness").ok();
        let stdout = String::from_utf8_lossy(&run.output.stdout).into_owned();
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), 4, "{stdout}");
        assert!(lines[0].starts_with("#  node") && lines[0].ends_with("betweenness"), "{stdout}");
        assert!(lines[1].starts_with("1  P03") && lines[1].contains("Rafael Mena"), "{stdout}");
        // Ranks come lowest first.
        let ranked = top("key_rank").ok();
        let first = String::from_utf8_lossy(&ranked.output.stdout).lines().nth(1).unwrap_or("").to_owned();
        assert!(first.starts_with("1  P03") && first.ends_with(" 1"), "{first}");
        let bad = top("nope");
        assert_eq!(bad.code(), 2);
        assert!(bad.stderr().contains("betweenness"), "lists the numeric columns: {}", bad.stderr());
    }
}
