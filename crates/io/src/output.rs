//! The output tables: schemas as code, and their Parquet and CSV writers.

use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{Int64Builder, StringBuilder, TimestampMicrosecondBuilder};
use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use nexo_graph::{Entities, LinkNetwork, WeightKind};

use crate::error::{Error, Result};
use crate::writer::TableWriter;

/// The format of output tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// Parquet, zstd-compressed, strings dictionary-encoded.
    #[default]
    Parquet,
    /// CSV with a header; timestamps in RFC 3339.
    Csv,
}

impl OutputFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Parquet => "parquet",
            OutputFormat::Csv => "csv",
        }
    }
}

/// The type of an output column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// UTF-8 text (Parquet BYTE_ARRAY, dictionary-encoded).
    Text,
    /// 64-bit signed integer.
    Int,
    /// 64-bit float.
    Float,
    /// Parquet TIMESTAMP(MICROS, UTC).
    Timestamp,
}

impl ColumnType {
    fn arrow(self) -> DataType {
        match self {
            ColumnType::Text => DataType::Utf8,
            ColumnType::Int => DataType::Int64,
            ColumnType::Float => DataType::Float64,
            ColumnType::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        }
    }

    /// The type's name in the schema documentation.
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::Text => "string",
            ColumnType::Int => "int64",
            ColumnType::Float => "double",
            ColumnType::Timestamp => "timestamp[us, UTC]",
        }
    }
}

/// One documented output column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputColumn {
    /// Column name.
    pub name: &'static str,
    /// Its type.
    pub kind: ColumnType,
    /// Whether it can be null.
    pub nullable: bool,
    /// What it means.
    pub meaning: &'static str,
}

const fn column(name: &'static str, kind: ColumnType, nullable: bool, meaning: &'static str) -> OutputColumn {
    OutputColumn { name, kind, nullable, meaning }
}

/// The columns of `nodes`, before the entities table's extra columns
/// (carried as nullable strings, after these).
pub const NODE_COLUMNS: &[OutputColumn] = &[
    column("node", ColumnType::Text, false, "node key: the entity, or the canonical identifier if no entity owns it"),
    column("label", ColumnType::Text, true, "the entity's label from the entities table"),
    column("kind", ColumnType::Text, true, "the entity's kind from the entities table"),
    column(
        "country",
        ColumnType::Text,
        true,
        "country from the entities table, else the one the records give most often",
    ),
    column("identifiers", ColumnType::Int, false, "distinct identifiers of the node seen in the records"),
    column("degree", ColumnType::Int, false, "distinct neighbours, links in either direction on any layer"),
    column("in_degree", ColumnType::Int, false, "distinct nodes with a link to this node"),
    column("out_degree", ColumnType::Int, false, "distinct nodes this node has a link to"),
    column("strength", ColumnType::Float, false, "total weight of its links, in and out (in_strength + out_strength)"),
    column("in_strength", ColumnType::Float, false, "total weight of links to this node"),
    column("out_strength", ColumnType::Float, false, "total weight of links from this node"),
    column(
        "betweenness",
        ColumnType::Float,
        true,
        "share of shortest paths between other nodes through this node (networkx normalised); exact, or \
         estimated on large graphs (see manifest.json `measures`); null unless computed",
    ),
    column(
        "closeness",
        ColumnType::Float,
        true,
        "closeness, Wasserman-Faust for disconnected graphs (networkx `closeness_centrality`), incoming distances",
    ),
    column("harmonic", ColumnType::Float, true, "mean of 1/distance from the other nodes (0 when unreachable)"),
    column("pagerank", ColumnType::Float, true, "PageRank, damping 0.85, weighted, on the directed graph; sums to 1"),
    column("eigenvector", ColumnType::Float, true, "eigenvector centrality, weighted, L2-normalised"),
    column("katz", ColumnType::Float, true, "Katz centrality, weighted, L2-normalised (alpha in manifest.json)"),
    column("core", ColumnType::Int, true, "k-core number (degree: neighbours, in + out when directed)"),
    column("wcc", ColumnType::Int, true, "weakly connected component, numbered by each component's first node"),
    column("wcc_size", ColumnType::Int, true, "nodes in the node's weakly connected component"),
    column("scc", ColumnType::Int, true, "strongly connected component (directed graph), numbered like `wcc`"),
    column("scc_size", ColumnType::Int, true, "nodes in the node's strongly connected component"),
    column(
        "constraint",
        ColumnType::Float,
        true,
        "Burt's constraint (networkx `constraint`, weighted): high when the node's contacts are few and tied to \
         each other; NaN for an isolated node",
    ),
    column(
        "effective_size",
        ColumnType::Float,
        true,
        "Burt's effective size (networkx's formula, weighted): contacts less their redundancy; NaN if isolated",
    ),
    column("efficiency", ColumnType::Float, true, "effective size over the number of contacts; NaN if isolated"),
    column(
        "articulation",
        ColumnType::Int,
        true,
        "1 if removing the node splits its component (articulation point, links read both ways), else 0",
    ),
    column("bridges", ColumnType::Int, true, "links of the node whose removal splits its component (bridges)"),
    column(
        "coordinator",
        ColumnType::Int,
        true,
        "brokerage (Gould-Fernandez, --groups): two-paths a -> node -> c without a -> c, all three in one group",
    ),
    column("itinerant", ColumnType::Int, true, "such two-paths with a and c in one group, the node in another"),
    column("representative", ColumnType::Int, true, "such two-paths with a in the node's group, c in another"),
    column("gatekeeper", ColumnType::Int, true, "such two-paths with c in the node's group, a in another"),
    column("liaison", ColumnType::Int, true, "such two-paths with a, the node and c in three different groups"),
    column("brokerage", ColumnType::Int, true, "all five roles: the node's open two-paths between known groups"),
    column(
        "key_score",
        ColumnType::Float,
        true,
        "key-node score: mean percentile rank (0-1) of betweenness, PageRank, brokerage across groups and \
         membership of the KPP-Neg set of 10, over those computed (see manifest)",
    ),
    column("key_rank", ColumnType::Int, true, "rank by key_score, 1 first (ties: node order)"),
    column("key_player", ColumnType::Int, true, "1 if in the KPP-Neg set of 10 (Borgatti), else 0"),
    column(
        "ei_index",
        ColumnType::Float,
        true,
        "Krackhardt-Stern E-I index of the node's ties by --groups: (external - internal) / (external + internal) \
         weight, -1 all inside its group, +1 all outside; NaN without ties to known groups",
    ),
    column(
        "cross_country_share",
        ColumnType::Float,
        true,
        "share of the node's tie weight (to nodes of known country) that goes to another country; NaN if none",
    ),
    column(
        "cross_region_share",
        ColumnType::Float,
        true,
        "the same across regions (Europe, Latin America, other): the Atlantic crossing; NaN if none",
    ),
    column(
        "community",
        ColumnType::Int,
        true,
        "community (--communities: Leiden by default) on the undirected graph, numbered by each community's first \
         node; row of communities.parquet; null with --communities none",
    ),
];

/// The columns of `groups`: one row per group of `--groups`.
pub const GROUP_COLUMNS: &[OutputColumn] = &[
    column("group", ColumnType::Text, false, "the group: a country, a region, or a value of the entities column"),
    column("members", ColumnType::Int, false, "nodes in the group"),
    column("internal_weight", ColumnType::Float, false, "weight of the ties between members, each tie once"),
    column("external_weight", ColumnType::Float, false, "weight of the ties from members to other known groups"),
    column("ei_index", ColumnType::Float, false, "Krackhardt-Stern E-I index of the group (NaN without ties)"),
];

/// One row of the `groups` table.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRow {
    /// The group's name.
    pub name: String,
    /// Nodes in the group.
    pub members: i64,
    /// Weight of the ties between members.
    pub internal_weight: f64,
    /// Weight of the ties from members to other known groups.
    pub external_weight: f64,
    /// `(external - internal) / (external + internal)`.
    pub ei_index: f64,
}

/// The `groups` table.
pub fn groups_batch(rows: &[GroupRow]) -> Result<RecordBatch> {
    let arrays: Vec<ArrayRef> = vec![
        Arc::new(rows.iter().map(|r| Some(r.name.as_str())).collect::<StringArray>()),
        Arc::new(rows.iter().map(|r| r.members).collect::<Int64Array>()),
        Arc::new(rows.iter().map(|r| r.internal_weight).collect::<Float64Array>()),
        Arc::new(rows.iter().map(|r| r.external_weight).collect::<Float64Array>()),
        Arc::new(rows.iter().map(|r| r.ei_index).collect::<Float64Array>()),
    ];
    let fields = GROUP_COLUMNS.iter().map(|c| Field::new(c.name, c.kind.arrow(), c.nullable)).collect();
    batch(fields, arrays)
}

/// The columns of `disruption`: one row per step of `nexo disrupt`.
pub const DISRUPTION_COLUMNS: &[OutputColumn] = &[
    column("step", ColumnType::Int, false, "step: 0 is the whole network"),
    column("removed", ColumnType::Text, false, "node keys removed at this step, `;`-separated (empty at step 0)"),
    column("removed_total", ColumnType::Int, false, "nodes removed so far"),
    column("nodes", ColumnType::Int, false, "nodes left"),
    column("largest_weak", ColumnType::Int, false, "size of the largest weakly connected component"),
    column("largest_weak_share", ColumnType::Float, false, "the same over its size at step 0"),
    column("weak_components", ColumnType::Int, false, "number of weakly connected components"),
    column("largest_strong", ColumnType::Int, false, "size of the largest strongly connected component"),
    column("strong_components", ColumnType::Int, false, "number of strongly connected components"),
    column(
        "efficiency",
        ColumnType::Float,
        true,
        "global efficiency (mean 1/distance in hops over ordered pairs), with --efficiency; see manifest for exact \
         or sampled",
    ),
];

/// The `disruption` table from the steps of a simulation on `network`.
pub fn disruption_batch(network: &LinkNetwork, steps: &[nexo_graph::disruption::Step]) -> Result<RecordBatch> {
    let initial = f64::from(steps.first().map_or(0, |s| s.largest_weak).max(1));
    let ints = |f: &dyn Fn(usize, &nexo_graph::disruption::Step) -> i64| -> ArrayRef {
        Arc::new(steps.iter().enumerate().map(|(i, s)| f(i, s)).collect::<Int64Array>())
    };
    let mut total = 0i64;
    let removed_total: Int64Array = steps
        .iter()
        .map(|s| {
            total += s.removed.len() as i64;
            total
        })
        .collect();
    let removed: StringArray = steps
        .iter()
        .map(|s| Some(s.removed.iter().map(|&u| network.node_key(u)).collect::<Vec<_>>().join(";")))
        .collect();
    let arrays: Vec<ArrayRef> = vec![
        ints(&|i, _| i as i64),
        Arc::new(removed),
        Arc::new(removed_total),
        ints(&|_, s| s.nodes as i64),
        ints(&|_, s| i64::from(s.largest_weak)),
        Arc::new(steps.iter().map(|s| f64::from(s.largest_weak) / initial).collect::<Float64Array>()),
        ints(&|_, s| s.weak_components as i64),
        ints(&|_, s| i64::from(s.largest_strong)),
        ints(&|_, s| s.strong_components as i64),
        Arc::new(steps.iter().map(|s| s.efficiency).collect::<Float64Array>()),
    ];
    let fields = DISRUPTION_COLUMNS.iter().map(|c| Field::new(c.name, c.kind.arrow(), c.nullable)).collect();
    batch(fields, arrays)
}

/// The columns of `keyplayers`: one row per member of the set.
pub const KEYPLAYER_COLUMNS: &[OutputColumn] = &[
    column("rank", ColumnType::Int, false, "order in which the greedy start picked the member's slot"),
    column("node", ColumnType::Text, false, "node key"),
    column("label", ColumnType::Text, true, "the entity's label"),
    column(
        "criterion",
        ColumnType::Text,
        false,
        "what the set was chosen for: fragmentation, distance_fragmentation (KPP-Neg) or reach (KPP-Pos)",
    ),
    column(
        "fragmentation",
        ColumnType::Float,
        false,
        "share of ordered pairs of the nodes left that no path joins once the set is removed (Borgatti 2006; same on every row)",
    ),
    column(
        "distance_fragmentation",
        ColumnType::Float,
        false,
        "1 - mean of 1/distance over ordered pairs of the nodes left once the set is removed (Borgatti 2006; \
         estimated from sampled sources on large networks, see the manifest; same on every row)",
    ),
    column(
        "reach",
        ColumnType::Float,
        false,
        "mean over all nodes of 1/hops from the nearest member, members and neighbours counting 1 (Borgatti 2006; same on every row)",
    ),
];

/// A key-player set and how it scores.
#[derive(Debug, Clone, PartialEq)]
pub struct KeySet {
    /// Members, in the order the greedy start picked them.
    pub nodes: Vec<u32>,
    /// What it was chosen for (the `criterion` column).
    pub criterion: &'static str,
    /// Fragmentation once removed.
    pub fragmentation: f64,
    /// Distance-weighted fragmentation once removed.
    pub distance_fragmentation: f64,
    /// Distance-weighted reach.
    pub reach: f64,
}

/// The `keyplayers` table.
pub fn keyplayers_batch(network: &LinkNetwork, set: &KeySet) -> Result<RecordBatch> {
    let nodes = &set.nodes;
    let same = |value: f64| Arc::new(nodes.iter().map(|_| value).collect::<Float64Array>()) as ArrayRef;
    let arrays: Vec<ArrayRef> = vec![
        Arc::new((1..=nodes.len() as i64).collect::<Int64Array>()),
        Arc::new(nodes.iter().map(|&u| Some(network.node_key(u))).collect::<StringArray>()),
        Arc::new(nodes.iter().map(|&u| network.node_attribute(u, Entities::LABEL)).collect::<StringArray>()),
        Arc::new(nodes.iter().map(|_| Some(set.criterion)).collect::<StringArray>()),
        same(set.fragmentation),
        same(set.distance_fragmentation),
        same(set.reach),
    ];
    let fields = KEYPLAYER_COLUMNS.iter().map(|c| Field::new(c.name, c.kind.arrow(), c.nullable)).collect();
    batch(fields, arrays)
}

/// The columns of `communities`: one row per community.
pub const COMMUNITY_COLUMNS: &[OutputColumn] = &[
    column("community", ColumnType::Int, false, "community id, as in the nodes' `community` column"),
    column("size", ColumnType::Int, false, "member nodes"),
    column("internal_weight", ColumnType::Float, false, "total weight of links between members (undirected graph)"),
    column("external_weight", ColumnType::Float, false, "total weight of links between members and non-members"),
    column("density", ColumnType::Float, false, "linked pairs of members over all pairs of members (0 for one member)"),
    column(
        "modularity",
        ColumnType::Float,
        false,
        "the community's term of the modularity at --resolution; the terms sum to the partition's modularity",
    ),
    column("countries", ColumnType::Text, false, "members per country, most frequent first: `ES:12;CO:5`"),
    column("country_count", ColumnType::Int, false, "distinct known countries among members"),
    column(
        "cross_border_share",
        ColumnType::Float,
        true,
        "share of the weight of links touching the community, between two known countries, that joins two \
         different countries; null if none has both countries known",
    ),
    column("top_degree", ColumnType::Text, false, "up to 5 members with most neighbours, `;`-separated node keys"),
    column(
        "top_betweenness",
        ColumnType::Text,
        true,
        "up to 5 members by betweenness, `;`-separated node keys; null unless betweenness was computed",
    ),
];

/// The columns of `edges`: one row per (source, target, layer).
pub const EDGE_COLUMNS: &[OutputColumn] = &[
    column("source", ColumnType::Text, false, "source node key (caller, payer, first party)"),
    column("target", ColumnType::Text, false, "target node key"),
    column("layer", ColumnType::Text, false, "call, sms, transfer, meeting, ...: the records' kind or layer"),
    column("records", ColumnType::Int, false, "number of input records aggregated into the link"),
    column("duration_s", ColumnType::Float, false, "total duration of the records in seconds"),
    column("amount", ColumnType::Float, false, "total amount moved (four decimal places, exact)"),
    column("first_seen", ColumnType::Timestamp, true, "earliest record; null if no record was dated"),
    column("last_seen", ColumnType::Timestamp, true, "latest record; null if no record was dated"),
    column(
        "weight",
        ColumnType::Float,
        false,
        "the link's weight under --weight: contacts (count; a link row counts its weight), seconds or amount",
    ),
    column(
        "edge_betweenness",
        ColumnType::Float,
        true,
        "betweenness of the node pair's edge in the analysed graph (networkx normalised; the same value on \
         every layer row of the pair); null unless computed",
    ),
];

/// A numeric column computed per node, in node id order.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValues {
    /// Integers.
    Int(Vec<i64>),
    /// Floats.
    Float(Vec<f64>),
}

impl NodeValues {
    /// The float column named `name` among `columns`.
    pub fn floats<'a>(columns: &'a [(&str, NodeValues)], name: &str) -> Option<&'a [f64]> {
        columns.iter().find_map(|(c, v)| match v {
            NodeValues::Float(values) if *c == name => Some(&values[..]),
            _ => None,
        })
    }

    /// The integer column named `name` among `columns`.
    pub fn ints<'a>(columns: &'a [(&str, NodeValues)], name: &str) -> Option<&'a [i64]> {
        columns.iter().find_map(|(c, v)| match v {
            NodeValues::Int(values) if *c == name => Some(&values[..]),
            _ => None,
        })
    }
}

/// The `nodes` table: node attributes from `network`, then the measure
/// columns of [`NODE_COLUMNS`] taken by name from `measures` (a nullable one
/// not given is written as nulls, so every run has the same schema), then
/// the entities' extra columns.
///
/// # Errors
/// [`Error::BadOption`] if a measure is missing, unknown, or of the wrong length.
pub fn nodes_batch(network: &LinkNetwork, mut measures: Vec<(&str, NodeValues)>) -> Result<RecordBatch> {
    let n = network.node_count() as u32;
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    let mut push = |name: &str, kind: ColumnType, nullable: bool, array: ArrayRef| {
        fields.push(Field::new(name, kind.arrow(), nullable));
        arrays.push(array);
    };
    push("node", ColumnType::Text, false, text_column(n, &|id| Some(network.node_key(id))));
    for (name, column) in [("label", Entities::LABEL), ("kind", Entities::KIND)] {
        push(name, ColumnType::Text, true, text_column(n, &|id| network.node_attribute(id, column)));
    }
    push("country", ColumnType::Text, true, text_column(n, &|id| network.node_country(id)));
    let identifiers: Int64Array = (0..n).map(|id| i64::from(network.node_identifiers(id))).collect();
    push("identifiers", ColumnType::Int, false, Arc::new(identifiers));
    let measure_columns = NODE_COLUMNS.iter().skip_while(|c| c.name != "identifiers").skip(1);
    for column in measure_columns {
        let given = measures.iter().position(|(name, _)| *name == column.name).map(|at| measures.swap_remove(at).1);
        let array: ArrayRef = match (given, column.kind) {
            (Some(NodeValues::Int(v)), ColumnType::Int) if v.len() == n as usize => Arc::new(Int64Array::from(v)),
            (Some(NodeValues::Float(v)), ColumnType::Float) if v.len() == n as usize => Arc::new(Float64Array::from(v)),
            (None, _) if column.nullable => arrow_array::new_null_array(&column.kind.arrow(), n as usize),
            _ => return Err(bad_measure(column.name, "missing, of the wrong type or of the wrong length")),
        };
        push(column.name, column.kind, column.nullable, array);
    }
    if let Some((name, _)) = measures.first() {
        return Err(bad_measure(name, "not a column of the nodes table"));
    }
    let entities = network.entities();
    for (column, name) in entities.column_names().iter().enumerate().skip(Entities::COUNTRY + 1) {
        push(name, ColumnType::Text, true, text_column(n, &|id| network.node_attribute(id, column)));
    }
    batch(fields, arrays)
}

fn bad_measure(name: &str, problem: &str) -> Error {
    Error::BadOption { option: "output".into(), message: format!("measure column {name}: {problem}") }
}

fn text_column<'a>(n: u32, value: &dyn Fn(u32) -> Option<&'a str>) -> ArrayRef {
    let mut builder = StringBuilder::new();
    for id in 0..n {
        builder.append_option(value(id));
    }
    Arc::new(builder.finish())
}

/// The `edges` table, weights under `weight`; `edge_betweenness`, if given,
/// holds one value per link, in link order.
pub fn edges_batch(
    network: &LinkNetwork,
    weight: WeightKind,
    edge_betweenness: Option<Vec<f64>>,
) -> Result<RecordBatch> {
    let links = network.links();
    let mut source = StringBuilder::new();
    let mut target = StringBuilder::new();
    let mut layer = StringBuilder::new();
    let mut records = Int64Builder::with_capacity(links.len());
    let mut first = TimestampMicrosecondBuilder::with_capacity(links.len()).with_timezone("UTC");
    let mut last = TimestampMicrosecondBuilder::with_capacity(links.len()).with_timezone("UTC");
    for i in 0..links.len() {
        let stats = &links.stats[i];
        source.append_value(network.node_key(links.source[i]));
        target.append_value(network.node_key(links.target[i]));
        layer.append_value(&network.layers()[links.layer[i] as usize]);
        records.append_value(stats.records as i64);
        first.append_option(stats.first);
        last.append_option(stats.last);
    }
    let floats = |f: &dyn Fn(&nexo_graph::LinkStats) -> f64| -> ArrayRef {
        Arc::new(links.stats.iter().map(f).collect::<Float64Array>())
    };
    let arrays: Vec<ArrayRef> = vec![
        Arc::new(source.finish()),
        Arc::new(target.finish()),
        Arc::new(layer.finish()),
        Arc::new(records.finish()),
        floats(&|s| s.duration_ms as f64 / 1000.0),
        floats(&|s| s.amount.as_f64()),
        Arc::new(first.finish()),
        Arc::new(last.finish()),
        floats(&|s| s.weight_as(weight)),
        match edge_betweenness {
            Some(values) if values.len() == links.len() => Arc::new(Float64Array::from(values)),
            Some(_) => return Err(bad_measure("edge_betweenness", "not one value per link")),
            None => arrow_array::new_null_array(&DataType::Float64, links.len()),
        },
    ];
    let fields = EDGE_COLUMNS.iter().map(|c| Field::new(c.name, c.kind.arrow(), c.nullable)).collect();
    batch(fields, arrays)
}

/// The `communities` table from the profiles of a partition of `network`
/// (`top_ranked` holds the top members by betweenness, if computed).
pub fn communities_batch(
    network: &LinkNetwork,
    rows: &[nexo_graph::community::CommunityProfile],
    with_betweenness: bool,
) -> Result<RecordBatch> {
    let keys = |nodes: &[u32]| nodes.iter().map(|&u| network.node_key(u)).collect::<Vec<_>>().join(";");
    let ints = |f: &dyn Fn(&nexo_graph::community::CommunityProfile) -> i64| -> ArrayRef {
        Arc::new(rows.iter().map(f).collect::<Int64Array>())
    };
    let floats = |f: &dyn Fn(&nexo_graph::community::CommunityProfile) -> f64| -> ArrayRef {
        Arc::new(rows.iter().map(f).collect::<Float64Array>())
    };
    let countries: StringArray = rows
        .iter()
        .map(|r| Some(r.countries.iter().map(|(c, k)| format!("{c}:{k}")).collect::<Vec<_>>().join(";")))
        .collect();
    let top_degree: StringArray = rows.iter().map(|r| Some(keys(&r.top_degree))).collect();
    let top_betweenness: StringArray = rows.iter().map(|r| with_betweenness.then(|| keys(&r.top_ranked))).collect();
    let arrays: Vec<ArrayRef> = vec![
        ints(&|r| i64::from(r.id)),
        ints(&|r| r.size as i64),
        floats(&|r| r.internal_weight),
        floats(&|r| r.external_weight),
        floats(&|r| r.density),
        floats(&|r| r.modularity),
        Arc::new(countries),
        ints(&|r| r.countries.len() as i64),
        Arc::new(rows.iter().map(|r| r.cross_border_share).collect::<Float64Array>()),
        Arc::new(top_degree),
        Arc::new(top_betweenness),
    ];
    let fields = COMMUNITY_COLUMNS.iter().map(|c| Field::new(c.name, c.kind.arrow(), c.nullable)).collect();
    batch(fields, arrays)
}

fn batch(fields: Vec<Field>, arrays: Vec<ArrayRef>) -> Result<RecordBatch> {
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
        .map_err(|e| Error::BadOption { option: "output".into(), message: e.to_string() })
}

/// Writes `batch` to `path` in `format`.
pub fn write_table(path: &Path, format: OutputFormat, batch: &RecordBatch) -> Result<()> {
    let mut writer = TableWriter::create(path, format, batch.schema())?;
    writer.write(batch)?;
    writer.finish()
}

/// The columns of `evidence`: one row per linked input record.
pub const EVIDENCE_COLUMNS: &[OutputColumn] = &[
    column("source", ColumnType::Text, false, "source node key of the link (as in `edges`)"),
    column("target", ColumnType::Text, false, "target node key of the link"),
    column("layer", ColumnType::Text, false, "layer of the link"),
    column("file", ColumnType::Text, false, "the input file the record is in (as in the manifest's inputs)"),
    column(
        "line",
        ColumnType::Int,
        false,
        "its line in a CSV file (the header is line 1), its row (from 1) in Parquet",
    ),
];

/// The columns of `identifiers`: one row per identifier seen in the records.
pub const IDENTIFIER_COLUMNS: &[OutputColumn] = &[
    column("node", ColumnType::Text, false, "node key"),
    column("identifier", ColumnType::Text, false, "phone number, account or other identifier, in canonical form"),
];

/// The network's evidence, or an error if the records were read without it.
fn kept_evidence(network: &LinkNetwork) -> Result<&nexo_graph::Evidence> {
    network.evidence().ok_or_else(|| Error::BadOption {
        option: "--evidence".into(),
        message: "the records were read without it".into(),
    })
}

/// The `evidence` table; `files` names the input parts by their position.
pub fn evidence_batch(network: &LinkNetwork, files: &[String]) -> Result<RecordBatch> {
    let evidence = kept_evidence(network)?;
    let links = network.links();
    let key = |ends: &[u32]| -> ArrayRef {
        Arc::new(evidence.link.iter().map(|&l| Some(network.node_key(ends[l as usize]))).collect::<StringArray>())
    };
    let layers = network.layers();
    let arrays: Vec<ArrayRef> = vec![
        key(&links.source),
        key(&links.target),
        Arc::new(
            evidence
                .link
                .iter()
                .map(|&l| Some(layers[links.layer[l as usize] as usize].as_str()))
                .collect::<StringArray>(),
        ),
        Arc::new(evidence.part.iter().map(|&p| files.get(p as usize).map(String::as_str)).collect::<StringArray>()),
        Arc::new(evidence.line.iter().map(|&n| n as i64).collect::<Int64Array>()),
    ];
    let fields = EVIDENCE_COLUMNS.iter().map(|c| Field::new(c.name, c.kind.arrow(), c.nullable)).collect();
    batch(fields, arrays)
}

/// The `identifiers` table.
pub fn identifiers_batch(network: &LinkNetwork) -> Result<RecordBatch> {
    let evidence = kept_evidence(network)?;
    let arrays: Vec<ArrayRef> = vec![
        Arc::new(evidence.identifiers.iter().map(|(node, _)| Some(network.node_key(*node))).collect::<StringArray>()),
        Arc::new(evidence.identifiers.iter().map(|(_, id)| Some(id.as_str())).collect::<StringArray>()),
    ];
    let fields = IDENTIFIER_COLUMNS.iter().map(|c| Field::new(c.name, c.kind.arrow(), c.nullable)).collect();
    batch(fields, arrays)
}

/// The column every table starts with (except in Hive-style partitions,
/// whose directory names carry it).
pub const RUN_ID: OutputColumn = column(
    "run_id",
    ColumnType::Text,
    false,
    "the run: --run-id, or the first 16 hex digits of the SHA-256 of the inputs' contents, the parameters and the \
     command, so that runs appended into one BI dataset stay apart and a rerun of the same analysis gets the same id",
);

/// `batch` with a first column `run_id` holding `run_id` on every row.
pub fn with_run_id(batch: &RecordBatch, run_id: &str) -> Result<RecordBatch> {
    let schema = batch.schema();
    let mut fields = vec![Field::new(RUN_ID.name, RUN_ID.kind.arrow(), false)];
    fields.extend(schema.fields().iter().map(|f| f.as_ref().clone()));
    let mut arrays: Vec<ArrayRef> = vec![Arc::new(StringArray::from(vec![run_id; batch.num_rows()]))];
    arrays.extend(batch.columns().iter().cloned());
    self::batch(fields, arrays)
}

/// The output schemas as a Markdown document (`docs/schemas.md`).
pub fn schema_markdown() -> String {
    let mut doc = String::from(
        "# Output schemas\n\nGenerated from the code (`nexo schema`); a test keeps this file in step.\n\n\
         Every table starts with `run_id`, so that the tables of several runs can be appended into one BI \
         dataset. With `--partition`, tables are written as Hive-style partitions instead, \
         `TABLE/run_id=ID/part-0.parquet`, the column carried by the directory name (DuckDB: \
         `read_parquet('OUT/nodes/*/*.parquet', hive_partitioning = true)`; pyarrow: \
         `dataset('OUT/nodes', partitioning = 'hive')`), and the run's other files go to `OUT/runs/ID/`.\n",
    );
    let table = |doc: &mut String, title: &str, intro: &str, columns: &[OutputColumn]| {
        doc.push_str(&format!("\n## {title}\n\n{intro}\n\n| column | type | null | meaning |\n|---|---|---|---|\n"));
        for c in std::iter::once(&RUN_ID).chain(columns) {
            let null = if c.nullable { "yes" } else { "no" };
            doc.push_str(&format!("| `{}` | {} | {null} | {} |\n", c.name, c.kind.name(), c.meaning));
        }
    };
    table(
        &mut doc,
        "nodes",
        "One row per node, sorted by `node`. The entities table's extra columns follow, as nullable strings.",
        NODE_COLUMNS,
    );
    table(&mut doc, "edges", "One row per (source, target, layer), sorted by source, target and layer.", EDGE_COLUMNS);
    table(
        &mut doc,
        "communities",
        "One row per community of the nodes' `community` column, by id; absent with --communities none.",
        COMMUNITY_COLUMNS,
    );
    table(
        &mut doc,
        "groups",
        "One row per group of --groups, in order of first member; with --measures ties.",
        GROUP_COLUMNS,
    );
    table(&mut doc, "disruption", "`nexo disrupt`: one row per step, step 0 the whole network.", DISRUPTION_COLUMNS);
    table(&mut doc, "keyplayers", "`nexo keyplayers`: one row per member of the set.", KEYPLAYER_COLUMNS);
    table(
        &mut doc,
        "evidence",
        "With --evidence: one row per input record behind a link, sorted by link (as `edges`), file and line.",
        EVIDENCE_COLUMNS,
    );
    table(&mut doc, "identifiers", "With --evidence: one row per identifier, sorted by node.", IDENTIFIER_COLUMNS);
    doc.push_str(
        "\n## rejected.csv\n\nOne row per input row left out: `file`, `line` (CSV line, header = 1; Parquet row \
         number from 1), `column` (as named in the file; empty for a whole-row problem), `reason`, `value`.\n",
    );
    doc
}
