//! Uniform access to the cells of a chunk of rows, from CSV or Arrow.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type, UInt32Type,
    UInt64Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, TimeUnit};

/// One cell, typed as the file gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cell<'a> {
    /// Null, an empty CSV field, or a column the file does not have.
    Null,
    Text(&'a str),
    Int(i64),
    Float(f64),
    /// A timestamp in microseconds; `utc` false for naive (zone-less) ones.
    Micros {
        value: i64,
        utc: bool,
    },
    /// The cell cannot be read at all (invalid UTF-8, ...).
    Invalid(&'static str),
}

impl Cell<'_> {
    /// The cell as written, for the rejected-rows file.
    pub(crate) fn display(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Text(s) => (*s).to_owned(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(x) => x.to_string(),
            Cell::Micros { value, .. } => format!("{value} µs"),
            Cell::Invalid(_) => "<unreadable>".to_owned(),
        }
    }
}

/// A chunk of rows with its fields resolved to columns.
pub(crate) trait Rows: Sync {
    fn len(&self) -> usize;
    /// Line (CSV) or 1-based row number (Parquet) of `row`, for messages.
    fn line(&self, row: usize) -> u64;
    /// A problem with the row as a whole (wrong number of CSV fields).
    fn row_problem(&self, row: usize) -> Option<String>;
    /// The cell of field `field` (index into the table's fields) in `row`.
    fn cell(&self, row: usize, field: usize) -> Cell<'_>;
}

/// Rows of a CSV file, with their line numbers.
pub(crate) struct CsvRows<'a> {
    pub(crate) records: &'a [csv::ByteRecord],
    /// Column index of each field, `None` where the file lacks it.
    pub(crate) columns: &'a [Option<usize>],
    pub(crate) width: usize,
}

impl Rows for CsvRows<'_> {
    fn len(&self) -> usize {
        self.records.len()
    }

    fn line(&self, row: usize) -> u64 {
        self.records[row].position().map_or(0, csv::Position::line)
    }

    fn row_problem(&self, row: usize) -> Option<String> {
        let found = self.records[row].len();
        (found != self.width).then(|| format!("the row has {found} fields, the header {}", self.width))
    }

    fn cell(&self, row: usize, field: usize) -> Cell<'_> {
        let Some(column) = self.columns[field] else { return Cell::Null };
        let Some(bytes) = self.records[row].get(column) else { return Cell::Null };
        match std::str::from_utf8(bytes) {
            Ok(text) if text.trim().is_empty() => Cell::Null,
            Ok(text) => Cell::Text(text),
            Err(_) => Cell::Invalid("invalid UTF-8"),
        }
    }
}

/// An Arrow column downcast once per batch, so that reading a cell is a
/// null check, a match and an index, not a dynamic cast.
pub(crate) struct Column<'a> {
    nulls: Option<NullBuffer>,
    values: Values<'a>,
}

enum Values<'a> {
    Absent,
    Text(&'a arrow_array::StringArray),
    LargeText(&'a arrow_array::LargeStringArray),
    TextView(&'a arrow_array::StringViewArray),
    /// Dictionary-encoded text: keys as indices into the values.
    Dictionary {
        keys: Vec<usize>,
        values: Box<Column<'a>>,
    },
    Int(Box<dyn Fn(usize) -> i64 + Sync + 'a>),
    Float(Box<dyn Fn(usize) -> f64 + Sync + 'a>),
    Micros {
        at: Box<dyn Fn(usize) -> Option<i64> + Sync + 'a>,
        utc: bool,
    },
}

/// Whether [`Column::of`] can read an array of `data_type`.
pub(crate) fn readable(data_type: &DataType) -> bool {
    match data_type {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, values) => matches!(**values, DataType::Utf8 | DataType::LargeUtf8),
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => true,
        DataType::UInt8 | DataType::UInt16 | DataType::UInt32 | DataType::UInt64 => true,
        DataType::Float32 | DataType::Float64 | DataType::Date32 | DataType::Timestamp(_, _) => true,
        _ => false,
    }
}

impl<'a> Column<'a> {
    const ABSENT: Column<'static> = Column { nulls: None, values: Values::Absent };

    /// Downcasts `array`, whose type passed [`readable`].
    pub(crate) fn of(array: &'a ArrayRef) -> Column<'a> {
        Column { nulls: array.logical_nulls(), values: Values::of(array) }
    }

    fn cell(&self, row: usize) -> Cell<'_> {
        if self.nulls.as_ref().is_some_and(|n| n.is_null(row)) {
            return Cell::Null;
        }
        match &self.values {
            Values::Absent => Cell::Null,
            Values::Text(a) => text(a.value(row)),
            Values::LargeText(a) => text(a.value(row)),
            Values::TextView(a) => text(a.value(row)),
            Values::Dictionary { keys, values } => values.cell(keys[row]),
            Values::Int(at) => Cell::Int(at(row)),
            Values::Float(at) => Cell::Float(at(row)),
            Values::Micros { at, utc } => match at(row) {
                Some(value) => Cell::Micros { value, utc: *utc },
                None => Cell::Invalid("timestamp out of range"),
            },
        }
    }
}

impl<'a> Values<'a> {
    fn of(array: &'a ArrayRef) -> Values<'a> {
        let a = array.as_ref();
        match a.data_type() {
            DataType::Utf8 => Values::Text(a.as_string::<i32>()),
            DataType::LargeUtf8 => Values::LargeText(a.as_string::<i64>()),
            DataType::Utf8View => Values::TextView(a.as_string_view()),
            DataType::Dictionary(_, _) => {
                let dictionary = a.as_any_dictionary();
                Values::Dictionary {
                    keys: dictionary.normalized_keys(),
                    values: Box::new(Column::of(dictionary.values())),
                }
            }
            DataType::Int8 => int(a.as_primitive::<Int8Type>()),
            DataType::Int16 => int(a.as_primitive::<Int16Type>()),
            DataType::Int32 => int(a.as_primitive::<Int32Type>()),
            DataType::Int64 => int(a.as_primitive::<Int64Type>()),
            DataType::UInt8 => int(a.as_primitive::<UInt8Type>()),
            DataType::UInt16 => int(a.as_primitive::<UInt16Type>()),
            DataType::UInt32 => int(a.as_primitive::<UInt32Type>()),
            DataType::UInt64 => {
                let values = a.as_primitive::<UInt64Type>();
                Values::Int(Box::new(move |i| i64::try_from(values.value(i)).unwrap_or(i64::MAX)))
            }
            DataType::Float32 => {
                let values = a.as_primitive::<Float32Type>();
                Values::Float(Box::new(move |i| f64::from(values.value(i))))
            }
            DataType::Float64 => {
                let values = a.as_primitive::<Float64Type>();
                Values::Float(Box::new(move |i| values.value(i)))
            }
            DataType::Date32 => {
                let values = a.as_primitive::<Date32Type>();
                let at = move |i| i64::from(values.value(i)).checked_mul(86_400_000_000);
                Values::Micros { at: Box::new(at), utc: false }
            }
            DataType::Timestamp(unit, zone) => Values::Micros { at: timestamp(a, *unit), utc: zone.is_some() },
            _ => Values::Absent,
        }
    }
}

type MicrosAt<'a> = Box<dyn Fn(usize) -> Option<i64> + Sync + 'a>;

fn timestamp(a: &dyn Array, unit: TimeUnit) -> MicrosAt<'_> {
    match unit {
        TimeUnit::Second => {
            let v = a.as_primitive::<TimestampSecondType>();
            Box::new(move |i| v.value(i).checked_mul(1_000_000))
        }
        TimeUnit::Millisecond => {
            let v = a.as_primitive::<TimestampMillisecondType>();
            Box::new(move |i| v.value(i).checked_mul(1_000))
        }
        TimeUnit::Microsecond => {
            let v = a.as_primitive::<TimestampMicrosecondType>();
            Box::new(move |i| Some(v.value(i)))
        }
        TimeUnit::Nanosecond => {
            let v = a.as_primitive::<TimestampNanosecondType>();
            Box::new(move |i| Some(v.value(i).div_euclid(1_000)))
        }
    }
}

fn int<'a, T>(values: &'a arrow_array::PrimitiveArray<T>) -> Values<'a>
where
    T: arrow_array::ArrowPrimitiveType,
    T::Native: Into<i64>,
{
    Values::Int(Box::new(move |i| values.value(i).into()))
}

fn text(value: &str) -> Cell<'_> {
    if value.trim().is_empty() { Cell::Null } else { Cell::Text(value) }
}

/// Rows of an Arrow record batch read from Parquet.
pub(crate) struct ArrowRows<'a> {
    num_rows: usize,
    /// The column of each field.
    columns: Vec<Column<'a>>,
    /// Row number (0-based, in its file) of the batch's first row.
    first_row: u64,
}

impl<'a> ArrowRows<'a> {
    /// Resolves each field to its column of `batch` by index.
    pub(crate) fn new(batch: &'a RecordBatch, field_columns: &[Option<usize>], first_row: u64) -> Self {
        let columns =
            field_columns.iter().map(|c| c.map_or(Column::ABSENT, |index| Column::of(batch.column(index)))).collect();
        Self { num_rows: batch.num_rows(), columns, first_row }
    }
}

impl Rows for ArrowRows<'_> {
    fn len(&self) -> usize {
        self.num_rows
    }

    fn line(&self, row: usize) -> u64 {
        self.first_row + row as u64 + 1
    }

    fn row_problem(&self, _row: usize) -> Option<String> {
        None
    }

    fn cell(&self, row: usize, field: usize) -> Cell<'_> {
        self.columns[field].cell(row)
    }
}
