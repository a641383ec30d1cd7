//! The dashboard: figures for the filter in the URL, within the viewer's scope (the server
//! decides). Charts are SVG drawn on the server, each beside its data table.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::observations::{ListChoices, get_list_choices};
use crate::api::statistics::get_dashboard;
use crate::components::chart::{BarChart, LineChart};
use crate::components::list_filters::encode;
use crate::components::loaded::loaded;
use crate::domain::Locale;
use crate::domain::statistics::{
    COUNTED_STATUSES, Dashboard, DashboardFilter, Figures, Group, Median,
};
use crate::i18n::{I18n, use_i18n};

fn flag(value: Option<String>) -> Option<bool> {
    match value.as_deref() {
        Some("1") => Some(true),
        Some("0") => Some(false),
        _ => None,
    }
}

pub fn filter_from_query(query: &leptos_router::params::ParamsMap) -> DashboardFilter {
    let get = |k: &str| query.get(k).filter(|v| !v.trim().is_empty());
    DashboardFilter {
        from: get("from"),
        to: get("to"),
        institution: get("institution"),
        region: get("region"),
        category: get("category"),
        womens: flag(get("womens")),
        sensitive: flag(get("sensitive")),
    }
}

/// The filter as a query string (for the export links).
pub fn query_string(filter: &DashboardFilter) -> String {
    let flag = |v: Option<bool>| v.map(|b| if b { "1".to_string() } else { "0".to_string() });
    [
        ("from", filter.from.clone()),
        ("to", filter.to.clone()),
        ("institution", filter.institution.clone()),
        ("region", filter.region.clone()),
        ("category", filter.category.clone()),
        ("womens", flag(filter.womens)),
        ("sensitive", flag(filter.sensitive)),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| format!("&{k}={}", encode(&v))))
    .collect()
}

fn decimal(locale: Locale, value: f64) -> String {
    let text = if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    };
    match locale {
        Locale::Fr => text.replace('.', ","),
        Locale::En => text,
    }
}

fn share(i18n: I18n, value: Option<f64>) -> String {
    match value {
        None => "—".to_string(),
        Some(v) => match i18n.0 {
            Locale::Fr => format!("{}\u{a0}%", decimal(i18n.0, (v * 100.0).round())),
            Locale::En => format!("{}%", decimal(i18n.0, (v * 100.0).round())),
        },
    }
}

fn median(i18n: I18n, value: Option<Median>) -> String {
    match value {
        None => "—".to_string(),
        Some(Median::Days(d)) => decimal(i18n.0, d),
        Some(Median::MoreThan(n)) => i18n.t_with("stats-more-than", &[("days", n.to_string())]),
    }
}

/// The referral measures of a list of groups, one row each.
#[component]
fn PerformanceTable(groups: Vec<Group>, heading: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table>
                <thead><tr>
                    <th scope="col">{i18n.t(heading)}</th>
                    <th scope="col">{i18n.t("stats-received")}</th>
                    <th scope="col">{i18n.t("stats-ack-on-time")}</th>
                    <th scope="col">{i18n.t("stats-resp-on-time")}</th>
                    <th scope="col">{i18n.t("stats-median-ack")}</th>
                    <th scope="col">{i18n.t("stats-median-resp")}</th>
                    <th scope="col">{i18n.t("stats-overdue-now")}</th>
                    <th scope="col">{i18n.t("stats-contested-share")}</th>
                    <th scope="col">{i18n.t("stats-escalated")}</th>
                </tr></thead>
                <tbody>
                    {groups.into_iter().map(|g| {
                        let f = g.figures;
                        view! { <tr>
                            <th scope="row">{g.label}</th>
                            <td>{f.received}</td>
                            <td>{share(i18n, f.ack_on_time)}</td>
                            <td>{share(i18n, f.resp_on_time)}</td>
                            <td>{median(i18n, f.median_ack_days)}</td>
                            <td>{median(i18n, f.median_resp_days)}</td>
                            <td>{f.overdue}</td>
                            <td>{share(i18n, f.contested_share)}</td>
                            <td>{f.escalated}</td>
                        </tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Observations per group (a place or a category), as bars and as a table.
#[component]
fn CountSection(
    groups: Vec<Group>,
    heading: &'static str,
    shows_observations: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let bars: Vec<(String, i64)> = groups
        .iter()
        .map(|g| {
            let n = if shows_observations {
                g.figures.observations_total
            } else {
                g.figures.received
            };
            (g.label.clone(), n)
        })
        .collect();
    let measure = if shows_observations {
        "stats-observations"
    } else {
        "stats-received"
    };
    view! {
        <section class="figures">
            <h2>{i18n.t(heading)}</h2>
            <BarChart title=format!("{} — {}", i18n.t(heading), i18n.t(measure)) bars />
            <PerformanceTable groups heading />
        </section>
    }
}

fn lens_rows(i18n: I18n, lens: Vec<Group>, shows_observations: bool) -> impl IntoView {
    let rows: Vec<(&'static str, Box<dyn Fn(&Figures) -> String>)> = vec![
        (
            "stats-observations",
            Box::new(|f: &Figures| f.observations_total.to_string()),
        ),
        (
            "stats-received",
            Box::new(|f: &Figures| f.received.to_string()),
        ),
        (
            "stats-ack-on-time",
            Box::new(move |f: &Figures| share(i18n, f.ack_on_time)),
        ),
        (
            "stats-resp-on-time",
            Box::new(move |f: &Figures| share(i18n, f.resp_on_time)),
        ),
        (
            "stats-median-ack",
            Box::new(move |f: &Figures| median(i18n, f.median_ack_days)),
        ),
        (
            "stats-median-resp",
            Box::new(move |f: &Figures| median(i18n, f.median_resp_days)),
        ),
        (
            "stats-contested-share",
            Box::new(move |f: &Figures| share(i18n, f.contested_share)),
        ),
        (
            "stats-escalated",
            Box::new(|f: &Figures| f.escalated.to_string()),
        ),
    ];
    rows.into_iter()
        .filter(|(key, _)| shows_observations || *key != "stats-observations")
        .map(|(key, value)| {
            let cells: Vec<String> = lens.iter().map(|g| value(&g.figures)).collect();
            view! {
                <tr>
                    <th scope="row">{i18n.t(key)}</th>
                    {cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
                </tr>
            }
        })
        .collect_view()
}

#[component]
fn Filters(current: DashboardFilter, choices: ListChoices, by_institution: bool) -> impl IntoView {
    let i18n = use_i18n();
    let is = |value: &Option<String>, option: &str| value.as_deref() == Some(option);
    let yes_no = move |name: &'static str,
                       label: &'static str,
                       yes: &'static str,
                       no: &'static str,
                       value: Option<bool>| {
        view! {
            <div class="field">
                <label for=name>{i18n.t(label)}</label>
                <select id=name name=name>
                    <option value="">{i18n.t("form-all")}</option>
                    <option value="1" selected=value == Some(true)>{i18n.t(yes)}</option>
                    <option value="0" selected=value == Some(false)>{i18n.t(no)}</option>
                </select>
            </div>
        }
    };
    view! {
        <form method="get" action="/dashboard" class="filters" role="search">
            <div class="field">
                <label for="from">{i18n.t("field-month-from")}</label>
                <input id="from" name="from" type="month" placeholder="2026-01" value=current.from.clone() />
            </div>
            <div class="field">
                <label for="to">{i18n.t("field-month-to")}</label>
                <input id="to" name="to" type="month" placeholder="2026-12" value=current.to.clone() />
            </div>
            {by_institution.then(|| view! {
                <div class="field">
                    <label for="institution">{i18n.t("field-institution")}</label>
                    <select id="institution" name="institution">
                        <option value="">{i18n.t("form-all")}</option>
                        {choices.institutions.clone().into_iter().map(|(id, name)| {
                            let selected = is(&current.institution, &id);
                            view! { <option value=id selected=selected>{name}</option> }
                        }).collect_view()}
                    </select>
                </div>
            })}
            <div class="field">
                <label for="region">{i18n.t("field-region")}</label>
                <select id="region" name="region">
                    <option value="">{i18n.t("form-all")}</option>
                    {choices.regions.into_iter().map(|(code, name)| {
                        let selected = is(&current.region, &code);
                        view! { <option value=code selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="category">{i18n.t("field-category")}</label>
                <select id="category" name="category">
                    <option value="">{i18n.t("form-all")}</option>
                    {choices.categories.into_iter().map(|(id, name)| {
                        let selected = is(&current.category, &id);
                        view! { <option value=id selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            {by_institution.then(|| yes_no("womens", "field-womens-filter", "stats-lens-womens", "stats-lens-other-organisations", current.womens))}
            {yes_no("sensitive", "field-sensitive-filter", "stats-lens-sensitive", "stats-lens-other-categories", current.sensitive)}
            <button type="submit">{i18n.t("action-filter")}</button>
        </form>
    }
}

/// Statuses grouped by where the case stands: with the NHRC, with an institution, finished.
fn phases(f: &Figures) -> [(&'static str, i64); 3] {
    use crate::domain::lifecycle::ObservationStatus as S;
    let n = |status: S| {
        COUNTED_STATUSES
            .iter()
            .position(|s| *s == status)
            .map_or(0, |i| f.observations[i])
    };
    [
        ("stats-phase-triage", n(S::Submitted) + n(S::NeedsInfo)),
        ("stats-phase-institution", n(S::Referred)),
        ("stats-phase-done", n(S::Declined) + n(S::Closed)),
    ]
}

fn body(i18n: I18n, d: Dashboard) -> impl IntoView {
    let shows = d.shows_observations;
    let totals = d.totals.clone();
    let trend: Vec<(String, i64)> = d
        .months
        .iter()
        .map(|g| {
            let n = if shows {
                g.figures.observations_total
            } else {
                g.figures.received
            };
            (g.label.clone(), n)
        })
        .collect();
    let trend_title = i18n.t(if shows {
        "stats-trend"
    } else {
        "stats-trend-received"
    });
    let lens = d.lens.clone();
    let overdue_more = d.overdue_total > d.overdue.len() as i64;
    let query = query_string(&d.filter);
    view! {
        <section class="figures">
            <h2>{i18n.t("stats-totals")}</h2>
            <dl class="key-figures">
                {shows.then(|| view! {
                    <div><dt>{i18n.t("stats-observations")}</dt><dd>{totals.observations_total}</dd></div>
                })}
                <div><dt>{i18n.t("stats-received")}</dt><dd>{totals.received}</dd></div>
                <div><dt>{i18n.t("stats-ack-on-time")}</dt><dd>{share(i18n, totals.ack_on_time)}</dd></div>
                <div><dt>{i18n.t("stats-resp-on-time")}</dt><dd>{share(i18n, totals.resp_on_time)}</dd></div>
                <div><dt>{i18n.t("stats-median-ack")}</dt><dd>{median(i18n, totals.median_ack_days)}</dd></div>
                <div><dt>{i18n.t("stats-median-resp")}</dt><dd>{median(i18n, totals.median_resp_days)}</dd></div>
                <div><dt>{i18n.t("stats-overdue-now")}</dt><dd>{totals.overdue}</dd></div>
                <div><dt>{i18n.t("stats-contested-share")}</dt><dd>{share(i18n, totals.contested_share)}</dd></div>
                <div><dt>{i18n.t("stats-escalated")}</dt><dd>{totals.escalated}</dd></div>
            </dl>
            {shows.then(|| view! {
                <table>
                    <caption>{i18n.t("stats-by-status")}</caption>
                    <thead><tr><th scope="col">{i18n.t("field-status")}</th><th scope="col">{i18n.t("stats-observations")}</th></tr></thead>
                    <tbody>
                        {COUNTED_STATUSES.iter().zip(totals.observations).map(|(s, n)| view! {
                            <tr><th scope="row">{i18n.t(&format!("status-obs-{}", s.as_str()))}</th><td>{n}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <table>
                    <caption>{i18n.t("stats-by-phase")}</caption>
                    <thead><tr><th scope="col">{i18n.t("stats-phase")}</th><th scope="col">{i18n.t("stats-observations")}</th></tr></thead>
                    <tbody>
                        {phases(&totals).into_iter().map(|(key, n)| view! {
                            <tr><th scope="row">{i18n.t(key)}</th><td>{n}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
        <section class="figures">
            <h2>{trend_title.clone()}</h2>
            <LineChart title=trend_title points=trend.clone() />
            <div class="table-wrap">
                <table>
                    <thead><tr><th scope="col">{i18n.t("stats-month")}</th><th scope="col">{i18n.t(if shows { "stats-observations" } else { "stats-received" })}</th></tr></thead>
                    <tbody>
                        {trend.into_iter().map(|(m, n)| view! { <tr><th scope="row">{m}</th><td>{n}</td></tr> }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="figures">
            <h2>{i18n.t("stats-institutions")}</h2>
            <PerformanceTable groups=d.institutions heading="stats-institution" />
        </section>
        <CountSection groups=d.regions heading="stats-region" shows_observations=shows />
        {(!d.cercles.is_empty()).then(|| view! {
            <CountSection groups=d.cercles heading="stats-cercle" shows_observations=shows />
        })}
        <CountSection groups=d.categories heading="stats-category" shows_observations=shows />
        <section class="figures">
            <h2>{i18n.t("stats-lens")}</h2>
            <div class="table-wrap">
                <table>
                    <thead><tr>
                        <td></td>
                        {lens.iter().map(|g| view! { <th scope="col">{i18n.t(&format!("stats-lens-{}", g.key.replace('_', "-")))}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>{lens_rows(i18n, lens.clone(), shows)}</tbody>
                </table>
            </div>
        </section>
        <section class="figures">
            <h2>{i18n.t("stats-export")}</h2>
            <ul class="exports">
                {d.exports_observations.then(|| view! {
                    <li>
                        {i18n.t_with("stats-export-observations", &[("count", totals.observations_total.to_string())])} " : "
                        <a href=format!("/exports/observations?format=csv{query}") download>"CSV"</a> " · "
                        <a href=format!("/exports/observations?format=json{query}") download>"JSON"</a>
                    </li>
                })}
                {[("institutions", "stats-export-institutions"), ("regions", "stats-export-regions"),
                  ("categories", "stats-export-categories"), ("months", "stats-export-months")]
                    .into_iter()
                    .map(|(table, label)| view! {
                        <li>
                            {i18n.t(label)} " : "
                            <a href=format!("/exports/{table}?format=csv{query}") download>"CSV"</a> " · "
                            <a href=format!("/exports/{table}?format=json{query}") download>"JSON"</a>
                        </li>
                    })
                    .collect_view()}
            </ul>
            <p class="neutral">{i18n.t("stats-export-hint")}</p>
        </section>
        <section class="figures">
            <h2>{i18n.t("stats-overdue")}</h2>
            {if d.overdue.is_empty() {
                view! { <p class="empty">{i18n.t("stats-no-overdue")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <thead><tr>
                                <th scope="col">{i18n.t("stats-reference")}</th>
                                <th scope="col">{i18n.t("stats-institution")}</th>
                                <th scope="col">{i18n.t("stats-due")}</th>
                                <th scope="col">{i18n.t("stats-days-late")}</th>
                            </tr></thead>
                            <tbody>
                                {d.overdue.into_iter().map(|o| view! { <tr>
                                    <th scope="row"><a href=o.link>{o.reference}</a></th>
                                    <td>{o.institution}</td>
                                    <td>{o.due}</td>
                                    <td>{o.days_late}</td>
                                </tr> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    {overdue_more.then(|| view! {
                        <p class="neutral">{i18n.t_with("stats-overdue-more", &[("count", d.overdue_total.to_string())])}</p>
                    })}
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| filter_from_query(&query.read()));
    let data = Resource::new(move || filter.get(), |f| get_dashboard(Some(f)));
    let choices = Resource::new(|| (), |_| get_list_choices());
    view! {
        <h1>{i18n.t("page-dashboard-title")}</h1>
        {loaded(data, move |d| {
            let current = filter.get_untracked();
            let by_institution = d.shows_observations;
            view! {
                {loaded(choices, move |choices| view! {
                    <details class="filter-box" open=current != DashboardFilter::default()>
                        <summary>{i18n.t("form-filters")}</summary>
                        <Filters current=current.clone() choices by_institution />
                    </details>
                })}
                {body(i18n, d)}
            }
        })}
    }
}
