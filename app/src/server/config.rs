//! Settings read from the environment by the binary; see the README for each variable.

use std::path::PathBuf;

#[derive(Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    /// Never logged as is: it may hold a password.
    pub database_url: String,
    /// The address users reach the portal at, used in e-mailed links.
    pub public_url: String,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// Attempts before a mail is marked dead (temporary failures are retried).
    pub mail_max_attempts: i32,
    /// The first retry waits this long; each next one twice as long (at most an hour).
    pub mail_retry_seconds: u64,
    /// The hour (UTC, which is Mali's time) at which daily digests leave.
    pub digest_hour: u32,
    /// How long a worker's claim on a row holds; after that (a worker that died) another
    /// worker sends it.
    pub mail_claim_seconds: i64,
    /// Whether this instance runs an outbox worker (web-only instances may not).
    pub outbox_worker: bool,
    /// Whether this instance runs the deadline jobs (reminders, overdue notices, automatic
    /// escalation). Tests with fixed dates turn them off.
    pub deadline_jobs: bool,
    /// Observation saves (drafts and submissions) one account may make in a row before the
    /// limit of one every 30 seconds applies.
    pub filing_burst: u32,
    /// Anonymous tips accepted in a row across all addresses before the limit of one a minute
    /// applies (each address has its own, lower limit too).
    pub tips_global_burst: u32,
    /// The space tip evidence may take on disk (originals and cleaned copies); an upload that
    /// would pass it is refused in words, with nothing kept.
    pub tip_files_max_bytes: u64,
    /// Slow hashes (Argon2id) that may run at once in this process; by default one per core.
    pub hashing_permits: usize,
}

/// One slow hash at a time per core.
pub fn default_hashing_permits() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Written out with the database and SMTP passwords hidden.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("data_dir", &self.data_dir)
            .field("database_url", &self.database_url_redacted())
            .field("public_url", &self.public_url)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("mail_max_attempts", &self.mail_max_attempts)
            .field("mail_retry_seconds", &self.mail_retry_seconds)
            .field("filing_burst", &self.filing_burst)
            .field("tips_global_burst", &self.tips_global_burst)
            .field("tip_files_max_bytes", &self.tip_files_max_bytes)
            .field("hashing_permits", &self.hashing_permits)
            .field("digest_hour", &self.digest_hour)
            .field("mail_claim_seconds", &self.mail_claim_seconds)
            .field("outbox_worker", &self.outbox_worker)
            .field("deadline_jobs", &self.deadline_jobs)
            .finish()
    }
}

impl Settings {
    /// Cookies get `Secure` and the `__Host-` prefix when the portal is served over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn session_cookie_name(&self) -> &'static str {
        if self.secure_cookies() {
            "__Host-veille_session"
        } else {
            "veille_session"
        }
    }

    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }

    /// `DATABASE_URL` with any password replaced, for logs.
    pub fn database_url_redacted(&self) -> String {
        redact_url(&self.database_url)
    }
}

pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://***@{}", &url[..scheme_end], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            super::redact_url("postgres://veille:s3cret@db:5432/veille"),
            "postgres://***@db:5432/veille"
        );
        assert_eq!(
            super::redact_url("sqlite://data/veille.db?mode=rwc"),
            "sqlite://data/veille.db?mode=rwc"
        );
    }
}
