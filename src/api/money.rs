//! Exact money: a decimal amount decoded from JSON numbers or strings without ever
//! passing through `f64`, and formatted like `$12,345.60 MXN`.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A decimal amount in major currency units (pesos, not centavos).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(pub Decimal);

impl Amount {
    pub const ZERO: Amount = Amount(Decimal::ZERO);

    pub fn new(d: Decimal) -> Self {
        Amount(d)
    }

    pub fn decimal(self) -> Decimal {
        self.0
    }

    /// Parses the exact text of a JSON number or a numeric string (`"1160.50"`, `1.2e3`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        Decimal::from_str(t)
            .or_else(|_| Decimal::from_scientific(t))
            .map(Amount)
            .map_err(|_| format!("not a decimal amount: {t:?}"))
    }

    /// `12,345.60` — two decimals (more only if the value carries them), thousands separators.
    pub fn grouped(self) -> String {
        let mut d = self.0;
        if d.scale() < 2 {
            d.rescale(2);
        }
        let d = d.normalize_to_min_scale(2);
        let s = d.abs().to_string();
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        let mut out = String::with_capacity(s.len() + s.len() / 3 + 2);
        if d.is_sign_negative() && !d.is_zero() {
            out.push('-');
        }
        let bytes = int.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            if i > 0 && (bytes.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(*b as char);
        }
        if !frac.is_empty() {
            out.push('.');
            out.push_str(frac);
        }
        out
    }

    /// `$12,345.60 MXN`; a negative amount reads `-$12.00 MXN`.
    pub fn display(self, currency: &str) -> String {
        let g = self.grouped();
        match g.strip_prefix('-') {
            Some(pos) => format!("-${pos} {currency}"),
            None => format!("${g} {currency}"),
        }
    }
}

trait MinScale {
    fn normalize_to_min_scale(self, min: u32) -> Self;
}

impl MinScale for Decimal {
    /// Drops trailing zeros beyond `min` decimals (`1160.500` → `1160.50`).
    fn normalize_to_min_scale(self, min: u32) -> Self {
        let mut n = self.normalize();
        if n.scale() < min {
            n.rescale(min);
        }
        n
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl From<Decimal> for Amount {
    fn from(d: Decimal) -> Self {
        Amount(d)
    }
}

// Money from the network can be anything up to Decimal's limit; arithmetic on it never
// panics. It saturates instead, so an absurd amount shows as an absurd figure (about 7.9e28)
// rather than taking the program down.

/// `a + b`, saturating at Decimal's limits.
pub fn add(a: Decimal, b: Decimal) -> Decimal {
    a.checked_add(b).unwrap_or(if b.is_sign_negative() {
        Decimal::MIN
    } else {
        Decimal::MAX
    })
}

/// `a - b`, saturating at Decimal's limits.
pub fn sub(a: Decimal, b: Decimal) -> Decimal {
    a.checked_sub(b).unwrap_or(if b.is_sign_negative() {
        Decimal::MAX
    } else {
        Decimal::MIN
    })
}

/// `a × b`, saturating at Decimal's limits.
pub fn mul(a: Decimal, b: Decimal) -> Decimal {
    a.checked_mul(b)
        .unwrap_or(if a.is_sign_negative() != b.is_sign_negative() {
            Decimal::MIN
        } else {
            Decimal::MAX
        })
}

/// The sum of amounts, saturating.
pub fn sum(items: impl IntoIterator<Item = Decimal>) -> Decimal {
    items.into_iter().fold(Decimal::ZERO, add)
}

impl std::ops::Add for Amount {
    type Output = Amount;
    fn add(self, o: Amount) -> Amount {
        Amount(add(self.0, o.0))
    }
}

impl std::ops::Sub for Amount {
    type Output = Amount;
    fn sub(self, o: Amount) -> Amount {
        Amount(sub(self.0, o.0))
    }
}

impl std::iter::Sum for Amount {
    fn sum<I: Iterator<Item = Amount>>(iter: I) -> Amount {
        iter.fold(Amount::ZERO, |a, b| a + b)
    }
}

impl Serialize for Amount {
    /// Written as a JSON number carrying the exact decimal text.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match serde_json::Number::from_str(&self.0.to_string()) {
            Ok(n) => n.serialize(s),
            Err(_) => s.serialize_str(&self.0.to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumberText).and_then(|t| match t {
            Some(t) => Amount::parse(&t).map_err(de::Error::custom),
            None => Err(de::Error::custom("expected an amount, found null")),
        })
    }
}

/// Decodes a JSON number or numeric string into its exact text. With serde_json's
/// `arbitrary_precision` a number arrives as a one-entry map holding its source text;
/// integers from other formats arrive as integers. Floats from a non-JSON source are the
/// only case that sees an `f64`, and JSON never produces them here.
pub(crate) struct NumberText;

impl<'de> Visitor<'de> for NumberText {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or a numeric string")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(NumberText)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let n = serde_json::Number::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(Some(n.as_str().to_string()))
    }
}

/// Serde helper for `Option<Amount>` that also treats `null` and `""` as absent.
pub mod opt {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Amount>, D::Error> {
        match d.deserialize_any(NumberText)? {
            None => Ok(None),
            Some(t) if t.trim().is_empty() => Ok(None),
            Some(t) => Amount::parse(&t).map(Some).map_err(de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amt(s: &str) -> Amount {
        Amount::parse(s).unwrap()
    }

    #[test]
    fn formats_with_thousands_and_currency() {
        assert_eq!(amt("12345.6").display("MXN"), "$12,345.60 MXN");
        assert_eq!(amt("0").display("MXN"), "$0.00 MXN");
        assert_eq!(amt("1000000").display("USD"), "$1,000,000.00 USD");
        assert_eq!(amt("-12").display("MXN"), "-$12.00 MXN");
        assert_eq!(amt("999.999").grouped(), "999.999");
        assert_eq!(amt("1160.500").grouped(), "1,160.50");
    }

    #[test]
    fn decodes_json_numbers_exactly() {
        let a: Amount = serde_json::from_str("0.1").unwrap();
        let b: Amount = serde_json::from_str("0.2").unwrap();
        assert_eq!((a + b).to_string(), "0.3");
        let big: Amount = serde_json::from_str("12345678901234567.89").unwrap();
        assert_eq!(big.to_string(), "12345678901234567.89");
        let s: Amount = serde_json::from_str("\"1160.50\"").unwrap();
        assert_eq!(s, amt("1160.50"));
        let e: Amount = serde_json::from_str("1.16e3").unwrap();
        assert_eq!(e, amt("1160"));
    }

    #[test]
    fn arithmetic_near_the_limit_saturates_instead_of_panicking() {
        let max = Amount(Decimal::MAX);
        assert_eq!((max + amt("1")).0, Decimal::MAX);
        assert_eq!((Amount(Decimal::MIN) - amt("1")).0, Decimal::MIN);
        assert_eq!(mul(Decimal::MAX, Decimal::new(1825, 2)), Decimal::MAX);
        assert_eq!(mul(Decimal::MAX, Decimal::new(-2, 0)), Decimal::MIN);
        assert_eq!(sum([Decimal::MAX, Decimal::MAX]), Decimal::MAX);
    }

    #[test]
    fn rejects_non_numbers() {
        assert!(serde_json::from_str::<Amount>("\"abc\"").is_err());
        assert!(serde_json::from_str::<Amount>("true").is_err());
        assert!(serde_json::from_str::<Amount>("null").is_err());
    }
}
