//! Server functions, grouped per resource, and the list of public ones; nothing else (their
//! types are in `model`). Each is a public HTTP endpoint under `/api/<name>`: it authorises the
//! caller on its first line, parses, calls one service, maps the error.

pub mod accounts;
pub mod audit;
pub mod notifications;
pub mod observations;
pub mod queue;
pub mod reference;
pub mod second_factor;
pub mod sensitive;
pub mod session;
pub mod statistics;
pub mod tips;

/// The server functions that answer callers who are not (or not yet fully) signed in. Every
/// other one is refused before it runs to any session without a signed-in user, whatever its
/// own first line says (see the server's `sign_in_required` layer): a session that passed only
/// the password reaches no data.
pub const PUBLIC_ENDPOINTS: &[&str] = &[
    "current_user",
    "login",
    "logout",
    "set_locale",
    "set_password",
    "request_password_reset",
    "second_factor_setup",
    "confirm_second_factor",
    "verify_second_factor",
    "get_transparency",
    "tip_choices",
    "take_tip_receipt",
    "take_tip_draft",
    "open_tip",
    "tip_thread",
    "reply_tip",
    "leave_tip",
];
