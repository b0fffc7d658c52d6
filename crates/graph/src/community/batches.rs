//! Sweeps of local moving by batches: parallel, and the same partition at
//! any thread count.
//!
//! 1. The nodes are cut into batches of 1,024 consecutive nodes (a
//!    constant: not the thread count).
//! 2. Threads gather, for each due node of a batch, the weight from the
//!    node to each neighbouring community (one random read per arc and a
//!    per-thread dense table: the expensive part), and choose on the state
//!    at the batch start. They also note the node's neighbours later in the
//!    batch.
//! 3. One thread commits the batch in order. A node whose neighbour moved
//!    earlier in the batch sees stale weights: it gathers again and
//!    chooses on the current state, as the sequential algorithm would.
//!    Any other node moves to its choice if that still gains over staying
//!    on the current community totals (nodes that moved since may have
//!    changed them); otherwise it stays, and is due again only if a
//!    neighbour moves.
//! 4. Threads mark as due the neighbours of the nodes that moved (all of
//!    them, so a neighbour visited as stale later in the batch is visited
//!    again in the next sweep).
//!
//! Every move thus raises the objective, as in the sequential algorithm;
//! the difference is that a node does not see a change of the community
//! totals within its batch when choosing. On the reference graphs the
//! partitions reach the sequential algorithm's modularity (tests).

use std::sync::atomic::Ordering::Relaxed;

use rayon::prelude::*;

use super::level::PerThread;
use super::moving::{Ahead, State};

/// Nodes per parallel task.
const TASK_NODES: usize = 64;
/// Tasks per batch. Larger batches mean fewer synchronisations but more
/// nodes whose neighbour moved earlier in the batch (gathered twice).
const BATCH_TASKS: usize = 16;
const BATCH: usize = TASK_NODES * BATCH_TASKS;
/// What threads gathered for the nodes of one task.
#[derive(Default)]
struct Gathered {
    /// The weights of the node being gathered (a reused buffer).
    pairs: Vec<(u32, f64)>,
    /// Per node of the task: its choice made ahead, `None` if not due.
    ahead: Vec<Option<Ahead>>,
    later: Vec<u32>,
    /// Per node of the task: its range in `later`.
    later_spans: Vec<(u32, u32)>,
}

/// The machinery of parallel sweeps, kept across the sweeps of a level.
pub(super) struct Batches {
    tasks: Vec<Gathered>,
    scratch: PerThread<Vec<u32>>,
    /// Per node of the current batch: a neighbour earlier in it moved.
    stale: Vec<bool>,
    /// Nodes that moved in the current batch.
    moved: Vec<u32>,
    /// Buffers of the committing thread.
    own: Vec<(u32, f64)>,
    pos: Vec<u32>,
}

impl Batches {
    pub(super) fn new() -> Batches {
        Batches {
            tasks: (0..BATCH_TASKS).map(|_| Gathered::default()).collect(),
            scratch: PerThread::new(),
            stale: vec![false; BATCH],
            moved: Vec::new(),
            own: Vec::new(),
            pos: Vec::new(),
        }
    }

    /// One sweep; returns the moves.
    pub(super) fn sweep(&mut self, state: &mut State<'_>) -> usize {
        let mut moves = 0;
        let n = state.level.len();
        for start in (0..n).step_by(BATCH) {
            let end = (start + BATCH).min(n);
            if !state.objective.reads_totals() && rayon::current_num_threads() == 1 {
                // Labels: with no neighbour moved, the choice made ahead is
                // the one the current state gives (no totals to go stale),
                // and it always still gains. On one thread, choosing at the
                // commit is the same partition without the second gathering.
                moves += self.commit(state, start..end, false);
                mark_due(state, &self.moved);
                continue;
            }
            let scratch = &self.scratch;
            let shared: &State<'_> = state;
            // The last batch may leave tasks with no nodes.
            let work = |(t, task): (usize, &mut Gathered)| {
                let first = (start + t * TASK_NODES).min(end);
                let nodes = first..(first + TASK_NODES).min(end);
                scratch.with(|pos| gather_ahead(shared, nodes, end, task, pos));
            };
            if rayon::current_num_threads() > 1 {
                self.tasks.par_iter_mut().enumerate().for_each(work);
            } else {
                self.tasks.iter_mut().enumerate().for_each(work);
            }
            moves += self.commit(state, start..end, true);
            mark_due(state, &self.moved);
        }
        moves
    }

    /// Commits a batch in order; `ahead`: whether the tasks hold the
    /// choices made ahead (otherwise every node chooses now).
    fn commit(&mut self, state: &mut State<'_>, nodes: std::ops::Range<usize>, ahead: bool) -> usize {
        self.moved.clear();
        let (start, end) = (nodes.start, nodes.end);
        self.stale[..nodes.len()].fill(false);
        for (i, u) in nodes.enumerate() {
            let stale = self.stale[i];
            if !stale && !state.due[u].load(Relaxed) {
                continue;
            }
            state.due[u].store(false, Relaxed);
            let task = &self.tasks[i / TASK_NODES];
            let made = if ahead { task.ahead[i % TASK_NODES] } else { None };
            let choice = match made {
                Some(ahead) if !stale => {
                    if state.still_gains(u, ahead) {
                        ahead
                    } else {
                        Ahead { target: state.community[u], ..ahead }
                    }
                }
                _ => {
                    self.own.clear();
                    state.gather(u, &mut self.pos, &mut self.own);
                    state.choose(u, &self.own)
                }
            };
            if choice.target != state.community[u] {
                state.move_node(u, choice);
                self.moved.push(u as u32);
                // Neighbours later in the batch now see stale weights: those
                // of a node gathered ahead were listed then; a node that
                // was not due at the batch start (or on one thread) has
                // its list read now.
                if ahead && task.ahead[i % TASK_NODES].is_some() {
                    let (from, to) = task.later_spans[i % TASK_NODES];
                    for &x in &task.later[from as usize..to as usize] {
                        self.stale[x as usize - start] = true;
                    }
                } else {
                    for x in later_in_batch(state, u, end) {
                        self.stale[x as usize - start] = true;
                    }
                }
            }
        }
        self.moved.len()
    }
}

/// The neighbours of `u` after it in its batch, which ends before `end`.
fn later_in_batch<'a>(state: &'a State<'_>, u: usize, end: usize) -> impl Iterator<Item = u32> + 'a {
    state.level.neighbors(u).iter().copied().filter(move |&x| x as usize > u && (x as usize) < end)
}

/// Gathers and chooses ahead for the due nodes of a task; `batch_end` is
/// the node after the batch.
fn gather_ahead(
    state: &State<'_>,
    nodes: std::ops::Range<usize>,
    batch_end: usize,
    task: &mut Gathered,
    pos: &mut Vec<u32>,
) {
    task.ahead.clear();
    task.later.clear();
    task.later_spans.clear();
    for u in nodes {
        let later_start = task.later.len() as u32;
        if state.due[u].load(Relaxed) {
            task.pairs.clear();
            state.gather(u, pos, &mut task.pairs);
            task.ahead.push(Some(state.choose(u, &task.pairs)));
            task.later.extend(later_in_batch(state, u, batch_end));
        } else {
            task.ahead.push(None);
        }
        task.later_spans.push((later_start, task.later.len() as u32));
    }
}

/// Marks due the neighbours of `moved`. Parallel; every write stores
/// `true`. Neighbours later in the same batch were visited after the move
/// (as stale nodes) and need no visit; they get one in the next sweep all
/// the same: telling them apart costs a random read per arc, and the extra
/// visits are few (the same at any thread count).
fn mark_due(state: &State<'_>, moved: &[u32]) {
    let mark = |&v: &u32| state.wake_neighbors(v as usize);
    if moved.len() < 64 {
        moved.iter().for_each(mark);
    } else {
        moved.par_iter().with_min_len(16).for_each(mark);
    }
}
