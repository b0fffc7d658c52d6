//! One level of a multilevel method: a weighted undirected graph whose
//! nodes are the communities of the level below, built in parallel.

use std::sync::Mutex;

use rayon::prelude::*;

use crate::csr::Graph;

/// Levels below this many nodes are handled on the calling thread: the
/// parallel machinery costs more than it saves.
pub(super) const PARALLEL_NODES: usize = 1 << 14;

/// Communities per parallel task when building the next level.
const AGGREGATE_CHUNK: usize = 2048;

/// A weighted undirected graph as a CSR without self-loops in the lists;
/// self-loop weights are kept apart.
pub(super) struct Level {
    offsets: Vec<usize>,
    neighbors: Vec<u32>,
    weights: Vec<f64>,
    /// Weight of each node's self-loop (counted twice in its strength).
    loops: Vec<f64>,
    /// Weighted degree, a self-loop counted twice (as modularity counts it);
    /// filled by [`Level::with_strength`].
    strength: Vec<f64>,
}

impl Level {
    pub(super) fn from_graph(graph: &Graph) -> Level {
        let n = graph.node_count();
        let mut level = Level {
            offsets: Vec::with_capacity(n + 1),
            neighbors: Vec::with_capacity(2 * graph.edge_count()),
            weights: Vec::with_capacity(2 * graph.edge_count()),
            loops: vec![0.0; n],
            strength: Vec::new(),
        };
        level.offsets.push(0);
        for u in 0..n as u32 {
            for (&v, &w) in graph.out_neighbors(u).iter().zip(graph.out_weights(u)) {
                if v == u {
                    level.loops[u as usize] += w;
                } else {
                    level.neighbors.push(v);
                    level.weights.push(w);
                }
            }
            level.offsets.push(level.neighbors.len());
        }
        level.with_strength()
    }

    pub(super) fn len(&self) -> usize {
        self.loops.len()
    }

    pub(super) fn parallel(&self) -> bool {
        self.len() >= PARALLEL_NODES && rayon::current_num_threads() > 1
    }

    /// Neighbours of `u` with the weight of each edge, self-loop excluded.
    pub(super) fn arcs(&self, u: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let range = self.offsets[u]..self.offsets[u + 1];
        self.neighbors[range.clone()].iter().map(|&v| v as usize).zip(self.weights[range].iter().copied())
    }

    pub(super) fn neighbors(&self, u: usize) -> &[u32] {
        &self.neighbors[self.offsets[u]..self.offsets[u + 1]]
    }

    fn with_strength(mut self) -> Level {
        let strength =
            |u: usize| self.weights[self.offsets[u]..self.offsets[u + 1]].iter().sum::<f64>() + 2.0 * self.loops[u];
        self.strength = if self.parallel() {
            (0..self.len()).into_par_iter().map(strength).collect()
        } else {
            (0..self.len()).map(strength).collect()
        };
        self
    }

    /// Weighted degree, a self-loop counted twice (as modularity counts it).
    pub(super) fn strengths(&self) -> &[f64] {
        &self.strength
    }

    /// Neighbours of `u` and the weights of the edges to them.
    pub(super) fn adjacency(&self, u: usize) -> (&[u32], &[f64]) {
        let range = self.offsets[u]..self.offsets[u + 1];
        (&self.neighbors[range.clone()], &self.weights[range])
    }

    /// Modularity of `partition` at `resolution` (see [`super::modularity`]),
    /// summed in node order.
    pub(super) fn modularity(&self, partition: &[u32], resolution: f64) -> f64 {
        let strength = self.strengths();
        let total: f64 = strength.iter().sum();
        if total <= 0.0 {
            return 0.0;
        }
        let mut community_strength = vec![0.0; self.len()];
        let mut inside = 0.0;
        for u in 0..self.len() {
            let c = partition[u];
            community_strength[c as usize] += strength[u];
            inside += 2.0 * self.loops[u];
            inside += self.arcs(u).filter(|&(v, _)| partition[v] == c).map(|(_, w)| w).sum::<f64>();
        }
        let expected: f64 = community_strength.iter().map(|k| k * k).sum::<f64>() / (total * total);
        inside / total - resolution * expected
    }

    /// The graph of communities: node `c` of the result is community `c` of
    /// `ids` (numbered `0..count`). Weights between communities are summed in
    /// node order, so the result is the same bits at any thread count.
    pub(super) fn aggregate(&self, ids: &[u32], count: usize) -> Level {
        let members = Members::group(ids, count, 0..self.len() as u32);
        let build = |chunk: usize, pos: &mut Vec<u32>| {
            let communities = chunk * AGGREGATE_CHUNK..((chunk + 1) * AGGREGATE_CHUNK).min(count);
            let mut part = Level {
                offsets: Vec::new(),
                neighbors: Vec::new(),
                weights: Vec::new(),
                loops: Vec::new(),
                strength: Vec::new(),
            };
            pos.resize(count, u32::MAX);
            for c in communities {
                let start = part.neighbors.len();
                let mut inner = 0.0;
                for &u in members.of(c) {
                    inner += self.loops[u as usize];
                    for (v, w) in self.arcs(u as usize) {
                        let d = ids[v] as usize;
                        if d == c {
                            // Each inner edge is seen from both ends.
                            inner += w / 2.0;
                        } else if pos[d] == u32::MAX {
                            pos[d] = (part.neighbors.len() - start) as u32;
                            part.neighbors.push(d as u32);
                            part.weights.push(w);
                        } else {
                            part.weights[start + pos[d] as usize] += w;
                        }
                    }
                }
                for &d in &part.neighbors[start..] {
                    pos[d as usize] = u32::MAX;
                }
                part.loops.push(inner);
                part.offsets.push(part.neighbors.len());
            }
            part
        };
        let chunks = count.div_ceil(AGGREGATE_CHUNK);
        let parts: Vec<Level> = if self.parallel() {
            let scratch = PerThread::new();
            (0..chunks).into_par_iter().map(|chunk| scratch.with(|pos| build(chunk, pos))).collect()
        } else {
            let mut pos = Vec::new();
            (0..chunks).map(|chunk| build(chunk, &mut pos)).collect()
        };
        Level::concatenate(parts, count)
    }

    fn concatenate(parts: Vec<Level>, count: usize) -> Level {
        let arcs = parts.iter().map(|p| p.neighbors.len()).sum();
        let mut level = Level {
            offsets: Vec::with_capacity(count + 1),
            neighbors: Vec::with_capacity(arcs),
            weights: Vec::with_capacity(arcs),
            loops: Vec::with_capacity(count),
            strength: Vec::new(),
        };
        level.offsets.push(0);
        for part in parts {
            let base = level.neighbors.len();
            level.offsets.extend(part.offsets.iter().map(|&o| base + o));
            level.neighbors.extend_from_slice(&part.neighbors);
            level.weights.extend_from_slice(&part.weights);
            level.loops.extend_from_slice(&part.loops);
        }
        level.with_strength()
    }
}

/// The members of each community, in the order `nodes` lists them.
pub(super) struct Members {
    offsets: Vec<usize>,
    nodes: Vec<u32>,
}

impl Members {
    pub(super) fn group(ids: &[u32], count: usize, nodes: impl Iterator<Item = u32> + Clone) -> Members {
        let mut offsets = vec![0usize; count + 1];
        for u in nodes.clone() {
            offsets[ids[u as usize] as usize + 1] += 1;
        }
        for c in 0..count {
            offsets[c + 1] += offsets[c];
        }
        let mut next = offsets.clone();
        let mut list = vec![0u32; offsets[count]];
        for u in nodes {
            let c = ids[u as usize] as usize;
            list[next[c]] = u;
            next[c] += 1;
        }
        Members { offsets, nodes: list }
    }

    pub(super) fn of(&self, c: usize) -> &[u32] {
        &self.nodes[self.offsets[c]..self.offsets[c + 1]]
    }

    /// Where community `c` starts in the list of all members.
    pub(super) fn start(&self, c: usize) -> usize {
        self.offsets[c]
    }
}

/// One scratch value per thread of the current rayon pool, made on first
/// use. Each thread only ever takes its own slot, so the lock is never
/// contended; it is taken once per task, not per item.
pub(super) struct PerThread<T> {
    slots: Vec<Mutex<T>>,
}

impl<T: Default> PerThread<T> {
    pub(super) fn new() -> PerThread<T> {
        PerThread { slots: (0..rayon::current_num_threads().max(1)).map(|_| Mutex::new(T::default())).collect() }
    }

    pub(super) fn with<R>(&self, work: impl FnOnce(&mut T) -> R) -> R {
        let slot = rayon::current_thread_index().unwrap_or(0) % self.slots.len();
        let mut value = self.slots[slot].lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        work(&mut value)
    }
}

/// Ids renumbered `0..` in order of first appearance; returns the count too.
pub(super) fn renumber(ids: &[u32]) -> (Vec<u32>, usize) {
    let mut new_id = vec![u32::MAX; ids.iter().max().map_or(0, |&m| m as usize + 1)];
    let mut next = 0;
    let renumbered = ids
        .iter()
        .map(|&c| {
            if new_id[c as usize] == u32::MAX {
                new_id[c as usize] = next;
                next += 1;
            }
            new_id[c as usize]
        })
        .collect();
    (renumbered, next as usize)
}

/// A seeded random order of `n` nodes (Fisher-Yates).
pub(super) fn shuffled(n: usize, rng: &mut crate::rng::SplitMix64) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    for i in (1..n).rev() {
        order.swap(i, rng.below(i as u64 + 1) as usize);
    }
    order
}
