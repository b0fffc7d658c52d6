//! Where a run's outputs go and how they are written: tables (with their
//! `run_id`), rejected rows, exports for other tools.

use std::path::Path;

use anyhow::{Result, anyhow};
use nexo_graph::community::CommunityProfile;
use nexo_graph::disruption::Step;
use nexo_graph::{Degrees, LinkNetwork, WeightKind};
use nexo_io::{
    GroupRow, NodeValues, OutputFormat, communities_batch, disruption_batch, edges_batch, evidence_batch, groups_batch,
    identifiers_batch, keyplayers_batch, nodes_batch, with_run_id, write_gexf, write_graphml, write_i2,
    write_rejections, write_table,
};

use crate::args::ExportArg;
use crate::manifest::OutputEntry;
use crate::staging::Staging;

/// Where each output goes: flat in --out, or with --partition the tables
/// as Hive-style partitions `TABLE/run_id=ID/part-0.EXT` and the run's
/// other files in `runs/ID/`.
pub struct Placement<'a> {
    pub run_id: &'a str,
    pub partitioned: bool,
}

impl Placement<'_> {
    /// The relative path of table `name`.
    pub fn table(&self, name: &str, extension: &str) -> String {
        if self.partitioned {
            format!("{name}/run_id={}/part-0.{extension}", self.run_id)
        } else {
            format!("{name}.{extension}")
        }
    }

    /// The relative path of the run's file `name` (manifest, report, ...).
    pub fn file(&self, name: &str) -> String {
        if self.partitioned { format!("runs/{}/{name}", self.run_id) } else { name.to_owned() }
    }
}

/// The table `name` of an existing output directory `out`: `name.parquet`
/// or `name.csv`, or in a `--partition` dataset the part of run `run` (which
/// may be left out when the dataset holds one run).
///
/// # Errors
/// `BadOption` naming what is missing, or the runs to choose from.
pub fn find_table(out: &Path, name: &str, run: Option<&str>) -> Result<std::path::PathBuf> {
    let missing = |message: String| anyhow::Error::from(nexo_io::Error::BadOption { option: "OUT".into(), message });
    let partitions = out.join(name);
    if !partitions.is_dir() {
        return ["parquet", "csv"].iter().map(|e| out.join(format!("{name}.{e}"))).find(|p| p.exists()).ok_or_else(
            || missing(format!("{} holds no {name} table: is it the --out of nexo analyze?", out.display())),
        );
    }
    let mut runs: Vec<String> = std::fs::read_dir(&partitions)
        .map_err(|e| missing(format!("{}: {e}", partitions.display())))?
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.strip_prefix("run_id=").map(str::to_owned))
        .collect();
    runs.sort_unstable();
    let chosen = match (run, &runs[..]) {
        (Some(run), _) if runs.iter().any(|r| r == run) => run.to_owned(),
        (None, [only]) => only.clone(),
        _ => {
            let message = format!("{} holds the runs {}: choose one with --run", partitions.display(), runs.join(", "));
            return Err(nexo_io::Error::BadOption { option: "--run".into(), message }.into());
        }
    };
    let part = partitions.join(format!("run_id={chosen}"));
    ["parquet", "csv"]
        .iter()
        .map(|e| part.join(format!("part-0.{e}")))
        .find(|p| p.exists())
        .ok_or_else(|| missing(format!("{} holds no part-0 file", part.display())))
}

/// The computed columns of the output tables.
pub struct Tables {
    pub degrees: Degrees,
    pub node_columns: Vec<(&'static str, NodeValues)>,
    pub edge_betweenness: Option<Vec<f64>>,
    /// Profiles, and whether their top members are by betweenness.
    pub communities: Option<(Vec<CommunityProfile>, bool)>,
    pub groups: Option<Vec<GroupRow>>,
    pub disruption: Option<Vec<Step>>,
    pub key_players: Option<nexo_io::KeySet>,
    /// Input files by their position in the scan, for the evidence table.
    pub input_files: Vec<String>,
}

/// Writes the tables, the rejected rows and the exports; the outputs written.
pub fn write_outputs(
    staging: &Staging,
    placement: &Placement<'_>,
    network: &LinkNetwork,
    tables: Tables,
    options: (WeightKind, OutputFormat, &[ExportArg]),
    rejections: &[nexo_io::Rejection],
) -> Result<Vec<OutputEntry>> {
    let (weight, format, exports) = options;
    let Tables { degrees, node_columns, edge_betweenness, communities, groups, disruption, key_players, input_files } =
        tables;
    let mut measures = vec![
        ("degree", NodeValues::Int(degrees.degree)),
        ("in_degree", NodeValues::Int(degrees.in_degree)),
        ("out_degree", NodeValues::Int(degrees.out_degree)),
        ("strength", NodeValues::Float(degrees.strength)),
        ("in_strength", NodeValues::Float(degrees.in_strength)),
        ("out_strength", NodeValues::Float(degrees.out_strength)),
    ];
    measures.extend(node_columns);
    let nodes = nodes_batch(network, measures).map_err(|e| anyhow!("building the nodes table: {e}"))?;
    let edges = edges_batch(network, weight, edge_betweenness).map_err(|e| anyhow!("building the edges table: {e}"))?;
    let communities = communities
        .map(|(rows, by_betweenness)| communities_batch(network, &rows, by_betweenness))
        .transpose()
        .map_err(|e| anyhow!("building the communities table: {e}"))?;
    let groups =
        groups.map(|rows| groups_batch(&rows)).transpose().map_err(|e| anyhow!("building the groups table: {e}"))?;
    let disruption_table = disruption
        .as_ref()
        .map(|steps| disruption_batch(network, steps))
        .transpose()
        .map_err(|e| anyhow!("building the disruption table: {e}"))?;
    let key_players = key_players
        .map(|set| keyplayers_batch(network, &set))
        .transpose()
        .map_err(|e| anyhow!("building the keyplayers table: {e}"))?;
    let (evidence, identifiers) = match network.evidence() {
        Some(_) => (
            Some(evidence_batch(network, &input_files).map_err(|e| anyhow!("building the evidence table: {e}"))?),
            Some(identifiers_batch(network).map_err(|e| anyhow!("building the identifiers table: {e}"))?),
        ),
        None => (None, None),
    };
    let mut outputs = write_exports(staging, placement, exports, &nodes, &edges)?;
    let tables = [
        ("nodes", Some(&nodes)),
        ("edges", Some(&edges)),
        ("communities", communities.as_ref()),
        ("groups", groups.as_ref()),
        ("disruption", disruption_table.as_ref()),
        ("keyplayers", key_players.as_ref()),
        ("evidence", evidence.as_ref()),
        ("identifiers", identifiers.as_ref()),
    ];
    for (name, batch) in tables.into_iter().filter_map(|(name, batch)| batch.map(|b| (name, b))) {
        let file = placement.table(name, format.extension());
        let path = staging.path(&file);
        let written = if placement.partitioned {
            write_table(&path, format, batch)
        } else {
            with_run_id(batch, placement.run_id).and_then(|batch| write_table(&path, format, &batch))
        };
        written.map_err(|e| write_failed(&path, e))?;
        outputs.push(OutputEntry { file, rows: Some(batch.num_rows()) });
    }
    let file = placement.file("rejected.csv");
    let path = staging.path(&file);
    write_rejections(&path, rejections).map_err(|e| write_failed(&path, e))?;
    outputs.push(OutputEntry { file, rows: Some(rejections.len()) });
    Ok(outputs)
}

/// The network for other tools, from the nodes and edges tables.
fn write_exports(
    staging: &Staging,
    placement: &Placement<'_>,
    exports: &[ExportArg],
    nodes: &nexo_io::RecordBatch,
    edges: &nexo_io::RecordBatch,
) -> Result<Vec<OutputEntry>> {
    let mut outputs = Vec::new();
    for export in exports {
        match export {
            ExportArg::Gexf => {
                let file = placement.file("network.gexf");
                let path = staging.path(&file);
                write_gexf(&path, nodes, edges).map_err(|e| write_failed(&path, e))?;
                outputs.push(OutputEntry { file, rows: None });
            }
            ExportArg::Graphml => {
                let file = placement.file("network.graphml");
                let path = staging.path(&file);
                write_graphml(&path, nodes, edges).map_err(|e| write_failed(&path, e))?;
                outputs.push(OutputEntry { file, rows: None });
            }
            ExportArg::I2 => {
                let (entities, links) = (placement.file("i2_entities.csv"), placement.file("i2_links.csv"));
                let (entities_path, links_path) = (staging.path(&entities), staging.path(&links));
                write_i2(&entities_path, &links_path, nodes, edges).map_err(|e| write_failed(&entities_path, e))?;
                outputs.push(OutputEntry { file: entities, rows: Some(nodes.num_rows()) });
                outputs.push(OutputEntry { file: links, rows: Some(edges.num_rows()) });
            }
        }
    }
    Ok(outputs)
}

/// A failure to write an output is not the input's fault: exit code 1.
fn write_failed(path: &Path, error: nexo_io::Error) -> anyhow::Error {
    anyhow!("writing {}: {error}", path.display())
}
