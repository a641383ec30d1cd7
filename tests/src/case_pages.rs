//! What a case page and the public page show (issue 14, item 8): the category in the reader's
//! language; an observation made from a tip says what is not known instead of empty values and
//! zero counts; the public page lists it under "no category", shows zeros as 0 (only counts from
//! 1 to 4 are hidden) and defines only the figures it shows; the wide tables of the dashboard and
//! the public page scroll in named regions a keyboard reaches.

use reqwest::StatusCode;
use reqwest::multipart::Form;
use serde_json::{Value, json};

use crate::harness::{Backend, Browser, TestApp, location};
use crate::observations::{MEMBER, MONITOR, file_observation, signed_in};
use crate::on_both_databases;

/// The observation the NHRC makes of a tip that named no category, institution or date.
async fn observation_from_a_tip(app: &TestApp, monitor: &mut Browser) -> String {
    let mut tipster = app.browser();
    let form = Form::new()
        .text(
            "body",
            "Contrôle abusif au péage : les agents demandent de l'argent.",
        )
        .text("category_id", "")
        .text("institution_id", "")
        .text("region_code", "")
        .text("website", "");
    let response = tipster
        .upload("/signalement", "/signalement/envoyer", form)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // The receipt in its five groups, each kept whole on a phone.
    let (_, page) = tipster.page("/signalement/recu").await;
    assert_eq!(
        page.matches("<span class=\"receipt-group\">").count(),
        5,
        "{page}"
    );
    let (status, tips) = monitor.call("list_tips", &[]).await;
    assert_eq!(status, StatusCode::OK, "{tips}");
    let tip = tips[0]["id"].as_str().expect("tip id").to_string();
    let response = monitor
        .submit(&format!("/tips/{tip}"), "convert_tip", &[("id", &tip)])
        .await;
    location(&response)
        .strip_prefix("/observations/")
        .expect("to the observation")
        .to_string()
}

async fn case_pages_say_what_is_unknown_in_the_readers_language(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut member = signed_in(&app, MEMBER).await;
    let mut monitor = signed_in(&app, MONITOR).await;

    // The category by its name in the reader's language.
    let id = file_observation(
        &mut member,
        "Garde à vue prolongée",
        "Trois jours sans juge.",
    )
    .await;
    let (status, page) = member.page(&format!("/observations/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Arrestation et détention arbitraires"));
    let (status, _) = member.call("set_locale", &[("locale", "en")]).await;
    assert_eq!(status, StatusCode::OK);
    let (_, page) = member.page(&format!("/observations/{id}")).await;
    assert!(
        page.contains("Arbitrary arrest and detention"),
        "English name"
    );
    assert!(
        !page.contains("Arrestation et détention arbitraires"),
        "no French name on the English page"
    );
    // Only the counts given: the form gave women and girls, not men or boys.
    assert!(page.contains("Women: 2"));
    assert!(!page.contains("Men: 0") && !page.contains("Boys: 0"));

    // An observation made from a tip: unknown facts say so, no empty value, no zero count.
    let from_tip = observation_from_a_tip(&app, &mut monitor).await;
    let (status, page) = monitor.page(&format!("/observations/{from_tip}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("non renseigné"), "unknown facts in words");
    assert!(!page.contains("<dd></dd>"), "no empty value");
    assert!(!page.contains("\u{a0}: 0<"), "no zero count");
    app.finish().await;
}
on_both_databases!(case_pages_say_what_is_unknown_in_the_readers_language);

/// The cells of one published table, row by row, then its row totals.
fn cells(table: &Value) -> Vec<Value> {
    let mut all: Vec<Value> = table["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .flat_map(|row| row.as_array().expect("row").clone())
        .collect();
    all.extend(table["row_totals"].as_array().expect("totals").clone());
    all
}

async fn the_public_page_shows_zeros_and_only_its_own_definitions(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut monitor = signed_in(&app, MONITOR).await;
    observation_from_a_tip(&app, &mut monitor).await;

    let mut visitor = app.browser();
    let (status, figures) = visitor.call("get_transparency", &[]).await;
    assert_eq!(status, StatusCode::OK, "{figures}");
    // One observation this quarter, none in the three before: zeros shown, the one hidden.
    let categories = &figures["categories"];
    assert_eq!(
        categories["rows"],
        json!(["Sans catégorie"]),
        "{categories}"
    );
    assert_eq!(
        cells(&categories["table"]),
        [
            json!({ "Count": 0 }),
            json!({ "Count": 0 }),
            json!({ "Count": 0 }),
            json!("Hidden"),
            json!("Hidden"),
        ],
        "{categories}"
    );
    let (status, page) = visitor.page("/transparence").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(">Sans catégorie<"), "no blank row");
    assert!(page.contains("<td>0</td>"), "a zero reads 0");
    assert!(page.contains("<td>&lt; 5</td>"), "a count of 1 is hidden");
    // The figures shown are defined, the dashboard's others are not.
    assert!(page.contains("comptées au mois de leur dépôt"));
    assert!(page.contains("comptées au mois de la transmission"));
    assert!(
        !page.contains("accusées dans le délai"),
        "no on-time share shown"
    );
    assert!(!page.contains("jours ouvrés écoulés"), "no days late shown");

    let mut english = app.browser();
    let (status, _) = english.call("set_locale", &[("locale", "en")]).await;
    assert_eq!(status, StatusCode::OK);
    let (_, page) = english.page("/transparence").await;
    assert!(page.contains(">No category<"), "in English");
    app.finish().await;
}
on_both_databases!(the_public_page_shows_zeros_and_only_its_own_definitions);

/// Asserts that every table of `page` either sits in the scrolling wrapper, reachable by
/// keyboard and named (axe's scrollable-region-focusable), or is a two-column table of label
/// and number that fits a phone (`pairs`), so that no table widens a phone's screen (the
/// browser journeys measure the widths themselves).
fn tables_scroll_in_named_regions(page: &str, what: &str) {
    let mut tables = 0;
    for (at, _) in page.match_indices("<table") {
        tables += 1;
        let tag = &page[at..at + page[at..].find('>').expect("a tag")];
        if tag.contains("class=\"pairs\"") {
            continue;
        }
        let opening = &page[page[..at].rfind("<div").expect("a wrapper")..at];
        let named = (opening.contains("aria-label=\"") && !opening.contains("aria-label=\"\""))
            || (opening.contains("aria-labelledby=\"")
                && !opening.contains("aria-labelledby=\"\""));
        assert!(
            opening.contains("class=\"table-wrap\"")
                && opening.contains("tabindex=\"0\"")
                && opening.contains("role=\"region\"")
                && named,
            "{what}: a table outside a named scrolling region: {opening}"
        );
        // A region named by a heading: the heading is on the page.
        if let Some(start) = opening.find("aria-labelledby=\"") {
            let id = &opening[start + 17..];
            let id = &id[..id.find('"').expect("closing quote")];
            assert!(
                page.contains(&format!("id=\"{id}\"")),
                "{what}: no element {id} names a region"
            );
        }
    }
    assert!(tables > 0, "{what} has tables");
}

async fn wide_tables_scroll_in_named_regions(backend: Backend) {
    let app = TestApp::start(backend).await;
    server::volume::observations(&app.db, 40, |_| {})
        .await
        .expect("generated observations");
    let mut monitor = signed_in(&app, MONITOR).await;
    let (status, page) = monitor.page("/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    tables_scroll_in_named_regions(&page, "the dashboard");
    let (status, page) = app.browser().page("/transparence").await;
    assert_eq!(status, StatusCode::OK);
    tables_scroll_in_named_regions(&page, "the public page");
    app.finish().await;
}
on_both_databases!(wide_tables_scroll_in_named_regions);
