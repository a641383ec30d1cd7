//! Widgets shared by several pages, one per file.

pub mod form;
pub mod header;
pub mod invite;
pub mod landing;
pub mod loaded;
pub mod notice;
pub mod user_table;
