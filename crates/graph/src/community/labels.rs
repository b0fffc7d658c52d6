//! Label propagation's sweeps on large levels: parallel by synchronous
//! blocks, the same partition at any thread count.
//!
//! 1. The nodes are cut into blocks of [`BLOCK`] consecutive nodes (a
//!    constant: not the thread count).
//! 2. Threads choose a label for each due node of a block on the labels as
//!    they stood at the block's start. They write nothing that another
//!    node of the block reads: the choices go to a buffer.
//! 3. The block's labels are then replaced by the choices: one copy.
//!
//! From block to block this is the sequential algorithm: a block sees
//! every move of the blocks before it. Within a block, a node does not see
//! the moves of its neighbours in the same block: on 200k nodes, 2 % of
//! its neighbours. One thread runs the same steps, so the partition does
//! not depend on the thread count.
//!
//! # Waking
//!
//! A node that moved wakes its neighbours, as in the sequential algorithm:
//! one in a later block is visited in this sweep, any other in the next.
//! - A neighbour outside the block is woken at once, unless it carries
//!   the label joined (its own label only gained weight: it keeps it).
//!   No thread reads the flags of nodes outside the block during the
//!   block, and every write sets a flag: the order of the writes does not
//!   matter.
//! - A neighbour in the block is woken after the block, unless it chose
//!   the label joined: it chose on the mover's old label.
//!
//! At convergence every node thus carries a label of most weight among its
//! neighbours' (tested).
//!
//! # Cost
//!
//! On 200k nodes / 2M edges at 1 thread this runs within 10 % of the plain
//! sequential sweep either way; at 2 threads 1.4-1.7x faster than at 1
//! (medians in one process, `benches/RESULTS.md`). Choosing on a
//! block-start state is what makes it scale: ordered commits that
//! reproduced the sequential algorithm exactly reached 1.04-1.16x.

use std::sync::atomic::Ordering::Relaxed;

use rayon::prelude::*;

use super::level::PerThread;
use super::moving::{State, set_due};

/// Nodes that choose together, on the labels at their block's start.
/// Blocks of 2,048 to 8,192 nodes measured alike.
const BLOCK: usize = 4096;
/// Nodes per parallel task.
const TASK_NODES: usize = 128;
const TASKS: usize = BLOCK / TASK_NODES;

/// The machinery of parallel sweeps, kept across the sweeps of a level.
pub(super) struct Blocks {
    /// The labels chosen in the current block, in node order.
    chosen: Vec<u32>,
    /// Per task of the current block: the neighbours in the block of the
    /// nodes that moved, with the label each joined.
    woken: Vec<Vec<(u32, u32)>>,
    scratch: PerThread<Scratch>,
}

/// What a task of a block writes: its index, the choices of its nodes and
/// the neighbours in the block they woke.
type Slots<'a> = ((usize, &'a mut [u32]), &'a mut Vec<(u32, u32)>);

/// A thread's buffers for [`State::gather`].
#[derive(Default)]
struct Scratch {
    pos: Vec<u32>,
    pairs: Vec<(u32, f64)>,
}

impl Blocks {
    pub(super) fn new() -> Blocks {
        Blocks { chosen: vec![0; BLOCK], woken: vec![Vec::new(); TASKS], scratch: PerThread::new() }
    }

    /// One sweep; returns the moves.
    pub(super) fn sweep(&mut self, state: &mut State<'_>) -> usize {
        let n = state.level.len();
        let alone = rayon::current_num_threads() == 1;
        let mut moves = 0;
        for start in (0..n).step_by(BLOCK) {
            let block = start..(start + BLOCK).min(n);
            let chosen = &mut self.chosen[..block.len()];
            let woken = &mut self.woken[..block.len().div_ceil(TASK_NODES)];
            let (shared, scratch): (&State<'_>, _) = (state, &self.scratch);
            let choose = |((t, labels), woken): Slots<'_>| {
                let first = block.start + t * TASK_NODES;
                scratch.with(|scratch| choose_task(shared, &block, first, labels, scratch, woken, alone))
            };
            moves += if alone {
                chosen.chunks_mut(TASK_NODES).enumerate().zip(woken.iter_mut()).map(choose).sum::<usize>()
            } else {
                chosen.par_chunks_mut(TASK_NODES).enumerate().zip(woken.par_iter_mut()).map(choose).sum()
            };
            for &(x, joined) in woken.iter().flatten() {
                if chosen[x as usize - block.start] != joined {
                    set_due(&state.due[x as usize], true);
                }
            }
            state.community[block].copy_from_slice(chosen);
        }
        moves
    }
}

/// Chooses the labels of the nodes of `block` from `first` on, one per
/// slot of `labels`, and wakes the neighbours outside the block of those
/// that move (listing those in it in `woken`); returns how many move.
fn choose_task(
    state: &State<'_>,
    block: &std::ops::Range<usize>,
    first: usize,
    labels: &mut [u32],
    scratch: &mut Scratch,
    woken: &mut Vec<(u32, u32)>,
    alone: bool,
) -> usize {
    woken.clear();
    // Slices held here stay in registers: as far as the compiler knows,
    // the flag stores could change anything reached through `state`.
    let (community, due, level) = (&state.community[..], &state.due[..], state.level);
    let mut moves = 0;
    for (u, label) in (first..).zip(labels.iter_mut()) {
        *label = community[u];
        if !due[u].load(Relaxed) {
            continue;
        }
        due[u].store(false, Relaxed);
        scratch.pairs.clear();
        state.gather(u, &mut scratch.pos, &mut scratch.pairs);
        let target = state.choose(u, &scratch.pairs).target;
        if target == *label {
            continue;
        }
        *label = target;
        moves += 1;
        for &x in level.neighbors(u) {
            if (x as usize).wrapping_sub(block.start) < block.len() {
                woken.push((x, target));
            } else if community[x as usize] != target {
                set_due(&due[x as usize], alone);
            }
        }
    }
    moves
}
