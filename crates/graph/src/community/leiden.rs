//! Leiden community detection.

use super::level::{Level, renumber};
use super::moving::{Objective, local_moving};
use super::refine::refine;
use super::{Communities, MAX_SWEEPS, check, connected_parts, flatten, on_pool};

/// Small graphs (fewer arcs than this) iterate until stable: iterations
/// cost little there.
const SMALL_ARCS: usize = 1 << 13;
/// Iterations at most on small graphs; each starts from the previous
/// partition and visits the nodes in a new order.
const MAX_ITERATIONS_SMALL: usize = 50;
/// Iterations at most on larger graphs: 2, the default of igraph and
/// leidenalg. Each costs about a Louvain run, and later ones gain little on
/// graphs without strong structure (measured on a 200k-node
/// preferential-attachment graph: +0.0037, +0.0009, +0.0006, ...; igraph's
/// `n_iterations = -1`, until the partition no longer changes, did not
/// finish there in 300 s).
const MAX_ITERATIONS_LARGE: usize = 2;
/// An iteration gaining less modularity than this counts as no improvement.
const MIN_IMPROVEMENT: f64 = 1e-10;
/// Iterations in a row without improvement before small graphs stop: each
/// visits the nodes in a new order, which may still find a better partition.
const PATIENCE_SMALL: usize = 4;
use crate::csr::Graph;
use crate::error::Result;
use crate::rng::SplitMix64;

/// Communities of `graph` by the Leiden method (Traag, Waltman & van Eck
/// 2019, "From Louvain to Leiden: guaranteeing well-connected
/// communities"), optimising modularity:
///
/// 1. local moving, as in [`super::louvain`], from the current partition (a
///    node may also leave for an empty community);
/// 2. refinement: each community is split into sub-communities grown from
///    single nodes by merging only along edges, with well-connected nodes
///    only (see `refine`);
/// 3. aggregation of the *refined* sub-communities, each starting in the
///    community it was refined from; back to 1 until every community is one
///    node of the aggregate graph.
///
/// That is one iteration. Iterations repeat from the partition found, each
/// in a new seeded order: on graphs under 4,096 edges until four in a row
/// raise modularity by less than 1e-10 (at most 50); above, 2 (igraph's
/// and leidenalg's default). The best partition found is kept.
///
/// Every community is then a sub-community, connected by construction.
/// Should refinement stop merging before that point (it did not in any test
/// graph), communities are split into their connected parts, which only
/// raises modularity.
///
/// - `graph`: undirected, weighted (directed graphs are refused).
/// - `resolution` γ: larger gives smaller communities (1: classic modularity).
/// - `seed`: the visiting order of each level; the same seed gives the same
///   partition at any thread count.
///
/// Refinement merges each node into the best sub-community rather than one
/// drawn at random (the paper's θ → 0), which keeps the guarantee. Cost:
/// `O(m)` per sweep of local moving plus `O(m)` per refinement and
/// aggregation; all three run in parallel on graphs of 16,384 nodes or more.
///
/// # Errors
/// [`crate::Error::BadParameter`] for a directed graph, a negative or
/// infinite edge weight, or a resolution that is negative or not finite.
///
/// # Example
///
/// Two triangles joined by one edge split into the two triangles:
///
/// ```
/// use nexo_graph::{Direction, Graph, community::leiden};
///
/// let (s, t) = ([0, 1, 2, 3, 4, 5, 2], [1, 2, 0, 4, 5, 3, 3]);
/// let g = Graph::from_edges(6, &s, &t, &[1.0; 7], Direction::Undirected).unwrap();
/// let found = leiden(&g, 1.0, 7).unwrap();
/// assert_eq!(found.membership, vec![0, 0, 0, 1, 1, 1]);
/// assert_eq!(found.count, 2);
/// ```
pub fn leiden(graph: &Graph, resolution: f64, seed: u64) -> Result<Communities> {
    check(graph, resolution, "Leiden")?;
    let (raw, levels) = on_pool(|| unsplit(graph, resolution, seed));
    let (membership, count, _) = connected_parts(graph, &raw);
    Ok(Communities { membership, count, levels, converged: true })
}

/// Leiden's partition before the connectivity safeguard, and its levels:
/// iterations from the previous partition (see [`leiden`] for how many).
fn unsplit(graph: &Graph, resolution: f64, seed: u64) -> (Vec<u32>, usize) {
    let mut rng = SplitMix64::new(seed);
    let mut membership: Vec<u32> = (0..graph.node_count() as u32).collect();
    // The first iteration always counts as an improvement (it starts from
    // single nodes, and moves only raise modularity).
    let mut quality = f64::NEG_INFINITY;
    let mut levels = 0;
    let small = 2 * graph.edge_count() < SMALL_ARCS;
    // Large graphs run all their iterations: patience never runs out.
    let (iterations, patience) =
        if small { (MAX_ITERATIONS_SMALL, PATIENCE_SMALL) } else { (MAX_ITERATIONS_LARGE, usize::MAX) };
    let mut idle = 0;
    for _ in 0..iterations {
        // Each iteration numbers the graph in a new order: the same order
        // every time settles sooner in a poorer optimum on small graphs.
        let base = Level::shuffled(graph, &mut rng);
        let mut initial = vec![0u32; membership.len()];
        for (&c, &x) in membership.iter().zip(&base.place) {
            initial[x as usize] = c;
        }
        let (next, iteration_levels) = iteration(&base.level, initial, resolution, &mut rng);
        levels += iteration_levels;
        let next_quality = base.level.modularity(&next, resolution);
        let gain = next_quality - quality;
        if gain > 0.0 {
            (membership, quality) = (flatten(&base.place, &next).0, next_quality);
        }
        idle = if gain <= MIN_IMPROVEMENT { idle + 1 } else { 0 };
        if idle == patience {
            break;
        }
    }
    (membership, levels)
}

/// One iteration of Leiden from `initial`, a partition of `base`; returns
/// the partition renumbered by first appearance.
fn iteration(base: &Level, initial: Vec<u32>, resolution: f64, rng: &mut SplitMix64) -> (Vec<u32>, usize) {
    let mut aggregated: Option<Level> = None;
    let mut node_of: Vec<u32> = (0..base.len() as u32).collect();
    let mut partition = initial;
    let mut levels = 0;
    loop {
        let level = aggregated.as_ref().unwrap_or(base);
        let moved = local_moving(level, partition, Objective::Modularity { resolution }, MAX_SWEEPS);
        let (communities, count) = renumber(&moved.community);
        partition = communities;
        if count == level.len() {
            break;
        }
        let refined = refine(level, &partition, count, resolution);
        let (mut refined, refined_count) = renumber(&refined);
        if refined_count == level.len() {
            break;
        }
        levels += 1;
        let coarser = level.aggregate(&mut refined, refined_count, rng);
        let mut next = vec![0u32; refined_count];
        for (u, &r) in refined.iter().enumerate() {
            next[r as usize] = partition[u];
        }
        for x in &mut node_of {
            *x = refined[*x as usize];
        }
        aggregated = Some(coarser);
        partition = next;
    }
    (flatten(&node_of, &partition).0, levels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csr::Direction;

    /// Random graphs with planted groups and noise, of many shapes.
    fn random_graph(seed: u64) -> Graph {
        let mut rng = SplitMix64::new(seed);
        let n = 20 + rng.below(400) as u32;
        let groups = 1 + rng.below(12) as u32;
        let m = n as usize * (1 + rng.below(6) as usize);
        let (mut s, mut t, mut w) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..m {
            let u = rng.below(u64::from(n)) as u32;
            let v = if rng.unit() < 0.8 {
                // Same group: nodes u' with u' % groups == u % groups.
                let k = u64::from(n.div_ceil(groups));
                ((rng.below(k) as u32) * groups + u % groups).min(n - 1)
            } else {
                rng.below(u64::from(n)) as u32
            };
            s.push(u);
            t.push(v);
            w.push(if seed.is_multiple_of(2) { 1.0 } else { 0.5 + rng.unit() * 10.0 });
        }
        Graph::from_edges(n as usize, &s, &t, &w, Direction::Undirected).unwrap()
    }

    #[test]
    fn communities_are_connected_before_any_safeguard() {
        for seed in 0..300 {
            let g = random_graph(seed);
            for resolution in [0.5, 1.0, 2.0] {
                let (raw, _) = unsplit(&g, resolution, seed);
                let (_, _, added) = connected_parts(&g, &raw);
                assert_eq!(added, 0, "graph {seed}, resolution {resolution}: a community is disconnected");
            }
        }
    }

    #[test]
    fn the_safeguard_splits_disconnected_communities() {
        // Two separate edges put in one community.
        let g = Graph::from_edges(4, &[0, 2], &[1, 3], &[1.0, 1.0], Direction::Undirected).unwrap();
        let (parts, count, added) = connected_parts(&g, &[0, 0, 0, 0]);
        assert_eq!((parts, count, added), (vec![0, 0, 1, 1], 2, 1));
    }
}
