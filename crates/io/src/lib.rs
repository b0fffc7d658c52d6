//! # nexo-io
//!
//! nexo's readers and writers. Records come in as CSV or Parquet files (or
//! directories of part files), in whatever column names an operator or bank
//! exports, mapped to nexo's fields by a [`Profile`]; they go out aggregated
//! into a [`nexo_graph::LinkNetwork`], with every row that could not be used
//! listed as a [`Rejection`]. The network's tables go out as Parquet or CSV.
//!
//! ```no_run
//! use nexo_graph::{LinkNetwork, Selection};
//! use nexo_io::{ScanOptions, TimeParser, Profile, discover, scan};
//!
//! let parts = discover("datasets-synthetic/sample".as_ref())?;
//! let options = ScanOptions {
//!     profile: Profile::default(),
//!     time: TimeParser::new(Some("Europe/Madrid"))?,
//!     selection: Selection::default(),
//!     strict: false,
//!     evidence: false,
//! };
//! let scanned = scan(&parts, &options, &|_rows| {})?;
//! println!("{} rows rejected", scanned.rejections.len());
//! let network = LinkNetwork::build(scanned.aggregator, scanned.entities)?;
//! println!("{} nodes, {} links", network.node_count(), network.links().len());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Reading runs in parallel on the current rayon pool: Parquet row groups are
//! decoded concurrently, CSV is parsed on one thread while the others decode
//! and aggregate the previous batch.

mod cells;
mod columns;
mod decode;
mod digest;
mod entities;
mod error;
mod export;
mod input;
mod output;
mod profile;
mod pseudonym;
mod reject;
pub mod report;
mod scan;
mod schema;
mod time;
mod value;
mod writer;

pub use arrow_array::RecordBatch;
pub use columns::{Columns, Values, read_columns};
pub use digest::{sha256_file, sha256_hex};
pub use error::{Error, Result};
pub use export::{write_gexf, write_graphml, write_i2};
pub use input::{Format, InputPart, discover, table_parts};
pub use output::{
    COMMUNITY_COLUMNS, ColumnType, DISRUPTION_COLUMNS, EDGE_COLUMNS, EVIDENCE_COLUMNS, GROUP_COLUMNS, GroupRow,
    IDENTIFIER_COLUMNS, KEYPLAYER_COLUMNS, KeySet, NODE_COLUMNS, NodeValues, OutputColumn, OutputFormat,
    communities_batch, disruption_batch, edges_batch, evidence_batch, groups_batch, identifiers_batch,
    keyplayers_batch, nodes_batch, schema_markdown, with_run_id, write_table,
};
pub use profile::Profile;
pub use pseudonym::{MIN_KEY_BYTES, Pseudonymiser, Quoted, quoted_values, write_pseudonym_table};
pub use reject::{Rejection, write_rejections};
pub use scan::{PartReport, ScanOptions, Scanned, scan};
pub use schema::{FieldSpec, TableKind};
pub use time::TimeParser;
pub use writer::TableWriter;
