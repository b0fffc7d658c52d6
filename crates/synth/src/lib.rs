//! # nexo-synth
//!
//! Synthetic transnational trafficking cases with ground truth, and the
//! scoring of an analysis against that truth.
//!
//! A [`Scenario`] describes a world: a population of ordinary people in
//! towns, families and workplaces on both sides of the Atlantic, calling and
//! paying each other, and criminal organisations moving cocaine from Latin
//! American ports to European ones, with leaders shielded behind
//! lieutenants, cells, brokers across organisations and regions, burner
//! phones, shared phones, mules structuring deposits under the reporting
//! threshold and front companies layering the proceeds. A [`Generator`]
//! turns it into the tables `nexo analyze` reads (calls, transfers, the
//! analyst's partial entities table) and the truth tables (every person's
//! organisation and role, every identifier's owner), chunk by chunk, so any
//! size is written in bounded memory.
//!
//! ```
//! use nexo_synth::{Generator, Scenario, Table};
//!
//! let scenario = Scenario::preset("tiny", 7, 1.0)?;
//! let generator = Generator::new(&scenario)?;
//! let chunk = generator.chunk(0..scenario.people);
//! let calls = Table::Calls.batch(&chunk);
//! assert!(calls.num_rows() > 100);
//! // Same seed, same rows, however the population is split.
//! let halves = [generator.chunk(0..30), generator.chunk(30..scenario.people)];
//! assert_eq!(halves[0].calls.len() + halves[1].calls.len(), chunk.calls.len());
//! # Ok::<(), nexo_synth::Error>(())
//! ```
//!
//! Everything is a pure function of the scenario: each person's life is
//! drawn from the person's own random stream, and the organisations from
//! one stream each, so chunks can be generated in parallel and still give
//! the same bytes at any thread count.
//!
//! [`evaluate`] scores a partition against the organisations (NMI and ARI)
//! and a ranking against the leaders and brokers (precision and recall at k).

mod calendar;
mod crime;
mod error;
pub mod evaluate;
mod generate;
mod ident;
mod population;
mod records;
mod scenario;
mod tables;
mod world;

pub use crime::{Member, Role};
pub use error::{Error, Result};
pub use generate::Generator;
pub use ident::{EntityKey, Ident};
pub use records::{Call, Chunk, IdentKind, Owned, Transfer, Truth};
pub use scenario::{SCENARIOS, Scenario};
pub use tables::{Table, organisation_name};
pub use world::{COUNTRIES, Country, Region};
