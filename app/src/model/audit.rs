//! The audit log on the wire (filters, entries, pages) and the words for what it records:
//! actions, roles, record kinds and sign-in methods, each with its catalogue key.

use serde::{Deserialize, Serialize};

/// What walking the chain found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChainCheck {
    Intact {
        entries: u64,
    },
    /// The first entry that does not match.
    Broken {
        at: i64,
    },
}

impl ChainCheck {
    /// As the log records it (`intact:N`, `broken:SEQ`).
    pub fn detail(self) -> String {
        match self {
            ChainCheck::Intact { entries } => format!("intact:{entries}"),
            ChainCheck::Broken { at } => format!("broken:{at}"),
        }
    }
}

/// The log's filters, as they travel in the page's URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub role: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    pub until: Option<String>,
    pub page: Option<u64>,
}

/// One entry as the chain holds it. Its role, action and record kind stay the codes that were
/// written (the chain's hashes cover them, and an older version's codes must still show):
/// the page says them in words where the catalogue has them ([`role_label_key`] and the
/// others below), else as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntrySummary {
    pub seq: i64,
    /// UTC, `YYYY-MM-DD HH:MM:SS`.
    pub at: String,
    /// The actor's name and e-mail, when a person acted.
    pub actor: Option<String>,
    pub role: String,
    pub action: String,
    pub target_kind: String,
    /// The public reference of an observation (or of a referral's observation), else the
    /// record's id; empty when `target_key` says it instead.
    pub target: String,
    /// The catalogue key said instead of `target`: a sensitive case the reader may not open
    /// is never named by its reference.
    #[serde(default)]
    pub target_key: Option<String>,
    /// The page of the record, when the reader may open it (an observation, or a referral's
    /// observation).
    pub link: Option<String>,
    pub detail: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntrySummary>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    /// Every action name seen in the log, for the filter.
    pub actions: Vec<String>,
}

/// Every action written to the audit log besides the case workflow's own (the observation and
/// referral actions and the notes, whose words are their `event-…` labels): each has an
/// `audit-action-…` label in both catalogues. A new action must join this list.
pub const ACTIONS: &[&str] = &[
    "account_disabled",
    "account_enabled",
    "account_invited",
    "audit_verified",
    "coordinating_liaison_named",
    "coordinating_liaison_unnamed",
    "download",
    "download_original",
    "draft_created",
    "export",
    "export_started",
    "invitation_of_existing_account",
    "login",
    "login_failed",
    "monitor_approved",
    "monitor_refused",
    "password_set",
    "quota_changed",
    "second_factor_enrolled",
    "second_factor_reset",
    "sensitive_cases_granted",
    "sensitive_cases_revoked",
    "shadow_invitation_disabled",
    "shadow_invitation_enabled",
    "tip_closed",
    "tip_converted",
    "tip_question",
    "tip_received",
    "tip_reply",
    "view",
];

/// The case workflow's events that are also audit actions, labelled `event-…`.
const EVENT_ACTIONS: [&str; 4] = ["comment", "action_taken", "document_added", "auto_escalate"];

/// The catalogue key naming the audit action `code`, if it has words.
pub fn action_label_key(code: &str) -> Option<String> {
    use crate::domain::lifecycle::{ObservationAction, ReferralAction};
    if ACTIONS.contains(&code) {
        Some(format!("audit-action-{code}"))
    } else if ObservationAction::parse(code).is_some()
        || ReferralAction::parse(code).is_some()
        || EVENT_ACTIONS.contains(&code)
    {
        Some(format!("event-{code}"))
    } else {
        None
    }
}

/// The catalogue key naming the role an entry was written under (`system` and `anonymous`
/// besides the accounts' roles).
pub fn role_label_key(role: &str) -> Option<String> {
    match role {
        "system" | "anonymous" => Some(format!("audit-role-{role}")),
        _ => crate::domain::Role::parse(role).map(|r| r.label_key().to_string()),
    }
}

/// The record kinds the log names, each with an `audit-kind-…` label.
pub const KINDS: &[&str] = &[
    "attachment",
    "audit",
    "categories",
    "cercles",
    "institutions",
    "months",
    "observation",
    "observations",
    "organisation",
    "referral",
    "regions",
    "shadow_invitation",
    "tip",
    "tip_file",
    "user",
];

pub fn kind_label_key(kind: &str) -> Option<String> {
    KINDS.contains(&kind).then(|| format!("audit-kind-{kind}"))
}

/// The sign-in methods written as the detail of `login` (and `login_failed`), each with an
/// `audit-method-…` label (`+` written `-` in the key).
pub const METHODS: &[&str] = &[
    "password",
    "password_link",
    "password+totp",
    "password+recovery_code",
    "second_factor",
];

/// The detail of an entry in words where it is a sign-in method, else as written.
pub fn method_label_key(action: &str, detail: &str) -> Option<String> {
    (matches!(action, "login" | "login_failed") && METHODS.contains(&detail))
        .then(|| format!("audit-method-{}", detail.replace('+', "-")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Locale;
    use crate::i18n::has_key;

    /// The action codes written by the code base: the string given as action to
    /// `NewEntry::by(…)`, `audit(…)`, `audit::record(…)`, `anonymous(…)`, an `action:` field, or
    /// chosen in a `let action = … { "…" } else { "…" }`.
    fn actions_written_in(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("source folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                actions_written_in(&path, found);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).expect("source");
            let text: String = source.split_whitespace().collect::<Vec<_>>().join(" ");
            let quoted = |rest: &str| -> Option<String> {
                let rest = rest.trim_start().strip_prefix('"')?;
                let end = rest.find('"')?;
                let code = &rest[..end];
                (!code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
                    .then(|| code.to_string())
            };
            // The action is the n-th argument of these calls.
            for (call, position) in [
                ("NewEntry::by(", 1),
                ("audit::record(", 2),
                ("audit(&txn,", 1),
                ("audit(db,", 1),
                ("audit(&state.db,", 1),
                ("record(&state.db, &user,", 0),
                ("record(&db, &user,", 0),
                ("anonymous(", 0),
            ] {
                for (at, _) in text.match_indices(call) {
                    let mut rest = &text[at + call.len()..];
                    for _ in 0..position {
                        match rest.find(',') {
                            Some(comma) => rest = &rest[comma + 1..],
                            None => break,
                        }
                    }
                    found.extend(quoted(rest));
                }
            }
            for (at, _) in text.match_indices("action: \"") {
                found.extend(quoted(&text[at + "action:".len()..]));
            }
            for (at, _) in text.match_indices("let action = if") {
                let rest = &text[at..];
                let end = rest.find(';').unwrap_or(rest.len());
                for piece in rest[..end].split('{').skip(1) {
                    found.extend(quoted(piece));
                }
            }
        }
    }

    #[test]
    fn every_audit_action_written_has_words_in_both_languages() {
        let mut written = Vec::new();
        actions_written_in(
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
            &mut written,
        );
        for known in [
            "login",
            "login_failed",
            "tip_received",
            "monitor_refused",
            "export",
        ] {
            assert!(
                written.iter().any(|w| w == known),
                "the scan misses {known}"
            );
        }
        let mut missing = Vec::new();
        for code in written
            .iter()
            .map(String::as_str)
            .chain(ACTIONS.iter().copied())
        {
            match action_label_key(code) {
                None => missing.push(format!("{code}: no label key")),
                Some(key) => {
                    for locale in Locale::ALL {
                        if !has_key(locale, &key) {
                            missing.push(format!("{}: {key}", locale.as_str()));
                        }
                    }
                }
            }
        }
        let keys = KINDS
            .iter()
            .map(|k| format!("audit-kind-{k}"))
            .chain(METHODS.iter().filter_map(|m| method_label_key("login", m)))
            .chain(
                ["system", "anonymous"]
                    .iter()
                    .filter_map(|r| role_label_key(r)),
            );
        for key in keys {
            for locale in Locale::ALL {
                if !has_key(locale, &key) {
                    missing.push(format!("{}: {key}", locale.as_str()));
                }
            }
        }
        assert!(missing.is_empty(), "audit words missing: {missing:?}");
    }
}
