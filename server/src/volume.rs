//! `veille seed --observations N`: N fictitious observations over three years, each with a
//! plausible history, counted into the cube by the same rules as live changes. Deterministic
//! for a given N; for measuring the dashboard, never on a real portal.

use std::collections::HashMap;

use chrono::{Days, Duration, NaiveDate, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use app::domain::calendar::{Holidays, add_working_days, escalation_due, list_due};
use app::domain::lifecycle::{ObservationStatus, ReferralStatus};
use app::domain::observation::{Resolution, reference};
use app::server::entities::{
    category, cercle, institution, observation, observation_event, observation_institution,
    organisation, reference_counter, referral, user,
};
use app::server::observations::holidays;
use app::server::statistics::{CubeBuilder, Flags, facts_of, write_facts};

/// Observations written per transaction.
const BATCH: usize = 500;
const ORGANISATIONS: usize = 24;
/// Statistics cells held in memory before they are added to the stored cube (about a kilobyte
/// each).
const HELD_CELLS: usize = 50_000;

/// Picks an index in `0..n`, the first ones more often (a few institutions, regions and
/// categories carry most cases, as in real monitoring data).
fn skewed(rng: &mut StdRng, n: usize) -> usize {
    let weights: Vec<f64> = (0..n).map(|k| 1.0 / (k as f64 + 1.5)).collect();
    let total: f64 = weights.iter().sum();
    let mut target = rng.random_range(0.0..total);
    for (k, w) in weights.iter().enumerate() {
        if target < *w {
            return k;
        }
        target -= w;
    }
    n - 1
}

/// Working days drawn so that most answers come within `deadline` and some far beyond.
fn delay(rng: &mut StdRng, deadline: i32) -> u32 {
    let deadline = deadline.max(1) as u32;
    if rng.random_bool(0.7) {
        rng.random_range(0..=deadline)
    } else {
        rng.random_range(deadline + 1..=deadline * 3 + 5)
    }
}

struct Reference {
    institutions: Vec<institution::Model>,
    categories: Vec<category::Model>,
    places: Vec<(String, Vec<Uuid>)>,
    authors: Vec<(Uuid, Uuid)>,
    holidays: Holidays,
}

/// A fictitious account of the volume tools — no password, no mail asked for on its own
/// account — found by its e-mail, or inserted the first time with `account`'s other fields.
pub(crate) async fn fictitious_user(
    db: &DatabaseConnection,
    email: String,
    account: user::ActiveModel,
) -> anyhow::Result<Uuid> {
    if let Some(row) = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
    {
        return Ok(row.id);
    }
    let id = Uuid::new_v4();
    user::Entity::insert(user::ActiveModel {
        id: Set(id),
        email: Set(email),
        password_hash: Set(None),
        created_at: Set(Utc::now()),
        notification_preference: Set("off".into()),
        ..account
    })
    .exec(db)
    .await?;
    Ok(id)
}

async fn authors(db: &DatabaseConnection) -> anyhow::Result<Vec<(Uuid, Uuid)>> {
    let mut authors = Vec::new();
    for k in 1..=ORGANISATIONS {
        let name = format!("Organisation fictive de veille n° {k}");
        let existing = organisation::Entity::find()
            .filter(organisation::Column::Name.eq(name.as_str()))
            .one(db)
            .await?;
        let organisation_id = match existing {
            Some(row) => row.id,
            None => {
                let id = Uuid::new_v4();
                organisation::Entity::insert(organisation::ActiveModel {
                    id: Set(id),
                    name: Set(name),
                    acronym: Set(Some(format!("OFV{k}"))),
                    region_code: Set(None),
                    is_womens_organisation: Set(k % 3 == 0),
                    contact_email: Set(None),
                    active: Set(true),
                    created_at: Set(Utc::now()),
                    ..Default::default()
                })
                .exec(db)
                .await?;
                id
            }
        };
        // Inactive: an author on record, never an account to use.
        let author = fictitious_user(
            db,
            format!("auteur{k}@volume.test"),
            user::ActiveModel {
                display_name: Set(format!("Auteur fictif {k}")),
                locale: Set("fr".into()),
                role: Set("cso_member".into()),
                organisation_id: Set(Some(organisation_id)),
                institution_id: Set(None),
                active: Set(false),
                ..Default::default()
            },
        )
        .await?;
        authors.push((organisation_id, author));
    }
    Ok(authors)
}

async fn reference_data(db: &DatabaseConnection) -> anyhow::Result<Reference> {
    let institutions: Vec<institution::Model> = institution::Entity::find()
        .filter(institution::Column::Active.eq(true))
        .filter(institution::Column::ReceivesReferrals.eq(true))
        .all(db)
        .await?;
    let categories: Vec<category::Model> = category::Entity::find()
        .filter(category::Column::Active.eq(true))
        .all(db)
        .await?;
    let mut by_region: HashMap<String, Vec<Uuid>> = HashMap::new();
    for c in cercle::Entity::find().all(db).await? {
        by_region.entry(c.region_code).or_default().push(c.id);
    }
    let mut places: Vec<(String, Vec<Uuid>)> = by_region.into_iter().collect();
    places.sort_by(|a, b| a.0.cmp(&b.0));
    if institutions.is_empty() || categories.is_empty() || places.is_empty() {
        anyhow::bail!("reference data missing: run `veille migrate` first");
    }
    Ok(Reference {
        institutions,
        categories,
        places,
        authors: authors(db).await?,
        holidays: holidays(db).await?,
    })
}

/// One generated observation with everything written beside it.
#[derive(Default)]
struct Rows {
    observations: Vec<observation::ActiveModel>,
    named: Vec<observation_institution::ActiveModel>,
    referrals: Vec<referral::ActiveModel>,
    events: Vec<observation_event::ActiveModel>,
    facts: Vec<(Uuid, app::domain::statistics::ObservationFacts)>,
}

fn event(
    observation_id: Uuid,
    referral_id: Option<Uuid>,
    role: &str,
    kind: &str,
    from: Option<&str>,
    to: Option<&str>,
    at: chrono::DateTime<Utc>,
) -> observation_event::ActiveModel {
    observation_event::ActiveModel {
        id: Set(Uuid::new_v4()),
        observation_id: Set(observation_id),
        referral_id: Set(referral_id),
        actor_id: Set(None),
        actor_role: Set(role.into()),
        kind: Set(kind.into()),
        from_status: Set(from.map(str::to_string)),
        to_status: Set(to.map(str::to_string)),
        note: Set(None),
        visibility: Set("everyone".into()),
        created_at: Set(at),
    }
}

/// Builds observation number `i` (its own random stream, so that N is reproducible).
#[allow(clippy::too_many_arguments)]
fn generate(
    i: u64,
    numbers: &mut HashMap<i32, i32>,
    data: &Reference,
    flags: &Flags,
    today: NaiveDate,
    rows: &mut Rows,
    cube: &mut CubeBuilder,
) {
    let mut rng = StdRng::seed_from_u64(i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5EED);
    let now = Utc::now();
    // More recent years carry more cases (the portal's use grows).
    let age_days = {
        let u: f64 = rng.random_range(0.0f64..1.0);
        ((1.0 - u.sqrt()) * 3.0 * 365.0) as i64
    };
    let submitted_day = today - Days::new(age_days as u64);
    let submitted_at = Utc
        .from_utc_datetime(&submitted_day.and_hms_opt(0, 0, 0).unwrap_or_default())
        + Duration::minutes(rng.random_range(7 * 60..19 * 60));
    let id = Uuid::new_v4();
    let (organisation_id, author_id) = data.authors[rng.random_range(0..data.authors.len())];
    let category = &data.categories[skewed(&mut rng, data.categories.len())];
    let (region, cercles) = &data.places[skewed(&mut rng, data.places.len())];
    let cercle = (!cercles.is_empty() && rng.random_bool(0.8))
        .then(|| cercles[rng.random_range(0..cercles.len())]);
    let first = skewed(&mut rng, data.institutions.len());
    let mut concerned = vec![&data.institutions[first]];
    if rng.random_bool(0.25) {
        let second = &data.institutions[rng.random_range(0..data.institutions.len())];
        if second.id != concerned[0].id {
            concerned.push(second);
        }
    }
    let year = submitted_at
        .format("%Y")
        .to_string()
        .parse()
        .unwrap_or(2026);
    let number = numbers.entry(year).or_insert(0);
    *number += 1;
    let number = *number;

    let mut status = ObservationStatus::Submitted;
    let mut resolution = None;
    let mut closed_at = None;
    rows.events.push(event(
        id,
        None,
        "cso_member",
        "submit",
        Some("draft"),
        Some("submitted"),
        submitted_at,
    ));
    let triaged = submitted_at + Duration::days(rng.random_range(1..8));
    let mut referrals = Vec::new();
    let mut marks: HashMap<Uuid, (bool, bool)> = HashMap::new();
    let fate: f64 = rng.random_range(0.0..1.0);
    if triaged.date_naive() > today {
        // Still waiting for triage.
    } else if fate < 0.07 {
        status = ObservationStatus::Declined;
        rows.events.push(event(
            id,
            None,
            "monitor",
            "decline",
            Some("submitted"),
            Some("declined"),
            triaged,
        ));
    } else if fate < 0.10 && age_days < 60 {
        status = ObservationStatus::NeedsInfo;
        rows.events.push(event(
            id,
            None,
            "monitor",
            "ask_info",
            Some("submitted"),
            Some("needs_info"),
            triaged,
        ));
    } else {
        status = ObservationStatus::Referred;
        rows.events.push(event(
            id,
            None,
            "monitor",
            "forward",
            Some("submitted"),
            Some("referred"),
            triaged,
        ));
        for target in &concerned {
            let referral_id = Uuid::new_v4();
            let forwarded = triaged.date_naive();
            let ack_due = add_working_days(forwarded, target.ack_days as u32, &data.holidays);
            let respond_due =
                add_working_days(forwarded, target.respond_days as u32, &data.holidays);
            let at = |day: NaiveDate| {
                Utc.from_utc_datetime(&day.and_hms_opt(10, 0, 0).unwrap_or_default())
            };
            let mut r_status = ReferralStatus::Forwarded;
            let ack_day =
                add_working_days(forwarded, delay(&mut rng, target.ack_days), &data.holidays);
            let mut acknowledged_at = None;
            let mut responded_at = None;
            let mut r_closed = None;
            let mut auto_escalated = false;
            let mut contested = false;
            let mut escalated = false;
            if ack_day <= today && rng.random_bool(0.93) {
                acknowledged_at = Some(at(ack_day));
                r_status = ReferralStatus::InProgress;
                rows.events.push(event(
                    id,
                    Some(referral_id),
                    "liaison",
                    "acknowledge",
                    Some("forwarded"),
                    Some("acknowledged"),
                    at(ack_day),
                ));
                let respond_day = add_working_days(
                    forwarded,
                    delay(&mut rng, target.respond_days),
                    &data.holidays,
                )
                .max(ack_day);
                if respond_day <= today && rng.random_bool(0.9) {
                    responded_at = Some(at(respond_day));
                    r_status = ReferralStatus::Responded;
                    rows.events.push(event(
                        id,
                        Some(referral_id),
                        "liaison",
                        "respond",
                        Some("in_progress"),
                        Some("responded"),
                        at(respond_day),
                    ));
                    let verdict_day = respond_day + Days::new(rng.random_range(1..10));
                    if verdict_day <= today {
                        contested = rng.random_bool(0.12);
                        let (to, kind) = if contested {
                            (ReferralStatus::Contested, "contest")
                        } else {
                            (ReferralStatus::Accepted, "accept")
                        };
                        r_status = to;
                        rows.events.push(event(
                            id,
                            Some(referral_id),
                            "cso_member",
                            kind,
                            Some("responded"),
                            Some(to.as_str()),
                            at(verdict_day),
                        ));
                    }
                }
            }
            if escalation_due(r_status, ack_due, respond_due, today, &data.holidays)
                || (r_status == ReferralStatus::Contested && rng.random_bool(0.4))
            {
                auto_escalated = r_status != ReferralStatus::Contested;
                escalated = true;
                rows.events.push(event(
                    id,
                    Some(referral_id),
                    if auto_escalated { "system" } else { "monitor" },
                    "escalate",
                    Some(r_status.as_str()),
                    Some("escalated"),
                    now,
                ));
                r_status = ReferralStatus::Escalated;
            }
            // Cases older than four months are mostly closed by the NHRC.
            if age_days > 120 && rng.random_bool(0.9) {
                let day = (today - Days::new(rng.random_range(0..(age_days as u64 - 100))))
                    .max(forwarded);
                rows.events.push(event(
                    id,
                    Some(referral_id),
                    "monitor",
                    "close",
                    Some(r_status.as_str()),
                    Some("closed"),
                    at(day),
                ));
                r_status = ReferralStatus::Closed;
                r_closed = Some(at(day));
            }
            marks.insert(referral_id, (contested, escalated));
            referrals.push(referral::Model {
                id: referral_id,
                observation_id: id,
                institution_id: target.id,
                title: format!("Observation fictive {number}"),
                description: "Observation générée pour mesurer le tableau de bord.".into(),
                place: None,
                share_evidence: false,
                status: r_status.as_str().into(),
                forwarded_at: at(forwarded),
                ack_due,
                respond_due,
                original_respond_due: None,
                acknowledged_at,
                responded_at,
                auto_escalated,
                closed_at: r_closed,
                updated_at: now,
                list_due: list_due(r_status, ack_due, respond_due),
            });
        }
        if referrals
            .iter()
            .all(|r| r.status == ReferralStatus::Closed.as_str())
        {
            status = ObservationStatus::Closed;
            let at = referrals
                .iter()
                .filter_map(|r| r.closed_at)
                .max()
                .unwrap_or(now);
            closed_at = Some(at);
            resolution = Some(
                [
                    Resolution::Resolved,
                    Resolution::PartiallyResolved,
                    Resolution::Unresolved,
                    Resolution::ReferredElsewhere,
                ][rng.random_range(0..4)]
                .as_str()
                .to_string(),
            );
            rows.events.push(event(
                id,
                None,
                "monitor",
                "close",
                Some("referred"),
                Some("closed"),
                at,
            ));
        }
    }

    let model = observation::Model {
        id,
        reference: Some(reference(year, number)),
        form_token: Uuid::new_v4().to_string(),
        organisation_id,
        author_id,
        title: format!("Observation fictive {number}"),
        description: "Observation générée pour mesurer le tableau de bord.".into(),
        category_id: Some(category.id),
        region_code: Some(region.clone()),
        cercle_id: cercle,
        place: String::new(),
        incident_date: Some(submitted_day - Days::new(rng.random_range(0..20))),
        incident_precision: "day".into(),
        affected_women: rng.random_range(0..4),
        affected_men: rng.random_range(0..4),
        affected_girls: rng.random_range(0..2),
        affected_boys: rng.random_range(0..2),
        protection: "anonymous_to_institution".into(),
        contact_name: None,
        contact_phone: None,
        contact_consent_at: None,
        status: status.as_str().into(),
        resolution,
        created_at: submitted_at,
        updated_at: now,
        submitted_at: Some(submitted_at),
        closed_at,
        listed_at: submitted_at,
        overdue_from: None,
    };
    let named: Vec<Uuid> = concerned.iter().map(|i| i.id).collect();
    if let Some(facts) = facts_of(&model, &named, &referrals, &marks, flags, &data.holidays) {
        cube.count(&facts);
        rows.facts.push((id, facts));
    }
    rows.named.extend(
        named
            .iter()
            .map(|institution_id| observation_institution::ActiveModel {
                observation_id: Set(id),
                institution_id: Set(*institution_id),
            }),
    );
    rows.referrals
        .extend(referrals.into_iter().map(referral::ActiveModel::from));
    rows.observations
        .push(observation::ActiveModel::from(model));
}

async fn write(db: &DatabaseConnection, rows: Rows) -> anyhow::Result<()> {
    let txn = app::server::db::begin_write(db).await?;
    // Chunks stay under SQLite's 32 766 bound parameters per statement.
    for chunk in rows.observations.chunks(1000) {
        observation::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    for chunk in rows.named.chunks(5000) {
        observation_institution::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    for chunk in rows.referrals.chunks(2000) {
        referral::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    for chunk in rows.events.chunks(2500) {
        observation_event::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    write_facts(&txn, &rows.facts).await?;
    txn.commit().await?;
    Ok(())
}

/// Generates `n` observations; `progress` is told how many are written so far.
pub async fn observations(
    db: &DatabaseConnection,
    n: u64,
    mut progress: impl FnMut(u64),
) -> anyhow::Result<()> {
    let data = reference_data(db).await?;
    let flags = Flags::load(db).await?;
    let today = Utc::now().date_naive();
    // References continue each year's counter.
    let mut numbers: HashMap<i32, i32> = reference_counter::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.year, c.last))
        .collect();
    let start = numbers.values().map(|v| *v as u64).sum::<u64>();
    let mut cube = CubeBuilder::default();
    let mut done = 0;
    while done < n {
        let mut rows = Rows::default();
        let upto = (done + BATCH as u64).min(n);
        for i in done..upto {
            generate(
                start + i,
                &mut numbers,
                &data,
                &flags,
                today,
                &mut rows,
                &mut cube,
            );
        }
        write(db, rows).await?;
        // Added to the stored cube now and then, so that the command's memory stays flat
        // whatever N (the cells of every month, place and category at once would not).
        if cube.len() >= HELD_CELLS {
            let txn = app::server::db::begin_write(db).await?;
            std::mem::take(&mut cube).write(&txn).await?;
            txn.commit().await?;
        }
        done = upto;
        progress(done);
    }
    let txn = app::server::db::begin_write(db).await?;
    cube.write(&txn).await?;
    for (year, last) in numbers {
        reference_counter::Entity::delete_by_id(year)
            .exec(&txn)
            .await?;
        reference_counter::Entity::insert(reference_counter::ActiveModel {
            year: Set(year),
            last: Set(last),
        })
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    app::server::statistics::analyze(db).await?;
    Ok(())
}
