//! Who is calling: password hashing (Argon2id), the signed-in user from the session, role
//! checks for server functions, and login throttling held in memory only.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
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
    "tip_id",
];
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
        })
    }
}

pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(unexpected)
    })
    .await
    .map_err(unexpected)?
}

/// Verifies in constant work whether or not the account exists (a dummy hash is checked when
/// there is none), so timing does not reveal which e-mail addresses have accounts.
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool, AppError> {
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3Mv1G0pVnYhTsyDCXyTgLxbBOSkH4zhkRzD45pOrKXw";
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| DUMMY.to_string());
        let parsed = PasswordHash::new(&hash).map_err(unexpected)?;
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(known && ok)
    })
    .await
    .map_err(unexpected)?
}

/// In-memory abuse limits (sign-in, second step, password reset, filing, anonymous tips and
/// their receipts); nothing of them is written to disk or to the logs.
///
/// From a device where the account signed in before (it holds a device cookie), only that
/// device's own attempts count. From any other device, three limits apply: per account and
/// client address, per account across all addresses (so many addresses cannot guess one
/// password quickly), and per address across accounts. An attacker can thus slow down new
/// devices for an account, but never lock its owner out of a device they already use.
pub struct Throttle {
    per_account_address: DefaultKeyedRateLimiter<(String, IpAddr)>,
    per_account: DefaultKeyedRateLimiter<String>,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    per_device: DefaultKeyedRateLimiter<String>,
    reset_per_email: DefaultKeyedRateLimiter<String>,
    reset_per_address: DefaultKeyedRateLimiter<IpAddr>,
    second_factor_per_user: DefaultKeyedRateLimiter<Uuid>,
    filing_per_user: DefaultKeyedRateLimiter<Uuid>,
    tip_per_address: DefaultKeyedRateLimiter<IpAddr>,
    receipt_per_address: DefaultKeyedRateLimiter<IpAddr>,
    /// Across all addresses: Tor users share a few, and guessing must stay slow for everyone.
    receipts: governor::DefaultDirectRateLimiter,
    /// SHA-256 of each device cookie → the account it signed in to, and when.
    devices: std::sync::Mutex<std::collections::HashMap<String, (String, std::time::Instant)>>,
}

/// Name of the cookie that marks a device where an account signed in before.
pub const DEVICE_COOKIE: &str = "veille_device";
const DEVICE_MEMORY: Duration = Duration::from_secs(90 * 24 * 3600);

fn quota(burst: u32, one_every: Duration) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(one_every)
        .map(|q| q.allow_burst(burst))
        .unwrap_or_else(|| Quota::per_minute(burst))
}

impl Throttle {
    /// The limits, with the filing allowance of the settings.
    pub fn new(settings: &super::Settings) -> Self {
        Self {
            per_account_address: RateLimiter::keyed(quota(5, Duration::from_secs(60))),
            per_account: RateLimiter::keyed(quota(20, Duration::from_secs(180))),
            per_address: RateLimiter::keyed(quota(30, Duration::from_secs(2))),
            per_device: RateLimiter::keyed(quota(5, Duration::from_secs(60))),
            reset_per_email: RateLimiter::keyed(quota(3, Duration::from_secs(600))),
            reset_per_address: RateLimiter::keyed(quota(10, Duration::from_secs(60))),
            second_factor_per_user: RateLimiter::keyed(quota(5, Duration::from_secs(120))),
            filing_per_user: RateLimiter::keyed(quota(
                settings.filing_burst,
                Duration::from_secs(30),
            )),
            tip_per_address: RateLimiter::keyed(quota(3, Duration::from_secs(600))),
            receipt_per_address: RateLimiter::keyed(quota(5, Duration::from_secs(60))),
            receipts: RateLimiter::direct(quota(60, Duration::from_secs(1))),
            devices: Default::default(),
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

    pub fn check(
        &self,
        email: &str,
        address: IpAddr,
        device: Option<&str>,
    ) -> Result<(), AppError> {
        let allowed = match self.known_device(email, device) {
            Some(hash) => self.per_device.check_key(&hash).is_ok(),
            None => {
                let results = [
                    self.per_account_address
                        .check_key(&(email.to_owned(), address))
                        .is_ok(),
                    self.per_account.check_key(&email.to_owned()).is_ok(),
                    self.per_address.check_key(&address).is_ok(),
                ];
                results.iter().all(|ok| *ok)
            }
        };
        if allowed {
            Ok(())
        } else {
            Err(AppError::TooManyAttempts)
        }
    }

    /// Second-step codes: 5 tries per account, then one every two minutes, from anywhere (the
    /// password is already known to whoever is here).
    pub fn check_second_factor(&self, user_id: Uuid) -> Result<(), AppError> {
        self.second_factor_per_user
            .check_key(&user_id)
            .map_err(|_| AppError::TooManyAttempts)
    }

    /// Saving or submitting observations: 20 in a row per account, then one every 30 seconds.
    pub fn check_filing(&self, user_id: Uuid) -> Result<(), AppError> {
        self.filing_per_user
            .check_key(&user_id)
            .map_err(|_| AppError::TooManyAttempts)
    }

    /// Anonymous tips: 3 per client address, then one every 10 minutes.
    pub fn check_tip(&self, address: IpAddr) -> Result<(), AppError> {
        self.tip_per_address
            .check_key(&address)
            .map_err(|_| AppError::TooManyAttempts)
    }

    /// Receipt codes tried: 5 per address, then one a minute, and 60 a second in all (each
    /// try costs a slow hash).
    pub fn check_receipt(&self, address: IpAddr) -> Result<(), AppError> {
        let for_address = self.receipt_per_address.check_key(&address).is_ok();
        if for_address && self.receipts.check().is_ok() {
            Ok(())
        } else {
            Err(AppError::TooManyAttempts)
        }
    }

    /// Password-reset requests: 3 per address asked about, then one every 10 minutes, and 10
    /// per client address, so nobody can flood a mailbox.
    pub fn check_reset(&self, email: &str, address: IpAddr) -> Result<(), AppError> {
        let for_email = self.reset_per_email.check_key(&email.to_owned()).is_ok();
        let for_address = self.reset_per_address.check_key(&address).is_ok();
        if for_email && for_address {
            Ok(())
        } else {
            Err(AppError::TooManyAttempts)
        }
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
                (email.to_string(), std::time::Instant::now()),
            );
        }
        token
    }

    pub fn forget_stale(&self) {
        self.per_account_address.retain_recent();
        self.per_account.retain_recent();
        self.per_address.retain_recent();
        self.per_device.retain_recent();
        self.reset_per_email.retain_recent();
        self.reset_per_address.retain_recent();
        self.second_factor_per_user.retain_recent();
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
    session.cycle_id().await.map_err(unexpected)?;
    for key in LEFTOVER_KEYS {
        session.remove_value(key).await.map_err(unexpected)?;
    }
    session
        .insert(USER_ID_KEY, user_id.to_string())
        .await
        .map_err(unexpected)?;
    session
        .insert(SIGNED_IN_AT_KEY, chrono::Utc::now().timestamp())
        .await
        .map_err(unexpected)?;
    Ok(())
}

/// The password was right; the session now waits for `step` and can reach no data.
pub async fn begin_second_step(
    session: &Session,
    user_id: Uuid,
    step: SecondStep,
) -> Result<(), AppError> {
    session.cycle_id().await.map_err(unexpected)?;
    for key in std::iter::once(USER_ID_KEY).chain(LEFTOVER_KEYS) {
        session.remove_value(key).await.map_err(unexpected)?;
    }
    session
        .insert(PENDING_USER_KEY, user_id.to_string())
        .await
        .map_err(unexpected)?;
    session
        .insert(PENDING_STAGE_KEY, step)
        .await
        .map_err(unexpected)?;
    session
        .insert(PENDING_SINCE_KEY, chrono::Utc::now().timestamp())
        .await
        .map_err(unexpected)?;
    Ok(())
}

/// The account of a session waiting for its second step, if it is still active and the wait
/// has not run out.
pub async fn pending_second_step(
    state: &AppState,
    session: &Session,
) -> Result<Option<(user::Model, SecondStep)>, AppError> {
    let user_id: Option<String> = session.get(PENDING_USER_KEY).await.map_err(unexpected)?;
    let step: Option<SecondStep> = session.get(PENDING_STAGE_KEY).await.map_err(unexpected)?;
    let since: i64 = session
        .get(PENDING_SINCE_KEY)
        .await
        .map_err(unexpected)?
        .unwrap_or(0);
    let (Some(user_id), Some(step)) = (user_id.and_then(|s| Uuid::parse_str(&s).ok()), step) else {
        return Ok(None);
    };
    if chrono::Utc::now().timestamp() - since > PENDING_MINUTES * 60 {
        sign_out(session).await?;
        return Ok(None);
    }
    let row = user::Entity::find_by_id(user_id).one(&state.db).await?;
    Ok(row.filter(|u| u.active).map(|u| (u, step)))
}

pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(unexpected)
}

/// The signed-in, active user of this request, if any. A session past its absolute lifetime
/// or belonging to a disabled account is ended here.
pub async fn current_user(
    state: &AppState,
    session: &Session,
) -> Result<Option<CurrentUser>, AppError> {
    let user_id: Option<String> = session.get(USER_ID_KEY).await.map_err(unexpected)?;
    let Some(user_id) = user_id.and_then(|s| Uuid::parse_str(&s).ok()) else {
        return Ok(None);
    };
    let signed_in_at: i64 = session
        .get(SIGNED_IN_AT_KEY)
        .await
        .map_err(unexpected)?
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
    match row
        .filter(|u| u.active)
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
        Err(_) => None,
    };
    let headers = request.headers();
    let cookie = cookie_value(headers, Locale::COOKIE);
    let accept = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let locale = Locale::negotiate(
        user.as_ref().map(|u| u.locale),
        cookie.as_deref(),
        accept.as_deref(),
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
