//! What investigators read about each community: size, weight inside and
//! out, cohesion, countries, and who stands out in it.

use crate::csr::Graph;
use crate::network::LinkNetwork;

/// Members listed per community in the `top_*` fields.
pub const TOP_MEMBERS: usize = 5;

/// One community of a partition of a [`LinkNetwork`].
#[derive(Clone, Debug, PartialEq)]
pub struct CommunityProfile {
    /// The community id, as in the `community` column of the nodes.
    pub id: u32,
    /// Members.
    pub size: usize,
    /// Total weight of links between members.
    pub internal_weight: f64,
    /// Total weight of links from members to non-members.
    pub external_weight: f64,
    /// Links between members over the pairs of members (0 for one member).
    pub density: f64,
    /// The community's term of the modularity: `L_c / m − γ (d_c / 2m)²`;
    /// the terms sum to [`super::modularity`].
    pub modularity: f64,
    /// Members per country, most frequent first (then by name); members of
    /// unknown country are not listed.
    pub countries: Vec<(String, usize)>,
    /// Share of the weight of links touching the community, among those
    /// whose two ends have a known country, that joins two countries.
    /// `None` when no such link exists.
    pub cross_border_share: Option<f64>,
    /// Up to [`TOP_MEMBERS`] member nodes by degree (ties: smaller id).
    pub top_degree: Vec<u32>,
    /// The same by the `ranking` given, if any.
    pub top_ranked: Vec<u32>,
}

/// Profiles of the communities `membership` (ids `0..count`) of `network`,
/// measured on `graph` (undirected: the graph the communities were found
/// on, weighted as it is). `ranking` (one value per node, e.g.
/// betweenness) fills `top_ranked`. One pass over the edges, `O(n log n +
/// m)`.
///
/// # Panics
/// If `membership` or `ranking` do not have one value per node of `graph`,
/// or `graph` has not the nodes of `network`.
pub fn profiles(
    network: &LinkNetwork,
    graph: &Graph,
    membership: &[u32],
    count: usize,
    resolution: f64,
    ranking: Option<&[f64]>,
) -> Vec<CommunityProfile> {
    let n = graph.node_count();
    assert!(membership.len() == n && network.node_count() == n, "one community per node");
    let mut rows: Vec<CommunityProfile> = (0..count as u32)
        .map(|id| CommunityProfile {
            id,
            size: 0,
            internal_weight: 0.0,
            external_weight: 0.0,
            density: 0.0,
            modularity: 0.0,
            countries: Vec::new(),
            cross_border_share: None,
            top_degree: Vec::new(),
            top_ranked: Vec::new(),
        })
        .collect();
    let mut internal_links = vec![0usize; count];
    let mut degree_sum = vec![0.0; count];
    let mut crossing = vec![(0.0, 0.0); count];
    let mut total = 0.0;
    for (u, v, w) in graph.edges() {
        let (cu, cv) = (membership[u as usize] as usize, membership[v as usize] as usize);
        total += w;
        degree_sum[cu] += w;
        degree_sum[cv] += w;
        let border = match (network.node_country(u), network.node_country(v)) {
            (Some(a), Some(b)) => Some(a != b),
            _ => None,
        };
        let mut touch = |c: usize| {
            if let Some(crosses) = border {
                crossing[c].0 += w;
                if crosses {
                    crossing[c].1 += w;
                }
            }
        };
        if cu == cv {
            rows[cu].internal_weight += w;
            internal_links[cu] += usize::from(u != v);
            touch(cu);
        } else {
            rows[cu].external_weight += w;
            rows[cv].external_weight += w;
            touch(cu);
            touch(cv);
        }
    }
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); count];
    for (u, &c) in membership.iter().enumerate() {
        members[c as usize].push(u as u32);
    }
    for (c, row) in rows.iter_mut().enumerate() {
        let nodes = &members[c];
        row.size = nodes.len();
        let pairs = nodes.len() * nodes.len().saturating_sub(1) / 2;
        row.density = if pairs == 0 { 0.0 } else { internal_links[c] as f64 / pairs as f64 };
        if total > 0.0 {
            let share = degree_sum[c] / (2.0 * total);
            row.modularity = row.internal_weight / total - resolution * share * share;
        }
        row.countries = country_counts(network, nodes);
        let (known, crosses) = crossing[c];
        row.cross_border_share = (known > 0.0).then(|| crosses / known);
        let degree: Vec<f64> = nodes.iter().map(|&u| graph.out_degree(u) as f64).collect();
        row.top_degree = top(nodes, &degree);
        if let Some(values) = ranking {
            let ranked: Vec<f64> = nodes.iter().map(|&u| values[u as usize]).collect();
            row.top_ranked = top(nodes, &ranked);
        }
    }
    rows
}

fn country_counts(network: &LinkNetwork, nodes: &[u32]) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut names: Vec<&str> = nodes.iter().filter_map(|&u| network.node_country(u)).collect();
    names.sort_unstable();
    for name in names {
        match counts.last_mut() {
            Some((last, k)) if last == name => *k += 1,
            _ => counts.push((name.to_owned(), 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts
}

/// The nodes with the largest values, largest first, ties to the smaller id.
fn top(nodes: &[u32], values: &[f64]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(nodes[a].cmp(&nodes[b])));
    order.into_iter().take(TOP_MEMBERS).map(|i| nodes[i]).collect()
}
