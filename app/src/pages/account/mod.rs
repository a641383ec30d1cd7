//! One's own account: signing in, passwords, the second factor, mail preferences and
//! unsubscribing.

pub mod login;
pub mod login_code;
pub mod password_forgot;
pub mod password_set;
pub mod preferences;
pub mod security;
pub mod unsubscribe;
