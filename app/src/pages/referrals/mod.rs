//! Institution liaisons: their landing page, their referrals inbox, one referral.

pub mod detail;
pub mod landing;
pub mod list;
pub mod sensitive;
