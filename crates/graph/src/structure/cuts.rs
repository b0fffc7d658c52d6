//! Articulation points and bridges: the people and the ties whose removal
//! splits a network.

use crate::csr::Graph;

/// Cut vertices and cut edges of a graph, read as undirected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cuts {
    /// Whether each node is an articulation point: removing it leaves more
    /// connected components than before.
    pub articulation: Vec<bool>,
    /// The bridges, as `(smaller id, larger id)`, sorted: removing one
    /// leaves more components than before.
    pub bridges: Vec<(u32, u32)>,
}

const UNSEEN: u32 = u32::MAX;

/// Articulation points and bridges of `graph`, with arcs read in both
/// directions (as networkx's `articulation_points` and `bridges` on
/// `nx.Graph(G)`); self-loops and weights play no part.
///
/// Hopcroft & Tarjan (1973) lowpoints, by an iterative depth-first search
/// with an explicit stack, so graphs of millions of nodes cannot overflow
/// the call stack. `O(n + m)`, one thread.
///
/// # Example
///
/// Two triangles joined by the edge 2 - 3: both ends are articulation
/// points and the edge is the only bridge.
///
/// ```
/// use nexo_graph::{Direction, Graph, structure::cuts};
///
/// let (s, t) = ([0, 1, 2, 3, 4, 5, 2], [1, 2, 0, 4, 5, 3, 3]);
/// let g = Graph::from_edges(6, &s, &t, &[1.0; 7], Direction::Undirected).unwrap();
/// let c = cuts(&g);
/// assert_eq!(c.articulation, [false, false, true, true, false, false]);
/// assert_eq!(c.bridges, [(2, 3)]);
/// ```
pub fn cuts(graph: &Graph) -> Cuts {
    let adjacency = Adjacency::of(graph);
    let n = graph.node_count();
    let mut order = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut articulation = vec![false; n];
    let mut bridges = Vec::new();
    let mut clock = 0u32;
    // (node, its parent, next neighbour index)
    let mut stack: Vec<(u32, u32, usize)> = Vec::new();
    for root in 0..n as u32 {
        if order[root as usize] != UNSEEN {
            continue;
        }
        order[root as usize] = clock;
        low[root as usize] = clock;
        clock += 1;
        let mut root_children = 0;
        stack.push((root, UNSEEN, 0));
        while let Some(top) = stack.last_mut() {
            let (u, parent) = (top.0, top.1);
            let neighbors = adjacency.of_node(u);
            if let Some(&v) = neighbors.get(top.2) {
                top.2 += 1;
                if v == u || v == parent {
                    continue;
                }
                if order[v as usize] == UNSEEN {
                    order[v as usize] = clock;
                    low[v as usize] = clock;
                    clock += 1;
                    root_children += usize::from(u == root);
                    stack.push((v, u, 0));
                } else {
                    low[u as usize] = low[u as usize].min(order[v as usize]);
                }
                continue;
            }
            stack.pop();
            if parent != UNSEEN {
                let (p, u) = (parent as usize, u as usize);
                low[p] = low[p].min(low[u]);
                if low[u] > order[p] {
                    bridges.push((parent.min(u as u32), parent.max(u as u32)));
                }
                if parent != root && low[u] >= order[p] {
                    articulation[p] = true;
                }
            }
        }
        articulation[root as usize] = root_children > 1;
    }
    bridges.sort_unstable();
    Cuts { articulation, bridges }
}

/// Neighbour lists with each neighbour once, arcs read both ways.
pub(crate) enum Adjacency<'g> {
    Undirected(&'g Graph),
    Merged { offsets: Vec<usize>, neighbors: Vec<u32> },
}

impl<'g> Adjacency<'g> {
    pub(crate) fn of(graph: &'g Graph) -> Adjacency<'g> {
        if !graph.is_directed() {
            return Adjacency::Undirected(graph);
        }
        let mut offsets = vec![0];
        let mut neighbors = Vec::with_capacity(2 * graph.edge_count());
        for u in 0..graph.node_count() as u32 {
            let start = neighbors.len();
            neighbors.extend_from_slice(graph.out_neighbors(u));
            neighbors.extend_from_slice(graph.in_neighbors(u));
            neighbors[start..].sort_unstable();
            let mut unique = start;
            for i in start..neighbors.len() {
                if i == start || neighbors[i] != neighbors[unique - 1] {
                    neighbors[unique] = neighbors[i];
                    unique += 1;
                }
            }
            neighbors.truncate(unique);
            offsets.push(neighbors.len());
        }
        Adjacency::Merged { offsets, neighbors }
    }

    pub(crate) fn of_node(&self, u: u32) -> &[u32] {
        match self {
            Adjacency::Undirected(graph) => graph.out_neighbors(u),
            Adjacency::Merged { offsets, neighbors } => &neighbors[offsets[u as usize]..offsets[u as usize + 1]],
        }
    }

    /// Entries in all the neighbour lists together.
    pub(crate) fn arcs(&self) -> usize {
        match self {
            Adjacency::Undirected(graph) => graph.edge_count() * 2,
            Adjacency::Merged { neighbors, .. } => neighbors.len(),
        }
    }
}
