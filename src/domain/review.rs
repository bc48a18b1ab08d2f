//! What a reviewer's decision must meet: a rejection gives a reason, of bounded length. (The
//! fields each kind of application lets a reviewer name live with the kind, in `applications`.)

use crate::i18n::Msg;

/// The longest reason a reviewer may give.
pub const MAX_REASON: usize = 2000;

/// A rejection needs a reason; an approval's comment is optional. Returns the trimmed text or
/// the message to show next to the field.
pub fn check_reason(approve: bool, reason: &str) -> Result<Option<String>, Msg> {
    let reason = reason.trim();
    if reason.chars().count() > MAX_REASON {
        return Err(Msg::new("ops-error-reason-too-long").arg("max", MAX_REASON));
    }
    if reason.is_empty() {
        return if approve {
            Ok(None)
        } else {
            Err(Msg::new("ops-error-reason-required"))
        };
    }
    Ok(Some(reason.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejection_needs_a_reason_an_approval_does_not() {
        assert!(check_reason(false, "  ").is_err());
        assert_eq!(check_reason(true, " "), Ok(None));
        assert_eq!(
            check_reason(false, " Logo is blurry "),
            Ok(Some("Logo is blurry".to_string()))
        );
        let too_long = check_reason(false, &"x".repeat(2001)).unwrap_err();
        assert_eq!(
            too_long.render(crate::i18n::Lang::En),
            "At most 2000 characters."
        );
        assert_eq!(
            check_reason(false, "")
                .unwrap_err()
                .render(crate::i18n::Lang::En),
            "Give the reason for the rejection: the seller sees it."
        );
    }
}
