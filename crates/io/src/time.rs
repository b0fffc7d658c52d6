//! Timestamps in the forms operators and banks export them, stored as UTC
//! microseconds since the Unix epoch.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use crate::error::{Error, Result};

/// Parses timestamps into UTC microseconds.
///
/// Accepted forms:
/// - RFC 3339 with an offset or `Z`: `2024-03-01T22:15:00+01:00`;
/// - naive date-times `YYYY-MM-DD HH:MM:SS[.ffffff]` (or with `T`) and dates
///   `YYYY-MM-DD` (midnight), read in the parser's time zone (UTC unless
///   given). At DST changes the rule is RFC 5545's: a repeated local time
///   takes the earlier instant, a skipped one is moved forward by the gap;
/// - epoch seconds, integer or decimal: `1709327700`, `1709327700.25`.
///
/// ```
/// use nexo_io::TimeParser;
///
/// let madrid = TimeParser::new(Some("Europe/Madrid")).unwrap();
/// let utc = TimeParser::new(None).unwrap();
/// let t = utc.parse("2024-03-01T21:15:00Z").unwrap();
/// assert_eq!(madrid.parse("2024-03-01 22:15:00"), Ok(t));
/// assert_eq!(utc.parse("1709327700"), Ok(t));
/// assert!(utc.parse("yesterday").is_err());
/// assert!(TimeParser::new(Some("Mars/Olympus")).is_err());
/// ```
#[derive(Debug, Clone)]
pub struct TimeParser {
    zone: TimeZone,
}

impl TimeParser {
    /// A parser reading naive times in the IANA zone `zone` (UTC if `None`).
    ///
    /// # Errors
    /// [`Error::UnknownTimeZone`] for a name not in the bundled tz database.
    pub fn new(zone: Option<&str>) -> Result<Self> {
        let zone = match zone {
            None => TimeZone::UTC,
            Some(name) => TimeZone::get(name).map_err(|_| Error::UnknownTimeZone { name: name.to_owned() })?,
        };
        Ok(Self { zone })
    }

    /// Parses `text`, returning UTC microseconds or why it is not a timestamp.
    pub fn parse(&self, text: &str) -> Result<i64, &'static str> {
        let text = text.trim();
        if text.bytes().next().is_some_and(|b| b.is_ascii_digit() || b == b'-')
            && text.bytes().skip(1).all(|b| b.is_ascii_digit() || b == b'.')
            && text.len() < 19
            && !text.contains('-')
        {
            return epoch_seconds(text);
        }
        if let Ok(ts) = text.parse::<Timestamp>() {
            return Ok(ts.as_microsecond());
        }
        let local: DateTime = text.parse().map_err(|_| "unparseable timestamp")?;
        self.local_micros(local)
    }

    /// UTC microseconds of a naive local time given in microseconds since
    /// the epoch of the local calendar (as in Parquet timestamps without a zone).
    pub fn naive_micros(&self, local: i64) -> Result<i64, &'static str> {
        let as_utc = Timestamp::from_microsecond(local).map_err(|_| "timestamp out of range")?;
        self.local_micros(TimeZone::UTC.to_datetime(as_utc))
    }

    fn local_micros(&self, local: DateTime) -> Result<i64, &'static str> {
        let ts = self.zone.to_ambiguous_timestamp(local).compatible().map_err(|_| "timestamp out of range")?;
        Ok(ts.as_microsecond())
    }
}

fn epoch_seconds(text: &str) -> Result<i64, &'static str> {
    let seconds: f64 = text.parse().map_err(|_| "unparseable timestamp")?;
    let micros = (seconds * 1e6).round();
    if !micros.is_finite() || micros.abs() > 2.5e17 {
        return Err("timestamp out of range");
    }
    Ok(micros as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_agree() {
        let utc = TimeParser::new(None).unwrap();
        let t = utc.parse("2024-01-15T10:00:00Z").unwrap();
        assert_eq!(t, 1_705_312_800_000_000);
        assert_eq!(utc.parse("2024-01-15 10:00:00"), Ok(t));
        assert_eq!(utc.parse("2024-01-15T10:00:00"), Ok(t));
        assert_eq!(utc.parse("2024-01-15T05:00:00-05:00"), Ok(t));
        assert_eq!(utc.parse(" 1705312800 "), Ok(t));
        assert_eq!(utc.parse("1705312800.5"), Ok(t + 500_000));
        assert_eq!(utc.parse("2024-01-15 10:00:00.25"), Ok(t + 250_000));
        assert_eq!(utc.parse("2024-01-15"), Ok(t - 10 * 3_600_000_000));
        let bogota = TimeParser::new(Some("America/Bogota")).unwrap();
        assert_eq!(bogota.parse("2024-01-15 05:00:00"), Ok(t));
        assert_eq!(bogota.naive_micros(t - 5 * 3_600_000_000), Ok(t));
    }

    #[test]
    fn rejects_garbage() {
        let utc = TimeParser::new(None).unwrap();
        for bad in ["", "2024-13-01 00:00:00", "15/01/2024", "1e400", "2024-01-15 25:00:00", "NaN"] {
            assert!(utc.parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dst_changes_follow_rfc_5545() {
        let madrid = TimeParser::new(Some("Europe/Madrid")).unwrap();
        let utc = TimeParser::new(None).unwrap();
        // 02:30 does not exist on 2024-03-31 in Madrid: moved forward to 03:30 (+02:00).
        assert_eq!(madrid.parse("2024-03-31 02:30:00"), utc.parse("2024-03-31T01:30:00Z"));
        // 02:30 happens twice on 2024-10-27: the first, with the summer offset.
        assert_eq!(madrid.parse("2024-10-27 02:30:00"), utc.parse("2024-10-27T00:30:00Z"));
    }
}
