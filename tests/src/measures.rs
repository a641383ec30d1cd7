//! Trustworthy measures: a deadline passed without acknowledgement or response counts as late in
//! the on-time shares, a referral still within its deadline in neither part; the same figures in
//! the dashboard (data and page), the institutions export and after a recount; escalated without
//! them, late at once; the overdue list's days late in working days (weekends and a public
//! holiday skipped); a referral returned or contested is still measured against its first
//! response deadline.

use app::server::entities::{holiday, referral};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::Value;
use uuid::Uuid;

use crate::harness::{Backend, Browser, TestApp};
use crate::observations::{
    GENDARMERIE, MEMBER, MONITOR, POLICE, act, choices, file_observation, forward, referral_of,
    signed_in,
};
use crate::on_both_databases;

async fn dashboard(browser: &mut Browser) -> Value {
    let (status, body) = browser.call("get_dashboard", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn institution<'a>(d: &'a Value, acronym: &str) -> &'a Value {
    &d["institutions"]
        .as_array()
        .expect("institutions")
        .iter()
        .find(|g| g["label"] == acronym)
        .unwrap_or_else(|| panic!("{acronym} in {d}"))["figures"]
}

fn share(value: &Value) -> Option<f64> {
    value.as_f64().map(|v| (v * 1000.0).round() / 1000.0)
}

async fn referral_step(liaison: &mut Browser, referral: &str, action: &str, note: &str) {
    act(
        liaison,
        &format!("/referrals/{referral}"),
        "referral_action",
        &[("id", referral), ("action", action), ("note", note)],
    )
    .await;
}

/// Both deadlines of `referral` moved to `ack_due` and `respond_due`, as if that time had passed
/// without an acknowledgement, and the statistics told, as the status change that moves a
/// deadline in the portal tells them.
async fn deadlines_passed(
    app: &TestApp,
    observation: &str,
    referral: &str,
    ack_due: NaiveDate,
    respond_due: NaiveDate,
) {
    crate::fixtures::deadlines_moved(app, referral, Some(ack_due), Some(respond_due)).await;
    let observation = Uuid::parse_str(observation).expect("uuid");
    app::server::statistics::refresh(&app.db, observation)
        .await
        .expect("refresh");
}

async fn on_time_shares_count_lapsed_deadlines_as_late(backend: Backend) {
    // The deadline jobs would escalate the late referral and mail about it.
    let app = TestApp::builder(backend)
        .settings(|s| s.deadline_jobs = false)
        .start()
        .await;
    app.account(GENDARMERIE, "liaison", None, Some("DGGN"))
        .await;
    let mut member = signed_in(&app, MEMBER).await;
    let mut monitor = signed_in(&app, MONITOR).await;
    let mut police = signed_in(&app, POLICE).await;
    let mut gendarmerie = signed_in(&app, GENDARMERIE).await;
    let c = choices(&mut member).await;

    // Three referrals to the police (R1 answered at once; R2 ignored; R3 not yet due), and R4
    // to the gendarmerie, acknowledged, its response not yet due.
    let mut observations = Vec::new();
    for title in ["Garde à vue prolongée", "Racket au marché", "Menaces"] {
        let id = file_observation(&mut member, title, "Fixture des mesures.").await;
        forward(&mut monitor, &id, &c.police, title, "Transmis.").await;
        observations.push(id);
    }
    forward(
        &mut monitor,
        &observations[0],
        &c.gendarmerie,
        "Garde à vue",
        "Transmis.",
    )
    .await;
    let r1 = referral_of(&mut monitor, &observations[0], "DGPN").await;
    let r2 = referral_of(&mut monitor, &observations[1], "DGPN").await;
    let r4 = referral_of(&mut monitor, &observations[0], "DGGN").await;
    referral_step(&mut police, &r1, "acknowledge", "").await;
    referral_step(&mut police, &r1, "respond", "Libéré le jour même.").await;
    referral_step(&mut gendarmerie, &r4, "acknowledge", "").await;

    // Nothing is due yet: R2 and R3 are in neither part of the police's shares.
    let d = dashboard(&mut monitor).await;
    let dgpn = institution(&d, "DGPN");
    assert_eq!(dgpn["received"], 3);
    assert_eq!(share(&dgpn["ack_on_time"]), Some(1.0), "{dgpn}");
    assert_eq!(share(&dgpn["resp_on_time"]), Some(1.0), "{dgpn}");

    // R2's deadlines pass (acknowledgement 15 calendar days ago, response 10) with a public
    // holiday on the first weekday after its acknowledgement deadline.
    let today = app::server::observations::today();
    let ack_due = today - Days::new(15);
    let respond_due = today - Days::new(10);
    let known: Vec<NaiveDate> = holiday::Entity::find()
        .all(&app.db)
        .await
        .expect("holidays")
        .into_iter()
        .map(|h| h.day)
        .collect();
    let weekday = |d: &NaiveDate| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
    let holiday_on = ack_due
        .iter_days()
        .skip(1)
        .find(|d| weekday(d) && !known.contains(d))
        .expect("a weekday");
    holiday::ActiveModel {
        id: Set(Uuid::new_v4()),
        day: Set(holiday_on),
        name_fr: Set("Jour férié de test".into()),
        name_en: Set("Test holiday".into()),
        kind: Set("added".into()),
    }
    .insert(&app.db)
    .await
    .expect("holiday");
    deadlines_passed(&app, &observations[1], &r2, ack_due, respond_due).await;

    // Worked out by hand: R1 on time, R2 late (never acknowledged, never answered), R3 not
    // counted: 1 of 2 for both shares. The gendarmerie: acknowledged on time (1 of 1), its
    // response not yet due (no share). All of them: 2 of 3 acknowledged on time, 1 of 2 answered.
    let d = dashboard(&mut monitor).await;
    let dgpn = institution(&d, "DGPN");
    assert_eq!(dgpn["received"], 3);
    assert_eq!(dgpn["acknowledged"], 1);
    assert_eq!(dgpn["ack_lapsed"], 1);
    assert_eq!(share(&dgpn["ack_on_time"]), Some(0.5), "{dgpn}");
    assert_eq!(dgpn["responded"], 1);
    assert_eq!(dgpn["resp_lapsed"], 1);
    assert_eq!(share(&dgpn["resp_on_time"]), Some(0.5), "{dgpn}");
    let dggn = institution(&d, "DGGN");
    assert_eq!(share(&dggn["ack_on_time"]), Some(1.0), "{dggn}");
    assert_eq!(dggn["resp_on_time"], Value::Null, "{dggn}");
    assert_eq!(dggn["resp_lapsed"], 0);
    let totals = &d["totals"];
    assert_eq!(share(&totals["ack_on_time"]), Some(0.667), "{totals}");
    assert_eq!(share(&totals["resp_on_time"]), Some(0.5), "{totals}");

    // The overdue list counts working days: from the deadline (excluded) to today, weekends and
    // holidays skipped, counted here one day at a time.
    let holidays: Vec<NaiveDate> = known.into_iter().chain([holiday_on]).collect();
    let working = ack_due
        .iter_days()
        .skip(1)
        .take_while(|d| *d <= today)
        .filter(|d| weekday(d) && !holidays.contains(d))
        .count() as i64;
    assert!(working < 15, "fewer working days than calendar days");
    let late = d["overdue"]
        .as_array()
        .expect("overdue")
        .iter()
        .find(|o| o["link"] == format!("/observations/{}", observations[1]))
        .unwrap_or_else(|| panic!("R2 overdue: {d}"));
    assert_eq!(late["days_late"], working, "{late}");

    // A liaison's and the organisation's dashboards say the same of the same referrals.
    let own = dashboard(&mut police).await;
    assert_eq!(share(&own["totals"]["ack_on_time"]), Some(0.5));
    assert_eq!(share(&own["totals"]["resp_on_time"]), Some(0.5));
    let mine = dashboard(&mut member).await;
    assert_eq!(share(&mine["totals"]["ack_on_time"]), Some(0.667));
    assert_eq!(share(&mine["totals"]["resp_on_time"]), Some(0.5));

    // The page shows the share with its definition beside it.
    let (status, page) = monitor.page("/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("50\u{a0}%"), "the police's share on the page");
    assert!(
        page.contains("celles encore dans le délai et sans accusé ne comptent pas"),
        "the definition beside the figure"
    );

    // The institutions export repeats the figures (French decimals in CSV, numbers in JSON).
    let response = monitor.get("/exports/institutions?format=csv", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("csv");
    let header = text.lines().next().expect("header");
    assert!(header.ends_with(";ack_lapsed;resp_lapsed"), "{header}");
    let line = text
        .lines()
        .find(|l| l.starts_with("DGPN;"))
        .unwrap_or_else(|| panic!("DGPN in {text}"));
    assert!(line.starts_with("DGPN;3;1;0,500;1;0,500;"), "{line}");
    assert!(line.ends_with(";1;1"), "{line}");
    let response = monitor.get("/exports/institutions?format=json", &[]).await;
    let rows: Value = response.json().await.expect("json");
    let dgpn = rows
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["group"] == "DGPN")
        .expect("DGPN");
    assert_eq!(share(&dgpn["ack_on_time_share"]), Some(0.5), "{dgpn}");
    assert_eq!(share(&dgpn["resp_on_time_share"]), Some(0.5), "{dgpn}");
    assert_eq!(dgpn["ack_lapsed"], 1);

    // The public page defines the figures it shows, in the dashboard's words, and not the
    // on-time shares, which it does not show.
    let (status, public) = app.browser().page("/transparence").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        public.contains("Comment les chiffres sont définis"),
        "{public}"
    );
    assert!(public.contains("comptées au mois de la transmission"));
    assert!(!public.contains("celles encore dans le délai et sans accusé ne comptent pas"));

    // The NHRC escalates R3 before its deadlines: without an acknowledgement or a response, it
    // now counts as late in both (1 of 3 each for the police).
    let r3 = referral_of(&mut monitor, &observations[2], "DGPN").await;
    act(
        &mut monitor,
        &format!("/observations/{}", observations[2]),
        "referral_action",
        &[
            ("id", &r3),
            ("action", "escalate"),
            ("note", "Aucune nouvelle."),
        ],
    )
    .await;
    let d = dashboard(&mut monitor).await;
    let dgpn = institution(&d, "DGPN");
    assert_eq!(dgpn["ack_lapsed"], 2, "{dgpn}");
    assert_eq!(share(&dgpn["ack_on_time"]), Some(0.333), "{dgpn}");
    assert_eq!(share(&dgpn["resp_on_time"]), Some(0.333), "{dgpn}");

    // A recount from scratch gives the same figures as the running counts.
    let running = dashboard(&mut monitor).await;
    app::server::statistics::rebuild(&app.db)
        .await
        .expect("rebuild");
    assert_eq!(running, dashboard(&mut monitor).await, "a recount agrees");
    app.finish().await;
}
on_both_databases!(on_time_shares_count_lapsed_deadlines_as_late);

/// The response deadline the referral has now and the one first given, as stored.
async fn response_deadlines(app: &TestApp, referral: &str) -> (NaiveDate, Option<NaiveDate>) {
    let id = Uuid::parse_str(referral).expect("uuid");
    let row = referral::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("referral");
    (row.respond_due, row.original_respond_due)
}

async fn a_returned_or_contested_referral_answered_late_counts_as_late(backend: Backend) {
    let app = TestApp::builder(backend)
        .settings(|s| s.deadline_jobs = false)
        .start()
        .await;
    let mut member = signed_in(&app, MEMBER).await;
    let mut monitor = signed_in(&app, MONITOR).await;
    let mut police = signed_in(&app, POLICE).await;
    let c = choices(&mut member).await;
    let today = app::server::observations::today();
    let original = today - Days::new(3);

    // R1: acknowledged, its response deadline passes, the NHRC escalates it and returns it to
    // the police with a fresh deadline.
    let returned = file_observation(
        &mut member,
        "Garde à vue prolongée",
        "Fixture des mesures : délais remplacés.",
    )
    .await;
    forward(
        &mut monitor,
        &returned,
        &c.police,
        "Garde à vue",
        "Transmis.",
    )
    .await;
    let r1 = referral_of(&mut monitor, &returned, "DGPN").await;
    referral_step(&mut police, &r1, "acknowledge", "").await;
    deadlines_passed(&app, &returned, &r1, today - Days::new(20), original).await;
    let page = format!("/observations/{returned}");
    for (action, note) in [("escalate", "Aucune réponse."), ("return", "À traiter.")] {
        act(
            &mut monitor,
            &page,
            "referral_action",
            &[("id", &r1), ("action", action), ("note", note)],
        )
        .await;
    }
    let (fresh, kept) = response_deadlines(&app, &r1).await;
    assert!(fresh > today, "the return gives a fresh deadline ({fresh})");
    assert_eq!(kept, Some(original), "the first deadline is kept");
    // Not answered and past its first deadline: late, not "not yet due".
    let d = dashboard(&mut monitor).await;
    let dgpn = institution(&d, "DGPN");
    assert_eq!(dgpn["resp_lapsed"], 1, "{dgpn}");
    assert_eq!(share(&dgpn["resp_on_time"]), Some(0.0), "{dgpn}");
    referral_step(&mut police, &r1, "respond", "Libéré après enquête.").await;

    // R2: answered after its deadline, contested, answered again within the fresh one.
    let contested = file_observation(
        &mut member,
        "Racket au marché",
        "Fixture des mesures : délais remplacés.",
    )
    .await;
    forward(&mut monitor, &contested, &c.police, "Racket", "Transmis.").await;
    let r2 = referral_of(&mut monitor, &contested, "DGPN").await;
    referral_step(&mut police, &r2, "acknowledge", "").await;
    deadlines_passed(&app, &contested, &r2, today - Days::new(20), original).await;
    referral_step(&mut police, &r2, "respond", "Agents sanctionnés.").await;
    act(
        &mut member,
        &format!("/observations/{contested}"),
        "referral_action",
        &[
            ("id", &r2),
            ("action", "contest"),
            ("note", "Rien n'a changé."),
        ],
    )
    .await;
    let (fresh, kept) = response_deadlines(&app, &r2).await;
    assert!(
        fresh > today,
        "the contest gives a fresh deadline ({fresh})"
    );
    assert_eq!(kept, Some(original), "the first deadline is kept");
    referral_step(&mut police, &r2, "respond", "Nouvelle enquête ouverte.").await;

    // R3: never contested; the police asks a question after its deadline has passed. The
    // organisation's answer moves the running deadline, not the lapsed one.
    let asked_late = file_observation(
        &mut member,
        "Plainte refusée au commissariat",
        "Fixture des mesures : question posée après l'échéance.",
    )
    .await;
    forward(&mut monitor, &asked_late, &c.police, "Plainte", "Transmis.").await;
    let r3 = referral_of(&mut monitor, &asked_late, "DGPN").await;
    referral_step(&mut police, &r3, "acknowledge", "").await;
    deadlines_passed(&app, &asked_late, &r3, today - Days::new(20), original).await;
    referral_step(&mut police, &r3, "ask_info", "Quelle date exactement ?").await;
    act(
        &mut member,
        &format!("/observations/{asked_late}"),
        "referral_action",
        &[
            ("id", &r3),
            ("action", "clarify"),
            ("note", "Le 3 du mois."),
        ],
    )
    .await;
    let (_, kept) = response_deadlines(&app, &r3).await;
    assert_eq!(kept, Some(original), "the lapsed deadline is kept");
    referral_step(&mut police, &r3, "respond", "Plainte enregistrée.").await;

    // All answered after their first deadline: none on time, on the dashboard, its page and
    // after a recount.
    let d = dashboard(&mut monitor).await;
    let dgpn = institution(&d, "DGPN");
    assert_eq!(dgpn["responded"], 3, "{dgpn}");
    assert_eq!(share(&dgpn["resp_on_time"]), Some(0.0), "{dgpn}");
    assert_eq!(share(&d["totals"]["resp_on_time"]), Some(0.0));
    let running = dashboard(&mut monitor).await;
    app::server::statistics::rebuild(&app.db)
        .await
        .expect("rebuild");
    assert_eq!(running, dashboard(&mut monitor).await, "a recount agrees");
    app.finish().await;
}
on_both_databases!(a_returned_or_contested_referral_answered_late_counts_as_late);
