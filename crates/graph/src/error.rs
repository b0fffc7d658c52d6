//! The error type of nexo-graph.

use std::fmt;

/// A `Result` whose error is nexo-graph's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while building or reading a network.
///
/// Each variant says what was asked and why it cannot be done; none of them
/// is a bug in nexo, all come from the size or shape of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// More distinct keys than a `u32` node id can address (4,294,967,295).
    TooManyNodes,
    /// More distinct layer names than a `u16` layer id can address.
    TooManyLayers,
    /// An edge names a node id that is not below the graph's node count.
    NodeOutOfRange {
        /// The offending id.
        node: u32,
        /// The graph's node count.
        node_count: usize,
    },
    /// Edge columns of different lengths were given to the builder.
    ColumnLengthMismatch {
        /// Length of the `sources` column.
        sources: usize,
        /// Length of the `targets` column.
        targets: usize,
        /// Length of the `weights` column.
        weights: usize,
    },
    /// A link's total amount left the range of a 64-bit fixed-point sum.
    AmountOverflow {
        /// The link's source key.
        source: String,
        /// The link's target key.
        target: String,
    },
    /// An edge's weight cannot give a path length (it must be positive and
    /// finite when lengths come from weights).
    BadEdgeLength {
        /// Source node id.
        source: u32,
        /// Target node id.
        target: u32,
        /// The weight, as text.
        weight: String,
    },
    /// A parameter of an algorithm is out of its range.
    BadParameter {
        /// The parameter.
        name: &'static str,
        /// What is wrong.
        message: String,
    },
    /// Two different keys were renamed (pseudonymised) to the same name.
    RenameCollision {
        /// The shared new name.
        name: String,
    },
    /// An identifier was mapped to two different entities.
    ConflictingEntity {
        /// The identifier in canonical form.
        identifier: String,
        /// The entity it was mapped to first.
        first: String,
        /// The entity of the conflicting mapping.
        second: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::TooManyNodes => write!(f, "more than {} distinct nodes", u32::MAX),
            Error::TooManyLayers => write!(f, "more than {} distinct layers", u16::MAX),
            Error::NodeOutOfRange { node, node_count } => {
                write!(f, "node id {node} is out of range for a graph of {node_count} nodes")
            }
            Error::ColumnLengthMismatch { sources, targets, weights } => {
                write!(f, "edge columns differ in length: {sources} sources, {targets} targets, {weights} weights")
            }
            Error::AmountOverflow { source, target } => {
                write!(f, "the total amount of the link {source} -> {target} overflows a 64-bit sum")
            }
            Error::BadEdgeLength { source, target, weight } => write!(
                f,
                "the edge {source} -> {target} has weight {weight}, which cannot give a path length \
                 (weighted paths need positive, finite weights)"
            ),
            Error::BadParameter { name, message } => write!(f, "parameter {name}: {message}"),
            Error::ConflictingEntity { identifier, first, second } => {
                write!(f, "identifier {identifier:?} belongs to entity {first:?} and also to {second:?}")
            }
            Error::RenameCollision { name } => write!(f, "two different keys were both renamed to {name:?}"),
        }
    }
}

impl std::error::Error for Error {}
