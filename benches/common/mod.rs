//! What the benchmark binaries share: the seeded graphs they run on.

use nexo_graph::{Direction, Graph};

/// A seeded xorshift stream (the graphs must not depend on a crate's RNG).
fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// Preferential attachment (Barabasi-Albert with `edges / nodes` links per
/// new node, duplicates dropped), seeded: heavy-tailed like call networks.
pub fn preferential_attachment(nodes: u32, edges: usize, seed: u64) -> Graph {
    let per_node = edges.div_ceil(nodes as usize).max(1);
    let mut next = xorshift(seed);
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

/// A graph with planted communities, in the manner of the LFR benchmark
/// (Lancichinetti, Fortunato & Radicchi 2008), simplified: community sizes
/// and node propensities both heavy-tailed (power laws of exponents 1.5 and
/// 2.5, sizes 20 to 2,000, propensities 1 to 100); each edge picks its first
/// end by propensity, then its second by propensity inside the first end's
/// community with probability `1 - mixing`, anywhere otherwise; ids are then
/// shuffled, so that they tell nothing of the communities. Self-loops
/// are skipped and repeated pairs merged: 2.22M draws on 200k nodes leave
/// 1.99M edges. Returns the graph and each node's community.
pub fn planted_partition(nodes: u32, edges: usize, mixing: f64, seed: u64) -> (Graph, Vec<u32>) {
    let mut next = xorshift(seed);
    let mut uniform = move || (next() >> 11) as f64 / (1u64 << 53) as f64;
    // Inverse transform of a power law of `exponent` on [low, high].
    let power_law = |uniform: f64, low: f64, high: f64, exponent: f64| {
        let (a, b) = (low.powf(1.0 - exponent), high.powf(1.0 - exponent));
        (a + (b - a) * uniform).powf(1.0 / (1.0 - exponent))
    };
    let mut community = Vec::with_capacity(nodes as usize);
    let mut starts = vec![0u32];
    while community.len() < nodes as usize {
        let size = (power_law(uniform(), 20.0, 2000.0, 1.5) as usize).min(nodes as usize - community.len());
        community.extend(std::iter::repeat_n(starts.len() as u32 - 1, size));
        starts.push(community.len() as u32);
    }
    // Cumulative propensity: communities are runs of ids, so a community's
    // nodes are a range of it.
    let mut cumulative = vec![0.0];
    for _ in 0..nodes {
        let end = cumulative.last().copied().unwrap_or(0.0) + power_law(uniform(), 1.0, 100.0, 2.5);
        cumulative.push(end);
    }
    // The node of `from..to` under a uniform draw, by propensity.
    let pick = |from: u32, to: u32, uniform: f64| {
        let (low, high) = (cumulative[from as usize], cumulative[to as usize]);
        let target = low + (high - low) * uniform;
        (from + cumulative[from as usize + 1..=to as usize].partition_point(|&c| c <= target) as u32).min(to - 1)
    };
    let (mut s, mut t) = (Vec::with_capacity(edges), Vec::with_capacity(edges));
    for _ in 0..edges {
        let u = pick(0, nodes, uniform());
        let group = community[u as usize] as usize;
        let inside = uniform() >= mixing;
        let v = if inside { pick(starts[group], starts[group + 1], uniform()) } else { pick(0, nodes, uniform()) };
        if u != v {
            s.push(u);
            t.push(v);
        }
    }
    // Ids that say nothing of the communities (as in LFR): a seeded shuffle.
    let mut new_id: Vec<u32> = (0..nodes).collect();
    for i in (1..nodes as usize).rev() {
        new_id.swap(i, (uniform() * (i + 1) as f64) as usize);
    }
    let mut truth = vec![0u32; nodes as usize];
    for (u, &c) in community.iter().enumerate() {
        truth[new_id[u] as usize] = c;
    }
    for id in s.iter_mut().chain(t.iter_mut()) {
        *id = new_id[*id as usize];
    }
    let graph = Graph::from_edges(nodes as usize, &s, &t, &vec![1.0; s.len()], Direction::Undirected).expect("graph");
    (graph, truth)
}
