//! `nexo generate`: a synthetic case with ground truth, written in parallel
//! chunks, identical bytes at any thread count.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};
use nexo_io::{OutputFormat, TableWriter};
use nexo_synth::{Generator, Scenario, Table};
use rayon::prelude::*;
use serde::Serialize;

use crate::args::{FormatArg, GenerateArgs};
use crate::staging::Staging;

/// People per chunk: the unit of parallel generation.
const CHUNK_PEOPLE: u64 = 2_048;
/// Chunks generated at once by one part, then written in order.
const CHUNKS_IN_FLIGHT: u64 = 8;

/// `scenario.json`: the parameters and what was written.
#[derive(Debug, Serialize)]
struct ScenarioFile<'a> {
    nexo_version: &'static str,
    scenario: &'a Scenario,
    format: &'static str,
    parts: u64,
    rows: Vec<TableRows>,
    criminal_records: usize,
    members: usize,
}

#[derive(Debug, Serialize)]
struct TableRows {
    table: &'static str,
    rows: u64,
}

/// Runs `nexo generate`.
pub fn run(args: &GenerateArgs, quiet: bool) -> Result<()> {
    let clock = Instant::now();
    let scenario = Scenario::preset(&args.scenario, args.seed, args.scale)?;
    let generator = Generator::new(&scenario)?;
    let format = match args.format {
        FormatArg::Parquet => OutputFormat::Parquet,
        FormatArg::Csv => OutputFormat::Csv,
    };
    if args.part_people == 0 {
        bail!(nexo_synth::Error::BadScenario { message: "--part-people must be at least 1".into() });
    }
    let staging = Staging::new(&args.out)?;
    // A case of more people than a part holds is written as directories of
    // part files, written in parallel.
    let parts = scenario.people.div_ceil(args.part_people);
    let truth_dir = staging.path("truth");
    std::fs::create_dir(&truth_dir).with_context(|| format!("creating {}", truth_dir.display()))?;
    if parts > 1 {
        for table in Table::ALL {
            let dir = staging.path(table.stem());
            std::fs::create_dir(&dir).with_context(|| format!("creating {}", dir.display()))?;
        }
    }
    let counts: Vec<[u64; 5]> = (0..parts)
        .into_par_iter()
        .map(|part| {
            write_part(&generator, &staging, Part { index: part, count: parts, people: args.part_people }, format)
        })
        .collect::<Result<_>>()?;
    let rows: Vec<TableRows> = Table::ALL
        .iter()
        .enumerate()
        .map(|(i, table)| TableRows { table: table.stem(), rows: counts.iter().map(|c| c[i]).sum() })
        .collect();
    let file = ScenarioFile {
        nexo_version: env!("CARGO_PKG_VERSION"),
        scenario: &scenario,
        format: format.extension(),
        parts,
        criminal_records: generator.underworld().record_count(),
        members: generator.underworld().members().len(),
        rows,
    };
    let path = staging.path("scenario.json");
    let json = serde_json::to_string_pretty(&file).context("serialising scenario.json")?;
    std::fs::write(&path, json + "\n").with_context(|| format!("writing {}", path.display()))?;
    remove_previous_case(&args.out)?;
    staging.commit()?;
    if !quiet {
        let records = file.rows[0].rows + file.rows[1].rows;
        let seconds = clock.elapsed().as_secs_f64();
        println!(
            "{} people, {} organisations ({} members), {} records ({} criminal) in {:.1} s ({:.0} records/s)",
            scenario.people,
            scenario.organisations,
            file.members,
            records,
            file.criminal_records,
            seconds,
            records as f64 / seconds
        );
        println!("written to {}", args.out.display());
    }
    Ok(())
}

/// One part of the case's files.
#[derive(Debug, Clone, Copy)]
struct Part {
    index: u64,
    count: u64,
    people: u64,
}

/// Writes `part` of every table; returns the rows written per table.
fn write_part(generator: &Generator, staging: &Staging, part: Part, format: OutputFormat) -> Result<[u64; 5]> {
    let people = generator.scenario().people;
    let range = part.index * part.people..((part.index + 1) * part.people).min(people);
    let mut writers = Vec::with_capacity(Table::ALL.len());
    for table in Table::ALL {
        let path = part_path(staging, table, part, format);
        let writer = TableWriter::create(&path, format, table.schema())
            .with_context(|| format!("creating {}", path.display()))?;
        writers.push((path, writer));
    }
    let mut counts = [0u64; 5];
    let chunks: Vec<(u64, u64)> = (range.start..range.end)
        .step_by(CHUNK_PEOPLE as usize)
        .map(|start| (start, (start + CHUNK_PEOPLE).min(range.end)))
        .collect();
    for group in chunks.chunks(CHUNKS_IN_FLIGHT as usize) {
        let batches: Vec<Vec<_>> = group
            .par_iter()
            .map(|&(start, end)| {
                let chunk = generator.chunk(start..end);
                Table::ALL.iter().map(|table| table.batch(&chunk)).collect()
            })
            .collect();
        for tables in batches {
            for (i, batch) in tables.iter().enumerate() {
                let (path, writer) = &mut writers[i];
                writer.write(batch).map_err(|e| anyhow!("writing {}: {e}", path.display()))?;
                counts[i] += batch.num_rows() as u64;
            }
        }
    }
    for (path, writer) in writers {
        writer.finish().map_err(|e| anyhow!("writing {}: {e}", path.display()))?;
    }
    Ok(counts)
}

fn part_path(staging: &Staging, table: Table, part: Part, format: OutputFormat) -> PathBuf {
    if part.count == 1 {
        staging.path(&format!("{}.{}", table.stem(), format.extension()))
    } else {
        staging.path(&format!("{}/part-{:05}.{}", table.stem(), part.index, format.extension()))
    }
}

/// Removes the tables of a case previously generated in `out`, so that a
/// case in another format or layout does not leave two forms of a table.
fn remove_previous_case(out: &Path) -> Result<()> {
    let mut stale = vec![out.join("truth"), out.join("scenario.json")];
    for stem in ["calls", "transfers", "entities"] {
        stale.push(out.join(stem));
        for extension in ["csv", "parquet"] {
            stale.push(out.join(format!("{stem}.{extension}")));
        }
    }
    for path in stale {
        let removed = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else if path.exists() {
            std::fs::remove_file(&path)
        } else {
            continue;
        };
        removed.with_context(|| format!("removing {}", path.display()))?;
    }
    Ok(())
}
