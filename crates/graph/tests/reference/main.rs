//! nexo-graph against references: networkx values on classic graphs and
//! real criminal networks, published tables, and bit-identical results at
//! any thread count. One test binary for the crate.

// Helpers outside #[test] functions panic on a broken fixture, which is the point.
#![allow(clippy::unwrap_used)]

mod centrality;
mod community;
mod determinism;
mod fixture;
mod keyplayers;
mod published;
mod structure;
