//! `nexo keyplayers`: the set of people to arrest (KPP-Neg) or to watch
//! (KPP-Pos), Borgatti 2006.

use std::time::Instant;

use anyhow::Result;
use nexo_graph::disruption::{
    Criterion, KeyPlayers, RESTART_NODES, SOURCES, distance_fragmentation, fragmentation, key_players, reach,
};
use nexo_graph::{Direction, Entities, LinkNetwork, WeightKind};
use nexo_io::KeySet;

use crate::args::KindArg;
use crate::measures::MeasureEntry;

/// Up to this many nodes a set's distance-weighted fragmentation is
/// reported exactly (a search from every node); above, estimated from
/// [`REPORT_SOURCES`] seeded sources.
const EXACT_REPORT_NODES: usize = 5_000;
/// Sources of the estimated report.
const REPORT_SOURCES: usize = 256;

/// The `k` key players of `network` for `kind`, on the undirected graph,
/// scored by all three criteria.
pub fn find(
    network: &LinkNetwork,
    k: usize,
    kind: KindArg,
    weight: WeightKind,
    seed: u64,
) -> Result<(KeySet, MeasureEntry)> {
    if k == 0 || k >= network.node_count() {
        let message = format!("must be at least 1 and below the node count ({})", network.node_count());
        return Err(nexo_io::Error::BadOption { option: "--k".into(), message }.into());
    }
    let clock = Instant::now();
    let graph = network.graph(Direction::Undirected, weight)?;
    let criterion = match kind {
        KindArg::Neg => Criterion::Fragmentation,
        KindArg::NegDistance => Criterion::DistanceFragmentation,
        KindArg::Pos => Criterion::Reach,
    };
    let found = key_players(&graph, k, criterion)?;
    let exact_distances = graph.node_count() <= EXACT_REPORT_NODES;
    let sources = if exact_distances { 0 } else { REPORT_SOURCES };
    let set = KeySet {
        criterion: name(criterion),
        fragmentation: fragmentation(&graph, &found.nodes),
        distance_fragmentation: distance_fragmentation(&graph, &found.nodes, sources, seed),
        reach: reach(&graph, &found.nodes),
        nodes: found.nodes.clone(),
    };
    let entry = MeasureEntry {
        measure: "keyplayers",
        method: method(&found, k, graph.node_count(), exact_distances, seed),
        graph: "undirected",
        seconds: clock.elapsed().as_secs_f64(),
        iterations: None,
        converged: None,
    };
    Ok((set, entry))
}

fn name(criterion: Criterion) -> &'static str {
    match criterion {
        Criterion::Fragmentation => "fragmentation",
        Criterion::DistanceFragmentation => "distance_fragmentation",
        Criterion::Reach => "reach",
    }
}

fn method(found: &KeyPlayers, k: usize, n: usize, exact_distances: bool, seed: u64) -> String {
    let problem = if found.criterion == Criterion::Reach { "KPP-Pos" } else { "KPP-Neg" };
    let mut search = if found.exact {
        "every node a candidate".to_owned()
    } else {
        format!("candidates the {} nodes of highest degree", found.candidates)
    };
    if !found.exact && found.criterion == Criterion::DistanceFragmentation {
        search.push_str(&format!(", estimated from {SOURCES} sampled sources"));
    }
    if n <= RESTART_NODES {
        search.push_str(&format!(", best of {} greedy starts from the best single nodes", found.starts));
    }
    let reported = if exact_distances {
        String::new()
    } else {
        format!("; distance_fragmentation estimated from {REPORT_SOURCES} sources (seed {seed})")
    };
    format!(
        "{problem} (Borgatti 2006), k {k}, by {}: {:.6} ({:.6} after the winning start's greedy phase, {} swaps; \
         {search}){reported}",
        name(found.criterion),
        found.score,
        found.greedy_score,
        found.swaps
    )
}

/// The key players for the terminal.
pub fn print(network: &LinkNetwork, set: &KeySet) {
    println!(
        "key players by {}: fragmentation {:.4}, distance-weighted fragmentation {:.4}, reach {:.4} once these {} are taken",
        set.criterion,
        set.fragmentation,
        set.distance_fragmentation,
        set.reach,
        set.nodes.len()
    );
    for (rank, &u) in set.nodes.iter().enumerate() {
        let label = network.node_attribute(u, Entities::LABEL).unwrap_or("");
        println!("{:>4}  {}  {label}", rank + 1, network.node_key(u));
    }
}
