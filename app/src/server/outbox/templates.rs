//! Mail bodies from the message catalogues (`mail-<template>-subject` / `-body`), in the
//! recipient's language, as text and HTML. Only the reference, the new status, the
//! institution's acronym where allowed, and links (a tip's mail: the link alone; a digest:
//! each reference and the words of what changed): never case text. Every value is escaped in
//! the HTML part; headers are built by lettre, which encodes them, so no value can add one.

use crate::domain::Locale;
use crate::domain::notification::{DIGEST_TEMPLATE, Template};
use crate::i18n::{translate, translate_with};
use crate::server::entities::notification;
use crate::server::mail::{Email, escape_html};

/// The template name of the daily summary rows.
pub const DIGEST: &str = DIGEST_TEMPLATE;

/// What a digest row holds in its `reference`: one entry per case, in the order they first
/// changed, each its reference and the templates of its changes in order
/// (`OBS-2026-000042=responded+contested, =tip_received`; a tip has no reference). Digests
/// queued before the changes were kept hold the references alone (`OBS-…, OBS-…`).
pub fn digest_summary(rows: &[&notification::Model]) -> String {
    // One entry per case: a tip by its id, an observation by its reference.
    let mut entries: Vec<(String, &str, Vec<&str>)> = Vec::new();
    for row in rows {
        let key = match row.tip_id {
            Some(tip) => format!("tip:{tip}"),
            None => row.reference.clone(),
        };
        let at = match entries.iter().position(|(k, _, _)| *k == key) {
            Some(at) => at,
            None => {
                entries.push((key, &row.reference, Vec::new()));
                entries.len() - 1
            }
        };
        let changes = &mut entries[at].2;
        if !changes.contains(&row.template.as_str()) {
            changes.push(&row.template);
        }
    }
    entries
        .iter()
        .map(|(_, reference, changes)| format!("{reference}={}", changes.join("+")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The digest's lines, in the recipient's language: each case's reference (or "anonymous
/// tip") and what changed ("OBS-2026-000042 : répondue, contestée").
fn digest_lines(locale: Locale, summary: &str) -> Vec<String> {
    summary
        .split(", ")
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            let (reference, changes) = entry.split_once('=').unwrap_or((entry, ""));
            let reference = if reference.is_empty() {
                translate(locale, "mail-digest-tip")
            } else {
                reference.to_string()
            };
            let changes: Vec<String> = changes
                .split('+')
                .filter_map(Template::parse)
                .map(|t| translate(locale, &t.change_key()))
                .collect();
            if changes.is_empty() {
                format!("- {reference}")
            } else {
                let line = translate_with(
                    locale,
                    "mail-digest-line",
                    &[("reference", reference), ("changes", changes.join(", "))],
                );
                format!("- {line}")
            }
        })
        .collect()
}

/// The addresses a mail carries: ids only, never case text.
pub struct Links {
    /// The case as the recipient opens it (after signing in, if need be); a digest's is the
    /// recipient's own page.
    pub case: String,
    pub preferences: String,
    pub unsubscribe: String,
}

pub fn render(row: &notification::Model, to: &str, name: &str, links: &Links) -> Email {
    let locale = Locale::parse(&row.locale).unwrap_or_default();
    let reference = row.reference.clone();
    let args = |extra: &[(&'static str, String)]| {
        let mut args = vec![("reference", reference.clone())];
        args.extend_from_slice(extra);
        args
    };
    let mut lines = Vec::new();
    if row.template == DIGEST {
        let entries = digest_lines(locale, &row.reference);
        lines.push(translate_with(
            locale,
            "mail-digest-body",
            &[("count", entries.len().to_string())],
        ));
        lines.extend(entries);
    } else {
        lines.push(translate_with(
            locale,
            &format!("mail-{}-body", row.template),
            &args(&[]),
        ));
        if let Some(status) = &row.status {
            lines.push(translate_with(
                locale,
                "mail-new-status",
                &[("status", translate(locale, status))],
            ));
        }
        if let Some(institution) = &row.institution {
            lines.push(translate_with(
                locale,
                "mail-institution",
                &[("institution", institution.clone())],
            ));
        }
    }
    let subject = if row.template == DIGEST {
        translate(locale, "mail-digest-subject")
    } else {
        translate_with(
            locale,
            &format!("mail-{}-subject", row.template),
            &args(&[]),
        )
    };
    let greeting = translate_with(locale, "mail-greeting", &[("name", name.to_string())]);
    // A digest's link is the reader's own page, where what waits for them is listed.
    let open = translate(
        locale,
        if row.template == DIGEST {
            "mail-open-digest"
        } else {
            "mail-open"
        },
    );
    let preferences = translate(locale, "mail-preferences");
    let unsubscribe = translate(locale, "mail-unsubscribe");
    let text = format!(
        "{greeting}\n\n{body}\n\n{open}\n{case}\n\n-- \n{preferences} {preferences_link}\n{unsubscribe} {unsubscribe_link}\n",
        body = lines.join("\n"),
        case = links.case,
        preferences_link = links.preferences,
        unsubscribe_link = links.unsubscribe,
    );
    let html = format!(
        "<!doctype html><html lang=\"{lang}\"><body><p>{greeting}</p>{body}\
         <p>{open}<br><a href=\"{case}\">{case}</a></p><hr>\
         <p><small>{preferences} <a href=\"{preferences_link}\">{preferences_link}</a><br>\
         {unsubscribe} <a href=\"{unsubscribe_link}\">{unsubscribe_link}</a></small></p></body></html>",
        lang = locale.as_str(),
        greeting = escape_html(&greeting),
        body = lines
            .iter()
            .map(|l| format!("<p>{}</p>", escape_html(l)))
            .collect::<String>(),
        open = escape_html(&open),
        case = escape_html(&links.case),
        preferences = escape_html(&preferences),
        preferences_link = escape_html(&links.preferences),
        unsubscribe = escape_html(&unsubscribe),
        unsubscribe_link = escape_html(&links.unsubscribe),
    );
    Email {
        to: to.to_string(),
        // One line, whatever a catalogue or a value holds.
        subject: subject.replace(['\r', '\n'], " "),
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::notification::Template;

    fn row(template: &str, locale: &str) -> notification::Model {
        notification::Model {
            id: uuid::Uuid::nil(),
            recipient_id: uuid::Uuid::nil(),
            template: template.into(),
            locale: locale.into(),
            observation_id: None,
            tip_id: None,
            reference: "OBS-2026-000042".into(),
            status: Some("status-ref-responded".into()),
            institution: Some("DGPN".into()),
            state: "pending".into(),
            attempts: 0,
            next_attempt_at: chrono::DateTime::UNIX_EPOCH,
            claimed_until: None,
            sent_at: None,
            last_error: None,
            created_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    fn links() -> Links {
        Links {
            case: "https://veille.test/observations/00000000-0000-0000-0000-000000000042".into(),
            preferences: "https://veille.test/preferences".into(),
            unsubscribe: "https://veille.test/unsubscribe?token=abc".into(),
        }
    }

    /// Every template (the digest too) in both languages, rendered for `recipient`.
    fn every_mail(recipient: &str) -> Vec<(&'static str, &'static str, Email)> {
        let mut names: Vec<&'static str> = Template::ALL.iter().map(|t| t.as_str()).collect();
        names.push(DIGEST);
        let mut mails = Vec::new();
        for name in names {
            for locale in ["fr", "en"] {
                let mut r = row(name, locale);
                if name == DIGEST {
                    r.reference = digest_of_every_change();
                }
                if Template::parse(name).is_some_and(Template::is_about_tip) {
                    r.reference = String::new();
                    r.status = None;
                    r.institution = None;
                    r.tip_id = Some(uuid::Uuid::nil());
                }
                mails.push((name, locale, render(&r, "a@b.test", recipient, &links())));
            }
        }
        mails
    }

    /// A digest of two observations, one changed in every way there is, and of a tip.
    fn digest_of_every_change() -> String {
        let mut rows = Vec::new();
        for template in Template::ALL {
            let mut r = row(template.as_str(), "fr");
            if template.is_about_tip() {
                r.reference = String::new();
                r.tip_id = Some(uuid::Uuid::nil());
            }
            rows.push(r);
        }
        let mut overdue = row("overdue", "fr");
        overdue.reference = "OBS-2026-000043".into();
        rows.push(overdue);
        rows.push(row("responded", "fr"));
        digest_summary(&rows.iter().collect::<Vec<_>>())
    }

    /// Every template renders in both languages from its own keys, with the reference (a tip's
    /// mail with its link alone), and no key is left untranslated.
    #[test]
    fn every_template_in_both_languages() {
        for (name, locale, mail) in every_mail("Awa") {
            let about_tip = Template::parse(name).is_some_and(Template::is_about_tip);
            for part in [&mail.subject, &mail.text, &mail.html] {
                assert!(
                    part.contains("OBS-2026-000042")
                        || part == &mail.subject && name == DIGEST
                        || about_tip && !part.contains("OBS-"),
                    "{name}/{locale}: {part}"
                );
                assert!(
                    !part.contains("mail-"),
                    "{name}/{locale}: untranslated key in {part}"
                );
                assert!(
                    !part.contains("status-"),
                    "{name}/{locale}: untranslated status"
                );
            }
        }
    }

    /// Every template in both languages, rendered for a recipient whose name is hostile: the
    /// snapshots (in `snapshots/`) show it escaped in HTML and the subject on one line.
    #[test]
    fn snapshots_of_every_template() {
        for (name, locale, mail) in every_mail("<script>alert(1)</script>\r\nBcc: x@y.test") {
            insta::assert_snapshot!(
                format!("{name}-{locale}"),
                format!("Subject: {}\n\n{}\n{}", mail.subject, mail.text, mail.html)
            );
        }
    }

    #[test]
    fn hostile_names_are_escaped_and_stay_on_their_line() {
        let mail = render(
            &row("responded", "fr"),
            "a@b.test",
            "<script>alert(1)</script>\r\nBcc: victime@example.test",
            &links(),
        );
        assert!(!mail.html.contains("<script>"));
        assert!(mail.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!mail.subject.contains('\n') && !mail.subject.contains('\r'));
        let snapshot = render(&row("responded", "fr"), "a@b.test", "Awa", &links());
        assert_eq!(
            snapshot.subject,
            "Veille : réponse de l'institution (OBS-2026-000042)"
        );
        assert_eq!(
            snapshot.text,
            "Bonjour Awa,\n\nL'institution a répondu officiellement à l'observation OBS-2026-000042.\n\
             Nouvel état : Réponse donnée\nInstitution : DGPN\n\n\
             Connectez-vous pour voir le dossier :\n\
             https://veille.test/observations/00000000-0000-0000-0000-000000000042\n\n-- \n\
             Choisir quand recevoir ces messages : https://veille.test/preferences\n\
             Ne plus recevoir ces messages : https://veille.test/unsubscribe?token=abc\n"
        );
        let english = render(&row("responded", "en"), "a@b.test", "Awa", &links());
        assert_eq!(
            english.subject,
            "Veille: the institution responded (OBS-2026-000042)"
        );
    }

    /// The words of every change, and the digest's own, in both catalogues (a missing English
    /// one would fall back to French unseen).
    #[test]
    fn every_change_has_words_in_both_languages() {
        let mut keys: Vec<String> = Template::ALL.iter().map(|t| t.change_key()).collect();
        keys.extend(["mail-digest-line".into(), "mail-digest-tip".into()]);
        for key in keys {
            for locale in Locale::ALL {
                assert!(crate::i18n::has_key(locale, &key), "{locale:?}: {key}");
            }
        }
    }

    /// The digest names each case once, in the order it first changed, with what changed in
    /// the reader's language; a tip by its kind alone; an old digest row its references.
    #[test]
    fn a_digest_says_what_changed_for_each_reference() {
        let mut rows = vec![row("responded", "fr"), row("overdue", "fr")];
        rows[1].reference = "OBS-2026-000043".into();
        rows.push(row("contested", "fr"));
        rows.push(row("responded", "fr"));
        let mut tip = row("tip_received", "fr");
        tip.reference = String::new();
        tip.tip_id = Some(uuid::Uuid::nil());
        rows.push(tip);
        let summary = digest_summary(&rows.iter().collect::<Vec<_>>());
        assert_eq!(
            summary,
            "OBS-2026-000042=responded+contested, OBS-2026-000043=overdue, =tip_received"
        );
        let mut digest = row(DIGEST, "fr");
        digest.reference = summary.clone();
        let mail = render(&digest, "a@b.test", "Awa", &links());
        assert!(
            mail.text.contains(
                "Dossiers qui ont changé aujourd'hui : 3\n\
                 - OBS-2026-000042 : répondue, contestée\n\
                 - OBS-2026-000043 : en retard\n\
                 - Signalement anonyme : reçu\n"
            ),
            "{}",
            mail.text
        );
        digest.locale = "en".into();
        let mail = render(&digest, "a@b.test", "Awa", &links());
        assert!(
            mail.text.contains(
                "- OBS-2026-000042: responded, contested\n- OBS-2026-000043: overdue\n\
                 - Anonymous tip: received\n"
            ),
            "{}",
            mail.text
        );
        digest.reference = "OBS-2026-000042, OBS-2026-000043".into();
        let mail = render(&digest, "a@b.test", "Awa", &links());
        assert!(
            mail.text.contains("- OBS-2026-000042\n- OBS-2026-000043\n"),
            "{}",
            mail.text
        );
    }
}
