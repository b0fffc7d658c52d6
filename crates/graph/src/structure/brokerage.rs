//! Gould & Fernandez brokerage roles: who stands between whom, within and
//! across groups (countries, regions, organisations).

use rayon::prelude::*;

use crate::csr::Graph;

/// A node of unknown group: no triple through it is counted.
pub const NO_GROUP: u32 = u32::MAX;

/// Counts of each brokerage role of one node (Gould & Fernandez 1989).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Roles {
    /// `a → b → c` all in one group.
    pub coordinator: u64,
    /// `a` and `c` in one group, the broker `b` outside it (itinerant
    /// broker, or consultant).
    pub itinerant: u64,
    /// `b` and `a` in one group, `c` outside: `b` represents its group.
    pub representative: u64,
    /// `b` and `c` in one group, `a` outside: `b` guards its group's door.
    pub gatekeeper: u64,
    /// All three in different groups.
    pub liaison: u64,
}

impl Roles {
    /// All roles together: the open two-paths through the node.
    pub fn total(&self) -> u64 {
        self.coordinator + self.itinerant + self.representative + self.gatekeeper + self.liaison
    }

    fn add(&mut self, a: u32, b: u32, c: u32) {
        let role = match (a == b, b == c, a == c) {
            (true, true, _) => &mut self.coordinator,
            (false, false, true) => &mut self.itinerant,
            (true, false, _) => &mut self.representative,
            (false, true, _) => &mut self.gatekeeper,
            (false, false, false) => &mut self.liaison,
        };
        *role += 1;
    }
}

/// The brokerage roles of every node of a directed `graph`, groups given by
/// `group` (one id per node, [`NO_GROUP`] when unknown).
///
/// A node `b` brokers each ordered pair `(a, c)`, `a ≠ c`, with arcs
/// `a → b → c` and no arc `a → c`; the groups of `a`, `b` and `c` give the
/// role, as in Gould & Fernandez (1989) and R's `sna::brokerage`. Triples
/// with a node of unknown group are not counted. An undirected graph counts
/// both directions of every edge.
///
/// Cost `O(Σ_b Σ_{a → b} (out(a) + out(b)))`; runs in the current rayon
/// pool over brokers, with a per-thread table of `a`'s out-neighbours.
///
/// # Panics
/// If `group` has not one entry per node.
///
/// # Example
///
/// A Colombian exporter `0` calls a broker `1` in Spain who calls a Spanish
/// distributor `2`: the broker is the gatekeeper of its country.
///
/// ```
/// use nexo_graph::{Direction, Graph, structure::brokerage};
///
/// let g = Graph::from_edges(3, &[0, 1], &[1, 2], &[1.0; 2], Direction::Directed).unwrap();
/// let roles = brokerage(&g, &[7, 3, 3]);
/// assert_eq!(roles[1].gatekeeper, 1);
/// assert_eq!(roles[1].total(), 1);
/// assert_eq!(roles[0].total() + roles[2].total(), 0);
/// ```
pub fn brokerage(graph: &Graph, group: &[u32]) -> Vec<Roles> {
    let n = graph.node_count();
    assert_eq!(group.len(), n, "one group per node");
    let outgoing = |u: u32| graph.out_neighbors(u);
    let incoming = |u: u32| if graph.is_directed() { graph.in_neighbors(u) } else { graph.out_neighbors(u) };
    let roles_of = |marks: &mut Vec<u32>, b: usize| {
        let b32 = b as u32;
        let mut roles = Roles::default();
        if group[b] == NO_GROUP {
            return roles;
        }
        // marks[x] == a: x is an out-neighbour of a. Marks left by earlier
        // brokers stay true, so the table is never cleared.
        marks.resize(n, u32::MAX);
        for &a in incoming(b32) {
            if a == b32 || group[a as usize] == NO_GROUP {
                continue;
            }
            for &x in outgoing(a) {
                marks[x as usize] = a;
            }
            for &c in outgoing(b32) {
                if c != a && c != b32 && marks[c as usize] != a && group[c as usize] != NO_GROUP {
                    roles.add(group[a as usize], group[b], group[c as usize]);
                }
            }
        }
        roles
    };
    if n < 1024 || rayon::current_num_threads() == 1 {
        let mut marks = Vec::new();
        (0..n).map(|b| roles_of(&mut marks, b)).collect()
    } else {
        (0..n).into_par_iter().with_min_len(256).map_init(Vec::new, roles_of).collect()
    }
}
