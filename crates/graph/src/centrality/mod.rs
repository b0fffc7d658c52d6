//! Centrality: who is central, by which definition, computed in parallel
//! with the same bits at any thread count.
//!
//! | measure | function | definition followed |
//! |---|---|---|
//! | betweenness (nodes, edges) | [`betweenness`], [`betweenness_sampled`], [`betweenness_adaptive`] (KADABRA) | networkx `betweenness_centrality`, `edge_betweenness_centrality` |
//! | closeness, harmonic | [`closeness`], [`closeness_sampled`], [`closeness_top_k`] | networkx `closeness_centrality` (Wasserman-Faust), `harmonic_centrality / (n - 1)` |
//! | PageRank | [`pagerank`] | networkx `pagerank` |
//! | eigenvector | [`eigenvector`] | networkx `eigenvector_centrality` |
//! | Katz | [`katz`] | networkx `katz_centrality` |
//!
//! Path-based measures take a [`PathLength`]: hops, the weight as a
//! distance, or its inverse (a frequent contact is a short path). Iterative
//! ones take a [`Convergence`]. Threads are those of the current rayon pool.
//!
//! Every measure is tested against networkx on classic graphs and on the
//! real criminal networks CAVIAR and Montagna (`crates/graph/tests/`).

mod betweenness;
mod closeness;
mod kadabra;
mod paths;
mod spectral;
mod sum;

pub use betweenness::{Betweenness, BetweennessOptions, betweenness, betweenness_sampled};
pub use closeness::{Closeness, closeness, closeness_sampled, closeness_top_k};
pub use kadabra::{AdaptiveBetweenness, AdaptiveOptions, betweenness_adaptive};
pub use paths::PathLength;
pub use spectral::{Convergence, Iterated, eigenvector, katz, pagerank, spectral_radius_estimate};
