//! Label propagation.

use super::level::Level;
use super::moving::{Objective, local_moving};
use super::{Communities, check, flatten, on_pool};
use crate::csr::Graph;
use crate::error::Result;
use crate::rng::SplitMix64;

/// Sweeps before label propagation gives up converging.
const MAX_SWEEPS: usize = 100;

/// Communities of `graph` by label propagation (Raghavan, Albert & Kumara
/// 2007), asynchronous and weighted: every node starts with its own label;
/// in a seeded order, each node takes the label that carries the largest
/// total edge weight among its neighbours, keeping its own on a tie; other
/// ties go by a pseudo-random order of the labels fixed per node (the
/// paper breaks them at random). Only nodes whose neighbour
/// changed label are visited again; it stops when a sweep changes nothing,
/// or after 100 sweeps (`converged` is then false). At convergence every
/// node carries a label of most weight among its neighbours'.
///
/// On graphs of 16,384 nodes or more, nodes choose by blocks of 4,096
/// consecutive nodes in that order, each on the labels at its block's
/// start (synchronous within a block, asynchronous between blocks), at any
/// thread count: the same partition on 1, 2 or 16 threads.
///
/// Near-linear (`O(m)` per sweep), no resolution: fast and coarse. Tends
/// to merge weakly separated groups into one; use [`super::leiden`] for
/// quality.
///
/// # Errors
/// [`crate::Error::BadParameter`] for a directed graph or a negative or
/// infinite edge weight.
///
/// # Example
///
/// ```
/// use nexo_graph::{Direction, Graph, community::label_propagation};
///
/// let (s, t) = ([0, 1, 2, 3, 4, 5, 2], [1, 2, 0, 4, 5, 3, 3]);
/// let g = Graph::from_edges(6, &s, &t, &[1.0; 7], Direction::Undirected).unwrap();
/// let found = label_propagation(&g, 7).unwrap();
/// assert_eq!(found.membership, vec![0, 0, 0, 1, 1, 1]);
/// ```
pub fn label_propagation(graph: &Graph, seed: u64) -> Result<Communities> {
    check(graph, 1.0, "label propagation")?;
    Ok(on_pool(|| {
        let base = Level::shuffled(graph, &mut SplitMix64::new(seed));
        let labels = (0..base.level.len() as u32).collect();
        let moved = local_moving(&base.level, labels, Objective::Labels, MAX_SWEEPS);
        let (membership, count) = flatten(&base.place, &moved.community);
        Communities { membership, count, levels: moved.sweeps, converged: moved.converged }
    }))
}
