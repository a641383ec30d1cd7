//! Dead ends and wording (issue 14, item 8): what each role meets on the pages, over HTTP as a
//! browser without JavaScript, in French and in English.

use reqwest::StatusCode;
use reqwest::multipart::Form;

use crate::evidence::file_part;
use crate::harness::{Backend, TestApp, location};
use crate::observations::{
    MEMBER, MONITOR, POLICE, choices, file_observation, forward, referral_of, signed_in,
};
use crate::on_both_databases;

/// Sets the language of the account `email` (as its preferences would).
async fn speaks(app: &TestApp, email: &str, locale: &str) -> uuid::Uuid {
    use app::server::entities::user;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
    let row = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&app.db)
        .await
        .expect("query")
        .expect("user");
    let id = row.id;
    let mut row: user::ActiveModel = row.into();
    row.locale = Set(locale.into());
    row.update(&app.db).await.expect("locale");
    id
}

async fn dead_ends_and_wording(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut member = signed_in(&app, MEMBER).await;
    let mut monitor = signed_in(&app, MONITOR).await;
    let mut police = signed_in(&app, POLICE).await;

    // Only those who may file are offered to; an empty list says "none yet" unless filtered.
    let (status, page) = monitor.page("/observations").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !page.contains("href=\"/observations/new\""),
        "the NHRC is not offered a form that refuses it"
    );
    assert!(page.contains("Aucune observation pour l"), "{page}");
    assert!(!page.contains("ne correspond"));
    let (_, page) = monitor.page("/observations?status=closed").await;
    assert!(page.contains("Aucune observation ne correspond"), "{page}");
    // The liaisons' list refuses the NHRC without first drawing a filter form for it.
    let (_, page) = monitor.page("/referrals").await;
    assert!(!page.contains("filter-box"), "{page}");
    assert!(page.contains("avez pas accès à cette page"), "{page}");
    let (_, page) = police.page("/referrals").await;
    assert!(page.contains("filter-box"), "{page}");
    let (_, page) = member.page("/observations").await;
    assert!(
        page.contains("href=\"/observations/new\""),
        "a member may file"
    );
    let (_, page) = member.page("/observations?page=3").await;
    assert!(
        page.contains("Aucune observation pour l"),
        "a page number is not a filter"
    );

    // People affected, with each language's punctuation.
    let c = choices(&mut member).await;
    let id = file_observation(
        &mut member,
        "Racket au marché",
        "Des agents exigent de l'argent au marché de Kayes.",
    )
    .await;
    let (_, page) = member.page(&format!("/observations/{id}")).await;
    assert!(page.contains("Femmes\u{a0}: 2"), "French spacing");
    speaks(&app, MEMBER, "en").await;
    let (_, page) = member.page(&format!("/observations/{id}")).await;
    assert!(page.contains("Women: 2"), "English punctuation");
    assert!(!page.contains("Women : 2"));

    // A liaison's document: it says the document was added, not that a draft was saved.
    forward(
        &mut monitor,
        &id,
        &c.police,
        "Racket au marché",
        "Des agents exigent de l'argent.",
    )
    .await;
    let referral = referral_of(&mut monitor, &id, "DGPN").await;
    let from = format!("/referrals/{referral}");
    let form = Form::new().part(
        "evidence",
        file_part("pv.pdf", b"%PDF-1.4\n% pv\n%%EOF\n".to_vec()),
    );
    let response = police
        .upload(&from, &format!("/referrals/{referral}/documents"), form)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to = location(&response);
    assert!(to.ends_with("?notice=attached"), "{to}");
    let (_, page) = police.page(&to).await;
    assert!(
        page.contains("Document(s) ajouté(s) à la transmission."),
        "{page}"
    );
    assert!(!page.contains("Brouillon enregistré"));

    // Preferences saved without JavaScript: back on the page, with a confirmation.
    let response = member
        .submit(
            "/preferences",
            "set_notification_preference",
            &[("preference", "daily")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let to = location(&response);
    assert_eq!(to, "/preferences?notice=preferences_saved");
    let (_, page) = member.page(&to).await;
    assert!(page.contains("Preferences saved."), "{page}");
    let (_, page) = member.page("/preferences").await;
    assert!(
        !page.contains("Preferences saved."),
        "no confirmation before saving"
    );

    // An unsubscribe link, followed without a session, speaks the account's language.
    let user_id = speaks(&app, MEMBER, "en").await;
    let token = app::server::outbox::unsubscribe::token(&app.db, user_id)
        .await
        .expect("token");
    let link = format!("{}/unsubscribe?token={token}", app.url);
    let client = reqwest::Client::new();
    let page = client
        .get(&link)
        .header("accept", "text/html")
        .send()
        .await
        .expect("get");
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.expect("body");
    assert!(
        page.contains("Unsubscribe") && !page.contains("Désabonnement"),
        "{page}"
    );
    let response = client
        .post(&link)
        .body("List-Unsubscribe=One-Click")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.expect("body");
    assert!(
        page.contains("You will no longer receive notifications"),
        "{page}"
    );
    // Without a genuine token, the reader's Accept-Language.
    let page = client
        .get(format!("{}/unsubscribe?token=forged.00", app.url))
        .header("accept", "text/html")
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(
        page.contains("Unsubscribe") && !page.contains("Désabonnement"),
        "{page}"
    );
    app.finish().await;
}
on_both_databases!(dead_ends_and_wording);

/// Lists: regions by their names in the reader's language, and a page number past the end
/// shows the last page.
async fn lists_sort_by_name_and_stop_at_the_last_page(backend: Backend) {
    let app = TestApp::builder(backend).bulk_filing().start().await;
    let mut member = signed_in(&app, MEMBER).await;

    // Regions, in French then in English: by name, Taoudénit not between Kayes and Koulikoro.
    for locale in ["fr", "en"] {
        speaks(&app, MEMBER, locale).await;
        let (status, body) = member.call("list_choices", &[]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let names: Vec<String> = body["regions"]
            .as_array()
            .expect("regions")
            .iter()
            .map(|pair| pair[1].as_str().expect("name").to_string())
            .collect();
        let at = |name: &str| {
            names
                .iter()
                .position(|n| n.starts_with(name))
                .unwrap_or_else(|| panic!("{name} in {names:?}"))
        };
        assert!(at("Kayes") < at("Koulikoro"), "{names:?}");
        assert!(at("Koulikoro") < at("Taoudénit"), "{names:?}");
        let keys: Vec<String> = names
            .iter()
            .map(|n| app::server::reference::collation_key(n))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{locale}: {names:?}");
        // The filing form offers them in the same order.
        let (_, page) = member.page("/observations/new").await;
        let kayes = page.find("value=\"ML-1\"").expect("Kayes offered");
        let koulikoro = page.find("value=\"ML-2\"").expect("Koulikoro offered");
        let taoudenit = page.find("value=\"ML-10\"").expect("Taoudénit offered");
        assert!(kayes < koulikoro && koulikoro < taoudenit, "{locale}");
    }
    speaks(&app, MEMBER, "fr").await;

    // 21 drafts: two pages of 20; page 99 shows the second (the last), not the first.
    let c = choices(&mut member).await;
    for n in 0..21 {
        let form = crate::observations::filing(
            &format!("jeton-page-{n}"),
            &c,
            &format!("Brouillon numéro {n}"),
            "Un brouillon pour remplir deux pages de la liste.",
        )
        .text("intent", "draft");
        let response = member
            .upload("/observations/new", "/observations/save", form)
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "draft {n}");
    }
    let (_, first) = member
        .call("list_observations", &[("filter[sort]", "")])
        .await;
    assert_eq!(first["total"], 21, "{first}");
    assert_eq!(first["items"].as_array().expect("items").len(), 20);
    let next = first["next"].as_str().expect("a next page").to_string();
    let (_, list) = member
        .call("list_observations", &[("filter[after]", next.as_str())])
        .await;
    assert_eq!(list["items"].as_array().expect("items").len(), 1);
    assert!(list["next"].is_null(), "{list}");
    let (_, page) = member.page(&format!("/observations?after={next}")).await;
    assert!(page.contains("21 résultat(s)"), "{page}");
    assert!(page.contains("Première page"), "{page}");
    assert!(page.contains("rel=\"prev\""), "{page}");
    assert!(
        !page.contains("rel=\"next\""),
        "the last page links to no next one"
    );
    app.finish().await;
}
on_both_databases!(lists_sort_by_name_and_stop_at_the_last_page);
