//! Fixture builders for the common starting points of scenario tests (a referred observation,
//! an overdue referral), so that a test's body is the behaviour it checks.

use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::harness::{Browser, TestApp};
use crate::observations::{
    Choices, MEMBER, MONITOR, POLICE, choices, file_observation, forward, referral_of, signed_in,
};

/// The three parties of an observation, each signed in: the organisation's member who files,
/// the NHRC's monitor who triages, and the police liaison.
pub struct Parties {
    pub member: Browser,
    pub monitor: Browser,
    pub police: Browser,
    /// The reference ids the forms need.
    pub choices: Choices,
}

pub async fn the_parties(app: &TestApp) -> Parties {
    let mut member = signed_in(app, MEMBER).await;
    let monitor = signed_in(app, MONITOR).await;
    let police = signed_in(app, POLICE).await;
    let choices = choices(&mut member).await;
    Parties {
        member,
        monitor,
        police,
        choices,
    }
}

/// An observation filed by the member and forwarded by the NHRC to the police, not yet
/// acknowledged.
pub struct Referred {
    pub parties: Parties,
    /// The observation's id.
    pub id: String,
    /// The police referral's id.
    pub referral: String,
}

pub async fn a_referred_observation(app: &TestApp, title: &str, description: &str) -> Referred {
    let mut parties = the_parties(app).await;
    let id = file_observation(&mut parties.member, title, description).await;
    let police = parties.choices.police.clone();
    forward(&mut parties.monitor, &id, &police, title, description).await;
    let referral = referral_of(&mut parties.monitor, &id, "DGPN").await;
    Referred {
        parties,
        id,
        referral,
    }
}

/// Moves `referral`'s acknowledgement deadline `days` before today, as if that time had passed
/// without an acknowledgement.
pub async fn an_overdue_referral(app: &TestApp, referral: &str, days: u64) {
    let due = app::server::observations::today() - chrono::Days::new(days);
    deadlines_moved(app, referral, Some(due), None).await;
}

/// Sets `referral`'s acknowledgement and response deadlines (those given), as if days had
/// passed; its place in the lists (`list_due`) follows, as the portal keeps it with every
/// change (and the database, the observation's `overdue_from`, by trigger).
pub async fn deadlines_moved(
    app: &TestApp,
    referral: &str,
    ack_due: Option<NaiveDate>,
    respond_due: Option<NaiveDate>,
) {
    use app::domain::calendar::list_due;
    use app::domain::lifecycle::ReferralStatus;
    use app::server::entities::referral;
    let id = uuid::Uuid::parse_str(referral).expect("uuid");
    let row = referral::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("read")
        .unwrap_or_else(|| panic!("referral {referral}"));
    let status = ReferralStatus::parse(&row.status).expect("status");
    let (ack_due, respond_due) = (
        ack_due.unwrap_or(row.ack_due),
        respond_due.unwrap_or(row.respond_due),
    );
    let moved = referral::Entity::update_many()
        .col_expr(referral::Column::AckDue, Expr::value(ack_due))
        .col_expr(referral::Column::RespondDue, Expr::value(respond_due))
        .col_expr(
            referral::Column::ListDue,
            Expr::value(list_due(status, ack_due, respond_due)),
        )
        .filter(referral::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .expect("update");
    assert_eq!(
        moved.rows_affected, 1,
        "referral {referral}'s deadlines moved"
    );
}
