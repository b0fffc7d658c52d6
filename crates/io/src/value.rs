//! Cells to field values, with the reason when a cell is not a valid value.

use std::fmt::Write;

use nexo_graph::Fixed;

use crate::cells::Cell;
use crate::time::TimeParser;

/// Why a cell is not a valid value of its field.
pub(crate) type Reason = &'static str;

/// Text of a cell into `buf` (numbers are written out): `None` if null.
pub(crate) fn text<'b>(cell: Cell<'_>, buf: &'b mut String) -> Result<Option<&'b str>, Reason> {
    buf.clear();
    match cell {
        Cell::Null => return Ok(None),
        Cell::Text(s) => buf.push_str(s.trim()),
        Cell::Int(i) => {
            let _ = write!(buf, "{i}");
        }
        Cell::Float(x) if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e18 => {
            let _ = write!(buf, "{}", x as i64);
        }
        Cell::Float(_) => return Err("a fractional number where text was expected"),
        Cell::Micros { .. } => return Err("a timestamp where text was expected"),
        Cell::Invalid(reason) => return Err(reason),
    }
    Ok(Some(buf))
}

/// A required identifier: non-empty text.
pub(crate) fn identifier<'b>(cell: Cell<'_>, buf: &'b mut String) -> Result<&'b str, Reason> {
    text(cell, buf)?.ok_or("empty identifier")
}

/// A timestamp, in UTC microseconds; `None` if null.
pub(crate) fn time(cell: Cell<'_>, parser: &TimeParser) -> Result<Option<i64>, Reason> {
    match cell {
        Cell::Null => Ok(None),
        Cell::Text(s) => parser.parse(s).map(Some),
        Cell::Int(seconds) => seconds.checked_mul(1_000_000).map(Some).ok_or("timestamp out of range"),
        Cell::Float(seconds) if seconds.is_finite() && seconds.abs() < 2.5e11 => {
            Ok(Some((seconds * 1e6).round() as i64))
        }
        Cell::Float(_) => Err("timestamp out of range"),
        Cell::Micros { value, utc: true } => Ok(Some(value)),
        Cell::Micros { value, utc: false } => parser.naive_micros(value).map(Some),
        Cell::Invalid(reason) => Err(reason),
    }
}

/// A non-negative decimal with four places; `None` if null.
///
/// Text takes `.` as the decimal separator, or a lone `,` (`1234,50`, as
/// European banks export); both in one number is refused as ambiguous.
pub(crate) fn non_negative(cell: Cell<'_>) -> Result<Option<Fixed>, Reason> {
    let value = match cell {
        Cell::Null => return Ok(None),
        Cell::Int(i) => i as f64,
        Cell::Float(x) => x,
        Cell::Text(s) => parse_decimal(s.trim())?,
        Cell::Micros { .. } => return Err("a timestamp where a number was expected"),
        Cell::Invalid(reason) => return Err(reason),
    };
    if value.is_nan() {
        return Err("not a number (NaN)");
    }
    if value < 0.0 {
        return Err("negative value");
    }
    Fixed::from_f64(value).map(Some).ok_or("number out of range")
}

fn parse_decimal(s: &str) -> Result<f64, Reason> {
    let has_dot = s.contains('.');
    let commas = s.matches(',').count();
    let normalised;
    let s = match (has_dot, commas) {
        (_, 0) => s,
        (false, 1) => {
            normalised = s.replace(',', ".");
            &normalised
        }
        _ => return Err("ambiguous thousands or decimal separators"),
    };
    if !s.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E')) {
        return if s.eq_ignore_ascii_case("nan") { Err("not a number (NaN)") } else { Err("not a number") };
    }
    s.parse::<f64>().map_err(|_| "not a number")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals() {
        let fixed = |s| non_negative(Cell::Text(s)).map(|v| v.map(|f| f.0));
        assert_eq!(fixed("9500.75"), Ok(Some(95_007_500)));
        assert_eq!(fixed("9500,75"), Ok(Some(95_007_500)));
        assert_eq!(fixed(" 12 "), Ok(Some(120_000)));
        assert_eq!(fixed("1e3"), Ok(Some(10_000_000)));
        assert_eq!(fixed("1.234,5"), Err("ambiguous thousands or decimal separators"));
        assert_eq!(fixed("-3"), Err("negative value"));
        assert_eq!(fixed("NaN"), Err("not a number (NaN)"));
        assert_eq!(fixed("inf"), Err("not a number"));
        assert_eq!(fixed("12 EUR"), Err("not a number"));
        assert_eq!(non_negative(Cell::Float(f64::NAN)), Err("not a number (NaN)"));
        assert_eq!(non_negative(Cell::Null), Ok(None));
    }

    #[test]
    fn identifiers() {
        let mut buf = String::new();
        assert_eq!(identifier(Cell::Int(34_600_111_222), &mut buf), Ok("34600111222"));
        assert_eq!(identifier(Cell::Text(" a "), &mut buf), Ok("a"));
        assert_eq!(identifier(Cell::Null, &mut buf), Err("empty identifier"));
    }
}
