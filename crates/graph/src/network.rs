//! The multilayer link network: entities (or unresolved identifiers) joined
//! by per-layer links carrying the totals of their records.

use rustc_hash::FxHashMap;

use crate::aggregate::{LinkAggregator, Origin, RecordCounts};
use crate::csr::{Direction, Graph};
use crate::entities::Entities;
use crate::error::{Error, Result};
use crate::interner::Interner;
use crate::record::{LinkStats, WeightKind, add_link};

/// Links in columns, sorted by (source, target, layer); one row per distinct triple.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Links {
    /// Source node ids.
    pub source: Vec<u32>,
    /// Target node ids.
    pub target: Vec<u32>,
    /// Layer ids, indices into [`LinkNetwork::layers`].
    pub layer: Vec<u16>,
    /// Totals of the records behind each link.
    pub stats: Vec<LinkStats>,
}

impl Links {
    /// Number of links.
    pub fn len(&self) -> usize {
        self.source.len()
    }

    /// Whether there is no link.
    pub fn is_empty(&self) -> bool {
        self.source.is_empty()
    }
}

/// The network built from records: the input of every measure.
///
/// Node ids are assigned in the sorted order of node keys, and links are
/// sorted, so the same records give the same network whatever the order in
/// which they were read and however many threads aggregated them.
///
/// ```
/// use nexo_graph::{Direction, Entities, Fixed, LinkAggregator, LinkNetwork, Record, Selection, WeightKind};
///
/// let mut entities = Entities::new(vec![]);
/// entities.add("+34600000001", "ANA").unwrap();
/// entities.add("+34600000002", "ANA").unwrap(); // Ana's second phone
/// let mut agg = LinkAggregator::new(Selection::default());
/// let call = |source, target| Record {
///     source, target, layer: "call", time: None, duration_ms: 0, amount: Fixed(0),
///     weight: Fixed::ONE, source_country: None, target_country: None,
/// };
/// agg.add(&call("+34600000001", "+57300000009")).unwrap();
/// agg.add(&call("+34600000002", "+57300000009")).unwrap();
/// agg.add(&call("+34600000001", "+34600000002")).unwrap(); // Ana calls herself
/// let network = LinkNetwork::build(agg, entities).unwrap();
/// assert_eq!(network.node_count(), 2);
/// assert_eq!(network.counts().self_contacts, 1);
/// let graph = network.graph(Direction::Directed, WeightKind::Count).unwrap();
/// let ana = network.node_id("ANA").unwrap();
/// assert_eq!(graph.out_strength(ana), 2.0);
/// ```
#[derive(Debug, Clone)]
pub struct LinkNetwork {
    keys: Interner,
    /// The entity of each node, `None` for an unresolved identifier.
    entity: Vec<Option<u32>>,
    /// Distinct identifiers of each node seen in the records.
    identifiers: Vec<u32>,
    /// Most frequent country the records give for each node's identifiers.
    observed_country: Vec<Option<Box<str>>>,
    entities: Entities,
    layers: Vec<String>,
    links: Links,
    counts: RecordCounts,
    activity: Vec<(i64, u64)>,
    evidence: Option<Evidence>,
}

/// The evidence trail: each linked record's link and place in the input,
/// sorted by link, then part, then line. Kept when the aggregator was
/// asked to ([`LinkAggregator::keep_evidence`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// Index of the link in [`LinkNetwork::links`].
    pub link: Vec<u32>,
    /// Input part, as numbered by the caller of [`LinkAggregator::add_from`].
    pub part: Vec<u32>,
    /// Line (or row) in that part.
    pub line: Vec<u64>,
    /// Every identifier seen in the records, in canonical form, with its
    /// node, sorted by node then identifier.
    pub identifiers: Vec<(u32, String)>,
}

impl LinkNetwork {
    /// Resolves the identifiers of `aggregated` to entities and sums their
    /// links into links between nodes. Records between two identifiers of the
    /// same entity become self-contacts: dropped and counted.
    ///
    /// Cost linear in the aggregated identifiers and links, plus sorting them.
    ///
    /// # Errors
    /// [`Error::TooManyNodes`] and [`Error::AmountOverflow`].
    pub fn build(aggregated: LinkAggregator, entities: Entities) -> Result<Self> {
        let (keys, node_of, entity) = resolve_nodes(&aggregated, &entities)?;
        let mut identifiers = vec![0u32; keys.len()];
        for (identifier, &node) in aggregated.identifiers.iter().zip(&node_of) {
            // An entity key used directly in link records is not one of its identifiers.
            let names_entity = entity[node as usize].is_some() && entities.owner(identifier).is_none();
            if !names_entity {
                identifiers[node as usize] += 1;
            }
        }
        let observed_country = observed_countries(&aggregated, &node_of, keys.len());
        let (layers, layer_of) = sorted_layers(&aggregated);
        let mut counts = aggregated.counts;
        let links = node_links(&aggregated, &node_of, &layer_of, &keys, &mut counts)?;
        let activity = aggregated.activity();
        let evidence = aggregated.evidence.as_ref().map(|origins| {
            let mut trail = evidence(origins, &node_of, &layer_of, &links);
            // As in `identifiers`: an entity key used directly in link records is not one of its identifiers.
            trail.identifiers = aggregated
                .identifiers
                .iter()
                .zip(&node_of)
                .filter(|(id, node)| entity[**node as usize].is_none() || entities.owner(id).is_some())
                .map(|(id, &node)| (node, id.to_owned()))
                .collect();
            trail.identifiers.sort_unstable();
            trail
        });
        Ok(Self { keys, entity, identifiers, observed_country, entities, layers, links, counts, activity, evidence })
    }

    /// The evidence trail, if the records were read keeping it.
    pub fn evidence(&self) -> Option<&Evidence> {
        self.evidence.as_ref()
    }

    /// Linked dated records per UTC day (days since 1970-01-01), by day.
    /// Records between two identifiers of one entity count here too.
    pub fn activity(&self) -> &[(i64, u64)] {
        &self.activity
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.keys.len()
    }

    /// The key of node `id`: the entity key, or the canonical identifier of an
    /// unresolved identifier.
    pub fn node_key(&self, id: u32) -> &str {
        self.keys.resolve(id)
    }

    /// The id of the node with key `key`.
    pub fn node_id(&self, key: &str) -> Option<u32> {
        self.keys.get(key)
    }

    /// The entity of node `id`, if its identifiers were resolved.
    pub fn node_entity(&self, id: u32) -> Option<u32> {
        self.entity[id as usize]
    }

    /// Entity attribute `column` of node `id` (see [`Entities::column_names`]).
    pub fn node_attribute(&self, id: u32, column: usize) -> Option<&str> {
        self.entity[id as usize].and_then(|e| self.entities.attribute(e, column))
    }

    /// The node's country: from the entities table, else the one its records
    /// give most often (ties to the alphabetically first).
    pub fn node_country(&self, id: u32) -> Option<&str> {
        self.node_attribute(id, Entities::COUNTRY).or(self.observed_country[id as usize].as_deref())
    }

    /// Distinct identifiers of node `id` that appear in the records.
    pub fn node_identifiers(&self, id: u32) -> u32 {
        self.identifiers[id as usize]
    }

    /// The entities table the network was resolved with.
    pub fn entities(&self) -> &Entities {
        &self.entities
    }

    /// Layer names, sorted; a link's layer id indexes this.
    pub fn layers(&self) -> &[String] {
        &self.layers
    }

    /// The links, sorted by (source, target, layer).
    pub fn links(&self) -> &Links {
        &self.links
    }

    /// Where the records went; `self_contacts` includes records between two
    /// identifiers of one entity.
    pub fn counts(&self) -> RecordCounts {
        self.counts
    }

    /// The graph of all layers, weighted by `weight`. Directed: one arc per
    /// ordered pair, weight summed over layers. Undirected: one edge per pair,
    /// `w(u, v) + w(v, u)`.
    pub fn graph(&self, direction: Direction, weight: WeightKind) -> Result<Graph> {
        let weights: Vec<f64> = self.links.stats.iter().map(|s| s.weight_as(weight)).collect();
        Graph::from_edges(self.node_count(), &self.links.source, &self.links.target, &weights, direction)
    }
}

/// The node of each identifier, node keys in sorted order, and each node's entity.
fn resolve_nodes(aggregated: &LinkAggregator, entities: &Entities) -> Result<(Interner, Vec<u32>, Vec<Option<u32>>)> {
    let mut unsorted = Interner::new();
    let mut entity_of_unsorted = Vec::new();
    let mut node_of = Vec::with_capacity(aggregated.identifiers.len());
    for identifier in aggregated.identifiers.iter() {
        let entity = entities.resolve(identifier);
        let key = entity.map_or(identifier, |e| entities.key(e));
        let node = unsorted.intern(key)?;
        if node as usize == entity_of_unsorted.len() {
            entity_of_unsorted.push(entity);
        }
        node_of.push(node);
    }
    let mut order: Vec<u32> = (0..unsorted.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| unsorted.resolve(a).cmp(unsorted.resolve(b)));
    let mut rank = vec![0u32; order.len()];
    let mut keys = Interner::with_capacity(order.len());
    let mut entity = Vec::with_capacity(order.len());
    for (new, &old) in order.iter().enumerate() {
        rank[old as usize] = new as u32;
        keys.intern(unsorted.resolve(old))?;
        entity.push(entity_of_unsorted[old as usize]);
    }
    for node in &mut node_of {
        *node = rank[*node as usize];
    }
    Ok((keys, node_of, entity))
}

fn observed_countries(aggregated: &LinkAggregator, node_of: &[u32], nodes: usize) -> Vec<Option<Box<str>>> {
    let mut per_node: FxHashMap<(u32, u32), u64> = FxHashMap::default();
    for (&(identifier, country), &n) in &aggregated.country_counts {
        *per_node.entry((node_of[identifier as usize], country)).or_insert(0) += n;
    }
    let mut best: Vec<Option<(u64, &str)>> = vec![None; nodes];
    for ((node, country), n) in per_node {
        let name = aggregated.countries.resolve(country);
        let slot = &mut best[node as usize];
        let better = match *slot {
            None => true,
            Some((m, other)) => n > m || (n == m && name < other),
        };
        if better {
            *slot = Some((n, name));
        }
    }
    best.into_iter().map(|b| b.map(|(_, name)| name.into())).collect()
}

/// Layer names in sorted order, and the sorted id of each aggregator layer id.
fn sorted_layers(aggregated: &LinkAggregator) -> (Vec<String>, Vec<u16>) {
    let mut layers: Vec<String> = aggregated.layers.iter().map(String::from).collect();
    layers.sort_unstable();
    let layer_of = aggregated
        .layers
        .iter()
        .map(|name| layers.binary_search_by(|l| l.as_str().cmp(name)).unwrap_or_default() as u16)
        .collect();
    (layers, layer_of)
}

/// The origins of the records, moved from identifier links to node links
/// (records that became self-contacts have no link and are left out).
fn evidence(origins: &[Origin], node_of: &[u32], layer_of: &[u16], links: &Links) -> Evidence {
    use rayon::prelude::*;
    let link_of = |(s, t, l): (u32, u32, u16)| {
        let key = (node_of[s as usize], node_of[t as usize], layer_of[l as usize]);
        let (mut low, mut high) = (0, links.len());
        while low < high {
            let mid = (low + high) / 2;
            match (links.source[mid], links.target[mid], links.layer[mid]).cmp(&key) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Some(mid as u32),
            }
        }
        None
    };
    let mut rows: Vec<(u32, u32, u64)> =
        origins.par_iter().filter_map(|o| link_of(o.link).map(|link| (link, o.part, o.line))).collect();
    rows.par_sort_unstable();
    Evidence {
        link: rows.iter().map(|r| r.0).collect(),
        part: rows.iter().map(|r| r.1).collect(),
        line: rows.iter().map(|r| r.2).collect(),
        identifiers: Vec::new(),
    }
}

fn node_links(
    aggregated: &LinkAggregator,
    node_of: &[u32],
    layer_of: &[u16],
    keys: &Interner,
    counts: &mut RecordCounts,
) -> Result<Links> {
    let mut merged: FxHashMap<(u32, u32, u16), LinkStats> = FxHashMap::default();
    merged.reserve(aggregated.links.len());
    for (&(s, t, l), stats) in &aggregated.links {
        let (s, t) = (node_of[s as usize], node_of[t as usize]);
        if s == t {
            counts.linked -= stats.records;
            counts.self_contacts += stats.records;
            continue;
        }
        let key = (s, t, layer_of[l as usize]);
        if !add_link(&mut merged, key, stats) {
            return Err(Error::AmountOverflow {
                source: keys.resolve(s).to_owned(),
                target: keys.resolve(t).to_owned(),
            });
        }
    }
    let mut rows: Vec<((u32, u32, u16), LinkStats)> = merged.into_iter().collect();
    rows.sort_unstable_by_key(|&(key, _)| key);
    let mut links = Links::default();
    for ((s, t, l), stats) in rows {
        links.source.push(s);
        links.target.push(t);
        links.layer.push(l);
        links.stats.push(stats);
    }
    Ok(links)
}
