//! The page an unsubscribe link opens: one button, no sign-in needed. The one-click POST of
//! mail providers (RFC 8058) goes straight to the same address.

use leptos::prelude::*;

use crate::components::url_query::{url_query, use_url_query};
use crate::i18n::use_i18n;

/// `?token=…`: the unsubscribe link.
#[derive(Clone, Debug, Default, PartialEq)]
struct TokenQuery {
    token: Option<String>,
}
url_query!(TokenQuery { token });

#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_url_query::<TokenQuery>();
    let token = move || query.read().token.clone().unwrap_or_default();
    view! {
        <h1>{i18n.t("page-unsubscribe-title")}</h1>
        <p>{i18n.t("page-unsubscribe-lead")}</p>
        <form method="post" action="/unsubscribe" class="form">
            <input type="hidden" name="token" value=token />
            <button type="submit">{i18n.t("action-unsubscribe")}</button>
        </form>
    }
}
