//! The countries of the maritime cocaine route, their ports, names, and the
//! shape of their phone numbers and account numbers.

/// Europe or Latin America.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// The destination markets and their ports.
    Europe,
    /// The producing and transit countries.
    LatinAmerica,
}

impl Region {
    /// `Europe` or `Latin America`.
    pub fn name(self) -> &'static str {
        match self {
            Region::Europe => "Europe",
            Region::LatinAmerica => "Latin America",
        }
    }
}

/// Which lists of first names and surnames a country draws from.
#[derive(Debug, Clone, Copy)]
enum Language {
    Spanish,
    Portuguese,
    Dutch,
    French,
    Italian,
    German,
}

/// One country of the generated world.
#[derive(Debug)]
pub struct Country {
    /// ISO 3166 alpha-2 code, also the IBAN country code.
    pub code: &'static str,
    /// Europe or Latin America.
    pub region: Region,
    /// Share of the population living there, in per mille.
    pub weight: u32,
    /// E.164 country calling code, without `+`.
    dial: &'static str,
    /// First digits of a mobile number after the calling code.
    mobile: &'static str,
    /// Digits after those.
    mobile_digits: u32,
    /// Total length of an account number (IBAN length where the country has
    /// IBANs; an IBAN-shaped number of that length elsewhere).
    iban_length: usize,
    /// Whether the bank code is four letters (NL) rather than digits.
    lettered_bank: bool,
    /// Hours to add to UTC for local time (standard time).
    pub utc_offset_hours: i64,
    /// The currency of transfers sent from there.
    pub currency: &'static str,
    /// A typical monthly salary, in `currency`.
    pub salary: f64,
    /// Container ports on the route.
    pub ports: &'static [&'static str],
    language: Language,
    company_suffix: &'static str,
}

// One row of the table below: positional arguments read best there.
#[allow(clippy::too_many_arguments)]
const fn country(
    code: &'static str,
    region: Region,
    weight: u32,
    phone: (&'static str, &'static str, u32),
    iban_length: usize,
    utc_offset_hours: i64,
    salary: f64,
    ports: &'static [&'static str],
    language: Language,
    company_suffix: &'static str,
) -> Country {
    let (dial, mobile, mobile_digits) = phone;
    let currency = match region {
        Region::Europe => "EUR",
        Region::LatinAmerica => "USD",
    };
    Country {
        code,
        region,
        weight,
        dial,
        mobile,
        mobile_digits,
        iban_length,
        lettered_bank: matches!(code.as_bytes(), b"NL"),
        utc_offset_hours,
        currency,
        salary,
        ports,
        language,
        company_suffix,
    }
}

use Language::*;
use Region::*;

/// The countries, Europe first. Weights sum to 1000.
pub static COUNTRIES: [Country; 17] = [
    country("ES", Europe, 140, ("34", "6", 8), 24, 1, 1900.0, &["Algeciras", "Valencia", "Barcelona"], Spanish, "S.L."),
    country("PT", Europe, 40, ("351", "91", 7), 25, 0, 1300.0, &["Sines", "Lisboa"], Portuguese, "Lda."),
    country("NL", Europe, 60, ("31", "6", 8), 18, 1, 2900.0, &["Rotterdam"], Dutch, "B.V."),
    country("BE", Europe, 40, ("32", "47", 7), 16, 1, 2800.0, &["Antwerpen"], Dutch, "BV"),
    country("FR", Europe, 80, ("33", "6", 8), 27, 1, 2400.0, &["Le Havre"], French, "SARL"),
    country("IT", Europe, 70, ("39", "3", 9), 27, 1, 2000.0, &["Gioia Tauro", "Genova"], Italian, "S.r.l."),
    country("DE", Europe, 70, ("49", "15", 9), 22, 1, 3200.0, &["Hamburg"], German, "GmbH"),
    country("CO", LatinAmerica, 110, ("57", "3", 9), 24, -5, 400.0, &["Cartagena", "Buenaventura"], Spanish, "S.A.S."),
    country("EC", LatinAmerica, 70, ("593", "9", 8), 24, -5, 480.0, &["Guayaquil"], Spanish, "Cia. Ltda."),
    country("PE", LatinAmerica, 60, ("51", "9", 8), 24, -5, 420.0, &["Callao"], Spanish, "S.A.C."),
    country("BO", LatinAmerica, 30, ("591", "7", 7), 24, -4, 350.0, &[], Spanish, "S.R.L."),
    country("BR", LatinAmerica, 70, ("55", "119", 8), 29, -3, 550.0, &["Santos", "Paranagua"], Portuguese, "Ltda."),
    country("PA", LatinAmerica, 20, ("507", "6", 7), 24, -5, 800.0, &["Colon"], Spanish, "S.A."),
    country("MX", LatinAmerica, 60, ("52", "55", 8), 24, -6, 600.0, &["Manzanillo"], Spanish, "S.A. de C.V."),
    country("VE", LatinAmerica, 30, ("58", "41", 8), 24, -4, 150.0, &["Puerto Cabello"], Spanish, "C.A."),
    country("AR", LatinAmerica, 40, ("54", "911", 8), 24, -3, 700.0, &["Rosario"], Spanish, "S.R.L."),
    country("PY", LatinAmerica, 10, ("595", "9", 8), 24, -4, 450.0, &[], Spanish, "S.A."),
];

/// Index of the country with ISO code `code`.
pub fn country_index(code: &str) -> Option<u8> {
    COUNTRIES.iter().position(|c| c.code == code).map(|i| i as u8)
}

impl Country {
    /// How many distinct mobile numbers the country's format allows.
    pub fn phone_space(&self) -> u64 {
        10u64.pow(self.mobile_digits)
    }

    /// Appends the E.164 mobile number with local index `index` (any
    /// `index < phone_space()`; distinct indices give distinct numbers,
    /// scattered over the number space as real allocations are).
    pub fn write_phone(&self, index: u64, out: &mut String) {
        out.push('+');
        out.push_str(self.dial);
        out.push_str(self.mobile);
        push_digits(scatter(index, self.phone_space()), self.mobile_digits as usize, out);
    }

    /// Appends the account number with local index `index`: an IBAN with
    /// valid ISO 13616 check digits, the bank picked from the index.
    pub fn write_account(&self, index: u64, out: &mut String) {
        let start = out.len();
        out.push_str(self.code);
        out.push_str("00");
        let bank = (index % 7) as usize;
        if self.lettered_bank {
            out.push_str(["ABNA", "INGB", "RABO", "TRIO", "SNSB", "BUNQ", "KNAB"][bank]);
        } else {
            out.push_str(["0049", "2100", "0182", "0081", "2080", "1465", "0128"][bank]);
        }
        let digits = self.iban_length - 8;
        let space = 10u64.pow(digits.min(18) as u32);
        push_digits(scatter(index, space), digits, out);
        let check = 98 - iban_mod97(&out[start..]);
        out.replace_range(start + 2..start + 4, &format!("{check:02}"));
    }

    /// A first name and surname for person `draw` (any number).
    pub fn person_name(&self, draw: u64) -> String {
        let (first, last) = names(self.language);
        let a = first[(draw % first.len() as u64) as usize];
        let b = last[((draw / 64) % last.len() as u64) as usize];
        let c = last[((draw / 4096) % last.len() as u64) as usize];
        match self.language {
            Spanish => format!("{a} {b} {c}"),
            _ => format!("{a} {b}"),
        }
    }

    /// A company name for company `draw` of kind `trade` (for example
    /// `Transportes`).
    pub fn company_name(&self, trade: &str, draw: u64) -> String {
        let (_, last) = names(self.language);
        let b = last[(draw % last.len() as u64) as usize];
        format!("{trade} {b} {}", self.company_suffix)
    }
}

/// A bijection of `0..space` (multiplication by a unit of `Z/space`, then a
/// shift), so that consecutive indices do not give consecutive numbers.
fn scatter(index: u64, space: u64) -> u64 {
    // 0x9E37_79B9 is odd and not a multiple of 5, so it is a unit modulo any
    // power of ten.
    ((u128::from(index) * 0x9E37_79B9 + 0x2545_F491) % u128::from(space)) as u64
}

fn push_digits(value: u64, width: usize, out: &mut String) {
    let text = value.to_string();
    for _ in text.len()..width {
        out.push('0');
    }
    out.push_str(&text);
}

/// ISO 13616 remainder: the first four characters moved to the end, letters
/// as 10..35, the whole read as a number modulo 97.
fn iban_mod97(iban: &str) -> u32 {
    let (head, tail) = iban.split_at(4);
    let mut rest = 0u32;
    for c in tail.chars().chain(head.chars()) {
        let value = c.to_digit(36).unwrap_or(0);
        rest = if value >= 10 { (rest * 100 + value) % 97 } else { (rest * 10 + value) % 97 };
    }
    rest
}

fn names(language: Language) -> (&'static [&'static str], &'static [&'static str]) {
    match language {
        Spanish => (
            &[
                "Alejandro",
                "Camila",
                "Carlos",
                "Daniela",
                "Diego",
                "Elena",
                "Fernando",
                "Gabriela",
                "Javier",
                "Lucia",
                "Luis",
                "Maria",
                "Miguel",
                "Paula",
                "Ricardo",
                "Sofia",
                "Andres",
                "Valentina",
                "Jorge",
                "Isabel",
            ],
            &[
                "Garcia",
                "Rodriguez",
                "Martinez",
                "Lopez",
                "Gonzalez",
                "Perez",
                "Sanchez",
                "Ramirez",
                "Torres",
                "Flores",
                "Rivera",
                "Gomez",
                "Diaz",
                "Vargas",
                "Castro",
                "Ortiz",
                "Morales",
                "Rojas",
                "Herrera",
                "Medina",
            ],
        ),
        Portuguese => (
            &[
                "Joao", "Ana", "Pedro", "Beatriz", "Tiago", "Mariana", "Rafael", "Ines", "Lucas", "Carolina", "Bruno",
                "Juliana",
            ],
            &[
                "Silva",
                "Santos",
                "Ferreira",
                "Pereira",
                "Oliveira",
                "Costa",
                "Rodrigues",
                "Almeida",
                "Nunes",
                "Souza",
                "Lima",
                "Carvalho",
            ],
        ),
        Dutch => (
            &["Daan", "Emma", "Sem", "Julia", "Lucas", "Mila", "Jan", "Sanne", "Thijs", "Lotte", "Bram", "Eva"],
            &[
                "de Jong",
                "Jansen",
                "de Vries",
                "van den Berg",
                "Bakker",
                "Janssens",
                "Peeters",
                "Visser",
                "Smit",
                "Maes",
                "Mulder",
                "Willems",
            ],
        ),
        French => (
            &[
                "Louis", "Chloe", "Hugo", "Camille", "Jules", "Manon", "Arthur", "Lea", "Nathan", "Ines", "Paul",
                "Sarah",
            ],
            &[
                "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
                "Simon", "Laurent",
            ],
        ),
        Italian => (
            &[
                "Francesco",
                "Giulia",
                "Alessandro",
                "Chiara",
                "Lorenzo",
                "Martina",
                "Matteo",
                "Sara",
                "Andrea",
                "Giorgia",
                "Marco",
                "Anna",
            ],
            &[
                "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
                "Bruno", "Gallo",
            ],
        ),
        German => (
            &["Lukas", "Mia", "Leon", "Hannah", "Felix", "Lena", "Jonas", "Laura", "Paul", "Lea", "Max", "Anna"],
            &[
                "Muller",
                "Schmidt",
                "Schneider",
                "Fischer",
                "Weber",
                "Meyer",
                "Wagner",
                "Becker",
                "Schulz",
                "Hoffmann",
                "Koch",
                "Wolf",
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_sum_to_a_thousand() {
        assert_eq!(COUNTRIES.iter().map(|c| c.weight).sum::<u32>(), 1000);
    }

    #[test]
    fn phones_are_e164_and_distinct() {
        let es = &COUNTRIES[country_index("ES").unwrap() as usize];
        let mut seen = std::collections::HashSet::new();
        for i in 0..10_000 {
            let mut s = String::new();
            es.write_phone(i, &mut s);
            assert!(s.starts_with("+346") && s.len() == 12, "{s}");
            assert!(seen.insert(s));
        }
    }

    #[test]
    fn accounts_have_valid_check_digits() {
        // A published example IBAN checks to 1.
        assert_eq!(iban_mod97("ES9121000418450200051332"), 1);
        for country in &COUNTRIES {
            for i in [0, 1, 99, 123_456] {
                let mut s = String::new();
                country.write_account(i, &mut s);
                assert_eq!(s.len(), country.iban_length, "{s}");
                assert_eq!(iban_mod97(&s), 1, "{s}");
            }
        }
    }
}
