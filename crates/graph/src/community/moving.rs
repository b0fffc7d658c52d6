//! Local moving, in parallel and deterministic.
//!
//! Nodes are visited in index order (a seeded random order: see the `level`
//! module), in sweeps, until a sweep moves nobody: each node in turn joins
//! the neighbouring community that improves the objective most, and only
//! nodes whose neighbourhood changed since their last visit are visited
//! again (pruning). Levels under [`PARALLEL_NODES`] nodes, and sweeps after
//! one that moved few nodes, run this sequential algorithm. Sweeps of larger
//! levels run in parallel: by batches with ordered commits under modularity
//! (module `batches`), by synchronous blocks under labels (module
//! `labels`). Which runs depends on the graph only, never on the thread
//! count.

use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

use super::MIN_GAIN;
use super::batches::Batches;
use super::labels::Blocks;
use super::level::{Level, PARALLEL_NODES};
use crate::rng::SplitMix64;

/// Sweeps go sequential after a sweep that moved fewer than one node in
/// this many.
const SEQUENTIAL_SHARE: usize = 16;
/// Nodes of at most this many neighbours find their communities among
/// those met so far by a scan, not through the position table.
const SCAN_DEGREE: usize = 16;
/// No entry (in position tables).
pub(super) const NONE: u32 = u32::MAX;
/// A choice: a community no node belongs to.
pub(super) const EMPTY: u32 = u32::MAX;

/// What the moves optimise.
#[derive(Clone, Copy, Debug)]
pub(super) enum Objective {
    /// Modularity at a resolution (Louvain, Leiden). A node may also leave
    /// for an empty community of its own.
    Modularity { resolution: f64 },
    /// The label carrying most weight among the neighbours (label
    /// propagation); ties keep the current label, then go by a
    /// pseudo-random order per node (`preferences`).
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

/// Moves nodes of `level` from the partition `initial`, for at most
/// `max_sweeps` sweeps.
pub(super) fn local_moving(level: &Level, initial: Vec<u32>, objective: Objective, max_sweeps: usize) -> Moved {
    moving(level, initial, objective, max_sweeps, level.len() >= PARALLEL_NODES)
}

fn moving(level: &Level, initial: Vec<u32>, objective: Objective, max_sweeps: usize, batched: bool) -> Moved {
    let mut state = State::new(level, initial, objective);
    if let Objective::Modularity { .. } = objective
        && state.total <= 0.0
    {
        return Moved { community: state.community, moves: 0, sweeps: 0, converged: true };
    }
    let mut parallel = batched.then(|| match objective {
        Objective::Modularity { .. } => Parallel::Batches(Batches::new()),
        Objective::Labels => Parallel::Blocks(Blocks::new()),
    });
    let mut moves = 0;
    for sweep in 1..=max_sweeps {
        let sweep_moves = match parallel.as_mut() {
            Some(Parallel::Batches(batches)) => batches.sweep(&mut state),
            Some(Parallel::Blocks(blocks)) => blocks.sweep(&mut state),
            None => state.sweep(),
        };
        moves += sweep_moves;
        if sweep_moves == 0 {
            return Moved { community: state.community, moves, sweeps: sweep, converged: true };
        }
        // Once few nodes move, few are due: gathering ahead costs more in
        // synchronisation than it saves.
        if sweep_moves * SEQUENTIAL_SHARE < level.len() {
            parallel = None;
        }
    }
    Moved { community: state.community, moves, sweeps: max_sweeps, converged: false }
}

/// How large levels sweep in parallel.
enum Parallel {
    /// Under modularity: ordered commits.
    Batches(Batches),
    /// Under labels: synchronous blocks.
    Blocks(Blocks),
}

/// Sets a due flag. With other threads running, reads it first: a line
/// whose flags are set already stays shared instead of bouncing between
/// threads (hubs are woken by many). Alone, a store does not wait for its
/// line; the read did (a third of waking's samples at 1 thread).
pub(super) fn set_due(flag: &AtomicBool, alone: bool) {
    if alone || !flag.load(Relaxed) {
        flag.store(true, Relaxed);
    }
}

/// Label propagation's tie-break: how much node `u` prefers each label to
/// other labels of equal weight, lowest first. Raghavan, Albert & Kumara
/// break ties at random; this is a fixed pseudo-random order of the labels
/// per node (a seeded xor, then a multiplication by an odd constant, which
/// scrambles the high bits), the same in every sweep and at any thread
/// count. Node ids and labels are those of a level numbered in a seeded
/// order, so the orders change with the seed. Taking the label met first
/// instead made ties follow the order of the graph's lists, which is the
/// order of its ids. On the preferential-attachment benchmark graph,
/// numbered oldest (hub) first, three sweeps then moved most nodes instead
/// of one (25-30 % more time at 1 thread), and over the 36 graphs of the
/// quality test the mean modularity was 0.317 instead of 0.335.
fn preferences(u: usize) -> impl Fn(u32) -> u64 {
    let salt = SplitMix64::new(u as u64).next_u64();
    move |c| (u64::from(c) ^ salt).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// A node's choice made ahead, on the state at the batch start, with the
/// weights from the node to the chosen community and to its own.
#[derive(Clone, Copy, Debug)]
pub(super) struct Ahead {
    pub target: u32,
    pub target_link: f64,
    pub own_link: f64,
}

pub(super) struct State<'a> {
    pub level: &'a Level,
    pub objective: Objective,
    pub community: Vec<u32>,
    size: Vec<u32>,
    /// Communities with no member, for nodes that leave for one.
    free: Vec<u32>,
    pub strength: Vec<f64>,
    community_strength: Vec<f64>,
    total: f64,
    /// Whether a neighbour moved since the node's last visit.
    pub due: Vec<AtomicBool>,
    /// The sequential sweep's buffers.
    pos: Vec<u32>,
    pairs: Vec<(u32, f64)>,
}

impl<'a> State<'a> {
    fn new(level: &'a Level, community: Vec<u32>, objective: Objective) -> State<'a> {
        let n = level.len();
        let (size, free, strength, community_strength, total) = match objective {
            Objective::Modularity { .. } => {
                let mut size = vec![0u32; n];
                for &c in &community {
                    size[c as usize] += 1;
                }
                let free = (0..n as u32).rev().filter(|&c| size[c as usize] == 0).collect();
                let strength = level.strengths().to_vec();
                let mut community_strength = vec![0.0; n];
                for (u, &c) in community.iter().enumerate() {
                    community_strength[c as usize] += strength[u];
                }
                let total = strength.iter().sum();
                (size, free, strength, community_strength, total)
            }
            Objective::Labels => (Vec::new(), Vec::new(), Vec::new(), Vec::new(), 0.0),
        };
        State {
            level,
            objective,
            community,
            size,
            free,
            strength,
            community_strength,
            total,
            due: (0..n).map(|_| AtomicBool::new(true)).collect(),
            pos: Vec::new(),
            pairs: Vec::new(),
        }
    }

    /// The sequential algorithm: one sweep; returns the moves.
    fn sweep(&mut self) -> usize {
        let mut moves = 0;
        let (mut pos, mut pairs) = (std::mem::take(&mut self.pos), std::mem::take(&mut self.pairs));
        for u in 0..self.level.len() {
            if !self.due[u].load(Relaxed) {
                continue;
            }
            self.due[u].store(false, Relaxed);
            pairs.clear();
            self.gather(u, &mut pos, &mut pairs);
            let choice = self.choose(u, &pairs);
            if choice.target != self.community[u] {
                self.move_node(u, choice.target);
                moves += 1;
                self.wake_neighbors(u, true);
            }
        }
        (self.pos, self.pairs) = (pos, pairs);
        moves
    }

    /// Marks due the neighbours of `u`, which just moved (see
    /// [`State::may_change`]); `alone`: no other thread runs (see
    /// [`set_due`]).
    pub(super) fn wake_neighbors(&self, u: usize, alone: bool) {
        let joined = self.community[u];
        for &x in self.level.neighbors(u) {
            if self.may_change(x as usize, joined) {
                set_due(&self.due[x as usize], alone);
            }
        }
    }

    /// Whether `x` may choose otherwise now that a neighbour joined
    /// `joined`. Under labels, only if its label is another: a node whose
    /// own label gained weight keeps it (weights are not negative:
    /// `check`), so a node that is not due keeps its label if visited.
    /// Under modularity, always (Louvain's rule; the Leiden paper's queue
    /// skips the neighbours in the community joined, which measured no
    /// faster here and lost modularity on small graphs).
    fn may_change(&self, x: usize, joined: u32) -> bool {
        matches!(self.objective, Objective::Modularity { .. }) || self.community[x] != joined
    }

    /// Appends to `pairs` each community next to `u` with the weight of
    /// `u`'s edges into it, in order of first appearance in `u`'s list.
    pub(super) fn gather(&self, u: usize, pos: &mut Vec<u32>, pairs: &mut Vec<(u32, f64)>) {
        let start = pairs.len();
        let (neighbors, weights) = self.level.adjacency(u);
        if neighbors.len() <= SCAN_DEGREE {
            // A few communities at most: scanning them is cheaper than a
            // random access to the position table. Same pairs, same sums.
            for (&v, &w) in neighbors.iter().zip(weights) {
                let c = self.community[v as usize];
                match pairs[start..].iter_mut().find(|(d, _)| *d == c) {
                    Some(pair) => pair.1 += w,
                    None => pairs.push((c, w)),
                }
            }
            return;
        }
        if pos.len() < self.level.len() {
            pos.resize(self.level.len(), NONE);
        }
        for (&v, &w) in neighbors.iter().zip(weights) {
            let c = self.community[v as usize];
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

    /// The community `u` should belong to, or [`EMPTY`], with the weights
    /// from `u` to it and to its own community.
    pub(super) fn choose(&self, u: usize, candidates: &[(u32, f64)]) -> Ahead {
        let own = self.community[u];
        let own_link = candidates.iter().find(|&&(c, _)| c == own).map_or(0.0, |&(_, w)| w);
        let (mut best, mut best_link) = (own, own_link);
        match self.objective {
            Objective::Modularity { resolution } => {
                let (k, margin) = (self.strength[u], MIN_GAIN * self.strength[u]);
                let scale = resolution * k / self.total;
                let mut best_gain = self.gain(u, own, own_link);
                for &(c, w) in candidates {
                    let gain = w - scale * self.community_strength[c as usize];
                    // Strictly better only: ties keep the first candidate met.
                    if c != own && gain > best_gain + margin {
                        (best, best_link, best_gain) = (c, w, gain);
                    }
                }
                if 0.0 > best_gain + margin && !self.free.is_empty() && k > 0.0 {
                    (best, best_link) = (EMPTY, 0.0);
                }
            }
            Objective::Labels => {
                let preference = preferences(u);
                let mut best_rank = u64::MAX;
                for &(c, w) in candidates {
                    if w > best_link || (w == best_link && best != own && preference(c) < best_rank) {
                        (best, best_link, best_rank) = (c, w, preference(c));
                    }
                }
            }
        }
        Ahead { target: best, target_link: best_link, own_link }
    }

    /// Under modularity, the community `u` chooses now, if `candidates`,
    /// its weights gathered before neighbours joined by edges of total
    /// weight `shifted` moved, settle it; `None` otherwise. Each weight has
    /// since changed by at most `shifted`, and a community the moves
    /// brought in weighs at most that much (its gain is at most
    /// `shifted`): a choice ahead of every other gain, and of 0, by more
    /// than twice that, the gain margin and some rounding, is the one
    /// [`State::choose`] makes on weights gathered now, and it cannot be
    /// an empty community. The totals are the current ones.
    pub(super) fn settled(&self, u: usize, candidates: &[(u32, f64)], shifted: f64) -> Option<u32> {
        let Objective::Modularity { resolution } = self.objective else { return None };
        let (own, k) = (self.community[u], self.strength[u]);
        let own_link = candidates.iter().find(|&&(c, _)| c == own).map_or(0.0, |&(_, w)| w);
        let (mut best, mut best_gain, mut runner_up) = (own, self.gain(u, own, own_link), 0.0f64);
        for &(c, w) in candidates.iter().filter(|&&(c, _)| c != own) {
            let gain = self.gain(u, c, w);
            if gain > best_gain {
                runner_up = runner_up.max(best_gain);
                (best, best_gain) = (c, gain);
            } else {
                runner_up = runner_up.max(gain);
            }
        }
        let slack = 2.0 * shifted + MIN_GAIN * k + 1e-9 * k * (1.0 + resolution);
        (best_gain - runner_up > slack).then_some(best)
    }

    /// Gain of `u` joining `c` (`u` taken out of its own community first),
    /// up to a positive factor: `w_uc − γ Σ_c k_u / 2m`; 0 for [`EMPTY`].
    fn gain(&self, u: usize, c: u32, link: f64) -> f64 {
        let Objective::Modularity { resolution } = self.objective else { return link };
        if c == EMPTY {
            return 0.0;
        }
        let k = self.strength[u];
        let scale = resolution * k / self.total;
        if c == self.community[u] {
            link - scale * (self.community_strength[c as usize] - k)
        } else {
            link - scale * self.community_strength[c as usize]
        }
    }

    /// Under modularity, whether a choice made ahead still gains over
    /// staying, on the current totals (the weights are those gathered
    /// ahead).
    pub(super) fn still_gains(&self, u: usize, ahead: Ahead) -> bool {
        let own = self.community[u];
        if ahead.target == own {
            return false;
        }
        if ahead.target == EMPTY && self.free.is_empty() {
            return false;
        }
        let margin = MIN_GAIN * self.strength[u];
        self.gain(u, ahead.target, ahead.target_link) > self.gain(u, own, ahead.own_link) + margin
    }

    /// Moves `u` to the community `target` ([`EMPTY`]: one with no member).
    pub(super) fn move_node(&mut self, u: usize, target: u32) {
        let old = self.community[u] as usize;
        if let Objective::Modularity { .. } = self.objective {
            let new = if target == EMPTY { self.free.pop().expect("a free community") } else { target } as usize;
            self.size[old] -= 1;
            self.size[new] += 1;
            if self.size[old] == 0 {
                self.free.push(old as u32);
            }
            self.community_strength[old] -= self.strength[u];
            self.community_strength[new] += self.strength[u];
            self.community[u] = new as u32;
        } else {
            // Labels never choose an empty community: no sizes to keep.
            self.community[u] = target;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csr::{Direction, Graph};
    use crate::rng::SplitMix64;

    /// Batches decide on the batch-start state: on a large graph they must
    /// reach what the sequential algorithm reaches.
    #[test]
    fn batches_reach_the_sequential_modularity() {
        let g = Graph::ring_with_chords(60_000, 240_000, 17, Direction::Undirected);
        let level = Level::shuffled(&g, &mut SplitMix64::new(5)).level;
        let singletons = || (0..level.len() as u32).collect::<Vec<u32>>();
        let objective = Objective::Modularity { resolution: 1.0 };
        let sequential = moving(&level, singletons(), objective, 1000, false);
        let batched = moving(&level, singletons(), objective, 1000, true);
        let (q_seq, q_batch) =
            (level.modularity(&sequential.community, 1.0), level.modularity(&batched.community, 1.0));
        eprintln!("modularity after one level: sequential {q_seq:.4}, batches {q_batch:.4}");
        assert!(q_batch >= q_seq - 0.002, "batches {q_batch} vs sequential {q_seq}");
        assert!(batched.converged && q_seq > 0.1);
        let labels = moving(&level, singletons(), Objective::Labels, 100, true);
        let sequential_labels = moving(&level, singletons(), Objective::Labels, 100, false);
        let (l_batch, l_seq) =
            (level.modularity(&labels.community, 1.0), level.modularity(&sequential_labels.community, 1.0));
        assert!(l_batch >= l_seq - 0.01, "label propagation: batches {l_batch} vs sequential {l_seq}");
    }

    /// `n` nodes in groups of `size`, each node with 6 random links in its
    /// group and 2 anywhere: communities to find, over several sweeps.
    /// Weighted: each link weighs 0.5 to 2.5 instead of 1. With hubs, the
    /// links anywhere favour small ids (a density of about `1/sqrt(v)`):
    /// hubs with neighbours in every batch.
    fn planted(n: u32, size: u32, seed: u64, weighted: bool, hubs: bool) -> Graph {
        let mut rng = SplitMix64::new(seed);
        let (mut s, mut t, mut w) = (Vec::new(), Vec::new(), Vec::new());
        for u in 0..n {
            let group = u / size * size;
            for link in 0..8 {
                let anywhere = rng.below(u64::from(n));
                let anywhere = if hubs { anywhere * anywhere / u64::from(n) } else { anywhere } as u32;
                let v = if link < 6 { group + rng.below(u64::from(size)) as u32 } else { anywhere };
                s.push(u);
                t.push(v.min(n - 1));
                w.push(if weighted { 0.5 + 2.0 * rng.unit() } else { 1.0 });
            }
        }
        Graph::from_edges(n as usize, &s, &t, &w, Direction::Undirected).unwrap()
    }

    /// Label propagation by synchronous blocks, weighted or not, with hubs
    /// or without: the same moves and partition on one, two and three
    /// threads, and, at convergence, every node carries a label of most
    /// weight among its neighbours' (a missed wake would leave some node
    /// behind), as with the sequential algorithm.
    #[test]
    fn label_blocks_converge_alike_at_any_thread_count() {
        for seed in 0..4 {
            let g = planted(40_000, 50 + 50 * seed as u32, seed, seed % 2 == 1, seed >= 2);
            let level = Level::shuffled(&g, &mut SplitMix64::new(seed)).level;
            let singletons = || (0..level.len() as u32).collect::<Vec<u32>>();
            let run = |threads: usize, batched: bool| {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                pool.install(|| moving(&level, singletons(), Objective::Labels, 100, batched))
            };
            let blocks = run(1, true);
            assert!(blocks.converged && blocks.sweeps > 2, "seed {seed}: {} sweeps", blocks.sweeps);
            let outcome = |moved: &Moved| (moved.community.clone(), moved.moves, moved.sweeps);
            for threads in [2, 3] {
                assert_eq!(outcome(&run(threads, true)), outcome(&blocks), "seed {seed}: {threads} threads");
            }
            let sequential = run(1, false);
            assert_ne!(sequential.community, blocks.community, "seed {seed}: blocks not used");
            for (what, labels) in [("blocks", &blocks.community), ("sequential", &sequential.community)] {
                assert_eq!(labels_behind(&level, labels), 0, "seed {seed}: {what}");
            }
        }
    }

    /// Ties between labels other than the node's own do not depend on the
    /// order the labels were met in, and are not one global order: over
    /// many nodes, each of two tied labels wins about half the time. The
    /// node's own label wins its ties.
    #[test]
    fn label_ties_go_by_a_random_order_per_node() {
        let g = Graph::ring_with_chords(2_000, 4_000, 3, Direction::Undirected);
        let level = Level::shuffled(&g, &mut SplitMix64::new(1)).level;
        let state = State::new(&level, (0..level.len() as u32).collect(), Objective::Labels);
        let (a, b) = (5_000, 7_000);
        let mut first = 0;
        for u in 0..level.len() {
            let choice = state.choose(u, &[(a, 1.0), (b, 1.0)]).target;
            assert_eq!(choice, state.choose(u, &[(b, 1.0), (a, 1.0)]).target, "node {u}");
            first += usize::from(choice == a);
            let own = u as u32;
            assert_eq!(state.choose(u, &[(a, 1.0), (own, 1.0), (b, 1.0)]).target, own, "node {u}");
        }
        assert!((800..1_200).contains(&first), "label {a} won {first} of 2000 ties");
    }

    /// Nodes whose label carries less weight among their neighbours than
    /// another label does.
    fn labels_behind(level: &Level, labels: &[u32]) -> usize {
        let state = State::new(level, labels.to_vec(), Objective::Labels);
        let (mut pos, mut pairs) = (Vec::new(), Vec::new());
        (0..level.len())
            .filter(|&u| {
                pairs.clear();
                state.gather(u, &mut pos, &mut pairs);
                let own = pairs.iter().find(|&&(c, _)| c == labels[u]).map_or(0.0, |&(_, w)| w);
                pairs.iter().any(|&(_, w)| w > own)
            })
            .count()
    }

    /// A choice `settled` from weights gathered before some neighbours
    /// moved must be the one a fresh gathering makes.
    #[test]
    fn settled_choices_are_those_of_a_fresh_gathering() {
        let g = planted(20_000, 100, 7, true, false);
        let level = Level::shuffled(&g, &mut SplitMix64::new(7)).level;
        let objective = Objective::Modularity { resolution: 1.0 };
        let start = moving(&level, (0..level.len() as u32).collect(), objective, 2, false).community;
        let mut state = State::new(&level, start, objective);
        let mut rng = SplitMix64::new(11);
        let (mut pos, mut before, mut now) = (Vec::new(), Vec::new(), Vec::new());
        let (mut settled, mut checked) = (0, 0);
        for _ in 0..3_000 {
            let u = rng.below(level.len() as u64) as usize;
            before.clear();
            state.gather(u, &mut pos, &mut before);
            // Up to 3 neighbours join the community of one of their own
            // neighbours.
            let neighbors = level.neighbors(u).to_vec();
            let mut moved = Vec::new();
            for _ in 0..1 + rng.below(3) {
                let x = neighbors[rng.below(neighbors.len() as u64) as usize] as usize;
                let via = level.neighbors(x)[rng.below(level.neighbors(x).len() as u64) as usize];
                let target = state.community[via as usize];
                state.move_node(x, target);
                moved.push(x);
            }
            let shifted: f64 = level.arcs(u).filter(|(x, _)| moved.contains(x)).map(|(_, w)| w).sum();
            checked += 1;
            if let Some(target) = state.settled(u, &before, shifted) {
                settled += 1;
                now.clear();
                state.gather(u, &mut pos, &mut now);
                assert_eq!(state.choose(u, &now).target, target, "node {u}");
            }
        }
        assert!(settled * 4 > checked, "only {settled} of {checked} settled");
    }
}
