//! The measures of `nexo analyze`: which to run, exact or estimated, and
//! what the manifest says about each.

use std::time::Instant;

use anyhow::Result;
use nexo_graph::centrality::{
    AdaptiveOptions, BetweennessOptions, Convergence, PathLength, betweenness, betweenness_adaptive,
    betweenness_sampled, closeness, closeness_sampled, eigenvector, katz, pagerank, spectral_radius_estimate,
};
use nexo_graph::structure::{
    NO_GROUP, brokerage, core_number, cuts, group_ties, strongly_connected, structural_holes, weakly_connected,
};
use nexo_graph::{Direction, Graph, LinkNetwork, WeightKind};
use nexo_io::{GroupRow, NodeValues};
use serde::Serialize;

use crate::args::{AnalyzeArgs, MeasureArg, PathWeightArg};

/// Arc visits per second and thread measured by `benches/centrality.rs`
/// (breadth-first; Dijkstra is about four times slower). Only used to
/// announce how long `--exact` will take.
const VISITS_PER_SECOND: f64 = 2e8;
/// Nodes plus arcs beyond which searches outgrow the caches and each visit
/// costs more: on the medium case (1.45 million nodes, 19 million arcs)
/// sampled closeness and edge betweenness visited about 5 times fewer arcs
/// per second than on 200k nodes / 2M arcs. Past this size the sampled
/// sources shrink in proportion, so that an estimate keeps to about the time
/// `--exact-limit` stands for.
const CACHED_ENTRIES: f64 = 4_194_304.0;
/// Power iterations stop when the L1 change is below `n * TOLERANCE`.
const CONVERGENCE: Convergence = Convergence { tolerance: 1e-10, max_iterations: 1000 };
const DAMPING: f64 = 0.85;

/// What the manifest records of one measure.
#[derive(Debug, Serialize)]
pub struct MeasureEntry {
    pub measure: &'static str,
    /// exact, adaptive (KADABRA), sampled sources, or power iteration.
    pub method: String,
    pub graph: &'static str,
    pub seconds: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iterations: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub converged: Option<bool>,
}

/// Columns for the output tables and notes for the manifest.
#[derive(Default)]
pub struct Measured {
    pub node_columns: Vec<(&'static str, NodeValues)>,
    /// One value per link of the network, in link order.
    pub edge_betweenness: Option<Vec<f64>>,
    /// The --groups with their members and tie weights, if `ties` ran.
    pub groups: Option<Vec<GroupRow>>,
    /// The top of the key-node list, if `key` ran.
    pub key_top: Vec<crate::keynodes::KeyNode>,
    pub entries: Vec<MeasureEntry>,
    pub warnings: Vec<String>,
}

/// Runs the measures `args` asks for on `network`'s graph under `weight`.
pub fn compute(network: &LinkNetwork, args: &AnalyzeArgs, weight: WeightKind, quiet: bool) -> Result<Measured> {
    if args.exact_limit.is_nan() || args.exact_limit <= 0.0 {
        let message = format!("must be a positive number of arc visits, not {}", args.exact_limit);
        return Err(nexo_io::Error::BadOption { option: "--exact-limit".into(), message }.into());
    }
    let wants = |m: MeasureArg| args.measures.contains(&MeasureArg::All) || args.measures.contains(&m);
    let direction = if args.directed { Direction::Directed } else { Direction::Undirected };
    let graph = network.graph(direction, weight)?;
    // PageRank and components run on the directed graph: built once, and only if it differs.
    let needs_directed = wants(MeasureArg::Pagerank) || wants(MeasureArg::Components) || wants(MeasureArg::Brokerage);
    let own_directed =
        (needs_directed && !args.directed).then(|| network.graph(Direction::Directed, weight)).transpose()?;
    let directed = own_directed.as_ref().unwrap_or(&graph);
    let mut run = Run {
        graph: &graph,
        name: if args.directed { "directed" } else { "undirected" },
        measured: Measured {
            node_columns: Vec::new(),
            edge_betweenness: None,
            groups: None,
            key_top: Vec::new(),
            entries: Vec::new(),
            warnings: Vec::new(),
        },
        length: match args.path_weight {
            PathWeightArg::Hops => PathLength::Hops,
            PathWeightArg::Inverse => PathLength::InverseWeight,
            PathWeightArg::Weight => PathLength::Weight,
        },
        quiet,
    };
    let n = graph.node_count() as f64;
    let arcs = graph.edge_count() as f64 * if args.directed { 1.0 } else { 2.0 };
    let visits = n * (n + arcs);
    let exact = args.exact || visits <= args.exact_limit;
    if args.exact && visits > args.exact_limit && !quiet {
        let threads = rayon::current_num_threads() as f64;
        let minutes = visits / VISITS_PER_SECOND / threads / 60.0;
        eprintln!(
            "--exact: exact betweenness and closeness take about {minutes:.0} min per measure on {threads} threads"
        );
    }
    // Sources that keep an estimate within the exact limit's time.
    let slowdown = ((n + arcs) / CACHED_ENTRIES).max(1.0);
    let budget = (args.exact_limit / (n + arcs) / slowdown).max(1.0) as usize;

    if wants(MeasureArg::Betweenness) || wants(MeasureArg::EdgeBetweenness) {
        run.betweenness(args, exact, budget, wants(MeasureArg::Betweenness), wants(MeasureArg::EdgeBetweenness))
            .map_err(|e| name_nodes(network, e))?;
        if let Some(per_edge) = run.measured.edge_betweenness.take() {
            run.measured.edge_betweenness = Some(per_link(network, &graph, &per_edge));
        }
    }
    if wants(MeasureArg::Closeness) {
        let clock = Instant::now();
        let (c, method) = if exact {
            (closeness(&graph, run.length).map_err(|e| name_nodes(network, e.into()))?, "exact".to_owned())
        } else {
            run.announce("closeness", &format!("estimated from {budget} sampled sources (Eppstein-Wang)"));
            let c =
                closeness_sampled(&graph, run.length, budget, args.seed).map_err(|e| name_nodes(network, e.into()))?;
            (c, format!("sampled sources: {budget}"))
        };
        run.record("closeness", method, clock, None);
        run.measured.node_columns.push(("closeness", NodeValues::Float(c.closeness)));
        run.measured.node_columns.push(("harmonic", NodeValues::Float(c.harmonic)));
    }
    if wants(MeasureArg::Pagerank) {
        let clock = Instant::now();
        let pr = pagerank(directed, DAMPING, CONVERGENCE)?;
        let entry =
            run.record("pagerank", "power iteration, damping 0.85".into(), clock, Some((pr.iterations, pr.converged)));
        entry.graph = "directed";
        run.measured.node_columns.push(("pagerank", NodeValues::Float(pr.values)));
    }
    if wants(MeasureArg::Eigenvector) || wants(MeasureArg::Katz) {
        let clock = Instant::now();
        let e = eigenvector(&graph, CONVERGENCE);
        let radius = spectral_radius_estimate(&graph, &e.values);
        if wants(MeasureArg::Eigenvector) {
            run.record("eigenvector", "power iteration on A + I".into(), clock, Some((e.iterations, e.converged)));
            run.measured.node_columns.push(("eigenvector", NodeValues::Float(e.values)));
        }
        if wants(MeasureArg::Katz) {
            let clock = Instant::now();
            let alpha = args.katz_alpha.unwrap_or(if radius > 0.0 { 0.5 / radius } else { 0.1 });
            let k = katz(&graph, alpha, 1.0, CONVERGENCE);
            let method = format!("power iteration, alpha {alpha:.6e}, beta 1");
            run.record("katz", method, clock, Some((k.iterations, k.converged)));
            run.measured.node_columns.push(("katz", NodeValues::Float(k.values)));
        }
    }
    if wants(MeasureArg::Core) {
        let clock = Instant::now();
        let core = core_number(&graph);
        run.record("core", "exact (Batagelj-Zaversnik)".into(), clock, None);
        run.measured.node_columns.push(("core", ints(&core)));
    }
    if wants(MeasureArg::Components) {
        let clock = Instant::now();
        let weak = weakly_connected(directed);
        let strong = strongly_connected(directed);
        let entry = run.record("components", "exact (breadth-first, Tarjan)".into(), clock, None);
        entry.graph = "directed";
        run.measured.node_columns.push(("wcc", ints(&weak.id)));
        run.measured.node_columns.push(("wcc_size", ints(&weak.size_of_nodes())));
        run.measured.node_columns.push(("scc", ints(&strong.id)));
        run.measured.node_columns.push(("scc_size", ints(&strong.size_of_nodes())));
    }
    if wants(MeasureArg::Holes) {
        let clock = Instant::now();
        let holes = structural_holes(&graph, true);
        run.record("holes", "exact (Burt; networkx definitions), weighted".into(), clock, None);
        run.measured.node_columns.push(("constraint", NodeValues::Float(holes.constraint)));
        run.measured.node_columns.push(("effective_size", NodeValues::Float(holes.effective_size)));
        run.measured.node_columns.push(("efficiency", NodeValues::Float(holes.efficiency)));
    }
    if wants(MeasureArg::Cuts) {
        let clock = Instant::now();
        let found = cuts(&graph);
        let entry = run.record("cuts", "exact (Hopcroft-Tarjan, iterative)".into(), clock, None);
        entry.graph = "undirected";
        let mut bridges = vec![0i64; graph.node_count()];
        for &(u, v) in &found.bridges {
            bridges[u as usize] += 1;
            bridges[v as usize] += 1;
        }
        let articulation = found.articulation.iter().map(|&a| i64::from(a)).collect();
        run.measured.node_columns.push(("articulation", NodeValues::Int(articulation)));
        run.measured.node_columns.push(("bridges", NodeValues::Int(bridges)));
    }
    if wants(MeasureArg::Brokerage) {
        let clock = Instant::now();
        let (groups, _) = node_groups(network, &args.groups)?;
        let roles = brokerage(directed, &groups);
        let method = format!("exact (Gould-Fernandez), groups: {}", args.groups);
        run.record("brokerage", method, clock, None).graph = "directed";
        let column = |role: fn(&nexo_graph::structure::Roles) -> u64| {
            NodeValues::Int(roles.iter().map(|r| role(r) as i64).collect())
        };
        run.measured.node_columns.push(("coordinator", column(|r| r.coordinator)));
        run.measured.node_columns.push(("itinerant", column(|r| r.itinerant)));
        run.measured.node_columns.push(("representative", column(|r| r.representative)));
        run.measured.node_columns.push(("gatekeeper", column(|r| r.gatekeeper)));
        run.measured.node_columns.push(("liaison", column(|r| r.liaison)));
        run.measured.node_columns.push(("brokerage", column(|r| r.total())));
    }
    if wants(MeasureArg::Ties) {
        let clock = Instant::now();
        let (groups, names) = node_groups(network, &args.groups)?;
        let ties = group_ties(&graph, &groups, names.len());
        let share = |by: &str| -> Result<Vec<f64>> {
            let (ids, names) = node_groups(network, by)?;
            Ok(group_ties(&graph, &ids, names.len()).node_external_share())
        };
        let (country, region) = (share("country")?, share("region")?);
        run.record("ties", format!("exact (Krackhardt-Stern E-I), groups: {}", args.groups), clock, None);
        let mut members = vec![0i64; names.len()];
        for &g in groups.iter().filter(|&&g| g != NO_GROUP) {
            members[g as usize] += 1;
        }
        let group_ei = ties.group_ei();
        run.measured.groups = Some(
            names
                .into_iter()
                .enumerate()
                .map(|(g, name)| GroupRow {
                    name,
                    members: members[g],
                    internal_weight: ties.group_internal[g],
                    external_weight: ties.group_external[g],
                    ei_index: group_ei[g],
                })
                .collect(),
        );
        run.measured.node_columns.push(("ei_index", NodeValues::Float(ties.node_ei())));
        run.measured.node_columns.push(("cross_country_share", NodeValues::Float(country)));
        run.measured.node_columns.push(("cross_region_share", NodeValues::Float(region)));
    }
    if wants(MeasureArg::Key) {
        let clock = Instant::now();
        let key = crate::keynodes::rank(network, &run.measured.node_columns, weight)?;
        let method = "mean percentile rank of betweenness, PageRank, brokerage across groups and KPP-Neg membership \
                      (those computed)";
        run.record("key", method.into(), clock, None).graph = "undirected";
        run.measured.node_columns.extend(key.columns);
        run.measured.key_top = key.top;
    }
    Ok(run.measured)
}

/// Each node's group id (by country, region, or an entities column;
/// [`NO_GROUP`] where unknown) and the name of each group, by id.
fn node_groups(network: &LinkNetwork, groups: &str) -> Result<(Vec<u32>, Vec<String>)> {
    let column = match groups {
        "country" | "region" => None,
        name => {
            let names = network.entities().column_names();
            let Some(at) = names.iter().position(|c| c == name) else {
                let message =
                    format!("{name} is not country, region, or a column of the entities table ({})", names.join(", "));
                return Err(nexo_io::Error::BadOption { option: "--groups".into(), message }.into());
            };
            Some(at)
        }
    };
    let value = |u: u32| match (groups, column) {
        ("region", _) => network.node_country(u).map(nexo_graph::region_of),
        (_, Some(at)) => network.node_attribute(u, at),
        _ => network.node_country(u),
    };
    let mut ids: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
    let mut names = Vec::new();
    let mut group = Vec::with_capacity(network.node_count());
    for u in 0..network.node_count() as u32 {
        group.push(match value(u) {
            None => NO_GROUP,
            Some(v) => *ids.entry(v).or_insert_with(|| {
                names.push(v.to_owned());
                names.len() as u32 - 1
            }),
        });
    }
    Ok((group, names))
}

struct Run<'g> {
    graph: &'g Graph,
    name: &'static str,
    measured: Measured,
    length: PathLength,
    quiet: bool,
}

impl Run<'_> {
    fn betweenness(&mut self, args: &AnalyzeArgs, exact: bool, budget: usize, nodes: bool, edges: bool) -> Result<()> {
        let clock = Instant::now();
        let options = BetweennessOptions { length: self.length, normalized: true, edges };
        if exact {
            let b = betweenness(self.graph, options)?;
            self.record("betweenness", "exact (Brandes)".into(), clock, None);
            if nodes {
                self.measured.node_columns.push(("betweenness", NodeValues::Float(b.nodes)));
            }
            self.measured.edge_betweenness = edges.then_some(b.edges);
            return Ok(());
        }
        if edges {
            let b = betweenness_sampled(self.graph, options, budget, args.seed)?;
            self.announce("edge betweenness", &format!("estimated from {budget} sampled sources"));
            self.record("edge_betweenness", format!("sampled sources: {budget}"), clock, None);
            self.measured.edge_betweenness = Some(b.edges);
            if nodes && self.length != PathLength::Hops {
                self.measured.node_columns.push(("betweenness", NodeValues::Float(b.nodes)));
                return Ok(());
            }
        }
        if nodes {
            let clock = Instant::now();
            if self.length == PathLength::Hops {
                let options = AdaptiveOptions { epsilon: args.epsilon, delta: 0.1, seed: args.seed };
                let b = betweenness_adaptive(self.graph, options)?;
                let method = format!("adaptive (KADABRA), epsilon {}, delta 0.1, {} samples", args.epsilon, b.samples);
                self.announce("betweenness", &method);
                self.record("betweenness", method, clock, None);
                self.measured.node_columns.push(("betweenness", NodeValues::Float(b.nodes)));
            } else {
                let b =
                    betweenness_sampled(self.graph, BetweennessOptions { edges: false, ..options }, budget, args.seed)?;
                self.announce("betweenness", &format!("estimated from {budget} sampled sources"));
                self.record("betweenness", format!("sampled sources: {budget}"), clock, None);
                self.measured.node_columns.push(("betweenness", NodeValues::Float(b.nodes)));
            }
        }
        Ok(())
    }

    /// Says on stderr and in the manifest that a measure is estimated.
    fn announce(&mut self, measure: &str, how: &str) {
        let message = format!("{measure}: the graph is above the exact limit; {how} (--exact forces exact)");
        if !self.quiet {
            eprintln!("note: {message}");
        }
        self.measured.warnings.push(message);
    }

    fn record(
        &mut self,
        measure: &'static str,
        method: String,
        clock: Instant,
        iterated: Option<(usize, bool)>,
    ) -> &mut MeasureEntry {
        if let Some((iterations, false)) = iterated {
            self.measured.warnings.push(format!("{measure}: no convergence after {iterations} iterations"));
        }
        self.measured.entries.push(MeasureEntry {
            measure,
            method,
            graph: self.name,
            seconds: clock.elapsed().as_secs_f64(),
            iterations: iterated.map(|i| i.0),
            converged: iterated.map(|i| i.1),
        });
        self.measured.entries.last_mut().expect("just pushed")
    }
}

/// Adds the node keys to an error that names node ids.
pub fn name_nodes(network: &LinkNetwork, error: anyhow::Error) -> anyhow::Error {
    match error.downcast_ref::<nexo_graph::Error>() {
        Some(nexo_graph::Error::BadEdgeLength { source, target, .. }) => {
            let (source, target) = (network.node_key(*source).to_owned(), network.node_key(*target).to_owned());
            error.context(format!("link {source} - {target}: choose --path-weight hops or another --weight"))
        }
        _ => error,
    }
}

fn ints(values: &[u32]) -> NodeValues {
    NodeValues::Int(values.iter().map(|&v| i64::from(v)).collect())
}

/// Spreads per-edge scores (in [`Graph::edges`] order) over the network's
/// links: every layer row of a pair gets its edge's score.
fn per_link(network: &LinkNetwork, graph: &Graph, per_edge: &[f64]) -> Vec<f64> {
    let keys: Vec<(u32, u32)> = graph.edges().map(|(u, v, _)| (u, v)).collect();
    let links = network.links();
    (0..links.source.len())
        .map(|i| {
            let (u, v) = (links.source[i], links.target[i]);
            let key = if graph.is_directed() { (u, v) } else { (u.min(v), u.max(v)) };
            keys.binary_search(&key).map_or(0.0, |at| per_edge[at])
        })
        .collect()
}
