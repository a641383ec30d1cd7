//! Kinds of institution, as in the reference data (`app/reference/institutions.csv`).

pub const KINDS: [&str; 13] = [
    "police",
    "gendarmerie",
    "national_guard",
    "armed_forces",
    "civil_protection",
    "penal_service",
    "military_justice",
    "inspectorate",
    "ministry",
    "nhrc",
    "ombudsman",
    "ssr_body",
    "legislature",
];

/// The message-catalogue key of a kind's name.
pub fn kind_label_key(kind: &str) -> String {
    format!("kind-{kind}")
}

pub fn is_kind(kind: &str) -> bool {
    KINDS.contains(&kind)
}
