//! Components, cores, cut points and structural holes against networkx.

use nexo_graph::structure::{core_number, cuts, strongly_connected, structural_holes, weakly_connected};
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
