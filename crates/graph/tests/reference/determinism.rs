//! Same bits at 1, 2 and 16 threads, and estimates (sampled, adaptive) close to exact.

use nexo_graph::centrality::{
    AdaptiveOptions, BetweennessOptions, Convergence, PathLength, betweenness, betweenness_adaptive,
    betweenness_sampled, closeness, closeness_sampled, closeness_top_k, eigenvector, katz, pagerank,
};
use nexo_graph::community::{label_propagation, leiden, louvain};
use nexo_graph::structure::{core_number, strongly_connected, structural_holes};
use nexo_graph::{Direction, Graph};

/// A preferential-attachment graph (each new node links to `links` earlier
/// ones picked in proportion to their degree), weights 1 to 5: heavy-tailed
/// like a call network.
pub fn scale_free(n: u32, links: usize, direction: Direction, seed: u64) -> Graph {
    let mut state = seed | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let (mut s, mut t, mut w) = (vec![0u32], vec![1u32], vec![1.0]);
    for v in 2..n {
        for _ in 0..links {
            let endpoints = 2 * s.len() as u64;
            let pick = next() % endpoints;
            let u = if pick.is_multiple_of(2) { s[(pick / 2) as usize] } else { t[(pick / 2) as usize] };
            // Alternate directions so a directed version has cycles.
            if next() % 2 == 0 {
                (s.push(v), t.push(u))
            } else {
                (s.push(u), t.push(v))
            };
            w.push((1 + next() % 5) as f64);
        }
    }
    Graph::from_edges(n as usize, &s, &t, &w, direction).unwrap()
}

fn bits(values: &[f64]) -> Vec<u64> {
    values.iter().map(|x| x.to_bits()).collect()
}

/// Every measure's columns, as bits.
fn everything(g: &Graph) -> Vec<Vec<u64>> {
    let options = BetweennessOptions { length: PathLength::InverseWeight, normalized: true, edges: true };
    let b = betweenness(g, options).unwrap();
    let hops = betweenness(g, BetweennessOptions { edges: true, ..options }).unwrap();
    let c = closeness(g, PathLength::InverseWeight).unwrap();
    let converge = Convergence { tolerance: 1e-10, max_iterations: 1000 };
    vec![
        bits(&b.nodes),
        bits(&b.edges),
        bits(&hops.nodes),
        bits(&c.closeness),
        bits(&c.harmonic),
        bits(&pagerank(g, 0.85, converge).unwrap().values),
        bits(&eigenvector(g, converge).values),
        bits(&katz(g, 0.01, 1.0, converge).values),
        core_number(g).into_iter().map(u64::from).collect(),
        bits(&structural_holes(g, true).constraint),
        bits(&structural_holes(g, true).effective_size),
        strongly_connected(g).id.into_iter().map(u64::from).collect(),
    ]
}

#[test]
fn same_bits_at_1_2_and_16_threads() {
    for direction in [Direction::Undirected, Direction::Directed] {
        let g = scale_free(1500, 3, direction, 11);
        let at =
            |threads| rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(|| everything(&g));
        let one = at(1);
        assert_eq!(one, at(2), "{direction:?}: 1 vs 2 threads");
        assert_eq!(one, at(16), "{direction:?}: 1 vs 16 threads");
        assert_eq!(one, at(2), "{direction:?}: repeated run");
    }
}

fn top(values: &[f64], k: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(a.cmp(&b)));
    order.truncate(k);
    order
}

#[test]
fn sampled_betweenness_finds_the_exact_top_ten() {
    let g = scale_free(3000, 3, Direction::Undirected, 5);
    let options = BetweennessOptions { normalized: true, ..Default::default() };
    let exact = top(&betweenness(&g, options).unwrap().nodes, 10);
    let sampled = betweenness_sampled(&g, options, 300, 42).unwrap();
    assert_eq!(sampled.sources, 300);
    let found = top(&sampled.nodes, 10).iter().filter(|v| exact.contains(v)).count();
    assert!(found >= 9, "sampled top 10 holds {found} of the exact top 10");
    let again = betweenness_sampled(&g, options, 300, 42).unwrap();
    assert_eq!(bits(&sampled.nodes), bits(&again.nodes), "same seed, same estimate");
}

#[test]
fn adaptive_betweenness_meets_its_error_bound_and_finds_the_top_ten() {
    for direction in [Direction::Undirected, Direction::Directed] {
        let g = scale_free(3000, 3, direction, 9);
        let n = g.node_count() as f64;
        let options = BetweennessOptions { normalized: true, ..Default::default() };
        let exact = betweenness(&g, options).unwrap().nodes;
        let adaptive = AdaptiveOptions { epsilon: 0.01, delta: 0.1, seed: 3 };
        let at = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| betweenness_adaptive(&g, adaptive).unwrap())
        };
        let estimate = at(2);
        assert!(estimate.samples <= estimate.omega.next_multiple_of(2048));
        // The bound is on KADABRA's scale: networkx's normalised value times (n - 2) / n.
        let worst = exact.iter().zip(&estimate.nodes).map(|(e, a)| (e - a).abs() * (n - 2.0) / n).fold(0.0, f64::max);
        assert!(worst <= adaptive.epsilon, "{direction:?}: error {worst} above epsilon");
        let exact_top = top(&exact, 10);
        let found = top(&estimate.nodes, 10).iter().filter(|v| exact_top.contains(v)).count();
        assert!(found >= 9, "{direction:?}: adaptive top 10 holds {found} of the exact top 10");
        assert_eq!(bits(&estimate.nodes), bits(&at(1).nodes), "{direction:?}: 1 vs 2 threads");
        assert_eq!(bits(&estimate.nodes), bits(&at(16).nodes), "{direction:?}: 16 vs 2 threads");
    }
}

#[test]
fn sampled_closeness_is_close_and_reproducible() {
    let g = scale_free(3000, 3, Direction::Undirected, 13);
    let exact = closeness(&g, PathLength::Hops).unwrap();
    let at = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| closeness_sampled(&g, PathLength::Hops, 600, 1).unwrap())
    };
    let estimate = at(2);
    for (name, e, a) in
        [("closeness", &exact.closeness, &estimate.closeness), ("harmonic", &exact.harmonic, &estimate.harmonic)]
    {
        let worst = e.iter().zip(a).map(|(e, a)| (e - a).abs() / e).fold(0.0, f64::max);
        assert!(worst < 0.1, "{name}: worst relative error {worst}");
        let exact_top = top(e, 10);
        let found = top(a, 10).iter().filter(|v| exact_top.contains(v)).count();
        assert!(found >= 8, "{name}: sampled top 10 holds {found} of the exact top 10");
    }
    assert_eq!(bits(&estimate.harmonic), bits(&at(1).harmonic));
    assert_eq!(bits(&estimate.closeness), bits(&at(16).closeness));
}

#[test]
fn power_iterations_give_the_same_bits_whichever_mode_each_iteration_ran_in() {
    // Above the size where iterations may run in parallel, and where each
    // iteration picks one thread or the pool by timing: the bits must not care.
    let g = scale_free(40_000, 2, Direction::Directed, 21);
    let converge = Convergence { tolerance: 1e-12, max_iterations: 200 };
    let at = |threads| {
        rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(|| {
            vec![
                bits(&pagerank(&g, 0.85, converge).unwrap().values),
                bits(&eigenvector(&g, converge).values),
                bits(&katz(&g, 0.05, 1.0, converge).values),
            ]
        })
    };
    let one = at(1);
    assert_eq!(one, at(2));
    assert_eq!(one, at(16));
}

#[test]
fn top_k_closeness_is_the_exact_top_k() {
    // A scale-free graph plus a disjoint small clique (Wasserman-Faust scaling
    // across components) and an isolated node.
    let big = scale_free(3000, 2, Direction::Undirected, 17);
    let (mut s, mut t): (Vec<u32>, Vec<u32>) = big.edges().map(|(u, v, _)| (u, v)).unzip();
    for (u, v) in [(3000, 3001), (3001, 3002), (3000, 3002)] {
        s.push(u);
        t.push(v);
    }
    let g = Graph::from_edges(3004, &s, &t, &vec![1.0; s.len()], Direction::Undirected).unwrap();
    let exact = closeness(&g, PathLength::Hops).unwrap().closeness;
    for k in [1, 10, 50] {
        let expected: Vec<(u32, f64)> = top(&exact, k).into_iter().map(|v| (v as u32, exact[v])).collect();
        let found = closeness_top_k(&g, k).unwrap();
        assert_eq!(found, expected, "k = {k}");
    }
    assert_eq!(closeness_top_k(&g, 5000).unwrap().len(), 3004);
    let directed = scale_free(100, 2, Direction::Directed, 1);
    assert!(closeness_top_k(&directed, 3).is_err());
}

#[test]
fn communities_are_the_same_at_1_2_and_16_threads() {
    // Above the size where local moving, refinement and aggregation go parallel.
    let g = scale_free(40_000, 4, Direction::Undirected, 5);
    let run =
        |threads| {
            rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(|| {
                [leiden(&g, 1.0, 3).unwrap(), louvain(&g, 1.0, 3).unwrap(), label_propagation(&g, 3).unwrap()]
            })
        };
    let one = run(1);
    for (found, method) in one.iter().zip(["Leiden", "Louvain", "label propagation"]) {
        assert!(found.count > 10 && found.count < 40_000, "{method}: {} communities", found.count);
    }
    assert_eq!(one, run(2), "1 vs 2 threads");
    assert_eq!(one, run(16), "1 vs 16 threads");
    assert_ne!(
        one[0],
        rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap().install(|| [leiden(&g, 1.0, 4).unwrap()])[0],
        "another seed, another order"
    );
}
