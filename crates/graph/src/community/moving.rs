//! Local moving, in parallel and deterministic: ordered commits.
//!
//! Nodes are visited in a seeded order, in sweeps, until a sweep moves
//! nobody. The result is defined by the sequential algorithm: each node in
//! turn joins the neighbouring community that improves the objective most,
//! and only nodes whose neighbourhood changed since their last visit are
//! visited again (pruning). The parallel version computes exactly that
//! result, at any thread count:
//!
//! 1. the order is cut into batches of consecutive nodes;
//! 2. for each node of a batch, threads gather ahead the weight from the
//!    node to each neighbouring community (the expensive part: one random
//!    read per arc and a per-thread dense table);
//! 3. one thread then commits the batch in order. A node picks its
//!    community from the gathered weights and the *current* community
//!    totals; if a neighbour moved earlier in the same batch, its weights
//!    are stale and it gathers them again itself.
//!
//! Every node thus decides on the same numbers, summed in the same order, as
//! in the sequential algorithm; batch size and thread count change the
//! speed only. Small levels, and sweeps after one that moved few nodes, run
//! the sequential algorithm directly.

use rayon::prelude::*;

use super::MIN_GAIN;
use super::level::{Level, PerThread};

/// Nodes per parallel task.
const TASK_NODES: usize = 64;
/// Tasks per batch. Larger batches mean fewer synchronisations but more
/// nodes whose neighbour moved earlier in the batch (gathered twice).
const BATCH_TASKS: usize = 16;
/// Sweeps go sequential after a sweep that moved fewer than one node in
/// this many.
const SEQUENTIAL_SHARE: usize = 16;
/// No entry (in position tables) / not gathered (in task spans).
const NONE: u32 = u32::MAX;
/// A choice: a community no node belongs to.
const EMPTY: u32 = u32::MAX;

/// What the moves optimise.
#[derive(Clone, Copy, Debug)]
pub(super) enum Objective {
    /// Modularity at a resolution (Louvain, Leiden). A node may also leave
    /// for an empty community of its own.
    Modularity { resolution: f64 },
    /// The label carrying most weight among the neighbours (label
    /// propagation); ties keep the current label, then the first met.
    Labels,
}

/// The outcome of local moving.
pub(super) struct Moved {
    /// Community of each node: ids below the node count.
    pub community: Vec<u32>,
    /// Number of moves made.
    pub moves: usize,
    /// Sweeps over the nodes, the last one included.
    pub sweeps: usize,
    /// Whether a sweep ended with no move (rather than the sweep limit).
    pub converged: bool,
}

/// Moves nodes of `level` from the partition `initial`, visiting them in
/// `order`, for at most `max_sweeps` sweeps.
pub(super) fn local_moving(
    level: &Level,
    initial: Vec<u32>,
    objective: Objective,
    order: &[u32],
    max_sweeps: usize,
) -> Moved {
    let mut state = State::new(level, initial, objective);
    if let Objective::Modularity { .. } = objective
        && state.total <= 0.0
    {
        return Moved { community: state.community, moves: 0, sweeps: 0, converged: true };
    }
    let parallel_level = level.parallel();
    let mut parallel = parallel_level;
    let mut tasks: Vec<Gathered> = (0..BATCH_TASKS).map(|_| Gathered::default()).collect();
    let scratch: PerThread<Vec<u32>> = PerThread::new();
    let mut own = Gathered::default();
    let mut moves = 0;
    for sweep in 1..=max_sweeps {
        let mut sweep_moves = 0;
        let batch = if parallel { TASK_NODES * BATCH_TASKS } else { order.len().max(1) };
        for nodes in order.chunks(batch) {
            let batch_start = state.tick;
            let ahead = parallel.then(|| {
                tasks.par_iter_mut().zip(nodes.par_chunks(TASK_NODES)).for_each(|(task, chunk)| {
                    scratch.with(|pos| state.gather_ahead(chunk, task, pos));
                });
                &tasks[..]
            });
            sweep_moves += state.commit(nodes, ahead, batch_start, &mut own);
        }
        moves += sweep_moves;
        // Once few nodes move, few are due: gathering ahead costs more in
        // synchronisation than it saves.
        parallel = parallel_level && sweep_moves * SEQUENTIAL_SHARE >= level.len();
        if sweep_moves == 0 {
            return Moved { community: state.community, moves, sweeps: sweep, converged: true };
        }
    }
    Moved { community: state.community, moves, sweeps: max_sweeps, converged: false }
}

/// Neighbouring communities and link weights of a task's nodes.
#[derive(Default)]
struct Gathered {
    pairs: Vec<(u32, f64)>,
    /// Per node of the task: its range in `pairs`, or `(NONE, NONE)` when
    /// the node was not due for a visit.
    spans: Vec<(u32, u32)>,
    /// Position of each community in the pairs being gathered (`NONE`
    /// outside a gather); used by the committing thread only.
    pos: Vec<u32>,
}

struct State<'a> {
    level: &'a Level,
    objective: Objective,
    community: Vec<u32>,
    size: Vec<u32>,
    /// Communities with no member, for nodes that leave for one.
    free: Vec<u32>,
    strength: Vec<f64>,
    community_strength: Vec<f64>,
    total: f64,
    /// Tick of the last move of a neighbour of each node.
    mark: Vec<u64>,
    /// Tick of the last visit of each node.
    visited: Vec<u64>,
    /// Counts visits: every visit gets a new tick.
    tick: u64,
}

impl<'a> State<'a> {
    fn new(level: &'a Level, community: Vec<u32>, objective: Objective) -> State<'a> {
        let n = level.len();
        let mut size = vec![0u32; n];
        for &c in &community {
            size[c as usize] += 1;
        }
        let free = (0..n as u32).rev().filter(|&c| size[c as usize] == 0).collect();
        let (strength, community_strength, total) = match objective {
            Objective::Modularity { .. } => {
                let strength = level.strengths();
                let mut community_strength = vec![0.0; n];
                for (u, &c) in community.iter().enumerate() {
                    community_strength[c as usize] += strength[u];
                }
                let total = strength.iter().sum();
                (strength, community_strength, total)
            }
            Objective::Labels => (Vec::new(), Vec::new(), 0.0),
        };
        // Every node is due for a first visit: mark 1 is after visit 0.
        State {
            level,
            objective,
            community,
            size,
            free,
            strength,
            community_strength,
            total,
            mark: vec![1; n],
            visited: vec![0; n],
            tick: 1,
        }
    }

    fn due(&self, u: usize) -> bool {
        self.mark[u] > self.visited[u]
    }

    /// Appends to `pairs` each community next to `u` with the weight of
    /// `u`'s edges into it, in order of first appearance in `u`'s list.
    fn gather(&self, u: usize, pos: &mut Vec<u32>, pairs: &mut Vec<(u32, f64)>) {
        if pos.len() < self.level.len() {
            pos.resize(self.level.len(), NONE);
        }
        let start = pairs.len();
        for (v, w) in self.level.arcs(u) {
            let c = self.community[v];
            match pos[c as usize] {
                NONE => {
                    pos[c as usize] = (pairs.len() - start) as u32;
                    pairs.push((c, w));
                }
                p => pairs[start + p as usize].1 += w,
            }
        }
        for &(c, _) in &pairs[start..] {
            pos[c as usize] = NONE;
        }
    }

    fn gather_ahead(&self, nodes: &[u32], task: &mut Gathered, pos: &mut Vec<u32>) {
        task.pairs.clear();
        task.spans.clear();
        for &u in nodes {
            if self.due(u as usize) {
                let start = task.pairs.len() as u32;
                self.gather(u as usize, pos, &mut task.pairs);
                task.spans.push((start, task.pairs.len() as u32));
            } else {
                task.spans.push((NONE, NONE));
            }
        }
    }

    /// Visits the due nodes of a batch in order; returns the moves made.
    fn commit(&mut self, nodes: &[u32], ahead: Option<&[Gathered]>, batch_start: u64, own: &mut Gathered) -> usize {
        let mut moves = 0;
        for (i, &u) in nodes.iter().enumerate() {
            let u = u as usize;
            if !self.due(u) {
                continue;
            }
            self.tick += 1;
            self.visited[u] = self.tick;
            let gathered = ahead.map(|tasks| (&tasks[i / TASK_NODES], tasks[i / TASK_NODES].spans[i % TASK_NODES]));
            let candidates = match gathered {
                // Gathered ahead, and no neighbour moved since.
                Some((task, (start, end))) if start != NONE && self.mark[u] <= batch_start => {
                    &task.pairs[start as usize..end as usize]
                }
                _ => {
                    let mut pairs = std::mem::take(&mut own.pairs);
                    pairs.clear();
                    self.gather(u, &mut own.pos, &mut pairs);
                    own.pairs = pairs;
                    &own.pairs[..]
                }
            };
            let target = self.choose(u, candidates);
            if target != self.community[u] {
                self.move_node(u, target);
                moves += 1;
                for &x in self.level.neighbors(u) {
                    self.mark[x as usize] = self.tick;
                }
            }
        }
        moves
    }

    /// The community `u` should belong to, or [`EMPTY`].
    fn choose(&self, u: usize, candidates: &[(u32, f64)]) -> u32 {
        let own = self.community[u];
        let own_link = candidates.iter().find(|&&(c, _)| c == own).map_or(0.0, |&(_, w)| w);
        match self.objective {
            Objective::Modularity { resolution } => {
                let k = self.strength[u];
                let margin = MIN_GAIN * k;
                // Gain of joining c, up to a positive factor: w_uc - γ Σ_c k_u / 2m,
                // with u taken out of its own community first.
                let scale = resolution * k / self.total;
                let mut best = own;
                let mut best_gain = own_link - scale * (self.community_strength[own as usize] - k);
                for &(c, w) in candidates {
                    let gain = w - scale * self.community_strength[c as usize];
                    // Strictly better only: ties keep the first candidate met.
                    if c != own && gain > best_gain + margin {
                        best = c;
                        best_gain = gain;
                    }
                }
                if 0.0 > best_gain + margin && !self.free.is_empty() { EMPTY } else { best }
            }
            Objective::Labels => {
                let mut best = own;
                let mut best_weight = own_link;
                for &(c, w) in candidates {
                    if w > best_weight {
                        best = c;
                        best_weight = w;
                    }
                }
                best
            }
        }
    }

    fn move_node(&mut self, u: usize, target: u32) {
        let old = self.community[u] as usize;
        let new = if target == EMPTY { self.free.pop().expect("a free community") } else { target } as usize;
        self.size[old] -= 1;
        self.size[new] += 1;
        if self.size[old] == 0 {
            self.free.push(old as u32);
        }
        if let Objective::Modularity { .. } = self.objective {
            self.community_strength[old] -= self.strength[u];
            self.community_strength[new] += self.strength[u];
        }
        self.community[u] = new as u32;
    }
}
