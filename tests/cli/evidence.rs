//! The evidence trail: every link traced to the input records behind it,
//! and `nexo explain` reading it.

use std::collections::BTreeMap;

use crate::common::{Case, Run, sample_dir};

/// The cells of line `line` (header = 1) of a sample CSV, by column name.
fn input_line(file: &str, line: u64) -> BTreeMap<String, String> {
    let mut reader = csv::Reader::from_path(file).expect("input");
    let header = reader.headers().expect("header").clone();
    let record = reader.records().nth(line as usize - 2).expect("line").expect("record");
    header.iter().zip(record.iter()).map(|(h, v)| (h.to_owned(), v.to_owned())).collect()
}

#[test]
fn every_link_leads_back_to_its_records() {
    let case = Case::with(&[]);
    let run = case.analyze_sample(&["--evidence", "--format", "csv", "--threads", "2"]).ok();
    let evidence = run.csv("evidence.csv");
    let linked = run.manifest()["records"]["linked"].as_u64().expect("linked");
    assert_eq!(evidence.len() as u64, linked, "one row per linked record");
    let node_of: BTreeMap<String, String> =
        run.csv("identifiers.csv").into_iter().map(|r| (r["identifier"].clone(), r["node"].clone())).collect();
    // An identifier maps to its node; link records may also name a node (an entity) directly.
    let node = |raw: &str| {
        let canonical = nexo_graph::canonical_identifier(raw, &mut String::new()).to_owned();
        node_of.get(&canonical).cloned().unwrap_or(canonical)
    };
    for row in &evidence {
        let line: u64 = row["line"].parse().expect("line");
        let record = input_line(&row["file"], line);
        let at = format!("{}:{line}", row["file"]);
        assert_eq!(node(&record["source"]), row["source"], "{at}");
        assert_eq!(node(&record["target"]), row["target"], "{at}");
        let layer = record.get("kind").or(record.get("layer")).cloned().unwrap_or_else(|| "transfer".into());
        assert_eq!(layer, row["layer"], "{at}");
    }
    // Each link's records are its rows of evidence.
    let mut per_link: BTreeMap<(String, String, String), u64> = BTreeMap::new();
    for row in &evidence {
        *per_link.entry((row["source"].clone(), row["target"].clone(), row["layer"].clone())).or_default() += 1;
    }
    for edge in run.csv("edges.csv") {
        let link = (edge["source"].clone(), edge["target"].clone(), edge["layer"].clone());
        assert_eq!(per_link[&link].to_string(), edge["records"], "{link:?}");
    }
    // The same bytes at one thread.
    let other = Case::with(&[]);
    let one = other.analyze_sample(&["--evidence", "--format", "csv", "--threads", "1"]).ok();
    for table in ["evidence.csv", "identifiers.csv"] {
        assert_eq!(std::fs::read(one.out.join(table)).ok(), std::fs::read(run.out.join(table)).ok(), "{table}");
    }
}

#[test]
fn explain_names_identifiers_links_and_records() {
    let case = Case::with(&[]);
    case.analyze_sample(&["--evidence"]).ok();
    let explain = |node: &str| {
        let args: Vec<std::ffi::OsString> = vec!["explain".into(), case.out().into(), "--node".into(), node.into()];
        Run::of(&args, case.out())
    };
    // P01 by one of its phone numbers, written as the operator wrote it.
    let run = explain("+57 300 111 0001").ok();
    let stdout = String::from_utf8_lossy(&run.output.stdout).into_owned();
    assert!(stdout.starts_with("node P01\n"), "{stdout}");
    assert!(stdout.contains("identifiers (2): +573001110001, +573102220002"), "{stdout}");
    assert!(stdout.contains("-> P03 (Rafael Mena)  call  records 4"), "{stdout}");
    let calls = sample_dir().join("calls.csv").display().to_string();
    assert!(stdout.contains(&format!("records at {calls}:2, {calls}:3, {calls}:4, {calls}:20")), "{stdout}");
    // By label, and a node nobody knows.
    assert!(String::from_utf8_lossy(&explain("Rafael Mena").ok().output.stdout).starts_with("node P03\n"));
    let unknown = explain("nobody");
    assert_eq!(unknown.code(), 2);
    assert!(unknown.stderr().contains("--node"), "{}", unknown.stderr());
}
