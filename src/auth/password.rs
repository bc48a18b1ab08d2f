//! Passwords: argon2id with the crate's recommended parameters, salted per user.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use once_cell::sync::Lazy;

use crate::i18n::Msg;

pub const MIN_LENGTH: usize = 8;
pub const MAX_LENGTH: usize = 128;

pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
}

pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Verifying against this when the account does not exist keeps sign-in time the same either
/// way, so response time does not reveal which emails have accounts.
static DUMMY_HASH: Lazy<String> = Lazy::new(|| hash("not-a-real-password").unwrap_or_default());

pub fn verify_nothing(password: &str) {
    let _ = verify(password, &DUMMY_HASH);
}

/// Why a new password is refused, if it is.
pub fn check_new(password: &str) -> Option<Msg> {
    let n = password.chars().count();
    if n < MIN_LENGTH {
        Some(Msg::new("auth-password-too-short").arg("min", MIN_LENGTH))
    } else if n > MAX_LENGTH {
        Some(Msg::new("auth-password-too-long").arg("max", MAX_LENGTH))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_only_its_password() {
        let h = hash("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse", &h));
        assert!(!verify("wrong horse", &h));
        assert!(!verify("correct horse", "garbage"));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(check_new("1234567").is_some());
        assert!(check_new("12345678").is_none());
        let refused = check_new("1234567").unwrap();
        assert_eq!(
            refused.render(crate::i18n::Lang::En),
            "Use at least 8 characters."
        );
        let long = "x".repeat(MAX_LENGTH + 1);
        assert_eq!(
            check_new(&long).unwrap().render(crate::i18n::Lang::En),
            "Use at most 128 characters."
        );
    }
}
