//! Aggregation of records into identifier-level links: the hot loop of
//! network building.

use rustc_hash::FxHashMap;

use crate::error::{Error, Result};
use crate::identifier::canonical_identifier;
use crate::interner::Interner;
use crate::record::{LinkStats, Record, add_link};

/// Microseconds in a day.
const MICROS_PER_DAY: i64 = 86_400_000_000;

/// Which records take part in the network.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Keep records at or after this time (µs since epoch, UTC).
    pub from: Option<i64>,
    /// Keep records strictly before this time (µs since epoch, UTC).
    pub to: Option<i64>,
    /// Keep only these layers; `None` keeps all.
    pub layers: Option<Vec<String>>,
}

/// What [`LinkAggregator::add`] did with a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Counted into a link.
    Linked,
    /// Source and target are the same identifier; counted, not linked.
    SelfContact,
    /// Dated outside the selected time window. Undated records are always kept.
    OutsideWindow,
    /// On a layer that was not selected.
    LayerNotSelected,
}

/// How many records ended up where; `read` of a source file equals the sum
/// of these plus the rows rejected by validation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecordCounts {
    /// Records counted into a link.
    pub linked: u64,
    /// Records whose two sides are the same node (same identifier, or two
    /// identifiers of the same entity).
    pub self_contacts: u64,
    /// Records outside the time window.
    pub outside_window: u64,
    /// Records on layers that were not selected.
    pub layer_not_selected: u64,
}

impl RecordCounts {
    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Linked => self.linked += 1,
            Outcome::SelfContact => self.self_contacts += 1,
            Outcome::OutsideWindow => self.outside_window += 1,
            Outcome::LayerNotSelected => self.layer_not_selected += 1,
        }
    }

    /// Adds `other` into `self`.
    pub fn add(&mut self, other: &RecordCounts) {
        self.linked += other.linked;
        self.self_contacts += other.self_contacts;
        self.outside_window += other.outside_window;
        self.layer_not_selected += other.layer_not_selected;
    }

    /// All records counted.
    pub fn total(&self) -> u64 {
        self.linked + self.self_contacts + self.outside_window + self.layer_not_selected
    }
}

/// Key of an identifier-level link: (source, target, layer).
pub(crate) type LinkKey = (u32, u32, u16);

/// Aggregates records into links between identifiers.
///
/// One aggregator per thread: each interns identifiers into its own dense ids
/// and sums records into its own hash map, with no locks and no allocation per
/// record (beyond the growth of its tables). [`LinkAggregator::merge`] then
/// folds them together; since every total is an exact integer and ids are
/// relabelled by sorted key when the network is built
/// ([`crate::LinkNetwork::build`]), the result does not depend on how records
/// were split among threads.
///
/// ```
/// use nexo_graph::{Fixed, LinkAggregator, Outcome, Record, Selection};
///
/// let mut agg = LinkAggregator::new(Selection::default());
/// let call = Record {
///     source: "+34 600 11 22 33",
///     target: "0057 300 123 4567",
///     layer: "call",
///     time: Some(1_700_000_000_000_000),
///     duration_ms: 60_000,
///     amount: Fixed(0),
///     weight: Fixed::ONE,
///     source_country: Some("ES"),
///     target_country: Some("CO"),
/// };
/// assert_eq!(agg.add(&call).unwrap(), Outcome::Linked);
/// assert_eq!(agg.add(&call).unwrap(), Outcome::Linked);
/// assert_eq!(agg.link_count(), 1);
/// assert_eq!(agg.counts().linked, 2);
/// ```
#[derive(Debug, Clone)]
pub struct LinkAggregator {
    selection: Selection,
    /// Per layer id, whether the selection keeps it.
    layer_selected: Vec<bool>,
    pub(crate) identifiers: Interner,
    pub(crate) layers: Interner,
    pub(crate) countries: Interner,
    pub(crate) links: FxHashMap<LinkKey, LinkStats>,
    /// Records seen per (identifier, country).
    pub(crate) country_counts: FxHashMap<(u32, u32), u64>,
    pub(crate) counts: RecordCounts,
    /// Linked records per UTC day (days since 1970-01-01), counted in runs
    /// of the same day: records usually come in time order.
    activity: FxHashMap<i64, u64>,
    run: Option<(i64, u64)>,
    /// Where each linked record came from, when asked for.
    pub(crate) evidence: Option<Vec<Origin>>,
    scratch: String,
}

/// Where a linked record came from: its link (identifier ids, layer id)
/// and its place in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Origin {
    pub(crate) link: LinkKey,
    pub(crate) part: u32,
    pub(crate) line: u64,
}

impl LinkAggregator {
    /// An empty aggregator keeping the records that `selection` selects.
    pub fn new(selection: Selection) -> Self {
        Self {
            selection,
            layer_selected: Vec::new(),
            identifiers: Interner::new(),
            layers: Interner::new(),
            countries: Interner::new(),
            links: FxHashMap::default(),
            country_counts: FxHashMap::default(),
            counts: RecordCounts::default(),
            activity: FxHashMap::default(),
            run: None,
            evidence: None,
            scratch: String::new(),
        }
    }

    /// Adds one record. Identifiers are compared in canonical form
    /// ([`canonical_identifier`]); callers reject records whose identifiers
    /// are empty before they get here.
    ///
    /// # Errors
    /// [`Error::TooManyNodes`] / [`Error::TooManyLayers`] past the id ranges,
    /// and [`Error::AmountOverflow`] if a link's totals overflow.
    pub fn add(&mut self, record: &Record<'_>) -> Result<Outcome> {
        let (outcome, _) = self.add_uncounted(record)?;
        self.counts.count(outcome);
        Ok(outcome)
    }

    /// Keeps, from now on, where each linked record came from (the
    /// evidence trail: about 24 bytes per linked record).
    pub fn keep_evidence(&mut self) {
        self.evidence.get_or_insert_with(Vec::new);
    }

    /// [`LinkAggregator::add`], noting that the record is line `line` of
    /// input part `part` (any numbering the caller keeps) when keeping the
    /// evidence.
    ///
    /// # Errors
    /// As [`LinkAggregator::add`].
    pub fn add_from(&mut self, record: &Record<'_>, part: u32, line: u64) -> Result<Outcome> {
        let (outcome, link) = self.add_uncounted(record)?;
        self.counts.count(outcome);
        if let (Some(evidence), Some(link)) = (&mut self.evidence, link) {
            evidence.push(Origin { link, part, line });
        }
        Ok(outcome)
    }

    fn add_uncounted(&mut self, record: &Record<'_>) -> Result<(Outcome, Option<LinkKey>)> {
        if let Some(time) = record.time {
            let before = self.selection.from.is_some_and(|from| time < from);
            let after = self.selection.to.is_some_and(|to| time >= to);
            if before || after {
                return Ok((Outcome::OutsideWindow, None));
            }
        }
        let layer = self.layer_id(record.layer)?;
        if !self.layer_selected[layer as usize] {
            return Ok((Outcome::LayerNotSelected, None));
        }
        let source = self.identifiers.intern(canonical_identifier(record.source, &mut self.scratch))?;
        let target = self.identifiers.intern(canonical_identifier(record.target, &mut self.scratch))?;
        self.count_country(source, record.source_country)?;
        self.count_country(target, record.target_country)?;
        if source == target {
            return Ok((Outcome::SelfContact, None));
        }
        if !add_link(&mut self.links, (source, target, layer), &LinkStats::of(record)) {
            return Err(self.overflow(source, target));
        }
        if let Some(time) = record.time {
            self.count_day(time.div_euclid(MICROS_PER_DAY));
        }
        Ok((Outcome::Linked, Some((source, target, layer))))
    }

    fn count_day(&mut self, day: i64) {
        match &mut self.run {
            Some((current, count)) if *current == day => *count += 1,
            run => {
                if let Some((current, count)) = run.replace((day, 1)) {
                    *self.activity.entry(current).or_insert(0) += count;
                }
            }
        }
    }

    /// Linked dated records per UTC day (days since 1970-01-01), by day.
    pub fn activity(&self) -> Vec<(i64, u64)> {
        let mut days = self.activity.clone();
        if let Some((day, count)) = self.run {
            *days.entry(day).or_insert(0) += count;
        }
        let mut days: Vec<(i64, u64)> = days.into_iter().collect();
        days.sort_unstable();
        days
    }

    fn layer_id(&mut self, name: &str) -> Result<u16> {
        let id = self.layers.intern(name.trim())?;
        self.sync_layer_selection()?;
        Ok(id as u16)
    }

    /// Decides, for each layer interned since the last call, whether the
    /// selection keeps it.
    fn sync_layer_selection(&mut self) -> Result<()> {
        if self.layers.len() > usize::from(u16::MAX) + 1 {
            return Err(Error::TooManyLayers);
        }
        while self.layer_selected.len() < self.layers.len() {
            let name = self.layers.resolve(self.layer_selected.len() as u32);
            let selected = match &self.selection.layers {
                Some(layers) => layers.iter().any(|l| l == name),
                None => true,
            };
            self.layer_selected.push(selected);
        }
        Ok(())
    }

    fn count_country(&mut self, identifier: u32, country: Option<&str>) -> Result<()> {
        let Some(country) = country.map(str::trim).filter(|c| !c.is_empty()) else {
            return Ok(());
        };
        let country = self.countries.intern(country)?;
        *self.country_counts.entry((identifier, country)).or_insert(0) += 1;
        Ok(())
    }

    fn overflow(&self, source: u32, target: u32) -> Error {
        Error::AmountOverflow {
            source: self.identifiers.resolve(source).to_owned(),
            target: self.identifiers.resolve(target).to_owned(),
        }
    }

    /// Number of distinct identifier-level links so far.
    pub fn link_count(&self) -> usize {
        self.links.len()
    }

    /// Number of distinct identifiers so far.
    pub fn identifier_count(&self) -> usize {
        self.identifiers.len()
    }

    /// Approximate heap bytes held: identifier, layer and country tables and
    /// the link and country-count maps (for memory reports).
    pub fn approx_heap_bytes(&self) -> usize {
        let entry = |key: usize, value: usize| key + value + 1;
        let table = |interner: &Interner| interner.iter().map(str::len).sum::<usize>() + interner.len() * 13;
        table(&self.identifiers)
            + table(&self.layers)
            + table(&self.countries)
            + self.links.capacity() * entry(size_of::<LinkKey>(), size_of::<LinkStats>())
            + self.country_counts.capacity() * entry(8, 8)
    }

    /// Renames (pseudonymises) every identifier with `rename`; links and
    /// counts stay as they are.
    ///
    /// # Errors
    /// [`Error::RenameCollision`] if two identifiers get the same name.
    pub fn rename_identifiers(&mut self, rename: &mut dyn FnMut(&str) -> String) -> Result<()> {
        self.identifiers = self.identifiers.renamed(rename)?;
        Ok(())
    }

    /// The identifiers seen, in canonical form.
    pub fn identifiers(&self) -> impl Iterator<Item = &str> {
        self.identifiers.iter()
    }

    /// Where the records added so far went.
    pub fn counts(&self) -> RecordCounts {
        self.counts
    }

    /// Folds `other` into `self`. Cost proportional to `other`'s distinct
    /// identifiers and links, not to its records (save the evidence, when
    /// kept: one origin per linked record).
    pub fn merge(&mut self, other: LinkAggregator) -> Result<()> {
        for (day, count) in other.activity() {
            *self.activity.entry(day).or_insert(0) += count;
        }
        let ids = remap(&mut self.identifiers, &other.identifiers)?;
        let layers = remap(&mut self.layers, &other.layers)?;
        self.sync_layer_selection()?;
        let countries = remap(&mut self.countries, &other.countries)?;
        let remap_key = |(s, t, l): LinkKey| (ids[s as usize], ids[t as usize], layers[l as usize] as u16);
        if let Some(theirs) = other.evidence {
            let ours = self.evidence.get_or_insert_with(Vec::new);
            ours.extend(theirs.into_iter().map(|o| Origin { link: remap_key(o.link), ..o }));
        }
        self.links.reserve(other.links.len());
        for (link, stats) in other.links {
            let key = remap_key(link);
            if !add_link(&mut self.links, key, &stats) {
                return Err(self.overflow(key.0, key.1));
            }
        }
        for ((identifier, country), n) in other.country_counts {
            *self.country_counts.entry((ids[identifier as usize], countries[country as usize])).or_insert(0) += n;
        }
        self.counts.add(&other.counts);
        Ok(())
    }
}

/// Interns every key of `from` into `into`; returns the new id of each old id.
fn remap(into: &mut Interner, from: &Interner) -> Result<Vec<u32>> {
    from.iter().map(|key| into.intern(key)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Fixed;

    fn record<'a>(source: &'a str, target: &'a str, layer: &'a str, time: i64) -> Record<'a> {
        Record {
            source,
            target,
            layer,
            time: Some(time),
            duration_ms: 1000,
            amount: Fixed(0),
            weight: Fixed::ONE,
            source_country: None,
            target_country: None,
        }
    }

    #[test]
    fn selection_filters_and_counts_balance() {
        let selection = Selection { from: Some(10), to: Some(20), layers: Some(vec!["call".into()]) };
        let mut agg = LinkAggregator::new(selection);
        let outcomes: Vec<Outcome> = [
            record("a", "b", "call", 10),
            record("a", "b", "call", 20),
            record("a", "b", "sms", 15),
            record("a", " a ", "call", 15),
            record("b", "a", "call", 19),
        ]
        .iter()
        .map(|r| agg.add(r).unwrap())
        .collect();
        assert_eq!(
            outcomes,
            [Outcome::Linked, Outcome::OutsideWindow, Outcome::LayerNotSelected, Outcome::SelfContact, Outcome::Linked]
        );
        assert_eq!(agg.counts().total(), 5);
        assert_eq!(agg.link_count(), 2);
    }

    #[test]
    fn merge_equals_single_pass() {
        let records: Vec<Record<'_>> = (0..100)
            .map(|i| record(["a", "b", "c"][i % 3], ["b", "c", "d", "a"][i % 4], ["call", "sms"][i % 2], i as i64))
            .collect();
        let mut single = LinkAggregator::new(Selection::default());
        for r in &records {
            single.add(r).unwrap();
        }
        let mut left = LinkAggregator::new(Selection::default());
        let mut right = LinkAggregator::new(Selection::default());
        for r in &records[..37] {
            right.add(r).unwrap();
        }
        for r in &records[37..] {
            left.add(r).unwrap();
        }
        left.merge(right).unwrap();
        assert_eq!(left.counts(), single.counts());
        assert_eq!(left.link_count(), single.link_count());
        for ((s, t, l), stats) in &single.links {
            let key = |agg: &LinkAggregator, id: u32| agg.identifiers.get(single.identifiers.resolve(id)).unwrap();
            let layer = left.layers.get(single.layers.resolve(u32::from(*l))).unwrap() as u16;
            assert_eq!(left.links[&(key(&left, *s), key(&left, *t), layer)], *stats);
        }
    }
}
