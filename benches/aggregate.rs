//! Records -> aggregated links, from Parquet and from CSV, at 1 and 2 threads.
//!
//! `cargo bench --bench aggregate` generates 20 million call records (and a
//! quarter of that as CSV) in a temporary directory, then times reading and
//! aggregating them into the link network, reporting rows per second and the
//! peak resident memory of each run beside the size of the aggregated network.
//! `-- --rows N` changes the size. Under `cargo test` it runs a small smoke size.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray, TimestampMicrosecondArray};
use nexo_graph::{Entities, LinkNetwork, Selection};
use nexo_io::{InputPart, Profile, ScanOptions, TableKind, TimeParser, scan, table_parts};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

/// Rows per batch written; the writer's default row group is the same size.
const ROW_GROUP: usize = 1 << 20;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let benchmarking = args.iter().any(|a| a == "--bench");
    let rows = args.windows(2).find(|w| w[0] == "--rows").and_then(|w| w[1].parse().ok()).unwrap_or(if benchmarking {
        20_000_000
    } else {
        20_000
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let parquet = dir.path().join("calls.parquet");
    let csv = dir.path().join("calls.csv");
    write_calls(&parquet, Some(&csv), rows, rows / 4);
    eprintln!("generated {rows} Parquet and {} CSV rows in {:.1} s", rows / 4, started.elapsed().as_secs_f64());

    println!("| input | rows | threads | seconds | rows/s | peak RSS MiB | network MiB |");
    println!("|---|---|---|---|---|---|---|");
    for (name, path, n) in [("parquet", &parquet, rows), ("csv", &csv, rows / 4)] {
        let parts = table_parts(TableKind::Calls, path).expect("input");
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
            reset_peak_rss();
            let before = peak_rss_bytes();
            let started = Instant::now();
            let network_bytes = pool.install(|| aggregate(&parts));
            let seconds = started.elapsed().as_secs_f64();
            let peak = peak_rss_bytes().max(before);
            println!(
                "| {name} | {n} | {threads} | {seconds:.2} | {:.2e} | {:.0} | {:.0} |",
                n as f64 / seconds,
                peak as f64 / 1048576.0,
                network_bytes as f64 / 1048576.0
            );
        }
    }
}

/// Reads and aggregates; returns the approximate size of the aggregated network.
fn aggregate(parts: &[InputPart]) -> usize {
    let options = ScanOptions {
        profile: Profile::default(),
        time: TimeParser::new(None).expect("utc"),
        selection: Selection::default(),
        strict: false,
        evidence: false,
    };
    let started = Instant::now();
    let scanned = scan(parts, &options, &|_| {}).expect("scan");
    assert!(scanned.rejections.is_empty());
    let scanning = started.elapsed().as_secs_f64();
    let bytes = scanned.aggregator.approx_heap_bytes();
    let network = LinkNetwork::build(scanned.aggregator, Entities::new(vec![])).expect("network");
    std::hint::black_box(network.links().len());
    eprintln!(
        "  read and aggregate {scanning:.2} s, resolve and sort {:.2} s, {} links",
        started.elapsed().as_secs_f64() - scanning,
        network.links().len()
    );
    bytes
}

/// Calls between `rows / 20` phones: callers heavy-tailed (a few phones make
/// many calls), each calling one of its 12 regular contacts (mostly within its
/// local group of 50, the first contacts most often) or, one call in eight,
/// anyone. Pairs repeat as in real call records.
fn write_calls(parquet: &Path, csv: Option<&Path>, rows: usize, csv_rows: usize) {
    let phones = (rows / 20).max(100) as u64;
    let mut state = 0x853c_49e6_748f_ea9bu64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let schema_batch = |source: Vec<String>, target: Vec<String>, start: Vec<i64>, duration: Vec<i64>| {
        let kinds = (0..source.len()).map(|i| if i % 9 == 0 { "sms" } else { "call" });
        let columns: Vec<(&str, ArrayRef)> = vec![
            ("source", Arc::new(StringArray::from(source))),
            ("target", Arc::new(StringArray::from(target))),
            ("start", Arc::new(TimestampMicrosecondArray::from(start).with_timezone("UTC"))),
            ("duration_s", Arc::new(Int64Array::from(duration))),
            ("kind", Arc::new(StringArray::from_iter_values(kinds))),
        ];
        RecordBatch::try_from_iter(columns).expect("batch")
    };
    let properties =
        WriterProperties::builder().set_compression(Compression::ZSTD(ZstdLevel::try_new(1).expect("level"))).build();
    let file = std::fs::File::create(parquet).expect("create");
    let mut writer = None;
    let mut csv_out = csv.map(|p| csv::Writer::from_path(p).expect("csv"));
    if let Some(out) = csv_out.as_mut() {
        out.write_record(["source", "target", "start", "duration_s", "kind"]).expect("header");
    }
    let mut written = 0;
    while written < rows {
        let n = ROW_GROUP.min(rows - written);
        let (mut source, mut target, mut start, mut duration) =
            (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
        for i in 0..n {
            let r = next();
            // Squaring a uniform draw skews towards low ids: a heavy tail of busy phones.
            let u = (r % 1_000_000) as f64 / 1_000_000.0;
            let a = ((u * u) * phones as f64) as u64;
            let b = if r >> 61 == 0 {
                (r >> 24) % phones
            } else {
                // Contact k of phone a, k skewed towards 0.
                let k = ((r >> 20) % 12) * ((r >> 28) % 12) / 11;
                let h = (a ^ (k << 32)).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40;
                if k < 9 { (a / 50) * 50 + h % 50 } else { h % phones }
            };
            source.push(format!("+34{:09}", 600_000_000 + a));
            target.push(format!("+34{:09}", 600_000_000 + b.min(phones - 1)));
            start.push(1_700_000_000_000_000 + ((written + i) as i64) * 1_000_000);
            duration.push(((r >> 40) % 1200) as i64);
        }
        if let Some(out) = csv_out.as_mut() {
            for i in 0..n.min(csv_rows.saturating_sub(written)) {
                let time = epoch_text(start[i]);
                out.write_record([&source[i], &target[i], &time, &duration[i].to_string(), "call"]).expect("row");
            }
        }
        let batch = schema_batch(source, target, start, duration);
        let writer = writer.get_or_insert_with(|| {
            ArrowWriter::try_new(file.try_clone().expect("clone"), batch.schema(), Some(properties.clone()))
                .expect("writer")
        });
        writer.write(&batch).expect("write");
        written += n;
    }
    writer.expect("at least one batch").close().expect("close");
    if let Some(mut out) = csv_out {
        out.flush().expect("flush");
    }
}

/// Epoch seconds as text (one of the timestamp forms nexo reads).
fn epoch_text(micros: i64) -> String {
    (micros / 1_000_000).to_string()
}

/// Resets the kernel's peak-RSS mark of this process (Linux).
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Peak resident memory of this process since the last reset (Linux; 0 elsewhere).
fn peak_rss_bytes() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
        .map_or(0, |kb| kb * 1024)
}
