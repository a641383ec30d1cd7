//! Every status mail leads to its case: the link in the mail is the case's own page, and
//! following it signed out goes through sign-in (the password, then the code for staff, or
//! the enrolment of an app for staff who have none yet) to that page. `next` never leads off
//! the portal, and a case outside the reader's scope answers exactly like a missing one.

use reqwest::StatusCode;

use app::domain::Role;

use crate::fixtures::{Referred, a_referred_observation};
use crate::harness::{Browser, DEMO_PASSWORD, TestApp, location};
use crate::observations::{GENDARMERIE, MEMBER, MONITOR, OTHER_CSO, POLICE};
use crate::on_both_databases;
use crate::scoping::comparable;

const OTHER_ORGANISATION: &str = "Réseau citoyen de veille de Mopti (fictif)";
const TITLE: &str = "Barrage au pont de Kayes";

/// The case link in the newest mail to `to`, as a path (the portal's address taken off);
/// every link in the mail that is not about preferences is that one.
async fn case_link(app: &TestApp, to: &str) -> String {
    let mail = app.mail_to(to).await;
    // Quoted-printable: soft line breaks and `=` written as `=3D`.
    let unfolded = mail
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    let mut links: Vec<String> = unfolded
        .match_indices(&app.url)
        .map(|(at, _)| {
            unfolded[at + app.url.len()..]
                .chars()
                .take_while(|c| !c.is_whitespace() && !"<>\"".contains(*c))
                .collect()
        })
        .filter(|path: &String| {
            !path.starts_with("/preferences") && !path.starts_with("/unsubscribe")
        })
        .collect();
    links.dedup();
    assert_eq!(
        links.len(),
        1,
        "one case link in the mail to {to}: {links:?}"
    );
    links.remove(0)
}

/// Opens `path` signed out (or half signed in) as a browser does; returns where it is sent.
async fn open_signed_out(browser: &mut Browser, path: &str) -> String {
    let response = browser.get(path, &[("accept", "text/html")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
    location(&response)
}

/// The password step posted from `from` (the sign-in page as the link left it), with the
/// hidden `next` that page holds; returns where the portal sends the user.
async fn give_password(browser: &mut Browser, from: &str, email: &str, next: &str) -> String {
    let response = browser
        .submit(
            from,
            "login",
            &[
                ("email", email),
                ("password", DEMO_PASSWORD),
                ("next", next),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FOUND, "{email}");
    location(&response)
}

/// The code step posted from `from`, with its hidden `next`.
async fn give_code(browser: &mut Browser, from: &str, email: &str, next: &str) -> String {
    let code = browser.fresh_code(email).await;
    let response = browser
        .submit(
            from,
            "verify_second_factor",
            &[("code", &code), ("next", next)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FOUND, "{email}");
    location(&response)
}

/// The hidden `next` of the form on the page at `path`.
async fn hidden_next(browser: &mut Browser, path: &str) -> String {
    let (status, page) = browser.page(path).await;
    assert_eq!(status, StatusCode::OK, "{path}");
    let start = page
        .find("name=\"next\" value=\"")
        .unwrap_or_else(|| panic!("a hidden next on {path}"))
        + "name=\"next\" value=\"".len();
    page[start..].chars().take_while(|c| *c != '"').collect()
}

async fn a_mail_link_leads_through_sign_in_to_the_case(backend: crate::harness::Backend) {
    let app = TestApp::start(backend).await;
    let Referred { id, referral, .. } =
        a_referred_observation(&app, TITLE, "Des agents ont bloqué le pont toute la nuit.").await;
    app.outbox_settled().await;

    // Each party's mail leads to the case as that party opens it.
    let observation_page = format!("/observations/{id}");
    let referral_page = format!("/referrals/{referral}");
    assert_eq!(case_link(&app, MEMBER).await, observation_page);
    assert_eq!(case_link(&app, MONITOR).await, observation_page);
    assert_eq!(case_link(&app, POLICE).await, referral_page);

    // The organisation's member, signed out: the link, the password, the case.
    let mut member = app.browser();
    let login = open_signed_out(&mut member, &observation_page).await;
    assert_eq!(login, format!("/login?next={observation_page}"));
    let next = hidden_next(&mut member, &login).await;
    assert_eq!(next, observation_page);
    let landed = give_password(&mut member, &login, MEMBER, &next).await;
    assert_eq!(landed, observation_page);
    let (status, page) = member.page(&landed).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(TITLE), "the case page");

    // The police liaison: the password, then the code, `next` carried along.
    let mut police = app.browser();
    let login = open_signed_out(&mut police, &referral_page).await;
    assert_eq!(login, format!("/login?next={referral_page}"));
    let next = hidden_next(&mut police, &login).await;
    let code_step = give_password(&mut police, &login, POLICE, &next).await;
    assert_eq!(code_step, format!("/login/code?next={referral_page}"));
    // Half signed in, the link opened again leads to the code step, not to the password.
    assert_eq!(
        open_signed_out(&mut police, &referral_page).await,
        code_step
    );
    let (status, _) = police.page(&observation_page).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "no page before the code");
    let next = hidden_next(&mut police, &code_step).await;
    assert_eq!(next, referral_page);
    let landed = give_code(&mut police, &code_step, POLICE, &next).await;
    assert_eq!(landed, referral_page);
    let (status, page) = police.page(&landed).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(TITLE), "the referral page");

    // The monitor too (a code as well).
    let mut monitor = app.browser();
    let login = open_signed_out(&mut monitor, &observation_page).await;
    let code_step = give_password(&mut monitor, &login, MONITOR, &observation_page).await;
    let landed = give_code(&mut monitor, &code_step, MONITOR, &observation_page).await;
    assert_eq!(landed, observation_page);
    let (status, page) = monitor.page(&landed).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(TITLE), "the case page");
    app.finish().await;
}
on_both_databases!(a_mail_link_leads_through_sign_in_to_the_case);

async fn a_forged_next_lands_on_the_role_page(backend: crate::harness::Backend) {
    let app = TestApp::start(backend).await;
    const FORGED: [&str; 8] = [
        "//evil.example",
        "https://evil.example/observations",
        "/\\evil.example",
        "http:evil.example",
        "javascript:alert(1)",
        "/%2F%2Fevil.example",
        "/login?next=//evil.example",
        "/observations/../../evil",
    ];
    for forged in FORGED {
        let mut member = app.browser();
        let landed = give_password(&mut member, "/login", MEMBER, forged).await;
        assert_eq!(landed, Role::CsoMember.landing_path(), "{forged}");
    }
    // Staff: the code step is not told about it, nor does it follow one given to it. (Three
    // sign-ins: the codes of one minute and a half.)
    for forged in &FORGED[..3] {
        let mut police = app.browser();
        let code_step = give_password(&mut police, "/login", POLICE, forged).await;
        assert_eq!(code_step, "/login/code", "{forged}");
        let landed = give_code(&mut police, &code_step, POLICE, forged).await;
        assert_eq!(landed, Role::Liaison.landing_path(), "{forged}");
    }
    app.finish().await;
}
on_both_databases!(a_forged_next_lands_on_the_role_page);

async fn a_foreign_case_from_a_link_answers_like_a_missing_one(backend: crate::harness::Backend) {
    let app = TestApp::start(backend).await;
    app.account(OTHER_CSO, "cso_member", Some(OTHER_ORGANISATION), None)
        .await;
    app.account(GENDARMERIE, "liaison", None, Some("DGGN"))
        .await;
    let Referred { id, referral, .. } =
        a_referred_observation(&app, TITLE, "Des agents ont bloqué le pont toute la nuit.").await;
    let missing = uuid::Uuid::new_v4().to_string();
    // Another organisation's member opens the observation; another institution's liaison
    // the police's referral: each through the whole sign-in, beside a missing id.
    for (email, kind, foreign) in [
        (OTHER_CSO, "observations", &id),
        (GENDARMERIE, "referrals", &referral),
    ] {
        let mut answers = Vec::new();
        for case in [foreign.as_str(), missing.as_str()] {
            let path = format!("/{kind}/{case}");
            let mut browser = app.browser();
            let mut seen = Vec::new();
            let login = open_signed_out(&mut browser, &path).await;
            seen.push(login.clone());
            let next = hidden_next(&mut browser, &login).await;
            let mut landed = give_password(&mut browser, &login, email, &next).await;
            if landed.starts_with("/login/code") {
                seen.push(landed.clone());
                let next = hidden_next(&mut browser, &landed).await;
                landed = give_code(&mut browser, &landed, email, &next).await;
            }
            seen.push(landed.clone());
            let (status, page) = browser.page(&landed).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{email} opening {path}");
            seen.push(comparable(&page, case));
            answers.push(
                seen.iter()
                    .map(|s| s.replace(case, "{id}"))
                    .collect::<Vec<_>>(),
            );
        }
        assert_eq!(
            answers[0], answers[1],
            "{email}: foreign and missing differ"
        );
    }
    app.finish().await;
}
on_both_databases!(a_foreign_case_from_a_link_answers_like_a_missing_one);

/// Enrols an app on the enrolment page at `from` (as the link left it, `?next=…` included),
/// posting its hidden `next`; returns where the portal sends the user.
async fn enrol_from(browser: &mut Browser, from: &str, next: &str) -> String {
    let (status, page) = browser.page(from).await;
    assert_eq!(status, StatusCode::OK, "{from}");
    let at = page.find("class=\"secret\"").expect("key on the page");
    let rest = &page[at..];
    let text = rest[rest.find('>').expect("tag") + 1..].trim_start_matches("<!---->");
    let secret: String = text
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let code = crate::harness::totp_code(&secret, crate::harness::now_step());
    let response = browser
        .submit(
            from,
            "confirm_second_factor",
            &[("code", &code), ("next", next)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FOUND, "enrolment redirects");
    location(&response)
}

/// A police liaison who has no authenticator app yet.
async fn liaison_without_app(app: &TestApp, email: &str) {
    use app::server::entities::user;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    app.account(email, "liaison", None, Some("DGPN")).await;
    user::Entity::update_many()
        .col_expr(user::Column::TotpSecret, Expr::value(None::<String>))
        .col_expr(
            user::Column::TotpEnabledAt,
            Expr::value(None::<chrono::DateTime<chrono::Utc>>),
        )
        .filter(user::Column::Email.eq(email))
        .exec(&app.db)
        .await
        .expect("no second factor yet");
}

async fn enrolling_from_a_mail_link_lands_on_the_case(backend: crate::harness::Backend) {
    const NEW_LIAISON: &str = "nouvelle.liaison@police.test";
    const OTHER_NEW: &str = "autre.liaison@police.test";
    let app = TestApp::start(backend).await;
    let Referred { referral, .. } =
        a_referred_observation(&app, TITLE, "Des agents ont bloqué le pont toute la nuit.").await;
    liaison_without_app(&app, NEW_LIAISON).await;
    liaison_without_app(&app, OTHER_NEW).await;
    let referral_page = format!("/referrals/{referral}");
    let mut liaison = app.browser();
    let login = open_signed_out(&mut liaison, &referral_page).await;
    let next = hidden_next(&mut liaison, &login).await;
    let enrolment = give_password(&mut liaison, &login, NEW_LIAISON, &next).await;
    assert_eq!(enrolment, format!("/security?next={referral_page}"));
    // Half signed in, the link opened again leads back to the enrolment, `next` kept.
    assert_eq!(
        open_signed_out(&mut liaison, &referral_page).await,
        enrolment
    );
    let next = hidden_next(&mut liaison, &enrolment).await;
    assert_eq!(next, referral_page);
    let landed = enrol_from(&mut liaison, &enrolment, &next).await;
    assert_eq!(landed, referral_page);
    let (status, page) = liaison.page(&landed).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(TITLE), "the referral page");

    // Without a `next`, or with a forged one, the enrolment lands on the role's page.
    let mut other = app.browser();
    let enrolment = give_password(&mut other, "/login", OTHER_NEW, "//evil.example").await;
    assert_eq!(enrolment, "/security");
    let landed = enrol_from(&mut other, &enrolment, "//evil.example").await;
    assert_eq!(landed, Role::Liaison.landing_path());
    app.finish().await;
}
on_both_databases!(enrolling_from_a_mail_link_lands_on_the_case);

/// The header's "Se connecter" brings the reader back to the page it was on; signed in,
/// neither the header nor the home page offers to sign in again.
async fn the_sign_in_link_comes_back_and_leaves_the_signed_in_alone(
    backend: crate::harness::Backend,
) {
    let app = TestApp::start(backend).await;
    let mut visitor = app.browser();
    let (status, page) = visitor.page("/transparence").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("href=\"/login?next=%2Ftransparence\""),
        "the header's sign-in link carries the page"
    );
    let (_, home) = visitor.page("/").await;
    assert!(
        home.contains("href=\"/login\""),
        "home: the plain sign-in link"
    );
    assert!(!home.contains("next="), "home: no page to come back to");

    let mut member = crate::observations::signed_in(&app, MEMBER).await;
    for path in ["/", "/transparence"] {
        let (status, page) = member.page(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            !page.contains("Se connecter"),
            "{path} offers to sign in again"
        );
        assert!(!page.contains("href=\"/login"), "{path}: a sign-in link");
    }
    let (_, home) = member.page("/").await;
    assert!(
        home.contains(&format!("href=\"{}\"", Role::CsoMember.landing_path()))
            && home.contains("Ouvrir mon espace"),
        "home leads the signed-in to their space"
    );
    app.finish().await;
}
on_both_databases!(the_sign_in_link_comes_back_and_leaves_the_signed_in_alone);
