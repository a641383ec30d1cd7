//! Evidence: checked by content, limited while it streams, sealed for the NHRC, cleaned of
//! image metadata for institutions, always downloaded as an attachment.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::harness::{Backend, TestApp, location};
use crate::observations::{MEMBER, MONITOR, POLICE, choices, detail, filing, forward, signed_in};
use crate::on_both_databases;

pub const GPS_MARKER: &str = "GPS-13.4412N-10.4201W-MARQUEUR";

fn segment(marker: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![0xFF, marker];
    out.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(body);
    out
}

/// A small, well-formed JPEG whose EXIF segment holds a GPS position, a camera and a date.
pub fn jpeg_with_gps() -> Vec<u8> {
    let mut jpeg = vec![0xFF, 0xD8];
    jpeg.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    let mut exif = b"Exif\0\0MM\0*\0\0\0\x08".to_vec();
    exif.extend_from_slice(format!("{GPS_MARKER} Camera: Tecno Spark 2026:11:02 08:15").as_bytes());
    jpeg.extend(segment(0xE1, &exif));
    jpeg.extend(segment(0xFE, b"commentaire avec un nom"));
    jpeg.extend(segment(0xDB, &[0u8; 65]));
    jpeg.extend(segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
    jpeg.extend(segment(0xC4, &[0u8; 20]));
    jpeg.extend(segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
    jpeg.extend_from_slice(&[0x12, 0x34, 0x56, 0x78]);
    jpeg.extend_from_slice(&[0xFF, 0xD9]);
    jpeg
}

pub fn file_part(name: &str, bytes: Vec<u8>) -> Part {
    Part::bytes(bytes).file_name(name.to_string())
}

/// A small PDF, different for each `n`.
fn pdf(n: usize) -> Vec<u8> {
    format!("%PDF-1.4\n% piece {n}\n%%EOF\n").into_bytes()
}

async fn attached_to(app: &TestApp, observation: &str) -> u64 {
    use app::server::entities::attachment;
    let id = uuid::Uuid::parse_str(observation).expect("observation id");
    attachment::Entity::find()
        .filter(attachment::Column::ObservationId.eq(id))
        .count(&app.db)
        .await
        .expect("count")
}

fn status_kib(line: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(line))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// Runs `request` and answers how far the process's resident memory rose above where it stood,
/// at its peak (freed memory may go back to the system before the request ends).
async fn memory_growth_kib<T>(request: impl std::future::Future<Output = T>) -> (T, u64) {
    // Writing 5 resets the peak (VmHWM) to the current size (Linux 4.0 and later).
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the memory peak");
    let before = status_kib("VmRSS:");
    let answer = request.await;
    (answer, status_kib("VmHWM:").saturating_sub(before))
}

async fn evidence_is_checked_sealed_and_cleaned(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut member = signed_in(&app, MEMBER).await;
    let mut monitor = signed_in(&app, MONITOR).await;
    let mut police = signed_in(&app, POLICE).await;
    let c = choices(&mut member).await;
    let token = "jeton-preuves";

    // A renamed HTML page and a renamed SVG are refused by their content.
    for (name, bytes) in [
        (
            "photo.jpg",
            b"<!DOCTYPE html><html><script>alert(1)</script></html>".to_vec(),
        ),
        (
            "carte.png",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec(),
        ),
    ] {
        let form = filing(
            token,
            &c,
            "Preuves",
            "Une description assez longue des faits.",
        )
        .text("intent", "draft")
        .part("evidence", file_part(name, bytes));
        let response = member
            .upload("/observations/new", "/observations/save", form)
            .await;
        let to = location(&response);
        assert!(to.contains("evidence.error-file-type"), "{name}: {to}");
    }
    let stored = app::server::entities::attachment::Entity::find()
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(stored, 0, "nothing refused is kept");

    // Too large: refused while streaming, with memory flat; the text sent before it is kept.
    let chunk = bytes::Bytes::from(vec![0u8; 1024 * 1024]);
    let mut first = vec![0xFF, 0xD8, 0xFF, 0xE0];
    first.resize(1024 * 1024, 0);
    let chunks = std::iter::once(bytes::Bytes::from(first))
        .chain(std::iter::repeat_n(chunk, 149))
        .map(Ok::<_, std::io::Error>);
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let form = Form::new()
        .text("form_token", token)
        .text("title", "Titre gardé malgré le fichier trop lourd")
        .text("intent", "draft")
        .part("evidence", Part::stream(body).file_name("video.jpg"));
    let (response, grown) =
        memory_growth_kib(member.upload("/observations/new", "/observations/save", form)).await;
    let to = location(&response);
    assert!(to.contains("evidence.error-file-too-large"), "{to}");
    // Buffering the upload would add at least 150 MB; tests running alongside add a little.
    assert!(
        grown < 100 * 1024,
        "150 MB upload grew memory by {grown} KiB"
    );
    let (_, page) = member.page(&to).await;
    assert!(page.contains("Titre gardé malgré le fichier trop lourd"));
    assert!(page.contains("Fichier trop volumineux"));

    // Nor do many text fields under the per-field limit, posted by anyone to the tip form:
    // made-up fields are read past, and the form's own text has a ceiling.
    // Written as it is sent, a field a millisecond, so that the test's own side holds one
    // field at a time and the server's multipart reader (which buffers whatever has already
    // arrived) never holds many: what grows is what the form keeps.
    let boundary = "limite-veille-7f3a";
    let text = "a".repeat(63 * 1024);
    let parts = (0..2400)
        .map(move |i| {
            let name = if i % 2 == 0 { "body" } else { "champ-invente" };
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{text}\r\n"
            )
        })
        .chain(std::iter::once(format!("--{boundary}--\r\n")))
        .map(|part| Ok::<_, std::io::Error>(bytes::Bytes::from(part)));
    let paced = futures_util::StreamExt::then(futures_util::stream::iter(parts), |part| async {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        part
    });
    let body = reqwest::Body::wrap_stream(paced);
    let mut visitor = app.browser();
    let (response, grown) = memory_growth_kib(visitor.upload_stream(
        "/signalement",
        "/signalement/envoyer",
        boundary,
        body,
    ))
    .await;
    assert!(response.status().is_redirection(), "{}", response.status());
    assert!(location(&response).contains("body.error-tip-too-long"));
    assert!(
        grown < 100 * 1024,
        "150 MB of text fields grew memory by {grown} KiB"
    );

    // Nothing refused, doubled or left unattached stays on disk (an original may hold a GPS
    // position). The refusals above left nothing.
    let files_dir = app.data_dir.join("files");
    let on_disk = || {
        std::fs::read_dir(&files_dir)
            .map(|d| d.count())
            .unwrap_or(0)
    };
    assert_eq!(on_disk(), 0, "refused files are removed");
    let description = "Une description assez longue des faits.";

    // It starts like a JPEG (FF D8 FF) but is not one: refused by the field, not a 500, and
    // neither the original nor a copy kept.
    let mut broken = vec![0xFF, 0xD8, 0xFF, 0xE0];
    broken.extend(b"ceci n'est pas une image, seulement du bruit ".repeat(20));
    let form = filing("jeton-illisible", &c, "Photo abimée", description)
        .text("intent", "draft")
        .part("evidence", file_part("photo.jpg", broken));
    let response = member
        .upload("/observations/new", "/observations/save", form)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to_broken = location(&response);
    assert!(
        to_broken.contains("evidence.error-file-unreadable"),
        "{to_broken}"
    );
    let (_, page) = member.page(&to_broken).await;
    assert!(page.contains("pas pu être lu"), "the message by the field");
    assert_eq!(on_disk(), 0, "an unreadable image is not kept");

    // A save refused before anything is recorded keeps no file either: a form without its
    // token, and a draft that is not there.
    let form = Form::new()
        .text("form_token", "")
        .text("title", "Sans jeton")
        .text("intent", "draft")
        .part("evidence", file_part("photo.jpg", jpeg_with_gps()));
    let response = member
        .upload("/observations/new", "/observations/save", form)
        .await;
    let to_expired = location(&response);
    assert!(
        to_expired.contains("form_token.error-form-expired"),
        "{to_expired}"
    );
    assert_eq!(on_disk(), 0, "a refused save leaves no file");
    let form = filing("jeton-disparu", &c, "Brouillon disparu", description)
        .text("id", uuid::Uuid::new_v4().to_string())
        .text("intent", "draft")
        .part("evidence", file_part("photo.jpg", jpeg_with_gps()));
    let response = member
        .upload("/observations/new", "/observations/save", form)
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(on_disk(), 0, "a draft not found takes no file");

    // The same file twice in one post is attached once.
    let form = filing("jeton-double", &c, "Deux fois la même pièce", description)
        .text("intent", "draft")
        .part("evidence", file_part("piece.pdf", pdf(0)))
        .part("evidence", file_part("copie.pdf", pdf(0)));
    let response = member
        .upload("/observations/new", "/observations/save", form)
        .await;
    let to_double = location(&response);
    assert!(to_double.ends_with("?notice=saved"), "{to_double}");
    assert_eq!(
        attached_to(&app, &crate::observations::id_in(&to_double)).await,
        1
    );
    assert_eq!(on_disk(), 1, "the second copy is removed");

    // Eleven files in one post: ten kept, and the eleventh refused without being read (read,
    // its 21 MB would have made "too large" the error), by the field, the rest of the form
    // saved.
    let mut form = filing("jeton-onze", &c, "Onze pièces", description).text("intent", "draft");
    for n in 1..=10 {
        form = form.part("evidence", file_part(&format!("piece-{n}.pdf"), pdf(n)));
    }
    let mut large = pdf(11);
    large.resize(21 * 1024 * 1024, b' ');
    form = form.part("evidence", file_part("piece-11.pdf", large));
    let response = member
        .upload("/observations/new", "/observations/save", form)
        .await;
    let to_eleven = location(&response);
    assert!(
        to_eleven.contains("evidence.error-file-count"),
        "{to_eleven}"
    );
    assert_eq!(
        attached_to(&app, &crate::observations::id_in(&to_eleven)).await,
        10
    );
    assert_eq!(on_disk(), 1 + 10, "the ten attached, besides the one above");
    let (_, page) = member.page(&to_eleven).await;
    assert!(page.contains("Onze pièces") && page.contains("Trop de fichiers"));

    // A photo with its GPS position: accepted, fingerprinted, sealed.
    let photo = jpeg_with_gps();
    let form = filing(
        token,
        &c,
        "Preuves",
        "Une description assez longue des faits.",
    )
    .text("intent", "submit")
    .part(
        "evidence",
        file_part("IMG_Aminata_Kayes.jpg", photo.clone()),
    );
    let response = member.upload(&to, "/observations/save", form).await;
    let to = location(&response);
    assert!(to.ends_with("?notice=submitted"), "{to}");
    let id = crate::observations::id_in(&to);
    let d = detail(&mut monitor, &id).await;
    let attachment = &d["attachments"][0];
    let attachment_id = attachment["id"].as_str().expect("id").to_string();
    use sha2::Digest;
    let expected_sha = hex::encode(sha2::Sha256::digest(&photo));
    assert_eq!(attachment["sha256"], expected_sha.as_str());

    // The NHRC may fetch the original, as an attachment, byte for byte.
    let (status, headers, original) = monitor
        .download(&format!("/files/{attachment_id}/original"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(original, photo);
    let disposition = headers["content-disposition"].to_str().expect("header");
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert_eq!(headers["content-type"], "application/octet-stream");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(!disposition.contains("Aminata"), "no uploader's file name");
    // The organisation may not have the sealed original back.
    let (status, _, _) = member
        .download(&format!("/files/{attachment_id}/original"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Forwarded with its evidence: the institution gets the cleaned copy only.
    forward(
        &mut monitor,
        &id,
        &c.police,
        "Titre transmis",
        "Description transmise.",
    )
    .await;
    let (_, inbox) = police.call("list_referrals", &[]).await;
    let referral = inbox["items"][0]["id"]
        .as_str()
        .expect("referral")
        .to_string();
    let (_, view) = police.call("get_referral", &[("id", &referral)]).await;
    let shared = &view["attachments"][0];
    assert_eq!(shared["id"], attachment_id.as_str());
    assert!(!shared["name"].as_str().expect("name").contains("Aminata"));
    assert!(shared["sha256"].is_null());
    let (status, headers, cleaned) = police.download(&format!("/files/{attachment_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-disposition"]
            .to_str()
            .expect("h")
            .starts_with("attachment;")
    );
    let text = String::from_utf8_lossy(&cleaned);
    assert!(cleaned.starts_with(&[0xFF, 0xD8]) && cleaned.ends_with(&[0xFF, 0xD9]));
    assert!(
        !text.contains("GPS") && !text.contains("Exif") && !text.contains("Tecno"),
        "metadata left"
    );
    assert!(!text.contains("commentaire"), "comment left");
    assert!(text.contains("JFIF"), "the image itself is kept");
    let (status, _, _) = police
        .download(&format!("/files/{attachment_id}/original"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the original stays sealed");
    app.finish().await;
}
on_both_databases!(evidence_is_checked_sealed_and_cleaned);
