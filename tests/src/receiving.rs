//! Which institutions receive referrals: the CNDH itself and the bodies outside the security
//! services are never offered to forward to and a forged forward to one is refused; a database
//! loaded before the flag existed learns it; the admin turns it on and off. Also the order of
//! the categories offered in forms and filters.

use app::server::entities::{audit_entry, institution, notification, observation_event, referral};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
use serde_json::json;

use crate::fixtures::the_parties;
use crate::harness::{Backend, Browser, DEMO_PASSWORD, TestApp, location};
use crate::observations::{MEMBER, detail, file_observation, forward, released, signed_in};
use crate::on_both_databases;

/// The bodies of the shipped reference data that receive no referrals.
const NOT_RECEIVING: [&str; 5] = ["CNDH", "MEDIATEUR", "CNRSS", "CRSS", "CNT"];

const TITLE: &str = "Barrage routier à Kati";
const DESCRIPTION: &str = "Des agents exigent de l'argent des passagers à la sortie de la ville.";

/// An institution's id by its acronym, as any signed-in user lists them.
async fn institution_id(browser: &mut Browser, acronym: &str) -> String {
    let (status, list) = browser.call("list_institutions", &[]).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list.as_array()
        .expect("list")
        .iter()
        .find(|i| i["acronym"] == acronym)
        .unwrap_or_else(|| panic!("{acronym} listed"))["id"]
        .as_str()
        .expect("id")
        .to_string()
}

/// The forwarding choices of observation `id` as its page draws them (the select's HTML).
async fn forwarding_select(monitor: &mut Browser, id: &str) -> String {
    let (status, page) = monitor.page(&format!("/observations/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let start = page
        .find("id=\"forward-institution\"")
        .expect("the forwarding form");
    let select = &page[start..];
    select[..select.find("</select>").expect("end of the select")].to_string()
}

/// The acronyms in the forwarding choices that the detail gives.
async fn forward_targets(monitor: &mut Browser, id: &str) -> Vec<String> {
    detail(monitor, id).await["forward_targets"]
        .as_array()
        .expect("targets")
        .iter()
        .map(|pair| pair[1].as_str().expect("acronym").to_string())
        .collect()
}

/// What a refused forward must not have written: referrals, timeline events, audit entries,
/// notifications.
async fn written(app: &TestApp) -> [u64; 4] {
    [
        referral::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        observation_event::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        audit_entry::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        notification::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
    ]
}

/// A forward to `institution` that must be refused by its field, in words on the page when
/// sent without JavaScript, writing nothing.
async fn refused_forward(app: &TestApp, monitor: &mut Browser, id: &str, institution: &str) {
    let page = format!("/observations/{id}");
    let form = released(id, institution, TITLE, DESCRIPTION, "", &[]);
    let before = written(app).await;
    let (status, body) = monitor.call("forward_observation", &form).await;
    assert_eq!(
        (status, body["Validation"][0].clone()),
        (
            StatusCode::BAD_REQUEST,
            json!({ "field": "institution_id", "key": "error-institution-not-receiving" })
        )
    );
    let response = monitor.submit(&page, "forward_observation", &form).await;
    let back = location(&response);
    assert!(back.contains("__err"), "{back}");
    assert_eq!(
        written(app).await,
        before,
        "a refused forward writes nothing"
    );
    let (_, shown) = monitor.page(back.trim_start_matches(&app.url)).await;
    assert!(
        shown.contains("ne reçoit pas de transmissions"),
        "the refusal in words on the page"
    );
}

async fn only_bodies_that_receive_referrals_are_forwarded_to(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut parties = the_parties(&app).await;
    let id = file_observation(&mut parties.member, TITLE, DESCRIPTION).await;
    let monitor = &mut parties.monitor;

    // A fresh database loaded the flag from the reference data: what the page offers.
    let select = forwarding_select(monitor, &id).await;
    for offered in ["DGPN", "DGGN", "FAMa", "DNAPES", "ISSPC"] {
        assert!(select.contains(offered), "{offered} not offered: {select}");
    }
    for body in NOT_RECEIVING {
        assert!(!select.contains(body), "{body} offered: {select}");
    }
    let targets = forward_targets(monitor, &id).await;
    assert!(
        NOT_RECEIVING
            .iter()
            .all(|b| !targets.iter().any(|t| t == b)),
        "{targets:?}"
    );
    assert_eq!(targets.len(), 19 - NOT_RECEIVING.len());

    // Forged forwards to each of them: refused, nothing written, the case still waits.
    for body in NOT_RECEIVING {
        let forged = institution_id(monitor, body).await;
        refused_forward(&app, monitor, &id, &forged).await;
    }
    assert_eq!(
        detail(monitor, &id).await["referrals"]
            .as_array()
            .expect("referrals")
            .len(),
        0
    );
    // The names stay: the list of institutions still has them.
    let (_, all) = monitor.call("list_institutions", &[]).await;
    let cndh = all
        .as_array()
        .expect("list")
        .iter()
        .find(|i| i["acronym"] == "CNDH")
        .expect("CNDH")
        .clone();
    assert_eq!(cndh["receives_referrals"], false);
    app.finish().await;
}
on_both_databases!(only_bodies_that_receive_referrals_are_forwarded_to);

/// Whether the admin page's "receives referrals" box of institution `id` is ticked.
fn receiving_box_ticked(page: &str, id: &str) -> bool {
    let start = page
        .find(&format!("id=\"receiving-{id}\""))
        .unwrap_or_else(|| panic!("the box of {id}"));
    let tag = &page[..start];
    let tag = &page[tag.rfind('<').expect("tag")..];
    tag[..tag.find('>').expect("end of tag")].contains("checked")
}

/// The admin saves the police's settings from the institutions page without JavaScript,
/// ticking "may receive referrals" or not.
async fn save_police(admin: &mut Browser, police: &str, receiving: bool) {
    let mut form = vec![
        ("id", police),
        ("ack_days", "5"),
        ("respond_days", "30"),
        ("active", "on"),
    ];
    if receiving {
        form.push(("receives_referrals", "on"));
    }
    let response = admin
        .submit("/admin/institutions", "update_institution", &form)
        .await;
    let back = location(&response);
    assert_eq!(response.status(), StatusCode::FOUND, "{back}");
    assert!(!back.contains("__err"), "{back}");
}

async fn the_admin_turns_receiving_off_and_on(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut admin = app.browser();
    admin.login("admin@veille.test", DEMO_PASSWORD).await;
    let mut parties = the_parties(&app).await;
    let id = file_observation(&mut parties.member, TITLE, DESCRIPTION).await;
    let monitor = &mut parties.monitor;
    let police = institution_id(&mut admin, "DGPN").await;
    let cndh = institution_id(&mut admin, "CNDH").await;

    // The admin page shows the flag as loaded.
    let (status, page) = admin.page("/admin/institutions").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Peut recevoir des transmissions"));
    assert!(receiving_box_ticked(&page, &police));
    assert!(!receiving_box_ticked(&page, &cndh));

    // Unticked without JavaScript (an unticked box is not sent at all).
    save_police(&mut admin, &police, false).await;
    let (_, page) = admin.page("/admin/institutions").await;
    assert!(!receiving_box_ticked(&page, &police));
    assert!(!forwarding_select(monitor, &id).await.contains("DGPN"));
    refused_forward(&app, monitor, &id, &police).await;

    // Ticked again: offered, and forwarding to it works.
    save_police(&mut admin, &police, true).await;
    let (_, page) = admin.page("/admin/institutions").await;
    assert!(receiving_box_ticked(&page, &police));
    assert!(forwarding_select(monitor, &id).await.contains("DGPN"));
    forward(monitor, &id, &police, TITLE, DESCRIPTION).await;
    assert_eq!(
        detail(monitor, &id).await["referrals"][0]["institution"],
        "DGPN"
    );

    // A new institution receives referrals when its box is ticked (as the form draws it).
    let (status, _) = admin
        .call(
            "create_institution",
            &[
                ("acronym", "OCS"),
                ("name_fr", "Office central des stupéfiants"),
                ("name_en", ""),
                ("kind", "police"),
                ("parent_acronym", "MSPC"),
                ("receives_referrals", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(forwarding_select(monitor, &id).await.contains("OCS"));
    app.finish().await;
}
on_both_databases!(the_admin_turns_receiving_off_and_on);

/// The name under which the flag's migration is recorded.
const MIGRATION: &str = "m20261207_000009_institutions_receiving";

async fn an_existing_database_learns_who_receives_referrals(backend: Backend) {
    let app = TestApp::start(backend).await;
    // A database loaded before the flag existed: its column gone, its migration not applied.
    app.db
        .execute_unprepared("ALTER TABLE institutions DROP COLUMN receives_referrals")
        .await
        .expect("drop the column");
    let forgotten = app
        .db
        .execute_unprepared(&format!(
            "DELETE FROM seaql_migrations WHERE version = '{MIGRATION}'"
        ))
        .await
        .expect("forget the migration");
    assert_eq!(forgotten.rows_affected(), 1, "{MIGRATION} was applied");

    app::server::db::migrate(&app.db)
        .await
        .expect("the migration applies to loaded rows");
    let rows = institution::Entity::find()
        .all(&app.db)
        .await
        .expect("institutions");
    assert_eq!(rows.len(), 19);
    for row in &rows {
        assert_eq!(
            row.receives_referrals,
            !NOT_RECEIVING.contains(&row.acronym.as_str()),
            "{}",
            row.acronym
        );
    }
    // And what the NHRC is offered follows.
    let mut member = signed_in(&app, MEMBER).await;
    let id = file_observation(&mut member, TITLE, DESCRIPTION).await;
    let mut monitor = signed_in(&app, crate::observations::MONITOR).await;
    let targets = forward_targets(&mut monitor, &id).await;
    assert!(targets.iter().any(|t| t == "DGPN"));
    assert!(
        !targets.iter().any(|t| t == "CNDH" || t == "CNT"),
        "{targets:?}"
    );
    app.finish().await;
}
on_both_databases!(an_existing_database_learns_who_receives_referrals);

/// The category names a list of choices offers, in its order.
async fn category_names(member: &mut Browser) -> Vec<String> {
    let (status, choices) = member.call("list_choices", &[]).await;
    assert_eq!(status, StatusCode::OK, "{choices}");
    choices["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .map(|pair| pair[1].as_str().expect("name").to_string())
        .collect()
}

async fn categories_are_offered_by_name_in_the_readers_language(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut member = signed_in(&app, MEMBER).await;
    let french = [
        "Accès à la justice",
        "Arrestation et détention arbitraires",
        "Conditions de détention",
        "Défaut de protection",
        "Extorsion et corruption",
        "Intégration du genre dans l'institution",
        "Torture et mauvais traitements",
        "Usage excessif de la force",
        "Violences sexuelles et basées sur le genre",
        "Autre",
    ];
    assert_eq!(category_names(&mut member).await, french);
    // The filing form offers them in the same order.
    let (_, page) = member.page("/observations/new").await;
    let at = |name: &str| {
        page.find(&format!(">{}<", name.replace('\'', "&#x27;")))
            .or_else(|| page.find(&format!(">{name}<")))
            .unwrap_or_else(|| panic!("{name} in the form"))
    };
    assert!(at("Accès à la justice") < at("Arrestation et détention arbitraires"));
    assert!(at("Violences sexuelles et basées sur le genre") < at("Autre"));

    let (status, _) = member.call("set_locale", &[("locale", "en")]).await;
    assert_eq!(status, StatusCode::OK);
    let english = [
        "Access to justice",
        "Arbitrary arrest and detention",
        "Detention conditions",
        "Excessive use of force",
        "Extortion and corruption",
        "Failure to protect",
        "Gender integration in the institution",
        "Sexual and gender-based violence",
        "Torture and ill-treatment",
        "Other",
    ];
    assert_eq!(category_names(&mut member).await, english);
    app.finish().await;
}
on_both_databases!(categories_are_offered_by_name_in_the_readers_language);
