//! `nexo top`: the top nodes of an existing analysis, in the terminal.

use anyhow::Result;
use nexo_io::{Columns, Values, read_columns};

use crate::args::TopArgs;
use crate::outputs::find_table;

/// Columns shown beside the ranking one, when the table has them.
const SHOWN: &[&str] = &["label", "country", "community", "degree", "key_rank"];

/// Prints the `n` nodes that rank highest by `by`.
pub fn run(args: &TopArgs) -> Result<()> {
    let path = find_table(&args.out, "nodes", args.run.as_deref())?;
    let table = read_columns(&path)?;
    let column = table.names.iter().position(|n| *n == args.by);
    let Some(values) = column.and_then(|c| table.numbers(c)) else {
        let numeric: Vec<&str> =
            (0..table.names.len()).filter(|&c| table.numbers(c).is_some()).map(|c| table.names[c].as_str()).collect();
        let message =
            format!("{:?} is not a numeric column of {}; one of: {}", args.by, path.display(), numeric.join(", "));
        return Err(nexo_io::Error::BadOption { option: "--by".into(), message }.into());
    };
    let ascending = args.by.ends_with("_rank");
    let mut order: Vec<usize> = (0..values.len()).filter(|&i| values[i].is_some_and(f64::is_finite)).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (values[a].unwrap_or(0.0), values[b].unwrap_or(0.0));
        let by_value = if ascending { x.total_cmp(&y) } else { y.total_cmp(&x) };
        by_value.then(a.cmp(&b))
    });
    let shown: Vec<&str> = SHOWN.iter().copied().filter(|c| *c != args.by && table.get(c).is_some()).collect();
    let headers: Vec<&str> = ["#", "node"].into_iter().chain(shown.iter().copied()).chain([args.by.as_str()]).collect();
    let rows: Vec<Vec<String>> = order
        .iter()
        .take(args.n)
        .enumerate()
        .map(|(rank, &row)| {
            let mut cells = vec![(rank + 1).to_string(), text(&table, "node", row)];
            cells.extend(shown.iter().map(|c| text(&table, c, row)));
            cells.push(number(values[row].unwrap_or(f64::NAN)));
            cells
        })
        .collect();
    let widths: Vec<usize> = (0..headers.len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).chain([headers[c].len()]).max().unwrap_or(0))
        .collect();
    let line = |cells: &[&str]| {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(cell, w)| format!("{cell:<w$}")).collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(&headers);
    for row in &rows {
        line(&row.iter().map(String::as_str).collect::<Vec<_>>());
    }
    Ok(())
}

fn text(table: &Columns, column: &str, row: usize) -> String {
    match table.get(column) {
        Some(Values::Text(v)) => v[row].clone().unwrap_or_default(),
        Some(Values::Number(v)) => v[row].map(number).unwrap_or_default(),
        None => String::new(),
    }
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 { format!("{value:.0}") } else { format!("{value:.6}") }
}
