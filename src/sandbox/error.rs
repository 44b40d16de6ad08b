//! The sandbox's error: a status, a code and a message, answered in the API's envelope,
//! with the request field it is about in `error.details` when there is one. Below every
//! other sandbox module.

use serde_json::json;

/// An error answered in the API's envelope.
#[derive(Clone, Debug, PartialEq)]
pub struct SbError {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub details: Vec<String>,
}

impl SbError {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        SbError {
            status,
            code: code.into(),
            message: message.into(),
            details: vec![],
        }
    }
    /// A refused body (400). A message that opens with the field it is about (`` `payment_form`
    /// is required``, `items[0].unit_price is required`) names it in `error.details` too,
    /// in the shape the official CLI parses (gigstack-api.md §1.5), so a client can put
    /// the error on that field of its form.
    pub fn validation(message: impl Into<String>) -> Self {
        let e = Self::new(400, "validation_failed", message);
        if opens_with_field(&e.message) {
            let detail = e.message.clone();
            return SbError {
                details: vec![detail],
                ..e
            };
        }
        e
    }
    /// This error is about `field`: `error.details` says so as `"<field>: <message>"`.
    pub fn about(mut self, field: &str) -> Self {
        self.details = vec![format!("{field}: {}", self.message)];
        self
    }
    pub fn not_found(what: &str) -> Self {
        Self::new(404, "not_found", format!("{what} not found"))
    }
    pub fn conflict(code: &str, message: impl Into<String>) -> Self {
        Self::new(409, code, message)
    }
    pub fn body(&self) -> serde_json::Value {
        let mut error = json!({"code": self.code, "message": self.message});
        if !self.details.is_empty() {
            error["details"] = json!(self.details);
        }
        json!({"success": false, "message": self.message, "error": error})
    }
}

/// Whether a message opens with a field: quoted (`` `tax_id` …``), or a path with an index
/// or a dot followed by a space or a colon (`items[0].rate is required`, `items[2]: …`).
fn opens_with_field(message: &str) -> bool {
    if let Some(rest) = message.strip_prefix('`') {
        return rest.find('`').is_some_and(|end| end > 0);
    }
    let end = message
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']')))
        .unwrap_or(0);
    let (path, rest) = message.split_at(end);
    path.starts_with(|c: char| c.is_ascii_alphabetic())
        && (path.contains('[') || path.contains('.'))
        && (rest.starts_with(' ') || rest.starts_with(':'))
}
