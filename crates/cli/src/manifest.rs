//! `manifest.json`: what was run, on what evidence, with what result.

use serde::Serialize;

/// The run's manifest.
#[derive(Debug, Serialize)]
pub struct Manifest {
    pub nexo_version: &'static str,
    /// The tables' `run_id`.
    pub run_id: String,
    pub command_line: Vec<String>,
    pub parameters: Parameters,
    pub threads: usize,
    pub inputs: Vec<InputEntry>,
    pub records: RecordEntry,
    pub network: NetworkEntry,
    pub measures: Vec<crate::measures::MeasureEntry>,
    pub outputs: Vec<OutputEntry>,
    pub stages: Vec<StageEntry>,
    pub warnings: Vec<String>,
}

/// The options that shape the result.
#[derive(Debug, Serialize)]
pub struct Parameters {
    pub format: &'static str,
    pub weight: &'static str,
    pub timezone: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub layers: Option<Vec<String>>,
    pub strict: bool,
    pub profile: Option<String>,
    pub columns: Vec<String>,
    pub measures: Vec<String>,
    pub directed: bool,
    pub path_weight: &'static str,
    pub exact: bool,
    pub exact_limit: f64,
    pub epsilon: f64,
    pub seed: u64,
    pub katz_alpha: Option<f64>,
    pub groups: String,
    pub communities: String,
    pub resolution: f64,
    /// Whether identifiers and labels were replaced by keyed pseudonyms.
    pub pseudonymised: bool,
}

/// One input file: its fingerprint and where its rows went.
#[derive(Debug, Serialize)]
pub struct InputEntry {
    pub table: &'static str,
    pub path: String,
    pub format: &'static str,
    pub sha256: String,
    pub rows_read: u64,
    pub rows_accepted: u64,
    pub rows_rejected: u64,
}

/// Where the accepted records went.
#[derive(Debug, Serialize)]
pub struct RecordEntry {
    pub accepted: u64,
    pub linked: u64,
    pub self_contacts: u64,
    pub outside_window: u64,
    pub layer_not_selected: u64,
    pub rejected: u64,
}

/// The size of the network.
#[derive(Debug, Serialize)]
pub struct NetworkEntry {
    pub nodes: usize,
    pub links: usize,
    pub layers: Vec<String>,
    pub entities_in_table: usize,
    pub identifiers_in_table: usize,
}

/// One output file.
#[derive(Debug, Serialize)]
pub struct OutputEntry {
    pub file: String,
    /// Rows of a table; none for the report.
    pub rows: Option<usize>,
}

/// Wall time of one stage.
#[derive(Debug, Serialize)]
pub struct StageEntry {
    pub stage: &'static str,
    pub seconds: f64,
}
