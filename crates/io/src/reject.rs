//! Rows that could not be used, and why.

use std::io::Write;
use std::path::Path;

use crate::error::{Result, io_error};

/// A row left out of the analysis, with where it is and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rejection {
    /// The input file.
    pub file: String,
    /// Line in a CSV file (the header is line 1), row number (from 1) in a Parquet file.
    pub line: u64,
    /// The column at fault, as named in the file; empty for a whole-row problem.
    pub column: String,
    /// Why the row was rejected.
    pub reason: String,
    /// The offending value as written.
    pub value: String,
}

/// Writes `rejections` as CSV with the columns `file,line,column,reason,value`.
pub fn write_rejections(path: &Path, rejections: &[Rejection]) -> Result<()> {
    let file = std::fs::File::create(path).map_err(io_error(path))?;
    let mut out = csv::Writer::from_writer(std::io::BufWriter::new(file));
    let fail = |e: csv::Error| crate::Error::Io { path: path.to_owned(), source: e.into() };
    out.write_record(["file", "line", "column", "reason", "value"]).map_err(fail)?;
    for r in rejections {
        out.write_record([r.file.as_str(), &r.line.to_string(), &r.column, &r.reason, &r.value]).map_err(fail)?;
    }
    out.into_inner()
        .map_err(|e| crate::Error::Io { path: path.to_owned(), source: e.into_error() })?
        .flush()
        .map_err(io_error(path))
}
