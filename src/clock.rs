//! The clock every layer shares: the Mexico City time zone, `Instant` (one moment, however
//! the API wrote it) and how a moment reads on screen. Below both `api` and `i18n`; uses
//! neither.

use std::fmt;
use std::sync::OnceLock;

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// Values above this are milliseconds: 1e12 seconds is the year 33658.
const MS_THRESHOLD: i64 = 1_000_000_000_000;

/// The time zone every date is shown in.
pub fn mexico_city() -> &'static TimeZone {
    static TZ: OnceLock<TimeZone> = OnceLock::new();
    TZ.get_or_init(|| TimeZone::get("America/Mexico_City").unwrap_or(TimeZone::UTC))
}

/// An instant decoded from any of the API's representations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(pub Timestamp);

impl Instant {
    pub fn from_epoch_any(v: i64) -> Option<Self> {
        let ts = if v.abs() >= MS_THRESHOLD {
            Timestamp::from_millisecond(v).ok()?
        } else {
            Timestamp::from_second(v).ok()?
        };
        Some(Instant(ts))
    }

    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        if let Ok(n) = t.parse::<i64>() {
            return Self::from_epoch_any(n);
        }
        if let Ok(f) = t.parse::<f64>() {
            return Self::from_epoch_any(f as i64);
        }
        if let Ok(ts) = t.parse::<Timestamp>() {
            return Some(Instant(ts));
        }
        // A civil datetime without offset is taken as Mexico City time.
        t.parse::<jiff::civil::DateTime>()
            .ok()
            .and_then(|dt| dt.to_zoned(mexico_city().clone()).ok())
            .map(|z| Instant(z.timestamp()))
    }

    pub fn as_second(self) -> i64 {
        self.0.as_second()
    }

    /// `2026-11-28 14:05` in Mexico City.
    pub fn local_datetime(self) -> String {
        self.0
            .to_zoned(mexico_city().clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string()
    }

    /// `2026-11-28` in Mexico City.
    pub fn local_date(self) -> String {
        self.0
            .to_zoned(mexico_city().clone())
            .strftime("%Y-%m-%d")
            .to_string()
    }

    pub fn civil_date(self) -> jiff::civil::Date {
        self.0.to_zoned(mexico_city().clone()).date()
    }
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.local_datetime())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_mexico_city_time() {
        // 2023-03-01T06:13:54Z is 00:13 in Mexico City (UTC-6, no DST since 2022).
        let s = Instant::from_epoch_any(1677651234).unwrap();
        assert_eq!(s.local_datetime(), "2023-03-01 00:13");
    }
}
