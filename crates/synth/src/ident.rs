//! Identifiers (phones, accounts) and entity keys, packed into integers
//! while generating and written out as text only at the end.

use crate::world::COUNTRIES;

/// A phone number or account number: kind, country and local index in 64 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ident(u64);

const ACCOUNT_BIT: u64 = 1 << 63;
const COUNTRY_SHIFT: u32 = 56;
const INDEX_MASK: u64 = (1 << COUNTRY_SHIFT) - 1;

impl Ident {
    /// Mobile number `index` of country `country`.
    pub fn phone(country: u8, index: u64) -> Ident {
        Ident((u64::from(country) << COUNTRY_SHIFT) | (index & INDEX_MASK))
    }

    /// Account `index` of country `country`.
    pub fn account(country: u8, index: u64) -> Ident {
        Ident(ACCOUNT_BIT | (u64::from(country) << COUNTRY_SHIFT) | (index & INDEX_MASK))
    }

    /// Whether it is an account (else a phone).
    pub fn is_account(self) -> bool {
        self.0 & ACCOUNT_BIT != 0
    }

    /// The country it belongs to.
    pub fn country(self) -> u8 {
        ((self.0 & !ACCOUNT_BIT) >> COUNTRY_SHIFT) as u8
    }

    /// The packed value, for hashing.
    pub fn bits(self) -> u64 {
        self.0
    }

    /// Appends the text form: `+34612345678` or an IBAN.
    pub fn write(self, out: &mut String) {
        let country = &COUNTRIES[usize::from(self.country())];
        if self.is_account() {
            country.write_account(self.0 & INDEX_MASK, out);
        } else {
            country.write_phone(self.0 & INDEX_MASK, out);
        }
    }

    /// The text form.
    pub fn text(self) -> String {
        let mut s = String::with_capacity(24);
        self.write(&mut s);
        s
    }
}

/// A person or a company of the generated world.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityKey {
    /// Person number n of the population: `P00000042`.
    Person(u64),
    /// Company number n: `C00000042`.
    Company(u64),
}

impl EntityKey {
    /// Appends `P00000042` or `C00000042`.
    pub fn write(self, out: &mut String) {
        let (letter, n) = match self {
            EntityKey::Person(n) => ('P', n),
            EntityKey::Company(n) => ('C', n),
        };
        out.push(letter);
        let digits = n.to_string();
        for _ in digits.len()..8 {
            out.push('0');
        }
        out.push_str(&digits);
    }

    /// The text form.
    pub fn text(self) -> String {
        let mut s = String::with_capacity(10);
        self.write(&mut s);
        s
    }

    /// `person` or `company`.
    pub fn kind(self) -> &'static str {
        match self {
            EntityKey::Person(_) => "person",
            EntityKey::Company(_) => "company",
        }
    }
}
