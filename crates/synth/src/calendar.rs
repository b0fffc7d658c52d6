//! Time: the span of the case, and the daily and weekly rhythms of calls.

use nexo_graph::SplitMix64;

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian).
pub fn epoch_day(date: &str) -> Option<i64> {
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if parts.next().is_some() || !(1..=12).contains(&month) || !(1..=month_days).contains(&day) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Who is calling when: the hour weights of a day, and how much weekends count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rhythm {
    /// Family and friends: evenings, weekends as busy as weekdays.
    Personal,
    /// Colleagues, employers, shops: office hours on weekdays.
    Work,
    /// Criminal coordination: late evening and night, every day.
    Covert,
}

/// Relative call volume per local hour, 0 to 23.
const PERSONAL_HOURS: [u32; 24] =
    [2, 1, 1, 1, 1, 2, 4, 8, 10, 10, 11, 12, 14, 13, 11, 11, 12, 14, 17, 19, 18, 14, 9, 5];
const WORK_HOURS: [u32; 24] = [0, 0, 0, 0, 0, 0, 1, 6, 14, 18, 19, 18, 12, 10, 15, 17, 15, 12, 6, 3, 1, 1, 0, 0];
const COVERT_HOURS: [u32; 24] = [9, 8, 6, 4, 2, 2, 2, 3, 4, 5, 6, 7, 7, 7, 7, 8, 9, 10, 12, 13, 14, 14, 13, 11];

impl Rhythm {
    fn hours(self) -> &'static [u32; 24] {
        match self {
            Rhythm::Personal => &PERSONAL_HOURS,
            Rhythm::Work => &WORK_HOURS,
            Rhythm::Covert => &COVERT_HOURS,
        }
    }

    /// Relative volume on a weekday, Monday = 0, in percent of a busy day.
    fn day_weight(self, weekday: i64) -> u64 {
        match (self, weekday) {
            (Rhythm::Work, 5) => 15,
            (Rhythm::Work, 6) => 5,
            (Rhythm::Personal, 5 | 6) => 90,
            _ => 100,
        }
    }
}

/// The span of the case.
#[derive(Debug, Clone, Copy)]
pub struct Calendar {
    first_day: i64,
    days: u32,
}

impl Calendar {
    /// `days` days from the epoch day `first_day`.
    pub fn new(first_day: i64, days: u32) -> Calendar {
        Calendar { first_day, days }
    }

    /// Number of days.
    pub fn days(&self) -> u32 {
        self.days
    }

    /// A day of the span (0-based) drawn with `rhythm`'s weekly weights.
    pub fn day(&self, rng: &mut SplitMix64, rhythm: Rhythm) -> u32 {
        loop {
            let day = rng.below(u64::from(self.days)) as u32;
            if rng.below(100) < rhythm.day_weight(self.weekday(day)) {
                return day;
            }
        }
    }

    /// Monday = 0.
    pub fn weekday(&self, day: u32) -> i64 {
        (self.first_day + i64::from(day) + 3).rem_euclid(7)
    }

    /// A UTC time in microseconds on local `day` of a place `utc_offset_hours`
    /// from UTC, at an hour drawn from `rhythm`.
    pub fn time_on(&self, rng: &mut SplitMix64, day: u32, rhythm: Rhythm, utc_offset_hours: i64) -> i64 {
        let hours = rhythm.hours();
        let total: u32 = hours.iter().sum();
        let mut draw = rng.below(u64::from(total)) as u32;
        let mut hour = 0;
        while draw >= hours[hour] {
            draw -= hours[hour];
            hour += 1;
        }
        let second = rng.below(3600) as i64;
        let local = (self.first_day + i64::from(day)) * 86_400 + hour as i64 * 3600 + second;
        (local - utc_offset_hours * 3600) * 1_000_000
    }

    /// Local midnight of `day` plus `seconds`, in UTC microseconds.
    pub fn at(&self, day: u32, seconds: i64, utc_offset_hours: i64) -> i64 {
        ((self.first_day + i64::from(day)) * 86_400 + seconds - utc_offset_hours * 3600) * 1_000_000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_days_and_weekdays() {
        assert_eq!(epoch_day("1970-01-01"), Some(0));
        assert_eq!(epoch_day("2000-03-01"), Some(11_017));
        assert_eq!(epoch_day("2025-13-01"), None);
        assert_eq!(epoch_day("2025-02-29"), None);
        assert_eq!(epoch_day("2024-02-29"), Some(19_782));
        let calendar = Calendar::new(epoch_day("2025-01-06").unwrap(), 14);
        assert_eq!(calendar.weekday(0), 0, "6 January 2025 was a Monday");
        assert_eq!(calendar.weekday(6), 6);
    }

    #[test]
    fn work_calls_fall_in_office_hours_on_weekdays() {
        let calendar = Calendar::new(epoch_day("2025-01-06").unwrap(), 70);
        let mut rng = SplitMix64::new(3);
        let mut weekend = 0;
        for _ in 0..10_000 {
            let day = calendar.day(&mut rng, Rhythm::Work);
            weekend += usize::from(calendar.weekday(day) >= 5);
            let t = calendar.time_on(&mut rng, day, Rhythm::Work, 0) / 1_000_000;
            let hour = t.rem_euclid(86_400) / 3600;
            assert!((6..22).contains(&hour), "{hour}");
        }
        assert!(weekend < 700, "{weekend} of 10000 work calls on weekends");
    }
}
