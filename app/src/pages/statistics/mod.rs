//! Figures: the dashboard for signed-in users (within their scope) and the public
//! transparency page.

pub mod dashboard;
pub mod transparency;
