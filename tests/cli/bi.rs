//! The Parquet outputs open in BI-side clients: DuckDB, through Python.

use std::process::Command;

use parquet::basic::Compression;
use parquet::file::reader::{FileReader, SerializedFileReader};

use crate::common::{Case, Run, python, sample_dir};

fn analyze_sample() -> (Case, Run) {
    let case = Case::with(&[]);
    let run = case.analyze_sample(&[]).ok();
    (case, run)
}

#[test]
fn duckdb_queries_nodes_and_edges() {
    let (_dir, run) = analyze_sample();
    let script = r#"
import duckdb, sys
out = sys.argv[1]
con = duckdb.connect()
rows = con.execute(f"""
    SELECT n.node, n.label, sum(e.amount), count(*)
    FROM '{out}/nodes.parquet' n JOIN '{out}/edges.parquet' e ON e.target = n.node
    WHERE e.layer = 'transfer' GROUP BY ALL ORDER BY 3 DESC LIMIT 3""").fetchall()
print(" | ".join(f"{r[0]} {r[1]} {r[2]} {r[3]}" for r in rows))
types = con.execute(f"SELECT typeof(first_seen), typeof(degree), typeof(node) FROM '{out}/edges.parquet', '{out}/nodes.parquet' LIMIT 1").fetchone()
print(*types)
print(con.execute(f"SELECT count(*) FROM '{out}/edges.parquet' WHERE first_seen IS NULL").fetchone()[0])
"#;
    let python = python();
    let output = Command::new(&python).arg("-c").arg(script).arg(&run.out).output().unwrap_or_else(|e| {
        panic!("cannot run {}: {e}; run scripts/test, which creates .venv with duckdb", python.display())
    });
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "duckdb query failed: {}", String::from_utf8_lossy(&output.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0], "EC-PICH-778899 None 45000.0 1 | P05 Naviera Pacífico SA 30000.0 1 | P06 Pieter de Vries 29200.5 2",
        "money received, by node"
    );
    assert_eq!(lines[1], "TIMESTAMP WITH TIME ZONE BIGINT VARCHAR");
    assert_eq!(lines[2], "2", "undated links have null timestamps");
}

#[test]
fn parquet_outputs_use_zstd_dictionaries_and_utc_micros() {
    let (_dir, run) = analyze_sample();
    let file = std::fs::File::open(run.out.join("edges.parquet")).expect("edges");
    let reader = SerializedFileReader::new(file).expect("parquet");
    let metadata = reader.metadata();
    let schema = metadata.file_metadata().schema_descr();
    let first_seen = schema.columns().iter().position(|c| c.name() == "first_seen").expect("column");
    let logical = format!("{:?}", schema.column(first_seen).logical_type_ref());
    assert!(logical.contains("is_adjusted_to_u_t_c: true") && logical.contains("MICROS"), "{logical}");
    let group = metadata.row_group(0);
    for column in group.columns() {
        assert!(matches!(column.compression(), Compression::ZSTD(_)), "{:?}", column.column_path());
    }
    let source = group.column(0);
    assert!(source.dictionary_page_offset().is_some(), "strings are dictionary-encoded");
}

#[test]
fn gexf_graphml_and_i2_sheets_read_back() {
    let case = Case::with(&[]);
    let run = case.analyze_sample(&["--export", "gexf,graphml,i2"]).ok();
    // networkx reads both files; every node and link (parallel links on
    // different layers included) and the measures come back as in the tables.
    let script = r#"
import csv, duckdb, sys
import networkx as nx
out = sys.argv[1]
con = duckdb.connect()
nodes = con.execute(f"SELECT node, betweenness, degree, label FROM '{out}/nodes.parquet'").fetchall()
edges = con.execute(f"SELECT count(*) FROM '{out}/edges.parquet'").fetchone()[0]
for name, read in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
    g = read(f"{out}/network.{name}")
    assert g.is_directed() and g.number_of_nodes() == len(nodes), (name, g)
    assert g.number_of_edges() == edges, (name, g.number_of_edges(), edges)
    for node, betweenness, degree, label in nodes:
        attrs = g.nodes[node]
        assert abs(attrs["betweenness"] - betweenness) < 1e-12 and attrs["degree"] == degree, (name, node, attrs)
        assert attrs.get("label") == label or (name == "gexf" and label is None), (name, node, attrs)
    layers = sorted({d["layer"] for _, _, d in g.edges(data=True)})
    print(name, g.number_of_nodes(), g.number_of_edges(), ",".join(layers))
entities = list(csv.DictReader(open(f"{out}/i2_entities.csv")))
links = list(csv.DictReader(open(f"{out}/i2_links.csv")))
assert len(entities) == len(nodes) and len(links) == edges
print("i2", len(entities), len(links), entities[0]["Entity ID"], links[0]["Link Type"])
"#;
    let output = Command::new(python()).arg("-c").arg(script).arg(&run.out).output().expect("python");
    assert!(output.status.success(), "reading back failed: {}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "gexf 9 23 call,meeting,shared-address,sms,transfer,vessel");
    assert_eq!(lines[1], "graphml 9 23 call,meeting,shared-address,sms,transfer,vessel");
    assert!(lines[2].starts_with("i2 9 23 "), "{}", lines[2]);
}

#[test]
fn runs_append_into_one_dataset_by_run_id() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path().join("dataset");
    let analyze = |out: &std::path::Path, extra: &[&str]| {
        let mut args: Vec<std::ffi::OsString> =
            vec!["analyze".into(), sample_dir().into(), "--out".into(), out.into(), "--quiet".into()];
        args.extend(extra.iter().map(Into::into));
        Run::of(&args, out.to_owned()).ok()
    };
    // The default run id is a digest of inputs and options: the same at any
    // thread count, another for other options.
    let id = |out: &str, extra: &[&str]| {
        analyze(&dir.path().join(out), extra).manifest()["run_id"].as_str().expect("run_id").to_owned()
    };
    let first = id("one", &["--threads", "1"]);
    assert_eq!(first.len(), 16);
    assert_eq!(first, id("two", &["--threads", "2"]));
    assert_ne!(first, id("seed", &["--seed", "3"]));
    // Two runs into one partitioned dataset, then the flat tables' column.
    analyze(&out, &["--partition"]);
    analyze(&out, &["--partition", "--run-id", "op-b", "--communities", "louvain"]);
    assert!(out.join(format!("nodes/run_id={first}/part-0.parquet")).exists());
    assert!(out.join("runs/op-b/manifest.json").exists() && out.join("runs/op-b/report.html").exists());
    let script = r#"
import duckdb, sys
import pyarrow.dataset as ds
out, flat = sys.argv[1], sys.argv[2]
con = duckdb.connect()
print(con.execute(f"SELECT run_id, count(*) FROM read_parquet('{out}/nodes/*/*.parquet', hive_partitioning = true) GROUP BY 1 ORDER BY 1").fetchall())
edges = ds.dataset(f"{out}/edges", partitioning="hive").to_table()
print(edges.num_rows, sorted(set(edges.column("run_id").to_pylist())))
print(con.execute(f"SELECT DISTINCT run_id FROM '{flat}/nodes.parquet'").fetchall())
"#;
    let output =
        Command::new(python()).arg("-c").arg(script).arg(&out).arg(dir.path().join("one")).output().expect("python");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    let (a, b) = if first.as_str() < "op-b" { (first.as_str(), "op-b") } else { ("op-b", first.as_str()) };
    assert_eq!(lines[0], format!("[('{a}', 9), ('{b}', 9)]"));
    assert_eq!(lines[1], format!("46 ['{a}', '{b}']"));
    assert_eq!(lines[2], format!("[('{first}',)]"));
    // The terminal views read a partitioned dataset, asking which run when it holds several.
    let view = |args: &[&str]| {
        let all: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
        Run::of(&all, out.join("absent"))
    };
    let dataset = out.to_str().expect("utf-8 path");
    let ambiguous = view(&["top", dataset, "--by", "degree", "--n", "1"]);
    assert_eq!(ambiguous.code(), 2);
    assert!(ambiguous.stderr().contains("op-b") && ambiguous.stderr().contains("--run"), "{}", ambiguous.stderr());
    let top = view(&["top", dataset, "--by", "degree", "--n", "1", "--run", "op-b"]).ok();
    assert!(String::from_utf8_lossy(&top.output.stdout).lines().nth(1).unwrap_or("").starts_with("1  P03"));
    let explain = view(&["explain", dataset, "--node", "P03", "--run", "op-b"]).ok();
    assert!(String::from_utf8_lossy(&explain.output.stdout).starts_with("node P03\n"));
    let bad = Run::of(
        &[
            "analyze".into(),
            sample_dir().into(),
            "--out".into(),
            dir.path().join("bad").into(),
            "--run-id".into(),
            "../x".into(),
        ],
        dir.path().join("bad"),
    );
    assert!(bad.fails_cleanly().contains("--run-id"));
}
