//! Mail bodies from the message catalogues (`mail-<template>-subject` / `-body`), in the
//! recipient's language, as text and HTML. Only the reference, the new status, the
//! institution's acronym where allowed, and links: never case text. Every value is escaped in
//! the HTML part; headers are built by lettre, which encodes them, so no value can add one.

use crate::domain::Locale;
use crate::i18n::{translate, translate_with};
use crate::server::entities::notification;
use crate::server::mail::{Email, escape_html};

/// The template name of the daily summary rows.
pub const DIGEST: &str = "digest";

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
        let references: Vec<&str> = row
            .reference
            .split(", ")
            .filter(|r| !r.is_empty())
            .collect();
        lines.push(translate_with(
            locale,
            "mail-digest-body",
            &[("count", references.len().to_string())],
        ));
        lines.extend(references.iter().map(|r| format!("- {r}")));
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
    let open = translate(locale, "mail-open");
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
                    r.reference = "OBS-2026-000042, OBS-2026-000043".into();
                }
                mails.push((name, locale, render(&r, "a@b.test", recipient, &links())));
            }
        }
        mails
    }

    /// Every template renders in both languages from its own keys, with the reference, and no
    /// key is left untranslated.
    #[test]
    fn every_template_in_both_languages() {
        for (name, locale, mail) in every_mail("Awa") {
            for part in [&mail.subject, &mail.text, &mail.html] {
                assert!(
                    part.contains("OBS-2026-000042") || part == &mail.subject && name == DIGEST,
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
}
