//! Lists that read a page without scanning the table (issue 16): each list's sort order is a
//! column an index holds, so that a page is a walk of twenty index entries after its cursor.
//! - `observations.listed_at`: when the case entered its list — its submission, or its
//!   creation while it is a draft; the lists sort by it (newest or oldest first).
//! - `referrals.list_due`: the day the referral's running deadline falls (the
//!   acknowledgement's or the response's, as `calendar::running_deadline` says), or
//!   9999-12-31 when none runs; the liaison's list puts the most urgent first by it.
//!
//! Both are filled here for existing rows; the portal keeps them with every change.
//! Indexes match each filter of the lists followed by its order, and the work queues' question
//! of a referral's last change.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Observations {
    Table,
    Id,
    ListedAt,
    Status,
    CategoryId,
    RegionCode,
    OrganisationId,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ObservationInstitutions {
    Table,
    InstitutionId,
    ObservationId,
}

#[derive(DeriveIden)]
enum ObservationEvents {
    Table,
    ReferralId,
    Kind,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Referrals {
    Table,
    Id,
    InstitutionId,
    ListDue,
    ForwardedAt,
}

/// The day no deadline falls on: referrals without a running one sort after the others.
const NO_DEADLINE: &str = "9999-12-31";

/// `(name, table, columns)` of each index.
fn indexes() -> Vec<(&'static str, DynIden, Vec<DynIden>)> {
    use Observations as O;
    let o = |c: Observations| -> DynIden { c.into_iden() };
    let r = |c: Referrals| -> DynIden { c.into_iden() };
    vec![
        (
            "observations_listed",
            O::Table.into_iden(),
            vec![o(O::ListedAt), o(O::Id)],
        ),
        (
            "observations_status_listed",
            O::Table.into_iden(),
            vec![o(O::Status), o(O::ListedAt), o(O::Id)],
        ),
        (
            "observations_category_listed",
            O::Table.into_iden(),
            vec![o(O::CategoryId), o(O::ListedAt), o(O::Id)],
        ),
        (
            "observations_region_listed",
            O::Table.into_iden(),
            vec![o(O::RegionCode), o(O::ListedAt), o(O::Id)],
        ),
        (
            "observations_organisation_listed",
            O::Table.into_iden(),
            vec![o(O::OrganisationId), o(O::ListedAt), o(O::Id)],
        ),
        (
            "observations_updated",
            O::Table.into_iden(),
            vec![o(O::UpdatedAt), o(O::Id)],
        ),
        (
            "observation_institutions_by_institution",
            ObservationInstitutions::Table.into_iden(),
            vec![
                ObservationInstitutions::InstitutionId.into_iden(),
                ObservationInstitutions::ObservationId.into_iden(),
            ],
        ),
        (
            "referrals_institution_due",
            Referrals::Table.into_iden(),
            vec![
                r(Referrals::InstitutionId),
                r(Referrals::ListDue),
                r(Referrals::ForwardedAt),
                r(Referrals::Id),
            ],
        ),
        // The work queues ask, per referral, whether its last change was of a kind.
        (
            "events_by_referral",
            ObservationEvents::Table.into_iden(),
            vec![
                ObservationEvents::ReferralId.into_iden(),
                ObservationEvents::Kind.into_iden(),
                ObservationEvents::CreatedAt.into_iden(),
            ],
        ),
        (
            "referrals_institution_forwarded",
            Referrals::Table.into_iden(),
            vec![
                r(Referrals::InstitutionId),
                r(Referrals::ForwardedAt),
                r(Referrals::Id),
            ],
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Observations::Table)
                .add_column(
                    ColumnDef::new(Observations::ListedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Referrals::Table)
                .add_column(ColumnDef::new(Referrals::ListDue).date().null())
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        db.execute_unprepared(
            "UPDATE observations SET listed_at = COALESCE(submitted_at, created_at)",
        )
        .await?;
        // `calendar::running_deadline`, as it stands today.
        db.execute_unprepared(&format!(
            "UPDATE referrals SET list_due = CASE \
             WHEN status = 'forwarded' THEN \
               CASE WHEN ack_due < respond_due THEN ack_due ELSE respond_due END \
             WHEN status IN ('acknowledged', 'in_progress', 'contested') THEN respond_due \
             ELSE '{NO_DEADLINE}' END"
        ))
        .await?;
        for (name, table, columns) in indexes() {
            let mut index = Index::create();
            index.name(name).table(table);
            for column in columns {
                index.col(column);
            }
            m.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in indexes() {
            m.drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        m.alter_table(
            Table::alter()
                .table(Referrals::Table)
                .drop_column(Referrals::ListDue)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Observations::Table)
                .drop_column(Observations::ListedAt)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
