//! Reference data: loaded once from the CSV files shipped in `app/reference/` (copied from the
//! shared data set, see its notes for what is uncertain), then maintained by admins.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde::Deserialize;
use uuid::Uuid;

use super::entities::{category, cercle, holiday, institution, organisation, region};
use crate::api::reference::{
    CategorySummary, CercleSummary, HolidaySummary, InstitutionSummary, NewInstitution,
    NewOrganisation, OrganisationSummary, RegionSummary,
};
use crate::domain::{Locale, validate_email};
use crate::error::AppError;

pub const DEFAULT_ACK_DAYS: i32 = 5;
pub const DEFAULT_RESPOND_DAYS: i32 = 30;

#[derive(Deserialize)]
struct RegionRow {
    code: String,
    name_fr: String,
    name_en: String,
    kind: String,
}

#[derive(Deserialize)]
struct CercleRow {
    region_code: String,
    cercle_name: String,
}

#[derive(Deserialize)]
struct HolidayRow {
    date: NaiveDate,
    name_fr: String,
    name_en: String,
    kind: String,
}

#[derive(Deserialize)]
struct InstitutionRow {
    acronym: String,
    name_fr: String,
    name_en: String,
    kind: String,
    parent: Option<String>,
}

/// The thematic categories (DESIGN §3); sexual and gender-based violence is sensitive.
const CATEGORIES: [(&str, &str, &str, bool); 10] = [
    (
        "arbitrary_detention",
        "Arrestation et détention arbitraires",
        "Arbitrary arrest and detention",
        false,
    ),
    (
        "excessive_force",
        "Usage excessif de la force",
        "Excessive use of force",
        false,
    ),
    (
        "torture",
        "Torture et mauvais traitements",
        "Torture and ill-treatment",
        false,
    ),
    (
        "extortion",
        "Extorsion et corruption",
        "Extortion and corruption",
        false,
    ),
    (
        "sgbv",
        "Violences sexuelles et basées sur le genre",
        "Sexual and gender-based violence",
        true,
    ),
    (
        "detention_conditions",
        "Conditions de détention",
        "Detention conditions",
        false,
    ),
    (
        "access_to_justice",
        "Accès à la justice",
        "Access to justice",
        false,
    ),
    (
        "failure_to_protect",
        "Défaut de protection",
        "Failure to protect",
        false,
    ),
    (
        "gender_integration",
        "Intégration du genre dans l'institution",
        "Gender integration in the institution",
        false,
    ),
    ("other", "Autre", "Other", false),
];

fn parse<T: for<'de> Deserialize<'de>>(source: &str) -> anyhow::Result<Vec<T>> {
    let mut reader = csv::Reader::from_reader(source.as_bytes());
    Ok(reader.deserialize().collect::<Result<Vec<T>, _>>()?)
}

/// Loads the reference data into an empty database; does nothing once regions exist.
pub async fn load_if_empty(db: &DatabaseConnection) -> anyhow::Result<bool> {
    if region::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    let txn = db.begin().await?;
    for row in parse::<RegionRow>(include_str!("../../reference/mali-regions.csv"))? {
        region::ActiveModel {
            code: Set(row.code),
            name_fr: Set(row.name_fr),
            name_en: Set(row.name_en),
            kind: Set(row.kind),
        }
        .insert(&txn)
        .await?;
    }
    for row in parse::<CercleRow>(include_str!("../../reference/mali-cercles.csv"))? {
        cercle::ActiveModel {
            id: Set(Uuid::new_v4()),
            region_code: Set(row.region_code),
            name: Set(row.cercle_name),
        }
        .insert(&txn)
        .await?;
    }
    for row in parse::<HolidayRow>(include_str!("../../reference/mali-holidays.csv"))? {
        holiday::ActiveModel {
            id: Set(Uuid::new_v4()),
            day: Set(row.date),
            name_fr: Set(row.name_fr),
            name_en: Set(row.name_en),
            kind: Set(row.kind),
        }
        .insert(&txn)
        .await?;
    }
    for row in parse::<InstitutionRow>(include_str!("../../reference/institutions.csv"))? {
        institution::ActiveModel {
            id: Set(Uuid::new_v4()),
            acronym: Set(row.acronym),
            name_fr: Set(row.name_fr),
            name_en: Set(row.name_en),
            kind: Set(row.kind),
            parent_acronym: Set(row.parent.filter(|p| !p.is_empty())),
            ack_days: Set(DEFAULT_ACK_DAYS),
            respond_days: Set(DEFAULT_RESPOND_DAYS),
            active: Set(true),
            created_at: Set(Utc::now()),
        }
        .insert(&txn)
        .await?;
    }
    for (position, (code, name_fr, name_en, sensitive)) in CATEGORIES.iter().enumerate() {
        category::ActiveModel {
            id: Set(Uuid::new_v4()),
            code: Set(code.to_string()),
            name_fr: Set(name_fr.to_string()),
            name_en: Set(name_en.to_string()),
            sensitive: Set(*sensitive),
            position: Set(position as i32),
            active: Set(true),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(true)
}

fn pick(locale: Locale, fr: String, en: String) -> String {
    match locale {
        Locale::Fr => fr,
        Locale::En => en,
    }
}

/// A French name (required) and an English one, which falls back to the French when empty.
fn bilingual(name_fr: &str, name_en: &str) -> Result<(String, String), AppError> {
    let fr = name_fr.trim();
    if fr.is_empty() {
        return Err(AppError::field("name_fr", "error-required"));
    }
    let en = name_en.trim();
    Ok((
        fr.to_string(),
        if en.is_empty() { fr } else { en }.to_string(),
    ))
}

fn parse_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id).map_err(|_| AppError::NotFound)
}

pub async fn institutions(
    db: &DatabaseConnection,
    locale: Locale,
) -> Result<Vec<InstitutionSummary>, AppError> {
    let rows = institution::Entity::find()
        .order_by_asc(institution::Column::Acronym)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|i| InstitutionSummary {
            id: i.id.to_string(),
            acronym: i.acronym,
            name: pick(locale, i.name_fr.clone(), i.name_en.clone()),
            name_fr: i.name_fr,
            name_en: i.name_en,
            kind: i.kind,
            ack_days: i.ack_days,
            respond_days: i.respond_days,
            active: i.active,
        })
        .collect())
}

pub async fn update_institution(
    db: &DatabaseConnection,
    id: &str,
    ack_days: &str,
    respond_days: &str,
    names: Option<(&str, &str)>,
    active: bool,
) -> Result<(), AppError> {
    let parse_days = |value: &str, field: &str| {
        value
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|d| (1..=365).contains(d))
            .ok_or_else(|| AppError::field(field, "error-days-invalid"))
    };
    let ack = parse_days(ack_days, "ack_days")?;
    let respond = parse_days(respond_days, "respond_days")?;
    // A referral is overdue once the earlier of its two deadlines passes, and the liaison's
    // inbox sorts a forwarded one by its acknowledgement deadline: the two agree only while
    // acknowledging is due no later than responding.
    if ack > respond {
        return Err(AppError::field("ack_days", "error-ack-after-respond"));
    }
    let row = institution::Entity::find_by_id(parse_id(id)?)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut model: institution::ActiveModel = row.into();
    model.ack_days = Set(ack);
    model.respond_days = Set(respond);
    model.active = Set(active);
    if let Some((name_fr, name_en)) = names {
        let (fr, en) = bilingual(name_fr, name_en)?;
        model.name_fr = Set(fr);
        model.name_en = Set(en);
    }
    model.update(db).await?;
    Ok(())
}

pub async fn categories(db: &DatabaseConnection) -> Result<Vec<CategorySummary>, AppError> {
    let rows = category::Entity::find()
        .order_by_asc(category::Column::Position)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|c| CategorySummary {
            id: c.id.to_string(),
            code: c.code,
            name_fr: c.name_fr,
            name_en: c.name_en,
            sensitive: c.sensitive,
            active: c.active,
        })
        .collect())
}

pub async fn update_category(
    db: &DatabaseConnection,
    id: &str,
    name_fr: &str,
    name_en: &str,
    sensitive: bool,
    active: bool,
) -> Result<(), AppError> {
    if name_fr.trim().is_empty() {
        return Err(AppError::field("name_fr", "error-required"));
    }
    if name_en.trim().is_empty() {
        return Err(AppError::field("name_en", "error-required"));
    }
    let row = category::Entity::find_by_id(parse_id(id)?)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let recount = row.sensitive != sensitive;
    let mut model: category::ActiveModel = row.into();
    model.name_fr = Set(name_fr.trim().to_string());
    model.name_en = Set(name_en.trim().to_string());
    model.sensitive = Set(sensitive);
    model.active = Set(active);
    model.update(db).await?;
    // The statistics count each case as sensitive or not: recount them all.
    if recount {
        super::statistics::rebuild(db).await?;
    }
    Ok(())
}

pub async fn holidays(
    db: &DatabaseConnection,
    locale: Locale,
) -> Result<Vec<HolidaySummary>, AppError> {
    let rows = holiday::Entity::find()
        .order_by_asc(holiday::Column::Day)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|h| HolidaySummary {
            id: h.id.to_string(),
            day: h.day.to_string(),
            name: pick(locale, h.name_fr, h.name_en),
        })
        .collect())
}

pub async fn add_holiday(
    db: &DatabaseConnection,
    day: &str,
    name_fr: &str,
    name_en: &str,
) -> Result<(), AppError> {
    let date = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::field("day", "error-date-invalid"))?;
    let (name_fr, name_en) = bilingual(name_fr, name_en)?;
    if holiday::Entity::find()
        .filter(holiday::Column::Day.eq(date))
        .one(db)
        .await?
        .is_some()
    {
        return Err(AppError::field("day", "error-holiday-exists"));
    }
    holiday::ActiveModel {
        id: Set(Uuid::new_v4()),
        day: Set(date),
        name_fr: Set(name_fr),
        name_en: Set(name_en),
        kind: Set("added".to_string()),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn delete_holiday(db: &DatabaseConnection, id: &str) -> Result<(), AppError> {
    let result = holiday::Entity::delete_by_id(parse_id(id)?)
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

pub async fn regions(
    db: &DatabaseConnection,
    locale: Locale,
) -> Result<Vec<RegionSummary>, AppError> {
    let rows = region::Entity::find()
        .order_by_asc(region::Column::Code)
        .all(db)
        .await?;
    let cercles = cercle::Entity::find()
        .order_by_asc(cercle::Column::Name)
        .all(db)
        .await?;
    let mut regions: Vec<RegionSummary> = rows
        .into_iter()
        .map(|r| RegionSummary {
            cercles: cercles
                .iter()
                .filter(|c| c.region_code == r.code)
                .map(|c| CercleSummary {
                    id: c.id.to_string(),
                    name: c.name.clone(),
                })
                .collect(),
            code: r.code,
            name: pick(locale, r.name_fr, r.name_en),
        })
        .collect();
    // By name in the reader's language (Kayes, Kidal, Koulikoro… not by code).
    regions.sort_by_cached_key(|r| (collation_key(&r.name), r.code.clone()));
    Ok(regions)
}

/// A name as it sorts for a reader: case and accents aside ("Ségou" between "Mopti" and
/// "Sikasso", "Ménaka" beside "Mopti").
pub fn collation_key(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            other => other,
        })
        .collect()
}

pub async fn organisations(db: &DatabaseConnection) -> Result<Vec<OrganisationSummary>, AppError> {
    let rows = organisation::Entity::find()
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|o| OrganisationSummary {
            id: o.id.to_string(),
            name: o.name,
            acronym: o.acronym,
            region_code: o.region_code,
            is_womens_organisation: o.is_womens_organisation,
            active: o.active,
            daily_filing_quota: o.daily_filing_quota,
        })
        .collect())
}

pub async fn organisation_name(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<String>, AppError> {
    Ok(organisation::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|o| o.name))
}

pub async fn institution_name(
    db: &DatabaseConnection,
    id: Uuid,
    locale: Locale,
) -> Result<Option<String>, AppError> {
    Ok(institution::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|i| pick(locale, i.name_fr, i.name_en)))
}

pub async fn create_organisation(
    db: &DatabaseConnection,
    input: NewOrganisation,
) -> Result<Uuid, AppError> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::field("name", "error-required"));
    }
    let email = input.contact_email.trim();
    if !email.is_empty() && validate_email(email).is_err() {
        return Err(AppError::field("contact_email", "error-email-invalid"));
    }
    let region_code = Some(input.region_code.trim().to_string()).filter(|r| !r.is_empty());
    if let Some(code) = &region_code {
        if region::Entity::find_by_id(code.clone())
            .one(db)
            .await?
            .is_none()
        {
            return Err(AppError::field("region_code", "error-region-invalid"));
        }
    }
    if organisation::Entity::find()
        .filter(organisation::Column::Name.eq(name))
        .one(db)
        .await?
        .is_some()
    {
        return Err(AppError::field("name", "error-organisation-exists"));
    }
    let id = Uuid::new_v4();
    organisation::ActiveModel {
        id: Set(id),
        name: Set(name.to_string()),
        acronym: Set(Some(input.acronym.trim().to_string()).filter(|a| !a.is_empty())),
        region_code: Set(region_code),
        is_womens_organisation: Set(input.is_womens_organisation),
        contact_email: Set(Some(email.to_lowercase()).filter(|e| !e.is_empty())),
        active: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The largest daily quota an admin may set: a typo must not lift the limit altogether.
pub const MAX_DAILY_QUOTA: i32 = 10_000;

pub async fn set_organisation_quota(
    db: &DatabaseConnection,
    admin: &crate::server::auth::CurrentUser,
    id: &str,
    quota: &str,
) -> Result<(), AppError> {
    use crate::server::audit::{self, NewEntry};
    let quota: i32 = quota
        .trim()
        .parse()
        .ok()
        .filter(|q| (0..=MAX_DAILY_QUOTA).contains(q))
        .ok_or_else(|| AppError::field("quota", "error-quota-invalid"))?;
    let row = organisation::Entity::find_by_id(parse_id(id)?)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = db.begin().await?;
    let organisation_id = row.id;
    let mut model: organisation::ActiveModel = row.into();
    model.daily_filing_quota = Set(quota);
    model.update(&txn).await?;
    audit::append(
        &txn,
        NewEntry::by(
            Some(admin),
            "quota_changed",
            "organisation",
            organisation_id,
        )
        .detail(quota.to_string()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn set_organisation_active(
    db: &DatabaseConnection,
    id: &str,
    active: bool,
) -> Result<(), AppError> {
    let id = parse_id(id)?;
    if id == crate::server::tips::TIPS_ORGANISATION_ID {
        // The home of converted tips never gets members.
        return Err(AppError::NotFound);
    }
    let row = organisation::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut model: organisation::ActiveModel = row.into();
    model.active = Set(active);
    model.update(db).await?;
    Ok(())
}

pub async fn create_institution(
    db: &DatabaseConnection,
    input: NewInstitution,
) -> Result<(), AppError> {
    let acronym = input.acronym.trim();
    if acronym.is_empty() || acronym.chars().count() > 30 {
        return Err(AppError::field("acronym", "error-required"));
    }
    let (name_fr, name_en) = bilingual(&input.name_fr, &input.name_en)?;
    if !crate::domain::institution::is_kind(&input.kind) {
        return Err(AppError::field("kind", "error-kind-invalid"));
    }
    if institution::Entity::find()
        .filter(institution::Column::Acronym.eq(acronym))
        .one(db)
        .await?
        .is_some()
    {
        return Err(AppError::field("acronym", "error-institution-exists"));
    }
    institution::ActiveModel {
        id: Set(Uuid::new_v4()),
        acronym: Set(acronym.to_string()),
        name_fr: Set(name_fr),
        name_en: Set(name_en),
        kind: Set(input.kind),
        parent_acronym: Set(Some(input.parent_acronym.trim().to_string()).filter(|p| !p.is_empty())),
        ack_days: Set(DEFAULT_ACK_DAYS),
        respond_days: Set(DEFAULT_RESPOND_DAYS),
        active: Set(true),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn add_cercle(
    db: &DatabaseConnection,
    region_code: &str,
    name: &str,
) -> Result<(), AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::field("name", "error-required"));
    }
    if region::Entity::find_by_id(region_code.to_string())
        .one(db)
        .await?
        .is_none()
    {
        return Err(AppError::field("region_code", "error-region-invalid"));
    }
    let existing = cercle::Entity::find()
        .filter(cercle::Column::RegionCode.eq(region_code))
        .filter(cercle::Column::Name.eq(name))
        .one(db)
        .await?;
    if existing.is_some() {
        return Err(AppError::field("name", "error-cercle-exists"));
    }
    cercle::ActiveModel {
        id: Set(Uuid::new_v4()),
        region_code: Set(region_code.to_string()),
        name: Set(name.to_string()),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn delete_cercle(db: &DatabaseConnection, id: &str) -> Result<(), AppError> {
    let result = cercle::Entity::delete_by_id(parse_id(id)?).exec(db).await?;
    if result.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// A new category, after the existing ones; its code is generated and never shown.
pub async fn create_category(
    db: &DatabaseConnection,
    name_fr: &str,
    name_en: &str,
    sensitive: bool,
) -> Result<(), AppError> {
    let (name_fr, name_en) = bilingual(name_fr, name_en)?;
    let last = category::Entity::find()
        .order_by_desc(category::Column::Position)
        .one(db)
        .await?;
    category::ActiveModel {
        id: Set(Uuid::new_v4()),
        code: Set(format!(
            "custom_{}",
            &Uuid::new_v4().simple().to_string()[..12]
        )),
        name_fr: Set(name_fr),
        name_en: Set(name_en),
        sensitive: Set(sensitive),
        position: Set(last.map_or(0, |c| c.position + 1)),
        active: Set(true),
    }
    .insert(db)
    .await?;
    Ok(())
}
