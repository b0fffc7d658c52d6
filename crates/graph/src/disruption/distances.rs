//! Distances that key-player sets are judged by: between the nodes left
//! once a set is removed (distance-weighted fragmentation, KPP-Neg), and
//! from a set to everyone (distance-weighted reach, KPP-Pos). Links are
//! read both ways; a distance counts hops.

use crate::rng::SplitMix64;
use crate::structure::Adjacency;

/// Not reached by the search (yet).
pub(super) const UNREACHED: u32 = u32::MAX;
/// No extra node removed.
pub(super) const NO_NODE: u32 = u32::MAX;

/// Every node with `count` 0 (or at least `n`), else `count` distinct nodes
/// drawn with `seed`: the sources of an exact or an estimated sum.
pub(super) fn sources(n: usize, count: usize, seed: u64) -> Vec<u32> {
    if count == 0 || count >= n {
        (0..n as u32).collect()
    } else {
        SplitMix64::new(seed).sample_distinct(n as u32, count)
    }
}

/// One thread's buffers for breadth-first searches: distances start and
/// end [`UNREACHED`], so a search resets only the nodes it reached.
pub(super) struct Bfs {
    distance: Vec<u32>,
    queue: Vec<u32>,
}

impl Bfs {
    pub(super) fn new(n: usize) -> Bfs {
        Bfs { distance: vec![UNREACHED; n], queue: Vec::new() }
    }

    fn reset(&mut self) {
        for &u in &self.queue {
            self.distance[u as usize] = UNREACHED;
        }
        self.queue.clear();
    }
}

/// `Σ_t 1 / d(source, t)` over the nodes `t ≠ source` that `source`
/// reaches along `neighbors` without passing through a node `skip` names.
pub(super) fn inverse_distances_from<'a>(
    neighbors: impl Fn(u32) -> &'a [u32],
    skip: impl Fn(u32) -> bool,
    source: u32,
    bfs: &mut Bfs,
) -> f64 {
    bfs.distance[source as usize] = 0;
    bfs.queue.push(source);
    let (mut head, mut sum) = (0, 0.0);
    while let Some(&u) = bfs.queue.get(head) {
        head += 1;
        let d = bfs.distance[u as usize] + 1;
        for &v in neighbors(u) {
            if bfs.distance[v as usize] == UNREACHED && !skip(v) {
                bfs.distance[v as usize] = d;
                sum += 1.0 / f64::from(d);
                bfs.queue.push(v);
            }
        }
    }
    bfs.reset();
    sum
}

/// Distance-weighted fragmentation (Borgatti 2006) of the nodes left once
/// `removed` and `extra` ([`NO_NODE`] for none) are gone:
/// `1 − Σ_{i ≠ j} 1 / d(i, j) / (L (L − 1))` over the `L` nodes left, the
/// sum over `i` taken over the `sources` left (all of them, or a sample
/// that estimates it). 1 when fewer than two nodes are left.
pub(super) fn distance_fragmentation(
    adjacency: &Adjacency<'_>,
    removed: &[bool],
    extra: u32,
    sources: &[u32],
    bfs: &mut Bfs,
) -> f64 {
    let left = removed.iter().filter(|&&r| !r).count() - usize::from(extra != NO_NODE);
    let (mut sum, mut used) = (0.0, 0usize);
    for &s in sources {
        if !removed[s as usize] && s != extra {
            let skip = |v: u32| removed[v as usize] || v == extra;
            sum += inverse_distances_from(|u| adjacency.of_node(u), skip, s, bfs);
            used += 1;
        }
    }
    if left < 2 || used == 0 {
        return 1.0;
    }
    1.0 - sum / (used as f64 * (left - 1) as f64)
}

/// Hops from the nearest of `members` to every node ([`UNREACHED`] where
/// none reaches): one search from all members at once.
pub(super) fn distances_to_set(adjacency: &Adjacency<'_>, n: usize, members: &[u32]) -> Vec<u32> {
    let mut distance = vec![UNREACHED; n];
    let mut queue = Vec::with_capacity(n);
    for &m in members {
        if distance[m as usize] == UNREACHED {
            distance[m as usize] = 0;
            queue.push(m);
        }
    }
    let mut head = 0;
    while let Some(&u) = queue.get(head) {
        head += 1;
        let d = distance[u as usize] + 1;
        for &v in adjacency.of_node(u) {
            if distance[v as usize] == UNREACHED {
                distance[v as usize] = d;
                queue.push(v);
            }
        }
    }
    distance
}

/// What a node at this distance from the set adds to the reach: members
/// count 1, as nodes at one hop do (Borgatti 2006), the unreached 0.
pub(super) fn reach_term(distance: u32) -> f64 {
    match distance {
        UNREACHED => 0.0,
        d => 1.0 / f64::from(d.max(1)),
    }
}

/// How much `Σ_j reach_term(d(M, j))` grows if `candidate` joins the set
/// `M` whose distances are `to_set`. The search from `candidate` only goes
/// where it comes strictly closer than the set: past a node it does not
/// improve, it cannot improve any other (the triangle inequality), so the
/// gain is exact and a search is short once the set covers the network.
pub(super) fn reach_gain(adjacency: &Adjacency<'_>, to_set: &[u32], candidate: u32, bfs: &mut Bfs) -> f64 {
    if to_set[candidate as usize] == 0 {
        return 0.0;
    }
    bfs.distance[candidate as usize] = 0;
    bfs.queue.push(candidate);
    let mut gain = 1.0 - reach_term(to_set[candidate as usize]);
    let mut head = 0;
    while let Some(&u) = bfs.queue.get(head) {
        head += 1;
        let d = bfs.distance[u as usize] + 1;
        for &v in adjacency.of_node(u) {
            if bfs.distance[v as usize] == UNREACHED && d < to_set[v as usize] {
                bfs.distance[v as usize] = d;
                gain += reach_term(d) - reach_term(to_set[v as usize]);
                bfs.queue.push(v);
            }
        }
    }
    bfs.reset();
    gain
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csr::{Direction, Graph};
    use crate::rng::SplitMix64;

    fn random_graph(rng: &mut SplitMix64) -> Graph {
        let n = 5 + rng.below(60) as u32;
        let m = rng.below(u64::from(n) * 2) as usize;
        let (s, t): (Vec<u32>, Vec<u32>) =
            (0..m).map(|_| (rng.below(u64::from(n)) as u32, rng.below(u64::from(n)) as u32)).unzip();
        Graph::from_edges(n as usize, &s, &t, &vec![1.0; m], Direction::Directed).unwrap()
    }

    /// The pruned search's gain against recomputing the reach with the
    /// candidate in the set.
    #[test]
    fn pruned_reach_gains_are_exact() {
        let mut rng = SplitMix64::new(11);
        for round in 0..80 {
            let g = random_graph(&mut rng);
            let n = g.node_count();
            let adjacency = Adjacency::of(&g);
            let size = 1 + rng.below(3) as usize;
            let members = rng.sample_distinct(n as u32, size);
            let to_set = distances_to_set(&adjacency, n, &members);
            let base: f64 = to_set.iter().map(|&d| reach_term(d)).sum();
            let mut bfs = Bfs::new(n);
            for v in 0..n as u32 {
                let mut with = members.clone();
                with.push(v);
                let direct: f64 = distances_to_set(&adjacency, n, &with).iter().map(|&d| reach_term(d)).sum();
                let gain = reach_gain(&adjacency, &to_set, v, &mut bfs);
                assert!((base + gain - direct).abs() < 1e-9, "round {round}, node {v}");
            }
            assert!(bfs.distance.iter().all(|&d| d == UNREACHED) && bfs.queue.is_empty());
        }
    }

    #[test]
    fn distance_fragmentation_of_a_path() {
        // A path 0 - 1 - 2 - 3: efficiency 13/18 (networkx), so DF = 5/18;
        // without node 1: 0 alone and 2 - 3, so 2 of 6 ordered pairs at 1 hop.
        let g = Graph::from_edges(4, &[0, 1, 2], &[1, 2, 3], &[1.0; 3], Direction::Undirected).unwrap();
        let adjacency = Adjacency::of(&g);
        let mut bfs = Bfs::new(4);
        let all = [0, 1, 2, 3];
        let none = [false; 4];
        assert!((distance_fragmentation(&adjacency, &none, NO_NODE, &all, &mut bfs) - 5.0 / 18.0).abs() < 1e-15);
        assert!((distance_fragmentation(&adjacency, &none, 1, &all, &mut bfs) - 2.0 / 3.0).abs() < 1e-15);
        let removed = [false, true, false, false];
        assert_eq!(distance_fragmentation(&adjacency, &removed, 2, &all, &mut bfs), 1.0);
    }
}
