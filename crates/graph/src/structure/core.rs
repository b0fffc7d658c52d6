//! k-core decomposition.

use rayon::prelude::*;

use crate::csr::Graph;

/// Core number of every node: the largest `k` such that the node belongs to
/// a subgraph where every node has degree at least `k`. Small graphs or one
/// thread: Batagelj & Zaversnik's (2003) bucket peeling, `O(n + m)`;
/// otherwise level-synchronous parallel peeling, `O(k_max n + m)` work.
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
    if graph.node_count() < PARALLEL_NODES || rayon::current_num_threads() == 1 {
        bucket_peeling(graph)
    } else {
        parallel_peeling(graph)
    }
}

/// Below this many nodes, one thread peels.
const PARALLEL_NODES: usize = 1 << 16;

/// Neighbour lists of `v`: out-neighbours, and in-neighbours when directed.
fn lists(graph: &Graph, v: u32) -> [&[u32]; 2] {
    [graph.out_neighbors(v), if graph.is_directed() { graph.in_neighbors(v) } else { &[] }]
}

/// Degree without self-loops (in + out when directed).
fn degree_of(graph: &Graph, v: u32) -> u32 {
    lists(graph, v).iter().map(|list| list.len() - usize::from(list.binary_search(&v).is_ok())).sum::<usize>() as u32
}

/// Level-synchronous peeling in parallel (in the manner of ParK, Dasari et
/// al. 2014): at level `k`, every node of degree at most `k` is removed, its
/// neighbours' degrees decremented atomically, and a neighbour whose degree
/// falls from `k + 1` to `k` joins the next wave. Core numbers are unique, so
/// the result is the same as the sequential peeling's, at any thread count.
fn parallel_peeling(graph: &Graph) -> Vec<u32> {
    use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
    const REMAINING: u32 = u32::MAX;
    let n = graph.node_count();
    let degree: Vec<AtomicU32> = (0..n as u32).into_par_iter().map(|v| AtomicU32::new(degree_of(graph, v))).collect();
    let core: Vec<AtomicU32> = (0..n).map(|_| AtomicU32::new(REMAINING)).collect();
    let mut removed = 0;
    let mut k = 0;
    while removed < n {
        // The first wave of level k: remaining nodes of degree at most k.
        let mut wave: Vec<u32> = (0..n as u32)
            .into_par_iter()
            .filter(|&v| core[v as usize].load(Relaxed) == REMAINING && degree[v as usize].load(Relaxed) <= k)
            .collect();
        while !wave.is_empty() {
            wave.par_iter().for_each(|&v| core[v as usize].store(k, Relaxed));
            removed += wave.len();
            wave = wave
                .par_iter()
                .flat_map_iter(|&v| {
                    let [out, inc] = lists(graph, v);
                    out.iter().chain(inc).copied().filter(|&u| {
                        core[u as usize].load(Relaxed) == REMAINING && degree[u as usize].fetch_sub(1, Relaxed) == k + 1
                    })
                })
                .collect();
        }
        k += 1;
    }
    core.into_iter().map(AtomicU32::into_inner).collect()
}

/// Batagelj-Zaversnik bucket peeling on one thread.
fn bucket_peeling(graph: &Graph) -> Vec<u32> {
    let n = graph.node_count();
    let mut degree: Vec<u32> = (0..n as u32).map(|v| degree_of(graph, v)).collect();
    let max_degree = degree.iter().copied().max().unwrap_or(0) as usize;
    // Nodes sorted by degree, with the start of each degree's bucket.
    let mut bucket_start = vec![0u32; max_degree + 2];
    for &d in &degree {
        bucket_start[d as usize + 1] += 1;
    }
    for d in 0..=max_degree {
        bucket_start[d + 1] += bucket_start[d];
    }
    let mut position = vec![0u32; n];
    let mut order = vec![0u32; n];
    let mut cursor = bucket_start.clone();
    for v in 0..n {
        let d = degree[v] as usize;
        position[v] = cursor[d];
        order[cursor[d] as usize] = v as u32;
        cursor[d] += 1;
    }
    for i in 0..n {
        let v = order[i];
        let dv = degree[v as usize];
        for list in lists(graph, v) {
            for &u in list {
                let du = degree[u as usize];
                if du > dv {
                    // Move u to the front of its bucket, then shrink the bucket past it
                    // (u != v, as du > dv).
                    let first = bucket_start[du as usize];
                    let w = order[first as usize];
                    let pu = position[u as usize];
                    order.swap(first as usize, pu as usize);
                    position[u as usize] = first;
                    position[w as usize] = pu;
                    bucket_start[du as usize] += 1;
                    degree[u as usize] = du - 1;
                }
            }
        }
    }
    degree
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csr::Direction;

    #[test]
    fn parallel_peeling_agrees_with_buckets() {
        let n = 5000u32;
        let mut rng = crate::rng::SplitMix64::new(0x9e37_79b9);
        // Dense and sparse parts, self-loops and reciprocal arcs included.
        let (mut s, mut t) = (Vec::new(), Vec::new());
        for _ in 0..40_000 {
            let u = rng.below(u64::from(n)) as u32;
            let v = if rng.below(3) == 0 { rng.below(200) as u32 } else { rng.below(u64::from(n)) as u32 };
            s.push(u);
            t.push(v);
        }
        for direction in [Direction::Undirected, Direction::Directed] {
            let g = Graph::from_edges(n as usize, &s, &t, &vec![1.0; s.len()], direction).unwrap();
            let expected = bucket_peeling(&g);
            assert!(expected.iter().any(|&c| c > 5), "a deep core exists");
            for threads in [1, 2, 4] {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                assert_eq!(pool.install(|| parallel_peeling(&g)), expected, "{direction:?} at {threads} threads");
            }
        }
    }
}
