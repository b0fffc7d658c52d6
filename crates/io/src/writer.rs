//! Streaming table writers: Parquet or CSV, one record batch at a time.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use crate::error::{Error, Result, io_error};
use crate::output::OutputFormat;

/// A table being written batch by batch. Nothing is complete until
/// [`TableWriter::finish`]; write into a staging directory.
///
/// ```no_run
/// # fn batches() -> Vec<arrow_array::RecordBatch> { vec![] }
/// # let schema = std::sync::Arc::new(arrow_schema::Schema::empty());
/// use nexo_io::{OutputFormat, TableWriter};
/// let mut writer = TableWriter::create("calls.parquet".as_ref(), OutputFormat::Parquet, schema)?;
/// for batch in batches() {
///     writer.write(&batch)?;
/// }
/// writer.finish()?;
/// # Ok::<(), nexo_io::Error>(())
/// ```
pub struct TableWriter {
    path: PathBuf,
    sink: Sink,
}

enum Sink {
    Parquet(Box<ArrowWriter<File>>),
    Csv(Box<CsvSink>),
}

struct CsvSink {
    out: csv::Writer<BufWriter<File>>,
    /// The cell being formatted, reused.
    cell: String,
}

impl TableWriter {
    /// Creates `path` for a table of `schema`.
    pub fn create(path: &Path, format: OutputFormat, schema: SchemaRef) -> Result<TableWriter> {
        let file = File::create(path).map_err(io_error(path))?;
        let sink = match format {
            OutputFormat::Parquet => {
                let fail = parquet_error(path);
                let level = ZstdLevel::try_new(3).map_err(fail)?;
                let properties = WriterProperties::builder()
                    .set_compression(Compression::ZSTD(level))
                    .set_dictionary_enabled(true)
                    .set_created_by(format!("nexo {}", env!("CARGO_PKG_VERSION")))
                    .build();
                let writer = ArrowWriter::try_new(file, schema, Some(properties)).map_err(parquet_error(path))?;
                Sink::Parquet(Box::new(writer))
            }
            OutputFormat::Csv => {
                let mut out = csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, file));
                out.write_record(schema.fields().iter().map(|f| f.name())).map_err(csv_error(path))?;
                Sink::Csv(Box::new(CsvSink { out, cell: String::new() }))
            }
        };
        Ok(TableWriter { path: path.to_owned(), sink })
    }

    /// Appends the rows of `batch`.
    pub fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        match &mut self.sink {
            Sink::Parquet(writer) => writer.write(batch).map_err(parquet_error(&self.path)),
            Sink::Csv(sink) => {
                let CsvSink { out, cell } = sink.as_mut();
                for i in 0..batch.num_rows() {
                    for column in batch.columns() {
                        csv_cell(column.as_ref(), i, cell);
                        out.write_field(cell.as_bytes()).map_err(csv_error(&self.path))?;
                    }
                    out.write_record(None::<&[u8]>).map_err(csv_error(&self.path))?;
                }
                Ok(())
            }
        }
    }

    /// Completes the file.
    pub fn finish(self) -> Result<()> {
        match self.sink {
            Sink::Parquet(writer) => writer.close().map(drop).map_err(parquet_error(&self.path)),
            Sink::Csv(sink) => sink
                .out
                .into_inner()
                .map_err(|e| Error::Io { path: self.path.clone(), source: e.into_error() })?
                .flush()
                .map_err(io_error(&self.path)),
        }
    }
}

fn parquet_error(path: &Path) -> impl Fn(parquet::errors::ParquetError) -> Error + '_ {
    move |e| Error::Parquet { path: path.to_owned(), message: e.to_string() }
}

fn csv_error(path: &Path) -> impl Fn(csv::Error) -> Error + '_ {
    move |e| Error::Io { path: path.to_owned(), source: e.into() }
}

/// Writes cell `i` of `column` as CSV text into `out` (empty for null).
pub(crate) fn csv_cell(column: &dyn Array, i: usize, out: &mut String) {
    use std::fmt::Write as _;
    out.clear();
    if column.is_null(i) {
        return;
    }
    let _ = match column.data_type() {
        DataType::Utf8 => {
            out.push_str(column.as_string::<i32>().value(i));
            Ok(())
        }
        DataType::Boolean => {
            out.push_str(if column.as_boolean().value(i) { "true" } else { "false" });
            Ok(())
        }
        DataType::Int64 => write!(out, "{}", column.as_primitive::<Int64Type>().value(i)),
        DataType::Float64 => write!(out, "{}", column.as_primitive::<Float64Type>().value(i)),
        DataType::Timestamp(_, _) => {
            if let Some(micros) = crate::columns::timestamp_micros(column, i) {
                write_timestamp(micros, out);
            }
            Ok(())
        }
        _ => Ok(()),
    };
}

/// RFC 3339 in UTC, as jiff writes it (`2024-03-02T01:15:00Z`, fractions
/// only when present), without jiff's general machinery on the hot path.
fn write_timestamp(micros: i64, out: &mut String) {
    use std::fmt::Write as _;
    let seconds = micros.div_euclid(1_000_000);
    let fraction = micros.rem_euclid(1_000_000);
    let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    if fraction != 0 || !(0..=9999).contains(&year) {
        if let Ok(t) = jiff::Timestamp::from_microsecond(micros) {
            let _ = write!(out, "{t}");
        }
        return;
    }
    let (h, m, s) = (second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60);
    let _ = write!(out, "{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z");
}

/// Howard Hinnant's civil_from_days: (year, month, day) of a day count
/// since 1970-01-01.
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_written_as_jiff_writes_them() {
        let mut out = String::new();
        for micros in [
            0,
            1_709_342_100_000_000,
            -86_400_000_000,
            951_782_400_000_000,
            1_709_342_100_123_000,
            4_102_444_799_000_000,
        ] {
            write_timestamp(micros, &mut out);
            let expected = jiff::Timestamp::from_microsecond(micros).unwrap().to_string();
            assert_eq!(out, expected);
            out.clear();
        }
    }
}
