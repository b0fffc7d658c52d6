//! Pseudonymised exchange: no raw identifier, entity key, label or
//! attribute in any output, the same pseudonyms under the same key, and
//! the key holder's way back.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::{Case, Run, sample_dir};

/// Every identifier, entity key, label and alias of the sample, as written
/// and in canonical form (from the key holder's table).
fn raw_values(canonical: &[String]) -> BTreeSet<String> {
    let mut values: BTreeSet<String> = canonical.iter().cloned().collect();
    for (file, columns) in [
        ("calls.csv", &["source", "target"][..]),
        ("transfers.csv", &["source", "target"]),
        ("links.csv", &["source", "target"]),
        ("entities.csv", &["identifier", "entity", "label", "alias"]),
    ] {
        let mut reader = csv::Reader::from_path(sample_dir().join(file)).expect("sample");
        let header = reader.headers().expect("header").clone();
        for row in reader.records() {
            let row = row.expect("row");
            for (name, value) in header.iter().zip(row.iter()) {
                if columns.contains(&name) && !value.trim().is_empty() {
                    values.insert(value.trim().to_owned());
                }
            }
        }
    }
    values
}

fn key_file(dir: &Path, name: &str, key: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, key).expect("key");
    path
}

fn run(command: &str, out: &Path, extra: &[&std::ffi::OsStr]) -> Run {
    let mut args: Vec<std::ffi::OsString> = vec![command.into(), sample_dir().into(), "--out".into(), out.into()];
    args.extend(extra.iter().map(|a| a.to_os_string()));
    Run::of(&args, out.to_owned())
}

#[test]
fn no_raw_identifier_reaches_any_output() {
    let case = Case::with(&[]);
    let key = key_file(case.path(), "key", "a shared secret of the two agencies, 48 bytes..\n");
    let (out, map) = (case.path().join("out"), case.path().join("map.csv"));
    let key_args = ["--pseudonymise-key".as_ref(), key.as_os_str()];
    let exports = ["--format", "csv", "--export", "gexf,graphml,i2", "--evidence"].map(std::ffi::OsStr::new);
    let analysis = run("analyze", &out, &[&key_args[..], &exports[..]].concat()).ok();
    let map_args = ["--quiet".as_ref(), "--map".as_ref(), map.as_os_str()];
    run("reidentify", &map, &[&key_args[..], &map_args[..]].concat()).ok();
    let mut reader = csv::Reader::from_path(&map).expect("the key holder's table");
    let back: BTreeMap<String, String> =
        reader.records().map(|r| r.expect("row")).map(|r| (r[0].to_owned(), r[1].to_owned())).collect();
    let mut raw = raw_values(&back.values().cloned().collect::<Vec<_>>());
    // Input file names may name people too.
    for file in ["calls.csv", "transfers.csv", "links.csv", "entities.csv"] {
        raw.insert(sample_dir().join(file).display().to_string());
    }
    assert!(raw.contains("+573001110001") && raw.contains("Hernán Ocampo") && raw.contains("El Patrón"));
    // Every output file, and what the run printed.
    let mut texts = vec![("stdout".to_owned(), String::from_utf8_lossy(&analysis.output.stdout).into_owned())];
    for entry in std::fs::read_dir(&out).expect("outputs") {
        let path = entry.expect("entry").path();
        texts.push((
            path.display().to_string(),
            String::from_utf8_lossy(&std::fs::read(&path).expect("read")).into_owned(),
        ));
    }
    assert!(texts.len() >= 14, "{} outputs", texts.len());
    for (name, text) in &texts {
        for value in &raw {
            assert!(!text.contains(value.as_str()), "{value:?} in {name}");
        }
    }
    // Every node key is a pseudonym the key holder maps back.
    let nodes = analysis.csv("nodes.csv");
    assert_eq!(nodes.len(), 9);
    for node in &nodes {
        assert!(back.contains_key(&node["node"]), "{} not in the key holder's table", node["node"]);
        assert!(node["country"].len() == 2, "countries stay readable");
    }
    let p03 = nodes.iter().find(|n| back[&n["node"]] == "P03").expect("P03");
    assert_eq!(back[&p03["label"]], "Rafael Mena");
}

#[test]
fn the_same_key_gives_the_same_pseudonyms_and_a_bad_key_writes_nothing() {
    let case = Case::with(&[]);
    let first = key_file(case.path(), "first", "0123456789abcdef0123456789abcdef");
    let other = key_file(case.path(), "other", "0123456789abcdef0123456789abcdeF");
    let short = key_file(case.path(), "short", "0123456789abcdef");
    let nodes = |key: &Path, out: &str| {
        let out = case.path().join(out);
        let args =
            ["--pseudonymise-key".as_ref(), key.as_os_str(), "--format".as_ref(), "csv".as_ref(), "--quiet".as_ref()];
        let rows = run("analyze", &out, &args).ok().csv("nodes.csv");
        rows.into_iter().map(|r| r["node"].clone()).collect::<BTreeSet<_>>()
    };
    let (a, b, c) = (nodes(&first, "a"), nodes(&first, "b"), nodes(&other, "c"));
    assert_eq!(a, b);
    assert!(a.is_disjoint(&c), "another key, other pseudonyms");
    for bad in [short.clone(), case.path().join("missing")] {
        let out = case.path().join("bad");
        let stderr = run("analyze", &out, &["--pseudonymise-key".as_ref(), bad.as_os_str()]).fails_cleanly();
        assert!(stderr.contains("key") || stderr.contains("missing"), "{stderr}");
    }
    let map = case.path().join("map.csv");
    let stderr = run("reidentify", &map, &["--map".as_ref(), map.as_os_str()]).fails_cleanly();
    assert!(stderr.contains("--pseudonymise-key"), "{stderr}");
    // The key holder's table never goes into an output directory.
    let inside = case.path().join("a/map.csv");
    let args = ["--pseudonymise-key".as_ref(), first.as_os_str(), "--map".as_ref(), inside.as_os_str()];
    let stderr = run("reidentify", &inside, &args).fails_cleanly();
    assert!(stderr.contains("manifest.json"), "{stderr}");
}

#[test]
fn a_strict_stop_quotes_no_raw_value() {
    let case = Case::with(&[("links.csv", b"source,target,weight\nANA,BOB,abc\n")]);
    let key = key_file(case.path(), "key", "0123456789abcdef0123456789abcdef");
    let stderr = case.analyze(&["--strict", "--pseudonymise-key", key.to_str().expect("utf-8")]).fails_cleanly();
    assert!(stderr.contains("px-"), "{stderr}");
    for raw in ["abc", "links.csv"] {
        assert!(!stderr.contains(raw), "{raw:?} in {stderr}");
    }
}
