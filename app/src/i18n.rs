//! Message catalogues (Fluent files under `app/locales/<lang>/main.ftl`, compiled in) and the
//! page's current language. Every user-facing string goes through `t`.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::{Loader, fluent_bundle::FluentValue, static_loader};
use leptos::prelude::*;
use unic_langid::{LanguageIdentifier, langid};

use crate::domain::Locale;

static_loader! {
    static CATALOGUES = {
        locales: "./locales",
        fallback_language: "fr",
        // No Unicode isolation marks around arguments: the values are names and numbers.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

const FR: LanguageIdentifier = langid!("fr");
const EN: LanguageIdentifier = langid!("en");

fn language(locale: Locale) -> LanguageIdentifier {
    match locale {
        Locale::Fr => FR,
        Locale::En => EN,
    }
}

/// Looks `key` up in `locale`; a missing key shows as itself (the catalogue test forbids it).
pub fn translate(locale: Locale, key: &str) -> String {
    CATALOGUES
        .try_lookup(&language(locale), key)
        .unwrap_or_else(|| key.to_string())
}

pub fn translate_with(locale: Locale, key: &str, args: &[(&'static str, String)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(name, value)| (Cow::Borrowed(*name), FluentValue::from(value.clone())))
        .collect();
    CATALOGUES
        .try_lookup_with_args(&language(locale), key, &args)
        .unwrap_or_else(|| key.to_string())
}

/// Whether the catalogue of `locale` itself (not the fallback) defines `key`.
pub fn has_key(locale: Locale, key: &str) -> bool {
    let source = match locale {
        Locale::Fr => include_str!("../locales/fr/main.ftl"),
        Locale::En => include_str!("../locales/en/main.ftl"),
    };
    catalogue_keys(source).iter().any(|k| k == key)
}

/// The message identifiers defined in a Fluent source.
pub fn catalogue_keys(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|line| line.split_once('=').map(|(id, _)| id.trim().to_string()))
        .collect()
}

/// The page language, provided once at the top of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct I18n(pub Locale);

impl I18n {
    pub fn t(&self, key: &str) -> String {
        translate(self.0, key)
    }

    pub fn t_with(&self, key: &str, args: &[(&'static str, String)]) -> String {
        translate_with(self.0, key, args)
    }

    pub fn day(&self, iso: &str) -> String {
        human_day(self.0, iso)
    }
}

/// A day, month or moment as people write it: "7 déc. 2026" / "7 Dec 2026", "déc. 2026",
/// "7 déc. 2026, 14:05". `iso` is what the server sends (`2026-12-07`, `2026-12`,
/// `2026-12-07 14:05[:ss]`); anything else is returned as it is.
pub fn human_day(locale: Locale, iso: &str) -> String {
    const FR_MONTHS: [&str; 12] = [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ];
    const EN_MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let months = match locale {
        Locale::Fr => FR_MONTHS,
        Locale::En => EN_MONTHS,
    };
    let (date, time) = match iso.split_once(' ') {
        Some((date, time)) => (date, Some(time)),
        None => (iso, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    let month = |text: &str| {
        text.parse::<usize>()
            .ok()
            .filter(|m| (1..=12).contains(m))
            .map(|m| months[m - 1])
    };
    let numeric = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    let text = match parts.as_slice() {
        [year, m] if year.len() == 4 && numeric(year) => month(m).map(|m| format!("{m} {year}")),
        [year, m, d] if year.len() == 4 && numeric(year) && numeric(d) => month(m)
            .and_then(|m| {
                d.parse::<u32>()
                    .ok()
                    .filter(|d| (1..=31).contains(d))
                    .map(|d| (m, d))
            })
            .map(|(m, d)| format!("{d} {m} {year}")),
        _ => None,
    };
    match (text, time) {
        (Some(text), None) => text,
        // Minutes are enough for people; the seconds stay in `datetime`.
        (Some(text), Some(time)) => format!("{text}, {}", time.get(..5).unwrap_or(time)),
        (None, _) => iso.to_string(),
    }
}

pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or(I18n(Locale::Fr))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FR_SOURCE: &str = include_str!("../locales/fr/main.ftl");
    const EN_SOURCE: &str = include_str!("../locales/en/main.ftl");

    #[test]
    fn days_read_as_people_write_them() {
        assert_eq!(human_day(Locale::Fr, "2026-12-07"), "7 déc. 2026");
        assert_eq!(human_day(Locale::En, "2026-12-07"), "7 Dec 2026");
        assert_eq!(human_day(Locale::Fr, "2026-02"), "févr. 2026");
        assert_eq!(
            human_day(Locale::En, "2026-08-31 09:05"),
            "31 Aug 2026, 09:05"
        );
        assert_eq!(
            human_day(Locale::Fr, "2026-08-31 09:05:59"),
            "31 août 2026, 09:05"
        );
        // Not a date: left as it is, never a panic.
        for odd in [
            "",
            "2026",
            "2026-13-01",
            "2026-12-45",
            "20x6-12-01",
            "hier",
            "2026-1é-01",
        ] {
            assert_eq!(human_day(Locale::Fr, odd), odd);
        }
    }

    #[test]
    fn no_key_is_defined_twice() {
        for source in [FR_SOURCE, EN_SOURCE] {
            let mut seen = std::collections::HashSet::new();
            for key in catalogue_keys(source) {
                assert!(seen.insert(key.clone()), "{key} is defined twice");
            }
        }
    }

    #[test]
    fn every_key_exists_in_every_locale() {
        let fr = catalogue_keys(FR_SOURCE);
        let en = catalogue_keys(EN_SOURCE);
        let missing_en: Vec<_> = fr.iter().filter(|k| !en.contains(k)).collect();
        let missing_fr: Vec<_> = en.iter().filter(|k| !fr.contains(k)).collect();
        assert!(missing_en.is_empty(), "missing in en: {missing_en:?}");
        assert!(missing_fr.is_empty(), "missing in fr: {missing_fr:?}");
    }

    #[test]
    fn every_key_used_in_the_code_is_in_both_catalogues() {
        let mut missing = Vec::new();
        for key in keys_used_in(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))) {
            for locale in Locale::ALL {
                if !has_key(locale, &key) {
                    missing.push(format!("{}: {key}", locale.as_str()));
                }
            }
        }
        assert!(missing.is_empty(), "keys used but not defined: {missing:?}");
    }

    #[test]
    fn every_institution_kind_has_a_name() {
        for kind in crate::domain::institution::InstitutionKind::ALL {
            for locale in Locale::ALL {
                let key = kind.label_key();
                assert!(has_key(locale, &key), "{}: {key}", locale.as_str());
            }
        }
    }

    /// Keys built from the domain's names (statuses, actions, events) are not literals.
    #[test]
    fn every_domain_name_has_a_label() {
        use crate::domain::lifecycle::{
            EventKind, ObservationAction, ObservationStatus, ReferralAction, ReferralStatus,
        };
        use crate::domain::observation::{ProtectionLevel, Resolution, Visibility};
        use crate::domain::tip::TipStatus;
        let mut keys: Vec<String> = Vec::new();
        keys.extend(ObservationStatus::ALL.iter().map(|s| s.label_key()));
        keys.extend(ReferralStatus::ALL.iter().map(|s| s.label_key()));
        keys.extend(ObservationAction::ALL.iter().map(|a| a.label_key()));
        keys.extend(ReferralAction::ALL.iter().map(|a| a.label_key()));
        keys.extend(
            ReferralAction::ALL
                .iter()
                .map(|a| format!("field-note-ref-{}", a.as_str())),
        );
        keys.extend(
            ObservationAction::ALL
                .iter()
                .map(|a| format!("field-note-obs-{}", a.as_str())),
        );
        keys.extend(EventKind::ALL.iter().map(|k| k.label_key()));
        keys.extend(TipStatus::ALL.iter().map(|s| s.label_key()));
        keys.extend(
            Resolution::ALL
                .iter()
                .map(|r| format!("resolution-{}", r.as_str())),
        );
        keys.extend(
            ProtectionLevel::ALL
                .iter()
                .map(|p| format!("protection-{}", p.as_str())),
        );
        keys.extend(
            Visibility::ALL
                .iter()
                .map(|v| format!("visibility-{}", v.as_str())),
        );
        use crate::domain::notification::{MailState, Preference, Template};
        keys.extend(
            Preference::ALL
                .iter()
                .map(|p| format!("preference-{}", p.as_str())),
        );
        // The admin's mail page names the states of the rows it lists, and no other.
        keys.extend([MailState::Dead, MailState::Pending].map(MailState::label_key));
        for template in Template::ALL {
            keys.push(format!("mail-{}-subject", template.as_str()));
            keys.push(format!("mail-{}-body", template.as_str()));
        }
        for role in crate::domain::Role::ALL {
            keys.push(role.label_key().to_string());
        }
        for key in keys {
            for locale in Locale::ALL {
                assert!(has_key(locale, &key), "{}: {key}", locale.as_str());
            }
        }
    }

    #[test]
    fn catalogues_differ_and_resolve() {
        assert_eq!(translate(Locale::Fr, "nav-login"), "Se connecter");
        assert_eq!(translate(Locale::En, "nav-login"), "Sign in");
    }

    /// Message keys are written as string literals that start with one of these prefixes.
    fn keys_used_in(dir: &std::path::Path) -> Vec<String> {
        const PREFIXES: [&str; 23] = [
            "nav-",
            "page-",
            "form-",
            "error-",
            "role-",
            "action-",
            "admin-",
            "home-",
            "notice-",
            "mail-",
            "field-",
            "lang-",
            "kind-",
            "landing-",
            "obs-",
            "status-",
            "list-",
            "event-",
            "resolution-",
            "visibility-",
            "stats-",
            "tip-",
            "audit-",
        ];
        let mut keys = Vec::new();
        for entry in std::fs::read_dir(dir).expect("source folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                keys.extend(keys_used_in(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("source file");
                for literal in text.split('"').skip(1).step_by(2) {
                    let is_key = PREFIXES.iter().any(|p| literal.starts_with(p))
                        && !literal.ends_with('-')
                        && literal.chars().all(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'
                        });
                    if is_key {
                        keys.push(literal.to_string());
                    }
                }
            }
        }
        keys.sort();
        keys.dedup();
        keys
    }
}
