//! A tip as its reader may see it: the text, what it is about, and the messages in order.

use leptos::prelude::*;

use crate::components::day::Day;
use crate::i18n::use_i18n;
use crate::model::tip::TipDetail;

#[component]
pub fn TipThread(detail: TipDetail) -> impl IntoView {
    let i18n = use_i18n();
    let about: Vec<String> = [detail.category, detail.institution, detail.region]
        .into_iter()
        .flatten()
        .collect();
    view! {
        <section class="tip">
            <p class="case-meta">
                {i18n.t_with("tip-received-on", &[("date", i18n.day(&detail.received_on))])} " · "
                {i18n.t(&detail.status.label_key())}
            </p>
            {(!about.is_empty()).then(|| view! { <p class="neutral">{about.join(" · ")}</p> })}
            <blockquote class="quote">{detail.body}</blockquote>
            <ol class="timeline">
                {detail.messages.into_iter().map(|m| {
                    let who = if m.from_nhrc { "tip-from-nhrc" } else { "tip-from-tipster" };
                    view! {
                        <li>
                            <p class="case-meta">{i18n.t(who)} " · " <Day iso=m.at /></p>
                            <p class="note">{m.body}</p>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}
