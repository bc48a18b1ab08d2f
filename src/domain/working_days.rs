//! Review due dates: working days are Monday to Friday, less the configured holidays.

use time::{Date, Duration, Weekday};

/// A decision is due within this many working days of submission.
pub const REVIEW_WORKING_DAYS: u32 = 3;
/// From this many release requests on one calendar day, reviews may take longer.
pub const BUSY_DAY_RELEASES: i64 = 10;

pub fn is_working_day(day: Date, holidays: &[Date]) -> bool {
    !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) && !holidays.contains(&day)
}

/// The date `n` working days after `start` (the submission day itself does not count).
pub fn add_working_days(start: Date, n: u32, holidays: &[Date]) -> Date {
    let mut day = start;
    let mut left = n;
    while left > 0 {
        day = day.saturating_add(Duration::days(1));
        if is_working_day(day, holidays) {
            left -= 1;
        }
    }
    day
}

pub fn review_due_date(submitted_on: Date, holidays: &[Date]) -> Date {
    add_working_days(submitted_on, REVIEW_WORKING_DAYS, holidays)
}

/// `releases_that_day` counts the seller's release requests that calendar day, this one included.
pub fn release_review_may_take_longer(releases_that_day: i64) -> bool {
    releases_that_day >= BUSY_DAY_RELEASES
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn midweek_submission_is_due_three_days_later() {
        // 2026-11-23 is a Monday.
        assert_eq!(
            review_due_date(date!(2026 - 11 - 23), &[]),
            date!(2026 - 11 - 26)
        );
    }

    #[test]
    fn weekends_are_skipped() {
        // Friday -> Wednesday; Saturday and Sunday -> Wednesday.
        assert_eq!(
            review_due_date(date!(2026 - 11 - 27), &[]),
            date!(2026 - 12 - 02)
        );
        assert_eq!(
            review_due_date(date!(2026 - 11 - 28), &[]),
            date!(2026 - 12 - 02)
        );
        assert_eq!(
            review_due_date(date!(2026 - 11 - 29), &[]),
            date!(2026 - 12 - 02)
        );
    }

    #[test]
    fn configured_holidays_are_skipped() {
        let holidays = [date!(2026 - 12 - 24), date!(2026 - 12 - 25)];
        // Wednesday 23 Dec: Thu and Fri are holidays, then Mon, Tue, Wed.
        assert_eq!(
            review_due_date(date!(2026 - 12 - 23), &holidays),
            date!(2026 - 12 - 30)
        );
    }

    #[test]
    fn ten_releases_in_a_day_may_take_longer() {
        assert!(!release_review_may_take_longer(9));
        assert!(release_review_may_take_longer(10));
    }
}
