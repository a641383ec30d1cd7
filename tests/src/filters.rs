//! The lists' "concerns institution X" and "overdue only" filters, read in rows the database
//! keeps by trigger (migration 000018: `observation_concerns`, `observations.overdue_from`),
//! checked against the rules they stand for — the filer's named institutions and the
//! referrals, `calendar::is_overdue` of each referral — on generated cases and through the
//! changes the portal and an operator make.

use std::collections::{BTreeMap, BTreeSet};

use app::domain::calendar::is_overdue;
use app::domain::lifecycle::ReferralStatus;
use app::server::entities::{observation_institution, referral};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use uuid::Uuid;

use crate::fixtures::{a_referred_observation, an_overdue_referral};
use crate::harness::{Backend, Browser, TestApp};
use crate::observations::{MONITOR, POLICE, act, referral_status, signed_in};
use crate::on_both_databases;
use crate::scoping::list_page;

/// Every id a list shows for `filter`, walked page by page in its order; checks that the
/// count it states is what it shows.
async fn walked(browser: &mut Browser, filter: &[(&str, &str)]) -> Vec<String> {
    let (mut met, mut cursor) = (Vec::new(), None::<String>);
    let mut total = None;
    loop {
        let after = cursor.as_deref().map(|c| ("after", c));
        let page = list_page(browser, "list_observations", filter, after).await;
        total.get_or_insert(page["total"].as_u64().expect("total"));
        met.extend(
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|i: &Value| i["id"].as_str().expect("id").to_string()),
        );
        match page["next"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(
        total,
        Some(met.len() as u64),
        "{filter:?}: the count is what is shown"
    );
    met
}

/// What the rules say, from the rows that decide them: the observations each institution
/// concerns, and those with a referral past its running deadline today.
async fn by_the_rules(app: &TestApp) -> (BTreeMap<String, BTreeSet<String>>, BTreeSet<String>) {
    let mut concerns: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for named in observation_institution::Entity::find()
        .all(&app.db)
        .await
        .expect("named")
    {
        concerns
            .entry(named.institution_id.to_string())
            .or_default()
            .insert(named.observation_id.to_string());
    }
    let today = app::server::observations::today();
    let mut overdue = BTreeSet::new();
    for r in referral::Entity::find()
        .all(&app.db)
        .await
        .expect("referrals")
    {
        concerns
            .entry(r.institution_id.to_string())
            .or_default()
            .insert(r.observation_id.to_string());
        let status = ReferralStatus::parse(&r.status).expect("status");
        if is_overdue(status, r.ack_due, r.respond_due, today) {
            overdue.insert(r.observation_id.to_string());
        }
    }
    (concerns, overdue)
}

/// Each institution's list and the overdue list, in each order, hold exactly the cases the
/// rules name among those the reader may see, each once.
async fn filters_agree_with_the_rules(app: &TestApp, monitor: &mut Browser) -> BTreeSet<String> {
    let visible: BTreeSet<String> = walked(monitor, &[]).await.into_iter().collect();
    let (concerns, overdue) = by_the_rules(app).await;
    for (institution, cases) in &concerns {
        let expected: BTreeSet<&String> = cases.intersection(&visible).collect();
        for sort in ["", "oldest", "updated"] {
            let shown = walked(monitor, &[("institution", institution), ("sort", sort)]).await;
            let unique: BTreeSet<&String> = shown.iter().collect();
            assert_eq!(
                unique.len(),
                shown.len(),
                "{institution} {sort}: a case twice"
            );
            assert_eq!(unique, expected, "{institution} sorted {sort:?}");
        }
    }
    let expected: BTreeSet<String> = overdue.intersection(&visible).cloned().collect();
    for sort in ["", "oldest", "updated"] {
        let shown: BTreeSet<String> = walked(monitor, &[("overdue", "1"), ("sort", sort)])
            .await
            .into_iter()
            .collect();
        assert_eq!(shown, expected, "overdue sorted {sort:?}");
    }
    expected
}

async fn institution_and_overdue_filters_follow_every_change(backend: Backend) {
    let app = TestApp::start(backend).await;
    server::volume::observations(&app.db, 120, |_| {})
        .await
        .expect("generated observations");
    let mut monitor = signed_in(&app, MONITOR).await;
    let overdue = filters_agree_with_the_rules(&app, &mut monitor).await;
    assert!(!overdue.is_empty(), "generated cases include overdue ones");

    // Forwarded through the portal to the police, then left unacknowledged past its deadline:
    // it joins the police's list, then the overdue list.
    let referred = a_referred_observation(
        &app,
        "Contrôle routier",
        "Des agents exigent de l'argent à chaque passage au poste de contrôle.",
    )
    .await;
    let police = referred.parties.choices.police.clone();
    let shown = walked(&mut monitor, &[("institution", &police)]).await;
    assert_eq!(shown.first(), Some(&referred.id), "newest first: {shown:?}");
    an_overdue_referral(&app, &referred.referral, 3).await;
    let overdue = filters_agree_with_the_rules(&app, &mut monitor).await;
    assert!(overdue.contains(&referred.id));

    // The liaison acknowledges it: the response's deadline runs now, not yet passed.
    let mut liaison = signed_in(&app, POLICE).await;
    let page = format!("/referrals/{}", referred.referral);
    act(
        &mut liaison,
        &page,
        "referral_action",
        &[("id", &referred.referral), ("action", "acknowledge")],
    )
    .await;
    assert_eq!(
        referral_status(&mut liaison, &referred.referral).await,
        "acknowledged"
    );
    let overdue = filters_agree_with_the_rules(&app, &mut monitor).await;
    assert!(!overdue.contains(&referred.id));

    // An operator removes every referral to the police of a case the filer did not name the
    // police in: the case leaves the police's list; one the filer named stays in it.
    let police_id = Uuid::parse_str(&police).expect("uuid");
    let named: BTreeSet<Uuid> = observation_institution::Entity::find()
        .filter(observation_institution::Column::InstitutionId.eq(police_id))
        .all(&app.db)
        .await
        .expect("named")
        .into_iter()
        .map(|n| n.observation_id)
        .collect();
    let referrals = referral::Entity::find()
        .filter(referral::Column::InstitutionId.eq(police_id))
        .all(&app.db)
        .await
        .expect("referrals");
    let (kept, gone): (Vec<_>, Vec<_>) = referrals
        .iter()
        .filter(|r| r.id.to_string() != referred.referral)
        .partition(|r| named.contains(&r.observation_id));
    let (kept, gone) = (kept.first().copied(), gone.first().copied());
    for r in kept.iter().chain(gone.iter()) {
        app::server::entities::observation_event::Entity::delete_many()
            .filter(app::server::entities::observation_event::Column::ReferralId.eq(r.id))
            .exec(&app.db)
            .await
            .expect("events");
        app::server::entities::referral_attachment::Entity::delete_many()
            .filter(app::server::entities::referral_attachment::Column::ReferralId.eq(r.id))
            .exec(&app.db)
            .await
            .expect("attachments");
        referral::Entity::delete_by_id(r.id)
            .exec(&app.db)
            .await
            .expect("delete");
    }
    assert!(
        kept.is_some() || gone.is_some(),
        "generated referrals to the police"
    );
    let shown: BTreeSet<String> = walked(&mut monitor, &[("institution", &police)])
        .await
        .into_iter()
        .collect();
    if let Some(kept) = kept {
        assert!(shown.contains(&kept.observation_id.to_string()), "named");
    }
    if let Some(gone) = gone {
        assert!(!shown.contains(&gone.observation_id.to_string()), "gone");
    }
    filters_agree_with_the_rules(&app, &mut monitor).await;

    // An institution id that is no institution shows nothing; one that cannot be read is
    // refused.
    let nobody = Uuid::new_v4().to_string();
    assert!(
        walked(&mut monitor, &[("institution", &nobody)])
            .await
            .is_empty()
    );
    let (status, _) = monitor
        .call("list_observations", &[("filter[institution]", "DGPN")])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    app.finish().await;
}
on_both_databases!(institution_and_overdue_filters_follow_every_change);
