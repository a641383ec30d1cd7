//! Pure types and rules, usable on both sides and testable without a database.

/// A closed set of names stored as text: `ALL`, `as_str`, `parse`, serde in snake_case.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }
        }
    };
}

pub mod account;
pub mod calendar;
pub mod evidence;
pub mod institution;
pub mod lifecycle;
pub mod locale;
pub mod notification;
pub mod observation;
pub mod role;
pub mod statistics;
pub mod tip;

pub use account::{normalise_email, validate_display_name, validate_email, validate_password};
pub use locale::Locale;
pub use role::Role;
