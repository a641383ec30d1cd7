//! Anonymous tips: the public form, its receipt and follow-up, and the NHRC's queue and
//! tip page.

pub mod detail;
pub mod follow;
pub mod list;
pub mod new;
pub mod receipt;
