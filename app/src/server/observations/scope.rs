//! The one access path to observations, referrals, attachments and tips. It takes the viewer and
//! answers `NotFound` for anything outside their scope, exactly as for a missing record:
//! - a CSO member sees their organisation's observations (drafts only their own);
//! - a liaison sees only their institution's referrals, never the observation behind them;
//! - NHRC staff see every submitted observation (never a draft);
//! - a case in a sensitive category only with the sensitive-cases permission (organisations
//!   always see their own: they filed them); a tip likewise, by its own category or by the
//!   observation made of it;
//! - admins see none.

use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect,
    RelationTrait, Select,
};
use uuid::Uuid;

use super::parse_id;
use crate::domain::Role;
use crate::domain::lifecycle::ObservationStatus;
use crate::error::AppError;
use crate::server::auth::CurrentUser;
use crate::server::entities::{
    attachment, category, observation, observation_concern, referral, referral_attachment, tip,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Organisation {
        organisation: Uuid,
        member: Uuid,
    },
    /// A liaison of `institution`; `sensitive`: holds the sensitive-cases permission.
    Institution {
        institution: Uuid,
        sensitive: bool,
    },
    /// NHRC staff; `sensitive`: holds the sensitive-cases permission.
    Nhrc {
        sensitive: bool,
    },
}

impl Scope {
    pub fn of(user: &CurrentUser) -> Result<Scope, AppError> {
        match (user.role, user.organisation_id, user.institution_id) {
            (Role::CsoMember | Role::CsoCoordinator, Some(organisation), _) => {
                Ok(Scope::Organisation {
                    organisation,
                    member: user.id,
                })
            }
            (Role::Liaison, _, Some(institution)) => Ok(Scope::Institution {
                institution,
                sensitive: user.sensitive_cases,
            }),
            (Role::Monitor, _, _) => Ok(Scope::Nhrc {
                sensitive: user.sensitive_cases,
            }),
            _ => Err(AppError::Forbidden),
        }
    }

    /// NHRC staff, with or without the sensitive-cases permission.
    pub fn is_nhrc(self) -> bool {
        matches!(self, Scope::Nhrc { .. })
    }

    /// The liaison's institution.
    pub fn institution(self) -> Option<Uuid> {
        match self {
            Scope::Institution { institution, .. } => Some(institution),
            _ => None,
        }
    }

    /// Whether cases in a sensitive category are within the scope: with the permission, and
    /// always for the organisation that filed them.
    pub fn sees_sensitive(self) -> bool {
        match self {
            Scope::Organisation { .. } => true,
            Scope::Institution { sensitive, .. } | Scope::Nhrc { sensitive } => sensitive,
        }
    }
}

/// The sensitive categories' ids, as a subquery.
fn sensitive_categories() -> SelectStatement {
    Query::select()
        .column(category::Column::Id)
        .from(category::Entity)
        .and_where(category::Column::Sensitive.eq(true))
        .to_owned()
}

/// The ids of the observations in a sensitive category, as a subquery.
fn sensitive_observations() -> SelectStatement {
    Query::select()
        .column(observation::Column::Id)
        .from(observation::Entity)
        .and_where(observation::Column::CategoryId.in_subquery(sensitive_categories()))
        .to_owned()
}

/// The referral's own observation, when it is in a sensitive category (a correlated subquery).
fn sensitive_behind_referral() -> SelectStatement {
    Query::select()
        .expr(Expr::val(1))
        .from(observation::Entity)
        .and_where(
            Expr::col((observation::Entity, observation::Column::Id))
                .equals((referral::Entity, referral::Column::ObservationId)),
        )
        .and_where(
            Expr::col((observation::Entity, observation::Column::CategoryId))
                .in_subquery(sensitive_categories()),
        )
        .to_owned()
}

/// The observations outside every sensitive category (those without one included).
pub fn not_sensitive() -> Condition {
    Condition::any()
        .add(observation::Column::CategoryId.is_null())
        .add(observation::Column::CategoryId.not_in_subquery(sensitive_categories()))
}

/// What `scope` may not read of the observations' content, as a condition on observations:
/// everything passes, or only what is outside the sensitive categories. Exports and lists that
/// do not start from [`observations`] add it.
pub fn content_condition(scope: Scope) -> Condition {
    if scope.sees_sensitive() {
        Condition::all()
    } else {
        not_sensitive()
    }
}

/// The observations `scope` may read, as a query to refine.
pub fn observations(scope: Scope) -> Select<observation::Entity> {
    use observation::Column as C;
    let draft = ObservationStatus::Draft.as_str();
    let condition = match scope {
        Scope::Organisation {
            organisation,
            member,
        } => Condition::all()
            .add(C::OrganisationId.eq(organisation))
            .add(
                Condition::any()
                    .add(C::Status.ne(draft))
                    .add(C::AuthorId.eq(member)),
            ),
        Scope::Nhrc { .. } => Condition::all()
            .add(C::Status.ne(draft))
            .add(content_condition(scope)),
        // Liaisons read referrals, never observations.
        Scope::Institution { .. } => Condition::all().add(Expr::cust("1 = 0")),
    };
    observation::Entity::find().filter(condition)
}

/// The referrals `scope` may read, as a query to refine.
pub fn referrals(scope: Scope) -> Select<referral::Entity> {
    use referral::Column as C;
    let find = referral::Entity::find();
    let find = if scope.sees_sensitive() {
        find
    } else {
        // Asked of each row read (its observation's category, by primary key): a list reads
        // twenty, never the whole set of sensitive observations.
        find.filter(Expr::exists(sensitive_behind_referral()).not())
    };
    match scope {
        Scope::Institution { institution, .. } => find.filter(C::InstitutionId.eq(institution)),
        Scope::Nhrc { .. } => find,
        Scope::Organisation { organisation, .. } => find.filter(
            C::ObservationId.in_subquery(
                Query::select()
                    .column(observation::Column::Id)
                    .from(observation::Entity)
                    .and_where(observation::Column::OrganisationId.eq(organisation))
                    .to_owned(),
            ),
        ),
    }
}

/// The tips `scope` may read, as a query to refine: the NHRC's alone; without the
/// permission, none in a sensitive category, nor any made into an observation in one (the
/// thread goes on after the conversion, and it is that case's).
pub fn tips(scope: Scope) -> Select<tip::Entity> {
    use tip::Column as C;
    let find = tip::Entity::find();
    match scope {
        Scope::Nhrc { sensitive: true } => find,
        Scope::Nhrc { sensitive: false } => find
            .filter(
                Condition::any()
                    .add(C::CategoryId.is_null())
                    .add(C::CategoryId.not_in_subquery(sensitive_categories())),
            )
            .filter(
                Condition::any()
                    .add(C::ObservationId.is_null())
                    .add(C::ObservationId.not_in_subquery(sensitive_observations())),
            ),
        Scope::Organisation { .. } | Scope::Institution { .. } => {
            find.filter(Condition::all().add(Expr::cust("1 = 0")))
        }
    }
}

/// One tip within `scope`; any other answers like a missing one.
pub async fn tip(
    db: &impl ConnectionTrait,
    scope: Scope,
    id: Uuid,
) -> Result<tip::Model, AppError> {
    tips(scope)
        .filter(tip::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The institution a filter names; an id that cannot be read is refused as an unknown choice
/// (never ignored, which would widen the answer).
pub fn institution_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id.trim()).map_err(|_| AppError::field("institution", "error-choice-unknown"))
}

/// The observations that concern the institution `id`: named by their filer, or referred to
/// it (the rows the database keeps in `observation_concerns`, migration 000018). The one place
/// this is written: lists and exports filter with it or with [`in_concerns_order`] alike.
pub fn concerning_institution(institution: Uuid) -> Condition {
    // Asked of each observation read, by primary key: a list stops after a page, whereas a
    // set of every observation concerning a large institution would be built first.
    let concern = Query::select()
        .expr(Expr::val(1))
        .from(observation_concern::Entity)
        .and_where(
            Expr::col((
                observation_concern::Entity,
                observation_concern::Column::ObservationId,
            ))
            .equals((observation::Entity, observation::Column::Id)),
        )
        .and_where(observation_concern::Column::InstitutionId.eq(institution))
        .to_owned();
    Condition::all().add(Expr::exists(concern))
}

/// `query` narrowed to the observations that concern `institution`, read from the
/// institution's own index in the lists' order: sort it by `observation_concerns.listed_at`
/// (the observation's own, copied), and a page or a count walks only that institution's
/// cases.
pub fn in_concerns_order(
    query: Select<observation::Entity>,
    institution: Uuid,
) -> Select<observation::Entity> {
    query
        .join(
            JoinType::InnerJoin,
            observation_concern::Relation::Observation.def().rev(),
        )
        .filter(observation_concern::Column::InstitutionId.eq(institution))
}

pub async fn observation(
    db: &impl ConnectionTrait,
    scope: Scope,
    id: &str,
) -> Result<observation::Model, AppError> {
    let id = parse_id(id)?;
    observations(scope)
        .filter(observation::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A referral with the observation behind it (the caller decides what of it to show).
pub async fn referral(
    db: &impl ConnectionTrait,
    scope: Scope,
    id: &str,
) -> Result<(referral::Model, observation::Model), AppError> {
    let id = parse_id(id)?;
    let referral = referrals(scope)
        .filter(referral::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let observation = observation::Entity::find_by_id(referral.observation_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((referral, observation))
}

/// The evidence files the NHRC chose to share with a referral (its institution's own
/// documents aside).
pub async fn shared_with(
    db: &impl ConnectionTrait,
    referral_id: Uuid,
) -> Result<Vec<Uuid>, AppError> {
    Ok(referral_attachment::Entity::find()
        .filter(referral_attachment::Column::ReferralId.eq(referral_id))
        .all(db)
        .await?
        .into_iter()
        .map(|shared| shared.attachment_id)
        .collect())
}

/// Which copy of an attachment the viewer may download.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Copy {
    Original,
    Cleaned,
}

/// The attachment and the file the viewer may have of it. Only the NHRC gets sealed
/// originals; a liaison gets the cleaned copy of the evidence files the NHRC chose for its
/// referral, and its own institution's documents (any other is missing to it).
pub async fn attachment(
    db: &impl ConnectionTrait,
    scope: Scope,
    id: &str,
    wanted: Copy,
) -> Result<(attachment::Model, String), AppError> {
    let id = parse_id(id)?;
    let row = attachment::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let visible = match scope {
        Scope::Nhrc { .. } => observations(scope)
            .filter(observation::Column::Id.eq(row.observation_id))
            .one(db)
            .await?
            .is_some(),
        Scope::Organisation { .. } => {
            wanted == Copy::Cleaned
                && observations(scope)
                    .filter(observation::Column::Id.eq(row.observation_id))
                    .one(db)
                    .await?
                    .is_some()
        }
        Scope::Institution { .. } => {
            let mine = referrals(scope)
                .filter(referral::Column::ObservationId.eq(row.observation_id))
                .one(db)
                .await?;
            let shared = match (&mine, row.referral_id) {
                (Some(r), Some(referral_id)) => referral_id == r.id,
                (Some(r), None) => shared_with(db, r.id).await?.contains(&row.id),
                (None, _) => false,
            };
            wanted == Copy::Cleaned && shared
        }
    };
    if !visible {
        return Err(AppError::NotFound);
    }
    let file = match wanted {
        Copy::Original => row.stored_name.clone(),
        Copy::Cleaned => row.clean_stored_name.clone().ok_or(AppError::NotFound)?,
    };
    Ok((row, file))
}
