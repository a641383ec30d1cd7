//! Pages for everyone, signed in or not: the front page and the page for unknown addresses.

pub mod home;
pub mod not_found;
