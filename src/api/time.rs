//! Time on the wire: one tolerant decoder for every timestamp shape the API uses (seconds,
//! milliseconds, ISO-8601, Firestore `{_seconds}`). The moment itself and how it reads in
//! Mexico City live in `crate::clock`, which `i18n` shares.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

pub use crate::clock::{Instant, mexico_city};

impl Serialize for Instant {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Whole seconds as seconds; a moment with milliseconds keeps them (a value above
        // 1e12 reads back as milliseconds), so a stored date is the date received.
        if self.0.subsec_nanosecond() == 0 {
            s.serialize_i64(self.0.as_second())
        } else {
            s.serialize_i64(self.0.as_millisecond())
        }
    }
}

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match d.deserialize_any(InstantVisitor)? {
            Some(i) => Ok(i),
            None => Err(de::Error::custom("expected a timestamp, found null")),
        }
    }
}

struct InstantVisitor;

fn from_value(v: &serde_json::Value) -> Option<Instant> {
    match v {
        serde_json::Value::Number(n) => Instant::parse(&n.to_string()),
        serde_json::Value::String(s) => Instant::parse(s),
        serde_json::Value::Object(o) => o
            .get("_seconds")
            .or_else(|| o.get("seconds"))
            .and_then(from_value),
        _ => None,
    }
}

impl<'de> Visitor<'de> for InstantVisitor {
    type Value = Option<Instant>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("epoch seconds, epoch milliseconds or an ISO-8601 string")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Instant::from_epoch_any(v)
            .map(Some)
            .ok_or_else(|| E::custom(format!("timestamp out of range: {v}")))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.visit_i64(i64::try_from(v).map_err(|_| E::custom("timestamp out of range"))?)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.visit_i64(v as i64)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        Instant::parse(v)
            .map(Some)
            .ok_or_else(|| E::custom(format!("not a timestamp: {v:?}")))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(InstantVisitor)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // Either a Firestore-style `{_seconds, _nanoseconds}` object, or serde_json's
        // arbitrary-precision number, which arrives as a one-entry map holding its text.
        let mut found = None;
        while let Some(k) = map.next_key::<String>()? {
            match k.as_str() {
                "_seconds" | "seconds" => {
                    let v: serde_json::Value = map.next_value()?;
                    found = from_value(&v);
                }
                "_nanoseconds" | "nanoseconds" => {
                    map.next_value::<de::IgnoredAny>()?;
                }
                _ => {
                    let text: String = map.next_value()?;
                    found = Instant::parse(&text);
                }
            }
        }
        found
            .map(Some)
            .ok_or_else(|| de::Error::custom("not a timestamp object"))
    }
}

/// Serde helper for optional timestamps: `null`, `""` and absent all mean `None`.
pub mod opt {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Instant>, D::Error> {
        d.deserialize_any(InstantVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_millis_iso_and_objects_agree() {
        let s: Instant = serde_json::from_str("1677651234").unwrap();
        let ms: Instant = serde_json::from_str("1677651234000").unwrap();
        let iso: Instant = serde_json::from_str("\"2023-03-01T06:13:54Z\"").unwrap();
        let fire: Instant =
            serde_json::from_str(r#"{"_seconds":1677651234,"_nanoseconds":0}"#).unwrap();
        let text: Instant = serde_json::from_str("\"1677651234\"").unwrap();
        assert_eq!(s, ms);
        assert_eq!(s, iso);
        assert_eq!(s, fire);
        assert_eq!(s, text);
    }

    #[test]
    fn rejects_garbage() {
        assert!(serde_json::from_str::<Instant>("\"yesterday\"").is_err());
        assert!(serde_json::from_str::<Instant>("[]").is_err());
    }
}
