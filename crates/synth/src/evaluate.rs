//! Scoring an analysis against the ground truth of a generated case:
//! agreement of communities with the true organisations, and how well each
//! ranking nexo produces puts the leaders, the brokers and the members of
//! organisations at the top.

use rustc_hash::FxHashMap;
use serde::Serialize;

/// What the truth says about one person or company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrueEntity {
    /// Organisation, or `None` for the background.
    pub organisation: Option<String>,
    /// Role (`leader`, `broker`, ..., `none`).
    pub role: String,
    /// Organisation for members, local community (town) for the others.
    pub group: String,
}

/// The ground truth, indexed for lookups.
#[derive(Debug, Default)]
pub struct TruthIndex {
    entities: FxHashMap<String, TrueEntity>,
    owners: FxHashMap<String, String>,
}

impl TruthIndex {
    /// Adds entity `key`.
    pub fn add_entity(&mut self, key: String, entity: TrueEntity) {
        self.entities.insert(key, entity);
    }

    /// Records that `identifier` belongs to entity `owner`.
    pub fn add_identifier(&mut self, identifier: String, owner: String) {
        self.owners.insert(identifier, owner);
    }

    /// The true entity behind node `node`: the node itself when it is an
    /// entity, else the owner of the identifier it is.
    pub fn resolve(&self, node: &str) -> Option<(&str, &TrueEntity)> {
        if let Some((key, entity)) = self.entities.get_key_value(node) {
            return Some((key.as_str(), entity));
        }
        let owner = self.owners.get(node)?;
        self.entities.get_key_value(owner.as_str()).map(|(k, e)| (k.as_str(), e))
    }

    /// How many entities have role `role`.
    pub fn count_role(&self, role: &str) -> usize {
        self.entities.values().filter(|e| e.role == role).count()
    }
}

/// A result column to score: a partition (integer ids) or a ranking.
#[derive(Debug, Clone)]
pub enum Column {
    /// Community ids; `None` where a node has none.
    Partition(Vec<Option<i64>>),
    /// Scores, higher first; `None` where not computed.
    Ranking(Vec<Option<f64>>),
}

/// Agreement of one partition with the truth.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartitionScore {
    /// The column scored.
    pub column: String,
    /// `criminals` (nodes of organisation members, against the
    /// organisations) or `everyone` (against organisations and towns).
    pub scope: &'static str,
    /// Nodes compared.
    pub nodes: usize,
    /// Normalised mutual information (arithmetic mean normalisation); null
    /// when fewer than two nodes are compared.
    pub nmi: Option<f64>,
    /// Adjusted Rand index; null when fewer than two nodes are compared.
    pub ari: Option<f64>,
}

/// How one ranking places the truth's people at its top.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankingScore {
    /// The column ranked (descending).
    pub column: String,
    /// Length of the top.
    pub k: usize,
    /// Share of the top-k nodes that belong to a leader.
    pub leader_precision: f64,
    /// Share of the leaders with a node in the top k.
    pub leader_recall: f64,
    /// Share of the top-k nodes that belong to a broker.
    pub broker_precision: f64,
    /// Share of the brokers with a node in the top k.
    pub broker_recall: f64,
    /// Share of the top-k nodes that belong to any organisation member.
    pub member_share: f64,
}

/// The whole evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// Nodes in the results.
    pub nodes: usize,
    /// Nodes traced to a true entity.
    pub matched: usize,
    /// Leaders in the truth.
    pub leaders: usize,
    /// Brokers in the truth.
    pub brokers: usize,
    /// One score per partition column and scope.
    pub partitions: Vec<PartitionScore>,
    /// One score per ranking column and k.
    pub rankings: Vec<RankingScore>,
}

/// Scores the result columns `columns` (name, values per node) of the nodes
/// `nodes` against `truth`, with tops of each length in `ks`.
pub fn evaluate(truth: &TruthIndex, nodes: &[String], columns: &[(String, Column)], ks: &[usize]) -> Evaluation {
    let resolved: Vec<Option<(&str, &TrueEntity)>> = nodes.iter().map(|n| truth.resolve(n)).collect();
    let mut evaluation = Evaluation {
        nodes: nodes.len(),
        matched: resolved.iter().flatten().count(),
        leaders: truth.count_role("leader"),
        brokers: truth.count_role("broker"),
        partitions: Vec::new(),
        rankings: Vec::new(),
    };
    for (name, column) in columns {
        match column {
            Column::Partition(ids) => {
                for scope in ["criminals", "everyone"] {
                    evaluation.partitions.push(partition_score(name, scope, &resolved, ids));
                }
            }
            Column::Ranking(scores) => {
                if scores.iter().all(Option::is_none) {
                    continue;
                }
                let order = ranking(nodes, scores);
                for &k in ks {
                    evaluation.rankings.push(ranking_score(name, k, &order, &resolved, &evaluation));
                }
            }
        }
    }
    evaluation
}

fn partition_score(
    name: &str,
    scope: &'static str,
    resolved: &[Option<(&str, &TrueEntity)>],
    ids: &[Option<i64>],
) -> PartitionScore {
    let mut labels: FxHashMap<&str, u32> = FxHashMap::default();
    let (mut truth, mut found) = (Vec::new(), Vec::new());
    for (entity, id) in resolved.iter().zip(ids) {
        let (Some((_, entity)), Some(id)) = (entity, id) else { continue };
        let label = match (scope, &entity.organisation) {
            ("criminals", Some(org)) => org.as_str(),
            ("criminals", None) => continue,
            _ => entity.group.as_str(),
        };
        let next = labels.len() as u32;
        truth.push(*labels.entry(label).or_insert(next));
        found.push(*id);
    }
    let found = relabel(&found);
    // One node or none says nothing about agreement.
    let comparable = truth.len() >= 2;
    PartitionScore {
        column: name.to_owned(),
        scope,
        nodes: truth.len(),
        nmi: comparable.then(|| nmi(&truth, &found)),
        ari: comparable.then(|| ari(&truth, &found)),
    }
}

fn relabel(ids: &[i64]) -> Vec<u32> {
    let mut map: FxHashMap<i64, u32> = FxHashMap::default();
    ids.iter()
        .map(|id| {
            let next = map.len() as u32;
            *map.entry(*id).or_insert(next)
        })
        .collect()
}

/// Node indices by descending score; missing scores last; ties by node key.
fn ranking(nodes: &[String], scores: &[Option<f64>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by(|&a, &b| {
        let key = |i: usize| scores[i].filter(|s| !s.is_nan());
        match (key(a), key(b)) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| nodes[a].cmp(&nodes[b]))
    });
    order
}

fn ranking_score(
    name: &str,
    k: usize,
    order: &[usize],
    resolved: &[Option<(&str, &TrueEntity)>],
    totals: &Evaluation,
) -> RankingScore {
    let top = &order[..k.min(order.len())];
    let entities: Vec<(&str, &TrueEntity)> = top.iter().filter_map(|&i| resolved[i]).collect();
    let share = |role: Option<&str>| {
        let hits = entities.iter().filter(|(_, e)| role.map_or(e.organisation.is_some(), |r| e.role == r)).count();
        ratio(hits, k)
    };
    let recall = |role: &str, total: usize| {
        let mut found: Vec<&str> = entities.iter().filter(|(_, e)| e.role == role).map(|(key, _)| *key).collect();
        found.sort_unstable();
        found.dedup();
        ratio(found.len(), total)
    };
    RankingScore {
        column: name.to_owned(),
        k,
        leader_precision: share(Some("leader")),
        leader_recall: recall("leader", totals.leaders),
        broker_precision: share(Some("broker")),
        broker_recall: recall("broker", totals.brokers),
        member_share: share(None),
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 / whole as f64 }
}

/// Contingency counts of two labelings of the same items.
struct Contingency {
    /// Items per (label in a, label in b).
    joint: FxHashMap<(u32, u32), u64>,
    /// Items per label of a.
    rows: FxHashMap<u32, u64>,
    /// Items per label of b.
    cols: FxHashMap<u32, u64>,
}

fn contingency(a: &[u32], b: &[u32]) -> Contingency {
    let (mut joint, mut rows, mut cols) = (FxHashMap::default(), FxHashMap::default(), FxHashMap::default());
    for (&x, &y) in a.iter().zip(b) {
        *joint.entry((x, y)).or_insert(0) += 1;
        *rows.entry(x).or_insert(0) += 1;
        *cols.entry(y).or_insert(0) += 1;
    }
    Contingency { joint, rows, cols }
}

/// Sums `f(count)` in a fixed order (sorted counts), so results do not
/// depend on hash-map iteration order.
fn sorted_sum(counts: impl Iterator<Item = u64>, f: impl Fn(f64) -> f64) -> f64 {
    let mut counts: Vec<u64> = counts.collect();
    counts.sort_unstable();
    counts.into_iter().map(|c| f(c as f64)).sum()
}

/// Normalised mutual information of two labelings, normalised by the
/// arithmetic mean of the entropies (Strehl & Ghosh 2002; scikit-learn's
/// default). 1 for identical partitions, and by convention 1 when both are a
/// single cluster.
///
/// ```
/// use nexo_synth::evaluate::nmi;
/// assert_eq!(nmi(&[0, 0, 1, 1], &[5, 5, 7, 7]), 1.0);
/// assert!(nmi(&[0, 0, 1, 1], &[0, 1, 0, 1]).abs() < 1e-12);
/// ```
pub fn nmi(a: &[u32], b: &[u32]) -> f64 {
    let n = a.len() as f64;
    if a.is_empty() {
        return 1.0;
    }
    let Contingency { joint, rows, cols } = contingency(a, b);
    let entropy = |counts: &FxHashMap<u32, u64>| -sorted_sum(counts.values().copied(), |c| c / n * (c / n).ln());
    let (ha, hb) = (entropy(&rows), entropy(&cols));
    if ha == 0.0 && hb == 0.0 {
        return 1.0;
    }
    let mut cells: Vec<(u64, u64, u64)> = joint.iter().map(|(&(x, y), &c)| (c, rows[&x], cols[&y])).collect();
    cells.sort_unstable();
    let mi: f64 = cells
        .iter()
        .map(|&(c, r, s)| {
            let c = c as f64;
            c / n * (c * n / (r as f64 * s as f64)).ln()
        })
        .sum();
    (mi / ((ha + hb) / 2.0)).clamp(0.0, 1.0)
}

/// Adjusted Rand index of two labelings (Hubert & Arabie 1985): 1 for
/// identical partitions, about 0 for independent ones.
///
/// ```
/// use nexo_synth::evaluate::ari;
/// assert_eq!(ari(&[0, 0, 1, 1], &[1, 1, 0, 0]), 1.0);
/// assert!((ari(&[0, 0, 1, 1], &[0, 1, 0, 1]) + 0.5).abs() < 1e-12);
/// ```
pub fn ari(a: &[u32], b: &[u32]) -> f64 {
    let pairs = |c: f64| c * (c - 1.0) / 2.0;
    let Contingency { joint, rows, cols } = contingency(a, b);
    let index = sorted_sum(joint.values().copied(), pairs);
    let (sum_rows, sum_cols) = (sorted_sum(rows.values().copied(), pairs), sorted_sum(cols.values().copied(), pairs));
    let total = pairs(a.len() as f64);
    if total == 0.0 {
        return 1.0;
    }
    let expected = sum_rows * sum_cols / total;
    let maximum = (sum_rows + sum_cols) / 2.0;
    if maximum == expected {
        return 1.0;
    }
    (index - expected) / (maximum - expected)
}
