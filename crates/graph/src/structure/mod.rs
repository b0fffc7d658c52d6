//! The shape of a network: connected components, k-cores, and the people
//! and ties whose removal splits it (articulation points, bridges), and
//! Burt's structural holes, Gould & Fernandez brokerage roles, and ties
//! within and across groups (E-I index).

mod brokerage;
mod components;
mod core;
mod cuts;
mod holes;
mod ties;

pub use self::core::core_number;
pub use brokerage::{NO_GROUP, Roles, brokerage};
pub use components::{Components, strongly_connected, weakly_connected};
pub(crate) use cuts::Adjacency;
pub use cuts::{Cuts, cuts};
pub use holes::{StructuralHoles, structural_holes};
pub use ties::{GroupTies, group_ties};
