//! Platform administrators: their landing page and one page per kind of record they keep.

pub mod categories;
pub mod holidays;
pub mod institutions;
pub mod landing;
pub mod mail;
pub mod organisations;
pub mod regions;
pub mod users;
