//! Components and cores against networkx.

use nexo_graph::structure::{core_number, strongly_connected, weakly_connected};

use crate::fixture::{CASES, Case, assert_close};

#[test]
fn cores_and_component_sizes_match_networkx() {
    for name in CASES {
        let case = Case::load(name);
        let as_f64 = |v: Vec<u32>| v.into_iter().map(f64::from).collect::<Vec<_>>();
        let core = as_f64(core_number(&case.graph));
        assert_close(name, "core", &core, &case.nodes.floats("core"), 0.0);
        let weak = as_f64(weakly_connected(&case.graph).size_of_nodes());
        assert_close(name, "wcc_size", &weak, &case.nodes.floats("wcc_size"), 0.0);
        let strong = as_f64(strongly_connected(&case.graph).size_of_nodes());
        assert_close(name, "scc_size", &strong, &case.nodes.floats("scc_size"), 0.0);
    }
}
