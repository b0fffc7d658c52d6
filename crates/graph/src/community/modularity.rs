//! Modularity of a partition.

use crate::csr::Graph;
use crate::error::{Error, Result};

/// The modularity of the partition `membership` (community id of each node)
/// of `graph`, at `resolution` γ.
///
/// Undirected (Newman 2006, with the resolution of Reichardt & Bornholdt
/// 2006):
///
/// `Q = Σ_c [ L_c / m − γ (d_c / 2m)² ]`
///
/// where `m` is the total edge weight, `L_c` the weight of the edges inside
/// community `c` and `d_c` the total weighted degree of its nodes (a
/// self-loop counts twice in a degree and once in `L_c`). Directed (Leicht &
/// Newman 2008): `Q = Σ_c [ L_c / m − γ d_c^out d_c^in / m² ]`. These are
/// networkx's `community.modularity` definitions; tests check them against
/// networkx on classic graphs and on the CAVIAR and Montagna networks.
///
/// Community ids are any integers below the node count. Cost `O(n + m)`,
/// one thread; sums run in node order, so the result is the same bits every
/// time.
///
/// # Errors
/// [`Error::BadParameter`] if `membership` does not have one id per node, an
/// id is not below the node count, `resolution` is negative or not finite,
/// or the graph has no edge weight at all.
///
/// # Example
///
/// Two triangles joined by one edge, each triangle a community:
///
/// ```
/// use nexo_graph::{Direction, Graph, community::modularity};
///
/// let (s, t) = ([0, 1, 2, 3, 4, 5, 2], [1, 2, 0, 4, 5, 3, 3]);
/// let g = Graph::from_edges(6, &s, &t, &[1.0; 7], Direction::Undirected).unwrap();
/// let q = modularity(&g, &[0, 0, 0, 1, 1, 1], 1.0).unwrap();
/// assert!((q - 5.0 / 14.0).abs() < 1e-15);
/// // One community: no structure at resolution 1.
/// assert_eq!(modularity(&g, &[0; 6], 1.0).unwrap(), 0.0);
/// ```
pub fn modularity(graph: &Graph, membership: &[u32], resolution: f64) -> Result<f64> {
    let n = graph.node_count();
    if membership.len() != n {
        return Err(bad(format!("{} community ids for {n} nodes", membership.len())));
    }
    if let Some(&id) = membership.iter().find(|&&c| c as usize >= n) {
        return Err(bad(format!("community id {id} is not below the node count {n}")));
    }
    if !(resolution.is_finite() && resolution >= 0.0) {
        return Err(Error::BadParameter {
            name: "resolution",
            message: format!("{resolution} is not a finite number >= 0"),
        });
    }
    let mut inside = vec![0.0; n];
    let mut out_degree = vec![0.0; n];
    let mut in_degree = vec![0.0; n];
    let mut total = 0.0;
    for u in 0..n as u32 {
        let c = membership[u as usize] as usize;
        for (&v, &w) in graph.out_neighbors(u).iter().zip(graph.out_weights(u)) {
            let same = membership[v as usize] as usize == c;
            if graph.is_directed() {
                total += w;
                out_degree[c] += w;
                in_degree[membership[v as usize] as usize] += w;
                if same {
                    inside[c] += w;
                }
            } else {
                // Each edge appears from both ends, a self-loop once.
                let self_loop = v == u;
                let degree = if self_loop { 2.0 * w } else { w };
                out_degree[c] += degree;
                total += degree;
                if same && v >= u {
                    inside[c] += w;
                }
            }
        }
    }
    if graph.is_directed() {
        if total <= 0.0 {
            return Err(bad("the graph has no edge weight".to_owned()));
        }
        let q = (0..n).map(|c| inside[c] / total - resolution * out_degree[c] * in_degree[c] / (total * total)).sum();
        Ok(q)
    } else {
        // `total` is the degree sum, 2m.
        if total <= 0.0 {
            return Err(bad("the graph has no edge weight".to_owned()));
        }
        let m = total / 2.0;
        let q = (0..n)
            .map(|c| {
                let share = out_degree[c] / total;
                inside[c] / m - resolution * share * share
            })
            .sum();
        Ok(q)
    }
}

fn bad(message: String) -> Error {
    Error::BadParameter { name: "membership", message }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csr::Direction;

    #[test]
    fn self_loops_count_twice_in_degrees_and_once_inside() {
        // networkx: G = Graph([(0, 0, 1), (0, 1, 1), (1, 2, 1)]); modularity(G, [{0, 1}, {2}])
        // m = 3, degrees 3, 2, 1; L = 2 and 0: 2/3 - (5/6)^2 - (1/6)^2 = -0.0555...
        let g = Graph::from_edges(3, &[0, 0, 1], &[0, 1, 2], &[1.0; 3], Direction::Undirected).unwrap();
        let q = modularity(&g, &[0, 0, 2], 1.0).unwrap();
        assert!((q - (2.0 / 3.0 - 25.0 / 36.0 - 1.0 / 36.0)).abs() < 1e-15, "{q}");
    }

    #[test]
    fn directed_modularity_follows_leicht_newman() {
        // 0 -> 1 -> 2 -> 0 and 3 -> 4, communities {0, 1, 2} and {3, 4}:
        // m = 4; Q = 3/4 - 3*3/16 + 1/4 - 1*1/16 = 3/8.
        let g = Graph::from_edges(5, &[0, 1, 2, 3], &[1, 2, 0, 4], &[1.0; 4], Direction::Directed).unwrap();
        let q = modularity(&g, &[0, 0, 0, 3, 3], 1.0).unwrap();
        assert!((q - 0.375).abs() < 1e-15, "{q}");
    }

    #[test]
    fn bad_partitions_are_refused() {
        let g = Graph::from_edges(3, &[0], &[1], &[1.0], Direction::Undirected).unwrap();
        assert!(modularity(&g, &[0, 0], 1.0).is_err());
        assert!(modularity(&g, &[0, 0, 3], 1.0).is_err());
        assert!(modularity(&g, &[0, 0, 0], -1.0).is_err());
        let empty = Graph::from_edges(2, &[], &[], &[], Direction::Undirected).unwrap();
        assert!(modularity(&empty, &[0, 1], 1.0).is_err());
    }
}
