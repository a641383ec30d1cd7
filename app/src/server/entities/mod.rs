//! Database rows as sea-orm entities. Server-only: these types never reach the browser; the
//! `api` layer maps them to `*Summary` / `*Detail` types.

pub mod account_token;
pub mod category;
pub mod cercle;
pub mod holiday;
pub mod institution;
pub mod organisation;
pub mod region;
pub mod session;
pub mod user;
