//! The statistics of a generated world: the properties the issue asks of a
//! realistic case, measured on the `small` preset.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use nexo_synth::{COUNTRIES, Chunk, EntityKey, Generator, IdentKind, Region, Scenario};

fn small() -> &'static (Scenario, Chunk) {
    static CASE: OnceLock<(Scenario, Chunk)> = OnceLock::new();
    CASE.get_or_init(|| {
        let scenario = Scenario::preset("small", 11, 1.0).expect("valid preset");
        let chunk = Generator::new(&scenario).expect("valid preset").chunk(0..scenario.people);
        (scenario, chunk)
    })
}

/// Distinct contacts of every entity, through the true owners of the
/// identifiers in calls and transfers.
fn contacts(chunk: &Chunk) -> HashMap<EntityKey, HashSet<EntityKey>> {
    let owner: HashMap<_, _> = chunk.identifiers.iter().map(|o| (o.ident, o.owner)).collect();
    let mut contacts: HashMap<EntityKey, HashSet<EntityKey>> = HashMap::new();
    let pairs =
        chunk.calls.iter().map(|c| (c.source, c.target)).chain(chunk.transfers.iter().map(|t| (t.source, t.target)));
    for (a, b) in pairs {
        let (a, b) = (owner[&a], owner[&b]);
        if a != b {
            contacts.entry(a).or_default().insert(b);
            contacts.entry(b).or_default().insert(a);
        }
    }
    contacts
}

#[test]
fn size_matches_the_preset() {
    let (scenario, chunk) = small();
    let records = chunk.calls.len() + chunk.transfers.len();
    assert_eq!(scenario.people, 10_000);
    assert!((170_000..240_000).contains(&records), "{records} records");
    let people = chunk.truth.iter().filter(|t| matches!(t.key, EntityKey::Person(_))).count();
    assert_eq!(people, 10_000);
}

#[test]
fn degrees_are_heavy_tailed() {
    let (_, chunk) = small();
    let degrees: Vec<usize> = contacts(chunk).values().map(HashSet::len).collect();
    let mean = degrees.iter().sum::<usize>() as f64 / degrees.len() as f64;
    let max = *degrees.iter().max().expect("some degrees") as f64;
    let far = degrees.iter().filter(|&&d| d as f64 > 5.0 * mean).count() as f64 / degrees.len() as f64;
    // A Poisson degree distribution of this mean would have max/mean about 2.5
    // and essentially nobody above 5x the mean.
    assert!(max / mean > 8.0, "max {max} mean {mean}");
    assert!(far > 0.002, "share above 5x the mean: {far}");
}

#[test]
fn brokers_cross_the_atlantic_far_more_than_others() {
    let (_, chunk) = small();
    let region: HashMap<EntityKey, Region> =
        chunk.truth.iter().map(|t| (t.key, COUNTRIES[usize::from(t.country)].region)).collect();
    let role: HashMap<EntityKey, &str> = chunk.truth.iter().map(|t| (t.key, t.role)).collect();
    let mut shares: HashMap<&str, Vec<f64>> = HashMap::new();
    for (who, others) in contacts(chunk) {
        let across = others.iter().filter(|o| region[o] != region[&who]).count();
        let group = if role[&who] == "broker" { "broker" } else { "other" };
        shares.entry(group).or_default().push(across as f64 / others.len() as f64);
    }
    let mean = |v: &Vec<f64>| v.iter().sum::<f64>() / v.len() as f64;
    let (brokers, others) = (mean(&shares["broker"]), mean(&shares["other"]));
    assert!(brokers > 0.15 && brokers > 5.0 * others, "brokers {brokers}, others {others}");
}

#[test]
fn leaders_have_fewer_contacts_than_their_lieutenants() {
    let (_, chunk) = small();
    let contacts = contacts(chunk);
    let degree = |k: &EntityKey| contacts.get(k).map_or(0, HashSet::len);
    let mut organisations: HashMap<u32, (usize, Vec<usize>)> = HashMap::new();
    for t in &chunk.truth {
        match (t.organisation, t.role) {
            (Some(org), "leader") => organisations.entry(org).or_default().0 = degree(&t.key),
            (Some(org), "lieutenant") => organisations.entry(org).or_default().1.push(degree(&t.key)),
            _ => {}
        }
    }
    assert_eq!(organisations.len(), 6);
    for (org, (leader, lieutenants)) in organisations {
        let mean = lieutenants.iter().sum::<usize>() as f64 / lieutenants.len() as f64;
        assert!((leader as f64) < mean, "organisation {org}: leader {leader}, lieutenants {lieutenants:?}");
    }
}

#[test]
fn the_entities_table_resolves_the_configured_fraction() {
    let (scenario, chunk) = small();
    let share = |burners: bool| {
        let kinds: Vec<bool> =
            chunk.identifiers.iter().filter(|o| (o.kind == IdentKind::Burner) == burners).map(|o| o.resolved).collect();
        let p = kinds.iter().filter(|&&r| r).count() as f64 / kinds.len() as f64;
        (p, kinds.len() as f64)
    };
    for (burners, expected) in [(false, scenario.resolved_fraction), (true, scenario.burner_resolved_fraction)] {
        let (p, n) = share(burners);
        let sigma = (expected * (1.0 - expected) / n).sqrt();
        assert!((p - expected).abs() < 4.0 * sigma, "burners {burners}: {p} of {n}, expected {expected}");
    }
    assert!(share(true).1 > 100.0, "too few burners to say anything");
}

#[test]
fn laundering_amounts_cluster_under_the_threshold() {
    let (scenario, chunk) = small();
    let threshold = (scenario.reporting_threshold * 100.0) as i64;
    let role: HashMap<EntityKey, &str> = chunk.truth.iter().map(|t| (t.key, t.role)).collect();
    let owner: HashMap<_, _> = chunk.identifiers.iter().map(|o| (o.ident, o.owner)).collect();
    let (mut mules, mut background) = (Vec::new(), Vec::new());
    for t in &chunk.transfers {
        let (from, to) = (role[&owner[&t.source]], role[&owner[&t.target]]);
        let just_under = (threshold * 8 / 10..threshold).contains(&t.cents);
        match (from, to) {
            ("mule", "money_broker") => mules.push(just_under),
            ("none", _) => background.push(just_under),
            _ => {}
        }
    }
    let share = |v: &Vec<bool>| v.iter().filter(|&&b| b).count() as f64 / v.len() as f64;
    assert!(mules.len() > 50 && share(&mules) == 1.0, "{} mule transfers, {}", mules.len(), share(&mules));
    assert!(share(&background) < 0.01, "background just under the threshold: {}", share(&background));
}

#[test]
fn chunks_are_independent_of_the_split() {
    let scenario = Scenario::preset("small", 3, 0.2).expect("valid preset");
    let generator = Generator::new(&scenario).expect("valid preset");
    let whole = generator.chunk(0..scenario.people);
    let mut parts = Chunk::default();
    for start in (0..scenario.people).step_by(333) {
        let part = generator.chunk(start..(start + 333).min(scenario.people));
        parts.calls.extend(part.calls);
        parts.transfers.extend(part.transfers);
        parts.identifiers.extend(part.identifiers);
        parts.truth.extend(part.truth);
    }
    assert_eq!(whole.calls, parts.calls);
    assert_eq!(whole.transfers, parts.transfers);
    assert_eq!(whole.identifiers, parts.identifiers);
    assert_eq!(whole.truth, parts.truth);
    let other =
        Generator::new(&Scenario::preset("small", 4, 0.2).expect("valid preset")).expect("valid preset").chunk(0..100);
    assert_ne!(other.calls[..10], whole.calls[..10], "another seed, another world");
}

#[test]
fn every_record_names_known_identifiers_and_times_in_the_span() {
    let (scenario, chunk) = small();
    let known: HashSet<_> = chunk.identifiers.iter().map(|o| o.ident).collect();
    assert_eq!(known.len(), chunk.identifiers.len(), "an identifier listed twice");
    let start = 1_736_121_600_000_000i64 - 86_400_000_000; // 2025-01-06 minus a day for time zones
    let end = start + (i64::from(scenario.days) + 2) * 86_400_000_000;
    for c in &chunk.calls {
        assert!(known.contains(&c.source) && known.contains(&c.target));
        assert!((start..end).contains(&c.start), "{}", c.start);
    }
    for t in &chunk.transfers {
        assert!(known.contains(&t.source) && known.contains(&t.target) && t.cents > 0);
        assert!(t.source.is_account() && t.target.is_account());
    }
    let members = chunk.truth.iter().filter(|t| t.organisation.is_some()).count();
    assert!(members >= 6 * 30, "{members}");
}

#[test]
fn scenarios_that_would_reuse_numbers_are_refused() {
    let mut scenario = Scenario::preset("large", 1, 10.0).expect("valid preset");
    scenario.organisations = 20_000;
    let error = Generator::new(&scenario).expect_err("too many organisations for Portuguese numbers");
    assert!(error.to_string().contains("phone numbers"), "{error}");
    assert!(Scenario::preset("large", 1, 10.5).is_err(), "more than 100 million people");
}

#[test]
fn small_and_odd_populations_generate_without_panics() {
    // Tiny populations leave small countries empty and may put every
    // lieutenant in one country.
    let mut generated = 0;
    for scale in [0.45, 0.5, 0.55, 0.6, 0.75, 1.0, 2.0] {
        for seed in 0..4 {
            // Some scales round to more organisations than people allow.
            let Ok(scenario) = Scenario::preset("tiny", seed, scale) else { continue };
            generated += 1;
            let chunk = Generator::new(&scenario).expect("valid scenario").chunk(0..scenario.people);
            assert!(!chunk.calls.is_empty(), "scale {scale} seed {seed}");
            let known: HashSet<_> = chunk.identifiers.iter().map(|o| o.ident).collect();
            for c in &chunk.calls {
                for ident in [c.source, c.target] {
                    assert!(
                        known.contains(&ident),
                        "scale {scale} seed {seed}: {} ({ident:?}) not listed",
                        ident.text()
                    );
                }
            }
        }
    }
    assert!(generated >= 20, "{generated} scenarios generated");
}

#[test]
fn no_record_falls_after_the_span() {
    let (scenario, chunk) = small();
    // The span in UTC: local days shifted by at most six hours either way.
    let first = 1_736_121_600_000_000i64;
    let end = first + i64::from(scenario.days) * 86_400_000_000 + 6 * 3_600_000_000;
    let last = chunk.transfers.iter().map(|t| t.time).chain(chunk.calls.iter().map(|c| c.start)).max();
    assert!(last.expect("records") < end);
    // And no pile-up of transfers on the last day.
    let last_day = chunk.transfers.iter().filter(|t| t.time >= end - 30 * 3_600_000_000).count();
    assert!(last_day * 50 < chunk.transfers.len(), "{last_day} transfers on the last day");
}
