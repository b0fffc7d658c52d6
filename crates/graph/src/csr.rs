//! The compact CSR graph every measure runs on.

use rayon::prelude::*;

use crate::error::{Error, Result};

/// Whether a graph's edges have a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `u -> v` differs from `v -> u`; the graph keeps out- and in-adjacency.
    Directed,
    /// Each edge `{u, v}` is stored once in the adjacency of `u` and once in that of `v`.
    Undirected,
}

/// One side of a CSR: for node `u`, its neighbours are
/// `neighbors[offsets[u]..offsets[u + 1]]`, sorted by id, with the weights beside them.
#[derive(Debug, Clone, Default, PartialEq)]
struct Adjacency {
    offsets: Vec<usize>,
    neighbors: Vec<u32>,
    weights: Vec<f64>,
}

impl Adjacency {
    fn heap_bytes(&self) -> usize {
        self.offsets.capacity() * size_of::<usize>()
            + self.neighbors.capacity() * size_of::<u32>()
            + self.weights.capacity() * size_of::<f64>()
    }

    fn range(&self, u: u32) -> std::ops::Range<usize> {
        self.offsets[u as usize]..self.offsets[u as usize + 1]
    }
}

/// A weighted graph in compressed sparse row form with `u32` node ids.
///
/// Nodes are `0..node_count()`. Neighbour lists are sorted by id and hold no
/// duplicates: parallel edges given to the builder are merged by summing
/// their weights, in input order, so the result is the same bits for any
/// number of threads. A directed graph also keeps the in-adjacency, so
/// in-neighbours cost the same as out-neighbours.
///
/// ```
/// use nexo_graph::{Direction, Graph};
///
/// // The path 0 - 1 - 2, with the edge 0 - 1 given twice.
/// let g = Graph::from_edges(3, &[0, 1, 1], &[1, 2, 0], &[1.0, 2.0, 0.5], Direction::Undirected)
///     .unwrap();
/// assert_eq!(g.edge_count(), 2);
/// assert_eq!(g.out_neighbors(1), &[0, 2]);
/// assert_eq!(g.out_weights(1), &[1.5, 2.0]);
/// assert_eq!(g.edge_weight(0, 1), Some(1.5));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    direction: Direction,
    out: Adjacency,
    /// In-adjacency; `None` for undirected graphs, where it equals `out`.
    inc: Option<Adjacency>,
    edge_count: usize,
    /// Whether every edge weight (after merging) is exactly 1.
    unit_weights: bool,
}

impl Graph {
    /// Builds a graph of `node_count` nodes from edge columns.
    ///
    /// Edge `i` goes from `sources[i]` to `targets[i]` with weight `weights[i]`.
    /// Sorting runs in parallel on the current rayon pool (stable, so merged
    /// weights are summed in input order); cost `O(m log m)` for `m` edges.
    ///
    /// # Errors
    /// [`Error::ColumnLengthMismatch`] if the columns differ in length and
    /// [`Error::NodeOutOfRange`] if an id is not below `node_count`.
    pub fn from_edges(
        node_count: usize,
        sources: &[u32],
        targets: &[u32],
        weights: &[f64],
        direction: Direction,
    ) -> Result<Self> {
        if sources.len() != targets.len() || sources.len() != weights.len() {
            return Err(Error::ColumnLengthMismatch {
                sources: sources.len(),
                targets: targets.len(),
                weights: weights.len(),
            });
        }
        let out_of_range = sources.par_iter().chain(targets.par_iter()).find_first(|&&id| id as usize >= node_count);
        if let Some(&node) = out_of_range {
            return Err(Error::NodeOutOfRange { node, node_count });
        }
        let arcs = arcs_of(sources, targets, weights, direction);
        let out = build_adjacency(node_count, arcs);
        let inc = match direction {
            Direction::Directed => Some(transpose(node_count, &out)),
            Direction::Undirected => None,
        };
        let edge_count = match direction {
            Direction::Directed => out.neighbors.len(),
            Direction::Undirected => {
                let loops = (0..node_count as u32)
                    .into_par_iter()
                    .filter(|&u| out.neighbors[out.range(u)].binary_search(&u).is_ok())
                    .count();
                (out.neighbors.len() + loops) / 2
            }
        };
        let unit_weights = out.weights.par_iter().all(|&w| w == 1.0);
        Ok(Self { direction, out, inc, edge_count, unit_weights })
    }

    /// Bytes held on the heap: offsets (8 per node), neighbours (4 per arc)
    /// and weights (8 per arc), twice for a directed graph (out and in).
    pub fn heap_bytes(&self) -> usize {
        self.out.heap_bytes() + self.inc.as_ref().map_or(0, Adjacency::heap_bytes)
    }

    /// Whether edges have a direction.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// Whether edges have a direction.
    pub fn is_directed(&self) -> bool {
        self.direction == Direction::Directed
    }

    /// Whether every edge weighs exactly 1 once parallel edges are merged
    /// (who is linked to whom, not how much): algorithms may then skip
    /// reading the weights. Known from construction, no scan.
    pub fn has_unit_weights(&self) -> bool {
        self.unit_weights
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.out.offsets.len() - 1
    }

    /// Number of distinct edges (an undirected edge counts once).
    pub fn edge_count(&self) -> usize {
        self.edge_count
    }

    /// Out-neighbours of `u` (all neighbours if undirected), sorted by id.
    pub fn out_neighbors(&self, u: u32) -> &[u32] {
        &self.out.neighbors[self.out.range(u)]
    }

    /// Weights of the edges to [`Self::out_neighbors`], in the same order.
    pub fn out_weights(&self, u: u32) -> &[f64] {
        &self.out.weights[self.out.range(u)]
    }

    /// In-neighbours of `u` (all neighbours if undirected), sorted by id.
    pub fn in_neighbors(&self, u: u32) -> &[u32] {
        let inc = self.inc.as_ref().unwrap_or(&self.out);
        &inc.neighbors[inc.range(u)]
    }

    /// Weights of the edges from [`Self::in_neighbors`], in the same order.
    pub fn in_weights(&self, u: u32) -> &[f64] {
        let inc = self.inc.as_ref().unwrap_or(&self.out);
        &inc.weights[inc.range(u)]
    }

    /// Number of out-neighbours (neighbours if undirected).
    pub fn out_degree(&self, u: u32) -> usize {
        self.out.range(u).len()
    }

    /// Number of in-neighbours (neighbours if undirected).
    pub fn in_degree(&self, u: u32) -> usize {
        self.in_neighbors(u).len()
    }

    /// Sum of out-edge weights, added in neighbour order (0 without edges).
    pub fn out_strength(&self, u: u32) -> f64 {
        // Folding from +0.0: `Sum for f64` starts at -0.0, which writes "-0" for isolated nodes.
        self.out_weights(u).iter().fold(0.0, |sum, w| sum + w)
    }

    /// Sum of in-edge weights, added in neighbour order (0 without edges).
    pub fn in_strength(&self, u: u32) -> f64 {
        self.in_weights(u).iter().fold(0.0, |sum, w| sum + w)
    }

    /// Weight of the edge `u -> v`, if there is one. `O(log degree)`.
    pub fn edge_weight(&self, u: u32, v: u32) -> Option<f64> {
        let at = self.out_neighbors(u).binary_search(&v).ok()?;
        Some(self.out_weights(u)[at])
    }

    /// Positions of `u`'s out-arcs in the flat arc arrays (for per-arc data
    /// such as path lengths or edge scores).
    pub(crate) fn out_arcs(&self, u: u32) -> std::ops::Range<usize> {
        self.out.range(u)
    }

    /// Positions of `u`'s in-arcs in the flat in-arc arrays; for an undirected
    /// graph these are the out-arc positions.
    pub(crate) fn in_arcs(&self, u: u32) -> std::ops::Range<usize> {
        self.inc.as_ref().unwrap_or(&self.out).range(u)
    }

    /// The out-side CSR arrays: offsets, targets, weights.
    pub(crate) fn out_csr(&self) -> (&[usize], &[u32], &[f64]) {
        (&self.out.offsets, &self.out.neighbors, &self.out.weights)
    }

    /// The in-side CSR arrays (the out side for an undirected graph).
    pub(crate) fn in_csr(&self) -> (&[usize], &[u32], &[f64]) {
        let inc = self.inc.as_ref().unwrap_or(&self.out);
        (&inc.offsets, &inc.neighbors, &inc.weights)
    }

    /// Number of stored arcs: edges for a directed graph, twice the edges
    /// less the self-loops for an undirected one.
    pub(crate) fn arc_count(&self) -> usize {
        self.out.neighbors.len()
    }

    /// Target and weight of every out-arc, by arc position.
    pub(crate) fn out_arc_arrays(&self) -> (&[u32], &[f64]) {
        (&self.out.neighbors, &self.out.weights)
    }

    /// Source and weight of every in-arc, by in-arc position.
    pub(crate) fn in_arc_arrays(&self) -> (&[u32], &[f64]) {
        let inc = self.inc.as_ref().unwrap_or(&self.out);
        (&inc.neighbors, &inc.weights)
    }

    /// All edges as `(source, target, weight)`, sorted; an undirected edge
    /// appears once, as `(min, max, weight)`.
    pub fn edges(&self) -> impl Iterator<Item = (u32, u32, f64)> + '_ {
        (0..self.node_count() as u32).flat_map(move |u| {
            self.out_neighbors(u)
                .iter()
                .zip(self.out_weights(u))
                .filter(move |&(&v, _)| self.is_directed() || u <= v)
                .map(move |(&v, &w)| (u, v, w))
        })
    }
}

impl Graph {
    /// A breadth-first numbering for cache locality: `new_id[v]` for every
    /// node, visiting from the node of highest degree (smallest id on ties),
    /// then from each node not yet numbered, in id order. Neighbours get
    /// nearby ids, so searches touch fewer cache lines. `O(n + m)`.
    pub fn locality_order(&self) -> Vec<u32> {
        let n = self.node_count();
        let mut new_id = vec![u32::MAX; n];
        let mut queue = Vec::with_capacity(n);
        let hub = (0..n as u32).max_by_key(|&v| (self.out_degree(v) + self.in_degree(v), std::cmp::Reverse(v)));
        for start in hub.into_iter().chain(0..n as u32) {
            if new_id[start as usize] != u32::MAX {
                continue;
            }
            let mut head = queue.len();
            new_id[start as usize] = queue.len() as u32;
            queue.push(start);
            while let Some(&v) = queue.get(head) {
                head += 1;
                let incoming: &[u32] = if self.is_directed() { self.in_neighbors(v) } else { &[] };
                for &w in self.out_neighbors(v).iter().chain(incoming) {
                    if new_id[w as usize] == u32::MAX {
                        new_id[w as usize] = queue.len() as u32;
                        queue.push(w);
                    }
                }
            }
        }
        new_id
    }

    /// The same graph with node `v` renamed `new_id[v]` (a permutation).
    pub fn permuted(&self, new_id: &[u32]) -> Graph {
        let (mut s, mut t, mut w) = (Vec::new(), Vec::new(), Vec::new());
        for (u, v, weight) in self.edges() {
            s.push(new_id[u as usize]);
            t.push(new_id[v as usize]);
            w.push(weight);
        }
        Graph::from_edges(self.node_count(), &s, &t, &w, self.direction).expect("a permutation keeps ids in range")
    }
}

#[cfg(test)]
impl Graph {
    /// A test graph: the ring `0 - 1 - ... - (n-1) - 0` plus `chords` random
    /// arcs drawn with `seed` (self-loops and repeats included), unit weights.
    pub(crate) fn ring_with_chords(n: u32, chords: u32, seed: u64, direction: Direction) -> Graph {
        let mut rng = crate::rng::SplitMix64::new(seed);
        let (mut s, mut t): (Vec<u32>, Vec<u32>) = (0..n).map(|v| (v, (v + 1) % n)).unzip();
        for _ in 0..chords {
            s.push(rng.below(u64::from(n)) as u32);
            t.push(rng.below(u64::from(n)) as u32);
        }
        Graph::from_edges(n as usize, &s, &t, &vec![1.0; s.len()], direction).expect("ids below n")
    }
}

/// Arcs keyed by `source << 32 | target`; an undirected edge gives both arcs
/// (a self-loop only one).
fn arcs_of(sources: &[u32], targets: &[u32], weights: &[f64], direction: Direction) -> Vec<(u64, f64)> {
    let key = |u: u32, v: u32| (u64::from(u) << 32) | u64::from(v);
    let forward = sources.par_iter().zip(targets).zip(weights).map(|((&u, &v), &w)| (key(u, v), w));
    match direction {
        Direction::Directed => forward.collect(),
        Direction::Undirected => {
            let backward = sources
                .par_iter()
                .zip(targets)
                .zip(weights)
                .filter(|((u, v), _)| u != v)
                .map(|((&u, &v), &w)| (key(v, u), w));
            // Interleaving is irrelevant: the stable sort below keeps, for each
            // key, the forward arcs in input order followed by the backward ones.
            forward.chain(backward).collect()
        }
    }
}

/// Sorts arcs (stable), merges duplicates by summing weights in input order
/// and lays them out as a CSR.
fn build_adjacency(node_count: usize, mut arcs: Vec<(u64, f64)>) -> Adjacency {
    arcs.par_sort_by_key(|&(key, _)| key);
    let mut neighbors = Vec::with_capacity(arcs.len());
    let mut weights = Vec::with_capacity(arcs.len());
    let mut offsets = vec![0usize; node_count + 1];
    let mut previous = None;
    for (key, w) in arcs {
        if previous == Some(key) {
            *weights.last_mut().expect("a previous arc exists") += w;
            continue;
        }
        previous = Some(key);
        offsets[(key >> 32) as usize + 1] += 1;
        neighbors.push(key as u32);
        weights.push(w);
    }
    for u in 0..node_count {
        offsets[u + 1] += offsets[u];
    }
    Adjacency { offsets, neighbors, weights }
}

/// The in-adjacency of a directed graph: a counting sort of the out-arcs by
/// target, which keeps each in-list sorted by source.
fn transpose(node_count: usize, out: &Adjacency) -> Adjacency {
    let mut offsets = vec![0usize; node_count + 1];
    for &v in &out.neighbors {
        offsets[v as usize + 1] += 1;
    }
    for u in 0..node_count {
        offsets[u + 1] += offsets[u];
    }
    let mut cursor = offsets.clone();
    let mut neighbors = vec![0u32; out.neighbors.len()];
    let mut weights = vec![0f64; out.neighbors.len()];
    for u in 0..node_count as u32 {
        for i in out.range(u) {
            let v = out.neighbors[i] as usize;
            neighbors[cursor[v]] = u;
            weights[cursor[v]] = out.weights[i];
            cursor[v] += 1;
        }
    }
    Adjacency { offsets, neighbors, weights }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_weights_are_known_after_merging() {
        let graph = |weights: &[f64]| {
            Graph::from_edges(3, &[0, 1, 1], &[1, 2, 2], weights, Direction::Undirected).unwrap().has_unit_weights()
        };
        // The repeated edge 1 - 2 merges into weight 2 (or 1 from halves).
        assert!(!graph(&[1.0, 1.0, 1.0]));
        assert!(graph(&[1.0, 0.5, 0.5]));
        let simple = Graph::from_edges(3, &[0, 1], &[1, 2], &[1.0, 1.0], Direction::Directed).unwrap();
        assert!(simple.has_unit_weights());
        assert!(!Graph::from_edges(2, &[0], &[1], &[3.0], Direction::Undirected).unwrap().has_unit_weights());
    }

    #[test]
    fn directed_keeps_both_adjacencies_sorted() {
        let g =
            Graph::from_edges(4, &[2, 0, 0, 3, 0], &[0, 2, 1, 0, 2], &[1.0, 2.0, 3.0, 4.0, 5.0], Direction::Directed)
                .unwrap();
        assert_eq!(g.edge_count(), 4);
        assert_eq!(g.out_neighbors(0), &[1, 2]);
        assert_eq!(g.out_weights(0), &[3.0, 7.0]);
        assert_eq!(g.in_neighbors(0), &[2, 3]);
        assert_eq!(g.in_weights(0), &[1.0, 4.0]);
        assert_eq!(g.in_neighbors(2), &[0]);
        assert_eq!(g.in_strength(0), 5.0);
        assert_eq!(g.out_strength(0), 10.0);
        assert_eq!(g.edge_weight(2, 0), Some(1.0));
        assert_eq!(g.edge_weight(0, 3), None);
        assert_eq!(g.edges().collect::<Vec<_>>(), [(0, 1, 3.0), (0, 2, 7.0), (2, 0, 1.0), (3, 0, 4.0)]);
    }

    #[test]
    fn undirected_sums_both_directions_and_counts_self_loops_once() {
        let g = Graph::from_edges(3, &[0, 1, 2], &[1, 0, 2], &[1.0, 2.0, 5.0], Direction::Undirected).unwrap();
        assert_eq!(g.edge_count(), 2);
        assert_eq!(g.out_neighbors(0), &[1]);
        assert_eq!(g.out_weights(1), &[3.0]);
        assert_eq!(g.out_neighbors(2), &[2]);
        assert_eq!(g.in_neighbors(1), &[0]);
        assert_eq!(g.edges().collect::<Vec<_>>(), [(0, 1, 3.0), (2, 2, 5.0)]);
    }

    #[test]
    fn rejects_bad_columns() {
        assert!(matches!(
            Graph::from_edges(2, &[0], &[1, 0], &[1.0], Direction::Directed),
            Err(Error::ColumnLengthMismatch { .. })
        ));
        assert_eq!(
            Graph::from_edges(2, &[0], &[2], &[1.0], Direction::Directed),
            Err(Error::NodeOutOfRange { node: 2, node_count: 2 })
        );
    }

    #[test]
    fn empty_graph() {
        let g = Graph::from_edges(0, &[], &[], &[], Direction::Directed).unwrap();
        assert_eq!((g.node_count(), g.edge_count()), (0, 0));
    }

    #[test]
    fn same_bits_for_any_thread_count() {
        let n = 500u32;
        let m = 20_000usize;
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let (mut s, mut t, mut w) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..m {
            s.push((next() % u64::from(n)) as u32);
            t.push((next() % u64::from(n)) as u32);
            w.push((next() % 1000) as f64 / 7.0);
        }
        let build = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| Graph::from_edges(n as usize, &s, &t, &w, Direction::Undirected).unwrap())
        };
        let one = build(1);
        for threads in [2, 4] {
            assert_eq!(one, build(threads));
        }
    }
}
