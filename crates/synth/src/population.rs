//! The background population: ordinary people in towns, families and
//! workplaces, laid out implicitly so that any person's circumstances are a
//! pure function of their number and the seed. Nothing is stored per person,
//! which keeps memory bounded at any scale.
//!
//! People are numbered country by country (in the order of
//! [`COUNTRIES`](crate::world::COUNTRIES)), and within a country town by
//! town. A family is a run of consecutive numbers; a workplace is a block of
//! a town shuffled by an affine permutation; popularity inside a town is a
//! power law over the same shuffled order, which gives heavy-tailed
//! in-degrees.

use std::ops::Range;

use nexo_graph::SplitMix64;

use crate::ident::{EntityKey, Ident};
use crate::scenario::Scenario;
use crate::world::{COUNTRIES, Region};

/// People per workplace block.
pub const WORKPLACE_SIZE: u64 = 12;
/// Families are cut from blocks of this many consecutive people.
const FAMILY_BLOCK: u64 = 6;
/// A prime above any town size, used as the multiplier of the town shuffle.
const SHUFFLE_PRIME: u64 = 1_000_003;

/// Where a person lives.
#[derive(Debug, Clone, Copy)]
pub struct Person {
    /// The person's number.
    pub id: u64,
    /// Index into `COUNTRIES`.
    pub country: u8,
    /// Number within the country.
    pub local: u64,
    /// First person of the town.
    pub town_start: u64,
    /// People in the town.
    pub town_len: u64,
    /// Global town number.
    pub town: u64,
}

/// Per-person traits drawn from the person's own random stream.
#[derive(Debug, Clone, Copy)]
pub struct Traits {
    /// Distinct people this person calls over the span.
    pub contacts: u32,
    /// Has a second (work) phone.
    pub second_phone: bool,
    /// Receives a monthly salary from the workplace's employer.
    pub employed: bool,
    /// Pays monthly rent to a landlord in town.
    pub renter: bool,
    /// Lives in Europe with family in this Latin American country (calls
    /// and remittances home).
    pub home_abroad: Option<u8>,
}

/// The implicit population of a scenario.
#[derive(Debug, Clone)]
pub struct Population {
    people: u64,
    /// First person of each country, plus the total at the end.
    country_start: Vec<u64>,
    /// Global number of the first town of each country.
    town_offset: Vec<u64>,
    town_size: u64,
    mean_contacts: f64,
    contacts_tail: f64,
    traits_seed: u64,
    family_seed: u64,
}

impl Population {
    /// The population of `scenario`.
    pub fn new(scenario: &Scenario) -> Population {
        let people = scenario.people;
        let total_weight: u64 = COUNTRIES.iter().map(|c| u64::from(c.weight)).sum();
        let mut country_start = Vec::with_capacity(COUNTRIES.len() + 1);
        let mut cumulative = 0;
        for country in &COUNTRIES {
            country_start.push(people * cumulative / total_weight);
            cumulative += u64::from(country.weight);
        }
        country_start.push(people);
        let town_size = u64::from(scenario.town_size);
        let mut town_offset = Vec::with_capacity(COUNTRIES.len());
        let mut towns = 0;
        for c in 0..COUNTRIES.len() {
            town_offset.push(towns);
            towns += (country_start[c + 1] - country_start[c]).div_ceil(town_size);
        }
        Population {
            people,
            country_start,
            town_offset,
            town_size,
            mean_contacts: scenario.mean_contacts,
            contacts_tail: scenario.contacts_tail,
            traits_seed: SplitMix64::stream(scenario.seed, 1).next_u64(),
            family_seed: SplitMix64::stream(scenario.seed, 2).next_u64(),
        }
    }

    /// Number of people.
    pub fn len(&self) -> u64 {
        self.people
    }

    /// Whether there is nobody.
    pub fn is_empty(&self) -> bool {
        self.people == 0
    }

    /// The people of country `country`.
    pub fn country_range(&self, country: u8) -> Range<u64> {
        let c = usize::from(country);
        self.country_start[c]..self.country_start[c + 1]
    }

    /// Where person `id` lives.
    pub fn person(&self, id: u64) -> Person {
        let country = self.country_start.partition_point(|&start| start <= id) - 1;
        let local = id - self.country_start[country];
        let town_in_country = local / self.town_size;
        let town_start = self.country_start[country] + town_in_country * self.town_size;
        let town_len = (self.country_start[country + 1] - town_start).min(self.town_size);
        Person {
            id,
            country: country as u8,
            local,
            town_start,
            town_len,
            town: self.town_offset[country] + town_in_country,
        }
    }

    /// The traits of person `id`.
    pub fn traits(&self, person: &Person) -> Traits {
        let mut rng = SplitMix64::stream(self.traits_seed, person.id);
        // Pareto with tail `a` and the scenario's mean: x_min = mean (a - 1) / a.
        let a = self.contacts_tail;
        let x_min = self.mean_contacts * (a - 1.0) / a;
        let u = 1.0 - rng.unit();
        let contacts = (x_min * u.powf(-1.0 / a)).round().clamp(1.0, 400.0) as u32;
        let europe = COUNTRIES[usize::from(person.country)].region == Region::Europe;
        let home_abroad = (europe && rng.below(100) < 6).then(|| {
            const HOMES: [&str; 6] = ["CO", "EC", "PE", "BO", "VE", "PY"];
            crate::world::country_index(HOMES[rng.below(HOMES.len() as u64) as usize]).unwrap_or(7)
        });
        Traits {
            contacts,
            second_phone: rng.below(100) < 12,
            employed: rng.below(100) < 55,
            renter: rng.below(100) < 30,
            home_abroad,
        }
    }

    /// The family of `person`: consecutive people of the town.
    pub fn family(&self, person: &Person) -> Range<u64> {
        let pos = person.id - person.town_start;
        let block = pos / FAMILY_BLOCK;
        // Town starts are town_size apart and blocks fewer than that, so the
        // stream index is unique.
        let cut = 1 + SplitMix64::stream(self.family_seed, person.town_start + block).below(FAMILY_BLOCK - 1);
        let block_start = block * FAMILY_BLOCK;
        let (from, to) = if pos < block_start + cut {
            (block_start, block_start + cut)
        } else {
            (block_start + cut, block_start + FAMILY_BLOCK)
        };
        person.town_start + from..person.town_start + to.min(person.town_len)
    }

    /// Position of `person` in the shuffled order of their town.
    fn shuffled(&self, person: &Person) -> u64 {
        let pos = person.id - person.town_start;
        (pos * (SHUFFLE_PRIME % person.town_len) + person.town) % person.town_len
    }

    /// The person at shuffled position `rank` of the town of `person`.
    fn at_rank(&self, person: &Person, rank: u64) -> u64 {
        let n = person.town_len;
        let inverse = modular_inverse(SHUFFLE_PRIME % n, n);
        let pos = ((rank + n - person.town % n) % n) as u128 * u128::from(inverse) % u128::from(n);
        person.town_start + pos as u64
    }

    /// A random colleague of `person` (possibly the person itself).
    pub fn colleague(&self, person: &Person, rng: &mut SplitMix64) -> u64 {
        let block = self.shuffled(person) / WORKPLACE_SIZE * WORKPLACE_SIZE;
        let size = WORKPLACE_SIZE.min(person.town_len - block);
        self.at_rank(person, block + rng.below(size))
    }

    /// A random person of `person`'s town, popular ones far more often
    /// (rank drawn as `len * u^3`).
    pub fn townsfolk(&self, person: &Person, rng: &mut SplitMix64) -> u64 {
        let u = rng.unit();
        let rank = ((person.town_len as f64) * u * u * u) as u64;
        self.at_rank(person, rank.min(person.town_len - 1))
    }

    /// A random person of country `country`, or of anywhere if nobody
    /// lives there (tiny populations leave small countries empty).
    pub fn anyone_in(&self, country: u8, rng: &mut SplitMix64) -> u64 {
        let range = self.country_range(country);
        if range.is_empty() {
            return rng.below(self.people);
        }
        range.start + rng.below(range.end - range.start)
    }

    /// The employer of `person`: one company per workplace block.
    pub fn employer(&self, person: &Person) -> Employer {
        let per_town = self.town_size.div_ceil(WORKPLACE_SIZE);
        let block = self.shuffled(person) / WORKPLACE_SIZE;
        let town_in_country = person.town - self.town_offset[usize::from(person.country)];
        let local = town_in_country * per_town + block;
        let country_people = {
            let r = self.country_range(person.country);
            r.end - r.start
        };
        Employer {
            key: EntityKey::Company(person.town * per_town + block),
            account: Ident::account(person.country, country_people + local),
            town: person.town,
            country: person.country,
        }
    }

    /// Every employer whose workplace lies in `town` (`town_start`, `len`).
    pub fn employers_of_town(&self, person_in_town: &Person) -> impl Iterator<Item = Employer> + '_ {
        let blocks = person_in_town.town_len.div_ceil(WORKPLACE_SIZE);
        let p = *person_in_town;
        (0..blocks).map(move |block| self.employer(&Person { id: self.at_rank(&p, block * WORKPLACE_SIZE), ..p }))
    }

    /// Phone `slot` (0 personal, 1 work) of `person`.
    pub fn phone(&self, person: &Person, slot: u64) -> Ident {
        Ident::phone(person.country, 2 * person.local + slot)
    }

    /// The bank account of `person`.
    pub fn account(&self, person: &Person) -> Ident {
        Ident::account(person.country, person.local)
    }

    /// First local phone index free for phones outside the population's
    /// own (burners, operational phones) in `country`.
    pub fn first_free_phone(&self, country: u8) -> u64 {
        let r = self.country_range(country);
        2 * (r.end - r.start)
    }

    /// First local account index free for accounts outside the population's
    /// own and its employers' in `country`.
    pub fn first_free_account(&self, country: u8) -> u64 {
        let r = self.country_range(country);
        let people = r.end - r.start;
        people + people.div_ceil(self.town_size) * self.town_size.div_ceil(WORKPLACE_SIZE)
    }

    /// First company number free for companies outside the employers.
    pub fn first_free_company(&self) -> u64 {
        let towns = self.town_offset.last().copied().unwrap_or(0)
            + (self.people - self.country_start[COUNTRIES.len() - 1]).div_ceil(self.town_size);
        towns * self.town_size.div_ceil(WORKPLACE_SIZE)
    }
}

/// A company employing a workplace.
#[derive(Debug, Clone, Copy)]
pub struct Employer {
    /// Its entity key.
    pub key: EntityKey,
    /// The account salaries leave from.
    pub account: Ident,
    /// Its town.
    pub town: u64,
    /// Its country.
    pub country: u8,
}

/// `a^-1 mod n` for coprime `a`, `n` (extended Euclid); 0 when `n == 1`.
fn modular_inverse(a: u64, n: u64) -> u64 {
    if n == 1 {
        return 0;
    }
    let (mut old_r, mut r) = (a as i128, n as i128);
    let (mut old_s, mut s) = (1i128, 0i128);
    while r != 0 {
        let q = old_r / r;
        (old_r, r) = (r, old_r - q * r);
        (old_s, s) = (s, old_s - q * s);
    }
    old_s.rem_euclid(n as i128) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn population(people: u64) -> Population {
        let mut scenario = Scenario::preset("small", 1, 1.0).unwrap();
        scenario.people = people;
        scenario.town_size = 97;
        Population::new(&scenario)
    }

    #[test]
    fn shuffle_is_a_bijection_of_each_town() {
        let pop = population(5_000);
        let person = pop.person(1234);
        let mut seen = vec![false; person.town_len as usize];
        for id in person.town_start..person.town_start + person.town_len {
            let p = pop.person(id);
            let rank = pop.shuffled(&p);
            assert!(!seen[rank as usize]);
            seen[rank as usize] = true;
            assert_eq!(pop.at_rank(&p, rank), id);
        }
    }

    #[test]
    fn families_and_colleagues_stay_in_town() {
        let pop = population(5_000);
        let mut rng = SplitMix64::new(9);
        for id in (0..5_000).step_by(37) {
            let p = pop.person(id);
            let town = p.town_start..p.town_start + p.town_len;
            let family = pop.family(&p);
            assert!(family.contains(&id) && town.contains(&family.start) && family.end <= town.end);
            for member in family.clone() {
                assert_eq!(pop.family(&pop.person(member)), family);
            }
            let colleague = pop.colleague(&p, &mut rng);
            assert!(town.contains(&colleague));
            assert_eq!(pop.employer(&pop.person(colleague)).key, pop.employer(&p).key);
        }
    }

    #[test]
    fn countries_tile_the_population() {
        let pop = population(100_000);
        let es = crate::world::country_index("ES").unwrap();
        let range = pop.country_range(es);
        assert_eq!(range, 0..14_000);
        assert_eq!(pop.person(13_999).country, es);
        assert_ne!(pop.person(14_000).country, es);
        assert_eq!(pop.country_range(16).end, 100_000);
    }
}
