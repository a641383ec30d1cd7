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
    let (_, page) = replay.page("/institution").await;
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
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(app.mails().len(), before);

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
    let (status, _) = invitee
        .call(
            "set_password",
            &[
                ("token", &token),
                ("password", &longest),
                ("confirm", &longest),
            ],
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
    // Each request pushes the end of the session to 30 minutes from now, no further.
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
