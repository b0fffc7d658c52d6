//! Components, cores, cut points and structural holes against networkx.

use nexo_graph::structure::{
    NO_GROUP, Roles, brokerage, core_number, cuts, strongly_connected, structural_holes, weakly_connected,
};
use nexo_graph::{Direction, Graph};

use crate::fixture::{CASES, Case, Table, assert_close, dir};

#[test]
fn cores_and_component_sizes_match_networkx() {
    for name in CASES {
        let case = Case::load(name);
        let as_f64 = |v: Vec<u32>| v.into_iter().map(f64::from).collect::<Vec<_>>();
        let core = as_f64(core_number(&case.graph));
        assert_close(name, "core", &core, &case.nodes.floats("core"), 0.0);
        let weak = as_f64(weakly_connected(&case.graph).size_of_nodes());
        assert_close(name, "wcc_size", &weak, &case.nodes.floats("wcc_size"), 0.0);
        let strong = as_f64(strongly_connected(&case.graph).size_of_nodes());
        assert_close(name, "scc_size", &strong, &case.nodes.floats("scc_size"), 0.0);
    }
}

/// Burt's measures against networkx 3.6.1 (`scripts/reference/holes.py`),
/// unweighted and weighted, on every reference graph. networkx's
/// `effective_size` called without `nodes` divides by the wrong node's
/// largest tie on weighted and two-way directed graphs (its open PR #8906);
/// the fixtures hold its node-by-node formula, Burt's definition.
#[test]
fn structural_holes_match_networkx() {
    for name in CASES.iter().copied().chain(["path4", "two_triangles_bridge"]) {
        let table = Table::read(&dir().join("holes").join(format!("{name}.csv")));
        let graph = match name {
            "path4" | "two_triangles_bridge" => small_graph(name),
            _ => Case::load(name).graph,
        };
        for (weighted, suffix) in [(false, ""), (true, "_weighted")] {
            let holes = structural_holes(&graph, weighted);
            for (ours, column) in [
                (&holes.constraint, "constraint"),
                (&holes.effective_size, "effective_size"),
                (&holes.efficiency, "efficiency"),
            ] {
                let column = format!("{column}{suffix}");
                assert_close(name, &column, ours, &table.floats(&column), 1e-12);
            }
        }
    }
}

#[test]
fn articulation_points_and_bridges_match_networkx() {
    let reference = cuts_reference();
    let graphs = reference["graphs"].as_object().unwrap();
    assert_eq!(graphs.len(), CASES.len() + 2);
    for (name, expected) in graphs {
        let graph = match name.as_str() {
            "path4" | "two_triangles_bridge" => small_graph(name),
            _ => Case::load(name).graph,
        };
        let found = cuts(&graph);
        let points: Vec<u64> = (0..graph.node_count() as u64).filter(|&u| found.articulation[u as usize]).collect();
        let expected_points: Vec<u64> =
            expected["articulation_points"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
        assert_eq!(points, expected_points, "{name}: articulation points");
        let expected_bridges: Vec<(u32, u32)> = expected["bridges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| (b[0].as_u64().unwrap() as u32, b[1].as_u64().unwrap() as u32))
            .collect();
        assert_eq!(found.bridges, expected_bridges, "{name}: bridges");
    }
}

#[test]
fn cuts_run_on_a_long_path_without_recursion() {
    // A path of a million nodes: a recursive search would need a million frames.
    let n = 1_000_000u32;
    let s: Vec<u32> = (0..n - 1).collect();
    let t: Vec<u32> = (1..n).collect();
    let g = Graph::from_edges(n as usize, &s, &t, &vec![1.0; s.len()], Direction::Undirected).unwrap();
    let found = cuts(&g);
    assert_eq!(found.bridges.len(), n as usize - 1);
    assert_eq!(found.articulation.iter().filter(|&&a| a).count(), n as usize - 2);
}

fn cuts_reference() -> serde_json::Value {
    let path = dir().join("holes/cuts.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The hand-checkable graphs listed with their edges in `cuts.json`.
fn small_graph(name: &str) -> Graph {
    let reference = cuts_reference();
    let entry = &reference["graphs"][name];
    let edges = entry["edges"].as_array().unwrap();
    let s: Vec<u32> = edges.iter().map(|e| e[0].as_u64().unwrap() as u32).collect();
    let t: Vec<u32> = edges.iter().map(|e| e[1].as_u64().unwrap() as u32).collect();
    let n = entry["n"].as_u64().unwrap() as usize;
    Graph::from_edges(n, &s, &t, &vec![1.0; s.len()], Direction::Undirected).unwrap()
}

/// Gould & Fernandez roles by hand: each role alone, a closed triad, an
/// undirected path, and a mixed case.
#[test]
fn brokerage_roles_by_hand() {
    let directed = |n: usize, arcs: &[(u32, u32)]| {
        let (s, t): (Vec<u32>, Vec<u32>) = arcs.iter().copied().unzip();
        Graph::from_edges(n, &s, &t, &vec![1.0; s.len()], Direction::Directed).unwrap()
    };
    let path = directed(3, &[(0, 1), (1, 2)]);
    let role = |groups: [u32; 3]| brokerage(&path, &groups)[1];
    assert_eq!(role([0, 0, 0]).coordinator, 1);
    assert_eq!(role([0, 1, 0]).itinerant, 1);
    assert_eq!(role([0, 0, 1]).representative, 1);
    assert_eq!(role([1, 0, 0]).gatekeeper, 1);
    assert_eq!(role([0, 1, 2]).liaison, 1);
    assert_eq!(role([0, NO_GROUP, 0]).total(), 0, "unknown groups count nothing");
    let closed = directed(3, &[(0, 1), (1, 2), (0, 2)]);
    assert_eq!(brokerage(&closed, &[0, 0, 0])[1].total(), 0, "a closed triad needs no broker");
    let undirected = Graph::from_edges(3, &[0, 1], &[1, 2], &[1.0; 2], Direction::Undirected).unwrap();
    assert_eq!(brokerage(&undirected, &[0, 0, 0])[1].coordinator, 2, "both directions");
    // 0(A) -> 1(A) -> {2(B), 4(C)}, 0 -> 2, 4 -> 2 -> 3(B):
    // 1 represents A towards C (0 -> 1 -> 4; 0 -> 2 exists); 2 is the
    // gatekeeper of B for 0, 1 and 4; 4 brokers nothing (1 -> 2 exists).
    let mixed = directed(5, &[(0, 1), (1, 2), (1, 4), (0, 2), (4, 2), (2, 3)]);
    let roles = brokerage(&mixed, &[0, 0, 1, 1, 2]);
    assert_eq!(roles[1], Roles { representative: 1, ..Roles::default() });
    assert_eq!(roles[2], Roles { gatekeeper: 3, ..Roles::default() });
    assert_eq!(roles[0].total() + roles[3].total() + roles[4].total(), 0);
}

/// The definition, counted the slow way over all ordered triples, against
/// `brokerage` on random directed graphs and groups, at 1 and 2 threads.
#[test]
fn brokerage_roles_match_the_definition_on_random_graphs() {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |bound: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % bound
    };
    for round in 0..40 {
        let n = 5 + next(60) as usize;
        let arcs = n * (1 + next(4) as usize);
        let (s, t): (Vec<u32>, Vec<u32>) = (0..arcs).map(|_| (next(n as u64) as u32, next(n as u64) as u32)).unzip();
        let g = Graph::from_edges(n, &s, &t, &vec![1.0; arcs], Direction::Directed).unwrap();
        let groups: Vec<u32> =
            (0..n).map(|_| if next(10) == 0 { NO_GROUP } else { next(1 + round % 4) as u32 }).collect();
        let mut expected = vec![Roles::default(); n];
        let arc = |a: u32, b: u32| g.out_neighbors(a).contains(&b);
        for b in 0..n as u32 {
            for a in 0..n as u32 {
                for c in 0..n as u32 {
                    let distinct = a != b && b != c && a != c;
                    let known = [a, b, c].iter().all(|&x| groups[x as usize] != NO_GROUP);
                    if distinct && known && arc(a, b) && arc(b, c) && !arc(a, c) {
                        let (ga, gb, gc) = (groups[a as usize], groups[b as usize], groups[c as usize]);
                        let r = &mut expected[b as usize];
                        match (ga == gb, gb == gc, ga == gc) {
                            (true, true, _) => r.coordinator += 1,
                            (false, false, true) => r.itinerant += 1,
                            (true, false, _) => r.representative += 1,
                            (false, true, _) => r.gatekeeper += 1,
                            _ => r.liaison += 1,
                        }
                    }
                }
            }
        }
        assert_eq!(brokerage(&g, &groups), expected, "round {round}");
    }
    let big = crate::determinism::scale_free(3_000, 3, Direction::Directed, 9);
    let groups: Vec<u32> = (0..3_000).map(|u| u % 5).collect();
    let at = |threads| {
        rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(|| brokerage(&big, &groups))
    };
    assert_eq!(at(1), at(2));
}
