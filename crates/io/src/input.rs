//! Finding input files and resolving their columns.

use std::fs::File;
use std::path::{Path, PathBuf};

use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::cells::readable;
use crate::error::{Error, Result, io_error};
use crate::profile::Profile;
use crate::schema::TableKind;

/// A file format nexo reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-, semicolon- or tab-separated text with a header line.
    Csv,
    /// Apache Parquet.
    Parquet,
}

impl Format {
    /// `csv` or `parquet`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }

    pub(crate) fn of(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" | "tsv" | "txt" => Some(Format::Csv),
            "parquet" | "parq" | "pq" => Some(Format::Parquet),
            _ => None,
        }
    }
}

/// One file to read: a whole table, or one part of a table split in files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputPart {
    /// Which table it holds.
    pub kind: TableKind,
    /// The file.
    pub path: PathBuf,
    /// Its format.
    pub format: Format,
}

/// The parts of a table given as `path`: the file itself, or the part files
/// of a directory (as Spark or DuckDB write them), sorted by name, skipping
/// hidden and `_`-prefixed files such as `_SUCCESS`.
pub fn table_parts(kind: TableKind, path: &Path) -> Result<Vec<InputPart>> {
    Ok(part_files(path)?.into_iter().map(|(path, format)| InputPart { kind, path, format }).collect())
}

/// The file `path`, or the part files of the directory `path` in name
/// order (hidden and `_` files skipped), with their formats.
pub(crate) fn part_files(path: &Path) -> Result<Vec<(PathBuf, Format)>> {
    let metadata = std::fs::metadata(path).map_err(io_error(path))?;
    if !metadata.is_dir() {
        let format = Format::of(path).ok_or_else(|| Error::UnknownFormat { path: path.to_owned() })?;
        return Ok(vec![(path.to_owned(), format)]);
    }
    let mut parts = Vec::new();
    for entry in std::fs::read_dir(path).map_err(io_error(path))? {
        let part = entry.map_err(io_error(path))?.path();
        let name = part.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with('.') || name.starts_with('_') || part.is_dir() {
            continue;
        }
        if let Some(format) = Format::of(&part) {
            parts.push((part, format));
        }
    }
    parts.sort_by(|a, b| a.0.cmp(&b.0));
    if parts.is_empty() {
        return Err(Error::UnknownFormat { path: path.to_owned() });
    }
    Ok(parts)
}

/// The conventional tables of `dir`: `calls`, `transfers`, `links` and
/// `entities`, each as `NAME.csv`, `NAME.parquet` or a directory `NAME` or
/// `NAME.parquet` of part files.
///
/// # Errors
/// If `dir` cannot be read, a table is there in two forms, or there is no
/// calls, transfers or links table at all.
pub fn discover(dir: &Path) -> Result<Vec<InputPart>> {
    if !dir.is_dir() {
        return Err(Error::Io {
            path: dir.to_owned(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such directory"),
        });
    }
    let mut parts = Vec::new();
    for kind in TableKind::ALL {
        let candidates: Vec<PathBuf> = ["csv", "parquet", "tsv"]
            .iter()
            .map(|ext| dir.join(format!("{}.{ext}", kind.name())))
            .chain([dir.join(kind.name())])
            .filter(|p| p.exists())
            .collect();
        match candidates.as_slice() {
            [] => {}
            [one] => parts.extend(table_parts(kind, one)?),
            [first, second, ..] => {
                return Err(Error::BadOption {
                    option: dir.display().to_string(),
                    message: format!(
                        "both {} and {} hold {}; keep one or name the file with --{}",
                        first.display(),
                        second.display(),
                        kind.name(),
                        kind.name()
                    ),
                });
            }
        }
    }
    if !parts.iter().any(|p| p.kind != TableKind::Entities) {
        return Err(Error::BadOption {
            option: dir.display().to_string(),
            message: "no calls, transfers or links table (calls.csv, transfers.parquet, ...) in this directory"
                .to_owned(),
        });
    }
    Ok(parts)
}

/// Where each field of a table is in one file.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// Column index of each field (the table's fields, then extra columns).
    pub(crate) columns: Vec<Option<usize>>,
    /// Column name of each field, for messages.
    pub(crate) names: Vec<String>,
    /// Number of columns in the file (CSV) or projected (Parquet).
    pub(crate) width: usize,
}

impl Layout {
    /// Resolves the fields of `kind` in `header`. With `keep_extra`, columns
    /// that map to no field are appended as extra fields (entities carry them
    /// to the outputs).
    pub(crate) fn resolve(
        kind: TableKind,
        profile: &Profile,
        header: &[String],
        path: &Path,
        keep_extra: bool,
    ) -> Result<Layout> {
        let find = |name: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(name.trim()));
        let mut columns = Vec::new();
        let mut names = Vec::new();
        for field in kind.fields() {
            let name = profile.column(kind, field.name);
            let column = find(name);
            if column.is_none() && field.required {
                return Err(Error::MissingColumn {
                    path: path.to_owned(),
                    column: name.to_owned(),
                    field: field.name,
                    available: header.to_vec(),
                });
            }
            columns.push(column);
            names.push(name.to_owned());
        }
        if keep_extra {
            for (index, name) in header.iter().enumerate() {
                if !columns.contains(&Some(index)) {
                    columns.push(Some(index));
                    names.push(name.trim().to_owned());
                }
            }
        }
        Ok(Layout { columns, names, width: header.len() })
    }
}

/// The header of a CSV file and its delimiter, sniffed from the header line
/// among `,`, `;` and tab.
pub(crate) fn csv_header(path: &Path) -> Result<(Vec<String>, u8)> {
    use std::io::BufRead;
    let file = File::open(path).map_err(io_error(path))?;
    let mut first = Vec::new();
    std::io::BufReader::new(file).read_until(b'\n', &mut first).map_err(io_error(path))?;
    if first.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::EmptyFile { path: path.to_owned() });
    }
    let count = |d: u8| first.iter().filter(|&&b| b == d).count();
    let delimiter = [b',', b';', b'\t'].into_iter().max_by_key(|&d| (count(d), d == b',')).unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).from_reader(first.as_slice());
    let header = reader.byte_headers().map_err(|e| Error::Malformed {
        path: path.to_owned(),
        line: Some(1),
        message: e.to_string(),
    })?;
    let names =
        header.iter().map(|h| String::from_utf8_lossy(h).trim_start_matches('\u{feff}').trim().to_owned()).collect();
    Ok((names, delimiter))
}

/// Opens a Parquet part for reading the layout's columns.
pub(crate) fn parquet_builder(path: &Path) -> Result<ParquetRecordBatchReaderBuilder<File>> {
    let file = File::open(path).map_err(io_error(path))?;
    if file.metadata().map_err(io_error(path))?.len() == 0 {
        return Err(Error::EmptyFile { path: path.to_owned() });
    }
    ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| Error::Malformed {
        path: path.to_owned(),
        line: None,
        message: format!("not a readable Parquet file ({e})"),
    })
}

/// The layout of a Parquet part over the projected columns, and the mask
/// that projects them.
pub(crate) fn parquet_layout(
    kind: TableKind,
    profile: &Profile,
    builder: &ParquetRecordBatchReaderBuilder<File>,
    path: &Path,
    keep_extra: bool,
) -> Result<(Layout, ProjectionMask)> {
    let schema = builder.schema();
    let header: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let full = Layout::resolve(kind, profile, &header, path, keep_extra)?;
    let mut used: Vec<usize> = full.columns.iter().flatten().copied().collect();
    used.sort_unstable();
    used.dedup();
    for &index in &used {
        let field = schema.field(index);
        if !readable(field.data_type()) {
            return Err(Error::UnsupportedType {
                path: path.to_owned(),
                column: field.name().clone(),
                found: field.data_type().to_string(),
            });
        }
    }
    let mask = ProjectionMask::roots(builder.parquet_schema(), used.iter().copied());
    let columns = full.columns.iter().map(|c| c.map(|i| used.binary_search(&i).unwrap_or_default())).collect();
    Ok((Layout { columns, names: full.names, width: used.len() }, mask))
}
