//! Server functions, grouped per resource. Each is a public HTTP endpoint under `/api/<name>`:
//! it authorises the caller on its first line, parses, calls one service, maps the error.

pub mod accounts;
pub mod notifications;
pub mod observations;
pub mod reference;
pub mod session;
pub mod statistics;

/// A checkbox sends its value only when ticked.
pub fn checked(value: &Option<String>) -> bool {
    value
        .as_deref()
        .is_some_and(|v| matches!(v, "on" | "true" | "1"))
}
