//! What a reviewer's decision must meet: a rejection gives a reason, of bounded length. (The
//! fields each kind of application lets a reviewer name live with the kind, in `applications`.)

/// The longest reason a reviewer may give.
pub const MAX_REASON: usize = 2000;

/// A rejection needs a reason; an approval's comment is optional. Returns the trimmed text or
/// the message to show next to the field.
pub fn check_reason(approve: bool, reason: &str) -> Result<Option<String>, &'static str> {
    let reason = reason.trim();
    if reason.chars().count() > MAX_REASON {
        return Err("At most 2000 characters.");
    }
    if reason.is_empty() {
        return if approve {
            Ok(None)
        } else {
            Err("Give the reason for the rejection: the seller sees it.")
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
        assert!(check_reason(false, &"x".repeat(2001)).is_err());
    }
}
