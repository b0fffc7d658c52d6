//! # nexo-graph
//!
//! The core of nexo: records of calls, messages, transfers and other links
//! become a multilayer link network between the people behind them, and the
//! network becomes compact graphs that every measure runs on.
//!
//! The flow is one way:
//!
//! 1. [`LinkAggregator`] sums [`Record`]s into links between identifiers
//!    (phones, accounts, ...), one aggregator per thread, merged at the end.
//! 2. [`LinkNetwork::build`] resolves identifiers to the entities that own
//!    them through an [`Entities`] table, so a person with three phones is one
//!    node, and sums the links again between nodes.
//! 3. [`LinkNetwork::graph`] lays the network out as a CSR [`Graph`] (`u32`
//!    node ids, sorted neighbour lists, out- and in-adjacency), directed or
//!    undirected, weighted by count, duration or amount.
//!
//! Everything is deterministic: node ids follow the sorted node keys, totals
//! are exact integers, and floating-point sums run in a fixed order, so the
//! same records give the same bits for any thread count.
//!
//! This crate does no file I/O; `nexo-io` reads and writes tables.
//!
//! ```
//! use nexo_graph::{Direction, Entities, Fixed, LinkAggregator, LinkNetwork, Record, Selection, WeightKind};
//!
//! let mut entities = Entities::new(vec![]);
//! entities.add("+34 600 000 001", "ANA").unwrap();
//! let mut agg = LinkAggregator::new(Selection::default());
//! for (source, target, euros) in [("0034600000001", "+573000000009", 9_500), ("+573000000009", "+34600000001", 20)] {
//!     agg.add(&Record {
//!         source, target, layer: "transfer", time: None, duration_ms: 0,
//!         amount: Fixed(euros * Fixed::SCALE), weight: Fixed::ONE,
//!         source_country: None, target_country: None,
//!     }).unwrap();
//! }
//! let network = LinkNetwork::build(agg, entities).unwrap();
//! let g = network.graph(Direction::Undirected, WeightKind::Amount).unwrap();
//! let ana = network.node_id("ANA").unwrap();
//! assert_eq!(g.out_strength(ana), 9_520.0);
//! ```

mod aggregate;
pub mod centrality;
pub mod community;
mod csr;
mod degree;
pub mod disruption;
mod entities;
mod error;
mod identifier;
mod interner;
mod interop;
pub mod layout;
mod network;
mod record;
mod region;
mod rng;
pub mod structure;

pub use aggregate::{LinkAggregator, Outcome, RecordCounts, Selection};
pub use csr::{Direction, Graph};
pub use degree::Degrees;
pub use entities::Entities;
pub use error::{Error, Result};
pub use identifier::canonical_identifier;
pub use interner::Interner;
pub use network::{Evidence, LinkNetwork, Links};
pub use record::{Fixed, LinkStats, Record, WeightKind};
pub use region::region_of;
pub use rng::SplitMix64;
