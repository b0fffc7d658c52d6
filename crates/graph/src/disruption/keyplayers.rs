//! Key players (Borgatti 2006): the set of k people whose removal
//! fragments the network most (KPP-Neg).

use crate::csr::Graph;
use crate::error::{Error, Result};
use crate::structure::Adjacency;

/// A KPP-Neg solution.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyPlayers {
    /// The set, in the order the greedy start picked it (swaps replace in place).
    pub nodes: Vec<u32>,
    /// Fragmentation after removing the set: `1 − Σ_k s_k (s_k − 1) / (n (n − 1))`
    /// over the components `s_k` of the `n` nodes left (links read both ways).
    pub fragmentation: f64,
    /// Fragmentation after the greedy start, before swaps.
    pub greedy_fragmentation: f64,
    /// Swaps that improved the set.
    pub swaps: usize,
}

/// The `k` nodes whose removal maximises fragmentation (Borgatti 2006,
/// KPP-Neg): a greedy start, then swaps of a member for the best outsider
/// while fragmentation improves.
///
/// Every node's effect is measured at once: one depth-first search gives,
/// for each node, the sizes of the pieces its removal leaves (its
/// lowpoint children's subtrees and the rest), so a greedy step or a swap
/// costs `O(n + m)` rather than a search per candidate. Ties go to the
/// smaller id. One thread; `k` greedy steps plus `k` per swap pass.
///
/// # Errors
/// [`Error::BadParameter`] if `k` is 0 or not below the node count.
///
/// # Example
///
/// Two stars whose centres are linked: removing both centres leaves only
/// isolated leaves (fragmentation 1).
///
/// ```
/// use nexo_graph::{Direction, Graph, disruption::kpp_neg};
///
/// let (s, t) = ([0, 0, 0, 5, 5, 5, 0], [1, 2, 3, 6, 7, 8, 5]);
/// let g = Graph::from_edges(9, &s, &t, &[1.0; 7], Direction::Undirected).unwrap();
/// let best = kpp_neg(&g, 2).unwrap();
/// assert_eq!(best.nodes, [0, 5]);
/// assert_eq!(best.fragmentation, 1.0);
/// ```
pub fn kpp_neg(graph: &Graph, k: usize) -> Result<KeyPlayers> {
    let n = graph.node_count();
    if k == 0 || k >= n {
        return Err(Error::BadParameter { name: "k", message: format!("{k} for {n} nodes: need 0 < k < n") });
    }
    let adjacency = Adjacency::of(graph);
    let mut removed = vec![false; n];
    let mut set = Vec::with_capacity(k);
    for _ in 0..k {
        let pairs = connected_pairs_without_each(&adjacency, &removed);
        let best = best_outsider(&pairs, &removed);
        removed[best as usize] = true;
        set.push(best);
    }
    let greedy_pairs = pairs_left(&adjacency, &removed);
    let mut best_pairs = greedy_pairs;
    let mut swaps = 0;
    loop {
        let mut improved = false;
        for slot in 0..k {
            let member = set[slot];
            removed[member as usize] = false;
            let pairs = connected_pairs_without_each(&adjacency, &removed);
            let candidate = best_outsider(&pairs, &removed);
            if pairs[candidate as usize] < best_pairs && candidate != member {
                best_pairs = pairs[candidate as usize];
                set[slot] = candidate;
                swaps += 1;
                improved = true;
            }
            removed[set[slot] as usize] = true;
        }
        if !improved {
            break;
        }
    }
    let left = (n - k) as f64;
    let fragmentation = |pairs: u64| if left < 2.0 { 1.0 } else { 1.0 - pairs as f64 / (left * (left - 1.0)) };
    Ok(KeyPlayers {
        nodes: set,
        fragmentation: fragmentation(best_pairs),
        greedy_fragmentation: fragmentation(greedy_pairs),
        swaps,
    })
}

/// The outsider whose removal leaves fewest connected pairs (smallest id on ties).
fn best_outsider(pairs: &[u64], removed: &[bool]) -> u32 {
    (0..pairs.len()).filter(|&v| !removed[v]).min_by_key(|&v| (pairs[v], v)).expect("an outsider") as u32
}

/// Ordered pairs of nodes left connected, `Σ s (s − 1)` over components of
/// the nodes not removed.
fn pairs_left(adjacency: &Adjacency<'_>, removed: &[bool]) -> u64 {
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
fn connected_pairs_without_each(adjacency: &Adjacency<'_>, removed: &[bool]) -> Vec<u64> {
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
    use crate::csr::Direction;
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

    #[test]
    fn swaps_never_lose_and_bad_k_is_refused() {
        let g = Graph::ring_with_chords(300, 150, 2, Direction::Undirected);
        let best = kpp_neg(&g, 5).unwrap();
        assert!(best.fragmentation >= best.greedy_fragmentation);
        let mut removed = vec![false; 300];
        for &v in &best.nodes {
            removed[v as usize] = true;
        }
        let pairs = pairs_left(&Adjacency::of(&g), &removed) as f64;
        assert!((best.fragmentation - (1.0 - pairs / (295.0 * 294.0))).abs() < 1e-15);
        assert!(kpp_neg(&g, 0).is_err() && kpp_neg(&g, 300).is_err());
    }
}
