//! Eigenvector, PageRank and Katz centrality: power iterations on the
//! weighted adjacency, pulled along in-arcs.

use rayon::prelude::*;

use super::sum::block_sum;
use crate::csr::Graph;
use crate::error::{Error, Result};

/// When a power iteration stops.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Convergence {
    /// Stop when the L1 change of the vector in one iteration is below
    /// `node_count * tolerance` (networkx's rule).
    pub tolerance: f64,
    /// Give up after this many iterations.
    pub max_iterations: usize,
}

impl Default for Convergence {
    /// networkx's defaults for PageRank and eigenvector: `1e-6`, 100 iterations.
    fn default() -> Self {
        Self { tolerance: 1e-6, max_iterations: 100 }
    }
}

/// The result of a power iteration.
#[derive(Debug, Clone, PartialEq)]
pub struct Iterated {
    /// Per node, in node id order.
    pub values: Vec<f64>,
    /// Iterations run.
    pub iterations: usize,
    /// Whether the tolerance was met; if not, `values` is the last iterate.
    pub converged: bool,
}

/// Runs `step(previous, next)` until the L1 change is small enough, then
/// returns the last iterate. `step` must fill every entry of `next`.
fn iterate(
    start: Vec<f64>,
    convergence: Convergence,
    mut step: impl FnMut(&[f64], &mut [f64]),
) -> (Vec<f64>, usize, bool) {
    let n = start.len();
    let mut current = start;
    let mut next = vec![0.0; n];
    for iteration in 1..=convergence.max_iterations {
        step(&current, &mut next);
        let change = block_sum(n, |i| (next[i] - current[i]).abs());
        std::mem::swap(&mut current, &mut next);
        if change < n as f64 * convergence.tolerance {
            return (current, iteration, true);
        }
    }
    (current, convergence.max_iterations, false)
}

/// The in-arcs that iterations pull along; weights left out when all are 1
/// (the products are then the same bits, and the loop streams a third of
/// the bytes).
struct InArcs<'g> {
    offsets: &'g [usize],
    sources: &'g [u32],
    weights: Option<&'g [f64]>,
}

impl<'g> InArcs<'g> {
    fn of(graph: &'g Graph) -> Self {
        let (offsets, sources, weights) = graph.in_csr();
        let unit = weights.iter().all(|&w| w == 1.0);
        Self { offsets, sources, weights: (!unit).then_some(weights) }
    }

    /// `sum(x[u] * w(u, v))` over the in-arcs of `v`, in arc order (the same
    /// bits at any thread count).
    #[inline]
    fn pull(&self, x: &[f64], v: usize) -> f64 {
        let arcs = self.offsets[v]..self.offsets[v + 1];
        match self.weights {
            None => self.sources[arcs].iter().fold(0.0, |sum, &u| sum + x[u as usize]),
            Some(weights) => {
                self.sources[arcs.clone()].iter().zip(&weights[arcs]).fold(0.0, |sum, (&u, &w)| sum + x[u as usize] * w)
            }
        }
    }
}

/// Below this many nodes, iterations run on one thread.
const SEQUENTIAL_NODES: usize = 1 << 14;

/// Fills `out[v] = f(v)` for every node, in parallel for large graphs.
fn fill(out: &mut [f64], f: impl Fn(usize) -> f64 + Sync) {
    if out.len() < SEQUENTIAL_NODES {
        out.iter_mut().enumerate().for_each(|(v, slot)| *slot = f(v));
    } else {
        out.par_iter_mut().enumerate().with_min_len(1024).for_each(|(v, slot)| *slot = f(v));
    }
}

fn l2_normalise(values: &mut [f64]) {
    let norm = block_sum(values.len(), |i| values[i] * values[i]).sqrt();
    if norm > 0.0 {
        values.iter_mut().for_each(|x| *x /= norm);
    }
}

/// PageRank (Brin & Page 1998) as networkx `pagerank`: damping `alpha`,
/// weighted transitions `w(u, v) / out_strength(u)`, uniform teleport, and
/// the rank of dangling nodes (no out-weight) spread uniformly; the result
/// sums to 1. Undirected graphs walk each edge both ways.
///
/// **Cost**: `O(m)` per iteration. **Threads**: each iteration fills the
/// new vector in parallel over nodes (pulling along in-arcs, so no two
/// threads write one entry); sums run in fixed blocks, so the result is the
/// same at any thread count.
///
/// # Errors
/// [`Error::BadParameter`] unless `0 <= alpha < 1`.
///
/// # Example
/// ```
/// use nexo_graph::{Direction, Graph, centrality::{pagerank, Convergence}};
///
/// // A directed 3-cycle: every node has rank 1/3.
/// let g = Graph::from_edges(3, &[0, 1, 2], &[1, 2, 0], &[1.0; 3], Direction::Directed).unwrap();
/// let pr = pagerank(&g, 0.85, Convergence::default()).unwrap();
/// assert!(pr.converged);
/// assert!(pr.values.iter().all(|&x| (x - 1.0 / 3.0).abs() < 1e-12));
/// ```
pub fn pagerank(graph: &Graph, alpha: f64, convergence: Convergence) -> Result<Iterated> {
    if !(0.0..1.0).contains(&alpha) {
        return Err(Error::BadParameter { name: "alpha", message: format!("must be in [0, 1), not {alpha}") });
    }
    let n = graph.node_count();
    if n == 0 {
        return Ok(Iterated { values: Vec::new(), iterations: 0, converged: true });
    }
    let strength: Vec<f64> = (0..n as u32).map(|u| graph.out_strength(u)).collect();
    let arcs = InArcs::of(graph);
    let mut share = vec![0.0; n];
    let teleport = (1.0 - alpha) / n as f64;
    let (mut values, iterations, converged) = iterate(vec![1.0 / n as f64; n], convergence, |x, next| {
        fill(&mut share, |u| if strength[u] > 0.0 { x[u] / strength[u] } else { 0.0 });
        let dangling = block_sum(n, |u| if strength[u] > 0.0 { 0.0 } else { x[u] });
        let base = alpha * dangling / n as f64 + teleport;
        let share: &[f64] = &share;
        fill(next, |v| alpha * arcs.pull(share, v) + base);
    });
    let total = block_sum(n, |i| values[i]);
    values.iter_mut().for_each(|x| *x /= total);
    Ok(Iterated { values, iterations, converged })
}

/// Eigenvector centrality as networkx `eigenvector_centrality`: the
/// principal eigenvector of the weighted adjacency (of in-arcs for a directed
/// graph: a node is central when central nodes point to it), found by power
/// iteration on `A + I` from the uniform vector, L2-normalised.
///
/// **Cost** and **threads**: as [`pagerank`].
///
/// # Example
/// ```
/// use nexo_graph::{Direction, Graph, centrality::{eigenvector, Convergence}};
///
/// // The path 0 - 1 - 2: (1/2, 1/sqrt(2), 1/2).
/// let g = Graph::from_edges(3, &[0, 1], &[1, 2], &[1.0; 2], Direction::Undirected).unwrap();
/// let c = Convergence { tolerance: 1e-12, max_iterations: 1000 };
/// let e = eigenvector(&g, c);
/// assert!((e.values[1] - 0.5f64.sqrt()).abs() < 1e-9 && (e.values[0] - 0.5).abs() < 1e-9);
/// ```
pub fn eigenvector(graph: &Graph, convergence: Convergence) -> Iterated {
    let n = graph.node_count();
    let start = vec![1.0 / n.max(1) as f64; n];
    let arcs = InArcs::of(graph);
    let (values, iterations, converged) = iterate(start, convergence, |x, next| {
        fill(next, |v| x[v] + arcs.pull(x, v));
        l2_normalise(next);
    });
    Iterated { values, iterations, converged }
}

/// Katz centrality (Katz 1953) as networkx `katz_centrality`: the fixed
/// point of `x = alpha A^T x + beta` (in-arcs, weighted), from `x = 0`,
/// L2-normalised. It converges only when `alpha` is below the inverse of the
/// adjacency's largest eigenvalue: choose `alpha` against the weights in use
/// (`nexo analyze` takes half that bound).
///
/// **Cost** and **threads**: as [`pagerank`].
///
/// # Example
/// ```
/// use nexo_graph::{Direction, Graph, centrality::{katz, Convergence}};
///
/// // A single edge: x = 0.1 x + 1, so both ends are equal, 1/sqrt(2) after normalising.
/// let g = Graph::from_edges(2, &[0], &[1], &[1.0], Direction::Undirected).unwrap();
/// let k = katz(&g, 0.1, 1.0, Convergence::default());
/// assert!(k.converged && (k.values[0] - 0.5f64.sqrt()).abs() < 1e-12);
/// ```
pub fn katz(graph: &Graph, alpha: f64, beta: f64, convergence: Convergence) -> Iterated {
    let n = graph.node_count();
    let arcs = InArcs::of(graph);
    let (mut values, iterations, converged) = iterate(vec![0.0; n], convergence, |x, next| {
        fill(next, |v| alpha * arcs.pull(x, v) + beta);
    });
    l2_normalise(&mut values);
    Iterated { values, iterations, converged }
}

/// An estimate of the adjacency's largest eigenvalue from the vector
/// `x` that [`eigenvector`] returned: `|A^T x|` (exact for a converged
/// eigenvector of a connected undirected graph). Used to choose a Katz
/// `alpha` that converges.
pub fn spectral_radius_estimate(graph: &Graph, eigenvector: &[f64]) -> f64 {
    let arcs = InArcs::of(graph);
    block_sum(graph.node_count(), |v| arcs.pull(eigenvector, v).powi(2)).sqrt()
}
