//! One row of a records table to a [`Record`], or the field at fault.

use nexo_graph::{Fixed, Record};

use crate::cells::Rows;
use crate::schema::TableKind;
use crate::time::TimeParser;
use crate::value::{self, Reason};

/// Decodes rows of one table kind, reusing its text buffers across rows.
pub(crate) struct RowDecoder<'p> {
    kind: TableKind,
    time: &'p TimeParser,
    source: String,
    target: String,
    layer: String,
    source_country: String,
    target_country: String,
}

/// The field index at fault and why.
pub(crate) type Fault = (usize, Reason);

impl<'p> RowDecoder<'p> {
    pub(crate) fn new(kind: TableKind, time: &'p TimeParser) -> Self {
        Self {
            kind,
            time,
            source: String::new(),
            target: String::new(),
            layer: String::new(),
            source_country: String::new(),
            target_country: String::new(),
        }
    }

    /// Decodes `row` of `rows`, a chunk of a calls, transfers or links table.
    pub(crate) fn decode<R: Rows>(&mut self, rows: &R, row: usize) -> Result<Record<'_>, Fault> {
        let cell = |field| rows.cell(row, field);
        let at = |field: usize| move |reason| (field, reason);
        // Field positions follow `TableKind::fields`.
        let (time, duration_ms, amount, weight, layer_field, time_required) = match self.kind {
            TableKind::Calls => {
                let duration = value::non_negative(cell(3)).map_err(at(3))?.unwrap_or_default();
                (2, duration.0 / 10, Fixed(0), Fixed::ONE, Some(4), true)
            }
            TableKind::Transfers => {
                let amount = value::non_negative(cell(3)).map_err(at(3))?.ok_or((3, "missing amount"))?;
                value::text(cell(4), &mut self.layer).map_err(at(4))?;
                (2, 0, amount, Fixed::ONE, None, true)
            }
            TableKind::Links | TableKind::Entities => {
                let weight = value::non_negative(cell(2)).map_err(at(2))?.unwrap_or(Fixed::ONE);
                (4, 0, Fixed(0), weight, Some(3), false)
            }
        };
        let time_value = value::time(cell(time), self.time).map_err(at(time))?;
        if time_required && time_value.is_none() {
            return Err((time, "missing timestamp"));
        }
        let source = value::identifier(cell(0), &mut self.source).map_err(at(0))?;
        let target = value::identifier(cell(1), &mut self.target).map_err(at(1))?;
        let layer = match layer_field {
            Some(field) => value::text(cell(field), &mut self.layer).map_err(at(field))?,
            None => None,
        };
        let source_country = value::text(cell(5), &mut self.source_country).map_err(at(5))?;
        let target_country = value::text(cell(6), &mut self.target_country).map_err(at(6))?;
        Ok(Record {
            source,
            target,
            layer: layer.unwrap_or(self.kind.default_layer()),
            time: time_value,
            duration_ms,
            amount,
            weight,
            source_country,
            target_country,
        })
    }
}
