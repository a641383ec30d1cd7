//! How the dashboard writes its figures: decimals in the reader's language, shares as
//! percentages, medians in days, and "—" where there is nothing to measure.

use crate::domain::Locale;
use crate::i18n::I18n;
use crate::model::statistics::Median;

fn decimal(locale: Locale, value: f64) -> String {
    let text = if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    };
    match locale {
        Locale::Fr => text.replace('.', ","),
        Locale::En => text,
    }
}

pub fn share(i18n: I18n, value: Option<f64>) -> String {
    match value {
        None => "—".to_string(),
        Some(v) => match i18n.0 {
            Locale::Fr => format!("{}\u{a0}%", decimal(i18n.0, (v * 100.0).round())),
            Locale::En => format!("{}%", decimal(i18n.0, (v * 100.0).round())),
        },
    }
}

pub fn median(i18n: I18n, value: Option<Median>) -> String {
    match value {
        None => "—".to_string(),
        Some(Median::Days(d)) => decimal(i18n.0, d),
        Some(Median::MoreThan(n)) => i18n.t_with("stats-more-than", &[("days", n.to_string())]),
    }
}
