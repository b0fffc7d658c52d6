//! Eigenvector, PageRank and Katz centrality: power iterations on the
//! weighted adjacency, pulled along in-arcs.

use rayon::prelude::*;

use super::sum::{BLOCK, block_sum};
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
    let teleport = (1.0 - alpha) / n as f64;
    // x: the rank; share[u] = x[u] / strength[u], what u passes to each unit of out-weight.
    let mut x = vec![1.0 / n as f64; n];
    let share_of = |u: usize, rank: f64| if strength[u] > 0.0 { rank / strength[u] } else { 0.0 };
    let mut share: Vec<f64> = (0..n).map(|u| share_of(u, x[u])).collect();
    let mut dangling = block_sum(n, |u| if strength[u] > 0.0 { 0.0 } else { x[u] });
    let (mut next, mut next_share) = (vec![0.0; n], vec![0.0; n]);
    let (mut iterations, mut converged) = (0, false);
    let mut pace = Pace::new(n);
    while iterations < convergence.max_iterations {
        iterations += 1;
        let base = alpha * dangling / n as f64 + teleport;
        // One pass per iteration computes the new rank, its share, its
        // change and its dangling mass: one barrier per iteration.
        let [change, next_dangling] = pace.run(|parallel| {
            sweep(parallel, &mut next, &mut next_share, |v| {
                let rank = alpha * arcs.pull(&share, v) + base;
                let sums = [(rank - x[v]).abs(), if strength[v] > 0.0 { 0.0 } else { rank }];
                (rank, share_of(v, rank), sums)
            })
        });
        std::mem::swap(&mut x, &mut next);
        std::mem::swap(&mut share, &mut next_share);
        dangling = next_dangling;
        if change < n as f64 * convergence.tolerance {
            converged = true;
            break;
        }
    }
    let total = block_sum(n, |i| x[i]);
    x.iter_mut().for_each(|r| *r /= total);
    Ok(Iterated { values: x, iterations, converged })
}

/// Chooses, iteration by iteration, between one thread and the pool.
///
/// Iterations end in a barrier, and a thread that has lost its core to
/// another process holds every barrier up: with a busy core, two threads can
/// be slower than one. Both modes give the same bits (the blocks and their
/// order are fixed), so nexo simply times them: the first iteration runs on
/// one thread, the second on the pool, then the faster mode runs, and the
/// other is timed again every [`Pace::PROBE`] iterations in case the load
/// changed.
struct Pace {
    parallel_possible: bool,
    iteration: usize,
    sequential: f64,
    parallel: f64,
}

impl Pace {
    const PROBE: usize = 16;

    fn new(n: usize) -> Self {
        let parallel_possible = n >= SEQUENTIAL_NODES && rayon::current_num_threads() > 1;
        Self { parallel_possible, iteration: 0, sequential: f64::INFINITY, parallel: f64::INFINITY }
    }

    /// Runs one iteration in the chosen mode, timing it.
    fn run<T>(&mut self, iteration: impl FnOnce(bool) -> T) -> T {
        let parallel = self.parallel_possible
            && match self.iteration % Self::PROBE {
                0 => false,
                1 => true,
                _ => self.parallel < self.sequential,
            };
        self.iteration += 1;
        let started = std::time::Instant::now();
        let result = iteration(parallel);
        let seconds = started.elapsed().as_secs_f64();
        if parallel {
            self.parallel = seconds
        } else {
            self.sequential = seconds
        }
        result
    }
}

/// Sets `first[v]` and `second[v]` from `step(v)` for every node, and
/// returns the sums of its `K` extra values, added in blocks of
/// [`BLOCK`] nodes and the block sums in order (the same bits in either
/// mode, at any thread count). Parallel over blocks if `parallel`.
fn sweep<const K: usize>(
    parallel: bool,
    first: &mut [f64],
    second: &mut [f64],
    step: impl Fn(usize) -> (f64, f64, [f64; K]) + Sync,
) -> [f64; K] {
    let block = |(b, (first, second)): (usize, (&mut [f64], &mut [f64]))| {
        let mut sums = [0.0; K];
        for (i, (a, z)) in first.iter_mut().zip(second.iter_mut()).enumerate() {
            let (x, y, extra) = step(b * BLOCK + i);
            (*a, *z) = (x, y);
            for (sum, e) in sums.iter_mut().zip(extra) {
                *sum += e;
            }
        }
        sums
    };
    let partials: Vec<[f64; K]> = if parallel {
        first.par_chunks_mut(BLOCK).zip(second.par_chunks_mut(BLOCK)).enumerate().map(block).collect()
    } else {
        first.chunks_mut(BLOCK).zip(second.chunks_mut(BLOCK)).enumerate().map(block).collect()
    };
    partials.iter().fold([0.0; K], |mut total, partial| {
        for (t, p) in total.iter_mut().zip(partial) {
            *t += p;
        }
        total
    })
}

/// Divides `values` by `norm` and returns the L1 distance to `previous`,
/// summed in blocks like [`sweep`].
fn normalise_and_change(parallel: bool, values: &mut [f64], previous: &[f64], norm: f64) -> f64 {
    let block = |(values, previous): (&mut [f64], &[f64])| {
        values.iter_mut().zip(previous).fold(0.0, |sum, (v, p)| {
            *v /= norm;
            sum + (*v - p).abs()
        })
    };
    let partials: Vec<f64> = if parallel {
        values.par_chunks_mut(BLOCK).zip(previous.par_chunks(BLOCK)).map(block).collect()
    } else {
        values.chunks_mut(BLOCK).zip(previous.chunks(BLOCK)).map(block).collect()
    };
    partials.iter().fold(0.0, |sum, p| sum + p)
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
    let arcs = InArcs::of(graph);
    let mut x = vec![1.0 / n.max(1) as f64; n];
    let (mut next, mut unused) = (vec![0.0; n], vec![0.0; n]);
    let (mut iterations, mut converged) = (0, false);
    let mut pace = Pace::new(n);
    while iterations < convergence.max_iterations {
        iterations += 1;
        let change = pace.run(|parallel| {
            // (A + I) x and its squared norm, then normalise and measure the change.
            let [squares] = sweep(parallel, &mut next, &mut unused, |v| {
                let value = x[v] + arcs.pull(&x, v);
                (value, 0.0, [value * value])
            });
            let norm = if squares > 0.0 { squares.sqrt() } else { 1.0 };
            normalise_and_change(parallel, &mut next, &x, norm)
        });
        std::mem::swap(&mut x, &mut next);
        if change < n as f64 * convergence.tolerance {
            converged = true;
            break;
        }
    }
    Iterated { values: x, iterations, converged }
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
    let (mut x, mut next, mut unused) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let (mut iterations, mut converged) = (0, false);
    let mut pace = Pace::new(n);
    while iterations < convergence.max_iterations {
        iterations += 1;
        let [change] = pace.run(|parallel| {
            sweep(parallel, &mut next, &mut unused, |v| {
                let value = alpha * arcs.pull(&x, v) + beta;
                (value, 0.0, [(value - x[v]).abs()])
            })
        });
        std::mem::swap(&mut x, &mut next);
        if change < n as f64 * convergence.tolerance {
            converged = true;
            break;
        }
    }
    l2_normalise(&mut x);
    Iterated { values: x, iterations, converged }
}

/// An estimate of the adjacency's largest eigenvalue from the vector
/// `x` that [`eigenvector`] returned: `|A^T x|` (exact for a converged
/// eigenvector of a connected undirected graph). Used to choose a Katz
/// `alpha` that converges.
pub fn spectral_radius_estimate(graph: &Graph, eigenvector: &[f64]) -> f64 {
    let arcs = InArcs::of(graph);
    block_sum(graph.node_count(), |v| arcs.pull(eigenvector, v).powi(2)).sqrt()
}
