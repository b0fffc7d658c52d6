//! k-core decomposition.

use crate::csr::Graph;

/// Core number of every node (Batagelj & Zaversnik 2003, bucket-sorted
/// peeling in `O(n + m)`): the largest `k` such that the node belongs to a
/// subgraph where every node has degree at least `k`.
///
/// As networkx `core_number`: the degree of a node of a directed graph is
/// its in-degree plus its out-degree; self-loops are ignored (networkx
/// refuses them).
///
/// ```
/// use nexo_graph::{Direction, Graph, structure::core_number};
///
/// // A triangle 0-1-2 with a pendant 3 on node 2.
/// let g = Graph::from_edges(4, &[0, 1, 2, 2], &[1, 2, 0, 3], &[1.0; 4], Direction::Undirected).unwrap();
/// assert_eq!(core_number(&g), [2, 2, 2, 1]);
/// ```
pub fn core_number(graph: &Graph) -> Vec<u32> {
    let n = graph.node_count();
    let neighbours = |v: u32| {
        let own = move |u: &&u32| **u != v;
        let incoming: &[u32] = if graph.is_directed() { graph.in_neighbors(v) } else { &[] };
        graph.out_neighbors(v).iter().filter(own).chain(incoming.iter().filter(own))
    };
    let mut degree: Vec<u32> = (0..n as u32).map(|v| neighbours(v).count() as u32).collect();
    let max_degree = degree.iter().copied().max().unwrap_or(0) as usize;
    // Nodes sorted by degree, with the start of each degree's bucket.
    let mut bucket_start = vec![0usize; max_degree + 2];
    for &d in &degree {
        bucket_start[d as usize + 1] += 1;
    }
    for d in 0..=max_degree {
        bucket_start[d + 1] += bucket_start[d];
    }
    let mut position = vec![0usize; n];
    let mut order = vec![0u32; n];
    let mut cursor = bucket_start.clone();
    for v in 0..n {
        let d = degree[v] as usize;
        position[v] = cursor[d];
        order[cursor[d]] = v as u32;
        cursor[d] += 1;
    }
    for i in 0..n {
        let v = order[i];
        let dv = degree[v as usize];
        for &u in neighbours(v) {
            let du = degree[u as usize];
            if du > dv {
                // Move u to the front of its bucket, then shrink the bucket past it.
                let first = bucket_start[du as usize];
                let w = order[first];
                let pu = position[u as usize];
                order.swap(first, pu);
                position[u as usize] = first;
                position[w as usize] = pu;
                bucket_start[du as usize] += 1;
                degree[u as usize] = du - 1;
            }
        }
    }
    degree
}
