//! The store's error: what SQLite or the file said, in one line, and whether it says the
//! file is damaged. Below every other file of `store/`.

use rusqlite::ErrorCode;

/// The error says the file is damaged.
pub(super) fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    ) || e.to_string().contains("malformed")
}

#[derive(Debug)]
pub struct StoreError {
    said: String,
    /// SQLite found the file damaged ("database disk image is malformed").
    pub(super) corrupt: bool,
}

impl StoreError {
    pub(crate) fn new(said: impl Into<String>) -> Self {
        StoreError {
            said: said.into(),
            corrupt: false,
        }
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.said)
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError {
            corrupt: is_damage(&e),
            said: e.to_string(),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::new(e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        StoreError::new(format!("compressing a document: {e}"))
    }
}
