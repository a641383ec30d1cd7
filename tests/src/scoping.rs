//! Each party sees only what is theirs: the access matrix over every server function and
//! route that takes an observation, referral or attachment id, and a leak test of what a
//! liaison's session can ever receive.

use reqwest::StatusCode;
use reqwest::multipart::Form;

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
        [401, 200, 404, 403, 403, 200, 403],
    ),
    (
        Call::Get("/referrals/{}"),
        Target::Referral,
        [401, 403, 403, 200, 404, 403, 403],
    ),
];

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
            let body = response.text().await.unwrap_or_default();
            // Pages carry a fresh nonce each time; compare files and messages whole.
            let body = if path.starts_with("/files") {
                body
            } else {
                String::new()
            };
            (status, body)
        }
        Call::Upload(path) => {
            let path = path.replace("{}", id);
            let response = browser
                .upload("/", &path, Form::new().text("note", ""))
                .await;
            let status = response.status();
            (status, response.text().await.unwrap_or_default())
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
    let observation = to
        .split('/')
        .nth(2)
        .and_then(|s| s.split('?').next())
        .expect("id")
        .to_string();
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
            let hidden = !matches!(expected[i], 200 | 303 | 400);
            if hidden && (status, &body) != (missing_status, &missing_body) {
                failures.push(format!(
                    "{call:?} as {role}: foreign ({status}) differs from missing ({missing_status})"
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
    let id = to
        .split('/')
        .nth(2)
        .and_then(|s| s.split('?').next())
        .expect("id")
        .to_string();
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
    forward(
        &mut monitor,
        &id,
        &c.police,
        "Violences au commissariat",
        redacted,
    )
    .await;
    forward(
        &mut monitor,
        &id,
        &c.gendarmerie,
        "Autre transmission",
        "Texte destiné à la gendarmerie seulement.",
    )
    .await;

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
    for attachment in view["attachments"].as_array().expect("attachments") {
        let (_, _, bytes) = police
            .download(&format!(
                "/files/{}",
                attachment["id"].as_str().expect("id")
            ))
            .await;
        seen.push_str(&String::from_utf8_lossy(&bytes));
    }
    assert!(
        seen.contains("version expurgée"),
        "the released version reached the liaison"
    );
    assert!(
        !seen.contains("Texte destiné à la gendarmerie"),
        "another institution's referral"
    );
    for marker in MARKERS {
        assert!(!seen.contains(marker), "{marker} reached the liaison");
    }
    app.finish().await;
}
on_both_databases!(nothing_leaks_to_a_liaison);
