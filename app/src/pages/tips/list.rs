//! The NHRC's queue of anonymous tips: new and answered ones first.

use leptos::prelude::*;

use crate::api::tips::list_tips;
use crate::components::landing::LandingPage;
use crate::components::loaded::loaded;
use crate::domain::Role;
use crate::i18n::use_i18n;

#[component]
pub fn TipsPage() -> impl IntoView {
    let i18n = use_i18n();
    let tips = Resource::new(|| (), |_| list_tips());
    view! {
        <LandingPage roles=&[Role::Monitor] title="page-tips-title" lead="page-tips-lead">
            {loaded(tips, move |tips| {
                if tips.is_empty() {
                    return view! { <p class="empty">{i18n.t("tip-none")}</p> }.into_any();
                }
                view! {
                    <ul class="records case-list">
                        {tips.into_iter().map(|t| {
                            let about: Vec<String> = [t.category, t.institution, t.region].into_iter().flatten().collect();
                            view! {
                                <li>
                                    <a href=format!("/tips/{}", t.id) class="case-title">{t.excerpt}</a>
                                    <p class="case-meta">
                                        {i18n.t_with("tip-received-on", &[("date", i18n.day(&t.received_on))])} " · "
                                        <span class="badge">{i18n.t(&t.status.label_key())}</span>
                                    </p>
                                    {(!about.is_empty()).then(|| view! { <p class="neutral">{about.join(" · ")}</p> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            })}
        </LandingPage>
    }
}
