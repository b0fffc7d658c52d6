//! The criminal organisations: who is in them, which phones and accounts
//! they use, and what they do over the span of the case.
//!
//! Each organisation moves cocaine from a Latin American port to a European
//! one. Its leader, in the country of origin, talks only to the lieutenants,
//! on burner phones changed every few weeks. Lieutenants on both sides run
//! the cells: transport (a shipping agent at the port of origin, port workers
//! at the port of arrival who share a phone), distribution teams,
//! collectors, and the laundering cell (a money broker, mules who deposit
//! cash and wire it on in amounts just under the reporting threshold, and
//! front companies that layer it back across the Atlantic). Brokers carry
//! phones of both regions and link their organisation to partner
//! organisations. Shipments every few weeks bring bursts of calls.

use std::ops::Range;

use nexo_graph::SplitMix64;
use rustc_hash::FxHashSet;

use crate::calendar::{Calendar, Rhythm};
use crate::ident::{EntityKey, Ident};
use crate::population::Population;
use crate::records::{Call, IdentKind, Owned, Transfer, Truth};
use crate::scenario::Scenario;
use crate::world::{COUNTRIES, Region, country_index};

/// A role in an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Heads the organisation from the country of origin.
    Leader,
    /// Runs cells for the leader.
    Lieutenant,
    /// Links the organisation to others, across the Atlantic.
    Broker,
    /// Arranges containers at the port of origin.
    ShippingAgent,
    /// Extracts the cargo at the port of arrival.
    PortWorker,
    /// Sells on in Europe.
    Distributor,
    /// Collects the cash.
    Collector,
    /// Runs the laundering.
    MoneyBroker,
    /// Deposits cash and wires it on.
    Mule,
    /// A company that layers money (kind company).
    FrontCompany,
    /// A freight forwarder moving the containers (kind company).
    FreightCompany,
}

impl Role {
    /// The name in the truth table.
    pub fn name(self) -> &'static str {
        match self {
            Role::Leader => "leader",
            Role::Lieutenant => "lieutenant",
            Role::Broker => "broker",
            Role::ShippingAgent => "shipping_agent",
            Role::PortWorker => "port_worker",
            Role::Distributor => "distributor",
            Role::Collector => "collector",
            Role::MoneyBroker => "money_broker",
            Role::Mule => "mule",
            Role::FrontCompany => "front_company",
            Role::FreightCompany => "freight_company",
        }
    }

    /// The cell the role belongs to.
    pub fn cell(self) -> &'static str {
        match self {
            Role::Leader | Role::Lieutenant => "command",
            Role::Broker => "brokerage",
            Role::ShippingAgent | Role::PortWorker | Role::FreightCompany => "transport",
            Role::Distributor => "distribution",
            Role::Collector => "collection",
            Role::MoneyBroker | Role::Mule | Role::FrontCompany => "laundering",
        }
    }
}

/// A phone used over a span of days.
#[derive(Debug, Clone, Copy)]
struct Burner {
    ident: Ident,
    days: (u32, u32),
}

/// A person in an organisation.
#[derive(Debug, Clone)]
pub struct Member {
    /// Population number.
    pub person: u64,
    /// Organisation number.
    pub organisation: u32,
    /// Role.
    pub role: Role,
    /// Country index.
    pub country: u8,
    personal_phone: Ident,
    account: Ident,
    operational: Option<Ident>,
    shared: Option<Ident>,
    burners: Vec<Burner>,
    foreign_burners: Vec<Burner>,
    laundering_account: Option<Ident>,
}

/// A company controlled by an organisation.
#[derive(Debug, Clone)]
struct Company {
    key: EntityKey,
    role: Role,
    country: u8,
    account: Ident,
    label: String,
    /// The member who runs it (its rows go out with that person's).
    controller: u64,
    organisation: u32,
}

/// Everything criminal in a scenario, keyed by the population number of the
/// person it goes out with, sorted by that key.
#[derive(Debug, Default)]
pub struct Underworld {
    /// Members, sorted by person.
    members: Vec<Member>,
    calls: Vec<(u64, Call)>,
    transfers: Vec<(u64, Transfer)>,
    identifiers: Vec<(u64, Owned)>,
    companies: Vec<(u64, Truth)>,
}

/// The rows of one person.
#[derive(Debug, Default)]
pub struct PersonRows<'a> {
    /// The person's membership, if any.
    pub member: Option<&'a Member>,
    /// Calls made by or keyed to the person.
    pub calls: &'a [(u64, Call)],
    /// Transfers keyed to the person.
    pub transfers: &'a [(u64, Transfer)],
    /// Criminal identifiers owned by the person or their companies.
    pub identifiers: &'a [(u64, Owned)],
    /// Companies the person runs.
    pub companies: &'a [(u64, Truth)],
}

fn range_of<T>(rows: &[(u64, T)], person: u64) -> &[(u64, T)] {
    let start = rows.partition_point(|r| r.0 < person);
    let end = start + rows[start..].partition_point(|r| r.0 == person);
    &rows[start..end]
}

impl Underworld {
    /// Generates the organisations of `scenario` in `population`.
    pub fn new(scenario: &Scenario, population: &Population, calendar: &Calendar) -> Underworld {
        let mut builder = Builder::new(scenario, population, calendar);
        for org in 0..scenario.organisations {
            builder.organisation(org);
        }
        builder.activity();
        builder.finish()
    }

    /// The member who is person `person`, if any.
    pub fn member(&self, person: u64) -> Option<&Member> {
        let i = self.members.partition_point(|m| m.person < person);
        self.members.get(i).filter(|m| m.person == person)
    }

    /// The rows to write with person `person`.
    pub fn rows(&self, person: u64) -> PersonRows<'_> {
        PersonRows {
            member: self.member(person),
            calls: range_of(&self.calls, person),
            transfers: range_of(&self.transfers, person),
            identifiers: range_of(&self.identifiers, person),
            companies: range_of(&self.companies, person),
        }
    }

    /// All members, sorted by person.
    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// Number of criminal calls and transfers.
    pub fn record_count(&self) -> usize {
        self.calls.len() + self.transfers.len()
    }
}

/// An organisation while it is built: indices into the builder's members.
#[derive(Debug, Default)]
struct Organisation {
    origin: u8,
    destination: u8,
    members: Range<usize>,
    companies: Range<usize>,
    partners: Vec<u32>,
}

struct Builder<'a> {
    scenario: &'a Scenario,
    population: &'a Population,
    calendar: &'a Calendar,
    seed: u64,
    taken: FxHashSet<u64>,
    next_phone: Vec<u64>,
    next_account: Vec<u64>,
    next_company: u64,
    members: Vec<Member>,
    companies: Vec<Company>,
    organisations: Vec<Organisation>,
    calls: Vec<(u64, Call)>,
    transfers: Vec<(u64, Transfer)>,
}

/// Weighted choices of countries, by ISO code.
const ORIGINS: [(&str, u64); 6] = [("CO", 40), ("EC", 25), ("PE", 15), ("BR", 10), ("VE", 5), ("MX", 5)];
const DESTINATIONS: [(&str, u64); 7] = [("ES", 35), ("NL", 25), ("BE", 20), ("IT", 8), ("PT", 6), ("FR", 3), ("DE", 3)];
const HUBS: [(&str, u64); 3] = [("PA", 60), ("MX", 20), ("AR", 20)];
const EUROPE: [(&str, u64); 7] = [("ES", 1), ("NL", 1), ("BE", 1), ("IT", 1), ("PT", 1), ("FR", 1), ("DE", 1)];

fn pick(rng: &mut SplitMix64, choices: &[(&str, u64)]) -> u8 {
    let total: u64 = choices.iter().map(|c| c.1).sum();
    let mut draw = rng.below(total);
    for &(code, weight) in choices {
        if draw < weight {
            return country_index(code).unwrap_or(0);
        }
        draw -= weight;
    }
    0
}

impl<'a> Builder<'a> {
    fn new(scenario: &'a Scenario, population: &'a Population, calendar: &'a Calendar) -> Builder<'a> {
        let countries = 0..COUNTRIES.len() as u8;
        Builder {
            scenario,
            population,
            calendar,
            seed: SplitMix64::stream(scenario.seed, 3).next_u64(),
            taken: FxHashSet::default(),
            next_phone: countries.clone().map(|c| population.first_free_phone(c)).collect(),
            next_account: countries.map(|c| population.first_free_account(c)).collect(),
            next_company: population.first_free_company(),
            members: Vec::new(),
            companies: Vec::new(),
            organisations: Vec::new(),
            calls: Vec::new(),
            transfers: Vec::new(),
        }
    }

    fn new_phone(&mut self, country: u8) -> Ident {
        let c = usize::from(country);
        self.next_phone[c] += 1;
        Ident::phone(country, self.next_phone[c] - 1)
    }

    fn new_account(&mut self, country: u8) -> Ident {
        let c = usize::from(country);
        self.next_account[c] += 1;
        Ident::account(country, self.next_account[c] - 1)
    }

    /// Burner phones of `country` covering the whole span, each kept two to
    /// six weeks.
    fn burners(&mut self, country: u8, rng: &mut SplitMix64) -> Vec<Burner> {
        let mut burners = Vec::new();
        let mut day = 0;
        while day < self.calendar.days() {
            let end = (day + 14 + rng.below(29) as u32).min(self.calendar.days());
            let ident = self.new_phone(country);
            burners.push(Burner { ident, days: (day, end) });
            day = end;
        }
        burners
    }

    fn recruit(&mut self, org: u32, role: Role, country: u8, rng: &mut SplitMix64) {
        let person = self.free_person(country, rng);
        let where_ = self.population.person(person);
        // A small population may have nobody left in `country`.
        let country = where_.country;
        let mut member = Member {
            person,
            organisation: org,
            role,
            country,
            personal_phone: self.population.phone(&where_, 0),
            account: self.population.account(&where_),
            operational: None,
            shared: None,
            burners: Vec::new(),
            foreign_burners: Vec::new(),
            laundering_account: None,
        };
        match role {
            Role::Leader => member.burners = self.burners(country, rng),
            Role::Broker => {
                member.burners = self.burners(country, rng);
                let organisation = &self.organisations[org as usize];
                let other_side = if COUNTRIES[usize::from(country)].region == Region::Europe {
                    organisation.origin
                } else {
                    organisation.destination
                };
                member.foreign_burners = self.burners(other_side, rng);
            }
            Role::MoneyBroker => {
                member.operational = Some(self.new_phone(country));
                member.laundering_account = Some(self.new_account(country));
            }
            _ => member.operational = Some(self.new_phone(country)),
        }
        self.members.push(member);
    }

    /// A person of `country` not yet in an organisation: random draws, then
    /// a scan of the country, then of everyone (the scenario guarantees that
    /// at least half the population is free).
    fn free_person(&mut self, country: u8, rng: &mut SplitMix64) -> u64 {
        for _ in 0..64 {
            let candidate = self.population.anyone_in(country, rng);
            if self.taken.insert(candidate) {
                return candidate;
            }
        }
        let range = self.population.country_range(country);
        let everyone = 0..self.population.len();
        let start = rng.below(self.population.len());
        let found = range
            .clone()
            .find(|p| !self.taken.contains(p))
            .or_else(|| everyone.map(|i| (start + i) % self.population.len()).find(|p| !self.taken.contains(p)))
            .unwrap_or(start);
        self.taken.insert(found);
        found
    }

    fn company(&mut self, org: u32, role: Role, country: u8, controller: u64, rng: &mut SplitMix64) {
        let trade = match role {
            Role::FreightCompany => ["Transportes", "Logistica", "Cargas"][rng.below(3) as usize],
            _ => ["Import Export", "Trading", "Inversiones", "Comercial"][rng.below(4) as usize],
        };
        let key = EntityKey::Company(self.next_company);
        self.next_company += 1;
        let account = self.new_account(country);
        let label = COUNTRIES[usize::from(country)].company_name(trade, rng.next_u64());
        self.companies.push(Company { key, role, country, account, label, controller, organisation: org });
    }

    fn organisation(&mut self, org: u32) {
        let mut rng = SplitMix64::stream(self.seed, u64::from(org));
        let origin = pick(&mut rng, &ORIGINS);
        let destination = pick(&mut rng, &DESTINATIONS);
        let size = self.scenario.organisation_size.max(13);
        let extra = size - 13;
        let lieutenants = 2 + extra / 12;
        let brokers = 1 + u32::from(size >= 25);
        let agents = 1 + u32::from(size >= 35);
        let port_workers = 2 + extra / 15;
        let collectors = 1 + extra / 12;
        let mules = 2 + extra / 5;
        let fixed = 1 + lieutenants + brokers + agents + port_workers + collectors + mules + 1;
        let distributors = size.saturating_sub(fixed).max(2);
        let n = self.scenario.organisations;
        let partners = if n < 2 { vec![] } else { vec![(org + 1) % n, rng.below(u64::from(n)) as u32] };
        let mut partners = partners.into_iter().filter(|&p| p != org).collect::<Vec<_>>();
        partners.dedup();
        let first = self.members.len();
        self.organisations.push(Organisation { origin, destination, partners, ..Organisation::default() });

        self.recruit(org, Role::Leader, origin, &mut rng);
        for i in 0..lieutenants {
            self.recruit(org, Role::Lieutenant, if i % 2 == 0 { origin } else { destination }, &mut rng);
        }
        for i in 0..brokers {
            self.recruit(org, Role::Broker, if i % 2 == 0 { destination } else { origin }, &mut rng);
        }
        for _ in 0..agents {
            self.recruit(org, Role::ShippingAgent, origin, &mut rng);
        }
        for _ in 0..port_workers {
            self.recruit(org, Role::PortWorker, destination, &mut rng);
        }
        for _ in 0..distributors {
            let country = if rng.below(4) == 0 { pick(&mut rng, &EUROPE) } else { destination };
            self.recruit(org, Role::Distributor, country, &mut rng);
        }
        for _ in 0..collectors {
            self.recruit(org, Role::Collector, destination, &mut rng);
        }
        let laundering_country = if rng.below(2) == 0 { destination } else { pick(&mut rng, &EUROPE) };
        self.recruit(org, Role::MoneyBroker, laundering_country, &mut rng);
        for _ in 0..mules {
            let country = if rng.below(5) < 3 { destination } else { pick(&mut rng, &EUROPE) };
            self.recruit(org, Role::Mule, country, &mut rng);
        }
        let members = first..self.members.len();

        // The first two port workers share one phone, registered to the first.
        let port: Vec<usize> = members.clone().filter(|&m| self.members[m].role == Role::PortWorker).collect();
        let shared = self.new_phone(destination);
        for &m in port.iter().take(2) {
            self.members[m].shared = Some(shared);
        }

        let first_company = self.companies.len();
        let money_broker = self.find(&members, Role::MoneyBroker)[0];
        let agent = self.find(&members, Role::ShippingAgent)[0];
        let hub = pick(&mut rng, &HUBS);
        self.company(org, Role::FreightCompany, origin, self.members[agent].person, &mut rng);
        for country in [destination, hub, origin] {
            self.company(org, Role::FrontCompany, country, self.members[money_broker].person, &mut rng);
        }
        let organisation = &mut self.organisations[org as usize];
        organisation.members = members;
        organisation.companies = first_company..self.companies.len();
    }

    fn find(&self, members: &Range<usize>, role: Role) -> Vec<usize> {
        members.clone().filter(|&m| self.members[m].role == role).collect()
    }

    /// The phone member `m` uses on `day` to reach someone in `other`'s
    /// region; careless members sometimes use their own phone.
    fn phone_for(&self, m: usize, day: u32, other: u8, rng: &mut SplitMix64) -> Ident {
        let member = &self.members[m];
        let active = |burners: &[Burner]| {
            burners.iter().find(|b| b.days.0 <= day && day < b.days.1).map(|b| b.ident).unwrap_or(member.personal_phone)
        };
        match member.role {
            Role::Leader => active(&member.burners),
            Role::Broker => {
                let region = |c: u8| COUNTRIES[usize::from(c)].region;
                if region(other) == region(member.country) {
                    active(&member.burners)
                } else {
                    active(&member.foreign_burners)
                }
            }
            _ => {
                let draw = rng.below(100);
                match (member.shared, member.operational) {
                    (Some(shared), _) if draw < 60 => shared,
                    (_, Some(operational)) if draw < 85 => operational,
                    _ => member.personal_phone,
                }
            }
        }
    }

    /// Calls between members `a` and `b` on the days of `days`, one day in
    /// `gap` on average, in either direction.
    fn talk(&mut self, a: usize, b: usize, days: Range<u32>, gap: f64, rng: &mut SplitMix64) {
        let days = days.start..days.end.min(self.calendar.days());
        for day in days {
            if rng.unit() * gap >= 1.0 {
                continue;
            }
            let calls = 1 + u32::from(rng.below(3) == 0);
            for _ in 0..calls {
                let (caller, callee) = if rng.below(2) == 0 { (a, b) } else { (b, a) };
                let (from, to) = (&self.members[caller], &self.members[callee]);
                let (from_country, to_country, person) = (from.country, to.country, from.person);
                debug_assert_ne!(caller, callee, "a member talking to themselves");
                let mut source = self.phone_for(caller, day, to_country, rng);
                let mut target = self.phone_for(callee, day, from_country, rng);
                if from.shared.is_some() && from.shared == to.shared {
                    // Two users of one shared phone call each other on their own phones.
                    let own = |m: &Member| m.operational.unwrap_or(m.personal_phone);
                    (source, target) = (own(from), own(to));
                }
                let offset = COUNTRIES[usize::from(from_country)].utc_offset_hours;
                let start = self.calendar.time_on(rng, day, Rhythm::Covert, offset);
                let sms = rng.below(100) < 40;
                let duration_s = if sms { 0 } else { 8 + rng.below(150) as i64 };
                self.calls.push((person, Call { source, target, start, duration_s, sms }));
            }
        }
    }

    /// A transfer on `day` keyed to `person`; nothing is paid after the
    /// span (the case ends with its records).
    fn pay(&mut self, person: u64, source: Ident, target: Ident, day: u32, cents: i64, rng: &mut SplitMix64) {
        if day >= self.calendar.days() {
            return;
        }
        let country = &COUNTRIES[usize::from(source.country())];
        let time = self.calendar.time_on(rng, day, Rhythm::Work, country.utc_offset_hours);
        self.transfers.push((person, Transfer { source, target, time, cents, currency: country.currency }));
    }

    /// A structured amount: just under the reporting threshold.
    fn structured(&self, rng: &mut SplitMix64) -> i64 {
        let threshold = self.scenario.reporting_threshold;
        ((0.80 + 0.195 * rng.unit()) * threshold * 100.0) as i64
    }

    fn activity(&mut self) {
        for org in 0..self.organisations.len() {
            let mut rng = SplitMix64::stream(self.seed ^ 0x5eed_ac71, org as u64);
            self.command(org, &mut rng);
            self.shipments(org, &mut rng);
        }
    }

    /// The standing ties: command, cells and brokerage, all span long.
    fn command(&mut self, org: usize, rng: &mut SplitMix64) {
        let all = 0..self.calendar.days();
        let members = self.organisations[org].members.clone();
        let role = |r| self.find(&members, r);
        let (leader, lieutenants, brokers) = (role(Role::Leader)[0], role(Role::Lieutenant), role(Role::Broker));
        let (agents, port, distributors) = (role(Role::ShippingAgent), role(Role::PortWorker), role(Role::Distributor));
        let (collectors, money_broker, mules) = (role(Role::Collector), role(Role::MoneyBroker)[0], role(Role::Mule));
        let origin = self.organisations[org].origin;
        let at_origin: Vec<usize> =
            lieutenants.iter().copied().filter(|&l| self.members[l].country == origin).collect();
        let in_europe: Vec<usize> =
            lieutenants.iter().copied().filter(|&l| self.members[l].country != origin).collect();
        for &l in &lieutenants {
            self.talk(leader, l, all.clone(), 6.0, rng);
        }
        for (i, &a) in lieutenants.iter().enumerate() {
            for &b in &lieutenants[i + 1..] {
                self.talk(a, b, all.clone(), 4.0, rng);
            }
        }
        for &broker in &brokers {
            for &l in &lieutenants {
                self.talk(broker, l, all.clone(), 5.0, rng);
            }
        }
        // A tiny population may leave every lieutenant in one country.
        let boss = in_europe.first().or(at_origin.first()).copied().unwrap_or(lieutenants[0]);
        let at_origin = at_origin.first().copied().unwrap_or(lieutenants[0]);
        for &agent in &agents {
            self.talk(agent, at_origin, all.clone(), 5.0, rng);
        }
        self.talk(boss, port[0], all.clone(), 5.0, rng);
        self.talk(boss, collectors[0], all.clone(), 4.0, rng);
        self.talk(boss, money_broker, all.clone(), 5.0, rng);
        for team in distributors.chunks(5) {
            let head = in_europe.get(team[0] % in_europe.len().max(1)).copied().unwrap_or(boss);
            self.talk(head, team[0], all.clone(), 4.0, rng);
            for &d in &team[1..] {
                self.talk(team[0], d, all.clone(), 5.0, rng);
                if rng.below(2) == 0 {
                    let other = team[1 + rng.below(team.len() as u64 - 1) as usize];
                    if other != d {
                        self.talk(d, other, all.clone(), 10.0, rng);
                    }
                }
            }
            self.talk(team[0], collectors[rng.below(collectors.len() as u64) as usize], all.clone(), 6.0, rng);
        }
        for &c in &collectors[1..] {
            self.talk(collectors[0], c, all.clone(), 4.0, rng);
        }
        self.talk(collectors[0], money_broker, all.clone(), 6.0, rng);
        for &mule in &mules {
            self.talk(money_broker, mule, all.clone(), 6.0, rng);
        }
        // Brokerage across organisations: brokers talk to the partners'
        // brokers and first lieutenant.
        for partner in self.organisations[org].partners.clone() {
            let theirs = self.organisations[partner as usize].members.clone();
            let their_brokers = self.find(&theirs, Role::Broker);
            let their_lieutenant = self.find(&theirs, Role::Lieutenant)[0];
            for &broker in &brokers {
                self.talk(broker, their_brokers[0], all.clone(), 7.0, rng);
                self.talk(broker, their_lieutenant, all.clone(), 10.0, rng);
            }
        }
    }

    /// Shipments every four to six weeks: the preparation burst, the
    /// distribution, and the laundering of the proceeds.
    fn shipments(&mut self, org: usize, rng: &mut SplitMix64) {
        let organisation = &self.organisations[org];
        let members = organisation.members.clone();
        let companies = organisation.companies.clone();
        let origin = organisation.origin;
        let role = |r| self.find(&members, r);
        let (lieutenants, brokers, agents, port) =
            (role(Role::Lieutenant), role(Role::Broker), role(Role::ShippingAgent), role(Role::PortWorker));
        let (money_broker, mules, leader) = (role(Role::MoneyBroker)[0], role(Role::Mule), role(Role::Leader)[0]);
        let at_origin =
            lieutenants.iter().copied().find(|&l| self.members[l].country == origin).unwrap_or(lieutenants[0]);
        let in_europe =
            lieutenants.iter().copied().find(|&l| self.members[l].country != origin).unwrap_or(lieutenants[0]);
        let freight = companies.start;
        let fronts: Vec<usize> = (companies.start + 1..companies.end).collect();
        let days = self.calendar.days();
        let mut day = 10 + rng.below(20) as u32;
        while day + 3 < days {
            let prep = day.saturating_sub(8)..day + 3;
            for &agent in &agents {
                self.talk(agent, at_origin, prep.clone(), 1.5, rng);
                self.talk(agent, brokers[0], prep.clone(), 2.0, rng);
            }
            for (i, &p) in port.iter().enumerate() {
                self.talk(in_europe, p, prep.clone(), 1.5, rng);
                for &q in &port[i + 1..] {
                    self.talk(p, q, prep.clone(), 1.5, rng);
                }
            }
            self.talk(brokers[0], in_europe, prep.clone(), 2.0, rng);
            // Freight paid from the front company of origin.
            let (front_origin, front_europe, front_hub) = (fronts[2], fronts[0], fronts[1]);
            let amount = (15_000 + rng.below(45_000)) as i64 * 100;
            let (source, target) = (self.companies[front_origin].account, self.companies[freight].account);
            let key = self.companies[front_origin].controller;
            self.pay(key, source, target, day.saturating_sub(12), amount, rng);

            // Laundering: mules wire deposits to the money broker (fan-in), who
            // pays them out to the front company and the port workers
            // (fan-out), always under the threshold; the front companies then
            // layer the money back to the country of origin in invoices.
            let broker_account =
                self.members[money_broker].laundering_account.unwrap_or(self.members[money_broker].account);
            let broker_person = self.members[money_broker].person;
            for &mule in &mules {
                for _ in 0..2 + rng.below(4) {
                    let when = day + 10 + rng.below(25) as u32;
                    let cents = self.structured(rng);
                    let (person, account) = (self.members[mule].person, self.members[mule].account);
                    self.pay(person, account, broker_account, when, cents, rng);
                }
            }
            for _ in 0..3 + rng.below(6) {
                let when = day + 20 + rng.below(20) as u32;
                let cents = self.structured(rng);
                self.pay(broker_person, broker_account, self.companies[front_europe].account, when, cents, rng);
            }
            for &p in &port {
                let cents = self.structured(rng);
                let when = day + 5 + rng.below(10) as u32;
                self.pay(broker_person, broker_account, self.members[p].account, when, cents, rng);
            }
            let invoice = (40_000 + rng.below(160_000)) as i64 * 100;
            let chain = [front_europe, front_hub, front_origin];
            for (step, pair) in chain.windows(2).enumerate() {
                let (a, b) = (&self.companies[pair[0]], &self.companies[pair[1]]);
                let (key, source, target) = (a.controller, a.account, b.account);
                self.pay(key, source, target, day + 40 + 3 * step as u32, invoice, rng);
            }
            for _ in 0..2 {
                let cents = self.structured(rng);
                let (key, source) = (self.companies[front_origin].controller, self.companies[front_origin].account);
                self.pay(key, source, self.members[leader].account, day + 48 + rng.below(5) as u32, cents, rng);
            }
            day += 28 + rng.below(15) as u32;
        }
    }

    fn finish(self) -> Underworld {
        let scenario = self.scenario;
        let resolve_seed = SplitMix64::stream(scenario.seed, 4).next_u64();
        let mut identifiers = Vec::new();
        let mut owned = |key: u64, ident: Ident, kind: IdentKind, owner: EntityKey, shared_with: Option<EntityKey>| {
            let fraction =
                if kind == IdentKind::Burner { scenario.burner_resolved_fraction } else { scenario.resolved_fraction };
            let resolved = is_resolved(resolve_seed, ident, fraction);
            identifiers.push((key, Owned { ident, kind, owner, shared_with, resolved }));
        };
        for (i, member) in self.members.iter().enumerate() {
            let owner = EntityKey::Person(member.person);
            if let Some(phone) = member.operational {
                owned(member.person, phone, IdentKind::Operational, owner, None);
            }
            if let Some(account) = member.laundering_account {
                owned(member.person, account, IdentKind::Account, owner, None);
            }
            for burner in member.burners.iter().chain(&member.foreign_burners) {
                owned(member.person, burner.ident, IdentKind::Burner, owner, None);
            }
            // A shared phone belongs to the first member using it.
            if let Some(shared) = member.shared {
                let first = self.members.iter().position(|m| m.shared == Some(shared)).unwrap_or(i);
                if first == i {
                    let other = self.members.iter().skip(i + 1).find(|m| m.shared == Some(shared));
                    owned(member.person, shared, IdentKind::Phone, owner, other.map(|m| EntityKey::Person(m.person)));
                }
            }
        }
        let mut companies = Vec::new();
        for company in &self.companies {
            owned(company.controller, company.account, IdentKind::Account, company.key, None);
            let town = self.population.person(company.controller).town;
            companies.push((
                company.controller,
                Truth {
                    key: company.key,
                    label: company.label.clone(),
                    country: company.country,
                    organisation: Some(company.organisation),
                    role: company.role.name(),
                    cell: company.role.cell(),
                    town,
                },
            ));
        }
        let mut members = self.members;
        members.sort_by_key(|m| m.person);
        let (mut calls, mut transfers) = (self.calls, self.transfers);
        // Stable sorts: rows of one person keep the order they were made in.
        calls.sort_by_key(|r| r.0);
        transfers.sort_by_key(|r| r.0);
        identifiers.sort_by_key(|r| r.0);
        companies.sort_by_key(|r| r.0);
        Underworld { members, calls, transfers, identifiers, companies }
    }
}

/// Whether the analyst's entities table holds `ident`: a keyed hash of the
/// identifier under `fraction`, so that the decision is the same wherever it
/// is asked.
pub fn is_resolved(seed: u64, ident: Ident, fraction: f64) -> bool {
    SplitMix64::stream(seed, ident.bits()).unit() < fraction
}

impl Member {
    /// The member's identifiers of their own life (not criminal ones).
    pub fn personal_phone(&self) -> Ident {
        self.personal_phone
    }
}
