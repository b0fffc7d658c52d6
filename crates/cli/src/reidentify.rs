//! `nexo reidentify`: for the key holder, the table from pseudonyms back to
//! the identifiers, entity keys, labels and attributes of the records.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use nexo_graph::Entities;
use nexo_io::{Pseudonymiser, quoted_values, scan, write_pseudonym_table};

use crate::analyze::{input_parts, scan_options};
use crate::args::ReidentifyArgs;
use crate::progress::Progress;

/// Reads the records as `nexo analyze` does and writes the table
/// `pseudonym,value,field` to `--map`.
pub fn run(reidentify: &ReidentifyArgs, quiet: bool) -> Result<()> {
    let args = &reidentify.input;
    let map = &reidentify.map;
    let directory = match map.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => std::path::PathBuf::from("."),
    };
    // A flat output keeps its manifest at the top, a --partition dataset in runs/.
    if directory.join("manifest.json").exists() || directory.join("runs").is_dir() {
        let message = format!(
            "{} holds a nexo output (manifest.json or runs/): keep the key holder's table out of directories that are shared",
            directory.display()
        );
        return Err(nexo_io::Error::BadOption { option: "--map".into(), message }.into());
    }
    let Some(key) = args.pseudonymise_key.as_deref() else {
        let message = "the key the outputs were pseudonymised with is needed".to_owned();
        return Err(nexo_io::Error::BadOption { option: "--pseudonymise-key".into(), message }.into());
    };
    let pseudonymiser = Pseudonymiser::from_key_file(key)?;
    let parts = input_parts(args)?;
    let options = scan_options(args)?;
    let progress = Progress::rows("reading", quiet);
    let scanned = scan(&parts, &options, &|rows| progress.add(rows))?;
    progress.finish();
    // Pseudonym -> (value, field); the first field a value is seen in names it.
    let mut table: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut add = |value: &str, field: &str| {
        table.entry(pseudonymiser.pseudonym(value)).or_insert_with(|| (value.to_owned(), field.to_owned()));
    };
    let entities = &scanned.entities;
    for id in 0..entities.len() as u32 {
        add(entities.key(id), "entity");
    }
    for (column, name) in entities.column_names().iter().enumerate() {
        if column == Entities::KIND || column == Entities::COUNTRY {
            continue;
        }
        for id in 0..entities.len() as u32 {
            if let Some(value) = entities.attribute(id, column) {
                add(value, name);
            }
        }
    }
    for identifier in entities.identifiers().chain(scanned.aggregator.identifiers()) {
        add(identifier, "identifier");
    }
    for part in &parts {
        add(&part.path.display().to_string(), "input file");
    }
    for rejection in &scanned.rejections {
        if !rejection.value.is_empty() {
            add(&rejection.value, "rejected value");
        }
        for quoted in quoted_values(&rejection.reason) {
            add(&quoted.value, "rejected value");
        }
    }
    // Written beside the target and moved in place: no half-written table.
    let staging = directory.join(format!(".nexo-map-{}.csv", std::process::id()));
    let rows = table.iter().map(|(pseudonym, (value, field))| [pseudonym.as_str(), value.as_str(), field.as_str()]);
    let written = write_pseudonym_table(&staging, rows).with_context(|| format!("writing {}", map.display()));
    let written = written.and_then(|()| {
        std::fs::rename(&staging, map).with_context(|| format!("moving {} to {}", staging.display(), map.display()))
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&staging);
    }
    written?;
    if !quiet {
        println!("{} pseudonyms written to {}", table.len(), map.display());
    }
    Ok(())
}
