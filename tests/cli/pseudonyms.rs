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
    let (out, map) = (case.path().join("out"), case.path().join("map"));
    let key_args = ["--pseudonymise-key".as_ref(), key.as_os_str()];
    let exports = ["--format", "csv", "--export", "gexf,graphml,i2"].map(std::ffi::OsStr::new);
    let analysis = run("analyze", &out, &[&key_args[..], &exports[..]].concat()).ok();
    let table =
        run("reidentify", &map, &[&key_args[..], &["--quiet".as_ref()][..]].concat()).ok().csv("pseudonyms.csv");
    let back: BTreeMap<String, String> = table.iter().map(|r| (r["pseudonym"].clone(), r["value"].clone())).collect();
    let raw = raw_values(&back.values().cloned().collect::<Vec<_>>());
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
    assert!(texts.len() >= 12, "{} outputs", texts.len());
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
    let stderr = run("reidentify", &case.path().join("nokey"), &[]).fails_cleanly();
    assert!(stderr.contains("--pseudonymise-key"), "{stderr}");
}
