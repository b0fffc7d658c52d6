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
