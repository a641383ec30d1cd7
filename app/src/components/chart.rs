//! Charts drawn on the server as SVG (no chart library in the browser): bars and a line. Each
//! sits beside a data table with the same numbers, which is what assistive technology reads;
//! the SVG itself is one labelled image.

use leptos::prelude::*;

const WIDTH: i64 = 320;

fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let cut: String = label.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// One horizontal bar per labelled count.
#[component]
pub fn BarChart(title: String, bars: Vec<(String, i64)>) -> impl IntoView {
    let row = 22;
    let height = (bars.len() as i64).max(1) * row;
    let max = bars.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let (label_width, bar_space) = (110, WIDTH - 110 - 40);
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=title.clone()>
                {bars.into_iter().enumerate().map(|(i, (label, value))| {
                    let y = i as i64 * row;
                    let width = value * bar_space / max;
                    view! {
                        <text x="0" y=y + 15 class="chart-label">{short(&label, 16)}</text>
                        <rect x=label_width y=y + 4 width=width height=row - 8 class="chart-bar" />
                        <text x=label_width + width + 4 y=y + 15 class="chart-value">{value}</text>
                    }
                }).collect_view()}
            </svg>
            <figcaption>{title}</figcaption>
        </figure>
    }
}

/// A line through counts in order (months), with the first and last labels and the peak.
#[component]
pub fn LineChart(title: String, points: Vec<(String, i64)>) -> impl IntoView {
    let (height, top, bottom, left) = (150, 12, 24, 8);
    let plot = height - top - bottom;
    let max = points.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let step = if points.len() > 1 {
        (WIDTH - 2 * left) as f64 / (points.len() - 1) as f64
    } else {
        0.0
    };
    let coordinates: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .map(|(i, (_, v))| {
            let x = left as f64 + i as f64 * step;
            let y = (top + plot) as f64 - (*v as f64 * plot as f64 / max as f64);
            (x, y)
        })
        .collect();
    let path = coordinates
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ");
    let first = points.first().map(|(l, _)| l.clone()).unwrap_or_default();
    let last = points.last().map(|(l, _)| l.clone()).unwrap_or_default();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=title.clone()>
                <line x1=left y1=top + plot x2=WIDTH - left y2=top + plot class="chart-axis" />
                <polyline points=path class="chart-line" />
                {coordinates.iter().map(|(x, y)| view! {
                    <circle cx=format!("{x:.1}") cy=format!("{y:.1}") r="2" class="chart-point" />
                }).collect_view()}
                <text x=left y=height - 6 class="chart-label">{first}</text>
                <text x=WIDTH - left y=height - 6 text-anchor="end" class="chart-label">{last}</text>
                <text x=left y=top - 2 class="chart-value">{max}</text>
            </svg>
            <figcaption>{title}</figcaption>
        </figure>
    }
}
