//! One request as the sandbox's rules see it: method, path, query, auth, idempotency
//! header and body, with the time it arrived. Below both `http` (which builds it) and
//! `rules` (which read it).

use axum::body::Bytes;
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
