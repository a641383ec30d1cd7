//! Who is calling: password hashing (Argon2id), the signed-in user from the session, role
//! checks for server functions, where a sign-in may lead next, and login throttling held in
//! memory only.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, SaltString, rand_core::OsRng};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use sea_orm::EntityTrait;
use tower_sessions::Session;
use uuid::Uuid;

use super::entities::user;
use super::session_store::USER_ID_KEY;
use super::{AppState, state, unexpected};
use crate::domain::{Locale, Role};
use crate::error::AppError;

/// A session ends after this long without a request (set on the session layer).
pub const IDLE_TIMEOUT_MINUTES: i64 = 30;
/// …and this long after sign-in, whatever the activity.
pub const ABSOLUTE_TIMEOUT_HOURS: i64 = 12;
const SIGNED_IN_AT_KEY: &str = "signed_in_at";
/// A session that passed the password but not yet the second step holds these instead of the
/// user id, so nothing that asks for the signed-in user ever sees it.
pub const PENDING_USER_KEY: &str = "pending_user_id";
const PENDING_STAGE_KEY: &str = "pending_stage";
const PENDING_SINCE_KEY: &str = "pending_since";
/// The secret being enrolled, until a first code confirms it.
pub const ENROL_SECRET_KEY: &str = "enrol_secret";
/// What a session may hold from before a sign-in (another person on a shared device, an
/// abandoned enrolment, a tip opened with its receipt): all of it goes at each sign-in step.
const LEFTOVER_KEYS: [&str; 5] = [
    PENDING_USER_KEY,
    PENDING_STAGE_KEY,
    PENDING_SINCE_KEY,
    ENROL_SECRET_KEY,
    TIP_KEY,
];
/// The session key holding the one tip a receipt opened; never in the same session as an
/// account (see [`open_tip_session`]).
pub const TIP_KEY: &str = "tip_id";
/// The second step must follow the password within this time.
const PENDING_MINUTES: i64 = 10;

/// What a session that passed only the password still has to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecondStep {
    /// Give a code from the enrolled app (or a recovery code).
    Code,
    /// Enrol an app first (roles that must have a second factor).
    Enrol,
}

impl SecondStep {
    /// What comes after the password for this account, if anything.
    pub fn after_password(role: Role, enrolled: bool) -> Option<SecondStep> {
        if enrolled {
            Some(SecondStep::Code)
        } else if role.requires_second_factor() {
            Some(SecondStep::Enrol)
        } else {
            None
        }
    }

    pub fn path(self) -> &'static str {
        match self {
            SecondStep::Code => "/login/code",
            SecondStep::Enrol => "/security",
        }
    }
}

/// Where a sign-in may lead once it is complete (`next`): a path of this portal's own pages,
/// of a known shape (one leading `/`, then path and query characters only: no `//`, no
/// scheme, no backslash, no encoded slash), never the sign-in pages themselves nor the API.
/// Anything else is refused (`None`), and the user lands on their role's page instead, so a
/// forged link can never send someone to another site.
pub fn local_next(next: &str) -> Option<&str> {
    const LONGEST: usize = 512;
    let rest = next.strip_prefix('/')?;
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~/?=&%+,".contains(c);
    let lower = next.to_ascii_lowercase();
    let first = rest.split(['/', '?']).next().unwrap_or_default();
    let known = next.len() <= LONGEST
        && next.chars().all(allowed)
        && !next.contains("//")
        && !next.contains("..")
        && !lower.contains("%2f")
        && !lower.contains("%5c")
        && first.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        && !matches!(first, "api" | "pkg" | "login" | "exit");
    known.then_some(next)
}

/// `base` with `next` in its query when `next` is a [`local_next`], else `base` alone.
pub fn with_next(base: &str, next: Option<&str>) -> String {
    match next.and_then(local_next) {
        Some(next) => {
            // Slashes kept: the path stays readable in the address bar.
            let value = crate::model::query_value(next).replace("%2F", "/");
            format!("{base}?next={value}")
        }
        None => base.to_string(),
    }
}

/// The step a session that passed only the password is waiting for, read from the session
/// alone (no account lookup: this only chooses where to send the browser; the step itself
/// checks the account).
pub async fn waiting_step(session: &Session) -> Option<SecondStep> {
    let step: SecondStep = session.get(PENDING_STAGE_KEY).await.ok()??;
    let since: i64 = session.get(PENDING_SINCE_KEY).await.ok()??;
    (chrono::Utc::now().timestamp() - since <= PENDING_MINUTES * 60).then_some(step)
}

/// The signed-in user as the server sees them; never sent to the browser as is.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub locale: Locale,
    pub organisation_id: Option<Uuid>,
    pub institution_id: Option<Uuid>,
    /// Holds the permission to read cases in a sensitive category.
    pub sensitive_cases: bool,
    /// A liaison who grants that permission within their institution.
    pub coordinates_institution: bool,
}

impl CurrentUser {
    pub fn from_row(row: &user::Model) -> Option<Self> {
        Some(Self {
            id: row.id,
            email: row.email.clone(),
            display_name: row.display_name.clone(),
            role: Role::parse(&row.role)?,
            locale: Locale::parse(&row.locale).unwrap_or_default(),
            organisation_id: row.organisation_id,
            institution_id: row.institution_id,
            sensitive_cases: row.sensitive_cases,
            coordinates_institution: row.coordinates_institution,
        })
    }
}

thread_local! {
    /// This thread's Argon2 working memory (19 MiB with the default parameters), kept from
    /// one hash to the next: allocated and freed at each hash, the allocator kept it anyway
    /// in arenas it did not reuse (measured: three floods of sign-ins left the server over
    /// 300 MB larger, on two hashing threads).
    static ARGON2_BLOCKS: std::cell::RefCell<Vec<argon2::Block>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Argon2 of `secret` under `salt` into `out`, in this thread's kept working memory.
fn argon2_into(
    hasher: &Argon2<'_>,
    secret: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), argon2::Error> {
    ARGON2_BLOCKS.with(|blocks| {
        let mut blocks = blocks.borrow_mut();
        let count = hasher.params().block_count();
        if blocks.len() < count {
            blocks.resize(count, argon2::Block::default());
        }
        hasher.hash_password_into_with_memory(secret, salt, out, &mut blocks[..count])
    })
}

/// The Argon2id PHC string of `secret` under `salt` (default parameters), computed in this
/// thread's kept memory: passwords, and tip receipts (`tips::receipt_hash`).
pub fn argon2id_phc(secret: &[u8], salt: &SaltString) -> Result<String, AppError> {
    use argon2::password_hash::{Output, ParamsString};
    let hasher = Argon2::default();
    let mut raw = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut raw).map_err(unexpected)?;
    let length = hasher
        .params()
        .output_len()
        .unwrap_or(argon2::Params::DEFAULT_OUTPUT_LEN);
    let output = Output::init_with(length, |out| {
        Ok(argon2_into(&hasher, secret, salt_bytes, out)?)
    })
    .map_err(unexpected)?;
    let phc = PasswordHash {
        algorithm: argon2::Algorithm::Argon2id.ident(),
        version: Some(argon2::Version::V0x13.into()),
        params: ParamsString::try_from(hasher.params()).map_err(unexpected)?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

fn hash_now(password: &str) -> Result<String, AppError> {
    argon2id_phc(password.as_bytes(), &SaltString::generate(&mut OsRng))
}

/// Argon2id of `password`, outside any limit: for the command line, the demo data and tests.
/// Requests go through [`HashGate`] instead ([`Throttle::hash_password`]).
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_now(&password))
        .await
        .map_err(unexpected)?
}

/// Verifies in constant work whether or not the account exists (a dummy hash is checked when
/// there is none), so timing does not reveal which e-mail addresses have accounts.
fn verify_now(password: &str, hash: Option<String>) -> Result<bool, AppError> {
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3Mv1G0pVnYhTsyDCXyTgLxbBOSkH4zhkRzD45pOrKXw";
    let known = hash.is_some();
    let hash = hash.unwrap_or_else(|| DUMMY.to_string());
    let parsed = PasswordHash::new(&hash).map_err(unexpected)?;
    // As `PasswordVerifier` does, but in this thread's kept memory.
    let hasher = Argon2::new(
        argon2::Algorithm::try_from(parsed.algorithm).map_err(unexpected)?,
        parsed
            .version
            .map(argon2::Version::try_from)
            .transpose()
            .map_err(unexpected)?
            .unwrap_or_default(),
        argon2::Params::try_from(&parsed).map_err(unexpected)?,
    );
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Err(unexpected("a stored password hash without salt or hash"));
    };
    let mut raw = [0u8; 64];
    let salt = salt.decode_b64(&mut raw).map_err(unexpected)?;
    let mut out = vec![0u8; expected.len()];
    argon2_into(&hasher, password.as_bytes(), salt, &mut out).map_err(unexpected)?;
    // `Output` compares in constant time.
    let ok = argon2::password_hash::Output::new(&out).is_ok_and(|out| out == expected);
    Ok(known && ok)
}

/// How long a request waits for its turn at a slow hash before it is told the server is busy.
const HASH_WAIT: Duration = Duration::from_secs(2);
/// Requests that may wait for a turn, per hash that may run at once.
const HASH_QUEUE_PER_PERMIT: usize = 4;

/// The cap on Argon2id work for the whole process (sign-in, password links, tip receipts):
/// each hash takes about 19 MiB and a core for a moment, so at most `permits` run at once
/// (by default one per core); a few more requests may wait up to two seconds for a turn, and
/// the rest are told at once that the service is busy ([`AppError::Busy`], 503 in words).
///
/// The hashes run on `permits` threads of their own, not on the blocking pool: the allocator
/// keeps freed memory per thread, so hashes spread over the pool's many threads each left
/// their 19 MiB behind (measured on the release build: 27 MB at rest, 440 MB after three
/// floods of sign-ins, never given back). On a few threads of its own, memory for hashing
/// stays near `permits` × 19 MiB whatever arrives.
pub struct HashGate {
    permits: Arc<tokio::sync::Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
    jobs: std::sync::mpsc::Sender<HashJob>,
}

type HashJob = Box<dyn FnOnce() + Send>;

/// Leaves the queue when the waiting request ends, however it ends.
struct InQueue<'a>(&'a AtomicUsize);

impl Drop for InQueue<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl HashGate {
    pub fn new(permits: usize) -> Self {
        let permits = permits.max(1);
        let (jobs, queue) = std::sync::mpsc::channel::<HashJob>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..permits {
            let queue = Arc::clone(&queue);
            let spawned = std::thread::Builder::new()
                .name(format!("veille-hash-{n}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while taking a job, not while it runs.
                        let job = match queue.lock() {
                            Ok(queue) => queue.recv(),
                            Err(_) => return,
                        };
                        match job {
                            // A job that panics is reported to its caller as unexpected (its
                            // answer never comes); the thread goes on.
                            Ok(job) => {
                                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                            }
                            // The gate is gone.
                            Err(_) => return,
                        }
                    }
                });
            if let Err(error) = spawned {
                tracing::error!(%error, "cannot start a hashing thread");
            }
        }
        Self {
            permits: Arc::new(tokio::sync::Semaphore::new(permits)),
            waiting: AtomicUsize::new(0),
            max_waiting: permits * HASH_QUEUE_PER_PERMIT,
            jobs,
        }
    }

    /// Runs `work` (a slow hash) on the hashing threads once a turn is free; `Busy` if none
    /// comes soon enough. The turn is held until the work ends, even if the request is gone.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Err(AppError::Busy);
                }
                let _queued = InQueue(&self.waiting);
                match tokio::time::timeout(HASH_WAIT, self.permits.clone().acquire_owned()).await {
                    Ok(Ok(permit)) => permit,
                    _ => return Err(AppError::Busy),
                }
            }
        };
        let (answer, answered) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = answer.send(work());
                drop(permit);
            }))
            .map_err(|_| unexpected("no hashing thread is running"))?;
        answered
            .await
            .map_err(|_| unexpected("a hashing job ended without an answer"))
    }
}

/// The key an address is throttled under: an IPv4 address as it is; an IPv6 address by its
/// /64 network (a subscriber or a host usually holds a whole /64: counted address by address,
/// one client would have 2^64 allowances); an IPv4-mapped IPv6 address as its IPv4 address.
/// Every limit per address goes through here.
pub fn throttling_key(address: IpAddr) -> IpAddr {
    match address.to_canonical() {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
    }
}

/// An allowance of failures per key: `burst` in a row, then one every `period` (the same
/// cell rate as governor's limiters). Unlike those, an attempt taken up front can be given
/// back or the key's failures cleared once the attempt turns out right, so that only failures
/// use the allowance up. Taking before checking (not peeking) keeps concurrent guesses within
/// the allowance too.
struct Failures<K> {
    burst: u32,
    period: Duration,
    /// When each key's allowance is whole again (absent: whole now).
    full_at: Mutex<HashMap<K, Instant>>,
}

impl<K: Hash + Eq + Clone> Failures<K> {
    fn new(burst: u32, period: Duration) -> Self {
        Self {
            burst: burst.max(1),
            period,
            full_at: Mutex::new(HashMap::new()),
        }
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<K, Instant>> {
        self.full_at
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Takes one attempt from the allowance of `key`, if any is left.
    fn take(&self, key: &K) -> bool {
        let now = Instant::now();
        let mut map = self.map();
        let from = map.get(key).copied().filter(|at| *at > now).unwrap_or(now);
        let next = from + self.period;
        if next.duration_since(now) > self.period * self.burst {
            return false;
        }
        map.insert(key.clone(), next);
        true
    }

    /// Gives back one attempt taken from `key`'s allowance.
    fn give_back(&self, key: &K) {
        let now = Instant::now();
        let mut map = self.map();
        if let Some(at) = map.get_mut(key) {
            match at.checked_sub(self.period) {
                Some(earlier) if earlier > now => *at = earlier,
                _ => {
                    map.remove(key);
                }
            }
        }
    }

    /// Forgets every failure of `key`.
    fn clear(&self, key: &K) {
        self.map().remove(key);
    }

    fn forget_stale(&self) {
        let now = Instant::now();
        self.map().retain(|_, at| *at > now);
    }
}

/// In-memory abuse limits (sign-in, second step, password links and resets, filing, anonymous
/// tips and their receipts); nothing of them is written to disk or to the logs. Addresses are
/// keyed by [`throttling_key`] (IPv6 by /64).
///
/// Sign-in and second-step codes count failures only: an attempt is taken from the allowances
/// before the password (or code) is checked, and given back when it was right, which also
/// clears the failures of that account on that device (or from that address, for a device the
/// account never used). From a device where the account signed in before (it holds a device
/// cookie), only that device's own failures count. From any other device, three limits apply:
/// per account and client address, per account across all addresses (so many addresses cannot
/// guess one password quickly), and per address across accounts. An attacker can thus slow
/// down new devices for an account, but never lock its owner out of a device they already use.
pub struct Throttle {
    per_account_address: Failures<(String, IpAddr)>,
    per_account: Failures<String>,
    per_address: Failures<IpAddr>,
    per_device: Failures<String>,
    second_factor_per_user: Failures<Uuid>,
    reset_per_email: DefaultKeyedRateLimiter<String>,
    reset_per_address: DefaultKeyedRateLimiter<IpAddr>,
    set_password_per_address: DefaultKeyedRateLimiter<IpAddr>,
    /// Across all addresses: links are looked up before any hash, but a flood still costs.
    set_passwords: DefaultDirectRateLimiter,
    filing_per_user: DefaultKeyedRateLimiter<Uuid>,
    tip_per_address: DefaultKeyedRateLimiter<IpAddr>,
    /// Across all addresses: many addresses must not fill the tips table and the disk.
    tips: DefaultDirectRateLimiter,
    receipt_per_address: DefaultKeyedRateLimiter<IpAddr>,
    /// Across all addresses: Tor users share a few, and guessing must stay slow for everyone.
    receipts: DefaultDirectRateLimiter,
    /// SHA-256 of each device cookie → the account it signed in to, and when.
    devices: Mutex<HashMap<String, (String, Instant)>>,
    /// The cap on slow hashes running at once, for the whole process.
    pub hashing: HashGate,
}

/// Name of the cookie that marks a device where an account signed in before.
pub const DEVICE_COOKIE: &str = "veille_device";
/// Name of the cookie holding the token of a tip receipt waiting to be shown once.
pub const RECEIPT_COOKIE: &str = "veille_receipt";
/// Name of the cookie holding the token of a tip held back by the rate limit, to be shown
/// again once in the form.
pub const TIP_DRAFT_COOKIE: &str = "veille_tip_draft";
const DEVICE_MEMORY: Duration = Duration::from_secs(90 * 24 * 3600);

fn quota(burst: u32, one_every: Duration) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(one_every)
        .map(|q| q.allow_burst(burst))
        .unwrap_or_else(|| Quota::per_minute(burst))
}

/// What a sign-in attempt took from the allowances, settled once the password is checked: a
/// wrong password keeps it taken (drop it), a right one gives it back ([`Throttle::succeeded`]).
#[must_use]
pub struct SignInAttempt {
    email: String,
    from: AttemptFrom,
}

enum AttemptFrom {
    /// The SHA-256 of a device cookie the account signed in with before.
    KnownDevice(String),
    /// The throttling key of the client's address.
    NewDevice(IpAddr),
}

impl Throttle {
    /// The limits, with the filing allowance, the global tip rate and the hashing cap of the
    /// settings.
    pub fn new(settings: &super::Settings) -> Self {
        Self::with_limits(
            settings.filing_burst,
            settings.tips_global_burst,
            settings.hashing_permits,
        )
    }

    fn with_limits(filing_burst: u32, tips_global_burst: u32, hashing_permits: usize) -> Self {
        Self {
            per_account_address: Failures::new(5, Duration::from_secs(60)),
            per_account: Failures::new(20, Duration::from_secs(180)),
            per_address: Failures::new(30, Duration::from_secs(2)),
            per_device: Failures::new(5, Duration::from_secs(60)),
            second_factor_per_user: Failures::new(5, Duration::from_secs(120)),
            reset_per_email: RateLimiter::keyed(quota(3, Duration::from_secs(600))),
            reset_per_address: RateLimiter::keyed(quota(10, Duration::from_secs(60))),
            set_password_per_address: RateLimiter::keyed(quota(10, Duration::from_secs(6))),
            set_passwords: RateLimiter::direct(quota(200, Duration::from_millis(50))),
            filing_per_user: RateLimiter::keyed(quota(filing_burst, Duration::from_secs(30))),
            tip_per_address: RateLimiter::keyed(quota(
                crate::domain::tip::TIP_BURST_PER_ADDRESS,
                Duration::from_secs(crate::domain::tip::TIP_MINUTES_PER_ADDRESS * 60),
            )),
            tips: RateLimiter::direct(quota(tips_global_burst, Duration::from_secs(60))),
            receipt_per_address: RateLimiter::keyed(quota(5, Duration::from_secs(60))),
            receipts: RateLimiter::direct(quota(60, Duration::from_secs(1))),
            devices: Default::default(),
            hashing: HashGate::new(hashing_permits),
        }
    }
}

impl Throttle {
    fn known_device(&self, email: &str, device: Option<&str>) -> Option<String> {
        let hash = super::sha256_hex(device?);
        let devices = self.devices.lock().ok()?;
        let (account, since) = devices.get(&hash)?;
        (account == email && since.elapsed() < DEVICE_MEMORY).then_some(hash)
    }

    /// Takes a sign-in attempt from the allowances that apply, or refuses it (taking nothing).
    pub fn check(
        &self,
        email: &str,
        address: IpAddr,
        device: Option<&str>,
    ) -> Result<SignInAttempt, AppError> {
        let email = email.to_owned();
        match self.known_device(&email, device) {
            Some(hash) if self.per_device.take(&hash) => Ok(SignInAttempt {
                email,
                from: AttemptFrom::KnownDevice(hash),
            }),
            Some(_) => Err(AppError::TooManyAttempts),
            None => {
                let address = throttling_key(address);
                let pair = (email.clone(), address);
                let taken = [
                    self.per_account_address.take(&pair),
                    self.per_account.take(&email),
                    self.per_address.take(&address),
                ];
                if taken.iter().all(|t| *t) {
                    return Ok(SignInAttempt {
                        email,
                        from: AttemptFrom::NewDevice(address),
                    });
                }
                // Refused: what was taken goes back, a refusal is no failure.
                if taken[0] {
                    self.per_account_address.give_back(&pair);
                }
                if taken[1] {
                    self.per_account.give_back(&email);
                }
                if taken[2] {
                    self.per_address.give_back(&address);
                }
                Err(AppError::TooManyAttempts)
            }
        }
    }

    /// The password was right: the attempt is given back, and the failures of this account on
    /// this device (or from this address, on a new device) are forgotten. The account's
    /// failures from elsewhere and the address's failures on other accounts stay.
    pub fn succeeded(&self, attempt: SignInAttempt) {
        match attempt.from {
            AttemptFrom::KnownDevice(hash) => self.per_device.clear(&hash),
            AttemptFrom::NewDevice(address) => {
                self.per_account_address
                    .clear(&(attempt.email.clone(), address));
                self.per_account.give_back(&attempt.email);
                self.per_address.give_back(&address);
            }
        }
    }

    /// The password could not be checked (the server was busy): the attempt counts for nothing.
    pub fn not_checked(&self, attempt: SignInAttempt) {
        match attempt.from {
            AttemptFrom::KnownDevice(hash) => self.per_device.give_back(&hash),
            AttemptFrom::NewDevice(address) => {
                self.per_account_address
                    .give_back(&(attempt.email.clone(), address));
                self.per_account.give_back(&attempt.email);
                self.per_address.give_back(&address);
            }
        }
    }

    /// Second-step codes: 5 failures per account, then one every two minutes, from anywhere
    /// (the password is already known to whoever is here). Takes one attempt up front; a
    /// right code then calls [`Self::second_factor_passed`].
    pub fn check_second_factor(&self, user_id: Uuid) -> Result<(), AppError> {
        if self.second_factor_per_user.take(&user_id) {
            Ok(())
        } else {
            Err(AppError::TooManyAttempts)
        }
    }

    /// A right code: the account's code failures are forgotten (the owner holds the second
    /// factor; someone who knows the password gains at most five tries per sign-in of the
    /// owner, against a million codes).
    pub fn second_factor_passed(&self, user_id: Uuid) {
        self.second_factor_per_user.clear(&user_id);
    }

    /// Saving or submitting observations: 20 in a row per account, then one every 30 seconds.
    pub fn check_filing(&self, user_id: Uuid) -> Result<(), AppError> {
        self.filing_per_user
            .check_key(&user_id)
            .map_err(|_| AppError::TooManyAttempts)
    }

    /// Anonymous tips: 3 per client address (IPv6: per /64), then one every 10 minutes; and
    /// across all addresses the global allowance of the settings, then one a minute (`Busy`).
    /// The address is checked first, so a refused address uses up nothing of the global rate.
    pub fn check_tip(&self, address: IpAddr) -> Result<(), AppError> {
        self.check_tip_wait(address).map_err(|(error, _)| error)
    }

    /// [`Throttle::check_tip`], with how long until the refused one is taken, from the limiter
    /// itself (its refusal says when, truthfully).
    pub fn check_tip_wait(&self, address: IpAddr) -> Result<(), (AppError, Duration)> {
        use governor::clock::Clock;
        if let Err(not_until) = self.tip_per_address.check_key(&throttling_key(address)) {
            let wait = not_until.wait_time_from(self.tip_per_address.clock().now());
            return Err((AppError::TooManyAttempts, wait));
        }
        self.tips.check().map_err(|not_until| {
            (
                AppError::Busy,
                not_until.wait_time_from(self.tips.clock().now()),
            )
        })
    }

    /// Receipt codes tried: 5 per address, then one a minute, and 60 a second in all (each
    /// try costs a slow hash).
    pub fn check_receipt(&self, address: IpAddr) -> Result<(), AppError> {
        let for_address = self
            .receipt_per_address
            .check_key(&throttling_key(address))
            .is_ok();
        if for_address && self.receipts.check().is_ok() {
            Ok(())
        } else {
            Err(AppError::TooManyAttempts)
        }
    }

    /// Invitation and reset links used: 10 per address, then one every 6 seconds, and 200 in
    /// a row then 20 a second across all addresses (`Busy`). The address is checked first, so
    /// a refused address uses up nothing of the global rate.
    pub fn check_set_password(&self, address: IpAddr) -> Result<(), AppError> {
        self.set_password_per_address
            .check_key(&throttling_key(address))
            .map_err(|_| AppError::TooManyAttempts)?;
        self.set_passwords.check().map_err(|_| AppError::Busy)
    }

    /// Password-reset requests: 3 per address asked about, then one every 10 minutes, and 10
    /// per client address, so nobody can flood a mailbox.
    pub fn check_reset(&self, email: &str, address: IpAddr) -> Result<(), AppError> {
        let for_email = self.reset_per_email.check_key(&email.to_owned()).is_ok();
        let for_address = self
            .reset_per_address
            .check_key(&throttling_key(address))
            .is_ok();
        if for_email && for_address {
            Ok(())
        } else {
            Err(AppError::TooManyAttempts)
        }
    }

    /// Argon2id of a new password, within the process's hashing cap.
    pub async fn hash_password(&self, password: String) -> Result<String, AppError> {
        self.hashing.run(move || hash_now(&password)).await?
    }

    /// [`verify_now`] within the process's hashing cap.
    pub async fn verify_password(
        &self,
        password: String,
        hash: Option<String>,
    ) -> Result<bool, AppError> {
        self.hashing
            .run(move || verify_now(&password, hash))
            .await?
    }

    /// Remembers this device for `email` after a successful sign-in; returns the cookie value.
    pub fn remember_device(&self, email: &str, device: Option<&str>) -> String {
        let token = device
            .filter(|d| self.known_device(email, Some(d)).is_some())
            .map(str::to_string)
            .unwrap_or_else(|| super::random_token(16));
        if let Ok(mut devices) = self.devices.lock() {
            devices.insert(
                super::sha256_hex(&token),
                (email.to_string(), Instant::now()),
            );
        }
        token
    }

    pub fn forget_stale(&self) {
        self.per_account_address.forget_stale();
        self.per_account.forget_stale();
        self.per_address.forget_stale();
        self.per_device.forget_stale();
        self.second_factor_per_user.forget_stale();
        self.reset_per_email.retain_recent();
        self.reset_per_address.retain_recent();
        self.set_password_per_address.retain_recent();
        self.filing_per_user.retain_recent();
        self.tip_per_address.retain_recent();
        self.receipt_per_address.retain_recent();
        if let Ok(mut devices) = self.devices.lock() {
            devices.retain(|_, (_, since)| since.elapsed() < DEVICE_MEMORY);
        }
    }
}

/// The value of cookie `name` in the request, if any.
pub async fn request_cookie(name: &str) -> Option<String> {
    let headers = leptos_axum::extract::<axum::http::HeaderMap>().await.ok()?;
    cookie_value(&headers, name)
}

pub fn cookie_value(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(unexpected)
}

/// The client's address, used only as an in-memory throttling key.
pub async fn client_address() -> IpAddr {
    leptos_axum::extract::<axum::extract::ConnectInfo<SocketAddr>>()
        .await
        .map(|info| info.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

/// Marks the session as signed in as `user_id`, with a fresh session id (no fixation).
pub async fn sign_in(session: &Session, user_id: Uuid) -> Result<(), AppError> {
    session
        .cycle_id()
        .await
        .context("cannot mark the session signed in")?;
    for key in LEFTOVER_KEYS {
        session
            .remove_value(key)
            .await
            .context("cannot mark the session signed in")?;
    }
    session
        .insert(USER_ID_KEY, user_id.to_string())
        .await
        .context("cannot mark the session signed in")?;
    session
        .insert(SIGNED_IN_AT_KEY, chrono::Utc::now().timestamp())
        .await
        .context("cannot mark the session signed in")?;
    Ok(())
}

/// The password was right; the session now waits for `step` and can reach no data.
pub async fn begin_second_step(
    session: &Session,
    user_id: Uuid,
    step: SecondStep,
) -> Result<(), AppError> {
    session
        .cycle_id()
        .await
        .context("cannot start the second step in the session")?;
    for key in std::iter::once(USER_ID_KEY).chain(LEFTOVER_KEYS) {
        session
            .remove_value(key)
            .await
            .context("cannot start the second step in the session")?;
    }
    session
        .insert(PENDING_USER_KEY, user_id.to_string())
        .await
        .context("cannot start the second step in the session")?;
    session
        .insert(PENDING_STAGE_KEY, step)
        .await
        .context("cannot start the second step in the session")?;
    session
        .insert(PENDING_SINCE_KEY, chrono::Utc::now().timestamp())
        .await
        .context("cannot start the second step in the session")?;
    Ok(())
}

/// The account of a session waiting for its second step, if it is still active and the wait
/// has not run out.
pub async fn pending_second_step(
    state: &AppState,
    session: &Session,
) -> Result<Option<(user::Model, SecondStep)>, AppError> {
    let user_id: Option<String> = session
        .get(PENDING_USER_KEY)
        .await
        .context("cannot read the session waiting for a second step")?;
    let step: Option<SecondStep> = session
        .get(PENDING_STAGE_KEY)
        .await
        .context("cannot read the session waiting for a second step")?;
    let since: i64 = session
        .get(PENDING_SINCE_KEY)
        .await
        .context("cannot read the session waiting for a second step")?
        .unwrap_or(0);
    let (Some(user_id), Some(step)) = (user_id.and_then(|s| Uuid::parse_str(&s).ok()), step) else {
        return Ok(None);
    };
    if chrono::Utc::now().timestamp() - since > PENDING_MINUTES * 60 {
        sign_out(session).await?;
        return Ok(None);
    }
    let row = user::Entity::find_by_id(user_id).one(&state.db).await?;
    // A monitor awaiting approval never gets as far as a second step either.
    Ok(row
        .filter(|u| u.active && !u.awaiting_approval)
        .map(|u| (u, step)))
}

pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.context("cannot end the session")?;
    Ok(())
}

/// Makes this session hold the tip `tip_id` and nothing else. A session signed in to an
/// account (or half-way, waiting for its second step) is ended first and the tip goes into a
/// new one, so that no session row ever links a tip to an account. Says whether an account
/// was signed out.
pub async fn open_tip_session(session: &Session, tip_id: Uuid) -> Result<bool, AppError> {
    let mut signed_in = false;
    for key in [USER_ID_KEY, PENDING_USER_KEY] {
        let value: Option<serde_json::Value> = session
            .get(key)
            .await
            .context("cannot open a tip session")?;
        signed_in |= value.is_some();
    }
    // The old row goes with everything it held; then a new id, never the one the account had.
    session.flush().await.context("cannot open a tip session")?;
    session
        .cycle_id()
        .await
        .context("cannot open a tip session")?;
    session
        .insert(TIP_KEY, tip_id.to_string())
        .await
        .context("cannot open a tip session")?;
    Ok(signed_in)
}

/// A session that could not be read: its store not answering (the database saturated or
/// away) is answered busy; a session it cannot decode is an unexpected error (the caller then
/// counts as signed out).
fn unreadable(error: tower_sessions::session::Error) -> AppError {
    use tower_sessions::session::Error;
    use tower_sessions::session_store::Error as Store;
    match error {
        Error::Store(store @ Store::Backend(_)) => {
            tracing::warn!(error = %store, "the session store did not answer: answered busy");
            AppError::Busy
        }
        other => AppError::unexpected(
            anyhow::Error::new(other).context("cannot read the signed-in user from the session"),
        ),
    }
}

/// The signed-in, active user of this request, if any. A session past its absolute lifetime
/// or belonging to a disabled account is ended here.
pub async fn current_user(
    state: &AppState,
    session: &Session,
) -> Result<Option<CurrentUser>, AppError> {
    let user_id: Option<String> = session.get(USER_ID_KEY).await.map_err(unreadable)?;
    let Some(user_id) = user_id.and_then(|s| Uuid::parse_str(&s).ok()) else {
        return Ok(None);
    };
    let signed_in_at: i64 = session
        .get(SIGNED_IN_AT_KEY)
        .await
        .map_err(unreadable)?
        .unwrap_or(0);
    if chrono::Utc::now().timestamp() - signed_in_at > ABSOLUTE_TIMEOUT_HOURS * 3600 {
        sign_out(session).await?;
        return Ok(None);
    }
    let row = user::Entity::find_by_id(user_id).one(&state.db).await?;
    // A staff account whose second factor is gone (reset, or a session from before it was
    // required) is not signed in any more.
    let row = row.filter(|u| {
        u.totp_secret.is_some() || !Role::parse(&u.role).is_some_and(Role::requires_second_factor)
    });
    // Nor is an account awaiting a monitor's approval (two-person rule for monitors).
    match row
        .filter(|u| u.active && !u.awaiting_approval)
        .as_ref()
        .and_then(CurrentUser::from_row)
    {
        Some(user) => Ok(Some(user)),
        None => {
            sign_out(session).await?;
            Ok(None)
        }
    }
}

/// How stale the stored end of a session in use may get: a session is written again (its idle
/// end pushed back to [`IDLE_TIMEOUT_MINUTES`] from now) once this long has passed since its
/// last write, not on every page view.
pub const TOUCH_MINUTES: i64 = 5;
const SEEN_AT_KEY: &str = "seen_at";

/// Marks a stored session as in use when its last write is [`TOUCH_MINUTES`] old, so that the
/// session layer saves it (it saves only what changed); a visitor without a session gets none.
async fn keep_alive(session: &Session) {
    if session.id().is_none() {
        return;
    }
    let now = chrono::Utc::now().timestamp();
    let seen: Option<i64> = session.get(SEEN_AT_KEY).await.ok().flatten();
    if seen.is_none_or(|at| now - at >= TOUCH_MINUTES * 60) {
        // Only marks the session changed: the session layer writes it with the response (and
        // `server::middleware::busy_if_unsaved` answers busy if that write fails).
        let _ = session.insert(SEEN_AT_KEY, now).await;
    }
}

/// The page language: `preferred` (the account's), else the language cookie, else
/// `Accept-Language`, else French.
pub fn header_locale(headers: &axum::http::HeaderMap, preferred: Option<Locale>) -> Locale {
    let cookie = cookie_value(headers, Locale::COOKIE);
    let accept = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Locale::negotiate(preferred, cookie.as_deref(), accept)
}

/// Who is calling and in which language, worked out once per request by [`identify`].
#[derive(Clone, Debug)]
pub struct RequestContext {
    pub user: Option<CurrentUser>,
    pub locale: Locale,
}

/// Middleware (inside the session layer): resolves the signed-in user and the page language
/// (user preference, then cookie, then `Accept-Language`, then French) into the request.
pub async fn identify(
    axum::extract::State(state): axum::extract::State<AppState>,
    session: Session,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let user = match current_user(&state, &session).await {
        Ok(user) => user,
        // Who is calling cannot be read now (the database is saturated or away): "try again"
        // is the truth, where "signed out" would not be.
        Err(AppError::Busy) => {
            return axum::response::IntoResponse::into_response(super::http::Refusal::new(
                header_locale(request.headers(), None),
                AppError::Busy,
            ));
        }
        // A session that cannot be decoded is no session.
        Err(_) => None,
    };
    keep_alive(&session).await;
    // An unsubscribe link is followed without a session: its token names the account, whose
    // language the page then speaks.
    let token_locale = match (&user, request.uri().path()) {
        (None, "/unsubscribe") => match super::notifications::token_in_query(request.uri().query())
        {
            Some(token) => super::notifications::token_locale(&state.db, &token).await,
            None => None,
        },
        _ => None,
    };
    let locale = header_locale(
        request.headers(),
        user.as_ref().map(|u| u.locale).or(token_locale),
    );
    request
        .extensions_mut()
        .insert(RequestContext { user, locale });
    next.run(request).await
}

pub async fn request_context() -> Result<RequestContext, AppError> {
    leptos_axum::extract::<axum::Extension<RequestContext>>()
        .await
        .map(|axum::Extension(context)| context)
        .map_err(unexpected)
}

/// The first line of every protected server function: the caller, if signed in with one of
/// `roles`. Anyone else gets `Unauthenticated` or `Forbidden`.
pub async fn require(roles: &[Role]) -> Result<(AppState, CurrentUser), AppError> {
    let state = state()?;
    let user = request_context()
        .await?
        .user
        .ok_or(AppError::Unauthenticated)?;
    if !roles.contains(&user.role) {
        return Err(AppError::Forbidden);
    }
    Ok((state, user))
}

#[cfg(test)]
mod tests {

    #[test]
    fn hashes_in_kept_memory_match_the_standard_argon2id() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let password = "un mot de passe assez long";
        // A hash stored by the standard API (every stored hash so far) still verifies…
        let standard = Argon2::default()
            .hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng))
            .expect("hash")
            .to_string();
        assert!(verify_now(password, Some(standard.clone())).expect("verify"));
        assert!(!verify_now("un autre mot de passe", Some(standard)).expect("verify"));
        // …and what is hashed now verifies with the standard API, twice on one thread.
        for _ in 0..2 {
            let ours = hash_now(password).expect("hash");
            let parsed = PasswordHash::new(&ours).expect("a PHC string");
            assert!(
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            );
            assert!(verify_now(password, Some(ours.clone())).expect("verify"));
            assert!(!verify_now("faux", Some(ours)).expect("verify"));
        }
        assert!(!verify_now(password, None).expect("no account"));
    }
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("address")
    }

    #[test]
    fn ipv6_addresses_are_throttled_by_their_64() {
        let key = throttling_key(ip("2001:db8:1:2:aaaa::1"));
        assert_eq!(key, ip("2001:db8:1:2::"));
        assert_eq!(throttling_key(ip("2001:db8:1:2:ffff:1:2:3")), key);
        assert_ne!(throttling_key(ip("2001:db8:1:3::1")), key);
        assert_eq!(throttling_key(ip("::ffff:192.0.2.7")), ip("192.0.2.7"));
        assert_eq!(throttling_key(ip("192.0.2.7")), ip("192.0.2.7"));
        assert_ne!(throttling_key(ip("192.0.2.8")), ip("192.0.2.7"));
    }

    #[test]
    fn a_tip_held_back_is_told_the_wait_of_the_limiter() {
        let throttle = Throttle::with_limits(20, 100, 1);
        for _ in 0..crate::domain::tip::TIP_BURST_PER_ADDRESS {
            assert_eq!(throttle.check_tip_wait(ip("192.0.2.20")), Ok(()));
        }
        let Err((error, wait)) = throttle.check_tip_wait(ip("192.0.2.20")) else {
            panic!("the fourth tip is held back");
        };
        assert_eq!(error, AppError::TooManyAttempts);
        // Just under one period: the page says "10 min".
        let every = crate::domain::tip::TIP_MINUTES_PER_ADDRESS * 60;
        assert!(
            wait.as_secs() + 5 >= every && wait.as_secs() < every,
            "{wait:?}"
        );
    }

    #[test]
    fn one_ipv6_network_shares_the_per_address_limits() {
        let throttle = Throttle::with_limits(20, 100, 1);
        for n in 1..=3 {
            assert_eq!(
                throttle.check_tip(ip(&format!("2001:db8:5:6::{n}"))),
                Ok(())
            );
        }
        assert_eq!(
            throttle.check_tip(ip("2001:db8:5:6:ffff::9")),
            Err(AppError::TooManyAttempts)
        );
        assert_eq!(throttle.check_tip(ip("2001:db8:5:7::1")), Ok(()));
        for n in 1..=5 {
            assert_eq!(
                throttle.check_receipt(ip(&format!("2001:db8:9:9::{n}"))),
                Ok(())
            );
        }
        assert_eq!(
            throttle.check_receipt(ip("2001:db8:9:9:1::1")),
            Err(AppError::TooManyAttempts)
        );
        for n in 1..=10 {
            assert_eq!(
                throttle.check_set_password(ip(&format!("2001:db8:7:7::{n}"))),
                Ok(())
            );
        }
        assert_eq!(
            throttle.check_set_password(ip("2001:db8:7:7:abcd::1")),
            Err(AppError::TooManyAttempts)
        );
        // Sign-in from new devices: 30 failures per address (here, per /64) across accounts.
        for n in 0..30 {
            let attempt = throttle.check(
                &format!("a{n}@x.test"),
                ip(&format!("2001:db8:3:3::{n}")),
                None,
            );
            assert!(attempt.is_ok());
        }
        assert!(
            throttle
                .check("b@x.test", ip("2001:db8:3:3:1:2:3:4"), None)
                .is_err()
        );
        assert!(
            throttle
                .check("b@x.test", ip("2001:db8:3:4::1"), None)
                .is_ok()
        );
    }

    #[test]
    fn the_global_tip_rate_holds_across_addresses() {
        let throttle = Throttle::with_limits(20, 4, 1);
        for n in 1..=4 {
            assert_eq!(throttle.check_tip(ip(&format!("192.0.2.{n}"))), Ok(()));
        }
        assert_eq!(throttle.check_tip(ip("192.0.2.50")), Err(AppError::Busy));
        // An address over its own limit uses up nothing of the global rate.
        let throttle = Throttle::with_limits(20, 4, 1);
        let passed = (0..10)
            .filter(|_| throttle.check_tip(ip("192.0.2.1")).is_ok())
            .count();
        assert_eq!(passed, 3);
        assert_eq!(throttle.check_tip(ip("192.0.2.2")), Ok(()));
        assert_eq!(throttle.check_tip(ip("192.0.2.3")), Err(AppError::Busy));
    }

    #[test]
    fn only_failures_use_up_the_sign_in_and_code_allowances() {
        let throttle = Throttle::with_limits(20, 30, 1);
        let address = ip("192.0.2.1");
        for _ in 0..50 {
            let attempt = throttle.check("a@x.test", address, None).expect("allowed");
            throttle.succeeded(attempt);
        }
        for _ in 0..5 {
            drop(throttle.check("a@x.test", address, None).expect("allowed"));
        }
        assert!(throttle.check("a@x.test", address, None).is_err());
        // Refused attempts take nothing from the other allowances: the account still has
        // 15 failures left from other addresses.
        for n in 0..15 {
            drop(
                throttle
                    .check("a@x.test", ip(&format!("192.0.2.{}", 10 + n)), None)
                    .expect("allowed"),
            );
        }
        assert!(throttle.check("a@x.test", ip("192.0.2.99"), None).is_err());

        let user = Uuid::new_v4();
        for _ in 0..20 {
            throttle.check_second_factor(user).expect("allowed");
            throttle.second_factor_passed(user);
        }
        for _ in 0..5 {
            throttle.check_second_factor(user).expect("allowed");
        }
        assert_eq!(
            throttle.check_second_factor(user),
            Err(AppError::TooManyAttempts)
        );
        throttle.second_factor_passed(user);
        assert_eq!(throttle.check_second_factor(user), Ok(()));
    }

    #[test]
    fn a_right_password_forgets_the_failures_of_its_device_only() {
        let throttle = Throttle::with_limits(20, 30, 1);
        let address = ip("192.0.2.1");
        for _ in 0..4 {
            drop(throttle.check("a@x.test", address, None).expect("allowed"));
        }
        let attempt = throttle.check("a@x.test", address, None).expect("allowed");
        throttle.succeeded(attempt);
        for _ in 0..5 {
            drop(throttle.check("a@x.test", address, None).expect("allowed"));
        }
        assert!(throttle.check("a@x.test", address, None).is_err());
        // Busy: nothing was checked, nothing is used up.
        let throttle = Throttle::with_limits(20, 30, 1);
        for _ in 0..20 {
            let attempt = throttle.check("a@x.test", address, None).expect("allowed");
            throttle.not_checked(attempt);
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_hashing_cap_queues_a_few_and_refuses_the_rest() {
        let gate = Arc::new(HashGate::new(1));
        let work = |gate: Arc<HashGate>| async move {
            gate.run(|| std::thread::sleep(Duration::from_millis(300)))
                .await
        };
        let tasks: Vec<_> = (0..10).map(|_| tokio::spawn(work(gate.clone()))).collect();
        let mut done = 0;
        let mut busy = 0;
        for task in tasks {
            match task.await.expect("task") {
                Ok(()) => done += 1,
                Err(AppError::Busy) => busy += 1,
                Err(other) => panic!("{other:?}"),
            }
        }
        // One running and four waiting (each waits less than two seconds for its turn).
        assert_eq!((done, busy), (5, 5));
        // A turn that does not come within two seconds: busy.
        let slow = tokio::spawn({
            let gate = gate.clone();
            async move {
                gate.run(|| std::thread::sleep(Duration::from_millis(2600)))
                    .await
            }
        });
        tokio::time::sleep(Duration::from_millis(100)).await;
        let started = Instant::now();
        assert_eq!(gate.run(|| ()).await, Err(AppError::Busy));
        assert!(started.elapsed() >= Duration::from_millis(1900));
        slow.await.expect("task").expect("ran");
        assert_eq!(gate.run(|| 7).await, Ok(7));
    }

    #[test]
    fn next_is_a_local_path_of_known_shape_or_nothing() {
        let case = "/observations/0b6f1c9e-5d1a-4a51-9a3e-2f4f1b7d9c20";
        assert_eq!(local_next(case), Some(case));
        assert_eq!(
            local_next("/referrals/abc?notice=x&page=2"),
            Some("/referrals/abc?notice=x&page=2")
        );
        assert_eq!(local_next("/"), Some("/"));
        for forged in [
            "",
            "observations/1",
            "//evil.example",
            "//evil.example/observations/1",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example/",
            "http:evil.example",
            "javascript:alert(1)",
            "/observations//evil.example",
            "/%2F%2Fevil.example",
            "/%5cevil.example",
            "/observations/../admin",
            "/observations/1#x",
            "/observations/1 x",
            "/observations/1\r\nSet-Cookie: a=b",
            "/Login",
            "/login?next=//evil.example",
            "/login/code",
            "/api/logout",
            "/exit",
        ] {
            assert_eq!(local_next(forged), None, "{forged:?}");
        }
        assert_eq!(
            local_next(&format!("/observations/{}", "a".repeat(600))),
            None
        );
    }

    #[test]
    fn next_travels_in_the_query_only_when_it_is_local() {
        assert_eq!(
            with_next("/login", Some("/observations/42?page=2&sort=old")),
            "/login?next=/observations/42%3Fpage%3D2%26sort%3Dold"
        );
        assert_eq!(
            with_next("/login/code", Some("//evil.example")),
            "/login/code"
        );
        assert_eq!(with_next("/login", None), "/login");
    }
}
