//! One input record, as the aggregation sees it, and the totals of a link.

/// A decimal with four places in fixed point (ten-thousandths), for amounts
/// of money and link weights.
///
/// Totals are summed as integers so that they are exact and the same for any
/// order of addition, hence for any number of threads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fixed(pub i64);

impl Fixed {
    /// Fixed-point units per unit.
    pub const SCALE: i64 = 10_000;
    /// One unit.
    pub const ONE: Fixed = Fixed(Self::SCALE);

    /// The value as a float.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / Self::SCALE as f64
    }

    /// The nearest fixed-point value of `x`, if `x` is finite and in range.
    pub fn from_f64(x: f64) -> Option<Fixed> {
        let scaled = (x * Self::SCALE as f64).round();
        (scaled.is_finite() && scaled.abs() < 9.0e18).then_some(Fixed(scaled as i64))
    }
}

/// A communication, transfer or other link record, with its identifiers
/// still as written in the input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Record<'a> {
    /// Identifier of the caller, payer or first party.
    pub source: &'a str,
    /// Identifier of the callee, payee or second party.
    pub target: &'a str,
    /// The layer the record belongs to (`call`, `sms`, `transfer`, `meeting`, ...).
    pub layer: &'a str,
    /// When it happened, microseconds since the Unix epoch (UTC); `None` for undated links.
    pub time: Option<i64>,
    /// Duration in milliseconds (0 when not applicable).
    pub duration_ms: i64,
    /// Money moved (0 when not applicable).
    pub amount: Fixed,
    /// How many contacts the record stands for: 1 for a call or a transfer,
    /// the `weight` column of a link record.
    pub weight: Fixed,
    /// Country of the source identifier, if the record says.
    pub source_country: Option<&'a str>,
    /// Country of the target identifier, if the record says.
    pub target_country: Option<&'a str>,
}

/// The totals of all records between two nodes on one layer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkStats {
    /// Number of records.
    pub records: u64,
    /// Total duration in milliseconds.
    pub duration_ms: i64,
    /// Total amount.
    pub amount: Fixed,
    /// Total of the record weights (see [`Record::weight`]).
    pub weight: Fixed,
    /// Earliest record time (µs since epoch, UTC), if any record was dated.
    pub first: Option<i64>,
    /// Latest record time (µs since epoch, UTC), if any record was dated.
    pub last: Option<i64>,
}

impl LinkStats {
    /// The totals of one record.
    pub fn of(record: &Record<'_>) -> Self {
        Self {
            records: 1,
            duration_ms: record.duration_ms,
            amount: record.amount,
            weight: record.weight,
            first: record.time,
            last: record.time,
        }
    }

    /// Adds `other` into `self`. Returns `false`, leaving `self` unchanged,
    /// if a total would overflow 64 bits.
    #[must_use]
    pub fn merge(&mut self, other: &LinkStats) -> bool {
        let (Some(duration_ms), Some(amount), Some(weight)) = (
            self.duration_ms.checked_add(other.duration_ms),
            self.amount.0.checked_add(other.amount.0),
            self.weight.0.checked_add(other.weight.0),
        ) else {
            return false;
        };
        self.records += other.records;
        self.duration_ms = duration_ms;
        self.amount = Fixed(amount);
        self.weight = Fixed(weight);
        self.first = min_some(self.first, other.first);
        self.last = max_some(self.last, other.last);
        true
    }

    /// The weight of this link under `kind`.
    pub fn weight_as(&self, kind: WeightKind) -> f64 {
        match kind {
            WeightKind::Count => self.weight.as_f64(),
            WeightKind::Duration => self.duration_ms as f64 / 1000.0,
            WeightKind::Amount => self.amount.as_f64(),
        }
    }
}

/// Adds `stats` into the link `key` of `links`. Returns `false`, leaving the
/// link unchanged, if a total would overflow.
#[must_use]
pub(crate) fn add_link<K: std::hash::Hash + Eq>(
    links: &mut rustc_hash::FxHashMap<K, LinkStats>,
    key: K,
    stats: &LinkStats,
) -> bool {
    match links.entry(key) {
        std::collections::hash_map::Entry::Occupied(mut total) => total.get_mut().merge(stats),
        std::collections::hash_map::Entry::Vacant(slot) => {
            slot.insert(*stats);
            true
        }
    }
}

fn min_some(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn max_some(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// What an edge's weight measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum WeightKind {
    /// Number of contacts (the default): each call, message or transfer
    /// counts 1, a link record counts its `weight` column.
    #[default]
    Count,
    /// Total duration in seconds.
    Duration,
    /// Total amount in currency units.
    Amount,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_keeps_extremes_and_exact_sums() {
        let mut a = LinkStats {
            records: 2,
            duration_ms: 1500,
            amount: Fixed(12_345),
            weight: Fixed(20_000),
            first: Some(10),
            last: Some(20),
        };
        let b = LinkStats {
            records: 1,
            duration_ms: 500,
            amount: Fixed(5),
            weight: Fixed::ONE,
            first: None,
            last: Some(30),
        };
        assert!(a.merge(&b));
        assert_eq!(a.records, 3);
        assert_eq!(a.first, Some(10));
        assert_eq!(a.last, Some(30));
        assert_eq!(a.weight_as(WeightKind::Duration), 2.0);
        assert_eq!(a.weight_as(WeightKind::Count), 3.0);
        assert_eq!(a.weight_as(WeightKind::Amount), 1.235);
        let huge = LinkStats { amount: Fixed(i64::MAX), ..b };
        let before = a;
        assert!(!a.merge(&huge));
        assert_eq!(a, before);
    }
}
