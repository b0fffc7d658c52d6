//! Louvain community detection, sequential (the path for small graphs and
//! the reference the parallel methods are checked against).

use crate::csr::Graph;
use crate::error::{Error, Result};
use crate::rng::SplitMix64;

/// Gains below this share of the node's strength are rounding noise, not
/// improvements: without the margin, nodes could swap between equivalent
/// communities forever. Relative, so that weights in cents or in millions
/// behave alike.
const MIN_GAIN: f64 = 1e-12;

/// Communities of `graph` by the Louvain method (Blondel, Guillaume,
/// Lambiotte & Lefebvre 2008): nodes move to the neighbouring community that
/// raises modularity most, until none does; communities then become nodes
/// of a coarser graph and the moving starts again, until nothing moves.
///
/// - `graph`: undirected, weighted (directed graphs are refused: use the
///   symmetrised graph, as investigators read contact groups).
/// - `resolution` γ: larger gives smaller communities (1: classic modularity).
/// - `seed`: nodes are visited in a seeded random order; the same seed gives
///   the same partition.
///
/// Returns the community of each node, numbered 0.. in order of each
/// community's smallest node. Runs on one thread; each level costs
/// `O(m)` per sweep over the nodes.
///
/// # Errors
/// [`Error::BadParameter`] for a directed graph or a resolution that is
/// negative or not finite.
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
/// assert_eq!(louvain(&g, 1.0, 7).unwrap(), vec![0, 0, 0, 1, 1, 1]);
/// ```
pub fn louvain(graph: &Graph, resolution: f64, seed: u64) -> Result<Vec<u32>> {
    if graph.is_directed() {
        return Err(Error::BadParameter { name: "graph", message: "Louvain needs an undirected graph".to_owned() });
    }
    if !(resolution.is_finite() && resolution >= 0.0) {
        return Err(Error::BadParameter {
            name: "resolution",
            message: format!("{resolution} is not a finite number >= 0"),
        });
    }
    let mut level = Level::from_graph(graph);
    let mut membership: Vec<u32> = (0..graph.node_count() as u32).collect();
    let mut rng = SplitMix64::new(seed);
    loop {
        let (moved, communities) = level.move_nodes(resolution, &mut rng);
        if !moved {
            break;
        }
        let communities = renumber(&communities);
        for c in &mut membership {
            *c = communities[*c as usize];
        }
        level = level.aggregate(&communities);
    }
    Ok(renumber(&membership))
}

/// One level: a weighted undirected graph as a CSR without self-loops in
/// the lists, self-loop weights kept apart.
struct Level {
    offsets: Vec<usize>,
    neighbors: Vec<u32>,
    weights: Vec<f64>,
    /// Weight of each node's self-loop (counted twice in its strength).
    loops: Vec<f64>,
}

impl Level {
    fn from_graph(graph: &Graph) -> Level {
        let n = graph.node_count();
        let mut level = Level { offsets: vec![0], neighbors: Vec::new(), weights: Vec::new(), loops: vec![0.0; n] };
        for u in 0..n as u32 {
            for (&v, &w) in graph.out_neighbors(u).iter().zip(graph.out_weights(u)) {
                if v == u {
                    level.loops[u as usize] += w;
                } else {
                    level.neighbors.push(v);
                    level.weights.push(w);
                }
            }
            level.offsets.push(level.neighbors.len());
        }
        level
    }

    fn len(&self) -> usize {
        self.loops.len()
    }

    fn arcs(&self, u: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let range = self.offsets[u]..self.offsets[u + 1];
        self.neighbors[range.clone()].iter().map(|&v| v as usize).zip(self.weights[range].iter().copied())
    }

    fn strength(&self, u: usize) -> f64 {
        self.arcs(u).map(|(_, w)| w).sum::<f64>() + 2.0 * self.loops[u]
    }

    /// Local moving until no node improves; returns whether any node moved,
    /// and each node's community (community ids are node ids of this level).
    fn move_nodes(&self, resolution: f64, rng: &mut SplitMix64) -> (bool, Vec<u32>) {
        let n = self.len();
        let strength: Vec<f64> = (0..n).map(|u| self.strength(u)).collect();
        let total: f64 = strength.iter().sum();
        let mut community: Vec<u32> = (0..n as u32).collect();
        let mut community_strength = strength.clone();
        if total <= 0.0 {
            return (false, community);
        }
        let mut order: Vec<u32> = (0..n as u32).collect();
        for i in (1..n).rev() {
            order.swap(i, rng.below(i as u64 + 1) as usize);
        }
        // Weight from the current node to each neighbouring community: a
        // dense buffer reset through the list of communities touched.
        let mut link = vec![0.0; n];
        let mut seen = vec![false; n];
        let mut touched: Vec<u32> = Vec::new();
        let mut moved_any = false;
        loop {
            let mut moved = false;
            for &u in &order {
                let u = u as usize;
                let own = community[u] as usize;
                for (v, w) in self.arcs(u) {
                    let c = community[v] as usize;
                    if !seen[c] {
                        seen[c] = true;
                        touched.push(c as u32);
                    }
                    link[c] += w;
                }
                community_strength[own] -= strength[u];
                // Gain of joining c, up to a positive factor: w_uc - γ Σ_c k_u / 2m.
                let gain = |c: usize, link: &[f64]| link[c] - resolution * community_strength[c] * strength[u] / total;
                let mut best = own;
                let mut best_gain = gain(own, &link);
                for &c in &touched {
                    let c = c as usize;
                    let g = gain(c, &link);
                    // Strictly better only: ties keep the first candidate met,
                    // in the fixed order of the neighbour lists.
                    if g > best_gain + MIN_GAIN * strength[u] {
                        best = c;
                        best_gain = g;
                    }
                }
                community_strength[best] += strength[u];
                if best != own {
                    community[u] = best as u32;
                    moved = true;
                }
                for &c in &touched {
                    link[c as usize] = 0.0;
                    seen[c as usize] = false;
                }
                touched.clear();
            }
            if !moved {
                break;
            }
            moved_any = true;
        }
        (moved_any, community)
    }

    /// The graph of communities: community ids are renumbered 0.. by first
    /// appearance, and `communities` is rewritten to the new ids.
    fn aggregate(&self, communities: &[u32]) -> Level {
        let ids = renumber(communities);
        let count = ids.iter().max().map_or(0, |&m| m as usize + 1);
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (u, &c) in ids.iter().enumerate() {
            members[c as usize].push(u);
        }
        let mut next = Level { offsets: vec![0], neighbors: Vec::new(), weights: Vec::new(), loops: vec![0.0; count] };
        let mut link = vec![0.0; count];
        let mut seen = vec![false; count];
        let mut touched: Vec<u32> = Vec::new();
        for (c, nodes) in members.iter().enumerate() {
            for &u in nodes {
                next.loops[c] += self.loops[u];
                for (v, w) in self.arcs(u) {
                    let d = ids[v] as usize;
                    if d == c {
                        // Each inner edge is seen from both ends.
                        next.loops[c] += w / 2.0;
                    } else {
                        if !seen[d] {
                            seen[d] = true;
                            touched.push(d as u32);
                        }
                        link[d] += w;
                    }
                }
            }
            touched.sort_unstable();
            for &d in &touched {
                next.neighbors.push(d);
                next.weights.push(link[d as usize]);
                link[d as usize] = 0.0;
                seen[d as usize] = false;
            }
            touched.clear();
            next.offsets.push(next.neighbors.len());
        }
        next
    }
}

/// Ids renumbered 0.. in order of first appearance.
fn renumber(ids: &[u32]) -> Vec<u32> {
    let mut new_id = vec![u32::MAX; ids.iter().max().map_or(0, |&m| m as usize + 1)];
    let mut next = 0;
    ids.iter()
        .map(|&c| {
            if new_id[c as usize] == u32::MAX {
                new_id[c as usize] = next;
                next += 1;
            }
            new_id[c as usize]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::community::modularity;
    use crate::csr::Direction;

    #[test]
    fn resolution_zero_merges_each_component_and_larger_ones_split_it() {
        let g = Graph::ring_with_chords(3_000, 6_000, 5, Direction::Undirected);
        let whole = louvain(&g, 0.0, 1).unwrap();
        assert!(whole.iter().all(|&c| c == 0), "a connected graph at resolution 0 is one community");
        let parts = louvain(&g, 1.0, 1).unwrap();
        let count = *parts.iter().max().unwrap() as usize + 1;
        assert!(count > 5, "{count} communities");
        assert!(modularity(&g, &parts, 1.0).unwrap() > 0.3);
        assert_eq!(louvain(&g, 1.0, 1).unwrap(), parts);
    }

    #[test]
    fn directed_graphs_and_bad_resolutions_are_refused() {
        let g = Graph::from_edges(2, &[0], &[1], &[1.0], Direction::Directed).unwrap();
        assert!(louvain(&g, 1.0, 0).is_err());
        let g = Graph::from_edges(2, &[0], &[1], &[1.0], Direction::Undirected).unwrap();
        assert!(louvain(&g, f64::NAN, 0).is_err());
        assert_eq!(louvain(&g, 1.0, 0).unwrap(), vec![0, 0]);
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
        let base = louvain(&g, 1.0, 3).unwrap();
        for scale in [1e-9, 1e9] {
            let scaled: Vec<f64> = w.iter().map(|x| x * scale).collect();
            let h = Graph::from_edges(500, &s, &t, &scaled, Direction::Undirected).unwrap();
            assert_eq!(louvain(&h, 1.0, 3).unwrap(), base, "weights times {scale}");
        }
    }
}
