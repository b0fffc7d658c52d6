//! Exports for graph and link-chart tools, written from the `nodes` and
//! `edges` tables, so that every measure column travels as an attribute:
//!
//! - GEXF 1.3 (Gephi) and GraphML (yEd, Cytoscape, networkx): one node per
//!   row of `nodes`, one directed edge per row of `edges` (a pair linked on
//!   two layers has two parallel edges, told apart by `layer`);
//! - two CSV sheets for i2 Analyst's Notebook's import wizard:
//!   `i2_entities.csv` (an `Entity ID`, `Label` and `Entity Type`, then
//!   every node column) and `i2_links.csv` (`From`, `To`, `Link Type`,
//!   then every edge column).
//!
//! Null cells and NaN values are left out (GEXF, GraphML) or empty (CSV).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;

use crate::error::{Error, Result, io_error};

/// One cell as text (`None` for null or NaN); timestamps in RFC 3339 UTC.
/// The same text as the CSV tables.
fn cell(column: &dyn Array, row: usize) -> Option<String> {
    let not_finite =
        || column.data_type() == &DataType::Float64 && !column.as_primitive::<Float64Type>().value(row).is_finite();
    if column.is_null(row) || not_finite() {
        return None;
    }
    let mut text = String::new();
    crate::writer::csv_cell(column, row, &mut text);
    Some(text)
}

/// The attribute type of a column in GEXF and GraphML.
fn attribute_type(data_type: &DataType) -> &'static str {
    match data_type {
        DataType::Int64 => "long",
        DataType::Float64 => "double",
        _ => "string",
    }
}

/// Text made safe inside XML elements and attributes (the report's HTML
/// uses the same escaping).
pub(crate) fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Column position by name, in nexo's own `nodes` and `edges` tables;
/// `path` is the file being written.
fn position(batch: &RecordBatch, name: &str, path: &Path) -> Result<usize> {
    let schema = batch.schema();
    schema.index_of(name).map_err(|_| Error::MissingColumn {
        path: path.to_path_buf(),
        column: name.to_owned(),
        field: "export",
        available: schema.fields().iter().map(|f| f.name().clone()).collect(),
    })
}

fn create(path: &Path) -> Result<BufWriter<File>> {
    let file = File::create(path).map_err(io_error(path))?;
    Ok(BufWriter::with_capacity(1 << 20, file))
}

/// Writes `network.gexf`: nodes keyed by `node`, edges from `source` to
/// `target` with their `weight` as the GEXF weight.
pub fn write_gexf(path: &Path, nodes: &RecordBatch, edges: &RecordBatch) -> Result<()> {
    let mut out = create(path)?;
    let io = |e| io_error(path)(e);
    let node_key = position(nodes, "node", path)?;
    let label = nodes.schema().index_of("label").ok();
    let (source, target, weight) =
        (position(edges, "source", path)?, position(edges, "target", path)?, position(edges, "weight", path)?);
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>").map_err(io)?;
    writeln!(out, "<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">").map_err(io)?;
    writeln!(out, "<meta><creator>nexo {}</creator></meta>", env!("CARGO_PKG_VERSION")).map_err(io)?;
    writeln!(out, "<graph defaultedgetype=\"directed\" mode=\"static\">").map_err(io)?;
    for (class, batch) in [("node", nodes), ("edge", edges)] {
        writeln!(out, "<attributes class=\"{class}\">").map_err(io)?;
        for (i, field) in batch.schema().fields().iter().enumerate() {
            let t = attribute_type(field.data_type());
            writeln!(out, "<attribute id=\"{i}\" title=\"{}\" type=\"{t}\"/>", xml(field.name())).map_err(io)?;
        }
        writeln!(out, "</attributes>").map_err(io)?;
    }
    writeln!(out, "<nodes>").map_err(io)?;
    for row in 0..nodes.num_rows() {
        let key = cell(nodes.column(node_key), row).unwrap_or_default();
        let shown = label.and_then(|l| cell(nodes.column(l), row)).unwrap_or_else(|| key.clone());
        write!(out, "<node id=\"{}\" label=\"{}\"><attvalues>", xml(&key), xml(&shown)).map_err(io)?;
        attvalues(&mut out, nodes, row).map_err(io)?;
        writeln!(out, "</attvalues></node>").map_err(io)?;
    }
    writeln!(out, "</nodes>\n<edges>").map_err(io)?;
    for row in 0..edges.num_rows() {
        let (s, t) =
            (cell(edges.column(source), row).unwrap_or_default(), cell(edges.column(target), row).unwrap_or_default());
        let w = cell(edges.column(weight), row).unwrap_or_else(|| "1".into());
        write!(out, "<edge id=\"{row}\" source=\"{}\" target=\"{}\" weight=\"{w}\"><attvalues>", xml(&s), xml(&t))
            .map_err(io)?;
        attvalues(&mut out, edges, row).map_err(io)?;
        writeln!(out, "</attvalues></edge>").map_err(io)?;
    }
    writeln!(out, "</edges>\n</graph>\n</gexf>").map_err(io)?;
    out.flush().map_err(io)
}

fn attvalues(out: &mut impl Write, batch: &RecordBatch, row: usize) -> std::io::Result<()> {
    for (i, column) in batch.columns().iter().enumerate() {
        if let Some(value) = cell(column.as_ref(), row) {
            write!(out, "<attvalue for=\"{i}\" value=\"{}\"/>", xml(&value))?;
        }
    }
    Ok(())
}

/// Writes `network.graphml`: keys `n0...` for node columns and `e0...` for
/// edge columns, named by `attr.name`.
pub fn write_graphml(path: &Path, nodes: &RecordBatch, edges: &RecordBatch) -> Result<()> {
    let mut out = create(path)?;
    let io = |e| io_error(path)(e);
    let node_key = position(nodes, "node", path)?;
    let (source, target) = (position(edges, "source", path)?, position(edges, "target", path)?);
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>").map_err(io)?;
    writeln!(out, "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">").map_err(io)?;
    for (class, prefix, batch) in [("node", "n", nodes), ("edge", "e", edges)] {
        for (i, field) in batch.schema().fields().iter().enumerate() {
            let t = attribute_type(field.data_type());
            writeln!(
                out,
                "<key id=\"{prefix}{i}\" for=\"{class}\" attr.name=\"{}\" attr.type=\"{t}\"/>",
                xml(field.name())
            )
            .map_err(io)?;
        }
    }
    writeln!(out, "<graph id=\"nexo\" edgedefault=\"directed\">").map_err(io)?;
    for row in 0..nodes.num_rows() {
        let key = cell(nodes.column(node_key), row).unwrap_or_default();
        write!(out, "<node id=\"{}\">", xml(&key)).map_err(io)?;
        data(&mut out, "n", nodes, row).map_err(io)?;
        writeln!(out, "</node>").map_err(io)?;
    }
    for row in 0..edges.num_rows() {
        let (s, t) =
            (cell(edges.column(source), row).unwrap_or_default(), cell(edges.column(target), row).unwrap_or_default());
        write!(out, "<edge id=\"l{row}\" source=\"{}\" target=\"{}\">", xml(&s), xml(&t)).map_err(io)?;
        data(&mut out, "e", edges, row).map_err(io)?;
        writeln!(out, "</edge>").map_err(io)?;
    }
    writeln!(out, "</graph>\n</graphml>").map_err(io)?;
    out.flush().map_err(io)
}

fn data(out: &mut impl Write, prefix: &str, batch: &RecordBatch, row: usize) -> std::io::Result<()> {
    for (i, column) in batch.columns().iter().enumerate() {
        if let Some(value) = cell(column.as_ref(), row) {
            write!(out, "<data key=\"{prefix}{i}\">{}</data>", xml(&value))?;
        }
    }
    Ok(())
}

/// Writes the i2 Analyst's Notebook import sheets: the nodes to
/// `entities` (`i2_entities.csv` in nexo's outputs), the links to `links`
/// (`i2_links.csv`).
pub fn write_i2(entities: &Path, links: &Path, nodes: &RecordBatch, edges: &RecordBatch) -> Result<()> {
    let node_key = position(nodes, "node", entities)?;
    let label = nodes.schema().index_of("label").ok();
    let kind = nodes.schema().index_of("kind").ok();
    let leading = ["Entity ID", "Label", "Entity Type"];
    sheet(entities, nodes, &leading, |row| {
        let key = cell(nodes.column(node_key), row).unwrap_or_default();
        let shown = label.and_then(|l| cell(nodes.column(l), row)).unwrap_or_else(|| key.clone());
        let entity_type = kind.and_then(|k| cell(nodes.column(k), row)).unwrap_or_else(|| "Entity".into());
        [key, shown, entity_type]
    })?;
    let (source, target, layer) =
        (position(edges, "source", links)?, position(edges, "target", links)?, position(edges, "layer", links)?);
    sheet(links, edges, &["From", "To", "Link Type"], |row| {
        [source, target, layer].map(|c| cell(edges.column(c), row).unwrap_or_default())
    })
}

/// A CSV sheet: three leading columns, then every column of `batch`.
fn sheet(path: &Path, batch: &RecordBatch, leading: &[&str; 3], lead: impl Fn(usize) -> [String; 3]) -> Result<()> {
    let mut writer = csv::Writer::from_writer(create(path)?);
    let csv_error = |e: csv::Error| io_error(path)(e.into());
    let schema = batch.schema();
    let header = leading.iter().map(|h| (*h).to_owned()).chain(schema.fields().iter().map(|f| f.name().clone()));
    writer.write_record(header).map_err(csv_error)?;
    for row in 0..batch.num_rows() {
        let rest = batch.columns().iter().map(|c| cell(c.as_ref(), row).unwrap_or_default());
        writer.write_record(lead(row).into_iter().chain(rest)).map_err(csv_error)?;
    }
    writer.flush().map_err(io_error(path))
}

#[cfg(test)]
mod tests {
    use super::xml;

    #[test]
    fn xml_escapes_markup_and_control_characters() {
        assert_eq!(xml("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;\u{fffd}");
    }
}
