//! Review due dates: working days are Monday to Friday, less the configured holidays.

use time::{Date, Duration, PrimitiveDateTime, Weekday};

use crate::i18n::zone::Zone;

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

/// The review calendar's day of a UTC instant: 2026-12-04 20:00 UTC is already Saturday the
/// 5th in Shanghai.
pub fn review_day(now: PrimitiveDateTime, zone: &Zone) -> Date {
    zone.date_of(&now).unwrap_or(now.date())
}

/// The due date of something submitted at `now` (UTC), counted in the review time zone's
/// working days.
pub fn due_from(now: PrimitiveDateTime, zone: &Zone, holidays: &[Date]) -> Date {
    review_due_date(review_day(now, zone), holidays)
}

/// `releases_that_day` counts the seller's release requests that calendar day, this one included.
pub fn release_review_may_take_longer(releases_that_day: i64) -> bool {
    releases_that_day >= BUSY_DAY_RELEASES
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn a_friday_evening_in_utc_is_a_saturday_in_the_review_zone() {
        let shanghai = Zone::named("Asia/Shanghai").unwrap();
        // Friday 2026-12-04 20:00 UTC is Saturday 04:00 in Shanghai: counted from Saturday,
        // over the weekend and a holiday on Monday the 7th, it is due on Thursday the 10th.
        let holidays = [date!(2026 - 12 - 07)];
        assert_eq!(
            due_from(datetime!(2026-12-04 20:00), &shanghai, &holidays),
            date!(2026 - 12 - 10)
        );
        // Without the holiday: Wednesday the 9th, from Saturday in Shanghai as from Friday in UTC.
        assert_eq!(
            due_from(datetime!(2026-12-04 20:00), &Zone::utc(), &[]),
            date!(2026 - 12 - 09)
        );
        assert_eq!(
            due_from(datetime!(2026-12-04 20:00), &shanghai, &[]),
            date!(2026 - 12 - 09)
        );
        // Friday 07:00 in Shanghai is Thursday 23:00 in UTC: Shanghai counts from Friday (due
        // Wednesday), UTC would count from Thursday (due Tuesday).
        assert_eq!(
            due_from(datetime!(2026-12-03 23:00), &shanghai, &[]),
            date!(2026 - 12 - 09)
        );
        assert_eq!(
            due_from(datetime!(2026-12-03 23:00), &Zone::utc(), &[]),
            date!(2026 - 12 - 08)
        );
    }

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
