//! Weakly and strongly connected components.

use crate::csr::Graph;

/// A partition of the nodes into components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Components {
    /// Component id of each node. Ids follow each component's smallest node
    /// id: the component of node 0 is 0, and so on, so they do not depend on
    /// the algorithm's visiting order.
    pub id: Vec<u32>,
    /// Size of each component, by id.
    pub sizes: Vec<u32>,
}

impl Components {
    /// Number of components.
    pub fn count(&self) -> usize {
        self.sizes.len()
    }

    /// Size of the largest component (0 for an empty graph).
    pub fn largest(&self) -> u32 {
        self.sizes.iter().copied().max().unwrap_or(0)
    }

    /// The size of each node's component, in node order.
    pub fn size_of_nodes(&self) -> Vec<u32> {
        self.id.iter().map(|&c| self.sizes[c as usize]).collect()
    }

    /// Renumbers arbitrary labels so ids follow smallest members.
    fn from_labels(labels: &[u32]) -> Self {
        let mut renumber = vec![u32::MAX; labels.len()];
        let mut id = Vec::with_capacity(labels.len());
        let mut sizes = Vec::new();
        for &label in labels {
            let slot = &mut renumber[label as usize];
            if *slot == u32::MAX {
                *slot = sizes.len() as u32;
                sizes.push(0);
            }
            sizes[*slot as usize] += 1;
            id.push(*slot);
        }
        Self { id, sizes }
    }
}

/// Weakly connected components (components of an undirected graph), by
/// breadth-first search over out- and in-arcs. `O(n + m)`, one thread (it is
/// memory-bound and takes milliseconds per million arcs).
///
/// ```
/// use nexo_graph::{Direction, Graph, structure::weakly_connected};
///
/// let g = Graph::from_edges(5, &[0, 3], &[1, 2], &[1.0; 2], Direction::Directed).unwrap();
/// let c = weakly_connected(&g);
/// assert_eq!(c.id, [0, 0, 1, 1, 2]);
/// assert_eq!(c.sizes, [2, 2, 1]);
/// ```
pub fn weakly_connected(graph: &Graph) -> Components {
    let n = graph.node_count();
    let mut id = vec![u32::MAX; n];
    let mut sizes = Vec::new();
    let mut queue = Vec::with_capacity(n);
    for start in 0..n as u32 {
        if id[start as usize] != u32::MAX {
            continue;
        }
        let component = sizes.len() as u32;
        id[start as usize] = component;
        queue.clear();
        queue.push(start);
        let mut head = 0;
        while let Some(&v) = queue.get(head) {
            head += 1;
            let neighbours = graph.out_neighbors(v).iter();
            let neighbours = neighbours.chain(if graph.is_directed() { graph.in_neighbors(v) } else { &[] });
            for &w in neighbours {
                if id[w as usize] == u32::MAX {
                    id[w as usize] = component;
                    queue.push(w);
                }
            }
        }
        sizes.push(queue.len() as u32);
    }
    Components { id, sizes }
}

/// Strongly connected components by Tarjan's algorithm (Tarjan 1972), with
/// an explicit stack so graphs of millions of nodes cannot overflow the call
/// stack. `O(n + m)`. For an undirected graph they are the weak components.
///
/// ```
/// use nexo_graph::{Direction, Graph, structure::strongly_connected};
///
/// // 0 <-> 1 -> 2
/// let g = Graph::from_edges(3, &[0, 1, 1], &[1, 0, 2], &[1.0; 3], Direction::Directed).unwrap();
/// assert_eq!(strongly_connected(&g).id, [0, 0, 1]);
/// ```
pub fn strongly_connected(graph: &Graph) -> Components {
    if !graph.is_directed() {
        return weakly_connected(graph);
    }
    let n = graph.node_count();
    const UNSEEN: u32 = u32::MAX;
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut label = vec![0u32; n];
    // Call stack of (node, position in its out-neighbour list).
    let mut calls: Vec<(u32, usize)> = Vec::new();
    let mut next_index = 0u32;
    for root in 0..n as u32 {
        if index[root as usize] != UNSEEN {
            continue;
        }
        calls.push((root, 0));
        index[root as usize] = next_index;
        low[root as usize] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root as usize] = true;
        while let Some(&mut (v, ref mut at)) = calls.last_mut() {
            let neighbours = graph.out_neighbors(v);
            if let Some(&w) = neighbours.get(*at) {
                *at += 1;
                let w_ = w as usize;
                if index[w_] == UNSEEN {
                    index[w_] = next_index;
                    low[w_] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w_] = true;
                    calls.push((w, 0));
                } else if on_stack[w_] {
                    low[v as usize] = low[v as usize].min(index[w_]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent as usize] = low[parent as usize].min(low[v as usize]);
            }
            if low[v as usize] == index[v as usize] {
                // v roots a component: pop it, labelled by v.
                while let Some(w) = stack.pop() {
                    on_stack[w as usize] = false;
                    label[w as usize] = v;
                    if w == v {
                        break;
                    }
                }
            }
        }
    }
    Components::from_labels(&label)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csr::Direction;

    #[test]
    fn tarjan_on_two_cycles_and_a_tail() {
        // 0 -> 1 -> 2 -> 0, 2 -> 3, 3 -> 4 -> 3, 5 alone
        let g = Graph::from_edges(6, &[0, 1, 2, 2, 3, 4], &[1, 2, 0, 3, 4, 3], &[1.0; 6], Direction::Directed).unwrap();
        let c = strongly_connected(&g);
        assert_eq!(c.id, [0, 0, 0, 1, 1, 2]);
        assert_eq!(c.sizes, [3, 2, 1]);
        assert_eq!(weakly_connected(&g).sizes, [5, 1]);
    }

    #[test]
    fn deep_path_does_not_overflow() {
        let n = 1_000_000u32;
        let s: Vec<u32> = (0..n - 1).collect();
        let t: Vec<u32> = (1..n).collect();
        let g = Graph::from_edges(n as usize, &s, &t, &vec![1.0; s.len()], Direction::Directed).unwrap();
        assert_eq!(strongly_connected(&g).count(), n as usize);
        assert_eq!(weakly_connected(&g).largest(), n);
    }
}
