//! Opening the store safely: a 0700 folder and a 0600 file, neither of them a symlink (a
//! symlinked ancestor is fine: `/home -> /var/home`), WAL with a busy timeout (two gigdash
//! on one store both work), a file of another schema rebuilt and a corrupt one moved
//! aside — each said in one line, never a crash.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::damage::move_aside;
use super::{Store, schema};

/// A store and what happened while opening it (a rebuild, a file moved aside).
pub struct Opened {
    pub store: Store,
    pub notice: Option<String>,
}

#[derive(Debug)]
pub enum OpenError {
    /// The store's path is a symlink: refused, it could point anywhere.
    Symlink(PathBuf),
    /// The folder or file cannot be made or opened (read-only disk, permissions…).
    Io(PathBuf, String),
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::Symlink(p) => write!(
                f,
                "{} is a symlink; the store is never opened through one",
                p.display()
            ),
            OpenError::Io(p, e) => write!(f, "cannot open the store {}: {e}", p.display()),
        }
    }
}

/// The file for one backend and key identity (a key id or a fingerprint, never the key):
/// separate files, so two backends or keys never mix.
pub fn file_name(base_url: &str, key_identity: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in base_url
        .trim_end_matches('/')
        .bytes()
        .chain([0u8])
        .chain(key_identity.bytes())
    {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("store-{h:016x}.sqlite3")
}

fn io(path: &Path, e: impl std::fmt::Display) -> OpenError {
    OpenError::Io(path.to_path_buf(), e.to_string())
}

#[cfg(unix)]
fn narrow(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let m = std::fs::metadata(path)?;
    if m.permissions().mode() & 0o777 != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn narrow(_: &Path, _: u32) -> std::io::Result<()> {
    Ok(())
}

fn is_symlink(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink())
}

/// Opens (or makes) `dir/name`.
pub fn open_in(dir: &Path, name: &str) -> Result<Opened, OpenError> {
    if is_symlink(dir) {
        return Err(OpenError::Symlink(dir.to_path_buf()));
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| io(dir, e))?;
    // Again: a symlink put there meanwhile would have been taken as the folder.
    if is_symlink(dir) {
        return Err(OpenError::Symlink(dir.to_path_buf()));
    }
    narrow(dir, 0o700).map_err(|e| io(dir, e))?;
    // SQLite's no-follow refuses a symlink anywhere on the path, so a cache reached
    // through a symlinked ancestor (`/home -> /var/home`, a cache moved to another disk)
    // would never open: the folder is resolved first, and no-follow then guards only the
    // file itself. The user's path stays the one shown.
    let real = std::fs::canonicalize(dir)
        .map_err(|e| io(dir, e))?
        .join(name);
    let path = dir.join(name);
    let mut notice = None;
    for attempt in 0..2 {
        match open_file(&real) {
            Ok((conn, rebuilt)) => {
                // Unreadable (damaged pages, found at the first write): none, and the
                // bodies that need one are read again from gigstack.
                let dicts = super::packing::Dicts::load(&conn).unwrap_or_default();
                notice = match rebuilt {
                    Some(Rebuilt::Version(old)) => Some(format!(
                        "The store was written by another version (schema {old}); rebuilt it for schema {}.",
                        schema::VERSION
                    )),
                    Some(Rebuilt::Layout) => Some(format!(
                        "The store's tables were not those of schema {}; rebuilt it.",
                        schema::VERSION
                    )),
                    Some(Rebuilt::Converted(7)) => Some(format!(
                        "The store of schema 7 was converted to schema {} in place (a team kept as a number: about a third smaller); nothing is read again.",
                        schema::VERSION
                    )),
                    Some(Rebuilt::Converted(old)) => Some(format!(
                        "The store of schema {old} was converted to schema {} in place; only the receipts are read whole again (for their expiry dates).",
                        schema::VERSION
                    )),
                    None => notice,
                };
                return Ok(Opened {
                    store: Store {
                        conn: Mutex::new(conn),
                        path,
                        real,
                        generation: Default::default(),
                        notice: Default::default(),
                        said_unreadable: Default::default(),
                        dicts,
                        tried: Default::default(),
                        reopen: fresh,
                        change_days: changes_days(),
                    },
                    notice,
                });
            }
            Err(Failure::Corrupt(e)) if attempt == 0 => {
                let aside = move_aside(&real).map_err(|e| io(&path, e))?;
                notice = Some(format!(
                    "The store was unreadable ({e}); moved it to {} and started a new one.",
                    aside.display()
                ));
            }
            Err(Failure::Corrupt(e)) => return Err(io(&path, e)),
            // Said with the path the user knows.
            Err(Failure::Open(OpenError::Symlink(_))) => return Err(OpenError::Symlink(path)),
            Err(Failure::Open(e)) => return Err(e),
        }
    }
    Err(io(&path, "unreadable"))
}

/// Why a file's tables were dropped and made again.
fn changes_days() -> std::sync::atomic::AtomicI64 {
    std::sync::atomic::AtomicI64::new(super::KEEP_DAYS)
}

enum Rebuilt {
    /// Written by another version (its number).
    Version(i64),
    /// Stamped with this version, but a table's columns differ (a development build of
    /// the same number, a hand edit).
    Layout,
    /// Of an older version this one converts in place (its number): nothing was dropped.
    Converted(i64),
}

enum Failure {
    Corrupt(String),
    Open(OpenError),
}

fn corrupt(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
    )
}

/// A new file at `real` (the damaged one was moved aside), ready; or why not, in words.
pub(super) fn fresh(real: &Path) -> Result<Connection, String> {
    match open_file(real) {
        Ok((conn, _)) => Ok(conn),
        Err(Failure::Corrupt(e)) => Err(e),
        Err(Failure::Open(e)) => Err(e.to_string()),
    }
}

/// How long a writer waits for another process's write to end before it gives up. Every
/// write is a short transaction (a page of documents), so the wait is normally a few
/// milliseconds; the longest holder is `store clear`'s VACUUM of a big file. Three
/// `sync --full` at once and a dashboard all queue here instead of failing.
const BUSY_WAIT: Duration = Duration::from_secs(60);

/// The connection, and why the file was rebuilt if it was.
fn open_file(path: &Path) -> Result<(Connection, Option<Rebuilt>), Failure> {
    if is_symlink(path) {
        return Err(Failure::Open(OpenError::Symlink(path.to_path_buf())));
    }
    if !path.exists() {
        // Made 0600 before SQLite touches it (its -wal and -shm files take the same mode).
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
        match o.open(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(Failure::Open(io(path, e))),
        }
    }
    narrow(path, 0o600).map_err(|e| Failure::Open(io(path, e)))?;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_NOFOLLOW;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| Failure::Open(io(path, e)))?;
    // One line: SQLite's message for a failing batch carries the whole batch after it.
    let sql = |e: rusqlite::Error| {
        let said = e.to_string();
        let said = said
            .lines()
            .next()
            .unwrap_or_default()
            .trim_end_matches(" in ");
        if corrupt(&e) {
            Failure::Corrupt(said.to_string())
        } else {
            Failure::Open(io(path, said))
        }
    };
    conn.busy_timeout(BUSY_WAIT).map_err(sql)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql)?;
    // Switching a new file to WAL needs it to itself, and SQLite answers "locked" at once
    // (no busy wait) while another process is creating its tables: a bounded retry.
    let mut tries = 0;
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::DatabaseBusy && tries < 100 =>
            {
                tries += 1;
                std::thread::sleep(Duration::from_millis(100));
            }
            other => break other.map_err(sql)?,
        }
    }
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(sql)?;
    let rebuilt = if version == schema::VERSION && layout_matches(&conn).map_err(sql)? {
        conn.execute_batch(schema::CREATE).map_err(sql)?;
        None
    } else {
        migrate(&conn).map_err(sql)?
    };
    Ok((conn, rebuilt))
}

/// Whether every table of the current layout is in the file with the same columns (name,
/// type, not-null, key) in the same order.
fn layout_matches(conn: &Connection) -> rusqlite::Result<bool> {
    let expected = current()?;
    type Column = (String, String, bool, i64);
    let columns = |c: &Connection, table: &str| -> rusqlite::Result<Vec<Column>> {
        let mut q = c.prepare(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1) ORDER BY cid",
        )?;
        q.query_map([table], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect()
    };
    let tables: Vec<String> = {
        let mut q = expected.prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?;
        q.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    for t in &tables {
        if columns(conn, t)? != columns(&expected, t)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Compresses every body still kept as JSON text (schema 4), a thousand at a time.
fn pack_bodies(conn: &Connection) -> rusqlite::Result<()> {
    let mut pick =
        conn.prepare("SELECT rowid, body FROM docs WHERE typeof(body) = 'text' LIMIT 1000")?;
    let mut put = conn.prepare("UPDATE docs SET body = ?1 WHERE rowid = ?2")?;
    loop {
        let rows: Vec<(i64, String)> = pick
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if rows.is_empty() {
            return Ok(());
        }
        for (rowid, body) in rows {
            let packed = super::packing::Dicts::default()
                .pack(None, &body)
                .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
            put.execute(rusqlite::params![packed, rowid])?;
        }
    }
}

/// An empty file of the current layout (what a table's columns are compared with).
fn current() -> rusqlite::Result<Connection> {
    let c = Connection::open_in_memory()?;
    c.execute_batch(schema::CREATE)?;
    Ok(c)
}

/// The file's own tables (not SQLite's).
fn user_tables(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut q = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )?;
    q.query_map([], |r| r.get(0))?.collect()
}

/// The `docs` table's column names, in order.
fn docs_columns(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut q = conn.prepare("SELECT name FROM pragma_table_info('docs') ORDER BY cid")?;
    q.query_map([], |r| r.get(0))?.collect()
}

/// Makes the file the current schema: an empty file gets the tables; a file of another
/// version, or of this version with other columns, is emptied and rebuilt in one
/// transaction (another process doing the same waits on the lock, then finds it done).
fn migrate(conn: &Connection) -> rusqlite::Result<Option<Rebuilt>> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let run = || -> rusqlite::Result<Option<Rebuilt>> {
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version == schema::VERSION && layout_matches(conn)? {
            return Ok(None);
        }
        let tables = user_tables(conn)?;
        let had_tables = !tables.is_empty();
        // 6 lacks only the `due` column, 5 the changes table too: added, nothing else
        // touched.
        // Only a file that has what `FROM_6` changes (a `docs` without `due`, a `synced`);
        // any other falls through to the rebuild.
        let docs = docs_columns(conn)?;
        let has_synced = tables.iter().any(|t| t == "synced");
        let convertible = !docs.is_empty() && !docs.iter().any(|c| c == "due") && has_synced;
        // 7 has the columns of 8 by name (a team as text, every amount as text too).
        let converted = if version == 7 && has_synced && docs == docs_columns(&current()?)? {
            conn.execute_batch(schema::FROM_7)?;
            true
        } else if (version == 5 || version == 6) && convertible {
            conn.execute_batch(schema::FROM_6)?;
            conn.execute_batch(schema::FROM_7)?;
            true
        } else if version == 4 && docs == schema::DOCS_4 {
            conn.execute_batch(schema::FROM_4)?;
            conn.execute_batch(schema::FROM_6)?;
            pack_bodies(conn)?;
            conn.execute_batch(schema::FROM_7)?;
            true
        } else {
            false
        };
        if converted {
            conn.execute_batch(schema::CREATE)?;
            if layout_matches(conn)? {
                conn.pragma_update(None, "user_version", schema::VERSION)?;
                return Ok(Some(Rebuilt::Converted(version)));
            }
            // Another table of the old file differed: rebuilt below like any other
            // mismatch.
        }
        // Listed again: a conversion that did not end in this layout made tables too.
        let tables = user_tables(conn)?;
        for t in tables {
            conn.execute_batch(&format!("DROP TABLE IF EXISTS \"{}\"", t.replace('"', "")))?;
        }
        conn.execute_batch(schema::CREATE)?;
        conn.pragma_update(None, "user_version", schema::VERSION)?;
        Ok(if version == schema::VERSION {
            Some(Rebuilt::Layout)
        } else {
            (version != 0 || had_tables).then_some(Rebuilt::Version(version))
        })
    };
    match run() {
        Ok(v) => {
            conn.execute_batch("COMMIT")?;
            if v.is_some() {
                // The old layout's pages go back to the disk (a conversion copies the
                // documents' table: the old one's pages are free after it).
                let _ = conn.execute_batch("VACUUM");
                // VACUUM in WAL mode writes the whole file to the log: given back too.
                let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            Ok(v)
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}
