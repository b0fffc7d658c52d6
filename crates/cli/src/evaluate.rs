//! `nexo evaluate`: scores an analysis of a generated case against its
//! ground truth.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use nexo_io::{Columns, read_columns};
use nexo_synth::evaluate::{Column, Evaluation, TrueEntity, TruthIndex, evaluate};

use crate::args::EvaluateArgs;

/// Node columns scored as rankings, when present.
const RANKINGS: &[&str] = &[
    "degree",
    "in_degree",
    "out_degree",
    "strength",
    "betweenness",
    "closeness",
    "harmonic",
    "pagerank",
    "eigenvector",
    "katz",
    "core",
    "effective_size",
    "brokerage",
    "gatekeeper",
    "representative",
    "liaison",
    "key_score",
];

/// Runs `nexo evaluate`.
pub fn run(args: &EvaluateArgs) -> Result<()> {
    if args.k.is_empty() || args.k.contains(&0) {
        bail!(nexo_synth::Error::BadTable { table: "--k".into(), message: "lengths must be at least 1".into() });
    }
    let truth = load_truth(&args.truth)?;
    let nodes_path = table_file(&args.results, "nodes")?;
    let nodes = read_columns(&nodes_path).with_context(|| format!("reading {}", nodes_path.display()))?;
    let keys: Vec<String> = nodes.text("node", &nodes_path)?.iter().map(|k| k.clone().unwrap_or_default()).collect();
    let columns = result_columns(&nodes);
    let evaluation = evaluate(&truth, &keys, &columns, &args.k);
    print_table(&evaluation, &columns);
    let json_path = args.json.clone().unwrap_or_else(|| args.results.join("evaluation.json"));
    let json = serde_json::to_string_pretty(&evaluation).context("serialising the evaluation")?;
    std::fs::write(&json_path, json + "\n").with_context(|| format!("writing {}", json_path.display()))?;
    println!("written to {}", json_path.display());
    Ok(())
}

/// `dir/NAME.parquet`, `dir/NAME.csv`, or the directory of parts `dir/NAME`.
fn table_file(dir: &Path, name: &str) -> Result<PathBuf> {
    let files = ["parquet", "csv"].iter().map(|ext| dir.join(format!("{name}.{ext}")));
    files.chain([dir.join(name)]).find(|p| p.is_file() || p.is_dir()).ok_or_else(|| {
        anyhow!(nexo_synth::Error::BadTable {
            table: dir.join(name).display().to_string(),
            message: "no such table (.parquet or .csv)".into(),
        })
    })
}

fn load_truth(case: &Path) -> Result<TruthIndex> {
    let dir = case.join("truth");
    let mut truth = TruthIndex::default();
    let path = table_file(&dir, "entities")?;
    let table = read_columns(&path).with_context(|| format!("reading {}", path.display()))?;
    let (keys, roles, groups) = (table.text("entity", &path)?, table.text("role", &path)?, table.text("group", &path)?);
    let organisations = table.text("organisation", &path)?;
    for i in 0..keys.len() {
        let text = |column: &[Option<String>]| column[i].clone().unwrap_or_default();
        truth.add_entity(
            text(keys),
            TrueEntity { organisation: organisations[i].clone(), role: text(roles), group: text(groups) },
        );
    }
    let path = table_file(&dir, "identifiers")?;
    let table = read_columns(&path).with_context(|| format!("reading {}", path.display()))?;
    let (identifiers, owners) = (table.text("identifier", &path)?, table.text("owner", &path)?);
    for (identifier, owner) in identifiers.iter().zip(owners) {
        if let (Some(identifier), Some(owner)) = (identifier, owner) {
            truth.add_identifier(identifier.clone(), owner.clone());
        }
    }
    Ok(truth)
}

/// The partitions (`community`, `community_*`) and rankings of the nodes table.
fn result_columns(nodes: &Columns) -> Vec<(String, Column)> {
    let mut columns = Vec::new();
    for (i, name) in nodes.names.iter().enumerate() {
        let partition = name == "community" || name.starts_with("community_");
        if !partition && !RANKINGS.contains(&name.as_str()) {
            continue;
        }
        let Some(values) = nodes.numbers(i) else { continue };
        if partition {
            columns.push((name.clone(), Column::Partition(values.iter().map(|v| v.map(|v| v as i64)).collect())));
        } else {
            columns.push((name.clone(), Column::Ranking(values)));
        }
    }
    columns
}

fn print_table(evaluation: &Evaluation, columns: &[(String, Column)]) {
    println!(
        "{} nodes, {} traced to the truth; {} leaders and {} brokers in the truth",
        evaluation.nodes, evaluation.matched, evaluation.leaders, evaluation.brokers
    );
    if evaluation.partitions.is_empty() {
        println!("communities: no community column in the results");
    } else {
        println!("\n{:<22} {:<10} {:>8} {:>7} {:>7}", "partition", "scope", "nodes", "NMI", "ARI");
        for p in &evaluation.partitions {
            let score = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.3}"));
            println!("{:<22} {:<10} {:>8} {:>7} {:>7}", p.column, p.scope, p.nodes, score(p.nmi), score(p.ari));
        }
    }
    let skipped: Vec<&str> = columns
        .iter()
        .filter(|(name, c)| matches!(c, Column::Ranking(_)) && !evaluation.rankings.iter().any(|r| &r.column == name))
        .map(|(name, _)| name.as_str())
        .collect();
    println!(
        "\n{:<14} {:>4} {:>10} {:>10} {:>10} {:>10} {:>9}",
        "ranking", "k", "leader P", "leader R", "broker P", "broker R", "members"
    );
    for r in &evaluation.rankings {
        println!(
            "{:<14} {:>4} {:>10.2} {:>10.2} {:>10.2} {:>10.2} {:>9.2}",
            r.column, r.k, r.leader_precision, r.leader_recall, r.broker_precision, r.broker_recall, r.member_share
        );
    }
    if !skipped.is_empty() {
        println!("not computed in these results: {}", skipped.join(", "));
    }
}
