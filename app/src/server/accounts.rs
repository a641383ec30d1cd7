//! Account use cases: invitations, one-time password links, sign-in, enabling and disabling.
//! Each function owns its transaction; server functions only authorise and call in.

use anyhow::Context;
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::audit::{self, NewEntry};
use super::auth::CurrentUser;
use super::entities::{account_token, institution, organisation, shadow_invitation, user};
use super::mail::{AccountMail, account_mail, existing_account_mail};
use super::session_store::revoke_user_sessions;
use super::{AppState, Settings, random_token, sha256_hex, unexpected};
use crate::domain::role::Affiliation;
use crate::domain::{
    Locale, Role, normalise_email, validate_display_name, validate_email, validate_password,
};
use crate::error::{AppError, FieldError};
use crate::model::account::{NewInvitation, PendingMonitor, UserSummary};

pub const INVITATION_VALID_DAYS: i64 = 7;
pub const RESET_VALID_MINUTES: i64 = 60;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    Invitation,
    PasswordReset,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Invitation => "invitation",
            TokenPurpose::PasswordReset => "password_reset",
        }
    }

    fn lifetime(self) -> Duration {
        match self {
            TokenPurpose::Invitation => Duration::days(INVITATION_VALID_DAYS),
            TokenPurpose::PasswordReset => Duration::minutes(RESET_VALID_MINUTES),
        }
    }
}

/// Stores a new one-time token for `user_id` (as a hash) and returns the link carrying it.
pub async fn issue_token(
    db: &impl ConnectionTrait,
    settings: &Settings,
    user_id: Uuid,
    purpose: TokenPurpose,
) -> Result<String, AppError> {
    let token = random_token(32);
    let now = Utc::now();
    account_token::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user_id),
        purpose: Set(purpose.as_str().to_string()),
        token_hash: Set(sha256_hex(&token)),
        expires_at: Set(now + purpose.lifetime()),
        used_at: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(format!(
        "{}/password/set?token={token}",
        settings.public_url.trim_end_matches('/')
    ))
}

fn collect_errors(checks: &[(&str, Result<(), &'static str>)]) -> Result<(), AppError> {
    let errors: Vec<FieldError> = checks
        .iter()
        .filter_map(|(field, result)| {
            result.err().map(|key| FieldError {
                field: field.to_string(),
                key: key.to_string(),
            })
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Creates the invited account (no password yet) and mails its set-password link.
///
/// A monitor invited by an administrator awaits another monitor's approval before it can sign
/// in (two-person rule: an administrator alone never opens the cases to anyone). When a
/// coordinator invites an address that already has an account outside their organisation, the
/// answer is exactly the one a new address gets: that account is left as it is, its owner gets
/// a neutral notice, and the member list shows a shadow invitation nobody will answer.
#[tracing::instrument(skip_all, fields(inviter = %inviter.id))]
pub async fn invite(
    state: &AppState,
    inviter: &CurrentUser,
    input: NewInvitation,
) -> Result<(), AppError> {
    let role = Role::parse(&input.role);
    let locale = Locale::parse(&input.locale).unwrap_or_default();
    collect_errors(&[
        ("email", validate_email(&input.email)),
        ("display_name", validate_display_name(&input.display_name)),
        (
            "role",
            match role {
                Some(r) if inviter.role.may_invite(r) => Ok(()),
                _ => Err("error-role-invalid"),
            },
        ),
    ])?;
    let role = role.ok_or(AppError::Forbidden)?;
    let email = normalise_email(&input.email);
    let display_name = input.display_name.trim().to_string();

    // Where the account belongs: a coordinator always invites into their own organisation.
    let (organisation_id, institution_id) = match role.affiliation() {
        Affiliation::Organisation => {
            let id = match inviter.role {
                Role::CsoCoordinator => inviter.organisation_id,
                _ => input
                    .organisation_id
                    .as_deref()
                    .and_then(|s| Uuid::parse_str(s).ok()),
            };
            let exists = match id {
                Some(id) => organisation::Entity::find_by_id(id)
                    .one(&state.db)
                    .await?
                    .is_some_and(|o| o.active),
                None => false,
            };
            if !exists {
                return Err(AppError::field(
                    "organisation_id",
                    "error-organisation-required",
                ));
            }
            (id, None)
        }
        Affiliation::Institution => {
            let id = input
                .institution_id
                .as_deref()
                .and_then(|s| Uuid::parse_str(s).ok());
            let found = match id {
                Some(id) => institution::Entity::find_by_id(id)
                    .one(&state.db)
                    .await?
                    .filter(|i| i.active),
                None => None,
            };
            match found {
                None => {
                    return Err(AppError::field(
                        "institution_id",
                        "error-institution-required",
                    ));
                }
                // A liaison answers referrals: a body that receives none has no liaisons.
                Some(i) if !i.receives_referrals => {
                    return Err(AppError::field(
                        "institution_id",
                        "error-institution-not-receiving",
                    ));
                }
                Some(_) => {}
            }
            (None, id)
        }
        Affiliation::None => (None, None),
    };

    let taken = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(&state.db)
        .await?;
    if inviter.role == Role::CsoCoordinator {
        // A coordinator learns only about their own organisation: an address already there
        // (or already invited there) is "already a member"; any other is treated as new.
        let own = match &taken {
            Some(existing) => existing.organisation_id == organisation_id,
            None => false,
        } || shadow_invitation::Entity::find()
            .filter(shadow_invitation::Column::OrganisationId.eq(organisation_id))
            .filter(shadow_invitation::Column::Email.eq(&email))
            .one(&state.db)
            .await?
            .is_some();
        if own {
            return Err(AppError::field("email", "error-already-member"));
        }
        if let (Some(existing), Some(organisation_id)) = (taken, organisation_id) {
            return shadow_invite(
                state,
                inviter,
                organisation_id,
                &email,
                &display_name,
                existing,
            )
            .await;
        }
    } else if taken.is_some() {
        // Admins manage every account: they are told.
        return Err(AppError::field("email", "error-email-taken"));
    }

    // Two-person rule: an administrator's invitation of a monitor is only a request.
    let awaiting_approval = role == Role::Monitor;
    let txn = crate::server::db::begin_write(&state.db).await?;
    let user_id = Uuid::new_v4();
    user::ActiveModel {
        id: Set(user_id),
        email: Set(email.clone()),
        display_name: Set(display_name.clone()),
        locale: Set(locale.as_str().to_string()),
        role: Set(role.as_str().to_string()),
        organisation_id: Set(organisation_id),
        institution_id: Set(institution_id),
        password_hash: Set(None),
        active: Set(true),
        created_at: Set(Utc::now()),
        notification_preference: Set("immediate".into()),
        awaiting_approval: Set(awaiting_approval),
        invited_by: Set(Some(inviter.id)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let link = issue_token(&txn, &state.settings, user_id, TokenPurpose::Invitation).await?;
    let detail = if awaiting_approval {
        format!("{} (awaiting a monitor's approval)", role.as_str())
    } else {
        role.as_str().to_string()
    };
    audit::append(
        &txn,
        NewEntry::by(Some(inviter), "account_invited", "user", user_id).detail(&detail),
    )
    .await?;
    txn.commit().await?;

    let mail = account_mail(
        AccountMail::Invitation,
        locale,
        &email,
        &display_name,
        &link,
    );
    state
        .mailer
        .send(&state.settings.mail_from, mail)
        .await
        .context("cannot send an invitation")?;
    tracing::info!(role = role.as_str(), "invitation sent");
    Ok(())
}

/// A coordinator invited an address that has an account elsewhere: the same work as a real
/// invitation (a row, an audit entry, a mail), but nothing that touches that account. Its owner
/// is told, without naming the organisation, that nothing changed.
async fn shadow_invite(
    state: &AppState,
    inviter: &CurrentUser,
    organisation_id: Uuid,
    email: &str,
    display_name: &str,
    existing: user::Model,
) -> Result<(), AppError> {
    let txn = crate::server::db::begin_write(&state.db).await?;
    shadow_invitation::ActiveModel {
        id: Set(Uuid::new_v4()),
        organisation_id: Set(organisation_id),
        email: Set(email.to_string()),
        display_name: Set(display_name.to_string()),
        invited_by: Set(Some(inviter.id)),
        active: Set(true),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await?;
    // Monitors see it in the audit log (coordinators never do): someone tried to draw an
    // existing account into an organisation.
    audit::append(
        &txn,
        NewEntry::by(
            Some(inviter),
            "invitation_of_existing_account",
            "user",
            existing.id,
        )
        .detail("account left unchanged"),
    )
    .await?;
    txn.commit().await?;

    let locale = Locale::parse(&existing.locale).unwrap_or_default();
    let mail = existing_account_mail(locale, &existing.email, &existing.display_name);
    state
        .mailer
        .send(&state.settings.mail_from, mail)
        .await
        .context("cannot tell an account's owner of an invitation")?;
    tracing::info!(role = "cso_member", "invitation sent");
    Ok(())
}

/// Consumes a one-time link and sets the password; every older session of the user ends. Also
/// says whether the account has a second factor (the link never skips it). Anonymous callers
/// reach this, so the cheap checks come first: the form, the limits per address and overall,
/// then the link itself; only a live link gets its password hashed (within the hashing cap).
#[tracing::instrument(skip_all)]
pub async fn set_password(
    state: &AppState,
    token: &str,
    password: &str,
    confirm: &str,
    address: std::net::IpAddr,
) -> Result<(CurrentUser, bool), AppError> {
    collect_errors(&[
        ("password", validate_password(password)),
        (
            "confirm",
            if password == confirm {
                Ok(())
            } else {
                Err("error-password-mismatch")
            },
        ),
    ])?;
    state.throttle.check_set_password(address)?;
    // Links carry 32 random bytes in hex: anything else is no link.
    let token = token.trim();
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::InvalidToken);
    }
    let row = account_token::Entity::find()
        .filter(account_token::Column::TokenHash.eq(sha256_hex(token)))
        .one(&state.db)
        .await?
        .filter(|t| t.used_at.is_none() && t.expires_at > Utc::now())
        .ok_or(AppError::InvalidToken)?;
    let hash = state.throttle.hash_password(password.to_string()).await?;
    let now = Utc::now();
    let txn = crate::server::db::begin_write(&state.db).await?;
    // Claim the token with a conditional update, so two concurrent uses cannot both succeed.
    let claimed = account_token::Entity::update_many()
        .col_expr(
            account_token::Column::UsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(account_token::Column::Id.eq(row.id))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(AppError::InvalidToken);
    }
    let account = user::Entity::find_by_id(row.user_id)
        .one(&txn)
        .await?
        .filter(|u| u.active)
        .ok_or(AppError::InvalidToken)?;
    // Any other link still out for this account stops working too.
    account_token::Entity::update_many()
        .col_expr(
            account_token::Column::UsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(account_token::Column::UserId.eq(account.id))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    let mut active: user::ActiveModel = account.into();
    active.password_hash = Set(Some(hash));
    let account = active.update(&txn).await?;
    let user = CurrentUser::from_row(&account)
        .ok_or_else(|| unexpected("user row with an unknown role"))?;
    audit::append(
        &txn,
        NewEntry::by(Some(&user), "password_set", "user", user.id),
    )
    .await?;
    txn.commit().await?;
    revoke_user_sessions(&state.db, account.id).await?;
    // The password is kept, but a monitor awaiting approval goes no further (no session).
    if account.awaiting_approval {
        return Err(AppError::AwaitingApproval);
    }
    Ok((user, account.totp_secret.is_some()))
}

/// Mails a reset link when the address belongs to an active account. The answer is the same,
/// and as fast, whether or not it does: the lookup and the mail happen after the response.
#[tracing::instrument(skip_all)]
pub async fn request_password_reset(
    state: &AppState,
    email: &str,
    address: std::net::IpAddr,
) -> Result<(), AppError> {
    collect_errors(&[("email", validate_email(email))])?;
    let email = normalise_email(email);
    state.throttle.check_reset(&email, address)?;
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(error) = send_reset_link(&state, &email).await {
            tracing::error!(%error, "password reset mail not sent");
        }
    });
    Ok(())
}

async fn send_reset_link(state: &AppState, email: &str) -> anyhow::Result<()> {
    let Some(account) = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .filter(user::Column::Active.eq(true))
        .one(&state.db)
        .await?
    else {
        return Ok(());
    };
    let link = issue_token(
        &state.db,
        &state.settings,
        account.id,
        TokenPurpose::PasswordReset,
    )
    .await
    .map_err(|e| anyhow::anyhow!("cannot store the reset link: {e}"))?;
    let locale = Locale::parse(&account.locale).unwrap_or_default();
    let mail = account_mail(
        AccountMail::PasswordReset,
        locale,
        email,
        &account.display_name,
        &link,
    );
    state.mailer.send(&state.settings.mail_from, mail).await
}

/// Checks an e-mail and password, within the throttling limits; also says whether the account
/// has a second factor enrolled. A wrong password is audited (an attempt refused by the
/// throttle is not: it writes nothing).
#[tracing::instrument(skip_all)]
pub async fn authenticate(
    state: &AppState,
    email: &str,
    password: &str,
    address: std::net::IpAddr,
    device: Option<&str>,
) -> Result<(CurrentUser, bool), AppError> {
    let email = normalise_email(email);
    // Taken from the allowances now, given back below if the password is right: only
    // failures use them up, and concurrent guesses cannot pass them.
    let attempt = state.throttle.check(&email, address, device)?;
    let account = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(&state.db)
        .await?;
    let hash = account
        .as_ref()
        .filter(|u| u.active)
        .and_then(|u| u.password_hash.clone());
    let right = match state
        .throttle
        .verify_password(password.to_string(), hash)
        .await
    {
        Ok(right) => right,
        Err(error) => {
            // Busy: nothing was checked, so nothing counts.
            state.throttle.not_checked(attempt);
            return Err(error);
        }
    };
    if right {
        state.throttle.succeeded(attempt);
    } else {
        drop(attempt);
        tracing::info!("sign-in refused");
        audit::append(
            &state.db,
            NewEntry {
                actor_id: account.as_ref().map(|u| u.id),
                actor_role: account.as_ref().map_or("anonymous", |u| u.role.as_str()),
                action: "login_failed",
                target_kind: "user",
                target_id: account
                    .as_ref()
                    .map(|u| u.id.to_string())
                    .unwrap_or_default(),
                detail: Some("password".into()),
            },
        )
        .await?;
        return Err(AppError::InvalidCredentials);
    }
    let account = account.ok_or(AppError::InvalidCredentials)?;
    // Said only to whoever gave the right password: no oracle on pending accounts.
    if account.awaiting_approval {
        tracing::info!("sign-in refused: awaiting approval");
        return Err(AppError::AwaitingApproval);
    }
    let user = CurrentUser::from_row(&account).ok_or(AppError::InvalidCredentials)?;
    Ok((user, account.totp_secret.is_some()))
}

#[tracing::instrument(skip_all, fields(user = %user_id))]
pub async fn set_locale(
    db: &DatabaseConnection,
    user_id: Uuid,
    locale: Locale,
) -> Result<(), AppError> {
    if let Some(row) = user::Entity::find_by_id(user_id).one(db).await? {
        let mut active: user::ActiveModel = row.into();
        active.locale = Set(locale.as_str().to_string());
        active.update(db).await?;
    }
    Ok(())
}

/// Enables or disables an account; disabling ends all of its sessions at once.
#[tracing::instrument(skip_all, fields(actor = %actor.id, user = %user_id))]
pub async fn set_active(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    user_id: Uuid,
    enabled: bool,
) -> Result<(), AppError> {
    if actor.id == user_id && !enabled {
        return Err(AppError::field("user", "error-cannot-disable-self"));
    }
    // A coordinator's shadow invitation behaves like a member's invitation in the list.
    if actor.role == Role::CsoCoordinator {
        let shadow = shadow_invitation::Entity::find_by_id(user_id)
            .filter(shadow_invitation::Column::OrganisationId.eq(actor.organisation_id))
            .one(db)
            .await?;
        if let Some(shadow) = shadow {
            let mut active: shadow_invitation::ActiveModel = shadow.into();
            active.active = Set(enabled);
            let txn = crate::server::db::begin_write(db).await?;
            active.update(&txn).await?;
            let action = if enabled {
                "shadow_invitation_enabled"
            } else {
                "shadow_invitation_disabled"
            };
            audit::append(
                &txn,
                NewEntry::by(Some(actor), action, "shadow_invitation", user_id),
            )
            .await?;
            txn.commit().await?;
            return Ok(());
        }
    }
    let row = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if actor.role == Role::CsoCoordinator
        && (row.organisation_id != actor.organisation_id || row.role != Role::CsoMember.as_str())
    {
        return Err(AppError::NotFound);
    }
    let mut active: user::ActiveModel = row.into();
    active.active = Set(enabled);
    let txn = crate::server::db::begin_write(db).await?;
    active.update(&txn).await?;
    let action = if enabled {
        "account_enabled"
    } else {
        "account_disabled"
    };
    audit::append(&txn, NewEntry::by(Some(actor), action, "user", user_id)).await?;
    txn.commit().await?;
    if !enabled {
        revoke_user_sessions(db, user_id).await?;
    }
    Ok(())
}

/// Users an admin manages (all) or a coordinator manages (their organisation's members, and the
/// shadow invitations of addresses that have an account elsewhere, shown like any invitation
/// not yet answered).
#[tracing::instrument(skip_all, fields(viewer = %viewer.id))]
pub async fn list_users(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
) -> Result<Vec<UserSummary>, AppError> {
    let mut query = user::Entity::find().order_by_asc(user::Column::Email);
    if viewer.role == Role::CsoCoordinator {
        query = query.filter(user::Column::OrganisationId.eq(viewer.organisation_id));
    }
    let organisations = organisation::Entity::find().all(db).await?;
    let institutions = institution::Entity::find().all(db).await?;
    let rows = query.all(db).await?;
    let organisation_name = |id: Option<Uuid>| {
        id.and_then(|id| {
            organisations
                .iter()
                .find(|o| o.id == id)
                .map(|o| o.name.clone())
        })
    };
    // A row whose role the code does not know cannot be an account anyone signs in to.
    let mut users: Vec<UserSummary> = rows
        .into_iter()
        .filter_map(|u| Some((Role::parse(&u.role)?, u)))
        .map(|(role, u)| UserSummary {
            id: u.id.to_string(),
            email: u.email,
            display_name: u.display_name,
            role,
            affiliation: organisation_name(u.organisation_id).or_else(|| {
                u.institution_id.and_then(|id| {
                    institutions
                        .iter()
                        .find(|i| i.id == id)
                        .map(|i| i.acronym.clone())
                })
            }),
            active: u.active,
            pending: u.password_hash.is_none(),
            awaiting_approval: u.awaiting_approval,
            second_factor: u.totp_secret.is_some(),
            may_reset_second_factor: viewer.role == Role::Admin && u.totp_secret.is_some(),
            is_viewer: u.id == viewer.id,
        })
        .collect();
    if viewer.role == Role::CsoCoordinator {
        let shadows = shadow_invitation::Entity::find()
            .filter(shadow_invitation::Column::OrganisationId.eq(viewer.organisation_id))
            .all(db)
            .await?;
        users.extend(shadows.into_iter().map(|s| UserSummary {
            id: s.id.to_string(),
            email: s.email,
            display_name: s.display_name,
            role: Role::CsoMember,
            affiliation: organisation_name(Some(s.organisation_id)),
            active: s.active,
            pending: true,
            awaiting_approval: false,
            second_factor: false,
            may_reset_second_factor: false,
            is_viewer: false,
        }));
        // One order for both kinds of rows, the same on every database.
        users.sort_by(|a, b| a.email.cmp(&b.email));
    }
    Ok(users)
}

/// The monitor accounts waiting for a monitor's approval (the newest last).
#[tracing::instrument(skip_all, fields(viewer = %viewer.id))]
pub async fn pending_monitors(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
) -> Result<Vec<PendingMonitor>, AppError> {
    let rows = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Monitor.as_str()))
        .filter(user::Column::AwaitingApproval.eq(true))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::CreatedAt)
        .all(db)
        .await?;
    let inviter_ids: Vec<Uuid> = rows.iter().filter_map(|u| u.invited_by).collect();
    let inviters = if inviter_ids.is_empty() {
        Vec::new()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(inviter_ids))
            .all(db)
            .await?
    };
    Ok(rows
        .into_iter()
        .map(|u| PendingMonitor {
            id: u.id.to_string(),
            email: u.email,
            display_name: u.display_name,
            invited_on: u.created_at.format("%Y-%m-%d").to_string(),
            invited_by: u.invited_by.and_then(|id| {
                inviters
                    .iter()
                    .find(|i| i.id == id)
                    .map(|i| format!("{} <{}>", i.display_name, i.email))
            }),
            password_set: u.password_hash.is_some(),
            may_decide: u.id != viewer.id && u.invited_by != Some(viewer.id),
        })
        .collect())
}

/// A monitor approves (or refuses) another monitor's account: the second half of the
/// two-person rule. Never one's own account, never an account one invited. Refusing disables
/// the account (an admin re-enabling it puts it back on the list, still awaiting approval).
#[tracing::instrument(skip_all, fields(approver = %approver.id, user = %user_id))]
pub async fn decide_monitor(
    db: &DatabaseConnection,
    approver: &CurrentUser,
    user_id: Uuid,
    approve: bool,
) -> Result<(), AppError> {
    if approver.role != Role::Monitor {
        return Err(AppError::Forbidden);
    }
    let row = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.role == Role::Monitor.as_str() && u.awaiting_approval && u.active)
        .ok_or(AppError::NotFound)?;
    if row.id == approver.id {
        return Err(AppError::field("user", "error-approve-self"));
    }
    if row.invited_by == Some(approver.id) {
        return Err(AppError::field("user", "error-approve-own-invitation"));
    }
    let txn = crate::server::db::begin_write(db).await?;
    let update = user::Entity::update_many()
        .filter(user::Column::Id.eq(user_id))
        .filter(user::Column::AwaitingApproval.eq(true))
        .filter(user::Column::Active.eq(true));
    let update = if approve {
        update.col_expr(
            user::Column::AwaitingApproval,
            sea_orm::sea_query::Expr::value(false),
        )
    } else {
        update.col_expr(user::Column::Active, sea_orm::sea_query::Expr::value(false))
    };
    // Decided once: a second click, or another monitor at the same time, finds nothing left.
    if update.exec(&txn).await?.rows_affected != 1 {
        return Err(AppError::NotFound);
    }
    let action = if approve {
        "monitor_approved"
    } else {
        "monitor_refused"
    };
    let inviter = row.invited_by.map(|id| format!("invited by {id}"));
    let mut entry = NewEntry::by(Some(approver), action, "user", user_id);
    if let Some(inviter) = inviter {
        entry = entry.detail(inviter);
    }
    audit::append(&txn, entry).await?;
    txn.commit().await?;
    if !approve {
        revoke_user_sessions(db, user_id).await?;
    }
    tracing::info!(approved = approve, "monitor account decided");
    Ok(())
}

/// For the `create-admin` command: an admin account and its set-password link.
pub async fn create_admin(
    db: &DatabaseConnection,
    settings: &Settings,
    email: &str,
) -> anyhow::Result<String> {
    create_from_command_line(db, settings, email, Role::Admin).await
}

/// For the `create-monitor` command: a monitor account that needs no approval (whoever runs
/// the command holds the server, and the first monitor has nobody to approve it), and its
/// set-password link. An address awaiting approval as a monitor is approved by the command.
pub async fn create_monitor(
    db: &DatabaseConnection,
    settings: &Settings,
    email: &str,
) -> anyhow::Result<String> {
    create_from_command_line(db, settings, email, Role::Monitor).await
}

async fn create_from_command_line(
    db: &DatabaseConnection,
    settings: &Settings,
    email: &str,
    role: Role,
) -> anyhow::Result<String> {
    let (display_name, command) = match role {
        Role::Monitor => ("Analyste CNDH", "create-monitor"),
        _ => ("Administrateur", "create-admin"),
    };
    validate_email(email).map_err(|_| anyhow::anyhow!("invalid e-mail address: {email}"))?;
    let email = normalise_email(email);
    let existing = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(db)
        .await?;
    let user_id = match existing {
        Some(row) if !row.active => {
            anyhow::bail!("{email} has a disabled account: an administrator must enable it first")
        }
        Some(row) if row.role == role.as_str() => {
            if row.awaiting_approval {
                user::Entity::update_many()
                    .col_expr(
                        user::Column::AwaitingApproval,
                        sea_orm::sea_query::Expr::value(false),
                    )
                    .filter(user::Column::Id.eq(row.id))
                    .exec(db)
                    .await?;
                audit::append(
                    db,
                    NewEntry::by(None, "monitor_approved", "user", row.id).detail(command),
                )
                .await
                .map_err(|e| anyhow::anyhow!("cannot write the audit entry: {e}"))?;
            }
            row.id
        }
        Some(_) => anyhow::bail!("{email} already has an account with another role"),
        None => {
            let id = Uuid::new_v4();
            user::ActiveModel {
                id: Set(id),
                email: Set(email.clone()),
                display_name: Set(display_name.to_string()),
                locale: Set(Locale::Fr.as_str().to_string()),
                role: Set(role.as_str().to_string()),
                organisation_id: Set(None),
                institution_id: Set(None),
                password_hash: Set(None),
                active: Set(true),
                created_at: Set(Utc::now()),
                notification_preference: Set("immediate".into()),
                awaiting_approval: Set(false),
                invited_by: Set(None),
                ..Default::default()
            }
            .insert(db)
            .await?;
            id
        }
    };
    audit::append(
        db,
        NewEntry::by(None, "account_invited", "user", user_id)
            .detail(format!("{} ({command})", role.as_str())),
    )
    .await
    .map_err(|e| anyhow::anyhow!("cannot write the audit entry: {e}"))?;
    issue_token(db, settings, user_id, TokenPurpose::Invitation)
        .await
        .map_err(|e| anyhow::anyhow!("cannot create the invitation: {e}"))
}
