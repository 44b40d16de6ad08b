//! One request as the sandbox's rules see it: method, path, query, auth, idempotency
//! header and body, with the time it arrived. Below both `http` (which builds it) and
//! `rules` (which read it).

use std::str::FromStr;

use axum::body::Bytes;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::error::SbError;

pub struct Req {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub auth: Option<String>,
    pub idem_header: Option<String>,
    pub body: Bytes,
    pub origin: String,
    pub now: i64,
}

impl Req {
    pub(super) fn param(&self, k: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.as_str())
    }

    /// The JSON body; empty means `{}`.
    pub fn json(&self) -> Result<Value, SbError> {
        if self.body.iter().all(|b| b.is_ascii_whitespace()) {
            return Ok(json!({}));
        }
        let v: Value = serde_json::from_slice(&self.body)
            .map_err(|e| SbError::validation(format!("The request body is not valid JSON: {e}")))?;
        if !v.is_object() {
            return Err(SbError::validation(
                "The request body must be a JSON object",
            ));
        }
        Ok(v)
    }
}

/// A string field of a body, or 400 when it is something else.
pub(super) fn text_field<'a>(body: &'a Value, field: &str) -> Result<Option<&'a str>, SbError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(other) => Err(SbError::validation(format!(
            "`{field}` must be a string code such as \"03\", got {other}"
        ))),
    }
}

pub(super) fn decimal_field(body: &Value, field: &str) -> Result<Option<Decimal>, SbError> {
    let bad = |v: &Value| SbError::validation(format!("`{field}` must be a number, got {v}"));
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(v @ Value::Number(n)) => {
            let t = n.to_string();
            Decimal::from_str(&t)
                .or_else(|_| Decimal::from_scientific(&t))
                .map(Some)
                .map_err(|_| bad(v))
        }
        Some(v @ Value::String(s)) => Decimal::from_str(s.trim()).map(Some).map_err(|_| bad(v)),
        Some(v) => Err(bad(v)),
    }
}

/// SAT c_FormaPago codes that record money received (never 99).
const PAYMENT_FORMS: &[&str] = &[
    "01", "02", "03", "04", "05", "06", "08", "12", "13", "14", "15", "17", "23", "24", "25", "26",
    "27", "28", "29", "30", "31",
];

/// The `payment_form` of a body: required, a SAT code, never 99.
pub(super) fn payment_form(body: &Value) -> Result<String, SbError> {
    let form = text_field(body, "payment_form")?.ok_or_else(|| {
        SbError::validation("`payment_form` is required (a SAT c_FormaPago code such as \"03\")")
    })?;
    if form == "99" {
        return Err(SbError::validation(
            "`payment_form` 99 (por definir) cannot record a payment; use the real form",
        ));
    }
    if !PAYMENT_FORMS.contains(&form) {
        return Err(SbError::validation(format!(
            "`payment_form` {form:?} is not a SAT payment form"
        )));
    }
    Ok(form.to_string())
}
