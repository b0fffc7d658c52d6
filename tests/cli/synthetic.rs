//! `nexo generate` and `nexo evaluate`.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::common::{Run, root};

fn nexo(args: &[&str], out: &Path) -> Run {
    let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
    Run::of(&args, out.to_owned())
}

fn generate(out: &Path, extra: &[&str]) -> Run {
    let out_text = out.to_str().expect("utf-8 path");
    let mut args = vec!["generate", "--out", out_text, "--quiet"];
    args.extend(extra);
    nexo(&args, out)
}

/// Every file under `dir`, by relative path, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(dir).expect("prefix").display().to_string();
                found.insert(name, std::fs::read(&path).expect("read"));
            }
        }
    }
    found
}

#[test]
fn generation_gives_the_same_bytes_at_one_and_two_threads() {
    let dir = tempfile::tempdir().expect("temp dir");
    for format in ["parquet", "csv"] {
        let (one, two) = (dir.path().join(format!("one-{format}")), dir.path().join(format!("two-{format}")));
        let args =
            ["--scenario", "small", "--scale", "0.5", "--seed", "5", "--format", format, "--part-people", "2000"];
        generate(&one, &[&["--threads", "1"], &args[..]].concat()).ok();
        generate(&two, &[&["--threads", "2"], &args[..]].concat()).ok();
        let (a, b) = (files(&one), files(&two));
        assert!(a.contains_key(&format!("calls/part-00002.{format}")), "{:?}", a.keys().collect::<Vec<_>>());
        assert!(a.contains_key(&format!("truth/identifiers/part-00000.{format}")));
        assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
        for (name, bytes) in &a {
            assert!(bytes == &b[name], "{name} differs between 1 and 2 threads");
        }
    }
    // Another seed, another case.
    let other = dir.path().join("other");
    generate(&other, &["--scenario", "small", "--scale", "0.5", "--seed", "6", "--part-people", "2000"]).ok();
    assert_ne!(
        files(&other)["calls/part-00000.parquet"],
        files(&dir.path().join("one-parquet"))["calls/part-00000.parquet"]
    );
}

#[test]
fn a_generated_case_is_analysed_and_evaluated_as_it_is() {
    let dir = tempfile::tempdir().expect("temp dir");
    let case = dir.path().join("case");
    // Tables as directories of parts, truth included, as large cases write them.
    generate(&case, &["--scenario", "tiny", "--seed", "2", "--format", "csv", "--part-people", "20"]).ok();
    assert!(case.join("truth/entities").is_dir());
    let scenario: Value =
        serde_json::from_slice(&std::fs::read(case.join("scenario.json")).expect("scenario.json")).expect("json");
    assert_eq!(scenario["scenario"]["name"], "tiny");
    assert_eq!(scenario["members"], 26);

    let out = dir.path().join("out");
    let run =
        nexo(&["analyze", case.to_str().expect("path"), "--out", out.to_str().expect("path"), "--quiet"], &out).ok();
    let manifest = run.manifest();
    for input in manifest["inputs"].as_array().expect("inputs") {
        assert_eq!(input["rows_rejected"], 0, "{input}");
    }
    let calls: u64 = scenario["rows"][0]["rows"].as_u64().expect("calls rows");
    let read: u64 = manifest["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .filter(|i| i["table"] == "calls")
        .map(|i| i["rows_read"].as_u64().expect("n"))
        .sum();
    assert_eq!(read, calls);

    let run =
        nexo(&["evaluate", "--truth", case.to_str().expect("path"), "--results", out.to_str().expect("path")], &out)
            .ok();
    let stdout = String::from_utf8_lossy(&run.output.stdout).into_owned();
    assert!(stdout.contains("2 leaders and 2 brokers in the truth"), "{stdout}");
    let evaluation: Value =
        serde_json::from_slice(&std::fs::read(out.join("evaluation.json")).expect("evaluation.json")).expect("json");
    assert_eq!(evaluation["matched"], evaluation["nodes"], "every node of a generated case traces to the truth");
    assert!(evaluation["rankings"].as_array().expect("rankings").iter().any(|r| r["column"] == "betweenness"));
    assert!(evaluation.to_string().contains("\"community\""), "the communities are scored");
}

#[test]
fn evaluation_matches_the_independent_reference() {
    let fixture = root().join("tests/fixtures/evaluate");
    let dir = tempfile::tempdir().expect("temp dir");
    let json = dir.path().join("evaluation.json");
    let (case, results) = (fixture.join("case"), fixture.join("results"));
    let args = [
        "evaluate",
        "--truth",
        case.to_str().expect("path"),
        "--results",
        results.to_str().expect("path"),
        "--k",
        "3,5",
        "--json",
        json.to_str().expect("path"),
    ];
    nexo(&args, dir.path()).ok();
    let found: Value = serde_json::from_slice(&std::fs::read(&json).expect("evaluation.json")).expect("json");
    let expected: Value =
        serde_json::from_slice(&std::fs::read(fixture.join("expected.json")).expect("expected.json")).expect("json");
    assert_close(&found, &expected, "$");
}

/// Equal JSON, numbers to 1e-12.
fn assert_close(found: &Value, expected: &Value, at: &str) {
    match (found, expected) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().expect("f64"), b.as_f64().expect("f64"));
            assert!((a - b).abs() < 1e-12, "{at}: {a} != {b}");
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{at}: lengths");
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                assert_close(x, y, &format!("{at}[{i}]"));
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "{at}: keys");
            for (k, v) in a {
                assert_close(v, &b[k], &format!("{at}.{k}"));
            }
        }
        _ => assert_eq!(found, expected, "{at}"),
    }
}

#[test]
fn bad_scenarios_fail_cleanly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("case");
    let stderr = generate(&out, &["--scenario", "huge"]).fails_cleanly();
    assert!(stderr.contains("unknown scenario \"huge\""), "{stderr}");
    let stderr = generate(&out, &["--scenario", "tiny", "--scale", "0.2"]).fails_cleanly();
    assert!(stderr.contains("people"), "{stderr}");
}

#[test]
fn the_committed_small_case_is_what_its_command_generates() {
    // The command of datasets-synthetic/README.md.
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("small");
    generate(&out, &["--scenario", "small", "--seed", "1"]).ok();
    let committed = files(&root().join("datasets-synthetic/small"));
    let fresh = files(&out);
    assert_eq!(committed.keys().collect::<Vec<_>>(), fresh.keys().collect::<Vec<_>>());
    for (name, bytes) in &fresh {
        assert!(
            bytes == &committed[name],
            "datasets-synthetic/small/{name} is stale: regenerate it with the command in datasets-synthetic/README.md"
        );
    }
}
