//! Canonical forms of identifiers, so that one phone or account written two
//! ways is one node.

/// Writes the canonical form of `raw` into `buf` and returns it.
///
/// - Surrounding white space is trimmed.
/// - A phone number (only digits, spaces, `-`, `.`, `(`, `)`, and an optional
///   leading `+`, with at least one digit) loses its separators, and a leading
///   international prefix `00` becomes `+`: `0034 600-11 22 33` and
///   `+34 600 112 233` are both `+34600112233`.
/// - An IBAN (two letters, two digits, then 11 to 30 letters or digits, with
///   optional spaces) is upper-cased without spaces.
/// - Anything else (IMEIs are digits and already canonical, e-mail addresses,
///   names, entity keys) stays as written, apart from the trimming.
///
/// `buf` is a scratch buffer reused across calls, so the hot loop allocates nothing.
///
/// ```
/// let mut buf = String::new();
/// assert_eq!(nexo_graph::canonical_identifier("0034 600-11 22 33", &mut buf), "+34600112233");
/// assert_eq!(nexo_graph::canonical_identifier("es91 2100 0418 4502 0005 1332", &mut buf), "ES9121000418450200051332");
/// assert_eq!(nexo_graph::canonical_identifier(" El Contador ", &mut buf), "El Contador");
/// ```
pub fn canonical_identifier<'b>(raw: &str, buf: &'b mut String) -> &'b str {
    let trimmed = raw.trim();
    buf.clear();
    if is_phone_like(trimmed) {
        let digits = trimmed.strip_prefix('+');
        let (plus, rest) = match digits {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let mut kept = rest.bytes().filter(u8::is_ascii_digit);
        if plus {
            buf.push('+');
        } else if rest.trim_start_matches(is_separator).starts_with("00") {
            buf.push('+');
            kept.next();
            kept.next();
        }
        buf.extend(kept.map(char::from));
    } else if is_iban_like(trimmed) {
        buf.extend(trimmed.chars().filter(|c| *c != ' ').map(|c| c.to_ascii_uppercase()));
    } else {
        buf.push_str(trimmed);
    }
    buf
}

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '.' | '(' | ')')
}

fn is_phone_like(s: &str) -> bool {
    let body = s.strip_prefix('+').unwrap_or(s);
    body.bytes().any(|b| b.is_ascii_digit()) && body.chars().all(|c| c.is_ascii_digit() || is_separator(c))
}

fn is_iban_like(s: &str) -> bool {
    let mut compact = s.bytes().filter(|&b| b != b' ');
    let letters = compact.by_ref().take(2).filter(u8::is_ascii_alphabetic).count();
    let check = compact.by_ref().take(2).filter(u8::is_ascii_digit).count();
    let mut rest = 0;
    for b in compact {
        if !b.is_ascii_alphanumeric() {
            return false;
        }
        rest += 1;
    }
    letters == 2 && check == 2 && (11..=30).contains(&rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(raw: &str) -> String {
        canonical_identifier(raw, &mut String::new()).to_owned()
    }

    #[test]
    fn phone_numbers() {
        assert_eq!(canon("+34 600 112 233"), "+34600112233");
        assert_eq!(canon("0034-600-112-233"), "+34600112233");
        assert_eq!(canon("(0057) 300.123.4567"), "+573001234567");
        assert_eq!(canon("600112233"), "600112233");
        assert_eq!(canon("  356938035643809 "), "356938035643809");
    }

    #[test]
    fn ibans() {
        assert_eq!(canon("nl91 abna 0417 1643 00"), "NL91ABNA0417164300");
        assert_eq!(canon("ES91 2100 0418 4502 0005 1332"), "ES9121000418450200051332");
    }

    #[test]
    fn everything_else_is_trimmed_only() {
        assert_eq!(canon(" Juan Perez "), "Juan Perez");
        assert_eq!(canon("P-001"), "P-001");
        assert_eq!(canon("ab cd"), "ab cd");
        assert_eq!(canon("--"), "--");
        assert_eq!(canon(""), "");
    }
}
