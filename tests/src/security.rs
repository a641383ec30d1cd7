//! Reporter protection over HTTP: the second factor (enrolment, one use per code, recovery
//! codes, the admin's reset, password-only sessions refused by every data server function),
//! the audit chain, anonymous tips with receipts, and the abuse limits.

use reqwest::StatusCode;
use reqwest::multipart::Form;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::Value;

use crate::evidence::{file_part, jpeg_with_gps};
use crate::harness::{Backend, Browser, DEMO_PASSWORD, TestApp, location, totp_code};
use crate::observations::{MEMBER, MONITOR, POLICE, choices, form_token, signed_in};
use crate::on_both_databases;

const ADMIN: &str = "admin@veille.test";
const DESCRIPTION: &str = "Des agents ont exigé de l'argent à chaque passage au poste de contrôle.";

async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(backend, sql.to_string()))
        .await
        .expect("query")
        .expect("row");
    row.try_get_by_index::<i64>(0).expect("number")
}

/// Runs one statement straight on the database (what an intruder with the file could do).
async fn execute(db: &DatabaseConnection, sql: &str) {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_string(backend, sql.to_string()))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn audited(db: &DatabaseConnection, action: &str) -> i64 {
    scalar(
        db,
        &format!("SELECT COUNT(*) FROM audit_entries WHERE action = '{action}'"),
    )
    .await
}

async fn user_field(db: &DatabaseConnection, email: &str, column: &str) -> Option<String> {
    use app::server::entities::user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let row = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(db)
        .await
        .expect("query")
        .expect("user");
    match column {
        "totp_secret" => row.totp_secret,
        "id" => Some(row.id.to_string()),
        _ => unreachable!(),
    }
}

async fn second_factor_is_enrolled_used_once_and_reset(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut admin = signed_in(&app, ADMIN).await;
    let email = "officier.neuf@police.test";
    // A liaison invited before their first sign-in: no second factor yet.
    app.account(email, "liaison", None, Some("DGPN")).await;
    execute(
        &app.db,
        &format!("UPDATE users SET totp_secret = NULL WHERE email = '{email}'"),
    )
    .await;
    let mut officer = app.browser();
    assert_eq!(
        officer.login_password(email, DEMO_PASSWORD).await,
        "/security"
    );
    let (status, body) = officer.call("list_referrals", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let (_, me) = officer.call("current_user", &[]).await;
    assert_eq!(me, Value::Null, "a password-only session is nobody");
    let (_, page) = officer.page("/security").await;
    assert!(page.contains("<svg"), "QR code drawn on the server");
    assert!(!page.contains("https://"), "no outside service");
    assert_eq!(officer.enrol(email).await, "/institution");
    let secret = user_field(&app.db, email, "totp_secret")
        .await
        .expect("enrolled");
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM recovery_codes").await,
        10
    );
    assert_eq!(audited(&app.db, "second_factor_enrolled").await, 1);

    // The code just used is refused the second time, whatever the session.
    let last: i64 = scalar(
        &app.db,
        &format!("SELECT totp_last_step FROM users WHERE email = '{email}'"),
    )
    .await;
    let mut replay = app.browser();
    assert_eq!(
        replay.login_password(email, DEMO_PASSWORD).await,
        "/login/code"
    );
    let used = totp_code(&secret, last as u64);
    let (status, body) = replay
        .call("verify_second_factor", &[("code", &used)])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.to_string().contains("error-code-invalid"), "{body}");
    let (status, _) = replay.call("list_referrals", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(replay.second_factor(email).await, "/institution");
    let (status, _) = replay.call("list_referrals", &[]).await;
    assert_eq!(status, StatusCode::OK);

    // A recovery code works once.
    let recovery = app::server::second_factor::recovery_codes(&secret)[3].clone();
    let mut lost_phone = app.browser();
    assert_eq!(
        lost_phone.login_password(email, DEMO_PASSWORD).await,
        "/login/code"
    );
    let response = lost_phone
        .submit(
            "/login/code",
            "verify_second_factor",
            &[("code", &recovery.to_uppercase())],
        )
        .await;
    assert_eq!(location(&response), "/institution");
    let mut again = app.browser();
    again.login_password(email, DEMO_PASSWORD).await;
    let (status, _) = again
        .call("verify_second_factor", &[("code", &recovery)])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a recovery code is spent");

    // The admin resets it: the officer's sessions end and the next sign-in enrols again.
    let user_id = user_field(&app.db, email, "id").await.expect("id");
    let (status, body) = admin
        .call("reset_second_factor", &[("user_id", &user_id)])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(audited(&app.db, "second_factor_reset").await, 1);
    let (status, _) = replay.call("list_referrals", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "sessions ended");
    assert_eq!(
        app.browser().login_password(email, DEMO_PASSWORD).await,
        "/security"
    );
    // Nobody else may reset one.
    let mut monitor = signed_in(&app, MONITOR).await;
    let (status, _) = monitor
        .call("reset_second_factor", &[("user_id", &user_id)])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Guessing codes is slowed down: five tries, then 429 (and the right code waits too).
    let mut guesser = app.browser();
    assert_eq!(
        guesser.login_password(ADMIN, DEMO_PASSWORD).await,
        "/login/code"
    );
    let before = audited(&app.db, "login_failed").await;
    // The admin's own right code above spent none of the five: only failures count.
    for _ in 0..5 {
        let (status, _) = guesser
            .call("verify_second_factor", &[("code", "000000")])
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }
    let (status, body) = guesser
        .call("verify_second_factor", &[("code", "000000")])
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(
        audited(&app.db, "login_failed").await,
        before + 5,
        "a refusal writes nothing"
    );
    app.finish().await;
}
on_both_databases!(second_factor_is_enrolled_used_once_and_reset);

async fn password_only_sessions_reach_no_server_function(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut endpoints: Vec<String> = server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    endpoints.sort();
    endpoints.dedup();
    for public in app::api::PUBLIC_ENDPOINTS {
        assert!(
            endpoints.iter().any(|e| e == public),
            "{public} is registered"
        );
    }
    let protected: Vec<&String> = endpoints
        .iter()
        .filter(|e| !app::api::PUBLIC_ENDPOINTS.contains(&e.as_str()))
        .collect();
    assert!(protected.len() >= 40, "{protected:?}");

    let mut anonymous = app.browser();
    let mut pending = app.browser();
    assert_eq!(
        pending.login_password(MONITOR, DEMO_PASSWORD).await,
        "/login/code"
    );
    for endpoint in &protected {
        for (who, browser) in [
            ("anonymous", &mut anonymous),
            ("password only", &mut pending),
        ] {
            let (status, body) = browser.call(endpoint, &[]).await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{endpoint} answered {who} with {body}"
            );
            assert_eq!(body, serde_json::json!("Unauthenticated"));
        }
    }
    // Once the second step is passed, the same session is signed in.
    pending.second_factor(MONITOR).await;
    let (status, _) = pending.call("list_observations", &[]).await;
    assert_ne!(status, StatusCode::UNAUTHORIZED);
    app.finish().await;
}
on_both_databases!(password_only_sessions_reach_no_server_function);

async fn the_audit_chain_covers_sensitive_actions_and_shows_edits(backend: Backend) {
    let app = TestApp::start(backend).await;
    let db = &app.db;
    // Each step must add exactly one entry of its action.
    async fn once(db: &DatabaseConnection, action: &str, before: i64) {
        assert_eq!(
            audited(db, action).await,
            before + 1,
            "one `{action}` entry"
        );
    }

    let before = audited(db, "login").await;
    let mut member = signed_in(&app, MEMBER).await;
    once(db, "login", before).await;
    let before = audited(db, "login_failed").await;
    app.browser()
        .submit(
            "/login",
            "login",
            &[("email", MEMBER), ("password", "faux mot de passe")],
        )
        .await;
    once(db, "login_failed", before).await;
    let mut pending = app.browser();
    pending.login_password(POLICE, DEMO_PASSWORD).await;
    let before = audited(db, "login_failed").await;
    pending
        .call("verify_second_factor", &[("code", "123456")])
        .await;
    once(db, "login_failed", before).await;

    // Filing with evidence, forwarding, the liaison's view and download, the NHRC's view.
    let c = choices(&mut member).await;
    let before = audited(db, "submit").await;
    let id = {
        let (_, page) = member.page("/observations/new").await;
        let start = page.find("name=\"form_token\" value=\"").expect("token") + 25;
        let token: String = page[start..].chars().take_while(|c| *c != '"').collect();
        let form = crate::observations::filing(&token, &c, "Audit", DESCRIPTION)
            .text("intent", "submit")
            .part("evidence", file_part("photo.jpg", jpeg_with_gps()));
        let response = member
            .upload("/observations/new", "/observations/save", form)
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        location(&response)
            .split("/observations/")
            .nth(1)
            .expect("id")
            .chars()
            .take_while(|c| *c != '?')
            .collect::<String>()
    };
    once(db, "submit", before).await;
    let mut monitor = signed_in(&app, MONITOR).await;
    let before = audited(db, "view").await;
    crate::observations::detail(&mut monitor, &id).await;
    once(db, "view", before).await;
    let before = audited(db, "forward").await;
    crate::observations::forward(&mut monitor, &id, &c.police, "Racket", "Racket au poste").await;
    once(db, "forward", before).await;
    let referral = crate::observations::referral_of(&mut monitor, &id, "DGPN").await;
    let mut police = signed_in(&app, POLICE).await;
    let before = audited(db, "view").await;
    let (status, detail) = police.call("get_referral", &[("id", &referral)]).await;
    assert_eq!(status, StatusCode::OK);
    once(db, "view", before).await;
    let file = detail["attachments"][0]["id"]
        .as_str()
        .expect("file")
        .to_string();
    let before = audited(db, "download").await;
    let (status, _, _) = police.download(&format!("/files/{file}")).await;
    assert_eq!(status, StatusCode::OK);
    once(db, "download", before).await;
    let before = audited(db, "export").await;
    let (status, _, _) = monitor.download("/exports/observations?format=csv").await;
    assert_eq!(status, StatusCode::OK);
    once(db, "export", before).await;

    // Accounts: invitation, disabling, second-factor reset, quota.
    let mut admin = signed_in(&app, ADMIN).await;
    let before = audited(db, "account_invited").await;
    admin
        .submit(
            "/admin/users",
            "invite_user",
            &[
                ("email", "nouveau@femmes-kayes.test"),
                ("display_name", "Nouveau"),
                ("role", "monitor"),
                ("organisation_id", ""),
                ("institution_id", ""),
                ("locale", "fr"),
            ],
        )
        .await;
    once(db, "account_invited", before).await;
    let member_id = user_field(db, MEMBER, "id").await.expect("id");
    let before = audited(db, "account_disabled").await;
    let (status, _) = admin
        .call(
            "set_user_active",
            &[("user_id", &member_id), ("active", "false")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    once(db, "account_disabled", before).await;
    let police_id = user_field(db, POLICE, "id").await.expect("id");
    let before = audited(db, "second_factor_reset").await;
    admin
        .call("reset_second_factor", &[("user_id", &police_id)])
        .await;
    once(db, "second_factor_reset", before).await;

    // NHRC staff browse the log, filtered; no address in it.
    let (status, log) = monitor
        .call("list_audit_entries", &[("filter[action]", "download")])
        .await;
    assert_eq!(status, StatusCode::OK, "{log}");
    assert_eq!(log["total"], 1);
    assert_eq!(log["entries"][0]["action"], "download");
    let (status, _) = police.call("list_audit_entries", &[]).await;
    assert_ne!(status, StatusCode::OK, "liaisons may not read the log");

    // An entry without a place in the chain is flagged; once the chain has begun, start-up
    // leaves it where it is (only a chain still empty takes in earlier entries), so it stays
    // flagged.
    use app::server::audit::{Verdict, chain_legacy_entries, verify};
    {
        use app::server::entities::audit_entry;
        use sea_orm::{ActiveModelTrait, ActiveValue::Set};
        audit_entry::ActiveModel {
            id: Set(uuid::Uuid::new_v4()),
            actor_id: Set(None),
            actor_role: Set("system".into()),
            action: Set("legacy".into()),
            target_kind: Set("observation".into()),
            target_id: Set(String::new()),
            detail: Set(None),
            created_at: Set(chrono::Utc::now()),
            seq: Set(None),
            prev_hash: Set(None),
            hash: Set(None),
        }
        .insert(db)
        .await
        .expect("legacy entry");
    }
    assert!(matches!(
        verify(db).await.expect("verify"),
        Verdict::Broken { .. }
    ));
    assert_eq!(chain_legacy_entries(db).await.expect("chain"), 0);
    assert!(matches!(
        verify(db).await.expect("verify"),
        Verdict::Broken { seq: 0, .. }
    ));
    execute(db, "DELETE FROM audit_entries WHERE seq IS NULL").await;

    // The chain holds, and an edited entry is found at its place.
    let entries = match verify(db).await.expect("verify") {
        Verdict::Intact { entries } => entries,
        broken => panic!("{broken:?}"),
    };
    assert!(entries >= 15, "{entries}");
    execute(
        db,
        "UPDATE audit_entries SET detail = 'retouché' WHERE seq = 5",
    )
    .await;
    assert!(
        matches!(
            verify(db).await.expect("verify"),
            Verdict::Broken { seq: 5, .. }
        ),
        "the edited entry is named"
    );
    execute(db, "DELETE FROM audit_entries WHERE seq = 3").await;
    assert!(
        matches!(
            verify(db).await.expect("verify"),
            Verdict::Broken { seq: 3, .. }
        ),
        "a removed entry leaves a gap"
    );
    app.finish().await;
}
on_both_databases!(the_audit_chain_covers_sensitive_actions_and_shows_edits);

fn tip_form(body: &str) -> Form {
    Form::new()
        .text("body", body.to_string())
        .text("category_id", "")
        .text("institution_id", "")
        .text("region_code", "ML-1")
        .text("website", "")
}

async fn send_tip(browser: &mut Browser, form: Form) -> reqwest::Response {
    browser
        .upload("/signalement", "/signalement/envoyer", form)
        .await
}

/// Every text column of the tables a tip touches, and the sessions.
async fn dump(db: &DatabaseConnection) -> String {
    let backend = db.get_database_backend();
    let mut all = String::new();
    for table in [
        "tips",
        "tip_messages",
        "tip_files",
        "sessions",
        "audit_entries",
        "server_secrets",
    ] {
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                format!("SELECT * FROM {table}"),
            ))
            .await
            .expect("rows");
        for row in rows {
            all.push_str(&format!("{row:?}\n"));
        }
    }
    all
}

async fn anonymous_tips_with_receipts(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut tipster = app.browser();
    let (status, page) = tipster.page("/signalement").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("enctype=\"multipart/form-data\""));
    let text = "Contrôle abusif au péage de Kati : 5000 FCFA par moto.";
    let response = send_tip(
        &mut tipster,
        tip_form(text).part("evidence", file_part("photo.jpg", jpeg_with_gps())),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/signalement/recu");
    let (_, page) = tipster.page("/signalement/recu").await;
    let start = page
        .find("class=\"receipt\"><code>")
        .expect("receipt shown")
        + 22;
    // Its text, whatever elements it is laid out in (one per group of four).
    let end = start + page[start..].find("</code>").expect("end of the receipt");
    let mut in_tag = false;
    let receipt: String = page[start..end]
        .chars()
        .filter(|c| {
            let keep = !in_tag && *c != '<';
            if *c == '<' {
                in_tag = true;
            } else if *c == '>' {
                in_tag = false;
            }
            keep && *c != '>'
        })
        .collect::<String>();
    assert_eq!(receipt.len(), 24, "{receipt}");
    let (_, again) = tipster.page("/signalement/recu").await;
    assert!(!again.contains(&receipt), "shown once");

    // Nothing kept holds the receipt.
    let compact = receipt.replace('-', "");
    let stored = dump(&app.db).await;
    assert!(!stored.contains(&receipt) && !stored.contains(&compact));
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM tips").await, 1);
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM tip_files").await, 1);

    // A wrong receipt is refused; the right one, typed sloppily, opens the tip.
    let (status, body) = tipster
        .call("open_tip", &[("receipt", "0000-0000-0000-0000-0000")])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (_, thread) = tipster.call("tip_thread", &[]).await;
    assert_eq!(thread, Value::Null);
    let sloppy = receipt.to_lowercase().replace('-', " ");
    let response = tipster
        .submit("/signalement/suivi", "open_tip", &[("receipt", &sloppy)])
        .await;
    assert_eq!(location(&response), "/signalement/suivi");
    let (_, thread) = tipster.call("tip_thread", &[]).await;
    assert_eq!(thread["body"], text);
    assert_eq!(thread["id"], Value::Null, "the tipster never sees ids");

    // The NHRC asks; the tipster reads it and answers.
    let mut monitor = signed_in(&app, MONITOR).await;
    let (_, tips) = monitor.call("list_tips", &[]).await;
    let tip_id = tips[0]["id"].as_str().expect("id").to_string();
    let (_, detail) = monitor.call("get_tip", &[("id", &tip_id)]).await;
    assert_eq!(detail["files"].as_array().expect("files").len(), 1);
    let (status, _) = monitor
        .call(
            "ask_tip",
            &[("id", &tip_id), ("body", "À quelle heure exactement ?")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, thread) = tipster.call("tip_thread", &[]).await;
    assert_eq!(thread["messages"][0]["body"], "À quelle heure exactement ?");
    let (status, _) = tipster
        .call(
            "reply_tip",
            &[("body", "Vers 7 heures du matin, tous les jours.")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, detail) = monitor.call("get_tip", &[("id", &tip_id)]).await;
    assert_eq!(detail["status"], "answered");
    for response in [thread.to_string(), detail.to_string(), tips.to_string()] {
        assert!(!response.contains(&receipt) && !response.contains(&compact));
    }
    // Nobody else reads tips.
    let mut police = signed_in(&app, POLICE).await;
    let (status, _) = police.call("get_tip", &[("id", &tip_id)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The NHRC makes an observation of it and forwards it like any other; the institution
    // learns nothing of where it came from.
    let response = monitor
        .submit(
            &format!("/tips/{tip_id}"),
            "convert_tip",
            &[("id", &tip_id)],
        )
        .await;
    let to = location(&response);
    let observation = to
        .strip_prefix("/observations/")
        .expect("to the observation")
        .to_string();
    let case = crate::observations::detail(&mut monitor, &observation).await;
    assert_eq!(case["status"], "submitted");
    assert!(
        case["reference"]
            .as_str()
            .is_some_and(|r| r.starts_with("OBS-"))
    );
    assert_eq!(case["attachments"].as_array().map(Vec::len), Some(1));
    let (status, _) = monitor.call("convert_tip", &[("id", &tip_id)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "made an observation once");
    let c = choices(&mut monitor).await;
    crate::observations::forward(
        &mut monitor,
        &observation,
        &c.police,
        "Racket au péage",
        "Racket au péage de Kati",
    )
    .await;
    let referral = crate::observations::referral_of(&mut monitor, &observation, "DGPN").await;
    let (status, seen) = police.call("get_referral", &[("id", &referral)]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !seen.to_string().contains("Signalements anonymes"),
        "{seen}"
    );

    // Guessing from one address: five tries, then 429, even for the right receipt.
    let mut guesser = app.browser_from("127.0.0.2".parse().expect("address"));
    for _ in 0..5 {
        let (status, _) = guesser
            .call("open_tip", &[("receipt", "1111-1111-1111-1111-1111")])
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }
    let (status, _) = guesser.call("open_tip", &[("receipt", &receipt)]).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let (_, thread) = guesser.call("tip_thread", &[]).await;
    assert_eq!(thread, Value::Null);

    // The honeypot and the limit per address refuse, writing nothing.
    let mut robot = app.browser_from("127.0.0.3".parse().expect("address"));
    let response = send_tip(
        &mut robot,
        tip_form(text).text("website", "http://spam.example"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    for _ in 0..2 {
        let response = send_tip(&mut robot, tip_form(text)).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    let tips_before = scalar(&app.db, "SELECT COUNT(*) FROM tips").await;
    let files_before = std::fs::read_dir(app.data_dir.join("files"))
        .map(|d| d.count())
        .unwrap_or(0);
    let response = send_tip(
        &mut robot,
        tip_form(text).part("evidence", file_part("photo.jpg", jpeg_with_gps())),
    )
    .await;
    // Back to the form, filled in, saying why and that the file was not kept (see
    // tests/src/page_review.rs).
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, message) = robot.page("/signalement").await;
    assert!(message.contains("pas encore envoyé"), "{message}");
    assert!(message.contains("Les fichiers joints n"), "{message}");
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM tips").await,
        tips_before
    );
    assert_eq!(
        std::fs::read_dir(app.data_dir.join("files"))
            .map(|d| d.count())
            .unwrap_or(0),
        files_before
    );
    app.finish().await;
}
on_both_databases!(anonymous_tips_with_receipts);

async fn limits_and_quotas_answer_429_and_write_nothing(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut admin = signed_in(&app, ADMIN).await;
    let (_, organisations) = admin.call("list_organisations", &[]).await;
    let afjk = organisations
        .as_array()
        .expect("list")
        .iter()
        .find(|o| o["acronym"] == "AFJK")
        .expect("AFJK")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let (status, body) = admin
        .call(
            "set_organisation_quota",
            &[("id", &afjk), ("quota", "lots")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _) = admin
        .call("set_organisation_quota", &[("id", &afjk), ("quota", "1")])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(audited(&app.db, "quota_changed").await, 1);

    let mut member = signed_in(&app, MEMBER).await;
    let c = choices(&mut member).await;
    // The day's one submission, from the submit button as a browser sends it.
    let first_token = form_token(&mut member).await;
    let first = || {
        crate::observations::filing(&first_token, &c, "Première", DESCRIPTION)
            .text("intent", "submit")
    };
    let response = member
        .upload(
            "/observations/new",
            "/observations/save?intent=submit",
            first(),
        )
        .await;
    let submitted = location(&response);
    assert!(submitted.ends_with("?notice=submitted"), "{submitted}");
    let observations = scalar(&app.db, "SELECT COUNT(*) FROM observations").await;
    let token = form_token(&mut member).await;
    let form = crate::observations::filing(&token, &c, "Seconde", DESCRIPTION)
        .text("intent", "submit")
        .part("evidence", file_part("photo.jpg", jpeg_with_gps()));
    let response = member
        .upload(
            "/observations/new",
            "/observations/save?intent=submit",
            form,
        )
        .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let message = response.text().await.expect("body");
    assert!(message.contains("nombre maximal"), "{message}");
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM observations").await,
        observations
    );
    // The first form sent again (a reload once the quota is used up) lands on its observation
    // as its first post did: the quota holds back new submissions only.
    let response = member
        .upload(
            "/observations/new",
            "/observations/save?intent=submit",
            first(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), submitted);

    // Saving drafts over and over is slowed down too, and the refused one writes nothing.
    let mut refused = false;
    for round in 0..30 {
        let before = scalar(&app.db, "SELECT COUNT(*) FROM observations").await;
        let form = Form::new()
            .text("form_token", format!("jeton-{round}"))
            .text("title", "Brouillon")
            .text("intent", "draft");
        let response = member
            .upload("/observations/new", "/observations/save", form)
            .await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(
                scalar(&app.db, "SELECT COUNT(*) FROM observations").await,
                before
            );
            refused = true;
            break;
        }
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    assert!(refused, "filing is limited");
    // Held back by the allowance as well, the resent form still finds its observation.
    let response = member
        .upload(
            "/observations/new",
            "/observations/save?intent=submit",
            first(),
        )
        .await;
    assert_eq!(location(&response), submitted);
    assert_eq!(
        scalar(
            &app.db,
            "SELECT COUNT(*) FROM observations WHERE status <> 'draft'"
        )
        .await,
        1,
        "still one submitted observation"
    );

    // The quick exit ends the session too: replayed, its cookie opens nothing.
    let mut leaving = signed_in(&app, "coordinatrice@femmes-kayes.test").await;
    let cookie = leaving.cookie_header();
    let response = leaving.get("/exit", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response
            .headers()
            .get("clear-site-data")
            .and_then(|v| v.to_str().ok()),
        Some("\"storage\"")
    );
    let mut replay = app.browser();
    for pair in cookie.split("; ") {
        let (k, v) = pair.split_once('=').expect("pair");
        replay.cookies.insert(k.into(), v.into());
    }
    let (status, _) = replay.call("landing", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Signing out asks the browser to forget the site.
    let response = member.submit("/organisation", "logout", &[]).await;
    assert_eq!(
        response
            .headers()
            .get("clear-site-data")
            .and_then(|v| v.to_str().ok()),
        Some("\"storage\"")
    );
    app.finish().await;
}
on_both_databases!(limits_and_quotas_answer_429_and_write_nothing);

/// Every row of the audit table and its chain's head, in a stable order.
async fn audit_rows(db: &DatabaseConnection) -> String {
    use app::server::entities::{audit_chain, audit_entry};
    use sea_orm::{EntityTrait, QueryOrder};
    let entries = audit_entry::Entity::find()
        .order_by_asc(audit_entry::Column::Id)
        .all(db)
        .await
        .expect("entries");
    let head = audit_chain::Entity::find().all(db).await.expect("head");
    format!("{entries:?}\n{head:?}")
}

/// `veille audit verify` (the same function the command line calls) only reads: a row added
/// to the table by hand, without its place in the chain, is reported by its id and left as it
/// was, by the check and by a restart of the portal alike.
async fn audit_verify_only_reads_and_reports_a_row_added_by_hand(backend: Backend) {
    use app::server::entities::audit_entry;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let app = TestApp::start(backend).await;
    let db = &app.db;
    signed_in(&app, MEMBER).await;
    let check = server::verify_audit(&app.settings).await.expect("verify");
    assert!(check.intact, "{}", check.message);

    // What an intruder with the database could do: copy an entry as a new one, no place in
    // the chain.
    let new_id = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => "gen_random_uuid()",
        _ => "randomblob(16)",
    };
    execute(
        db,
        &format!(
            "INSERT INTO audit_entries \
             (id, actor_id, actor_role, action, target_kind, target_id, detail, created_at) \
             SELECT {new_id}, actor_id, actor_role, 'export', 'observations', target_id, \
             'forged', created_at FROM audit_entries WHERE seq = 1"
        ),
    )
    .await;
    let forged = audit_entry::Entity::find()
        .filter(audit_entry::Column::Seq.is_null())
        .one(db)
        .await
        .expect("query")
        .expect("the forged row")
        .id;
    let before = audit_rows(db).await;
    for _ in 0..2 {
        let check = server::verify_audit(&app.settings).await.expect("verify");
        assert!(!check.intact, "{}", check.message);
        assert!(
            check.message.contains(&forged.to_string())
                && check.message.contains("outside the chain"),
            "{}",
            check.message
        );
        assert_eq!(audit_rows(db).await, before, "the check changed nothing");
    }
    // A restart does not take it into the chain either (the chain has begun).
    server::prepare(&app.settings).await.expect("restart");
    assert_eq!(audit_rows(db).await, before, "the restart changed nothing");
    let check = server::verify_audit(&app.settings).await.expect("verify");
    assert!(!check.intact && check.message.contains(&forged.to_string()));

    // Only a chain that has not begun takes in earlier entries (once, at the first start after
    // the chain's migration): here, with the chain emptied by hand.
    execute(db, "DELETE FROM audit_entries WHERE seq IS NOT NULL").await;
    execute(
        db,
        "UPDATE audit_chain SET last_seq = 0, last_hash = '' WHERE id = 1",
    )
    .await;
    assert_eq!(
        app::server::audit::chain_legacy_entries(db)
            .await
            .expect("chain"),
        1
    );
    let check = server::verify_audit(&app.settings).await.expect("verify");
    assert_eq!(check.message, "Audit chain intact: 1 entries.");

    // On SQLite, a database without tables stays without: no migration is applied.
    if matches!(backend, Backend::Sqlite) {
        let dir = tempfile::tempdir().expect("folder");
        let path = dir.path().join("empty.db");
        std::fs::write(&path, b"").expect("empty file");
        let mut settings = app.settings.clone();
        settings.database_url = format!("sqlite://{}?mode=rwc", path.display());
        assert!(server::verify_audit(&settings).await.is_err());
        let empty = app::server::db::connect(&settings.database_url, settings.database_pool)
            .await
            .expect("open");
        assert_eq!(
            scalar(
                &empty,
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
            )
            .await,
            0,
            "no migration applied"
        );
        settings.database_url = format!("sqlite://{}/absent.db?mode=rwc", dir.path().display());
        assert!(server::verify_audit(&settings).await.is_err());
        assert!(
            !dir.path().join("absent.db").exists(),
            "no database created"
        );
    }
    app.finish().await;
}
on_both_databases!(audit_verify_only_reads_and_reports_a_row_added_by_hand);

/// Drafts are private to their author's organisation: the NHRC's audit log (its list, count
/// and action filter, page and server function) shows no entry about one; the entry is still
/// in the chain, and the submission shows once made.
async fn the_audit_log_shows_monitors_no_draft(backend: Backend) {
    let app = TestApp::start(backend).await;
    let db = &app.db;
    let mut member = signed_in(&app, MEMBER).await;
    let c = choices(&mut member).await;
    let token = form_token(&mut member).await;
    let draft = crate::observations::filing(&token, &c, "Brouillon privé", DESCRIPTION)
        .text("intent", "draft");
    let response = member
        .upload("/observations/new", "/observations/save", draft)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let id = crate::observations::id_in(&location(&response));
    assert_eq!(
        crate::observations::detail(&mut member, &id).await["status"],
        "draft"
    );
    assert_eq!(audited(db, "draft_created").await, 1, "kept in the chain");

    let mut monitor = signed_in(&app, MONITOR).await;
    let shown = scalar(
        db,
        "SELECT COUNT(*) FROM audit_entries WHERE action <> 'draft_created'",
    )
    .await;
    let (status, log) = monitor
        .call("list_audit_entries", &[("filter[page]", "1")])
        .await;
    assert_eq!(status, StatusCode::OK, "{log}");
    let text = log.to_string();
    assert!(!text.contains(&id), "the draft's id: {text}");
    assert!(!text.contains("draft_created"), "{text}");
    assert_eq!(log["total"], shown, "the count leaves drafts out");
    let (status, log) = monitor
        .call("list_audit_entries", &[("filter[action]", "draft_created")])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(log["total"], 0, "not even asked for by name");
    let (status, page) = monitor.page("/audit?action=draft_created").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains(&id) && !page.contains("draft_created"));
    let (status, page) = monitor.page("/audit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains(&id) && !page.contains("draft_created"));

    // Submitted, it shows: the submission, by its reference.
    let form = crate::observations::filing(&token, &c, "Brouillon privé", DESCRIPTION)
        .text("id", id.clone())
        .text("intent", "submit");
    let response = member
        .upload(
            &format!("/observations/{id}/edit"),
            "/observations/save",
            form,
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let reference = crate::observations::detail(&mut member, &id).await["reference"]
        .as_str()
        .expect("reference")
        .to_string();
    let (status, log) = monitor
        .call("list_audit_entries", &[("filter[action]", "submit")])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        log["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .any(|e| e["target"] == reference.as_str()),
        "{log}"
    );
    assert!(!log.to_string().contains("draft_created"));
    // The chain still verifies with the hidden entry in it.
    let check = server::verify_audit(&app.settings).await.expect("verify");
    assert!(check.intact, "{}", check.message);
    app.finish().await;
}
on_both_databases!(the_audit_log_shows_monitors_no_draft);

/// The audit log in words: actions, roles and sign-in methods in the reader's language, an
/// observation by its reference and linked to its page, never by its raw id.
async fn the_audit_log_is_in_words(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut member = signed_in(&app, MEMBER).await;
    let c = choices(&mut member).await;
    let token = form_token(&mut member).await;
    let form = crate::observations::filing(&token, &c, "Journal lisible", DESCRIPTION)
        .text("intent", "submit");
    let response = member
        .upload("/observations/new", "/observations/save", form)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let id = crate::observations::id_in(&location(&response));
    let reference = crate::observations::detail(&mut member, &id).await["reference"]
        .as_str()
        .expect("reference")
        .to_string();

    let mut monitor = signed_in(&app, MONITOR).await;
    let link = format!("href=\"/observations/{id}\"");
    let (status, page) = monitor.page("/audit").await;
    assert_eq!(status, StatusCode::OK);
    for words in [
        "Connexion",
        "Observation déposée",
        "Analyste de la CNDH",
        "Membre d",
        &reference,
        &link,
    ] {
        assert!(page.contains(words), "{words} missing: {page}");
    }
    // (The raw codes stay in the page's data for the browser, not in its text.)
    assert!(!page.contains(">login<") && !page.contains(">password+totp<"));
    assert!(
        page.contains(">mot de passe et code de "),
        "the method in words"
    );
    for raw in [">cso_member<", "(monitor)"] {
        let at = page.find(raw).unwrap_or_default();
        assert!(
            !page.contains(raw),
            "{raw}: {}",
            &page[at.saturating_sub(300)..(at + 100).min(page.len())]
        );
    }
    let without_links = page.replace(&format!("/observations/{id}"), "");
    assert!(!without_links.contains(&id), "the observation's raw id");

    let (status, _) = monitor.call("set_locale", &[("locale", "en")]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, page) = monitor.page("/audit").await;
    assert_eq!(status, StatusCode::OK);
    for words in [
        "Sign-in",
        "Observation filed",
        "NHRC analyst",
        "Organisation member",
        &reference,
        &link,
    ] {
        assert!(page.contains(words), "{words} missing: {page}");
    }
    assert!(!page.contains("Connexion"));
    assert!(
        page.contains(">password and app code<"),
        "the method in words"
    );
    let without_links = page.replace(&format!("/observations/{id}"), "");
    assert!(!without_links.contains(&id), "the observation's raw id");
    app.finish().await;
}
on_both_databases!(the_audit_log_is_in_words);
