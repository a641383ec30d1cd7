//! The working languages and how the page language is chosen:
//! the user's preference, then the language cookie, then `Accept-Language`, then French.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Fr,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Fr, Locale::En];
    pub const COOKIE: &'static str = "veille_lang";

    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Fr => "fr",
            Locale::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Locale> {
        let primary = s.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Locale::Fr),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// Picks the first supported language of an `Accept-Language` header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut candidates: Vec<(f32, usize, Locale)> = header
            .split(',')
            .enumerate()
            .filter_map(|(i, part)| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?;
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                let locale = Locale::parse(tag)?;
                (quality > 0.0).then_some((quality, i, locale))
            })
            .collect();
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        candidates.first().map(|c| c.2)
    }

    pub fn negotiate(
        user_preference: Option<Locale>,
        cookie: Option<&str>,
        accept_language: Option<&str>,
    ) -> Locale {
        user_preference
            .or_else(|| cookie.and_then(Locale::parse))
            .or_else(|| accept_language.and_then(Locale::from_accept_language))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preference_beats_cookie_beats_header_beats_french() {
        assert_eq!(
            Locale::negotiate(Some(Locale::En), Some("fr"), Some("fr")),
            Locale::En
        );
        assert_eq!(Locale::negotiate(None, Some("en"), Some("fr")), Locale::En);
        assert_eq!(
            Locale::negotiate(None, Some("xx"), Some("en-GB")),
            Locale::En
        );
        assert_eq!(
            Locale::negotiate(None, None, Some("de, en;q=0.5")),
            Locale::En
        );
        assert_eq!(
            Locale::negotiate(None, None, Some("en;q=0.4, fr;q=0.9")),
            Locale::Fr
        );
        assert_eq!(Locale::negotiate(None, None, Some("bm, de")), Locale::Fr);
        assert_eq!(Locale::negotiate(None, None, None), Locale::Fr);
    }
}
