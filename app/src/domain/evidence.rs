//! The limits on attached files, checked by the server on every upload and, with JavaScript, by
//! the file picker before anything is sent.

/// Per file; phones record long voice notes, so audio needs room.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// Per observation (evidence), per referral (documents) or per tip.
pub const MAX_FILES: usize = 10;
