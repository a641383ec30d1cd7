//! The receipt of the tip just sent, shown once: this page is the only response that ever
//! carries it, and it is never in an address.

use leptos::prelude::*;

use crate::api::tips::take_tip_receipt;
use crate::components::loaded::loaded;
use crate::i18n::use_i18n;

/// The receipt's groups ("7K3M-", "Q9XD-", …), each kept on one line, with a line break allowed
/// after each.
fn receipt_groups(receipt: &str) -> impl IntoView + use<> {
    let groups: Vec<String> = receipt.split_inclusive('-').map(str::to_string).collect();
    groups
        .into_iter()
        .map(|group| view! { <span class="receipt-group">{group}</span><wbr /> })
        .collect_view()
}

#[component]
pub fn TipReceiptPage() -> impl IntoView {
    let i18n = use_i18n();
    let receipt = Resource::new(|| (), |_| take_tip_receipt());
    view! {
        <h1>{i18n.t("page-tip-receipt-title")}</h1>
        {loaded(receipt, move |receipt: Option<String>| match receipt {
            Some(receipt) => view! {
                <p>{i18n.t("tip-receipt-lead")}</p>
                // Each group of four stays whole on a narrow screen: lines break only between
                // groups.
                <p class="receipt"><code>{receipt_groups(&receipt)}</code></p>
                <ul class="hint">
                    <li>{i18n.t("tip-receipt-write")}</li>
                    <li>{i18n.t("tip-receipt-once")}</li>
                    <li>{i18n.t("tip-receipt-return")}</li>
                </ul>
                <p><a class="button" href="/signalement/suivi">{i18n.t("nav-tip-follow")}</a></p>
            }
            .into_any(),
            None => view! { <p class="alert">{i18n.t("tip-receipt-gone")}</p> }.into_any(),
        })}
    }
}
