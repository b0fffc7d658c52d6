//! Ties within and across groups: Krackhardt & Stern's E-I index, and the
//! share of each person's contacts that crosses a border.

use crate::csr::Graph;
use crate::structure::NO_GROUP;

/// Weight of ties inside and outside their group, per node and per group.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupTies {
    /// Per node: weight of its ties to nodes of its own group.
    pub node_internal: Vec<f64>,
    /// Per node: weight of its ties to nodes of other (known) groups.
    pub node_external: Vec<f64>,
    /// Per group id: weight of the ties between its members, each once.
    pub group_internal: Vec<f64>,
    /// Per group id: weight of the ties from its members to other groups.
    pub group_external: Vec<f64>,
}

impl GroupTies {
    /// Krackhardt & Stern's E-I index of each node, `(E − I) / (E + I)`:
    /// −1 when all its ties stay in its group, +1 when all leave it; NaN
    /// without ties to known groups.
    pub fn node_ei(&self) -> Vec<f64> {
        self.node_internal.iter().zip(&self.node_external).map(|(&i, &e)| ei(i, e)).collect()
    }

    /// The share of each node's tie weight that leaves its group,
    /// `E / (E + I)`; NaN without ties to known groups.
    pub fn node_external_share(&self) -> Vec<f64> {
        self.node_internal.iter().zip(&self.node_external).map(|(&i, &e)| e / (i + e)).collect()
    }

    /// The E-I index of each group.
    pub fn group_ei(&self) -> Vec<f64> {
        self.group_internal.iter().zip(&self.group_external).map(|(&i, &e)| ei(i, e)).collect()
    }
}

fn ei(internal: f64, external: f64) -> f64 {
    (external - internal) / (external + internal)
}

/// Ties of `graph` within and across the groups `group` (ids below
/// `groups`, or [`NO_GROUP`]), weighted by the edge weights. Arcs count in
/// both directions: an undirected edge, or a pair of arcs, is one tie of
/// weight `w(u, v) + w(v, u)` for each end. Ties to a node of unknown group
/// and self-loops are left out. `O(n + m)`, one thread.
///
/// # Panics
/// If `group` has not one entry per node, or an id is not below `groups`.
///
/// # Example
///
/// Two triangles joined by the edge 2 - 3, one group each:
///
/// ```
/// use nexo_graph::{Direction, Graph, structure::group_ties};
///
/// let (s, t) = ([0, 1, 2, 3, 4, 5, 2], [1, 2, 0, 4, 5, 3, 3]);
/// let g = Graph::from_edges(6, &s, &t, &[1.0; 7], Direction::Undirected).unwrap();
/// let ties = group_ties(&g, &[0, 0, 0, 1, 1, 1], 2);
/// assert_eq!(ties.node_ei()[2], (1.0 - 2.0) / 3.0); // two ties in, one out
/// assert_eq!(ties.node_ei()[0], -1.0);
/// assert_eq!(ties.group_ei(), [(1.0 - 3.0) / 4.0; 2]);
/// ```
pub fn group_ties(graph: &Graph, group: &[u32], groups: usize) -> GroupTies {
    let n = graph.node_count();
    assert_eq!(group.len(), n, "one group per node");
    let mut ties = GroupTies {
        node_internal: vec![0.0; n],
        node_external: vec![0.0; n],
        group_internal: vec![0.0; groups],
        group_external: vec![0.0; groups],
    };
    for (u, v, w) in graph.edges() {
        let (gu, gv) = (group[u as usize], group[v as usize]);
        if u == v || gu == NO_GROUP || gv == NO_GROUP {
            continue;
        }
        if gu == gv {
            ties.node_internal[u as usize] += w;
            ties.node_internal[v as usize] += w;
            ties.group_internal[gu as usize] += w;
        } else {
            ties.node_external[u as usize] += w;
            ties.node_external[v as usize] += w;
            ties.group_external[gu as usize] += w;
            ties.group_external[gv as usize] += w;
        }
    }
    ties
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csr::Direction;

    #[test]
    fn arcs_both_ways_make_one_tie_and_unknown_groups_are_left_out() {
        // 0 <-> 1 (weights 2 and 3), 1 -> 2 across groups, 2 -> 3 of unknown group.
        let g = Graph::from_edges(4, &[0, 1, 1, 2], &[1, 0, 2, 3], &[2.0, 3.0, 1.0, 9.0], Direction::Directed).unwrap();
        let ties = group_ties(&g, &[0, 0, 1, NO_GROUP], 2);
        assert_eq!(ties.node_internal, [5.0, 5.0, 0.0, 0.0]);
        assert_eq!(ties.node_external, [0.0, 1.0, 1.0, 0.0]);
        assert_eq!((&ties.group_internal[..], &ties.group_external[..]), (&[5.0, 0.0][..], &[1.0, 1.0][..]));
        let share = ties.node_external_share();
        assert_eq!(share[1], 1.0 / 6.0);
        assert!(share[3].is_nan(), "no tie to a known group");
    }
}
