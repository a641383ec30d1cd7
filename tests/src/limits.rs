//! Limits that protect the server and the people using it: anonymous floods of password links
//! stay cheap, slow hashes are capped and answered "busy" in words, only failures use up the
//! sign-in and code allowances, tips have a global rate and a disk quota, and a tip is never
//! opened in an account's session.

use futures_util::future::join_all;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};
use serde_json::Value;

use crate::evidence::memory_growth_kib;
use crate::harness::{Backend, Browser, DEMO_PASSWORD, TestApp, location};
use crate::observations::{MEMBER, POLICE, signed_in};
use crate::on_both_databases;

/// What 100 concurrent anonymous `set_password` requests may add to the process's peak
/// resident memory (server and test client share the process). Measured on two cores: 0.4 to
/// 3 MiB on SQLite, 6.5 to 8.4 MiB on PostgreSQL (its pool opening connections), once links
/// are looked up before any hash. Each Argon2id hash takes 19 MiB: when every request hashed
/// first, the flood took about 1.9 GB; even one hash at a time on top of the rest passes this.
const SET_PASSWORD_FLOOD_BOUND_KIB: u64 = 24 * 1024;

/// What three floods of sign-ins may add: the hashes that run at once (one per core here, so
/// two of 19 MiB) and room for the connections. On the release build before the hashes had
/// threads of their own, three such floods left the server 413 MB larger.
const SIGN_IN_FLOODS_BOUND_KIB: u64 = 64 * 1024;

fn ip(text: &str) -> std::net::IpAddr {
    text.parse().expect("address")
}

/// A link token of the right shape that no link ever carried.
fn bogus_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// `set_password` with a link no one was given, from `browser`.
async fn bogus_set_password(
    mut browser: Browser,
    password: String,
) -> (StatusCode, serde_json::Value) {
    browser
        .call(
            "set_password",
            &[
                ("token", &bogus_token()),
                ("password", &password),
                ("confirm", &password),
            ],
        )
        .await
}

/// A wrong password for the made-up account number `n`, from `browser`.
async fn wrong_sign_in(mut browser: Browser, n: usize) -> (StatusCode, serde_json::Value) {
    browser
        .call(
            "login",
            &[
                ("email", &format!("personne{n}@nulle-part.test")),
                ("password", "pas le bon mot de passe"),
            ],
        )
        .await
}

async fn set_password_floods_stay_small(backend: Backend) {
    let app = TestApp::builder(backend).measures_memory().start().await;
    let password: String = "Mot-de-passe-long ".repeat(8).chars().take(128).collect();
    assert_eq!(password.chars().count(), 128);
    // Once, so that what the first request sets up is not counted.
    let (status, _) =
        bogus_set_password(app.browser_from(ip("127.0.0.60")), password.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // 100 at once from ten addresses (ten each: within the allowance per address, so every one
    // reaches the link lookup).
    let browsers: Vec<Browser> = (0..100)
        .map(|n| app.browser_from(ip(&format!("127.0.0.{}", 2 + n % 10))))
        .collect();
    let flood = join_all(
        browsers
            .into_iter()
            .map(|browser| bogus_set_password(browser, password.clone())),
    );
    let (answers, growth) = memory_growth_kib(flood).await;
    eprintln!("set_password flood: peak resident memory grew by {growth} KiB");
    for (status, body) in &answers {
        assert_eq!(
            (*status, body),
            (StatusCode::BAD_REQUEST, &serde_json::json!("InvalidToken"))
        );
    }
    assert!(
        growth < SET_PASSWORD_FLOOD_BOUND_KIB,
        "peak memory grew by {growth} KiB"
    );

    // Sign-in floods hash every password they are allowed to: three rounds of 60 wrong
    // passwords at once, from 60 addresses. The hashes run a few at a time on the hashing
    // threads, so memory grows by those few hashes however many arrive, round after round
    // (spread over the blocking pool's threads, each kept its 19 MiB: hundreds of MB).
    // The clients are made first: what they take is not the server's.
    let mut fleets: Vec<Vec<Browser>> = (0..3)
        .map(|round| {
            (0..60)
                .map(|n| app.browser_from(ip(&format!("127.0.{}.{}", 10 + round, 1 + n))))
                .collect()
        })
        .collect();
    let rounds = async {
        let mut answered = Vec::new();
        for browsers in fleets.drain(..) {
            answered.extend(
                join_all(
                    browsers
                        .into_iter()
                        .enumerate()
                        .map(|(n, browser)| async move { wrong_sign_in(browser, n).await.0 }),
                )
                .await,
            );
        }
        answered
    };
    let (answers, growth) = memory_growth_kib(rounds).await;
    eprintln!("three sign-in floods: peak resident memory grew by {growth} KiB");
    assert!(
        answers.iter().all(|status| [
            StatusCode::UNAUTHORIZED,
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::SERVICE_UNAVAILABLE
        ]
        .contains(status)),
        "{answers:?}"
    );
    assert!(
        answers.contains(&StatusCode::UNAUTHORIZED),
        "some passwords were checked"
    );
    assert!(
        growth < SIGN_IN_FLOODS_BOUND_KIB,
        "peak memory grew by {growth} KiB"
    );

    // From one address: ten reach the lookup, the rest are refused by the limit; all 4xx.
    let browsers: Vec<Browser> = (0..100)
        .map(|_| app.browser_from(ip("127.0.0.30")))
        .collect();
    let flood = join_all(
        browsers
            .into_iter()
            .map(|browser| bogus_set_password(browser, password.clone())),
    );
    let (answers, growth) = memory_growth_kib(flood).await;
    eprintln!("set_password flood from one address: peak memory grew by {growth} KiB");
    assert!(growth < SET_PASSWORD_FLOOD_BOUND_KIB, "{growth} KiB");
    assert!(
        answers.iter().all(|(status, _)| status.is_client_error()),
        "{answers:?}"
    );
    let limited = answers
        .iter()
        .filter(|(status, _)| *status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(limited >= 90, "{limited} refused by the limit per address");

    // A real link still works from another address.
    let mut asker = app.browser_from(ip("127.0.0.41"));
    let (status, body) = asker
        .call(
            "request_password_reset",
            &[("email", "coordinatrice@femmes-kayes.test")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let link = app.link_for("coordinatrice@femmes-kayes.test").await;
    let token = link.rsplit('=').next().expect("token").to_string();
    let mut owner = app.browser_from(ip("127.0.0.40"));
    let (status, body) = owner
        .call(
            "set_password",
            &[
                ("token", &token),
                ("password", &password),
                ("confirm", &password),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.finish().await;
}
on_both_databases!(set_password_floods_stay_small);

async fn slow_hashes_are_capped_and_answered_busy_in_words(backend: Backend) {
    // One hash at a time, four waiting: a burst of sign-ins meets "busy" beyond that.
    let app = TestApp::builder(backend)
        .settings(|settings| settings.hashing_permits = 1)
        .start()
        .await;
    let browsers: Vec<Browser> = (0..24).map(|_| app.browser_from(ip("127.0.0.2"))).collect();
    let answers = join_all(
        browsers
            .into_iter()
            .enumerate()
            .map(|(n, browser)| wrong_sign_in(browser, n)),
    )
    .await;
    let busy = answers
        .iter()
        .filter(|(status, _)| *status == StatusCode::SERVICE_UNAVAILABLE)
        .count();
    for (status, body) in &answers {
        match *status {
            StatusCode::UNAUTHORIZED => assert_eq!(body, &serde_json::json!("InvalidCredentials")),
            StatusCode::SERVICE_UNAVAILABLE => assert_eq!(body, &serde_json::json!("Busy")),
            other => panic!("{other}: {body}"),
        }
    }
    assert!(busy > 0, "some were told the service is busy: {answers:?}");
    assert!(busy < answers.len(), "some were checked");

    // Without JavaScript, the sign-in page says it in words.
    let browsers: Vec<Browser> = (0..24).map(|_| app.browser_from(ip("127.0.0.3"))).collect();
    let answers = join_all(
        browsers
            .into_iter()
            .enumerate()
            .map(|(n, mut browser)| async move {
                let email = format!("quelquun{n}@nulle-part.test");
                let response = browser
                    .submit(
                        "/login",
                        "login",
                        &[("email", &email), ("password", "pas le bon mot de passe")],
                    )
                    .await;
                let back = location(&response);
                (browser, back)
            }),
    )
    .await;
    let mut said = false;
    for (mut browser, back) in answers {
        let path = back.trim_start_matches(&app.url).to_string();
        let (_, page) = browser.page(&path).await;
        said |= page.contains("Le service est très sollicité");
    }
    assert!(said, "the page says the service is busy");

    // The address was not locked out by the burst: the right password gets in from it.
    let mut member = app.browser_from(ip("127.0.0.2"));
    assert_eq!(
        member.login_password(MEMBER, DEMO_PASSWORD).await,
        "/organisation"
    );
    app.finish().await;
}
on_both_databases!(slow_hashes_are_capped_and_answered_busy_in_words);

async fn only_failures_use_up_sign_in_and_code_limits(backend: Backend) {
    use app::server::entities::{recovery_code, user};
    let app = TestApp::start(backend).await;
    // Six sign-ins of one account from six fresh browsers (no device cookie), one address.
    for n in 0..6 {
        let mut browser = app.browser();
        assert_eq!(
            browser.login_password(MEMBER, DEMO_PASSWORD).await,
            "/organisation",
            "sign-in {n}"
        );
    }
    // Failures are limited as before: five, then even the right password waits.
    let mut attacker = app.browser();
    for _ in 0..5 {
        let (status, body) = attacker
            .call("login", &[("email", MEMBER), ("password", "devine-devine")])
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
        .call("login", &[("email", MEMBER), ("password", DEMO_PASSWORD)])
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::TOO_MANY_REQUESTS,
            serde_json::json!("TooManyAttempts")
        )
    );

    // Second-step codes: six right ones (recovery codes, usable at once) from six fresh
    // browsers all pass…
    let liaison = user::Entity::find()
        .filter(user::Column::Email.eq(POLICE))
        .one(&app.db)
        .await
        .expect("query")
        .expect("liaison");
    let codes = app::server::second_factor::recovery_codes(
        liaison.totp_secret.as_deref().expect("enrolled"),
    );
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(liaison.id))
        .exec(&app.db)
        .await
        .expect("delete");
    for code in &codes {
        recovery_code::Entity::insert(recovery_code::ActiveModel {
            id: sea_orm::ActiveValue::Set(uuid::Uuid::new_v4()),
            user_id: sea_orm::ActiveValue::Set(liaison.id),
            code_hash: sea_orm::ActiveValue::Set(app::server::sha256_hex(code)),
            used_at: sea_orm::ActiveValue::Set(None),
        })
        .exec(&app.db)
        .await
        .expect("code");
    }
    for (n, code) in codes.iter().take(6).enumerate() {
        let mut browser = app.browser_from(ip("127.0.0.2"));
        assert_eq!(
            browser.login_password(POLICE, DEMO_PASSWORD).await,
            "/login/code"
        );
        let response = browser
            .submit("/login/code", "verify_second_factor", &[("code", code)])
            .await;
        assert_eq!(response.status(), StatusCode::FOUND, "code {n}");
        assert_ne!(location(&response), "/login/code");
        let (status, _) = browser.call("landing", &[]).await;
        assert_eq!(status, StatusCode::OK, "signed in with code {n}");
    }
    // …while wrong ones are still limited: five, then even a right code waits.
    let mut guesser = app.browser_from(ip("127.0.0.3"));
    assert_eq!(
        guesser.login_password(POLICE, DEMO_PASSWORD).await,
        "/login/code"
    );
    for _ in 0..5 {
        let (status, body) = guesser
            .call("verify_second_factor", &[("code", "zzzzz-zzzzz")])
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    }
    let (status, body) = guesser
        .call("verify_second_factor", &[("code", &codes[6])])
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
on_both_databases!(only_failures_use_up_sign_in_and_code_limits);

fn tip_form(body: &str) -> Form {
    Form::new()
        .text("body", body.to_string())
        .text("category_id", "")
        .text("institution_id", "")
        .text("region_code", "ML-1")
        .text("website", "")
}

/// A PDF of exactly `bytes` bytes (passed on as it is: no cleaned copy).
fn pdf(bytes: usize) -> Vec<u8> {
    let head = b"%PDF-1.4\n%";
    let tail = b"\n%%EOF\n";
    let mut out = head.to_vec();
    out.resize(bytes - tail.len(), b'x');
    out.extend_from_slice(tail);
    out
}

fn with_pdf(form: Form, bytes: usize) -> Form {
    form.part(
        "evidence",
        Part::bytes(pdf(bytes)).file_name("piece.pdf".to_string()),
    )
}

async fn send_tip(browser: &mut Browser, form: Form) -> reqwest::Response {
    browser
        .upload("/signalement", "/signalement/envoyer", form)
        .await
}

/// Sends a tip and reads its receipt from the page that shows it once.
async fn tip_receipt(browser: &mut Browser, body: &str) -> String {
    let response = send_tip(browser, tip_form(body)).await;
    assert_eq!(location(&response), "/signalement/recu");
    let (_, page) = browser.page("/signalement/recu").await;
    let start = page
        .find("class=\"receipt\"><code>")
        .expect("receipt shown")
        + 22;
    // Its text, whatever elements it is laid out in (one per group of four).
    let end = start + page[start..].find("</code>").expect("end of the receipt");
    let mut in_tag = false;
    page[start..end]
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
        .collect()
}

async fn count(db: &sea_orm::DatabaseConnection, sql: &str) -> i64 {
    let backend = db.get_database_backend();
    db.query_one_raw(Statement::from_string(backend, sql.to_string()))
        .await
        .expect("query")
        .expect("row")
        .try_get_by_index::<i64>(0)
        .expect("number")
}

fn files_on_disk(app: &TestApp) -> usize {
    std::fs::read_dir(app.data_dir.join("files"))
        .map(|d| d.count())
        .unwrap_or(0)
}

async fn tips_have_a_global_rate_and_a_disk_quota(backend: Backend) {
    let app = TestApp::builder(backend)
        .settings(|settings| {
            settings.tips_global_burst = 7;
            settings.tip_files_max_bytes = 4000;
        })
        .start()
        .await;
    let text = "Barrage illégal sur la route de Sévaré, chaque nuit.";
    // 3000 bytes of evidence: within the 4000 allowed.
    let mut first = app.browser_from(ip("127.0.0.2"));
    let response = send_tip(&mut first, with_pdf(tip_form(text), 3000)).await;
    assert_eq!(location(&response), "/signalement/recu");
    assert_eq!(files_on_disk(&app), 1);

    // 1500 more would pass it: refused in words, nothing kept (no tip, no file).
    let tips = count(&app.db, "SELECT COUNT(*) FROM tips").await;
    let mut second = app.browser_from(ip("127.0.0.3"));
    let response = send_tip(&mut second, with_pdf(tip_form(text), 1500)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let back = location(&response);
    assert_eq!(back, "/signalement?errors=evidence.error-tip-files-full");
    let (_, page) = second.page(&back).await;
    assert!(
        page.contains("Les pièces jointes ne peuvent plus être reçues"),
        "{page}"
    );
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM tips").await, tips);
    assert_eq!(files_on_disk(&app), 1);

    // Exactly up to the quota is accepted; past that, not a byte is written.
    let mut third = app.browser_from(ip("127.0.0.4"));
    let response = send_tip(&mut third, with_pdf(tip_form(text), 1000)).await;
    assert_eq!(location(&response), "/signalement/recu");
    assert_eq!(files_on_disk(&app), 2);
    let tips = count(&app.db, "SELECT COUNT(*) FROM tips").await;
    let mut fourth = app.browser_from(ip("127.0.0.5"));
    let response = send_tip(&mut fourth, with_pdf(tip_form(text), 20)).await;
    assert_eq!(
        location(&response),
        "/signalement?errors=evidence.error-tip-files-full"
    );
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM tips").await, tips);
    assert_eq!(files_on_disk(&app), 2);
    // A tip without evidence still goes through.
    let response = send_tip(&mut fourth, tip_form(text)).await;
    assert_eq!(location(&response), "/signalement/recu");

    // Five tips sent of the seven the whole portal takes in a row: two more from new
    // addresses, then the next address is told the service is busy, in words, with nothing
    // written.
    for last in [6, 7] {
        let mut browser = app.browser_from(ip(&format!("127.0.0.{last}")));
        let response = send_tip(&mut browser, tip_form(text)).await;
        assert_eq!(location(&response), "/signalement/recu", "from .{last}");
    }
    let tips = count(&app.db, "SELECT COUNT(*) FROM tips").await;
    let mut late = app.browser_from(ip("127.0.0.8"));
    let response = send_tip(&mut late, with_pdf(tip_form(text), 10)).await;
    // Back to the form, filled in, with the reason (tests/src/page_review.rs).
    assert_eq!(location(&response), "/signalement");
    let (_, message) = late.page("/signalement").await;
    assert!(message.contains("très sollicité"), "{message}");
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM tips").await, tips);
    assert_eq!(files_on_disk(&app), 2);
    app.finish().await;
}
on_both_databases!(tips_have_a_global_rate_and_a_disk_quota);

/// Panics if a session row holds an account (signed in or half-way) together with a tip;
/// answers how many rows hold a tip.
async fn rows_linking_a_tip_to_an_account(db: &sea_orm::DatabaseConnection) -> usize {
    use app::server::entities::session;
    let rows = session::Entity::find().all(db).await.expect("sessions");
    let mut with_tip = 0;
    for row in rows {
        let data: Value = serde_json::from_str(&row.data).expect("session data");
        let has = |key: &str| data.get(key).is_some_and(|v| !v.is_null());
        if has("tip_id") {
            with_tip += 1;
            assert!(
                row.user_id.is_none() && !has("user_id") && !has("pending_user_id"),
                "a session row holds both an account and a tip: {row:?}"
            );
        }
    }
    with_tip
}

async fn a_tip_is_never_opened_in_an_account_session(backend: Backend) {
    use app::server::entities::{session, user};
    let app = TestApp::start(backend).await;
    let text = "Des agents demandent de l'argent au poste de Kati.";
    let mut tipster = app.browser();
    let receipt = tip_receipt(&mut tipster, text).await;

    let mut member = signed_in(&app, MEMBER).await;
    let member_id = user::Entity::find()
        .filter(user::Column::Email.eq(MEMBER))
        .one(&app.db)
        .await
        .expect("query")
        .expect("member")
        .id;
    let sessions_of = |id| {
        session::Entity::find()
            .filter(session::Column::UserId.eq(id))
            .all(&app.db)
    };
    assert_eq!(sessions_of(member_id).await.expect("sessions").len(), 1);

    // Opening the tip in the member's browser signs the account out first, and says so.
    let response = member
        .submit("/signalement/suivi", "open_tip", &[("receipt", &receipt)])
        .await;
    let to = location(&response);
    assert_eq!(to, "/signalement/suivi?notice=tip_signed_out");
    let (_, page) = member.page(&to).await;
    assert!(page.contains("Vous avez été déconnecté·e"), "{page}");
    let (_, thread) = member.call("tip_thread", &[]).await;
    assert_eq!(thread["body"], text);
    let (status, _) = member.call("landing", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "signed out");
    assert!(sessions_of(member_id).await.expect("sessions").is_empty());
    assert_eq!(rows_linking_a_tip_to_an_account(&app.db).await, 1);

    // Half-way through a sign-in (password given, code not yet) counts as signed in too.
    let mut liaison = app.browser();
    assert_eq!(
        liaison.login_password(POLICE, DEMO_PASSWORD).await,
        "/login/code"
    );
    let (status, _) = liaison.call("open_tip", &[("receipt", &receipt)]).await;
    assert!(status.is_success() || status.is_redirection(), "{status}");
    let (_, thread) = liaison.call("tip_thread", &[]).await;
    assert_eq!(thread["body"], text);
    assert_eq!(rows_linking_a_tip_to_an_account(&app.db).await, 2);

    // The reverse: signing in, in a browser that holds a tip, closes the tip for it.
    assert_eq!(
        member.login_password(MEMBER, DEMO_PASSWORD).await,
        "/organisation"
    );
    let (_, thread) = member.call("tip_thread", &[]).await;
    assert_eq!(thread, Value::Null);
    assert_eq!(rows_linking_a_tip_to_an_account(&app.db).await, 1);

    // A tipster without an account opens it as before, with no notice.
    let response = tipster
        .submit("/signalement/suivi", "open_tip", &[("receipt", &receipt)])
        .await;
    assert_eq!(location(&response), "/signalement/suivi");
    assert_eq!(rows_linking_a_tip_to_an_account(&app.db).await, 2);
    app.finish().await;
}
on_both_databases!(a_tip_is_never_opened_in_an_account_session);

/// Past `MAX_IN_FLIGHT` requests at once, the next is answered at once — 503, `Retry-After`,
/// words in the reader's language — and a submission refused so has left nothing behind; once
/// the load passes, the same submission lands whole.
async fn past_its_limit_the_portal_answers_at_once_and_loses_nothing(backend: Backend) {
    use tokio::io::AsyncWriteExt;
    let app = TestApp::builder(backend)
        .settings(|s| s.max_in_flight = 1)
        .start()
        .await;
    let mut member = signed_in(&app, MEMBER).await;
    let c = crate::observations::choices(&mut member).await;
    let token = crate::observations::form_token(&mut member).await;
    let filed = || async {
        let count = app
            .db
            .query_one_raw(Statement::from_string(
                app.db.get_database_backend(),
                "SELECT COUNT(*) FROM observations".to_string(),
            ))
            .await
            .expect("count")
            .expect("row");
        count.try_get_by_index::<i64>(0).expect("number")
    };
    let before = filed().await;

    // One request in flight that does not end: its body is promised and not sent.
    let address = app.url.trim_start_matches("http://").to_string();
    let mut held = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connect");
    held.write_all(
        format!(
            "POST /api/login HTTP/1.1\r\nHost: {address}\r\nOrigin: {}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=",
            app.url
        )
        .as_bytes(),
    )
    .await
    .expect("write");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let busy = loop {
        let response = reqwest::get(format!("{}/signalement", app.url))
            .await
            .expect("get");
        if response.status() == StatusCode::SERVICE_UNAVAILABLE {
            break response;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the held request never counted"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert_eq!(
        busy.headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("2")
    );
    let page = busy.text().await.expect("page");
    assert!(page.contains("Le service est très sollicité"), "{page}");

    // A submission now: refused at once, in words, and nothing of it is stored.
    let form = crate::observations::filing(
        &token,
        &c,
        "Pendant la surcharge",
        "Déposée pendant que le service est saturé.",
    )
    .text("intent", "submit");
    let started = std::time::Instant::now();
    let response = member
        .upload("/observations/new", "/observations/save", form)
        .await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(1),
        "answered at once, not queued: {:?}",
        started.elapsed()
    );
    assert_eq!(filed().await, before, "a refused submission left a row");

    // The load passes: the same form, sent again, lands whole.
    drop(held);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while reqwest::get(format!("{}/signalement", app.url))
        .await
        .expect("get")
        .status()
        == StatusCode::SERVICE_UNAVAILABLE
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the held request was never let go"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let form = crate::observations::filing(
        &token,
        &c,
        "Pendant la surcharge",
        "Déposée pendant que le service est saturé.",
    )
    .text("intent", "submit");
    let response = member
        .upload("/observations/new", "/observations/save", form)
        .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{}",
        location(&response)
    );
    assert!(location(&response).ends_with("?notice=submitted"));
    assert_eq!(filed().await, before + 1);
    app.finish().await;
}
on_both_databases!(past_its_limit_the_portal_answers_at_once_and_loses_nothing);
