//! Veille: the Leptos application, built for the server (`ssr`) and for the browser (`hydrate`).
//! Pure rules live in `domain`, wire types in `model`, server functions in `api`, everything
//! that touches the database, sessions or mail only in `server` (compiled with `ssr` alone).
//! Pages call `api`, `api` calls `server`, and `server` builds `model` from `domain`: `server`
//! never imports `api` (the tests in `layers` check each direction).

// A status change dropped before it is recorded (`record::Moved`) must not compile.
#![deny(unused_must_use)]

pub mod api;
mod app;
pub mod components;
pub mod domain;
pub mod error;
pub mod i18n;
#[cfg(test)]
mod layers;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

pub use app::{App, Bundle, shell};
