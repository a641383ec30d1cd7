//! The history of the schema: timestamped migrations, never edited once landed.
//! Written with the schema builder only, so it never depends on the application's entities.

pub use sea_orm_migration::prelude::*;

mod m20261129_000001_foundation;
mod m20261129_000002_observations;
mod m20261129_000003_outbox;
mod m20261129_000004_statistics;
mod m20261130_000005_protection;
mod m20261130_000006_referral_place;
mod m20261207_000007_release_per_file;
mod m20261207_000008_monitor_approval;
mod m20261207_000009_institutions_receiving;
mod m20261207_000010_unmet_deadlines;
mod m20261207_000011_tips_taken_up;
mod m20261207_000012_sensitive_cases;
mod m20261207_000013_original_respond_due;
mod m20261207_000014_notification_tips;
mod m20261207_000015_list_keys;
mod m20261207_000016_search;
mod m20261207_000017_reference_version;
mod m20261207_000018_list_concerns;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_foundation::Migration),
            Box::new(m20261129_000002_observations::Migration),
            Box::new(m20261129_000003_outbox::Migration),
            Box::new(m20261129_000004_statistics::Migration),
            Box::new(m20261130_000005_protection::Migration),
            Box::new(m20261130_000006_referral_place::Migration),
            Box::new(m20261207_000007_release_per_file::Migration),
            Box::new(m20261207_000008_monitor_approval::Migration),
            Box::new(m20261207_000009_institutions_receiving::Migration),
            Box::new(m20261207_000010_unmet_deadlines::Migration),
            Box::new(m20261207_000011_tips_taken_up::Migration),
            Box::new(m20261207_000012_sensitive_cases::Migration),
            Box::new(m20261207_000013_original_respond_due::Migration),
            Box::new(m20261207_000014_notification_tips::Migration),
            Box::new(m20261207_000015_list_keys::Migration),
            Box::new(m20261207_000016_search::Migration),
            Box::new(m20261207_000017_reference_version::Migration),
            Box::new(m20261207_000018_list_concerns::Migration),
        ]
    }
}
