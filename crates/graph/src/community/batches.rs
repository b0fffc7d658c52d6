//! Sweeps of local moving by batches: parallel, and the same partition at
//! any thread count.
//!
//! 1. The order is cut into batches of 1,024 consecutive nodes (a constant:
//!    not the thread count).
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

use super::level::{Level, PerThread};
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
    /// Position of each node in the order.
    position: Vec<u32>,
    /// Per node of the current batch: a neighbour earlier in it moved.
    stale: Vec<bool>,
    /// Nodes that moved in the current batch.
    moved: Vec<u32>,
    /// Buffers of the committing thread.
    own: Vec<(u32, f64)>,
    pos: Vec<u32>,
}

impl Batches {
    pub(super) fn new(level: &Level, order: &[u32]) -> Batches {
        let mut position = vec![0u32; level.len()];
        for (i, &u) in order.iter().enumerate() {
            position[u as usize] = i as u32;
        }
        Batches {
            tasks: (0..BATCH_TASKS).map(|_| Gathered::default()).collect(),
            scratch: PerThread::new(),
            position,
            stale: vec![false; BATCH],
            moved: Vec::new(),
            own: Vec::new(),
            pos: Vec::new(),
        }
    }

    /// One sweep over `order`; returns the moves.
    pub(super) fn sweep(&mut self, state: &mut State<'_>, order: &[u32]) -> usize {
        let mut moves = 0;
        for (b, nodes) in order.chunks(BATCH).enumerate() {
            let (start, end) = ((b * BATCH) as u32, (b * BATCH + nodes.len()) as u32);
            let (scratch, position) = (&self.scratch, &self.position);
            let shared: &State<'_> = state;
            let work = |(t, (task, chunk)): (usize, (&mut Gathered, &[u32]))| {
                let first = start + (t * TASK_NODES) as u32;
                scratch.with(|pos| gather_ahead(shared, chunk, first, end, position, task, pos));
            };
            if rayon::current_num_threads() > 1 {
                self.tasks.par_iter_mut().zip(nodes.par_chunks(TASK_NODES)).enumerate().for_each(work);
            } else {
                self.tasks.iter_mut().zip(nodes.chunks(TASK_NODES)).enumerate().for_each(work);
            }
            moves += self.commit(state, nodes, start);
            mark_due(state, &self.moved);
        }
        moves
    }

    fn commit(&mut self, state: &mut State<'_>, nodes: &[u32], start: u32) -> usize {
        self.moved.clear();
        self.stale[..nodes.len()].fill(false);
        for (i, &u) in nodes.iter().enumerate() {
            let u = u as usize;
            let stale = self.stale[i];
            if !stale && !state.due[u].load(Relaxed) {
                continue;
            }
            state.due[u].store(false, Relaxed);
            let task = &self.tasks[i / TASK_NODES];
            let choice = match task.ahead[i % TASK_NODES] {
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
                let (from, to) = task.later_spans[i % TASK_NODES];
                for &x in &task.later[from as usize..to as usize] {
                    self.stale[(self.position[x as usize] - start) as usize] = true;
                }
            }
        }
        self.moved.len()
    }
}

/// Gathers and chooses ahead for the due nodes of a task; `first` is the
/// position of `nodes[0]`, `batch_end` the position after the batch.
fn gather_ahead(
    state: &State<'_>,
    nodes: &[u32],
    first: u32,
    batch_end: u32,
    position: &[u32],
    task: &mut Gathered,
    pos: &mut Vec<u32>,
) {
    task.ahead.clear();
    task.later.clear();
    task.later_spans.clear();
    for (i, &u) in nodes.iter().enumerate() {
        let u = u as usize;
        let later_start = task.later.len() as u32;
        if state.due[u].load(Relaxed) {
            task.pairs.clear();
            state.gather(u, pos, &mut task.pairs);
            task.ahead.push(Some(state.choose(u, &task.pairs)));
            let here = first + i as u32;
            task.later.extend(state.level.neighbors(u).iter().filter(|&&x| {
                let p = position[x as usize];
                p > here && p < batch_end
            }));
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
    let mark = |&v: &u32| {
        for &x in state.level.neighbors(v as usize) {
            state.due[x as usize].store(true, Relaxed);
        }
    };
    if moved.len() < 64 {
        moved.iter().for_each(mark);
    } else {
        moved.par_iter().with_min_len(16).for_each(mark);
    }
}
