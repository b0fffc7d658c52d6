//! Key players (Borgatti 2006): the set of k people whose removal
//! fragments the network most (KPP-Neg), or who reach everyone else most
//! closely (KPP-Pos).

use rayon::prelude::*;

use super::distances::{self, Bfs, NO_NODE};
use super::fragments::{connected_pairs_without_each, pairs_left};
use crate::csr::Graph;
use crate::error::{Error, Result};
use crate::structure::Adjacency;

/// Up to this many nodes every node is a candidate for reach; above, the
/// [`CANDIDATES`] nodes of highest degree are.
pub const EXACT_NODES: usize = 5_000;
/// Up to this many nodes distance-weighted fragmentation is exact (every
/// node a candidate, every source counted); above, the [`CANDIDATES`] nodes
/// of highest degree are candidates and [`SOURCES`] seeded sources (the
/// same for every candidate, so that candidates compare on equal terms)
/// estimate it.
pub const EXACT_DISTANCE_NODES: usize = 300;
/// Candidates on larger networks: the nodes of highest degree (ties to the
/// smaller id).
pub const CANDIDATES: usize = 200;
/// Sources of the estimated distance-weighted fragmentation.
pub const SOURCES: usize = 64;
/// Up to this many nodes the search starts from several nodes: a greedy
/// start can trap the swaps (Krackhardt's kite: the greedy pick of the
/// bridge node 7 holds KPP-Neg at 0.43 where the pair 5, 6 reaches 0.54),
/// so the greedy start is also run with each of the [`STARTS`] best single
/// nodes forced first, every start improved by swaps, and the best wins.
pub const RESTART_NODES: usize = 2_000;
/// Forced first picks on networks up to [`RESTART_NODES`] (a quarter of
/// them for distance-weighted fragmentation, whose scoring costs most).
pub const STARTS: usize = 32;
/// Seed of the sampled sources.
const SOURCE_SEED: u64 = 0x006b_7070_5f6e_6567;

/// What a key-player set is chosen for. Links are read both ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Criterion {
    /// KPP-Neg: maximise fragmentation
    /// `F = 1 − Σ_k s_k (s_k − 1) / (L (L − 1))` over the components
    /// `s_k` of the `L` nodes left. Every node is a candidate at any size.
    Fragmentation,
    /// KPP-Neg: maximise distance-weighted fragmentation
    /// `DF = 1 − Σ_{i ≠ j} 1 / d(i, j) / (L (L − 1))` over the nodes left
    /// (1 minus their global efficiency), which also separates sets that
    /// leave the network connected but stretched.
    DistanceFragmentation,
    /// KPP-Pos: maximise distance-weighted reach `DR = Σ_j 1 / d(M, j) / n`,
    /// `d(M, j)` the hops from the nearest member, members and their
    /// neighbours counting 1: 1 when every node is a member or a neighbour.
    Reach,
}

/// A key-player set.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyPlayers {
    /// The set, in the order the greedy start picked it (swaps replace in place).
    pub nodes: Vec<u32>,
    /// What it was chosen for.
    pub criterion: Criterion,
    /// The criterion's value for the set: exact, except distance-weighted
    /// fragmentation above [`EXACT_DISTANCE_NODES`], estimated from [`SOURCES`] sources.
    pub score: f64,
    /// The value after the winning start's greedy phase, before its swaps.
    pub greedy_score: f64,
    /// Swaps that improved the set.
    pub swaps: usize,
    /// Whether every node was a candidate and every source counted: always
    /// for fragmentation, up to [`EXACT_NODES`] for reach (above, only the
    /// candidates are restricted), up to [`EXACT_DISTANCE_NODES`] for
    /// distance-weighted fragmentation.
    pub exact: bool,
    /// Nodes the search could pick: every node, or those of highest degree.
    pub candidates: usize,
    /// Greedy starts run, the best one kept (1: the plain greedy start).
    pub starts: usize,
}

/// The `k` nodes that best meet `criterion` (Borgatti 2006): a greedy
/// start, adding the best candidate one at a time, then passes of swaps,
/// each member in turn traded for the best outsider while that improves the
/// score. Ties go to the smaller id. The result is a local optimum, as in
/// Borgatti's own procedure, and the same at any thread count.
///
/// How each criterion scores all candidates at once, per greedy step or
/// swap (`n` nodes, `m` links):
/// - fragmentation: one depth-first search with lowpoints gives the pieces
///   each node's removal leaves, `O(n + m)` for every candidate together;
/// - reach: one search from the set, then from each candidate a search
///   that stops where the candidate is no closer than the set: short once
///   the set covers the network; the first step costs a full search per
///   candidate;
/// - distance-weighted fragmentation: a search from every source per
///   candidate, `O(c s (n + m))` for `c` candidates and `s` sources; above
///   [`EXACT_DISTANCE_NODES`] nodes, `c` = [`CANDIDATES`] and `s` = [`SOURCES`].
///
/// Candidates are scored in parallel on rayon's pool, one buffer per
/// thread.
///
/// # Errors
/// [`Error::BadParameter`] if `k` is 0 or not below the node count.
///
/// # Example
///
/// Two stars whose centres are linked: removing both centres leaves only
/// isolated leaves, and the centres reach every other node in one hop.
///
/// ```
/// use nexo_graph::{Direction, Graph, disruption::{Criterion, key_players}};
///
/// let (s, t) = ([0, 0, 0, 0, 5, 5, 5, 0], [1, 2, 3, 4, 6, 7, 8, 5]);
/// let g = Graph::from_edges(9, &s, &t, &[1.0; 8], Direction::Undirected).unwrap();
/// let neg = key_players(&g, 2, Criterion::Fragmentation).unwrap();
/// assert_eq!((neg.nodes.as_slice(), neg.score), ([0, 5].as_slice(), 1.0));
/// let pos = key_players(&g, 2, Criterion::Reach).unwrap();
/// assert_eq!((pos.nodes.as_slice(), pos.score), ([0, 5].as_slice(), 1.0));
/// ```
pub fn key_players(graph: &Graph, k: usize, criterion: Criterion) -> Result<KeyPlayers> {
    let n = graph.node_count();
    if k == 0 || k >= n {
        return Err(Error::BadParameter { name: "k", message: format!("{k} for {n} nodes: need 0 < k < n") });
    }
    let adjacency = Adjacency::of(graph);
    let exact = match criterion {
        Criterion::Fragmentation => true,
        Criterion::DistanceFragmentation => n <= EXACT_DISTANCE_NODES,
        Criterion::Reach => n <= EXACT_NODES,
    };
    let pool: Vec<u32> =
        if exact { (0..n as u32).collect() } else { highest_degree(&adjacency, n, CANDIDATES.max(2 * k)) };
    let starts = match (n <= RESTART_NODES, criterion) {
        (false, _) => 1,
        (true, Criterion::DistanceFragmentation) => STARTS / 4,
        (true, _) => STARTS,
    }
    .clamp(1, pool.len().max(1));
    let found = match criterion {
        Criterion::Fragmentation => search(n, k, &pool, starts, |in_set| fragmentation_with_each(&adjacency, in_set)),
        Criterion::DistanceFragmentation => {
            let sources = distances::sources(n, if exact { 0 } else { SOURCES }, SOURCE_SEED);
            search(n, k, &pool, starts, |in_set| {
                score_each(&pool, in_set, adjacency.arcs(), |v, bfs| {
                    distances::distance_fragmentation(&adjacency, in_set, v, &sources, bfs)
                })
            })
        }
        Criterion::Reach => search(n, k, &pool, starts, |in_set| {
            let members: Vec<u32> = (0..n as u32).filter(|&v| in_set[v as usize]).collect();
            let to_set = distances::distances_to_set(&adjacency, n, &members);
            let base: f64 = to_set.iter().map(|&d| distances::reach_term(d)).sum();
            score_each(&pool, in_set, adjacency.arcs(), |v, bfs| {
                (base + distances::reach_gain(&adjacency, &to_set, v, bfs)) / n as f64
            })
        }),
    };
    Ok(KeyPlayers {
        nodes: found.set,
        criterion,
        score: found.score,
        greedy_score: found.greedy_score,
        swaps: found.swaps,
        exact,
        candidates: pool.len(),
        starts,
    })
}

/// KPP-Neg by fragmentation: [`key_players`] with [`Criterion::Fragmentation`].
///
/// # Errors
/// As [`key_players`].
pub fn kpp_neg(graph: &Graph, k: usize) -> Result<KeyPlayers> {
    key_players(graph, k, Criterion::Fragmentation)
}

/// The first `count` nodes KPP-Neg's greedy start picks (no swaps, so
/// that the order means something): a removal order ranked once.
pub(super) fn greedy_fragmentation_order(graph: &Graph, count: usize) -> Vec<u32> {
    let n = graph.node_count();
    let adjacency = Adjacency::of(graph);
    let pool: Vec<u32> = (0..n as u32).collect();
    let score_with = |in_set: &[bool]| fragmentation_with_each(&adjacency, in_set);
    greedy(count.min(n.saturating_sub(1)), &pool, &mut vec![false; n], 0.0, &score_with).0
}

/// Fragmentation `F` of `graph` once `set` is removed (links read both ways).
pub fn fragmentation(graph: &Graph, set: &[u32]) -> f64 {
    let removed = flags(graph.node_count(), set);
    let left = removed.iter().filter(|&&r| !r).count();
    fragmentation_of(pairs_left(&Adjacency::of(graph), &removed), left)
}

/// `F` of `left` nodes of which `pairs` ordered pairs are connected (1 below two nodes).
fn fragmentation_of(pairs: u64, left: usize) -> f64 {
    let left = left as f64;
    if left < 2.0 { 1.0 } else { 1.0 - pairs as f64 / (left * (left - 1.0)) }
}

/// Distance-weighted fragmentation `DF` of `graph` once `set` is removed:
/// exact with `sources` 0 (or at least the node count), else estimated
/// from that many seeded sources.
pub fn distance_fragmentation(graph: &Graph, set: &[u32], sources: usize, seed: u64) -> f64 {
    let n = graph.node_count();
    let chosen = distances::sources(n, sources, seed);
    let removed = flags(n, set);
    distances::distance_fragmentation(&Adjacency::of(graph), &removed, NO_NODE, &chosen, &mut Bfs::new(n))
}

/// Distance-weighted reach `DR` of `set` in `graph` (see [`Criterion::Reach`]).
pub fn reach(graph: &Graph, set: &[u32]) -> f64 {
    let n = graph.node_count();
    let to_set = distances::distances_to_set(&Adjacency::of(graph), n, set);
    to_set.iter().map(|&d| distances::reach_term(d)).sum::<f64>() / n.max(1) as f64
}

fn flags(n: usize, set: &[u32]) -> Vec<bool> {
    let mut flags = vec![false; n];
    for &v in set {
        flags[v as usize] = true;
    }
    flags
}

/// The result of a greedy start and swaps.
struct Found {
    set: Vec<u32>,
    score: f64,
    greedy_score: f64,
    swaps: usize,
}

/// Greedy starts, the first node forced to each of the `starts` best
/// single nodes in turn (1: the plain greedy start), each improved by swap
/// passes; the best wins, the earlier start on ties. Starts run in
/// parallel. `score_with` gives, for the set flagged `in_set`, the score of
/// the set plus each pool node (any value for members: they are skipped).
fn search(n: usize, k: usize, pool: &[u32], starts: usize, score_with: impl Fn(&[bool]) -> Vec<f64> + Sync) -> Found {
    let singles = score_with(&vec![false; n]);
    let mut firsts: Vec<usize> = (0..pool.len()).collect();
    firsts.sort_by(|&a, &b| singles[b].total_cmp(&singles[a]).then(a.cmp(&b)));
    firsts.truncate(starts.max(1));
    let found: Vec<Found> = firsts
        .par_iter()
        .map(|&first| {
            let mut in_set = vec![false; n];
            in_set[pool[first] as usize] = true;
            let (mut start, greedy_score) = greedy(k - 1, pool, &mut in_set, singles[first], &score_with);
            start.insert(0, pool[first]);
            let (set, score, swaps) = improve(n, start, greedy_score, pool, &score_with);
            Found { set, score, greedy_score, swaps }
        })
        .collect();
    let mut best = 0;
    for (i, f) in found.iter().enumerate() {
        if f.score > found[best].score {
            best = i;
        }
    }
    found.into_iter().nth(best).expect("at least one start")
}

/// Adds the best candidate `k` times to the set flagged `in_set` (whose
/// score is `score`); the nodes added and the final score.
fn greedy(
    k: usize,
    pool: &[u32],
    in_set: &mut [bool],
    mut score: f64,
    score_with: &impl Fn(&[bool]) -> Vec<f64>,
) -> (Vec<u32>, f64) {
    let mut added = Vec::with_capacity(k);
    for _ in 0..k {
        let (best, best_score) = best_outsider(pool, &score_with(in_set), in_set);
        in_set[best as usize] = true;
        added.push(best);
        score = best_score;
    }
    (added, score)
}

/// Trades each member in turn for the best outsider while that improves
/// the score; the set, its score and the swaps made.
fn improve(
    n: usize,
    mut set: Vec<u32>,
    mut score: f64,
    pool: &[u32],
    score_with: &impl Fn(&[bool]) -> Vec<f64>,
) -> (Vec<u32>, f64, usize) {
    let mut in_set = flags(n, &set);
    let mut swaps = 0;
    let mut improved = true;
    while improved {
        improved = false;
        for slot in 0..set.len() {
            let member = set[slot];
            in_set[member as usize] = false;
            let (candidate, candidate_score) = best_outsider(pool, &score_with(&in_set), &in_set);
            if candidate != member && candidate_score > score {
                score = candidate_score;
                set[slot] = candidate;
                swaps += 1;
                improved = true;
            }
            in_set[set[slot] as usize] = true;
        }
    }
    (set, score, swaps)
}

/// The pool node outside the set with the highest score (smallest id on ties).
fn best_outsider(pool: &[u32], scores: &[f64], in_set: &[bool]) -> (u32, f64) {
    pool.iter()
        .zip(scores)
        .filter(|(v, _)| !in_set[**v as usize])
        .map(|(&v, &s)| (v, s))
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .expect("the pool holds more nodes than the set")
}

/// Fragmentation once the set and each node in turn are removed, for every node.
fn fragmentation_with_each(adjacency: &Adjacency<'_>, in_set: &[bool]) -> Vec<f64> {
    let left = in_set.iter().filter(|&&r| !r).count() - 1;
    connected_pairs_without_each(adjacency, in_set).into_iter().map(|pairs| fragmentation_of(pairs, left)).collect()
}

/// Scores each pool node outside the set with `score` (members get −∞);
/// in parallel once the work is worth it, one search buffer per thread.
fn score_each(pool: &[u32], in_set: &[bool], arcs: usize, score: impl Fn(u32, &mut Bfs) -> f64 + Sync) -> Vec<f64> {
    const PARALLEL_WORK: usize = 1 << 16;
    let n = in_set.len();
    let one = |bfs: &mut Bfs, &v: &u32| if in_set[v as usize] { f64::NEG_INFINITY } else { score(v, bfs) };
    if pool.len() * (n + arcs) < PARALLEL_WORK {
        let mut bfs = Bfs::new(n);
        return pool.iter().map(|v| one(&mut bfs, v)).collect();
    }
    pool.par_iter().with_min_len(8).map_init(|| Bfs::new(n), one).collect()
}

/// The `count` nodes with most neighbours (ties to the smaller id), in id order.
fn highest_degree(adjacency: &Adjacency<'_>, n: usize, count: usize) -> Vec<u32> {
    let mut nodes: Vec<u32> = (0..n as u32).collect();
    nodes.sort_by_key(|&v| (std::cmp::Reverse(adjacency.of_node(v).len()), v));
    nodes.truncate(count.min(n));
    nodes.sort_unstable();
    nodes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csr::Direction;
    use crate::rng::SplitMix64;

    #[test]
    fn swaps_never_lose_and_bad_k_is_refused() {
        let g = Graph::ring_with_chords(120, 60, 2, Direction::Undirected);
        for criterion in [Criterion::Fragmentation, Criterion::DistanceFragmentation, Criterion::Reach] {
            let best = key_players(&g, 5, criterion).unwrap();
            assert!(best.score >= best.greedy_score, "{criterion:?}");
            let evaluated = match criterion {
                Criterion::Fragmentation => fragmentation(&g, &best.nodes),
                Criterion::DistanceFragmentation => distance_fragmentation(&g, &best.nodes, 0, 0),
                Criterion::Reach => reach(&g, &best.nodes),
            };
            assert!((best.score - evaluated).abs() < 1e-12, "{criterion:?}: {} vs {evaluated}", best.score);
        }
        assert!(kpp_neg(&g, 0).is_err() && kpp_neg(&g, 120).is_err());
    }

    #[test]
    fn large_networks_estimate_from_the_hubs() {
        // 40 stars of 9 leaves, their centres on a ring: 400 nodes, above
        // the exact limit of distance-weighted fragmentation.
        let (mut s, mut t) = (Vec::new(), Vec::new());
        for star in 0..40u32 {
            let centre = star * 10;
            s.push(centre);
            t.push((centre + 10) % 400);
            for leaf in 1..10 {
                s.push(centre);
                t.push(centre + leaf);
            }
        }
        let g = Graph::from_edges(400, &s, &t, &vec![1.0; s.len()], Direction::Undirected).unwrap();
        let found = key_players(&g, 2, Criterion::DistanceFragmentation).unwrap();
        assert!(!found.exact && found.score >= found.greedy_score);
        assert!(found.nodes.iter().all(|v| v % 10 == 0), "centres only: {:?}", found.nodes);
        // Opposite centres split the ring in halves; the estimate (64
        // sources) lands near them.
        let apart = found.nodes[0].abs_diff(found.nodes[1]);
        assert!((140..=260).contains(&apart), "{:?}", found.nodes);
        assert!((found.score - distance_fragmentation(&g, &found.nodes, 0, 0)).abs() < 0.05);
    }

    /// On small graphs, greedy plus swaps against every set of two.
    #[test]
    fn sets_of_two_are_close_to_the_best() {
        let mut rng = SplitMix64::new(5);
        for round in 0..20 {
            let n = 8 + rng.below(12) as u32;
            let m = (u64::from(n) + rng.below(u64::from(n))) as usize;
            let (s, t): (Vec<u32>, Vec<u32>) =
                (0..m).map(|_| (rng.below(u64::from(n)) as u32, rng.below(u64::from(n)) as u32)).unzip();
            let g = Graph::from_edges(n as usize, &s, &t, &vec![1.0; m], Direction::Undirected).unwrap();
            for criterion in [Criterion::Fragmentation, Criterion::DistanceFragmentation, Criterion::Reach] {
                let value = |set: &[u32]| match criterion {
                    Criterion::Fragmentation => fragmentation(&g, set),
                    Criterion::DistanceFragmentation => distance_fragmentation(&g, set, 0, 0),
                    Criterion::Reach => reach(&g, set),
                };
                let found = key_players(&g, 2, criterion).unwrap();
                // No single swap improves the set found (a local optimum).
                for slot in 0..2 {
                    for v in (0..n).filter(|v| !found.nodes.contains(v)) {
                        let mut other = found.nodes.clone();
                        other[slot] = v;
                        assert!(value(&other) <= found.score + 1e-12, "round {round}, {criterion:?}");
                    }
                }
            }
        }
    }
}
