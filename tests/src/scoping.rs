//! Each party sees only what is theirs: the access matrix over every server function and
//! route that takes an observation, referral or attachment id, and a leak test of what a
//! liaison's session can ever receive.

use reqwest::StatusCode;
use reqwest::multipart::Form;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;

use crate::evidence::{file_part, jpeg_with_gps};
use crate::harness::{Backend, Browser, TestApp};
use crate::observations::{
    GENDARMERIE, MEMBER, MONITOR, OTHER_CSO, POLICE, act, choices, detail, forward, referral_of,
    signed_in,
};
use crate::on_both_databases;

const OTHER_ORGANISATION: &str = "Réseau citoyen de veille de Mopti (fictif)";
const ROLES: [&str; 7] = [
    "anonymous",
    "cso_a",
    "cso_b",
    "liaison_a",
    "liaison_b",
    "monitor",
    "admin",
];

/// The target of a request: what kind of id it takes.
#[derive(Clone, Copy, Debug)]
enum Target {
    Observation,
    /// A draft of organisation A (never filed).
    Draft,
    Referral,
    Attachment,
}

#[derive(Clone, Copy, Debug)]
enum Call {
    /// A server function with the id and these other fields.
    Function(&'static str, &'static [(&'static str, &'static str)]),
    /// `GET` of a path with `{}` for the id.
    Get(&'static str),
    /// A multipart post without files to a path with `{}` for the id.
    Upload(&'static str),
    /// The filing form's multipart post, with the id in its `id` field.
    Save,
}

/// Every endpoint that takes an id, with the status each role gets for the seeded record
/// (own or foreign, depending on the role). A missing id must answer like a foreign one.
const MATRIX: &[(Call, Target, [u16; 7])] = &[
    //                                                      anon cso_a cso_b li_a li_b mon  admin
    (
        Call::Function("get_observation", &[]),
        Target::Observation,
        [401, 200, 404, 403, 403, 200, 403],
    ),
    (
        Call::Function("observation_action", &[("action", "rien")]),
        Target::Observation,
        [401, 400, 404, 403, 403, 400, 403],
    ),
    (
        Call::Function(
            "forward_observation",
            &[("institution_id", ""), ("title", ""), ("description", "")],
        ),
        Target::Observation,
        [401, 403, 403, 403, 403, 400, 403],
    ),
    (
        Call::Function("add_note", &[("note", "")]),
        Target::Observation,
        [401, 400, 404, 404, 404, 400, 403],
    ),
    (
        Call::Function("filing_form", &[]),
        Target::Observation,
        [401, 404, 404, 403, 403, 403, 403],
    ),
    (
        Call::Function("get_referral", &[]),
        Target::Referral,
        [401, 403, 403, 200, 404, 403, 403],
    ),
    (
        Call::Function("referral_action", &[("action", "rien")]),
        Target::Referral,
        [401, 400, 404, 400, 404, 400, 403],
    ),
    (
        Call::Function("add_note", &[("note", "")]),
        Target::Referral,
        [401, 404, 404, 400, 404, 404, 403],
    ),
    (
        Call::Get("/files/{}"),
        Target::Attachment,
        [401, 200, 404, 200, 404, 200, 403],
    ),
    (
        Call::Get("/files/{}/original"),
        Target::Attachment,
        [401, 404, 404, 404, 404, 200, 403],
    ),
    (
        Call::Upload("/referrals/{}/documents"),
        Target::Referral,
        [401, 403, 403, 303, 404, 403, 403],
    ),
    (
        Call::Get("/observations/{}"),
        Target::Observation,
        [303, 200, 404, 403, 403, 200, 403],
    ),
    (
        Call::Get("/referrals/{}"),
        Target::Referral,
        [303, 403, 403, 200, 404, 403, 403],
    ),
    (
        Call::Get("/observations/{}/edit"),
        Target::Observation,
        [303, 404, 404, 403, 403, 403, 403],
    ),
    (
        Call::Save,
        Target::Observation,
        [401, 303, 404, 403, 403, 403, 403],
    ),
    (
        Call::Function("filing_form", &[]),
        Target::Draft,
        [401, 200, 404, 403, 403, 403, 403],
    ),
    (
        Call::Get("/observations/{}/edit"),
        Target::Draft,
        [303, 200, 404, 403, 403, 403, 403],
    ),
    (
        Call::Save,
        Target::Draft,
        [401, 303, 404, 403, 403, 403, 403],
    ),
    (
        Call::Function("get_observation", &[]),
        Target::Draft,
        [401, 200, 404, 403, 403, 404, 403],
    ),
];

/// A page as the matrix compares it: without its per-response nonces (Leptos also writes the
/// nonce as the module preload's `crossorigin` value), and with the id asked for replaced, so
/// that a foreign and a missing id can be compared byte for byte.
pub(crate) fn comparable(page: &str, id: &str) -> String {
    let mut page = page.replace(id, "{id}");
    for attribute in ["nonce=\"", "crossorigin=\""] {
        let mut out = String::with_capacity(page.len());
        let mut rest = page.as_str();
        while let Some(start) = rest.find(attribute) {
            let value = start + attribute.len();
            out.push_str(&rest[..value]);
            rest = &rest[value..];
            rest = rest.find('"').map_or("", |end| &rest[end..]);
        }
        out.push_str(rest);
        page = out;
    }
    page
}

async fn request(browser: &mut Browser, call: Call, id: &str) -> (StatusCode, String) {
    match call {
        Call::Function(name, extra) => {
            let mut form = vec![("id", id)];
            form.extend_from_slice(extra);
            let (status, body) = browser.call(name, &form).await;
            (status, body.to_string())
        }
        Call::Get(path) => {
            let response = browser
                .get(&path.replace("{}", id), &[("accept", "text/html")])
                .await;
            let status = response.status();
            // Signed out, a page sends to sign-in with the page to open afterwards.
            let to = crate::harness::location(&response).replace(id, "{id}");
            let body = response.text().await.unwrap_or_default();
            (status, format!("{to}\n{}", comparable(&body, id)))
        }
        Call::Upload(path) => {
            let path = path.replace("{}", id);
            let response = browser
                .upload("/", &path, Form::new().text("note", ""))
                .await;
            let status = response.status();
            (status, response.text().await.unwrap_or_default())
        }
        Call::Save => {
            let form = Form::new()
                .text("id", id.to_string())
                .text("form_token", uuid::Uuid::new_v4().to_string())
                .text("title", "Titre remplacé")
                .text("description", "Description remplacée par une autre partie.");
            let response = browser
                .upload("/observations/new", "/observations/save", form)
                .await;
            let status = response.status();
            let to = crate::harness::location(&response).replace(id, "{id}");
            let body = comparable(&response.text().await.unwrap_or_default(), id);
            (status, format!("{to}\n{body}"))
        }
    }
}

async fn access_matrix(backend: Backend) {
    let app = TestApp::start(backend).await;
    app.account(GENDARMERIE, "liaison", None, Some("DGGN"))
        .await;
    app.account(OTHER_CSO, "cso_member", Some(OTHER_ORGANISATION), None)
        .await;
    let mut member = signed_in(&app, MEMBER).await;
    let mut monitor = signed_in(&app, MONITOR).await;
    let c = choices(&mut member).await;

    // Organisation A's observation, with a photo, forwarded to institution A (the police).
    let form = crate::observations::filing(
        "jeton-matrice",
        &c,
        "Observation de l'organisation A",
        "Description suffisamment longue des faits observés.",
    )
    .text("intent", "submit")
    .part("evidence", file_part("photo.jpg", jpeg_with_gps()));
    let response = member
        .upload("/observations/new", "/observations/save", form)
        .await;
    let to = crate::harness::location(&response);
    let observation = crate::observations::id_in(&to);
    forward(
        &mut monitor,
        &observation,
        &c.police,
        "Titre transmis",
        "Description transmise.",
    )
    .await;
    let referral = referral_of(&mut monitor, &observation, "DGPN").await;
    let attachment = detail(&mut monitor, &observation).await["attachments"][0]["id"]
        .as_str()
        .expect("attachment")
        .to_string();
    let response = member
        .upload(
            "/observations/new",
            "/observations/save",
            crate::observations::filing("jeton-brouillon", &c, "Brouillon de A", "Pas fini."),
        )
        .await;
    let draft = crate::observations::observation_id(&response);
    let missing = uuid::Uuid::new_v4().to_string();

    let mut browsers = Vec::new();
    for role in ROLES {
        let email = match role {
            "anonymous" => None,
            "cso_a" => Some(MEMBER),
            "cso_b" => Some(OTHER_CSO),
            "liaison_a" => Some(POLICE),
            "liaison_b" => Some(GENDARMERIE),
            "monitor" => Some(MONITOR),
            _ => Some("admin@veille.test"),
        };
        browsers.push(match email {
            Some(email) => signed_in(&app, email).await,
            None => app.browser(),
        });
    }

    let mut failures = Vec::new();
    for (call, target, expected) in MATRIX {
        let id = match target {
            Target::Observation => &observation,
            Target::Draft => &draft,
            Target::Referral => &referral,
            Target::Attachment => &attachment,
        };
        for (i, role) in ROLES.iter().enumerate() {
            let browser = &mut browsers[i];
            let (status, body) = request(browser, *call, id).await;
            let (missing_status, missing_body) = request(browser, *call, &missing).await;
            if status.as_u16() != expected[i] {
                failures.push(format!(
                    "{call:?} as {role}: {status}, expected {}",
                    expected[i]
                ));
            }
            // Signed out, every page sends to sign-in alike, whatever the id.
            let hidden = *role == "anonymous" || !matches!(expected[i], 200 | 303 | 400);
            if hidden && (status, &body) != (missing_status, &missing_body) {
                let at = body
                    .chars()
                    .zip(missing_body.chars())
                    .take_while(|(a, b)| a == b)
                    .count();
                let around = |text: &str| -> String {
                    text.chars().skip(at.saturating_sub(60)).take(120).collect()
                };
                failures.push(format!(
                    "{call:?} as {role}: foreign ({status}) differs from missing \
                     ({missing_status}) at character {at}:\n  {}\n  {}",
                    around(&body),
                    around(&missing_body)
                ));
            }
            if !hidden && missing_status != StatusCode::NOT_FOUND {
                failures.push(format!(
                    "{call:?} as {role}: missing id answered {missing_status}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    app.finish().await;
}
on_both_databases!(access_matrix);

const MARKERS: [&str; 6] = [
    "MARQUEUR-ORG-7f3a",
    "MARQUEUR-DESC-91b2",
    "MARQUEUR-CONTACT-c4d5",
    "MARQUEUR-NOTE-CNDH-0a1b",
    "MARQUEUR-NOTE-OSC-2c3d",
    crate::evidence::GPS_MARKER,
];

async fn nothing_leaks_to_a_liaison(backend: Backend) {
    let app = TestApp::start(backend).await;
    let organisation = format!("Association {} des femmes de Kati", MARKERS[0]);
    app.organisation(&organisation).await;
    app.account(
        "membre@marqueur.test",
        "cso_member",
        Some(&organisation),
        None,
    )
    .await;
    let mut member = signed_in(&app, "membre@marqueur.test").await;
    let mut monitor = signed_in(&app, MONITOR).await;
    let c = choices(&mut member).await;

    let description = format!(
        "Le {} a vu des violences au commissariat du 3e arrondissement.",
        MARKERS[1]
    );
    let form =
        crate::observations::filing("jeton-fuite", &c, "Violences au commissariat", &description)
            .text("contact_name", MARKERS[2])
            .text("contact_phone", "+223 70 00 00 00")
            .text("intent", "submit")
            .part("evidence", file_part("photo.jpg", jpeg_with_gps()));
    let response = member
        .upload("/observations/new", "/observations/save", form)
        .await;
    let to = crate::harness::location(&response);
    assert!(to.ends_with("?notice=submitted"), "{to}");
    let id = crate::observations::id_in(&to);
    let page = format!("/observations/{id}");
    act(
        &mut monitor,
        &page,
        "add_note",
        &[("id", &id), ("note", MARKERS[3]), ("visibility", "nhrc")],
    )
    .await;
    act(
        &mut monitor,
        &page,
        "add_note",
        &[
            ("id", &id),
            ("note", MARKERS[4]),
            ("visibility", "cso_nhrc"),
        ],
    )
    .await;
    let redacted = "Violences signalées dans un commissariat de Bamako (version expurgée).";
    let shared = crate::observations::evidence_ids(&mut monitor, &id).await;
    let form = crate::observations::released(
        &id,
        &c.police,
        "Violences au commissariat",
        redacted,
        "Bamako, lieu expurgé",
        &shared,
    );
    act(&mut monitor, &page, "forward_observation", &form).await;
    forward(
        &mut monitor,
        &id,
        &c.gendarmerie,
        "Autre transmission",
        "Texte destiné à la gendarmerie seulement.",
    )
    .await;
    // The NHRC writes to one institution (everyone concerned with that referral), keeps a note
    // on it for itself, and writes to the other institution.
    let to_police = referral_of(&mut monitor, &id, "DGPN").await;
    let to_gendarmerie = referral_of(&mut monitor, &id, "DGGN").await;
    for (referral, visibility, note) in [
        (&to_police, "everyone", "Message de la CNDH à la police."),
        (&to_police, "nhrc", MARKERS[3]),
        (
            &to_gendarmerie,
            "everyone",
            "Message pour la gendarmerie seulement.",
        ),
    ] {
        act(
            &mut monitor,
            &page,
            "add_note",
            &[
                ("id", &id),
                ("note", note),
                ("visibility", visibility),
                ("referral_id", referral),
            ],
        )
        .await;
    }
    let (status, body) = monitor
        .call(
            "add_note",
            &[
                ("id", &id),
                ("note", "À tous ?"),
                ("visibility", "everyone"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.to_string().contains("error-note-institution-required"));
    let (_, seen_by_cso) = member.call("get_observation", &[("id", &id)]).await;
    let seen_by_cso = seen_by_cso.to_string();
    assert!(seen_by_cso.contains("Message de la CNDH à la police."));
    assert!(!seen_by_cso.contains(MARKERS[3]), "an NHRC-only note");

    // Everything a liaison's session can receive.
    let mut police = signed_in(&app, POLICE).await;
    let mut seen = String::new();
    let (_, inbox) = police.call("list_referrals", &[]).await;
    seen.push_str(&inbox.to_string());
    assert_eq!(inbox["total"], 1, "only its own institution's referral");
    let referral = inbox["items"][0]["id"].as_str().expect("id").to_string();
    for q in MARKERS {
        let (_, found) = police.call("list_referrals", &[("filter[q]", q)]).await;
        assert_eq!(found["total"], 0, "searching {q} finds nothing");
        seen.push_str(&found.to_string());
    }
    let (_, found) = police
        .call("list_referrals", &[("filter[q]", "expurgée")])
        .await;
    assert_eq!(found["total"], 1, "the released text is searchable");
    let (_, view) = police.call("get_referral", &[("id", &referral)]).await;
    seen.push_str(&view.to_string());
    for path in [
        "/institution",
        "/referrals",
        &format!("/referrals/{referral}"),
        "/referrals?q=MARQUEUR",
    ] {
        let (status, body) = police.page(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        seen.push_str(&body);
    }
    let attachments = view["attachments"].as_array().expect("attachments");
    assert!(
        !attachments.is_empty(),
        "the cleaned photo is there to download"
    );
    for attachment in attachments {
        let (_, _, bytes) = police
            .download(&format!(
                "/files/{}",
                attachment["id"].as_str().expect("id")
            ))
            .await;
        seen.push_str(&String::from_utf8_lossy(&bytes));
    }
    for function in ["get_dashboard", "list_choices", "work_queue", "queue_count"] {
        let (status, body) = police.call(function, &[]).await;
        assert_eq!(status, StatusCode::OK, "{function}: {body}");
        seen.push_str(&body.to_string());
    }
    for path in [
        "/dashboard",
        "/exports/institutions?format=csv",
        "/exports/categories?format=json",
        "/exports/regions?format=csv",
    ] {
        let (status, _, bytes) = police.download(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        seen.push_str(&String::from_utf8_lossy(&bytes));
    }
    assert!(
        seen.contains("version expurgée") && seen.contains("Bamako, lieu expurgé"),
        "the released version reached the liaison"
    );
    assert!(
        !seen.contains("Poste de contrôle à la sortie de Kayes"),
        "the filer's own words for the place"
    );
    assert!(
        !seen.contains("Texte destiné à la gendarmerie")
            && !seen.contains("Message pour la gendarmerie seulement."),
        "another institution's referral"
    );
    assert!(
        seen.contains("Message de la CNDH à la police."),
        "the NHRC's message to the police"
    );
    for marker in MARKERS {
        assert!(!seen.contains(marker), "{marker} reached the liaison");
    }
    app.finish().await;
}
on_both_databases!(nothing_leaks_to_a_liaison);

/// What the filer chose to disclose is what the liaison sees: the organisation's name from
/// `organisation_visible` on, a contact person only under `named_contact` with consent.
async fn the_liaison_sees_what_the_filer_disclosed(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut member = signed_in(&app, MEMBER).await;
    let mut monitor = signed_in(&app, MONITOR).await;
    let mut police = signed_in(&app, POLICE).await;
    let c = choices(&mut member).await;
    let organisation = "Association des femmes juristes de Kayes (fictive)";
    let cases = [
        ("anonymous_to_institution", true, false, false),
        ("organisation_visible", true, true, false),
        ("named_contact", false, true, false),
        ("named_contact", true, true, true),
    ];
    for (i, (level, consent, shows_organisation, shows_contact)) in cases.into_iter().enumerate() {
        let contact = format!("Contact-{i}-Awa Traoré");
        let mut form = crate::observations::filing(
            &format!("jeton-niveau-{i}"),
            &c,
            &format!("Niveau {level} {i}"),
            "Description suffisamment longue des faits observés.",
        )
        .text("protection", level)
        .text("contact_name", contact.clone())
        .text("contact_phone", "+223 70 00 00 00")
        .text("intent", "submit");
        if consent {
            form = form.text("contact_consent", "on");
        }
        let response = member
            .upload("/observations/new", "/observations/save", form)
            .await;
        let to = crate::harness::location(&response);
        if level == "named_contact" && !consent {
            // A named contact without consent is refused next to the consent box.
            assert!(to.contains("contact_consent"), "{to}");
            continue;
        }
        assert!(to.ends_with("?notice=submitted"), "{level}: {to}");
        let id = crate::observations::id_in(&to);
        forward(
            &mut monitor,
            &id,
            &c.police,
            "Titre transmis",
            "Texte transmis.",
        )
        .await;
        let referral = referral_of(&mut monitor, &id, "DGPN").await;
        let (status, view) = police.call("get_referral", &[("id", &referral)]).await;
        assert_eq!(status, StatusCode::OK, "{view}");
        let (_, page) = police.page(&format!("/referrals/{referral}")).await;
        let text = format!("{view}{page}");
        assert_eq!(
            text.contains(organisation),
            shows_organisation,
            "{level}: organisation"
        );
        assert_eq!(text.contains(&contact), shows_contact, "{level}: contact");
        assert_eq!(
            text.contains("+223 70 00 00 00"),
            shows_contact,
            "{level}: phone"
        );
    }
    app.finish().await;
}
on_both_databases!(the_liaison_sees_what_the_filer_disclosed);

/// One page of a list: `cursor` is `("after", …)` or `("before", …)`, or none for the first.
pub(crate) async fn list_page(
    browser: &mut Browser,
    function: &str,
    filter: &[(&str, &str)],
    cursor: Option<(&str, &str)>,
) -> Value {
    let mut form: Vec<(String, String)> = filter
        .iter()
        .chain(cursor.iter())
        .map(|(k, v)| (format!("filter[{k}]"), v.to_string()))
        .collect();
    if form.is_empty() {
        // An empty filter still names the argument.
        form.push(("filter[sort]".into(), String::new()));
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, body) = browser.call(function, &form).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{function} {filter:?} {cursor:?}: {body}"
    );
    assert!(
        body["items"].as_array().expect("items").len() <= 20,
        "twenty a page"
    );
    body
}

/// Every page of a list, following each page's `next` cursor. On the way: the count adds up,
/// no row comes twice, and walking back from the last page with `previous` meets the same
/// pages in reverse.
async fn every_page(browser: &mut Browser, function: &str, filter: &[(&str, &str)]) -> Vec<Value> {
    let mut pages: Vec<Vec<Value>> = Vec::new();
    let mut first = list_page(browser, function, filter, None).await;
    let total = first["total"].as_u64().expect("total") as usize;
    assert_eq!(first["more"], false, "a small list is counted exactly");
    assert!(first["previous"].is_null(), "nothing before the first page");
    let mut page = std::mem::take(&mut first);
    loop {
        pages.push(page["items"].as_array().expect("items").clone());
        let Some(next) = page["next"].as_str().map(str::to_string) else {
            break;
        };
        page = list_page(browser, function, filter, Some(("after", &next))).await;
        assert!(!pages.is_empty() && !page["items"].as_array().expect("items").is_empty());
    }
    let items: Vec<Value> = pages.concat();
    assert_eq!(
        items.len(),
        total,
        "{function} {filter:?}: the pages add up"
    );
    let mut ids: Vec<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), items.len(), "no item on two pages");

    // Back from the last page: each previous page is the one met before it.
    let mut back = page;
    for expected in pages.iter().rev().skip(1) {
        let previous = back["previous"]
            .as_str()
            .expect("a previous page")
            .to_string();
        back = list_page(browser, function, filter, Some(("before", &previous))).await;
        let got: Vec<&str> = back["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| field(i, "id"))
            .collect();
        let want: Vec<&str> = expected.iter().map(|i| field(i, "id")).collect();
        assert_eq!(got, want, "{function} {filter:?}: the previous page");
    }
    if pages.len() > 1 {
        assert!(back["previous"].is_null(), "back at the first page");
    }
    items
}

async fn count(app: &TestApp, sql: &str) -> usize {
    let backend = app.db.get_database_backend();
    let row = app
        .db
        .query_one_raw(Statement::from_string(backend, sql.to_string()))
        .await
        .expect("query")
        .expect("row");
    row.try_get_by_index::<i64>(0).expect("number") as usize
}

fn field<'a>(item: &'a Value, name: &str) -> &'a str {
    item[name].as_str().unwrap_or_default()
}

/// The lists of each scope filter, search, sort and page over generated cases, and their
/// counts agree with the database.
async fn lists_filter_sort_and_page_within_scope(backend: Backend) {
    let app = TestApp::start(backend).await;
    server::volume::observations(&app.db, 70, |_| {})
        .await
        .expect("generated observations");
    let mut monitor = signed_in(&app, MONITOR).await;
    let mut member = signed_in(&app, MEMBER).await;
    let own = crate::observations::file_observation(
        &mut member,
        "Observation de l'organisation A",
        "Description suffisamment longue des faits observés.",
    )
    .await;

    // The NHRC: everything filed, twenty a page.
    let all = every_page(&mut monitor, "list_observations", &[]).await;
    let filed = count(
        &app,
        "SELECT COUNT(*) FROM observations WHERE status <> 'draft'",
    )
    .await;
    assert_eq!(all.len(), filed);
    assert!(all.len() > 40, "several pages");

    let (_, choices) = monitor.call("list_choices", &[]).await;
    let pairs = |list: &str| -> Vec<(String, String)> {
        choices[list]
            .as_array()
            .expect("choices")
            .iter()
            .map(|p| {
                (
                    p[0].as_str().unwrap_or_default().to_string(),
                    p[1].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    };
    let expect = |items: &[Value], keep: &dyn Fn(&Value) -> bool| -> Vec<String> {
        let mut ids: Vec<String> = items
            .iter()
            .filter(|i| keep(i))
            .map(|i| field(i, "id").to_string())
            .collect();
        ids.sort();
        ids
    };
    let ids = |items: &[Value]| -> Vec<String> { expect(items, &|_| true) };

    for status in ["submitted", "referred", "closed", "declined"] {
        let found = every_page(&mut monitor, "list_observations", &[("status", status)]).await;
        assert_eq!(
            ids(&found),
            expect(&all, &|i| field(i, "status") == status),
            "status {status}"
        );
    }
    let mut tried = 0;
    for (id, name) in pairs("categories").into_iter().take(3) {
        let found = every_page(&mut monitor, "list_observations", &[("category", &id)]).await;
        assert_eq!(
            ids(&found),
            expect(&all, &|i| field(i, "category") == name),
            "category {name}"
        );
        tried += found.len();
    }
    for (code, name) in pairs("regions").into_iter().take(3) {
        let found = every_page(&mut monitor, "list_observations", &[("region", &code)]).await;
        assert_eq!(
            ids(&found),
            expect(&all, &|i| field(i, "region") == name),
            "region {name}"
        );
        tried += found.len();
    }
    assert!(tried > 0, "the filters found something to compare");
    let police = count(
        &app,
        "SELECT COUNT(*) FROM observations o WHERE o.status <> 'draft' AND (o.id IN \
         (SELECT r.observation_id FROM referrals r JOIN institutions i ON i.id = r.institution_id \
         WHERE i.acronym = 'DGPN') OR o.id IN (SELECT n.observation_id FROM \
         observation_institutions n JOIN institutions i ON i.id = n.institution_id WHERE \
         i.acronym = 'DGPN'))",
    )
    .await;
    let (police_id, _) = pairs("institutions")
        .into_iter()
        .find(|(_, name)| name.starts_with("DGPN"))
        .expect("the police");
    let found = every_page(
        &mut monitor,
        "list_observations",
        &[("institution", &police_id)],
    )
    .await;
    assert_eq!(found.len(), police, "institution");
    assert!(police > 0 && police < all.len());

    // Period: submission days, both ends included.
    let mut days: Vec<&str> = all.iter().map(|i| field(i, "submitted_on")).collect();
    days.sort_unstable();
    let (from, to) = (days[days.len() / 4], days[days.len() / 2]);
    let found = every_page(
        &mut monitor,
        "list_observations",
        &[("from", from), ("to", to)],
    )
    .await;
    assert_eq!(
        ids(&found),
        expect(&all, &|i| (from..=to).contains(&field(i, "submitted_on"))),
        "period {from}..{to}"
    );
    let overdue = every_page(&mut monitor, "list_observations", &[("overdue", "1")]).await;
    assert_eq!(
        ids(&overdue),
        expect(&all, &|i| i["overdue"] == true),
        "overdue"
    );

    // Sorting, and the reference as a search term.
    let oldest = every_page(&mut monitor, "list_observations", &[("sort", "oldest")]).await;
    let order: Vec<&str> = oldest.iter().map(|i| field(i, "submitted_on")).collect();
    assert!(
        order.windows(2).all(|w| w[0] <= w[1]),
        "oldest first: {order:?}"
    );
    assert_eq!(ids(&oldest), ids(&all));
    let reference = field(&all[all.len() / 2], "reference").to_string();
    let found = every_page(&mut monitor, "list_observations", &[("q", &reference)]).await;
    assert_eq!(found.len(), 1, "{reference}");
    assert_eq!(field(&found[0], "reference"), reference);

    // A CSO: its own organisation's only, whatever it asks for.
    let mine = every_page(&mut member, "list_observations", &[]).await;
    assert_eq!(ids(&mine), vec![own.clone()]);
    let found = every_page(&mut member, "list_observations", &[("q", &reference)]).await;
    assert!(
        found.is_empty(),
        "another organisation's reference finds nothing"
    );
    let found = every_page(&mut member, "list_observations", &[("status", "referred")]).await;
    assert!(found.is_empty());

    // A liaison: their institution's referrals, open ones by due date first.
    let mut liaison = signed_in(&app, POLICE).await;
    let inbox = every_page(&mut liaison, "list_referrals", &[]).await;
    // The demo liaison does not hold the sensitive-cases permission: no sensitive case.
    let expected = count(
        &app,
        "SELECT COUNT(*) FROM referrals r JOIN institutions i ON i.id = r.institution_id \
         JOIN observations o ON o.id = r.observation_id WHERE i.acronym = 'DGPN' AND \
         (o.category_id IS NULL OR o.category_id NOT IN \
         (SELECT c.id FROM categories c WHERE c.sensitive = TRUE))",
    )
    .await;
    assert_eq!(inbox.len(), expected);
    assert!(expected > 0, "the police received some");
    // A deadline runs while the institution has to act (not while it waits for the
    // organisation's answer).
    let running = ["forwarded", "acknowledged", "in_progress", "contested"];
    let is_open = |i: &Value| running.contains(&field(i, "status"));
    let first_closed = inbox
        .iter()
        .position(|i| !is_open(i))
        .unwrap_or(inbox.len());
    assert!(
        inbox[first_closed..].iter().all(|i| !is_open(i)),
        "running deadlines first"
    );
    let dues: Vec<&str> = inbox[..first_closed]
        .iter()
        .map(|i| field(i, "due"))
        .collect();
    assert!(
        dues.windows(2).all(|w| w[0] <= w[1]),
        "oldest due first: {dues:?}"
    );
    let acknowledged = every_page(
        &mut liaison,
        "list_referrals",
        &[("status", "acknowledged")],
    )
    .await;
    assert_eq!(
        ids(&acknowledged),
        expect(&inbox, &|i| field(i, "status") == "acknowledged")
    );
    let newest = every_page(&mut liaison, "list_referrals", &[("sort", "newest")]).await;
    let order: Vec<&str> = newest.iter().map(|i| field(i, "forwarded_on")).collect();
    assert!(
        order.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {order:?}"
    );
    let reference = field(&inbox[0], "reference").to_string();
    let found = every_page(&mut liaison, "list_referrals", &[("q", &reference)]).await;
    assert!(
        found.iter().any(|i| field(i, "reference") == reference),
        "{reference}"
    );

    // A filter that cannot be read is refused in words, never ignored (which would show the
    // whole list as if it were the answer).
    for (function, name, value, key) in [
        (
            "list_observations",
            "status",
            "ouvert",
            "error-choice-unknown",
        ),
        (
            "list_observations",
            "from",
            "30/11/2026",
            "error-date-invalid",
        ),
        (
            "list_observations",
            "institution",
            "DGPN",
            "error-choice-unknown",
        ),
        ("list_observations", "overdue", "0", "error-choice-unknown"),
        ("list_referrals", "status", "ouvert", "error-choice-unknown"),
    ] {
        let browser = if function == "list_referrals" {
            &mut liaison
        } else {
            &mut monitor
        };
        let filter = format!("filter[{name}]");
        let (status, body) = browser.call(function, &[(filter.as_str(), value)]).await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "{function} {name}={value}: {body}"
        );
        assert!(body.to_string().contains(key), "{body}");
    }
    // A cursor that is not one (typed, or cut short) is refused on its field, never ignored.
    for (name, value) in [("after", "461168601842738792"), ("before", "hier.abc")] {
        let filter = format!("filter[{name}]");
        let (status, body) = monitor
            .call("list_observations", &[(filter.as_str(), value)])
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{name}={value}: {body}");
        assert!(body.to_string().contains("error-choice-unknown"), "{body}");
    }
    let (status, page) = monitor.page("/observations?from=30%2F11%2F2026").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("Date non valide (format AAAA-MM-JJ)."),
        "said on the page"
    );

    // Cases filed while the NHRC walks the list, oldest first: every case that was there is met
    // exactly once, and none twice (the new ones come after the walker's place).
    let mut met: Vec<String> = Vec::new();
    let mut cursor: Option<String> = None;
    let mut filed_meanwhile = 0;
    loop {
        let after = cursor.as_deref().map(|c| ("after", c));
        let page = list_page(
            &mut monitor,
            "list_observations",
            &[("sort", "oldest")],
            after,
        )
        .await;
        met.extend(
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|i| field(i, "id").to_string()),
        );
        crate::observations::file_observation(
            &mut member,
            &format!("Observation pendant la lecture {filed_meanwhile}"),
            "Déposée pendant que la CNDH parcourt la liste, page après page.",
        )
        .await;
        filed_meanwhile += 1;
        match page["next"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert!(filed_meanwhile >= 3, "several pages were walked");
    let mut unique = met.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), met.len(), "a case met twice");
    for case in &all {
        let id = field(case, "id");
        assert_eq!(
            met.iter().filter(|m| *m == id).count(),
            1,
            "case {id} met once"
        );
    }
    app.finish().await;
}
on_both_databases!(lists_filter_sort_and_page_within_scope);
