//! `nexo explain`: one node of an existing analysis, down to the records.

use std::collections::BTreeMap;

use anyhow::Result;
use nexo_io::{Columns, Values, read_columns};

use crate::args::ExplainArgs;
use crate::outputs::find_table;

/// Node columns printed when present.
const NODE_FACTS: &[&str] =
    &["label", "kind", "country", "community", "key_rank", "degree", "betweenness", "pagerank", "brokerage"];

/// Prints the node, its identifiers, its links by layer and their records.
pub fn run(args: &ExplainArgs) -> Result<()> {
    let table = |name| find_table(&args.out, name, args.run.as_deref());
    let nodes = with_columns(&table("nodes")?, &["node"])?;
    let edges = with_columns(&table("edges")?, &["source", "target", "layer"])?;
    let identifiers = table("identifiers").ok().map(|p| with_columns(&p, &["node", "identifier"])).transpose()?;
    let evidence =
        table("evidence").ok().map(|p| with_columns(&p, &["source", "target", "layer", "file"])).transpose()?;
    let key = find(&nodes, identifiers.as_ref(), &args.node)?;
    let row = text(&nodes, "node").iter().position(|k| k.as_deref() == Some(key.as_str())).ok_or_else(|| {
        let message = format!("{key:?} is in the identifiers table but not in the nodes table");
        nexo_io::Error::BadOption { option: "--node".into(), message }
    })?;
    println!("node {key}");
    for column in NODE_FACTS {
        let value = cell(&nodes, column, row);
        if !value.is_empty() {
            println!("  {column:<12} {value}");
        }
    }
    match &identifiers {
        Some(table) => {
            let ids: Vec<String> =
                rows_where(table, "node", &key).iter().map(|&r| cell(table, "identifier", r)).collect();
            println!("identifiers ({}): {}", ids.len(), ids.join(", "));
        }
        None => println!("identifiers: run nexo analyze with --evidence to list them"),
    }
    let (outgoing, incoming) = (rows_where(&edges, "source", &key), rows_where(&edges, "target", &key));
    let mut layers: BTreeMap<String, (usize, f64)> = BTreeMap::new();
    for &r in outgoing.iter().chain(&incoming) {
        let entry = layers.entry(cell(&edges, "layer", r)).or_default();
        entry.0 += 1;
        entry.1 += number(&edges, "records", r);
    }
    let summary: Vec<String> =
        layers.iter().map(|(layer, (links, records))| format!("{layer} ({links} links, {records} records)")).collect();
    println!("layers: {}", summary.join("; "));
    let by_link = evidence.as_ref().map(|table| index_evidence(table, &key));
    let labels: std::collections::HashMap<&str, &str> = text(&nodes, "node")
        .iter()
        .zip(text(&nodes, "label"))
        .filter_map(|(node, label)| Some((node.as_deref()?, label.as_deref()?)))
        .collect();
    let label_of = |node: &str| labels.get(node).map(|l| (*l).to_owned());
    for (arrow, other_column, rows) in [("->", "target", &outgoing), ("<-", "source", &incoming)] {
        for &r in rows.iter() {
            let mut other = cell(&edges, other_column, r);
            if let Some(label) = label_of(&other) {
                other = format!("{other} ({label})");
            }
            println!(
                "{arrow} {other}  {}  records {}  weight {}  {} .. {}",
                cell(&edges, "layer", r),
                cell(&edges, "records", r),
                cell(&edges, "weight", r),
                cell(&edges, "first_seen", r),
                cell(&edges, "last_seen", r)
            );
            if let Some(by_link) = &by_link {
                let link = (cell(&edges, "source", r), cell(&edges, "target", r), cell(&edges, "layer", r));
                let places = by_link.get(&link).map(Vec::as_slice).unwrap_or_default();
                let shown: Vec<&str> = places.iter().take(args.records).map(String::as_str).collect();
                let more = places.len().saturating_sub(args.records);
                let tail = if more > 0 { format!(" and {more} more") } else { String::new() };
                println!("     records at {}{tail}", shown.join(", "));
            }
        }
    }
    if by_link.is_none() {
        println!("records behind each link: run nexo analyze with --evidence");
    }
    Ok(())
}

/// The key of the node named by key, identifier or label.
fn find(nodes: &Columns, identifiers: Option<&Columns>, wanted: &str) -> Result<String> {
    let keys = text(nodes, "node");
    if keys.iter().any(|k| k.as_deref() == Some(wanted)) {
        return Ok(wanted.to_owned());
    }
    if let Some(table) = identifiers {
        let ids = text(table, "identifier");
        let canonical = nexo_graph::canonical_identifier(wanted, &mut String::new()).to_owned();
        if let Some(r) = ids.iter().position(|i| i.as_deref() == Some(canonical.as_str())) {
            return Ok(cell(table, "node", r));
        }
    }
    let labels = text(nodes, "label");
    let matching: Vec<usize> = (0..labels.len()).filter(|&r| labels[r].as_deref() == Some(wanted)).collect();
    match matching[..] {
        [r] => Ok(keys[r].clone().unwrap_or_default()),
        [] => Err(nexo_io::Error::BadOption {
            option: "--node".into(),
            message: format!("{wanted:?} is no node key, identifier or label of this analysis"),
        }
        .into()),
        _ => Err(nexo_io::Error::BadOption {
            option: "--node".into(),
            message: format!("{} nodes have the label {wanted:?}: give a node key", matching.len()),
        }
        .into()),
    }
}

/// The table at `path`, refused with a clear error if it lacks one of the
/// text columns `required` (the lookups below read missing columns as
/// empty, which would only say that no node matches).
fn with_columns(path: &std::path::Path, required: &[&str]) -> Result<Columns> {
    let table = read_columns(path)?;
    for column in required {
        table.text(column, path)?;
    }
    Ok(table)
}

fn text<'a>(table: &'a Columns, column: &str) -> &'a [Option<String>] {
    match table.get(column) {
        Some(Values::Text(values)) => values,
        _ => &[],
    }
}

fn cell(table: &Columns, column: &str, row: usize) -> String {
    match table.get(column) {
        Some(Values::Text(values)) => values.get(row).cloned().flatten().unwrap_or_default(),
        Some(Values::Number(values)) => values.get(row).copied().flatten().map(|v| format!("{v}")).unwrap_or_default(),
        None => String::new(),
    }
}

fn number(table: &Columns, column: &str, row: usize) -> f64 {
    cell(table, column, row).parse().unwrap_or(0.0)
}

fn rows_where(table: &Columns, column: &str, value: &str) -> Vec<usize> {
    let values = text(table, column);
    (0..values.len()).filter(|&r| values[r].as_deref() == Some(value)).collect()
}

/// `file:line` of each record of the links of `node`, by (source, target, layer).
fn index_evidence(evidence: &Columns, node: &str) -> BTreeMap<(String, String, String), Vec<String>> {
    let (sources, targets) = (text(evidence, "source"), text(evidence, "target"));
    let mut index: BTreeMap<(String, String, String), Vec<String>> = BTreeMap::new();
    for r in 0..sources.len() {
        if sources[r].as_deref() != Some(node) && targets[r].as_deref() != Some(node) {
            continue;
        }
        let link = (cell(evidence, "source", r), cell(evidence, "target", r), cell(evidence, "layer", r));
        index.entry(link).or_default().push(format!("{}:{}", cell(evidence, "file", r), cell(evidence, "line", r)));
    }
    index
}
