//! The one recorder of status changes, on the path no other test looks into: an observation the
//! NHRC makes of a tip leaves what every status change leaves (its event, its audit entry, its
//! counts) and, like before, mails nobody.

use reqwest::StatusCode;
use reqwest::multipart::Form;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;
use uuid::Uuid;

use app::server::entities::{audit_entry, notification, observation, observation_event};

use crate::harness::{Backend, Browser, TestApp, location};
use crate::observations::{MONITOR, signed_in};
use crate::on_both_databases;

async fn totals(monitor: &mut Browser) -> Value {
    let (status, body) = monitor.call("get_dashboard", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["totals"].clone()
}

async fn a_tip_made_an_observation_is_recorded_whole(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut tipster = app.browser();
    let tip = Form::new()
        .text("body", "Contrôle abusif au péage de Kati.")
        .text("category_id", "")
        .text("institution_id", "")
        .text("region_code", "ML-1")
        .text("website", "");
    let response = tipster
        .upload("/signalement", "/signalement/envoyer", tip)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let mut monitor = signed_in(&app, MONITOR).await;
    assert_eq!(totals(&mut monitor).await["observations_total"], 0);
    let (_, tips) = monitor.call("list_tips", &[]).await;
    let tip_id = tips[0]["id"].as_str().expect("tip id").to_string();

    let response = monitor
        .submit(
            &format!("/tips/{tip_id}"),
            "convert_tip",
            &[("id", &tip_id)],
        )
        .await;
    let id: Uuid = location(&response)
        .strip_prefix("/observations/")
        .expect("to the observation")
        .parse()
        .expect("observation id");

    // Its timeline opens with the NHRC's own line: from nothing to submitted.
    let events = observation_event::Entity::find()
        .filter(observation_event::Column::ObservationId.eq(id))
        .all(&app.db)
        .await
        .expect("events");
    assert_eq!(events.len(), 1, "{events:?}");
    let event = &events[0];
    assert_eq!(
        (event.kind.as_str(), event.from_status.as_deref()),
        ("from_tip", None)
    );
    assert_eq!(event.to_status.as_deref(), Some("submitted"));
    assert_eq!(
        (event.visibility.as_str(), event.actor_role.as_str()),
        ("nhrc", "monitor")
    );

    // Audited once, on the tip, with the reference it was given.
    let reference = observation::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("observation")
        .and_then(|o| o.reference)
        .expect("reference");
    let audited = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("tip_converted"))
        .all(&app.db)
        .await
        .expect("audit");
    assert_eq!(audited.len(), 1);
    assert_eq!(
        (
            audited[0].target_kind.as_str(),
            audited[0].target_id.as_str()
        ),
        ("tip", tip_id.as_str())
    );
    assert_eq!(audited[0].detail.as_deref(), Some(reference.as_str()));

    // Counted at once, as a recount would count it.
    let running = totals(&mut monitor).await;
    assert_eq!(running["observations_total"], 1);
    app::server::statistics::rebuild(&app.db)
        .await
        .expect("rebuild");
    assert_eq!(totals(&mut monitor).await, running);

    // Nobody is mailed about it (the tip's arrival was, by its own mail to the NHRC).
    let queued = notification::Entity::find()
        .filter(notification::Column::TipId.is_null())
        .count(&app.db)
        .await
        .expect("outbox");
    assert_eq!(queued, 0);
    app.finish().await;
}
on_both_databases!(a_tip_made_an_observation_is_recorded_whole);
