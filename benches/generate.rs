//! Generation speed of synthetic cases: records per second of `nexo
//! generate`, end to end (generation, formatting, compression, writing), at
//! 1 and 2 threads, alternating thread counts, with peak resident memory.
//!
//! `cargo bench --bench generate` runs the `small` and `medium` presets in
//! Parquet and the `medium` one in CSV; `-- --scenarios small,large --formats
//! parquet --repeat 3` changes that. Under `cargo test` it generates `tiny`
//! once per thread count as a smoke test.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let benchmarking = args.iter().any(|a| a == "--bench");
    let option = |name: &str, default: &str| -> String {
        args.windows(2).find(|w| w[0] == name).map_or_else(|| default.to_owned(), |w| w[1].clone())
    };
    let scenarios = option("--scenarios", if benchmarking { "small,medium" } else { "tiny" });
    let formats = option("--formats", if benchmarking { "parquet,csv" } else { "parquet" });
    let repeat: usize = option("--repeat", "1").parse().expect("--repeat N");
    let dir = tempfile::tempdir().expect("temp dir");

    println!("| scenario | format | threads | records | seconds (best of {repeat}) | records/s | peak RSS MiB |");
    println!("|---|---|---|---|---|---|---|");
    for scenario in scenarios.split(',') {
        for format in formats.split(',') {
            if format == "csv" && scenario == "small" && benchmarking {
                continue;
            }
            let mut best = [(f64::INFINITY, 0.0f64); 2];
            let mut records = 0;
            for _ in 0..repeat {
                for (slot, threads) in [1, 2].into_iter().enumerate() {
                    let out = dir.path().join(format!("{scenario}-{format}-{threads}"));
                    let (seconds, rss) = generate(scenario, format, threads, &out);
                    records = written_records(&out);
                    if seconds < best[slot].0 {
                        best[slot] = (seconds, rss);
                    }
                    std::fs::remove_dir_all(&out).expect("clean up");
                }
            }
            for (slot, threads) in [1, 2].into_iter().enumerate() {
                let (seconds, rss) = best[slot];
                println!(
                    "| {scenario} | {format} | {threads} | {records} | {seconds:.2} | {:.2e} | {rss:.0} |",
                    records as f64 / seconds
                );
            }
        }
    }
}

/// Runs `nexo generate`; returns wall seconds and peak RSS in MiB (0 when
/// `/usr/bin/time` is not there to measure it).
fn generate(scenario: &str, format: &str, threads: usize, out: &Path) -> (f64, f64) {
    let nexo = env!("CARGO_BIN_EXE_nexo");
    let args = [
        "--threads",
        &threads.to_string(),
        "generate",
        "--scenario",
        scenario,
        "--seed",
        "1",
        "--format",
        format,
        "--quiet",
        "--out",
    ]
    .map(str::to_owned);
    let timed = Path::new("/usr/bin/time").exists();
    let mut command = if timed {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "peak_rss_kib=%M", nexo]);
        c
    } else {
        Command::new(nexo)
    };
    command.args(args).arg(out);
    let started = Instant::now();
    let output = command.output().expect("run nexo generate");
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "nexo generate failed: {stderr}");
    let rss = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak_rss_kib="))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0);
    (seconds, rss)
}

/// Calls plus transfers, from the case's scenario.json.
fn written_records(out: &Path) -> u64 {
    let text = std::fs::read_to_string(out.join("scenario.json")).expect("scenario.json");
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    json["rows"].as_array().expect("rows").iter().take(2).map(|r| r["rows"].as_u64().expect("rows")).sum()
}
