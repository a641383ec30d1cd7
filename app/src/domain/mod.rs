//! Pure types and rules, usable on both sides and testable without a database.

pub mod account;
pub mod institution;
pub mod lifecycle;
pub mod locale;
pub mod role;

pub use account::{normalise_email, validate_display_name, validate_email, validate_password};
pub use locale::Locale;
pub use role::Role;
