//! Who is calling: password hashing (Argon2id), the signed-in user from the session, role
//! checks for server functions, and login throttling held in memory only.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::Argon2;
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
        let ok = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
        Ok(known && ok)
    })
    .await
    .map_err(unexpected)?
}

/// In-memory login limits: per account and client address (so that an attacker elsewhere
/// cannot lock the real user out), and per client address across accounts. Nothing of it is
/// written to disk or to the logs.
pub struct LoginThrottle {
    per_account: DefaultKeyedRateLimiter<(String, IpAddr)>,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        // 5 attempts at once, then one more every minute.
        let per_account = Quota::with_period(Duration::from_secs(60))
            .map(|q| q.allow_burst(NonZeroU32::MIN.saturating_add(4)))
            .unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN));
        let per_address = Quota::per_minute(NonZeroU32::MIN.saturating_add(29));
        Self { per_account: RateLimiter::keyed(per_account), per_address: RateLimiter::keyed(per_address) }
    }
}

impl LoginThrottle {
    pub fn check(&self, email: &str, address: IpAddr) -> Result<(), AppError> {
        let account = self.per_account.check_key(&(email.to_owned(), address));
        let address = self.per_address.check_key(&address);
        if account.is_err() || address.is_err() {
            return Err(AppError::TooManyAttempts);
        }
        Ok(())
    }

    pub fn forget_stale(&self) {
        self.per_account.retain_recent();
        self.per_address.retain_recent();
    }
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
    session.insert(USER_ID_KEY, user_id.to_string()).await.map_err(unexpected)?;
    session
        .insert(SIGNED_IN_AT_KEY, chrono::Utc::now().timestamp())
        .await
        .map_err(unexpected)?;
    Ok(())
}

pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(unexpected)
}

/// The signed-in, active user of this request, if any. A session past its absolute lifetime
/// or belonging to a disabled account is ended here.
pub async fn current_user(state: &AppState, session: &Session) -> Result<Option<CurrentUser>, AppError> {
    let user_id: Option<String> = session.get(USER_ID_KEY).await.map_err(unexpected)?;
    let Some(user_id) = user_id.and_then(|s| Uuid::parse_str(&s).ok()) else {
        return Ok(None);
    };
    let signed_in_at: i64 = session.get(SIGNED_IN_AT_KEY).await.map_err(unexpected)?.unwrap_or(0);
    if chrono::Utc::now().timestamp() - signed_in_at > ABSOLUTE_TIMEOUT_HOURS * 3600 {
        sign_out(session).await?;
        return Ok(None);
    }
    let row = user::Entity::find_by_id(user_id).one(&state.db).await?;
    match row.filter(|u| u.active).as_ref().and_then(CurrentUser::from_row) {
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
    let cookie = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == Locale::COOKIE)
        .map(|(_, value)| value.to_string());
    let accept = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let locale = Locale::negotiate(user.as_ref().map(|u| u.locale), cookie.as_deref(), accept.as_deref());
    request.extensions_mut().insert(RequestContext { user, locale });
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
    let user = request_context().await?.user.ok_or(AppError::Unauthenticated)?;
    if !roles.contains(&user.role) {
        return Err(AppError::Forbidden);
    }
    Ok((state, user))
}
