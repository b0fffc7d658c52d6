//! Degrees and strengths of every node of a link network.

use rayon::prelude::*;

use crate::csr::{Direction, Graph};
use crate::error::Result;
use crate::network::LinkNetwork;
use crate::record::WeightKind;

/// Degree and strength columns, in node id order.
#[derive(Debug, Clone, PartialEq)]
pub struct Degrees {
    /// Distinct neighbours over links in either direction.
    pub degree: Vec<i64>,
    /// Distinct in-neighbours.
    pub in_degree: Vec<i64>,
    /// Distinct out-neighbours.
    pub out_degree: Vec<i64>,
    /// `in_strength + out_strength`.
    pub strength: Vec<f64>,
    /// Total weight of incoming links.
    pub in_strength: Vec<f64>,
    /// Total weight of outgoing links.
    pub out_strength: Vec<f64>,
}

impl Degrees {
    /// Computes the columns from the directed graph of `network` (all layers
    /// summed) under `weight`, in parallel over nodes. `O(n + m)`.
    ///
    /// ```
    /// use nexo_graph::{Degrees, Direction, Graph};
    ///
    /// // 0 -> 1 (weight 2), 1 -> 0 (weight 1), 2 -> 1 (weight 4)
    /// let g = Graph::from_edges(3, &[0, 1, 2], &[1, 0, 1], &[2.0, 1.0, 4.0], Direction::Directed).unwrap();
    /// let d = Degrees::of_directed(&g);
    /// assert_eq!(d.degree, [1, 2, 1]);
    /// assert_eq!((d.in_degree[1], d.out_degree[1]), (2, 1));
    /// assert_eq!(d.strength, [3.0, 7.0, 4.0]);
    /// ```
    pub fn compute(network: &LinkNetwork, weight: WeightKind) -> Result<Degrees> {
        Ok(Degrees::of_directed(&network.graph(Direction::Directed, weight)?))
    }

    /// The columns of a directed graph: `degree` counts the union of in- and
    /// out-neighbours.
    pub fn of_directed(graph: &Graph) -> Degrees {
        let n = graph.node_count() as u32;
        let per_node: Vec<(i64, i64, i64, f64, f64)> = (0..n)
            .into_par_iter()
            .with_min_len(4096)
            .map(|u| {
                let (outs, ins) = (graph.out_neighbors(u), graph.in_neighbors(u));
                let both = sorted_union_len(outs, ins) as i64;
                (both, ins.len() as i64, outs.len() as i64, graph.in_strength(u), graph.out_strength(u))
            })
            .collect();
        let mut d = Degrees {
            degree: Vec::with_capacity(n as usize),
            in_degree: Vec::with_capacity(n as usize),
            out_degree: Vec::with_capacity(n as usize),
            strength: Vec::with_capacity(n as usize),
            in_strength: Vec::with_capacity(n as usize),
            out_strength: Vec::with_capacity(n as usize),
        };
        for (degree, in_degree, out_degree, in_strength, out_strength) in per_node {
            d.degree.push(degree);
            d.in_degree.push(in_degree);
            d.out_degree.push(out_degree);
            d.strength.push(in_strength + out_strength);
            d.in_strength.push(in_strength);
            d.out_strength.push(out_strength);
        }
        d
    }
}

/// Size of the union of two sorted, duplicate-free lists.
fn sorted_union_len(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
        n += 1;
    }
    n + (a.len() - i) + (b.len() - j)
}
