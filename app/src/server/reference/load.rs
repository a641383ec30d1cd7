//! The reference data's first load: the CSV files shipped in `app/reference/` (copied from the
//! shared data set, see its notes for what is uncertain) and the thematic categories, written
//! once into an empty database.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, PaginatorTrait,
};
use serde::Deserialize;
use uuid::Uuid;

use super::{DEFAULT_ACK_DAYS, DEFAULT_RESPOND_DAYS};
use crate::domain::institution::InstitutionKind;
use crate::server::entities::{category, cercle, holiday, institution, region};

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
    /// A kind the file names wrongly stops the load.
    kind: InstitutionKind,
    parent: Option<String>,
    /// False for the bodies named for context only (the CNDH itself, the Médiateur, the CNT…).
    receives_referrals: bool,
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
    let txn = crate::server::db::begin_write(db).await?;
    for row in parse::<RegionRow>(include_str!("../../../reference/mali-regions.csv"))? {
        region::ActiveModel {
            code: Set(row.code),
            name_fr: Set(row.name_fr),
            name_en: Set(row.name_en),
            kind: Set(row.kind),
        }
        .insert(&txn)
        .await?;
    }
    for row in parse::<CercleRow>(include_str!("../../../reference/mali-cercles.csv"))? {
        cercle::ActiveModel {
            id: Set(Uuid::new_v4()),
            region_code: Set(row.region_code),
            name: Set(row.cercle_name),
        }
        .insert(&txn)
        .await?;
    }
    for row in parse::<HolidayRow>(include_str!("../../../reference/mali-holidays.csv"))? {
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
    for row in parse::<InstitutionRow>(include_str!("../../../reference/institutions.csv"))? {
        institution::ActiveModel {
            id: Set(Uuid::new_v4()),
            acronym: Set(row.acronym),
            name_fr: Set(row.name_fr),
            name_en: Set(row.name_en),
            kind: Set(row.kind.as_str().to_string()),
            parent_acronym: Set(row.parent.filter(|p| !p.is_empty())),
            ack_days: Set(DEFAULT_ACK_DAYS),
            respond_days: Set(DEFAULT_RESPOND_DAYS),
            active: Set(true),
            receives_referrals: Set(row.receives_referrals),
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
