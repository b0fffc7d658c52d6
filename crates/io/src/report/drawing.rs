//! A drawing of part of the network as inline SVG, positions computed by
//! the caller (nexo-graph's force-directed layout).

use super::charts::PALETTE;
use super::html::escape;

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 560.0;
const MARGIN: f64 = 24.0;

/// Nodes placed in the unit square and the links between them.
#[derive(Debug, Clone, Default)]
pub struct NetworkDrawing {
    /// Title above the drawing.
    pub title: String,
    /// The nodes.
    pub nodes: Vec<DrawnNode>,
    /// Links, as positions in `nodes`.
    pub links: Vec<(usize, usize)>,
    /// Names of the colour groups (communities), in colour order.
    pub groups: Vec<String>,
}

/// One drawn node.
#[derive(Debug, Clone)]
pub struct DrawnNode {
    /// Position in `[0, 1]`.
    pub x: f64,
    /// Position in `[0, 1]`.
    pub y: f64,
    /// Size in `[0, 1]` (a centrality scaled to the largest).
    pub size: f64,
    /// Colour group: position in [`NetworkDrawing::groups`].
    pub group: usize,
    /// Text written beside the node (empty: none).
    pub label: String,
    /// Text shown on hover.
    pub title: String,
}

impl NetworkDrawing {
    pub(super) fn render(&self, page: &mut String) {
        let at = |n: &DrawnNode| (MARGIN + n.x * (WIDTH - 2.0 * MARGIN), MARGIN + n.y * (HEIGHT - 2.0 * MARGIN));
        page.push_str(&format!(
            "<figure class=\"drawing\"><figcaption>{}</figcaption>\n<svg viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"100%\" role=\"img\">\n<g stroke=\"#b8bfcc\" stroke-width=\"0.7\" opacity=\"0.8\">",
            escape(&self.title)
        ));
        for &(a, b) in &self.links {
            let ((x1, y1), (x2, y2)) = (at(&self.nodes[a]), at(&self.nodes[b]));
            page.push_str(&format!("<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\"/>"));
        }
        page.push_str("</g>\n<g stroke=\"#fff\" stroke-width=\"0.8\">");
        // Largest last, so that they are drawn on top.
        let mut order: Vec<usize> = (0..self.nodes.len()).collect();
        order.sort_by(|&a, &b| self.nodes[a].size.total_cmp(&self.nodes[b].size));
        for &i in &order {
            let node = &self.nodes[i];
            let (x, y) = at(node);
            page.push_str(&format!(
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.1}\" fill=\"{}\"><title>{}</title></circle>",
                3.0 + 11.0 * node.size.clamp(0.0, 1.0),
                PALETTE[node.group % PALETTE.len()],
                escape(&node.title)
            ));
        }
        page.push_str("</g>\n<g>");
        for node in self.nodes.iter().filter(|n| !n.label.is_empty()) {
            let (x, y) = at(node);
            // Labels on the right half extend to the left, so that they stay in the frame.
            let offset = 5.0 + 11.0 * node.size.clamp(0.0, 1.0);
            let (x, anchor) = if node.x > 0.5 { (x - offset, "end") } else { (x + offset, "start") };
            page.push_str(&format!(
                "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" style=\"fill:#1d2433\">{}</text>",
                y + 4.0,
                escape(&node.label)
            ));
        }
        page.push_str("</g>\n</svg>\n<div class=\"legend\">");
        for (i, group) in self.groups.iter().enumerate() {
            page.push_str(&format!(
                "<span><i style=\"background:{}\"></i>{}</span>",
                PALETTE[i % PALETTE.len()],
                escape(group)
            ));
        }
        page.push_str("</div></figure>\n");
    }
}
