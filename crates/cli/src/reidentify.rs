//! `nexo reidentify`: for the key holder, the table from pseudonyms back to
//! the identifiers, entity keys, labels and attributes of the records.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use nexo_graph::Entities;
use nexo_io::{Pseudonymiser, scan, write_pseudonym_table};

use crate::analyze::{input_parts, scan_options};
use crate::args::AnalyzeArgs;
use crate::progress::Progress;
use crate::staging::Staging;

/// Reads the records as `nexo analyze` does and writes `pseudonyms.csv`
/// (`pseudonym,value,field`) to `--out`.
pub fn run(args: &AnalyzeArgs, quiet: bool) -> Result<()> {
    let Some(key) = args.pseudonymise_key.as_deref() else {
        let message = "the key the outputs were pseudonymised with is needed".to_owned();
        return Err(nexo_io::Error::BadOption { option: "--pseudonymise-key".into(), message }.into());
    };
    let pseudonymiser = Pseudonymiser::from_key_file(key)?;
    let parts = input_parts(args)?;
    let options = scan_options(args)?;
    let staging = Staging::new(&args.out)?;
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
    for rejection in &scanned.rejections {
        if !rejection.value.is_empty() {
            add(&rejection.value, "rejected value");
        }
    }
    let path = staging.path("pseudonyms.csv");
    let rows = table.iter().map(|(pseudonym, (value, field))| [pseudonym.as_str(), value.as_str(), field.as_str()]);
    write_pseudonym_table(&path, rows).with_context(|| format!("writing {}", path.display()))?;
    staging.commit()?;
    if !quiet {
        println!("{} pseudonyms written to {}", table.len(), args.out.join("pseudonyms.csv").display());
    }
    Ok(())
}
