//! Veille: the Leptos application, built for the server (`ssr`) and for the browser (`hydrate`).
//! Pure rules live in `domain`, server functions in `api`, everything that touches the database,
//! sessions or mail only in `server` (compiled with `ssr` alone).

pub mod api;
mod app;
pub mod components;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

pub use app::{App, shell};
