//! Charts drawn on the server (no chart library in the browser): bars in HTML, a line in SVG
//! with its axis labels in HTML, so that every word is at the page's text size however narrow
//! the screen. Each sits beside a data table with the same numbers, which is what assistive
//! technology reads; the chart itself is one labelled image.

use leptos::prelude::*;

/// One horizontal bar per labelled count, largest first, each with its value at its end. A
/// bar is an SVG whose width is a percentage: the page's Content-Security-Policy allows no
/// inline style.
#[component]
pub fn BarChart(title: String, bars: Vec<(String, i64)>) -> impl IntoView {
    let mut bars = bars;
    // Stable: equal counts keep the order they came in.
    bars.sort_by(|a, b| b.1.cmp(&a.1));
    let max = bars.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    view! {
        <figure class="bar-chart">
            <div class="bars" role="img" aria-label=title.clone()>
                {bars
                    .into_iter()
                    .map(|(label, value)| {
                        // The longest bar leaves a fifth of the line for its value.
                        let width = format!("{:.1}%", value.max(0) as f64 * 80.0 / max as f64);
                        view! {
                            <div class="bar-row">
                                <span class="bar-label">{label}</span>
                                <span class="bar-line">
                                    <svg class="bar" width=width height="14" aria-hidden="true" focusable="false">
                                        <rect width="100%" height="100%" class="chart-bar" />
                                    </svg>
                                    <span class="bar-value">{value}</span>
                                </span>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
            <figcaption>{title}</figcaption>
        </figure>
    }
}

/// A line through counts in time order (months): the vertical axis marked 0 and the peak, the
/// horizontal one with the first and last periods.
#[component]
pub fn LineChart(title: String, points: Vec<(String, i64)>) -> impl IntoView {
    // Drawing units only: no text inside the SVG, which scales with the screen.
    let (width, height, pad): (i64, i64, i64) = (320, 120, 6);
    let plot = height - 2 * pad;
    let max = points.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let step = if points.len() > 1 {
        (width - 2 * pad) as f64 / (points.len() - 1) as f64
    } else {
        0.0
    };
    let coordinates: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .map(|(i, (_, v))| {
            let x = pad as f64 + i as f64 * step;
            let y = (pad + plot) as f64 - (*v as f64 * plot as f64 / max as f64);
            (x, y)
        })
        .collect();
    let path = coordinates
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ");
    let first = points.first().map(|(l, _)| l.clone()).unwrap_or_default();
    let last = (points.len() > 1)
        .then(|| points.last().map(|(l, _)| l.clone()))
        .flatten();
    view! {
        <figure class="chart trend-chart">
            <div class="trend-plot" role="img" aria-label=title.clone()>
                <span class="trend-max">{max}</span>
                <span class="trend-zero">"0"</span>
                <svg viewBox=format!("0 0 {width} {height}") aria-hidden="true" focusable="false">
                    <line x1=pad y1=pad x2=width - pad y2=pad class="chart-grid" />
                    <line x1=pad y1=pad + plot x2=width - pad y2=pad + plot class="chart-axis" />
                    <polyline points=path class="chart-line" />
                    {coordinates
                        .iter()
                        .map(|(x, y)| {
                            view! {
                                <circle cx=format!("{x:.1}") cy=format!("{y:.1}") r="3" class="chart-point" />
                            }
                        })
                        .collect_view()}
                </svg>
                <span class="trend-first">{first}</span>
                {last.map(|l| view! { <span class="trend-last">{l}</span> })}
            </div>
            <figcaption>{title}</figcaption>
        </figure>
    }
}
