//! Lists with filters, text search, sorting and pages, each within the viewer's scope (the
//! queries start from `scope::observations` / `scope::referrals`).

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, Func, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, Order, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use super::detail::{next_deadline, referral_overdue};
use super::scope::{self, Scope};
use super::{Names, today};
use crate::domain::calendar::running_deadline;
use crate::domain::lifecycle::{ObservationStatus, ReferralStatus};
use crate::error::AppError;
use crate::model::Page;
use crate::model::observation::{ListChoices, ListFilter, ObservationSummary};
use crate::model::referral::ReferralSummary;
use crate::server::auth::CurrentUser;
use crate::server::entities::{observation, observation_institution, organisation, referral};

pub const PAGE_SIZE: u64 = 20;

fn text(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A filter's value: none when left empty, refused when it cannot be read (never ignored: a
/// list must not silently answer another question than the one asked).
fn parsed<T>(
    value: &Option<String>,
    (field, error): (&str, &str),
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<Option<T>, AppError> {
    match text(value) {
        None => Ok(None),
        Some(v) => parse(v)
            .map(Some)
            .ok_or_else(|| AppError::field(field, error)),
    }
}

/// A chosen value (a status, an id) that the list's own choices would have given.
fn choice<T>(
    value: &Option<String>,
    field: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<Option<T>, AppError> {
    parsed(value, (field, "error-choice-unknown"), parse)
}

fn uuid(value: &Option<String>, field: &str) -> Result<Option<Uuid>, AppError> {
    choice(value, field, |v| Uuid::parse_str(v).ok())
}

/// `%word%` for a case-insensitive LIKE on both databases (the pattern's own `%` and `_`
/// are escaped).
fn pattern(q: &str) -> String {
    let escaped = q
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

fn contains(column: impl sea_orm::sea_query::IntoColumnRef, q: &str) -> SimpleExpr {
    use sea_orm::sea_query::ExprTrait;
    Expr::expr(Func::lower(Expr::col(column)))
        .like(sea_orm::sea_query::LikeExpr::new(pattern(q)).escape('\\'))
}

/// The statuses in which a deadline runs, as `calendar::running_deadline` decides (a referral
/// waiting for the organisation's answer has none): the rule is asked, not copied.
pub(crate) fn response_running() -> Vec<&'static str> {
    let any_day = NaiveDate::MIN;
    ReferralStatus::ALL
        .iter()
        .filter(|s| running_deadline(**s, any_day, any_day).is_some())
        .map(|s| s.as_str())
        .collect()
}

/// Referrals past their running deadline on `today` (the SQL twin of `calendar::is_overdue`).
pub(crate) fn overdue_referrals(today: NaiveDate) -> Condition {
    use referral::Column as C;
    Condition::any()
        .add(
            Condition::all()
                .add(C::Status.eq(ReferralStatus::Forwarded.as_str()))
                .add(C::AckDue.lt(today)),
        )
        .add(
            Condition::all()
                .add(C::Status.is_in(response_running()))
                .add(C::RespondDue.lt(today)),
        )
}

/// `column` within the filter's days, both included (no condition for an open end).
fn period(column: impl ColumnTrait + Copy, filter: &ListFilter) -> Result<Condition, AppError> {
    let day = |v: &str| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
    let midnight = |day: NaiveDate| day.and_hms_opt(0, 0, 0).map(|d| d.and_utc());
    let mut condition = Condition::all();
    if let Some(from) = parsed(&filter.from, ("from", "error-date-invalid"), day)? {
        condition = condition.add(column.gte(midnight(from)));
    }
    if let Some(to) = parsed(&filter.to, ("to", "error-date-invalid"), day)? {
        condition = condition.add(column.lt(to.succ_opt().and_then(midnight)));
    }
    Ok(condition)
}

/// The page asked for, within the pages there are (past the end: the last one).
fn page_of(filter: &ListFilter, total: u64) -> u64 {
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    filter.page.unwrap_or(1).clamp(1, pages)
}

/// The "overdue only" box: ticked, or left out.
fn overdue_only(filter: &ListFilter) -> Result<bool, AppError> {
    let ticked = |v: &str| matches!(v, "1" | "on" | "true").then_some(());
    Ok(choice(&filter.overdue, "overdue", ticked)?.is_some())
}

#[tracing::instrument(skip_all, fields(viewer = %user.id))]
pub async fn observations(
    db: &DatabaseConnection,
    user: &CurrentUser,
    filter: &ListFilter,
) -> Result<Page<ObservationSummary>, AppError> {
    use observation::Column as C;
    let scope = Scope::of(user)?;
    let today = today();
    let mut query = scope::observations(scope);
    if let Some(status) = choice(&filter.status, "status", ObservationStatus::parse)? {
        query = query.filter(C::Status.eq(status.as_str()));
    }
    if let Some(category) = uuid(&filter.category, "category")? {
        query = query.filter(C::CategoryId.eq(category));
    }
    if let Some(region) = text(&filter.region) {
        query = query.filter(C::RegionCode.eq(region));
    }
    query = query.filter(period(C::SubmittedAt, filter)?);
    if let Some(institution) = text(&filter.institution) {
        query = query.filter(scope::concerning_institution(institution)?);
    }
    if overdue_only(filter)? {
        query = query.filter(
            C::Id.in_subquery(
                Query::select()
                    .column(referral::Column::ObservationId)
                    .from(referral::Entity)
                    .cond_where(overdue_referrals(today))
                    .to_owned(),
            ),
        );
    }
    if let Some(q) = text(&filter.q) {
        query = query.filter(
            Condition::any()
                .add(contains(C::Title, q))
                .add(contains(C::Description, q))
                .add(contains(C::Reference, q)),
        );
    }
    query = match text(&filter.sort) {
        Some("oldest") => query
            .order_by(C::SubmittedAt, Order::Asc)
            .order_by(C::CreatedAt, Order::Asc),
        Some("updated") => query.order_by(C::UpdatedAt, Order::Desc),
        _ => query.order_by(C::CreatedAt, Order::Desc),
    }
    // A unique last key: rows that tie cannot change places between two pages.
    .order_by(C::Id, Order::Asc);
    let paginator = query.paginate(db, PAGE_SIZE);
    let total = paginator.num_items().await?;
    let page = page_of(filter, total);
    let rows = paginator.fetch_page(page - 1).await?;

    let names = Names::load(db, user.locale).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let referrals = referral::Entity::find()
        .filter(referral::Column::ObservationId.is_in(ids.clone()))
        .all(db)
        .await?;
    let named = observation_institution::Entity::find()
        .filter(observation_institution::Column::ObservationId.is_in(ids))
        .all(db)
        .await?;
    let nhrc = scope.is_nhrc();
    let organisations: Vec<organisation::Model> = if nhrc {
        organisation::Entity::find().all(db).await?
    } else {
        Vec::new()
    };
    let items = rows
        .into_iter()
        .map(|row| {
            let mine: Vec<&referral::Model> = referrals
                .iter()
                .filter(|r| r.observation_id == row.id)
                .collect();
            let institutions = if mine.is_empty() {
                named
                    .iter()
                    .filter(|n| n.observation_id == row.id)
                    .map(|n| names.acronym(n.institution_id))
                    .collect()
            } else {
                mine.iter()
                    .map(|r| names.acronym(r.institution_id))
                    .collect()
            };
            ObservationSummary {
                id: row.id.to_string(),
                reference: row.reference.clone(),
                title: row.title.clone(),
                status: ObservationStatus::parse(&row.status).unwrap_or(ObservationStatus::Draft),
                category: names.category(row.category_id),
                region: names.region(row.region_code.as_deref()),
                institutions,
                submitted_on: row.submitted_at.map(|d| d.format("%Y-%m-%d").to_string()),
                organisation: organisations
                    .iter()
                    .find(|o| o.id == row.organisation_id)
                    .map(|o| o.name.clone()),
                overdue: mine.iter().any(|r| referral_overdue(r, today)),
            }
        })
        .collect();
    Ok(Page {
        items,
        total,
        page,
        pages: total.div_ceil(PAGE_SIZE).max(1),
    })
}

/// The liaison's inbox: their institution's referrals, the most urgent open ones first.
#[tracing::instrument(skip_all, fields(viewer = %user.id))]
pub async fn referrals(
    db: &DatabaseConnection,
    user: &CurrentUser,
    filter: &ListFilter,
) -> Result<Page<ReferralSummary>, AppError> {
    use referral::Column as C;
    let scope = Scope::of(user)?;
    let today = today();
    let mut query = scope::referrals(scope);
    if let Some(status) = choice(&filter.status, "status", ReferralStatus::parse)? {
        query = query.filter(C::Status.eq(status.as_str()));
    }
    query = query.filter(period(C::ForwardedAt, filter)?);
    if overdue_only(filter)? {
        query = query.filter(overdue_referrals(today));
    }
    let mut behind = Query::select()
        .column(observation::Column::Id)
        .from(observation::Entity)
        .to_owned();
    let mut restricted = false;
    if let Some(category) = uuid(&filter.category, "category")? {
        behind.and_where(observation::Column::CategoryId.eq(category));
        restricted = true;
    }
    if let Some(region) = text(&filter.region) {
        behind.and_where(observation::Column::RegionCode.eq(region));
        restricted = true;
    }
    if restricted {
        query = query.filter(C::ObservationId.in_subquery(behind));
    }
    if let Some(q) = text(&filter.q) {
        // The released text and the public reference only: never the original.
        query = query.filter(
            Condition::any()
                .add(contains(C::Title, q))
                .add(contains(C::Description, q))
                .add(
                    C::ObservationId.in_subquery(
                        Query::select()
                            .column(observation::Column::Id)
                            .from(observation::Entity)
                            .and_where(contains(observation::Column::Reference, q))
                            .to_owned(),
                    ),
                ),
        );
    }
    query = match text(&filter.sort) {
        Some("newest") => query.order_by(C::ForwardedAt, Order::Desc),
        Some("oldest") => query.order_by(C::ForwardedAt, Order::Asc),
        // Oldest due first: referrals with a running deadline by that deadline (for a
        // forwarded one the acknowledgement's, which admins keep within the response's),
        // then the others.
        _ => query
            .order_by(
                Into::<Expr>::into(Expr::case(C::Status.is_in(response_running()), 0).finally(1)),
                Order::Asc,
            )
            .order_by(
                Into::<Expr>::into(
                    Expr::case(
                        C::Status.eq(ReferralStatus::Forwarded.as_str()),
                        Expr::col(C::AckDue),
                    )
                    .finally(Expr::col(C::RespondDue)),
                ),
                Order::Asc,
            )
            .order_by(C::ForwardedAt, Order::Asc),
    }
    .order_by(C::Id, Order::Asc);
    let paginator = query.paginate(db, PAGE_SIZE);
    let total = paginator.num_items().await?;
    let page = page_of(filter, total);
    let rows = paginator.fetch_page(page - 1).await?;
    let calendar = super::holidays(db).await?;
    let observations = observation::Entity::find()
        .filter(observation::Column::Id.is_in(rows.iter().map(|r| r.observation_id)))
        .all(db)
        .await?;
    let items = rows
        .iter()
        .map(|r| ReferralSummary {
            id: r.id.to_string(),
            reference: observations
                .iter()
                .find(|o| o.id == r.observation_id)
                .and_then(|o| o.reference.clone())
                .unwrap_or_default(),
            title: r.title.clone(),
            status: ReferralStatus::parse(&r.status).unwrap_or(ReferralStatus::Closed),
            forwarded_on: r.forwarded_at.format("%Y-%m-%d").to_string(),
            next_deadline: next_deadline(r, today, &calendar),
            overdue: referral_overdue(r, today),
        })
        .collect();
    Ok(Page {
        items,
        total,
        page,
        pages: total.div_ceil(PAGE_SIZE).max(1),
    })
}

pub async fn choices(
    db: &DatabaseConnection,
    locale: crate::domain::Locale,
) -> Result<ListChoices, AppError> {
    use crate::server::reference;
    Ok(ListChoices {
        categories: reference::categories_by_name(db, locale)
            .await?
            .into_iter()
            .map(|c| {
                let name = match locale {
                    crate::domain::Locale::Fr => c.name_fr,
                    crate::domain::Locale::En => c.name_en,
                };
                (c.id, name)
            })
            .collect(),
        // Only institutions that receive referrals can appear in results: the others are
        // never offered to filers, tipsters or forwarders.
        institutions: reference::institutions(db, locale)
            .await?
            .into_iter()
            .filter(|i| i.receives_referrals)
            .map(|i| (i.id, i.acronym))
            .collect(),
        regions: reference::regions(db, locale)
            .await?
            .into_iter()
            .map(|r| (r.code, r.name))
            .collect(),
        can_file: false,
    })
}

/// The public tip form's choices: categories, the institutions a tipster may name (those that
/// receive referrals, by their name, not their acronym) and regions, in the reader's language.
pub async fn tip_choices(
    db: &DatabaseConnection,
    locale: crate::domain::Locale,
) -> Result<ListChoices, AppError> {
    use crate::server::reference;
    let mut tip = choices(db, locale).await?;
    tip.institutions = reference::receiving_institutions(db, locale)
        .await?
        .into_iter()
        .map(|i| (i.id, i.name))
        .collect();
    Ok(tip)
}
