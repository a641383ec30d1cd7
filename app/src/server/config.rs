//! Configuration: every environment variable of the README's table read in one place, each into
//! its type, refusing at start any value it cannot read and naming the variable.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

/// Every variable the loader reads, in the README's order (plus `LEPTOS_SITE_PKG_DIR`, set by the
/// scripts and cargo-leptos).
pub const VARIABLES: [&str; 22] = [
    "DATABASE_URL",
    "DATABASE_POOL",
    "DATA_DIR",
    "LEPTOS_SITE_ADDR",
    "LEPTOS_SITE_ROOT",
    "LEPTOS_SITE_PKG_DIR",
    "PUBLIC_URL",
    "SMTP_URL",
    "MAIL_FROM",
    "MAIL_MAX_ATTEMPTS",
    "MAIL_RETRY_SECONDS",
    "MAIL_CLAIM_SECONDS",
    "MAIL_CONCURRENCY",
    "MAIL_DIGEST_HOUR",
    "OUTBOX_WORKER",
    "DEADLINE_JOBS",
    "FILING_BURST",
    "TIPS_GLOBAL_BURST",
    "TIP_FILES_MAX_MB",
    "HASHING_PERMITS",
    "MAX_IN_FLIGHT",
    "RUST_LOG",
];

/// The log filter when `RUST_LOG` is unset: the portal at `info`, the database and session
/// libraries only when they warn.
pub const DEFAULT_LOG_FILTER: &str = "info,sqlx=warn,sea_orm=warn,tower_sessions=warn";

/// Everything the `veille` binary takes from its environment: the application's [`Settings`],
/// and where it listens, what it serves and what it logs.
#[derive(Clone, Debug)]
pub struct Config {
    pub settings: Settings,
    pub site_addr: SocketAddr,
    pub site_root: String,
    pub site_pkg_dir: String,
    pub log_filter: String,
}

/// A variable whose value cannot be read. The value is shown (with any password hidden), so
/// that the operator sees what the server saw.
#[derive(Debug, thiserror::Error)]
#[error("{variable}: expected {expected}, got '{got}'")]
pub struct ConfigError {
    pub variable: &'static str,
    pub expected: &'static str,
    pub got: String,
}

impl Config {
    /// Reads the process's environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        let mut values = std::collections::HashMap::new();
        for variable in VARIABLES {
            if let Some(value) = std::env::var_os(variable) {
                let value = value.into_string().map_err(|value| ConfigError {
                    variable,
                    expected: "text in UTF-8",
                    got: value.to_string_lossy().into_owned(),
                })?;
                values.insert(variable, value);
            }
        }
        Config::from_vars(|name| values.get(name).cloned())
    }

    /// Reads the variables through `lookup` (the environment, or a map in tests). A variable that
    /// is unset or blank takes its default.
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let vars = Vars(lookup);
        let data_dir = PathBuf::from(vars.text("DATA_DIR").unwrap_or_else(|| "./data".into()));
        let site_addr = vars.parse(
            "LEPTOS_SITE_ADDR",
            "an address and port such as 127.0.0.1:3000",
            SocketAddr::from(([127, 0, 0, 1], 3000)),
            |_| true,
        )?;
        let database_url = match vars.text("DATABASE_URL") {
            Some(url) => {
                let known = ["sqlite:", "postgres://", "postgresql://"];
                if !known.iter().any(|scheme| url.starts_with(scheme)) {
                    return Err(ConfigError {
                        variable: "DATABASE_URL",
                        expected: "sqlite://… or postgres://…",
                        got: redact_url(&url),
                    });
                }
                url
            }
            None => format!("sqlite://{}?mode=rwc", data_dir.join("veille.db").display()),
        };
        let public_url = match vars.text("PUBLIC_URL") {
            Some(url) => {
                let host = url
                    .strip_prefix("https://")
                    .or_else(|| url.strip_prefix("http://"));
                if host.is_none_or(str::is_empty) {
                    return Err(ConfigError {
                        variable: "PUBLIC_URL",
                        expected: "an address starting with http:// or https://",
                        got: url,
                    });
                }
                url
            }
            None => format!("http://{site_addr}"),
        };
        let smtp_url = vars.text("SMTP_URL");
        if let Some(url) = &smtp_url {
            use lettre::{AsyncSmtpTransport, Tokio1Executor};
            if AsyncSmtpTransport::<Tokio1Executor>::from_url(url).is_err() {
                return Err(ConfigError {
                    variable: "SMTP_URL",
                    expected: "smtp://host:port, smtps://user:pass@host or smtp://host?tls=required",
                    got: redact_url(url),
                });
            }
        }
        let mail_from = vars
            .text("MAIL_FROM")
            .unwrap_or_else(|| "Veille <ne-pas-repondre@veille.invalid>".into());
        if mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError {
                variable: "MAIL_FROM",
                expected: "a sender such as 'Veille <ne-pas-repondre@example.org>'",
                got: mail_from,
            });
        }
        let log_filter = vars
            .text("RUST_LOG")
            .unwrap_or_else(|| DEFAULT_LOG_FILTER.into());
        if tracing_subscriber::EnvFilter::try_new(&log_filter).is_err() {
            return Err(ConfigError {
                variable: "RUST_LOG",
                expected: "a log filter such as 'info' or 'warn,app=debug'",
                got: log_filter,
            });
        }
        const AT_LEAST_ONE: &str = "a whole number, at least 1";
        let settings = Settings {
            database_url,
            public_url,
            smtp_url,
            mail_from,
            mail_max_attempts: vars.parse("MAIL_MAX_ATTEMPTS", AT_LEAST_ONE, 8, |n| *n >= 1)?,
            mail_retry_seconds: vars.parse("MAIL_RETRY_SECONDS", "a whole number", 60, |_| true)?,
            digest_hour: vars
                .parse("MAIL_DIGEST_HOUR", "an hour from 0 to 23", 18, |h| *h <= 23)?,
            mail_claim_seconds: vars.parse("MAIL_CLAIM_SECONDS", AT_LEAST_ONE, 120, |n| *n >= 1)?,
            mail_concurrency: vars.parse(
                "MAIL_CONCURRENCY",
                "a whole number from 1 to 256",
                64,
                |n| (1..=256).contains(n),
            )?,
            outbox_worker: vars.switch("OUTBOX_WORKER")?,
            deadline_jobs: vars.switch("DEADLINE_JOBS")?,
            filing_burst: vars.parse("FILING_BURST", AT_LEAST_ONE, 20, |n| *n >= 1)?,
            tips_global_burst: vars.parse("TIPS_GLOBAL_BURST", AT_LEAST_ONE, 30, |n| *n >= 1)?,
            tip_files_max_bytes: vars.parse::<u64>(
                "TIP_FILES_MAX_MB",
                "a whole number of megabytes",
                2048,
                |mb| mb.checked_mul(1024 * 1024).is_some(),
            )? * 1024
                * 1024,
            hashing_permits: vars.parse(
                "HASHING_PERMITS",
                AT_LEAST_ONE,
                default_hashing_permits(),
                |n| *n >= 1,
            )?,
            max_in_flight: vars.parse(
                "MAX_IN_FLIGHT",
                "a whole number from 1 to 1000000",
                256,
                |n| (1..=1_000_000).contains(n),
            )?,
            database_pool: vars.parse("DATABASE_POOL", AT_LEAST_ONE, 8, |n| *n >= 1)?,
            data_dir,
        };
        Ok(Config {
            settings,
            site_addr,
            site_root: vars
                .text("LEPTOS_SITE_ROOT")
                .unwrap_or_else(|| "target/site".into()),
            site_pkg_dir: vars
                .text("LEPTOS_SITE_PKG_DIR")
                .unwrap_or_else(|| "pkg".into()),
            log_filter,
        })
    }
}

/// The variables, looked up one by one; blank counts as unset.
struct Vars<F>(F);

impl<F: Fn(&str) -> Option<String>> Vars<F> {
    fn text(&self, variable: &str) -> Option<String> {
        (self.0)(variable).filter(|value| !value.trim().is_empty())
    }

    /// The variable read as a `T` that passes `valid`, or `default` when unset.
    fn parse<T: FromStr>(
        &self,
        variable: &'static str,
        expected: &'static str,
        default: T,
        valid: impl Fn(&T) -> bool,
    ) -> Result<T, ConfigError> {
        let Some(text) = self.text(variable) else {
            return Ok(default);
        };
        match text.trim().parse::<T>() {
            Ok(value) if valid(&value) => Ok(value),
            _ => Err(ConfigError {
                variable,
                expected,
                got: text,
            }),
        }
    }

    /// `on` (the default) or `off`.
    fn switch(&self, variable: &'static str) -> Result<bool, ConfigError> {
        let Some(text) = self.text(variable) else {
            return Ok(true);
        };
        match text.trim().to_ascii_lowercase().as_str() {
            "on" => Ok(true),
            "off" => Ok(false),
            _ => Err(ConfigError {
                variable,
                expected: "on or off",
                got: text,
            }),
        }
    }
}

/// What the application needs to run, whoever starts it (the binary through [`Config`], tests
/// directly).
#[derive(Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    /// Never logged as is: it may hold a password.
    pub database_url: String,
    /// Connections the pool holds (SQLite: readers in parallel, writes one at a time).
    pub database_pool: u32,
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
    /// Mails one instance's worker has in flight at once, each on its own SMTP connection
    /// (kept open between mails). A worker killed mid-way may send at most these again. Many,
    /// because each mail waits some 70 ms on its connection: lettre writes a message and its
    /// final dot separately, and the second write waits for the server's delayed TCP
    /// acknowledgement of the first.
    pub mail_concurrency: usize,
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
    /// Requests this instance serves at once; one more is answered at once with 503 and
    /// `Retry-After` (a page in words), never queued behind the others.
    pub max_in_flight: usize,
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
            .field("mail_concurrency", &self.mail_concurrency)
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
    use std::collections::HashMap;

    use super::Config;

    fn load(vars: &[(&str, &str)]) -> Result<Config, super::ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_vars(|name| vars.get(name).cloned())
    }

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

    #[test]
    fn unset_and_blank_variables_take_the_defaults() {
        let config =
            load(&[("MAIL_MAX_ATTEMPTS", " "), ("DATA_DIR", "/srv/veille")]).expect("defaults");
        let settings = &config.settings;
        assert_eq!(
            settings.database_url,
            "sqlite:///srv/veille/veille.db?mode=rwc"
        );
        assert_eq!(settings.public_url, "http://127.0.0.1:3000");
        assert_eq!(
            settings.mail_from,
            "Veille <ne-pas-repondre@veille.invalid>"
        );
        assert_eq!(settings.mail_max_attempts, 8);
        assert_eq!(settings.mail_retry_seconds, 60);
        assert_eq!(settings.mail_claim_seconds, 120);
        assert_eq!(settings.mail_concurrency, 64);
        assert_eq!(settings.digest_hour, 18);
        assert!(settings.outbox_worker && settings.deadline_jobs);
        assert_eq!(settings.filing_burst, 20);
        assert_eq!(settings.tips_global_burst, 30);
        assert_eq!(settings.tip_files_max_bytes, 2048 * 1024 * 1024);
        assert_eq!(settings.hashing_permits, super::default_hashing_permits());
        assert_eq!(config.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.site_root, "target/site");
        assert_eq!(config.log_filter, super::DEFAULT_LOG_FILTER);
    }

    #[test]
    fn values_are_read_into_their_types() {
        let config = load(&[
            ("LEPTOS_SITE_ADDR", "0.0.0.0:8080"),
            ("MAIL_MAX_ATTEMPTS", "3"),
            ("MAIL_DIGEST_HOUR", "0"),
            ("OUTBOX_WORKER", "off"),
            ("DEADLINE_JOBS", "On"),
            ("TIP_FILES_MAX_MB", "1"),
            ("PUBLIC_URL", "https://veille.example.org"),
        ])
        .expect("settings");
        assert_eq!(config.settings.public_url, "https://veille.example.org");
        assert_eq!(config.settings.mail_max_attempts, 3);
        assert_eq!(config.settings.digest_hour, 0);
        assert!(!config.settings.outbox_worker);
        assert!(config.settings.deadline_jobs);
        assert_eq!(config.settings.tip_files_max_bytes, 1024 * 1024);
        assert_eq!(config.site_addr.port(), 8080);
    }

    #[test]
    fn a_value_that_cannot_be_read_is_refused_with_the_variables_name() {
        let refusal =
            |name: &str, value: &str| load(&[(name, value)]).expect_err("refused").to_string();
        assert_eq!(
            refusal("MAIL_MAX_ATTEMPTS", "abc"),
            "MAIL_MAX_ATTEMPTS: expected a whole number, at least 1, got 'abc'"
        );
        assert_eq!(
            refusal("MAIL_DIGEST_HOUR", "25"),
            "MAIL_DIGEST_HOUR: expected an hour from 0 to 23, got '25'"
        );
        assert_eq!(
            refusal("OUTBOX_WORKER", "no"),
            "OUTBOX_WORKER: expected on or off, got 'no'"
        );
        for (name, value) in [
            ("MAIL_RETRY_SECONDS", "-1"),
            ("MAIL_CLAIM_SECONDS", "0"),
            ("MAIL_CONCURRENCY", "0"),
            ("MAIL_CONCURRENCY", "1000"),
            ("FILING_BURST", "1.5"),
            ("TIPS_GLOBAL_BURST", "0"),
            ("TIP_FILES_MAX_MB", "2G"),
            ("HASHING_PERMITS", "many"),
            ("DEADLINE_JOBS", "maybe"),
            ("LEPTOS_SITE_ADDR", "localhost"),
            ("PUBLIC_URL", "veille.example.org"),
            ("SMTP_URL", "mail.example.org"),
            ("MAIL_FROM", "nobody"),
            ("RUST_LOG", "info,[="),
        ] {
            let message = refusal(name, value);
            assert!(
                message.starts_with(&format!("{name}: expected ")),
                "{message}"
            );
            assert!(message.ends_with(&format!("got '{value}'")), "{message}");
        }
    }

    #[test]
    fn a_refused_database_address_hides_its_password() {
        let message = load(&[("DATABASE_URL", "mysql://veille:s3cret@db/veille")])
            .expect_err("refused")
            .to_string();
        assert_eq!(
            message,
            "DATABASE_URL: expected sqlite://… or postgres://…, got 'mysql://***@db/veille'"
        );
    }
}
