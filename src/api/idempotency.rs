//! The idempotency key of one user action: made once, sent with every retry of it, so the
//! server applies the action at most once.

use serde::Serialize;

/// One user action's idempotency key: created once, reused for every retry of it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub struct IdempotencyKey(pub String);

impl IdempotencyKey {
    /// `gigdash_<action>_<uuid>`: 8–128 chars of `[A-Za-z0-9._:-]` as the CLI validates.
    pub fn generate(action: &str) -> Self {
        let clean: String = action
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(24)
            .collect();
        IdempotencyKey(format!("gigdash_{clean}_{}", uuid::Uuid::new_v4().simple()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
