//! Where a user's files live (XDG on Linux and macOS): config, state (last team), log,
//! audit log. Files are written atomically (temp file, then rename).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use etcetera::BaseStrategy;

pub fn state_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("XDG_STATE_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(d).join("gigdash");
    }
    etcetera::choose_base_strategy()
        .ok()
        .and_then(|s| s.state_dir())
        .unwrap_or_else(|| PathBuf::from(".local/state"))
        .join("gigdash")
}

pub fn config_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("XDG_CONFIG_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(d).join("gigdash");
    }
    etcetera::choose_base_strategy()
        .map(|s| s.config_dir())
        .unwrap_or_else(|_| PathBuf::from(".config"))
        .join("gigdash")
}

/// Writes `bytes` to `path` so that readers see the old or the new file, never half.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        std::process::id()
    ));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    // A failed write (full disk, a folder in the way) leaves no temporary file behind.
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// The last team per backend (base URL and key team), so demo and live never mix.
pub fn remembered_team(scope: &str) -> Option<String> {
    let text = std::fs::read_to_string(state_dir().join("last_team.json")).ok()?;
    let map: BTreeMap<String, String> = serde_json::from_str(&text).ok()?;
    map.get(scope).cloned()
}

pub fn remember_team(scope: &str, team: &str) -> std::io::Result<()> {
    let path = state_dir().join("last_team.json");
    let mut map: BTreeMap<String, String> = std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    map.insert(scope.to_string(), team.to_string());
    let bytes = serde_json::to_vec_pretty(&map).map_err(std::io::Error::other)?;
    write_atomic(&path, &bytes)
}

/// `$XDG_CACHE_HOME/gigdash`: the store's folder (data that can be fetched again).
pub fn cache_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(d).join("gigdash");
    }
    etcetera::choose_base_strategy()
        .map(|s| s.cache_dir())
        .unwrap_or_else(|_| PathBuf::from(".cache"))
        .join("gigdash")
}
