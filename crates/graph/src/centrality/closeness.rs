//! Closeness and harmonic closeness.

use rayon::prelude::*;

use super::paths::{ArcLengths, PathLength, Search, Side};
use crate::csr::Graph;
use crate::error::Result;

/// Closeness and harmonic closeness of every node.
#[derive(Debug, Clone, PartialEq)]
pub struct Closeness {
    /// networkx `closeness_centrality` with `wf_improved=True` (Wasserman &
    /// Faust): `(r - 1) / (sum of distances) * (r - 1) / (n - 1)`, where `r`
    /// counts the nodes that reach the node, itself included; 0 if none.
    pub closeness: Vec<f64>,
    /// networkx `harmonic_centrality` divided by `n - 1`: the mean over the
    /// other nodes of `1 / distance` (0 for those that cannot reach it).
    pub harmonic: Vec<f64>,
}

/// Exact closeness and harmonic closeness (Wasserman & Faust 1994;
/// Marchiori & Latora 2000), one shortest-path search per node.
///
/// Distances run *to* each node, as in networkx: on a directed graph a node
/// is close when others reach it quickly (incoming distance). With
/// [`PathLength::Weight`] or [`PathLength::InverseWeight`] they are weighted.
///
/// **Cost**: `O(n m)` for hops, `O(n m log n)` weighted; `O(n + m)` memory per thread.
///
/// **Threads**: nodes are split over the current rayon pool; each thread
/// reuses one set of search buffers. Each node's sums run over its own
/// search in a fixed order, so the result is the same at any thread count.
///
/// # Errors
/// [`crate::Error::BadEdgeLength`] if lengths come from weights and a weight
/// is not positive and finite.
///
/// # Example
/// The star with centre 0 and three leaves:
/// ```
/// use nexo_graph::{Direction, Graph, centrality::{closeness, PathLength}};
///
/// let g = Graph::from_edges(4, &[0, 0, 0], &[1, 2, 3], &[1.0; 3], Direction::Undirected).unwrap();
/// let c = closeness(&g, PathLength::Hops).unwrap();
/// assert_eq!(c.closeness[0], 1.0);
/// assert_eq!(c.closeness[1], 3.0 / 5.0); // distances 1 + 2 + 2
/// assert_eq!(c.harmonic[1], (1.0 + 0.5 + 0.5) / 3.0);
/// ```
pub fn closeness(graph: &Graph, length: PathLength) -> Result<Closeness> {
    let lengths = ArcLengths::new(graph, length)?;
    let n = graph.node_count();
    let of_node = |search: &mut Search, node: u32| -> (f64, f64) {
        search.run(graph, &lengths, Side::In, node);
        let (mut total, mut inverse) = (0.0, 0.0);
        for &v in &search.order[1..] {
            let d = search.dist[v as usize];
            total += d;
            inverse += 1.0 / d;
        }
        let reached = search.order.len() as f64;
        let others = (n as f64 - 1.0).max(1.0);
        let closeness = if total > 0.0 { (reached - 1.0) / total * (reached - 1.0) / others } else { 0.0 };
        (closeness, inverse / others)
    };
    let pairs: Vec<(f64, f64)> = if n < 256 || rayon::current_num_threads() == 1 {
        let mut search = Search::new(n);
        (0..n as u32).map(|node| of_node(&mut search, node)).collect()
    } else {
        let chunk = n.div_ceil(rayon::current_num_threads() * 4);
        (0..n as u32).into_par_iter().with_min_len(chunk).map_init(|| Search::new(n), of_node).collect()
    };
    let (closeness, harmonic) = pairs.into_iter().unzip();
    Ok(Closeness { closeness, harmonic })
}
