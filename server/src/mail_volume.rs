//! `veille seed --mails N`: N mails waiting in the outbox, due now, spread over 100 fictitious
//! readers, to measure how fast one instance sends them (`scripts/bench.sh`). The readers are
//! active (the worker skips inactive ones) but have no password and ask for no mail of their
//! own; for measuring, never on a real portal.

use chrono::Utc;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use uuid::Uuid;

use app::domain::Role;
use app::server::entities::{notification, user};
use app::server::outbox::PENDING;

use crate::volume::fictitious_user;

const READERS: usize = 100;
/// Rows written per statement.
const BATCH: usize = 500;

async fn readers(db: &DatabaseConnection) -> anyhow::Result<Vec<Uuid>> {
    let mut ids = Vec::with_capacity(READERS);
    for k in 1..=READERS {
        let account = user::ActiveModel {
            display_name: Set(format!("Lecteur fictif {k}")),
            locale: Set(if k % 4 == 0 { "en" } else { "fr" }.into()),
            role: Set(Role::Monitor.as_str().into()),
            active: Set(true),
            ..Default::default()
        };
        ids.push(fictitious_user(db, format!("lecteur{k}@volume.test"), account).await?);
    }
    Ok(ids)
}

/// Queues `n` "observation filed" mails, due now, round-robin over the readers.
pub async fn mails(db: &DatabaseConnection, n: u64) -> anyhow::Result<()> {
    let readers = readers(db).await?;
    let now = Utc::now();
    let mut written = 0u64;
    while written < n {
        let upto = (written + BATCH as u64).min(n);
        let rows = (written..upto).map(|k| notification::ActiveModel {
            id: Set(Uuid::new_v4()),
            recipient_id: Set(readers[k as usize % readers.len()]),
            template: Set("submitted".into()),
            locale: Set("fr".into()),
            observation_id: Set(None),
            tip_id: Set(None),
            reference: Set(format!("OBS-2026-{:06}", k + 1)),
            status: Set(Some("status-obs-submitted".into())),
            institution: Set(None),
            state: Set(PENDING.into()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            claimed_until: Set(None),
            sent_at: Set(None),
            last_error: Set(None),
            created_at: Set(now),
        });
        notification::Entity::insert_many(rows).exec(db).await?;
        written = upto;
    }
    Ok(())
}
