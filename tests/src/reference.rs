//! Reference data: loaded once from the shipped CSV files, then maintained by admins; the names
//! and holidays each instance holds in memory follow every change.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::Value;

use crate::harness::{Backend, Browser, DEMO_PASSWORD, TestApp};
use crate::observations::file_observation;
use crate::on_both_databases;

fn find<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .expect("list")
        .iter()
        .find(|item| item[key] == value)
        .unwrap_or_else(|| panic!("no {key} = {value} in {list}"))
}

async fn admin_maintains_reference_data(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut admin = app.browser();
    admin.login("admin@veille.test", DEMO_PASSWORD).await;

    // What the first start loaded.
    let (_, regions) = admin.call("list_regions", &[]).await;
    assert_eq!(regions.as_array().expect("regions").len(), 20);
    let cercles: usize = regions
        .as_array()
        .expect("regions")
        .iter()
        .map(|r| r["cercles"].as_array().expect("c").len())
        .sum();
    assert_eq!(cercles, 55);
    let (_, holidays) = admin.call("list_holidays", &[]).await;
    assert_eq!(holidays.as_array().expect("holidays").len(), 36);
    let (_, institutions) = admin.call("list_institutions", &[]).await;
    assert_eq!(institutions.as_array().expect("institutions").len(), 19);
    let police = find(&institutions, "acronym", "DGPN");
    assert_eq!(
        (police["ack_days"].as_i64(), police["respond_days"].as_i64()),
        (Some(5), Some(30))
    );
    let (_, categories) = admin.call("list_categories", &[]).await;
    assert_eq!(categories.as_array().expect("categories").len(), 10);
    assert_eq!(find(&categories, "code", "sgbv")["sensitive"], true);
    assert_eq!(find(&categories, "code", "extortion")["sensitive"], false);

    // Deadlines: a bad number is refused with its field; a good one is kept.
    let police_id = police["id"].as_str().expect("id").to_string();
    // Acknowledging may not be due after responding either (the overdue rule and the
    // liaison's inbox order would disagree).
    for (ack_days, key) in [
        ("cinq", "error-days-invalid"),
        ("40", "error-ack-after-respond"),
    ] {
        let (status, body) = admin
            .call(
                "update_institution",
                &[
                    ("id", &police_id),
                    ("ack_days", ack_days),
                    ("respond_days", "30"),
                    ("active", "on"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            body["Validation"][0],
            serde_json::json!({ "field": "ack_days", "key": key })
        );
    }
    let (status, _) = admin
        .call(
            "update_institution",
            &[
                ("id", &police_id),
                ("ack_days", "7"),
                ("respond_days", "20"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, institutions) = admin.call("list_institutions", &[]).await;
    let police = find(&institutions, "acronym", "DGPN");
    assert_eq!(
        (
            police["ack_days"].as_i64(),
            police["respond_days"].as_i64(),
            police["active"].as_bool()
        ),
        (Some(7), Some(20), Some(true))
    );

    // A new institution, then its acronym cannot be taken twice.
    let form = [
        ("acronym", "OCS"),
        ("name_fr", "Office central des stupéfiants"),
        ("name_en", ""),
        ("kind", "police"),
        ("parent_acronym", "MSPC"),
    ];
    assert_eq!(
        admin.call("create_institution", &form).await.0,
        StatusCode::OK
    );
    let (status, body) = admin.call("create_institution", &form).await;
    assert_eq!(
        (status, body["Validation"][0]["key"].as_str()),
        (StatusCode::BAD_REQUEST, Some("error-institution-exists"))
    );

    // Institutions are renamed when a ministry changes its name.
    let (status, _) = admin
        .call(
            "update_institution",
            &[
                ("id", &police_id),
                ("ack_days", "7"),
                ("respond_days", "20"),
                ("name_fr", "Police nationale du Mali"),
                ("name_en", ""),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, institutions) = admin.call("list_institutions", &[]).await;
    let police = find(&institutions, "acronym", "DGPN");
    assert_eq!(
        (police["name_fr"].as_str(), police["name_en"].as_str()),
        (
            Some("Police nationale du Mali"),
            Some("Police nationale du Mali")
        )
    );

    // A new category comes last; a nameless one is refused.
    assert_eq!(
        admin
            .call(
                "create_category",
                &[
                    ("name_fr", "Discrimination"),
                    ("name_en", "Discrimination"),
                    ("sensitive", "on")
                ]
            )
            .await
            .0,
        StatusCode::OK
    );
    let (status, body) = admin
        .call("create_category", &[("name_fr", " "), ("name_en", "")])
        .await;
    assert_eq!(
        (status, body["Validation"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("name_fr"))
    );
    let (_, with_new) = admin.call("list_categories", &[]).await;
    let last = with_new
        .as_array()
        .expect("list")
        .last()
        .expect("last")
        .clone();
    assert_eq!(
        (last["name_fr"].as_str(), last["sensitive"].as_bool()),
        (Some("Discrimination"), Some(true))
    );

    // Categories: renamed and marked sensitive.
    let torture = find(&categories, "code", "torture")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let (status, _) = admin
        .call(
            "update_category",
            &[
                ("id", &torture),
                ("name_fr", "Torture"),
                ("name_en", "Torture"),
                ("sensitive", "on"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, categories) = admin.call("list_categories", &[]).await;
    assert_eq!(find(&categories, "code", "torture")["sensitive"], true);
    assert_eq!(find(&categories, "code", "torture")["name_fr"], "Torture");

    // Holidays: an ad-hoc day off is added, a duplicate refused, and a wrong day removed.
    assert_eq!(
        admin
            .call(
                "add_holiday",
                &[
                    ("day", "2026-09-23"),
                    ("name_fr", "Lendemain de fête"),
                    ("name_en", "")
                ]
            )
            .await
            .0,
        StatusCode::OK
    );
    let (status, body) = admin
        .call(
            "add_holiday",
            &[
                ("day", "2026-09-23"),
                ("name_fr", "Doublon"),
                ("name_en", ""),
            ],
        )
        .await;
    assert_eq!(
        (status, body["Validation"][0]["key"].as_str()),
        (StatusCode::BAD_REQUEST, Some("error-holiday-exists"))
    );
    let (status, body) = admin
        .call(
            "add_holiday",
            &[
                ("day", "23/09/2026"),
                ("name_fr", "Mauvais format"),
                ("name_en", ""),
            ],
        )
        .await;
    assert_eq!(
        (status, body["Validation"][0]["key"].as_str()),
        (StatusCode::BAD_REQUEST, Some("error-date-invalid"))
    );
    let (_, holidays) = admin.call("list_holidays", &[]).await;
    assert_eq!(holidays.as_array().expect("holidays").len(), 37);
    let added = find(&holidays, "day", "2026-09-23")["id"]
        .as_str()
        .expect("id")
        .to_string();
    assert_eq!(
        admin.call("delete_holiday", &[("id", &added)]).await.0,
        StatusCode::OK
    );
    assert_eq!(
        admin.call("delete_holiday", &[("id", &added)]).await.0,
        StatusCode::NOT_FOUND
    );

    // Cercles of a 2023 region.
    assert_eq!(
        admin
            .call(
                "add_cercle",
                &[("region_code", "ml-kita"), ("name", "Kita")]
            )
            .await
            .0,
        StatusCode::OK
    );
    let (_, regions) = admin.call("list_regions", &[]).await;
    assert_eq!(
        find(&regions, "code", "ml-kita")["cercles"][0]["name"],
        "Kita"
    );

    // Organisations, with the women's-organisation flag.
    let (status, _) = admin
        .call(
            "create_organisation",
            &[
                ("name", "Collectif des femmes de Gao (fictif)"),
                ("acronym", "CFG"),
                ("region_code", "ML-7"),
                ("is_womens_organisation", "on"),
                ("contact_email", "contact@cfg.test"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, organisations) = admin.call("list_organisations", &[]).await;
    assert_eq!(
        find(&organisations, "acronym", "CFG")["is_womens_organisation"],
        true
    );
    assert_eq!(
        find(&organisations, "acronym", "RCVM")["is_womens_organisation"],
        false
    );

    // Nobody else changes reference data.
    let mut monitor = app.browser();
    monitor.login("analyste@cndh.test", DEMO_PASSWORD).await;
    assert_eq!(
        monitor
            .call(
                "add_holiday",
                &[("day", "2026-12-31"), ("name_fr", "X"), ("name_en", "")]
            )
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    app.finish().await;
}
on_both_databases!(admin_maintains_reference_data);

/// A server function called on another instance of the portal with `browser`'s session (kept in
/// the database they share), as a load balancer may send it there.
async fn call_on(
    instance: &str,
    browser: &Browser,
    endpoint: &str,
    form: &[(&str, &str)],
) -> Value {
    let response = reqwest::Client::new()
        .post(format!("{instance}/api/{endpoint}"))
        .header("cookie", browser.cookie_header())
        .header("accept", "application/json")
        .header("sec-fetch-site", "same-origin")
        .form(form)
        .send()
        .await
        .unwrap_or_else(|e| panic!("POST /api/{endpoint}: {e}"));
    let status = response.status();
    let body = response.text().await.expect("body");
    assert_eq!(status, StatusCode::OK, "{endpoint}: {body}");
    serde_json::from_str(&body).expect("JSON")
}

/// The category of observation `id` as `monitor` sees it through `instance`: on its page and
/// in the list.
async fn category_on(instance: &str, monitor: &Browser, id: &str) -> (String, String) {
    let detail = call_on(instance, monitor, "get_observation", &[("id", id)]).await;
    let list = call_on(instance, monitor, "list_observations", &[]).await;
    let listed = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|item| item["id"] == id)
        .unwrap_or_else(|| panic!("{id} in {list}"))
        .clone();
    let name = |v: &Value| v["category"].as_str().expect("category").to_string();
    (name(&detail), name(&listed))
}

/// The names held in memory follow every change of the reference data: an admin's, made through
/// another instance, and one made in the database by hand (which only the version the database
/// changes can tell). The two instances share one process here, and so its memory: the change
/// by hand is the one no instance hears of.
async fn names_held_in_memory_follow_every_change(backend: Backend) {
    let app = TestApp::start(backend).await;
    let second = app.second_instance().await;
    let mut parties = crate::fixtures::the_parties(&app).await;
    let id = file_observation(
        &mut parties.member,
        "Garde à vue prolongée",
        "Une personne retenue au poste bien au-delà du délai légal.",
    )
    .await;
    let monitor = &parties.monitor;
    let was = "Arrestation et détention arbitraires".to_string();
    assert_eq!(category_on(&second, monitor, &id).await, (was.clone(), was));

    // An admin renames the category on the first instance.
    let mut admin = app.browser();
    admin.login("admin@veille.test", DEMO_PASSWORD).await;
    let (status, body) = admin
        .call(
            "update_category",
            &[
                ("id", &parties.choices.category),
                ("name_fr", "Détention arbitraire"),
                ("name_en", "Arbitrary detention"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let renamed = "Détention arbitraire".to_string();
    assert_eq!(
        category_on(&second, monitor, &id).await,
        (renamed.clone(), renamed)
    );

    // Renamed again by hand, outside the portal.
    let changed = app
        .db
        .execute_unprepared(
            "UPDATE categories SET name_fr = 'Détention hors délai' \
             WHERE name_fr = 'Détention arbitraire'",
        )
        .await
        .expect("update");
    assert_eq!(changed.rows_affected(), 1);
    let by_hand = "Détention hors délai".to_string();
    for instance in [&app.url, &second] {
        assert_eq!(
            category_on(instance, monitor, &id).await,
            (by_hand.clone(), by_hand.clone())
        );
    }

    // The holidays, held with the names, too.
    let holidays = app::server::observations::holidays(&app.db)
        .await
        .expect("holidays");
    assert!(!holidays.is_empty());
    app.db
        .execute_unprepared("DELETE FROM holidays")
        .await
        .expect("delete");
    let holidays = app::server::observations::holidays(&app.db)
        .await
        .expect("holidays");
    assert!(holidays.is_empty(), "{holidays:?}");
    app.finish().await;
}
on_both_databases!(names_held_in_memory_follow_every_change);
