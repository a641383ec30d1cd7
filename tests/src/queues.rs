//! Each role's work queue on a fixture with one case in each waiting state: every expected item
//! in its group, nothing outside the role's scope, the number in the navigation equal to the
//! items on the page; and the NHRC closing a contested referral directly, audited.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::StatusCode;
use reqwest::multipart::Form;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

use crate::harness::{Backend, Browser, TestApp, location};
use crate::observations::{
    GENDARMERIE, MEMBER, MONITOR, OTHER_CSO, POLICE, choices, detail, file_observation, filing,
    form_token, forward, observation_id, referral_of, signed_in, step,
};
use crate::on_both_databases;

const COORDINATOR: &str = "coordinatrice@femmes-kayes.test";
const ADMIN: &str = "admin@veille.test";
const OTHER_ORGANISATION: &str = "Réseau citoyen de veille de Mopti (fictif)";

/// The groups of a queue as the server function gives them: group → the items' links.
type Groups = BTreeMap<String, BTreeSet<String>>;

async fn queue(browser: &mut Browser, filter: &[(&str, &str)]) -> (Value, Groups) {
    let (status, body) = browser.call("work_queue", filter).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut groups = Groups::new();
    for section in body["sections"].as_array().expect("sections") {
        let items = section["items"].as_array().expect("items");
        assert_eq!(
            section["total"].as_u64(),
            Some(items.len() as u64),
            "a short group shows all its items: {section}"
        );
        let links: BTreeSet<String> = items
            .iter()
            .map(|i| i["href"].as_str().expect("href").to_string())
            .collect();
        if !links.is_empty() {
            groups.insert(
                section["bucket"].as_str().expect("bucket").to_string(),
                links,
            );
        }
    }
    (body, groups)
}

fn expected(groups: &[(&str, &[&String])]) -> Groups {
    groups
        .iter()
        .map(|(group, links)| {
            (
                group.to_string(),
                links.iter().map(|l| l.to_string()).collect(),
            )
        })
        .collect()
}

/// How many distinct cases the groups hold: each waiting case is in one group only, so the
/// queue's total (the navigation's number) must equal it.
fn distinct(groups: &Groups) -> u64 {
    groups.values().flatten().collect::<BTreeSet<_>>().len() as u64
}

/// How an item of `bucket` linked to `href` says it waits (`Since`, `DueIn`, `LateBy`).
fn clock(body: &Value, bucket: &str, href: &str) -> String {
    body["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .filter(|s| s["bucket"] == bucket)
        .flat_map(|s| s["items"].as_array().expect("items").iter())
        .find(|i| i["href"] == href)
        .and_then(|i| i["waiting"].as_object())
        .and_then(|w| w.keys().next().cloned())
        .unwrap_or_else(|| panic!("{href} in {bucket}: {body}"))
}

/// The landing page: the number the navigation shows beside "À traiter" equals the items
/// listed on the page and the queue's total; returns the page.
async fn landing(browser: &mut Browser, path: &str, total: u64) -> String {
    let (status, page) = browser.page(path).await;
    assert_eq!(status, StatusCode::OK, "{path}");
    assert!(
        page.contains(&format!("À traiter ({total})")),
        "{path}: the navigation says {total}"
    );
    assert_eq!(
        page.matches("class=\"queue-item\"").count() as u64,
        total,
        "{path}: the items on the page"
    );
    page
}

async fn a_draft(member: &mut Browser, title: &str) -> String {
    let c = choices(member).await;
    let token = form_token(member).await;
    let form =
        filing(&token, &c, title, "Brouillon commencé, pas encore déposé.").text("intent", "draft");
    let response = member
        .upload("/observations/new", "/observations/save", form)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    observation_id(&response)
}

async fn a_tip(app: &TestApp) {
    let form = Form::new()
        .text(
            "body",
            "Des agents rackettent les passagers au poste de Kati.",
        )
        .text("category_id", "")
        .text("institution_id", "")
        .text("region_code", "ML-1")
        .text("website", "");
    let response = app
        .browser()
        .upload("/signalement", "/signalement/envoyer", form)
        .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{}",
        location(&response)
    );
}

/// Moves `referral`'s response deadline to `days` working days from today or less (the
/// calendar ones are enough: at most as many working days).
async fn respond_due_in(app: &TestApp, referral: &str, days: u64) {
    respond_due_on(
        app,
        referral,
        app::server::observations::today() + chrono::Days::new(days),
    )
    .await;
}

/// Moves `referral`'s response deadline `days` calendar days into the past (within the grace
/// before it escalates by itself).
async fn respond_due_ago(app: &TestApp, referral: &str, days: u64) {
    respond_due_on(
        app,
        referral,
        app::server::observations::today() - chrono::Days::new(days),
    )
    .await;
}

async fn respond_due_on(app: &TestApp, referral: &str, due: chrono::NaiveDate) {
    crate::fixtures::deadlines_moved(app, referral, None, Some(due)).await;
}

async fn each_roles_queue_holds_its_waiting_cases(backend: Backend) {
    let app = TestApp::start(backend).await;
    app.account(GENDARMERIE, "liaison", None, Some("DGGN"))
        .await;
    app.account(OTHER_CSO, "cso_member", Some(OTHER_ORGANISATION), None)
        .await;
    let mut member = signed_in(&app, MEMBER).await;
    let mut monitor = signed_in(&app, MONITOR).await;
    let mut police = signed_in(&app, POLICE).await;
    let mut gendarmerie = signed_in(&app, GENDARMERIE).await;
    let mut other_cso = signed_in(&app, OTHER_CSO).await;
    let mut coordinator = signed_in(&app, COORDINATOR).await;
    let c = choices(&mut member).await;
    let obs = |id: &str| format!("/observations/{id}");
    let page_of = |id: &str| format!("/observations/{id}");
    let description = "Des faits rapportés par plusieurs témoins au marché de Kayes.";

    // Forwarded to the police, the referral's id.
    async fn referred(
        member: &mut Browser,
        monitor: &mut Browser,
        police: &str,
        title: &str,
    ) -> (String, String) {
        let id =
            file_observation(member, title, "Des faits rapportés par plusieurs témoins.").await;
        forward(
            monitor,
            &id,
            police,
            title,
            "Des faits rapportés par plusieurs témoins.",
        )
        .await;
        let referral = referral_of(monitor, &id, "DGPN").await;
        (id, referral)
    }
    let ack = |r: &str| format!("/referrals/{r}");

    // The NHRC's waiting states.
    let triage = file_observation(&mut member, "À examiner", description).await;
    let clarified = file_observation(&mut member, "Complétée", description).await;
    step(
        &mut monitor,
        &page_of(&clarified),
        "observation_action",
        &clarified,
        "ask_info",
        Some("Quelle date exactement ?"),
    )
    .await;
    step(
        &mut member,
        &page_of(&clarified),
        "observation_action",
        &clarified,
        "clarify",
        Some("Le 2 novembre au matin."),
    )
    .await;
    let asked = file_observation(&mut member, "Question de la CNDH", description).await;
    step(
        &mut monitor,
        &page_of(&asked),
        "observation_action",
        &asked,
        "ask_info",
        Some("Combien de personnes ?"),
    )
    .await;
    let closed = file_observation(&mut member, "Clôturée", description).await;
    act_close(&mut monitor, &closed).await;

    // Referrals, each in one state.
    let (fresh, fresh_r) = referred(&mut member, &mut monitor, &c.police, "Nouvelle").await;
    let (late, late_r) = referred(&mut member, &mut monitor, &c.police, "En retard").await;
    crate::fixtures::an_overdue_referral(&app, &late_r, 3).await;
    let (question, question_r) = referred(&mut member, &mut monitor, &c.police, "Question").await;
    step(
        &mut police,
        &ack(&question_r),
        "referral_action",
        &question_r,
        "acknowledge",
        None,
    )
    .await;
    step(
        &mut police,
        &ack(&question_r),
        "referral_action",
        &question_r,
        "ask_info",
        Some("Le nom du poste ?"),
    )
    .await;
    let (answered, answered_r) =
        referred(&mut member, &mut monitor, &c.police, "Complétée police").await;
    step(
        &mut police,
        &ack(&answered_r),
        "referral_action",
        &answered_r,
        "acknowledge",
        None,
    )
    .await;
    step(
        &mut police,
        &ack(&answered_r),
        "referral_action",
        &answered_r,
        "ask_info",
        Some("Le nom du poste ?"),
    )
    .await;
    step(
        &mut member,
        &page_of(&answered),
        "referral_action",
        &answered_r,
        "clarify",
        Some("Le poste de la sortie est."),
    )
    .await;
    let mut responded = Vec::new();
    for title in ["Répondue", "Contestée", "Acceptée"] {
        let (id, r) = referred(&mut member, &mut monitor, &c.police, title).await;
        step(
            &mut police,
            &ack(&r),
            "referral_action",
            &r,
            "acknowledge",
            None,
        )
        .await;
        step(
            &mut police,
            &ack(&r),
            "referral_action",
            &r,
            "respond",
            Some("Une enquête est ouverte."),
        )
        .await;
        responded.push((id, r));
    }
    let [(response, _), (contested, contested_r), (accepted, _)] =
        <[(String, String); 3]>::try_from(responded).expect("three");
    step(
        &mut member,
        &page_of(&contested),
        "referral_action",
        &contested_r,
        "contest",
        Some("Rien n'a changé."),
    )
    .await;
    let accepted_r = referral_of(&mut monitor, &accepted, "DGPN").await;
    step(
        &mut member,
        &page_of(&accepted),
        "referral_action",
        &accepted_r,
        "accept",
        None,
    )
    .await;
    let (escalated, escalated_r) =
        referred(&mut member, &mut monitor, &c.police, "Escaladée").await;
    step(
        &mut monitor,
        &page_of(&escalated),
        "referral_action",
        &escalated_r,
        "escalate",
        Some("Aucune nouvelle."),
    )
    .await;
    let (returned, returned_r) = referred(&mut member, &mut monitor, &c.police, "Renvoyée").await;
    step(
        &mut monitor,
        &page_of(&returned),
        "referral_action",
        &returned_r,
        "escalate",
        Some("Aucune nouvelle."),
    )
    .await;
    step(
        &mut monitor,
        &page_of(&returned),
        "referral_action",
        &returned_r,
        "return",
        Some("Merci de répondre."),
    )
    .await;
    let (soon, soon_r) = referred(&mut member, &mut monitor, &c.police, "Bientôt due").await;
    step(
        &mut police,
        &ack(&soon_r),
        "referral_action",
        &soon_r,
        "acknowledge",
        None,
    )
    .await;
    respond_due_in(&app, &soon_r, 2).await;
    // Where groups could overlap: a contested referral past its deadline (contested, not also
    // overdue), the organisation's answer and a returned referral due soon (each in its own
    // group with its deadline, not also due soon).
    respond_due_ago(&app, &contested_r, 2).await;
    respond_due_in(&app, &answered_r, 1).await;
    respond_due_in(&app, &returned_r, 1).await;
    let draft = a_draft(&mut member, "Brouillon du membre").await;
    a_tip(&app).await;
    // Another organisation's case, forwarded to the gendarmerie.
    let foreign = file_observation(&mut other_cso, "Autre organisation", description).await;
    forward(
        &mut monitor,
        &foreign,
        &c.gendarmerie,
        "Autre organisation",
        description,
    )
    .await;
    let foreign_r = referral_of(&mut monitor, &foreign, "DGGN").await;
    let _ = (&fresh, &soon);

    // The NHRC.
    let (body, groups) = queue(&mut monitor, &[]).await;
    let tips: Vec<String> = groups
        .get("tips")
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .collect();
    assert_eq!(tips.len(), 1, "{groups:?}");
    assert!(tips[0].starts_with("/tips/"));
    assert_eq!(
        groups,
        expected(&[
            ("triage", &[&obs(&triage)]),
            ("clarified", &[&obs(&clarified)]),
            ("contested", &[&obs(&contested)]),
            ("escalated", &[&obs(&escalated)]),
            ("accepted", &[&obs(&accepted)]),
            ("overdue", &[&obs(&late)]),
            ("tips", &[&tips[0]]),
        ])
    );
    let total = body["total"].as_u64().expect("total");
    assert_eq!(total, 7);
    assert_eq!(
        total,
        distinct(&groups),
        "each case counted once: {groups:?}"
    );
    let (status, count) = monitor.call("queue_count", &[]).await;
    assert_eq!((status, count.as_u64()), (StatusCode::OK, Some(total)));
    let page = landing(&mut monitor, "/monitoring", total).await;
    for words in [
        "Réponses contestées",
        "Nouvelles observations à examiner",
        "Depuis aujourd'hui",
    ] {
        assert!(page.contains(words), "{words}");
    }

    // Filtered like the lists: by institution (named by the filer, or the referral's), region.
    let (_, groups) = queue(&mut monitor, &[("filter[institution]", &c.gendarmerie)]).await;
    assert_eq!(
        groups,
        expected(&[
            ("triage", &[&obs(&triage)]),
            ("clarified", &[&obs(&clarified)])
        ])
    );
    let (_, groups) = queue(&mut monitor, &[("filter[region]", "ML-2")]).await;
    assert!(groups.is_empty(), "{groups:?}");
    let (status, body) = monitor
        .call("work_queue", &[("filter[category]", "pas-un-id")])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        body["Validation"][0],
        serde_json::json!({ "field": "category", "key": "error-choice-unknown" })
    );
    let (status, page) = monitor
        .page(&format!("/monitoring?institution={}", c.gendarmerie))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page.matches("class=\"queue-item\"").count(), 2);

    // The police liaison: its referrals, linked to the referral page.
    let (body, groups) = queue(&mut police, &[]).await;
    assert_eq!(
        groups,
        expected(&[
            ("to_acknowledge", &[&ack(&fresh_r), &ack(&late_r)]),
            ("due_soon", &[&ack(&soon_r)]),
            ("info_returned", &[&ack(&answered_r)]),
            ("contested_responses", &[&ack(&contested_r)]),
            ("returned", &[&ack(&returned_r)]),
        ])
    );
    // Oldest first: the referral forwarded first leads its group.
    let waiting: Vec<&str> = body["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["bucket"] == "to_acknowledge")
        .expect("to acknowledge")["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["href"].as_str().expect("href"))
        .collect();
    assert_eq!(waiting, [ack(&fresh_r), ack(&late_r)]);
    let total = body["total"].as_u64().expect("total");
    assert_eq!(
        total,
        distinct(&groups),
        "each referral counted once: {groups:?}"
    );
    // Their deadline runs: each says how long is left, or how late.
    assert_eq!(
        clock(&body, "contested_responses", &ack(&contested_r)),
        "LateBy"
    );
    assert_eq!(clock(&body, "returned", &ack(&returned_r)), "DueIn");
    assert_eq!(clock(&body, "info_returned", &ack(&answered_r)), "DueIn");
    let page = landing(&mut police, "/institution", total).await;
    assert!(!page.contains(&foreign_r) && !page.contains("Autre organisation"));
    assert!(page.contains("Échéance"), "the deadline in words");
    assert_eq!(
        page.matches("class=\"status overdue\"").count(),
        1,
        "the referral not acknowledged in time says so"
    );
    // The contested response past its deadline says how late, in words.
    assert!(
        ["Échéance dépassée", "En retard d"]
            .iter()
            .any(|words| page.contains(words)),
        "the contested response's lateness"
    );

    // The gendarmerie sees only its own.
    let (body, groups) = queue(&mut gendarmerie, &[]).await;
    assert_eq!(groups, expected(&[("to_acknowledge", &[&ack(&foreign_r)])]));
    landing(
        &mut gendarmerie,
        "/institution",
        body["total"].as_u64().expect("total"),
    )
    .await;

    // The organisation: its member (with their draft) and its coordinator (without it).
    let organisation = [
        ("nhrc_questions", &obs(&asked)),
        ("institution_questions", &obs(&question)),
        ("responses", &obs(&response)),
        ("closed_recently", &obs(&closed)),
    ];
    let (body, groups) = queue(&mut member, &[]).await;
    let mut wanted: Vec<(&str, Vec<&String>)> =
        organisation.iter().map(|(g, l)| (*g, vec![*l])).collect();
    let draft_link = obs(&draft);
    wanted.push(("drafts", vec![&draft_link]));
    let as_groups = |wanted: &[(&str, Vec<&String>)]| -> Groups {
        wanted
            .iter()
            .map(|(g, l)| (g.to_string(), l.iter().map(|s| s.to_string()).collect()))
            .collect()
    };
    assert_eq!(groups, as_groups(&wanted));
    let page = landing(
        &mut member,
        "/organisation",
        body["total"].as_u64().expect("total"),
    )
    .await;
    assert!(!page.contains(&foreign) && !page.contains("Autre organisation"));
    wanted.pop();
    let (body, groups) = queue(&mut coordinator, &[]).await;
    assert_eq!(groups, as_groups(&wanted));
    landing(
        &mut coordinator,
        "/organisation",
        body["total"].as_u64().expect("total"),
    )
    .await;
    // The other organisation has nothing waiting (its case is with the gendarmerie).
    let (body, groups) = queue(&mut other_cso, &[]).await;
    assert!(groups.is_empty(), "{groups:?}");
    let page = landing(&mut other_cso, "/organisation", 0).await;
    assert!(page.contains("Rien ne vous attend"));
    let _ = body;

    // No queue for an admin, none for someone signed out.
    let mut admin = signed_in(&app, ADMIN).await;
    assert_eq!(admin.call("work_queue", &[]).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        admin.call("queue_count", &[]).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.browser().call("work_queue", &[]).await.0,
        StatusCode::UNAUTHORIZED
    );
    app.finish().await;
}
on_both_databases!(each_roles_queue_holds_its_waiting_cases);

/// The NHRC closes an observation from triage (it then counts as closed recently).
async fn act_close(monitor: &mut Browser, id: &str) {
    crate::observations::act(
        monitor,
        &format!("/observations/{id}"),
        "observation_action",
        &[
            ("id", id),
            ("action", "close"),
            ("resolution", "referred_elsewhere"),
        ],
    )
    .await;
}

async fn the_nhrc_closes_a_contested_referral_directly(backend: Backend) {
    use app::server::entities::audit_entry;
    let app = TestApp::start(backend).await;
    let crate::fixtures::Referred {
        parties:
            crate::fixtures::Parties {
                mut member,
                mut monitor,
                mut police,
                ..
            },
        id,
        referral: r,
    } = crate::fixtures::a_referred_observation(
        &app,
        "Racket au marché de Kayes",
        "Des agents exigent de l'argent aux commerçantes du marché chaque jeudi.",
    )
    .await;
    let page = format!("/observations/{id}");
    let r_page = format!("/referrals/{r}");
    step(
        &mut police,
        &r_page,
        "referral_action",
        &r,
        "acknowledge",
        None,
    )
    .await;
    step(
        &mut police,
        &r_page,
        "referral_action",
        &r,
        "respond",
        Some("Une enquête est ouverte."),
    )
    .await;
    step(
        &mut member,
        &page,
        "referral_action",
        &r,
        "contest",
        Some("Les faits continuent chaque jeudi."),
    )
    .await;

    // The NHRC's page offers closing (with its resolution required) beside escalating.
    let card = detail(&mut monitor, &id).await["referrals"][0].clone();
    let offered: Vec<(String, bool)> = card["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .map(|a| {
            (
                a["action"].as_str().expect("action").to_string(),
                a["note_required"] == true,
            )
        })
        .collect();
    assert_eq!(
        offered,
        vec![("escalate".to_string(), true), ("close".to_string(), true)]
    );
    let (_, html) = monitor.page(&page).await;
    assert!(
        html.contains("Clôturer la transmission"),
        "the button on the page"
    );

    // Without its resolution, refused by the note's field; nothing changes.
    let answer = monitor
        .call("referral_action", &[("id", &r), ("action", "close")])
        .await;
    assert_eq!(answer.0, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer.1["Validation"][0],
        serde_json::json!({ "field": "note", "key": "error-note-required" })
    );
    step(
        &mut monitor,
        &page,
        "referral_action",
        &r,
        "close",
        Some("La CNDH a vérifié sur place : les agents ont été mutés."),
    )
    .await;
    let (_, view) = police.call("get_referral", &[("id", &r)]).await;
    assert_eq!(view["status"], "closed");
    let closing = view["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["kind"] == "close")
        .cloned()
        .expect("the closing on the institution's timeline");
    assert_eq!(
        closing["note"],
        "La CNDH a vérifié sur place : les agents ont été mutés."
    );
    let audited = audit_entry::Entity::find()
        .filter(audit_entry::Column::TargetId.eq(r.clone()))
        .filter(audit_entry::Column::Action.eq("close"))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(audited, 1, "the closing is in the audit log");
    // Out of the NHRC's queue.
    let (_, groups) = queue(&mut monitor, &[]).await;
    assert!(!groups.contains_key("contested"), "{groups:?}");
    app.finish().await;
}
on_both_databases!(the_nhrc_closes_a_contested_referral_directly);
