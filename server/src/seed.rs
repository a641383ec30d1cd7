//! Demo data for a first run: fictitious organisations and one account per role, all on the
//! reserved `.test` domain. Never run against a production database.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use app::domain::Role;
use app::server::auth::hash_password;
use app::server::entities::{institution, organisation, user};

/// Shared by every demo account, printed by the run command.
pub const DEMO_PASSWORD: &str = "veille-demo-2026";

pub struct DemoAccount {
    pub role: Role,
    pub email: &'static str,
}

pub const DEMO_ACCOUNTS: [DemoAccount; 5] = [
    DemoAccount {
        role: Role::Admin,
        email: "admin@veille.test",
    },
    DemoAccount {
        role: Role::Monitor,
        email: "analyste@cndh.test",
    },
    DemoAccount {
        role: Role::Liaison,
        email: "liaison.police@police.test",
    },
    DemoAccount {
        role: Role::CsoCoordinator,
        email: "coordinatrice@femmes-kayes.test",
    },
    DemoAccount {
        role: Role::CsoMember,
        email: "membre@femmes-kayes.test",
    },
];

const DEMO_ORGANISATIONS: [(&str, &str, &str, bool); 3] = [
    (
        "Association des femmes juristes de Kayes (fictive)",
        "AFJK",
        "ML-1",
        true,
    ),
    (
        "Réseau citoyen de veille de Mopti (fictif)",
        "RCVM",
        "ML-5",
        false,
    ),
    (
        "Collectif jeunesse et paix de Ségou (fictif)",
        "CJPS",
        "ML-4",
        false,
    ),
];

fn display_name(role: Role) -> &'static str {
    match role {
        Role::Admin => "Admin Démo",
        Role::Monitor => "Analyste Démo",
        Role::Liaison => "Officier de liaison Démo",
        Role::CsoCoordinator => "Coordinatrice Démo",
        Role::CsoMember => "Membre Démo",
    }
}

/// The authenticator key of the demo's liaison, monitor and admin (published in the README:
/// demo data only, like the password).
pub const DEMO_TOTP_SECRET: &str = "VEILLEDEMOVEILLEDEMOVEILLEDEMO23";

/// Creates what is missing of the demo data; returns whether anything was created.
pub async fn demo(db: &DatabaseConnection) -> anyhow::Result<bool> {
    let mut created = false;
    let mut womens_org = None;
    for (name, acronym, region, womens) in DEMO_ORGANISATIONS {
        let existing = organisation::Entity::find()
            .filter(organisation::Column::Name.eq(name))
            .one(db)
            .await?;
        let id = match existing {
            Some(row) => row.id,
            None => {
                created = true;
                let id = Uuid::new_v4();
                organisation::ActiveModel {
                    id: Set(id),
                    name: Set(name.to_string()),
                    acronym: Set(Some(acronym.to_string())),
                    region_code: Set(Some(region.to_string())),
                    is_womens_organisation: Set(womens),
                    contact_email: Set(Some(format!("contact@{}.test", acronym.to_lowercase()))),
                    active: Set(true),
                    created_at: Set(Utc::now()),
                    ..Default::default()
                }
                .insert(db)
                .await?;
                id
            }
        };
        if womens && womens_org.is_none() {
            womens_org = Some(id);
        }
    }
    let police = institution::Entity::find()
        .filter(institution::Column::Acronym.eq("DGPN"))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("reference data missing: run `veille migrate` first"))?;

    let hash = hash_password(DEMO_PASSWORD.to_string())
        .await
        .map_err(|e| anyhow::anyhow!("cannot hash the demo password: {e}"))?;
    for account in DEMO_ACCOUNTS {
        if user::Entity::find()
            .filter(user::Column::Email.eq(account.email))
            .one(db)
            .await?
            .is_some()
        {
            continue;
        }
        created = true;
        let (organisation_id, institution_id) = match account.role {
            Role::CsoMember | Role::CsoCoordinator => (womens_org, None),
            Role::Liaison => (None, Some(police.id)),
            Role::Monitor | Role::Admin => (None, None),
        };
        user::ActiveModel {
            id: Set(Uuid::new_v4()),
            email: Set(account.email.to_string()),
            display_name: Set(display_name(account.role).to_string()),
            locale: Set("fr".to_string()),
            role: Set(account.role.as_str().to_string()),
            organisation_id: Set(organisation_id),
            institution_id: Set(institution_id),
            password_hash: Set(Some(hash.clone())),
            active: Set(true),
            created_at: Set(Utc::now()),
            notification_preference: Set("immediate".into()),
            // Staff roles must have a second factor: the demo's is a published key.
            totp_secret: Set(account
                .role
                .requires_second_factor()
                .then(|| DEMO_TOTP_SECRET.to_string())),
            totp_last_step: Set(None),
            totp_enabled_at: Set(account.role.requires_second_factor().then(Utc::now)),
            // The demo monitor is approved from the start, like one made by `create-monitor`.
            awaiting_approval: Set(false),
            invited_by: Set(None),
            // The demo monitor reads every case, sensitive ones included; the demo liaison
            // coordinates its institution but, like a new one, holds no permission yet.
            sensitive_cases: Set(account.role == Role::Monitor),
            coordinates_institution: Set(account.role == Role::Liaison),
        }
        .insert(db)
        .await?;
    }
    Ok(created)
}
