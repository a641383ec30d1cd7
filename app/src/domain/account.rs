//! Account input rules: e-mail addresses, display names, passwords.

/// Passwords: 12 to 128 characters (not bytes), any characters at all.
pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 128;

/// Returns the message-catalogue key of the problem, if any.
pub fn validate_password(password: &str) -> Result<(), &'static str> {
    let length = password.chars().count();
    if length < PASSWORD_MIN {
        Err("error-password-too-short")
    } else if length > PASSWORD_MAX {
        Err("error-password-too-long")
    } else {
        Ok(())
    }
}

pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A deliberately simple check: one `@`, something before it, a dotted domain after it, no
/// whitespace or control characters (which could also reach a mail header).
pub fn validate_email(email: &str) -> Result<(), &'static str> {
    let email = email.trim();
    let valid = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            }
            None => false,
        };
    if valid {
        Ok(())
    } else {
        Err("error-email-invalid")
    }
}

pub fn validate_display_name(name: &str) -> Result<(), &'static str> {
    let name = name.trim();
    if name.is_empty() {
        Err("error-required")
    } else if name.chars().count() > 120 || name.chars().any(char::is_control) {
        Err("error-name-invalid")
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_length_is_counted_in_characters() {
        assert_eq!(
            validate_password("a".repeat(11).as_str()),
            Err("error-password-too-short")
        );
        assert_eq!(validate_password("a".repeat(12).as_str()), Ok(()));
        assert_eq!(validate_password("é".repeat(12).as_str()), Ok(()));
        assert_eq!(validate_password("ߊ".repeat(128).as_str()), Ok(()));
        assert_eq!(
            validate_password("a".repeat(129).as_str()),
            Err("error-password-too-long")
        );
        assert_eq!(validate_password("  \t\u{1F600}  spaces ok "), Ok(()));
    }

    #[test]
    fn email_rules() {
        assert!(validate_email("awa@femmes.test").is_ok());
        assert!(validate_email("awa@femmes").is_err());
        assert!(validate_email("awa femmes@x.test").is_err());
        assert!(validate_email("a@x.test\r\nBcc: b@y.test").is_err());
        assert_eq!(normalise_email("  Awa@Femmes.TEST "), "awa@femmes.test");
    }
}
