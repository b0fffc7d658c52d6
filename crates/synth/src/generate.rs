//! The generator: the population's ordinary life and the organisations'
//! business, person by person, in fixed chunks.

use std::ops::Range;

use nexo_graph::SplitMix64;

use crate::calendar::{Calendar, Rhythm, epoch_day};
use crate::crime::{Role, Underworld, is_resolved};
use crate::error::{Error, Result};
use crate::ident::{EntityKey, Ident};
use crate::population::{Person, Population, Traits};
use crate::records::{Call, Chunk, IdentKind, Owned, Transfer, Truth};
use crate::scenario::Scenario;
use crate::world::COUNTRIES;

/// Days between two monthly payments.
const MONTH: u32 = 30;

/// A scenario ready to generate: the population, the calendar and the
/// organisations with all their activity (the only part held in memory).
#[derive(Debug)]
pub struct Generator {
    scenario: Scenario,
    population: Population,
    calendar: Calendar,
    underworld: Underworld,
    life_seed: u64,
    resolve_seed: u64,
    name_seed: u64,
}

impl Generator {
    /// Prepares `scenario`.
    pub fn new(scenario: &Scenario) -> Result<Generator> {
        scenario.validate()?;
        let first_day = epoch_day(&scenario.start_date)
            .ok_or_else(|| Error::BadScenario { message: format!("bad start date {:?}", scenario.start_date) })?;
        let population = Population::new(scenario);
        check_number_spaces(scenario, &population)?;
        let calendar = Calendar::new(first_day, scenario.days);
        let underworld = Underworld::new(scenario, &population, &calendar);
        Ok(Generator {
            scenario: scenario.clone(),
            population,
            calendar,
            underworld,
            life_seed: SplitMix64::stream(scenario.seed, 5).next_u64(),
            resolve_seed: SplitMix64::stream(scenario.seed, 4).next_u64(),
            name_seed: SplitMix64::stream(scenario.seed, 6).next_u64(),
        })
    }

    /// The scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The organisations.
    pub fn underworld(&self) -> &Underworld {
        &self.underworld
    }

    /// Everything about the people of `people`, in order. Chunks are
    /// independent: any split of the population gives the same rows.
    pub fn chunk(&self, people: Range<u64>) -> Chunk {
        let mut chunk = Chunk::default();
        for id in people {
            self.person(id, &mut chunk);
        }
        chunk
    }

    fn person(&self, id: u64, chunk: &mut Chunk) {
        let person = self.population.person(id);
        let traits = self.traits(&person);
        let rows = self.underworld.rows(id);
        let key = EntityKey::Person(id);
        let (organisation, role, cell) = match rows.member {
            Some(m) => (Some(m.organisation), m.role.name(), m.role.cell()),
            None => (None, "none", "none"),
        };
        let country = &COUNTRIES[usize::from(person.country)];
        let label = country.person_name(SplitMix64::stream(self.name_seed, id).next_u64());
        chunk.truth.push(Truth { key, label, country: person.country, organisation, role, cell, town: person.town });
        self.own(chunk, self.population.phone(&person, 0), IdentKind::Phone, key);
        if traits.second_phone {
            self.own(chunk, self.population.phone(&person, 1), IdentKind::Phone, key);
        }
        self.own(chunk, self.population.account(&person), IdentKind::Account, key);
        if id == person.town_start {
            self.employers(&person, chunk);
        }
        chunk.identifiers.extend(rows.identifiers.iter().map(|r| r.1));
        chunk.truth.extend(rows.companies.iter().map(|r| r.1.clone()));

        let mut rng = SplitMix64::stream(self.life_seed, id);
        self.calls(&person, &traits, &mut rng, chunk);
        self.payments(&person, &traits, &mut rng, chunk);
        chunk.calls.extend(rows.calls.iter().map(|r| r.1));
        chunk.transfers.extend(rows.transfers.iter().map(|r| r.1));
    }

    /// The traits of `person`; leaders keep a low profile in their ordinary
    /// life too (few contacts they call, no work phone).
    fn traits(&self, person: &Person) -> Traits {
        let mut traits = self.population.traits(person);
        if self.underworld.member(person.id).is_some_and(|m| m.role == Role::Leader) {
            traits.contacts = traits.contacts.min(2);
            traits.second_phone = false;
        }
        traits
    }

    /// The relative in `home` a person living in Europe calls and sends
    /// money to: drawn from its own stream, so calls and payments agree.
    fn relative_abroad(&self, person: &Person, home: u8) -> Person {
        let pop = &self.population;
        pop.person(pop.anyone_in(home, &mut SplitMix64::stream(self.life_seed ^ 2, person.id)))
    }

    fn own(&self, chunk: &mut Chunk, ident: Ident, kind: IdentKind, owner: EntityKey) {
        let resolved = is_resolved(self.resolve_seed, ident, self.scenario.resolved_fraction);
        chunk.identifiers.push(Owned { ident, kind, owner, shared_with: None, resolved });
    }

    /// The employers of the town starting at `person`.
    fn employers(&self, person: &Person, chunk: &mut Chunk) {
        let country = &COUNTRIES[usize::from(person.country)];
        for employer in self.population.employers_of_town(person) {
            let EntityKey::Company(n) = employer.key else { continue };
            let trade = ["Comercial", "Servicios", "Construcciones", "Distribuciones", "Talleres"][(n % 5) as usize];
            let label = country.company_name(trade, SplitMix64::stream(self.name_seed ^ 1, n).next_u64());
            chunk.truth.push(Truth {
                key: employer.key,
                label,
                country: employer.country,
                organisation: None,
                role: "none",
                cell: "none",
                town: employer.town,
            });
            self.own(chunk, employer.account, IdentKind::Account, employer.key);
        }
    }

    /// The person's calls: a heavy-tailed number of contacts among family,
    /// colleagues, townsfolk (popular ones more often), the rest of the
    /// country and, rarely, abroad; a few calls each, some answered back.
    fn calls(&self, person: &Person, traits: &Traits, rng: &mut SplitMix64, chunk: &mut Chunk) {
        let pop = &self.population;
        let own_phone = pop.phone(person, 0);
        let mut contacts = traits.contacts;
        if let Some(home) = traits.home_abroad {
            // Family back home: a relative called every week or two.
            let relative = self.relative_abroad(person, home);
            let weeks = self.calendar.days() / 7;
            for week in 0..weeks {
                if rng.below(3) < 2 {
                    let day = week * 7 + rng.below(7) as u32;
                    self.call(person, own_phone, &relative, pop.phone(&relative, 0), day, Rhythm::Personal, rng, chunk);
                }
            }
            contacts = contacts.saturating_sub(1);
        }
        for _ in 0..contacts {
            let draw = rng.below(100);
            let (other, rhythm) = match draw {
                0..25 => {
                    let family = pop.family(person);
                    (family.start + rng.below(family.end - family.start), Rhythm::Personal)
                }
                25..55 => (pop.colleague(person, rng), Rhythm::Work),
                55..88 => (pop.townsfolk(person, rng), Rhythm::Personal),
                88..97 => (pop.anyone_in(person.country, rng), Rhythm::Personal),
                _ => {
                    let others = COUNTRIES.len() as u64 - 1;
                    let country = ((u64::from(person.country) + 1 + rng.below(others)) % (others + 1)) as u8;
                    (pop.anyone_in(country, rng), Rhythm::Personal)
                }
            };
            if other == person.id {
                continue;
            }
            let other = pop.person(other);
            let work = rhythm == Rhythm::Work;
            let mine = if work && traits.second_phone { pop.phone(person, 1) } else { own_phone };
            let theirs =
                if work && self.traits(&other).second_phone { pop.phone(&other, 1) } else { pop.phone(&other, 0) };
            let mut calls = 1;
            while calls < 30 && rng.below(100) < 55 {
                calls += 1;
            }
            for _ in 0..calls {
                let day = self.calendar.day(rng, rhythm);
                self.call(person, mine, &other, theirs, day, rhythm, rng, chunk);
            }
        }
    }

    /// One call between `person` and `other`, answered back a third of the time.
    #[allow(clippy::too_many_arguments)]
    fn call(
        &self,
        person: &Person,
        mine: Ident,
        other: &Person,
        theirs: Ident,
        day: u32,
        rhythm: Rhythm,
        rng: &mut SplitMix64,
        chunk: &mut Chunk,
    ) {
        let back = rng.below(3) == 0;
        let (source, target, caller) = if back { (theirs, mine, other) } else { (mine, theirs, person) };
        let start = self.calendar.time_on(rng, day, rhythm, COUNTRIES[usize::from(caller.country)].utc_offset_hours);
        let sms = rng.below(100) < 25;
        let duration_s = if sms {
            0
        } else {
            // Log-uniform between 5 s and about 40 min.
            (5.0 * (480.0f64).powf(rng.unit())) as i64
        };
        chunk.calls.push(Call { source, target, start, duration_s, sms });
    }

    /// Salary, rent, remittances home and a few small payments.
    fn payments(&self, person: &Person, traits: &Traits, rng: &mut SplitMix64, chunk: &mut Chunk) {
        let pop = &self.population;
        let country = &COUNTRIES[usize::from(person.country)];
        let account = pop.account(person);
        let months = self.calendar.days().div_ceil(MONTH);
        let pay = |chunk: &mut Chunk, source: Ident, target: Ident, day: u32, amount: f64, rng: &mut SplitMix64| {
            let payer = &COUNTRIES[usize::from(source.country())];
            let time = self.calendar.time_on(rng, day, Rhythm::Work, payer.utc_offset_hours);
            let cents = (amount * 100.0).round() as i64;
            chunk.transfers.push(Transfer { source, target, time, cents, currency: payer.currency });
        };
        if traits.employed {
            let employer = pop.employer(person);
            let salary = country.salary * (0.6 + 0.9 * rng.unit());
            for month in 0..months {
                let day = month * MONTH + 25 + rng.below(3) as u32;
                if day < self.calendar.days() {
                    pay(chunk, employer.account, account, day, salary, rng);
                }
            }
        }
        if traits.renter {
            let landlord = pop.person(pop.townsfolk(person, rng));
            let rent = country.salary * (0.25 + 0.2 * rng.unit());
            if landlord.id != person.id {
                for month in 0..months {
                    let day = month * MONTH + rng.below(5) as u32;
                    if day < self.calendar.days() {
                        pay(chunk, account, pop.account(&landlord), day, rent, rng);
                    }
                }
            }
        }
        if let Some(home) = traits.home_abroad {
            let relative = self.relative_abroad(person, home);
            for month in 0..months {
                let day = month * MONTH + 1 + rng.below(10) as u32;
                if day < self.calendar.days() {
                    pay(chunk, account, pop.account(&relative), day, 100.0 + 400.0 * rng.unit(), rng);
                }
            }
        }
        for _ in 0..rng.below(3) {
            let other = if rng.below(2) == 0 {
                let family = pop.family(person);
                family.start + rng.below(family.end - family.start)
            } else {
                pop.townsfolk(person, rng)
            };
            if other != person.id {
                let amount = country.salary * 0.02 * (1.0 + 15.0 * rng.unit());
                let day = self.calendar.day(rng, Rhythm::Personal);
                pay(chunk, account, pop.account(&pop.person(other)), day, amount, rng);
            }
        }
    }
}

/// Every phone and account number must fit its country's format: the
/// population's own, then the organisations' (bounded as if every
/// organisation's phones came from one country).
fn check_number_spaces(scenario: &Scenario, population: &Population) -> Result<()> {
    // Burners: the leader's and two per broker, each kept at least 14 days;
    // an operational phone per member, one shared phone, laundering accounts.
    let per_organisation = 5 * u64::from(scenario.days.div_ceil(14)) + 2 * u64::from(scenario.organisation_size) + 10;
    let criminal = per_organisation * u64::from(scenario.organisations);
    for (c, country) in COUNTRIES.iter().enumerate() {
        let c = c as u8;
        if population.first_free_phone(c) + criminal > country.phone_space() {
            return Err(Error::BadScenario {
                message: format!(
                    "{} people leave too few {} phone numbers; use fewer people",
                    scenario.people, country.code
                ),
            });
        }
    }
    Ok(())
}
