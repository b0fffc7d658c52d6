//! Disruption simulation: remove the key people one after another and
//! watch the network fall apart.

mod distances;
mod fragments;
mod keyplayers;

pub use keyplayers::{
    CANDIDATES, Criterion, EXACT_DISTANCE_NODES, EXACT_NODES, KeyPlayers, RESTART_NODES, SOURCES, STARTS,
    distance_fragmentation, fragmentation, key_players, kpp_neg, reach,
};

use distances::{Bfs, inverse_distances_from};

use crate::centrality::{BetweennessOptions, Convergence, PathLength, betweenness, betweenness_sampled, pagerank};
use crate::csr::Graph;
use crate::error::{Error, Result};
use crate::rng::SplitMix64;
use crate::structure::{strongly_connected, weakly_connected};

/// Whom to remove next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// Most distinct neighbours, in or out.
    Degree,
    /// Most incoming arcs.
    InDegree,
    /// Most outgoing arcs.
    OutDegree,
    /// Highest betweenness under the given path lengths.
    Betweenness(PathLength),
    /// Betweenness estimated from `sources` seeded sources per step
    /// ([`betweenness_sampled`]), for networks where exact betweenness at
    /// every step would cost too much.
    BetweennessSampled {
        /// Path lengths.
        length: PathLength,
        /// Sources drawn at each step (seeded by [`Removal::seed`]).
        sources: usize,
    },
    /// Highest PageRank (damping 0.85).
    PageRank,
    /// Largest total weight of links (strength).
    Strength,
    /// Katz centrality solved exactly, `x = (I − α Aᵀ)⁻¹ 1` normalised by
    /// `sign(Σx) ‖x‖` (networkx `katz_centrality_numpy`), so any `alpha`
    /// works, even beyond the power iteration's convergence radius. Dense:
    /// `O(n³)`, for networks up to a few thousand nodes.
    KatzExact {
        /// Attenuation.
        alpha: f64,
        /// Edge weights in `A` (else 1 per arc).
        weighted: bool,
    },
    /// Highest collective influence at radius 1 (Morone & Makse 2015):
    /// `(k_v − 1) Σ_{u ∈ N(v)} (k_u − 1)`, `k` the degree, or the strength
    /// when `weighted`.
    CollectiveInfluence {
        /// Strengths instead of degrees.
        weighted: bool,
    },
    /// Key players (KPP-Neg, Borgatti 2006; links read both ways): the
    /// `block` nodes whose removal leaves the fewest connected pairs among
    /// the rest ([`kpp_neg`]: a greedy start plus swaps), so one node per
    /// step removes the single node that fragments most. Ranked once
    /// (`recompute: false`), the order is the greedy start's on the whole
    /// network, then the rest by id.
    KeyPlayer,
    /// Nodes drawn at random (seeded): the baseline any strategy must beat.
    Random,
}

/// How to remove. The default removes the top node by degree, one at a
/// time, recomputing after each removal, until no node is left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Removal {
    /// The measure that picks the nodes.
    pub target: Target,
    /// Nodes removed per step: 1 is sequential removal; more is block
    /// removal (the top `block` at once).
    pub block: usize,
    /// Steps to simulate at most (it stops when no node is left).
    pub steps: usize,
    /// Recompute the measure on what is left after each step (true), or
    /// rank once on the whole network and remove in that order (false).
    pub recompute: bool,
    /// Seed of [`Target::Random`].
    pub seed: u64,
    /// Which of tied nodes goes first.
    pub ties: Ties,
    /// Stop once this many nodes or fewer are left.
    pub min_nodes: usize,
    /// Record each step's global efficiency: `Some(0)` exactly (a search
    /// from every node), `Some(k)` estimated from `k` seeded sources, `None`
    /// not at all (the default: it costs a search per source and step).
    pub efficiency: Option<usize>,
}

impl Default for Removal {
    fn default() -> Removal {
        Removal {
            target: Target::Degree,
            block: 1,
            steps: usize::MAX,
            recompute: true,
            seed: 0,
            ties: Ties::SmallestId,
            min_nodes: 0,
            efficiency: None,
        }
    }
}

/// Which of nodes with equal scores is removed first: conventions differ
/// between published studies, and exact reproduction depends on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ties {
    /// The smallest node id (a stable descending sort in node order).
    #[default]
    SmallestId,
    /// The largest node id (a stable ascending sort, taken from the end).
    LargestId,
}

/// The state of the network after one step.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Nodes removed at this step (original ids; none at step 0).
    pub removed: Vec<u32>,
    /// Nodes left.
    pub nodes: usize,
    /// Size of the largest weakly connected component.
    pub largest_weak: u32,
    /// Number of weakly connected components.
    pub weak_components: usize,
    /// Size of the largest strongly connected component (the weak one for
    /// an undirected graph).
    pub largest_strong: u32,
    /// Number of strongly connected components.
    pub strong_components: usize,
    /// Global efficiency (Latora & Marchiori 2001): the mean of `1 / d(u, v)`
    /// over ordered pairs of distinct nodes, `d` in hops along arcs (0 when
    /// unreachable); `None` unless asked for.
    pub efficiency: Option<f64>,
}

/// Simulates the removal of nodes from `graph`: step 0 is the whole
/// network; each step removes the `block` nodes that score highest under
/// the target measure (recomputed on the remaining network when asked),
/// and records the components left. Ties go to the smaller node id, as a
/// stable descending sort in node order does (the convention of
/// Anastasiadis & Antoniou 2024, whose CAVIAR curves the tests reproduce).
///
/// Cost per step: one computation of the measure on the remaining network
/// plus `O(n + m)` to rebuild it and count components.
///
/// # Errors
/// [`Error::BadParameter`] for a block of 0; errors of the measure (e.g.
/// lengths that are not positive).
///
/// # Example
///
/// A star with a tail: removing the centre leaves five pieces.
///
/// ```
/// use nexo_graph::{Direction, Graph, disruption::{Removal, Target, simulate}};
///
/// let g = Graph::from_edges(6, &[0, 0, 0, 0, 4], &[1, 2, 3, 4, 5], &[1.0; 5], Direction::Undirected).unwrap();
/// let removal = Removal { target: Target::Degree, block: 1, steps: 2, recompute: true, ..Removal::default() };
/// let steps = simulate(&g, &removal).unwrap();
/// assert_eq!(steps[0].largest_weak, 6);
/// assert_eq!(steps[1].removed, [0]);
/// assert_eq!((steps[1].largest_weak, steps[1].weak_components), (2, 4));
/// assert_eq!(steps[2].removed, [4]);
/// ```
pub fn simulate(graph: &Graph, removal: &Removal) -> Result<Vec<Step>> {
    if removal.block == 0 {
        return Err(Error::BadParameter { name: "block", message: "must remove at least one node per step".into() });
    }
    let mut rng = SplitMix64::new(removal.seed);
    let mut alive: Vec<u32> = (0..graph.node_count() as u32).collect();
    let mut current = graph.clone();
    let mut steps = vec![state(&current, Vec::new(), removal.efficiency, removal.seed)];
    // Ranking once, on the whole network, when not recomputing.
    let fixed = if removal.recompute { None } else { Some(ranking(graph, removal, &mut rng)?) };
    let mut next_fixed = 0;
    let mut keep = vec![true; graph.node_count()];
    while steps.len() <= removal.steps && alive.len() > removal.min_nodes {
        let chosen: Vec<u32> = match &fixed {
            Some(order) => {
                let take = removal.block.min(order.len() - next_fixed);
                next_fixed += take;
                order[next_fixed - take..next_fixed].to_vec()
            }
            None => {
                let order = ranking(&current, removal, &mut rng)?;
                order.iter().take(removal.block).map(|&i| alive[i as usize]).collect()
            }
        };
        for &v in &chosen {
            keep[v as usize] = false;
        }
        let (next, left) = induced(graph, &keep);
        current = next;
        alive = left;
        steps.push(state(&current, chosen, removal.efficiency, removal.seed));
    }
    Ok(steps)
}

/// Node ids of `graph` from highest to lowest score, ties as asked.
fn ranking(graph: &Graph, removal: &Removal, rng: &mut SplitMix64) -> Result<Vec<u32>> {
    let n = graph.node_count();
    let score: Vec<f64> = match removal.target {
        Target::Degree => (0..n as u32).map(|u| distinct_neighbors(graph, u) as f64).collect(),
        Target::InDegree => (0..n as u32).map(|u| graph.in_degree(u) as f64).collect(),
        Target::OutDegree => (0..n as u32).map(|u| graph.out_degree(u) as f64).collect(),
        Target::Betweenness(length) => {
            betweenness(graph, BetweennessOptions { length, normalized: true, edges: false })?.nodes
        }
        Target::BetweennessSampled { length, sources } => {
            let options = BetweennessOptions { length, normalized: true, edges: false };
            betweenness_sampled(graph, options, sources, removal.seed)?.nodes
        }
        Target::KeyPlayer => return Ok(key_player_ranking(graph, removal)),
        Target::PageRank => pagerank(graph, 0.85, Convergence { tolerance: 1e-10, max_iterations: 1000 })?.values,
        Target::Strength => (0..n as u32).map(|u| strength(graph, u)).collect(),
        Target::KatzExact { alpha, weighted } => katz_exact(graph, alpha, weighted)?,
        Target::CollectiveInfluence { weighted } => {
            let k: Vec<f64> = (0..n as u32)
                .map(|u| if weighted { strength(graph, u) } else { distinct_neighbors(graph, u) as f64 })
                .collect();
            (0..n as u32)
                .map(|v| {
                    let around: f64 = graph.out_neighbors(v).iter().map(|&u| k[u as usize] - 1.0).sum();
                    (k[v as usize] - 1.0) * around
                })
                .collect()
        }
        Target::Random => {
            let mut order: Vec<u32> = (0..n as u32).collect();
            for i in (1..n).rev() {
                order.swap(i, rng.below(i as u64 + 1) as usize);
            }
            return Ok(order);
        }
    };
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_by(|&a, &b| {
        let by_score = score[b as usize].total_cmp(&score[a as usize]);
        match removal.ties {
            Ties::SmallestId => by_score.then(a.cmp(&b)),
            Ties::LargestId => by_score.then(b.cmp(&a)),
        }
    });
    Ok(order)
}

/// KPP-Neg's set of one block first (ranked once: the greedy order of every
/// block to come), then the other nodes by id.
fn key_player_ranking(graph: &Graph, removal: &Removal) -> Vec<u32> {
    let n = graph.node_count();
    if n < 2 {
        return (0..n as u32).collect();
    }
    let mut order = if removal.recompute {
        kpp_neg(graph, removal.block.min(n - 1)).map(|found| found.nodes).unwrap_or_default()
    } else {
        keyplayers::greedy_fragmentation_order(graph, removal.block.saturating_mul(removal.steps).min(n - 1))
    };
    let mut taken = vec![false; n];
    for &v in &order {
        taken[v as usize] = true;
    }
    order.extend((0..n as u32).filter(|&v| !taken[v as usize]));
    order
}

/// Katz by a dense solve of `(I − α Aᵀ) x = 1` (Gaussian elimination with
/// partial pivoting), normalised as networkx's `katz_centrality_numpy`.
fn katz_exact(graph: &Graph, alpha: f64, weighted: bool) -> Result<Vec<f64>> {
    let n = graph.node_count();
    if n > 8192 {
        let message = format!("{n} nodes: too many for a dense solve (at most 8192)");
        return Err(Error::BadParameter { name: "graph", message });
    }
    // Row v of I − α Aᵀ: −α a(u, v) for each arc u → v.
    let mut m = vec![0.0; n * n];
    for v in 0..n {
        m[v * n + v] = 1.0;
    }
    for (u, v, w) in graph.edges() {
        let a = if weighted { w } else { 1.0 };
        m[v as usize * n + u as usize] -= alpha * a;
        if !graph.is_directed() && u != v {
            m[u as usize * n + v as usize] -= alpha * a;
        }
    }
    let mut x = vec![1.0; n];
    for col in 0..n {
        let pivot = (col..n).max_by(|&a, &b| m[a * n + col].abs().total_cmp(&m[b * n + col].abs())).unwrap_or(col);
        if m[pivot * n + col] == 0.0 {
            return Err(Error::BadParameter { name: "alpha", message: format!("{alpha}: I − αAᵀ is singular") });
        }
        if pivot != col {
            for k in 0..n {
                m.swap(pivot * n + k, col * n + k);
            }
            x.swap(pivot, col);
        }
        for row in col + 1..n {
            let factor = m[row * n + col] / m[col * n + col];
            if factor != 0.0 {
                for k in col..n {
                    m[row * n + k] -= factor * m[col * n + k];
                }
                x[row] -= factor * x[col];
            }
        }
    }
    for col in (0..n).rev() {
        let tail: f64 = (col + 1..n).map(|k| m[col * n + k] * x[k]).sum();
        x[col] = (x[col] - tail) / m[col * n + col];
    }
    let norm = x.iter().sum::<f64>().signum() * x.iter().map(|v| v * v).sum::<f64>().sqrt();
    Ok(x.into_iter().map(|v| v / norm).collect())
}

fn strength(graph: &Graph, u: u32) -> f64 {
    let out: f64 = graph.out_weights(u).iter().sum();
    if graph.is_directed() { out + graph.in_weights(u).iter().sum::<f64>() } else { out }
}

fn distinct_neighbors(graph: &Graph, u: u32) -> usize {
    if !graph.is_directed() {
        return graph.out_degree(u);
    }
    let (out, inc) = (graph.out_neighbors(u), graph.in_neighbors(u));
    out.len() + inc.iter().filter(|v| out.binary_search(v).is_err()).count()
}

/// The subgraph of the nodes kept (renumbered in order) and their original ids.
fn induced(graph: &Graph, keep: &[bool]) -> (Graph, Vec<u32>) {
    let mut new_id = vec![u32::MAX; graph.node_count()];
    let mut left = Vec::new();
    for (u, &k) in keep.iter().enumerate() {
        if k {
            new_id[u] = left.len() as u32;
            left.push(u as u32);
        }
    }
    let (mut s, mut t, mut w) = (Vec::new(), Vec::new(), Vec::new());
    for (u, v, x) in graph.edges() {
        if keep[u as usize] && keep[v as usize] {
            s.push(new_id[u as usize]);
            t.push(new_id[v as usize]);
            w.push(x);
        }
    }
    let sub = Graph::from_edges(left.len(), &s, &t, &w, graph.direction()).expect("a subgraph of a valid graph");
    (sub, left)
}

fn state(graph: &Graph, removed: Vec<u32>, efficiency: Option<usize>, seed: u64) -> Step {
    let weak = weakly_connected(graph);
    let strong = if graph.is_directed() { strongly_connected(graph) } else { weak.clone() };
    Step {
        removed,
        nodes: graph.node_count(),
        largest_weak: weak.largest(),
        weak_components: weak.count(),
        largest_strong: strong.largest(),
        strong_components: strong.count(),
        efficiency: efficiency.map(|sources| global_efficiency(graph, sources, seed)),
    }
}

/// Global efficiency of `graph` in hops: exact with `sources` 0 (or at
/// least the node count), else estimated from that many seeded sources.
/// Breadth-first searches in parallel, summed in source order.
pub fn global_efficiency(graph: &Graph, sources: usize, seed: u64) -> f64 {
    use rayon::prelude::*;
    let n = graph.node_count();
    if n < 2 {
        return 0.0;
    }
    let chosen = distances::sources(n, sources, seed);
    let from = |bfs: &mut Bfs, &s: &u32| inverse_distances_from(|u| graph.out_neighbors(u), |_| false, s, bfs);
    let sums: Vec<f64> = chosen.par_iter().map_init(|| Bfs::new(n), from).collect();
    sums.iter().sum::<f64>() / (chosen.len() as f64 * (n - 1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csr::Direction;

    fn two_stars() -> Graph {
        // Centres 0 and 5, leaves 1-4 and 6-9, centres joined.
        let (mut s, mut t) = (vec![0], vec![5]);
        for leaf in 1..5 {
            s.extend([0, 5]);
            t.extend([leaf, leaf + 5]);
        }
        Graph::from_edges(10, &s, &t, &vec![1.0; s.len()], Direction::Undirected).unwrap()
    }

    #[test]
    fn global_efficiency_is_networkx_s() {
        // networkx global_efficiency(path_graph(4)) = 13/18.
        let path = Graph::from_edges(4, &[0, 1, 2], &[1, 2, 3], &[1.0; 3], Direction::Undirected).unwrap();
        assert!((global_efficiency(&path, 0, 0) - 13.0 / 18.0).abs() < 1e-15);
        // A directed 3-cycle: d = 1 and 2 from each node.
        let cycle = Graph::from_edges(3, &[0, 1, 2], &[1, 2, 0], &[1.0; 3], Direction::Directed).unwrap();
        assert!((global_efficiency(&cycle, 0, 0) - 0.75).abs() < 1e-15);
        // Sampled sources: every source of a vertex-transitive graph gives the same sum.
        let ring = Graph::ring_with_chords(1_000, 0, 1, Direction::Undirected);
        assert!((global_efficiency(&ring, 50, 3) - global_efficiency(&ring, 0, 0)).abs() < 1e-12);
        let removal = Removal { steps: 1, efficiency: Some(0), ..Removal::default() };
        let steps = simulate(&path, &removal).unwrap();
        // Removing node 1 (degree 2, smallest id) leaves 0 alone and 2 - 3: 2 / (3 * 2).
        assert!((steps[1].efficiency.unwrap() - 1.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn block_removal_takes_the_top_nodes_at_once() {
        let removal = Removal { target: Target::Degree, block: 2, steps: 1, ..Removal::default() };
        let steps = simulate(&two_stars(), &removal).unwrap();
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[1].removed, [0, 5]);
        assert_eq!((steps[1].nodes, steps[1].largest_weak, steps[1].weak_components), (8, 1, 8));
    }

    #[test]
    fn key_players_fragment_first_and_sampled_betweenness_is_seeded() {
        // A chain of three stars 0 - 5 - 10: removing 5 leaves two stars of
        // five (40 ordered pairs), fewer than removing 0 or 10 (10 + 72).
        let (mut s, mut t) = (vec![0, 5], vec![5, 10]);
        for leaf in 1..5 {
            s.extend([0, 5, 10]);
            t.extend([leaf, leaf + 5, leaf + 10]);
        }
        let chain = Graph::from_edges(15, &s, &t, &vec![1.0; s.len()], Direction::Undirected).unwrap();
        let run = |block, recompute| {
            let removal = Removal { target: Target::KeyPlayer, block, steps: 2, recompute, ..Removal::default() };
            simulate(&chain, &removal).unwrap()
        };
        let sequential = run(1, true);
        assert_eq!(
            (sequential[1].removed.as_slice(), sequential[2].removed.as_slice()),
            ([5].as_slice(), [0].as_slice())
        );
        // Any two centres leave one star of five (20 pairs): the greedy start's pair stays.
        assert_eq!(run(2, true)[1].removed, [5, 0]);
        assert_eq!(run(1, false)[2].removed, [0]);
        let sampled = |seed| {
            let target = Target::BetweennessSampled { length: PathLength::Hops, sources: 4 };
            simulate(&chain, &Removal { target, steps: 3, seed, ..Removal::default() }).unwrap()
        };
        assert_eq!(sampled(3), sampled(3));
        assert_eq!(sampled(3)[1].removed, [5]);
    }

    #[test]
    fn a_fixed_ranking_and_the_random_baseline_remove_everyone_in_the_end() {
        for (target, recompute) in [(Target::Degree, false), (Target::Random, true), (Target::PageRank, true)] {
            let removal = Removal { target, block: 3, recompute, seed: 7, ..Removal::default() };
            let steps = simulate(&two_stars(), &removal).unwrap();
            assert_eq!(steps.last().unwrap().nodes, 0, "{target:?}");
            let mut removed: Vec<u32> = steps.iter().flat_map(|s| s.removed.clone()).collect();
            removed.sort_unstable();
            assert_eq!(removed, (0..10).collect::<Vec<u32>>(), "{target:?}: each node once");
        }
        let random = |seed| {
            let removal = Removal { target: Target::Random, steps: 3, seed, ..Removal::default() };
            simulate(&two_stars(), &removal).unwrap()
        };
        assert_eq!(random(1), random(1));
        assert!(simulate(&two_stars(), &Removal { block: 0, ..Removal::default() }).is_err());
    }
}
