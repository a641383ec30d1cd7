//! A tip's thread after the NHRC made an observation of it: the tipster still reads the NHRC's
//! messages and answers with their receipt; their answers reach the observation's NHRC-only
//! notes, and nobody else, the tipster included, learns anything of the case.

use reqwest::StatusCode;
use reqwest::multipart::Form;
use serde_json::Value;

use crate::harness::{Backend, Browser, TestApp, location};
use crate::observations::{MEMBER, MONITOR, POLICE, choices, forward, referral_of, signed_in};
use crate::on_both_databases;

/// Sends a tip from a browser without JavaScript and returns its receipt, as the page shows it
/// once.
pub async fn send_tip(tipster: &mut Browser, body: &str) -> String {
    send_tip_in(tipster, body, "").await
}

/// Sends a tip in the category `category` (an id; empty for none); returns its receipt.
pub async fn send_tip_in(tipster: &mut Browser, body: &str, category: &str) -> String {
    let form = Form::new()
        .text("body", body.to_string())
        .text("category_id", category.to_string())
        .text("institution_id", "")
        .text("region_code", "ML-1")
        .text("website", "");
    let response = tipster
        .upload("/signalement", "/signalement/envoyer", form)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = tipster.page("/signalement/recu").await;
    let start = page
        .find("class=\"receipt\"><code>")
        .expect("receipt shown")
        + 22;
    let end = start + page[start..].find("</code>").expect("end of the receipt");
    // Its text, whatever elements it is laid out in.
    let mut receipt = String::new();
    let mut in_tag = false;
    for c in page[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => receipt.push(c),
            _ => {}
        }
    }
    receipt
}

/// Opens the tip of `receipt` in `tipster`'s session, as the follow-up form does.
pub async fn open(tipster: &mut Browser, receipt: &str) {
    let response = tipster
        .submit("/signalement/suivi", "open_tip", &[("receipt", receipt)])
        .await;
    assert_eq!(location(&response), "/signalement/suivi");
}

/// The id of the tip whose text starts with `start`, from the NHRC's queue.
async fn tip_id(monitor: &mut Browser, start: &str) -> String {
    let (status, tips) = monitor.call("list_tips", &[]).await;
    assert_eq!(status, StatusCode::OK, "{tips}");
    tips.as_array()
        .expect("tips")
        .iter()
        .find(|t| t["excerpt"].as_str().is_some_and(|e| e.starts_with(start)))
        .unwrap_or_else(|| panic!("a tip starting {start}"))["id"]
        .as_str()
        .expect("id")
        .to_string()
}

/// The notes of kind `kind` on an observation's timeline, as its detail gave them.
fn notes(detail: &Value, kind: &str) -> Vec<String> {
    detail["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["kind"] == kind)
        .filter_map(|e| e["note"].as_str().map(str::to_string))
        .collect()
}

async fn a_converted_tip_keeps_its_thread(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut tipster = app.browser();
    let receipt = send_tip(
        &mut tipster,
        "Racket au péage de Kati : 5000 FCFA par moto, chaque matin.",
    )
    .await;
    open(&mut tipster, &receipt).await;
    // Another tip, whose receipt its sender keeps.
    let mut other = app.browser();
    let other_receipt = send_tip(&mut other, "Détention sans jugement à la prison de Ségou.").await;

    // The NHRC makes an observation of the first tip and forwards it to the police.
    let mut monitor = signed_in(&app, MONITOR).await;
    let tip = tip_id(&mut monitor, "Racket au péage").await;
    let response = monitor
        .submit(&format!("/tips/{tip}"), "convert_tip", &[("id", &tip)])
        .await;
    let observation = location(&response)
        .strip_prefix("/observations/")
        .expect("to the observation")
        .to_string();
    let c = choices(&mut monitor).await;
    forward(
        &mut monitor,
        &observation,
        &c.police,
        "Racket au péage",
        "Racket au péage de Kati",
    )
    .await;
    let referral = referral_of(&mut monitor, &observation, "DGPN").await;
    let case = crate::observations::detail(&mut monitor, &observation).await;
    let reference = case["reference"].as_str().expect("reference").to_string();
    assert_eq!(case["status"], "referred");

    // The tip page still lets the NHRC write to the tipster, and says where answers go.
    let (status, page) = monitor.page(&format!("/tips/{tip}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("/api/ask_tip"), "the question form is there");
    assert!(
        !page.contains("/api/convert_tip"),
        "made an observation once"
    );
    assert!(page.contains("notes internes"), "{page}");
    let question = "Le racket a-t-il lieu aussi le dimanche ?";
    let (status, body) = monitor
        .call("ask_tip", &[("id", &tip), ("body", question)])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // The tipster reads it, learns that the NHRC took their report up, and nothing more.
    let (status, thread) = tipster.call("tip_thread", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(thread["taken_up"], true);
    assert_eq!(thread["status"], "awaiting_reply");
    assert_eq!(thread["observation_id"], Value::Null);
    let messages = thread["messages"].as_array().expect("messages");
    assert!(messages.iter().any(|m| m["body"] == question), "{thread}");
    let (status, page) = tipster.page("/signalement/suivi").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(question));
    assert!(
        page.contains("La CNDH a pris en charge votre signalement"),
        "{page}"
    );
    let english = tipster
        .get(
            "/signalement/suivi",
            &[("accept", "text/html"), ("accept-language", "en")],
        )
        .await
        .text()
        .await
        .expect("body");
    assert!(
        english.contains("The NHRC has taken up your tip"),
        "{english}"
    );
    for shown in [thread.to_string(), page, english] {
        for secret in [
            reference.as_str(),
            "OBS-",
            observation.as_str(),
            "Transmise",
            "Forwarded",
            "referred",
            "status-obs",
        ] {
            assert!(!shown.contains(secret), "{secret} shown to the tipster");
        }
    }

    // The tipster answers, as a browser without JavaScript does.
    let answer = "Oui, le dimanche aussi, vers 7 heures.";
    let response = tipster
        .submit("/signalement/suivi", "reply_tip", &[("body", answer)])
        .await;
    // Back to the page it was sent from, with no error.
    let back = location(&response);
    assert!(back.ends_with("/signalement/suivi?"), "{back}");
    let (_, thread) = tipster.call("tip_thread", &[]).await;
    assert!(
        thread["messages"]
            .as_array()
            .expect("messages")
            .iter()
            .any(|m| m["body"] == answer && m["from_nhrc"] == false),
        "{thread}"
    );

    // The answer reaches the observation's NHRC-only notes, and moves no status.
    let case = crate::observations::detail(&mut monitor, &observation).await;
    assert_eq!(notes(&case, "tip_reply"), [answer]);
    assert_eq!(notes(&case, "tip_question"), [question]);
    let line = case["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["kind"] == "tip_reply")
        .expect("the answer's line")
        .clone();
    assert_eq!(line["visibility"], "nhrc");
    assert_eq!(line["to_status"], Value::Null);
    assert_eq!(case["status"], "referred");
    let (status, page) = monitor.page(&format!("/observations/{observation}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(answer));
    let (_, tip_detail) = monitor.call("get_tip", &[("id", &tip)]).await;
    assert_eq!(tip_detail["status"], "answered");

    // The institution never reads it, in its JSON or its page.
    let mut police = signed_in(&app, POLICE).await;
    let (status, seen) = police.call("get_referral", &[("id", &referral)]).await;
    assert_eq!(status, StatusCode::OK, "{seen}");
    let (status, page) = police.page(&format!("/referrals/{referral}")).await;
    assert_eq!(status, StatusCode::OK);
    for shown in [seen.to_string(), page] {
        assert!(!shown.contains(answer) && !shown.contains(question));
        assert!(!shown.contains("tip_reply"));
    }
    assert_eq!(seen["status"], "forwarded");
    // An organisation's member neither.
    let mut member = signed_in(&app, MEMBER).await;
    let (status, seen) = member
        .call("get_observation", &[("id", &observation)])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{seen}");
    let (_, page) = member.page(&format!("/observations/{observation}")).await;
    assert!(!page.contains(answer) && !seen.to_string().contains(answer));

    // Another tip's receipt opens that tip only: its sender's words stay on their own tip.
    open(&mut other, &other_receipt).await;
    let stray = "Message pour mon propre signalement, pas un autre.";
    let (status, body) = other.call("reply_tip", &[("body", stray)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, thread) = other.call("tip_thread", &[]).await;
    assert_eq!(thread["taken_up"], false);
    assert!(thread.to_string().contains(stray));
    // Once the NHRC closed it, that receipt can post nothing at all.
    let other_tip = tip_id(&mut monitor, "Détention sans jugement").await;
    let (status, _) = monitor.call("close_tip", &[("id", &other_tip)]).await;
    assert_eq!(status, StatusCode::OK);
    let late = "Encore un message après la clôture du signalement.";
    let (status, _) = other.call("reply_tip", &[("body", late)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let case = crate::observations::detail(&mut monitor, &observation).await;
    assert_eq!(notes(&case, "tip_reply"), [answer]);
    let (_, thread) = tipster.call("tip_thread", &[]).await;
    let text = thread.to_string();
    assert!(!text.contains(stray) && !text.contains(late));
    let (_, tip_detail) = monitor.call("get_tip", &[("id", &tip)]).await;
    assert!(!tip_detail.to_string().contains(stray));
    app.finish().await;
}
on_both_databases!(a_converted_tip_keeps_its_thread);
