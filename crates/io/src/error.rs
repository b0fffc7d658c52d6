//! The error type of nexo-io.

use std::fmt;
use std::path::PathBuf;

/// A `Result` whose error is nexo-io's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a table could not be read or written.
///
/// Each error names the file, and the line and column where there is one,
/// in a sentence an analyst can act on. Bad rows are not errors: they become
/// [`crate::Rejection`]s, unless strict mode asks to stop at the first one.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The operating system failed to open, read or write a file.
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The file holds nothing at all.
    EmptyFile {
        /// The file.
        path: PathBuf,
    },
    /// A required column is not in the file's header or schema.
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column nexo looked for (after the profile's mapping).
        column: String,
        /// The logical field it stands for (`source`, `start`, ...).
        field: &'static str,
        /// The columns the file has.
        available: Vec<String>,
    },
    /// A column has an Arrow/Parquet type nexo cannot read as the field's kind.
    UnsupportedType {
        /// The file.
        path: PathBuf,
        /// The column.
        column: String,
        /// The type found.
        found: String,
    },
    /// The file is not valid CSV or Parquet (truncated, corrupt, wrong format).
    Malformed {
        /// The file.
        path: PathBuf,
        /// Line (CSV) or row where the problem was found, if known.
        line: Option<u64>,
        /// What is wrong.
        message: String,
    },
    /// A file extension nexo does not read, or a directory without part files.
    UnknownFormat {
        /// The file or directory.
        path: PathBuf,
    },
    /// The time zone given for naive timestamps is not a known IANA zone.
    UnknownTimeZone {
        /// The name given.
        name: String,
    },
    /// A `--from`/`--to` bound or another option value could not be parsed.
    BadOption {
        /// The option.
        option: String,
        /// Why.
        message: String,
    },
    /// A column-mapping profile could not be read.
    BadProfile {
        /// The profile file, if the mapping came from one.
        path: Option<PathBuf>,
        /// Why.
        message: String,
    },
    /// Strict mode: the first bad row.
    BadRow(Box<crate::Rejection>),
    /// Building the network failed (size limits, overflow).
    Graph(nexo_graph::Error),
    /// Writing Parquet failed.
    Parquet {
        /// The file.
        path: PathBuf,
        /// What the writer said.
        message: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::EmptyFile { path } => write!(f, "{}: the file is empty", path.display()),
            Error::MissingColumn { path, column, field, available } => write!(
                f,
                "{}: no column {column:?} (for {field}); the file has: {}",
                path.display(),
                available.join(", ")
            ),
            Error::UnsupportedType { path, column, found } => {
                write!(f, "{}: column {column:?} has type {found}, which nexo cannot read here", path.display())
            }
            Error::Malformed { path, line: Some(line), message } => {
                write!(f, "{}:{line}: {message}", path.display())
            }
            Error::Malformed { path, line: None, message } => write!(f, "{}: {message}", path.display()),
            Error::UnknownFormat { path } => {
                write!(f, "{}: not a .csv or .parquet file, nor a directory of such part files", path.display())
            }
            Error::UnknownTimeZone { name } => {
                write!(f, "unknown time zone {name:?}: use an IANA name such as Europe/Madrid or America/Bogota")
            }
            Error::BadOption { option, message } => write!(f, "{option}: {message}"),
            Error::BadProfile { path: Some(path), message } => write!(f, "{}: {message}", path.display()),
            Error::BadProfile { path: None, message } => write!(f, "column mapping: {message}"),
            Error::BadRow(rejection) => write!(
                f,
                "{}:{}: column {:?}: {} (value {:?})",
                rejection.file, rejection.line, rejection.column, rejection.reason, rejection.value
            ),
            Error::Graph(error) => write!(f, "{error}"),
            Error::Parquet { path, message } => write!(f, "{}: {message}", path.display()),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Graph(error) => Some(error),
            _ => None,
        }
    }
}

impl From<nexo_graph::Error> for Error {
    fn from(error: nexo_graph::Error) -> Self {
        Error::Graph(error)
    }
}

/// Attaches a path to an `std::io::Error`.
pub(crate) fn io_error(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io { path: path.to_owned(), source }
}
