//! Running the binary on prepared cases.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled hand-written sample.
pub fn sample_dir() -> PathBuf {
    root().join("datasets-synthetic/sample")
}

/// A scratch case directory with input files.
pub struct Case {
    pub dir: TempDir,
}

impl Case {
    /// A case holding `files` (name, contents).
    pub fn with(files: &[(&str, &[u8])]) -> Case {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, contents) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, contents).expect("write input");
        }
        Case { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    /// Runs `nexo analyze CASE --out CASE/out --quiet ARGS`.
    /// `nexo analyze` of the bundled sample into this case's output.
    pub fn analyze_sample(&self, args: &[&str]) -> Run {
        let mut all: Vec<std::ffi::OsString> =
            vec!["analyze".into(), sample_dir().into(), "--out".into(), self.out().into(), "--quiet".into()];
        all.extend(args.iter().map(Into::into));
        Run::of(&all, self.out())
    }

    pub fn analyze(&self, args: &[&str]) -> Run {
        let mut all: Vec<std::ffi::OsString> =
            vec!["analyze".into(), self.path().into(), "--out".into(), self.out().into()];
        all.extend(args.iter().map(Into::into));
        all.push("--quiet".into());
        Run::of(&all, self.out())
    }
}

/// The result of one run.
pub struct Run {
    pub output: Output,
    pub out: PathBuf,
}

impl Run {
    pub fn of(args: &[std::ffi::OsString], out: PathBuf) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_nexo")).args(args).output().expect("run nexo");
        Run { output, out }
    }

    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Asserts success and returns itself.
    pub fn ok(self) -> Run {
        assert_eq!(self.code(), 0, "nexo failed: {}", self.stderr());
        self
    }

    /// Asserts exit code 2, no output directory, no staging left, and returns stderr.
    pub fn fails_cleanly(&self) -> String {
        assert_eq!(self.code(), 2, "expected exit 2, stderr: {}", self.stderr());
        assert!(!self.out.exists(), "outputs left behind in {}", self.out.display());
        let parent = self.out.parent().expect("parent");
        let staged: Vec<_> = std::fs::read_dir(parent)
            .expect("parent dir")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().contains("nexo-staging"))
            .collect();
        assert!(staged.is_empty(), "staging directory left behind");
        self.stderr()
    }

    pub fn manifest(&self) -> Value {
        let text = std::fs::read_to_string(self.out.join("manifest.json")).expect("manifest");
        serde_json::from_str(&text).expect("manifest is JSON")
    }

    /// Rows of an output CSV as header-keyed maps.
    pub fn csv(&self, name: &str) -> Vec<std::collections::BTreeMap<String, String>> {
        let mut reader = csv::Reader::from_path(self.out.join(name)).expect("output csv");
        let header = reader.headers().expect("header").clone();
        reader
            .records()
            .map(|r| header.iter().zip(r.expect("row").iter()).map(|(h, v)| (h.to_owned(), v.to_owned())).collect())
            .collect()
    }

    /// The rejected rows.
    pub fn rejected(&self) -> Vec<std::collections::BTreeMap<String, String>> {
        self.csv("rejected.csv")
    }

    /// Asserts that every input's rows balance and that rejected.csv lists all rejected rows.
    pub fn assert_counts_balance(&self) {
        let manifest = self.manifest();
        let mut rejected = 0;
        for input in manifest["inputs"].as_array().expect("inputs") {
            let read = input["rows_read"].as_u64().expect("read");
            let accepted = input["rows_accepted"].as_u64().expect("accepted");
            let bad = input["rows_rejected"].as_u64().expect("rejected");
            assert_eq!(read, accepted + bad, "{input}");
            rejected += bad;
        }
        assert_eq!(self.rejected().len() as u64, rejected);
        let records = &manifest["records"];
        let sum: u64 = ["linked", "self_contacts", "outside_window", "layer_not_selected"]
            .iter()
            .map(|k| records[k].as_u64().expect("count"))
            .sum();
        assert_eq!(records["accepted"].as_u64(), Some(sum));
    }
}

/// A links table: two groups of four (A1-A4, B1-B4), all linked within,
/// joined by A1 - B1; each link written both ways when `both_ways`.
pub fn two_groups_links(both_ways: bool) -> String {
    let mut csv = String::from("source,target\n");
    let mut link = |a: &str, b: &str| {
        csv.push_str(&format!("{a},{b}\n"));
        if both_ways {
            csv.push_str(&format!("{b},{a}\n"));
        }
    };
    for group in ["A", "B"] {
        for i in 1..=4 {
            for j in i + 1..=4 {
                link(&format!("{group}{i}"), &format!("{group}{j}"));
            }
        }
    }
    link("A1", "B1");
    csv
}

/// The Python with duckdb: `NEXO_PYTHON`, else the repository's `.venv`.
pub fn python() -> std::path::PathBuf {
    if let Some(python) = std::env::var_os("NEXO_PYTHON") {
        return python.into();
    }
    root().join(".venv/bin/python")
}
