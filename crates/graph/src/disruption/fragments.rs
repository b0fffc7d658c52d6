//! Connected pairs: what fragmentation counts, for one set or for every
//! node added to it at once.

use crate::structure::Adjacency;

/// Ordered pairs of nodes left connected, `Σ s (s − 1)` over components of
/// the nodes not removed.
pub(super) fn pairs_left(adjacency: &Adjacency<'_>, removed: &[bool]) -> u64 {
    let n = removed.len();
    let mut seen = removed.to_vec();
    let mut stack = Vec::new();
    let mut pairs = 0;
    for root in 0..n {
        if seen[root] {
            continue;
        }
        seen[root] = true;
        stack.push(root as u32);
        let mut size = 0u64;
        while let Some(u) = stack.pop() {
            size += 1;
            for &v in adjacency.of_node(u) {
                if !seen[v as usize] {
                    seen[v as usize] = true;
                    stack.push(v);
                }
            }
        }
        pairs += size * (size - 1);
    }
    pairs
}

/// For every node not removed: the ordered pairs left connected once it is
/// removed too (`u64::MAX` for removed nodes). One iterative depth-first
/// search with lowpoints and subtree sizes.
pub(super) fn connected_pairs_without_each(adjacency: &Adjacency<'_>, removed: &[bool]) -> Vec<u64> {
    const UNSEEN: u32 = u32::MAX;
    let n = removed.len();
    let mut order = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut size = vec![1u64; n];
    // Per node: Σ p (p − 1) over the pieces cut off below it, and their total size.
    let mut cut_pairs = vec![0u64; n];
    let mut cut_size = vec![0u64; n];
    let mut component_of = vec![0u32; n];
    let mut component_size: Vec<u64> = Vec::new();
    let mut clock = 0;
    let mut stack: Vec<(u32, u32, usize)> = Vec::new();
    let mut members: Vec<u32> = Vec::new();
    for root in 0..n as u32 {
        if removed[root as usize] || order[root as usize] != UNSEEN {
            continue;
        }
        let component = component_size.len() as u32;
        let first_member = members.len();
        order[root as usize] = clock;
        low[root as usize] = clock;
        clock += 1;
        stack.push((root, UNSEEN, 0));
        while let Some(top) = stack.last_mut() {
            let (u, parent) = (top.0, top.1);
            if let Some(&v) = adjacency.of_node(u).get(top.2) {
                top.2 += 1;
                if v == u || v == parent || removed[v as usize] {
                    continue;
                }
                if order[v as usize] == UNSEEN {
                    order[v as usize] = clock;
                    low[v as usize] = clock;
                    clock += 1;
                    stack.push((v, u, 0));
                } else {
                    low[u as usize] = low[u as usize].min(order[v as usize]);
                }
                continue;
            }
            stack.pop();
            members.push(u);
            component_of[u as usize] = component;
            if parent != UNSEEN {
                let (p, u) = (parent as usize, u as usize);
                low[p] = low[p].min(low[u]);
                size[p] += size[u];
                // Removing p cuts off u's subtree when u cannot climb above p
                // (always for the root's children).
                if low[u] >= order[p] || parent == root {
                    cut_pairs[p] += size[u] * (size[u] - 1);
                    cut_size[p] += size[u];
                }
            }
        }
        component_size.push((members.len() - first_member) as u64);
    }
    let total: u64 = component_size.iter().map(|&s| s * (s - 1)).sum();
    (0..n)
        .map(|v| {
            if removed[v] {
                return u64::MAX;
            }
            let whole = component_size[component_of[v] as usize];
            let rest = whole - 1 - cut_size[v];
            total - whole * (whole - 1) + cut_pairs[v] + rest * rest.saturating_sub(1)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csr::{Direction, Graph};
    use crate::rng::SplitMix64;

    /// The one-search evaluation against removing each node and counting.
    #[test]
    fn every_node_s_effect_matches_removing_it() {
        let mut rng = SplitMix64::new(4);
        for round in 0..60 {
            let n = 5 + rng.below(80) as u32;
            let m = rng.below(u64::from(n) * 2) as usize;
            let (s, t): (Vec<u32>, Vec<u32>) =
                (0..m).map(|_| (rng.below(u64::from(n)) as u32, rng.below(u64::from(n)) as u32)).unzip();
            let direction = if round % 2 == 0 { Direction::Undirected } else { Direction::Directed };
            let g = Graph::from_edges(n as usize, &s, &t, &vec![1.0; m], direction).unwrap();
            let adjacency = Adjacency::of(&g);
            let mut removed = vec![false; n as usize];
            for flag in removed.iter_mut() {
                *flag = rng.below(5) == 0;
            }
            let fast = connected_pairs_without_each(&adjacency, &removed);
            for v in 0..n as usize {
                if removed[v] {
                    continue;
                }
                removed[v] = true;
                assert_eq!(fast[v], pairs_left(&adjacency, &removed), "round {round}, node {v}");
                removed[v] = false;
            }
        }
    }
}
