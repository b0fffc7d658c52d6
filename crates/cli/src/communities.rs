//! Community detection in `nexo analyze`: the `community` column and the
//! rows of `communities.parquet`.

use std::time::Instant;

use anyhow::Result;
use nexo_graph::community::{CommunityProfile, label_propagation, leiden, louvain, modularity, profiles};
use nexo_graph::{Direction, LinkNetwork, WeightKind};
use nexo_io::NodeValues;

use crate::args::{AnalyzeArgs, CommunitiesArg};
use crate::measures::MeasureEntry;

/// What detection adds to the outputs.
pub struct Detected {
    pub column: NodeValues,
    pub profiles: Vec<CommunityProfile>,
    /// Whether `top_ranked` of the profiles is by betweenness.
    pub by_betweenness: bool,
    pub entry: MeasureEntry,
}

/// Communities of the undirected graph of `network` under `weight`, by the
/// method `args` asks for; `None` with `--communities none`. `betweenness`,
/// if computed, ranks the top members of each community.
pub fn detect(
    network: &LinkNetwork,
    args: &AnalyzeArgs,
    weight: WeightKind,
    betweenness: Option<&[f64]>,
) -> Result<Option<Detected>> {
    if args.communities == CommunitiesArg::None {
        return Ok(None);
    }
    if !(args.resolution.is_finite() && args.resolution >= 0.0) {
        let message = format!("must be a finite number >= 0, not {}", args.resolution);
        return Err(nexo_io::Error::BadOption { option: "--resolution".into(), message }.into());
    }
    let clock = Instant::now();
    let graph = network.graph(Direction::Undirected, weight)?;
    let (found, method) = match args.communities {
        CommunitiesArg::Leiden => (leiden(&graph, args.resolution, args.seed)?, "Leiden"),
        CommunitiesArg::Louvain => (louvain(&graph, args.resolution, args.seed)?, "Louvain"),
        CommunitiesArg::Lpa => (label_propagation(&graph, args.seed)?, "label propagation"),
        CommunitiesArg::None => unreachable!("handled above"),
    };
    // Modularity is reported at the resolution asked for (label
    // propagation has none: at 1).
    let resolution = if args.communities == CommunitiesArg::Lpa { 1.0 } else { args.resolution };
    let q = if graph.edge_count() == 0 { 0.0 } else { modularity(&graph, &found.membership, resolution)? };
    let rows = profiles(network, &graph, &found.membership, found.count, resolution, betweenness);
    let method = format!(
        "{method}, resolution {resolution}, seed {}: {} communities, modularity {q:.6}, {} levels",
        args.seed, found.count, found.levels
    );
    let entry = MeasureEntry {
        measure: "community",
        method,
        graph: "undirected",
        seconds: clock.elapsed().as_secs_f64(),
        iterations: None,
        converged: (!found.converged).then_some(false),
    };
    let column = NodeValues::Int(found.membership.iter().map(|&c| i64::from(c)).collect());
    Ok(Some(Detected { column, profiles: rows, by_betweenness: betweenness.is_some(), entry }))
}
