//! Adaptive approximate betweenness: KADABRA (Borassi & Natale 2016).

use std::sync::Mutex;

use rayon::prelude::*;

use super::paths::{Levels, Side};
use crate::csr::Graph;
use crate::error::{Error, Result};
use crate::rng::SplitMix64;
use crate::structure::weakly_connected;

/// Options of [`betweenness_adaptive`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdaptiveOptions {
    /// Largest absolute error allowed on every node's betweenness, as a
    /// fraction of all ordered pairs (KADABRA's scale; on networkx's
    /// normalised scale the bound is `epsilon * n / (n - 2)`).
    pub epsilon: f64,
    /// Probability that some node misses the bound.
    pub delta: f64,
    /// Seed of the sampling: the same seed gives the same result at any thread count.
    pub seed: u64,
}

impl Default for AdaptiveOptions {
    /// NetworKit's defaults: `epsilon = 0.01`, `delta = 0.1`.
    fn default() -> Self {
        Self { epsilon: 0.01, delta: 0.1, seed: 0 }
    }
}

/// The estimate and what it rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct AdaptiveBetweenness {
    /// Per node, on networkx's normalised scale (as [`super::betweenness`]
    /// with `normalized: true`).
    pub nodes: Vec<f64>,
    /// Shortest paths sampled after the calibration phase.
    pub samples: u64,
    /// The cap on samples from the vertex-diameter bound.
    pub omega: u64,
    /// Whether every node met the error bound before the cap (at the cap
    /// the bound holds by the VC-dimension argument).
    pub stopped_early: bool,
}

/// Samples per batch and batches per round. Fixed: the stopping test runs
/// after whole rounds, so the result never depends on the thread count.
const BATCH: u64 = 32;
const BATCHES_PER_ROUND: u64 = 64;
/// Calibration samples are `omega / START_FACTOR` (NetworKit's choice).
const START_FACTOR: f64 = 100.0;
/// Share of `delta` spread evenly over all nodes.
const BALANCE: f64 = 0.001;

/// Betweenness within `epsilon` of the exact value for every node, with
/// probability `1 - delta`, by KADABRA (M. Borassi, E. Natale, "KADABRA is
/// an ADaptive Algorithm for Betweenness via Random Approximation", ESA 2016
/// and ACM JEA 24, 2019). Shortest paths between uniformly drawn pairs are
/// sampled with a balanced bidirectional breadth-first search; a node's
/// estimate is the share of sampled paths through it. After a calibration
/// phase sets each node's failure probability, sampling stops as soon as
/// every node's Chernoff-style bounds `f` and `g` are below `epsilon`, or
/// at `omega = 0.5 / epsilon^2 (floor(log2(VD - 2)) + 1 + ln(2 / delta))`
/// samples (VD: an upper bound on the vertex diameter: twice a
/// breadth-first eccentricity plus one per component when undirected; `n`
/// when directed).
///
/// Paths are counted in hops; weighted lengths use [`super::betweenness_sampled`].
///
/// **Cost**: per sample roughly the square root of the work of one full
/// search on real networks; the number of samples depends on `epsilon`,
/// not on the graph's size.
///
/// **Threads**: batches of 32 samples run in parallel on the current rayon
/// pool, each batch with its own seeded stream and each thread with its own
/// counters; counts are integers merged after every round of 64 batches, so
/// the estimate is the same at any thread count.
///
/// # Errors
/// [`Error::BadParameter`] unless `1e-4 <= epsilon < 1` and `0 < delta < 1`.
pub fn betweenness_adaptive(graph: &Graph, options: AdaptiveOptions) -> Result<AdaptiveBetweenness> {
    let AdaptiveOptions { epsilon, delta, seed } = options;
    if !(1e-4..1.0).contains(&epsilon) {
        return Err(Error::BadParameter { name: "epsilon", message: format!("must be in [1e-4, 1), not {epsilon}") });
    }
    if !(delta > 0.0 && delta < 1.0) {
        return Err(Error::BadParameter { name: "delta", message: format!("must be in (0, 1), not {delta}") });
    }
    let n = graph.node_count();
    if n < 3 {
        return Ok(AdaptiveBetweenness { nodes: vec![0.0; n], samples: 0, omega: 0, stopped_early: true });
    }
    let components = weakly_connected(graph);
    let vd = vertex_diameter_bound(graph, &components.id);
    let omega = (0.5 / (epsilon * epsilon)
        * ((vd.saturating_sub(2).max(1) as f64).log2().floor() + 1.0 + (2.0 / delta).ln()))
    .ceil() as u64;
    let sampler = Sampling { graph, component: &components.id, seed };

    // Calibration: a first estimate decides how delta is shared between nodes.
    let calibration = (omega as f64 / START_FACTOR).ceil() as u64;
    let (first, first_samples) = sampler.run(0, calibration.div_ceil(BATCH * BATCHES_PER_ROUND), |_, _| false);
    let guesses = DeltaGuess::new(&first, first_samples, epsilon, delta);

    let stop = |counts: &[u64], samples: u64| samples >= omega || guesses.all_within(counts, samples, omega, epsilon);
    let (counts, samples) = sampler.run(1 << 40, u64::MAX, stop);
    let scale = n as f64 / (n as f64 - 2.0) / samples as f64;
    let nodes = counts.iter().map(|&c| c as f64 * scale).collect();
    Ok(AdaptiveBetweenness { nodes, samples, omega, stopped_early: samples < omega })
}

/// An upper bound on the number of nodes of any shortest path.
fn vertex_diameter_bound(graph: &Graph, component: &[u32]) -> usize {
    let n = graph.node_count();
    if graph.is_directed() {
        return n;
    }
    // One breadth-first search per component, from its first node (component
    // ids follow first nodes): every distance in the component is at most
    // twice that node's eccentricity.
    let mut levels = Levels::new(n);
    let mut bound = 1;
    let mut next_component = 0;
    for start in 0..n as u32 {
        if component[start as usize] != next_component {
            continue;
        }
        next_component += 1;
        levels.run(graph, Side::Out, start);
        let last = *levels.order().last().expect("the start is reached");
        bound = bound.max(2 * levels.level(last) as usize + 1);
    }
    bound
}

/// Per-node failure probabilities from the calibration estimate (KADABRA's
/// "delta guess"): `delta_v = exp(-C epsilon^2 / b_v) + BALANCE delta / (4 n)`
/// for both the lower and the upper bound, with `C` found by bisection so
/// that all of them add up to `delta / 2`. Nodes with a large estimate get a
/// larger share, so they stop sooner.
struct DeltaGuess {
    per_node: Vec<f64>,
    /// The share of a node never seen in calibration.
    floor: f64,
}

impl DeltaGuess {
    fn new(counts: &[u64], samples: u64, epsilon: f64, delta: f64) -> Self {
        let n = counts.len() as f64;
        let estimate: Vec<f64> = counts.iter().map(|&c| c as f64 / samples.max(1) as f64).collect();
        let floor = delta * BALANCE / (4.0 * n);
        let share = |c: f64, b: f64| if b > 0.0 { (-c * epsilon * epsilon / b).exp() } else { 0.0 };
        let total = |c: f64| estimate.iter().fold(0.0, |sum, &b| sum + 2.0 * share(c, b));
        let target = delta / 2.0 * (1.0 - BALANCE);
        let (mut low, mut high) = (0.0, (4.0 * n * (1.0 - BALANCE) / delta).ln() / (epsilon * epsilon));
        while high - low > epsilon / 10.0 {
            let middle = (low + high) / 2.0;
            if total(middle) >= target { low = middle } else { high = middle }
        }
        let per_node = estimate.iter().map(|&b| share(high, b) + floor).collect();
        Self { per_node, floor }
    }

    /// Whether every node's bounds are below `epsilon` after `samples`.
    fn all_within(&self, counts: &[u64], samples: u64, omega: u64, epsilon: f64) -> bool {
        let tau = samples as f64;
        let ratio = omega as f64 / tau;
        let lower = |b: f64, d: f64| {
            let log = (1.0 / d).ln();
            let t = ratio - 1.0 / 3.0;
            (log / tau * (-t + (t * t + 2.0 * b * ratio * tau / log).sqrt())).min(b)
        };
        let upper = |b: f64, d: f64| {
            let log = (1.0 / d).ln();
            let t = ratio + 1.0 / 3.0;
            (log / tau * (t + (t * t + 2.0 * b * ratio * tau / log).sqrt())).min(1.0 - b)
        };
        // Unsampled nodes with the smallest share are the hardest of their kind.
        if upper(0.0, self.floor) >= epsilon {
            return false;
        }
        counts.iter().zip(&self.per_node).all(|(&c, &d)| {
            let b = c as f64 / tau;
            c == 0 || lower(b, d) < epsilon && upper(b, d) < epsilon
        })
    }
}

/// Rounds of sampling, deterministic in `seed`.
struct Sampling<'g> {
    graph: &'g Graph,
    component: &'g [u32],
    seed: u64,
}

impl Sampling<'_> {
    /// Runs rounds from batch number `first_batch` until `stop(counts,
    /// samples)` after a round or `max_rounds` rounds; returns the counts of
    /// interior nodes and the number of samples.
    fn run(&self, first_batch: u64, max_rounds: u64, stop: impl Fn(&[u64], u64) -> bool) -> (Vec<u64>, u64) {
        let n = self.graph.node_count();
        let threads = rayon::current_num_threads();
        let workers: Vec<Mutex<PathSampler>> = (0..threads).map(|_| Mutex::new(PathSampler::new(n))).collect();
        let mut counts = vec![0u64; n];
        let mut samples = 0;
        for round in 0..max_rounds {
            let batches = first_batch + round * BATCHES_PER_ROUND..first_batch + (round + 1) * BATCHES_PER_ROUND;
            batches.into_par_iter().for_each(|batch| {
                let slot = rayon::current_thread_index().unwrap_or(0) % threads;
                let mut worker = workers[slot].lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                let mut rng = SplitMix64::stream(self.seed, batch);
                for _ in 0..BATCH {
                    worker.sample(self.graph, self.component, &mut rng);
                }
            });
            for worker in &workers {
                let mut worker = worker.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                let PathSampler { touched, counts: own, .. } = &mut *worker;
                for &v in touched.iter() {
                    counts[v as usize] += std::mem::take(&mut own[v as usize]);
                }
                touched.clear();
            }
            samples += BATCH * BATCHES_PER_ROUND;
            if stop(&counts, samples) {
                break;
            }
        }
        (counts, samples)
    }
}

/// One thread's buffers for sampling a uniformly random shortest path.
struct PathSampler {
    /// `2 * id + 1` when reached from the source in sample `id`, `2 * id + 2` from the target.
    stamp: Vec<u64>,
    dist: Vec<u32>,
    sigma: Vec<f64>,
    id: u64,
    frontier: [Vec<u32>; 2],
    next: Vec<u32>,
    /// Arcs `(x, y)` joining the two balls: `x` on the source side, `y` on the target side.
    contacts: Vec<(u32, u32)>,
    counts: Vec<u64>,
    /// Nodes with a non-zero count, so merging costs what was sampled.
    touched: Vec<u32>,
}

const FROM_SOURCE: usize = 0;
const FROM_TARGET: usize = 1;

impl PathSampler {
    fn new(n: usize) -> Self {
        Self {
            stamp: vec![0; n],
            dist: vec![0; n],
            sigma: vec![0.0; n],
            id: 0,
            frontier: [Vec::new(), Vec::new()],
            next: Vec::new(),
            contacts: Vec::new(),
            counts: vec![0; n],
            touched: Vec::new(),
        }
    }

    fn side_stamp(&self, side: usize) -> u64 {
        2 * self.id + 1 + side as u64
    }

    fn visit(&mut self, v: u32, side: usize, dist: u32, sigma: f64) {
        self.stamp[v as usize] = self.side_stamp(side);
        self.dist[v as usize] = dist;
        self.sigma[v as usize] = sigma;
    }

    /// Draws a pair and, if connected, one of its shortest paths uniformly,
    /// counting the path's interior nodes.
    fn sample(&mut self, graph: &Graph, component: &[u32], rng: &mut SplitMix64) {
        let n = graph.node_count() as u64;
        let s = rng.below(n) as u32;
        let mut t = rng.below(n - 1) as u32;
        if t >= s {
            t += 1;
        }
        if component[s as usize] != component[t as usize] {
            return;
        }
        self.id += 1;
        self.visit(s, FROM_SOURCE, 0, 1.0);
        self.visit(t, FROM_TARGET, 0, 1.0);
        self.frontier[FROM_SOURCE].clear();
        self.frontier[FROM_SOURCE].push(s);
        self.frontier[FROM_TARGET].clear();
        self.frontier[FROM_TARGET].push(t);
        self.contacts.clear();
        while self.contacts.is_empty() {
            let work = |side: usize| -> usize {
                self.frontier[side]
                    .iter()
                    .map(|&v| if side == FROM_SOURCE { graph.out_degree(v) } else { graph.in_degree(v) })
                    .sum()
            };
            let side = if work(FROM_SOURCE) <= work(FROM_TARGET) { FROM_SOURCE } else { FROM_TARGET };
            if self.frontier[side].is_empty() {
                return; // no path (possible in directed graphs)
            }
            self.expand(graph, side);
        }
        self.pick_path(graph, rng, s, t);
    }

    /// Expands one whole level of `side`, recording every arc that meets the other ball.
    fn expand(&mut self, graph: &Graph, side: usize) {
        let own = self.side_stamp(side);
        let other = self.side_stamp(1 - side);
        let mut frontier = std::mem::take(&mut self.frontier[side]);
        self.next.clear();
        for &x in &frontier {
            let next_dist = self.dist[x as usize] + 1;
            let neighbours = if side == FROM_SOURCE { graph.out_neighbors(x) } else { graph.in_neighbors(x) };
            for &y in neighbours {
                let stamp = self.stamp[y as usize];
                if stamp == other {
                    self.contacts.push(if side == FROM_SOURCE { (x, y) } else { (y, x) });
                } else if stamp != own {
                    self.visit(y, side, next_dist, self.sigma[x as usize]);
                    self.next.push(y);
                } else if self.dist[y as usize] == next_dist {
                    self.sigma[y as usize] += self.sigma[x as usize];
                }
            }
        }
        frontier.clear();
        std::mem::swap(&mut frontier, &mut self.next);
        self.frontier[side] = frontier;
    }

    /// Chooses a contact arc in proportion to the paths through it, then
    /// walks back to both ends choosing predecessors in proportion to their
    /// path counts: a uniformly random shortest path.
    fn pick_path(&mut self, graph: &Graph, rng: &mut SplitMix64, s: u32, t: u32) {
        let weight = |&(x, y): &(u32, u32)| self.sigma[x as usize] * self.sigma[y as usize];
        let total: f64 = self.contacts.iter().map(weight).sum();
        let mut goal = rng.unit() * total;
        let mut chosen = *self.contacts.last().expect("a contact exists");
        for contact in &self.contacts {
            goal -= weight(contact);
            if goal < 0.0 {
                chosen = *contact;
                break;
            }
        }
        let (x, y) = chosen;
        self.walk(graph, rng, x, s, FROM_SOURCE);
        self.walk(graph, rng, y, t, FROM_TARGET);
    }

    /// Counts `start` and the nodes on a random shortest path from it back to `end`.
    fn walk(&mut self, graph: &Graph, rng: &mut SplitMix64, start: u32, end: u32, side: usize) {
        let own = self.side_stamp(side);
        let mut v = start;
        while v != end {
            if self.counts[v as usize] == 0 {
                self.touched.push(v);
            }
            self.counts[v as usize] += 1;
            // Predecessors towards the end: in-neighbours on the source side, out-neighbours on the target side.
            let back = if side == FROM_SOURCE { graph.in_neighbors(v) } else { graph.out_neighbors(v) };
            let want = self.dist[v as usize] - 1;
            let mut goal = rng.unit() * self.sigma[v as usize];
            let mut chosen = None;
            for &u in back {
                if self.stamp[u as usize] == own && self.dist[u as usize] == want {
                    chosen = Some(u);
                    goal -= self.sigma[u as usize];
                    if goal < 0.0 {
                        break;
                    }
                }
            }
            v = chosen.expect("a node at distance d > 0 has a predecessor at d - 1");
        }
    }
}
