//! Column mapping: every operator and bank names its columns differently.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result, io_error};
use crate::schema::TableKind;

/// Which column of each input table holds each field, and the time zone of
/// naive timestamps.
///
/// A profile is a TOML file:
///
/// ```toml
/// timezone = "America/Bogota"   # for timestamps without an offset
///
/// [calls]
/// source = "msisdn_a"
/// target = "msisdn_b"
/// start = "fecha_hora"
/// duration_s = "duracion"
/// ```
///
/// Fields not mapped are looked for under their own name. Header matching
/// ignores case and surrounding space.
///
/// ```
/// use nexo_io::{Profile, TableKind};
///
/// let mut profile = Profile::from_toml("[calls]\nsource = \"msisdn_a\"", None).unwrap();
/// profile.set("calls.target=msisdn_b").unwrap();
/// assert_eq!(profile.column(TableKind::Calls, "source"), "msisdn_a");
/// assert_eq!(profile.column(TableKind::Calls, "target"), "msisdn_b");
/// assert_eq!(profile.column(TableKind::Calls, "start"), "start");
/// assert!(profile.set("calls.colour=x").is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    /// IANA time zone for naive timestamps; `None` reads them as UTC.
    pub timezone: Option<String>,
    columns: BTreeMap<(TableKind, &'static str), String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    timezone: Option<String>,
    calls: Option<BTreeMap<String, String>>,
    transfers: Option<BTreeMap<String, String>>,
    links: Option<BTreeMap<String, String>>,
    entities: Option<BTreeMap<String, String>>,
}

impl Profile {
    /// Reads a profile file.
    pub fn load(path: &Path) -> Result<Profile> {
        let text = std::fs::read_to_string(path).map_err(io_error(path))?;
        Profile::from_toml(&text, Some(path))
    }

    /// Parses a profile; `path` only names it in errors.
    pub fn from_toml(text: &str, path: Option<&Path>) -> Result<Profile> {
        let bad = |message: String| Error::BadProfile { path: path.map(Path::to_owned), message };
        let file: ProfileFile = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        let mut profile = Profile { timezone: file.timezone, ..Profile::default() };
        let tables = [
            (TableKind::Calls, file.calls),
            (TableKind::Transfers, file.transfers),
            (TableKind::Links, file.links),
            (TableKind::Entities, file.entities),
        ];
        for (kind, map) in tables {
            for (field, column) in map.into_iter().flatten() {
                profile.map(kind, &field, column).map_err(|e| match e {
                    Error::BadProfile { message, .. } => bad(message),
                    other => other,
                })?;
            }
        }
        Ok(profile)
    }

    /// Applies one `table.field=column` mapping, as given on the command line.
    pub fn set(&mut self, assignment: &str) -> Result<()> {
        let bad = |message: String| Error::BadProfile { path: None, message };
        let (key, column) = assignment
            .split_once('=')
            .ok_or_else(|| bad(format!("{assignment:?} is not of the form table.field=column")))?;
        let (table, field) =
            key.trim().split_once('.').ok_or_else(|| bad(format!("{key:?} is not of the form table.field")))?;
        let kind = TableKind::from_name(table)
            .ok_or_else(|| bad(format!("unknown table {table:?}: use calls, transfers, links or entities")))?;
        self.map(kind, field, column.trim().to_owned())
    }

    fn map(&mut self, kind: TableKind, field: &str, column: String) -> Result<()> {
        let Some(spec) = kind.fields().iter().find(|f| f.name == field) else {
            let known: Vec<&str> = kind.fields().iter().map(|f| f.name).collect();
            return Err(Error::BadProfile {
                path: None,
                message: format!("{} has no field {field:?}; its fields are {}", kind.name(), known.join(", ")),
            });
        };
        self.columns.insert((kind, spec.name), column);
        Ok(())
    }

    /// The column name holding `field` of table `kind`.
    pub fn column<'a>(&'a self, kind: TableKind, field: &'a str) -> &'a str {
        self.columns.get(&(kind, field)).map_or(field, String::as_str)
    }
}
