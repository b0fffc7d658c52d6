//! The published per-node CAVIAR table (Anastasiadis & Antoniou 2024,
//! "Directed Criminal Networks: Temporal Analysis and Disruption",
//! Information 15(2): 84) reproduced: betweenness, degree centralities and
//! PageRank of the time-aggregated network, directed and undirected.
//!
//! The authors' conventions (see `fixtures/README.md`) are applied here, on
//! the test side, through nexo's options rather than built into nexo:
//! - betweenness runs on the edge "distance" `(1/w) / max(1/w)`, i.e.
//!   [`PathLength::Weight`] over those distances;
//! - PageRank runs on weights "normalised" by a loop that divides each edge,
//!   in networkx edge order, by the current maximum weight (already divided
//!   edges included), with networkx's default convergence;
//! - the undirected network is `A + A^T`.

use std::collections::HashMap;

use nexo_graph::centrality::{BetweennessOptions, Convergence, PathLength, betweenness, pagerank};
use nexo_graph::disruption::{Removal, Target, Ties, simulate};
use nexo_graph::{Direction, Graph};

use crate::fixture::{Table, assert_close, dir};

/// The 110 x 110 matrix: labels in matrix order, and the non-zero cells in
/// row order (`row, column, count`).
fn matrix() -> (Vec<String>, Vec<(u32, u32, f64)>) {
    let text = std::fs::read_to_string(dir().join("caviar/caviar_full_110.csv")).unwrap();
    let mut lines = text.lines();
    let labels: Vec<String> = lines.next().unwrap().split(',').skip(1).map(str::to_owned).collect();
    let mut cells = Vec::new();
    for (row, line) in lines.enumerate() {
        for (column, cell) in line.split(',').skip(1).enumerate() {
            let count: f64 = cell.parse().unwrap();
            if count != 0.0 {
                cells.push((row as u32, column as u32, count));
            }
        }
    }
    (labels, cells)
}

/// Edges in the order networkx lists them (`G.edges()`), weights summed for
/// an undirected graph.
fn networkx_edges(n: usize, cells: &[(u32, u32, f64)], direction: Direction) -> Vec<(u32, u32, f64)> {
    if direction == Direction::Directed {
        return cells.to_vec(); // successors in insertion (column) order, rows in node order
    }
    // Each node's adjacency in insertion order; an edge is listed from its
    // first endpoint in node order.
    let mut adjacency: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut weight: HashMap<(u32, u32), f64> = HashMap::new();
    for &(u, v, w) in cells {
        let key = (u.min(v), u.max(v));
        match weight.get_mut(&key) {
            Some(total) => *total += w,
            None => {
                weight.insert(key, w);
                adjacency[u as usize].push(v);
                adjacency[v as usize].push(u);
            }
        }
    }
    let mut edges = Vec::new();
    let mut seen = vec![false; n];
    for u in 0..n as u32 {
        for &v in &adjacency[u as usize] {
            if !seen[v as usize] {
                edges.push((u, v, weight[&(u.min(v), u.max(v))]));
            }
        }
        seen[u as usize] = true;
    }
    edges
}

fn graph_of(n: usize, edges: &[(u32, u32, f64)], direction: Direction, weight: impl Fn(usize) -> f64) -> Graph {
    let s: Vec<u32> = edges.iter().map(|e| e.0).collect();
    let t: Vec<u32> = edges.iter().map(|e| e.1).collect();
    let w: Vec<f64> = (0..edges.len()).map(weight).collect();
    Graph::from_edges(n, &s, &t, &w, direction).unwrap()
}

/// The published column, reordered to matrix order.
fn published(file: &str, column: &str, labels: &[String]) -> Vec<f64> {
    let table = Table::read(&dir().join("caviar").join(file));
    let by_label: HashMap<String, f64> = table.strings("Nodes").into_iter().zip(table.floats(column)).collect();
    labels.iter().map(|l| by_label[l]).collect()
}

fn reproduce(direction: Direction, file: &str) {
    let (labels, cells) = matrix();
    let n = labels.len();
    let edges = networkx_edges(n, &cells, direction);

    let inverse: Vec<f64> = edges.iter().map(|e| 1.0 / e.2).collect();
    let largest = inverse.iter().copied().fold(f64::MIN, f64::max);
    let g = graph_of(n, &edges, direction, |i| inverse[i] / largest);
    let options = BetweennessOptions { length: PathLength::Weight, normalized: true, edges: false };
    let b = betweenness(&g, options).unwrap();
    assert_close(file, "Betweenness", &b.nodes, &published(file, "Betweenness", &labels), 1e-9);

    let mut weights: Vec<f64> = edges.iter().map(|e| e.2).collect();
    for i in 0..weights.len() {
        let current_max = weights.iter().copied().fold(f64::MIN, f64::max);
        weights[i] /= current_max;
    }
    let g = graph_of(n, &edges, direction, |i| weights[i]);
    let pr = pagerank(&g, 0.85, Convergence::default()).unwrap();
    assert_close(file, "PR", &pr.values, &published(file, "PR", &labels), 1e-9);

    let others = (n - 1) as f64;
    let degree = |f: &dyn Fn(u32) -> usize| (0..n as u32).map(|u| f(u) as f64 / others).collect::<Vec<_>>();
    if direction == Direction::Directed {
        let indeg = degree(&|u| g.in_degree(u));
        assert_close(file, "In-Degree", &indeg, &published(file, "In-Degree", &labels), 1e-12);
        let outdeg = degree(&|u| g.out_degree(u));
        assert_close(file, "Out-Degree", &outdeg, &published(file, "Out-Degree", &labels), 1e-12);
    } else {
        let deg = degree(&|u| g.out_degree(u));
        assert_close(file, "Degree", &deg, &published(file, "Degree", &labels), 1e-12);
    }
}

#[test]
fn caviar_directed_table_is_reproduced() {
    reproduce(Direction::Directed, "Centralities_directed.csv");
}

#[test]
fn caviar_undirected_table_is_reproduced() {
    reproduce(Direction::Undirected, "Centralities_undirected.csv");
}

/// The published disruption curves (their S1 tables): sequential removal of
/// the top node by in-degree, out-degree and betweenness (on the distance
/// `(1/w) / max(1/w)`), recomputed after each removal, ties to the first
/// node in matrix order; the size of the largest strongly connected
/// component and the number of strongly connected components after each of
/// the 107 removals.
#[test]
fn caviar_disruption_curves_are_reproduced() {
    let (labels, cells) = matrix();
    let n = labels.len();
    let min = cells.iter().map(|c| c.2).fold(f64::INFINITY, f64::min);
    let distance = graph_of(n, &cells, Direction::Directed, |i| min / cells[i].2);
    let lcc = Table::read(&dir().join("caviar/S1_targeted_removals_LCC.csv"));
    let count = Table::read(&dir().join("caviar/S1_targeted_removals_Components_count.csv"));
    for (column, target) in [
        ("In_Degree", Target::InDegree),
        ("Out_Degree", Target::OutDegree),
        ("Betweenness", Target::Betweenness(PathLength::Weight)),
    ] {
        let removal = Removal { target, steps: lcc.rows.len() - 1, ..Removal::default() };
        let steps = simulate(&distance, &removal).unwrap();
        let largest: Vec<f64> = steps.iter().map(|s| f64::from(s.largest_strong)).collect();
        let components: Vec<f64> = steps.iter().map(|s| s.strong_components as f64).collect();
        assert_close("caviar", &format!("{column} LCC"), &largest, &lcc.floats(column), 0.0);
        assert_close("caviar", &format!("{column} components"), &components, &count.floats(column), 0.0);
    }
}

/// Montagna's Sicilian Mafia networks, as Cavallaro et al. (2020) loaded
/// them: lines added in file order, a repeated pair keeping its last
/// line's count. Node ids follow insertion order (`by_label` false) or the
/// order of the original labels (true).
fn montagna(net: &str, weighted: bool, by_label: bool) -> Graph {
    let edges = Table::read(&dir().join(format!("montagna/{net}_edges.csv")));
    let (source, target) = (edges.floats("source"), edges.floats("target"));
    let weight = edges.floats("weight_last_line");
    let mut id: HashMap<u32, u32> = HashMap::new();
    for &label in source.iter().zip(&target).flat_map(|(a, b)| [a, b]) {
        let next = id.len() as u32;
        id.entry(label as u32).or_insert(next);
    }
    if by_label {
        // Ids in label order (labels need not be contiguous).
        let mut labels: Vec<u32> = id.keys().copied().collect();
        labels.sort_unstable();
        id = labels.into_iter().enumerate().map(|(i, label)| (label, i as u32)).collect();
    }
    let node = |label: f64| id[&(label as u32)];
    let (s, t): (Vec<u32>, Vec<u32>) = source.iter().zip(&target).map(|(&a, &b)| (node(a), node(b))).unzip();
    let n = id.len();
    let w: Vec<f64> = if weighted { weight } else { vec![1.0; s.len()] };
    Graph::from_edges(n, &s, &t, &w, Direction::Undirected).unwrap()
}

/// The published Montagna disruption series (Cavallaro et al. 2020, "Disrupting
/// resilient criminal networks through data analysis: the case of Sicilian
/// Mafia"): the largest connected component over its initial size after
/// removing nodes by betweenness, Katz, collective influence and degree, one
/// at a time or 5 at a time, weighted or not, on the meetings and phone-call
/// networks: all 32 series, every step. Their conventions, as options: ties
/// to the node inserted last (largest id in insertion order; largest label
/// for collective influence), counts as path lengths for weighted
/// betweenness, strengths for weighted degree and collective influence,
/// Katz solved exactly at alpha 0.1 (networkx `katz_centrality_numpy`),
/// stop at 5 nodes.
#[test]
fn montagna_disruption_curves_are_reproduced() {
    let mut series = 0;
    for net in ["meetings", "phonecalls"] {
        let published_net = if net == "meetings" { "meeting" } else { "phone_calls" };
        for (mode, block) in [("sequential", 1), ("block", 5)] {
            for (weighting, weighted) in [("Unweighted", false), ("Weighted", true)] {
                let file = format!("montagna/disruption_{mode}_{published_net}_{weighting}_5nrem.csv");
                let published = Table::read(&dir().join(file));
                let targets = [
                    (
                        "Betweenness",
                        Target::Betweenness(if weighted { PathLength::Weight } else { PathLength::Hops }),
                        false,
                    ),
                    ("Degree", if weighted { Target::Strength } else { Target::Degree }, false),
                    ("Collective Influence", Target::CollectiveInfluence { weighted }, true),
                    ("Katz", Target::KatzExact { alpha: 0.1, weighted }, false),
                ];
                for (column, target, by_label) in targets {
                    let graph = montagna(net, weighted, by_label);
                    let removal = Removal { target, block, ties: Ties::LargestId, min_nodes: 5, ..Removal::default() };
                    let steps = simulate(&graph, &removal).unwrap();
                    let initial = f64::from(steps[0].largest_weak);
                    let expected = published.floats(column);
                    assert!(steps.len() >= expected.len(), "{net} {mode} {weighting} {column}: too few steps");
                    let ours: Vec<f64> =
                        steps.iter().take(expected.len()).map(|s| f64::from(s.largest_weak) / initial).collect();
                    let name = format!("montagna {net} {mode} {weighting}");
                    assert_close(&name, column, &ours, &expected, 1e-12);
                    series += 1;
                }
            }
        }
    }
    assert_eq!(series, 32);
}
