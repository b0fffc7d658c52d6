//! The parameters of a generated case.

use serde::Serialize;

use crate::error::{Error, Result};

/// Everything that shapes a generated case. Two runs with equal scenarios
/// write identical bytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    /// The preset it started from (`tiny`, `small`, `medium`, `large`).
    pub name: String,
    /// The seed of every random draw.
    pub seed: u64,
    /// The multiplier applied to the preset's population and organisations.
    pub scale: f64,
    /// People in the population, criminals included.
    pub people: u64,
    /// Criminal organisations.
    pub organisations: u32,
    /// Members of a typical organisation (people, companies excluded); the
    /// smallest possible organisation has 13.
    pub organisation_size: u32,
    /// First day of activity (UTC midnight, `YYYY-MM-DD`).
    pub start_date: String,
    /// Days of activity.
    pub days: u32,
    /// People per town (the local communities of the background).
    pub town_size: u32,
    /// Mean number of distinct people a person calls (heavy-tailed).
    pub mean_contacts: f64,
    /// Tail exponent of the number of contacts (Pareto; smaller is heavier).
    pub contacts_tail: f64,
    /// Share of ordinary phones and accounts the analyst's entities table
    /// resolves to their owner.
    pub resolved_fraction: f64,
    /// Share of burner phones the entities table resolves.
    pub burner_resolved_fraction: f64,
    /// The reporting threshold that structured transfers stay under, in the
    /// sender's currency.
    pub reporting_threshold: f64,
}

/// The presets: name, people, organisations, organisation size, days.
const PRESETS: [(&str, u64, u32, u32, u32); 4] = [
    ("tiny", 60, 2, 13, 42),
    ("small", 10_000, 6, 30, 182),
    ("medium", 1_000_000, 60, 40, 182),
    ("large", 10_000_000, 300, 40, 182),
];

/// The names of the presets.
pub const SCENARIOS: [&str; 4] = ["tiny", "small", "medium", "large"];

impl Scenario {
    /// The preset `name` with `seed`, its population and organisations
    /// multiplied by `scale`.
    pub fn preset(name: &str, seed: u64, scale: f64) -> Result<Scenario> {
        let &(_, people, organisations, organisation_size, days) =
            PRESETS.iter().find(|p| p.0 == name).ok_or_else(|| Error::BadScenario {
                message: format!("unknown scenario {name:?}; known: {}", SCENARIOS.join(", ")),
            })?;
        if !(scale.is_finite() && scale > 0.0) {
            return Err(Error::BadScenario { message: format!("scale must be positive, not {scale}") });
        }
        let scenario = Scenario {
            name: name.to_owned(),
            seed,
            scale,
            people: (people as f64 * scale).round() as u64,
            organisations: ((f64::from(organisations) * scale).round() as u32).max(1),
            organisation_size,
            start_date: "2025-01-06".to_owned(),
            days,
            town_size: 2_000,
            mean_contacts: 6.0,
            contacts_tail: 1.8,
            resolved_fraction: 0.8,
            burner_resolved_fraction: 0.25,
            reporting_threshold: 10_000.0,
        };
        scenario.validate()?;
        Ok(scenario)
    }

    /// Checks that the parameters make a world.
    pub fn validate(&self) -> Result<()> {
        let fail = |message: String| Err(Error::BadScenario { message });
        let members = u64::from(self.organisations) * u64::from(self.organisation_size.max(13));
        if self.people < 20 || self.people > 100_000_000 {
            return fail(format!("{} people: between 20 and 100 million are supported", self.people));
        }
        if members * 2 > self.people {
            return fail(format!(
                "{} organisations of {} members need more than {} people",
                self.organisations, self.organisation_size, self.people
            ));
        }
        if self.days < 7 || self.days > 3_650 {
            return fail(format!("{} days: between 7 and 3650", self.days));
        }
        if crate::calendar::epoch_day(&self.start_date).is_none() {
            return fail(format!("start date {:?} is not YYYY-MM-DD", self.start_date));
        }
        for (name, value) in
            [("resolved_fraction", self.resolved_fraction), ("burner_resolved_fraction", self.burner_resolved_fraction)]
        {
            if !(0.0..=1.0).contains(&value) {
                return fail(format!("{name} must be in [0, 1], not {value}"));
            }
        }
        if !(self.contacts_tail > 1.05 && self.mean_contacts >= 1.0 && self.town_size >= 10) {
            return fail("contacts_tail > 1.05, mean_contacts >= 1 and town_size >= 10 are needed".to_owned());
        }
        if self.reporting_threshold.is_nan() || self.reporting_threshold <= 100.0 {
            return fail(format!("reporting threshold {} is too small", self.reporting_threshold));
        }
        Ok(())
    }
}
