//! The key-node list: one documented ranking for investigators, built from
//! measures each visible in its own column.

use anyhow::Result;
use nexo_graph::disruption::kpp_neg;
use nexo_graph::{Direction, Entities, LinkNetwork, WeightKind};
use nexo_io::NodeValues;

/// Nodes listed with their reasons on the terminal.
const LISTED: usize = 20;
/// Size of the KPP-Neg set that counts as a component.
const KEY_PLAYERS: usize = 10;

/// The key-node columns and the top of the list with reasons.
pub struct KeyNodes {
    pub columns: Vec<(&'static str, NodeValues)>,
    pub top: Vec<KeyNode>,
}

/// A node at the top of the key-node list.
#[derive(Debug, Clone)]
pub struct KeyNode {
    pub node: u32,
    pub rank: i64,
    pub score: f64,
    /// Why it is there, in words.
    pub reasons: String,
}

impl KeyNode {
    /// The node's line on the terminal.
    pub fn line(&self, network: &LinkNetwork) -> String {
        let label = network.node_attribute(self.node, Entities::LABEL).unwrap_or("");
        let key = network.node_key(self.node);
        format!("{:>4}  {key:<28} {label:<28} {:.3}  {}", self.rank, self.score, self.reasons)
    }
}

/// Ranks the nodes of `network` by the mean of their percentile ranks
/// (ties share their average rank) in each component present among
/// `columns`: betweenness, PageRank, brokerage across groups
/// (itinerant + representative + gatekeeper + liaison), and membership of
/// the KPP-Neg set of 10 (computed here).
pub fn rank(network: &LinkNetwork, columns: &[(&'static str, NodeValues)], weight: WeightKind) -> Result<KeyNodes> {
    let n = network.node_count();
    let float = |name: &str| NodeValues::floats(columns, name).map(<[f64]>::to_vec);
    let int = |name: &str| NodeValues::ints(columns, name).map(|v| v.iter().map(|&x| x as f64).collect::<Vec<f64>>());
    let mut components: Vec<(&str, Vec<f64>)> = Vec::new();
    for name in ["betweenness", "pagerank"] {
        if let Some(values) = float(name) {
            components.push((name, values));
        }
    }
    if let (Some(a), Some(b), Some(c), Some(d)) =
        (int("itinerant"), int("representative"), int("gatekeeper"), int("liaison"))
    {
        let across = (0..n).map(|u| a[u] + b[u] + c[u] + d[u]).collect();
        components.push(("brokerage across groups", across));
    }
    let mut member = vec![0i64; n];
    if n > KEY_PLAYERS {
        let graph = network.graph(Direction::Undirected, weight)?;
        for u in kpp_neg(&graph, KEY_PLAYERS)?.nodes {
            member[u as usize] = 1;
        }
        components.push(("key player (KPP-Neg, 10)", member.iter().map(|&m| m as f64).collect()));
    }
    let percentiles: Vec<Vec<f64>> = components.iter().map(|(_, values)| percentile_ranks(values)).collect();
    let score: Vec<f64> = (0..n)
        .map(|u| {
            if percentiles.is_empty() {
                0.0
            } else {
                percentiles.iter().map(|p| p[u]).sum::<f64>() / percentiles.len() as f64
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| score[b].total_cmp(&score[a]).then(a.cmp(&b)));
    let mut rank = vec![0i64; n];
    for (i, &u) in order.iter().enumerate() {
        rank[u] = i as i64 + 1;
    }
    let top = order
        .iter()
        .take(LISTED)
        .map(|&u| {
            let reasons: Vec<String> = components
                .iter()
                .zip(&percentiles)
                .filter(|(_, p)| p[u] >= 0.99)
                .map(|((name, values), _)| match *name {
                    "key player (KPP-Neg, 10)" => (*name).to_owned(),
                    _ => format!("{name} top 1% ({})", compact(values[u])),
                })
                .collect();
            let reasons = if reasons.is_empty() { "high on several measures".to_owned() } else { reasons.join("; ") };
            KeyNode { node: u as u32, rank: rank[u], score: score[u], reasons }
        })
        .collect();
    Ok(KeyNodes {
        columns: vec![
            ("key_score", NodeValues::Float(score)),
            ("key_rank", NodeValues::Int(rank)),
            ("key_player", NodeValues::Int(member)),
        ],
        top,
    })
}

/// Each value's share of the other values strictly below it, ties sharing
/// their average position: 0 for the smallest, 1 for the largest.
fn percentile_ranks(values: &[f64]) -> Vec<f64> {
    let n = values.len();
    if n < 2 {
        return vec![1.0; n];
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; n];
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        let average = (i + j) as f64 / 2.0 / (n - 1) as f64;
        for &u in &order[i..=j] {
            ranks[u] = average;
        }
        i = j + 1;
    }
    ranks
}

fn compact(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 { format!("{value:.0}") } else { format!("{value:.4}") }
}

#[cfg(test)]
mod tests {
    use super::percentile_ranks;

    #[test]
    fn ties_share_their_average_rank() {
        assert_eq!(percentile_ranks(&[3.0, 1.0, 3.0, 2.0, 0.0]), [0.875, 0.25, 0.875, 0.5, 0.0]);
        assert_eq!(percentile_ranks(&[5.0]), [1.0]);
    }
}
