//! Cases in a sensitive category: seen at the NHRC and in institutions only by staff who hold
//! the "sensitive cases" permission (404 like a missing case elsewhere, absent from lists,
//! search, exports and mail; counted in the figures); who grants it, audited.

use app::server::entities::{audit_entry, notification, user};
use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use uuid::Uuid;

use crate::harness::{Backend, Browser, TestApp};
use crate::observations::{
    Choices, GENDARMERIE, MEMBER, MONITOR, POLICE, act, choices, filing, form_token, forward,
    observation_id, referral_of, signed_in,
};
use crate::on_both_databases;
use crate::scoping::comparable;

/// A second NHRC monitor, without the permission.
const MONITOR_B: &str = "analyste.b@cndh.test";
/// A second police liaison, without the permission.
const POLICE_B: &str = "liaison.b@police.test";
const ADMIN: &str = "admin@veille.test";
const SENSITIVE: &str = "Violences sexuelles et basées sur le genre";

async fn user_id(app: &TestApp, email: &str) -> String {
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&app.db)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("{email}"))
        .id
        .to_string()
}

/// Files an observation in `category` as the member; returns its id and reference.
async fn file_in(member: &mut Browser, c: &Choices, category: &str, title: &str) -> String {
    let token = form_token(member).await;
    let form = filing(
        &token,
        &Choices {
            category: category.to_string(),
            police: c.police.clone(),
            gendarmerie: c.gendarmerie.clone(),
        },
        title,
        "Description suffisamment longue des faits observés au poste.",
    )
    .text("intent", "submit");
    let response = member
        .upload("/observations/new", "/observations/save", form)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    observation_id(&response)
}

/// The category's id as the filing form offers it.
async fn category_id(browser: &mut Browser, name: &str) -> String {
    let (_, body) = browser.call("list_choices", &[]).await;
    body["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .find(|pair| pair[1] == name)
        .unwrap_or_else(|| panic!("{name}"))[0]
        .as_str()
        .expect("id")
        .to_string()
}

async fn reference(monitor: &mut Browser, id: &str) -> String {
    crate::observations::detail(monitor, id).await["reference"]
        .as_str()
        .expect("reference")
        .to_string()
}

/// The ids a list answer holds.
fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().expect("id").to_string())
        .collect()
}

/// Who the outbox holds rows for about observation `id`.
async fn mailed(app: &TestApp, id: &str) -> Vec<String> {
    let id = Uuid::parse_str(id).expect("uuid");
    let rows = notification::Entity::find()
        .filter(notification::Column::ObservationId.eq(id))
        .all(&app.db)
        .await
        .expect("outbox");
    let mut emails = Vec::new();
    for row in rows {
        let recipient = user::Entity::find_by_id(row.recipient_id)
            .one(&app.db)
            .await
            .expect("query")
            .expect("recipient");
        emails.push(recipient.email);
    }
    emails
}

async fn audited(app: &TestApp, action: &str, target: &str) -> Vec<audit_entry::Model> {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq(action))
        .filter(audit_entry::Column::TargetId.eq(target))
        .all(&app.db)
        .await
        .expect("audit")
}

/// A page and the same page for a missing id, compared as the scoping matrix does.
async fn hidden_like_missing(browser: &mut Browser, path: &str, id: &str) {
    let missing = Uuid::new_v4().to_string();
    let (status, page) = browser.page(&path.replace("{}", id)).await;
    let (missing_status, missing_page) = browser.page(&path.replace("{}", &missing)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    assert_eq!(missing_status, StatusCode::NOT_FOUND, "{path}");
    assert_eq!(
        comparable(&page, id),
        comparable(&missing_page, &missing),
        "{path}: a sensitive case answers like a missing one"
    );
}

async fn grant(browser: &mut Browser, from: &str, who: &str, grant: &str) {
    act(
        browser,
        from,
        "set_sensitive_access",
        &[("user_id", who), ("grant", grant)],
    )
    .await;
}

async fn sensitive_cases_are_seen_only_with_the_permission(backend: Backend) {
    // The deadline jobs would escalate the late referral and mail about it.
    let app = TestApp::builder(backend)
        .settings(|s| s.deadline_jobs = false)
        .start()
        .await;
    app.account(MONITOR_B, "monitor", None, None).await;
    app.account(POLICE_B, "liaison", None, Some("DGPN")).await;
    app.account(GENDARMERIE, "liaison", None, Some("DGGN"))
        .await;
    let mut member = signed_in(&app, MEMBER).await;
    let mut monitor = signed_in(&app, MONITOR).await;
    let mut monitor_b = signed_in(&app, MONITOR_B).await;
    let mut police = signed_in(&app, POLICE).await;
    let mut police_b = signed_in(&app, POLICE_B).await;
    let mut gendarmerie = signed_in(&app, GENDARMERIE).await;
    let c = choices(&mut member).await;
    let sensitive_category = category_id(&mut member, SENSITIVE).await;
    let police_id = user_id(&app, POLICE).await;
    let police_b_id = user_id(&app, POLICE_B).await;
    let monitor_id = user_id(&app, MONITOR).await;
    let monitor_b_id = user_id(&app, MONITOR_B).await;
    let gendarmerie_id = user_id(&app, GENDARMERIE).await;

    // The NHRC grants the police's coordinating liaison the permission; audited.
    grant(&mut monitor, "/monitoring/sensitive", &police_id, "grant").await;
    let entries = audited(&app, "sensitive_cases_granted", &police_id).await;
    assert_eq!(entries.len(), 1, "one audit entry");
    assert_eq!(
        entries[0].actor_id.map(|a| a.to_string()),
        Some(monitor_id.clone())
    );

    // One case in the sensitive category and one plain, both forwarded to the police.
    let sensitive = file_in(&mut member, &c, &sensitive_category, "Cas sensible").await;
    let plain = file_in(&mut member, &c, &c.category, "Cas ordinaire").await;
    for id in [&sensitive, &plain] {
        forward(
            &mut monitor,
            id,
            &c.police,
            "Titre transmis",
            "Description transmise.",
        )
        .await;
    }
    let reference = reference(&mut monitor, &sensitive).await;
    let plain_reference = crate::observations::detail(&mut monitor, &plain).await["reference"]
        .as_str()
        .expect("reference")
        .to_string();
    let referral = referral_of(&mut monitor, &sensitive, "DGPN").await;
    let plain_referral = referral_of(&mut monitor, &plain, "DGPN").await;

    // Forwarded also to the gendarmerie, where nobody holds the permission: the NHRC is told.
    forward(
        &mut monitor,
        &sensitive,
        &c.gendarmerie,
        "Titre transmis",
        "Description transmise.",
    )
    .await;
    let d = crate::observations::detail(&mut monitor, &sensitive).await;
    assert_eq!(d["unread_at"], serde_json::json!(["DGGN"]), "{d}");
    let (_, page) = monitor.page(&format!("/observations/{sensitive}")).await;
    assert!(
        page.contains("Cas sensible : aucun officier de liaison de"),
        "the notice on the case page"
    );
    let gendarmerie_referral = referral_of(&mut monitor, &sensitive, "DGGN").await;
    let (status, _) = gendarmerie
        .call("get_referral", &[("id", &gendarmerie_referral)])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A monitor without the permission: nothing of it, like a missing case.
    let (status, _) = monitor_b
        .call("get_observation", &[("id", &sensitive)])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    hidden_like_missing(&mut monitor_b, "/observations/{}", &sensitive).await;
    let (status, _) = monitor_b.call("get_observation", &[("id", &plain)]).await;
    assert_eq!(status, StatusCode::OK);
    let (_, list) = monitor_b.call("list_observations", &[]).await;
    assert!(!ids(&list).contains(&sensitive), "{list}");
    assert!(ids(&list).contains(&plain), "{list}");
    let (_, found) = monitor_b
        .call("list_observations", &[("filter[q]", &reference)])
        .await;
    assert_eq!(found["total"], 0, "search finds nothing: {found}");
    let (status, _, csv) = monitor_b.download("/exports/observations?format=csv").await;
    assert_eq!(status, StatusCode::OK);
    let csv = String::from_utf8(csv).expect("csv");
    assert!(!csv.contains(&reference), "export rows: {csv}");
    assert!(csv.contains(&plain_reference), "export rows: {csv}");
    let (status, _) = monitor_b
        .call("add_note", &[("id", &sensitive), ("note", "Une note.")])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // With it: everything.
    let (status, _) = monitor.call("get_observation", &[("id", &sensitive)]).await;
    assert_eq!(status, StatusCode::OK);
    let (_, list) = monitor.call("list_observations", &[]).await;
    assert!(ids(&list).contains(&sensitive), "{list}");
    let (_, _, csv) = monitor.download("/exports/observations?format=csv").await;
    assert!(String::from_utf8(csv).expect("csv").contains(&reference));

    // The figures count it for both; the overdue list names it only to the permitted.
    crate::fixtures::an_overdue_referral(&app, &referral, 10).await;
    app::server::statistics::refresh(&app.db, Uuid::parse_str(&sensitive).expect("uuid"))
        .await
        .expect("refresh");
    let (_, with) = monitor.call("get_dashboard", &[]).await;
    let (_, without) = monitor_b.call("get_dashboard", &[]).await;
    assert_eq!(with["totals"]["received"], 3, "{with}");
    assert_eq!(without["totals"]["received"], 3, "{without}");
    assert_eq!(without["overdue_total"], 1, "{without}");
    let listed = |d: &Value| {
        d["overdue"]
            .as_array()
            .expect("overdue")
            .iter()
            .any(|o| o["reference"] == reference.as_str())
    };
    assert!(listed(&with), "{with}");
    assert!(!listed(&without), "{without}");

    // Liaisons: the permitted one reads the referral, the other gets a 404 and no list row.
    let (status, _) = police.call("get_referral", &[("id", &referral)]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = police_b.call("get_referral", &[("id", &referral)]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    hidden_like_missing(&mut police_b, "/referrals/{}", &referral).await;
    let (_, inbox) = police_b.call("list_referrals", &[]).await;
    assert!(!ids(&inbox).contains(&referral), "{inbox}");
    assert!(ids(&inbox).contains(&plain_referral), "{inbox}");
    let (_, own) = police_b.call("get_dashboard", &[]).await;
    assert!(!listed(&own), "{own}");

    // Mail about the sensitive case reaches only permitted staff (the organisation always);
    // about the plain one, everyone concerned.
    let to = mailed(&app, &sensitive).await;
    assert!(to.iter().any(|e| e == POLICE), "{to:?}");
    assert!(to.iter().any(|e| e == MONITOR), "{to:?}");
    assert!(to.iter().any(|e| e == MEMBER), "{to:?}");
    assert!(
        !to.iter()
            .any(|e| e == POLICE_B || e == MONITOR_B || e == GENDARMERIE),
        "{to:?}"
    );
    let to = mailed(&app, &plain).await;
    assert!(to.iter().any(|e| e == POLICE_B), "{to:?}");
    assert!(to.iter().any(|e| e == MONITOR_B), "{to:?}");

    // The coordinating liaison grants it within the institution; audited.
    let (status, page) = police.page("/institution/sensitive").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(POLICE_B), "the institution's liaisons listed");
    assert!(!page.contains(GENDARMERIE), "only the institution's own");
    grant(&mut police, "/institution/sensitive", &police_b_id, "grant").await;
    let entries = audited(&app, "sensitive_cases_granted", &police_b_id).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0].actor_id.map(|a| a.to_string()),
        Some(police_id.clone())
    );
    let (status, _) = police_b.call("get_referral", &[("id", &referral)]).await;
    assert_eq!(status, StatusCode::OK);
    let (_, inbox) = police_b.call("list_referrals", &[]).await;
    assert!(ids(&inbox).contains(&referral), "{inbox}");

    // Never across institutions (like a missing account), never by a liaison who does not
    // coordinate, never to oneself.
    let missing = Uuid::new_v4().to_string();
    let across = police
        .call(
            "set_sensitive_access",
            &[("user_id", &gendarmerie_id), ("grant", "grant")],
        )
        .await;
    let nobody = police
        .call(
            "set_sensitive_access",
            &[("user_id", &missing), ("grant", "grant")],
        )
        .await;
    assert_eq!(across.0, StatusCode::NOT_FOUND);
    assert_eq!(across, nobody);
    let (status, _) = police_b
        .call(
            "set_sensitive_access",
            &[("user_id", &police_id), ("grant", "revoke")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = monitor
        .call(
            "set_sensitive_access",
            &[("user_id", &monitor_id), ("grant", "revoke")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.to_string().contains("error-sensitive-self"), "{body}");
    // A monitor without the permission cannot hand it on: not to a monitor, themself
    // included, not to a liaison, and names no coordinating liaison.
    for target in [&monitor_id, &monitor_b_id, &gendarmerie_id] {
        let (status, body) = monitor_b
            .call(
                "set_sensitive_access",
                &[("user_id", target), ("grant", "grant")],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    }
    let (status, body) = monitor_b
        .call(
            "set_coordinating_liaison",
            &[("user_id", &gendarmerie_id), ("coordinating", "yes")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, access) = gendarmerie.call("list_sensitive_access", &[]).await;
    assert_eq!(status, StatusCode::OK, "a liaison sees their colleagues");
    assert!(!access.to_string().contains(POLICE), "{access}");
    assert!(
        audited(&app, "sensitive_cases_granted", &monitor_b_id)
            .await
            .is_empty()
    );

    // A monitor who holds it grants it to another monitor, who then reads the case; revoking
    // closes it again.
    grant(
        &mut monitor,
        "/monitoring/sensitive",
        &monitor_b_id,
        "grant",
    )
    .await;
    let (status, _) = monitor_b
        .call("get_observation", &[("id", &sensitive)])
        .await;
    assert_eq!(status, StatusCode::OK);
    grant(
        &mut monitor,
        "/monitoring/sensitive",
        &monitor_b_id,
        "revoke",
    )
    .await;
    let (status, _) = monitor_b
        .call("get_observation", &[("id", &sensitive)])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        audited(&app, "sensitive_cases_revoked", &monitor_b_id)
            .await
            .len(),
        1
    );

    // The audit log says it in words.
    let (status, page) = monitor.page("/audit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Permission «\u{a0}cas sensibles\u{a0}» accordée"),
        "audit log in words"
    );
    // The forward of the sensitive case is named by its reference; linked only for a reader
    // who may open it.
    let forwarded = |log: &Value| -> Vec<Value> {
        log["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .filter(|e| e["action"] == "forward" && e["target"] == reference.as_str())
            .map(|e| e["link"].clone())
            .collect()
    };
    let filter = [("filter[action]", "forward")];
    let (_, log) = monitor.call("list_audit_entries", &filter).await;
    assert_eq!(
        forwarded(&log),
        vec![Value::String(format!("/observations/{sensitive}")); 2],
        "{log}"
    );
    // Without the permission: neither its reference nor a link, a neutral label instead.
    let (_, log) = monitor_b.call("list_audit_entries", &filter).await;
    assert!(forwarded(&log).is_empty(), "{log}");
    assert!(!log.to_string().contains(&reference), "{log}");
    let neutral: Vec<&Value> = log["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["target_key"] == "audit-sensitive-case")
        .collect();
    assert_eq!(neutral.len(), 2, "{log}");
    assert!(neutral.iter().all(|e| e["link"].is_null()), "{log}");
    let (status, page) = monitor_b.page("/audit?action=forward").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains(&reference), "the reference on the page");
    assert!(
        page.contains("<span class=\"reference\">Cas sensible</span>"),
        "the neutral label on the page"
    );

    // The organisation always sees its own case.
    let (status, _) = member.call("get_observation", &[("id", &sensitive)]).await;
    assert_eq!(status, StatusCode::OK);
    app.finish().await;
}
on_both_databases!(sensitive_cases_are_seen_only_with_the_permission);

/// The permission's endpoints, per role: who may list and change what (the ids are a police
/// liaison without the permission; anyone may not answers like a missing account or refuses).
async fn the_permission_endpoints_by_role(backend: Backend) {
    let app = TestApp::start(backend).await;
    app.account(POLICE_B, "liaison", None, Some("DGPN")).await;
    let target = user_id(&app, POLICE_B).await;
    let roles: [(&str, Option<&str>); 5] = [
        ("anonymous", None),
        ("cso", Some(MEMBER)),
        ("liaison", Some(POLICE)),
        ("monitor", Some(MONITOR)),
        ("admin", Some(ADMIN)),
    ];
    // The police liaison coordinates but holds no permission: it may not grant.
    let matrix: [(&str, &[(&str, &str)], [u16; 5]); 4] = [
        ("list_sensitive_access", &[], [401, 403, 200, 200, 403]),
        (
            "set_sensitive_access",
            &[("grant", "grant")],
            [401, 403, 403, 200, 403],
        ),
        (
            "set_coordinating_liaison",
            &[("coordinating", "yes")],
            [401, 403, 403, 200, 403],
        ),
        (
            "set_sensitive_access",
            &[("grant", "peut-être")],
            [401, 403, 403, 400, 403],
        ),
    ];
    let mut failures = Vec::new();
    for (role, email) in roles.iter() {
        let mut browser = match email {
            Some(email) => signed_in(&app, email).await,
            None => app.browser(),
        };
        for (i, (endpoint, extra, expected)) in matrix.iter().enumerate() {
            let column = roles.iter().position(|(r, _)| r == role).expect("role");
            let mut form = vec![("user_id", target.as_str())];
            form.extend_from_slice(extra);
            let (status, body) = browser.call(endpoint, &form).await;
            if status.as_u16() != expected[column] {
                failures.push(format!(
                    "row {i} {endpoint} as {role}: {status} {body}, expected {}",
                    expected[column]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The pages: each role its own.
    let mut monitor = signed_in(&app, MONITOR).await;
    let (status, page) = monitor.page("/monitoring/sensitive").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(POLICE_B), "liaisons listed");
    assert!(
        page.contains("Retirer la permission"),
        "the grant above shows"
    );
    assert_eq!(
        audited(&app, "coordinating_liaison_named", &target)
            .await
            .len(),
        1
    );
    // The liaison the monitor named coordinator and granted may now grant; the one without
    // the permission reads who may.
    let mut named = signed_in(&app, POLICE_B).await;
    let (status, page) = named.page("/institution/sensitive").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Accorder la permission"), "may grant");
    let mut police = signed_in(&app, POLICE).await;
    let (_, page) = police.page("/institution/sensitive").await;
    // It coordinates the institution: told directly that only the NHRC grants it to them.
    assert!(
        page.contains("seule la CNDH peut vous l'accorder"),
        "read only"
    );
    assert!(!page.contains("Accorder la permission"), "no form");
    app.finish().await;
}
on_both_databases!(the_permission_endpoints_by_role);

/// The tip whose text holds `marker`.
async fn tip_with(app: &TestApp, marker: &str) -> app::server::entities::tip::Model {
    app::server::entities::tip::Entity::find()
        .all(&app.db)
        .await
        .expect("tips")
        .into_iter()
        .find(|t| t.body.contains(marker))
        .unwrap_or_else(|| panic!("the tip {marker}"))
}

/// The tip links of a monitor's work queue, and its total.
async fn queued_tips(monitor: &mut Browser) -> (Vec<String>, u64) {
    let (status, queue) = monitor.call("work_queue", &[]).await;
    assert_eq!(status, StatusCode::OK, "{queue}");
    let mut links: Vec<String> = queue["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .filter(|s| s["bucket"] == "tips")
        .flat_map(|s| s["items"].as_array().expect("items").clone())
        .map(|i| i["href"].as_str().expect("href").to_string())
        .collect();
    links.sort();
    let total = queue["total"].as_u64().expect("total");
    let (status, count) = monitor.call("queue_count", &[]).await;
    assert_eq!((status, count.as_u64()), (StatusCode::OK, Some(total)));
    (links, total)
}

/// Who the outbox holds rows for about tip `id`, with which template.
async fn tip_mailed(app: &TestApp, id: Uuid) -> Vec<(String, String)> {
    let rows = notification::Entity::find()
        .filter(notification::Column::TipId.eq(id))
        .all(&app.db)
        .await
        .expect("outbox");
    let mut sent = Vec::new();
    for row in rows {
        let recipient = user::Entity::find_by_id(row.recipient_id)
            .one(&app.db)
            .await
            .expect("query")
            .expect("recipient");
        sent.push((recipient.email, row.template));
    }
    sent.sort();
    sent
}

/// A tip in a sensitive category, and a tip the NHRC made into a case it then filed under a
/// sensitive category (answered by its tipster after): a monitor without the permission has
/// nothing of them (queue, count, list, page and actions answer like a missing tip; no mail,
/// and the audit log does not name the case); with the permission, everything.
async fn sensitive_tips_are_seen_only_with_the_permission(backend: Backend) {
    use crate::tip_thread::{open, send_tip_in};
    use app::server::entities::observation;
    let app = TestApp::start(backend).await;
    app.account(MONITOR_B, "monitor", None, None).await;
    let mut member = signed_in(&app, MEMBER).await;
    let mut monitor = signed_in(&app, MONITOR).await;
    let mut monitor_b = signed_in(&app, MONITOR_B).await;
    let c = choices(&mut member).await;
    let sensitive_category = category_id(&mut member, SENSITIVE).await;
    send_tip_in(
        &mut app.browser(),
        "Une femme a été agressée au poste (TIP-SENSIBLE).",
        &sensitive_category,
    )
    .await;
    let mut tipster = app.browser();
    let receipt = send_tip_in(
        &mut tipster,
        "Un détenu est battu chaque nuit (TIP-CONVERTI).",
        &c.category,
    )
    .await;
    send_tip_in(
        &mut app.browser(),
        "Des agents rackettent au marché (TIP-ORDINAIRE).",
        &c.category,
    )
    .await;
    let sensitive = tip_with(&app, "TIP-SENSIBLE").await.id;
    let converted = tip_with(&app, "TIP-CONVERTI").await.id;
    let plain = tip_with(&app, "TIP-ORDINAIRE").await.id;

    // The NHRC makes a case of the second and files it under the sensitive category (as its
    // own reading of the facts); the tipster answers after.
    let response = monitor
        .submit(
            &format!("/tips/{converted}"),
            "convert_tip",
            &[("id", &converted.to_string())],
        )
        .await;
    let case = crate::harness::location(&response)
        .strip_prefix("/observations/")
        .expect("to the observation")
        .to_string();
    let case_id = Uuid::parse_str(&case).expect("uuid");
    observation::Entity::update_many()
        .col_expr(
            observation::Column::CategoryId,
            Expr::value(Uuid::parse_str(&sensitive_category).expect("uuid")),
        )
        .filter(observation::Column::Id.eq(case_id))
        .exec(&app.db)
        .await
        .expect("recategorised");
    let case_reference = reference(&mut monitor, &case).await;
    open(&mut tipster, &receipt).await;
    let (status, body) = tipster
        .call("reply_tip", &[("body", "Cela continue chaque nuit.")])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(tip_with(&app, "TIP-CONVERTI").await.status, "answered");
    let link = |id: Uuid| format!("/tips/{id}");

    // With the permission: all three in the queue and the list, each one readable.
    let (links, _) = queued_tips(&mut monitor).await;
    let mut all = vec![link(sensitive), link(converted), link(plain)];
    all.sort();
    assert_eq!(links, all);
    let (_, list) = monitor.call("list_tips", &[]).await;
    assert_eq!(list.as_array().expect("tips").len(), 3, "{list}");
    for id in [sensitive, converted] {
        let (status, _) = monitor.call("get_tip", &[("id", &id.to_string())]).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = monitor.page(&link(id)).await;
        assert_eq!(status, StatusCode::OK);
    }

    // Without it: only the plain tip, counted alike; the others like missing tips.
    let (links, total) = queued_tips(&mut monitor_b).await;
    assert_eq!(links, vec![link(plain)]);
    assert_eq!(total, 1, "the navigation counts the plain tip only");
    let (_, list) = monitor_b.call("list_tips", &[]).await;
    let listed: Vec<&str> = list
        .as_array()
        .expect("tips")
        .iter()
        .map(|t| t["id"].as_str().expect("id"))
        .collect();
    let plain_id = plain.to_string();
    assert_eq!(listed, vec![plain_id.as_str()], "{list}");
    let missing = Uuid::new_v4().to_string();
    for id in [sensitive, converted] {
        let id = id.to_string();
        for (endpoint, extra) in [
            ("get_tip", None),
            ("ask_tip", Some(("body", "Pouvez-vous préciser le lieu ?"))),
            ("convert_tip", None),
            ("close_tip", None),
        ] {
            let mut form = vec![("id", id.as_str())];
            form.extend(extra);
            let hidden = monitor_b.call(endpoint, &form).await;
            let mut form = vec![("id", missing.as_str())];
            form.extend(extra);
            let absent = monitor_b.call(endpoint, &form).await;
            assert_eq!(hidden.0, StatusCode::NOT_FOUND, "{endpoint}: {}", hidden.1);
            assert_eq!(hidden, absent, "{endpoint}: like a missing tip");
        }
        hidden_like_missing(&mut monitor_b, "/tips/{}", &id).await;
    }
    // Nothing changed by those attempts.
    assert_eq!(tip_with(&app, "TIP-SENSIBLE").await.status, "new");
    assert_eq!(tip_with(&app, "TIP-CONVERTI").await.status, "answered");

    // Mail: the sensitive tip and the answer on the sensitive case reach the permitted only
    // (the answer within the hour waits for its turn); the plain tip, every monitor.
    let received = |to: &str| (to.to_string(), "tip_received".to_string());
    assert_eq!(tip_mailed(&app, sensitive).await, vec![received(MONITOR)]);
    assert_eq!(
        tip_mailed(&app, plain).await,
        vec![received(MONITOR_B), received(MONITOR)]
            .into_iter()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    );
    let replies: Vec<(String, String)> = tip_mailed(&app, converted)
        .await
        .into_iter()
        .filter(|(_, template)| template == "tip_reply")
        .collect();
    assert_eq!(
        replies,
        vec![(MONITOR.to_string(), "tip_reply".to_string())]
    );

    // The audit log names the case made of the tip only to the permitted.
    let filter = [("filter[action]", "tip_converted")];
    let (_, log) = monitor.call("list_audit_entries", &filter).await;
    assert_eq!(
        log["entries"][0]["detail"],
        case_reference.as_str(),
        "{log}"
    );
    let (_, log) = monitor_b.call("list_audit_entries", &filter).await;
    assert_eq!(log["entries"].as_array().map(Vec::len), Some(1), "{log}");
    assert!(!log.to_string().contains(&case_reference), "{log}");
    app.finish().await;
}
on_both_databases!(sensitive_tips_are_seen_only_with_the_permission);
