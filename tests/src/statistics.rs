//! The dashboard's numbers against a small fixture computed by hand (working days with
//! Malian holidays, medians, on-time shares, overdue), its filters and its scoping; and the
//! running cube, kept up to date by every status change, against a recount from scratch.

use app::server::entities::{
    category, institution, observation, observation_event, observation_institution, organisation,
    referral,
};
use chrono::{Days, NaiveDate, TimeZone, Utc};
use reqwest::StatusCode;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use serde_json::Value;
use uuid::Uuid;

use crate::harness::{Backend, TestApp};
use crate::observations::{
    MEMBER, MONITOR, POLICE, act, choices, file_observation, forward, referral_of, signed_in,
};
use crate::on_both_databases;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
}

fn at(text: &str) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&day(text).and_hms_opt(10, 0, 0).expect("time"))
}

struct Ids {
    police: Uuid,
    gendarmerie: Uuid,
    womens_org: Uuid,
    other_org: Uuid,
    sensitive: Uuid,
    plain: Uuid,
}

async fn ids(db: &DatabaseConnection) -> Ids {
    let institution = |acronym: &'static str| async move {
        institution::Entity::find()
            .filter(institution::Column::Acronym.eq(acronym))
            .one(db)
            .await
            .expect("query")
            .expect(acronym)
            .id
    };
    let organisation = |acronym: &'static str| async move {
        organisation::Entity::find()
            .filter(organisation::Column::Acronym.eq(acronym))
            .one(db)
            .await
            .expect("query")
            .expect(acronym)
            .id
    };
    let categories = category::Entity::find().all(db).await.expect("categories");
    Ids {
        police: institution("DGPN").await,
        gendarmerie: institution("DGGN").await,
        womens_org: organisation("AFJK").await,
        other_org: organisation("RCVM").await,
        sensitive: categories
            .iter()
            .find(|c| c.sensitive)
            .expect("sensitive")
            .id,
        plain: categories.iter().find(|c| !c.sensitive).expect("plain").id,
    }
}

struct Case<'a> {
    number: i32,
    organisation: Uuid,
    category: Uuid,
    region: &'a str,
    status: &'a str,
    submitted: &'a str,
    named: Vec<Uuid>,
}

struct Forwarded<'a> {
    institution: Uuid,
    status: &'a str,
    forwarded: &'a str,
    ack_due: NaiveDate,
    respond_due: NaiveDate,
    acknowledged: Option<&'a str>,
    responded: Option<&'a str>,
    /// Statuses it went through, as timeline events.
    history: &'a [&'a str],
}

async fn insert(
    db: &DatabaseConnection,
    author: Uuid,
    case: Case<'_>,
    referrals: Vec<Forwarded<'_>>,
) {
    let id = Uuid::new_v4();
    observation::ActiveModel {
        id: Set(id),
        reference: Set(Some(format!("OBS-2026-9{:05}", case.number))),
        form_token: Set(Uuid::new_v4().to_string()),
        organisation_id: Set(case.organisation),
        author_id: Set(author),
        title: Set(format!("Cas de test {}", case.number)),
        description: Set("Fixture".into()),
        category_id: Set(Some(case.category)),
        region_code: Set(Some(case.region.into())),
        cercle_id: Set(None),
        place: Set(String::new()),
        incident_date: Set(None),
        incident_precision: Set("day".into()),
        affected_women: Set(0),
        affected_men: Set(0),
        affected_girls: Set(0),
        affected_boys: Set(0),
        protection: Set("anonymous_to_institution".into()),
        contact_name: Set(None),
        contact_phone: Set(None),
        contact_consent_at: Set(None),
        status: Set(case.status.into()),
        resolution: Set(None),
        created_at: Set(at(case.submitted)),
        updated_at: Set(at(case.submitted)),
        submitted_at: Set((case.status != "draft").then(|| at(case.submitted))),
        closed_at: Set(None),
        listed_at: Set(at(case.submitted)),
        overdue_from: NotSet,
    }
    .insert(db)
    .await
    .expect("observation");
    for institution in case.named {
        observation_institution::ActiveModel {
            observation_id: Set(id),
            institution_id: Set(institution),
        }
        .insert(db)
        .await
        .expect("named institution");
    }
    for r in referrals {
        let referral_id = Uuid::new_v4();
        referral::ActiveModel {
            id: Set(referral_id),
            observation_id: Set(id),
            institution_id: Set(r.institution),
            title: Set("Cas".into()),
            description: Set("Fixture".into()),
            place: Set(None),
            share_evidence: Set(false),
            status: Set(r.status.into()),
            forwarded_at: Set(at(r.forwarded)),
            ack_due: Set(r.ack_due),
            respond_due: Set(r.respond_due),
            original_respond_due: Set(None),
            acknowledged_at: Set(r.acknowledged.map(at)),
            responded_at: Set(r.responded.map(at)),
            auto_escalated: Set(false),
            closed_at: Set(None),
            updated_at: Set(at(r.forwarded)),
            list_due: Set(app::domain::calendar::list_due(
                app::domain::lifecycle::ReferralStatus::parse(r.status).expect("a status"),
                r.ack_due,
                r.respond_due,
            )),
        }
        .insert(db)
        .await
        .expect("referral");
        for to in r.history {
            observation_event::ActiveModel {
                id: Set(Uuid::new_v4()),
                observation_id: Set(id),
                referral_id: Set(Some(referral_id)),
                actor_id: Set(None),
                actor_role: Set("system".into()),
                kind: Set("fixture".into()),
                from_status: Set(None),
                to_status: Set(Some((*to).into())),
                note: Set(None),
                visibility: Set("everyone".into()),
                created_at: Set(at(r.forwarded)),
            }
            .insert(db)
            .await
            .expect("event");
        }
    }
}

/// The fixture, with the measures worked out by hand in the comments. March 2026: Friday 20
/// and Thursday 26 are public holidays, as is Easter Monday 6 April.
async fn fixture(app: &TestApp) -> Ids {
    let db = &app.db;
    let ids = ids(db).await;
    let author = app::server::entities::user::Entity::find()
        .filter(app::server::entities::user::Column::Email.eq(MEMBER))
        .one(db)
        .await
        .expect("query")
        .expect("member")
        .id;
    let today = Utc::now().date_naive();
    // O1: women's organisation, sensitive, Kayes. R1 to the police: forwarded Mon 23 March,
    // acknowledged Fri 27 (24, 25, 27: 3 working days; due 30, on time), responded Thu 2 April
    // (24, 25, 27, 30, 31, 1, 2: 7; due 13 April, on time).
    insert(
        db,
        author,
        Case {
            number: 1,
            organisation: ids.womens_org,
            category: ids.sensitive,
            region: "ML-1",
            status: "referred",
            submitted: "2026-03-20",
            named: vec![ids.police],
        },
        vec![Forwarded {
            institution: ids.police,
            status: "responded",
            forwarded: "2026-03-23",
            ack_due: day("2026-03-30"),
            respond_due: day("2026-04-13"),
            acknowledged: Some("2026-03-27"),
            responded: Some("2026-04-02"),
            history: &["acknowledged", "responded"],
        }],
    )
    .await;
    // O2: other organisation, not sensitive, Kayes. R2 to the police: forwarded Mon 16,
    // acknowledged Mon 23 (17, 18, 19, 23: 4; due 19, late), responded Wed 8 April (14 working
    // days; due 3 April, late), contested (and so overdue again today).
    insert(
        db,
        author,
        Case {
            number: 2,
            organisation: ids.other_org,
            category: ids.plain,
            region: "ML-1",
            status: "referred",
            submitted: "2026-03-13",
            named: vec![ids.police],
        },
        vec![Forwarded {
            institution: ids.police,
            status: "contested",
            forwarded: "2026-03-16",
            ack_due: day("2026-03-19"),
            respond_due: day("2026-04-03"),
            acknowledged: Some("2026-03-23"),
            responded: Some("2026-04-08"),
            history: &["acknowledged", "responded", "contested"],
        }],
    )
    .await;
    // O3: women's organisation, not sensitive, Ségou (ML-4), sent to both. R3 to the police:
    // forwarded Mon 2, acknowledged Wed 4 (2; on time), no response and due yesterday: overdue
    // today. R4 to the gendarmerie: forwarded Tue 10, acknowledged Thu 12 (2; on time),
    // responded Tue 24 (11, 12, 13, 16, 17, 18, 19, 23, 24: 9; due 31, on time), escalated.
    insert(
        db,
        author,
        Case {
            number: 3,
            organisation: ids.womens_org,
            category: ids.plain,
            region: "ML-4",
            status: "referred",
            submitted: "2026-03-02",
            named: vec![ids.police],
        },
        vec![
            Forwarded {
                institution: ids.police,
                status: "in_progress",
                forwarded: "2026-03-02",
                ack_due: day("2026-03-09"),
                respond_due: today - Days::new(1),
                acknowledged: Some("2026-03-04"),
                responded: None,
                history: &["acknowledged", "in_progress"],
            },
            Forwarded {
                institution: ids.gendarmerie,
                status: "escalated",
                forwarded: "2026-03-10",
                ack_due: day("2026-03-17"),
                respond_due: day("2026-03-31"),
                acknowledged: Some("2026-03-12"),
                responded: Some("2026-03-24"),
                history: &["acknowledged", "responded", "escalated"],
            },
        ],
    )
    .await;
    // O4: other organisation, sensitive, Kayes, declined. O5: women's organisation, February,
    // waiting for triage, names the gendarmerie. O6: a draft, counted nowhere.
    insert(
        db,
        author,
        Case {
            number: 4,
            organisation: ids.other_org,
            category: ids.sensitive,
            region: "ML-1",
            status: "declined",
            submitted: "2026-03-05",
            named: vec![ids.police],
        },
        vec![],
    )
    .await;
    insert(
        db,
        author,
        Case {
            number: 5,
            organisation: ids.womens_org,
            category: ids.plain,
            region: "ML-1",
            status: "submitted",
            submitted: "2026-02-10",
            named: vec![ids.gendarmerie],
        },
        vec![],
    )
    .await;
    insert(
        db,
        author,
        Case {
            number: 6,
            organisation: ids.womens_org,
            category: ids.plain,
            region: "ML-1",
            status: "draft",
            submitted: "2026-03-03",
            named: vec![ids.police],
        },
        vec![],
    )
    .await;
    app::server::statistics::rebuild(db).await.expect("rebuild");
    ids
}

async fn dashboard(browser: &mut crate::harness::Browser, filter: &[(&str, &str)]) -> Value {
    let form: Vec<(String, String)> = filter
        .iter()
        .map(|(k, v)| (format!("filter[{k}]"), v.to_string()))
        .collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, body) = browser.call("get_dashboard", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn group<'a>(list: &'a Value, label: &str) -> &'a Value {
    &list
        .as_array()
        .expect("groups")
        .iter()
        .find(|g| g["label"] == label || g["key"] == label)
        .unwrap_or_else(|| panic!("{label} in {list}"))["figures"]
}

fn share(value: &Value) -> f64 {
    (value.as_f64().expect("share") * 1000.0).round() / 1000.0
}

/// The fixture's dates are fixed: the deadline jobs would escalate its late referrals.
async fn start(backend: Backend) -> TestApp {
    TestApp::builder(backend)
        .settings(|s| s.deadline_jobs = false)
        .start()
        .await
}

async fn measures_match_a_hand_computed_fixture(backend: Backend) {
    let app = start(backend).await;
    let ids = fixture(&app).await;
    let mut monitor = signed_in(&app, MONITOR).await;

    let d = dashboard(&mut monitor, &[]).await;
    let t = &d["totals"];
    assert_eq!(t["observations_total"], 5, "the draft is not counted: {t}");
    // By status: submitted, needs_info, referred, declined, closed.
    assert_eq!(t["observations"], serde_json::json!([1, 0, 3, 1, 0]));
    assert_eq!(t["received"], 4);
    assert_eq!(t["acknowledged"], 4);
    assert_eq!(share(&t["ack_on_time"]), 0.75);
    assert_eq!(
        t["median_ack_days"],
        serde_json::json!({ "Days": 2.5 }),
        "2, 2, 3, 4"
    );
    assert_eq!(t["responded"], 3);
    // R1 and R4 of R1, R2, R4 and R3 (never answered, due yesterday: late).
    assert_eq!(t["resp_lapsed"], 1);
    assert_eq!(share(&t["resp_on_time"]), 0.5);
    assert_eq!(
        t["median_resp_days"],
        serde_json::json!({ "Days": 9.0 }),
        "7, 9, 14"
    );
    assert_eq!(t["contested"], 1);
    assert_eq!(share(&t["contested_share"]), 0.333);
    assert_eq!(t["escalated"], 1);
    // Overdue today: R3 (due yesterday) and R2, contested, whose response deadline has passed
    // (a contested referral runs against it again); the oldest first.
    assert_eq!(t["overdue"], 2);
    assert_eq!(d["overdue_total"], 2);
    assert_eq!(d["overdue"][0]["reference"], "OBS-2026-900002");
    // Days late are working days (Malian holidays counted).
    let holidays = app::server::observations::holidays(&app.db)
        .await
        .expect("holidays");
    let today = Utc::now().date_naive();
    let late = |due: NaiveDate| {
        i64::from(app::domain::calendar::working_days_between(
            due, today, &holidays,
        ))
    };
    assert_eq!(d["overdue"][0]["days_late"], late(day("2026-04-03")));
    assert_eq!(d["overdue"][1]["reference"], "OBS-2026-900003");
    assert_eq!(d["overdue"][1]["days_late"], late(today - Days::new(1)));

    let police = group(&d["institutions"], "DGPN");
    assert_eq!(police["received"], 3);
    assert_eq!(
        police["observations_total"], 4,
        "O1 to O4 concern the police"
    );
    assert_eq!(share(&police["ack_on_time"]), 0.667);
    assert_eq!(
        share(&police["resp_on_time"]),
        0.333,
        "R1 of R1, R2 and R3 (lapsed)"
    );
    assert_eq!(
        police["median_ack_days"],
        serde_json::json!({ "Days": 3.0 })
    );
    assert_eq!(
        police["median_resp_days"],
        serde_json::json!({ "Days": 10.5 })
    );
    assert_eq!(police["overdue"], 2);
    assert_eq!(share(&police["contested_share"]), 0.5);
    let gendarmerie = group(&d["institutions"], "DGGN");
    assert_eq!(gendarmerie["received"], 1);
    assert_eq!(gendarmerie["observations_total"], 2, "O3 and O5");
    assert_eq!(gendarmerie["escalated"], 1);
    assert_eq!(
        gendarmerie["median_resp_days"],
        serde_json::json!({ "Days": 9.0 })
    );

    let months = &d["months"];
    assert_eq!(group(months, "2026-02")["observations_total"], 1);
    assert_eq!(group(months, "2026-03")["observations_total"], 4);
    assert_eq!(group(months, "2026-03")["received"], 4);

    let lens = &d["lens"];
    assert_eq!(group(lens, "womens")["observations_total"], 3);
    assert_eq!(group(lens, "womens")["received"], 3);
    assert_eq!(
        group(lens, "womens")["median_ack_days"],
        serde_json::json!({ "Days": 2.0 }),
        "3, 2, 2"
    );
    assert_eq!(group(lens, "other_organisations")["observations_total"], 2);
    assert_eq!(group(lens, "sensitive")["observations_total"], 2);
    assert_eq!(group(lens, "sensitive")["received"], 1);
    assert_eq!(group(lens, "other_categories")["received"], 3);

    // Filters combine, and agree with the breakdowns.
    let womens = dashboard(&mut monitor, &[("womens", "true")]).await;
    assert_eq!(womens["totals"]["observations_total"], 3);
    assert_eq!(
        womens["totals"]["median_resp_days"],
        serde_json::json!({ "Days": 8.0 }),
        "7, 9"
    );
    let sensitive_womens =
        dashboard(&mut monitor, &[("womens", "true"), ("sensitive", "true")]).await;
    assert_eq!(
        sensitive_womens["totals"]["observations_total"], 1,
        "O1 only"
    );
    let march = dashboard(&mut monitor, &[("from", "2026-03"), ("to", "2026-03")]).await;
    assert_eq!(
        march["totals"]["observations_total"], 4,
        "O5 was filed in February"
    );
    assert_eq!(march["totals"]["received"], 4);
    let gendarmerie_id = ids.gendarmerie.to_string();
    let only_gendarmerie = dashboard(&mut monitor, &[("institution", &gendarmerie_id)]).await;
    assert_eq!(only_gendarmerie["totals"]["observations_total"], 2);
    assert_eq!(only_gendarmerie["totals"]["received"], 1);
    assert_eq!(only_gendarmerie["totals"]["overdue"], 0);
    let segou = dashboard(&mut monitor, &[("region", "ML-4")]).await;
    assert_eq!(segou["totals"]["observations_total"], 1);
    assert_eq!(segou["totals"]["received"], 2);
    assert_eq!(segou["totals"]["overdue"], 1);
    let kayes_sensitive = dashboard(
        &mut monitor,
        &[("region", "ML-1"), ("category", &ids.sensitive.to_string())],
    )
    .await;
    assert_eq!(
        kayes_sensitive["totals"]["observations"],
        serde_json::json!([0, 0, 1, 1, 0])
    );
    let by_category = group(&d["categories"], &ids.sensitive.to_string());
    assert_eq!(by_category["observations_total"], 2);

    // Bad input is a clear error, not a guess.
    let (status, body) = monitor
        .call("get_dashboard", &[("filter[from]", "2026-13")])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _) = monitor
        .call(
            "get_dashboard",
            &[("filter[from]", "2026-05"), ("filter[to]", "2026-01")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = monitor
        .call(
            "get_dashboard",
            &[("filter[institution]", &Uuid::new_v4().to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // A liaison sees their institution's referrals, whatever they ask for.
    let mut liaison = signed_in(&app, POLICE).await;
    let own = dashboard(&mut liaison, &[("institution", &gendarmerie_id)]).await;
    assert_eq!(own["shows_observations"], false);
    assert_eq!(own["totals"]["received"], 3, "the police's three referrals");
    assert_eq!(
        own["totals"]["observations_total"], 0,
        "no observation counts"
    );
    assert_eq!(own["institutions"].as_array().expect("list").len(), 1);
    // Whether a women's organisation filed says something of the filer: a liaison gets neither
    // that lens nor that filter.
    let lens: Vec<&str> = own["lens"]
        .as_array()
        .expect("lens")
        .iter()
        .filter_map(|g| g["key"].as_str())
        .collect();
    assert_eq!(lens, ["sensitive", "other_categories"]);
    assert_eq!(
        (own["lens"][0]["figures"]["received"].as_i64())
            .zip(own["lens"][1]["figures"]["received"].as_i64()),
        Some((1, 2)),
        "R1 is about a sensitive category, R2 and R3 are not"
    );
    let (status, body) = liaison
        .call("get_dashboard", &[("filter[womens]", "true")])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, page) = liaison.page("/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("name=\"sensitive\""),
        "the sensitive filter stays"
    );
    assert!(
        !page.contains("name=\"womens\""),
        "no women's filter: {page}"
    );
    assert!(
        own["overdue"][0]["link"]
            .as_str()
            .expect("link")
            .starts_with("/referrals/")
    );
    let text = own.to_string();
    assert!(!text.contains("DGGN"), "nothing of the gendarmerie: {text}");

    // A CSO sees its own organisation's figures.
    let mut member = signed_in(&app, MEMBER).await;
    let mine = dashboard(&mut member, &[]).await;
    assert_eq!(mine["totals"]["observations_total"], 3, "O1, O3, O5");
    assert_eq!(mine["totals"]["received"], 3);
    assert_eq!(mine["totals"]["overdue"], 1);

    // Admins hold no case data.
    let mut admin = signed_in(&app, "admin@veille.test").await;
    let (status, _) = admin.call("get_dashboard", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The page itself, without JavaScript.
    let (status, page) = monitor.page("/dashboard?womens=1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Regard sur le genre"), "French headings");
    assert!(page.contains("<svg"), "charts drawn on the server");
    assert!(page.contains("OBS-2026-900003"), "the overdue list");
    app.finish().await;
}
on_both_databases!(measures_match_a_hand_computed_fixture);

/// Every cell of the cube, in a comparable form.
async fn cube(db: &DatabaseConnection) -> Vec<String> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            backend,
            "SELECT * FROM stat_cells".to_string(),
        ))
        .await
        .expect("cells");
    let columns = app::domain::statistics::Measures::columns();
    let mut cells: Vec<String> = rows
        .iter()
        .map(|row| {
            let key: Vec<String> = ["month", "institution", "place", "category"]
                .iter()
                .map(|c| row.try_get::<String>("", c).expect("key"))
                .collect();
            let flags = [
                row.try_get::<bool>("", "womens").expect("womens"),
                row.try_get::<bool>("", "sensitive").expect("sensitive"),
            ];
            let values: Vec<i64> = columns
                .iter()
                .map(|c| row.try_get::<i64>("", c).expect("measure"))
                .collect();
            format!("{key:?} {flags:?} {values:?}")
        })
        .filter(|line| !line.ends_with(&format!("{:?}", vec![0i64; columns.len()])))
        .collect();
    cells.sort();
    cells
}

async fn running_counts_equal_a_recount(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut member = signed_in(&app, MEMBER).await;
    let mut monitor = signed_in(&app, MONITOR).await;
    let mut police = signed_in(&app, POLICE).await;
    let c = choices(&mut member).await;
    let first = file_observation(
        &mut member,
        "Détention sans jugement",
        "Trois semaines de garde à vue.",
    )
    .await;
    let second = file_observation(&mut member, "Racket", "Des agents exigent de l'argent.").await;
    forward(
        &mut monitor,
        &first,
        &c.police,
        "Détention",
        "Garde à vue prolongée.",
    )
    .await;
    forward(
        &mut monitor,
        &first,
        &c.gendarmerie,
        "Détention",
        "Garde à vue prolongée.",
    )
    .await;
    let referral = referral_of(&mut monitor, &first, "DGPN").await;
    let page = format!("/referrals/{referral}");
    for (action, note) in [("acknowledge", ""), ("start", ""), ("respond", "Libéré.")] {
        act(
            &mut police,
            &page,
            "referral_action",
            &[("id", &referral), ("action", action), ("note", note)],
        )
        .await;
    }
    act(
        &mut member,
        &format!("/observations/{first}"),
        "referral_action",
        &[
            ("id", &referral),
            ("action", "contest"),
            ("note", "Toujours détenu."),
        ],
    )
    .await;
    act(
        &mut monitor,
        &format!("/observations/{second}"),
        "observation_action",
        &[
            ("id", &second),
            ("action", "decline"),
            ("note", "Hors mandat."),
        ],
    )
    .await;

    let running = cube(&app.db).await;
    assert!(!running.is_empty());
    let d = dashboard(&mut monitor, &[]).await;
    assert_eq!(d["totals"]["observations_total"], 2);
    assert_eq!(d["totals"]["received"], 2);
    assert_eq!(d["totals"]["responded"], 1);
    assert_eq!(d["totals"]["contested"], 1);
    app::server::statistics::rebuild(&app.db)
        .await
        .expect("rebuild");
    assert_eq!(
        running,
        cube(&app.db).await,
        "the running cube equals a recount"
    );
    app.finish().await;
}
on_both_databases!(running_counts_equal_a_recount);

async fn exports_are_exact_scoped_and_audited(backend: Backend) {
    let app = start(backend).await;
    let ids = fixture(&app).await;
    // Names chosen to test the quoting: a separator and quotes, and an accent (Ségou).
    for (id, name) in [
        (ids.plain, "Extorsion; \"racket\""),
        (ids.sensitive, "Violences basées sur le genre"),
    ] {
        let row = category::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .expect("query")
            .expect("category");
        let mut model: category::ActiveModel = row.into();
        model.name_fr = Set(name.into());
        model.update(&app.db).await.expect("rename");
    }
    let mut monitor = signed_in(&app, MONITOR).await;
    let response = monitor.get("/exports/observations?format=csv", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .expect("disposition")
            .starts_with("attachment;")
    );
    let bytes = response.bytes().await.expect("body");
    let expected = "\u{feff}reference;submitted_on;status;resolution;category;sensitive;region;cercle;institutions;referrals;womens_organisation;affected_women;affected_men;affected_girls;affected_boys\r\n\
        OBS-2026-900001;2026-03-20;Transmise;;Violences basées sur le genre;oui;Kayes;;DGPN;1;oui;0;0;0;0\r\n\
        OBS-2026-900002;2026-03-13;Transmise;;\"Extorsion; \"\"racket\"\"\";non;Kayes;;DGPN;1;non;0;0;0;0\r\n\
        OBS-2026-900003;2026-03-02;Transmise;;\"Extorsion; \"\"racket\"\"\";non;Ségou;;DGGN, DGPN;2;oui;0;0;0;0\r\n\
        OBS-2026-900004;2026-03-05;Refusée;;Violences basées sur le genre;oui;Kayes;;DGPN;0;non;0;0;0;0\r\n\
        OBS-2026-900005;2026-02-10;Déposée;;\"Extorsion; \"\"racket\"\"\";non;Kayes;;DGGN;0;oui;0;0;0;0\r\n";
    assert_eq!(String::from_utf8(bytes.to_vec()).expect("UTF-8"), expected);

    // Filtered, as JSON: women's organisations in March.
    let response = monitor
        .get(
            "/exports/observations?format=json&womens=1&from=2026-03&to=2026-03",
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let rows: Value = response.json().await.expect("json");
    let references: Vec<&str> = rows
        .as_array()
        .expect("array")
        .iter()
        .map(|r| r["reference"].as_str().expect("reference"))
        .collect();
    assert_eq!(references, ["OBS-2026-900001", "OBS-2026-900003"]);
    assert_eq!(rows[1]["referrals"], 2);

    // Each export is in the audit log: who, and which filter.
    let audited = app::server::entities::audit_entry::Entity::find()
        .filter(app::server::entities::audit_entry::Column::Action.eq("export"))
        .all(&app.db)
        .await
        .expect("audit");
    assert_eq!(audited.len(), 2);
    assert!(audited.iter().all(|a| a.actor_role == "monitor"));
    assert!(
        audited
            .iter()
            .any(|a| a.detail.as_deref() == Some("format=json&womens=1&from=2026-03&to=2026-03")),
        "{audited:?}"
    );

    // A liaison may not export observations, and exports only their own institution's line.
    let mut liaison = signed_in(&app, POLICE).await;
    let response = liaison.get("/exports/observations?format=csv", &[]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = liaison.get("/exports/institutions?format=csv", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("csv");
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[1].starts_with("DGPN;3;3;0,667;2;0,333;3;10,5;2;1;0"),
        "{text}"
    );
    let response = monitor.get("/exports/months?format=csv", &[]).await;
    let text = response.text().await.expect("csv");
    assert!(text.starts_with("\u{feff}month;received;"), "{text}");
    // French spreadsheets read a decimal comma; the same export in English has points, and
    // JSON keeps numbers whatever the language.
    assert!(
        text.contains("\r\n2026-03;4;4;0,750;3;0,500;2,5;9;"),
        "{text}"
    );
    let (status, _) = monitor.call("set_locale", &[("locale", "en")]).await;
    assert_eq!(status, StatusCode::OK);
    let response = monitor.get("/exports/months?format=csv", &[]).await;
    let text = response.text().await.expect("csv");
    assert!(
        text.contains("\r\n2026-03;4;4;0.750;3;0.500;2.5;9;"),
        "{text}"
    );
    let response = monitor.get("/exports/months?format=json", &[]).await;
    let months: Value = response.json().await.expect("JSON");
    let march = months
        .as_array()
        .expect("array")
        .iter()
        .find(|m| m["group"] == "2026-03")
        .expect("March");
    assert!(march["ack_on_time_share"].is_number(), "{march}");
    let (status, _) = monitor.call("set_locale", &[("locale", "fr")]).await;
    assert_eq!(status, StatusCode::OK);
    let response = monitor.get("/exports/secrets?format=csv", &[]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // Bad filters are refused in words, anonymous visitors are refused.
    let response = monitor
        .get("/exports/observations?format=csv&from=2026-13", &[])
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = app.browser().get("/exports/institutions", &[]).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    app.finish().await;
}
on_both_databases!(exports_are_exact_scoped_and_audited);

/// Whether some hidden entry of a published table could be worked out from its line: a row
/// (with its total) or a column (with its total) that hides exactly one entry.
fn derivable(table: &Value) -> Option<String> {
    let hidden = |v: &Value| v == "Hidden";
    let cells = table["cells"].as_array().expect("cells");
    let row_totals = table["row_totals"].as_array().expect("row totals");
    let column_totals = table["column_totals"].as_array().expect("column totals");
    for (r, row) in cells.iter().enumerate() {
        let row = row.as_array().expect("row");
        let n = row.iter().filter(|v| hidden(v)).count() + usize::from(hidden(&row_totals[r]));
        if n == 1 {
            return Some(format!("row {r}"));
        }
    }
    for (c, total) in column_totals.iter().enumerate() {
        let n = cells.iter().filter(|row| hidden(&row[c])).count() + usize::from(hidden(total));
        if n == 1 {
            return Some(format!("column {c}"));
        }
    }
    let n =
        column_totals.iter().filter(|v| hidden(v)).count() + usize::from(hidden(&table["total"]));
    (n == 1).then(|| "the totals row".to_string())
}

async fn the_public_page_hides_small_counts(backend: Backend) {
    let app = TestApp::start(backend).await;
    server::volume::observations(&app.db, 600, |_| {})
        .await
        .expect("generated observations");
    let mut visitor = app.browser();
    let (status, figures) = visitor.call("get_transparency", &[]).await;
    assert_eq!(status, StatusCode::OK, "{figures}");
    assert_eq!(figures["quarters"].as_array().expect("quarters").len(), 4);
    let mut hidden = 0;
    let mut shown = 0;
    for name in ["institutions", "categories", "regions"] {
        let table = &figures[name]["table"];
        let mut all: Vec<&Value> = table["cells"]
            .as_array()
            .expect("cells")
            .iter()
            .flat_map(|row| row.as_array().expect("row").iter())
            .collect();
        all.extend(table["row_totals"].as_array().expect("totals"));
        all.extend(table["column_totals"].as_array().expect("totals"));
        all.push(&table["total"]);
        for value in all {
            if value == "Hidden" {
                hidden += 1;
            } else {
                // Counts from 1 to 4 are hidden; a zero identifies nobody and reads 0.
                let n = value["Count"].as_i64().expect("a count");
                assert!(n == 0 || n >= 5, "{name}: {n} shown");
                shown += 1;
            }
        }
        assert_eq!(derivable(table), None, "{name}: {table}");
    }
    assert!(
        hidden > 0 && shown > 0,
        "the fixture has small and large cells ({hidden}, {shown})"
    );
    let text = figures.to_string();
    assert!(!text.contains("Observation fictive"), "no observation text");

    let (status, page) = visitor.page("/transparence").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Chiffres publics"));
    assert!(page.contains("&lt; 5"), "small counts shown as < 5");
    // Institutions by the names people know, never a bare acronym.
    let institutions = figures["institutions"]["rows"].to_string();
    assert!(
        institutions.contains("\"Police nationale\""),
        "{institutions}"
    );
    assert!(!institutions.contains("\"DGPN\""), "{institutions}");
    app.finish().await;
}
on_both_databases!(the_public_page_hides_small_counts);

/// The body of a compressed response, decompressed as a browser would.
fn decompressed(encoding: &str, bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    match encoding {
        "gzip" => flate2::read::GzDecoder::new(bytes).read_to_end(&mut out),
        "br" => brotli_decompressor::Decompressor::new(bytes, 4096).read_to_end(&mut out),
        other => panic!("unexpected encoding {other}"),
    }
    .unwrap_or_else(|e| panic!("{encoding}: {e}"));
    out
}

/// A category name a spreadsheet would run as a formula.
const FORMULA: &str = "=HYPERLINK(\"http://x.test\")";

async fn exports_arrive_whole_compressed_neutralised_and_audited_once_sent(backend: Backend) {
    let app = start(backend).await;
    let ids = fixture(&app).await;
    // More than a page of rows (2000 a page), so that the compressed body spans pages.
    server::volume::observations(&app.db, 2100, |_| {})
        .await
        .expect("volume");
    let row = category::Entity::find_by_id(ids.plain)
        .one(&app.db)
        .await
        .expect("query")
        .expect("category");
    let mut model: category::ActiveModel = row.into();
    model.name_fr = Set(FORMULA.into());
    model.name_en = Set(FORMULA.into());
    model.update(&app.db).await.expect("rename");
    let exported = {
        let backend = app.db.get_database_backend();
        let row = app
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                backend,
                "SELECT COUNT(*) FROM observations \
                 WHERE submitted_at IS NOT NULL AND reference IS NOT NULL",
            ))
            .await
            .expect("count")
            .expect("row");
        row.try_get_by_index::<i64>(0).expect("number") as usize
    };
    assert!(exported > 2000, "{exported}");
    let audited = |action: &'static str| {
        let db = app.db.clone();
        async move {
            app::server::entities::audit_entry::Entity::find()
                .filter(app::server::entities::audit_entry::Column::Action.eq(action))
                .all(&db)
                .await
                .expect("audit")
                .len()
        }
    };

    let mut monitor = signed_in(&app, MONITOR).await;
    // Uncompressed (the client asks for no encoding): every row, the formula neutralised.
    let path = "/exports/observations?format=csv";
    let (status, headers, plain) = monitor.download(path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get("content-encoding").is_none());
    let text = String::from_utf8(plain.clone()).expect("UTF-8");
    assert_eq!(text.trim_end().split("\r\n").count(), exported + 1);
    assert!(
        text.contains(";\"'=HYPERLINK(\"\"http://x.test\"\")\";"),
        "the formula, neutralised"
    );
    assert!(
        !text.contains(";=") && !text.contains(";\"="),
        "no cell starts with ="
    );
    // Compressed as every browser asks: the same bytes once decompressed.
    for encoding in ["gzip", "br"] {
        let response = monitor.get(path, &[("accept-encoding", encoding)]).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-encoding"], encoding);
        let bytes = response.bytes().await.expect("whole body");
        assert!(!bytes.is_empty(), "{encoding}: some bytes");
        assert_eq!(
            decompressed(encoding, &bytes),
            plain,
            "{encoding}: the whole file"
        );
    }
    // JSON, compressed: every row, the name as it is.
    let response = monitor
        .get(
            "/exports/observations?format=json",
            &[("accept-encoding", "gzip")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.expect("body");
    let rows: Value = serde_json::from_slice(&decompressed("gzip", &bytes)).expect("JSON");
    let rows = rows.as_array().expect("array");
    assert_eq!(rows.len(), exported);
    let o2 = rows
        .iter()
        .find(|r| r["reference"] == "OBS-2026-900002")
        .expect("O2");
    assert_eq!(o2["category"], FORMULA, "JSON unchanged");
    // An aggregate table, compressed: its labels neutralised too, unchanged in JSON.
    let response = monitor
        .get(
            "/exports/categories?format=csv",
            &[("accept-encoding", "gzip")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.expect("body");
    let table = String::from_utf8(decompressed("gzip", &bytes)).expect("UTF-8");
    assert!(
        table.contains("\r\n\"'=HYPERLINK(\"\"http://x.test\"\")\";"),
        "{table}"
    );
    let response = monitor.get("/exports/categories?format=json", &[]).await;
    let groups: Value = response.json().await.expect("JSON");
    assert!(
        groups
            .as_array()
            .expect("array")
            .iter()
            .any(|g| g["group"] == FORMULA),
        "{groups}"
    );
    // Six exports sent in full: each started and finished in the audit log.
    assert_eq!(audited("export_started").await, 6);
    assert_eq!(audited("export").await, 6);

    // Unknown formats are refused in words, for every export, and leave no trace.
    for path in [
        "/exports/observations?format=xml",
        "/exports/institutions?format=xlsx",
        "/exports/months?format=",
    ] {
        let response = monitor.get(path, &[("accept-encoding", "gzip")]).await;
        if path.ends_with('=') {
            // An empty format is the default, CSV.
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            response.bytes().await.expect("body");
            continue;
        }
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let encoded = response
            .headers()
            .get("content-encoding")
            .map(|v| v.to_str().expect("text").to_string());
        let bytes = response.bytes().await.expect("body");
        let body = match encoded {
            Some(encoding) => decompressed(&encoding, &bytes),
            None => bytes.to_vec(),
        };
        assert_eq!(
            String::from_utf8(body).expect("text"),
            "Format d'export inconnu : choisissez csv ou json.",
            "{path}"
        );
    }
    assert_eq!(audited("export_started").await, 7);
    assert_eq!(audited("export").await, 7);
    app.finish().await;
}
on_both_databases!(exports_arrive_whole_compressed_neutralised_and_audited_once_sent);

/// "Concerns this institution" is one condition for the list and the export: an institution id
/// that cannot be read is refused by both (400), never ignored, and the export refused leaves
/// nothing in the audit log; a known one selects the same observations in both.
async fn the_list_and_the_export_refuse_an_unreadable_institution_alike(backend: Backend) {
    let app = start(backend).await;
    let ids = fixture(&app).await;
    let mut monitor = signed_in(&app, MONITOR).await;
    for institution in ["DGPN", "not-a-uuid"] {
        let (status, body) = monitor
            .call("list_observations", &[("filter[institution]", institution)])
            .await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "list {institution}: {body}"
        );
        assert!(body.to_string().contains("error-choice-unknown"), "{body}");
        let response = monitor
            .get(
                &format!("/exports/observations?format=json&institution={institution}"),
                &[],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::BAD_REQUEST,
            "export {institution}"
        );
    }
    let started = app::server::entities::audit_entry::Entity::find()
        .filter(app::server::entities::audit_entry::Column::Action.eq("export_started"))
        .all(&app.db)
        .await
        .expect("audit");
    assert!(started.is_empty(), "refused exports are not audited");

    let police = ids.gendarmerie.to_string();
    let (status, listed) = monitor
        .call(
            "list_observations",
            &[("filter[institution]", police.as_str())],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    let mut listed: Vec<String> = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|o| o["reference"].as_str().expect("reference").to_string())
        .collect();
    let response = monitor
        .get(
            &format!("/exports/observations?format=json&institution={police}"),
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let exported: Value = response.json().await.expect("json");
    let mut exported: Vec<String> = exported
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["reference"].as_str().expect("reference").to_string())
        .collect();
    listed.sort();
    exported.sort();
    assert!(!exported.is_empty(), "the fixture names the gendarmerie");
    assert_eq!(listed, exported);
    app.finish().await;
}
on_both_databases!(the_list_and_the_export_refuse_an_unreadable_institution_alike);
