//! Closeness and harmonic closeness.

use rayon::prelude::*;

use super::paths::{ArcLengths, Levels, PathLength, RENUMBER_NODES, RENUMBER_SOURCES, Search, Side};
use super::sum::{Exact, merge_into};
use crate::csr::Graph;
use crate::error::Result;
use crate::rng::SplitMix64;

/// Closeness and harmonic closeness of every node.
#[derive(Debug, Clone, PartialEq)]
pub struct Closeness {
    /// networkx `closeness_centrality` with `wf_improved=True` (Wasserman &
    /// Faust): `(r - 1) / (sum of distances) * (r - 1) / (n - 1)`, where `r`
    /// counts the nodes that reach the node, itself included; 0 if none.
    pub closeness: Vec<f64>,
    /// networkx `harmonic_centrality` divided by `n - 1`: the mean over the
    /// other nodes of `1 / distance` (0 for those that cannot reach it).
    pub harmonic: Vec<f64>,
}

/// Exact closeness and harmonic closeness (Wasserman & Faust 1994;
/// Marchiori & Latora 2000), one shortest-path search per node.
///
/// Distances run *to* each node, as in networkx: on a directed graph a node
/// is close when others reach it quickly (incoming distance). With
/// [`PathLength::Weight`] or [`PathLength::InverseWeight`] they are weighted.
///
/// **Cost**: `O(n m)` for hops, `O(n m log n)` weighted; `O(n + m)` memory per thread.
///
/// **Threads**: nodes are split over the current rayon pool; each thread
/// reuses one set of search buffers. Each node's sums run over its own
/// search in a fixed order, so the result is the same at any thread count.
///
/// # Errors
/// [`crate::Error::BadEdgeLength`] if lengths come from weights and a weight
/// is not positive and finite.
///
/// # Example
/// The star with centre 0 and three leaves:
/// ```
/// use nexo_graph::{Direction, Graph, centrality::{closeness, PathLength}};
///
/// let g = Graph::from_edges(4, &[0, 0, 0], &[1, 2, 3], &[1.0; 3], Direction::Undirected).unwrap();
/// let c = closeness(&g, PathLength::Hops).unwrap();
/// assert_eq!(c.closeness[0], 1.0);
/// assert_eq!(c.closeness[1], 3.0 / 5.0); // distances 1 + 2 + 2
/// assert_eq!(c.harmonic[1], (1.0 + 0.5 + 0.5) / 3.0);
/// ```
pub fn closeness(graph: &Graph, length: PathLength) -> Result<Closeness> {
    let lengths = ArcLengths::new(graph, length)?;
    let n = graph.node_count();
    let others = (n as f64 - 1.0).max(1.0);
    let of_node = |scratch: &mut Scratch, node: u32| -> (f64, f64) {
        let (reached, total, inverse) = scratch.distances_to(graph, &lengths, node);
        let closeness = if total > 0.0 { (reached - 1.0) / total * (reached - 1.0) / others } else { 0.0 };
        (closeness, inverse / others)
    };
    let new_scratch = || Scratch::new(n, &lengths);
    let pairs: Vec<(f64, f64)> = if n < 256 || rayon::current_num_threads() == 1 {
        let mut scratch = new_scratch();
        (0..n as u32).map(|node| of_node(&mut scratch, node)).collect()
    } else {
        let chunk = n.div_ceil(rayon::current_num_threads() * 4);
        (0..n as u32).into_par_iter().with_min_len(chunk).map_init(new_scratch, of_node).collect()
    };
    let (closeness, harmonic) = pairs.into_iter().unzip();
    Ok(Closeness { closeness, harmonic })
}

/// One thread's search buffers: `u32` levels for hops, Dijkstra otherwise.
enum Scratch {
    Levels(Levels),
    Search(Search),
}

impl Scratch {
    fn new(n: usize, lengths: &ArcLengths) -> Self {
        if lengths.is_hops() { Scratch::Levels(Levels::new(n)) } else { Scratch::Search(Search::new(n)) }
    }

    /// Calls `f(v, d)` for every node `v` that `source` reaches, at distance
    /// `d > 0`, following out-arcs.
    fn visit_from(&mut self, graph: &Graph, lengths: &ArcLengths, source: u32, mut f: impl FnMut(u32, f64)) {
        match self {
            Scratch::Levels(levels) => {
                levels.run(graph, Side::Out, source);
                for &v in &levels.order()[1..] {
                    f(v, f64::from(levels.level(v)));
                }
            }
            Scratch::Search(search) => {
                search.run(graph, lengths, Side::Out, source);
                for &v in &search.order()[1..] {
                    f(v, search.dist(v));
                }
            }
        }
    }

    /// Nodes that reach `node` (itself included), the sum of their
    /// distances to it and the sum of the inverses.
    fn distances_to(&mut self, graph: &Graph, lengths: &ArcLengths, node: u32) -> (f64, f64, f64) {
        let (mut total, mut inverse) = (0.0, 0.0);
        match self {
            Scratch::Levels(levels) => {
                levels.run(graph, Side::In, node);
                // Nodes come level by level: add each level's count once.
                let order = levels.order();
                let mut at = 1;
                while at < order.len() {
                    let level = levels.level(order[at]);
                    let end = at + order[at..].iter().take_while(|&&v| levels.level(v) == level).count();
                    let count = (end - at) as f64;
                    total += count * f64::from(level);
                    inverse += count / f64::from(level);
                    at = end;
                }
                (order.len() as f64, total, inverse)
            }
            Scratch::Search(search) => {
                search.run(graph, lengths, Side::In, node);
                for &v in &search.order()[1..] {
                    let d = search.dist(v);
                    total += d;
                    inverse += 1.0 / d;
                }
                (search.order().len() as f64, total, inverse)
            }
        }
    }
}

/// Closeness and harmonic closeness estimated from `k` sampled sources
/// (Eppstein & Wang 2004, "Fast approximation of centrality"): searches run
/// from the sources only, and each node's reach, distance sum and inverse
/// distance sum are scaled by `(n - 1) / k_v`, `k_v` being the sampled
/// sources other than the node. Same definitions as [`closeness`]; `k >= n`
/// gives the exact values. Cost `k / n` of the exact computation.
///
/// **Threads**: sources are split over the current rayon pool; per-thread
/// sums are exact (128-bit fixed point), so the estimate is the same at any
/// thread count.
///
/// # Errors
/// As [`closeness`]; [`crate::Error::BadParameter`] if `k` is 0.
pub fn closeness_sampled(graph: &Graph, length: PathLength, k: usize, seed: u64) -> Result<Closeness> {
    let n = graph.node_count();
    if k == 0 {
        return Err(crate::Error::BadParameter { name: "k", message: "at least one source is needed".into() });
    }
    if k >= n {
        return closeness(graph, length);
    }
    let mut sources = SplitMix64::new(seed).sample_distinct(n as u32, k);
    sources.sort_unstable();
    if length == PathLength::Hops && n >= RENUMBER_NODES && k >= RENUMBER_SOURCES {
        // Breadth-first renumbering for cache locality; hop distances are
        // integers and the sums exact, so the result is the same bits.
        let new_id = graph.locality_order();
        let renumbered = graph.permuted(&new_id);
        let mut renamed: Vec<u32> = sources.iter().map(|&s| new_id[s as usize]).collect();
        renamed.sort_unstable();
        let c = closeness_from(&renumbered, &ArcLengths::new(&renumbered, length)?, &renamed);
        let back = |values: &[f64]| new_id.iter().map(|&v| values[v as usize]).collect();
        return Ok(Closeness { closeness: back(&c.closeness), harmonic: back(&c.harmonic) });
    }
    Ok(closeness_from(graph, &ArcLengths::new(graph, length)?, &sources))
}

/// [`closeness_sampled`] from the given sorted `sources`.
fn closeness_from(graph: &Graph, lengths: &ArcLengths, sources: &[u32]) -> Closeness {
    let (n, k) = (graph.node_count(), sources.len());
    let new_sums = || (Scratch::new(n, lengths), vec![0u32; n], vec![Exact::default(); n], vec![Exact::default(); n]);
    type Sums = (Scratch, Vec<u32>, Vec<Exact>, Vec<Exact>);
    let add = |mut sums: Sums, &source: &u32| {
        let (scratch, reach, total, inverse) = &mut sums;
        scratch.visit_from(graph, lengths, source, |v, d| {
            reach[v as usize] += 1;
            total[v as usize].add(d);
            inverse[v as usize].add(1.0 / d);
        });
        sums
    };
    let merge = |mut a: Sums, b: Sums| {
        a.1.iter_mut().zip(&b.1).for_each(|(x, y)| *x += y);
        merge_into(&mut a.2, &b.2);
        merge_into(&mut a.3, &b.3);
        a
    };
    let (_, reach, total, inverse) = if rayon::current_num_threads() == 1 {
        sources.iter().fold(new_sums(), add)
    } else {
        let chunk = k.div_ceil(rayon::current_num_threads() * 4);
        sources.par_iter().with_min_len(chunk).fold(new_sums, add).reduce_with(merge).unwrap_or_else(new_sums)
    };
    let others = (n - 1) as f64;
    let mut result = Closeness { closeness: vec![0.0; n], harmonic: vec![0.0; n] };
    for v in 0..n {
        let sampled = (k - usize::from(sources.binary_search(&(v as u32)).is_ok())) as f64;
        let scale = others / sampled;
        let reached = f64::from(reach[v]) * scale;
        let distance = total[v].value() * scale;
        result.closeness[v] = if distance > 0.0 { reached / distance * reached / others } else { 0.0 };
        result.harmonic[v] = inverse[v].value() / sampled;
    }
    result
}

/// The `k` nodes of highest closeness (as [`closeness`], hops, undirected
/// graph), exactly, without a search to completion from every node: the
/// pruned breadth-first searches of Bergamini, Borassi, Crescenzi,
/// Marino & Meyerhenke ("Computing top-k closeness centrality faster in
/// unweighted graphs", ALENEX 2016, the "BFSCut" bound). Nodes are tried by
/// decreasing degree; after each level, the nodes not yet reached are at
/// least one level further, which bounds the node's closeness from above,
/// and the search stops as soon as that bound falls below the `k`-th best
/// value found so far.
///
/// Returns `(node, closeness)` by decreasing closeness, ties by node id;
/// fewer than `k` pairs if the graph is smaller. On real networks most
/// searches stop after a level or two, so the cost is far below the
/// `O(n m)` of [`closeness`]. One thread.
///
/// # Errors
/// [`crate::Error::BadParameter`] on a directed graph (the bound needs the
/// number of nodes that reach each node, which only the undirected case
/// knows in advance).
///
/// ```
/// use nexo_graph::{Direction, Graph, centrality::{closeness, closeness_top_k, PathLength}};
///
/// // A path 0 - 1 - 2 - 3 - 4: the middle is closest.
/// let g = Graph::from_edges(5, &[0, 1, 2, 3], &[1, 2, 3, 4], &[1.0; 4], Direction::Undirected).unwrap();
/// let top = closeness_top_k(&g, 2).unwrap();
/// let all = closeness(&g, PathLength::Hops).unwrap().closeness;
/// assert_eq!(top, vec![(2, all[2]), (1, all[1])]);
/// ```
pub fn closeness_top_k(graph: &Graph, k: usize) -> Result<Vec<(u32, f64)>> {
    if graph.is_directed() {
        return Err(crate::Error::BadParameter {
            name: "graph",
            message: "top-k closeness needs an undirected graph".into(),
        });
    }
    let n = graph.node_count();
    let component = crate::structure::weakly_connected(graph);
    let mut candidates: Vec<u32> = (0..n as u32).collect();
    candidates.sort_by_key(|&v| (std::cmp::Reverse(graph.out_degree(v)), v));
    let others = (n as f64 - 1.0).max(1.0);
    // Same expression as `closeness`, so the bound and the value compare bit for bit.
    let value = |reach: f64, total: f64| if total > 0.0 { (reach - 1.0) / total * (reach - 1.0) / others } else { 0.0 };
    let mut best: Vec<(u32, f64)> = Vec::with_capacity(k + 1);
    let mut level = vec![u32::MAX; n];
    let mut queue: Vec<u32> = Vec::with_capacity(n);
    for &v in &candidates {
        let reach = f64::from(component.sizes[component.id[v as usize] as usize]);
        let kth = if best.len() == k { best[k - 1].1 } else { -1.0 };
        for &u in &queue {
            level[u as usize] = u32::MAX;
        }
        queue.clear();
        queue.push(v);
        level[v as usize] = 0;
        let (mut head, mut total, mut cut) = (0, 0.0, false);
        while head < queue.len() {
            // Expand one whole level.
            let depth = level[queue[head] as usize];
            let end = queue.len();
            for at in head..end {
                let u = queue[at];
                for &w in graph.out_neighbors(u) {
                    if level[w as usize] == u32::MAX {
                        level[w as usize] = depth + 1;
                        total += f64::from(depth + 1);
                        queue.push(w);
                    }
                }
            }
            head = end;
            let unseen = reach - queue.len() as f64;
            if unseen > 0.0 && value(reach, total + unseen * f64::from(depth + 2)) < kth {
                cut = true;
                break;
            }
        }
        if cut {
            continue;
        }
        let c = value(reach, total);
        if best.len() < k || c > kth || c == kth && v < best[k - 1].0 {
            let at = best.partition_point(|&(u, x)| x > c || x == c && u < v);
            best.insert(at, (v, c));
            best.truncate(k);
        }
    }
    Ok(best)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csr::Direction;

    #[test]
    fn renumbering_for_locality_gives_the_same_bits() {
        let n = RENUMBER_NODES as u32 + 500;
        for direction in [Direction::Undirected, Direction::Directed] {
            let g = Graph::ring_with_chords(n, n / 2, 9, direction);
            let k = RENUMBER_SOURCES;
            let renumbered = closeness_sampled(&g, PathLength::Hops, k, 4).unwrap();
            let mut sources = SplitMix64::new(4).sample_distinct(n, k);
            sources.sort_unstable();
            let plain = closeness_from(&g, &ArcLengths::new(&g, PathLength::Hops).unwrap(), &sources);
            assert_eq!(renumbered, plain, "{direction:?}");
        }
    }
}
