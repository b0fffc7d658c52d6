//! Micro-benchmarks of every graph kernel with divan, on seeded
//! preferential-attachment graphs of 10^4, 10^5 and 10^6 edges (five edges
//! per node; the all-pairs kernels on 10^4 edges only, the report's layout
//! on 160 nodes); the community kernels also on graphs of planted
//! communities (`*_planted`), where they have groups to find.
//!
//! - `cargo bench --bench kernels` times them with the threads of the
//!   machine; `RAYON_NUM_THREADS=1 cargo bench --bench kernels` on one.
//!   Divan's options apply after `--`, e.g. `-- pagerank` to run the
//!   PageRank benchmarks only, `--max-time 10` for more samples.
//! - Under `cargo test` each benchmark runs once, on 10^4 edges only, so
//!   that the benchmarks never rot.
//!
//! The side-by-side comparison with the peers is `benches/peers/`, driven by
//! the `centrality` benchmark binary; this one tracks nexo against itself.

use std::time::Duration;

use divan::{Bencher, black_box};
use nexo_graph::Graph;
use nexo_graph::centrality::{
    AdaptiveOptions, BetweennessOptions, Convergence, PathLength, betweenness, betweenness_adaptive,
    betweenness_sampled, closeness, closeness_sampled, closeness_top_k, eigenvector, katz, pagerank,
};
use nexo_graph::community::{label_propagation, leiden, louvain};
use nexo_graph::disruption::{Criterion, Removal, Target, key_players, kpp_neg, simulate};
use nexo_graph::layout::force_directed;
use nexo_graph::structure::{brokerage, core_number, cuts, structural_holes, weakly_connected};

mod common;

fn main() {
    divan::Divan::from_args().max_time(Duration::from_secs(3)).main();
}

/// Edge counts: all three under `cargo bench`, the smallest under `cargo test`.
fn sizes() -> Vec<usize> {
    if std::env::args().any(|a| a == "--bench") { vec![10_000, 100_000, 1_000_000] } else { vec![10_000] }
}

/// Edge counts for the kernels that search from every node.
const ALL_PAIRS: [usize; 1] = [10_000];

fn graph(edges: usize) -> Graph {
    common::preferential_attachment((edges / 5) as u32, edges, 1)
}

const HOPS: BetweennessOptions = BetweennessOptions { length: PathLength::Hops, normalized: true, edges: false };

/// Runs `kernel` on the graph of `edges` edges, built outside the timing.
fn on_graph<T>(bencher: Bencher<'_, '_>, edges: usize, kernel: impl Fn(&Graph) -> T + Sync) {
    timed(bencher, &graph(edges), edges, kernel);
}

/// Like [`on_graph`], on a graph of planted communities (10 draws of an
/// edge per node, 30 % of them outside the node's community: the peers
/// comparison's `planted` graph, scaled).
fn on_planted<T>(bencher: Bencher<'_, '_>, edges: usize, kernel: impl Fn(&Graph) -> T + Sync) {
    timed(bencher, &common::planted_partition((edges / 10) as u32, edges, 0.3, 1).0, edges, kernel);
}

fn timed<T>(bencher: Bencher<'_, '_>, g: &Graph, edges: usize, kernel: impl Fn(&Graph) -> T + Sync) {
    bencher.counter(divan::counter::ItemsCount::new(edges)).bench(|| kernel(black_box(g)));
}

#[divan::bench(args = sizes())]
fn build_csr(bencher: Bencher<'_, '_>, edges: usize) {
    let g = graph(edges);
    let (mut s, mut t, mut w) = (Vec::new(), Vec::new(), Vec::new());
    for (u, v, x) in g.edges() {
        s.push(u);
        t.push(v);
        w.push(x);
    }
    bencher
        .counter(divan::counter::ItemsCount::new(edges))
        .bench(|| Graph::from_edges(g.node_count(), &s, &t, &w, nexo_graph::Direction::Undirected).expect("graph"));
}

#[divan::bench(args = ALL_PAIRS)]
fn betweenness_exact(bencher: Bencher<'_, '_>, edges: usize) {
    on_graph(bencher, edges, |g| betweenness(g, HOPS).expect("betweenness"));
}

#[divan::bench(args = ALL_PAIRS)]
fn closeness_exact(bencher: Bencher<'_, '_>, edges: usize) {
    on_graph(bencher, edges, |g| closeness(g, PathLength::Hops).expect("closeness"));
}

#[divan::bench(args = sizes())]
fn betweenness_100_sources(bencher: Bencher<'_, '_>, edges: usize) {
    on_graph(bencher, edges, |g| betweenness_sampled(g, HOPS, 100, 7).expect("sampled"));
}

#[divan::bench(args = sizes())]
fn betweenness_kadabra(bencher: Bencher<'_, '_>, edges: usize) {
    on_graph(bencher, edges, |g| betweenness_adaptive(g, AdaptiveOptions::default()).expect("kadabra"));
}

#[divan::bench(args = sizes())]
fn closeness_top_10(bencher: Bencher<'_, '_>, edges: usize) {
    on_graph(bencher, edges, |g| closeness_top_k(g, 10).expect("top-k"));
}

#[divan::bench(args = sizes())]
fn pagerank_50_iterations(bencher: Bencher<'_, '_>, edges: usize) {
    on_graph(bencher, edges, |g| pagerank(g, 0.85, FIFTY).expect("pagerank"));
}

#[divan::bench(args = ALL_PAIRS)]
fn edge_betweenness_exact(bencher: Bencher<'_, '_>, edges: usize) {
    on_graph(bencher, edges, |g| betweenness(g, BetweennessOptions { edges: true, ..HOPS }).expect("betweenness"));
}

#[divan::bench(args = sizes())]
fn closeness_100_sources(bencher: Bencher<'_, '_>, edges: usize) {
    on_graph(bencher, edges, |g| closeness_sampled(g, PathLength::Hops, 100, 7).expect("sampled"));
}

/// Power iterations run to a fixed count: the work, not the convergence,
/// is what is timed.
const FIFTY: Convergence = Convergence { tolerance: 0.0, max_iterations: 50 };

#[divan::bench(args = sizes())]
fn eigenvector_50_iterations(bencher: Bencher<'_, '_>, edges: usize) {
    on_graph(bencher, edges, |g| eigenvector(g, FIFTY));
}

#[divan::bench(args = sizes())]
fn katz_50_iterations(bencher: Bencher<'_, '_>, edges: usize) {
    on_graph(bencher, edges, |g| katz(g, 0.01, 1.0, FIFTY));
}

#[divan::bench(args = sizes())]
fn k_core(bencher: Bencher<'_, '_>, edges: usize) {
    on_graph(bencher, edges, core_number);
}

#[divan::bench(args = sizes())]
fn components(bencher: Bencher<'_, '_>, edges: usize) {
    on_graph(bencher, edges, weakly_connected);
}

#[divan::bench(args = sizes())]
fn cut_points_and_bridges(bencher: Bencher<'_, '_>, edges: usize) {
    on_graph(bencher, edges, cuts);
}

#[divan::bench(args = sizes())]
fn structural_holes_constraint(bencher: Bencher<'_, '_>, edges: usize) {
    on_graph(bencher, edges, |g| structural_holes(g, false));
}

#[divan::bench(args = sizes())]
fn brokerage_roles(bencher: Bencher<'_, '_>, edges: usize) {
    on_graph(bencher, edges, |g| {
        let groups: Vec<u32> = (0..g.node_count() as u32).map(|u| u % 17).collect();
        brokerage(g, &groups)
    });
}

#[divan::bench(args = sizes())]
fn key_players_neg_10(bencher: Bencher<'_, '_>, edges: usize) {
    on_graph(bencher, edges, |g| kpp_neg(g, 10).expect("kpp"));
}

#[divan::bench(args = sizes())]
fn key_players_pos_10(bencher: Bencher<'_, '_>, edges: usize) {
    on_graph(bencher, edges, |g| key_players(g, 10, Criterion::Reach).expect("kpp-pos"));
}

#[divan::bench(args = sizes())]
fn removal_by_degree_100_steps(bencher: Bencher<'_, '_>, edges: usize) {
    let removal = Removal { target: Target::Degree, steps: 100, seed: 1, ..Removal::default() };
    on_graph(bencher, edges, |g| simulate(g, &removal).expect("disruption"));
}

/// The report draws at most 160 nodes: the layout is timed at that scale
/// (all pairs of nodes repel, `O(n^2)` per iteration).
#[divan::bench(args = [800])]
fn layout_100_iterations(bencher: Bencher<'_, '_>, edges: usize) {
    on_graph(bencher, edges, |g| force_directed(g, 100, 1));
}

#[divan::bench(args = sizes())]
fn communities_leiden(bencher: Bencher<'_, '_>, edges: usize) {
    on_graph(bencher, edges, |g| leiden(g, 1.0, 1).expect("leiden"));
}

#[divan::bench(args = sizes())]
fn communities_louvain(bencher: Bencher<'_, '_>, edges: usize) {
    on_graph(bencher, edges, |g| louvain(g, 1.0, 1).expect("louvain"));
}

#[divan::bench(args = sizes())]
fn communities_label_propagation(bencher: Bencher<'_, '_>, edges: usize) {
    on_graph(bencher, edges, |g| label_propagation(g, 1).expect("label propagation"));
}

#[divan::bench(args = sizes())]
fn communities_leiden_planted(bencher: Bencher<'_, '_>, edges: usize) {
    on_planted(bencher, edges, |g| leiden(g, 1.0, 1).expect("leiden"));
}

#[divan::bench(args = sizes())]
fn communities_louvain_planted(bencher: Bencher<'_, '_>, edges: usize) {
    on_planted(bencher, edges, |g| louvain(g, 1.0, 1).expect("louvain"));
}

#[divan::bench(args = sizes())]
fn communities_label_propagation_planted(bencher: Bencher<'_, '_>, edges: usize) {
    on_planted(bencher, edges, |g| label_propagation(g, 1).expect("label propagation"));
}
