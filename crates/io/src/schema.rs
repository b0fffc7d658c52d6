//! Input schemas as code: the tables nexo reads and the fields of each.

/// The kinds of input table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableKind {
    /// Call detail records and messages between phones.
    Calls,
    /// Bank transfers and remittances between accounts.
    Transfers,
    /// Other links: meetings, co-travel, shared addresses, vessel crews, ...
    Links,
    /// Identifier -> entity (person or organisation) table.
    Entities,
}

/// One logical field of an input table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The field's name, also the default column name.
    pub name: &'static str,
    /// Whether a file without this column is refused.
    pub required: bool,
    /// What the field holds.
    pub meaning: &'static str,
}

const fn field(name: &'static str, required: bool, meaning: &'static str) -> FieldSpec {
    FieldSpec { name, required, meaning }
}

const CALLS: &[FieldSpec] = &[
    field("source", true, "calling or sending identifier (phone number, IMEI, account, ...)"),
    field("target", true, "called or receiving identifier"),
    field("start", true, "start time: RFC 3339, `YYYY-MM-DD HH:MM:SS` or epoch seconds"),
    field("duration_s", false, "duration in seconds, non-negative (empty: 0)"),
    field("kind", false, "call, sms, message, ...: the record's layer (empty: call)"),
    field("source_country", false, "country of the source identifier"),
    field("target_country", false, "country of the target identifier"),
];

const TRANSFERS: &[FieldSpec] = &[
    field("source", true, "paying account or identifier"),
    field("target", true, "receiving account or identifier"),
    field("time", true, "time of the transfer"),
    field("amount", true, "amount, non-negative; `.` or a lone `,` as decimal separator"),
    field("currency", false, "ISO 4217 currency code"),
    field("source_country", false, "country of the source account"),
    field("target_country", false, "country of the target account"),
];

const LINKS: &[FieldSpec] = &[
    field("source", true, "first party (identifier or entity key)"),
    field("target", true, "second party (identifier or entity key)"),
    field("weight", false, "how many contacts the row stands for, non-negative (empty: 1)"),
    field("layer", false, "meeting, co-travel, shared-address, vessel, ...: the row's layer (empty: link)"),
    field("time", false, "when, if known"),
    field("source_country", false, "country of the first party"),
    field("target_country", false, "country of the second party"),
];

const ENTITIES: &[FieldSpec] = &[
    field("identifier", true, "phone number, IMEI, account, ... as it appears in the records"),
    field("entity", true, "the person or organisation it belongs to (its node key)"),
    field("label", false, "a readable name for the entity"),
    field("kind", false, "person, company, ..."),
    field("country", false, "the entity's country"),
];

impl TableKind {
    /// All kinds, in reading order.
    pub const ALL: [TableKind; 4] = [TableKind::Entities, TableKind::Calls, TableKind::Transfers, TableKind::Links];

    /// The table's name: `calls`, `transfers`, `links` or `entities`, also
    /// the stem of its conventional file name.
    pub fn name(self) -> &'static str {
        match self {
            TableKind::Calls => "calls",
            TableKind::Transfers => "transfers",
            TableKind::Links => "links",
            TableKind::Entities => "entities",
        }
    }

    /// The kind named `name`.
    pub fn from_name(name: &str) -> Option<TableKind> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The table's fields.
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            TableKind::Calls => CALLS,
            TableKind::Transfers => TRANSFERS,
            TableKind::Links => LINKS,
            TableKind::Entities => ENTITIES,
        }
    }

    /// The layer of a record whose layer column is absent or empty.
    pub fn default_layer(self) -> &'static str {
        match self {
            TableKind::Calls => "call",
            TableKind::Transfers => "transfer",
            TableKind::Links | TableKind::Entities => "link",
        }
    }
}
