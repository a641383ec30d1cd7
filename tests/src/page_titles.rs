//! Page titles, meta descriptions and robots.txt (issue 15): each page is titled for what it
//! is in the reader's language, never with case content; search engines see only public pages.

use reqwest::StatusCode;

use crate::harness::{Backend, TestApp};
use crate::observations::{
    MEMBER, MONITOR, POLICE, choices, detail, file_observation, forward, referral_of, signed_in,
};
use crate::on_both_databases;

const CASE_TITLE: &str = "Extorsion au poste de Sikasso";

/// Sets the language of the account `email` (as its preferences would).
async fn speaks(app: &TestApp, email: &str, locale: &str) {
    use app::server::entities::user;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
    let row = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&app.db)
        .await
        .expect("query")
        .expect("user");
    let mut row: user::ActiveModel = row.into();
    row.locale = Set(locale.into());
    row.update(&app.db).await.expect("locale");
}

/// The one `<title>` of a served page (there must be exactly one).
fn title_of(page: &str) -> String {
    assert_eq!(
        page.matches("<title").count(),
        1,
        "exactly one title element: {page}"
    );
    let start = page.find("<title>").expect("title") + "<title>".len();
    let end = start + page[start..].find("</title>").expect("end of title");
    page[start..end].to_string()
}

fn assert_title(page: &str, expected: &str, secrets: &[&str]) {
    let title = title_of(page);
    assert_eq!(title, expected);
    for secret in secrets {
        assert!(
            !title.contains(secret),
            "case content in the title: {title}"
        );
    }
}

async fn titles_and_robots(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut member = signed_in(&app, MEMBER).await;
    let mut monitor = signed_in(&app, MONITOR).await;
    let mut police = signed_in(&app, POLICE).await;

    let c = choices(&mut member).await;
    let id = file_observation(
        &mut member,
        CASE_TITLE,
        "Des agents exigent de l'argent aux usagers du poste de Sikasso.",
    )
    .await;
    let reference = detail(&mut monitor, &id).await["reference"]
        .as_str()
        .expect("reference")
        .to_string();
    forward(
        &mut monitor,
        &id,
        &c.police,
        CASE_TITLE,
        "Des agents exigent de l'argent aux usagers.",
    )
    .await;
    let referral = referral_of(&mut monitor, &id, "DGPN").await;
    let secrets = [CASE_TITLE, reference.as_str()];

    // The public pages, in each language the visitor's browser asks for.
    let mut visitor = app.browser();
    for (lang, home, figures, tip) in [
        ("fr", "Accueil", "Chiffres publics", "Signaler anonymement"),
        ("en", "Home", "Public figures", "Report anonymously"),
    ] {
        let mut get = async |path: &str| {
            let response = visitor
                .get(path, &[("accept", "text/html"), ("accept-language", lang)])
                .await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            response.text().await.expect("page")
        };
        let page = get("/").await;
        assert_title(&page, &format!("{home} · Veille"), &[]);
        assert_eq!(
            page.matches("<meta name=\"description\"").count(),
            1,
            "{page}"
        );
        let page = get("/transparence").await;
        assert_title(&page, &format!("{figures} · Veille"), &[]);
        assert_eq!(
            page.matches("<meta name=\"description\"").count(),
            1,
            "{page}"
        );
        let page = get("/signalement").await;
        assert_title(&page, &format!("{tip} · Veille"), &[]);
        assert_eq!(
            page.matches("<meta name=\"description\"").count(),
            1,
            "{page}"
        );
    }
    // The description speaks the reader's language.
    let response = visitor
        .get("/", &[("accept", "text/html"), ("accept-language", "en")])
        .await;
    let page = response.text().await.expect("page");
    assert!(page.contains("content=\"Citizen oversight"), "{page}");
    let (_, page) = visitor.page("/transparence").await;
    assert!(page.contains("content=\"Chiffres publics"), "{page}");

    // The case pages name the page, never the case.
    for (lang, observation, referral_page, queue, observations) in [
        (
            "fr",
            "Observation",
            "Observation transmise",
            "Suivi de la CNDH",
            "Observations",
        ),
        (
            "en",
            "Observation",
            "Referral",
            "NHRC monitoring",
            "Observations",
        ),
    ] {
        for email in [MEMBER, MONITOR, POLICE] {
            speaks(&app, email, lang).await;
        }
        let (status, page) = member.page(&format!("/observations/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains(CASE_TITLE), "the page itself shows the case");
        assert_title(&page, &format!("{observation} · Veille"), &secrets);
        let (status, page) = police.page(&format!("/referrals/{referral}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains(CASE_TITLE), "the page itself shows the case");
        assert_title(&page, &format!("{referral_page} · Veille"), &secrets);
        let (_, page) = monitor.page("/monitoring").await;
        assert_title(&page, &format!("{queue} · Veille"), &secrets);
        let (_, page) = monitor.page("/observations").await;
        assert_title(&page, &format!("{observations} · Veille"), &secrets);
        let (_, page) = monitor.page(&format!("/observations/{id}")).await;
        assert_title(&page, &format!("{observation} · Veille"), &secrets);
    }

    // Search engines may read the public pages and nothing else.
    let (status, robots) = visitor.page("/robots.txt").await;
    assert_eq!(status, StatusCode::OK);
    let rules: Vec<(&str, &str)> = robots
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(field, value)| (field.trim(), value.trim()))
        .collect();
    for public in ["/$", "/transparence", "/signalement"] {
        assert!(rules.contains(&("Allow", public)), "{public}: {robots}");
    }
    assert!(rules.contains(&("Disallow", "/")), "{robots}");
    assert!(
        allowed(&rules, "/transparence") && allowed(&rules, "/transparence?year=2025"),
        "{robots}"
    );
    assert!(allowed(&rules, "/") && allowed(&rules, "/signalement"));
    for private in [
        "/observations",
        &format!("/observations/{id}"),
        "/referrals",
        "/signalement/suivi",
        "/login",
    ] {
        assert!(!allowed(&rules, private), "{private}: {robots}");
    }

    app.finish().await;
}

/// Whether `path` may be crawled: the longest matching rule wins, Allow on a tie (RFC 9309,
/// with the `$` end anchor search engines support).
fn allowed(rules: &[(&str, &str)], path: &str) -> bool {
    rules
        .iter()
        .filter(|(field, _)| *field == "Allow" || *field == "Disallow")
        .filter(|(_, pattern)| match pattern.strip_suffix('$') {
            Some(exact) => path == exact,
            None => path.starts_with(pattern),
        })
        .max_by_key(|(field, pattern)| (pattern.len(), *field == "Allow"))
        .is_none_or(|(field, _)| *field == "Allow")
}

on_both_databases!(titles_and_robots);
