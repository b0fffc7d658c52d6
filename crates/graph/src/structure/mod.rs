//! The shape of a network: connected components and k-cores.

mod components;
mod core;

pub use self::core::core_number;
pub use components::{Components, strongly_connected, weakly_connected};
