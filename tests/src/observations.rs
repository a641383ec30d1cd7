//! The observation loop over HTTP, posting forms exactly as a browser without JavaScript does:
//! filing, triage, referrals, responses, deadlines, evidence, and what each party may see.

use reqwest::StatusCode;
use reqwest::multipart::Form;
use serde_json::Value;

use crate::fixtures::{
    Parties, Referred, a_referred_observation, an_overdue_referral, deadlines_moved,
};
use crate::harness::{Backend, Browser, DEMO_PASSWORD, TestApp, location};
use crate::on_both_databases;

pub const MEMBER: &str = "membre@femmes-kayes.test";
pub const MONITOR: &str = "analyste@cndh.test";
pub const POLICE: &str = "liaison.police@police.test";
pub const GENDARMERIE: &str = "liaison@gendarmerie.test";
pub const OTHER_CSO: &str = "membre@rcvm.test";

/// Reference ids the forms need, as the filter choices give them.
pub struct Choices {
    pub category: String,
    pub police: String,
    pub gendarmerie: String,
}

pub async fn choices(browser: &mut Browser) -> Choices {
    let (status, body) = browser.call("list_choices", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let find = |list: &str, label: &str| -> String {
        body[list]
            .as_array()
            .expect("list")
            .iter()
            .find(|pair| pair[1] == label || pair[0] == label)
            .unwrap_or_else(|| panic!("{label} in {list}"))[0]
            .as_str()
            .expect("id")
            .to_string()
    };
    Choices {
        category: find("categories", "Arrestation et détention arbitraires"),
        police: find("institutions", "DGPN"),
        gendarmerie: find("institutions", "DGGN"),
    }
}

pub async fn signed_in(app: &TestApp, email: &str) -> Browser {
    let mut browser = app.browser();
    browser.login(email, DEMO_PASSWORD).await;
    browser
}

/// The hidden token of a new filing form, from the page `/observations/new`.
pub async fn form_token(member: &mut Browser) -> String {
    let (status, page) = member.page("/observations/new").await;
    assert_eq!(status, StatusCode::OK);
    let start = page
        .find("name=\"form_token\" value=\"")
        .expect("form token")
        + 25;
    page[start..].chars().take_while(|c| *c != '"').collect()
}

pub fn filing(token: &str, c: &Choices, title: &str, description: &str) -> Form {
    Form::new()
        .text("form_token", token.to_string())
        .text("title", title.to_string())
        .text("description", description.to_string())
        .text("category_id", c.category.clone())
        .text("institution_ids", c.police.clone())
        .text("institution_ids", c.gendarmerie.clone())
        .text("region_code", "ML-1")
        .text("place", "Poste de contrôle à la sortie de Kayes")
        .text("precision", "day")
        .text("incident_date", "2026-11-02")
        .text("affected_women", "2")
        .text("affected_girls", "1")
        .text("protection", "anonymous_to_institution")
}

/// The id in a redirect to `/observations/{id}…`.
pub fn observation_id(response: &reqwest::Response) -> String {
    id_in(&location(response))
}

/// The id in an address `/observations/{id}…`.
pub fn id_in(to: &str) -> String {
    let rest = to
        .split("/observations/")
        .nth(1)
        .unwrap_or_else(|| panic!("an observation's address, got {to}"));
    rest.chars()
        .take_while(|c| *c != '/' && *c != '?')
        .collect()
}

/// Files a complete observation as `member`; returns its id.
pub async fn file_observation(member: &mut Browser, title: &str, description: &str) -> String {
    let c = choices(member).await;
    let token = form_token(member).await;
    let form = filing(&token, &c, title, description).text("intent", "submit");
    let response = member
        .upload("/observations/new", "/observations/save", form)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        location(&response).ends_with("?notice=submitted"),
        "{}",
        location(&response)
    );
    observation_id(&response)
}

/// A JavaScript-less post of a server-function form; it must come back to its page without an
/// error.
pub async fn act(browser: &mut Browser, from: &str, endpoint: &str, form: &[(&str, &str)]) {
    let response = browser.submit(from, endpoint, form).await;
    let to = location(&response);
    assert_eq!(response.status(), StatusCode::FOUND, "{endpoint}: {to}");
    assert!(!to.contains("__err"), "{endpoint} failed: {to}");
}

/// A lifecycle action posted from the page `from` as a browser without JavaScript does
/// (`endpoint`: `observation_action` or `referral_action`), with its note when given.
pub async fn step(
    browser: &mut Browser,
    from: &str,
    endpoint: &str,
    id: &str,
    action: &str,
    note: Option<&str>,
) {
    let mut form = vec![("id", id), ("action", action)];
    form.extend(note.map(|note| ("note", note)));
    act(browser, from, endpoint, &form).await;
}

pub async fn detail(browser: &mut Browser, id: &str) -> Value {
    let (status, body) = browser.call("get_observation", &[("id", id)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// The id of the referral of observation `id` to `acronym`, as the NHRC sees it.
pub async fn referral_of(monitor: &mut Browser, id: &str, acronym: &str) -> String {
    let d = detail(monitor, id).await;
    d["referrals"]
        .as_array()
        .expect("referrals")
        .iter()
        .find(|r| r["institution"] == acronym)
        .unwrap_or_else(|| panic!("referral to {acronym}"))["id"]
        .as_str()
        .expect("id")
        .to_string()
}

/// The ids of the observation's evidence files (not the institutions' documents).
pub async fn evidence_ids(monitor: &mut Browser, id: &str) -> Vec<String> {
    detail(monitor, id).await["attachments"]
        .as_array()
        .expect("attachments")
        .iter()
        .filter(|a| a["purpose"] == "evidence")
        .map(|a| a["id"].as_str().expect("id").to_string())
        .collect()
}

/// The fields of a forwarding form as the NHRC sends it once each released field is reviewed
/// (every `confirm_*` ticked), sharing the evidence files `shared`.
pub fn released<'a>(
    id: &'a str,
    institution: &'a str,
    title: &'a str,
    description: &'a str,
    place: &'a str,
    shared: &'a [String],
) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("id", id),
        ("institution_id", institution),
        ("title", title),
        ("description", description),
        ("place", place),
        ("confirm_title", "on"),
        ("confirm_description", "on"),
        ("confirm_place", "on"),
    ];
    form.extend(shared.iter().map(|file| ("shared_files[]", file.as_str())));
    form
}

/// The NHRC forwards observation `id` to `institution` with this title and description (no
/// place), each field confirmed, and every evidence file chosen, one by one.
pub async fn forward(
    monitor: &mut Browser,
    id: &str,
    institution: &str,
    title: &str,
    description: &str,
) {
    let page = format!("/observations/{id}");
    let shared = evidence_ids(monitor, id).await;
    let form = released(id, institution, title, description, "", &shared);
    act(monitor, &page, "forward_observation", &form).await;
}

pub async fn referral_status(browser: &mut Browser, referral: &str) -> String {
    let (status, body) = browser.call("get_referral", &[("id", referral)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["status"].as_str().expect("status").to_string()
}

async fn full_loop(backend: Backend) {
    let app = TestApp::start(backend).await;
    app.account(GENDARMERIE, "liaison", None, Some("DGGN"))
        .await;
    let mut member = signed_in(&app, MEMBER).await;
    let mut monitor = signed_in(&app, MONITOR).await;
    let mut police = signed_in(&app, POLICE).await;
    let mut gendarmerie = signed_in(&app, GENDARMERIE).await;
    let c = choices(&mut member).await;

    // Filing, and the same form sent again (double click, reload): one observation.
    let token = form_token(&mut member).await;
    let description = "Des agents exigent 5 000 FCFA à chaque passage du marché de Kayes.";
    let send =
        || filing(&token, &c, "Racket au poste de contrôle", description).text("intent", "submit");
    let first = member
        .upload("/observations/new", "/observations/save", send())
        .await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let id = observation_id(&first);
    let again = member
        .upload("/observations/new", "/observations/save", send())
        .await;
    assert_eq!(
        observation_id(&again),
        id,
        "a resent form finds its observation"
    );
    let (_, list) = member.call("list_observations", &[]).await;
    assert_eq!(list["total"], 1, "{list}");
    let d = detail(&mut member, &id).await;
    let reference = d["reference"].as_str().expect("reference").to_string();
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(reference, format!("OBS-{year}-000001"));
    assert_eq!(d["status"], "submitted");
    assert_eq!(d["affected"], serde_json::json!([2, 0, 1, 0]));

    // The NHRC finds it in its triage queue, by reference too, and forwards it twice.
    let (_, queue) = monitor
        .call(
            "list_observations",
            &[("filter[status]", "submitted"), ("filter[q]", &reference)],
        )
        .await;
    assert_eq!(queue["total"], 1, "{queue}");
    forward(
        &mut monitor,
        &id,
        &c.police,
        "Racket à un poste de contrôle",
        description,
    )
    .await;
    forward(
        &mut monitor,
        &id,
        &c.gendarmerie,
        "Racket à un poste de contrôle",
        description,
    )
    .await;
    let police_referral = referral_of(&mut monitor, &id, "DGPN").await;
    let gendarmerie_referral = referral_of(&mut monitor, &id, "DGGN").await;
    assert_eq!(detail(&mut monitor, &id).await["status"], "referred");

    // Each institution sees its own referral in its inbox, with due dates.
    let (_, inbox) = police.call("list_referrals", &[]).await;
    assert_eq!(inbox["total"], 1, "{inbox}");
    assert_eq!(inbox["items"][0]["id"], police_referral.as_str());
    // Forwarded, the acknowledgement runs first, in working days.
    let next = &inbox["items"][0]["next_deadline"];
    assert_eq!(next["kind"], "acknowledge", "{inbox}");
    assert!(next["due"].is_string(), "{inbox}");
    assert!(next["waiting"]["DueIn"].is_u64(), "{inbox}");
    for (liaison, referral) in [
        (&mut police, &police_referral),
        (&mut gendarmerie, &gendarmerie_referral),
    ] {
        let page = format!("/referrals/{referral}");
        act(
            liaison,
            &page,
            "referral_action",
            &[("id", referral), ("action", "acknowledge")],
        )
        .await;
        assert_eq!(referral_status(liaison, referral).await, "acknowledged");
    }

    // The police respond; the organisation accepts.
    let police_page = format!("/referrals/{police_referral}");
    step(
        &mut police,
        &police_page,
        "referral_action",
        &police_referral,
        "start",
        None,
    )
    .await;
    // A response needs its text: refused without it, with the error in the page's address.
    let refused = police
        .submit(
            &police_page,
            "referral_action",
            &[
                ("id", &police_referral),
                ("action", "respond"),
                ("note", ""),
            ],
        )
        .await;
    assert!(
        location(&refused).contains("__err"),
        "{}",
        location(&refused)
    );
    let police_answer = "Les deux agents ont été suspendus et une enquête interne est ouverte.";
    step(
        &mut police,
        &police_page,
        "referral_action",
        &police_referral,
        "respond",
        Some(police_answer),
    )
    .await;
    let obs_page = format!("/observations/{id}");
    step(
        &mut member,
        &obs_page,
        "referral_action",
        &police_referral,
        "accept",
        None,
    )
    .await;

    // The gendarmerie respond; the organisation contests; the NHRC escalates.
    let gendarmerie_page = format!("/referrals/{gendarmerie_referral}");
    let gendarmerie_answer = "Aucun gendarme n'était en poste ce jour-là.";
    step(
        &mut gendarmerie,
        &gendarmerie_page,
        "referral_action",
        &gendarmerie_referral,
        "respond",
        Some(gendarmerie_answer),
    )
    .await;
    step(
        &mut member,
        &obs_page,
        "referral_action",
        &gendarmerie_referral,
        "contest",
        Some("Des photos montrent des gendarmes au poste."),
    )
    .await;
    assert_eq!(
        referral_status(&mut gendarmerie, &gendarmerie_referral).await,
        "contested"
    );
    step(
        &mut monitor,
        &obs_page,
        "referral_action",
        &gendarmerie_referral,
        "escalate",
        Some("Réponse contestée avec éléments."),
    )
    .await;

    // The organisation sees both official responses on its observation.
    let d = detail(&mut member, &id).await;
    let notes: Vec<&str> = d["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["note"].as_str())
        .collect();
    assert!(
        notes.contains(&police_answer) && notes.contains(&gendarmerie_answer),
        "{notes:?}"
    );

    // The NHRC closes both referrals, then the observation with a resolution.
    for referral in [&police_referral, &gendarmerie_referral] {
        step(
            &mut monitor,
            &obs_page,
            "referral_action",
            referral,
            "close",
            None,
        )
        .await;
    }
    act(
        &mut monitor,
        &obs_page,
        "observation_action",
        &[
            ("id", &id),
            ("action", "close"),
            ("resolution", "partially_resolved"),
        ],
    )
    .await;
    let d = detail(&mut member, &id).await;
    assert_eq!(d["status"], "closed");
    assert_eq!(d["resolution"], "partially_resolved");
    let statuses: Vec<&str> = d["referrals"]
        .as_array()
        .expect("referrals")
        .iter()
        .map(|r| r["status"].as_str().expect("status"))
        .collect();
    assert_eq!(statuses, ["closed", "closed"]);
    let kinds: Vec<&str> = d["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(
        kinds,
        [
            "submit",
            "forward",
            "forward",
            "acknowledge",
            "acknowledge",
            "start",
            "respond",
            "accept",
            "respond",
            "contest",
            "escalate",
            "close",
            "close",
            "close"
        ]
    );
    // Every change was audited in the same transaction as its event.
    use sea_orm::{EntityTrait, PaginatorTrait};
    let audited = app::server::entities::audit_entry::Entity::find()
        .count(&app.db)
        .await
        .expect("count");
    assert!(audited >= kinds.len() as u64, "{audited} audit entries");

    // The pages render for each party, in French, without JavaScript.
    let (status, page) = member.page(&obs_page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Partiellement résolue") && page.contains(&reference),
        "member page"
    );
    let (status, page) = gendarmerie.page(&gendarmerie_page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Clôturée"), "liaison page");

    // Reopened with a reason, it goes back to triage and can go to the police again.
    let refused = monitor
        .submit(
            &obs_page,
            "observation_action",
            &[("id", &id), ("action", "reopen"), ("note", "")],
        )
        .await;
    assert!(location(&refused).contains("__err"), "a reason is required");
    step(
        &mut monitor,
        &obs_page,
        "observation_action",
        &id,
        "reopen",
        Some("Nouveaux faits signalés."),
    )
    .await;
    let d = detail(&mut member, &id).await;
    assert_eq!(
        (d["status"].as_str(), d["resolution"].is_null()),
        (Some("submitted"), true)
    );
    forward(
        &mut monitor,
        &id,
        &c.police,
        "Racket à un poste de contrôle",
        "Nouveaux faits.",
    )
    .await;
    assert_eq!(
        referral_of(&mut monitor, &id, "DGPN").await,
        police_referral,
        "the same referral, a new round"
    );
    assert_eq!(
        referral_status(&mut police, &police_referral).await,
        "forwarded"
    );
    app.finish().await;
}
on_both_databases!(full_loop);

async fn drafts_keep_everything_and_errors_sit_by_their_fields(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut member = signed_in(&app, MEMBER).await;
    let c = choices(&mut member).await;
    let token = form_token(&mut member).await;
    // Submitted with a short description, a count that is not a number and no date.
    let form = Form::new()
        .text("form_token", token.clone())
        .text("title", "Détention sans jugement")
        .text("description", "Trop court")
        .text("category_id", c.category.clone())
        .text("region_code", "ML-1")
        .text("precision", "day")
        .text("incident_date", "")
        .text("affected_men", "trois")
        .text("protection", "anonymous_to_institution")
        .text("intent", "submit");
    let response = member
        .upload("/observations/new", "/observations/save", form)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to = location(&response);
    assert!(to.contains("/edit?errors="), "{to}");
    for expected in [
        "description.error-description-short",
        "affected_men.error-count",
        "incident_date.error-required",
        "institution_ids.error-institutions-required",
    ] {
        assert!(to.contains(expected), "{expected} in {to}");
    }
    // Nothing typed is lost: the draft page shows it, with the messages by their fields.
    let (status, page) = member.page(&to).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Détention sans jugement") && page.contains("Trop court"));
    assert!(page.contains("Décrivez les faits en au moins 20 caractères."));
    assert!(page.contains("id=\"incident_date-error\""));
    assert!(page.contains("aria-invalid=\"true\""));
    let id = id_in(&to);
    assert_eq!(detail(&mut member, &id).await["status"], "draft");
    // The NHRC does not see drafts.
    let mut monitor = signed_in(&app, MONITOR).await;
    let (status, _) = monitor.call("get_observation", &[("id", &id)]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // In English, the same errors in English.
    let (status, _) = member.call("set_locale", &[("locale", "en")]).await;
    assert_eq!(status, StatusCode::OK);
    let (_, page) = member.page(&to).await;
    assert!(
        page.contains("Describe the facts in at least 20 characters."),
        "English"
    );

    // A description too long to be read at all (over 64 KiB) is refused by its field, and the
    // draft keeps the description it had instead of an empty one.
    let form = filing(
        &token,
        &c,
        "Détention sans jugement",
        &"x".repeat(70 * 1024),
    )
    .text("id", id.clone())
    .text("intent", "draft");
    let response = member.upload(&to, "/observations/save", form).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let too_long = location(&response);
    assert!(
        too_long.contains("description.error-too-long"),
        "{too_long}"
    );
    let (_, page) = member.page(&too_long).await;
    assert!(page.contains("Trop court"), "the saved description is kept");
    assert!(page.contains("Text too long."), "the message by the field");

    // Resumed and completed, it is submitted with the same token: still one observation.
    let form = filing(
        &token,
        &c,
        "Détention sans jugement",
        "Un homme est détenu depuis trois semaines sans avoir vu de juge.",
    )
    .text("id", id.clone())
    .text("intent", "submit");
    let response = member.upload(&to, "/observations/save", form).await;
    assert_eq!(observation_id(&response), id);
    assert_eq!(detail(&mut member, &id).await["status"], "submitted");
    let (_, list) = member.call("list_observations", &[]).await;
    assert_eq!(list["total"], 1);
    app.finish().await;
}
on_both_databases!(drafts_keep_everything_and_errors_sit_by_their_fields);

async fn deadlines_count_working_days_and_escalate_once(backend: Backend) {
    use app::domain::calendar::{Holidays, add_working_days};
    use app::server::entities::holiday;
    use app::server::observations::{deadlines, holidays, today};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

    let app = TestApp::start(backend).await;
    let today = today();
    // A holiday on the next working day, as an admin would add it: the clock skips it.
    let next = add_working_days(today, 1, &Holidays::new());
    if !holidays(&app.db).await.expect("holidays").contains(&next) {
        holiday::ActiveModel {
            id: Set(uuid::Uuid::new_v4()),
            day: Set(next),
            name_fr: Set("Jour férié de test".into()),
            name_en: Set("Test holiday".into()),
            kind: Set("test".into()),
        }
        .insert(&app.db)
        .await
        .expect("holiday");
    }
    let calendar = holidays(&app.db).await.expect("holidays");

    let Referred {
        parties: Parties {
            mut monitor,
            mut police,
            ..
        },
        id,
        referral: referral_id,
    } = a_referred_observation(
        &app,
        "Délais de réponse",
        "Une observation pour mesurer les délais de réponse.",
    )
    .await;
    let (_, view) = police.call("get_referral", &[("id", &referral_id)]).await;
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    assert_eq!(
        view["ack_due"],
        day(add_working_days(today, 5, &calendar)).as_str()
    );
    assert_eq!(
        view["respond_due"],
        day(add_working_days(today, 30, &calendar)).as_str()
    );
    assert_ne!(
        view["ack_due"],
        day(add_working_days(today, 5, &Holidays::new())).as_str(),
        "the holiday counts"
    );
    assert_eq!(view["overdue"], false);

    // Twenty days later, as far as this referral knows: past the acknowledgement deadline.
    an_overdue_referral(&app, &referral_id, 20).await;
    let (_, view) = police.call("get_referral", &[("id", &referral_id)]).await;
    assert_eq!(view["overdue"], true, "overdue on the detail");
    let (_, late) = police
        .call("list_referrals", &[("filter[overdue]", "1")])
        .await;
    assert_eq!(late["total"], 1, "overdue in the liaison's list");
    assert_eq!(late["items"][0]["overdue"], true);
    let (_, late) = monitor
        .call("list_observations", &[("filter[overdue]", "1")])
        .await;
    assert_eq!(late["total"], 1, "overdue in the NHRC's list");

    // Its liaison and the NHRC are told it is overdue, once.
    use app::server::entities::notification;
    use sea_orm::PaginatorTrait;
    assert_eq!(
        deadlines::notify_deadlines(&app.db, today)
            .await
            .expect("job"),
        1
    );
    assert_eq!(
        deadlines::notify_deadlines(&app.db, today)
            .await
            .expect("job"),
        0
    );
    let overdue = notification::Entity::find()
        .filter(notification::Column::Template.eq("overdue"))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(overdue, 2, "the police liaison and the monitor");

    // The job escalates it, once, however often it runs.
    assert_eq!(
        deadlines::escalate_overdue(&app.db, today)
            .await
            .expect("job"),
        1
    );
    assert_eq!(
        deadlines::escalate_overdue(&app.db, today)
            .await
            .expect("job"),
        0
    );
    assert_eq!(
        referral_status(&mut police, &referral_id).await,
        "escalated"
    );
    let page = format!("/observations/{id}");
    step(
        &mut monitor,
        &page,
        "referral_action",
        &referral_id,
        "return",
        Some("Merci de répondre."),
    )
    .await;
    deadlines_moved(
        &app,
        &referral_id,
        None,
        Some(today - chrono::Days::new(20)),
    )
    .await;
    assert_eq!(
        deadlines::escalate_overdue(&app.db, today)
            .await
            .expect("job"),
        0,
        "once per referral"
    );
    let events = detail(&mut monitor, &id).await["events"].clone();
    let automatic = events
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["kind"] == "auto_escalate")
        .count();
    assert_eq!(automatic, 1);
    app.finish().await;
}
on_both_databases!(deadlines_count_working_days_and_escalate_once);

/// The (action, note required) pairs of an `actions` list as a detail gives it.
fn offered(actions: &Value) -> Vec<(String, bool)> {
    actions
        .as_array()
        .expect("actions")
        .iter()
        .map(|a| {
            (
                a["action"].as_str().expect("action").to_string(),
                a["note_required"].as_bool().expect("note_required"),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, bool)]) -> Vec<(String, bool)> {
    list.iter().map(|(a, n)| (a.to_string(), *n)).collect()
}

/// One field of every event of a timeline (`note`, `kind`), where it has one.
fn timeline(events: &Value, field: &str) -> Vec<String> {
    events
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e[field].as_str().map(str::to_string))
        .collect()
}

/// The error key of a refused call, with its status.
fn refusal(answer: &(StatusCode, Value)) -> (StatusCode, Option<&str>) {
    (answer.0, answer.1["Validation"][0]["key"].as_str())
}

/// The observation's own machine, from triage: the actions each side is offered, a note only
/// the NHRC reads, a question and its answer, declining (with a reason), reopening, and closing
/// without ever forwarding; a page drawn before the closing is told the case changed.
async fn triage_asks_declines_reopens_and_closes(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut member = signed_in(&app, MEMBER).await;
    let mut monitor = signed_in(&app, MONITOR).await;

    // The observation's own machine. In triage, each side is offered its own actions.
    let a = file_observation(
        &mut member,
        "Détention au commissariat",
        "Un homme est retenu depuis dix jours sans avoir vu de juge.",
    )
    .await;
    let a_page = format!("/observations/{a}");
    assert_eq!(
        offered(&detail(&mut member, &a).await["actions"]),
        pairs(&[("withdraw", false)])
    );
    assert_eq!(
        offered(&detail(&mut monitor, &a).await["actions"]),
        pairs(&[("ask_info", true), ("decline", true), ("close", false)])
    );

    // An NHRC-only note: the monitor reads it, the organisation never does.
    let internal = "Note interne : vérifier auprès du parquet de Kayes.";
    act(
        &mut monitor,
        &a_page,
        "add_note",
        &[("id", &a), ("note", internal), ("visibility", "nhrc")],
    )
    .await;
    let monitor_notes = timeline(&detail(&mut monitor, &a).await["events"], "note");
    assert!(
        monitor_notes.iter().any(|n| n == internal),
        "{monitor_notes:?}"
    );
    let member_notes = timeline(&detail(&mut member, &a).await["events"], "note");
    assert!(
        !member_notes.iter().any(|n| n == internal),
        "{member_notes:?}"
    );
    let (status, page) = member.page(&a_page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !page.contains("vérifier auprès du parquet"),
        "nor on its page"
    );

    // The NHRC asks, the organisation answers, the case is back in triage.
    act(
        &mut monitor,
        &a_page,
        "observation_action",
        &[
            ("id", &a),
            ("action", "ask_info"),
            (
                "note",
                "À quelle date exacte l'arrestation a-t-elle eu lieu ?",
            ),
        ],
    )
    .await;
    let d = detail(&mut member, &a).await;
    assert_eq!(d["status"], "needs_info");
    assert_eq!(
        offered(&d["actions"]),
        pairs(&[("clarify", true), ("withdraw", false)])
    );
    assert_eq!(
        offered(&detail(&mut monitor, &a).await["actions"]),
        pairs(&[("decline", true), ("close", false)])
    );
    step(
        &mut member,
        &a_page,
        "observation_action",
        &a,
        "clarify",
        Some("Le 2 novembre au matin, au marché."),
    )
    .await;
    assert_eq!(detail(&mut monitor, &a).await["status"], "submitted");

    // Declining needs a reason; reopened, the case is in triage again, and the NHRC closes it
    // there without ever forwarding it.
    let answer = monitor
        .call(
            "observation_action",
            &[("id", &a), ("action", "decline"), ("note", " ")],
        )
        .await;
    assert_eq!(
        refusal(&answer),
        (StatusCode::BAD_REQUEST, Some("error-note-required"))
    );
    step(
        &mut monitor,
        &a_page,
        "observation_action",
        &a,
        "decline",
        Some("Hors du mandat de la Commission."),
    )
    .await;
    assert_eq!(detail(&mut member, &a).await["status"], "declined");
    step(
        &mut monitor,
        &a_page,
        "observation_action",
        &a,
        "reopen",
        Some("Le parquet s'est dessaisi."),
    )
    .await;
    assert_eq!(detail(&mut member, &a).await["status"], "submitted");
    act(
        &mut monitor,
        &a_page,
        "observation_action",
        &[
            ("id", &a),
            ("action", "close"),
            ("resolution", "referred_elsewhere"),
        ],
    )
    .await;
    let d = detail(&mut member, &a).await;
    assert_eq!(
        (d["status"].as_str(), d["resolution"].as_str()),
        (Some("closed"), Some("referred_elsewhere"))
    );
    // A page drawn before the closing: asking now is out of date, not forbidden.
    let answer = monitor
        .call(
            "observation_action",
            &[
                ("id", &a),
                ("action", "ask_info"),
                ("note", "Encore une question."),
            ],
        )
        .await;
    assert_eq!(
        refusal(&answer),
        (StatusCode::BAD_REQUEST, Some("error-stale"))
    );

    app.finish().await;
}
on_both_databases!(triage_asks_declines_reopens_and_closes);

/// The organisation withdraws an open observation: closed as withdrawn, nothing more offered.
async fn the_organisation_withdraws_an_open_observation(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut member = signed_in(&app, MEMBER).await;
    let mut monitor = signed_in(&app, MONITOR).await;

    // The organisation withdraws an open observation.
    let b = file_observation(
        &mut member,
        "Menaces contre une témoin",
        "Une témoin a reçu des menaces après sa déposition au tribunal.",
    )
    .await;
    step(
        &mut member,
        &format!("/observations/{b}"),
        "observation_action",
        &b,
        "withdraw",
        None,
    )
    .await;
    let d = detail(&mut monitor, &b).await;
    assert_eq!(
        (d["status"].as_str(), d["resolution"].as_str()),
        (Some("closed"), Some("withdrawn"))
    );
    assert!(offered(&detail(&mut member, &b).await["actions"]).is_empty());

    app.finish().await;
}
on_both_databases!(the_organisation_withdraws_an_open_observation);

/// A forwarded referral: each party is offered its own actions on it; not acknowledged in
/// time, the organisation sees it overdue; the wrong party, with a valid action, is refused and
/// nothing changes.
async fn a_referral_offers_each_party_its_own_actions(backend: Backend) {
    let app = TestApp::start(backend).await;
    // Forwarded, each party is offered its own actions on the referral.
    let Referred {
        parties:
            Parties {
                mut member,
                mut monitor,
                mut police,
                choices: c,
            },
        id: obs,
        referral: r,
    } = a_referred_observation(
        &app,
        "Racket au marché de Kayes",
        "Des agents exigent de l'argent aux commerçantes du marché chaque jeudi.",
    )
    .await;
    let page = format!("/observations/{obs}");
    let card = |d: &Value| d["referrals"][0].clone();
    assert_eq!(
        offered(&card(&detail(&mut monitor, &obs).await)["actions"]),
        pairs(&[("escalate", true)])
    );
    assert_eq!(
        offered(&card(&detail(&mut member, &obs).await)["actions"]),
        pairs(&[])
    );
    let (_, view) = police.call("get_referral", &[("id", &r)]).await;
    assert_eq!(offered(&view["actions"]), pairs(&[("acknowledge", false)]));

    // Not acknowledged in time: the organisation sees it overdue on its list and on the card.
    an_overdue_referral(&app, &r, 1).await;
    let (_, list) = member.call("list_observations", &[]).await;
    let item = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == obs.as_str())
        .expect("on the list")
        .clone();
    assert_eq!(item["overdue"], true, "{item}");
    assert_eq!(card(&detail(&mut member, &obs).await)["overdue"], true);

    // The wrong party, with a valid action: refused, and nothing changes.
    let answer = member
        .call("referral_action", &[("id", &r), ("action", "acknowledge")])
        .await;
    assert_eq!(
        answer,
        (StatusCode::FORBIDDEN, serde_json::json!("Forbidden"))
    );
    let refused = member
        .submit(
            &page,
            "referral_action",
            &[("id", &r), ("action", "acknowledge")],
        )
        .await;
    assert!(
        location(&refused).contains("__err"),
        "{}",
        location(&refused)
    );
    let answer = police
        .call(
            "forward_observation",
            &[
                ("id", &obs),
                ("institution_id", &c.gendarmerie),
                ("title", "Racket au marché"),
                ("description", "Des agents exigent de l'argent."),
            ],
        )
        .await;
    assert_eq!(
        answer,
        (StatusCode::FORBIDDEN, serde_json::json!("Forbidden"))
    );
    let (status, _) = police
        .call(
            "observation_action",
            &[
                ("id", &obs),
                ("action", "close"),
                ("resolution", "resolved"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(referral_status(&mut police, &r).await, "forwarded");
    let d = detail(&mut monitor, &obs).await;
    assert_eq!(
        (
            d["status"].as_str(),
            d["referrals"].as_array().expect("referrals").len()
        ),
        (Some("referred"), 1)
    );

    app.finish().await;
}
on_both_databases!(a_referral_offers_each_party_its_own_actions);

/// Acknowledging stops the first deadline, and a second click is told the case changed; while
/// the institution waits for the organisation's answer no deadline runs against it, and the
/// response deadline moves on by the working days waited.
async fn acknowledging_and_waiting_for_the_organisation(backend: Backend) {
    use app::domain::calendar::{add_working_days, working_days_between};
    use app::server::entities::observation_event;
    use app::server::observations::{holidays, today};
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let app = TestApp::start(backend).await;
    let Referred {
        parties: Parties {
            mut member,
            mut police,
            ..
        },
        id: obs,
        referral: r,
    } = a_referred_observation(
        &app,
        "Racket au marché de Kayes",
        "Des agents exigent de l'argent aux commerçantes du marché chaque jeudi.",
    )
    .await;
    let page = format!("/observations/{obs}");
    let r_page = format!("/referrals/{r}");
    let card = |d: &Value| d["referrals"][0].clone();
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    an_overdue_referral(&app, &r, 1).await;
    assert_eq!(card(&detail(&mut member, &obs).await)["overdue"], true);
    let uuid = uuid::Uuid::parse_str(&r).expect("uuid");
    let today = today();

    // Acknowledged: only the response deadline runs now, and it has not passed.
    step(
        &mut police,
        &r_page,
        "referral_action",
        &r,
        "acknowledge",
        None,
    )
    .await;
    assert_eq!(card(&detail(&mut member, &obs).await)["overdue"], false);
    // A second click on the same button: the case changed meanwhile, said so on the page.
    let answer = police
        .call("referral_action", &[("id", &r), ("action", "acknowledge")])
        .await;
    assert_eq!(
        refusal(&answer),
        (StatusCode::BAD_REQUEST, Some("error-stale"))
    );
    let again = police
        .submit(
            &r_page,
            "referral_action",
            &[("id", &r), ("action", "acknowledge")],
        )
        .await;
    let back = location(&again);
    assert!(back.contains("__err"), "{back}");
    let (_, shown) = police.page(back.trim_start_matches(&app.url)).await;
    assert!(
        shown.contains("Le dossier a changé entre-temps"),
        "the stale message on the page"
    );
    assert_eq!(referral_status(&mut police, &r).await, "acknowledged");

    // The institution asks the organisation; while it waits, no deadline runs against it.
    step(
        &mut police,
        &r_page,
        "referral_action",
        &r,
        "ask_info",
        Some("Quel jour de la semaine les faits ont-ils lieu ?"),
    )
    .await;
    assert_eq!(
        offered(&card(&detail(&mut member, &obs).await)["actions"]),
        pairs(&[("clarify", true)])
    );
    // Two weeks of waiting, as far as the timeline knows, and a response deadline already
    // passed meanwhile.
    let asked_at = chrono::Utc::now() - chrono::Duration::days(14);
    observation_event::Entity::update_many()
        .col_expr(observation_event::Column::CreatedAt, Expr::value(asked_at))
        .filter(observation_event::Column::ReferralId.eq(uuid))
        .filter(observation_event::Column::ToStatus.eq("info_requested"))
        .exec(&app.db)
        .await
        .expect("update");
    let due_before = today - chrono::Days::new(3);
    deadlines_moved(&app, &r, None, Some(due_before)).await;
    assert_eq!(
        card(&detail(&mut member, &obs).await)["overdue"],
        false,
        "waiting for the organisation is not the institution's delay"
    );
    step(
        &mut member,
        &page,
        "referral_action",
        &r,
        "clarify",
        Some("Chaque jeudi, jour de marché."),
    )
    .await;
    let calendar = holidays(&app.db).await.expect("holidays");
    let waited = working_days_between(asked_at.date_naive(), today, &calendar);
    assert!(waited >= 5, "{waited} working days waited");
    let (_, view) = police.call("get_referral", &[("id", &r)]).await;
    assert_eq!(
        (
            view["status"].as_str(),
            view["respond_due"].as_str(),
            view["overdue"].as_bool()
        ),
        (
            Some("acknowledged"),
            Some(day(add_working_days(due_before, waited, &calendar)).as_str()),
            Some(false)
        ),
        "the response deadline moves on by the working days waited"
    );

    app.finish().await;
}
on_both_databases!(acknowledging_and_waiting_for_the_organisation);

/// A response, contested, answered again; closing the observation over its open referral needs
/// a reason (without one nothing changes), closes the referral with it, and is audited.
async fn a_contested_response_and_closing_over_an_open_referral(backend: Backend) {
    use app::server::entities::audit_entry;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

    let app = TestApp::start(backend).await;
    let Referred {
        parties:
            Parties {
                mut member,
                mut monitor,
                mut police,
                ..
            },
        id: obs,
        referral: r,
    } = a_referred_observation(
        &app,
        "Racket au marché de Kayes",
        "Des agents exigent de l'argent aux commerçantes du marché chaque jeudi.",
    )
    .await;
    let page = format!("/observations/{obs}");
    let r_page = format!("/referrals/{r}");
    let card = |d: &Value| d["referrals"][0].clone();
    step(
        &mut police,
        &r_page,
        "referral_action",
        &r,
        "acknowledge",
        None,
    )
    .await;

    // A response, contested, answered again.
    step(
        &mut police,
        &r_page,
        "referral_action",
        &r,
        "respond",
        Some("Une enquête est ouverte sur les agents du marché."),
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
    let (_, view) = police.call("get_referral", &[("id", &r)]).await;
    assert_eq!(view["status"], "contested");
    assert_eq!(offered(&view["actions"]), pairs(&[("respond", true)]));
    act(
        &mut police,
        &r_page,
        "referral_action",
        &[
            ("id", &r),
            ("action", "respond"),
            (
                "note",
                "Les agents ont été mutés ; une patrouille surveille le marché.",
            ),
        ],
    )
    .await;
    assert_eq!(referral_status(&mut police, &r).await, "responded");

    // Closing the observation over its open referral needs a reason; without one nothing changes.
    let answer = monitor
        .call(
            "observation_action",
            &[
                ("id", &obs),
                ("action", "close"),
                ("resolution", "resolved"),
            ],
        )
        .await;
    assert_eq!(
        (answer.0, answer.1["Validation"][0].clone()),
        (
            StatusCode::BAD_REQUEST,
            serde_json::json!({ "field": "note", "key": "error-close-open-referrals" })
        )
    );
    let d = detail(&mut member, &obs).await;
    assert_eq!(
        (
            d["status"].as_str(),
            d["resolution"].is_null(),
            card(&d)["status"].as_str()
        ),
        (Some("referred"), true, Some("responded"))
    );
    act(
        &mut monitor,
        &page,
        "observation_action",
        &[
            ("id", &obs),
            ("action", "close"),
            ("resolution", "resolved"),
            (
                "note",
                "Mesures prises ; le suivi continue hors de la plateforme.",
            ),
        ],
    )
    .await;
    let d = detail(&mut member, &obs).await;
    assert_eq!(
        (
            d["status"].as_str(),
            d["resolution"].as_str(),
            card(&d)["status"].as_str()
        ),
        (Some("closed"), Some("resolved"), Some("closed"))
    );
    // The institution sees its referral closed with the observation, and that was audited.
    let (_, view) = police.call("get_referral", &[("id", &r)]).await;
    assert_eq!(view["status"], "closed");
    assert!(offered(&view["actions"]).is_empty());
    let kinds = timeline(&view["events"], "kind");
    assert!(
        kinds.iter().any(|k| k == "closed_with_observation"),
        "{kinds:?}"
    );
    let audited = audit_entry::Entity::find()
        .filter(audit_entry::Column::TargetId.eq(r.clone()))
        .filter(audit_entry::Column::Action.eq("closed_with_observation"))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(audited, 1);
    app.finish().await;
}
on_both_databases!(a_contested_response_and_closing_over_an_open_referral);
