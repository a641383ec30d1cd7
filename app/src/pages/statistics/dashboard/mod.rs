//! The dashboard: figures for the filter in the URL, within the viewer's scope (the server
//! decides). Charts are drawn on the server (bars in HTML, the trend in SVG), each beside its
//! data table.

mod exports;
mod filters;
mod groups;
mod lens;
mod numbers;
mod overdue;
mod totals;
mod trend;

use leptos::prelude::*;

use crate::api::observations::get_list_choices;
use crate::api::statistics::get_dashboard;
use crate::components::loaded::loaded;
use crate::components::url_query::use_url_query;
use crate::i18n::use_i18n;
use crate::model::statistics::{Dashboard, DashboardFilter};
use exports::ExportsSection;
use filters::DashboardFilters;
use groups::{CountSection, InstitutionsSection};
use lens::LensSection;
use overdue::OverdueSection;
use totals::TotalsSection;
use trend::TrendSection;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let filter = use_url_query::<DashboardFilter>();
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
                        <DashboardFilters current=current.clone() choices by_institution />
                    </details>
                })}
                <Sections d />
            }
        })}
    }
}

/// Everything below the filters, in reading order.
#[component]
fn Sections(d: Dashboard) -> impl IntoView {
    let shows = d.shows_observations;
    let observations = d
        .exports_observations
        .then_some(d.totals.observations_total);
    let cercles = (!d.cercles.is_empty()).then(|| {
        view! { <CountSection groups=d.cercles heading="stats-cercle" shows_observations=shows /> }
    });
    view! {
        <TotalsSection totals=d.totals shows_observations=shows />
        <TrendSection months=d.months shows_observations=shows />
        <InstitutionsSection groups=d.institutions />
        <CountSection groups=d.regions heading="stats-region" shows_observations=shows />
        {cercles}
        <CountSection groups=d.categories heading="stats-category" shows_observations=shows />
        <LensSection lens=d.lens shows_observations=shows />
        <ExportsSection filter=d.filter observations />
        <OverdueSection overdue=d.overdue total=d.overdue_total />
    }
    // Erased so that the page's view type stays within the compiler's depth limit.
    .into_any()
}
