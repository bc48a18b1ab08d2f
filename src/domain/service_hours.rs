//! Service days and hours, and the marketplace minimum of 8 hours a day, 5 days a week.

use time::Weekday;

pub const DAYS: [(&str, &str); 7] = [
    ("Mon", "Monday"),
    ("Tue", "Tuesday"),
    ("Wed", "Wednesday"),
    ("Thu", "Thursday"),
    ("Fri", "Friday"),
    ("Sat", "Saturday"),
    ("Sun", "Sunday"),
];

pub const MIN_HOURS_PER_DAY: u16 = 8;
pub const MIN_DAYS_PER_WEEK: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceHours {
    /// Short day names in week order, e.g. `["Mon", "Tue"]`.
    pub days: Vec<&'static str>,
    /// Minutes since midnight; `end` may be 1440 (24:00).
    pub start: u16,
    pub end: u16,
}

impl ServiceHours {
    /// Keeps known day names in week order, drops unknown ones and duplicates.
    pub fn normalise_days(input: &[String]) -> Vec<&'static str> {
        DAYS.iter()
            .map(|(short, _)| *short)
            .filter(|short| input.iter().any(|d| d == short))
            .collect()
    }

    pub fn minutes_per_day(&self) -> u16 {
        self.end.saturating_sub(self.start)
    }

    pub fn meets_marketplace_minimum(&self) -> bool {
        self.days.len() >= MIN_DAYS_PER_WEEK && self.minutes_per_day() >= MIN_HOURS_PER_DAY * 60
    }

    pub fn days_text(&self) -> String {
        self.days.join(",")
    }

    pub fn covers(&self, day: Weekday) -> bool {
        let short = &day.to_string()[..3];
        self.days.contains(&short)
    }
}

pub fn format_clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(days: &[&str], start: u16, end: u16) -> ServiceHours {
        let input: Vec<String> = days.iter().map(|d| d.to_string()).collect();
        ServiceHours {
            days: ServiceHours::normalise_days(&input),
            start,
            end,
        }
    }

    #[test]
    fn eight_hours_on_five_days_is_enough() {
        assert!(hours(&["Mon", "Tue", "Wed", "Thu", "Fri"], 9 * 60, 17 * 60)
            .meets_marketplace_minimum());
    }

    #[test]
    fn seven_hours_or_four_days_is_not() {
        assert!(
            !hours(&["Mon", "Tue", "Wed", "Thu", "Fri"], 9 * 60, 16 * 60)
                .meets_marketplace_minimum()
        );
        assert!(!hours(&["Mon", "Tue", "Wed", "Thu"], 0, 1440).meets_marketplace_minimum());
    }

    #[test]
    fn days_come_back_in_week_order_without_strangers() {
        let h = hours(&["Sun", "Mon", "Xyz", "Mon"], 0, 60);
        assert_eq!(h.days, vec!["Mon", "Sun"]);
        assert!(h.covers(Weekday::Sunday));
        assert!(!h.covers(Weekday::Tuesday));
    }
}
