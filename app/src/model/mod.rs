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

/// One page of a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}
