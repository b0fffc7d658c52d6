//! Burt's structural holes: how far a person's contacts are tied to each
//! other (constraint) or not (effective size, efficiency).

use rayon::prelude::*;

use crate::csr::Graph;

/// Burt's measures of each node's ego network.
#[derive(Debug, Clone, PartialEq)]
pub struct StructuralHoles {
    /// Constraint: high when the node's contacts are few and tied to each
    /// other (no brokerage opportunity); NaN for an isolated node.
    pub constraint: Vec<f64>,
    /// Effective size: contacts less their redundancy; NaN when isolated.
    pub effective_size: Vec<f64>,
    /// Effective size over the number of contacts; NaN when isolated.
    pub efficiency: Vec<f64>,
}

/// Constraint, effective size and efficiency of every node (Burt 1992,
/// 2004), with networkx's definitions (`constraint`, `effective_size`;
/// efficiency as effective size over the number of contacts):
///
/// - contacts `N(u)`: in- and out-neighbours, the node itself excluded;
/// - mutual weight `a(u, v) = w(u, v) + w(v, u)` (each arc weighs 1 when
///   `weighted` is false); `p_uv = a(u, v) / Σ_x a(u, x)`,
///   `m_uv = a(u, v) / max_x a(u, x)`;
/// - constraint `c(u) = Σ_{v ∈ N(u)} (p_uv + Σ_{w ∈ N(u)} p_uw p_wv)²`;
/// - effective size `e(u) = Σ_{v ∈ N(u)} (1 − Σ_{w ∈ N(u)} p_uw m_vw)`
///   (for unweighted undirected graphs this is Borgatti's `n − 2t/n`).
///
/// Cost `O(Σ_v deg(v)²)`: each node's contacts' contacts. Runs in the
/// current rayon pool, one node per task item with per-thread buffers; each
/// node's sums run in neighbour order, so results are the same bits at any
/// thread count.
///
/// # Example
///
/// A star: the centre brokers between contacts who do not know each other.
///
/// ```
/// use nexo_graph::{Direction, Graph, structure::structural_holes};
///
/// let g = Graph::from_edges(4, &[0, 0, 0], &[1, 2, 3], &[1.0; 3], Direction::Undirected).unwrap();
/// let h = structural_holes(&g, false);
/// assert!((h.constraint[0] - 1.0 / 3.0).abs() < 1e-12); // 3 × (1/3)²
/// assert_eq!(h.effective_size[0], 3.0);
/// assert_eq!(h.efficiency[0], 1.0);
/// assert_eq!(h.constraint[1], 1.0); // a leaf depends on its one contact
/// ```
pub fn structural_holes(graph: &Graph, weighted: bool) -> StructuralHoles {
    let mutual = Mutual::of(graph, weighted);
    let n = graph.node_count();
    let one = |scratch: &mut Scratch, u: usize| mutual.ego(u, scratch);
    let triples: Vec<(f64, f64, f64)> = if n < 1024 || rayon::current_num_threads() == 1 {
        let mut scratch = Scratch::default();
        (0..n).map(|u| one(&mut scratch, u)).collect()
    } else {
        (0..n).into_par_iter().with_min_len(256).map_init(Scratch::default, one).collect()
    };
    let mut holes = StructuralHoles {
        constraint: Vec::with_capacity(n),
        effective_size: Vec::with_capacity(n),
        efficiency: Vec::with_capacity(n),
    };
    for (c, e, f) in triples {
        holes.constraint.push(c);
        holes.effective_size.push(e);
        holes.efficiency.push(f);
    }
    holes
}

/// Per-thread buffers of [`Mutual::ego`].
#[derive(Default)]
struct Scratch {
    /// Position of each node among the ego's contacts (`u32::MAX`: not one).
    index: Vec<u32>,
    /// Per contact v: Σ_w p_uw p_wv.
    indirect: Vec<f64>,
    /// Per contact v: Σ_w p_uw a(w, v).
    redundancy: Vec<f64>,
}

/// Each node's contacts with mutual weights, each contact once.
struct Mutual {
    offsets: Vec<usize>,
    neighbors: Vec<u32>,
    weights: Vec<f64>,
    sum: Vec<f64>,
    max: Vec<f64>,
}

impl Mutual {
    fn of(graph: &Graph, weighted: bool) -> Mutual {
        let n = graph.node_count();
        let mut m = Mutual {
            offsets: vec![0],
            neighbors: Vec::new(),
            weights: Vec::new(),
            sum: vec![0.0; n],
            max: vec![0.0; n],
        };
        let mut arcs: Vec<(u32, f64)> = Vec::new();
        for u in 0..n as u32 {
            arcs.clear();
            let weight = |w: f64| if weighted { w } else { 1.0 };
            arcs.extend(graph.out_neighbors(u).iter().zip(graph.out_weights(u)).map(|(&v, &w)| (v, weight(w))));
            if graph.is_directed() {
                arcs.extend(graph.in_neighbors(u).iter().zip(graph.in_weights(u)).map(|(&v, &w)| (v, weight(w))));
            } else {
                // An undirected edge is both arcs: mutual weight 2w.
                for arc in &mut arcs {
                    arc.1 *= 2.0;
                }
            }
            arcs.sort_by_key(|&(v, _)| v);
            for &(v, w) in &arcs {
                if v == u {
                    continue;
                }
                if m.neighbors.len() > *m.offsets.last().expect("offsets") && m.neighbors.last() == Some(&v) {
                    *m.weights.last_mut().expect("a weight") += w;
                } else {
                    m.neighbors.push(v);
                    m.weights.push(w);
                }
            }
            let range = *m.offsets.last().expect("offsets")..m.neighbors.len();
            m.sum[u as usize] = m.weights[range.clone()].iter().sum();
            m.max[u as usize] = m.weights[range].iter().copied().fold(0.0, f64::max);
            m.offsets.push(m.neighbors.len());
        }
        m
    }

    fn contacts(&self, u: usize) -> (&[u32], &[f64]) {
        let range = self.offsets[u]..self.offsets[u + 1];
        (&self.neighbors[range.clone()], &self.weights[range])
    }

    /// Constraint, effective size and efficiency of `u`.
    fn ego(&self, u: usize, scratch: &mut Scratch) -> (f64, f64, f64) {
        let (contacts, weights) = self.contacts(u);
        if contacts.is_empty() || self.sum[u] <= 0.0 {
            return (f64::NAN, f64::NAN, f64::NAN);
        }
        let Scratch { index, indirect, redundancy } = scratch;
        index.resize(self.offsets.len() - 1, u32::MAX);
        for (i, &v) in contacts.iter().enumerate() {
            index[v as usize] = i as u32;
        }
        // Over w in N(u), v in N(w) ∩ N(u): Σ p_uw p_wv and Σ p_uw a(w, v).
        indirect.clear();
        indirect.resize(contacts.len(), 0.0);
        redundancy.clear();
        redundancy.resize(contacts.len(), 0.0);
        for (&w, &a_uw) in contacts.iter().zip(weights) {
            let p_uw = a_uw / self.sum[u];
            let (theirs, their_weights) = self.contacts(w as usize);
            for (&v, &a_wv) in theirs.iter().zip(their_weights) {
                let i = index[v as usize];
                if i != u32::MAX {
                    indirect[i as usize] += p_uw * a_wv / self.sum[w as usize];
                    redundancy[i as usize] += p_uw * a_wv;
                }
            }
        }
        let mut constraint = 0.0;
        let mut effective = 0.0;
        for (i, (&v, &a_uv)) in contacts.iter().zip(weights).enumerate() {
            let direct = a_uv / self.sum[u];
            constraint += (direct + indirect[i]).powi(2);
            let max = self.max[v as usize];
            effective += 1.0 - if max > 0.0 { redundancy[i] / max } else { 0.0 };
            index[v as usize] = u32::MAX;
        }
        (constraint, effective, effective / contacts.len() as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csr::Direction;

    #[test]
    fn isolated_nodes_get_nan_and_self_loops_are_not_contacts() {
        let g = Graph::from_edges(4, &[0, 1, 1], &[1, 1, 2], &[1.0, 5.0, 1.0], Direction::Undirected).unwrap();
        let h = structural_holes(&g, true);
        assert!(h.constraint[3].is_nan() && h.effective_size[3].is_nan() && h.efficiency[3].is_nan());
        // Node 1: two contacts of equal weight, not tied to each other.
        assert_eq!((h.constraint[1], h.effective_size[1], h.efficiency[1]), (0.5, 2.0, 1.0));
    }

    #[test]
    fn a_directed_pair_both_ways_weighs_twice() {
        // 0 <-> 1 and 0 -> 2: mutual weights 2 and 1, so p = 2/3 and 1/3.
        let g = Graph::from_edges(3, &[0, 1, 0], &[1, 0, 2], &[1.0; 3], Direction::Directed).unwrap();
        let h = structural_holes(&g, false);
        assert!((h.constraint[0] - (4.0 / 9.0 + 1.0 / 9.0)).abs() < 1e-15);
        assert_eq!(h.constraint[2], 1.0, "a node with an incoming arc only still has a contact");
    }
}
