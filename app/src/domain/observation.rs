//! What an observation is made of, as the filer writes it: the names of its closed sets
//! (protection level, resolution, visibility), the public reference, and the rules a draft
//! must meet to be submitted. Storage and scoping are not here.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::FieldError;

named_enum!(
    /// Who at the institution may learn who filed (DESIGN §3).
    ProtectionLevel {
        AnonymousToInstitution => "anonymous_to_institution",
        OrganisationVisible => "organisation_visible",
        NamedContact => "named_contact",
    }
);

impl Default for ProtectionLevel {
    /// The institution never learns which organisation filed.
    fn default() -> Self {
        ProtectionLevel::AnonymousToInstitution
    }
}

named_enum!(Resolution {
    Resolved => "resolved",
    PartiallyResolved => "partially_resolved",
    Unresolved => "unresolved",
    ReferredElsewhere => "referred_elsewhere",
    Withdrawn => "withdrawn",
});

named_enum!(
    /// Who may see a timeline event.
    Visibility {
        Everyone => "everyone",
        CsoNhrc => "cso_nhrc",
        Nhrc => "nhrc",
    }
);

impl Visibility {
    /// The catalogue key naming who sees an event.
    pub fn label_key(self) -> String {
        format!("visibility-{}", self.as_str())
    }
}

named_enum!(
    /// How precisely the filer knows the incident date.
    DatePrecision {
        Day => "day",
        Month => "month",
    }
);

pub const TITLE_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 20_000;
pub const PLACE_MAX: usize = 300;
pub const NOTE_MAX: usize = 10_000;
pub const AFFECTED_MAX: i32 = 100_000;

/// The public reference of the `number`-th observation submitted in `year`.
pub fn reference(year: i32, number: i32) -> String {
    format!("OBS-{year}-{number:06}")
}

/// The filing form as posted (every value as text, so that a draft keeps what was typed).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ObservationInput {
    pub title: String,
    pub description: String,
    pub category_id: String,
    pub institution_ids: Vec<String>,
    pub region_code: String,
    pub cercle_id: String,
    pub place: String,
    pub precision: String,
    /// `YYYY-MM-DD` when the day is known.
    pub incident_date: String,
    /// `YYYY-MM` when only the month is known.
    pub incident_month: String,
    pub affected_women: String,
    pub affected_men: String,
    pub affected_girls: String,
    pub affected_boys: String,
    pub protection: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_consent: bool,
}

impl ObservationInput {
    /// The single-text field the filing form sends as `name` (`institution_ids`, which
    /// repeats, and the `contact_consent` box are not text).
    pub fn text_field(&mut self, name: &str) -> Option<&mut String> {
        Some(match name {
            "title" => &mut self.title,
            "description" => &mut self.description,
            "category_id" => &mut self.category_id,
            "region_code" => &mut self.region_code,
            "cercle_id" => &mut self.cercle_id,
            "place" => &mut self.place,
            "precision" => &mut self.precision,
            "incident_date" => &mut self.incident_date,
            "incident_month" => &mut self.incident_month,
            "affected_women" => &mut self.affected_women,
            "affected_men" => &mut self.affected_men,
            "affected_girls" => &mut self.affected_girls,
            "affected_boys" => &mut self.affected_boys,
            "protection" => &mut self.protection,
            "contact_name" => &mut self.contact_name,
            "contact_phone" => &mut self.contact_phone,
            _ => return None,
        })
    }
}

/// The incident date as stored: the first of the month when only the month is known.
pub fn incident_date(input: &ObservationInput) -> Result<Option<(NaiveDate, DatePrecision)>, ()> {
    match DatePrecision::parse(&input.precision).unwrap_or(DatePrecision::Day) {
        DatePrecision::Day if input.incident_date.trim().is_empty() => Ok(None),
        DatePrecision::Day => NaiveDate::parse_from_str(input.incident_date.trim(), "%Y-%m-%d")
            .map(|d| Some((d, DatePrecision::Day)))
            .map_err(|_| ()),
        DatePrecision::Month if input.incident_month.trim().is_empty() => Ok(None),
        DatePrecision::Month => {
            NaiveDate::parse_from_str(&format!("{}-01", input.incident_month.trim()), "%Y-%m-%d")
                .map(|d| Some((d, DatePrecision::Month)))
                .map_err(|_| ())
        }
    }
}

/// A count of people affected: empty is zero.
pub fn affected(value: &str) -> Result<i32, ()> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(0);
    }
    match value.parse::<i32>() {
        Ok(n) if (0..=AFFECTED_MAX).contains(&n) => Ok(n),
        _ => Err(()),
    }
}

fn error(errors: &mut Vec<FieldError>, field: &str, key: &str) {
    errors.push(FieldError {
        field: field.into(),
        key: key.into(),
    });
}

/// Checks that hold even for a draft: nothing too long, numbers and dates well formed, the
/// date not in the future.
pub fn check_draft(input: &ObservationInput, today: NaiveDate) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if input.title.chars().count() > TITLE_MAX {
        error(&mut errors, "title", "error-too-long");
    }
    if input.description.chars().count() > DESCRIPTION_MAX {
        error(&mut errors, "description", "error-too-long");
    }
    if input.place.chars().count() > PLACE_MAX {
        error(&mut errors, "place", "error-too-long");
    }
    for (field, value) in [
        ("affected_women", &input.affected_women),
        ("affected_men", &input.affected_men),
        ("affected_girls", &input.affected_girls),
        ("affected_boys", &input.affected_boys),
    ] {
        if affected(value).is_err() {
            error(&mut errors, field, "error-count");
        }
    }
    let date_field = match DatePrecision::parse(&input.precision) {
        Some(DatePrecision::Month) => "incident_month",
        _ => "incident_date",
    };
    match incident_date(input) {
        Err(()) => error(&mut errors, date_field, "error-date"),
        Ok(Some((date, precision))) => {
            let future = match precision {
                DatePrecision::Day => date > today,
                DatePrecision::Month => (date.year(), date.month()) > (today.year(), today.month()),
            };
            if future {
                error(&mut errors, date_field, "error-date-future");
            } else if date.year() < 1960 {
                error(&mut errors, date_field, "error-date");
            }
        }
        Ok(None) => {}
    }
    if input.contact_name.chars().count() > 200 || input.contact_phone.chars().count() > 50 {
        error(&mut errors, "contact_name", "error-too-long");
    }
    errors
}

/// Everything a submitted observation needs, on top of [`check_draft`].
pub fn check_submission(input: &ObservationInput, today: NaiveDate) -> Vec<FieldError> {
    let mut errors = check_draft(input, today);
    let has = |field: &str| errors.iter().any(|e: &FieldError| e.field == field);
    let mut missing = Vec::new();
    if input.title.trim().chars().count() < 5 && !has("title") {
        missing.push(("title", "error-title-short"));
    }
    if input.description.trim().chars().count() < 20 && !has("description") {
        missing.push(("description", "error-description-short"));
    }
    if input.category_id.trim().is_empty() {
        missing.push(("category_id", "error-required"));
    }
    if input.institution_ids.is_empty() {
        missing.push(("institution_ids", "error-institutions-required"));
    }
    if input.region_code.trim().is_empty() {
        missing.push(("region_code", "error-required"));
    }
    if matches!(incident_date(input), Ok(None)) {
        let field = match DatePrecision::parse(&input.precision) {
            Some(DatePrecision::Month) => "incident_month",
            _ => "incident_date",
        };
        missing.push((field, "error-required"));
    }
    match ProtectionLevel::parse(&input.protection) {
        None => missing.push(("protection", "error-required")),
        Some(ProtectionLevel::NamedContact) => {
            if input.contact_name.trim().is_empty() && !has("contact_name") {
                missing.push(("contact_name", "error-required"));
            }
            if !input.contact_consent {
                missing.push(("contact_consent", "error-consent-required"));
            }
        }
        Some(_) => {}
    }
    for (field, key) in missing {
        error(&mut errors, field, key);
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).expect("date")
    }

    fn complete() -> ObservationInput {
        ObservationInput {
            title: "Contrôle routier à Kati".into(),
            description: "Des agents ont exigé de l'argent à chaque passage du marché.".into(),
            category_id: "c".into(),
            institution_ids: vec!["i".into()],
            region_code: "ML-2".into(),
            precision: "day".into(),
            incident_date: "2026-11-02".into(),
            protection: "anonymous_to_institution".into(),
            ..Default::default()
        }
    }

    fn fields(errors: Vec<FieldError>) -> Vec<(String, String)> {
        errors.into_iter().map(|e| (e.field, e.key)).collect()
    }

    #[test]
    fn references_have_six_digits() {
        assert_eq!(reference(2026, 123), "OBS-2026-000123");
        assert_eq!(reference(2027, 1_234_567), "OBS-2027-1234567");
    }

    #[test]
    fn a_complete_observation_passes() {
        assert!(check_submission(&complete(), today()).is_empty());
    }

    #[test]
    fn an_empty_draft_is_a_valid_draft_but_not_a_submission() {
        let empty = ObservationInput::default();
        assert!(check_draft(&empty, today()).is_empty());
        let errors = fields(check_submission(&empty, today()));
        for field in [
            "title",
            "description",
            "category_id",
            "institution_ids",
            "region_code",
            "incident_date",
            "protection",
        ] {
            assert!(
                errors.iter().any(|(f, _)| f == field),
                "{field} in {errors:?}"
            );
        }
    }

    #[test]
    fn dates_exact_or_approximate() {
        let mut input = complete();
        input.incident_date = "2026-12-01".into();
        assert_eq!(
            fields(check_submission(&input, today())),
            [("incident_date".into(), "error-date-future".into())]
        );
        input.incident_date = "02/11/2026".into();
        assert_eq!(
            fields(check_draft(&input, today())),
            [("incident_date".into(), "error-date".into())]
        );
        input.precision = "month".into();
        input.incident_month = "2026-11".into();
        assert!(check_submission(&input, today()).is_empty());
        assert_eq!(
            incident_date(&input),
            Ok(Some((
                NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
                DatePrecision::Month
            )))
        );
        input.incident_month = "2027-01".into();
        assert_eq!(
            fields(check_submission(&input, today())),
            [("incident_month".into(), "error-date-future".into())]
        );
    }

    #[test]
    fn counts_are_small_whole_numbers() {
        assert_eq!(affected(""), Ok(0));
        assert_eq!(affected(" 12 "), Ok(12));
        assert_eq!(affected("-1"), Err(()));
        assert_eq!(affected("1.5"), Err(()));
        assert_eq!(affected("100001"), Err(()));
        let mut input = complete();
        input.affected_girls = "deux".into();
        assert_eq!(
            fields(check_draft(&input, today())),
            [("affected_girls".into(), "error-count".into())]
        );
    }

    #[test]
    fn a_named_contact_needs_a_name_and_consent() {
        let mut input = complete();
        input.protection = "named_contact".into();
        assert_eq!(
            fields(check_submission(&input, today())),
            [
                ("contact_name".into(), "error-required".into()),
                ("contact_consent".into(), "error-consent-required".into())
            ]
        );
        input.contact_name = "Awa".into();
        input.contact_consent = true;
        assert!(check_submission(&input, today()).is_empty());
    }

    #[test]
    fn the_default_hides_the_organisation() {
        assert_eq!(
            ProtectionLevel::default(),
            ProtectionLevel::AnonymousToInstitution
        );
    }
}
