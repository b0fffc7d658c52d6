//! Reading the identifier -> entity tables.

use nexo_graph::Entities;

use crate::cells::{ArrowRows, CsvRows, Rows};
use crate::error::Result;
use crate::input::{Format, InputPart, Layout, csv_header, parquet_builder, parquet_layout};
use crate::reject::Rejection;
use crate::scan::{PartReport, ScanOptions, csv_reader, fill, malformed};
use crate::schema::TableKind;
use crate::value;

/// Index of the first attribute field (`label`) in the entities fields.
const FIRST_ATTRIBUTE: usize = 2;

/// Reads the entities parts in order into one table. Rows with an empty
/// identifier or entity, and identifiers already given to another entity,
/// are rejected. Extra columns become extra attributes, in order of first
/// appearance.
pub(crate) fn read_entities(
    parts: &[&InputPart],
    options: &ScanOptions,
    rejections: &mut Vec<Rejection>,
    reports: &mut Vec<PartReport>,
) -> Result<Entities> {
    let mut layouts = Vec::with_capacity(parts.len());
    let mut extra: Vec<String> = Vec::new();
    let fixed = TableKind::Entities.fields().len();
    for part in parts {
        let layout = match part.format {
            Format::Csv => {
                let (header, _) = csv_header(&part.path)?;
                Layout::resolve(TableKind::Entities, &options.profile, &header, &part.path, true)?
            }
            Format::Parquet => {
                let builder = parquet_builder(&part.path)?;
                parquet_layout(TableKind::Entities, &options.profile, &builder, &part.path, true)?.0
            }
        };
        for name in &layout.names[fixed..] {
            if !extra.contains(name) {
                extra.push(name.clone());
            }
        }
        layouts.push(layout);
    }
    let mut entities = Entities::new(extra.clone());
    for (part, layout) in parts.iter().zip(&layouts) {
        // Attribute column of each field from `label` on, in the table.
        let attribute_of: Vec<usize> = (FIRST_ATTRIBUTE..layout.names.len())
            .map(|field| match field < fixed {
                true => field - FIRST_ATTRIBUTE,
                false => 3 + extra.iter().position(|e| *e == layout.names[field]).unwrap_or_default(),
            })
            .collect();
        let mut reader =
            EntityReader { options, part, layout, attribute_of: &attribute_of, entities: &mut entities, rejections };
        let before = reader.rejections.len();
        let rows_read = match part.format {
            Format::Csv => reader.read_csv()?,
            Format::Parquet => reader.read_parquet()?,
        };
        let rows_rejected = (rejections.len() - before) as u64;
        if options.strict && rows_rejected > 0 {
            return Err(crate::Error::BadRow(Box::new(rejections[before].clone())));
        }
        reports.push(PartReport { part: (*part).clone(), rows_read, rows_rejected });
    }
    Ok(entities)
}

struct EntityReader<'a> {
    options: &'a ScanOptions,
    part: &'a InputPart,
    layout: &'a Layout,
    attribute_of: &'a [usize],
    entities: &'a mut Entities,
    rejections: &'a mut Vec<Rejection>,
}

impl EntityReader<'_> {
    fn read_csv(&mut self) -> Result<u64> {
        let path = &self.part.path;
        let (_, delimiter) = csv_header(path)?;
        let mut reader = csv_reader(path, delimiter)?;
        let mut records = vec![csv::ByteRecord::new(); 4096];
        let mut total = 0;
        loop {
            let filled = fill(&mut reader, &mut records, path)?;
            if filled == 0 {
                return Ok(total);
            }
            let rows = CsvRows { records: &records[..filled], columns: &self.layout.columns, width: self.layout.width };
            self.add_rows(&rows);
            total += filled as u64;
        }
    }

    fn read_parquet(&mut self) -> Result<u64> {
        let path = &self.part.path;
        let builder = parquet_builder(path)?;
        let (layout, mask) = parquet_layout(TableKind::Entities, &self.options.profile, &builder, path, true)?;
        let reader = builder.with_projection(mask).build().map_err(|e| malformed(path, e.to_string()))?;
        let mut total = 0;
        for batch in reader {
            let batch = batch.map_err(|e| malformed(path, e.to_string()))?;
            let rows = ArrowRows::new(&batch, &layout.columns, total);
            self.add_rows(&rows);
            total += batch.num_rows() as u64;
        }
        Ok(total)
    }

    fn add_rows<R: Rows>(&mut self, rows: &R) {
        let (mut identifier, mut entity, mut attribute) = (String::new(), String::new(), String::new());
        for row in 0..rows.len() {
            let reject = |column: &str, reason: String, value: String| Rejection {
                file: self.part.path.display().to_string(),
                line: rows.line(row),
                column: column.to_owned(),
                reason,
                value,
            };
            if let Some(problem) = rows.row_problem(row) {
                self.rejections.push(reject("", problem, String::new()));
                continue;
            }
            let id = value::identifier(rows.cell(row, 0), &mut identifier).map(str::to_owned);
            let owner =
                value::text(rows.cell(row, 1), &mut entity).and_then(|e| e.ok_or("empty entity")).map(str::to_owned);
            let (id, owner) = match (id, owner) {
                (Err(reason), _) => {
                    self.rejections.push(reject(&self.layout.names[0], reason.to_owned(), rows.cell(row, 0).display()));
                    continue;
                }
                (_, Err(reason)) => {
                    self.rejections.push(reject(&self.layout.names[1], reason.to_owned(), rows.cell(row, 1).display()));
                    continue;
                }
                (Ok(id), Ok(owner)) => (id, owner),
            };
            let entity_id = match self.entities.add(&id, &owner) {
                Ok(entity_id) => entity_id,
                Err(conflict) => {
                    self.rejections.push(reject(&self.layout.names[0], conflict.to_string(), id));
                    continue;
                }
            };
            for (offset, &column) in self.attribute_of.iter().enumerate() {
                if let Ok(Some(text)) = value::text(rows.cell(row, FIRST_ATTRIBUTE + offset), &mut attribute) {
                    self.entities.set_attribute(entity_id, column, text);
                }
            }
        }
    }
}
