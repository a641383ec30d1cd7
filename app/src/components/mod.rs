//! Widgets shared by several pages, one per file.

pub mod form;
pub mod header;
pub mod notice;
pub mod landing;
pub mod invite;
pub mod user_table;
pub mod loaded;
