//! Leiden's refinement: each community is split into well-connected
//! sub-communities, which become the nodes of the next level.

use std::ops::Range;

use rayon::prelude::*;

use super::MIN_GAIN;
use super::level::{Level, Members, PerThread, TOUCH_BLOCK, runs, touch_lists};

/// Refines the partition `community` (ids below `count`) of `level` and
/// returns the refined community of each node, named by one of its nodes.
///
/// Within each community, every node starts alone; nodes are visited in
/// turn, and a node still alone and well connected to the rest of its
/// community joins the neighbouring sub-community (of the same community,
/// itself well connected) with the largest gain in modularity, if that gain
/// is not negative (Traag, Waltman & van Eck 2019, Algorithm A.2, choosing
/// the best rather than at random). Nodes are visited in index order, which
/// is a seeded random order (see the `level` module). A sub-community only
/// ever grows by a node adjacent to it, so every sub-community is connected.
///
/// Communities are refined independently, in parallel on large levels (in
/// runs of communities cut by arcs); the result does not depend on the
/// thread count.
pub(super) fn refine(level: &Level, community: &[u32], count: usize, resolution: f64) -> Vec<u32> {
    let members = Members::group(community, count);
    let strength = level.strengths();
    let total: f64 = strength.iter().sum();
    // Each node's community and index among its members, in one word: one
    // random read per arc tells whether a neighbour is in the community and
    // which member it is.
    let mut tag = vec![0u64; level.len()];
    for c in 0..count {
        for (i, &u) in members.of(c).iter().enumerate() {
            tag[u as usize] = (c as u64) << 32 | i as u64;
        }
    }
    // Weight from each node to the rest of its community: a pass over all
    // arcs, split by nodes (balanced, unlike the communities).
    let to_own_community = |u: usize| {
        let c = tag[u] >> 32;
        level.arcs(u).filter(|&(v, _)| tag[v] >> 32 == c).map(|(_, w)| w).sum::<f64>()
    };
    let outside: Vec<f64> = if level.parallel() {
        (0..level.len()).into_par_iter().with_min_len(1024).map(to_own_community).collect()
    } else {
        (0..level.len()).map(to_own_community).collect()
    };
    let context = Context { level, tag: &tag, outside: &outside, strength, resolution, total };
    // Output per member, aligned with `members.all()`: the local index of
    // its sub-community's founding node.
    let mut founder = vec![0u32; level.len()];
    let refine_run = |(communities, out): (Range<usize>, &mut [u32]), s: &mut Scratch| {
        let mut from = 0;
        for c in communities {
            let nodes = members.of(c);
            context.refine_one(nodes, c as u32, &mut out[from..from + nodes.len()], s);
            from += nodes.len();
        }
    };
    if level.parallel() {
        let scratch: PerThread<Scratch> = PerThread::new();
        let runs = runs_by_arcs(level, &members, count, &mut founder);
        runs.into_par_iter().with_max_len(1).for_each(|run| scratch.with(|s| refine_run(run, s)));
    } else {
        refine_run((0..count, &mut founder[..]), &mut Scratch::default());
    }
    let mut refined = vec![0u32; level.len()];
    for c in 0..count {
        let nodes = members.of(c);
        let founders = &founder[members.start(c)..members.start(c) + nodes.len()];
        for (&u, &f) in nodes.iter().zip(founders) {
            refined[u as usize] = nodes[f as usize];
        }
    }
    refined
}

/// Runs of consecutive communities of `members` (ids below `count`), cut by
/// arcs as aggregation cuts them ([`runs`]), each with its part of `out`
/// (aligned with the members). Each run is a parallel task: the largest
/// communities, which often have the first ids, then go to different
/// threads instead of sharing one task. Measured on 200k nodes /
/// 2M edges, where four communities hold 176k nodes: splitting the list of
/// communities in halves left them on one thread, and refinement did not
/// scale at all from 1 to 2 threads.
fn runs_by_arcs<'a>(
    level: &Level,
    members: &Members,
    count: usize,
    mut out: &'a mut [u32],
) -> Vec<(Range<usize>, &'a mut [u32])> {
    let room = level.community_rooms(members, count);
    runs(&room)
        .map(|run| {
            let len = members.start(run.end) - members.start(run.start);
            let (head, tail) = std::mem::take(&mut out).split_at_mut(len);
            out = tail;
            (run, head)
        })
        .collect()
}

struct Context<'a> {
    level: &'a Level,
    /// Community (high half) and index among its members (low half).
    tag: &'a [u64],
    /// Weight from each node to the rest of its community.
    outside: &'a [f64],
    strength: &'a [f64],
    resolution: f64,
    total: f64,
}

/// Per-thread buffers, indexed by a member's local index.
#[derive(Default)]
struct Scratch {
    /// Founding member of each member's sub-community.
    founder: Vec<u32>,
    /// Total strength of each sub-community (by founder).
    sub_strength: Vec<f64>,
    /// Weight from each sub-community to the rest of its community.
    outside: Vec<f64>,
    alone: Vec<bool>,
    /// Weight from the visited node to each neighbouring sub-community.
    link: Vec<f64>,
    seen: Vec<bool>,
    touched: Vec<u32>,
}

impl Context<'_> {
    fn refine_one(&self, nodes: &[u32], c: u32, out: &mut [u32], s: &mut Scratch) {
        let len = nodes.len();
        s.founder.clear();
        s.founder.extend(0..len as u32);
        s.sub_strength.clear();
        s.sub_strength.extend(nodes.iter().map(|&u| self.strength[u as usize]));
        s.alone.clear();
        s.alone.resize(len, true);
        s.link.clear();
        s.link.resize(len, 0.0);
        s.seen.clear();
        s.seen.resize(len, false);
        s.outside.clear();
        s.outside.extend(nodes.iter().map(|&u| self.outside[u as usize]));
        let community_strength: f64 = s.sub_strength.iter().sum();
        // Well connected: weight to the rest of the community at least
        // γ k (K − k) / 2m (up to rounding, so that the unit of weights
        // does not matter).
        let well_connected = |k: f64, outside: f64| {
            outside >= self.resolution * k * (community_strength - k) / self.total - MIN_GAIN * k
        };
        for (i, &u) in nodes.iter().enumerate() {
            if i % TOUCH_BLOCK == 0 {
                let block = &nodes[i..(i + TOUCH_BLOCK).min(len)];
                touch_lists(block.iter().map(|&x| self.level.adjacency(x as usize)));
            }
            let u = u as usize;
            let k = self.strength[u];
            if !s.alone[i] || !well_connected(k, s.outside[i]) {
                continue;
            }
            for (v, w) in self.level.arcs(u) {
                let tag = self.tag[v];
                if tag >> 32 == u64::from(c) {
                    let t = s.founder[tag as u32 as usize];
                    if !s.seen[t as usize] {
                        s.seen[t as usize] = true;
                        s.touched.push(t);
                    }
                    s.link[t as usize] += w;
                }
            }
            let margin = MIN_GAIN * k;
            let mut best = i as u32;
            let mut best_gain = 0.0;
            for &t in &s.touched {
                let t = t as usize;
                if t == i || !well_connected(s.sub_strength[t], s.outside[t]) {
                    continue;
                }
                let gain = s.link[t] - self.resolution * k * s.sub_strength[t] / self.total;
                // A first candidate needs a gain >= 0, a later one to beat
                // the best (both up to rounding).
                let better = if best as usize == i { gain >= -margin } else { gain > best_gain + margin };
                if better {
                    best = t as u32;
                    best_gain = gain;
                }
            }
            if best as usize != i {
                let t = best as usize;
                s.founder[i] = best;
                s.alone[i] = false;
                s.alone[t] = false;
                s.sub_strength[t] += k;
                s.outside[t] += s.outside[i] - 2.0 * s.link[t];
            }
            for &t in &s.touched {
                s.link[t as usize] = 0.0;
                s.seen[t as usize] = false;
            }
            s.touched.clear();
        }
        out.copy_from_slice(&s.founder);
    }
}
