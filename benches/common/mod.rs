//! What the benchmark binaries share: the seeded graphs they run on.

use nexo_graph::{Direction, Graph};

/// Preferential attachment (Barabasi-Albert with `edges / nodes` links per
/// new node, duplicates dropped), seeded: heavy-tailed like call networks.
pub fn preferential_attachment(nodes: u32, edges: usize, seed: u64) -> Graph {
    let per_node = edges.div_ceil(nodes as usize).max(1);
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let (mut s, mut t) = (Vec::with_capacity(edges), Vec::with_capacity(edges));
    let seed_nodes = per_node as u32 + 1;
    for u in 0..seed_nodes {
        for v in u + 1..seed_nodes {
            s.push(u);
            t.push(v);
        }
    }
    let mut picked = Vec::with_capacity(per_node);
    for v in seed_nodes..nodes {
        picked.clear();
        while picked.len() < per_node {
            let end = next() % (2 * s.len() as u64);
            let u = if end.is_multiple_of(2) { s[(end / 2) as usize] } else { t[(end / 2) as usize] };
            if !picked.contains(&u) {
                picked.push(u);
            }
        }
        for &u in &picked {
            s.push(u);
            t.push(v);
        }
    }
    Graph::from_edges(nodes as usize, &s, &t, &vec![1.0; s.len()], Direction::Undirected).expect("graph")
}
