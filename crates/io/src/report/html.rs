//! HTML pieces of the report: escaping, facts, sortable tables, the page's
//! style and script.

use super::{Cell, Table};

/// Text made safe inside HTML elements and attribute values.
pub fn escape(text: &str) -> String {
    crate::export::xml(text)
}

/// A measure with four significant digits; very large or small ones in
/// scientific notation.
pub fn number(value: f64) -> String {
    if value.is_nan() {
        return "–".into();
    }
    let magnitude = value.abs();
    if magnitude != 0.0 && !(1e-3..1e6).contains(&magnitude) {
        return format!("{value:.3e}");
    }
    let decimals = if magnitude == 0.0 { 0 } else { (3 - magnitude.log10().floor() as i32).clamp(0, 6) as usize };
    format!("{value:.decimals$}")
}

pub fn facts(page: &mut String, facts: &[(String, String)]) {
    page.push_str("<dl class=\"facts\">\n");
    for (label, value) in facts {
        page.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", escape(label), escape(value)));
    }
    page.push_str("</dl>\n");
}

pub fn table(page: &mut String, table: &Table) {
    page.push_str("<div class=\"scroll\"><table class=\"sortable\">\n<thead><tr>");
    for header in &table.headers {
        page.push_str(&format!("<th title=\"sort\">{}</th>", escape(header)));
    }
    page.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        page.push_str("<tr>");
        for cell in row {
            match cell {
                Cell::Text(text) => page.push_str(&format!("<td>{}</td>", escape(text))),
                Cell::Int(value) => page.push_str(&format!("<td class=\"n\" data-v=\"{value}\">{value}</td>")),
                Cell::Float(value) => {
                    page.push_str(&format!("<td class=\"n\" data-v=\"{value}\">{}</td>", number(*value)));
                }
            }
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody></table></div>\n");
}

pub const STYLE: &str = "
:root{--ink:#1d2433;--muted:#5b6478;--line:#d9dde5;--accent:#0b5cad;--bg:#f6f7f9}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header{background:#14213d;color:#fff;padding:20px 32px 12px}
header h1{margin:0;font-size:24px}
.subtitle{margin:4px 0 10px;color:#c9d3e6}
nav a{color:#fff;margin-right:14px;font-size:13px;text-decoration:none;border-bottom:1px dotted #9fb3d9}
main{max-width:1200px;margin:0 auto;padding:8px 24px 40px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;margin:18px 0;padding:8px 22px 18px}
h2{font-size:19px;margin:12px 0 4px}
.intro{color:var(--muted);margin-top:0}
dl.facts{display:grid;grid-template-columns:max-content auto;gap:2px 18px}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto;max-height:560px;overflow-y:auto}
table{border-collapse:collapse;font-size:13px;width:100%}
th{position:sticky;top:0;background:#eef1f6;text-align:left;cursor:pointer;padding:5px 8px;border-bottom:2px solid var(--line);white-space:nowrap}
td{padding:4px 8px;border-bottom:1px solid #eef0f4;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr:hover td{background:#f3f7fd}
figure{margin:12px 0}
figcaption{font-weight:600;margin-bottom:4px}
svg text{font:11px system-ui,sans-serif;fill:var(--muted)}
.legend{font-size:12px;color:var(--muted)}
.legend span{display:inline-block;margin-right:14px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:4px;vertical-align:middle}
";

/// Sorts a table by the clicked column (numbers by value), toggling order.
pub const SCRIPT: &str = "
document.querySelectorAll('table.sortable th').forEach(function(th){
  th.addEventListener('click',function(){
    var table=th.closest('table'),body=table.tBodies[0],i=Array.prototype.indexOf.call(th.parentNode.children,th);
    var down=th.dataset.order!=='desc';th.dataset.order=down?'desc':'asc';
    var rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(a,b){
      var x=a.cells[i],y=b.cells[i],vx=x.dataset.v,vy=y.dataset.v,c;
      if(vx!==undefined&&vy!==undefined){c=parseFloat(vx)-parseFloat(vy);}else{c=x.textContent.localeCompare(y.textContent);}
      return down?-c:c;
    });
    rows.forEach(function(r){body.appendChild(r);});
  });
});
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_four_significant_digits() {
        assert_eq!(number(0.123456), "0.1235");
        assert_eq!(number(12.3456), "12.35");
        assert_eq!(number(1234.4), "1234");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(2.5e-5), "2.500e-5");
        assert_eq!(escape("a<b>&\"'\u{1}"), "a&lt;b&gt;&amp;&quot;&#39;\u{fffd}");
    }
}
