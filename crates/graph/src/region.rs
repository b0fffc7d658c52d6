//! The world regions the task force works across.

/// European countries (ISO 3166-1 alpha-2).
const EUROPE: &[&str] = &[
    "AD", "AL", "AT", "BA", "BE", "BG", "BY", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FO", "FR", "GB", "GI",
    "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "MD", "ME", "MK", "MT", "NL", "NO", "PL", "PT",
    "RO", "RS", "RU", "SE", "SI", "SK", "SM", "UA", "VA", "XK",
];

/// Latin American and Caribbean countries (ISO 3166-1 alpha-2).
const LATIN_AMERICA: &[&str] = &[
    "AG", "AR", "BB", "BO", "BR", "BS", "BZ", "CL", "CO", "CR", "CU", "DM", "DO", "EC", "GD", "GT", "GY", "HN", "HT",
    "JM", "KN", "LC", "MX", "NI", "PA", "PE", "PR", "PY", "SR", "SV", "TT", "UY", "VC", "VE",
];

/// `Europe`, `Latin America` or `other` for an ISO 3166-1 alpha-2 country
/// code (case-insensitive).
///
/// ```
/// assert_eq!(nexo_graph::region_of("es"), "Europe");
/// assert_eq!(nexo_graph::region_of("CO"), "Latin America");
/// assert_eq!(nexo_graph::region_of("US"), "other");
/// ```
pub fn region_of(country: &str) -> &'static str {
    let code = country.trim().to_ascii_uppercase();
    if EUROPE.contains(&code.as_str()) {
        "Europe"
    } else if LATIN_AMERICA.contains(&code.as_str()) {
        "Latin America"
    } else {
        "other"
    }
}
