//! Civil-society organisations: the landing page of their members, and their coordinators'
//! member management.

pub mod landing;
pub mod members;
