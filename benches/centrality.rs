//! Centrality kernels: timings, thread scaling, and the nexo side of the
//! peers comparison (`benches/peers/centrality.py`).
//!
//! - `cargo bench --bench centrality` times every kernel at 1 and 2 threads
//!   on 10k-node / 50k-edge, 100k / 1M (the brokerage, key-player and
//!   disruption kernels) and 200k / 2M preferential-attachment graphs and
//!   prints a Markdown table.
//! - `... -- --generate FILE --nodes N --edges M [--seed S]` writes such a
//!   graph as an edge list (`u v` per line, undirected, ids from 0); with
//!   `--planted MIXING`, a graph of planted communities instead
//!   (`common::planted_partition`), and each node's community, one per
//!   line, to `FILE.truth`.
//! - `... -- --graph FILE --kernel K [--repeat R]` times one kernel on that
//!   file with the current `RAYON_NUM_THREADS` and prints one JSON line
//!   (best of R runs, loading excluded): what the peers script calls. With
//!   `--membership FILE`, a community kernel writes its last run's
//!   community of each node there, one per line.
//! - `... -- --graph FILE --kernel K --scaling R` alternates 1 and 2
//!   threads R times each in one process and prints the best and median
//!   times and speed-ups, as one JSON line.
//!
//! Under `cargo test` it runs every kernel once on a small graph and checks
//! that 1 and 2 threads give the same bits.

use std::io::{BufRead, BufWriter, Write};
use std::time::Instant;

use nexo_graph::centrality::{
    AdaptiveOptions, BetweennessOptions, Convergence, PathLength, betweenness, betweenness_adaptive,
    betweenness_sampled, closeness, closeness_top_k, pagerank,
};
use nexo_graph::community::{Communities, label_propagation, leiden, louvain, modularity};
use nexo_graph::disruption::{Criterion, Removal, Target, key_players, simulate};
use nexo_graph::structure::{brokerage, core_number, cuts, structural_holes, weakly_connected};
use nexo_graph::{Direction, Graph};

mod common;
use common::{planted_partition, preferential_attachment};

/// Kernels and what each computes.
const KERNELS: &[&str] = &[
    "betweenness",      // exact, hops
    "betweenness_k100", // 100 sampled sources
    "kadabra",          // epsilon 0.01, delta 0.1
    "closeness",        // exact, hops
    "pagerank_50",      // exactly 50 iterations
    "core",
    "components",
    "holes",      // constraint, effective size, efficiency
    "cuts",       // articulation points and bridges
    "kpp10",      // KPP-Neg, k = 10
    "kpp_pos10",  // KPP-Pos (distance-weighted reach), k = 10
    "brokerage",  // Gould & Fernandez roles, 17 groups (id mod 17)
    "disrupt100", // 100 steps of sequential removal by betweenness from 100 sampled sources
    "leiden",     // resolution 1, seed 1
    "louvain",    // resolution 1, seed 1
    "lpa",        // label propagation, seed 1
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| args.windows(2).find(|w| w[0] == flag).map(|w| w[1].clone());
    let number = |flag: &str, default: u64| value(flag).map_or(default, |v| v.parse().expect("a number"));
    if let Some(file) = value("--generate") {
        let (nodes, edges, seed) =
            (number("--nodes", 10_000) as u32, number("--edges", 50_000) as usize, number("--seed", 1));
        let g = match value("--planted") {
            Some(mixing) => {
                let (g, truth) = planted_partition(nodes, edges, mixing.parse().expect("a mixing share"), seed);
                write_communities(&truth, &format!("{file}.truth"));
                g
            }
            None => preferential_attachment(nodes, edges, seed),
        };
        write_edges(&g, &file);
        return;
    }
    if let Some(file) = value("--graph") {
        let g = read_edges(&file);
        let kernel = value("--kernel").expect("--kernel K");
        if kernel == "memory" {
            // What the graph holds, for the memory comparison (benches/peers/memory.py).
            let bytes = g.heap_bytes();
            println!("{{\"tool\":\"nexo\",\"bytes\":{bytes},\"edges\":{}}}", g.edge_count());
            return;
        }
        if let Some(rounds) = value("--scaling") {
            scaling(&g, &kernel, rounds.parse().expect("a number of rounds"));
            return;
        }
        let runs: Vec<Timed> = (0..number("--repeat", 1).max(1)).map(|_| time(&g, &kernel)).collect();
        let best = runs.iter().map(|r| r.seconds).fold(f64::INFINITY, f64::min);
        let last = &runs[runs.len() - 1];
        if let Some(file) = value("--membership") {
            write_communities(&last.membership, &file);
        }
        let quality = &last.quality;
        println!(
            "{{\"tool\":\"nexo\",\"kernel\":\"{kernel}\",\"threads\":{},\"seconds\":{best}{quality}}}",
            rayon::current_num_threads()
        );
        return;
    }
    if !args.iter().any(|a| a == "--bench") {
        smoke();
        return;
    }
    approximation_quality();
    println!("| graph | kernel | 1 thread s | 2 threads s | speed-up |");
    println!("|---|---|---|---|---|");
    for (nodes, edges, kernels) in [
        (10_000, 50_000, KERNELS),
        (100_000, 1_000_000, &["holes", "brokerage", "kpp10", "kpp_pos10", "disrupt100"][..]),
        (
            200_000,
            2_000_000,
            &[
                "betweenness_k100",
                "kadabra",
                "closeness_top10",
                "pagerank_50",
                "core",
                "components",
                "leiden",
                "louvain",
                "lpa",
            ][..],
        ),
    ] {
        let g = preferential_attachment(nodes, edges, 1);
        for &kernel in kernels {
            let at = |threads| pool(threads).install(|| time(&g, kernel).seconds);
            let (one, two) = (at(1), at(2));
            println!("| {nodes} / {edges} | {kernel} | {one:.3} | {two:.3} | {:.2} |", one / two);
        }
    }
}

/// On the 10k-node graph: do sampled (k = 1000) and adaptive betweenness
/// find the exact top 10, and does KADABRA's error bound hold?
fn approximation_quality() {
    let g = preferential_attachment(10_000, 50_000, 1);
    let n = g.node_count() as f64;
    let hops = BetweennessOptions { length: PathLength::Hops, normalized: true, edges: false };
    let exact = betweenness(&g, hops).expect("betweenness").nodes;
    let exact_top = top(&exact, 10);
    let overlap = |values: &[f64]| top(values, 10).iter().filter(|v| exact_top.contains(v)).count();
    let sampled = betweenness_sampled(&g, hops, 1000, 7).expect("sampled").nodes;
    let options = AdaptiveOptions::default();
    let adaptive = betweenness_adaptive(&g, options).expect("kadabra");
    // KADABRA's bound is on the share of pairs: networkx's scale times (n - 2) / n.
    let worst = exact.iter().zip(&adaptive.nodes).map(|(e, a)| (e - a).abs() * (n - 2.0) / n).fold(0.0, f64::max);
    println!("Approximations on 10,000 / 50,000 (exact top 10 found; KADABRA's largest error against epsilon):\n");
    println!("- sampled, 1000 sources: {} of 10", overlap(&sampled));
    println!(
        "- KADABRA (epsilon {}, delta {}): {} of 10, largest error {worst:.5} (bound {}), {} samples of at most {}\n",
        options.epsilon,
        options.delta,
        overlap(&adaptive.nodes),
        options.epsilon,
        adaptive.samples,
        adaptive.omega
    );
    assert!(worst <= options.epsilon, "KADABRA missed its bound");
}

/// Times `kernel` at 1 and 2 threads in turn, `rounds` times each, and
/// prints one JSON line: the best and median seconds at each thread count
/// and the speed-up of each. Alternating in one process exposes both
/// thread counts to the same phases of a shared machine. Panics if the
/// two thread counts give different outputs.
fn scaling(g: &Graph, kernel: &str, rounds: usize) {
    let pools = [pool(1), pool(2)];
    let mut seconds = [Vec::new(), Vec::new()];
    for _ in 0..rounds.max(1) {
        let [one, two] = [0, 1].map(|p| pools[p].install(|| time(g, kernel)));
        assert_eq!(one.checksum, two.checksum, "{kernel}: 1 and 2 threads differ");
        seconds[0].push(one.seconds);
        seconds[1].push(two.seconds);
    }
    for times in &mut seconds {
        times.sort_by(f64::total_cmp);
    }
    let best = seconds.each_ref().map(|times| times[0]);
    let median = seconds.each_ref().map(|times| times[times.len() / 2]);
    println!(
        "{{\"tool\":\"nexo\",\"kernel\":\"{kernel}\",\"rounds\":{rounds},\"best\":{best:?},\"median\":{median:?},\"speedup_best\":{:.3},\"speedup_median\":{:.3}}}",
        best[0] / best[1],
        median[0] / median[1]
    );
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool")
}

/// One timed run of a kernel.
struct Timed {
    seconds: f64,
    /// A checksum of the output, to compare thread counts.
    checksum: u64,
    /// JSON fields on the output's quality, measured after the clock
    /// stopped: a community kernel's modularity, a score kernel's top 10
    /// (for the agreement with exact results); empty for other kernels.
    quality: String,
    /// A community kernel's partition; empty for other kernels.
    membership: Vec<u32>,
}

/// Runs `kernel` once.
fn time(g: &Graph, kernel: &str) -> Timed {
    let started = Instant::now();
    let bits = |v: &[f64]| v.iter().fold(0u64, |h, x| h.rotate_left(5) ^ x.to_bits());
    if let Some(values) = scores(g, kernel) {
        let seconds = started.elapsed().as_secs_f64();
        let quality = format!(",\"top10\":{:?}", top(&values, 10));
        return Timed { seconds, checksum: bits(&values), quality, membership: Vec::new() };
    }
    if let Some(found) = community(g, kernel) {
        let seconds = started.elapsed().as_secs_f64();
        let checksum = found.membership.iter().fold(0u64, |h, &c| h.rotate_left(5) ^ u64::from(c));
        let q = modularity(g, &found.membership, 1.0).expect("modularity");
        let quality = format!(",\"modularity\":{q},\"communities\":{},\"levels\":{}", found.count, found.levels);
        return Timed { seconds, checksum, quality, membership: found.membership };
    }
    let checksum = match kernel {
        "core" => core_number(g).iter().fold(0u64, |h, &c| h.rotate_left(5) ^ u64::from(c)),
        "components" => weakly_connected(g).id.iter().fold(0u64, |h, &c| h.rotate_left(5) ^ u64::from(c)),
        "holes" => bits(&structural_holes(g, false).constraint),
        "kpp10" => nexo_graph::disruption::kpp_neg(g, 10)
            .expect("kpp")
            .nodes
            .iter()
            .fold(0u64, |h, &v| h.rotate_left(5) ^ u64::from(v)),
        "kpp_pos10" => key_players(g, 10, Criterion::Reach)
            .expect("kpp-pos")
            .nodes
            .iter()
            .fold(0u64, |h, &v| h.rotate_left(5) ^ u64::from(v)),
        "brokerage" => {
            let groups: Vec<u32> = (0..g.node_count() as u32).map(|u| u % 17).collect();
            brokerage(g, &groups).iter().fold(0u64, |h, r| h.rotate_left(5) ^ r.total())
        }
        "disrupt100" => {
            let target = Target::BetweennessSampled { length: PathLength::Hops, sources: 100 };
            let removal = Removal { target, steps: 100, seed: 1, ..Removal::default() };
            let steps = simulate(g, &removal).expect("disruption");
            steps.iter().fold(0u64, |h, s| {
                h.rotate_left(5)
                    ^ u64::from(s.largest_weak)
                    ^ u64::from(s.removed[..].first().copied().unwrap_or(0)) << 32
            })
        }
        "cuts" => cuts(g).bridges.iter().fold(0u64, |h, &(u, v)| h.rotate_left(5) ^ u64::from(u) ^ u64::from(v) << 32),
        other => panic!("unknown kernel {other}; one of {KERNELS:?}"),
    };
    Timed { seconds: started.elapsed().as_secs_f64(), checksum, quality: String::new(), membership: Vec::new() }
}

/// The node scores of a score kernel; `None` for other kernels.
fn scores(g: &Graph, kernel: &str) -> Option<Vec<f64>> {
    let hops = BetweennessOptions { length: PathLength::Hops, normalized: true, edges: false };
    Some(match kernel {
        "betweenness" => betweenness(g, hops).expect("betweenness").nodes,
        "betweenness_k100" => betweenness_sampled(g, hops, 100, 7).expect("sampled").nodes,
        "kadabra" => betweenness_adaptive(g, AdaptiveOptions::default()).expect("kadabra").nodes,
        "closeness" => closeness(g, PathLength::Hops).expect("closeness").closeness,
        "closeness_top10" => {
            let mut values = vec![f64::NEG_INFINITY; g.node_count()];
            for (v, c) in closeness_top_k(g, 10).expect("top-k") {
                values[v as usize] = c;
            }
            values
        }
        "pagerank_50" => {
            let fixed = Convergence { tolerance: 0.0, max_iterations: 50 };
            pagerank(g, 0.85, fixed).expect("pagerank").values
        }
        _ => return None,
    })
}

/// The `k` nodes of highest value, ties to the smaller id.
fn top(values: &[f64], k: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(a.cmp(&b)));
    order.truncate(k);
    order
}

/// The partition of a community kernel; `None` for other kernels.
fn community(g: &Graph, kernel: &str) -> Option<Communities> {
    match kernel {
        "leiden" => Some(leiden(g, 1.0, 1).expect("leiden")),
        "louvain" => Some(louvain(g, 1.0, 1).expect("louvain")),
        "lpa" => Some(label_propagation(g, 1).expect("label propagation")),
        _ => None,
    }
}

fn smoke() {
    let g = preferential_attachment(2_000, 10_000, 3);
    for kernel in KERNELS {
        let (one, two) = (pool(1).install(|| time(&g, kernel)), pool(2).install(|| time(&g, kernel)));
        let (one, sum1, two, sum2) = (one.seconds, one.checksum, two.seconds, two.checksum);
        assert_eq!(sum1, sum2, "{kernel}: 1 and 2 threads differ");
        eprintln!("{kernel}: {one:.4} s at 1 thread, {two:.4} s at 2");
    }
    let file = tempfile::NamedTempFile::new().expect("temp file");
    let path = file.path().to_str().expect("utf-8 path").to_owned();
    write_edges(&g, &path);
    assert_eq!(read_edges(&path), g, "the edge-list file round-trips");
}

/// Each node's community, one per line.
fn write_communities(community: &[u32], path: &str) {
    let lines: String = community.iter().map(|c| format!("{c}\n")).collect();
    std::fs::write(path, lines).expect("write the communities");
}

fn write_edges(g: &Graph, path: &str) {
    let mut out = BufWriter::new(std::fs::File::create(path).expect("create edge list"));
    writeln!(out, "# nodes {} edges {}", g.node_count(), g.edge_count()).expect("write");
    for (u, v, _) in g.edges() {
        writeln!(out, "{u} {v}").expect("write");
    }
    out.flush().expect("flush");
}

fn read_edges(path: &str) -> Graph {
    let file = std::io::BufReader::new(std::fs::File::open(path).expect("open edge list"));
    let (mut s, mut t, mut nodes) = (Vec::new(), Vec::new(), 0usize);
    for line in file.lines() {
        let line = line.expect("read");
        if let Some(header) = line.strip_prefix("# nodes ") {
            nodes = header.split(' ').next().and_then(|n| n.parse().ok()).expect("node count");
            continue;
        }
        let mut ids = line.split(' ').map(|x| x.parse::<u32>().expect("node id"));
        s.push(ids.next().expect("source"));
        t.push(ids.next().expect("target"));
    }
    Graph::from_edges(nodes, &s, &t, &vec![1.0; s.len()], Direction::Undirected).expect("graph")
}
