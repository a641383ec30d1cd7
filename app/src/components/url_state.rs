//! Outcomes that come back in the URL after a plain form post to a route that is not a server
//! function (the filing form, documents): field errors as `errors=field.key,…` and a notice as
//! `notice=name`. Only names and catalogue keys travel this way, never what was typed.

use leptos::prelude::*;

use crate::components::form::FormError;
use crate::components::url_query::{url_query, use_url_query};
use crate::error::{AppError, FieldError};
use crate::i18n::use_i18n;

/// The outcome parameters, read like every other query parameter.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UrlOutcome {
    pub errors: Option<String>,
    pub notice: Option<String>,
}
url_query!(UrlOutcome { errors, notice });

pub fn parse_errors(text: &str) -> Option<AppError> {
    let errors: Vec<FieldError> = text
        .split(',')
        .filter_map(|pair| pair.split_once('.'))
        .filter(|(field, key)| {
            key.starts_with("error-")
                && field
                    .chars()
                    .chain(key.chars())
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == '-')
        })
        .map(|(field, key)| FieldError {
            field: field.to_string(),
            key: key.to_string(),
        })
        .collect();
    (!errors.is_empty()).then_some(AppError::Validation(errors))
}

/// The field errors the URL carries.
pub fn url_errors() -> FormError {
    let outcome = use_url_query::<UrlOutcome>();
    Signal::derive(move || outcome.read().errors.as_deref().and_then(parse_errors))
}

/// The confirmation the URL carries, if it is one of ours.
#[component]
pub fn UrlNotice() -> impl IntoView {
    let i18n = use_i18n();
    let outcome = use_url_query::<UrlOutcome>();
    move || {
        let key = match outcome.read().notice.as_deref() {
            Some("submitted") => "notice-submitted",
            Some("saved") => "notice-saved",
            Some("attached") => "notice-attached",
            Some("tip_signed_out") => "notice-tip-signed-out",
            _ => return None,
        };
        Some(view! { <p class="alert alert-ok" role="status">{i18n.t(key)}</p> })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_and_keys_are_read() {
        assert_eq!(
            parse_errors("title.error-required,evidence.error-file-type"),
            Some(AppError::Validation(vec![
                FieldError {
                    field: "title".into(),
                    key: "error-required".into()
                },
                FieldError {
                    field: "evidence".into(),
                    key: "error-file-type".into()
                },
            ]))
        );
        assert_eq!(parse_errors("title.<script>"), None);
        assert_eq!(parse_errors(""), None);
    }
}
