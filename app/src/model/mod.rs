//! Wire types: what travels between server functions, pages and services, one file per
//! resource. Built from `domain` and nothing else: services fill them, server functions return
//! them, pages read them. Never imports `api`, `server`, `pages` or `components`.

use serde::{Deserialize, Serialize};

pub mod account;
pub mod audit;
pub mod notification;
pub mod observation;
pub mod reference;
pub mod referral;
pub mod session;
pub mod statistics;
pub mod tip;

/// One page of a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}
