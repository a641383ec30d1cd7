//! Which institutions forms and filters offer (issue 14, item 6): the filing form, the public
//! tip form and the liaison invitation only institutions that receive referrals (the forms by
//! name, sorted in the reader's language); a forged post naming another is refused on its
//! field, in words; the list and dashboard filters only institutions results can hold.

use app::server::entities::tip;
use reqwest::StatusCode;
use reqwest::multipart::Form;
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::harness::{Backend, Browser, DEMO_PASSWORD, TestApp, location};
use crate::observations::{MEMBER, MONITOR, choices, form_token, id_in, signed_in};
use crate::on_both_databases;

/// The bodies of the shipped reference data that receive no referrals.
const NOT_RECEIVING: [&str; 5] = ["CNDH", "MEDIATEUR", "CNRSS", "CRSS", "CNT"];

/// Each institution's acronym and id, as any signed-in user lists them.
async fn institution_ids(browser: &mut Browser) -> Vec<(String, String)> {
    let (status, list) = browser.call("list_institutions", &[]).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list.as_array()
        .expect("list")
        .iter()
        .map(|i| {
            (
                i["acronym"].as_str().expect("acronym").to_string(),
                i["id"].as_str().expect("id").to_string(),
            )
        })
        .collect()
}

fn id_of(ids: &[(String, String)], acronym: &str) -> String {
    ids.iter()
        .find(|(a, _)| a == acronym)
        .unwrap_or_else(|| panic!("{acronym} listed"))
        .1
        .clone()
}

/// Where `text` first appears in `page`.
pub fn at(page: &str, text: &str) -> usize {
    page.find(text)
        .unwrap_or_else(|| panic!("{text:?} on the page"))
}

/// Asserts that none of the bodies that receive no referrals is offered on `page`.
fn none_offered(page: &str, ids: &[(String, String)], what: &str) {
    for acronym in NOT_RECEIVING {
        let id = id_of(ids, acronym);
        assert!(!page.contains(&id), "{what} offers {acronym}");
    }
}

async fn forms_offer_only_institutions_that_receive_referrals(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut member = signed_in(&app, MEMBER).await;
    let ids = institution_ids(&mut member).await;

    // The filing form: the security services first, police and gendarmerie on top, then by
    // name in the reader's language.
    let (status, page) = member.page("/observations/new").await;
    assert_eq!(status, StatusCode::OK);
    none_offered(&page, &ids, "the filing form");
    assert!(!page.contains("Médiateur de la République"));
    assert!(
        at(&page, "Police nationale (Direction") < at(&page, "Gendarmerie nationale (Direction"),
        "police first"
    );
    assert!(
        at(&page, "Gendarmerie nationale (Direction") < at(&page, "Garde nationale du Mali"),
        "by kind, not by name"
    );
    let (status, _) = member.call("set_locale", &[("locale", "en")]).await;
    assert_eq!(status, StatusCode::OK);
    let (_, page) = member.page("/observations/new").await;
    none_offered(&page, &ids, "the English filing form");
    assert!(at(&page, "National Police (") < at(&page, "National Gendarmerie ("));
    assert!(!page.contains("Ombudsman"));

    // The public tip form: names, never a code such as MEDIATEUR, and no body that receives
    // no referrals.
    let mut visitor = app.browser();
    let (status, page) = visitor.page("/signalement").await;
    assert_eq!(status, StatusCode::OK);
    none_offered(&page, &ids, "the tip form");
    for code in ["MEDIATEUR", ">DGPN<", ">DGGN<"] {
        assert!(!page.contains(code), "the tip form shows the code {code}");
    }
    assert!(at(&page, ">Police nationale (") < at(&page, ">Gendarmerie nationale ("));

    // The list filters and the dashboard's: only institutions results can hold.
    let mut monitor = signed_in(&app, MONITOR).await;
    let (status, choices) = monitor.call("list_choices", &[]).await;
    assert_eq!(status, StatusCode::OK, "{choices}");
    let offered: Vec<&str> = choices["institutions"]
        .as_array()
        .expect("institutions")
        .iter()
        .map(|pair| pair[1].as_str().expect("acronym"))
        .collect();
    assert!(offered.contains(&"DGPN"), "{offered:?}");
    for acronym in NOT_RECEIVING {
        assert!(!offered.contains(&acronym), "the filters offer {acronym}");
    }
    for path in ["/observations", "/dashboard"] {
        let (status, page) = monitor.page(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        none_offered(&page, &ids, path);
    }

    // The admin invites liaisons only to institutions that receive referrals.
    let mut admin = app.browser();
    admin.login("admin@veille.test", DEMO_PASSWORD).await;
    let (status, page) = admin.page("/admin/users").await;
    assert_eq!(status, StatusCode::OK);
    let start = at(&page, "<select id=\"institution_id\"");
    let select = &page[start..start + at(&page[start..], "</select>")];
    assert!(select.contains(&id_of(&ids, "DGPN")), "the police offered");
    none_offered(select, &ids, "the invitation form");
    app.finish().await;
}
on_both_databases!(forms_offer_only_institutions_that_receive_referrals);

async fn forged_posts_naming_a_body_that_receives_no_referrals_are_refused(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut member = signed_in(&app, MEMBER).await;
    let ids = institution_ids(&mut member).await;
    let cndh = id_of(&ids, "CNDH");
    let mediateur = id_of(&ids, "MEDIATEUR");
    let c = choices(&mut member).await;

    // A filing naming the CNDH is kept as a draft, with the error on its field, in words.
    let token = form_token(&mut member).await;
    let form = Form::new()
        .text("form_token", token)
        .text("title", "Barrage routier à Kati")
        .text(
            "description",
            "Des agents exigent de l'argent des passagers.",
        )
        .text("category_id", c.category.clone())
        .text("institution_ids", c.police.clone())
        .text("institution_ids", cndh.clone())
        .text("region_code", "ML-1")
        .text("precision", "day")
        .text("incident_date", "2026-11-02")
        .text("protection", "anonymous_to_institution")
        .text("intent", "submit");
    let response = member
        .upload("/observations/new", "/observations/save", form)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to = location(&response);
    assert!(
        to.contains("institution_ids.error-institution-not-receiving"),
        "{to}"
    );
    let (status, page) = member.page(to.trim_start_matches(&app.url)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("ne reçoit pas de transmissions"), "in words");
    let (status, draft) = member.call("get_observation", &[("id", &id_in(&to))]).await;
    assert_eq!(status, StatusCode::OK, "{draft}");
    assert_eq!(draft["status"], "draft", "not submitted");

    // A tip naming the Médiateur is refused on its field, in words, and nothing is kept.
    let mut tipster = app.browser();
    let form = Form::new()
        .text(
            "body",
            "Des agents du poste exigent 5000 FCFA à chaque passage.",
        )
        .text("category_id", "")
        .text("institution_id", mediateur)
        .text("region_code", "ML-1")
        .text("website", "");
    let response = tipster
        .upload("/signalement", "/signalement/envoyer", form)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to = location(&response);
    assert!(
        to.ends_with("/signalement?errors=institution_id.error-institution-not-receiving"),
        "{to}"
    );
    let (status, page) = tipster.page(to.trim_start_matches(&app.url)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("ne reçoit pas de transmissions"), "in words");
    assert_eq!(tip::Entity::find().count(&app.db).await.expect("count"), 0);

    // An invitation of a liaison to the CNDH is refused on its field.
    let mut admin = app.browser();
    admin.login("admin@veille.test", DEMO_PASSWORD).await;
    let (status, body) = admin
        .call(
            "invite_user",
            &[
                ("email", "agent@cndh.test"),
                ("display_name", "Agent"),
                ("role", "liaison"),
                ("organisation_id", ""),
                ("institution_id", &cndh),
                ("locale", "fr"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        body["Validation"][0],
        serde_json::json!({ "field": "institution_id", "key": "error-institution-not-receiving" })
    );
    app.finish().await;
}
on_both_databases!(forged_posts_naming_a_body_that_receives_no_referrals_are_refused);
