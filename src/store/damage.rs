//! A file damaged behind a valid header (pages overwritten, a disk that lied): found when
//! a write fails with "malformed", confirmed by SQLite's own check, moved aside as a bad
//! header is at open, and a new file begun — the store holds only what can be fetched
//! again, and without this every later write (even `store clear`) would fail forever.

use std::path::Path;

use std::path::PathBuf;

use rusqlite::Connection;

use super::error::StoreError;

/// After a write failed with `failed`: when SQLite's check of the file (`integrity_check`)
/// fails too, closes it, moves it aside and puts a new file's connection in `conn`;
/// the line to say. A file that passes its check is left alone: the write's error stands.
pub(super) fn recover(
    conn: &mut Connection,
    real: &Path,
    failed: &StoreError,
    reopen: fn(&Path) -> Result<Connection, String>,
) -> Result<String, StoreError> {
    let sound = conn
        .query_row("PRAGMA integrity_check(1)", [], |r| r.get::<_, String>(0))
        .is_ok_and(|v| v == "ok");
    if sound {
        return Err(StoreError::new(failed.to_string()));
    }
    // Closed before it moves: its -wal and -shm go with the old file.
    let old = std::mem::replace(conn, Connection::open_in_memory()?);
    let _ = old.close();
    let aside = move_aside(real)
        .map_err(|e| StoreError::new(format!("cannot move the damaged store aside: {e}")))?;
    *conn = reopen(real).map_err(StoreError::new)?;
    tracing::warn!("store: damaged ({failed}); moved to {}", aside.display());
    Ok(format!(
        "The store was damaged ({failed}); moved it to {} and started a new one.",
        aside.display()
    ))
}

/// Moves a bad file (and its -wal and -shm) aside as `<file>.corrupt-<time>`.
pub(super) fn move_aside(path: &Path) -> std::io::Result<PathBuf> {
    let stamp = jiff::Timestamp::now().as_second();
    let mut aside = path.as_os_str().to_owned();
    aside.push(format!(".corrupt-{stamp}"));
    let aside = PathBuf::from(aside);
    std::fs::rename(path, &aside)?;
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(side));
    }
    Ok(aside)
}
