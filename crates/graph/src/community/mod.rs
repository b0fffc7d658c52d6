//! Communities: groups of people who deal mostly with each other.
//!
//! This module starts with the measure every detection method is judged by:
//! [`modularity`], weighted, with a resolution, for undirected and directed
//! graphs, following networkx's `community.modularity`. Detection (Leiden,
//! Louvain, label propagation) builds on it.

mod modularity;

pub use modularity::modularity;
