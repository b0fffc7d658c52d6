//! The errors of `nexo-synth`.

use std::fmt;

/// What can go wrong when generating or scoring a case.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The scenario's parameters do not make a world.
    BadScenario {
        /// Which parameter, and why.
        message: String,
    },
    /// A truth or results table does not have what scoring needs.
    BadTable {
        /// The table.
        table: String,
        /// What is missing or wrong.
        message: String,
    },
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::BadScenario { message } => write!(f, "bad scenario: {message}"),
            Error::BadTable { table, message } => write!(f, "{table}: {message}"),
        }
    }
}

impl std::error::Error for Error {}
