//! NHRC monitors: their landing page, approving monitor accounts, the audit log.

pub mod approvals;
pub mod audit_log;
pub mod landing;
pub mod sensitive;
