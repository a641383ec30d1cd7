//! Wire types: what travels between server functions, pages and services, one file per
//! resource. Built from `domain` and nothing else: services fill them, server functions return
//! them, pages read them. Never imports `api`, `server`, `pages` or `components`.

use serde::{Deserialize, Serialize};

pub mod account;
pub mod audit;
pub mod notification;
pub mod observation;
pub mod queue;
pub mod reference;
pub mod referral;
pub mod sensitive;
pub mod session;
pub mod statistics;
pub mod tip;

/// Everything but RFC 3986's unreserved characters, which a query value carries as they are.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `value` as a link's query carries it, percent-encoded.
pub fn query_value(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// A checkbox sends its value only when ticked.
pub fn checked(value: &Option<String>) -> bool {
    value
        .as_deref()
        .is_some_and(|v| matches!(v, "on" | "true" | "1"))
}

/// One page of a list, read from a place in its order (a cursor), never by counting or
/// skipping the rows before it: the next page starts after the last row shown, wherever rows
/// were added meanwhile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many rows match, counted up to [`COUNT_LIMIT`]; past it, `more` says so.
    pub total: u64,
    pub more: bool,
    /// The cursor of the next page (`after=`) and of the previous one (`before=`); none at
    /// either end.
    pub next: Option<String>,
    pub previous: Option<String>,
}

/// Lists count their matches up to this many ("more than 1000" past it): an exact count of a
/// million rows would read them all on every page (the dashboard gives the exact figures).
pub const COUNT_LIMIT: u64 = 1_000;
