//! Accounts, sessions, one-time account tokens and the reference data (regions, cercles,
//! institutions, categories, holidays).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Regions {
    Table,
    Code,
    NameFr,
    NameEn,
    Kind,
}

#[derive(DeriveIden)]
enum Cercles {
    Table,
    Id,
    RegionCode,
    Name,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
    Name,
    Acronym,
    RegionCode,
    IsWomensOrganisation,
    ContactEmail,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Institutions {
    Table,
    Id,
    Acronym,
    NameFr,
    NameEn,
    Kind,
    ParentAcronym,
    AckDays,
    RespondDays,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Categories {
    Table,
    Id,
    Code,
    NameFr,
    NameEn,
    Sensitive,
    Position,
    Active,
}

#[derive(DeriveIden)]
enum Holidays {
    Table,
    Id,
    Day,
    NameFr,
    NameEn,
    Kind,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    DisplayName,
    Locale,
    Role,
    OrganisationId,
    InstitutionId,
    PasswordHash,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AccountTokens {
    Table,
    Id,
    UserId,
    Purpose,
    TokenHash,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    Data,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Regions::Table)
                .col(
                    ColumnDef::new(Regions::Code)
                        .string()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(Regions::NameFr).string().not_null())
                .col(ColumnDef::new(Regions::NameEn).string().not_null())
                .col(ColumnDef::new(Regions::Kind).string().not_null())
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Cercles::Table)
                .col(ColumnDef::new(Cercles::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Cercles::RegionCode).string().not_null())
                .col(ColumnDef::new(Cercles::Name).string().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(Cercles::Table, Cercles::RegionCode)
                        .to(Regions::Table, Regions::Code),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Organisations::Table)
                .col(
                    ColumnDef::new(Organisations::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(Organisations::Name)
                        .string()
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Organisations::Acronym).string().null())
                .col(ColumnDef::new(Organisations::RegionCode).string().null())
                .col(
                    ColumnDef::new(Organisations::IsWomensOrganisation)
                        .boolean()
                        .not_null(),
                )
                .col(ColumnDef::new(Organisations::ContactEmail).string().null())
                .col(ColumnDef::new(Organisations::Active).boolean().not_null())
                .col(
                    ColumnDef::new(Organisations::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Organisations::Table, Organisations::RegionCode)
                        .to(Regions::Table, Regions::Code),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Institutions::Table)
                .col(
                    ColumnDef::new(Institutions::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(Institutions::Acronym)
                        .string()
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Institutions::NameFr).string().not_null())
                .col(ColumnDef::new(Institutions::NameEn).string().not_null())
                .col(ColumnDef::new(Institutions::Kind).string().not_null())
                .col(ColumnDef::new(Institutions::ParentAcronym).string().null())
                .col(ColumnDef::new(Institutions::AckDays).integer().not_null())
                .col(
                    ColumnDef::new(Institutions::RespondDays)
                        .integer()
                        .not_null(),
                )
                .col(ColumnDef::new(Institutions::Active).boolean().not_null())
                .col(
                    ColumnDef::new(Institutions::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Categories::Table)
                .col(
                    ColumnDef::new(Categories::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(Categories::Code)
                        .string()
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Categories::NameFr).string().not_null())
                .col(ColumnDef::new(Categories::NameEn).string().not_null())
                .col(ColumnDef::new(Categories::Sensitive).boolean().not_null())
                .col(ColumnDef::new(Categories::Position).integer().not_null())
                .col(ColumnDef::new(Categories::Active).boolean().not_null())
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Holidays::Table)
                .col(ColumnDef::new(Holidays::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Holidays::Day).date().not_null().unique_key())
                .col(ColumnDef::new(Holidays::NameFr).string().not_null())
                .col(ColumnDef::new(Holidays::NameEn).string().not_null())
                .col(ColumnDef::new(Holidays::Kind).string().not_null())
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(ColumnDef::new(Users::Id).uuid().not_null().primary_key())
                .col(
                    ColumnDef::new(Users::Email)
                        .string()
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Users::DisplayName).string().not_null())
                .col(ColumnDef::new(Users::Locale).string().not_null())
                .col(ColumnDef::new(Users::Role).string().not_null())
                .col(ColumnDef::new(Users::OrganisationId).uuid().null())
                .col(ColumnDef::new(Users::InstitutionId).uuid().null())
                .col(ColumnDef::new(Users::PasswordHash).string().null())
                .col(ColumnDef::new(Users::Active).boolean().not_null())
                .col(
                    ColumnDef::new(Users::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Users::Table, Users::OrganisationId)
                        .to(Organisations::Table, Organisations::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Users::Table, Users::InstitutionId)
                        .to(Institutions::Table, Institutions::Id),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AccountTokens::Table)
                .col(
                    ColumnDef::new(AccountTokens::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(AccountTokens::UserId).uuid().not_null())
                .col(ColumnDef::new(AccountTokens::Purpose).string().not_null())
                .col(
                    ColumnDef::new(AccountTokens::TokenHash)
                        .string()
                        .not_null()
                        .unique_key(),
                )
                .col(
                    ColumnDef::new(AccountTokens::ExpiresAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(AccountTokens::UsedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(
                    ColumnDef::new(AccountTokens::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(AccountTokens::Table, AccountTokens::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(
                    ColumnDef::new(Sessions::Id)
                        .string()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(Sessions::UserId).uuid().null())
                .col(ColumnDef::new(Sessions::Data).text().not_null())
                .col(
                    ColumnDef::new(Sessions::ExpiresAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sessions_user_id")
                .table(Sessions::Table)
                .col(Sessions::UserId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sessions_expires_at")
                .table(Sessions::Table)
                .col(Sessions::ExpiresAt)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Sessions::Table.into_iden(),
            AccountTokens::Table.into_iden(),
            Users::Table.into_iden(),
            Holidays::Table.into_iden(),
            Categories::Table.into_iden(),
            Institutions::Table.into_iden(),
            Organisations::Table.into_iden(),
            Cercles::Table.into_iden(),
            Regions::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
