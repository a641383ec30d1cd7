//! Kinds of institution, as in the reference data (`app/reference/institutions.csv`).

named_enum!(
    /// What an institution is. `ALL` is in the order the filing form offers institutions:
    /// the security services first, police and gendarmerie on top.
    InstitutionKind {
        Police => "police",
        Gendarmerie => "gendarmerie",
        NationalGuard => "national_guard",
        ArmedForces => "armed_forces",
        CivilProtection => "civil_protection",
        PenalService => "penal_service",
        MilitaryJustice => "military_justice",
        Inspectorate => "inspectorate",
        Ministry => "ministry",
        Nhrc => "nhrc",
        Ombudsman => "ombudsman",
        SsrBody => "ssr_body",
        Legislature => "legislature",
    }
);

impl InstitutionKind {
    /// The message-catalogue key of the kind's name.
    pub fn label_key(self) -> String {
        format!("kind-{}", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stored texts are also the serde names: the reference CSV is read with serde.
    #[test]
    fn serde_names_are_the_stored_texts() {
        for kind in InstitutionKind::ALL {
            let json = serde_json::to_string(kind).expect("serialise");
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
    }
}
