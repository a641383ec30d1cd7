//! Two-person rule for monitor accounts, and invitations that reveal nothing.
//!
//! `users.awaiting_approval`: a monitor account invited by an administrator cannot sign in
//! until another, active monitor approves it; `users.invited_by` names who asked (the approver
//! must be someone else). Accounts that exist before this migration stay as they are (false).
//!
//! `shadow_invitations`: when a coordinator invites an address that already has an account
//! outside their organisation, nothing is done to that account; the invitation is kept here so
//! that the coordinator's member list shows it exactly like a new invitation nobody answered.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    AwaitingApproval,
    InvitedBy,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ShadowInvitations {
    Table,
    Id,
    OrganisationId,
    Email,
    DisplayName,
    InvitedBy,
    Active,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for column in [
            ColumnDef::new(Users::AwaitingApproval)
                .boolean()
                .not_null()
                .default(false)
                .to_owned(),
            ColumnDef::new(Users::InvitedBy).uuid().null().to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(ShadowInvitations::Table)
                .col(
                    ColumnDef::new(ShadowInvitations::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(ShadowInvitations::OrganisationId)
                        .uuid()
                        .not_null(),
                )
                .col(ColumnDef::new(ShadowInvitations::Email).string().not_null())
                .col(
                    ColumnDef::new(ShadowInvitations::DisplayName)
                        .string()
                        .not_null(),
                )
                .col(ColumnDef::new(ShadowInvitations::InvitedBy).uuid().null())
                .col(
                    ColumnDef::new(ShadowInvitations::Active)
                        .boolean()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ShadowInvitations::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ShadowInvitations::Table, ShadowInvitations::OrganisationId)
                        .to(Organisations::Table, Organisations::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("shadow_invitations_by_organisation_email")
                .table(ShadowInvitations::Table)
                .col(ShadowInvitations::OrganisationId)
                .col(ShadowInvitations::Email)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ShadowInvitations::Table).to_owned())
            .await?;
        for column in [Users::InvitedBy, Users::AwaitingApproval] {
            m.alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
