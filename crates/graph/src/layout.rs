//! Positions for drawing a small network: a force-directed layout.

use crate::csr::Graph;
use crate::rng::SplitMix64;

/// Node positions in the unit square, `x[u]` and `y[u]` for node `u`.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Horizontal positions, in `[0, 1]`.
    pub x: Vec<f64>,
    /// Vertical positions, in `[0, 1]`.
    pub y: Vec<f64>,
}

/// A force-directed layout (Fruchterman & Reingold 1991, "Graph drawing
/// by force-directed placement"): every pair of nodes repels with force
/// `k² / d`, linked nodes attract with `d² / k` (`k = √(1 / n)`, the ideal
/// distance in a unit square), a weak pull towards the centre keeps
/// separate components in the frame, and each node moves at most the
/// current temperature, which cools linearly to zero over `iterations`.
/// Links are read both ways and weights are ignored. Positions start at
/// seeded random points and are scaled into `[0, 1]` at the end.
///
/// `O(iterations × (n² + m))` on one thread: meant for drawings of a few
/// hundred nodes, where its result must not depend on the thread count.
///
/// # Example
///
/// A path of three nodes is drawn nearly straight, its ends farthest apart.
///
/// ```
/// use nexo_graph::{Direction, Graph, layout::force_directed};
///
/// let path = Graph::from_edges(3, &[0, 1], &[1, 2], &[1.0; 2], Direction::Undirected).unwrap();
/// let layout = force_directed(&path, 300, 7);
/// let d = |a: usize, b: usize| (layout.x[a] - layout.x[b]).hypot(layout.y[a] - layout.y[b]);
/// assert!(d(0, 2) > d(0, 1) && d(0, 2) > d(1, 2));
/// assert_eq!(layout, force_directed(&path, 300, 7));
/// ```
pub fn force_directed(graph: &Graph, iterations: usize, seed: u64) -> Layout {
    let n = graph.node_count();
    if n < 2 {
        return Layout { x: vec![0.5; n], y: vec![0.5; n] };
    }
    let mut rng = SplitMix64::new(seed);
    let mut x: Vec<f64> = (0..n).map(|_| rng.unit()).collect();
    let mut y: Vec<f64> = (0..n).map(|_| rng.unit()).collect();
    let k = (1.0 / n as f64).sqrt();
    let (mut dx, mut dy) = (vec![0.0; n], vec![0.0; n]);
    for step in 0..iterations {
        let temperature = 0.1 * (1.0 - step as f64 / iterations as f64);
        dx.fill(0.0);
        dy.fill(0.0);
        for u in 0..n {
            for v in u + 1..n {
                let (ex, ey) = (x[u] - x[v], y[u] - y[v]);
                let d2 = (ex * ex + ey * ey).max(1e-12);
                // (k² / d) along the unit vector (e / d).
                let f = k * k / d2;
                dx[u] += ex * f;
                dy[u] += ey * f;
                dx[v] -= ex * f;
                dy[v] -= ey * f;
            }
        }
        for u in 0..n as u32 {
            for &v in graph.out_neighbors(u) {
                if v <= u && !graph.is_directed() {
                    continue;
                }
                let (a, b) = (u as usize, v as usize);
                let (ex, ey) = (x[a] - x[b], y[a] - y[b]);
                // (d² / k) along e / d.
                let f = (ex * ex + ey * ey).sqrt() / k;
                dx[a] -= ex * f;
                dy[a] -= ey * f;
                dx[b] += ex * f;
                dy[b] += ey * f;
            }
        }
        for u in 0..n {
            dx[u] -= GRAVITY * (x[u] - 0.5) / k;
            dy[u] -= GRAVITY * (y[u] - 0.5) / k;
            let length = dx[u].hypot(dy[u]);
            if length > 0.0 {
                let moved = length.min(temperature) / length;
                x[u] += dx[u] * moved;
                y[u] += dy[u] * moved;
            }
        }
    }
    Layout { x: fit(&x), y: fit(&y) }
}

/// Strength of the pull towards the centre.
const GRAVITY: f64 = 0.05;

/// Scales values into `[0, 1]` (all 0.5 if they are equal).
fn fit(values: &[f64]) -> Vec<f64> {
    let (low, high) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| (l.min(v), h.max(v)));
    if high - low < 1e-12 {
        return vec![0.5; values.len()];
    }
    values.iter().map(|&v| (v - low) / (high - low)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csr::Direction;

    #[test]
    fn linked_nodes_are_drawn_closer_than_others() {
        // Two cliques of six joined by one link.
        let (mut s, mut t) = (vec![0], vec![6]);
        for base in [0, 6] {
            for a in 0..6 {
                for b in a + 1..6 {
                    s.push(base + a);
                    t.push(base + b);
                }
            }
        }
        let g = Graph::from_edges(12, &s, &t, &vec![1.0; s.len()], Direction::Undirected).unwrap();
        let layout = force_directed(&g, 300, 1);
        let d = |a: usize, b: usize| (layout.x[a] - layout.x[b]).hypot(layout.y[a] - layout.y[b]);
        let within: f64 = (0..6).filter(|&b| b != 1).map(|b| d(1, b)).sum::<f64>() / 5.0;
        let across: f64 = (6..12).map(|b| d(1, b)).sum::<f64>() / 6.0;
        assert!(within < across / 2.0, "within {within}, across {across}");
        assert!(layout.x.iter().chain(&layout.y).all(|v| (0.0..=1.0).contains(v)));
    }
}
