//! Charts drawn as SVG on the server, so pages need no script to show them.
//!
//! Written by hand: a stacked bar chart and a horizontal bar list are a few dozen lines of SVG, and
//! the plotting crates either draw to files/bitmaps or bring a large dependency tree for this.

use crate::data::escape_html as escape;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Colours for series, chosen to stay apart for common colour-vision deficiencies.
const PALETTE: [&str; 10] = [
    "#3366aa", "#ee7733", "#009988", "#cc3311", "#33bbee", "#ee3377", "#bbbbbb", "#997700",
    "#6699cc", "#aa4499",
];

/// The colour of series `i`.
pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// A stacked bar chart: one bar per period (`2024-09`), stacked by series (event type).
/// `counts[period][series]`. Returns the SVG and the legend order of the series.
pub fn stacked_bars(counts: &BTreeMap<String, BTreeMap<String, u64>>, title: &str) -> String {
    let mut series: BTreeMap<&str, u64> = BTreeMap::new();
    for per in counts.values() {
        for (s, n) in per {
            *series.entry(s.as_str()).or_default() += n;
        }
    }
    let mut order: Vec<(&str, u64)> = series.into_iter().collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let index: BTreeMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, (s, _))| (*s, i))
        .collect();

    let max = counts
        .values()
        .map(|per| per.values().sum::<u64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let bars = counts.len().max(1);
    let (left, top, bottom, plot_h) = (36.0, 10.0, 46.0, 180.0);
    let bar_w = (560.0 / bars as f64).clamp(6.0, 40.0);
    let width = left + bar_w * bars as f64 + 10.0;
    let height = top + plot_h + bottom;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" role="img" viewBox="0 0 {width:.0} {height:.0}" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title>{}</title>"#,
        escape(title)
    );
    // Horizontal grid lines at quarters of the maximum.
    for q in 0..=4 {
        let value = max as f64 * q as f64 / 4.0;
        let y = top + plot_h - plot_h * q as f64 / 4.0;
        let _ = write!(
            svg,
            r##"<line x1="{left}" x2="{width:.0}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{:.0}" y="{:.1}" font-size="10" text-anchor="end" fill="#555">{}</text>"##,
            left - 4.0,
            y + 3.0,
            value.round()
        );
    }
    let label_every = (bars / 12).max(1);
    for (i, (period, per)) in counts.iter().enumerate() {
        let x = left + bar_w * i as f64;
        let mut y = top + plot_h;
        let mut parts: Vec<(&String, &u64)> = per.iter().collect();
        parts.sort_by_key(|(s, _)| index.get(s.as_str()).copied().unwrap_or(0));
        for (s, n) in parts {
            let h = plot_h * *n as f64 / max as f64;
            y -= h;
            let _ = write!(
                svg,
                r#"<rect x="{:.1}" y="{y:.1}" width="{:.1}" height="{h:.1}" fill="{}"><title>{} {}: {n}</title></rect>"#,
                x + 1.0,
                (bar_w - 2.0).max(1.0),
                colour(index.get(s.as_str()).copied().unwrap_or(0)),
                escape(period),
                escape(s)
            );
        }
        if i % label_every == 0 {
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" font-size="10" fill="#333" transform="rotate(-45 {:.1} {:.1})" text-anchor="end">{}</text>"##,
                x + bar_w / 2.0,
                top + plot_h + 12.0,
                x + bar_w / 2.0,
                top + plot_h + 12.0,
                escape(period)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The series of a stacked chart in legend order (largest first), with their colours.
pub fn legend(counts: &BTreeMap<String, BTreeMap<String, u64>>) -> Vec<(String, &'static str)> {
    let mut series: BTreeMap<&str, u64> = BTreeMap::new();
    for per in counts.values() {
        for (s, n) in per {
            *series.entry(s.as_str()).or_default() += n;
        }
    }
    let mut order: Vec<(&str, u64)> = series.into_iter().collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    order
        .into_iter()
        .enumerate()
        .map(|(i, (s, _))| (s.to_string(), colour(i)))
        .collect()
}

/// Horizontal bars for a list of (label, count), as SVG.
pub fn horizontal_bars(rows: &[(String, u64)], title: &str) -> String {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let row_h = 22.0;
    let height = row_h * rows.len().max(1) as f64 + 4.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="bars" role="img" viewBox="0 0 360 {height:.0}" xmlns="http://www.w3.org/2000/svg"><title>{}</title>"#,
        escape(title)
    );
    for (i, (label, n)) in rows.iter().enumerate() {
        let y = 2.0 + row_h * i as f64;
        let w = 180.0 * *n as f64 / max as f64;
        let _ = write!(
            svg,
            r##"<text x="0" y="{:.1}" font-size="12" fill="#222">{}</text><rect x="150" y="{:.1}" width="{w:.1}" height="14" fill="{}"/><text x="{:.1}" y="{:.1}" font-size="12" fill="#222">{n}</text>"##,
            y + 13.0,
            escape(&label.replace('_', " ")),
            y + 2.0,
            colour(i),
            154.0 + w,
            y + 13.0
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacked_bars_draw_one_rect_per_count_and_escape_labels() {
        let mut counts = BTreeMap::new();
        counts.insert(
            "2024-09".to_string(),
            BTreeMap::from([("detention".to_string(), 3), ("search".to_string(), 1)]),
        );
        counts.insert(
            "2024-10".to_string(),
            BTreeMap::from([("<x>".to_string(), 2)]),
        );
        let svg = stacked_bars(&counts, "Events");
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains("&lt;x&gt;"));
        assert!(!svg.contains("<x>"));
        assert_eq!(legend(&counts)[0].0, "detention");
    }

    #[test]
    fn empty_charts_are_valid_svg() {
        assert!(stacked_bars(&BTreeMap::new(), "none").ends_with("</svg>"));
        assert!(horizontal_bars(&[], "none").ends_with("</svg>"));
    }
}
