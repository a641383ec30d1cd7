//! The work queue of each role (`model::queue`): for each group one condition, from which both
//! its count and its oldest items are read, always through the scoped access path
//! (`scope::observations`, `scope::referrals`, `scope::tips`), so the number in the navigation
//! is the items. The groups of a role never overlap: each waiting case is counted once.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, JoinType, Order, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, RelationDef, Select,
};
use uuid::Uuid;

use crate::domain::Role;
use crate::domain::calendar::{Holidays, add_working_days, working_days_between};
use crate::domain::lifecycle::{ObservationStatus, ReferralStatus};
use crate::domain::tip::TipStatus;
use crate::error::AppError;
use crate::model::queue::{
    Bucket, NAV_COUNT_LIMIT, QueueFilter, QueueItem, QueueSection, Waiting, WorkQueue,
};
use crate::server::auth::CurrentUser;
use crate::server::entities::{observation, referral, tip};
use crate::server::observations::detail::{referral_due, referral_overdue, until};
use crate::server::observations::listing::{count_up_to, overdue_referrals};
use crate::server::observations::scope::{self, Scope};
use crate::server::observations::{Names, holidays, today};

/// Items shown per group; the count says how many there are in all.
pub const SHOWN: u64 = 50;
/// How far back "closed recently" reaches, in days.
const RECENT_DAYS: i64 = 14;
/// How far ahead a liaison's deadlines are shown, in working days.
const DUE_SOON_DAYS: u32 = 5;

/// Where a group's cases come from, and how long each has waited.
#[derive(Clone)]
enum Source {
    /// Observations, waiting since their last status change (only status changes touch a
    /// filed observation's `updated_at`), or since they were begun (drafts).
    Observations(Select<observation::Entity>, Begun),
    /// Referrals, waiting since their last status change (their `updated_at`, likewise), or
    /// counted against their running deadline.
    Referrals(Select<referral::Entity>, Clock),
    /// Tips with news for the NHRC, since their last change.
    Tips(Select<tip::Entity>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Begun {
    Changed,
    Created,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Clock {
    Since,
    Deadline,
}

/// The part of an NHRC queue's filter each kind of record reads.
struct Filters {
    institution: Option<Uuid>,
    institution_condition: Option<Condition>,
    category: Option<Uuid>,
    region: Option<String>,
}

impl Filters {
    fn none() -> Filters {
        Filters {
            institution: None,
            institution_condition: None,
            category: None,
            region: None,
        }
    }

    /// Read as the observation list reads them: a value that cannot be read is refused in
    /// words, never ignored.
    fn read(filter: &QueueFilter) -> Result<Filters, AppError> {
        let text = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let id = |field: &str, v: Option<String>| -> Result<Option<Uuid>, AppError> {
            v.map(|v| {
                Uuid::parse_str(&v).map_err(|_| AppError::field(field, "error-choice-unknown"))
            })
            .transpose()
        };
        let institution_text = text(&filter.institution);
        Ok(Filters {
            institution_condition: institution_text
                .as_deref()
                .map(|id| scope::institution_id(id).map(scope::concerning_institution))
                .transpose()?,
            institution: id("institution", institution_text)?,
            category: id("category", text(&filter.category))?,
            region: text(&filter.region),
        })
    }

    fn observations(&self, mut query: Select<observation::Entity>) -> Select<observation::Entity> {
        use observation::Column as C;
        if let Some(condition) = &self.institution_condition {
            query = query.filter(condition.clone());
        }
        if let Some(category) = self.category {
            query = query.filter(C::CategoryId.eq(category));
        }
        if let Some(region) = &self.region {
            query = query.filter(C::RegionCode.eq(region.as_str()));
        }
        query
    }

    fn referrals(&self, mut query: Select<referral::Entity>) -> Select<referral::Entity> {
        if let Some(institution) = self.institution {
            query = query.filter(referral::Column::InstitutionId.eq(institution));
        }
        if self.category.is_some() || self.region.is_some() {
            let mut behind = Query::select()
                .column(observation::Column::Id)
                .from(observation::Entity)
                .to_owned();
            if let Some(category) = self.category {
                behind.and_where(observation::Column::CategoryId.eq(category));
            }
            if let Some(region) = &self.region {
                behind.and_where(observation::Column::RegionCode.eq(region.as_str()));
            }
            query = query.filter(referral::Column::ObservationId.in_subquery(behind));
        }
        query
    }

    fn tips(&self, mut query: Select<tip::Entity>) -> Select<tip::Entity> {
        if let Some(institution) = self.institution {
            query = query.filter(tip::Column::InstitutionId.eq(institution));
        }
        if let Some(category) = self.category {
            query = query.filter(tip::Column::CategoryId.eq(category));
        }
        if let Some(region) = &self.region {
            query = query.filter(tip::Column::RegionCode.eq(region.as_str()));
        }
        query
    }
}

/// Records (`observations` or `referrals`) whose last status change was the action `kind`:
/// that change's event was written after it set the row's time, and no later change moved it.
fn last_change_was(table: &'static str, kind: &'static str) -> Condition {
    let on = match table {
        "referrals" => "e.referral_id = referrals.id",
        _ => "e.observation_id = observations.id AND e.referral_id IS NULL",
    };
    // Both names are this module's own constants, never input.
    Condition::all().add(Expr::cust(format!(
        "EXISTS (SELECT 1 FROM observation_events e WHERE {on} AND e.kind = '{kind}' \
         AND e.created_at >= {table}.updated_at)"
    )))
}

fn source(
    bucket: Bucket,
    scope: Scope,
    filters: &Filters,
    today: NaiveDate,
    holidays: &Holidays,
) -> Source {
    use ObservationStatus as O;
    use ReferralStatus as R;
    let observations = |statuses: &[O]| {
        filters.observations(
            scope::observations(scope)
                .filter(observation::Column::Status.is_in(statuses.iter().map(|s| s.as_str()))),
        )
    };
    let referrals = |statuses: &[R]| {
        filters.referrals(
            scope::referrals(scope)
                .filter(referral::Column::Status.is_in(statuses.iter().map(|s| s.as_str()))),
        )
    };
    let since = Begun::Changed;
    match bucket {
        Bucket::Triage => Source::Observations(
            observations(&[O::Submitted]).filter(last_change_was("observations", "clarify").not()),
            since,
        ),
        Bucket::Clarified => Source::Observations(
            observations(&[O::Submitted]).filter(last_change_was("observations", "clarify")),
            since,
        ),
        Bucket::NhrcQuestions => Source::Observations(observations(&[O::NeedsInfo]), since),
        Bucket::Drafts => Source::Observations(observations(&[O::Draft]), Begun::Created),
        Bucket::ClosedRecently => Source::Observations(
            observations(&[O::Closed, O::Declined]).filter(
                observation::Column::UpdatedAt.gte(Utc::now() - Duration::days(RECENT_DAYS)),
            ),
            since,
        ),
        // The NHRC decides on it (since it was contested); the institution answers again
        // within its response deadline, which runs on.
        Bucket::Contested => Source::Referrals(referrals(&[R::Contested]), Clock::Since),
        Bucket::ContestedResponses => {
            Source::Referrals(referrals(&[R::Contested]), Clock::Deadline)
        }
        Bucket::Escalated => Source::Referrals(referrals(&[R::Escalated]), Clock::Since),
        Bucket::Accepted => Source::Referrals(referrals(&[R::Accepted]), Clock::Since),
        // A contested one past its deadline stays in its own group (counted once).
        Bucket::Overdue => Source::Referrals(
            filters.referrals(
                scope::referrals(scope)
                    .filter(overdue_referrals(today))
                    .filter(referral::Column::Status.ne(R::Contested.as_str())),
            ),
            Clock::Deadline,
        ),
        Bucket::ToAcknowledge => Source::Referrals(referrals(&[R::Forwarded]), Clock::Since),
        // Late ones too: a deadline already missed is the most pressing of all. Those in
        // the groups below (answered, contested, returned) are there, with the same clock.
        Bucket::DueSoon => Source::Referrals(
            referrals(&[R::Acknowledged, R::InProgress])
                .filter(referral::Column::RespondDue.lte(add_working_days(
                    today,
                    DUE_SOON_DAYS,
                    holidays,
                )))
                .filter(last_change_was("referrals", "clarify").not())
                .filter(last_change_was("referrals", "return").not()),
            Clock::Deadline,
        ),
        Bucket::InfoReturned => Source::Referrals(
            referrals(&[R::Acknowledged]).filter(last_change_was("referrals", "clarify")),
            Clock::Deadline,
        ),
        Bucket::Returned => Source::Referrals(
            referrals(&[R::InProgress]).filter(last_change_was("referrals", "return")),
            Clock::Deadline,
        ),
        Bucket::InstitutionQuestions => {
            Source::Referrals(referrals(&[R::InfoRequested]), Clock::Since)
        }
        Bucket::Responses => Source::Referrals(referrals(&[R::Responded]), Clock::Since),
        // Tips are the NHRC's alone (`Bucket::of`); sensitive ones with the permission only.
        Bucket::Tips => Source::Tips(filters.tips(scope::tips(scope).filter(
            tip::Column::Status.is_in([TipStatus::New.as_str(), TipStatus::Answered.as_str()]),
        ))),
    }
}

/// The running deadline, as the referral list orders by it (a forwarded referral's is the
/// acknowledgement's, which admins keep within the response's).
fn deadline_order() -> Expr {
    use referral::Column as C;
    Expr::case(
        C::Status.eq(ReferralStatus::Forwarded.as_str()),
        Expr::col(C::AckDue),
    )
    .finally(Expr::col(C::RespondDue))
    .into()
}

/// A group's count up to `limit` rows (it reads no more).
async fn total_up_to(
    db: &DatabaseConnection,
    source: &Source,
    limit: u64,
) -> Result<u64, AppError> {
    match source {
        Source::Observations(query, _) => count_up_to(db, query.clone(), limit).await,
        Source::Referrals(query, _) => count_up_to(db, query.clone(), limit).await,
        Source::Tips(query) => count_up_to(db, query.clone(), limit).await,
    }
}

async fn total(db: &DatabaseConnection, source: &Source) -> Result<u64, AppError> {
    Ok(match source {
        Source::Observations(query, _) => query.clone().count(db).await?,
        Source::Referrals(query, _) => query.clone().count(db).await?,
        Source::Tips(query) => query.clone().count(db).await?,
    })
}

/// What the viewer reads of a group: who they are decides the link and the title.
struct Reader {
    /// The NHRC (sees the observation and names the institution).
    nhrc: bool,
    /// An institution's liaison (acts on its referral, reads the released title only).
    institution: bool,
}

/// The group's oldest items, one more than [`SHOWN`] when there are more.
async fn items(
    db: &DatabaseConnection,
    source: Source,
    reader: &Reader,
    names: &Names,
    today: NaiveDate,
    holidays: &Holidays,
) -> Result<Vec<QueueItem>, AppError> {
    let since =
        |at: DateTime<Utc>| Waiting::Since(working_days_between(at.date_naive(), today, holidays));
    Ok(match source {
        Source::Observations(query, begun) => query
            .order_by(
                match begun {
                    Begun::Changed => observation::Column::UpdatedAt,
                    Begun::Created => observation::Column::CreatedAt,
                },
                Order::Asc,
            )
            .order_by(observation::Column::Id, Order::Asc)
            .limit(SHOWN + 1)
            .all(db)
            .await?
            .into_iter()
            .map(|o| QueueItem {
                href: format!("/observations/{}", o.id),
                reference: o.reference.clone().unwrap_or_default(),
                title: o.title.clone(),
                institution: None,
                detail_key: None,
                overdue: false,
                waiting: since(match begun {
                    Begun::Changed => o.updated_at,
                    Begun::Created => o.created_at,
                }),
            })
            .collect(),
        Source::Referrals(query, clock) => {
            let query = match clock {
                Clock::Since => query.order_by(referral::Column::UpdatedAt, Order::Asc),
                Clock::Deadline => query
                    .order_by(deadline_order(), Order::Asc)
                    .order_by(referral::Column::ForwardedAt, Order::Asc),
            };
            // With the observation behind each referral, already read within the viewer's
            // scope, in the same query.
            let behind: RelationDef = referral::Entity::belongs_to(observation::Entity)
                .from(referral::Column::ObservationId)
                .to(observation::Column::Id)
                .into();
            let rows = query
                .order_by(referral::Column::Id, Order::Asc)
                .limit(SHOWN + 1)
                .join(JoinType::InnerJoin, behind)
                .select_also(observation::Entity)
                .all(db)
                .await?;
            rows.into_iter()
                .map(|(r, observation)| {
                    let observation = observation.as_ref();
                    let waiting = match (clock, referral_due(&r)) {
                        (Clock::Deadline, Some(due)) => until(due, today, holidays),
                        _ => since(r.updated_at),
                    };
                    let automatic =
                        r.auto_escalated && r.status == ReferralStatus::Escalated.as_str();
                    QueueItem {
                        href: if reader.institution {
                            format!("/referrals/{}", r.id)
                        } else {
                            format!("/observations/{}", r.observation_id)
                        },
                        reference: observation
                            .and_then(|o| o.reference.clone())
                            .unwrap_or_default(),
                        title: if reader.institution {
                            r.title.clone()
                        } else {
                            observation.map(|o| o.title.clone()).unwrap_or_default()
                        },
                        institution: reader.nhrc.then(|| names.acronym(r.institution_id)),
                        detail_key: automatic.then(|| "queue-detail-automatic".to_string()),
                        overdue: referral_overdue(&r, today),
                        waiting,
                    }
                })
                .collect()
        }
        Source::Tips(query) => query
            .order_by(tip::Column::UpdatedAt, Order::Asc)
            .order_by(tip::Column::Id, Order::Asc)
            .limit(SHOWN + 1)
            .all(db)
            .await?
            .into_iter()
            .map(|t| {
                let about = [
                    names.category(t.category_id),
                    names.region(t.region_code.as_deref()),
                ]
                .into_iter()
                .filter(|n| !n.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
                let reply = t.status == TipStatus::Answered.as_str();
                QueueItem {
                    href: format!("/tips/{}", t.id),
                    reference: String::new(),
                    title: about,
                    institution: t.institution_id.map(|i| names.acronym(i)),
                    detail_key: Some(
                        if reply {
                            "queue-detail-tip-reply"
                        } else {
                            "queue-detail-tip-new"
                        }
                        .to_string(),
                    ),
                    overdue: false,
                    waiting: since(t.updated_at),
                }
            })
            .collect(),
    })
}

/// The list that shows a whole group, with the queue's filters, where one exists.
fn full_list(bucket: Bucket, filter: &QueueFilter) -> Option<String> {
    let base = match bucket {
        Bucket::Triage | Bucket::Clarified => "/observations?status=submitted&sort=oldest",
        Bucket::Overdue => "/observations?overdue=1&sort=oldest",
        Bucket::Tips => return Some("/tips".to_string()),
        Bucket::ToAcknowledge => return Some("/referrals?status=forwarded".to_string()),
        Bucket::DueSoon => return Some("/referrals".to_string()),
        Bucket::InfoReturned => return Some("/referrals?status=acknowledged".to_string()),
        Bucket::ContestedResponses => return Some("/referrals?status=contested".to_string()),
        Bucket::Returned => return Some("/referrals?status=in_progress".to_string()),
        Bucket::NhrcQuestions => return Some("/observations?status=needs_info".to_string()),
        Bucket::Drafts => return Some("/observations?status=draft".to_string()),
        Bucket::ClosedRecently => {
            return Some("/observations?status=closed&sort=updated".to_string());
        }
        Bucket::Contested | Bucket::Escalated | Bucket::Accepted => return None,
        Bucket::InstitutionQuestions | Bucket::Responses => return None,
    };
    let mut link = base.to_string();
    for (name, value) in [
        ("category", &filter.category),
        ("institution", &filter.institution),
        ("region", &filter.region),
    ] {
        if let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            link.push_str(&format!("&{name}={}", crate::model::query_value(value)));
        }
    }
    Some(link)
}

/// The viewer's queue. Only the NHRC's is filtered (the others hold a few cases of one
/// organisation or institution); the filter is read only for it.
#[tracing::instrument(skip_all, fields(viewer = %user.id))]
pub async fn queue(
    db: &DatabaseConnection,
    user: &CurrentUser,
    filter: &QueueFilter,
) -> Result<WorkQueue, AppError> {
    let scope = Scope::of(user)?;
    let buckets = Bucket::of(user.role);
    let filterable = user.role == Role::Monitor;
    let (filters, filter) = if filterable {
        (Filters::read(filter)?, filter.clone())
    } else {
        (Filters::none(), QueueFilter::default())
    };
    let reader = Reader {
        nhrc: user.role == Role::Monitor,
        institution: user.role == Role::Liaison,
    };
    let today = today();
    let holidays = holidays(db).await?;
    let names = Names::load(db, user.locale).await?;
    let mut sections = Vec::new();
    for &bucket in buckets {
        let source = source(bucket, scope, &filters, today, &holidays);
        // One row past the page says whether the group is longer; only then is it counted.
        let mut items = items(db, source.clone(), &reader, &names, today, &holidays).await?;
        let total = if items.len() as u64 > SHOWN {
            items.truncate(SHOWN as usize);
            total(db, &source).await?
        } else {
            items.len() as u64
        };
        let more = (total > items.len() as u64)
            .then(|| full_list(bucket, &filter))
            .flatten();
        sections.push(QueueSection {
            bucket,
            total,
            items,
            more,
        });
    }
    Ok(WorkQueue {
        total: sections.iter().map(|s| s.total).sum(),
        sections,
        filterable,
    })
}

/// The number in the navigation: the unfiltered queue's groups counted, one query each, with
/// the same conditions as [`queue`] — up to [`NAV_COUNT_LIMIT`] in all (the navigation then
/// says "99+"): it is drawn on every page, and a count of thousands would read thousands.
#[tracing::instrument(skip_all, fields(viewer = %user.id))]
pub async fn count(db: &DatabaseConnection, user: &CurrentUser) -> Result<u64, AppError> {
    let scope = Scope::of(user)?;
    let today = today();
    let holidays = holidays(db).await?;
    let filters = Filters::none();
    let mut sum = 0;
    for &bucket in Bucket::of(user.role) {
        let left = NAV_COUNT_LIMIT.saturating_sub(sum);
        sum += total_up_to(db, &source(bucket, scope, &filters, today, &holidays), left).await?;
        if sum >= NAV_COUNT_LIMIT {
            break;
        }
    }
    Ok(sum)
}
