//! Notifications through a real SMTP server (aiosmtpd): who gets what, in which language,
//! with nothing sensitive; nothing lost while SMTP is down; retries, dead letters, two
//! instances, digest and one-click unsubscribe.

use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

use crate::harness::{
    Backend, PATIENCE, SmtpServer, TestApp, TestAppBuilder, eventually, free_port,
};
use crate::observations::{
    MEMBER, MONITOR, POLICE, act, choices, filing, forward, referral_of, signed_in,
};
use crate::on_both_databases;
use app::server::entities::{notification, user};

const COORDINATOR: &str = "coordinatrice@femmes-kayes.test";
const ORGANISATION: &str = "Association des femmes juristes de Kayes";

/// A portal sending to `port`; these tests file observations by the dozen, past the
/// ordinary abuse limits.
fn with_smtp(backend: Backend, port: u16, attempts: i32) -> TestAppBuilder {
    TestApp::builder(backend)
        .smtp(port)
        .bulk_filing()
        .settings(move |s| s.mail_max_attempts = attempts)
}

/// Files one observation as `MEMBER` with `token`; returns its id.
async fn file(member: &mut crate::harness::Browser, token: &str, description: &str) -> String {
    let c = choices(member).await;
    let form =
        filing(token, &c, "Racket au poste de contrôle", description).text("intent", "submit");
    let response = member
        .upload("/observations/new", "/observations/save", form)
        .await;
    let to = crate::harness::location(&response);
    assert!(to.ends_with("?notice=submitted"), "{to}");
    crate::observations::id_in(&to)
}

fn summary(messages: &[Value]) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = messages
        .iter()
        .map(|m| {
            (
                m["to"][0].as_str().unwrap_or_default().to_string(),
                m["subject"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    list.sort();
    list
}

fn distinct_message_ids(messages: &[Value]) -> usize {
    let mut ids: Vec<&str> = messages
        .iter()
        .filter_map(|m| m["message_id"].as_str())
        .collect();
    ids.sort();
    ids.dedup();
    ids.len()
}

async fn every_change_mails_the_right_people(backend: Backend) {
    let smtp = SmtpServer::start(free_port(), "", 0).await;
    let app = with_smtp(backend, smtp.port, 4).start().await;
    // The police liaison reads English.
    user::Entity::update_many()
        .col_expr(user::Column::Locale, Expr::value("en"))
        .filter(user::Column::Email.eq(POLICE))
        .exec(&app.db)
        .await
        .expect("locale");
    let mut member = signed_in(&app, MEMBER).await;
    let mut monitor = signed_in(&app, MONITOR).await;
    let mut police = signed_in(&app, POLICE).await;
    let c = choices(&mut member).await;
    let marker = "MARQUEUR-COURRIEL-5e6f";
    let id = file(
        &mut member,
        "jeton-courriel",
        &format!("Des agents ont exigé de l'argent ({marker})."),
    )
    .await;
    let page = format!("/observations/{id}");
    forward(
        &mut monitor,
        &id,
        &c.police,
        "Racket",
        &format!("Texte transmis {marker}"),
    )
    .await;
    let referral = referral_of(&mut monitor, &id, "DGPN").await;
    let referral_page = format!("/referrals/{referral}");
    act(
        &mut police,
        &referral_page,
        "referral_action",
        &[("id", &referral), ("action", "acknowledge")],
    )
    .await;
    act(
        &mut police,
        &referral_page,
        "referral_action",
        &[
            ("id", &referral),
            ("action", "respond"),
            ("note", &format!("Réponse {marker}")),
        ],
    )
    .await;
    act(
        &mut member,
        &page,
        "referral_action",
        &[
            ("id", &referral),
            ("action", "contest"),
            ("note", &format!("Contestation {marker}")),
        ],
    )
    .await;

    // Every row of the outbox handled: what has arrived is all there will be.
    app.outbox_settled().await;
    let messages = smtp.messages();
    let (_, d) = member.call("get_observation", &[("id", &id)]).await;
    let reference = d["reference"].as_str().expect("reference").to_string();
    let r = |s: &str| s.replace("REF", &reference);
    let mut expected: Vec<(String, String)> = vec![
        (COORDINATOR.into(), r("Veille : observation déposée (REF)")),
        (MONITOR.into(), r("Veille : observation déposée (REF)")),
        (MEMBER.into(), r("Veille : observation transmise (REF)")),
        (
            COORDINATOR.into(),
            r("Veille : observation transmise (REF)"),
        ),
        (POLICE.into(), r("Veille: observation forwarded (REF)")),
        (MEMBER.into(), r("Veille : réception accusée (REF)")),
        (COORDINATOR.into(), r("Veille : réception accusée (REF)")),
        (MEMBER.into(), r("Veille : réponse de l'institution (REF)")),
        (
            COORDINATOR.into(),
            r("Veille : réponse de l'institution (REF)"),
        ),
        (POLICE.into(), r("Veille: response contested (REF)")),
        (MONITOR.into(), r("Veille : réponse contestée (REF)")),
    ];
    expected.sort();
    assert_eq!(summary(&messages), expected);
    assert_eq!(distinct_message_ids(&messages), messages.len());
    for m in &messages {
        let everything = m.to_string();
        assert!(
            !everything.contains(marker),
            "case text in a mail: {everything}"
        );
        assert!(
            !everything.contains(ORGANISATION),
            "the organisation in a mail"
        );
        assert!(
            m["message_id"]
                .as_str()
                .unwrap_or_default()
                .ends_with("@127.0.0.1>")
        );
        assert!(
            m["list_unsubscribe"]
                .as_str()
                .unwrap_or_default()
                .contains("/unsubscribe?token=")
        );
        assert_eq!(m["list_unsubscribe_post"], "List-Unsubscribe=One-Click");
        assert!(m["text"].as_str().unwrap_or_default().contains(&reference));
        assert!(m["html"].as_str().unwrap_or_default().contains(&reference));
    }
    // The police's own mails are in English and name the institution.
    let police_mail = messages
        .iter()
        .find(|m| m["to"][0] == POLICE)
        .expect("police mail");
    assert!(
        police_mail["text"]
            .as_str()
            .unwrap_or_default()
            .contains("Sign in to see the case")
    );
    app.finish().await;
}
on_both_databases!(every_change_mails_the_right_people);

async fn nothing_is_lost_while_smtp_is_down(backend: Backend) {
    let port = free_port();
    let app = with_smtp(backend, port, 50).start().await;
    let mut member = signed_in(&app, MEMBER).await;
    // 100 status changes with no SMTP server: every request succeeds.
    for i in 0..100 {
        file(
            &mut member,
            &format!("jeton-panne-{i}"),
            "Une observation déposée pendant la panne du serveur de courrier.",
        )
        .await;
    }
    let (_, list) = member.call("list_observations", &[]).await;
    assert_eq!(list["total"], 100);
    let waiting = notification::Entity::find()
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(waiting, 200, "two recipients per filing, all kept");
    // The server appears: every mail is delivered, once.
    let smtp = SmtpServer::start(port, "", 0).await;
    // Some rows wait for a retry up to a minute away.
    smtp.wait_for(200).await;
    app.outbox_settled().await;
    assert_eq!(smtp.messages().len(), 200);
    assert_eq!(
        distinct_message_ids(&smtp.messages()),
        200,
        "no Message-ID twice"
    );
    let sent = notification::Entity::find()
        .filter(notification::Column::State.eq("sent"))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(sent, 200);
    app.finish().await;
}
on_both_databases!(nothing_is_lost_while_smtp_is_down);

async fn temporary_failures_are_retried_permanent_ones_are_dead(backend: Backend) {
    // 451 twice, then accepted: both mails arrive on their second attempt.
    let smtp = SmtpServer::start(free_port(), "451", 2).await;
    let app = with_smtp(backend, smtp.port, 4).start().await;
    let mut member = signed_in(&app, MEMBER).await;
    file(
        &mut member,
        "jeton-451",
        "Une observation dont les courriels sont d'abord refusés.",
    )
    .await;
    app.outbox_settled().await;
    assert_eq!(smtp.messages().len(), 2);
    let rows = notification::Entity::find()
        .all(&app.db)
        .await
        .expect("rows");
    for row in &rows {
        assert_eq!((row.state.as_str(), row.attempts), ("sent", 2), "{row:?}");
    }
    app.finish().await;

    // 550: given up at once, visible to admins; the filing stands.
    let refusing = SmtpServer::start(free_port(), "550", 0).await;
    let app = with_smtp(backend, refusing.port, 4).start().await;
    let mut member = signed_in(&app, MEMBER).await;
    let id = file(
        &mut member,
        "jeton-550",
        "Une observation dont les courriels sont refusés.",
    )
    .await;
    app.outbox_settled().await;
    let dead = notification::Entity::find()
        .filter(notification::Column::State.eq("dead"))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(dead, 2);
    let (_, d) = member.call("get_observation", &[("id", &id)]).await;
    assert_eq!(d["status"], "submitted", "the status change stands");
    let mut admin = signed_in(&app, "admin@veille.test").await;
    let (status, problems) = admin.call("list_mail_problems", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let problems = problems.as_array().expect("list").clone();
    assert_eq!(problems.len(), 2);
    assert!(
        problems
            .iter()
            .all(|p| p["state"] == "dead" && p["attempts"] == 1)
    );
    assert!(
        problems[0]["last_error"]
            .as_str()
            .unwrap_or_default()
            .contains("550")
    );
    let (status, page) = admin.page("/admin/mail").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Abandonné"));
    let first = problems[0]["id"].as_str().expect("id").to_string();
    let (status, _) = admin.call("resend_mail", &[("id", &first)]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = member.call("list_mail_problems", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "admins only");
    app.finish().await;
}
on_both_databases!(temporary_failures_are_retried_permanent_ones_are_dead);

async fn two_instances_never_send_a_row_twice(backend: Backend) {
    let smtp = SmtpServer::start(free_port(), "", 0).await;
    let app = with_smtp(backend, smtp.port, 4).start().await;
    let _second = app.second_instance().await;
    let mut member = signed_in(&app, MEMBER).await;
    for i in 0..40 {
        file(
            &mut member,
            &format!("jeton-double-{i}"),
            "Une observation pour deux serveurs qui vident la même file.",
        )
        .await;
    }
    app.outbox_settled().await;
    let messages = smtp.messages();
    assert_eq!(messages.len(), 80);
    assert_eq!(distinct_message_ids(&messages), 80);
    app.finish().await;
}
on_both_databases!(two_instances_never_send_a_row_twice);

async fn digest_and_one_click_unsubscribe(backend: Backend) {
    let smtp = SmtpServer::start(free_port(), "", 0).await;
    let app = with_smtp(backend, smtp.port, 4).start().await;
    let mut coordinator = signed_in(&app, COORDINATOR).await;
    let (status, _) = coordinator
        .call("set_notification_preference", &[("preference", "daily")])
        .await;
    assert_eq!(status, StatusCode::OK);
    let mut member = signed_in(&app, MEMBER).await;
    let id = file(
        &mut member,
        "jeton-resume",
        "Une observation résumée dans le courriel du jour.",
    )
    .await;
    // The monitor is mailed now; the coordinator waits for the digest.
    let messages = smtp.wait_for(1).await;
    assert_eq!(messages[0]["to"][0], MONITOR);
    let now = chrono::Utc::now();
    let tomorrow_evening = (now.date_naive() + chrono::Days::new(1))
        .and_hms_opt(19, 0, 0)
        .expect("time")
        .and_utc();
    let digests = app::server::outbox::worker::queue_digests(&app.db, tomorrow_evening, 18)
        .await
        .expect("digest");
    assert_eq!(digests, 1);
    let messages = smtp.wait_for(2).await;
    let digest = messages
        .iter()
        .find(|m| m["to"][0] == COORDINATOR)
        .expect("digest");
    assert_eq!(digest["subject"], "Veille : résumé du jour");
    let (_, d) = member.call("get_observation", &[("id", &id)]).await;
    assert!(
        digest["text"]
            .as_str()
            .unwrap_or_default()
            .contains(d["reference"].as_str().expect("ref"))
    );

    // One click, as a mail provider posts it: no session, no Origin.
    let link = messages[0]["list_unsubscribe"]
        .as_str()
        .expect("link")
        .trim_matches(['<', '>'])
        .to_string();
    let client = reqwest::Client::new();
    let mut forged = link.clone();
    let last = forged.pop().expect("token");
    forged.push(if last == '0' { '1' } else { '0' });
    let response = client
        .post(&forged)
        .body("List-Unsubscribe=One-Click")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .expect("post");
    assert_eq!(
        response.status(),
        StatusCode::BAD_REQUEST,
        "a forged token does nothing"
    );
    let preference = |email: &'static str| {
        let db = app.db.clone();
        async move {
            user::Entity::find()
                .filter(user::Column::Email.eq(email))
                .one(&db)
                .await
                .expect("user")
                .expect("user")
                .notification_preference
        }
    };
    assert_eq!(preference(MONITOR).await, "immediate");
    let response = client
        .post(&link)
        .body("List-Unsubscribe=One-Click")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(preference(MONITOR).await, "off");
    app.finish().await;
}
on_both_databases!(digest_and_one_click_unsubscribe);

/// The release binary that `scripts/test.sh` builds before the tests run.
fn veille_binary() -> std::path::PathBuf {
    let path = std::env::var("VEILLE_BIN")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/release/veille")
        });
    assert!(
        path.exists(),
        "{} is missing: build it (scripts/test.sh does)",
        path.display()
    );
    path
}

async fn a_worker_killed_mid_batch_loses_nothing(backend: Backend) {
    /// Mails the killed worker sends at once (`MAIL_CONCURRENCY`).
    const IN_FLIGHT: usize = 3;
    let smtp = SmtpServer::start_slow(free_port(), "", 0, 0.1).await;
    // This instance only serves; the worker runs in a separate process that gets killed.
    let app = TestApp::builder(backend)
        .smtp(smtp.port)
        .without_outbox_worker()
        .bulk_filing()
        .start()
        .await;
    let mut member = signed_in(&app, MEMBER).await;
    for i in 0..30 {
        file(
            &mut member,
            &format!("jeton-crash-{i}"),
            "Une observation dont les courriels survivent à un arrêt brutal.",
        )
        .await;
    }
    let site = tempfile::tempdir().expect("folder");
    let spawn = || {
        std::process::Command::new(veille_binary())
            .arg("serve")
            .env("DATABASE_URL", &app.settings.database_url)
            .env("DATA_DIR", app.data_dir.join("worker"))
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{}", free_port()))
            .env("LEPTOS_SITE_ROOT", site.path())
            .env("PUBLIC_URL", &app.url)
            .env("SMTP_URL", SmtpServer::url(smtp.port))
            .env("MAIL_CLAIM_SECONDS", "3")
            .env("MAIL_RETRY_SECONDS", "1")
            .env("MAIL_CONCURRENCY", IN_FLIGHT.to_string())
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start veille")
    };
    let mut worker = spawn();
    smtp.wait_for(5).await;
    worker.kill().expect("kill -9");
    worker.wait().expect("wait");
    let before = smtp.messages().len();
    assert!(
        (5..60).contains(&before),
        "killed mid-way: {before} delivered"
    );
    let stranded = notification::Entity::find()
        .filter(notification::Column::State.eq("sending"))
        .count(&app.db)
        .await
        .expect("count");
    assert!(stranded > 0, "the killed worker held a batch");

    // Restarted, it takes the stranded rows again once their claim expires.
    let mut worker = spawn();
    eventually(
        PATIENCE * 3,
        "every row sent by the restarted worker",
        || async { app.unsent_mail().await.is_empty().then_some(()) },
    )
    .await;
    worker.kill().ok();
    worker.wait().ok();
    let messages = smtp.messages();
    assert_eq!(distinct_message_ids(&messages), 60, "every mail delivered");
    assert!(
        messages.len() <= 60 + IN_FLIGHT,
        "only the {IN_FLIGHT} in flight may come twice: {}",
        messages.len()
    );
    let sent = notification::Entity::find()
        .filter(notification::Column::State.eq("sent"))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(sent, 60);
    app.finish().await;
}
on_both_databases!(a_worker_killed_mid_batch_loses_nothing);

/// Mails as the portal wrote them (no SMTP server: `.eml` files), read back by their outbox
/// row: the row's Message-ID names its file. Quoted-printable decoded, lines ending in `\n`.
fn written_mail(app: &TestApp, row: uuid::Uuid) -> String {
    let id = format!("<{}@", row.simple());
    let raw = app
        .mails()
        .into_iter()
        .find(|m| m.contains(&id))
        .unwrap_or_else(|| panic!("the mail of row {row}"));
    let unfolded = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = unfolded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = bytes
            .get(at + 1..at + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[at], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                at += 3;
            }
            (byte, _) => {
                out.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).replace("\r\n", "\n")
}

/// The outbox rows written after `seen` (ids), with their recipient's address, oldest first.
async fn rows_since(app: &TestApp, seen: &[uuid::Uuid]) -> Vec<(notification::Model, String)> {
    use sea_orm::QueryOrder;
    let users = user::Entity::find().all(&app.db).await.expect("users");
    notification::Entity::find()
        .order_by_asc(notification::Column::CreatedAt)
        .all(&app.db)
        .await
        .expect("rows")
        .into_iter()
        .filter(|r| !seen.contains(&r.id))
        .map(|r| {
            let email = users
                .iter()
                .find(|u| u.id == r.recipient_id)
                .expect("recipient")
                .email
                .clone();
            (r, email)
        })
        .collect()
}

async fn row_ids(app: &TestApp) -> Vec<uuid::Uuid> {
    notification::Entity::find()
        .all(&app.db)
        .await
        .expect("rows")
        .into_iter()
        .map(|r| r.id)
        .collect()
}

async fn set_locale(app: &TestApp, email: &str, locale: &str) {
    user::Entity::update_many()
        .col_expr(user::Column::Locale, Expr::value(locale))
        .filter(user::Column::Email.eq(email))
        .exec(&app.db)
        .await
        .expect("locale");
}

/// Issue 14's mails, as a table: the response accepted and the referral closed reach the
/// institution; an escalation reaches it too; a referral closed with its observation reaches
/// its institution; a reopened case reaches the organisation and every institution it was
/// forwarded to. Each in the recipient's language, with the link to the case as that
/// recipient opens it, no case text, nobody else, and never the actor.
async fn the_new_mails_reach_their_people(backend: Backend) {
    use crate::observations::{GENDARMERIE, file_observation, step};
    let app = TestApp::start(backend).await;
    app.account(GENDARMERIE, "liaison", None, Some("DGGN"))
        .await;
    set_locale(&app, POLICE, "en").await;
    let mut member = signed_in(&app, MEMBER).await;
    let mut monitor = signed_in(&app, MONITOR).await;
    let mut police = signed_in(&app, POLICE).await;
    let c = choices(&mut member).await;
    let marker = "MARQUEUR-NOUVEAUX-COURRIELS-7a1c";
    let id = file_observation(
        &mut member,
        "Contrôle abusif",
        &format!("Des agents ont confisqué des pièces d'identité ({marker})."),
    )
    .await;
    for institution in [&c.police, &c.gendarmerie] {
        forward(&mut monitor, &id, institution, "Contrôle", marker).await;
    }
    let police_referral = referral_of(&mut monitor, &id, "DGPN").await;
    let gendarmerie_referral = referral_of(&mut monitor, &id, "DGGN").await;
    let page = format!("/observations/{id}");
    let police_page = format!("/referrals/{police_referral}");
    for action in ["acknowledge", "respond"] {
        let note = (action == "respond").then_some(marker);
        step(
            &mut police,
            &police_page,
            "referral_action",
            &police_referral,
            action,
            note,
        )
        .await;
    }
    app.outbox_settled().await;
    let seen = row_ids(&app).await;

    // The organisation accepts the police's response; the NHRC closes that referral,
    // escalates the gendarmerie's, closes the case over it, then reopens the case.
    step(
        &mut member,
        &page,
        "referral_action",
        &police_referral,
        "accept",
        None,
    )
    .await;
    step(
        &mut monitor,
        &page,
        "referral_action",
        &police_referral,
        "close",
        None,
    )
    .await;
    step(
        &mut monitor,
        &page,
        "referral_action",
        &gendarmerie_referral,
        "escalate",
        Some(marker),
    )
    .await;
    act(
        &mut monitor,
        &page,
        "observation_action",
        &[
            ("id", &id),
            ("action", "close"),
            ("resolution", "unresolved"),
            ("note", marker),
        ],
    )
    .await;
    step(
        &mut monitor,
        &page,
        "observation_action",
        &id,
        "reopen",
        Some(marker),
    )
    .await;
    app.outbox_settled().await;

    let (_, d) = member.call("get_observation", &[("id", &id)]).await;
    let reference = d["reference"].as_str().expect("reference").to_string();
    let rows = rows_since(&app, &seen).await;
    let mut table: Vec<(String, String, String)> = rows
        .iter()
        .map(|(r, email)| (email.clone(), r.template.clone(), r.locale.clone()))
        .collect();
    table.sort();
    let mut expected: Vec<(String, String, String)> = [
        (POLICE, "accepted", "en"),
        (POLICE, "referral_closed", "en"),
        (MEMBER, "escalated", "fr"),
        (COORDINATOR, "escalated", "fr"),
        (GENDARMERIE, "escalated", "fr"),
        (MEMBER, "closed", "fr"),
        (COORDINATOR, "closed", "fr"),
        (GENDARMERIE, "referral_closed", "fr"),
        (MEMBER, "reopened", "fr"),
        (COORDINATOR, "reopened", "fr"),
        (POLICE, "reopened", "en"),
        (GENDARMERIE, "reopened", "fr"),
    ]
    .iter()
    .map(|(e, t, l)| (e.to_string(), t.to_string(), l.to_string()))
    .collect();
    expected.sort();
    assert_eq!(table, expected, "who is told of what, in which language");

    // What each mail says, in its reader's language, and where its link leads.
    let sentence = |template: &str, locale: &str| -> String {
        match (template, locale) {
            ("accepted", "en") => "Your institution's response to observation REF was accepted.",
            ("referral_closed", "en") => {
                "The NHRC closed the referral of observation REF to your institution."
            }
            ("referral_closed", _) => {
                "La CNDH a clôturé la transmission de l'observation REF à votre institution."
            }
            ("escalated", _) => "La transmission de l'observation REF a été escaladée à la CNDH.",
            ("closed", _) => "L'observation REF est clôturée.",
            ("reopened", "en") => "The NHRC reopened observation REF.",
            ("reopened", _) => "La CNDH a rouvert l'observation REF.",
            other => panic!("no sentence for {other:?}"),
        }
        .replace("REF", &reference)
    };
    for (row, email) in &rows {
        let mail = written_mail(&app, row.id);
        let text = format!("{}\n", sentence(&row.template, &row.locale));
        assert!(mail.contains(&text), "{email} {}: {mail}", row.template);
        let link = match email.as_str() {
            POLICE => format!("/referrals/{police_referral}"),
            GENDARMERIE => format!("/referrals/{gendarmerie_referral}"),
            _ => page.clone(),
        };
        assert!(
            mail.contains(&format!("{}{link}\n", app.url)),
            "{email} {}: the case link {link} in {mail}",
            row.template
        );
        assert!(!mail.contains(marker), "case text in a mail: {mail}");
        assert!(!mail.contains(ORGANISATION), "the organisation in a mail");
    }
    app.finish().await;
}
on_both_databases!(the_new_mails_reach_their_people);

/// A new anonymous tip and a tipster's answers reach the NHRC's monitors (each in their
/// language, a link to the tip, none of its words), at most once an hour per tip: two
/// answers within the hour make one mail.
async fn tips_reach_the_nhrc_at_most_hourly(backend: Backend) {
    use crate::tip_thread::{open, send_tip};
    use app::server::entities::tip;
    const ANALYST: &str = "analyst@cndh.test";
    let app = TestApp::start(backend).await;
    app.account(ANALYST, "monitor", None, None).await;
    set_locale(&app, ANALYST, "en").await;
    let marker = "MARQUEUR-SIGNALEMENT-93d2";
    let mut tipster = app.browser();
    let receipt = send_tip(
        &mut tipster,
        &format!("Des gardes frappent les détenus la nuit ({marker})."),
    )
    .await;
    app.outbox_settled().await;
    let tip_id = tip::Entity::find()
        .one(&app.db)
        .await
        .expect("query")
        .expect("tip")
        .id;
    let link = format!("{}/tips/{tip_id}\n", app.url);
    let received = rows_since(&app, &[]).await;
    let mut table: Vec<(String, String, String)> = received
        .iter()
        .map(|(r, e)| (e.clone(), r.template.clone(), r.locale.clone()))
        .collect();
    table.sort();
    assert_eq!(
        table,
        [
            (ANALYST.into(), "tip_received".into(), "en".into()),
            (MONITOR.into(), "tip_received".into(), "fr".into()),
        ],
        "the NHRC's monitors, and nobody else"
    );
    for (row, email) in &received {
        let mail = written_mail(&app, row.id);
        let sentence = if email == ANALYST {
            "A new anonymous tip has arrived."
        } else {
            "Un nouveau signalement anonyme est arrivé."
        };
        assert!(mail.contains(sentence), "{mail}");
        assert!(mail.contains(&link), "the tip's link in {mail}");
        assert!(!mail.contains(marker), "tip text in a mail: {mail}");
    }

    // An hour later, the tipster answers: one mail each.
    let an_hour_ago = chrono::Utc::now() - chrono::Duration::minutes(61);
    notification::Entity::update_many()
        .col_expr(notification::Column::CreatedAt, Expr::value(an_hour_ago))
        .col_expr(
            notification::Column::NextAttemptAt,
            Expr::value(an_hour_ago),
        )
        .filter(notification::Column::TipId.eq(tip_id))
        .exec(&app.db)
        .await
        .expect("an hour ago");
    let seen = row_ids(&app).await;
    open(&mut tipster, &receipt).await;
    async fn answer(tipster: &mut crate::harness::Browser, words: &str, marker: &str) {
        let (status, body) = tipster
            .call(
                "reply_tip",
                &[("body", &format!("{words} ({marker}), le soir."))],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    answer(&mut tipster, "Première réponse", marker).await;
    app.outbox_settled().await;
    let replies = rows_since(&app, &seen).await;
    let mut table: Vec<(String, String)> = replies
        .iter()
        .map(|(r, e)| (e.clone(), r.template.clone()))
        .collect();
    table.sort();
    assert_eq!(
        table,
        [
            (ANALYST.into(), "tip_reply".into()),
            (MONITOR.into(), "tip_reply".into()),
        ],
        "an answer an hour after the tip: one mail each"
    );
    let last = replies
        .iter()
        .map(|(r, _)| r.next_attempt_at)
        .max()
        .expect("rows");

    // Two more answers within the hour: held back, as one mail each due when the hour after
    // the last one is up (the second answer adds none).
    let seen = row_ids(&app).await;
    answer(&mut tipster, "Seconde réponse", marker).await;
    answer(&mut tipster, "Troisième réponse", marker).await;
    app.outbox_settled().await;
    let held = rows_since(&app, &seen).await;
    let mut table: Vec<(String, String, String)> = held
        .iter()
        .map(|(r, e)| (e.clone(), r.template.clone(), r.state.clone()))
        .collect();
    table.sort();
    assert_eq!(
        table,
        [
            (ANALYST.into(), "tip_reply".into(), "pending".into()),
            (MONITOR.into(), "tip_reply".into(), "pending".into()),
        ],
        "the answers within the hour: one mail each, held back"
    );
    for (row, _) in &held {
        let due = last + chrono::Duration::minutes(60);
        assert!(
            (row.next_attempt_at - due).num_seconds().abs() <= 1,
            "due an hour after the last mail: {} vs {due}",
            row.next_attempt_at
        );
    }
    let mails_to_monitor = || {
        app.mails()
            .iter()
            .filter(|m| m.contains(&format!("To: {MONITOR}")))
            .count()
    };
    assert_eq!(mails_to_monitor(), 2, "one tip, one answer");
    for (row, _) in &replies {
        let mail = written_mail(&app, row.id);
        assert!(mail.contains(&link), "the tip's link in {mail}");
        assert!(!mail.contains(marker), "tip text in a mail: {mail}");
    }

    // When its hour comes, the held-back mail goes out.
    notification::Entity::update_many()
        .col_expr(
            notification::Column::NextAttemptAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::seconds(1)),
        )
        .filter(notification::Column::Id.is_in(held.iter().map(|(r, _)| r.id)))
        .exec(&app.db)
        .await
        .expect("the hour is up");
    app.outbox_settled().await;
    assert_eq!(mails_to_monitor(), 3, "the answers held back, in one mail");
    for (row, _) in &held {
        let mail = written_mail(&app, row.id);
        assert!(mail.contains(&link), "the tip's link in {mail}");
        assert!(!mail.contains(marker), "tip text in a mail: {mail}");
    }
    app.finish().await;
}
on_both_databases!(tips_reach_the_nhrc_at_most_hourly);

/// A daily digest names each case once with what changed, in the reader's language; the
/// reader's own acts are not in it.
async fn the_digest_says_what_changed(backend: Backend) {
    use crate::observations::{file_observation, step};
    let app = TestApp::start(backend).await;
    let mut coordinator = signed_in(&app, COORDINATOR).await;
    let mut member = signed_in(&app, MEMBER).await;
    for user in [&mut coordinator, &mut member] {
        let (status, _) = user
            .call("set_notification_preference", &[("preference", "daily")])
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    let mut monitor = signed_in(&app, MONITOR).await;
    let mut police = signed_in(&app, POLICE).await;
    let c = choices(&mut member).await;
    let first = file_observation(&mut member, "Premier cas", "Une observation résumée.").await;
    let second = file_observation(&mut member, "Second cas", "Une autre observation.").await;
    // The member reads English from here on (filing reads the French names of the forms).
    set_locale(&app, MEMBER, "en").await;
    forward(&mut monitor, &first, &c.police, "Premier", "Transmis.").await;
    let referral = referral_of(&mut monitor, &first, "DGPN").await;
    let police_page = format!("/referrals/{referral}");
    step(
        &mut police,
        &police_page,
        "referral_action",
        &referral,
        "acknowledge",
        None,
    )
    .await;
    step(
        &mut police,
        &police_page,
        "referral_action",
        &referral,
        "respond",
        Some("Réponse."),
    )
    .await;
    let mut references = Vec::new();
    for id in [&first, &second] {
        let (_, d) = member.call("get_observation", &[("id", id)]).await;
        references.push(d["reference"].as_str().expect("reference").to_string());
    }
    let (first_ref, second_ref) = (&references[0], &references[1]);
    let seen = row_ids(&app).await;
    let tomorrow_evening = (chrono::Utc::now().date_naive() + chrono::Days::new(1))
        .and_hms_opt(19, 0, 0)
        .expect("time")
        .and_utc();
    let digests = app::server::outbox::worker::queue_digests(&app.db, tomorrow_evening, 18)
        .await
        .expect("digest");
    assert_eq!(digests, 2, "one digest per reader");
    app.outbox_settled().await;
    let rows = rows_since(&app, &seen).await;
    assert_eq!(rows.len(), 2, "one digest each");
    for (row, email) in &rows {
        let mail = written_mail(&app, row.id);
        let expected = if email == COORDINATOR {
            format!(
                "Dossiers qui ont changé aujourd'hui : 2\n\
                 - {first_ref} : déposée, transmise, réception accusée, répondue\n\
                 - {second_ref} : déposée\n"
            )
        } else {
            // The member filed both: only what others did to the first.
            assert_eq!(email, MEMBER);
            format!(
                "Cases that changed today: 1\n- {first_ref}: forwarded, acknowledged, responded\n"
            )
        };
        assert!(mail.contains(&expected), "{email}: {mail}");
    }
    app.finish().await;
}
on_both_databases!(the_digest_says_what_changed);
