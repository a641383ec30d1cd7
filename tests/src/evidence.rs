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

/// A picture worth decoding: a colour gradient, `width` by `height`.
fn picture(width: u32, height: u32) -> image::RgbImage {
    image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
    })
}

/// A real JPEG of the gradient (what a phone would send, before its metadata).
pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&picture(width, height))
        .expect("encode a JPEG");
    out
}

/// A real PNG of the gradient.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(picture(width, height))
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("encode a PNG");
    out.into_inner()
}

/// `jpeg` with `segments` right after its start-of-image marker, where phones put theirs.
fn with_segments(jpeg: &[u8], segments: &[Vec<u8>]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    for segment in segments {
        out.extend_from_slice(segment);
    }
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// An EXIF segment (APP1) as cameras write it: big-endian TIFF, one directory holding the
/// orientation (when given) and a description carrying `text`.
fn exif(text: &str, orientation: Option<u16>) -> Vec<u8> {
    let mut text = text.as_bytes().to_vec();
    text.push(0);
    let entries = 1 + u16::from(orientation.is_some());
    let data_at = 8 + 2 + 12 * u32::from(entries) + 4;
    let mut tiff = b"MM\0*\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&entries.to_be_bytes());
    // ImageDescription (0x010E), ASCII, its text after the directory.
    tiff.extend_from_slice(&[0x01, 0x0E, 0, 2]);
    tiff.extend_from_slice(&(text.len() as u32).to_be_bytes());
    tiff.extend_from_slice(&data_at.to_be_bytes());
    if let Some(orientation) = orientation {
        // Orientation (0x0112), SHORT, one value held in place.
        tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1]);
        tiff.extend_from_slice(&orientation.to_be_bytes());
        tiff.extend_from_slice(&[0, 0]);
    }
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    tiff.extend_from_slice(&text);
    let mut body = b"Exif\0\0".to_vec();
    body.extend(tiff);
    segment(0xE1, &body)
}

/// A real JPEG whose EXIF segment holds a GPS position, a camera and a date, with a comment
/// naming someone.
pub fn jpeg_with_gps() -> Vec<u8> {
    with_segments(
        &jpeg(64, 48),
        &[
            exif(
                &format!("{GPS_MARKER} Camera: Tecno Spark 2026:11:02 08:15"),
                None,
            ),
            segment(0xFE, b"commentaire avec un nom"),
        ],
    )
}

/// The CRC of a PNG chunk (over its type and data).
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    let mut typed = kind.to_vec();
    typed.extend_from_slice(data);
    out.extend_from_slice(&typed);
    out.extend_from_slice(&crc32(&typed).to_be_bytes());
    out
}

fn zlib(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("compress");
    encoder.finish().expect("compress")
}

/// `png` with `chunks` right after its header chunk (signature, then IHDR: 8 + 25 bytes).
fn with_chunks(png: &[u8], chunks: &[Vec<u8>]) -> Vec<u8> {
    let mut out = png[..33].to_vec();
    for chunk in chunks {
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&png[33..]);
    out
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
pub async fn memory_growth_kib<T>(request: impl std::future::Future<Output = T>) -> (T, u64) {
    // Writing 5 resets the peak (VmHWM) to the current size (Linux 4.0 and later).
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the memory peak");
    let before = status_kib("VmRSS:");
    let answer = request.await;
    (answer, status_kib("VmHWM:").saturating_sub(before))
}

async fn evidence_is_checked_sealed_and_cleaned(backend: Backend) {
    let app = TestApp::builder(backend).measures_memory().start().await;
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

/// Whether `needle` occurs anywhere in `bytes`.
fn holds(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// One crafted file: its name, its bytes, the markers hidden in it (none may reach the
/// institution), the dimensions the institution's copy must have, and its format.
struct Crafted {
    name: &'static str,
    bytes: Vec<u8>,
    markers: Vec<&'static str>,
    dimensions: (u32, u32),
    format: image::ImageFormat,
}

/// Files made the way phones and editors hide things beyond the picture: a second picture
/// appended with its own EXIF, a comment, a JFIF thumbnail, bytes after the end, and PNG
/// chunks that are not needed to draw it (private, text, ICC profile); and a photo to turn.
fn corpus() -> Vec<Crafted> {
    use image::ImageFormat::{Jpeg, Png};
    let base = jpeg(64, 48);
    let mut appended = base.clone();
    // Multi-picture files (gain maps, depth maps, motion photos) put the second after the
    // first one's end.
    appended.extend(with_segments(
        &jpeg(16, 16),
        &[exif("MARQUEUR-SECONDE-IMAGE-GPS-4e1f", None)],
    ));
    let mut thumbnail = segment(0xFE, b"MARQUEUR-VIGNETTE-77aa").to_vec();
    thumbnail = with_segments(&jpeg(8, 8), &[thumbnail]);
    let mut jfxx = b"JFXX\0\x10".to_vec();
    jfxx.extend(thumbnail);
    let mut trailing = base.clone();
    trailing.extend_from_slice(b"MARQUEUR-APRES-LA-FIN-0c9d et encore des octets");
    let plain = png(40, 30);
    let mut itxt = b"Author\0\0\0fr\0Auteur\0".to_vec();
    itxt.extend_from_slice(b"MARQUEUR-ITXT-5b6c");
    let mut ztxt = b"Comment\0\0".to_vec();
    ztxt.extend(zlib(b"MARQUEUR-ZTXT-8d9e"));
    let mut iccp = b"Profil MARQUEUR-ICC-NOM-1a2b\0\0".to_vec();
    iccp.extend(zlib(b"MARQUEUR-ICC-CONTENU-3c4d, pas un vrai profil"));
    vec![
        Crafted {
            name: "second-image.jpg",
            bytes: appended,
            markers: vec!["MARQUEUR-SECONDE-IMAGE-GPS-4e1f", "Exif"],
            dimensions: (64, 48),
            format: Jpeg,
        },
        Crafted {
            name: "commentaire.jpg",
            bytes: with_segments(&base, &[segment(0xFE, b"MARQUEUR-COMMENTAIRE-2f3a")]),
            markers: vec!["MARQUEUR-COMMENTAIRE-2f3a"],
            dimensions: (64, 48),
            format: Jpeg,
        },
        Crafted {
            name: "vignette.jpg",
            bytes: with_segments(&base, &[segment(0xE0, &jfxx)]),
            markers: vec!["MARQUEUR-VIGNETTE-77aa", "JFXX"],
            dimensions: (64, 48),
            format: Jpeg,
        },
        Crafted {
            name: "fin.jpg",
            bytes: trailing,
            markers: vec!["MARQUEUR-APRES-LA-FIN-0c9d"],
            dimensions: (64, 48),
            format: Jpeg,
        },
        Crafted {
            name: "prive.png",
            bytes: with_chunks(&plain, &[chunk(b"prVt", b"MARQUEUR-PRIVE-6f70")]),
            markers: vec!["MARQUEUR-PRIVE-6f70", "prVt"],
            dimensions: (40, 30),
            format: Png,
        },
        Crafted {
            name: "textes.png",
            bytes: with_chunks(
                &plain,
                &[
                    chunk(b"tEXt", b"Comment\0MARQUEUR-TEXT-9a0b"),
                    chunk(b"zTXt", &ztxt),
                    chunk(b"iTXt", &itxt),
                ],
            ),
            markers: vec![
                "MARQUEUR-TEXT-9a0b",
                "MARQUEUR-ITXT-5b6c",
                "tEXt",
                "zTXt",
                "iTXt",
            ],
            dimensions: (40, 30),
            format: Png,
        },
        Crafted {
            name: "profil.png",
            bytes: with_chunks(&plain, &[chunk(b"iCCP", &iccp)]),
            markers: vec!["MARQUEUR-ICC-NOM-1a2b", "iCCP"],
            dimensions: (40, 30),
            format: Png,
        },
        // Taken with the phone turned: stored 64 wide, to be shown 48 wide.
        Crafted {
            name: "tournee.jpg",
            bytes: with_segments(&base, &[exif("MARQUEUR-ORIENTATION-5d5d", Some(6))]),
            markers: vec!["MARQUEUR-ORIENTATION-5d5d", "Exif"],
            dimensions: (48, 64),
            format: Jpeg,
        },
    ]
}

/// Every crafted file reaches the institution as its pixels only, at the size it is told;
/// the undecodable and the oversized are refused by the field; a file the NHRC did not choose
/// is missing to the institution, like one that does not exist.
async fn only_the_pixels_reach_the_institution(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut member = signed_in(&app, MEMBER).await;
    let mut monitor = signed_in(&app, MONITOR).await;
    let mut police = signed_in(&app, POLICE).await;
    let c = choices(&mut member).await;
    let description = "Une description assez longue des faits.";
    let files_dir = app.data_dir.join("files");
    let on_disk = || {
        std::fs::read_dir(&files_dir)
            .map(|d| d.count())
            .unwrap_or(0)
    };

    // Refused in words, nothing kept: a PNG that is only its signature and noise; a small
    // JPEG and a small PNG that declare pictures too large to decode (a few bytes that would
    // fill the memory).
    let mut noise = b"\x89PNG\r\n\x1a\n".to_vec();
    noise.extend(b"du bruit, pas une image ".repeat(30));
    let mut huge_jpeg = jpeg(8, 8);
    let sof = huge_jpeg
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("a baseline frame header");
    huge_jpeg[sof + 5..sof + 9].copy_from_slice(&[0xFF, 0x00, 0xFF, 0x00]);
    let mut huge_png = png(8, 8);
    let mut header = b"IHDR".to_vec();
    header.extend_from_slice(&10_000u32.to_be_bytes());
    header.extend_from_slice(&10_000u32.to_be_bytes());
    header.extend_from_slice(&huge_png[24..29]);
    huge_png[16..24].copy_from_slice(&header[4..12]);
    huge_png[29..33].copy_from_slice(&crc32(&header).to_be_bytes());
    for (name, bytes) in [
        ("bruit.png", noise),
        ("immense.jpg", huge_jpeg),
        ("immense.png", huge_png),
    ] {
        let form = filing(&format!("jeton-{name}"), &c, "Pièce illisible", description)
            .text("intent", "draft")
            .part("evidence", file_part(name, bytes));
        let response = member
            .upload("/observations/new", "/observations/save", form)
            .await;
        let to = location(&response);
        assert!(
            to.contains("evidence.error-file-unreadable"),
            "{name}: {to}"
        );
        assert_eq!(on_disk(), 0, "{name}: nothing kept");
    }

    // The corpus, with a PDF (passed on unchanged), filed as one observation.
    let crafted = corpus();
    let pdf_bytes = pdf(42);
    let mut form =
        filing("jeton-corpus", &c, "Pièces piégées", description).text("intent", "submit");
    for file in &crafted {
        form = form.part("evidence", file_part(file.name, file.bytes.clone()));
    }
    form = form
        .part("evidence", file_part("rapport.pdf", pdf_bytes.clone()))
        .part("evidence", file_part("non-transmis.pdf", pdf(43)));
    let response = member
        .upload("/observations/new", "/observations/save", form)
        .await;
    let to = location(&response);
    assert!(to.ends_with("?notice=submitted"), "{to}");
    let id = crate::observations::id_in(&to);
    let attachments = detail(&mut monitor, &id).await["attachments"]
        .as_array()
        .expect("attachments")
        .clone();
    assert_eq!(attachments.len(), crafted.len() + 2);
    let id_of = |name: &str| -> String {
        attachments
            .iter()
            .find(|a| a["name"] == name)
            .unwrap_or_else(|| panic!("{name} attached"))["id"]
            .as_str()
            .expect("id")
            .to_string()
    };

    // Forwarding without reviewing the released fields is refused by each field, and
    // nothing is created.
    let page = format!("/observations/{id}");
    let all: Vec<String> = attachments
        .iter()
        .map(|a| a["id"].as_str().expect("id").to_string())
        .collect();
    let mut unconfirmed: Vec<(&str, &str)> = vec![
        ("id", &id),
        ("institution_id", &c.police),
        ("title", "Titre transmis"),
        ("description", "Description transmise."),
        ("place", ""),
    ];
    unconfirmed.extend(all.iter().map(|f| ("shared_files[]", f.as_str())));
    let (status, answer) = monitor.call("forward_observation", &unconfirmed).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    let fields: Vec<&str> = answer["Validation"]
        .as_array()
        .expect("field errors")
        .iter()
        .map(|e| {
            assert_eq!(e["key"], "error-release-unconfirmed");
            e["field"].as_str().expect("field")
        })
        .collect();
    assert_eq!(
        fields,
        ["confirm_title", "confirm_description", "confirm_place"]
    );
    // Two of three confirmed, as a browser without JavaScript posts it: the message by the
    // field left, on the page.
    let mut partly = unconfirmed.clone();
    partly.extend([("confirm_title", "on"), ("confirm_description", "on")]);
    let response = monitor.submit(&page, "forward_observation", &partly).await;
    let back = location(&response);
    assert!(back.contains("__err"), "{back}");
    let (_, shown) = monitor.page(back.trim_start_matches(&app.url)).await;
    assert!(
        shown.contains("Confirmez que vous avez relu ce champ avant de transmettre."),
        "the message by the place field"
    );
    let referrals = app::server::entities::referral::Entity::find()
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(referrals, 0, "nothing forwarded unreviewed");
    let (status, _) = police.call("list_referrals", &[]).await;
    assert_eq!(status, StatusCode::OK);

    // The page offers each evidence file, none ticked.
    let (_, form_page) = monitor.page(&page).await;
    for a in &attachments {
        let id = a["id"].as_str().expect("id");
        let input = form_page
            .split("<input")
            .find(|i| i.contains(&format!("value=\"{id}\"")))
            .unwrap_or_else(|| panic!("a box for {id}"));
        assert!(input.contains("name=\"shared_files[]\""), "{input}");
        assert!(!input.contains("checked"), "ticked by default: {input}");
    }

    // Forwarded with every file but one.
    let withheld = id_of("non-transmis.pdf");
    let chosen: Vec<String> = all.iter().filter(|f| **f != withheld).cloned().collect();
    let form = crate::observations::released(
        &id,
        &c.police,
        "Titre transmis",
        "Description transmise.",
        "",
        &chosen,
    );
    crate::observations::act(&mut monitor, &page, "forward_observation", &form).await;
    let (_, inbox) = police.call("list_referrals", &[]).await;
    let referral = inbox["items"][0]["id"]
        .as_str()
        .expect("referral")
        .to_string();
    let (_, view) = police.call("get_referral", &[("id", &referral)]).await;
    let shared = view["attachments"].as_array().expect("attachments");
    assert_eq!(shared.len(), chosen.len());
    let (_, referral_page) = police.page(&format!("/referrals/{referral}")).await;

    // The file not chosen: not listed, and missing, exactly like a file that does not exist.
    assert!(
        shared.iter().all(|a| a["id"] != withheld.as_str()),
        "withheld file listed"
    );
    assert!(
        !referral_page.contains(&withheld),
        "withheld file on the page"
    );
    let (status, _, withheld_body) = police.download(&format!("/files/{withheld}")).await;
    let (missing_status, _, missing_body) = police
        .download(&format!("/files/{}", uuid::Uuid::new_v4()))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!((status, withheld_body), (missing_status, missing_body));
    let (status, _, _) = monitor.download(&format!("/files/{withheld}")).await;
    assert_eq!(status, StatusCode::OK, "the NHRC still has it");
    // The NHRC sees which files went; the organisation does not.
    let released = detail(&mut monitor, &id).await["referrals"][0]["released_files"].clone();
    let released = released.as_array().expect("released files");
    assert_eq!(released.len(), chosen.len());
    assert!(!released.contains(&serde_json::json!("non-transmis.pdf")));
    let seen_by_cso = detail(&mut member, &id).await["referrals"][0]["released_files"].clone();
    assert_eq!(seen_by_cso, serde_json::json!([]));

    for file in &crafted {
        let id = id_of(file.name);
        let listed = shared
            .iter()
            .find(|a| a["id"] == id.as_str())
            .unwrap_or_else(|| panic!("{} shared", file.name));
        assert!(referral_page.contains(&id), "{} on the page", file.name);
        let (status, _, bytes) = police.download(&format!("/files/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{}", file.name);
        for marker in &file.markers {
            assert!(
                !holds(&bytes, marker),
                "{}: {marker} reached the institution",
                file.name
            );
        }
        assert_eq!(
            image::guess_format(&bytes).expect("a known format"),
            file.format,
            "{}",
            file.name
        );
        let decoded = image::load_from_memory(&bytes)
            .unwrap_or_else(|e| panic!("{}: the copy does not decode: {e}", file.name));
        assert_eq!(
            (decoded.width(), decoded.height()),
            file.dimensions,
            "{}",
            file.name
        );
        assert_eq!(
            listed["size_bytes"].as_i64(),
            Some(bytes.len() as i64),
            "{}: the size shown is the size received",
            file.name
        );
        // The NHRC still has the original, byte for byte.
        let (_, _, original) = monitor.download(&format!("/files/{id}/original")).await;
        assert_eq!(original, file.bytes, "{}", file.name);
    }
    // A document passes unchanged (the filer was told), at its own size.
    let pdf_id = id_of("rapport.pdf");
    let (status, _, bytes) = police.download(&format!("/files/{pdf_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, pdf_bytes);
    let listed = shared
        .iter()
        .find(|a| a["id"] == pdf_id.as_str())
        .expect("the PDF shared");
    assert_eq!(listed["size_bytes"].as_i64(), Some(pdf_bytes.len() as i64));

    // A copy made before this version (metadata segments removed, the rest as sent; no size
    // recorded) is made again from the original when the portal starts.
    use app::server::entities::attachment;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let file = &crafted[0];
    let id = id_of(file.name);
    let row = attachment::Entity::find_by_id(uuid::Uuid::parse_str(&id).expect("uuid"))
        .one(&app.db)
        .await
        .expect("read")
        .expect("the attachment");
    let copy = row.clean_stored_name.clone().expect("a copy");
    std::fs::write(files_dir.join(&copy), &file.bytes).expect("an old-style copy");
    let mut old: attachment::ActiveModel = row.into();
    old.clean_size_bytes = Set(None);
    old.update(&app.db).await.expect("as stored before");
    let (_, _, before) = police.download(&format!("/files/{id}")).await;
    assert!(
        file.markers.iter().any(|m| holds(&before, m)),
        "the old-style copy leaks (else this part proves nothing)"
    );
    let remade = app::server::observations::evidence::reclean_stored_images(&app.db, &app.data_dir)
        .await
        .expect("copies made again");
    assert_eq!(remade, 1);
    let (status, _, after) = police.download(&format!("/files/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    for marker in &file.markers {
        assert!(
            !holds(&after, marker),
            "{marker} still reaches the institution"
        );
    }
    let decoded = image::load_from_memory(&after).expect("the new copy decodes");
    assert_eq!((decoded.width(), decoded.height()), file.dimensions);
    let (_, view) = police.call("get_referral", &[("id", &referral)]).await;
    let listed = view["attachments"]
        .as_array()
        .expect("attachments")
        .iter()
        .find(|a| a["id"] == id.as_str())
        .expect("still shared")
        .clone();
    assert_eq!(listed["size_bytes"].as_i64(), Some(after.len() as i64));
    app.finish().await;
}
on_both_databases!(only_the_pixels_reach_the_institution);

/// The forms that take files say what happens to them: photos copied without their
/// metadata, documents and sound passed on unchanged.
async fn the_filer_is_told_what_is_passed_on(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut member = signed_in(&app, MEMBER).await;
    let notice = "Les documents et fichiers sonores sont transmis tels quels : retirez-en ce qui vous identifie avant de les joindre.";
    let photos = "Les photos transmises aux institutions sont recopiées sans leurs métadonnées (position GPS, appareil, date).";
    let (_, filing_page) = member.page("/observations/new").await;
    let mut visitor = app.browser();
    let (_, tip_page) = visitor.page("/signalement").await;
    for (form, page) in [("filing", &filing_page), ("tip", &tip_page)] {
        let page = page.replace("&#x27;", "'").replace("&#39;", "'");
        assert!(page.contains(notice), "{form}: documents notice");
        assert!(page.contains(photos), "{form}: photos notice");
    }
    app.finish().await;
}
on_both_databases!(the_filer_is_told_what_is_passed_on);
