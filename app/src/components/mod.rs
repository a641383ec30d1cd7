//! Widgets shared by several pages, one per file.

pub mod case;
pub mod chart;
pub mod filing_form;
pub mod form;
pub mod header;
pub mod invite;
pub mod landing;
pub mod list_filters;
pub mod loaded;
pub mod notice;
pub mod tip_thread;
pub mod url_state;
pub mod user_table;
