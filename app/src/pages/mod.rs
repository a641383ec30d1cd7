//! The route components, grouped in folders by area (who uses them); one page per file, each
//! component named `…Page`. The routes that point at them are in `app.rs`.

pub mod account;
pub mod admin;
pub mod monitoring;
pub mod observations;
pub mod organisation;
pub mod public;
pub mod referrals;
pub mod statistics;
pub mod tips;
