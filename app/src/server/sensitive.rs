//! The sensitive-cases permission (DESIGN §2-§3): who holds it, and granting or revoking it,
//! each change audited. What the permission opens is decided in `observations::scope` only.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::audit::{self, NewEntry};
use super::auth::CurrentUser;
use super::entities::{institution, user};
use crate::domain::{Role, normalise_email};
use crate::error::AppError;
use crate::model::sensitive::{SensitiveAccess, SensitiveHolder};

/// The page where a sign-in role manages the permission.
pub fn page_of(role: Role) -> &'static str {
    if role == Role::Liaison {
        "/institution/sensitive"
    } else {
        "/monitoring/sensitive"
    }
}

/// The account id a form sends; one that is not an id answers like a missing account.
pub fn parse_user_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)
}

/// The staff the viewer's permission page lists: monitors see every active monitor and
/// liaison; a liaison sees their own institution's liaisons.
pub async fn access(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
) -> Result<SensitiveAccess, AppError> {
    let staff = user::Entity::find()
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::AwaitingApproval.eq(false))
        .order_by_asc(user::Column::DisplayName)
        .order_by_asc(user::Column::Email);
    let acronyms: Vec<(Uuid, String)> = institution::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i.acronym))
        .collect();
    let row = |u: user::Model, may_change: bool| SensitiveHolder {
        id: u.id.to_string(),
        institution: u.institution_id.and_then(|id| {
            acronyms
                .iter()
                .find(|(i, _)| *i == id)
                .map(|(_, a)| a.clone())
        }),
        display_name: u.display_name,
        email: u.email,
        holds: u.sensitive_cases,
        coordinates: u.coordinates_institution,
        may_change,
    };
    match viewer.role {
        Role::Monitor => {
            let monitors = staff
                .clone()
                .filter(user::Column::Role.eq(Role::Monitor.as_str()))
                .all(db)
                .await?
                .into_iter()
                .map(|u| {
                    let may = viewer.sensitive_cases && u.id != viewer.id;
                    row(u, may)
                })
                .collect();
            let mut liaisons: Vec<SensitiveHolder> = staff
                .filter(user::Column::Role.eq(Role::Liaison.as_str()))
                .all(db)
                .await?
                .into_iter()
                .map(|u| row(u, viewer.sensitive_cases))
                .collect();
            // Grouped by institution, as people look them up.
            liaisons.sort_by(|a, b| a.institution.cmp(&b.institution));
            Ok(SensitiveAccess {
                viewer_holds: viewer.sensitive_cases,
                viewer_grants: viewer.sensitive_cases,
                names_coordinators: viewer.sensitive_cases,
                viewer_coordinates: false,
                monitors,
                liaisons,
            })
        }
        Role::Liaison => {
            let Some(institution) = viewer.institution_id else {
                return Err(AppError::Forbidden);
            };
            let grants = viewer.coordinates_institution && viewer.sensitive_cases;
            let liaisons = staff
                .filter(user::Column::Role.eq(Role::Liaison.as_str()))
                .filter(user::Column::InstitutionId.eq(institution))
                .all(db)
                .await?
                .into_iter()
                .map(|u| {
                    let may = grants && u.id != viewer.id;
                    row(u, may)
                })
                .collect();
            Ok(SensitiveAccess {
                viewer_holds: viewer.sensitive_cases,
                viewer_grants: grants,
                names_coordinators: false,
                viewer_coordinates: viewer.coordinates_institution,
                monitors: Vec::new(),
                liaisons,
            })
        }
        _ => Err(AppError::Forbidden),
    }
}

/// The active account `id` with the role `role`, or `NotFound` (missing, disabled, awaiting
/// approval, another role: all alike).
async fn staff_member(
    db: &DatabaseConnection,
    id: Uuid,
    roles: &[Role],
) -> Result<user::Model, AppError> {
    user::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|u| u.active && !u.awaiting_approval)
        .filter(|u| Role::parse(&u.role).is_some_and(|r| roles.contains(&r)))
        .ok_or(AppError::NotFound)
}

/// Whether `actor` may grant or revoke the permission of anyone at all: a monitor or a
/// coordinating liaison, who holds it (nobody hands on an access they were not trusted with).
/// Checked before anything else is read.
pub fn may_grant(actor: &CurrentUser) -> Result<(), AppError> {
    match actor.role {
        Role::Monitor if actor.sensitive_cases => Ok(()),
        Role::Liaison if actor.coordinates_institution && actor.sensitive_cases => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// Grants (`grant`) or revokes the permission of `user_id`. A monitor who holds it may change
/// another monitor's or a liaison's; a coordinating liaison who holds it the other
/// liaisons' of their own institution (another institution's liaison answers like a missing
/// account). Never one's own. Audited when something changed.
pub async fn set_permission(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    user_id: Uuid,
    grant: bool,
) -> Result<(), AppError> {
    may_grant(actor)?;
    let target = match actor.role {
        Role::Monitor => staff_member(db, user_id, &[Role::Monitor, Role::Liaison]).await?,
        Role::Liaison => {
            let target = staff_member(db, user_id, &[Role::Liaison]).await?;
            if target.institution_id.is_none() || target.institution_id != actor.institution_id {
                return Err(AppError::NotFound);
            }
            target
        }
        _ => return Err(AppError::Forbidden),
    };
    if target.id == actor.id {
        return Err(AppError::field("user", "error-sensitive-self"));
    }
    let action = if grant {
        "sensitive_cases_granted"
    } else {
        "sensitive_cases_revoked"
    };
    change(
        db,
        Some(actor),
        target,
        user::Column::SensitiveCases,
        grant,
        action,
    )
    .await
}

/// A monitor names (`coordinating`) or unnames the liaison `user_id` as a coordinating liaison
/// of their institution: the one who grants the permission there. Audited.
pub async fn set_coordinating(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    user_id: Uuid,
    coordinating: bool,
) -> Result<(), AppError> {
    if actor.role != Role::Monitor {
        return Err(AppError::Forbidden);
    }
    may_grant(actor)?;
    let target = staff_member(db, user_id, &[Role::Liaison]).await?;
    let action = if coordinating {
        "coordinating_liaison_named"
    } else {
        "coordinating_liaison_unnamed"
    };
    change(
        db,
        Some(actor),
        target,
        user::Column::CoordinatesInstitution,
        coordinating,
        action,
    )
    .await
}

/// Sets `column` of `target` to `value` with its audit entry, in one transaction; nothing (and
/// no entry) when it already was so.
async fn change(
    db: &DatabaseConnection,
    actor: Option<&CurrentUser>,
    target: user::Model,
    column: user::Column,
    value: bool,
    action: &str,
) -> Result<(), AppError> {
    let txn = crate::server::db::begin_write(db).await?;
    let changed = user::Entity::update_many()
        .col_expr(column, Expr::value(value))
        .filter(user::Column::Id.eq(target.id))
        .filter(column.ne(value))
        .exec(&txn)
        .await?
        .rows_affected;
    if changed == 1 {
        let mut detail = format!("{} <{}>", target.display_name, target.email);
        if actor.is_none() {
            detail.push_str(" (grant-sensitive)");
        }
        audit::append(
            &txn,
            NewEntry::by(actor, action, "user", target.id).detail(detail),
        )
        .await?;
    }
    txn.commit().await?;
    tracing::info!(action, changed, "sensitive-cases permission");
    Ok(())
}

/// For the `grant-sensitive` command: the first monitor's permission (nobody holds it yet to
/// grant it), or any monitor's or liaison's, by whoever runs the server. Audited.
pub async fn grant_from_command_line(db: &DatabaseConnection, email: &str) -> anyhow::Result<()> {
    let email = normalise_email(email);
    let target = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(db)
        .await?
        .filter(|u| u.active && !u.awaiting_approval)
        .filter(|u| matches!(Role::parse(&u.role), Some(Role::Monitor | Role::Liaison)))
        .ok_or_else(|| {
            anyhow::anyhow!("{email} is not an active, approved monitor or liaison account")
        })?;
    change(
        db,
        None,
        target,
        user::Column::SensitiveCases,
        true,
        "sensitive_cases_granted",
    )
    .await
    .map_err(|e| anyhow::anyhow!("cannot grant the permission: {e}"))
}
