//! Betweenness of nodes and edges: exact (Brandes 2001) and from sampled sources.

use std::sync::Mutex;

use rayon::prelude::*;

use super::paths::{ArcLengths, Dag, PathLength, RENUMBER_NODES, RENUMBER_SOURCES, Search, Side, Slot};
use super::sum::{Exact, merge_into};
use crate::csr::Graph;
use crate::error::{Error, Result};
use crate::rng::SplitMix64;

/// Options of [`betweenness`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BetweennessOptions {
    /// Edge lengths for shortest paths.
    pub length: PathLength,
    /// Divide as networkx `normalized=True` does. Nodes: by `(n - 1)(n - 2)`
    /// (for undirected graphs each pair is counted from both ends, so this
    /// is the share of pairs); edges: by `n (n - 1)`. Unnormalised scores of
    /// an undirected graph are halved, as in networkx.
    pub normalized: bool,
    /// Also compute edge betweenness.
    pub edges: bool,
}

/// Node and, if asked, edge betweenness.
#[derive(Debug, Clone, PartialEq)]
pub struct Betweenness {
    /// Per node, in node id order.
    pub nodes: Vec<f64>,
    /// Per edge in [`Graph::edges`] order (an undirected edge once); empty
    /// unless [`BetweennessOptions::edges`] was set.
    pub edges: Vec<f64>,
    /// Number of sources the sums ran over (`n` when exact).
    pub sources: usize,
}

/// Exact betweenness centrality by Brandes' algorithm (U. Brandes, "A faster
/// algorithm for betweenness centrality", J. Math. Sociol. 25(2), 2001):
/// one shortest-path search per source, then dependencies accumulated in
/// reverse distance order.
///
/// Conventions are networkx's `betweenness_centrality` and
/// `edge_betweenness_centrality` (endpoints excluded; see
/// [`BetweennessOptions::normalized`]). Directed graphs follow arcs;
/// self-loops never lie on a shortest path.
///
/// **Cost**: `O(n m)` time for hops, `O(n m log n)` with weighted lengths;
/// `O(n + m)` memory per thread.
///
/// **Threads**: batches of 32 sources are spread over the current rayon
/// pool (use `ThreadPool::install` to choose). Each pool thread keeps one set
/// of search buffers and score vectors, reused for all its batches and
/// merged once at the end. Predecessors are not stored: unweighted searches
/// record each node's successors on shortest paths in one flat buffer, and
/// weighted ones test `dist[v] + len == dist[w]` in the reverse pass. A
/// batch sums in `f64` in source order; batches add up in exact 128-bit
/// fixed point (`Exact`, in the `sum` module), so the result has the same
/// bits for any thread count, and is no less accurate than a sequential
/// `f64` sum.
///
/// # Errors
/// [`Error::BadEdgeLength`] if lengths come from weights and a weight is not
/// positive and finite.
///
/// # Example
/// The Krackhardt kite; Heather (node 7) bridges the core and the tail:
/// ```
/// use nexo_graph::{Direction, Graph, centrality::{betweenness, BetweennessOptions}};
///
/// let kite = [(0, 1), (0, 2), (0, 3), (0, 5), (1, 3), (1, 4), (1, 6), (2, 3), (2, 5), (3, 4), (3, 5), (3, 6),
///             (4, 6), (5, 6), (5, 7), (6, 7), (7, 8), (8, 9)];
/// let (s, t): (Vec<u32>, Vec<u32>) = kite.iter().copied().unzip();
/// let g = Graph::from_edges(10, &s, &t, &vec![1.0; s.len()], Direction::Undirected).unwrap();
/// let b = betweenness(&g, BetweennessOptions { normalized: true, ..Default::default() }).unwrap();
/// assert!((b.nodes[7] - 14.0 / 36.0).abs() < 1e-12);
/// assert!((b.nodes[8] - 8.0 / 36.0).abs() < 1e-12);
/// assert_eq!(b.nodes[9], 0.0);
/// ```
pub fn betweenness(graph: &Graph, options: BetweennessOptions) -> Result<Betweenness> {
    let sources: Vec<u32> = (0..graph.node_count() as u32).collect();
    accumulate(graph, options, &sources)
}

/// Betweenness estimated from `k` distinct source nodes drawn with `seed`,
/// scaled by `n / k` (networkx `betweenness_centrality(k=...)`, with nexo's
/// own random stream: the same seed gives the same sources on every
/// platform, not networkx's). An unbiased estimate of the exact scores whose
/// cost is `k / n` of theirs. `k >= n` gives the exact result.
///
/// # Errors
/// As [`betweenness`]; [`Error::BadParameter`] if `k` is 0.
pub fn betweenness_sampled(graph: &Graph, options: BetweennessOptions, k: usize, seed: u64) -> Result<Betweenness> {
    let n = graph.node_count();
    if k == 0 {
        return Err(Error::BadParameter { name: "k", message: "at least one source is needed".into() });
    }
    if k >= n {
        return betweenness(graph, options);
    }
    let mut sources = SplitMix64::new(seed).sample_distinct(n as u32, k);
    sources.sort_unstable();
    accumulate(graph, options, &sources)
}

/// One thread's buffers and running sums.
struct Worker {
    /// For unweighted node scores; `search` serves the other cases.
    dag: Option<Dag>,
    search: Search,
    /// Sums over the current batch of sources, in source order.
    batch_nodes: Vec<f64>,
    batch_arcs: Vec<f64>,
    /// Sums over all batches, exact.
    nodes: Vec<Exact>,
    /// Per out-arc position; empty unless edge scores are asked for.
    arcs: Vec<Exact>,
}

impl Worker {
    fn new(graph: &Graph, lengths: &ArcLengths, edges: bool) -> Self {
        let n = graph.node_count();
        let dag = (lengths.is_hops() && !edges).then(|| Dag::new(graph));
        let n_search = if dag.is_some() { 0 } else { n };
        let arcs = if edges { graph.arc_count() } else { 0 };
        Self {
            dag,
            search: Search::new(n_search),
            batch_nodes: vec![0.0; n],
            batch_arcs: vec![0.0; arcs],
            nodes: vec![Exact::default(); n],
            arcs: vec![Exact::default(); arcs],
        }
    }

    /// Adds the dependencies on each source of `batch`: summed in `f64` in
    /// source order, then folded into the exact sums once per batch (a
    /// conversion per node and source would cost more than the search's
    /// per-node work). Batches are fixed slices of the source list, so the
    /// result does not depend on which thread ran which batch.
    fn add_batch(&mut self, graph: &Graph, lengths: &ArcLengths, batch: &[u32]) {
        for &source in batch {
            self.add_source(graph, lengths, source);
        }
        fold_into(&mut self.nodes, &mut self.batch_nodes);
        fold_into(&mut self.arcs, &mut self.batch_arcs);
    }

    /// Adds the dependencies of every node on `source`. The reverse pass
    /// pulls: each node sums over its successors on shortest paths, in a
    /// register, so no arc costs a store (and no predecessor list exists).
    /// Once a node is done its slot's `sigma` is replaced by what its
    /// predecessors pull from it, `(1 + delta) / sigma`.
    fn add_source(&mut self, graph: &Graph, lengths: &ArcLengths, source: u32) {
        let source = source as usize;
        if let Some(dag) = &mut self.dag {
            // The hot case: unweighted, nodes only. The reverse pass reads
            // only the recorded successors on shortest paths.
            dag.run(graph, source as u32);
            let (order, starts, successors, pull) = dag.parts();
            for (position, &v) in order.iter().enumerate().rev() {
                let v = v as usize;
                let sum = successors[starts[position]..starts[position + 1]]
                    .iter()
                    .fold(0.0, |sum, &w| sum + pull[w as usize]);
                let sigma = pull[v];
                let delta = sigma * sum;
                pull[v] = (1.0 + delta) / sigma;
                if v != source {
                    self.batch_nodes[v] += delta;
                }
            }
            return;
        }
        self.search.run(graph, lengths, Side::Out, source as u32);
        let (offsets, successors, _) = graph.out_csr();
        let edges = !self.arcs.is_empty();
        let (slots, order) = self.search.slots_and_order();
        for &v in order.iter().rev() {
            let v = v as usize;
            let Slot { dist, sigma } = slots[v];
            let mut sum = 0.0;
            for arc in offsets[v]..offsets[v + 1] {
                let slot = &slots[successors[arc] as usize];
                if dist + lengths.get(Side::Out, arc) == slot.dist {
                    sum += slot.sigma;
                    if edges {
                        self.batch_arcs[arc] += sigma * slot.sigma;
                    }
                }
            }
            let delta = sigma * sum;
            slots[v].sigma = (1.0 + delta) / sigma;
            if v != source {
                self.batch_nodes[v] += delta;
            }
        }
    }

    fn merge(mut self, other: Worker) -> Worker {
        merge_into(&mut self.nodes, &other.nodes);
        merge_into(&mut self.arcs, &other.arcs);
        self
    }
}

/// Adds `batch` into `total` exactly and zeroes it.
fn fold_into(total: &mut [Exact], batch: &mut [f64]) {
    for (sum, x) in total.iter_mut().zip(batch) {
        if *x != 0.0 {
            sum.add(std::mem::take(x));
        }
    }
}

/// Sources per batch of [`Worker::add_batch`].
const BATCH: usize = 32;

/// Below this many arc visits (sources x arcs) one thread does the work.
const SEQUENTIAL_WORK: usize = 1 << 20;

fn accumulate(graph: &Graph, options: BetweennessOptions, sources: &[u32]) -> Result<Betweenness> {
    let renumber = graph.node_count() >= RENUMBER_NODES
        && sources.len() >= RENUMBER_SOURCES
        && options.length == PathLength::Hops
        && !options.edges;
    if renumber {
        let new_id = graph.locality_order();
        let renumbered = graph.permuted(&new_id);
        let mut renamed: Vec<u32> = sources.iter().map(|&s| new_id[s as usize]).collect();
        renamed.sort_unstable();
        let scores = accumulate_in_order(&renumbered, options, &renamed)?;
        let nodes = new_id.iter().map(|&v| scores.nodes[v as usize]).collect();
        return Ok(Betweenness { nodes, ..scores });
    }
    accumulate_in_order(graph, options, sources)
}

fn accumulate_in_order(graph: &Graph, options: BetweennessOptions, sources: &[u32]) -> Result<Betweenness> {
    let lengths = ArcLengths::new(graph, options.length)?;
    let work = sources.len().saturating_mul(graph.arc_count() + graph.node_count());
    let threads = rayon::current_num_threads();
    let worker = if work < SEQUENTIAL_WORK || threads == 1 {
        let mut worker = Worker::new(graph, &lengths, options.edges);
        for batch in sources.chunks(BATCH) {
            worker.add_batch(graph, &lengths, batch);
        }
        worker
    } else {
        // One worker (O(n + m) buffers) per pool thread, made on its first
        // batch and locked once per batch of sources, never inside a search.
        let workers: Vec<Mutex<Option<Worker>>> = (0..threads).map(|_| Mutex::new(None)).collect();
        sources.par_chunks(BATCH).for_each(|batch| {
            let slot = rayon::current_thread_index().unwrap_or(0) % threads;
            let mut worker = workers[slot].lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            worker.get_or_insert_with(|| Worker::new(graph, &lengths, options.edges)).add_batch(graph, &lengths, batch);
        });
        // Sums are exact, so the order of merging does not matter.
        workers
            .into_iter()
            .filter_map(|slot| slot.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner()))
            .reduce(Worker::merge)
            .unwrap_or_else(|| Worker::new(graph, &lengths, options.edges))
    };
    Ok(finish(graph, options, worker, sources.len()))
}

fn finish(graph: &Graph, options: BetweennessOptions, worker: Worker, sources: usize) -> Betweenness {
    let n = graph.node_count() as f64;
    let sampled = n / sources.max(1) as f64;
    let directed = graph.is_directed();
    let node_scale = if options.normalized {
        if n > 2.0 { 1.0 / ((n - 1.0) * (n - 2.0)) } else { 1.0 }
    } else if directed {
        1.0
    } else {
        0.5
    };
    let edge_scale = if options.normalized {
        if n > 1.0 { 1.0 / (n * (n - 1.0)) } else { 1.0 }
    } else if directed {
        1.0
    } else {
        0.5
    };
    let nodes = worker.nodes.iter().map(|s| s.value() * node_scale * sampled).collect();
    let edges = if options.edges { edge_scores(graph, &worker.arcs, edge_scale * sampled) } else { Vec::new() };
    Betweenness { nodes, edges, sources }
}

/// Folds per-arc sums into one score per edge of [`Graph::edges`]: an
/// undirected edge adds its two arcs.
fn edge_scores(graph: &Graph, arcs: &[Exact], scale: f64) -> Vec<f64> {
    let (offsets, targets, _) = graph.out_csr();
    let arc = |u: u32, v: u32| {
        let list = &targets[offsets[u as usize]..offsets[u as usize + 1]];
        offsets[u as usize] + list.binary_search(&v).expect("every edge has its arcs")
    };
    graph
        .edges()
        .map(|(u, v, _)| {
            let mut total = arcs[arc(u, v)];
            if !graph.is_directed() && u != v {
                total.merge(arcs[arc(v, u)]);
            }
            total.value() * scale
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csr::Direction;

    #[test]
    fn renumbering_for_locality_changes_nothing_but_rounding() {
        // Large enough to be renumbered: a ring with random chords.
        let n = RENUMBER_NODES as u32 + 1000;
        for direction in [Direction::Undirected, Direction::Directed] {
            let g = Graph::ring_with_chords(n, n, 5, direction);
            let sources: Vec<u32> = (0..RENUMBER_SOURCES as u32).map(|i| i * 997).collect();
            let options = BetweennessOptions { normalized: true, ..Default::default() };
            let renumbered = accumulate(&g, options, &sources).unwrap().nodes;
            let plain = accumulate_in_order(&g, options, &sources).unwrap().nodes;
            let scale = plain.iter().copied().fold(0.0, f64::max);
            assert!(scale > 0.0);
            for (a, b) in renumbered.iter().zip(&plain) {
                assert!((a - b).abs() <= 1e-12 * scale, "{direction:?}: {a} vs {b}");
            }
        }
    }
}
