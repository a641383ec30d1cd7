//! Widgets shared by several pages, one per file, and the address (query string) helpers
//! they read and write filters with.

pub mod case;
pub mod chart;
pub mod choice_select;
pub mod day;
pub mod file_picker;
pub mod filing_form;
pub mod form;
pub mod header;
pub mod invite;
pub mod landing;
pub mod list_filters;
pub mod loaded;
pub mod notice;
pub mod queue;
pub mod tip_thread;
pub mod url_query;
pub mod url_state;
pub mod user_table;
