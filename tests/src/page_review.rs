//! The screenshot review's fixes, as a browser without JavaScript meets them: each note of a
//! referral's action says what it is for, a contested response shows its reason above the
//! forms, deadlines met read as met, a tip held back by the rate limit comes back in the
//! portal's own page with its text, and the wording of the sensitive-cases pages.

use reqwest::StatusCode;
use reqwest::multipart::Form;
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::fixtures::{Referred, a_referred_observation};
use crate::harness::{Backend, TestApp, location};
use crate::observations::{MEMBER, MONITOR, POLICE, file_observation, signed_in, step};
use crate::on_both_databases;

// No apostrophe in what the tests look for: pages write it as an entity.
const ANSWER: &str = "Les faits ne sont pas établis, le dossier est classé.";
const CONTEST: &str = "Deux témoins ne sont jamais entendus ; le certificat médical est ignoré.";

/// Where `text` first appears in `page` (to check what comes before what).
fn position(page: &str, text: &str) -> usize {
    page.find(text)
        .unwrap_or_else(|| panic!("{text:?} in the page:\n{page}"))
}

async fn referral_notes_say_what_they_are_for_and_deadlines_met_read_as_met(backend: Backend) {
    let app = TestApp::start(backend).await;
    let Referred {
        mut parties,
        id,
        referral,
    } = a_referred_observation(
        &app,
        "Passage à tabac",
        "Un jeune homme frappé en garde à vue.",
    )
    .await;
    let referral_page = format!("/referrals/{referral}");
    let obs_page = format!("/observations/{id}");

    let (status, page) = parties.police.page(&referral_page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Accusé de réception attendu le"), "{page}");
    step(
        &mut parties.police,
        &referral_page,
        "referral_action",
        &referral,
        "acknowledge",
        None,
    )
    .await;
    let (_, page) = parties.police.page(&referral_page).await;
    assert!(page.contains("Réception accusée le"), "{page}");
    assert!(!page.contains("Accusé de réception attendu le"), "{page}");
    assert!(page.contains("Réponse attendue le"), "{page}");
    // Two notes on one page, each labelled by what it is for.
    assert!(page.contains("Question à l"), "{page}");
    assert!(page.contains("Réponse officielle (obligatoire)"), "{page}");
    assert!(!page.contains("Motif ou message (obligatoire)"), "{page}");
    step(
        &mut parties.police,
        &referral_page,
        "referral_action",
        &referral,
        "respond",
        Some(ANSWER),
    )
    .await;
    // Answered: both deadlines read as met, on both pages.
    let (_, page) = parties.police.page(&referral_page).await;
    assert!(page.contains("Réponse donnée le"), "{page}");
    assert!(!page.contains("Réponse attendue le"), "{page}");
    let (_, page) = parties.monitor.page(&obs_page).await;
    assert!(page.contains("Réception accusée le"), "{page}");
    assert!(page.contains("Réponse donnée le"), "{page}");
    assert!(!page.contains("Réponse attendue le"), "{page}");
    let (_, page) = parties.member.page(&obs_page).await;
    assert!(
        page.contains("Pourquoi la réponse ne convient pas (obligatoire)"),
        "{page}"
    );
    step(
        &mut parties.member,
        &obs_page,
        "referral_action",
        &referral,
        "contest",
        Some(CONTEST),
    )
    .await;

    // The NHRC: the reason above its two forms, whose notes are told apart; the closing one
    // says every party reads it. Only the free note keeps the general label.
    let (_, page) = parties.monitor.page(&obs_page).await;
    let callout = position(&page, "Réponse contestée par l");
    let escalate = position(&page, "Motif de l");
    let close = position(
        &page,
        "Résolution, visible par toutes les parties (obligatoire)",
    );
    assert!(callout < escalate && callout < close, "{page}");
    assert!(page[callout..escalate].contains(CONTEST), "{page}");
    assert_eq!(
        page.matches("Motif ou message (obligatoire)").count(),
        1,
        "{page}"
    );
    // A new response is awaited.
    assert!(page.contains("Réponse attendue le"), "{page}");

    // The liaison answering it reads the reason, and the answer contested, above its form.
    let (_, page) = parties.police.page(&referral_page).await;
    let callout = position(&page, "Réponse contestée par l");
    let respond = position(&page, "Réponse officielle (obligatoire)");
    assert!(callout < respond, "{page}");
    assert!(page[callout..respond].contains(CONTEST), "{page}");
    assert!(page[callout..respond].contains(ANSWER), "{page}");
    app.finish().await;
}
on_both_databases!(referral_notes_say_what_they_are_for_and_deadlines_met_read_as_met);

async fn observation_notes_say_what_they_are_for(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut member = signed_in(&app, MEMBER).await;
    let mut monitor = signed_in(&app, MONITOR).await;
    let id = file_observation(
        &mut member,
        "Garde à vue prolongée",
        "Trois jours sans juge.",
    )
    .await;
    // The NHRC triaging: a question and a refusal, each note labelled by what it is for.
    let (status, page) = monitor.page(&format!("/observations/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Motif du refus (obligatoire)"), "{page}");
    assert!(page.contains("Question à l"), "{page}");
    // Only the free note keeps the general label.
    assert_eq!(
        page.matches("Motif ou message (obligatoire)").count(),
        1,
        "{page}"
    );
    app.finish().await;
}
on_both_databases!(observation_notes_say_what_they_are_for);

fn tip_form(body: &str) -> Form {
    Form::new()
        .text("body", body.to_string())
        .text("category_id", "")
        .text("institution_id", "")
        .text("region_code", "ML-1")
        .text("website", "")
}

async fn a_tip_held_back_comes_back_in_the_form_with_its_text(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut tipster = app.browser();
    for n in 1..=3 {
        let body = format!("Signalement numéro {n} : racket au poste de Kati.");
        let response = tipster
            .upload("/signalement", "/signalement/envoyer", tip_form(&body))
            .await;
        assert_eq!(location(&response), "/signalement/recu", "tip {n}");
    }
    let held = "Un quatrième signalement : des agents demandent de argent au péage.";
    let response = tipster
        .upload("/signalement", "/signalement/envoyer", tip_form(held))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/signalement");
    let (status, page) = tipster.page("/signalement").await;
    assert_eq!(status, StatusCode::OK);
    // The portal's page, with its quick exit; how long to wait, truthfully; the text kept,
    // in the form, and the region chosen.
    assert!(page.contains("Sortie rapide"), "{page}");
    assert!(page.contains("pas encore envoyé"), "{page}");
    assert!(page.contains("un toutes les 10 minutes"), "{page}");
    assert!(page.contains("Réessayez dans 10 min"), "{page}");
    let form = position(&page, "<textarea");
    assert!(position(&page, held) > form, "the text in the form: {page}");
    let region = position(&page, "value=\"ML-1\"");
    assert!(
        page[region..region + 30].contains("selected"),
        "the region chosen: {page}"
    );
    assert!(!page.contains("Patientez une minute"), "{page}");
    // Nothing stored; shown once.
    use app::server::entities::tip;
    assert_eq!(tip::Entity::find().count(&app.db).await.expect("count"), 3);
    let (_, page) = tipster.page("/signalement").await;
    assert!(!page.contains(held), "shown once");
    app.finish().await;
}
on_both_databases!(a_tip_held_back_comes_back_in_the_form_with_its_text);

async fn sensitive_pages_and_the_navigation_read_consistently(backend: Backend) {
    let app = TestApp::start(backend).await;
    // The police's liaison coordinates the institution but holds no permission yet: told
    // directly who may grant it, in the words every other page uses.
    let mut police = signed_in(&app, POLICE).await;
    let (status, page) = police.page("/institution/sensitive").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("seule la CNDH peut vous l"), "{page}");
    assert!(
        !page.contains("officier de liaison coordinateur de votre institution"),
        "{page}"
    );
    assert!(page.contains("Les transmissions d"), "{page}");
    assert!(!page.contains("renvoi"), "{page}");
    // French quotation marks hold their words on one line.
    assert!(
        page.contains("permission «\u{a0}cas sensibles\u{a0}»"),
        "{page}"
    );
    assert!(!page.contains("« ") && !page.contains(" »"), "{page}");
    let mut monitor = signed_in(&app, MONITOR).await;
    let (_, page) = monitor.page("/monitoring/sensitive").await;
    assert!(!page.contains("« ") && !page.contains(" »"), "{page}");

    // In English the navigation and the queue say "referrals" alike.
    let (status, _) = police.call("set_locale", &[("locale", "en")]).await;
    assert_eq!(status, StatusCode::OK);
    let (_, page) = police.page("/referrals").await;
    assert!(page.contains(">Referrals<"), "{page}");
    assert!(!page.contains("Forwarded observations"), "{page}");
    app.finish().await;
}
on_both_databases!(sensitive_pages_and_the_navigation_read_consistently);
