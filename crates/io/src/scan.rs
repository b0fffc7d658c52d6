//! Reading every input part in parallel into per-thread aggregators.

use std::fs::File;
use std::path::Path;
use std::sync::Mutex;

use nexo_graph::{Entities, LinkAggregator, Selection};
use rayon::prelude::*;

use crate::cells::{ArrowRows, CsvRows, Rows};
use crate::decode::RowDecoder;
use crate::error::{Error, Result, io_error};
use crate::input::{Format, InputPart, Layout, csv_header, parquet_builder, parquet_layout};
use crate::profile::Profile;
use crate::reject::Rejection;
use crate::schema::TableKind;
use crate::time::TimeParser;

/// Rows handed to one thread at a time; large enough that taking a thread's
/// state once per chunk costs nothing, small enough to balance the load.
const CHUNK_ROWS: usize = 16 * 1024;

/// How to read the inputs.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Column mapping.
    pub profile: Profile,
    /// Parser for timestamps, with the zone of naive ones.
    pub time: TimeParser,
    /// Which records take part.
    pub selection: Selection,
    /// Stop at the first bad row instead of rejecting it.
    pub strict: bool,
    /// Keep the evidence trail: each linked record's part (its position in
    /// the parts scanned) and line ([`nexo_graph::Evidence`]).
    pub evidence: bool,
}

/// What was read from one input part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartReport {
    /// The part.
    pub part: InputPart,
    /// Data rows read.
    pub rows_read: u64,
    /// Rows rejected (see the rejected-rows file); `rows_read - rows_rejected` were accepted.
    pub rows_rejected: u64,
}

/// Everything read from the inputs: the aggregated records, the entities
/// table, the rejected rows and a report per part.
#[derive(Debug)]
pub struct Scanned {
    /// Records aggregated into identifier-level links.
    pub aggregator: LinkAggregator,
    /// The identifier -> entity table.
    pub entities: Entities,
    /// Rejected rows, sorted by file and line.
    pub rejections: Vec<Rejection>,
    /// One report per part, in input order.
    pub parts: Vec<PartReport>,
}

/// Per-thread state: an aggregator and the rows it rejected.
struct ThreadState {
    aggregator: LinkAggregator,
    rejections: Vec<Rejection>,
}

/// Reads all `parts`: the entities tables first, then the records tables in
/// parallel on the current rayon pool. `progress` is called with the number of
/// rows of each chunk done.
///
/// # Errors
/// A part that cannot be opened or read, a missing required column, an
/// unsupported column type; in strict mode, the first bad row.
pub fn scan(parts: &[InputPart], options: &ScanOptions, progress: &(dyn Fn(u64) + Sync)) -> Result<Scanned> {
    let mut rejections = Vec::new();
    let mut reports = Vec::with_capacity(parts.len());
    let entity_parts: Vec<&InputPart> = parts.iter().filter(|p| p.kind == TableKind::Entities).collect();
    let entities = crate::entities::read_entities(&entity_parts, options, &mut rejections, &mut reports)?;

    let threads = rayon::current_num_threads().max(1);
    let states: Vec<Mutex<ThreadState>> = (0..threads)
        .map(|_| {
            Mutex::new(ThreadState {
                aggregator: {
                    let mut aggregator = LinkAggregator::new(options.selection.clone());
                    if options.evidence {
                        aggregator.keep_evidence();
                    }
                    aggregator
                },
                rejections: Vec::new(),
            })
        })
        .collect();
    for (index, part) in parts.iter().enumerate().filter(|(_, p)| p.kind != TableKind::Entities) {
        let before: usize = lock_all(&states).iter().map(|s| s.rejections.len()).sum();
        let located = Located { part, index: index as u32 };
        let rows_read = match part.format {
            Format::Csv => scan_csv(&located, options, &states, progress)?,
            Format::Parquet => scan_parquet(&located, options, &states, progress)?,
        };
        let after: usize = lock_all(&states).iter().map(|s| s.rejections.len()).sum();
        if options.strict && after > before {
            let first = lock_all(&states).iter().flat_map(|s| s.rejections.iter()).min().cloned();
            if let Some(first) = first {
                return Err(Error::BadRow(Box::new(first)));
            }
        }
        reports.push(PartReport { part: part.clone(), rows_read, rows_rejected: (after - before) as u64 });
    }

    let mut aggregator = LinkAggregator::new(options.selection.clone());
    for state in states {
        let state = state.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        aggregator.merge(state.aggregator)?;
        rejections.extend(state.rejections);
    }
    rejections.sort_unstable();
    reports.sort_by_key(|r| parts.iter().position(|p| *p == r.part));
    Ok(Scanned { aggregator, entities, rejections, parts: reports })
}

fn lock_all(states: &[Mutex<ThreadState>]) -> Vec<std::sync::MutexGuard<'_, ThreadState>> {
    states.iter().map(|s| s.lock().unwrap_or_else(std::sync::PoisonError::into_inner)).collect()
}

/// An input part and its position among the parts scanned.
struct Located<'a> {
    part: &'a InputPart,
    index: u32,
}

/// Decodes and aggregates one chunk into the calling thread's state.
fn process<R: Rows>(
    rows: &R,
    located: &Located<'_>,
    layout: &Layout,
    options: &ScanOptions,
    states: &[Mutex<ThreadState>],
) -> Result<()> {
    let index = rayon::current_thread_index().unwrap_or(0) % states.len();
    let mut state = states[index].lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let ThreadState { aggregator, rejections } = &mut *state;
    let part = located.part;
    let mut decoder = RowDecoder::new(part.kind, &options.time);
    for row in 0..rows.len() {
        let rejection = |column: &str, reason: &str, value: String| Rejection {
            file: part.path.display().to_string(),
            line: rows.line(row),
            column: column.to_owned(),
            reason: reason.to_owned(),
            value,
        };
        if let Some(problem) = rows.row_problem(row) {
            rejections.push(rejection("", &problem, String::new()));
            continue;
        }
        match decoder.decode(rows, row) {
            Ok(record) => {
                aggregator.add_from(&record, located.index, rows.line(row))?;
            }
            Err((field, reason)) => {
                let value = rows.cell(row, field).display();
                rejections.push(rejection(&layout.names[field], reason, value));
            }
        }
    }
    Ok(())
}

fn scan_csv(
    located: &Located<'_>,
    options: &ScanOptions,
    states: &[Mutex<ThreadState>],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<u64> {
    let part = located.part;
    let path = &part.path;
    let (header, delimiter) = csv_header(path)?;
    let layout = Layout::resolve(part.kind, &options.profile, &header, path, false)?;
    let mut reader = csv_reader(path, delimiter)?;
    let batch_rows = CHUNK_ROWS * states.len().max(2);
    let mut current = vec![csv::ByteRecord::new(); batch_rows];
    let mut next = vec![csv::ByteRecord::new(); batch_rows];
    let mut filled = fill(&mut reader, &mut current, path)?;
    let mut total = 0u64;
    // Read the next batch on one thread while the others decode this one.
    while filled > 0 {
        let batch = &current[..filled];
        let (read, done) = rayon::join(
            || fill(&mut reader, &mut next, path),
            || {
                batch.par_chunks(CHUNK_ROWS).try_for_each(|records| {
                    let rows = CsvRows { records, columns: &layout.columns, width: layout.width };
                    process(&rows, located, &layout, options, states)?;
                    progress(records.len() as u64);
                    Ok::<(), Error>(())
                })
            },
        );
        done?;
        total += filled as u64;
        filled = read?;
        std::mem::swap(&mut current, &mut next);
    }
    Ok(total)
}

pub(crate) fn csv_reader(path: &Path, delimiter: u8) -> Result<csv::Reader<std::io::BufReader<File>>> {
    let file = File::open(path).map_err(io_error(path))?;
    Ok(csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(std::io::BufReader::with_capacity(1 << 20, file)))
}

/// Reads up to `records.len()` rows into `records`; returns how many.
pub(crate) fn fill(
    reader: &mut csv::Reader<std::io::BufReader<File>>,
    records: &mut [csv::ByteRecord],
    path: &Path,
) -> Result<usize> {
    for (filled, record) in records.iter_mut().enumerate() {
        let more = reader.read_byte_record(record).map_err(|e| Error::Malformed {
            path: path.to_owned(),
            line: e.position().map(csv::Position::line),
            message: e.to_string(),
        })?;
        if !more {
            return Ok(filled);
        }
    }
    Ok(records.len())
}

fn scan_parquet(
    located: &Located<'_>,
    options: &ScanOptions,
    states: &[Mutex<ThreadState>],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<u64> {
    let part = located.part;
    let path = &part.path;
    let builder = parquet_builder(path)?;
    let (layout, mask) = parquet_layout(part.kind, &options.profile, &builder, path, false)?;
    let groups: Vec<u64> = builder.metadata().row_groups().iter().map(|g| g.num_rows() as u64).collect();
    let starts: Vec<u64> = groups.iter().scan(0, |at, &n| Some(std::mem::replace(at, *at + n))).collect();
    drop(builder);
    (0..groups.len()).into_par_iter().try_for_each(|group| {
        let reader = parquet_builder(path)?
            .with_row_groups(vec![group])
            .with_projection(mask.clone())
            .with_batch_size(CHUNK_ROWS)
            .build()
            .map_err(|e| malformed(path, e.to_string()))?;
        let mut first_row = starts[group];
        for batch in reader {
            let batch = batch.map_err(|e| malformed(path, e.to_string()))?;
            let rows = ArrowRows::new(&batch, &layout.columns, first_row);
            process(&rows, located, &layout, options, states)?;
            progress(batch.num_rows() as u64);
            first_row += batch.num_rows() as u64;
        }
        Ok::<(), Error>(())
    })?;
    Ok(groups.iter().sum())
}

pub(crate) fn malformed(path: &Path, message: String) -> Error {
    Error::Malformed { path: path.to_owned(), line: None, message: format!("cannot read the file ({message})") }
}
