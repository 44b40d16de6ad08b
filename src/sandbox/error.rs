//! The sandbox's error: a status, a code and a message, answered in the API's envelope.
//! Below every other sandbox module.

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
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(400, "validation_failed", message)
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
