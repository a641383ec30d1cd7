//! A date on a page: written for people in the reader's language, the ISO form kept in
//! `<time datetime>` for machines (and for anyone who copies it).

use leptos::prelude::*;

use crate::i18n::use_i18n;

#[component]
pub fn Day(#[prop(into)] iso: String) -> impl IntoView {
    let i18n = use_i18n();
    let text = i18n.day(&iso);
    view! { <time datetime=iso>{text}</time> }
}
