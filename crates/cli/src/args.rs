//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// nexo: link networks of organised crime from call, transfer and other records.
#[derive(Debug, Parser)]
#[command(name = "nexo", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    /// Worker threads (default: all cores, or RAYON_NUM_THREADS).
    #[arg(long, global = true, value_name = "N")]
    pub threads: Option<usize>,
    /// No progress bars and no summary, only errors and warnings.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "\
Examples:
  nexo analyze datasets-synthetic/sample --out out/sample
  nexo generate --scenario small --seed 1 --out cases/small && nexo analyze cases/small --out out/small
  nexo evaluate --truth cases/small --results out/small
  nexo analyze --calls cdr/2024-03.csv --calls cdr/2024-04.csv --entities subscribers.parquet --out out/case
  nexo analyze case/ --profile movistar.toml --timezone Europe/Madrid --from 2024-03-01 --to 2024-04-01 --out out/march
  nexo analyze case/ --evidence --export gexf,i2 --out out/case && nexo explain out/case --node '+57 300 111 0001'
  nexo top out/case --by betweenness --n 20
  nexo analyze case/ --pseudonymise-key shared.key --out out/for-europol

Exit codes: 0 done, 2 bad input or usage, 1 internal error.";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the link network from records and write its tables.
    Analyze(Box<AnalyzeArgs>),
    /// Generate a synthetic trafficking case with ground truth.
    Generate(GenerateArgs),
    /// Score an analysis of a generated case against its ground truth.
    Evaluate(EvaluateArgs),
    /// Simulate the disruption of the network: remove its key nodes step by step.
    Disrupt(Box<DisruptArgs>),
    /// Find the key players: the k people whose removal fragments the network most.
    Keyplayers(Box<KeyPlayersArgs>),
    /// Print the top nodes of an analysis by any column of its nodes table.
    Top(TopArgs),
    /// Explain one node of an analysis: identifiers, community, links by layer and the records behind them.
    Explain(ExplainArgs),
    /// Write the table from pseudonyms back to identifiers, labels and attributes, for the key holder.
    Reidentify(Box<ReidentifyArgs>),
    /// Print the documented schemas of the output tables (Markdown).
    Schema,
}

/// Options of `nexo reidentify`: the records as `nexo analyze` reads them
/// (its --out is not used), the key, and where the table goes.
#[derive(Debug, Args)]
pub struct ReidentifyArgs {
    #[command(flatten)]
    pub input: AnalyzeArgs,
    /// The key holder's table (CSV: pseudonym, value, field). Never inside an output directory that is shared:
    /// a directory holding a manifest.json is refused.
    #[arg(long, value_name = "FILE")]
    pub map: PathBuf,
}

/// Options of `nexo explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Output directory of `nexo analyze` (with --evidence for identifiers and records).
    #[arg(value_name = "OUT")]
    pub out: PathBuf,
    /// The node: its key, one of its identifiers, or its label.
    #[arg(long, value_name = "X")]
    pub node: String,
    /// Records listed per link at most.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub records: usize,
    /// The run, in a dataset written with --partition that holds several.
    #[arg(long, value_name = "ID")]
    pub run: Option<String>,
}

/// Options of `nexo top`.
#[derive(Debug, Args)]
pub struct TopArgs {
    /// Output directory of `nexo analyze`.
    #[arg(value_name = "OUT")]
    pub out: PathBuf,
    /// Column of the nodes table to rank by (highest first; `*_rank` columns lowest first).
    #[arg(long, default_value = "key_rank", value_name = "COLUMN")]
    pub by: String,
    /// Rows to print.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub n: usize,
    /// The run, in a dataset written with --partition that holds several.
    #[arg(long, value_name = "ID")]
    pub run: Option<String>,
}

/// Options of `nexo keyplayers`: the inputs and selection of `nexo
/// analyze`, and the size of the set.
#[derive(Debug, Args)]
pub struct KeyPlayersArgs {
    #[command(flatten)]
    pub input: AnalyzeArgs,
    /// Size of the set (Borgatti 2006: greedy start, then swaps).
    #[arg(long, default_value_t = 10, value_name = "K")]
    pub k: usize,
    /// What the set is for: fragment the network when removed (neg), also
    /// stretch the paths left (neg-distance), or reach everyone closely (pos).
    #[arg(long, value_enum, default_value_t = KindArg::Neg)]
    pub kind: KindArg,
}

/// Key-player problems of `nexo keyplayers` (Borgatti 2006).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// KPP-Neg: most fragmentation (fewest pairs left connected).
    Neg,
    /// KPP-Neg: most distance-weighted fragmentation (1 - global efficiency of what is left).
    NegDistance,
    /// KPP-Pos: most distance-weighted reach from the set to everyone else.
    Pos,
}

/// Options of `nexo disrupt`: the inputs and selection of `nexo analyze`,
/// and how to remove.
#[derive(Debug, Args)]
#[command(after_help = DISRUPT_HELP)]
pub struct DisruptArgs {
    #[command(flatten)]
    pub input: AnalyzeArgs,
    #[command(flatten)]
    pub removal: RemovalArgs,
}

/// How `nexo disrupt` removes nodes.
#[derive(Debug, Clone, Args)]
pub struct RemovalArgs {
    /// The measure that picks whom to remove next.
    #[arg(long, value_enum, default_value_t = TargetArg::Betweenness)]
    pub by: TargetArg,
    /// Nodes removed per step (1: sequential removal).
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub block: usize,
    /// Steps to simulate.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub steps: usize,
    /// Rank once on the whole network instead of after every step.
    #[arg(long)]
    pub fixed: bool,
    /// Also record each step's global efficiency (exact up to 5,000 nodes, else from 256 sampled sources).
    #[arg(long)]
    pub efficiency: bool,
}

/// Formats of `--export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportArg {
    /// network.gexf, for Gephi.
    Gexf,
    /// network.graphml, for yEd, Cytoscape, networkx.
    Graphml,
    /// i2_entities.csv and i2_links.csv, for i2 Analyst's Notebook.
    I2,
}

/// Removal strategies of `nexo disrupt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TargetArg {
    /// Most distinct neighbours.
    Degree,
    /// Most incoming links.
    InDegree,
    /// Most outgoing links.
    OutDegree,
    /// Largest total link weight.
    Strength,
    /// Highest betweenness (path lengths from --path-weight).
    Betweenness,
    /// Highest PageRank.
    Pagerank,
    /// Highest collective influence (radius 1).
    Ci,
    /// Key players: the nodes whose removal fragments the rest most (KPP-Neg).
    Kpp,
    /// At random (seeded by --seed): the baseline.
    Random,
}

const DISRUPT_HELP: &str = "\
Reads the records as `nexo analyze` does, removes nodes from the directed network step by step and
writes to --out: disruption.parquet (or .csv), one row per step (nodes removed, largest weakly and
strongly connected components and their numbers), rejected.csv and manifest.json; prints the
curve. Ties go to the smaller node key. Betweenness is recomputed exactly while nodes x arcs x steps
stays within --exact-limit (or with --exact); above, each step estimates it from sampled sources
sized to that budget (at least 64): the manifest says which.";

/// Options of `nexo generate`.
#[derive(Debug, Args)]
#[command(after_help = GENERATE_HELP)]
pub struct GenerateArgs {
    /// Preset: tiny (hundreds of records), small (10 thousand people), medium (1 million), large (10 million).
    #[arg(long, default_value = "small", value_name = "NAME")]
    pub scenario: String,
    /// Seed of every random draw: same seed, same bytes.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub seed: u64,
    /// Multiply the preset's population and organisations by X.
    #[arg(long, default_value_t = 1.0, value_name = "X")]
    pub scale: f64,
    /// Output directory (created if missing; its tables are replaced).
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
    /// Format of the tables.
    #[arg(long, value_enum, default_value_t = FormatArg::Parquet)]
    pub format: FormatArg,
    /// People per part file (tests use small parts to exercise the layout).
    #[arg(long, hide = true, default_value_t = 250_000, value_name = "N")]
    pub part_people: u64,
}

const GENERATE_HELP: &str = "\
Writes to --out: calls, transfers and entities (the analyst's partial identifier -> person table),
the ground truth truth/entities (organisation, role, cell, group of every person and company) and
truth/identifiers (true owner of every phone and account), and scenario.json. Tables of more than
250,000 people are directories of part files. `nexo analyze DIR` reads the case directly.";

/// Options of `nexo evaluate`.
#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// The generated case (the directory holding truth/).
    #[arg(long, value_name = "DIR")]
    pub truth: PathBuf,
    /// The output directory of `nexo analyze` on that case.
    #[arg(long, value_name = "OUT")]
    pub results: PathBuf,
    /// Lengths of the tops scored (comma-separated).
    #[arg(long, value_delimiter = ',', default_value = "10,50", value_name = "K")]
    pub k: Vec<usize>,
    /// Where to write the scores as JSON (default: OUT/evaluation.json).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

/// Options of `nexo analyze`.
#[derive(Debug, Args)]
#[command(after_help = ANALYZE_HELP)]
pub struct AnalyzeArgs {
    /// Directory holding calls.*, transfers.*, links.* and entities.* (CSV,
    /// Parquet, or directories of part files).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// A calls table (file or directory of parts); repeatable.
    #[arg(long, value_name = "FILE")]
    pub calls: Vec<PathBuf>,
    /// A transfers table; repeatable.
    #[arg(long, value_name = "FILE")]
    pub transfers: Vec<PathBuf>,
    /// A links table (meetings, co-travel, shared address, ...); repeatable.
    #[arg(long, value_name = "FILE")]
    pub links: Vec<PathBuf>,
    /// An identifier -> entity table; repeatable.
    #[arg(long, value_name = "FILE")]
    pub entities: Vec<PathBuf>,
    /// Output directory (created if missing; files in it are replaced).
    #[arg(long, short, value_name = "DIR", default_value = "nexo-out")]
    pub out: PathBuf,
    /// Format of the output tables.
    #[arg(long, value_enum, default_value_t = FormatArg::Parquet)]
    pub format: FormatArg,
    /// Keep the evidence trail: evidence.parquet maps every link to the input records behind it (file, line), and
    /// identifiers.parquet every node to its identifiers; `nexo explain` reads them.
    #[arg(long)]
    pub evidence: bool,
    /// Name of the run (letters, digits, `.`, `_`, `-`): the tables' `run_id` column. Default: a digest of the
    /// inputs' contents, the parameters and the command.
    #[arg(long, value_name = "NAME")]
    pub run_id: Option<String>,
    /// Write tables as Hive-style partitions `TABLE/run_id=ID/part-0.EXT` (the run's other files in
    /// `runs/ID/`), so that several runs share one --out as one BI dataset.
    #[arg(long)]
    pub partition: bool,
    /// Also write the network for other tools: gexf (Gephi), graphml, i2 (Analyst's Notebook import sheets).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "FORMATS")]
    pub export: Vec<ExportArg>,
    /// TOML file mapping each table's fields to the file's column names.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// One mapping, table.field=column (e.g. calls.source=msisdn_a); repeatable, applied after --profile.
    #[arg(long = "column", value_name = "MAPPING")]
    pub columns: Vec<String>,
    /// IANA time zone of timestamps without an offset (default UTC, or the profile's).
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,
    /// Keep records at or after this time (same forms as the inputs).
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// Keep records strictly before this time.
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
    /// Keep only these layers (comma-separated: call,sms,transfer,meeting,...).
    #[arg(long, value_name = "LAYERS", value_delimiter = ',')]
    pub layers: Option<Vec<String>>,
    /// What an edge's weight measures.
    #[arg(long, value_enum, default_value_t = WeightArg::Count)]
    pub weight: WeightArg,
    /// Stop at the first bad row (exit 2) instead of rejecting it to rejected.csv.
    #[arg(long)]
    pub strict: bool,
    /// Measures to compute (comma-separated), or all, or none.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "all")]
    pub measures: Vec<MeasureArg>,
    /// Compute path measures, eigenvector, Katz and cores on the directed graph
    /// (default: undirected; PageRank is always directed).
    #[arg(long)]
    pub directed: bool,
    /// Length of a path through an edge, for betweenness and closeness.
    #[arg(long, value_enum, default_value_t = PathWeightArg::Hops)]
    pub path_weight: PathWeightArg,
    /// Exact betweenness and closeness even above the size limit (prints the expected time first).
    #[arg(long)]
    pub exact: bool,
    /// Largest work (arc visits, about nodes x arcs) done exactly; above it betweenness and closeness are estimated.
    #[arg(long, value_name = "VISITS", default_value_t = 2e10)]
    pub exact_limit: f64,
    /// Largest error of approximate betweenness (share of node pairs).
    #[arg(long, value_name = "E", default_value_t = 0.01)]
    pub epsilon: f64,
    /// Seed of every sampled or randomised measure.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,
    /// Replace every identifier, entity key, label and entity attribute (not kind or country) in every output
    /// by its keyed pseudonym (HMAC-SHA256 under the key in FILE, at least 32 bytes): agencies holding the
    /// same key get the same pseudonyms; `nexo reidentify` maps them back.
    #[arg(long, value_name = "FILE")]
    pub pseudonymise_key: Option<PathBuf>,
    /// Groups for brokerage roles: country, region (Europe / Latin America / other), or a column of the entities table.
    #[arg(long, value_name = "GROUPS", default_value = "country")]
    pub groups: String,
    /// Community detection on the undirected graph (column `community`, communities.parquet).
    #[arg(long, value_enum, default_value_t = CommunitiesArg::Leiden)]
    pub communities: CommunitiesArg,
    /// Resolution of Leiden and Louvain: larger gives smaller communities.
    #[arg(long, value_name = "GAMMA", default_value_t = 1.0)]
    pub resolution: f64,
    /// Katz attenuation; default: half the inverse of the adjacency's largest eigenvalue.
    #[arg(long, value_name = "A")]
    pub katz_alpha: Option<f64>,
}

/// Measures of `nexo analyze`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MeasureArg {
    /// Every measure below.
    All,
    /// No measure beyond degrees.
    None,
    /// Node betweenness.
    Betweenness,
    /// Edge betweenness (column of edges).
    EdgeBetweenness,
    /// Closeness and harmonic closeness.
    Closeness,
    /// PageRank.
    Pagerank,
    /// Eigenvector centrality.
    Eigenvector,
    /// Katz centrality.
    Katz,
    /// k-core numbers.
    Core,
    /// Weakly and strongly connected components.
    Components,
    /// Burt's structural holes: constraint, effective size, efficiency.
    Holes,
    /// Articulation points and bridges.
    Cuts,
    /// Gould & Fernandez brokerage roles between the --groups.
    Brokerage,
    /// Ties within and across the --groups (E-I index, groups table), countries and regions.
    Ties,
    /// The key-node list (key_score, key_rank, key_player) from betweenness, PageRank, brokerage and KPP-Neg.
    Key,
}

/// Community detection methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CommunitiesArg {
    /// Leiden (Traag et al. 2019): connected communities, best modularity.
    Leiden,
    /// Louvain (Blondel et al. 2008) with refinement.
    Louvain,
    /// Label propagation: fastest, coarsest.
    Lpa,
    /// No communities.
    None,
}

/// Path lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PathWeightArg {
    /// Every edge has length 1.
    Hops,
    /// Length 1/weight: frequent contacts are close.
    Inverse,
    /// The weight is the length.
    Weight,
}

const ANALYZE_HELP: &str = "\
Writes to --out: nodes.parquet, edges.parquet, communities.parquet (or .csv with --format csv),
rejected.csv and manifest.json. Betweenness and closeness are exact up to about 2e10 arc visits (nodes x arcs) and
estimated above (KADABRA, or sampled sources for weighted paths): the manifest says which. Column meanings: `nexo schema`. Bad rows go to rejected.csv with file, line,
column and reason; the manifest shows read = accepted + rejected for every input file.";

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Apache Parquet (zstd).
    Parquet,
    /// CSV.
    Csv,
}

/// Edge weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WeightArg {
    /// Number of contacts (records; a link row counts its weight column).
    Count,
    /// Total duration in seconds.
    Duration,
    /// Total amount.
    Amount,
}
