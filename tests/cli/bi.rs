//! The Parquet outputs open in BI-side clients: DuckDB, through Python.

use std::process::Command;

use parquet::basic::Compression;
use parquet::file::reader::{FileReader, SerializedFileReader};

use crate::common::{Run, python, sample_dir};

fn analyze_sample() -> (tempfile::TempDir, Run) {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path().join("out");
    let args: Vec<std::ffi::OsString> =
        vec!["analyze".into(), sample_dir().into(), "--out".into(), out.clone().into(), "--quiet".into()];
    let run = Run::of(&args, out).ok();
    (dir, run)
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
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path().join("out");
    let args: Vec<std::ffi::OsString> = vec![
        "analyze".into(),
        sample_dir().into(),
        "--out".into(),
        out.clone().into(),
        "--quiet".into(),
        "--export".into(),
        "gexf,graphml,i2".into(),
    ];
    let run = Run::of(&args, out).ok();
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
