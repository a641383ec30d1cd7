//! Text search in the lists (migration 000016): every word of the query must be found, whole or
//! as the start of a word, accents and case ignored ("securite" finds "Sécurité"); or the query
//! is a public reference, found whole. An observation is searched in its title, description and
//! place; a referral only in the text released to its institution (never the original).

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, Condition, DatabaseBackend};

use crate::server::entities::{observation, referral};

/// Words a query may hold (more are not looked for) and letters a word may have.
const MAX_WORDS: usize = 8;
const MAX_LETTERS: usize = 40;

/// The query's words: runs of letters and digits, lower-cased; anything else separates them
/// (so nothing of the search engines' own syntax reaches them).
pub fn words(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_WORDS)
        .map(|w| {
            w.chars()
                .take(MAX_LETTERS)
                .collect::<String>()
                .to_lowercase()
        })
        .collect()
}

/// FTS5's query: each word quoted, as a prefix, all required.
fn fts5_query(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("\"{w}\"*"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// PostgreSQL's `tsquery` text: each word as a prefix, all required.
fn tsquery(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("{w}:*"))
        .collect::<Vec<_>>()
        .join(" & ")
}

/// The rows of `table` (`observations` or `referrals`) whose text holds every word.
fn text_match(backend: DatabaseBackend, table: &str, words: &[String]) -> Expr {
    let one = table.trim_end_matches('s');
    match backend {
        DatabaseBackend::Postgres => Expr::cust_with_values(
            format!("{table}.search @@ to_tsquery('simple'::regconfig, veille_unaccent($1))"),
            [tsquery(words)],
        ),
        _ => Expr::cust_with_values(
            format!(
                "{table}.id IN (SELECT {one}_id FROM {one}_search_rows WHERE row IN \
                 (SELECT rowid FROM {one}_search WHERE {one}_search MATCH ?))"
            ),
            [fts5_query(words)],
        ),
    }
}

/// The public reference the query names, if it is one (references are upper-case).
fn reference(q: &str) -> String {
    q.trim().to_uppercase()
}

/// The observations that `q` finds.
pub fn observations(backend: DatabaseBackend, q: &str) -> Condition {
    let words = words(q);
    let mut found = Condition::any().add(observation::Column::Reference.eq(reference(q)));
    if !words.is_empty() {
        found = found.add(text_match(backend, "observations", &words));
    }
    found
}

/// The referrals that `q` finds: in their released text, or by their observation's reference.
pub fn referrals(backend: DatabaseBackend, q: &str) -> Condition {
    let words = words(q);
    let mut found = Condition::any().add(
        referral::Column::ObservationId.in_subquery(
            Query::select()
                .column(observation::Column::Id)
                .from(observation::Entity)
                .and_where(observation::Column::Reference.eq(reference(q)))
                .to_owned(),
        ),
    );
    if !words.is_empty() {
        found = found.add(text_match(backend, "referrals", &words));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_letters_and_digits_reach_the_engines() {
        assert_eq!(
            words("  Sécurité, \"police*\" OR -(2026)"),
            ["sécurité", "police", "or", "2026"]
        );
        assert_eq!(
            fts5_query(&words("garde à vue")),
            "\"garde\"* \"à\"* \"vue\"*"
        );
        assert_eq!(tsquery(&words("garde:vue")), "garde:* & vue:*");
        assert!(words("%%% ---").is_empty());
        assert_eq!(words(&"mot ".repeat(50)).len(), MAX_WORDS);
    }
}
