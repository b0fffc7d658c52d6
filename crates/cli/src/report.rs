//! What `report.html` says: the sections built from a run's results.
//! `nexo_io::report` renders them.

use nexo_graph::community::CommunityProfile;
use nexo_graph::disruption::Step;
use nexo_graph::layout::force_directed;
use nexo_graph::{Degrees, Direction, Entities, Graph, LinkNetwork, region_of};
use nexo_io::report::{Block, Cell, Chart, DrawnNode, NetworkDrawing, Report, Section, Series, Table};
use nexo_io::{KeySet, NodeValues};

use crate::keynodes::KeyNode;
use crate::manifest::Manifest;

/// Rows of the longer tables.
const TOP_ROWS: usize = 25;
/// Nodes drawn at most.
const DRAWN_NODES: usize = 160;
/// Communities drawn at most.
const DRAWN_GROUPS: usize = 8;

/// The results a report is built from.
pub struct Results<'a> {
    pub network: &'a LinkNetwork,
    pub degrees: &'a Degrees,
    pub columns: &'a [(&'static str, NodeValues)],
    pub communities: Option<&'a [CommunityProfile]>,
    pub key_top: &'a [KeyNode],
    pub disruption: Option<&'a [Step]>,
    pub key_set: Option<&'a KeySet>,
}

impl Results<'_> {
    fn float(&self, name: &str) -> Option<&[f64]> {
        NodeValues::floats(self.columns, name)
    }

    fn int(&self, name: &str) -> Option<&[i64]> {
        NodeValues::ints(self.columns, name)
    }

    fn key(&self, u: u32) -> String {
        self.network.node_key(u).to_owned()
    }

    fn label(&self, u: u32) -> String {
        self.network.node_attribute(u, Entities::LABEL).unwrap_or("").to_owned()
    }

    fn country(&self, u: u32) -> String {
        self.network.node_country(u).unwrap_or("").to_owned()
    }
}

/// The sections computed from the results, before the manifest exists.
pub fn body(results: &Results<'_>) -> Vec<Section> {
    let mut sections = Vec::new();
    sections.extend(key_nodes(results));
    sections.extend(brokers(results));
    sections.extend(communities(results));
    sections.extend(drawing(results));
    sections.push(degrees(results));
    sections.extend(activity(results.network));
    sections.extend(disruption(results));
    sections.extend(key_set(results));
    sections
}

/// The whole page: the summary from the manifest, the body, the methods.
pub fn page(manifest: &Manifest, network: &LinkNetwork, body: Vec<Section>) -> Report {
    let mut sections = vec![summary(manifest, network)];
    sections.extend(body);
    sections.push(methods(manifest));
    Report {
        title: "nexo: link-network analysis".into(),
        subtitle: format!(
            "nexo {} · {} nodes, {} links · the command and every parameter are in manifest.json",
            manifest.nexo_version, manifest.network.nodes, manifest.network.links
        ),
        sections,
    }
}

fn summary(manifest: &Manifest, network: &LinkNetwork) -> Section {
    let r = &manifest.records;
    let n = &manifest.network;
    let mut facts = vec![
        ("Records accepted".to_owned(), r.accepted.to_string()),
        ("Rows rejected (see rejected.csv)".to_owned(), r.rejected.to_string()),
        ("Records linked".to_owned(), r.linked.to_string()),
        ("Self-contacts dropped".to_owned(), r.self_contacts.to_string()),
        ("Outside the time window".to_owned(), r.outside_window.to_string()),
        ("On layers not selected".to_owned(), r.layer_not_selected.to_string()),
        ("People and accounts (nodes)".to_owned(), n.nodes.to_string()),
        ("Links between them".to_owned(), n.links.to_string()),
        ("Layers".to_owned(), n.layers.join(", ")),
    ];
    if let (Some(first), Some(last)) = (network.activity().first(), network.activity().last()) {
        let days = last.0 - first.0 + 1;
        let span = format!(
            "{} to {} ({days} days)",
            nexo_io::report::date(first.0 as f64),
            nexo_io::report::date(last.0 as f64)
        );
        facts.push(("Time span of the dated records (UTC)".to_owned(), span));
    }
    let inputs = Table {
        headers: ["table", "file", "rows read", "accepted", "rejected"].map(String::from).to_vec(),
        rows: manifest
            .inputs
            .iter()
            .map(|i| {
                vec![
                    Cell::Text(i.table.to_owned()),
                    Cell::Text(i.path.clone()),
                    Cell::Int(i.rows_read as i64),
                    Cell::Int(i.rows_accepted as i64),
                    Cell::Int(i.rows_rejected as i64),
                ]
            })
            .collect(),
    };
    let mut blocks = vec![Block::Facts(facts), Block::Table(inputs)];
    blocks.extend(manifest.warnings.iter().map(|w| Block::Note(format!("Warning: {w}"))));
    Section {
        id: "summary",
        title: "The case in numbers".into(),
        intro: "What was read, what was kept and why. Every rejected row is listed with its file, line and \
                column in rejected.csv; the counts balance: accepted + rejected = rows read."
            .into(),
        blocks,
    }
}

fn key_nodes(results: &Results<'_>) -> Option<Section> {
    if results.key_top.is_empty() {
        return None;
    }
    let community = results.int("community");
    let betweenness = results.float("betweenness");
    let pagerank = results.float("pagerank");
    let rows = results
        .key_top
        .iter()
        .map(|k| {
            let u = k.node as usize;
            vec![
                Cell::Int(k.rank),
                Cell::Text(results.key(k.node)),
                Cell::Text(results.label(k.node)),
                Cell::Text(results.country(k.node)),
                community.map_or(Cell::Text(String::new()), |c| Cell::Int(c[u])),
                Cell::Float(k.score),
                betweenness.map_or(Cell::Float(f64::NAN), |b| Cell::Float(b[u])),
                pagerank.map_or(Cell::Float(f64::NAN), |p| Cell::Float(p[u])),
                Cell::Text(k.reasons.clone()),
            ]
        })
        .collect();
    let headers = ["rank", "node", "label", "country", "community", "key score", "betweenness", "PageRank", "why"];
    Some(Section {
        id: "key-nodes",
        title: "Key people".into(),
        intro: "The nodes that rank highest on the key-node list: the mean of their percentile ranks in \
                betweenness (who lies on the paths between others), PageRank (who is contacted by the \
                well-contacted), brokerage across groups, and membership of the set of 10 whose arrest \
                fragments the network most (KPP-Neg). Each component is a column of nodes.parquet."
            .into(),
        blocks: vec![Block::Table(Table { headers: headers.map(String::from).to_vec(), rows })],
    })
}

fn brokers(results: &Results<'_>) -> Option<Section> {
    let share = results.float("cross_region_share")?;
    let country_share = results.float("cross_country_share")?;
    let roles: Vec<&[i64]> = ["gatekeeper", "representative", "liaison", "itinerant", "coordinator"]
        .iter()
        .map(|r| results.int(r))
        .collect::<Option<_>>()?;
    let across = |u: usize| roles[..4].iter().map(|r| r[u]).sum::<i64>();
    let mut nodes: Vec<usize> = (0..share.len()).filter(|&u| share[u] > 0.0 && across(u) > 0).collect();
    nodes.sort_by(|&a, &b| across(b).cmp(&across(a)).then(share[b].total_cmp(&share[a])).then(a.cmp(&b)));
    let bridging = (0..share.len()).filter(|&u| share[u] > 0.0).count();
    let rows = nodes
        .iter()
        .take(TOP_ROWS)
        .map(|&u| {
            let country = results.country(u as u32);
            let mut row = vec![
                Cell::Text(results.key(u as u32)),
                Cell::Text(results.label(u as u32)),
                Cell::Text(country.clone()),
                Cell::Text(if country.is_empty() { String::new() } else { region_of(&country).to_owned() }),
            ];
            row.extend(roles.iter().map(|r| Cell::Int(r[u])));
            row.extend([Cell::Float(country_share[u]), Cell::Float(share[u])]);
            row
        })
        .collect();
    let headers = [
        "node",
        "label",
        "country",
        "region",
        "gatekeeper",
        "representative",
        "liaison",
        "itinerant",
        "coordinator",
        "cross-country share",
        "cross-region share",
    ];
    Some(Section {
        id: "brokers",
        title: "Brokers between Europe and Latin America".into(),
        intro: format!(
            "{bridging} nodes have contacts in both regions. Listed: those that also broker between \
             groups (Gould & Fernandez roles, counted over pairs a → b → c: a gatekeeper lets outsiders \
             into its own group, a representative speaks for its group to outsiders, a liaison links two \
             groups it belongs to neither of), by roles across groups, then by the share of their contact \
             weight that crosses the Europe–Latin America border."
        ),
        blocks: vec![Block::Table(Table { headers: headers.map(String::from).to_vec(), rows })],
    })
}

fn communities(results: &Results<'_>) -> Option<Section> {
    let profiles = results.communities?;
    let mut order: Vec<&CommunityProfile> = profiles.iter().collect();
    order.sort_by(|a, b| b.size.cmp(&a.size).then(a.id.cmp(&b.id)));
    let rows = order
        .iter()
        .take(TOP_ROWS)
        .map(|c| {
            let countries: Vec<String> = c.countries.iter().take(4).map(|(k, n)| format!("{k} {n}")).collect();
            let members: Vec<String> = c.top_ranked.iter().take(5).map(|&u| results.key(u)).collect();
            vec![
                Cell::Int(i64::from(c.id)),
                Cell::Int(c.size as i64),
                Cell::Text(countries.join(", ")),
                Cell::Float(c.cross_border_share.unwrap_or(f64::NAN)),
                Cell::Float(c.internal_weight),
                Cell::Float(c.density),
                Cell::Float(c.modularity),
                Cell::Text(members.join(", ")),
            ]
        })
        .collect();
    let headers = [
        "community",
        "members",
        "countries",
        "cross-border share",
        "internal weight",
        "density",
        "modularity term",
        "top members",
    ];
    Some(Section {
        id: "communities",
        title: "Groups (communities)".into(),
        intro: format!(
            "{} communities: groups of nodes linked more among themselves than with the rest. The {} \
             largest, with their countries, the share of their contact weight that crosses a border, and \
             their most central members. Click a heading to sort (for example by cross-border share). \
             All communities are in communities.parquet.",
            profiles.len(),
            TOP_ROWS.min(profiles.len())
        ),
        blocks: vec![Block::Table(Table { headers: headers.map(String::from).to_vec(), rows })],
    })
}

/// The leading groups: the communities of the key nodes (else the largest),
/// their most central members, and the links among them.
fn drawing(results: &Results<'_>) -> Option<Section> {
    let network = results.network;
    let n = network.node_count();
    if n == 0 || (results.int("community").is_none() && results.float("key_score").is_none()) {
        return None;
    }
    let importance: Vec<f64> = match (results.float("key_score"), results.float("betweenness")) {
        (Some(score), _) => score.to_vec(),
        (None, Some(b)) => b.to_vec(),
        _ => results.degrees.degree.iter().map(|&d| d as f64).collect(),
    };
    let mut by_importance: Vec<usize> = (0..n).collect();
    by_importance.sort_by(|&a, &b| importance[b].total_cmp(&importance[a]).then(a.cmp(&b)));
    let community = results.int("community");
    let (chosen, groups) = leading_nodes(&by_importance, community, results.key_top);
    let index: std::collections::HashMap<u32, usize> = chosen.iter().enumerate().map(|(i, &u)| (u, i)).collect();
    let links = network.links();
    let mut pairs: Vec<(usize, usize)> = (0..links.len())
        .filter_map(|l| {
            let (a, b) = (index.get(&links.source[l])?, index.get(&links.target[l])?);
            Some(((*a).min(*b), (*a).max(*b)))
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let (s, t): (Vec<u32>, Vec<u32>) = pairs.iter().map(|&(a, b)| (a as u32, b as u32)).unzip();
    let graph = Graph::from_edges(chosen.len(), &s, &t, &vec![1.0; s.len()], Direction::Undirected).ok()?;
    let layout = force_directed(&graph, 400, 1);
    let size_of = results
        .float("betweenness")
        .map_or_else(|| results.degrees.degree.iter().map(|&d| d as f64).collect::<Vec<_>>(), <[f64]>::to_vec);
    let largest = chosen.iter().map(|&u| size_of[u as usize]).fold(0.0, f64::max).max(f64::MIN_POSITIVE);
    let labelled: Vec<u32> = results.key_top.iter().take(15).map(|k| k.node).collect();
    let nodes = chosen
        .iter()
        .enumerate()
        .map(|(i, &u)| {
            let label = results.label(u);
            let name = if label.is_empty() { results.key(u) } else { label };
            let group = community.map_or(0, |c| groups.iter().position(|&g| g == c[u as usize]).unwrap_or(0));
            DrawnNode {
                x: layout.x[i],
                y: layout.y[i],
                size: (size_of[u as usize] / largest).sqrt(),
                group,
                label: if labelled.contains(&u) { name.clone() } else { String::new() },
                title: format!("{} ({}) {}", name, results.key(u), results.country(u)),
            }
        })
        .collect();
    let group_names = match community {
        Some(_) => groups.iter().map(|g| format!("community {g}")).collect(),
        None => vec!["nodes".to_owned()],
    };
    let drawing = NetworkDrawing {
        title: format!("{} nodes, {} links", chosen.len(), pairs.len()),
        nodes,
        links: pairs,
        groups: group_names,
    };
    Some(Section {
        id: "network",
        title: "The leading groups".into(),
        intro: "The communities of the key people (or the largest ones) with their most central members: \
                circles sized by betweenness, coloured by community, placed by a force-directed layout \
                (linked people close together). Hover over a circle for its name; the key people are \
                labelled."
            .into(),
        blocks: vec![Block::Drawing(drawing)],
    })
}

/// The nodes to draw and the communities they come from (in colour order).
fn leading_nodes(by_importance: &[usize], community: Option<&[i64]>, key_top: &[KeyNode]) -> (Vec<u32>, Vec<i64>) {
    let Some(community) = community else {
        return (by_importance.iter().take(DRAWN_NODES).map(|&u| u as u32).collect(), Vec::new());
    };
    let mut groups: Vec<i64> = Vec::new();
    let leaders = key_top.iter().map(|k| k.node as usize).chain(by_importance.iter().copied());
    for u in leaders {
        if groups.len() == DRAWN_GROUPS {
            break;
        }
        if !groups.contains(&community[u]) {
            groups.push(community[u]);
        }
    }
    let per_group = DRAWN_NODES / groups.len().max(1);
    let mut taken = vec![0usize; groups.len()];
    let mut chosen: Vec<u32> =
        key_top.iter().map(|k| k.node).filter(|&u| groups.contains(&community[u as usize])).collect();
    for &u in &chosen {
        let g = groups.iter().position(|&g| g == community[u as usize]).unwrap_or(0);
        taken[g] += 1;
    }
    for &u in by_importance {
        if let Some(g) = groups.iter().position(|&g| g == community[u])
            && taken[g] < per_group
            && !chosen.contains(&(u as u32))
        {
            taken[g] += 1;
            chosen.push(u as u32);
        }
    }
    (chosen, groups)
}

fn degrees(results: &Results<'_>) -> Section {
    let distribution = |values: &[i64]| {
        let mut counts = std::collections::BTreeMap::new();
        for &d in values {
            *counts.entry(d).or_insert(0u64) += 1;
        }
        counts.into_iter().map(|(d, c)| (d as f64, c as f64)).collect::<Vec<_>>()
    };
    let d = results.degrees;
    let chart = Chart {
        title: "Degree distribution".into(),
        x_label: "contacts (distinct neighbours; links in, links out)".into(),
        y_label: "nodes".into(),
        log: true,
        dates: false,
        series: vec![
            Series { name: "degree".into(), points: distribution(&d.degree) },
            Series { name: "in-degree".into(), points: distribution(&d.in_degree) },
            Series { name: "out-degree".into(), points: distribution(&d.out_degree) },
        ],
    };
    Section {
        id: "degrees",
        title: "How many contacts people have".into(),
        intro: "Nodes by number of contacts, on logarithmic axes: most people have few contacts, a few have \
                very many (the hubs)."
            .into(),
        blocks: vec![Block::Chart(chart)],
    }
}

fn activity(network: &LinkNetwork) -> Option<Section> {
    let days = network.activity();
    let (first, last) = (days.first()?.0, days.last()?.0);
    // Weeks beyond two months of records, so that the line stays readable.
    let bucket = if last - first > 60 { 7 } else { 1 };
    let mut points: Vec<(f64, f64)> = Vec::new();
    for &(day, count) in days {
        let start = (first + (day - first) / bucket * bucket) as f64;
        match points.last_mut() {
            Some(last) if last.0 == start => last.1 += count as f64,
            _ => points.push((start, count as f64)),
        }
    }
    let unit = if bucket == 7 { "week" } else { "day" };
    let chart = Chart {
        title: format!("Records per {unit}"),
        x_label: format!("{unit} (UTC)"),
        y_label: "records".into(),
        log: false,
        dates: true,
        series: vec![Series { name: "records".into(), points }],
    };
    Some(Section {
        id: "activity",
        title: "Activity over time".into(),
        intro: "Dated records that became links, per period: bursts often mark operations (a shipment, a \
                payment round), silences a change of phones."
            .into(),
        blocks: vec![Block::Chart(chart)],
    })
}

fn disruption(results: &Results<'_>) -> Option<Section> {
    let steps = results.disruption?;
    let first = steps.first()?;
    let (weak, strong) = (f64::from(first.largest_weak.max(1)), f64::from(first.largest_strong.max(1)));
    let mut removed = 0usize;
    let mut lwcc = Vec::new();
    let mut lscc = Vec::new();
    let mut rows = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        removed += step.removed.len();
        lwcc.push((removed as f64, f64::from(step.largest_weak) / weak));
        lscc.push((removed as f64, f64::from(step.largest_strong) / strong));
        let names: Vec<String> = step.removed.iter().map(|&u| results.key(u)).collect();
        rows.push(vec![
            Cell::Int(i as i64),
            Cell::Text(names.join(", ")),
            Cell::Int(step.nodes as i64),
            Cell::Int(i64::from(step.largest_weak)),
            Cell::Int(step.weak_components as i64),
            Cell::Int(i64::from(step.largest_strong)),
            step.efficiency.map_or(Cell::Float(f64::NAN), Cell::Float),
        ]);
    }
    let chart = Chart {
        title: "Largest connected group left, as a share of the start".into(),
        x_label: "people removed".into(),
        y_label: "share".into(),
        log: false,
        dates: false,
        series: vec![
            Series { name: "largest weakly connected component".into(), points: lwcc },
            Series { name: "largest strongly connected component".into(), points: lscc },
        ],
    };
    let headers = ["step", "removed", "nodes left", "largest weak", "weak components", "largest strong", "efficiency"];
    Some(Section {
        id: "disruption",
        title: "What arrests would do".into(),
        intro: "The simulated removal of people step by step (disruption.parquet): after each step, the size \
                of the largest group still connected. A steep fall means the network depends on few people."
            .into(),
        blocks: vec![Block::Chart(chart), Block::Table(Table { headers: headers.map(String::from).to_vec(), rows })],
    })
}

fn key_set(results: &Results<'_>) -> Option<Section> {
    let set = results.key_set?;
    let rows = set
        .nodes
        .iter()
        .enumerate()
        .map(|(i, &u)| {
            vec![
                Cell::Int(i as i64 + 1),
                Cell::Text(results.key(u)),
                Cell::Text(results.label(u)),
                Cell::Text(results.country(u)),
            ]
        })
        .collect();
    Some(Section {
        id: "key-players",
        title: "Key-player set".into(),
        intro: format!(
            "The set chosen by {} (Borgatti 2006). Once removed: fragmentation {:.4} (share of pairs no \
             longer connected), distance-weighted fragmentation {:.4}; its reach is {:.4} (1: everyone \
             is a member or a direct contact).",
            set.criterion, set.fragmentation, set.distance_fragmentation, set.reach
        ),
        blocks: vec![Block::Table(Table {
            headers: ["order", "node", "label", "country"].map(String::from).to_vec(),
            rows,
        })],
    })
}

fn methods(manifest: &Manifest) -> Section {
    let rows = manifest
        .measures
        .iter()
        .map(|m| vec![Cell::Text(m.measure.to_owned()), Cell::Text(m.method.clone()), Cell::Text(m.graph.to_owned())])
        .collect();
    Section {
        id: "methods",
        title: "Methods and reproducibility".into(),
        intro: format!(
            "How each number was computed. The same inputs and options (seed {}) give the same outputs, \
             byte for byte, at any thread count (this page included); manifest.json records the command, \
             the inputs' SHA-256, every parameter and the time each stage took.",
            manifest.parameters.seed
        ),
        blocks: vec![Block::Table(Table { headers: ["measure", "method", "graph"].map(String::from).to_vec(), rows })],
    }
}
