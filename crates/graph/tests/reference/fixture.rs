//! Loading the fixtures written by `scripts/reference/centrality.py`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use nexo_graph::{Direction, Graph};

pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A small CSV with a header and no quoted commas.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn read(path: &Path) -> Table {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut lines = text.lines().map(|l| l.split(',').map(str::to_owned).collect::<Vec<_>>());
        let header = lines.next().expect("a header");
        Table { header, rows: lines.collect() }
    }

    pub fn index(&self, column: &str) -> usize {
        self.header.iter().position(|h| h == column).unwrap_or_else(|| panic!("no column {column}"))
    }

    pub fn floats(&self, column: &str) -> Vec<f64> {
        let i = self.index(column);
        self.rows.iter().map(|r| r[i].parse().unwrap_or_else(|_| panic!("{column}: {:?}", r[i]))).collect()
    }

    pub fn strings(&self, column: &str) -> Vec<String> {
        let i = self.index(column);
        self.rows.iter().map(|r| r[i].clone()).collect()
    }
}

/// One reference case: the graph and networkx's values.
pub struct Case {
    pub graph: Graph,
    pub nodes: Table,
    pub edge_scores: Table,
    pub katz_alpha: f64,
}

impl Case {
    pub fn load(name: &str) -> Case {
        let folder = dir().join("centrality").join(name);
        let meta: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(folder.join("meta.json")).unwrap()).unwrap();
        let edges = Table::read(&folder.join("edges.csv"));
        let ids = |c: &str| edges.floats(c).into_iter().map(|x| x as u32).collect::<Vec<_>>();
        let direction = if meta["directed"].as_bool().unwrap() { Direction::Directed } else { Direction::Undirected };
        let n = meta["n"].as_u64().unwrap() as usize;
        let graph = Graph::from_edges(n, &ids("source"), &ids("target"), &edges.floats("weight"), direction).unwrap();
        assert_eq!(graph.edge_count() as u64, meta["m"].as_u64().unwrap(), "{name}: edge count");
        Case {
            graph,
            nodes: Table::read(&folder.join("nodes.csv")),
            edge_scores: Table::read(&folder.join("edge_scores.csv")),
            katz_alpha: meta["katz_alpha"].as_f64().unwrap(),
        }
    }

    /// networkx's edge scores keyed like [`Graph::edges`] (undirected: `(min, max)`).
    pub fn edge_column(&self, column: &str) -> HashMap<(u32, u32), f64> {
        let key = |u: u32, v: u32| if self.graph.is_directed() { (u, v) } else { (u.min(v), u.max(v)) };
        let s = self.edge_scores.floats("source");
        let t = self.edge_scores.floats("target");
        let values = self.edge_scores.floats(column);
        (0..values.len()).map(|i| (key(s[i] as u32, t[i] as u32), values[i])).collect()
    }
}

pub const CASES: &[&str] = &[
    "karate",
    "florentine",
    "kite",
    "caviar_directed",
    "caviar_undirected",
    "montagna_meetings",
    "montagna_phonecalls",
    "random_directed",
];

/// Asserts `|actual - expected| <= tolerance` everywhere, naming the first node that differs.
pub fn assert_close(case: &str, measure: &str, actual: &[f64], expected: &[f64], tolerance: f64) {
    assert_eq!(actual.len(), expected.len(), "{case} {measure}: length");
    for (node, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert!((a - e).abs() <= tolerance, "{case} {measure}: node {node} is {a}, networkx says {e}");
    }
}
