//! Input forms: Parquet, part directories, column profiles, time zones, delimiters.

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray, TimestampMillisecondArray};
use parquet::arrow::ArrowWriter;

use crate::common::Case;

/// Parquet bytes of calls with typed columns: Int64 phone numbers, a
/// millisecond timestamp with a zone, float durations.
fn calls_parquet(rows: &[(i64, &str, i64, f64)]) -> Vec<u8> {
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("source", Arc::new(Int64Array::from_iter_values(rows.iter().map(|r| r.0)))),
        ("target", Arc::new(StringArray::from_iter_values(rows.iter().map(|r| r.1)))),
        ("start", Arc::new(TimestampMillisecondArray::from_iter_values(rows.iter().map(|r| r.2)).with_timezone("UTC"))),
        ("duration_s", Arc::new(Float64Array::from_iter_values(rows.iter().map(|r| r.3)))),
    ];
    let batch = RecordBatch::try_from_iter(columns).expect("batch");
    let mut bytes = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut bytes, batch.schema(), None).expect("writer");
    writer.write(&batch).expect("write");
    writer.close().expect("close");
    bytes
}

#[test]
fn parquet_part_directory_reads_as_one_table() {
    let part0 = calls_parquet(&[(34_600_000_001, "+34 600 000 002", 1_709_280_000_000, 60.0)]);
    let part1 = calls_parquet(&[
        (34_600_000_001, "+34600000002", 1_709_290_000_000, 30.5),
        (34_600_000_002, "34600000001", 1_709_300_000_000, 1.0),
    ]);
    let case = Case::with(&[
        ("calls/part-00000.parquet", &part0),
        ("calls/part-00001.parquet", &part1),
        ("calls/_SUCCESS", b""),
    ]);
    let run = case.analyze(&["--format", "csv"]).ok();
    let edges = run.csv("edges.csv");
    // Integer phone numbers have no "+", so "34600000001" and "+34600000001" differ: the
    // target "+34 600 000 002" is another node than the source 34600000002.
    let first = edges.iter().find(|e| e["source"] == "34600000001").expect("edge");
    assert_eq!(first["target"], "+34600000002");
    assert_eq!(first["records"], "2");
    assert_eq!(first["duration_s"], "90.5");
    assert_eq!(first["first_seen"], "2024-03-01T08:00:00Z");
    let manifest = run.manifest();
    assert_eq!(manifest["inputs"].as_array().map(Vec::len), Some(2), "one entry per part file");
    run.assert_counts_balance();
}

#[test]
fn profile_maps_operator_columns_and_timezone() {
    let calls = "msisdn_a;msisdn_b;fecha_hora;duracion\n\
                 600111222;600333444;2024-07-01 10:00:00;12\n\
                 600111222;600333444;2024-07-01 12:30:00;8\n";
    let profile = "timezone = \"Europe/Madrid\"\n[calls]\nsource = \"msisdn_a\"\ntarget = \"msisdn_b\"\n\
                   start = \"fecha_hora\"\nduration_s = \"duracion\"\n";
    let case = Case::with(&[("llamadas.csv", calls.as_bytes()), ("perfil.toml", profile.as_bytes())]);
    let out = case.out();
    let args: Vec<std::ffi::OsString> = vec![
        "analyze".into(),
        "--calls".into(),
        case.path().join("llamadas.csv").into(),
        "--profile".into(),
        case.path().join("perfil.toml").into(),
        "--out".into(),
        out.clone().into(),
        "--format".into(),
        "csv".into(),
    ];
    let run = crate::common::Run::of(&args, out).ok();
    let edges = run.csv("edges.csv");
    assert_eq!(edges.len(), 1);
    assert_eq!(edges[0]["first_seen"], "2024-07-01T08:00:00Z", "naive times read in the profile's zone");
    assert_eq!(edges[0]["last_seen"], "2024-07-01T10:30:00Z");
    assert_eq!(edges[0]["duration_s"], "20");
}

#[test]
fn column_flag_and_timezone_flag_override() {
    let calls = "a,b,t\n1,2,2024-01-01 00:00:00\n";
    let case = Case::with(&[("calls.csv", calls.as_bytes())]);
    let run = case
        .analyze(&[
            "--column",
            "calls.source=a",
            "--column",
            "calls.target=b",
            "--column",
            "calls.start=t",
            "--timezone",
            "America/Bogota",
            "--format",
            "csv",
        ])
        .ok();
    assert_eq!(run.csv("edges.csv")[0]["first_seen"], "2024-01-01T05:00:00Z");
}

/// Enough rows for many chunks, so that several threads aggregate.
fn many_calls(rows: usize) -> String {
    let mut text = String::from("source,target,start,duration_s,kind\n");
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for i in 0..rows {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let (a, b) = (state % 500, (state >> 20) % 500);
        let kind = if i % 7 == 0 { "sms" } else { "call" };
        text.push_str(&format!("+34600{a:06},+34600{b:06},{},{},{kind}\n", 1_700_000_000 + i, (state >> 40) % 900));
    }
    text
}

#[test]
fn many_chunks_give_identical_bytes_at_any_thread_count() {
    let case = Case::with(&[("calls.csv", many_calls(120_000).as_bytes())]);
    let mut previous: Option<Vec<Vec<u8>>> = None;
    for threads in ["1", "2", "3"] {
        let run = case.analyze(&["--threads", threads]).ok();
        let bytes: Vec<Vec<u8>> =
            ["nodes.parquet", "edges.parquet"].iter().map(|f| std::fs::read(run.out.join(f)).expect("out")).collect();
        if let Some(previous) = &previous {
            assert!(previous == &bytes, "outputs differ at {threads} threads");
        }
        previous = Some(bytes);
        let manifest = run.manifest();
        let records = &manifest["records"];
        assert_eq!(records["linked"].as_u64().unwrap() + records["self_contacts"].as_u64().unwrap(), 120_000);
    }
}
