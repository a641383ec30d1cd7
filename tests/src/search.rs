//! Text search in the lists (issue 16): whole words and prefixes, accents and case ignored, every
//! word required, within the reader's scope (a liaison finds only the text released to it), and
//! an index that follows every edit, redaction and delete.

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;

use crate::harness::{Backend, Browser, TestApp};
use crate::observations::{file_observation, forward};
use crate::on_both_databases;

/// The titles a list shows for `q`, sorted.
async fn found(browser: &mut Browser, function: &str, q: &str) -> Vec<String> {
    let (status, body) = browser.call(function, &[("filter[q]", q)]).await;
    assert_eq!(status, StatusCode::OK, "{q}: {body}");
    let mut titles: Vec<String> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i: &Value| i["title"].as_str().unwrap_or_default().to_string())
        .collect();
    titles.sort();
    titles
}

/// The titles a list shows for `form` (its `filter[…]` fields), in the list's order, with the
/// page.
async fn listed(
    browser: &mut Browser,
    function: &str,
    form: &[(&str, &str)],
) -> (Vec<String>, Value) {
    let (status, body) = browser.call(function, form).await;
    assert_eq!(status, StatusCode::OK, "{form:?}: {body}");
    let titles = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i: &Value| i["title"].as_str().unwrap_or_default().to_string())
        .collect();
    (titles, body)
}

async fn rows(app: &TestApp, sql: &str) -> i64 {
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            sql.to_string(),
        ))
        .await
        .expect("query")
        .expect("row");
    row.try_get_by_index::<i64>(0).expect("number")
}

async fn words_prefixes_accents_and_scope(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut parties = crate::fixtures::the_parties(&app).await;
    let security = "Sécurité du marché de Kayes";
    let control = "Contrôle routier abusif";
    let first = file_observation(
        &mut parties.member,
        security,
        "Les commerçants décrivent des agents de la POLICE qui prélèvent une taxe.",
    )
    .await;
    file_observation(
        &mut parties.member,
        control,
        "Un barrage sur la route de Bamako, la nuit, sans reçu.",
    )
    .await;
    let monitor = &mut parties.monitor;
    let one = |title: &str| vec![title.to_string()];

    // Accents and case do not matter; words are whole or the start of a word.
    assert_eq!(
        found(monitor, "list_observations", "securite").await,
        one(security)
    );
    assert_eq!(
        found(monitor, "list_observations", "SÉCURITÉ").await,
        one(security)
    );
    assert_eq!(
        found(monitor, "list_observations", "sécu").await,
        one(security)
    );
    assert_eq!(
        found(monitor, "list_observations", "curité").await,
        Vec::<String>::new()
    );
    assert_eq!(
        found(monitor, "list_observations", "ROUTIER").await,
        one(control)
    );
    // Every word is required, in any order, in any of the fields.
    assert_eq!(
        found(monitor, "list_observations", "kayes marche").await,
        one(security)
    );
    assert_eq!(
        found(monitor, "list_observations", "securite bamako").await,
        Vec::<String>::new()
    );
    assert_eq!(
        found(monitor, "list_observations", "police taxe").await,
        one(security)
    );
    // The place is searched too (the filing form's place, "Poste de contrôle à la sortie de
    // Kayes", is both cases').
    assert_eq!(found(monitor, "list_observations", "sortie").await.len(), 2);
    assert_eq!(
        found(monitor, "list_observations", "controle").await.len(),
        2
    );
    // The search engines' own syntax is only words here.
    assert_eq!(
        found(monitor, "list_observations", "\"police\" OR NEAR(taxe*)").await,
        Vec::<String>::new()
    );
    assert_eq!(
        found(monitor, "list_observations", "***").await,
        Vec::<String>::new()
    );
    // Letters that lose their accent as signs (`½` → ` 1/2`, `⑴` → `(1)`, `ʼ` → `'`) are
    // words still, never query syntax.
    for odd in ["x½", "⑴", "ʼécole", "ː", "İstanbul"] {
        assert_eq!(
            found(monitor, "list_observations", odd).await,
            Vec::<String>::new()
        );
    }
    // A public reference, whole.
    let (_, detail) = monitor.call("get_observation", &[("id", &first)]).await;
    let reference = detail["reference"].as_str().expect("reference").to_string();
    assert_eq!(
        found(monitor, "list_observations", &reference.to_lowercase()).await,
        one(security)
    );

    // Forwarded with a redacted text: the liaison finds the released words only.
    let police = parties.choices.police.clone();
    forward(
        monitor,
        &first,
        &police,
        "Prélèvements au marché",
        "Des agents prélèvent une taxe.",
    )
    .await;
    let liaison = &mut parties.police;
    assert_eq!(
        found(liaison, "list_referrals", "prelevements").await,
        one("Prélèvements au marché")
    );
    assert_eq!(
        found(liaison, "list_referrals", "commerçants").await,
        Vec::<String>::new(),
        "a word of the original only"
    );
    assert_eq!(
        found(liaison, "list_referrals", "sécurité").await,
        Vec::<String>::new()
    );
    assert_eq!(
        found(liaison, "list_referrals", &reference).await,
        one("Prélèvements au marché")
    );

    // Another organisation's member finds nothing of these.
    let other_cso = crate::observations::OTHER_CSO;
    app.account(
        other_cso,
        "cso_member",
        Some("Réseau citoyen de veille de Mopti (fictif)"),
        None,
    )
    .await;
    let mut other = crate::observations::signed_in(&app, other_cso).await;
    assert_eq!(
        found(&mut other, "list_observations", "securite").await,
        Vec::<String>::new()
    );
    app.finish().await;
}
on_both_databases!(words_prefixes_accents_and_scope);

/// The index follows a draft's edits, and a deleted observation leaves nothing in it.
async fn the_index_follows_edits_and_deletes(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut member = crate::observations::signed_in(&app, crate::observations::MEMBER).await;
    let c = crate::observations::choices(&mut member).await;
    let token = crate::observations::form_token(&mut member).await;
    let save = |title: &str| {
        crate::observations::filing(&token, &c, title, "Un brouillon à reprendre plus tard.")
            .text("intent", "draft")
    };
    let response = member
        .upload(
            "/observations/new",
            "/observations/save",
            save("Arrestation arbitraire"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let id = crate::observations::observation_id(&response);
    assert_eq!(
        found(&mut member, "list_observations", "arbitraire")
            .await
            .len(),
        1
    );
    // The same form saved again (its token names the draft) with another title.
    let response = member
        .upload(
            "/observations/new",
            "/observations/save",
            save("Détention prolongée"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(crate::observations::observation_id(&response), id);
    assert!(
        found(&mut member, "list_observations", "arbitraire")
            .await
            .is_empty()
    );
    assert_eq!(
        found(&mut member, "list_observations", "detention")
            .await
            .len(),
        1
    );

    for table in [
        "observation_institutions",
        "observation_events",
        "observations",
    ] {
        app.db
            .execute_unprepared(&format!("DELETE FROM {table}"))
            .await
            .expect("delete");
    }
    assert!(
        found(&mut member, "list_observations", "detention")
            .await
            .is_empty()
    );
    if app.db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        assert_eq!(
            rows(&app, "SELECT COUNT(*) FROM observation_search_rows").await,
            0
        );
        assert_eq!(
            rows(
                &app,
                "SELECT COUNT(*) FROM observation_search WHERE observation_search MATCH 'detention'"
            )
            .await,
            0
        );
    }
    app.finish().await;
}
on_both_databases!(the_index_follows_edits_and_deletes);

/// A word in more than a thousand cases (SQLite: the NHRC reads the thousand indexed last;
/// PostgreSQL's planner chooses its own way): the first page comes whole, each row holds the
/// word, the count says "more than 1000", and the next page follows on; the start of that
/// word alike.
async fn a_common_word_is_found_as_the_list_walks(backend: Backend) {
    let app = TestApp::start(backend).await;
    server::volume::observations(&app.db, 1100, |_| {})
        .await
        .expect("generated observations");
    let mut monitor = crate::observations::signed_in(&app, crate::observations::MONITOR).await;
    let (status, page) = monitor
        .call("list_observations", &[("filter[q]", "FICTIVE")])
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let items = page["items"].as_array().expect("items");
    assert_eq!(items.len(), 20, "{page}");
    assert!(
        items
            .iter()
            .all(|i| i["title"].as_str().unwrap_or_default().contains("fictive")),
        "{page}"
    );
    assert_eq!(page["more"], true, "{page}");
    // The next page goes on from there, without the first page's rows.
    let next = page["next"].as_str().expect("a next page").to_string();
    let (_, second) = monitor
        .call(
            "list_observations",
            &[("filter[q]", "fictive"), ("filter[after]", next.as_str())],
        )
        .await;
    let first_ids: Vec<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
    let second = second["items"].as_array().expect("items");
    assert_eq!(second.len(), 20);
    assert!(
        second
            .iter()
            .all(|i| !first_ids.contains(&i["id"].as_str().unwrap_or_default()))
    );
    // The start of the word, never whole in any case (SQLite gathers the prefix's matches).
    let (_, page) = monitor
        .call("list_observations", &[("filter[q]", "fictiv")])
        .await;
    assert_eq!(page["more"], true, "{page}");
    assert_eq!(page["items"].as_array().map(Vec::len), Some(20), "{page}");
    app.finish().await;
}
on_both_databases!(a_common_word_is_found_as_the_list_walks);

/// Ranked, closest first: the word in the title before the word in the description, a word said
/// three times before a word said once, a case found by its reference before any; newest first
/// when asked, searching the same.
async fn results_come_closest_first(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut member = crate::observations::signed_in(&app, crate::observations::MEMBER).await;
    let said = "Les faits se sont produits en fin de journée devant plusieurs témoins du quartier.";
    let in_title = "Tabassage au commissariat";
    let once = "Plainte d'un commerçant";
    let thrice = "Plainte d'un chauffeur";
    file_observation(&mut member, in_title, said).await;
    file_observation(
        &mut member,
        once,
        &format!("{said} Un tabassage est rapporté."),
    )
    .await;
    let third = file_observation(
        &mut member,
        thrice,
        "Un tabassage, puis un second tabassage, et encore un tabassage au poste.",
    )
    .await;
    file_observation(&mut member, "Sans rapport", said).await;
    let mut monitor = crate::observations::signed_in(&app, crate::observations::MONITOR).await;
    let (titles, page) = listed(
        &mut monitor,
        "list_observations",
        &[("filter[q]", "tabassage")],
    )
    .await;
    assert_eq!(titles, [in_title, thrice, once], "{page}");
    assert_eq!(page["total"], 3);
    let (titles, _) = listed(
        &mut monitor,
        "list_observations",
        &[("filter[q]", "TABASS"), ("filter[sort]", "relevance")],
    )
    .await;
    assert_eq!(titles, [in_title, thrice, once], "a prefix ranks the same");
    let (titles, _) = listed(
        &mut monitor,
        "list_observations",
        &[("filter[q]", "tabassage"), ("filter[sort]", "newest")],
    )
    .await;
    assert_eq!(titles, [thrice, once, in_title], "newest first when asked");
    // The organisation's member searches its own cases, ranked the same.
    let (titles, _) = listed(
        &mut member,
        "list_observations",
        &[("filter[q]", "tabassage")],
    )
    .await;
    assert_eq!(titles, [in_title, thrice, once]);
    // Found by its reference: first.
    let (_, detail) = monitor.call("get_observation", &[("id", &third)]).await;
    let reference = detail["reference"].as_str().expect("reference").to_string();
    let (titles, _) = listed(
        &mut monitor,
        "list_observations",
        &[("filter[q]", &reference)],
    )
    .await;
    assert_eq!(titles, [thrice]);
    app.finish().await;
}
on_both_databases!(results_come_closest_first);

/// A ranked search read page by page: every match once, and back again to the same first page;
/// a forged place in the ranking is refused.
async fn a_ranked_search_walks_every_page_once(backend: Backend) {
    let app = TestApp::start(backend).await;
    server::volume::observations(&app.db, 30, |_| {})
        .await
        .expect("generated observations");
    let mut monitor = crate::observations::signed_in(&app, crate::observations::MONITOR).await;
    let ids = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["id"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let (_, first) = listed(
        &mut monitor,
        "list_observations",
        &[("filter[q]", "fictive")],
    )
    .await;
    assert_eq!(
        (first["total"].as_u64(), first["more"].as_bool()),
        (Some(30), Some(false))
    );
    assert_eq!(ids(&first).len(), 20);
    assert!(first["previous"].is_null());
    let next = first["next"].as_str().expect("a second page").to_string();
    let (_, second) = listed(
        &mut monitor,
        "list_observations",
        &[("filter[q]", "fictive"), ("filter[after]", &next)],
    )
    .await;
    assert_eq!(ids(&second).len(), 10);
    assert!(second["next"].is_null(), "the last page");
    let mut every: Vec<String> = ids(&first).into_iter().chain(ids(&second)).collect();
    every.sort();
    every.dedup();
    assert_eq!(every.len(), 30, "each match once");
    let previous = second["previous"].as_str().expect("a way back").to_string();
    let (_, back) = listed(
        &mut monitor,
        "list_observations",
        &[("filter[q]", "fictive"), ("filter[before]", &previous)],
    )
    .await;
    assert_eq!(ids(&back), ids(&first));
    // A score (never a cursor here), a cursor of dates, a word.
    for forged in [
        "9221120237041090560.00000000000000000000000000000000",
        "1.2.3",
        "rien",
    ] {
        let (status, body) = monitor
            .call(
                "list_observations",
                &[("filter[q]", "fictive"), ("filter[after]", forged)],
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{forged}: {body}");
    }
    app.finish().await;
}
on_both_databases!(a_ranked_search_walks_every_page_once);
