//! Time zones: times are stored in UTC and shown in the viewer's zone, named, from the IANA
//! database jiff carries in the binary (no system tzdata, no hand-written offsets).

use jiff::tz::TimeZone;
use jiff::Timestamp;

/// A viewer's zone: its IANA name and the rules to show a UTC time in it.
#[derive(Debug, Clone)]
pub struct Zone {
    name: String,
    tz: TimeZone,
}

impl Default for Zone {
    fn default() -> Zone {
        Zone::utc()
    }
}

/// The longest IANA name is 32 characters; anything longer is not one.
const MAX_NAME: usize = 64;

impl Zone {
    /// Where reviews are counted unless `REVIEW_TIME_ZONE` says otherwise.
    pub fn review_default() -> Zone {
        Zone::named("Asia/Shanghai").unwrap_or_else(Zone::utc)
    }

    pub fn utc() -> Zone {
        Zone {
            name: "UTC".to_string(),
            tz: TimeZone::UTC,
        }
    }

    /// A zone by its IANA name (`Asia/Shanghai`); `None` for anything the database lacks, so a
    /// cookie or a form cannot make up a zone.
    pub fn named(name: &str) -> Option<Zone> {
        let name = name.trim();
        if name.is_empty() || name.len() > MAX_NAME {
            return None;
        }
        let tz = TimeZone::get(name).ok()?;
        Some(Zone {
            name: tz.iana_name().unwrap_or(name).to_string(),
            tz,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    fn zoned(&self, utc: &time::PrimitiveDateTime) -> Option<jiff::Zoned> {
        let ts = Timestamp::from_second(utc.assume_utc().unix_timestamp()).ok()?;
        Some(ts.to_zoned(self.tz.clone()))
    }

    /// A stored UTC time as the viewer reads it, with the zone named: "2026-12-04 17:00 CST".
    pub fn time(&self, utc: &time::PrimitiveDateTime) -> String {
        self.zoned(utc)
            .map(|z| z.strftime("%Y-%m-%d %H:%M %Z").to_string())
            .unwrap_or_default()
    }

    /// The UTC instant a calendar day starts in this zone (a month filter's bounds are the
    /// viewer's months, not UTC's).
    pub fn start_of(&self, date: time::Date) -> Option<time::PrimitiveDateTime> {
        let civil = jiff::civil::date(
            i16::try_from(date.year()).ok()?,
            i8::try_from(date.month() as u8).ok()?,
            i8::try_from(date.day()).ok()?,
        );
        let ts = civil.to_zoned(self.tz.clone()).ok()?.timestamp();
        let utc = time::OffsetDateTime::from_unix_timestamp(ts.as_second()).ok()?;
        Some(time::PrimitiveDateTime::new(utc.date(), utc.time()))
    }

    /// The viewer's calendar date of a stored UTC time (due dates are counted in a zone's days).
    pub fn date_of(&self, utc: &time::PrimitiveDateTime) -> Option<time::Date> {
        let z = self.zoned(utc)?;
        let month = time::Month::try_from(u8::try_from(z.month()).ok()?).ok()?;
        time::Date::from_calendar_date(i32::from(z.year()), month, u8::try_from(z.day()).ok()?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_utc_time_shows_in_the_viewer_zone_with_the_zone_named() {
        let stored = datetime!(2026-12-04 09:00);
        let shanghai = Zone::named("Asia/Shanghai").unwrap();
        let new_york = Zone::named("America/New_York").unwrap();
        assert_eq!(shanghai.time(&stored), "2026-12-04 17:00 CST");
        assert_eq!(new_york.time(&stored), "2026-12-04 04:00 EST");
        assert_eq!(Zone::utc().time(&stored), "2026-12-04 09:00 UTC");
    }

    #[test]
    fn a_day_starts_at_the_zones_midnight() {
        let shanghai = Zone::named("Asia/Shanghai").unwrap();
        assert_eq!(
            shanghai.start_of(time::macros::date!(2026 - 12 - 01)),
            Some(datetime!(2026-11-30 16:00))
        );
        assert_eq!(
            Zone::utc().start_of(time::macros::date!(2026 - 12 - 01)),
            Some(datetime!(2026-12-01 0:00))
        );
    }

    #[test]
    fn summer_time_is_the_database_rule_not_a_fixed_offset() {
        let july = datetime!(2026-07-04 09:00);
        let new_york = Zone::named("America/New_York").unwrap();
        assert_eq!(new_york.time(&july), "2026-07-04 05:00 EDT");
    }

    #[test]
    fn the_calendar_date_is_the_zone_date() {
        let late = datetime!(2026-12-04 20:00);
        let shanghai = Zone::named("Asia/Shanghai").unwrap();
        assert_eq!(
            shanghai.date_of(&late),
            Some(time::macros::date!(2026 - 12 - 05))
        );
        assert_eq!(
            Zone::utc().date_of(&late),
            Some(time::macros::date!(2026 - 12 - 04))
        );
    }

    #[test]
    fn a_name_not_in_the_database_is_no_zone() {
        assert!(Zone::named("Mars/Olympus").is_none());
        assert!(Zone::named("").is_none());
        assert!(Zone::named(&"A/".repeat(500)).is_none());
        assert!(Zone::named("../../etc/passwd").is_none());
    }
}
