//! The case pages and lists as issue 15 orders them, over HTTP on both databases: the deadline
//! that runs comes first, named (acknowledgement or response) and counted in working days, with
//! its day written for people and the ISO day in `<time datetime>`; actions that end a case come
//! after the others, folded and confirmed; nothing is chosen for the reader in a required list;
//! the accounts list is searchable and never offers to disable one's own account.

use reqwest::StatusCode;

use crate::harness::{Backend, TestApp};
use crate::observations::{
    MEMBER, MONITOR, POLICE, choices, file_observation, forward, referral_of, signed_in,
};
use crate::offered_institutions::at;
use crate::on_both_databases;

const ADMIN: &str = "admin@veille.test";

async fn case_pages_open_with_the_running_deadline(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut member = signed_in(&app, MEMBER).await;
    let mut monitor = signed_in(&app, MONITOR).await;
    let mut police = signed_in(&app, POLICE).await;
    let c = choices(&mut member).await;
    let id = file_observation(
        &mut member,
        "Racket au poste",
        "Des agents exigent de l'argent.",
    )
    .await;

    // Before forwarding, the institution list chooses nothing for the monitor.
    let (status, page) = monitor.page(&format!("/observations/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let select = &page[at(&page, "id=\"forward-institution\"")..];
    let first_option = &select[at(select, "<option")..];
    assert!(
        first_option.starts_with("<option value=\"\">"),
        "{first_option}"
    );
    // Closing is offered, folded under its name, after nothing else and confirmed.
    let folded = &page[at(&page, "<details class=\"terminal-action\">")..];
    assert!(
        folded.contains("name=\"confirm\""),
        "a box to tick before closing"
    );
    let close_select = &folded[at(folded, "name=\"resolution\"")..];
    assert!(close_select[at(close_select, "<option")..].starts_with("<option value=\"\">"));

    forward(
        &mut monitor,
        &id,
        &c.police,
        "Racket au poste",
        "Des agents exigent de l'argent.",
    )
    .await;
    let referral = referral_of(&mut monitor, &id, "DGPN").await;

    // The liaison's page: reference, status, then the acknowledgement that runs, in working
    // days, its day as people write it, before the facts.
    let (status, page) = police.page(&format!("/referrals/{referral}")).await;
    assert_eq!(status, StatusCode::OK);
    let line = at(&page, "class=\"deadline\"");
    assert!(at(&page, "class=\"reference\"") < line);
    assert!(
        line < at(&page, "class=\"facts\""),
        "the deadline before the facts"
    );
    let deadline = &page[line..line + 600];
    assert!(deadline.contains("Accusé de réception"), "{deadline}");
    assert!(deadline.contains("Échéance dans"), "{deadline}");
    assert!(deadline.contains("jours ouvrés"), "{deadline}");
    let datetime = &deadline[at(deadline, "<time datetime=\"") + 16..];
    let iso = &datetime[..10];
    assert!(
        chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").is_ok(),
        "{deadline}"
    );
    let shown = &datetime[at(datetime, ">") + 1..at(datetime, "</time>")];
    assert!(
        shown.ends_with(&iso[..4]) && !shown.contains('-'),
        "written for people: {shown}"
    );
    // The actions before the observation's content, the history after it.
    assert!(at(&page, "Accuser réception") < at(&page, "class=\"facts\""));
    assert!(at(&page, "class=\"facts\"") < at(&page, "class=\"timeline\""));

    // The liaison's list says which deadline runs.
    let (_, page) = police.page("/referrals").await;
    assert!(page.contains("class=\"deadline\""), "{page}");
    assert!(page.contains("Accusé de réception"), "{page}");

    // The observation page says it per institution, in English too.
    let (_, page) = monitor.page(&format!("/observations/{id}")).await;
    let line = &page[at(&page, "class=\"deadline\"")..];
    assert!(line[..400].contains("DGPN"), "{line}");
    let (status, _) = monitor.call("set_locale", &[("locale", "en")]).await;
    assert_eq!(status, StatusCode::OK);
    let (_, page) = monitor.page(&format!("/observations/{id}")).await;
    let line = &page[at(&page, "class=\"deadline\"")..];
    assert!(line[..400].contains("Acknowledgement"), "{line}");
    assert!(line[..400].contains("Due in"), "{line}");
    // English dates: "7 Dec 2026", no French month.
    let time = &line[at(line, "<time")..at(line, "</time>")];
    assert!(!time.contains("déc.") && !time.contains("janv."), "{time}");
    app.finish().await;
}
on_both_databases!(case_pages_open_with_the_running_deadline);

async fn the_accounts_list_is_searched_and_spares_the_viewer(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut admin = signed_in(&app, ADMIN).await;
    let (status, page) = admin.page("/admin/users").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("type=\"search\""), "a search box");
    assert!(page.contains(MONITOR) && page.contains(POLICE));
    // The admin's own row: no button to disable it, said in words instead.
    let own = &page[at(&page, ADMIN)..];
    let own = &own[..at(own, "</tr>")];
    assert!(!own.contains("action=\"/api/set_user_active\""), "{own}");
    assert!(own.contains("Votre compte"), "{own}");
    // Others can be disabled.
    let other = &page[at(&page, POLICE)..];
    assert!(
        other[..at(other, "</tr>")].contains("set_user_active"),
        "{other}"
    );

    // A search keeps the accounts whose name, address or affiliation holds every word.
    let (status, page) = admin.page("/admin/users?q=POLICE.test").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(POLICE), "{page}");
    assert!(!page.contains(MONITOR), "{page}");
    let (_, page) = admin.page("/admin/users?q=personne%20inconnue").await;
    assert!(!page.contains(POLICE) && !page.contains(MONITOR));
    assert!(page.contains("Comptes trouvés : 0."), "{page}");
    app.finish().await;
}
on_both_databases!(the_accounts_list_is_searched_and_spares_the_viewer);

async fn a_missing_bundle_is_never_cached_for_a_year(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut visitor = app.browser();
    // A hashed name that is not there (a deploy under way): asked again next time, not kept.
    let response = visitor
        .get(
            "/pkg/veille.0123456789abcdef.wasm",
            &[("accept-encoding", "br, gzip")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let headers = response.headers();
    let cache = headers["cache-control"].to_str().expect("ascii");
    assert!(
        !cache.contains("immutable") && !cache.contains("max-age"),
        "{cache}"
    );
    // Every asset varies with the encoding asked (served brotli, gzip or plain).
    assert_eq!(headers["vary"], "accept-encoding");
    app.finish().await;
}
on_both_databases!(a_missing_bundle_is_never_cached_for_a_year);
