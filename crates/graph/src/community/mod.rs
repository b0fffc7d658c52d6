//! Communities: groups of people who deal mostly with each other.
//!
//! This module starts with the measure every detection method is judged by:
//! [`modularity`], weighted, with a resolution, for undirected and directed
//! graphs, following networkx's `community.modularity`, and a sequential
//! [`louvain`]. Parallel Louvain, Leiden and label propagation build on them.

mod louvain;
mod modularity;

pub use louvain::louvain;
pub use modularity::modularity;
