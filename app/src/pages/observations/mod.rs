//! Observations: the list, one observation, filing a new one and resuming a draft.

pub mod detail;
pub mod edit;
pub mod list;
pub mod new;
