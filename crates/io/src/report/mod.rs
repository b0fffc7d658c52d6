//! `report.html`: one self-contained page (inline CSS, JavaScript and SVG,
//! nothing fetched) that an analyst who has never used nexo can read.
//!
//! The caller decides what the page says, as [`Section`]s of [`Block`]s;
//! this module only renders them. Every section is an HTML `<section>`
//! with a stable `id`, so tests and readers can find it.

mod charts;
mod drawing;
mod html;

pub use charts::date;
pub use drawing::{DrawnNode, NetworkDrawing};

use html::escape;

/// The page.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Heading of the page.
    pub title: String,
    /// One line under the heading (tool, version, date of the run).
    pub subtitle: String,
    /// The sections, in order.
    pub sections: Vec<Section>,
}

/// One section of the page.
#[derive(Debug, Clone)]
pub struct Section {
    /// The HTML id (`key-nodes`, `communities`, ...).
    pub id: &'static str,
    /// Heading.
    pub title: String,
    /// What the section shows and how to read it, in plain words.
    pub intro: String,
    /// Its content.
    pub blocks: Vec<Block>,
}

/// A piece of a section.
#[derive(Debug, Clone)]
pub enum Block {
    /// Label and value pairs.
    Facts(Vec<(String, String)>),
    /// A table whose columns sort when their heading is clicked.
    Table(Table),
    /// A line chart.
    Chart(Chart),
    /// A drawing of (part of) the network.
    Drawing(NetworkDrawing),
    /// A paragraph.
    Note(String),
}

/// A table.
#[derive(Debug, Clone)]
pub struct Table {
    /// Column headings.
    pub headers: Vec<String>,
    /// Rows of cells; numbers are right-aligned and sort as numbers.
    pub rows: Vec<Vec<Cell>>,
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A count.
    Int(i64),
    /// A measure, shown with `digits` significant digits.
    Float(f64),
}

/// A chart of one or more series of points.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Title above the chart.
    pub title: String,
    /// Label of the horizontal axis.
    pub x_label: String,
    /// Label of the vertical axis.
    pub y_label: String,
    /// Whether both axes are logarithmic (a degree distribution).
    pub log: bool,
    /// Whether x values are days since 1970-01-01 (shown as dates).
    pub dates: bool,
    /// The series.
    pub series: Vec<Series>,
}

/// A named series of `(x, y)` points, drawn as a line (or as dots on log axes).
#[derive(Debug, Clone)]
pub struct Series {
    /// Name in the legend.
    pub name: String,
    /// The points, in increasing x.
    pub points: Vec<(f64, f64)>,
}

impl Report {
    /// The page as one HTML document.
    pub fn render(&self) -> String {
        let mut page = String::with_capacity(64 * 1024);
        page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        page.push_str(&format!(
            "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
            escape(&self.title),
            html::STYLE
        ));
        page.push_str(&format!(
            "<header><h1>{}</h1><p class=\"subtitle\">{}</p>\n<nav>",
            escape(&self.title),
            escape(&self.subtitle)
        ));
        for section in &self.sections {
            page.push_str(&format!("<a href=\"#{}\">{}</a>", section.id, escape(&section.title)));
        }
        page.push_str("</nav></header>\n<main>\n");
        for section in &self.sections {
            render_section(&mut page, section);
        }
        page.push_str(&format!("</main>\n<script>{}</script>\n</body>\n</html>\n", html::SCRIPT));
        page
    }
}

fn render_section(page: &mut String, section: &Section) {
    page.push_str(&format!("<section id=\"{}\">\n<h2>{}</h2>\n", section.id, escape(&section.title)));
    if !section.intro.is_empty() {
        page.push_str(&format!("<p class=\"intro\">{}</p>\n", escape(&section.intro)));
    }
    for block in &section.blocks {
        match block {
            Block::Facts(facts) => html::facts(page, facts),
            Block::Table(table) => html::table(page, table),
            Block::Chart(chart) => charts::render(page, chart),
            Block::Drawing(drawing) => drawing.render(page),
            Block::Note(text) => page.push_str(&format!("<p>{}</p>\n", escape(text))),
        }
    }
    page.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_tables_and_charts_render_escaped() {
        let report = Report {
            title: "Case <A&B>".into(),
            subtitle: "nexo".into(),
            sections: vec![Section {
                id: "key-nodes",
                title: "Key nodes".into(),
                intro: "Who matters".into(),
                blocks: vec![
                    Block::Table(Table {
                        headers: vec!["node".into(), "score".into()],
                        rows: vec![vec![Cell::Text("<script>".into()), Cell::Float(0.5)]],
                    }),
                    Block::Chart(Chart {
                        title: "degrees".into(),
                        x_label: "degree".into(),
                        y_label: "nodes".into(),
                        log: true,
                        dates: false,
                        series: vec![Series { name: "all".into(), points: vec![(1.0, 10.0), (2.0, 4.0), (8.0, 1.0)] }],
                    }),
                ],
            }],
        };
        let page = report.render();
        assert!(page.contains("<title>Case &lt;A&amp;B&gt;</title>"));
        assert!(page.contains("<section id=\"key-nodes\">"));
        assert!(page.contains("&lt;script&gt;") && !page.contains("<td><script>"));
        assert!(page.contains("<svg") && page.contains("</html>"));
        assert!(!page.contains("http://") && !page.contains("https://"), "nothing fetched");
    }
}
