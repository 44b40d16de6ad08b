//! The audit log of writes: a JSON line when a write is sent and one with its outcome, in
//! `$XDG_STATE_HOME/gigdash/audit.jsonl`, created 0600. It holds the key's id, never the key.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct AuditEntry<'a> {
    pub time: String,
    pub key_id: Option<&'a str>,
    pub livemode: Option<bool>,
    pub team_id: &'a str,
    pub team_name: &'a str,
    pub action: &'a str,
    pub object_id: &'a str,
    pub client: &'a str,
    pub amount: Option<String>,
    pub currency: &'a str,
    pub motive: Option<&'a str>,
    pub substitution_uuid: Option<&'a str>,
    pub payment_form: Option<&'a str>,
    pub idempotency_key: &'a str,
    /// `sent` (written before the request leaves), `answered` (the API's answer, or a
    /// refusal before sending), or `unknown` (no answer: the server may have applied it).
    pub phase: &'a str,
    /// `ok`, the error kind, `sent`, or `outcome_unknown`.
    pub result: &'a str,
    pub error: Option<String>,
    /// The state the API reported afterwards (`succeeded`, `canceled`, `pending` …).
    pub outcome: Option<String>,
}

#[derive(Clone, Debug)]
pub struct AuditLog {
    path: PathBuf,
}

impl AuditLog {
    pub fn new(path: PathBuf) -> Self {
        AuditLog { path }
    }

    pub fn default_path() -> PathBuf {
        crate::paths::state_dir().join("audit.jsonl")
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line. The file is created readable by its owner only.
    pub fn append(&self, entry: &AuditEntry) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut opts = std::fs::OpenOptions::new();
        opts.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&self.path)?;
        // `mode` applies only when the file is created: a log that already existed with a
        // wider mode is narrowed, since it names clients, amounts and teams.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if f.metadata()?.permissions().mode() & 0o077 != 0 {
                f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
            }
        }
        let mut line = serde_json::to_vec(entry).map_err(std::io::Error::other)?;
        line.push(b'\n');
        f.write_all(&line)
    }
}
