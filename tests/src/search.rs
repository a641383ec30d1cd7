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
/// word, the count says "more than 1000", and the next page follows on.
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
    app.finish().await;
}
on_both_databases!(a_common_word_is_found_as_the_list_walks);
