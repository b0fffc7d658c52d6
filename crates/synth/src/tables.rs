//! A chunk's rows as Arrow record batches, in the input schemas `nexo
//! analyze` reads, plus the truth tables.

use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Float64Builder, Int64Builder, StringBuilder, TimestampMicrosecondBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use rustc_hash::FxHashMap;

use crate::ident::EntityKey;
use crate::records::{Chunk, Truth};
use crate::world::COUNTRIES;

/// The tables a case is written as: file stem (under the case directory)
/// and schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// `calls`: source, target, start, duration_s, kind.
    Calls,
    /// `transfers`: source, target, time, amount, currency.
    Transfers,
    /// `entities`: the analyst's identifier -> entity table (resolved
    /// identifiers only).
    Entities,
    /// `truth/entities`: every person and company, with organisation and role.
    TruthEntities,
    /// `truth/identifiers`: every identifier, with its true owner.
    TruthIdentifiers,
}

impl Table {
    /// All tables, in writing order.
    pub const ALL: [Table; 5] =
        [Table::Calls, Table::Transfers, Table::Entities, Table::TruthEntities, Table::TruthIdentifiers];

    /// Path of the table under the case directory, without extension.
    pub fn stem(self) -> &'static str {
        match self {
            Table::Calls => "calls",
            Table::Transfers => "transfers",
            Table::Entities => "entities",
            Table::TruthEntities => "truth/entities",
            Table::TruthIdentifiers => "truth/identifiers",
        }
    }

    /// The Arrow schema.
    pub fn schema(self) -> SchemaRef {
        let text = |name: &str| Field::new(name, DataType::Utf8, false);
        let time = |name: &str| Field::new(name, DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())), false);
        let fields = match self {
            Table::Calls => vec![
                text("source"),
                text("target"),
                time("start"),
                Field::new("duration_s", DataType::Int64, false),
                text("kind"),
            ],
            Table::Transfers => vec![
                text("source"),
                text("target"),
                time("time"),
                Field::new("amount", DataType::Float64, false),
                text("currency"),
            ],
            Table::Entities => vec![text("identifier"), text("entity"), text("label"), text("kind"), text("country")],
            Table::TruthEntities => vec![
                text("entity"),
                text("kind"),
                text("label"),
                text("country"),
                text("region"),
                Field::new("organisation", DataType::Utf8, true),
                text("role"),
                text("cell"),
                text("group"),
            ],
            Table::TruthIdentifiers => vec![
                text("identifier"),
                text("kind"),
                text("owner"),
                Field::new("shared_with", DataType::Utf8, true),
                Field::new("resolved", DataType::Boolean, false),
            ],
        };
        Arc::new(Schema::new(fields))
    }

    /// The rows of `chunk` for this table.
    pub fn batch(self, chunk: &Chunk) -> RecordBatch {
        let columns = match self {
            Table::Calls => calls(chunk),
            Table::Transfers => transfers(chunk),
            Table::Entities => entities(chunk),
            Table::TruthEntities => truth_entities(&chunk.truth),
            Table::TruthIdentifiers => truth_identifiers(chunk),
        };
        // The builders above follow the schema field by field.
        RecordBatch::try_new(self.schema(), columns).expect("columns match the table's schema")
    }
}

/// The name of organisation `n`: `ORG-01`.
pub fn organisation_name(n: u32) -> String {
    format!("ORG-{:02}", n + 1)
}

/// Appends the text `write` produces, through the reused buffer `buf`.
fn append_text(builder: &mut StringBuilder, buf: &mut String, write: impl FnOnce(&mut String)) {
    buf.clear();
    write(buf);
    builder.append_value(buf.as_str());
}

fn text_builder(rows: usize, bytes_per_row: usize) -> StringBuilder {
    StringBuilder::with_capacity(rows, rows * bytes_per_row)
}

fn calls(chunk: &Chunk) -> Vec<ArrayRef> {
    let n = chunk.calls.len();
    let (mut source, mut target) = (text_builder(n, 14), text_builder(n, 14));
    let mut start = TimestampMicrosecondBuilder::with_capacity(n).with_timezone("UTC");
    let (mut duration, mut kind) = (Int64Builder::with_capacity(n), text_builder(n, 4));
    let mut buf = String::with_capacity(32);
    for call in &chunk.calls {
        append_text(&mut source, &mut buf, |b| call.source.write(b));
        append_text(&mut target, &mut buf, |b| call.target.write(b));
        start.append_value(call.start);
        duration.append_value(call.duration_s);
        kind.append_value(if call.sms { "sms" } else { "call" });
    }
    vec![
        Arc::new(source.finish()),
        Arc::new(target.finish()),
        Arc::new(start.finish()),
        Arc::new(duration.finish()),
        Arc::new(kind.finish()),
    ]
}

fn transfers(chunk: &Chunk) -> Vec<ArrayRef> {
    let n = chunk.transfers.len();
    let (mut source, mut target) = (text_builder(n, 26), text_builder(n, 26));
    let mut time = TimestampMicrosecondBuilder::with_capacity(n).with_timezone("UTC");
    let (mut amount, mut currency) = (Float64Builder::with_capacity(n), text_builder(n, 3));
    let mut buf = String::with_capacity(40);
    for transfer in &chunk.transfers {
        append_text(&mut source, &mut buf, |b| transfer.source.write(b));
        append_text(&mut target, &mut buf, |b| transfer.target.write(b));
        time.append_value(transfer.time);
        amount.append_value(transfer.cents as f64 / 100.0);
        currency.append_value(transfer.currency);
    }
    vec![
        Arc::new(source.finish()),
        Arc::new(target.finish()),
        Arc::new(time.finish()),
        Arc::new(amount.finish()),
        Arc::new(currency.finish()),
    ]
}

fn entities(chunk: &Chunk) -> Vec<ArrayRef> {
    let truth: FxHashMap<EntityKey, &Truth> = chunk.truth.iter().map(|t| (t.key, t)).collect();
    let rows: Vec<_> = chunk.identifiers.iter().filter(|o| o.resolved).collect();
    let n = rows.len();
    let (mut identifier, mut entity, mut label) = (text_builder(n, 20), text_builder(n, 9), text_builder(n, 20));
    let (mut kind, mut country) = (text_builder(n, 6), text_builder(n, 2));
    let mut buf = String::with_capacity(40);
    for owned in rows {
        append_text(&mut identifier, &mut buf, |b| owned.ident.write(b));
        append_text(&mut entity, &mut buf, |b| owned.owner.write(b));
        let owner = truth.get(&owned.owner);
        label.append_value(owner.map_or("", |t| t.label.as_str()));
        kind.append_value(owned.owner.kind());
        country.append_value(owner.map_or("", |t| COUNTRIES[usize::from(t.country)].code));
    }
    vec![
        Arc::new(identifier.finish()),
        Arc::new(entity.finish()),
        Arc::new(label.finish()),
        Arc::new(kind.finish()),
        Arc::new(country.finish()),
    ]
}

fn truth_entities(rows: &[Truth]) -> Vec<ArrayRef> {
    let n = rows.len();
    let (mut entity, mut kind, mut label) = (text_builder(n, 9), text_builder(n, 6), text_builder(n, 20));
    let (mut country, mut region, mut organisation) = (text_builder(n, 2), text_builder(n, 13), text_builder(n, 0));
    let (mut role, mut cell, mut group) = (text_builder(n, 4), text_builder(n, 4), text_builder(n, 12));
    let mut buf = String::with_capacity(24);
    for row in rows {
        append_text(&mut entity, &mut buf, |b| row.key.write(b));
        kind.append_value(row.key.kind());
        label.append_value(&row.label);
        let place = &COUNTRIES[usize::from(row.country)];
        country.append_value(place.code);
        region.append_value(place.region.name());
        let org = row.organisation.map(organisation_name);
        organisation.append_option(org.as_deref());
        role.append_value(row.role);
        cell.append_value(row.cell);
        match org {
            Some(org) => group.append_value(org),
            None => group.append_value(format!("town-{:06}", row.town)),
        }
    }
    vec![
        Arc::new(entity.finish()),
        Arc::new(kind.finish()),
        Arc::new(label.finish()),
        Arc::new(country.finish()),
        Arc::new(region.finish()),
        Arc::new(organisation.finish()),
        Arc::new(role.finish()),
        Arc::new(cell.finish()),
        Arc::new(group.finish()),
    ]
}

fn truth_identifiers(chunk: &Chunk) -> Vec<ArrayRef> {
    let n = chunk.identifiers.len();
    let (mut identifier, mut kind, mut owner) = (text_builder(n, 20), text_builder(n, 8), text_builder(n, 9));
    let (mut shared, mut resolved) = (text_builder(n, 0), BooleanBuilder::with_capacity(n));
    let mut buf = String::with_capacity(40);
    for row in &chunk.identifiers {
        append_text(&mut identifier, &mut buf, |b| row.ident.write(b));
        kind.append_value(row.kind.name());
        append_text(&mut owner, &mut buf, |b| row.owner.write(b));
        shared.append_option(row.shared_with.map(EntityKey::text));
        resolved.append_value(row.resolved);
    }
    vec![
        Arc::new(identifier.finish()),
        Arc::new(kind.finish()),
        Arc::new(owner.finish()),
        Arc::new(shared.finish()),
        Arc::new(resolved.finish()),
    ]
}
