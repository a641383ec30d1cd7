//! Reference data the portal is built on: regions and cercles, institutions, categories and
//! holidays, loaded once from the CSV files in `app/reference/` (`load`), then maintained by
//! admins, one file per kind. Organisations are not reference data: `server::organisations`.

mod categories;
mod holidays;
mod institutions;
pub mod load;
mod places;

pub use categories::{categories, categories_by_name, create_category, update_category};
pub use holidays::{add_holiday, delete_holiday, holidays};
pub use institutions::{
    DEFAULT_ACK_DAYS, DEFAULT_RESPOND_DAYS, create_institution, institution_name, institutions,
    receiving_institutions, update_institution,
};
pub use load::load_if_empty;
pub use places::{add_cercle, collation_key, delete_cercle, regions};

use uuid::Uuid;

use crate::domain::Locale;
use crate::error::AppError;

fn pick(locale: Locale, fr: String, en: String) -> String {
    match locale {
        Locale::Fr => fr,
        Locale::En => en,
    }
}

/// A French name (required) and an English one, which falls back to the French when empty.
fn bilingual(name_fr: &str, name_en: &str) -> Result<(String, String), AppError> {
    let fr = name_fr.trim();
    if fr.is_empty() {
        return Err(AppError::field("name_fr", "error-required"));
    }
    let en = name_en.trim();
    Ok((
        fr.to_string(),
        if en.is_empty() { fr } else { en }.to_string(),
    ))
}

pub(crate) fn parse_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id).map_err(|_| AppError::NotFound)
}
