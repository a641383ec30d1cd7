//! Text search in the lists (migration 000016): every word of the query must be found, whole or
//! as the start of a word, accents and case ignored ("securite" finds "Sécurité"); or the query
//! is a public reference, found whole. An observation is searched in its title, description and
//! place; a referral only in the text released to its institution (never the original).

use std::collections::HashMap;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement,
};
use uuid::Uuid;

use crate::error::AppError;
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

/// FTS5's query: each word quoted, all required; as a prefix, or whole. Whole words read
/// newest first stop after the rows asked for, where a prefix query gathers every match first
/// (60 ms for a word in a million cases).
fn fts5_query(words: &[String], prefix: bool) -> String {
    let star = if prefix { "*" } else { "" };
    words
        .iter()
        .map(|w| format!("\"{w}\"{star}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// FTS5 matches counted up to this many decide how a list reads them: at most that many, as
/// the set of their ids (the list reads those rows), each with its relevance. A word in more
/// cases than that is read, in the CNDH's whole list (no other filter, newest first), in the
/// [`SET_LIMIT`] cases that were indexed last (those holding it whole, when more than that do)
/// — the list then says "more than 1000" and a more precise search narrows it; anywhere else
/// (an organisation's cases, a filtered or re-sorted list), row by row as the list walks its order, which is exact. (Asking FTS5 row by row costs
/// a prefix query each time: fine over an organisation's cases, far too slow over a hundred
/// thousand.) Relevance is only known for the first kind: a word in more than 1000 cases says
/// little about which of them is the one sought.
const SET_LIMIT: usize = 1000;

/// How much a word found in the title, the description and the place counts: the title most,
/// then the place, then the description. PostgreSQL's weights A, C and B (`ts_rank`'s 1.0,
/// 0.2 and 0.4, migration 000016) say the same.
const FTS5_WEIGHTS: &str = "5.0, 1.0, 2.0";

/// What a search found: the condition on the list's rows, whether it holds only the
/// [`SET_LIMIT`] last indexed of more matches (the list then says "more than"), and each
/// match's relevance (higher is closer) when there are at most [`SET_LIMIT`] of them.
pub struct Found {
    pub condition: Condition,
    pub truncated: bool,
    pub relevance: Option<HashMap<Uuid, f64>>,
}

/// Which list a search narrows: the CNDH's whole list as it comes (no other filter, newest
/// first), or any other.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    Everything,
    Narrowed,
}

/// PostgreSQL's query for `$1`'s words: unaccented first, then quoted one by one (unaccent may
/// turn a letter into signs, `½` into ` 1/2`, that the query syntax would read), each a prefix,
/// all required.
const POSTGRES_QUERY: &str = "to_tsquery('simple'::regconfig, \
     (SELECT string_agg(quote_literal(w) || ':*', ' & ') \
     FROM unnest(regexp_split_to_array(veille_unaccent($1), '[^[:alnum:]]+')) \
     AS w WHERE w <> ''))";

/// Up to one more than [`SET_LIMIT`] matches of `table`'s text, each with its relevance when
/// there are no more than [`SET_LIMIT`]: on SQLite the ones indexed last (scored in a second
/// query, only when few: a common word's thousand are not worth scoring), on PostgreSQL any.
async fn matches(
    db: &DatabaseConnection,
    table: &'static str,
    words: &[String],
) -> Result<Vec<(Uuid, Option<f64>)>, AppError> {
    let one = table.trim_end_matches('s');
    let backend = db.get_database_backend();
    let read = |sql: String, value: String| async move {
        db.query_all_raw(Statement::from_sql_and_values(backend, sql, [value.into()]))
            .await?
            .iter()
            .map(|row| Ok((row.try_get_by_index(0)?, row.try_get_by_index(1)?)))
            .collect::<Result<Vec<(Uuid, f64)>, AppError>>()
    };
    if backend == DatabaseBackend::Postgres {
        let sql = format!(
            "SELECT id, ts_rank(search, {POSTGRES_QUERY})::float8 FROM {table} \
             WHERE search @@ {POSTGRES_QUERY} LIMIT {}",
            SET_LIMIT + 1
        );
        let found = read(sql, words.join(" ")).await?;
        let few = found.len() <= SET_LIMIT;
        return Ok(found
            .into_iter()
            .map(|(id, score)| (id, few.then_some(score)))
            .collect());
    }
    let newest = format!(
        "SELECT r.{one}_id, 0.0 FROM {one}_search_rows r WHERE r.row IN \
         (SELECT rowid FROM {one}_search WHERE {one}_search MATCH ? \
         ORDER BY rowid DESC LIMIT {}) ORDER BY r.row DESC",
        SET_LIMIT + 1
    );
    // Words found whole in more cases than the limit: those cases indexed last are the
    // answer, and the prefixes need not be gathered.
    let whole = read(newest.clone(), fts5_query(words, false)).await?;
    if whole.len() > SET_LIMIT {
        return Ok(whole.into_iter().map(|(id, _)| (id, None)).collect());
    }
    let query = fts5_query(words, true);
    let found = read(newest, query.clone()).await?;
    if found.len() > SET_LIMIT {
        return Ok(found.into_iter().map(|(id, _)| (id, None)).collect());
    }
    // bm25 is lower for a closer match: turned round, so that higher is closer on both.
    let scored = format!(
        "SELECT r.{one}_id, -bm25({one}_search, {FTS5_WEIGHTS}) FROM {one}_search \
         JOIN {one}_search_rows r ON r.row = {one}_search.rowid WHERE {one}_search MATCH ?"
    );
    Ok(read(scored, query)
        .await?
        .into_iter()
        .map(|(id, score)| (id, Some(score)))
        .collect())
}

/// The rows of `table` (`observations` or `referrals`) whose text holds every word, whether
/// they are cut to the [`SET_LIMIT`] indexed last, and their relevance when it is known.
async fn text_match(
    db: &DatabaseConnection,
    table: &'static str,
    words: &[String],
    reach: Reach,
) -> Result<(Expr, bool, Option<HashMap<Uuid, f64>>), AppError> {
    let one = table.trim_end_matches('s');
    let mut found = matches(db, table, words).await?;
    let too_many = found.len() > SET_LIMIT;
    if !too_many {
        let ids: Vec<Uuid> = found.iter().map(|(id, _)| *id).collect();
        let id = Expr::col((Alias::new(table), Alias::new("id")));
        let relevance = found
            .into_iter()
            .map(|(id, score)| (id, score.unwrap_or_default()))
            .collect();
        return Ok((id.is_in(ids), false, Some(relevance)));
    }
    if db.get_database_backend() == DatabaseBackend::Postgres {
        // PostgreSQL's planner weighs the GIN index against the list's own order itself.
        let condition = Expr::cust_with_values(
            format!("{table}.search @@ {POSTGRES_QUERY}"),
            [words.join(" ")],
        );
        return Ok((condition, false, None));
    }
    if reach == Reach::Everything {
        found.truncate(SET_LIMIT);
        let ids: Vec<Uuid> = found.iter().map(|(id, _)| *id).collect();
        let id = Expr::col((Alias::new(table), Alias::new("id")));
        return Ok((id.is_in(ids), true, None));
    }
    let condition = Expr::cust_with_values(
        format!(
            "EXISTS (SELECT 1 FROM {one}_search_rows r JOIN {one}_search s \
             ON s.rowid = r.row WHERE r.{one}_id = {table}.id AND {one}_search MATCH ?)"
        ),
        [fts5_query(words, true)],
    );
    Ok((condition, false, None))
}

/// The public reference the query names, if it is one (references are upper-case).
fn reference(q: &str) -> String {
    q.trim().to_uppercase()
}

/// The observations that `q` finds.
pub async fn observations(
    db: &DatabaseConnection,
    q: &str,
    reach: Reach,
) -> Result<Found, AppError> {
    let words = words(q);
    let mut condition = Condition::any().add(observation::Column::Reference.eq(reference(q)));
    let (mut truncated, mut relevance) = (false, None);
    if !words.is_empty() {
        let (text, cut, ranks) = text_match(db, "observations", &words, reach).await?;
        condition = condition.add(text);
        (truncated, relevance) = (cut, ranks);
    }
    Ok(Found {
        condition,
        truncated,
        relevance,
    })
}

/// The referrals that `q` finds: in their released text, or by their observation's reference.
pub async fn referrals(db: &DatabaseConnection, q: &str) -> Result<Found, AppError> {
    let words = words(q);
    let mut condition = Condition::any().add(
        referral::Column::ObservationId.in_subquery(
            Query::select()
                .column(observation::Column::Id)
                .from(observation::Entity)
                .and_where(observation::Column::Reference.eq(reference(q)))
                .to_owned(),
        ),
    );
    let mut relevance = None;
    if !words.is_empty() {
        let (text, _, ranks) = text_match(db, "referrals", &words, Reach::Narrowed).await?;
        condition = condition.add(text);
        relevance = ranks;
    }
    Ok(Found {
        condition,
        truncated: false,
        relevance,
    })
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
            fts5_query(&words("garde à vue"), true),
            "\"garde\"* \"à\"* \"vue\"*"
        );
        assert_eq!(
            fts5_query(&words("garde à vue"), false),
            "\"garde\" \"à\" \"vue\""
        );
        assert!(words("%%% ---").is_empty());
        assert_eq!(words(&"mot ".repeat(50)).len(), MAX_WORDS);
    }
}
