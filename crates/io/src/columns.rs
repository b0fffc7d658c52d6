//! Reading whole small tables (nexo's own outputs, truth tables) by column
//! name, for scoring and reporting rather than for records.

use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int32Type, Int64Type, TimestampMicrosecondType, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, RecordBatchReader};
use arrow_schema::DataType;

use crate::error::{Error, Result};
use crate::input::{Format, csv_header, parquet_builder, part_files};
use crate::scan::csv_reader;

/// The values of one column.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Text (and booleans, as `true` / `false`).
    Text(Vec<Option<String>>),
    /// Numbers (integers, floats, timestamps as microseconds).
    Number(Vec<Option<f64>>),
}

/// A table read whole: column names and values, in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Columns {
    /// Column names.
    pub names: Vec<String>,
    /// Column values, one entry per name.
    pub values: Vec<Values>,
}

impl Columns {
    /// The column named `name`.
    pub fn get(&self, name: &str) -> Option<&Values> {
        self.names.iter().position(|n| n == name).map(|i| &self.values[i])
    }

    /// Column `index` as numbers: numeric columns as they are, text columns
    /// whose non-empty cells all parse as numbers; `None` otherwise.
    pub fn numbers(&self, index: usize) -> Option<Vec<Option<f64>>> {
        match &self.values[index] {
            Values::Number(values) => Some(values.clone()),
            Values::Text(cells) => cells.iter().map(|c| c.as_deref().map(str::parse).transpose().ok()).collect(),
        }
    }

    /// The text column named `name`; an error naming `path` if missing or numeric.
    pub fn text(&self, name: &str, path: &Path) -> Result<&[Option<String>]> {
        match self.get(name) {
            Some(Values::Text(values)) => Ok(values),
            _ => Err(Error::MissingColumn {
                path: path.to_owned(),
                column: name.to_owned(),
                field: "column",
                available: self.names.clone(),
            }),
        }
    }
}

/// Reads the table in `path`: a `.csv` or `.parquet` file, or a directory
/// of part files read in name order (as `nexo generate` writes large
/// tables). CSV columns are text (phone numbers look like numbers);
/// [`Columns::numbers`] parses them.
///
/// # Errors
/// Besides the file's own errors, [`Error::Malformed`] when a part's
/// columns differ from the first part's.
pub fn read_columns(path: &Path) -> Result<Columns> {
    let mut table: Option<Columns> = None;
    for (part, format) in part_files(path)? {
        let next = match format {
            Format::Parquet => read_parquet(&part)?,
            Format::Csv => read_csv(&part)?,
        };
        match table.as_mut() {
            None => table = Some(next),
            Some(table) if table.names == next.names => {
                for (values, more) in table.values.iter_mut().zip(next.values) {
                    match (values, more) {
                        (Values::Text(a), Values::Text(b)) => a.extend(b),
                        (Values::Number(a), Values::Number(b)) => a.extend(b),
                        _ => return Err(mismatch(&part, "a column's type differs from the first part's")),
                    }
                }
            }
            Some(_) => return Err(mismatch(&part, "its columns differ from the first part's")),
        }
    }
    table.ok_or_else(|| Error::UnknownFormat { path: path.to_owned() })
}

fn mismatch(part: &Path, message: &str) -> Error {
    Error::Malformed { path: part.to_owned(), line: None, message: message.to_owned() }
}

fn read_parquet(path: &Path) -> Result<Columns> {
    let reader =
        parquet_builder(path)?.build().map_err(|e| Error::Parquet { path: path.to_owned(), message: e.to_string() })?;
    let schema = reader.schema();
    let mut columns = Columns { names: schema.fields().iter().map(|f| f.name().clone()).collect(), values: Vec::new() };
    let mut values: Vec<Values> = schema
        .fields()
        .iter()
        .map(|f| if is_text(f.data_type()) { Values::Text(Vec::new()) } else { Values::Number(Vec::new()) })
        .collect();
    for batch in reader {
        let batch = batch.map_err(|e| Error::Parquet { path: path.to_owned(), message: e.to_string() })?;
        for (column, out) in batch.columns().iter().zip(&mut values) {
            append(column, out);
        }
    }
    columns.values = values;
    Ok(columns)
}

fn is_text(kind: &DataType) -> bool {
    match kind {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Boolean => true,
        DataType::Dictionary(_, value) => is_text(value),
        _ => false,
    }
}

fn append(column: &ArrayRef, out: &mut Values) {
    let column = match column.data_type() {
        DataType::Dictionary(_, _) | DataType::LargeUtf8 | DataType::Utf8View => arrow_cast_to_utf8(column),
        _ => column.clone(),
    };
    let n = column.len();
    match out {
        Values::Text(values) => values.extend((0..n).map(|i| {
            (!column.is_null(i)).then(|| match column.data_type() {
                DataType::Boolean => column.as_boolean().value(i).to_string(),
                _ => column.as_string::<i32>().value(i).to_owned(),
            })
        })),
        Values::Number(values) => values.extend((0..n).map(|i| {
            if column.is_null(i) {
                return None;
            }
            match column.data_type() {
                DataType::Int64 => Some(column.as_primitive::<Int64Type>().value(i) as f64),
                DataType::Int32 => Some(f64::from(column.as_primitive::<Int32Type>().value(i))),
                DataType::UInt32 => Some(f64::from(column.as_primitive::<UInt32Type>().value(i))),
                DataType::UInt64 => Some(column.as_primitive::<UInt64Type>().value(i) as f64),
                DataType::Float64 => Some(column.as_primitive::<Float64Type>().value(i)),
                DataType::Float32 => Some(f64::from(column.as_primitive::<Float32Type>().value(i))),
                DataType::Timestamp(_, _) => timestamp_micros(column.as_ref(), i).map(|t| t as f64),
                _ => None,
            }
        })),
    }
}

/// Dictionary and other string encodings as plain `Utf8` (nexo writes plain
/// `Utf8`; other writers may not).
fn arrow_cast_to_utf8(column: &ArrayRef) -> ArrayRef {
    use arrow_array::builder::StringBuilder;
    let mut builder = StringBuilder::new();
    let any = column.as_any_dictionary_opt();
    let keys = any.map(|dict| dict.normalized_keys());
    for i in 0..column.len() {
        if column.is_null(i) {
            builder.append_null();
            continue;
        }
        let text = match (any, column.data_type()) {
            (Some(dict), _) => {
                let key = keys.as_ref().map_or(0, |k| k[i]);
                let values = dict.values();
                match values.data_type() {
                    DataType::Utf8 => values.as_string::<i32>().value(key).to_owned(),
                    DataType::LargeUtf8 => values.as_string::<i64>().value(key).to_owned(),
                    _ => String::new(),
                }
            }
            (None, DataType::LargeUtf8) => column.as_string::<i64>().value(i).to_owned(),
            (None, DataType::Utf8View) => column.as_string_view().value(i).to_owned(),
            _ => String::new(),
        };
        builder.append_value(text);
    }
    std::sync::Arc::new(builder.finish())
}

fn read_csv(path: &Path) -> Result<Columns> {
    let (names, delimiter) = csv_header(path)?;
    let mut reader = csv_reader(path, delimiter)?;
    let mut cells: Vec<Vec<Option<String>>> = vec![Vec::new(); names.len()];
    for (line, record) in reader.records().enumerate() {
        let record = record.map_err(|e| Error::Malformed {
            path: path.to_owned(),
            line: Some(line as u64 + 2),
            message: e.to_string(),
        })?;
        for (i, column) in cells.iter_mut().enumerate() {
            column.push(record.get(i).filter(|s| !s.is_empty()).map(str::to_owned));
        }
    }
    let values = cells.into_iter().map(Values::Text).collect();
    Ok(Columns { names, values })
}

/// Cell `i` of a timestamp column in microseconds, whatever its unit
/// (`None` for other types).
pub(crate) fn timestamp_micros(column: &dyn Array, i: usize) -> Option<i64> {
    use arrow_array::types::{TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType};
    use arrow_schema::TimeUnit;
    match column.data_type() {
        DataType::Timestamp(TimeUnit::Second, _) => {
            column.as_primitive::<TimestampSecondType>().value(i).checked_mul(1_000_000)
        }
        DataType::Timestamp(TimeUnit::Millisecond, _) => {
            column.as_primitive::<TimestampMillisecondType>().value(i).checked_mul(1_000)
        }
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            Some(column.as_primitive::<TimestampMicrosecondType>().value(i))
        }
        DataType::Timestamp(TimeUnit::Nanosecond, _) => {
            Some(column.as_primitive::<TimestampNanosecondType>().value(i).div_euclid(1_000))
        }
        _ => None,
    }
}
