//! The query parameters of a page's address (filters, outcomes, tokens), as typed structs: read
//! with leptos_router's `use_query` through the `Params` impl `url_query!` writes, and written into
//! links by `query_string`, both from one list of fields, so reading and writing cannot drift.

use leptos::prelude::*;
use leptos_router::hooks::use_query;
use leptos_router::params::Params;

use crate::model::audit::AuditFilter;
use crate::model::observation::ListFilter;
use crate::model::queue::QueueFilter;
use crate::model::statistics::DashboardFilter;

/// How the value of one field reads from and writes to the address.
pub trait QueryValue: Sized {
    /// `None` for a blank or malformed value: a filter left empty in a GET form is no filter.
    fn parse(text: &str) -> Option<Self>;
    fn render(&self) -> String;
}

impl QueryValue for String {
    fn parse(text: &str) -> Option<Self> {
        (!text.trim().is_empty()).then(|| text.to_string())
    }

    fn render(&self) -> String {
        self.clone()
    }
}

impl QueryValue for u64 {
    fn parse(text: &str) -> Option<Self> {
        text.parse().ok()
    }

    fn render(&self) -> String {
        self.to_string()
    }
}

/// Yes/no filters travel as `1` and `0`, the values of their select's options.
impl QueryValue for bool {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        }
    }

    fn render(&self) -> String {
        if *self { "1" } else { "0" }.to_string()
    }
}

/// A flag that counts by being there, whatever its value (`?sent=1`, the address a form sends
/// back to).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flag;

impl QueryValue for Flag {
    fn parse(_: &str) -> Option<Self> {
        Some(Flag)
    }

    fn render(&self) -> String {
        "1".to_string()
    }
}

/// A set of filters that travels in the address; implemented by `url_query!`.
pub trait UrlQuery: Params + Default + Clone + PartialEq + Send + Sync + 'static {
    /// The fields as address pairs, in the order links write them; unset ones `None`.
    fn pairs(&self) -> Vec<(&'static str, Option<String>)>;
}

/// Implements `Params` (for `use_query`) and `UrlQuery` (for links) on a struct whose fields
/// are all `Option<impl QueryValue>`, each named in the address as in the struct. Fields are
/// listed in the order links write them; a field left out of the list does not compile.
macro_rules! url_query {
    ($type:ty { $($field:ident),* $(,)? }) => {
        impl leptos_router::params::Params for $type {
            fn from_map(
                map: &leptos_router::params::ParamsMap,
            ) -> Result<Self, leptos_router::params::ParamsError> {
                use $crate::components::url_query::QueryValue;
                Ok(Self {
                    $($field: map.get_str(stringify!($field)).and_then(QueryValue::parse),)*
                })
            }
        }

        impl $crate::components::url_query::UrlQuery for $type {
            fn pairs(&self) -> Vec<(&'static str, Option<String>)> {
                use $crate::components::url_query::QueryValue;
                vec![$((stringify!($field), self.$field.as_ref().map(QueryValue::render)),)*]
            }
        }
    };
}
pub(crate) use url_query;

url_query!(ListFilter {
    status,
    category,
    institution,
    region,
    from,
    to,
    overdue,
    q,
    sort,
    after,
    before
});
url_query!(DashboardFilter {
    from,
    to,
    institution,
    region,
    category,
    womens,
    sensitive
});
url_query!(QueueFilter {
    institution,
    region,
    category
});
url_query!(AuditFilter {
    page,
    action,
    role,
    from,
    until
});

/// The filters in the current address, following it as it changes.
pub fn use_url_query<T: UrlQuery>() -> Memo<T> {
    let query = use_query::<T>();
    // `url_query!` never refuses an address: a malformed value is only left out.
    Memo::new(move |_| query.get().unwrap_or_default())
}

/// The query string of `query` (without `?`): its set fields, in order, percent-encoded.
pub fn query_string<T: UrlQuery>(query: &T) -> String {
    query
        .pairs()
        .into_iter()
        .filter_map(|(name, value)| {
            value
                .filter(|v| !v.is_empty())
                .map(|v| format!("{name}={}", crate::model::query_value(&v)))
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use leptos_router::params::ParamsMap;

    use super::*;

    fn read<T: UrlQuery>(pairs: &[(&'static str, &str)]) -> T {
        let map: ParamsMap = pairs.iter().map(|(k, v)| (*k, v.to_string())).collect();
        T::from_map(&map).unwrap_or_default()
    }

    #[test]
    fn list_filters_round_trip_through_the_url() {
        let filter = ListFilter {
            q: Some("détention & garde".into()),
            status: Some("submitted".into()),
            after: Some("1733580000000000000.7f1c".into()),
            ..Default::default()
        };
        let text = query_string(&filter);
        assert_eq!(
            text,
            "status=submitted&q=d%C3%A9tention%20%26%20garde&after=1733580000000000000.7f1c"
        );
        let map: ParamsMap = [
            ("status", "submitted".to_string()),
            ("q", "détention & garde".to_string()),
            ("after", "1733580000000000000.7f1c".to_string()),
        ]
        .into_iter()
        .collect();
        assert_eq!(ListFilter::from_map(&map).ok(), Some(filter));
    }

    #[test]
    fn blank_and_malformed_values_are_no_filter() {
        // What a plain GET form sends when nothing was chosen.
        let filter: ListFilter = read(&[("status", ""), ("q", "  "), ("after", "")]);
        assert_eq!(filter, ListFilter::default());
        let filter: DashboardFilter = read(&[("womens", "1"), ("sensitive", "yes")]);
        assert_eq!(filter.womens, Some(true));
        assert_eq!(filter.sensitive, None);
    }

    #[test]
    fn each_filter_keeps_the_order_of_its_links() {
        let dashboard = DashboardFilter {
            from: Some("2026-01".into()),
            womens: Some(false),
            sensitive: Some(true),
            ..Default::default()
        };
        assert_eq!(
            query_string(&dashboard),
            "from=2026-01&womens=0&sensitive=1"
        );
        let audit = AuditFilter {
            action: Some("observation_submitted".into()),
            page: Some(3),
            ..Default::default()
        };
        assert_eq!(query_string(&audit), "page=3&action=observation_submitted");
    }
}
