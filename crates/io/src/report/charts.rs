//! Line charts as inline SVG: activity over time, degree distributions,
//! disruption curves.

use super::Chart;
use super::html::{escape, number};

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 42.0;
/// Series colours, in order.
pub const PALETTE: &[&str] =
    &["#0b5cad", "#d1495b", "#2a9d8f", "#e9a03b", "#6a4c93", "#8d6e63", "#3d5a80", "#7cb518", "#ef476f", "#118ab2"];

/// One axis: the data range mapped onto pixels, linear or logarithmic.
struct Axis {
    low: f64,
    high: f64,
    log: bool,
}

impl Axis {
    fn of(values: impl Iterator<Item = f64>, log: bool, from_zero: bool) -> Axis {
        let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values.filter(|v| v.is_finite() && (!log || *v > 0.0)) {
            low = low.min(v);
            high = high.max(v);
        }
        if !low.is_finite() {
            (low, high) = (if log { 1.0 } else { 0.0 }, 1.0);
        }
        if from_zero && !log {
            low = low.min(0.0);
        }
        if log {
            (low, high) = (low.log10().floor(), high.log10().ceil().max(low.log10().floor() + 1.0));
        } else if high - low < 1e-12 {
            high = low + 1.0;
        }
        Axis { low, high, log }
    }

    /// Share of the way from low to high.
    fn share(&self, v: f64) -> f64 {
        let v = if self.log { v.max(1e-300).log10() } else { v };
        (v - self.low) / (self.high - self.low)
    }

    /// Up to about six tick values.
    fn ticks(&self) -> Vec<f64> {
        if self.log {
            return (self.low as i32..=self.high as i32).map(|e| 10f64.powi(e)).collect();
        }
        let raw = (self.high - self.low) / 5.0;
        let unit = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * unit).find(|s| *s >= raw).unwrap_or(unit * 10.0);
        let first = (self.low / step).ceil() * step;
        (0..=10).map(|i| first + i as f64 * step).take_while(|t| *t <= self.high + step * 1e-9).collect()
    }
}

pub fn render(page: &mut String, chart: &Chart) {
    let points = || chart.series.iter().flat_map(|s| s.points.iter());
    let x = Axis::of(points().map(|p| p.0), chart.log, false);
    let y = Axis::of(points().map(|p| p.1), chart.log, true);
    let px = |v: f64| LEFT + x.share(v) * (WIDTH - LEFT - RIGHT);
    let py = |v: f64| HEIGHT - BOTTOM - y.share(v) * (HEIGHT - TOP - BOTTOM);
    page.push_str(&format!(
        "<figure class=\"chart\"><figcaption>{}</figcaption>\n<svg viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"100%\" role=\"img\">\n",
        escape(&chart.title)
    ));
    for t in y.ticks() {
        let at = py(t);
        page.push_str(&format!(
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{at:.1}\" y2=\"{at:.1}\" stroke=\"#eceff4\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\n",
            WIDTH - RIGHT,
            LEFT - 6.0,
            at + 4.0,
            tick(t)
        ));
    }
    for t in x.ticks() {
        let at = px(t);
        let label = if chart.dates { date(t) } else { tick(t) };
        page.push_str(&format!(
            "<line x1=\"{at:.1}\" x2=\"{at:.1}\" y1=\"{}\" y2=\"{}\" stroke=\"#c5cad3\"/><text x=\"{at:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
            HEIGHT - BOTTOM,
            HEIGHT - BOTTOM + 5.0,
            HEIGHT - BOTTOM + 18.0,
            escape(&label)
        ));
    }
    page.push_str(&format!(
        "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{b}\" y2=\"{b}\" stroke=\"#8a93a6\"/><line x1=\"{LEFT}\" x2=\"{LEFT}\" y1=\"{TOP}\" y2=\"{b}\" stroke=\"#8a93a6\"/>\n",
        WIDTH - RIGHT,
        b = HEIGHT - BOTTOM
    ));
    page.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text><text x=\"14\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {})\">{}</text>\n",
        (LEFT + WIDTH - RIGHT) / 2.0,
        HEIGHT - 6.0,
        escape(&chart.x_label),
        (TOP + HEIGHT - BOTTOM) / 2.0,
        (TOP + HEIGHT - BOTTOM) / 2.0,
        escape(&chart.y_label)
    ));
    for (i, series) in chart.series.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let visible = series.points.iter().filter(|(a, b)| !chart.log || (*a > 0.0 && *b > 0.0));
        if chart.log {
            for &(a, b) in visible {
                page.push_str(&format!(
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"{colour}\"/>",
                    px(a),
                    py(b)
                ));
            }
        } else {
            let path: Vec<String> = visible.map(|&(a, b)| format!("{:.1},{:.1}", px(a), py(b))).collect();
            page.push_str(&format!(
                "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.8\" points=\"{}\"><title>{}</title></polyline>\n",
                path.join(" "),
                escape(&series.name)
            ));
        }
    }
    page.push_str("</svg>\n");
    if chart.series.len() > 1 {
        page.push_str("<div class=\"legend\">");
        for (i, series) in chart.series.iter().enumerate() {
            page.push_str(&format!(
                "<span><i style=\"background:{}\"></i>{}</span>",
                PALETTE[i % PALETTE.len()],
                escape(&series.name)
            ));
        }
        page.push_str("</div>");
    }
    page.push_str("</figure>\n");
}

/// A tick label: whole numbers without decimals.
fn tick(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e6 { format!("{value:.0}") } else { number(value) }
}

/// A day count since 1970-01-01 as `YYYY-MM-DD` (proleptic Gregorian).
pub fn date(days: f64) -> String {
    let (year, month, day) = crate::writer::civil_from_days(days.floor() as i64);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_ticks() {
        assert_eq!(date(0.0), "1970-01-01");
        assert_eq!(date(19_723.0), "2024-01-01");
        assert_eq!(date(11_016.0), "2000-02-29");
        let axis = Axis::of([0.0, 0.93].into_iter(), false, true);
        assert_eq!(axis.ticks(), [0.0, 0.2, 0.4, 0.6000000000000001, 0.8]);
        let log = Axis::of([1.0, 350.0].into_iter(), true, false);
        assert_eq!(log.ticks(), [1.0, 10.0, 100.0, 1000.0]);
    }
}
