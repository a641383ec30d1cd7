//! Invitation, password, sign-in and sign-out journeys, as a browser without JavaScript.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use app::server::entities::{account_token, session, user};

use crate::harness::{Backend, DEMO_PASSWORD, TestApp, location};
use crate::on_both_databases;

const NEW_PASSWORD: &str = "un mot de passe sûr";

async fn invitation_login_logout(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut admin = app.browser();
    assert_eq!(
        admin.login("admin@veille.test", DEMO_PASSWORD).await,
        "/admin"
    );

    // The admin invites a liaison officer of the National Police.
    let (_, institutions) = admin.call("list_institutions", &[]).await;
    let police = institutions
        .as_array()
        .expect("list")
        .iter()
        .find(|i| i["acronym"] == "DGPN")
        .expect("DGPN")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let response = admin
        .submit(
            "/admin/users",
            "invite_user",
            &[
                ("email", "Officier.Nouveau@Police.test"),
                ("display_name", "Officier Nouveau"),
                ("role", "liaison"),
                ("organisation_id", ""),
                ("institution_id", &police),
                ("locale", "fr"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(&response), "/admin/users?invited=1");

    // The mail is in French, addressed to the normalised address, with a one-time link.
    let link = app.link_for("officier.nouveau@police.test").await;
    let mail = app.mails().pop().expect("mail");
    assert!(
        mail.contains("Subject: Veille : votre invitation") || mail.contains("Subject: =?utf-8?"),
        "{mail}"
    );

    let mut officer = app.browser();
    let (status, page) = officer.page(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Choisir un mot de passe"));
    let token = link.rsplit('=').next().expect("token");

    // Too short: the error comes back in the page's address and is shown next to the field.
    let response = officer
        .submit(
            &link,
            "set_password",
            &[
                ("token", token),
                ("password", "court"),
                ("confirm", "court"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let back = location(&response);
    assert!(back.contains("__err="), "{back}");
    let back_path = back.trim_start_matches(&app.url).to_string();
    let (_, page) = officer.page(&back_path).await;
    assert!(page.contains("au moins 12 caractères"), "field error shown");
    assert!(page.contains("aria-invalid=\"true\""));

    let response = officer
        .submit(
            &link,
            "set_password",
            &[
                ("token", token),
                ("password", NEW_PASSWORD),
                ("confirm", NEW_PASSWORD),
            ],
        )
        .await;
    // A liaison must enrol an authenticator app before anything else.
    assert_eq!(location(&response), "/security");
    assert_eq!(
        officer.enrol("officier.nouveau@police.test").await,
        "/institution"
    );
    let (_, page) = officer.page("/institution").await;
    assert!(
        page.contains("Espace de l&#x27;institution") || page.contains("Espace de l'institution"),
        "{page}"
    );
    assert!(page.contains("Police nationale"));

    // The link cannot be used twice.
    let mut thief = app.browser();
    let (status, body) = thief
        .call(
            "set_password",
            &[
                ("token", token),
                ("password", NEW_PASSWORD),
                ("confirm", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body, serde_json::json!("InvalidToken"));

    // Sign out: the old session cookie no longer opens anything.
    let old_cookie = officer.cookie_header();
    assert!(old_cookie.contains("veille_session="));
    let response = officer.submit("/institution", "logout", &[]).await;
    assert_eq!(location(&response), "/");
    let mut replay = app.browser();
    for pair in old_cookie.split("; ") {
        let (k, v) = pair.split_once('=').expect("pair");
        replay.cookies.insert(k.into(), v.into());
    }
    let (status, body) = replay.call("landing", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body, serde_json::json!("Unauthenticated"));
    let to = location(&replay.get("/institution", &[("accept", "text/html")]).await);
    assert_eq!(to, "/login?next=/institution");
    let (_, page) = replay.page(&to).await;
    assert!(page.contains("Veuillez vous connecter"));

    // And the new password works for a fresh sign-in.
    let mut again = app.browser();
    assert_eq!(
        again
            .login("officier.nouveau@police.test", NEW_PASSWORD)
            .await,
        "/institution"
    );
    app.finish().await;
}
on_both_databases!(invitation_login_logout);

async fn expired_and_reused_links_are_refused(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut coordinator = app.browser();
    assert_eq!(
        coordinator
            .login("coordinatrice@femmes-kayes.test", DEMO_PASSWORD)
            .await,
        "/organisation"
    );
    let response = coordinator
        .submit(
            "/organisation/members",
            "invite_user",
            &[
                ("email", "nouvelle@femmes-kayes.test"),
                ("display_name", "Nouvelle Membre"),
                ("role", "cso_member"),
                ("locale", "en"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/organisation/members?invited=1");
    let link = app.link_for("nouvelle@femmes-kayes.test").await;
    assert!(
        app.mails()
            .pop()
            .expect("mail")
            .contains("Subject: Veille: your invitation"),
        "mail in the invitee's language"
    );
    let token = link.rsplit('=').next().expect("token").to_string();

    // Expire it in the database: refused.
    account_token::Entity::update_many()
        .col_expr(
            account_token::Column::ExpiresAt,
            sea_orm::sea_query::Expr::value(chrono::Utc::now() - chrono::Duration::minutes(1)),
        )
        .exec(&app.db)
        .await
        .expect("expire");
    let mut invitee = app.browser();
    let (status, body) = invitee
        .call(
            "set_password",
            &[
                ("token", &token),
                ("password", NEW_PASSWORD),
                ("confirm", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::BAD_REQUEST, serde_json::json!("InvalidToken"))
    );

    // A password reset gives a fresh link, which works once.
    let before = app.mails().len();
    let (status, _) = invitee
        .call(
            "request_password_reset",
            &[("email", "nouvelle@femmes-kayes.test")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    app.wait_for_mails(before + 1).await;
    let link = app.link_for("nouvelle@femmes-kayes.test").await;
    let token = link.rsplit('=').next().expect("token").to_string();
    let (status, _) = invitee
        .call(
            "set_password",
            &[
                ("token", &token),
                ("password", NEW_PASSWORD),
                ("confirm", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app
        .browser()
        .call(
            "set_password",
            &[
                ("token", &token),
                ("password", "autre mot de passe"),
                ("confirm", "autre mot de passe"),
            ],
        )
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::BAD_REQUEST, serde_json::json!("InvalidToken"))
    );

    // An unknown address gets the same answer and no mail.
    let before = app.mails().len();
    let (status, _) = invitee
        .call(
            "request_password_reset",
            &[("email", "personne@nulle-part.test")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // Each request's mail leaves after its answer: once a known address's mail, asked for
    // afterwards, has arrived, the unknown address's turn has passed without one.
    let (status, _) = invitee
        .call(
            "request_password_reset",
            &[("email", "nouvelle@femmes-kayes.test")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    app.wait_for_mails(before + 1).await;
    let mails = app.mails();
    assert_eq!(mails.len(), before + 1);
    assert!(
        !mails.iter().any(|m| m.contains("personne@nulle-part.test")),
        "no mail to an unknown address"
    );

    // Nobody can flood a mailbox: the fourth request for one address in a row is refused.
    for _ in 0..2 {
        let (status, _) = invitee
            .call(
                "request_password_reset",
                &[("email", "personne@nulle-part.test")],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, body) = invitee
        .call(
            "request_password_reset",
            &[("email", "personne@nulle-part.test")],
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::TOO_MANY_REQUESTS,
            serde_json::json!("TooManyAttempts")
        )
    );
    app.finish().await;
}
on_both_databases!(expired_and_reused_links_are_refused);

async fn disabled_user_loses_every_session(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut member = app.browser();
    assert_eq!(
        member
            .login("membre@femmes-kayes.test", DEMO_PASSWORD)
            .await,
        "/organisation"
    );
    let (status, _) = member.call("landing", &[]).await;
    assert_eq!(status, StatusCode::OK);

    let member_row = user::Entity::find()
        .filter(user::Column::Email.eq("membre@femmes-kayes.test"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("member");
    let sessions = session::Entity::find()
        .filter(session::Column::UserId.eq(member_row.id))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(sessions, 1);

    let mut coordinator = app.browser();
    coordinator
        .login("coordinatrice@femmes-kayes.test", DEMO_PASSWORD)
        .await;
    let (status, _) = coordinator
        .call(
            "set_user_active",
            &[("user_id", &member_row.id.to_string()), ("active", "false")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let sessions = session::Entity::find()
        .filter(session::Column::UserId.eq(member_row.id))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(sessions, 0, "sessions revoked");
    let (status, body) = member.call("landing", &[]).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNAUTHORIZED,
            serde_json::json!("Unauthenticated")
        )
    );
    let mut again = app.browser();
    let (status, body) = again
        .call(
            "login",
            &[
                ("email", "membre@femmes-kayes.test"),
                ("password", DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNAUTHORIZED,
            serde_json::json!("InvalidCredentials")
        )
    );
    app.finish().await;
}
on_both_databases!(disabled_user_loses_every_session);

async fn login_is_throttled_without_locking_out_the_owner(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut attacker = app.browser();
    for _ in 0..5 {
        let (status, body) = attacker
            .call(
                "login",
                &[
                    ("email", "analyste@cndh.test"),
                    ("password", "devine-devine"),
                ],
            )
            .await;
        assert_eq!(
            (status, body),
            (
                StatusCode::UNAUTHORIZED,
                serde_json::json!("InvalidCredentials")
            )
        );
    }
    let (status, body) = attacker
        .call(
            "login",
            &[("email", "analyste@cndh.test"), ("password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::TOO_MANY_REQUESTS,
            serde_json::json!("TooManyAttempts")
        )
    );

    // The message a JavaScript-less browser shows, in French.
    let response = attacker
        .submit(
            "/login",
            "login",
            &[("email", "analyste@cndh.test"), ("password", DEMO_PASSWORD)],
        )
        .await;
    let back = location(&response).trim_start_matches(&app.url).to_string();
    let (_, page) = attacker.page(&back).await;
    assert!(page.contains("Trop de tentatives"), "{page}");

    // The owner, on their own device, still gets in.
    let mut owner = app.browser_from("127.0.0.2".parse().expect("address"));
    assert_eq!(
        owner.login("analyste@cndh.test", DEMO_PASSWORD).await,
        "/monitoring"
    );
    assert!(
        owner.cookies.contains_key("veille_device"),
        "the device is remembered"
    );
    owner.submit("/monitoring", "logout", &[]).await;

    // Guesses spread over many addresses exhaust the account's own allowance: a device the
    // account never used is refused even with the right password…
    for last in 3..=7 {
        let mut bot = app.browser_from(format!("127.0.0.{last}").parse().expect("address"));
        for _ in 0..5 {
            bot.call(
                "login",
                &[
                    ("email", "analyste@cndh.test"),
                    ("password", "devine-encore"),
                ],
            )
            .await;
        }
    }
    let mut stranger = app.browser_from("127.0.0.9".parse().expect("address"));
    let (status, _) = stranger
        .call(
            "login",
            &[("email", "analyste@cndh.test"), ("password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // …while the owner's known device is not locked out.
    assert_eq!(
        owner.login("analyste@cndh.test", DEMO_PASSWORD).await,
        "/monitoring"
    );
    app.finish().await;
}
on_both_databases!(login_is_throttled_without_locking_out_the_owner);

async fn password_length_rules(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut admin = app.browser();
    admin.login("admin@veille.test", DEMO_PASSWORD).await;
    let (status, _) = admin
        .call(
            "invite_user",
            &[
                ("email", "analyste2@cndh.test"),
                ("display_name", "Analyste Deux"),
                ("role", "monitor"),
                ("locale", "fr"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let link = app.link_for("analyste2@cndh.test").await;
    let token = link.rsplit('=').next().expect("token").to_string();
    let mut invitee = app.browser();
    let eleven = "a".repeat(11);
    let too_long = "b".repeat(129);
    let mismatch = ("douze-caracteres", "douze-caracteres!");
    for (password, confirm, key) in [
        (eleven.as_str(), eleven.as_str(), "error-password-too-short"),
        (
            too_long.as_str(),
            too_long.as_str(),
            "error-password-too-long",
        ),
        (mismatch.0, mismatch.1, "error-password-mismatch"),
    ] {
        let (status, body) = invitee
            .call(
                "set_password",
                &[
                    ("token", &token),
                    ("password", password),
                    ("confirm", confirm),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["Validation"][0]["key"], key, "{body}");
    }
    // 128 characters of any kind (here multi-byte) are fine; the link was not spent above.
    let longest = "ߊé 🔒".repeat(32);
    assert_eq!(longest.chars().count(), 128);
    let (status, body) = invitee
        .call(
            "set_password",
            &[
                ("token", &token),
                ("password", &longest),
                ("confirm", &longest),
            ],
        )
        .await;
    // Kept; but a monitor invited by an admin waits for another monitor's approval.
    assert_eq!(
        (status, body),
        (StatusCode::FORBIDDEN, serde_json::json!("AwaitingApproval"))
    );
    let mut monitor = app.browser();
    monitor.login("analyste@cndh.test", DEMO_PASSWORD).await;
    let id = user_row(&app, "analyste2@cndh.test").await.id.to_string();
    let (status, _) = monitor
        .call(
            "decide_monitor",
            &[("user_id", &id), ("decision", "approve")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        app.browser().login("analyste2@cndh.test", &longest).await,
        "/monitoring"
    );
    app.finish().await;
}
on_both_databases!(password_length_rules);

async fn sessions_end_when_idle_or_too_old(backend: Backend) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let app = TestApp::start(backend).await;
    let mut monitor = app.browser();
    monitor.login("analyste@cndh.test", DEMO_PASSWORD).await;
    assert_eq!(monitor.call("landing", &[]).await.0, StatusCode::OK);
    // Signing in sets the end of the session to 30 minutes from now, no further.
    let row = session::Entity::find()
        .one(&app.db)
        .await
        .expect("query")
        .expect("session");
    let left = row.expires_at - chrono::Utc::now();
    assert!(
        left > chrono::Duration::minutes(29) && left <= chrono::Duration::minutes(30),
        "idle limit {left}"
    );

    // Idle past the limit: the stored session has expired.
    session::Entity::update_many()
        .col_expr(
            session::Column::ExpiresAt,
            sea_orm::sea_query::Expr::value(chrono::Utc::now() - chrono::Duration::seconds(1)),
        )
        .exec(&app.db)
        .await
        .expect("expire");
    assert_eq!(
        monitor.call("landing", &[]).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        session::Entity::find().count(&app.db).await.expect("count"),
        0,
        "the idle session is deleted"
    );

    // Active all along, but signed in more than 12 hours ago.
    let mut monitor = app.browser();
    monitor.login("analyste@cndh.test", DEMO_PASSWORD).await;
    assert_eq!(monitor.call("landing", &[]).await.0, StatusCode::OK);
    let row = session::Entity::find()
        .one(&app.db)
        .await
        .expect("query")
        .expect("session");
    let mut data: serde_json::Value = serde_json::from_str(&row.data).expect("json");
    data["signed_in_at"] = serde_json::json!(chrono::Utc::now().timestamp() - 12 * 3600 - 60);
    let mut active: session::ActiveModel = row.into();
    active.data = Set(data.to_string());
    active.update(&app.db).await.expect("update");
    assert_eq!(
        monitor.call("landing", &[]).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        session::Entity::find().count(&app.db).await.expect("count"),
        0,
        "the old session is deleted"
    );
    app.finish().await;
}
on_both_databases!(sessions_end_when_idle_or_too_old);

/// A page view reads the session and writes it only when it changed, or when its last write
/// is `TOUCH_MINUTES` old (the idle end then moves to 30 minutes from now).
async fn a_page_view_does_not_write_the_session(backend: Backend) {
    use app::server::auth::{IDLE_TIMEOUT_MINUTES, TOUCH_MINUTES};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let app = TestApp::start(backend).await;
    let mut monitor = app.browser();
    monitor.login("analyste@cndh.test", DEMO_PASSWORD).await;
    assert_eq!(monitor.call("landing", &[]).await.0, StatusCode::OK);
    let stored = || async {
        session::Entity::find()
            .one(&app.db)
            .await
            .expect("query")
            .expect("session")
    };
    // A mark no write of the portal would leave: the row as the portal wrote it, ends earlier.
    let marked = chrono::Utc::now() + chrono::Duration::minutes(20);
    let mut active: session::ActiveModel = stored().await.into();
    active.expires_at = Set(marked);
    active.update(&app.db).await.expect("mark");
    for _ in 0..3 {
        assert_eq!(monitor.call("landing", &[]).await.0, StatusCode::OK);
        assert_eq!(monitor.page("/observations").await.0, StatusCode::OK);
    }
    let row = stored().await;
    assert_eq!(
        row.expires_at.timestamp(),
        marked.timestamp(),
        "page views wrote the session"
    );

    // Last written more than TOUCH_MINUTES ago: the next request writes it again.
    let mut data: serde_json::Value = serde_json::from_str(&row.data).expect("json");
    data["seen_at"] = serde_json::json!(chrono::Utc::now().timestamp() - TOUCH_MINUTES * 60 - 1);
    let mut active: session::ActiveModel = row.into();
    active.data = Set(data.to_string());
    active.update(&app.db).await.expect("age");
    assert_eq!(monitor.call("landing", &[]).await.0, StatusCode::OK);
    let left = stored().await.expires_at - chrono::Utc::now();
    assert!(
        left > chrono::Duration::minutes(IDLE_TIMEOUT_MINUTES - 1),
        "the session in use was not pushed back: {left}"
    );

    // A visitor who never signs in leaves no session row behind.
    let mut visitor = app.browser();
    assert_eq!(visitor.page("/").await.0, StatusCode::OK);
    assert_eq!(visitor.page("/transparence").await.0, StatusCode::OK);
    assert_eq!(
        session::Entity::find().count(&app.db).await.expect("count"),
        1,
        "only the monitor's session is stored"
    );
    app.finish().await;
}
on_both_databases!(a_page_view_does_not_write_the_session);

async fn create_admin_prints_a_working_link(backend: Backend) {
    let app = TestApp::start(backend).await;
    let link = app::server::accounts::create_admin(&app.db, &app.settings, "Chef@Veille.test")
        .await
        .expect("create-admin");
    let path = link
        .strip_prefix(&app.url)
        .expect("link on the public address")
        .to_string();
    let token = path.rsplit('=').next().expect("token").to_string();
    let mut chief = app.browser();
    let (status, page) = chief.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Choisir un mot de passe"));
    let response = chief
        .submit(
            &path,
            "set_password",
            &[
                ("token", &token),
                ("password", NEW_PASSWORD),
                ("confirm", NEW_PASSWORD),
            ],
        )
        .await;
    // An admin enrols an authenticator app first.
    assert_eq!(location(&response), "/security");
    assert_eq!(chief.enrol("chef@veille.test").await, "/admin");
    assert_eq!(
        app.browser().login("chef@veille.test", NEW_PASSWORD).await,
        "/admin"
    );
    // Asking again for an existing admin gives a fresh link; for another role's address, an error.
    assert!(
        app::server::accounts::create_admin(&app.db, &app.settings, "chef@veille.test")
            .await
            .is_ok()
    );
    assert!(
        app::server::accounts::create_admin(&app.db, &app.settings, "membre@femmes-kayes.test")
            .await
            .is_err()
    );
    app.finish().await;
}
on_both_databases!(create_admin_prints_a_working_link);

/// The audit entries with `action` about `target` (a user id), oldest first.
async fn audit_entries(
    app: &TestApp,
    action: &str,
    target: uuid::Uuid,
) -> Vec<app::server::entities::audit_entry::Model> {
    use app::server::entities::audit_entry;
    use sea_orm::QueryOrder;
    audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq(action))
        .filter(audit_entry::Column::TargetId.eq(target.to_string()))
        .order_by_asc(audit_entry::Column::Seq)
        .all(&app.db)
        .await
        .expect("audit")
}

async fn user_row(app: &TestApp, email: &str) -> user::Model {
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&app.db)
        .await
        .expect("query")
        .expect("account")
}

/// The admin invites a monitor: a request only. The invitee can set a password but neither
/// sign in nor act as a monitor until another monitor approves; admins cannot approve, nor can
/// the account itself or whoever asked for it. Both halves are in the audit log.
async fn monitor_accounts_need_a_monitors_approval(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut admin = app.browser();
    assert_eq!(
        admin.login("admin@veille.test", DEMO_PASSWORD).await,
        "/admin"
    );
    let invite = |email: &'static str| {
        [
            ("email", email),
            ("display_name", "Nouvel Analyste"),
            ("role", "monitor"),
            ("organisation_id", ""),
            ("institution_id", ""),
            ("locale", "fr"),
        ]
    };
    let response = admin
        .submit(
            "/admin/users",
            "invite_user",
            &invite("nouvel.analyste@cndh.test"),
        )
        .await;
    assert_eq!(location(&response), "/admin/users?invited=1");
    let admin_row = user_row(&app, "admin@veille.test").await;
    let newbie_row = user_row(&app, "nouvel.analyste@cndh.test").await;
    assert!(newbie_row.awaiting_approval, "the invitation is a request");
    assert_eq!(newbie_row.invited_by, Some(admin_row.id));
    let invited = audit_entries(&app, "account_invited", newbie_row.id).await;
    assert_eq!(invited.len(), 1);
    assert_eq!(invited[0].actor_id, Some(admin_row.id));
    assert!(
        invited[0]
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("awaiting")),
        "{:?}",
        invited[0].detail
    );
    // The admin's list says so.
    let (_, page) = admin.page("/admin/users").await;
    assert!(
        page.contains("En attente de l&#x27;accord de la CNDH")
            || page.contains("En attente de l'accord de la CNDH")
    );

    // The invitee sets a password with the link; the answer is a refusal in words, no session.
    let link = app.link_for("nouvel.analyste@cndh.test").await;
    let token = link.rsplit('=').next().expect("token").to_string();
    let mut newbie = app.browser();
    let response = newbie
        .submit(
            &link,
            "set_password",
            &[
                ("token", &token),
                ("password", NEW_PASSWORD),
                ("confirm", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let back = location(&response);
    assert!(back.contains("__err="), "{back}");
    let (_, page) = newbie.page(back.trim_start_matches(&app.url)).await;
    assert!(
        page.contains("Votre compte attend l&#x27;accord d&#x27;un membre de la CNDH")
            || page.contains("Votre compte attend l'accord d'un membre de la CNDH"),
        "refusal in words"
    );
    assert!(
        user_row(&app, "nouvel.analyste@cndh.test")
            .await
            .password_hash
            .is_some(),
        "the password is kept"
    );
    let no_session = |app: &TestApp, id: uuid::Uuid| {
        let db = app.db.clone();
        async move {
            session::Entity::find()
                .filter(session::Column::UserId.eq(id))
                .count(&db)
                .await
                .expect("count")
        }
    };
    assert_eq!(no_session(&app, newbie_row.id).await, 0);
    for endpoint in ["landing", "list_pending_monitors"] {
        let (status, _) = newbie.call(endpoint, &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{endpoint}");
    }
    let to = location(
        &newbie
            .get("/observations", &[("accept", "text/html")])
            .await,
    );
    assert_eq!(to, "/login?next=/observations");
    let (_, page) = newbie.page(&to).await;
    assert!(page.contains("Veuillez vous connecter"));

    // Signing in: the right password gets the refusal in words; a wrong one says only that it
    // is wrong (no oracle on pending accounts for whoever lacks the password).
    let (status, body) = newbie
        .call(
            "login",
            &[
                ("email", "nouvel.analyste@cndh.test"),
                ("password", "pas le bon mot de passe"),
            ],
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNAUTHORIZED,
            serde_json::json!("InvalidCredentials")
        )
    );
    let (status, body) = newbie
        .call(
            "login",
            &[
                ("email", "nouvel.analyste@cndh.test"),
                ("password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::FORBIDDEN, serde_json::json!("AwaitingApproval"))
    );
    let response = newbie
        .submit(
            "/login",
            "login",
            &[
                ("email", "nouvel.analyste@cndh.test"),
                ("password", NEW_PASSWORD),
            ],
        )
        .await;
    let back = location(&response);
    assert!(back.contains("__err="), "{back}");
    let (_, page) = newbie.page(back.trim_start_matches(&app.url)).await;
    assert!(page.contains("attend l&#x27;accord") || page.contains("attend l'accord"));
    assert_eq!(no_session(&app, newbie_row.id).await, 0);
    let (status, _) = newbie.call("list_pending_monitors", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Even a session forged to hold the account (as if from before) acts as nobody.
    // (The account's own approval is refused by the rule itself, whoever calls.)
    let pending_user = app::server::auth::CurrentUser::from_row(
        &user_row(&app, "nouvel.analyste@cndh.test").await,
    )
    .expect("user");
    let refused =
        app::server::accounts::decide_monitor(&app.db, &pending_user, newbie_row.id, true).await;
    assert_eq!(
        refused,
        Err(app::error::AppError::field("user", "error-approve-self"))
    );
    let (status, body) = newbie
        .call(
            "decide_monitor",
            &[
                ("user_id", &newbie_row.id.to_string()),
                ("decision", "approve"),
            ],
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNAUTHORIZED,
            serde_json::json!("Unauthenticated")
        )
    );

    // An admin cannot approve.
    let (status, body) = admin
        .call(
            "decide_monitor",
            &[
                ("user_id", &newbie_row.id.to_string()),
                ("decision", "approve"),
            ],
        )
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::FORBIDDEN, serde_json::json!("Forbidden"))
    );
    assert!(
        user_row(&app, "nouvel.analyste@cndh.test")
            .await
            .awaiting_approval
    );

    // A monitor sees the request and approves it, with a plain form.
    let mut monitor = app.browser();
    assert_eq!(
        monitor.login("analyste@cndh.test", DEMO_PASSWORD).await,
        "/monitoring"
    );
    let monitor_row = user_row(&app, "analyste@cndh.test").await;
    let (status, page) = monitor.page("/monitoring/approvals").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("nouvel.analyste@cndh.test"), "listed");
    assert!(page.contains("Approuver") && page.contains("Refuser"));
    let response = monitor
        .submit(
            "/monitoring/approvals",
            "decide_monitor",
            &[
                ("user_id", &newbie_row.id.to_string()),
                ("decision", "approve"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(&response), "/monitoring/approvals?approved=1");
    assert!(
        !user_row(&app, "nouvel.analyste@cndh.test")
            .await
            .awaiting_approval
    );
    let approved = audit_entries(&app, "monitor_approved", newbie_row.id).await;
    assert_eq!(approved.len(), 1);
    assert_eq!(approved[0].actor_id, Some(monitor_row.id));
    assert_eq!(approved[0].actor_role, "monitor");
    // Decided once: a second click finds nothing left to decide.
    let (status, _) = monitor
        .call(
            "decide_monitor",
            &[
                ("user_id", &newbie_row.id.to_string()),
                ("decision", "refuse"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Now the new monitor signs in (enrolling an app) and acts as one.
    let mut newbie = app.browser();
    assert_eq!(
        newbie
            .login("nouvel.analyste@cndh.test", NEW_PASSWORD)
            .await,
        "/monitoring"
    );
    let (status, _) = newbie.call("list_pending_monitors", &[]).await;
    assert_eq!(status, StatusCode::OK);

    // Whoever asked for an account cannot approve it (here a monitor named as the asker).
    admin
        .submit(
            "/admin/users",
            "invite_user",
            &invite("deuxieme.analyste@cndh.test"),
        )
        .await;
    let second = user_row(&app, "deuxieme.analyste@cndh.test").await;
    user::Entity::update_many()
        .col_expr(
            user::Column::InvitedBy,
            sea_orm::sea_query::Expr::value(Some(monitor_row.id)),
        )
        .filter(user::Column::Id.eq(second.id))
        .exec(&app.db)
        .await
        .expect("asker");
    let (status, body) = monitor
        .call(
            "decide_monitor",
            &[("user_id", &second.id.to_string()), ("decision", "approve")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        serde_json::json!({"Validation": [{"field": "user", "key": "error-approve-own-invitation"}]})
    );
    // The other monitor may; here it refuses: the account is disabled, audited.
    let response = newbie
        .submit(
            "/monitoring/approvals",
            "decide_monitor",
            &[("user_id", &second.id.to_string()), ("decision", "refuse")],
        )
        .await;
    assert_eq!(location(&response), "/monitoring/approvals?refused=1");
    let second = user_row(&app, "deuxieme.analyste@cndh.test").await;
    assert!(!second.active && second.awaiting_approval);
    assert_eq!(
        audit_entries(&app, "monitor_refused", second.id)
            .await
            .len(),
        1
    );
    let (_, page) = monitor.page("/monitoring/approvals").await;
    assert!(!page.contains("deuxieme.analyste@cndh.test"));
    assert!(page.contains("Aucun compte n&#x27;attend") || page.contains("Aucun compte n'attend"));
    app.finish().await;
}
on_both_databases!(monitor_accounts_need_a_monitors_approval);

/// `veille create-monitor` (the function it calls): a monitor that needs nobody's approval,
/// and the approval of one that awaited it.
async fn create_monitor_needs_no_approval(backend: Backend) {
    let app = TestApp::start(backend).await;
    let link = app::server::accounts::create_monitor(&app.db, &app.settings, "Premiere@CNDH.test")
        .await
        .expect("create-monitor");
    let path = link
        .strip_prefix(&app.url)
        .expect("link on the public address")
        .to_string();
    let token = path.rsplit('=').next().expect("token").to_string();
    let row = user_row(&app, "premiere@cndh.test").await;
    assert_eq!(row.role, "monitor");
    assert!(!row.awaiting_approval);
    let mut first = app.browser();
    let response = first
        .submit(
            &path,
            "set_password",
            &[
                ("token", &token),
                ("password", NEW_PASSWORD),
                ("confirm", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(location(&response), "/security");
    assert_eq!(first.enrol("premiere@cndh.test").await, "/monitoring");
    let (status, _) = first.call("list_pending_monitors", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let invited = audit_entries(&app, "account_invited", row.id).await;
    assert_eq!(invited.len(), 1);
    assert_eq!(invited[0].actor_id, None);

    // An account awaiting approval as a monitor is approved by the command (audited).
    let mut admin = app.browser();
    admin.login("admin@veille.test", DEMO_PASSWORD).await;
    admin
        .submit(
            "/admin/users",
            "invite_user",
            &[
                ("email", "attente@cndh.test"),
                ("display_name", "En Attente"),
                ("role", "monitor"),
                ("organisation_id", ""),
                ("institution_id", ""),
                ("locale", "fr"),
            ],
        )
        .await;
    let waiting = user_row(&app, "attente@cndh.test").await;
    assert!(waiting.awaiting_approval);
    app::server::accounts::create_monitor(&app.db, &app.settings, "attente@cndh.test")
        .await
        .expect("create-monitor");
    assert!(!user_row(&app, "attente@cndh.test").await.awaiting_approval);
    assert_eq!(
        audit_entries(&app, "monitor_approved", waiting.id)
            .await
            .len(),
        1
    );
    // Another role's address: refused.
    assert!(
        app::server::accounts::create_monitor(&app.db, &app.settings, "membre@femmes-kayes.test")
            .await
            .is_err()
    );
    app.finish().await;
}
on_both_databases!(create_monitor_needs_no_approval);

/// Ids and nonces differ between two runs; everything else of a page must not.
fn without_random_bits(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    let bytes = page.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let candidate = page.get(i..i + 36);
        let is_uuid = candidate.is_some_and(|c| {
            c.char_indices().all(|(k, ch)| {
                if [8, 13, 18, 23].contains(&k) {
                    ch == '-'
                } else {
                    ch.is_ascii_hexdigit()
                }
            })
        });
        if is_uuid {
            out.push_str("<uuid>");
            i += 36;
        } else {
            let ch = page[i..].chars().next().expect("char");
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    // Per-response nonces of the scripts (Leptos repeats them in other attributes too).
    let mut nonces = Vec::new();
    let mut rest = out.as_str();
    while let Some(at) = rest.find("nonce=\"") {
        rest = &rest[at + 7..];
        let end = rest.find('"').unwrap_or(rest.len());
        if end > 0 {
            nonces.push(rest[..end].to_string());
        }
    }
    let mut cleaned = out.clone();
    for nonce in nonces {
        cleaned = cleaned.replace(&nonce, "<nonce>");
    }
    // After the document come the data the page was drawn from, for hydration. How often
    // Leptos renders a suspended part on the server (and so which resource numbers and how
    // many copies the script carries) depends on timing only: compare the data themselves.
    let Some((document, scripts)) = cleaned.split_once("</html>") else {
        return cleaned;
    };
    let mut data = std::collections::BTreeSet::new();
    let mut rest = scripts;
    while let Some(at) = rest.find("__RESOLVED_RESOURCES[") {
        rest = &rest[at..];
        let Some(start) = rest.find("] = \"") else {
            break;
        };
        rest = &rest[start + 5..];
        let mut end = 0;
        while let Some(found) = rest[end..].find("\";") {
            end += found;
            if end == 0 || rest.as_bytes()[end - 1] != b'\\' {
                break;
            }
            end += 2;
        }
        data.insert(rest[..end].to_string());
        rest = &rest[end..];
    }
    format!(
        "{document}</html>\n{}",
        data.into_iter().collect::<Vec<_>>().join("\n")
    )
}

/// What a coordinator meets when inviting `email`: status and place of the answer, and the
/// page it leads to, ids and nonces set aside.
async fn coordinator_invites(app: &TestApp, email: &str) -> (StatusCode, String, String) {
    let mut coordinator = app.browser();
    assert_eq!(
        coordinator
            .login("coordinatrice@femmes-kayes.test", DEMO_PASSWORD)
            .await,
        "/organisation"
    );
    let response = coordinator
        .submit(
            "/organisation/members",
            "invite_user",
            &[
                ("email", email),
                ("display_name", "Personne Invitée"),
                ("role", "cso_member"),
                ("locale", "fr"),
            ],
        )
        .await;
    let status = response.status();
    let place = location(&response);
    let (_, page) = coordinator.page(place.trim_start_matches(&app.url)).await;
    (status, place, without_random_bits(&page))
}

/// A coordinator cannot learn whether an address has an account outside the organisation: the
/// answer, the page after it and the member list are those of a new address, and the existing
/// account is left alone (its owner gets a neutral notice, no link).
async fn coordinator_invitation_reveals_no_other_account(backend: Backend) {
    const ADDRESS: &str = "quelquun@police.test";
    // Two portals alike, but in the second the address already belongs to a liaison officer.
    let fresh = TestApp::start(backend).await;
    let taken = TestApp::start(backend).await;
    taken.account(ADDRESS, "liaison", None, Some("DGPN")).await;
    let liaison_before = user_row(&taken, ADDRESS).await;

    let new_answer = coordinator_invites(&fresh, ADDRESS).await;
    let taken_answer = coordinator_invites(&taken, ADDRESS).await;
    assert_eq!(new_answer.0, StatusCode::FOUND);
    assert_eq!(new_answer.1, "/organisation/members?invited=1");
    assert_eq!(
        (new_answer.0, &new_answer.1),
        (taken_answer.0, &taken_answer.1)
    );
    assert!(new_answer.2.contains(ADDRESS), "the invitation is listed");
    if new_answer.2 != taken_answer.2 {
        let at = new_answer
            .2
            .chars()
            .zip(taken_answer.2.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let around = |s: &str| {
            s.chars()
                .skip(at.saturating_sub(200))
                .take(400)
                .collect::<String>()
        };
        panic!(
            "the pages differ at character {at}:\nnew:   {}\ntaken: {}",
            around(&new_answer.2),
            around(&taken_answer.2)
        );
    }

    // Nothing happened to the existing account: same row, no link issued for it.
    let liaison_after = user_row(&taken, ADDRESS).await;
    assert_eq!(liaison_before, liaison_after);
    assert_eq!(
        account_token::Entity::find()
            .filter(account_token::Column::UserId.eq(liaison_after.id))
            .count(&taken.db)
            .await
            .expect("count"),
        0
    );
    assert_eq!(
        taken.browser().login(ADDRESS, DEMO_PASSWORD).await,
        "/institution"
    );
    // Its owner was told, without any link; the new address got its invitation.
    let notice = taken.mail_to(ADDRESS).await;
    assert!(!notice.contains("/password/set"), "no link in the notice");
    assert!(fresh.mail_to(ADDRESS).await.contains("/password/set"));
    // The monitors see the attempt in the audit log.
    assert_eq!(
        audit_entries(&taken, "invitation_of_existing_account", liaison_after.id)
            .await
            .len(),
        1
    );

    // Inviting it again: "already a member" in both portals, as for a real member.
    for app in [&fresh, &taken] {
        let mut coordinator = app.browser();
        coordinator
            .login("coordinatrice@femmes-kayes.test", DEMO_PASSWORD)
            .await;
        for email in [ADDRESS, "membre@femmes-kayes.test"] {
            let (status, body) = coordinator
                .call(
                    "invite_user",
                    &[
                        ("email", email),
                        ("display_name", "Personne Invitée"),
                        ("role", "cso_member"),
                        ("locale", "fr"),
                    ],
                )
                .await;
            assert_eq!(
                (status, body),
                (
                    StatusCode::BAD_REQUEST,
                    serde_json::json!({"Validation": [{"field": "email", "key": "error-already-member"}]})
                ),
                "{email}"
            );
        }
    }

    // Disabling the invitation works the same way in both.
    for app in [&fresh, &taken] {
        let mut coordinator = app.browser();
        coordinator
            .login("coordinatrice@femmes-kayes.test", DEMO_PASSWORD)
            .await;
        let (_, users) = coordinator.call("list_users", &[]).await;
        let id = users
            .as_array()
            .expect("list")
            .iter()
            .find(|u| u["email"] == ADDRESS)
            .expect("listed")["id"]
            .as_str()
            .expect("id")
            .to_string();
        let (status, _) = coordinator
            .call("set_user_active", &[("user_id", &id), ("active", "false")])
            .await;
        assert_eq!(status, StatusCode::OK);
        let (_, page) = coordinator.page("/organisation/members").await;
        assert!(page.contains("Désactivé"));
    }
    assert!(
        user_row(&taken, ADDRESS).await.active,
        "the liaison stays active"
    );

    // Admins manage every account: they are told the address is taken.
    let mut admin = taken.browser();
    admin.login("admin@veille.test", DEMO_PASSWORD).await;
    let organisations = admin.call("list_organisations", &[]).await.1;
    let organisation = organisations
        .as_array()
        .expect("list")
        .iter()
        .find(|o| o["active"] == true)
        .expect("an active organisation")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let (status, body) = admin
        .call(
            "invite_user",
            &[
                ("email", ADDRESS),
                ("display_name", "Personne"),
                ("role", "cso_coordinator"),
                ("organisation_id", &organisation),
                ("institution_id", ""),
                ("locale", "fr"),
            ],
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            serde_json::json!({"Validation": [{"field": "email", "key": "error-email-taken"}]})
        )
    );
    fresh.finish().await;
    taken.finish().await;
}
on_both_databases!(coordinator_invitation_reveals_no_other_account);
