//! Conversions between [`Graph`] and petgraph's graphs, for interoperability
//! and for tests against petgraph's algorithms.

use petgraph::EdgeType;
use petgraph::graph::{DiGraph, IndexType, UnGraph};
use petgraph::visit::EdgeRef;

use crate::csr::{Direction, Graph};
use crate::error::Result;

impl Graph {
    /// Builds a [`Graph`] from any petgraph `Graph`, reading each edge's
    /// weight with `weight`. Node `i` of petgraph becomes node `i`.
    ///
    /// ```
    /// use nexo_graph::Graph;
    /// use petgraph::graph::UnGraph;
    ///
    /// let pg = UnGraph::<(), f64>::from_edges([(0, 1, 2.0), (1, 2, 3.0)]);
    /// let g = Graph::from_petgraph(&pg, |&w| w).unwrap();
    /// assert_eq!(g.out_neighbors(1), &[0, 2]);
    /// assert_eq!(g.to_petgraph_undirected().edge_count(), 2);
    /// ```
    pub fn from_petgraph<N, E, Ty: EdgeType, Ix: IndexType>(
        graph: &petgraph::Graph<N, E, Ty, Ix>,
        weight: impl Fn(&E) -> f64,
    ) -> Result<Self> {
        let mut sources = Vec::with_capacity(graph.edge_count());
        let mut targets = Vec::with_capacity(graph.edge_count());
        let mut weights = Vec::with_capacity(graph.edge_count());
        for edge in graph.edge_references() {
            sources.push(edge.source().index() as u32);
            targets.push(edge.target().index() as u32);
            weights.push(weight(edge.weight()));
        }
        let direction = if Ty::is_directed() { Direction::Directed } else { Direction::Undirected };
        Graph::from_edges(graph.node_count(), &sources, &targets, &weights, direction)
    }

    /// A petgraph directed graph with the same nodes and arcs (an undirected
    /// graph gives both arcs of each edge).
    pub fn to_petgraph_directed(&self) -> DiGraph<(), f64, u32> {
        let mut out = DiGraph::with_capacity(self.node_count(), self.edge_count());
        for _ in 0..self.node_count() {
            out.add_node(());
        }
        for u in 0..self.node_count() as u32 {
            for (&v, &w) in self.out_neighbors(u).iter().zip(self.out_weights(u)) {
                out.add_edge(u.into(), v.into(), w);
            }
        }
        out
    }

    /// A petgraph undirected graph; a directed graph's arcs `u -> v` and
    /// `v -> u` become one edge whose weight is their sum.
    pub fn to_petgraph_undirected(&self) -> UnGraph<(), f64, u32> {
        let mut out = UnGraph::with_capacity(self.node_count(), self.edge_count());
        for _ in 0..self.node_count() {
            out.add_node(());
        }
        for u in 0..self.node_count() as u32 {
            for (&v, &w) in self.out_neighbors(u).iter().zip(self.out_weights(u)) {
                if self.is_directed() {
                    match out.find_edge(u.into(), v.into()) {
                        Some(e) => out[e] += w,
                        None => {
                            out.add_edge(u.into(), v.into(), w);
                        }
                    }
                } else if u <= v {
                    out.add_edge(u.into(), v.into(), w);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_directed() {
        let pg = DiGraph::<(), f64>::from_edges([(0, 1, 1.0), (1, 0, 2.0), (1, 2, 3.0), (1, 2, 4.0)]);
        let g = Graph::from_petgraph(&pg, |&w| w).unwrap();
        assert_eq!(g.edge_count(), 3);
        assert_eq!(g.edge_weight(1, 2), Some(7.0));
        let back = Graph::from_petgraph(&g.to_petgraph_directed(), |&w| w).unwrap();
        assert_eq!(back, g);
        let undirected = g.to_petgraph_undirected();
        assert_eq!(undirected.edge_count(), 2);
        let e = undirected.find_edge(0.into(), 1.into()).unwrap();
        assert_eq!(undirected[e], 3.0);
    }
}
