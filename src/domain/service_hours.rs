//! Service days and hours, and the marketplace minimum of 8 hours a day, 5 days a week.

use time::Weekday;

use crate::i18n::Msg;

/// The days of the week: the code forms send and rows store, and the key of its full name.
pub const DAYS: [(&str, &str); 7] = [
    ("Mon", "seller-day-mon"),
    ("Tue", "seller-day-tue"),
    ("Wed", "seller-day-wed"),
    ("Thu", "seller-day-thu"),
    ("Fri", "seller-day-fri"),
    ("Sat", "seller-day-sat"),
    ("Sun", "seller-day-sun"),
];

/// The key of each day's short name, as lists show it ("Mon", "周一").
const SHORT: [(&str, &str); 7] = [
    ("Mon", "seller-day-short-mon"),
    ("Tue", "seller-day-short-tue"),
    ("Wed", "seller-day-short-wed"),
    ("Thu", "seller-day-short-thu"),
    ("Fri", "seller-day-short-fri"),
    ("Sat", "seller-day-short-sat"),
    ("Sun", "seller-day-short-sun"),
];

/// A day's short name in the reader's language; a code that is no day shows as it is.
pub fn day_short(code: &str) -> Msg {
    SHORT
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, key)| Msg::new(key))
        .unwrap_or_else(|| Msg::raw(code))
}

/// Days as a list in the reader's language: "Mon, Tue, Sat", "周一、周二、周六".
pub fn days_label<'a>(codes: impl IntoIterator<Item = &'a str>) -> String {
    let days: Vec<Msg> = codes
        .into_iter()
        .filter(|c| !c.is_empty())
        .map(day_short)
        .collect();
    crate::i18n::list(crate::i18n::lang(), &days)
}

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
    fn day_lists_read_in_each_language() {
        use crate::i18n::{list, Lang};
        let days: Vec<Msg> = ["Mon", "Tue", "Sat"].into_iter().map(day_short).collect();
        assert_eq!(list(Lang::En, &days), "Mon, Tue, Sat");
        assert_eq!(list(Lang::ZhCn, &days), "周一、周二、周六");
        assert_eq!(days_label("Mon,Xyz".split(',')), "Mon, Xyz");
    }

    #[test]
    fn days_come_back_in_week_order_without_strangers() {
        let h = hours(&["Sun", "Mon", "Xyz", "Mon"], 0, 60);
        assert_eq!(h.days, vec!["Mon", "Sun"]);
        assert!(h.covers(Weekday::Sunday));
        assert!(!h.covers(Weekday::Tuesday));
    }
}
