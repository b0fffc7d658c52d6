//! Louvain community detection.

use super::level::{Level, Shuffled, renumber};
use super::moving::{Objective, local_moving};
use super::{Communities, MAX_SWEEPS, check, flatten, on_pool};
use crate::csr::Graph;
use crate::error::Result;
use crate::rng::SplitMix64;

/// Communities of `graph` by the Louvain method (Blondel, Guillaume,
/// Lambiotte & Lefebvre 2008): nodes move to the neighbouring community that
/// raises modularity most, until none does; communities then become nodes
/// of a coarser graph and the moving starts again, until nothing moves.
///
/// - `graph`: undirected, weighted (directed graphs are refused: use the
///   symmetrised graph, as investigators read contact groups).
/// - `resolution` γ: larger gives smaller communities (1: classic modularity).
/// - `seed`: nodes are visited in a seeded random order; the same seed gives
///   the same partition at any thread count.
///
/// A node may also leave for an empty community of its own when that gains.
/// After the last level, the partition is brought back down level by level
/// and single nodes move again at each (as NetworKit's PLM with refinement).
/// Each sweep costs `O(m)`; moves are committed in order (see the module
/// documentation), in parallel on graphs of 16,384 nodes or more.
///
/// # Errors
/// [`crate::Error::BadParameter`] for a directed graph, a negative or
/// infinite edge weight, or a resolution that is negative or not finite.
///
/// # Example
///
/// Two triangles joined by one edge split into the two triangles:
///
/// ```
/// use nexo_graph::{Direction, Graph, community::louvain};
///
/// let (s, t) = ([0, 1, 2, 3, 4, 5, 2], [1, 2, 0, 4, 5, 3, 3]);
/// let g = Graph::from_edges(6, &s, &t, &[1.0; 7], Direction::Undirected).unwrap();
/// assert_eq!(louvain(&g, 1.0, 7).unwrap().membership, vec![0, 0, 0, 1, 1, 1]);
/// ```
pub fn louvain(graph: &Graph, resolution: f64, seed: u64) -> Result<Communities> {
    check(graph, resolution, "Louvain")?;
    Ok(on_pool(|| multilevel(graph, resolution, seed)))
}

/// Louvain on a checked graph.
fn multilevel(graph: &Graph, resolution: f64, seed: u64) -> Communities {
    let objective = Objective::Modularity { resolution };
    let mut rng = SplitMix64::new(seed);
    // Down: move, aggregate, until nothing moves. `maps[i]` sends the nodes
    // of level i to those of level i + 1.
    let Shuffled { level: base, place } = Level::shuffled(graph, &mut rng);
    let mut levels = vec![base];
    let mut maps: Vec<Vec<u32>> = Vec::new();
    loop {
        let level = levels.last().expect("a level");
        let moved = local_moving(level, (0..level.len() as u32).collect(), objective, MAX_SWEEPS);
        let (mut communities, count) = renumber(&moved.community);
        if moved.moves == 0 || count == level.len() {
            break;
        }
        let next = level.aggregate(&mut communities, count, &mut rng);
        maps.push(communities);
        levels.push(next);
    }
    // Up: each finer level starts from the coarser partition and moves
    // single nodes again (the refinement of NetworKit's PLM, Staudt &
    // Meyerhenke 2016): nodes misplaced by an early merge get out.
    let mut partition: Vec<u32> = (0..levels.last().expect("a level").len() as u32).collect();
    for (level, map) in levels.iter().zip(&maps).rev() {
        let projected = map.iter().map(|&c| partition[c as usize]).collect();
        partition = local_moving(level, projected, objective, MAX_SWEEPS).community;
    }
    let (membership, count) = flatten(&place, &partition);
    Communities { membership, count, levels: maps.len(), converged: true }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::community::{label_propagation, leiden, modularity};
    use crate::csr::Direction;

    #[test]
    fn resolution_zero_merges_each_component_and_larger_ones_split_it() {
        let g = Graph::ring_with_chords(3_000, 6_000, 5, Direction::Undirected);
        for method in [louvain, leiden] {
            let whole = method(&g, 0.0, 1).unwrap();
            assert_eq!(whole.count, 1, "a connected graph at resolution 0 is one community");
            let parts = method(&g, 1.0, 1).unwrap();
            assert!(parts.count > 5, "{} communities", parts.count);
            assert!(modularity(&g, &parts.membership, 1.0).unwrap() > 0.3);
            assert_eq!(method(&g, 1.0, 1).unwrap(), parts);
        }
    }

    #[test]
    fn directed_graphs_and_bad_resolutions_are_refused() {
        let g = Graph::from_edges(2, &[0], &[1], &[1.0], Direction::Directed).unwrap();
        assert!(louvain(&g, 1.0, 0).is_err() && leiden(&g, 1.0, 0).is_err() && label_propagation(&g, 0).is_err());
        let g = Graph::from_edges(2, &[0], &[1], &[1.0], Direction::Undirected).unwrap();
        assert!(louvain(&g, f64::NAN, 0).is_err() && leiden(&g, -1.0, 0).is_err());
        let signed = Graph::from_edges(3, &[0, 1], &[1, 2], &[2.0, -1.0], Direction::Undirected).unwrap();
        assert!(louvain(&signed, 1.0, 0).is_err() && leiden(&signed, 1.0, 0).is_err());
        assert!(super::super::label_propagation(&signed, 0).is_err());
        assert_eq!(louvain(&g, 1.0, 0).unwrap().membership, vec![0, 0]);
        let empty = Graph::from_edges(3, &[], &[], &[], Direction::Undirected).unwrap();
        for found in [louvain(&empty, 1.0, 0), leiden(&empty, 1.0, 0), label_propagation(&empty, 0)] {
            assert_eq!(found.unwrap().membership, vec![0, 1, 2], "isolated nodes stay alone");
        }
    }

    /// A level of unit weights keeps none (see `Level`): the partitions
    /// must be those of the same graph with every weight 2, which keeps
    /// them (a power of two scales every gain exactly). Large enough for
    /// parallel levels.
    #[test]
    fn unit_weights_kept_or_not_give_the_same_partitions() {
        let g = Graph::ring_with_chords(40_000, 80_000, 4, Direction::Undirected);
        let (s, t): (Vec<u32>, Vec<u32>) = g.edges().map(|(u, v, _)| (u, v)).unzip();
        let with =
            |weight: f64| Graph::from_edges(40_000, &s, &t, &vec![weight; s.len()], Direction::Undirected).unwrap();
        let (unit, doubled) = (with(1.0), with(2.0));
        assert!(unit.has_unit_weights() && !doubled.has_unit_weights());
        let run =
            |g: &Graph| (louvain(g, 1.0, 5).unwrap(), leiden(g, 1.0, 5).unwrap(), label_propagation(g, 5).unwrap());
        assert_eq!(run(&unit), run(&doubled));
    }

    #[test]
    fn the_scale_of_weights_does_not_matter() {
        let g = Graph::ring_with_chords(500, 1_000, 9, Direction::Undirected);
        let (mut s, mut t, mut w) = (Vec::new(), Vec::new(), Vec::new());
        for (u, v, x) in g.edges() {
            s.push(u);
            t.push(v);
            w.push(x);
        }
        let base = (louvain(&g, 1.0, 3).unwrap(), leiden(&g, 1.0, 3).unwrap());
        for scale in [1e-9, 1e9] {
            let scaled: Vec<f64> = w.iter().map(|x| x * scale).collect();
            let h = Graph::from_edges(500, &s, &t, &scaled, Direction::Undirected).unwrap();
            assert_eq!((louvain(&h, 1.0, 3).unwrap(), leiden(&h, 1.0, 3).unwrap()), base, "weights times {scale}");
        }
    }
}
