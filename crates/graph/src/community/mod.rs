//! Communities: groups of people who deal mostly with each other.
//!
//! - [`leiden`] (the default of `nexo analyze`): Louvain's local moving plus
//!   a refinement that guarantees connected communities.
//! - [`louvain`]: the classic multilevel modularity optimisation.
//! - [`label_propagation`]: each node takes the label most of its
//!   neighbours' weight carries; fast, no resolution, coarser.
//! - [`modularity`]: the measure every method is judged by, weighted, with a
//!   resolution, for undirected and directed graphs.
//! - [`profiles`]: what investigators read about each community (size,
//!   weight inside and out, density, countries, cross-border share, top
//!   members).
//!
//! # Threads and determinism
//!
//! All three run on a thread of the current rayon pool
//! (`RAYON_NUM_THREADS`, or `nexo --threads`), whichever thread calls
//! them, and give the same partition, bit for bit, at any thread
//! count: local moving visits nodes in a seeded order (each level is
//! numbered in it, see the `level` module) by batches of a fixed size and
//! decides on the state at each batch's start; under modularity it then
//! commits in order (the `batches` module), label propagation takes its
//! choices as they are (synchronous blocks, the `labels` module); refinement
//! works on each community independently; aggregation sums weights in node
//! order. Levels under 16,384 nodes run the plain sequential algorithm on
//! one thread.
//!
//! # Example
//!
//! Zachary's karate club: 34 members, 78 friendships.
//!
//! ```
//! use nexo_graph::{Direction, Graph, community::{leiden, modularity}};
//!
//! let pairs = [(0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (0, 6), (0, 7), (0, 8), (0, 10),
//!     (0, 11), (0, 12), (0, 13), (0, 17), (0, 19), (0, 21), (0, 31), (1, 2), (1, 3), (1, 7),
//!     (1, 13), (1, 17), (1, 19), (1, 21), (1, 30), (2, 3), (2, 7), (2, 8), (2, 9), (2, 13),
//!     (2, 27), (2, 28), (2, 32), (3, 7), (3, 12), (3, 13), (4, 6), (4, 10), (5, 6), (5, 10),
//!     (5, 16), (6, 16), (8, 30), (8, 32), (8, 33), (9, 33), (13, 33), (14, 32), (14, 33),
//!     (15, 32), (15, 33), (18, 32), (18, 33), (19, 33), (20, 32), (20, 33), (22, 32),
//!     (22, 33), (23, 25), (23, 27), (23, 29), (23, 32), (23, 33), (24, 25), (24, 27),
//!     (24, 31), (25, 31), (26, 29), (26, 33), (27, 33), (28, 31), (28, 33), (29, 32),
//!     (29, 33), (30, 32), (30, 33), (31, 32), (31, 33), (32, 33)];
//! let (s, t): (Vec<u32>, Vec<u32>) = pairs.iter().copied().unzip();
//! let g = Graph::from_edges(34, &s, &t, &[1.0; 78], Direction::Undirected).unwrap();
//! let found = leiden(&g, 1.0, 1).unwrap();
//! assert_eq!(found.count, 4);
//! // The best partition known for the club (Brandes et al. 2008) scores 0.4198.
//! let q = modularity(&g, &found.membership, 1.0).unwrap();
//! assert!((q - 0.4198).abs() < 1e-4, "{q}");
//! ```

mod batches;
mod labels;
mod leiden;
mod level;
mod louvain;
mod lpa;
mod modularity;
mod moving;
mod profile;
mod refine;

pub use leiden::leiden;
pub use louvain::louvain;
pub use lpa::label_propagation;
pub use modularity::modularity;
pub use profile::{CommunityProfile, TOP_MEMBERS, profiles};

use crate::csr::Graph;
use crate::error::{Error, Result};

/// A partition found by one of the methods.
#[derive(Clone, Debug, PartialEq)]
pub struct Communities {
    /// Community of each node, numbered `0..count` in order of each
    /// community's smallest node.
    pub membership: Vec<u32>,
    /// Number of communities.
    pub count: usize,
    /// Aggregation levels (Louvain, Leiden) or sweeps over the nodes (label
    /// propagation).
    pub levels: usize,
    /// False only when label propagation stopped at its sweep limit.
    pub converged: bool,
}

/// Gains below this share of the node's strength are rounding noise, not
/// improvements: without the margin, nodes could swap between equivalent
/// communities forever. Relative, so that weights in cents or in millions
/// behave alike.
const MIN_GAIN: f64 = 1e-12;

/// Sweeps allowed per level before local moving stops; modularity moves
/// stop long before (each move gains), so this only bounds pathological cases.
const MAX_SWEEPS: usize = 10_000;

fn check(graph: &Graph, resolution: f64, method: &str) -> Result<()> {
    if graph.is_directed() {
        let message = format!("{method} needs an undirected graph");
        return Err(Error::BadParameter { name: "graph", message });
    }
    if !(resolution.is_finite() && resolution >= 0.0) {
        let message = format!("{resolution} is not a finite number >= 0");
        return Err(Error::BadParameter { name: "resolution", message });
    }
    // Negative weights leave modularity without meaning, and the methods'
    // shortcuts (waking only the neighbours a move can change, keeping a
    // choice whose lead exceeds the weight that moved) assume none.
    if !graph.has_unit_weights()
        && let Some((u, v, w)) = graph.edges().find(|&(_, _, w)| !(w.is_finite() && w >= 0.0))
    {
        let message = format!("{method} needs finite weights >= 0; the edge {u}-{v} weighs {w}");
        return Err(Error::BadParameter { name: "graph", message });
    }
    Ok(())
}

/// Runs `work` on a thread of the current rayon pool. From any other
/// thread (the command line's main thread, say), each parallel step is
/// handed to the pool and waited for: a sweep has hundreds of them, and
/// each wakes a sleeping thread and moves the data it touches to another
/// core's cache. Measured on 200k nodes / 2M edges (A/B, best of 4): label
/// propagation 20 % faster at 1 thread and 10 % at 2, Louvain and Leiden
/// 6-12 % at both.
fn on_pool<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    if rayon::current_thread_index().is_some() { work() } else { rayon::scope(|_| work()) }
}

/// Community of each original node, from the node of the last level each
/// stands for and that level's communities; renumbered.
fn flatten(node_of: &[u32], partition: &[u32]) -> (Vec<u32>, usize) {
    let membership: Vec<u32> = node_of.iter().map(|&x| partition[x as usize]).collect();
    level::renumber(&membership)
}

/// Splits every community into its connected parts; returns the new
/// membership (renumbered), the count, and how many parts were added.
fn connected_parts(graph: &Graph, membership: &[u32]) -> (Vec<u32>, usize, usize) {
    let n = graph.node_count();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn root(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            parent[x as usize] = parent[parent[x as usize] as usize];
            x = parent[x as usize];
        }
        x
    }
    for (u, v, _) in graph.edges() {
        if membership[u as usize] == membership[v as usize] {
            let (a, b) = (root(&mut parent, u), root(&mut parent, v));
            parent[a.max(b) as usize] = a.min(b);
        }
    }
    let roots: Vec<u32> = (0..n as u32).map(|u| root(&mut parent, u)).collect();
    let (parts, count) = level::renumber(&roots);
    let before = level::renumber(membership).1;
    (parts, count, count - before)
}
