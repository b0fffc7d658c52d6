//! `nexo disrupt`: remove the network's key nodes step by step.

use std::time::Instant;

use anyhow::Result;
use nexo_graph::centrality::PathLength;
use nexo_graph::disruption::{Removal, Step, Target, simulate};
use nexo_graph::{Direction, Graph, LinkNetwork, WeightKind};

use crate::args::{AnalyzeArgs, PathWeightArg, RemovalArgs, TargetArg};
use crate::measures::MeasureEntry;

/// Fewest sampled sources of betweenness per step.
const MIN_SOURCES: usize = 64;

/// Up to this many nodes, global efficiency is exact (a search from every
/// node at every step); above, it is estimated from 256 sources.
const EXACT_EFFICIENCY_NODES: usize = 5_000;

/// The simulated steps and what the manifest says of them.
pub struct Simulated {
    pub steps: Vec<Step>,
    pub entry: MeasureEntry,
}

/// Simulates the removal `removal` asks for on the directed graph of
/// `network` under `weight`.
pub fn run(network: &LinkNetwork, args: &AnalyzeArgs, removal: &RemovalArgs, weight: WeightKind) -> Result<Simulated> {
    if removal.block == 0 {
        let message = "must remove at least one node per step".to_owned();
        return Err(nexo_io::Error::BadOption { option: "--block".into(), message }.into());
    }
    let clock = Instant::now();
    let graph = network.graph(Direction::Directed, weight)?;
    let length = match args.path_weight {
        PathWeightArg::Hops => PathLength::Hops,
        PathWeightArg::Inverse => PathLength::InverseWeight,
        PathWeightArg::Weight => PathLength::Weight,
    };
    let target = match removal.by {
        TargetArg::Degree => Target::Degree,
        TargetArg::InDegree => Target::InDegree,
        TargetArg::OutDegree => Target::OutDegree,
        TargetArg::Strength => Target::Strength,
        TargetArg::Betweenness => betweenness_target(&graph, args, removal, length),
        TargetArg::Pagerank => Target::PageRank,
        TargetArg::Ci => Target::CollectiveInfluence { weighted: false },
        TargetArg::Kpp => Target::KeyPlayer,
        TargetArg::Random => Target::Random,
    };
    let options = Removal {
        target,
        block: removal.block,
        steps: removal.steps,
        recompute: !removal.fixed,
        seed: args.seed,
        efficiency: removal.efficiency.then_some(if graph.node_count() <= EXACT_EFFICIENCY_NODES { 0 } else { 256 }),
        ..Removal::default()
    };
    let steps = simulate(&graph, &options).map_err(|e| crate::measures::name_nodes(network, e.into()))?;
    let efficiency = match options.efficiency {
        None => "",
        Some(0) => ", exact efficiency",
        Some(_) => ", efficiency from 256 sampled sources",
    };
    let by = match target {
        Target::BetweennessSampled { sources, .. } => format!("betweenness from {sources} sampled sources per step"),
        Target::KeyPlayer => "key players (KPP-Neg)".to_owned(),
        _ => format!("{:?}", removal.by),
    };
    let method = format!(
        "{by}, {} per step, {}, seed {}{efficiency}",
        removal.block,
        if removal.fixed { "ranked once" } else { "recomputed after each step" },
        args.seed
    )
    .to_lowercase();
    let entry = MeasureEntry {
        measure: "disruption",
        method,
        graph: "directed",
        seconds: clock.elapsed().as_secs_f64(),
        iterations: Some(steps.len() - 1),
        converged: None,
    };
    Ok(Simulated { steps, entry })
}

/// Exact betweenness while the whole curve's work (nodes x arcs per
/// computation) stays within `--exact-limit`, else sampled sources sized to
/// that budget, at least [`MIN_SOURCES`] per step.
fn betweenness_target(graph: &Graph, args: &AnalyzeArgs, removal: &RemovalArgs, length: PathLength) -> Target {
    let (n, arcs) = (graph.node_count() as f64, graph.edge_count() as f64);
    let computations =
        if removal.fixed { 1.0 } else { removal.steps.min(graph.node_count().div_ceil(removal.block)) as f64 };
    if args.exact || n * (n + arcs) * computations <= args.exact_limit {
        return Target::Betweenness(length);
    }
    let sources = ((args.exact_limit / (computations * (n + arcs))) as usize).max(MIN_SOURCES);
    if sources >= graph.node_count() {
        return Target::Betweenness(length);
    }
    Target::BetweennessSampled { length, sources }
}

/// The curve as a table for the terminal.
pub fn print(network: &LinkNetwork, steps: &[Step]) {
    let initial = steps.first().map_or(0, |s| s.largest_weak).max(1) as f64;
    println!(
        "{:>5} {:>8} {:>8} {:>8} {:>8} {:>10} {:>10}  removed",
        "step", "nodes", "LWCC", "share", "LSCC", "components", "efficiency"
    );
    for (i, step) in steps.iter().enumerate() {
        let removed: Vec<&str> = step.removed.iter().map(|&u| network.node_key(u)).collect();
        let efficiency = step.efficiency.map_or("-".to_owned(), |e| format!("{e:.4}"));
        println!(
            "{i:>5} {:>8} {:>8} {:>8.3} {:>8} {:>10} {efficiency:>10}  {}",
            step.nodes,
            step.largest_weak,
            f64::from(step.largest_weak) / initial,
            step.largest_strong,
            step.weak_components,
            removed.join(", ")
        );
    }
}
