//! Attached files: what each is for, and the limits checked by the server on every upload and,
//! with JavaScript, by the file picker before anything is sent.

named_enum!(
    /// What a file attached to a case is: the filer's evidence, or a document an institution
    /// joined to its referral.
    AttachmentPurpose {
        Evidence => "evidence",
        Document => "document",
    }
);

/// Per file; phones record long voice notes, so audio needs room.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// Per observation (evidence), per referral (documents) or per tip.
pub const MAX_FILES: usize = 10;
