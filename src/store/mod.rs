//! The store: one SQLite file per backend and key id with the last-known teams and
//! documents (clients, invoices, payments) as the API sent them, plus the few facts the
//! Group figures need as columns, so those figures are queries, and what it saw change
//! (`changes.rs`). Writing is `writing.rs`. The only code that speaks SQL. It knows the
//! API's models, never the app's rows or the terminal.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use rust_decimal::Decimal;

use crate::api::{Team, TeamId};

mod changelog;
mod changes;
mod damage;
mod error;
pub use error::{Result, StoreError};
mod figures;
mod open;
mod owing;
mod packing;
mod reading;
mod schema;
mod stale;
mod training;
mod writing;

pub use changes::{Change, KEEP_DAYS, MOST as MOST_CHANGES};
pub use figures::{StoredFigures, Window};

pub use open::{OpenError, Opened, file_name, open_in};
pub use stale::Which;

/// The current layout's SQL and version (tests make files of other layouts from them).
#[cfg(feature = "test-support")]
pub fn schema_sql() -> &'static str {
    schema::CREATE
}
#[cfg(feature = "test-support")]
pub const SCHEMA_VERSION: i64 = schema::VERSION;

/// The kinds of documents kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Client,
    Invoice,
    Payment,
    Receipt,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Client, Kind::Invoice, Kind::Payment, Kind::Receipt];
    pub(crate) fn code(self) -> i64 {
        match self {
            Kind::Client => 0,
            Kind::Invoice => 1,
            Kind::Payment => 2,
            Kind::Receipt => 3,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Kind::Client => "clients",
            Kind::Invoice => "invoices",
            Kind::Payment => "payments",
            Kind::Receipt => "receipts",
        }
    }
}

/// What the figures need of one document, decided by the caller (the worker, from the row
/// it built) so the store never re-derives a tax rule.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    pub created: i64,
    /// Total in pesos (× exchange rate).
    pub amount: Decimal,
    /// Its status can still change (pending payment, PPD with a balance, cancellation
    /// waiting): a refresh re-reads it.
    pub open: bool,
    /// A valid income invoice (counts toward "invoiced").
    pub invoiced: bool,
    /// PPD balance still owed, in pesos.
    pub owed: Option<Decimal>,
    pub cancel_pending: bool,
    /// A payment still to collect.
    pub uncollected: bool,
    /// When a collected payment was paid.
    pub paid_at: Option<i64>,
    /// The invoice a payment pays (its first), to find a PPD invoice's payments.
    pub link: Option<String>,
    /// When an open document comes due (a pending receipt's `validUntil`): what expires
    /// this week is found by it, without decoding a body.
    pub due: Option<i64>,
}

/// One document to keep: its id, the API's object, its facts.
pub struct Doc<'a, T> {
    pub id: &'a str,
    pub body: &'a T,
    pub facts: Facts,
}

/// What the store knows of one (team, kind).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Synced {
    /// Last time it was written from the API (epoch seconds).
    pub at: i64,
    /// Last complete read.
    pub full_at: Option<i64>,
    pub count: u64,
    /// Newest creation date stored.
    pub newest: Option<i64>,
    /// Oldest creation date of a document whose status can still change.
    pub oldest_open: Option<i64>,
}

/// `gigdash store info`.
#[derive(Clone, Debug, Default)]
pub struct Info {
    pub path: PathBuf,
    pub bytes: u64,
    pub teams: u64,
    pub documents: Vec<(Kind, u64)>,
    pub oldest: Option<i64>,
    pub newest: Option<i64>,
    /// Documents kept, and the bytes of their bodies as kept (compressed).
    pub bodies: u64,
    pub body_bytes: u64,
    /// Kinds whose bodies are compressed with a dictionary of their own.
    pub dictionaries: Vec<Kind>,
}

pub struct Store {
    conn: Mutex<Connection>,
    /// As the user gave it (shown).
    path: PathBuf,
    /// With the folder resolved (opened, moved aside).
    real: PathBuf,
    /// Bumped each time a damaged file is moved aside mid-run: what was written before
    /// went with it.
    generation: AtomicU64,
    /// What happened to the file mid-run, to be said once.
    notice: Mutex<Option<String>>,
    /// A body that did not unpack was said this run.
    said_unreadable: std::sync::atomic::AtomicBool,
    /// The file's compression dictionaries.
    dicts: packing::Dicts,
    /// Kinds whose dictionary was tried this run (trained, or too few documents yet).
    tried: Mutex<std::collections::HashSet<i64>>,
    /// Opens a new file at `real` once a damaged one was moved aside (`open.rs` gives it:
    /// this file never calls into `open`, which builds the `Store`).
    reopen: fn(&std::path::Path) -> std::result::Result<Connection, String>,
    /// Days a change is kept (`changes.rs`).
    change_days: std::sync::atomic::AtomicI64,
}

/// Amounts also kept as integers of 10⁻⁸ pesos, so SQLite sums them (exactly: integers)
/// by team in one pass; an amount that does not fit is NULL there and its figure is summed
/// from the decimal text instead.
pub(super) const UNITS_SCALE: u32 = 8;

pub(super) fn units(d: Decimal) -> Option<i64> {
    if d.scale() > UNITS_SCALE {
        return None;
    }
    let m = d
        .mantissa()
        .checked_mul(10i128.pow(UNITS_SCALE - d.scale()))?;
    i64::try_from(m).ok()
}

/// A stored amount: its text when its integer could not hold it (schema 8 keeps only one
/// of the two), else the integer of 10⁻⁸; zero when neither reads.
pub(super) fn amount_of(text: Option<String>, units: Option<i64>) -> Decimal {
    match (text.and_then(|t| t.parse::<Decimal>().ok()), units) {
        (Some(d), _) => d,
        (None, Some(u)) => Decimal::from_i128_with_scale(i128::from(u), UNITS_SCALE).normalize(),
        (None, None) => Decimal::ZERO,
    }
}

impl Store {
    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` in a write transaction that takes the write lock at its start (`BEGIN
    /// IMMEDIATE`): a deferred one that read first cannot wait for the lock when another
    /// process wrote in between — it fails with "database is locked" at once — where this
    /// one waits its turn under the busy timeout. Keep `f` short: every other writer of
    /// the file waits for it. A write that finds the file damaged moves it aside (when
    /// its check fails too) and runs once more on a new file.
    fn write<R>(&self, f: impl Fn(&Transaction<'_>) -> Result<R>) -> Result<R> {
        let mut conn = self.lock();
        let once = |conn: &mut Connection| -> Result<R> {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        };
        match once(&mut conn) {
            Err(e) if e.corrupt => {
                let said = damage::recover(&mut conn, &self.real, &e, self.reopen)?;
                self.dicts.clear();
                self.generation.fetch_add(1, Ordering::Relaxed);
                *self.notice.lock().unwrap_or_else(|p| p.into_inner()) = Some(said);
                once(&mut conn)
            }
            other => other,
        }
    }

    /// What happened to the file during this run (a damaged file moved aside), once.
    pub fn take_notice(&self) -> Option<String> {
        self.notice.lock().unwrap_or_else(|p| p.into_inner()).take()
    }

    /// How many times a damaged file was moved aside during this run.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Relaxed)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Caps the file at `pages` pages, as a full disk would (tests of that case).
    #[cfg(feature = "test-support")]
    pub fn cap_pages(&self, pages: u64) -> Result<()> {
        self.lock()
            .pragma_update(None, "max_page_count", pages as i64)?;
        Ok(())
    }

    /// The team list as last read, in the order the API gave it.
    pub fn put_teams(&self, teams: &[Team], now: i64) -> Result<()> {
        let mut bodies = Vec::with_capacity(teams.len());
        for t in teams {
            bodies.push(serde_json::to_string(t)?);
        }
        self.write(|tx| {
            tx.execute("DELETE FROM teams", [])?;
            let mut ins =
                tx.prepare("INSERT INTO teams(id, position, body, at) VALUES (?1, ?2, ?3, ?4)")?;
            for (i, (t, body)) in teams.iter().zip(&bodies).enumerate() {
                ins.execute(params![t.id.as_str(), i as i64, body, now])?;
            }
            Ok(())
        })
    }

    pub fn teams(&self) -> Result<Vec<Team>> {
        let conn = self.lock();
        let mut q = conn.prepare_cached("SELECT body FROM teams ORDER BY position")?;
        let rows = q.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for body in rows {
            // A row that no longer decodes is skipped, never a crash.
            if let Ok(t) = serde_json::from_str(&body?) {
                out.push(t);
            }
        }
        Ok(out)
    }

    pub fn synced(&self, team: &TeamId, kind: Kind) -> Result<Option<Synced>> {
        let conn = self.lock();
        let base: Option<(i64, Option<i64>, i64)> = conn
            .query_row(
                "SELECT at, full_at, count FROM synced WHERE team = ?1 AND kind = ?2",
                params![team.as_str(), kind.code()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((at, full_at, count)) = base else {
            return Ok(None);
        };
        let newest: Option<i64> = conn.query_row(
            "SELECT MAX(created) FROM docs WHERE team = (SELECT key FROM team_keys WHERE id = ?1) AND kind = ?2",
            params![team.as_str(), kind.code()],
            |r| r.get(0),
        )?;
        let oldest_open: Option<i64> = conn.query_row(
            "SELECT MIN(created) FROM docs WHERE team = (SELECT key FROM team_keys WHERE id = ?1) AND kind = ?2 AND open = 1",
            params![team.as_str(), kind.code()],
            |r| r.get(0),
        )?;
        Ok(Some(Synced {
            at,
            full_at,
            count: count.max(0) as u64,
            newest,
            oldest_open,
        }))
    }

    pub fn info(&self) -> Result<Info> {
        let conn = self.lock();
        let teams: i64 = conn.query_row("SELECT COUNT(*) FROM teams", [], |r| r.get(0))?;
        let mut documents = Vec::new();
        for k in Kind::ALL {
            let n: i64 = conn.query_row(
                "SELECT COALESCE(SUM(count), 0) FROM synced WHERE kind = ?1",
                [k.code()],
                |r| r.get(0),
            )?;
            documents.push((k, n.max(0) as u64));
        }
        let (oldest, newest): (Option<i64>, Option<i64>) =
            conn.query_row("SELECT MIN(at), MAX(at) FROM synced", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        let (bodies, body_bytes): (i64, i64) = conn.query_row(
            "SELECT COUNT(*), COALESCE(SUM(length(body)), 0) FROM docs",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let dictionaries = Kind::ALL
            .into_iter()
            .filter(|k| self.dicts.has(k.code()))
            .collect();
        let bytes = ["", "-wal"]
            .iter()
            .filter_map(|s| {
                let mut p = self.path.clone().into_os_string();
                p.push(s);
                std::fs::metadata(p).ok()
            })
            .map(|m| m.len())
            .sum();
        Ok(Info {
            path: self.path.clone(),
            bytes,
            teams: teams.max(0) as u64,
            documents,
            oldest,
            newest,
            bodies: bodies.max(0) as u64,
            body_bytes: body_bytes.max(0) as u64,
            dictionaries,
        })
    }

    /// Forgets one team's documents, or everything.
    pub fn clear(&self, team: Option<&TeamId>) -> Result<()> {
        self.write(|tx| {
            match team {
                Some(t) => {
                    tx.execute(
                        "DELETE FROM docs WHERE team = (SELECT key FROM team_keys WHERE id = ?1)",
                        [t.as_str()],
                    )?;
                    tx.execute("DELETE FROM changes WHERE team = ?1", [t.as_str()])?;
                    tx.execute("DELETE FROM synced WHERE team = ?1", [t.as_str()])?;
                }
                None => {
                    tx.execute("DELETE FROM docs", [])?;
                    tx.execute("DELETE FROM changes", [])?;
                    tx.execute("DELETE FROM synced", [])?;
                    tx.execute("DELETE FROM teams", [])?;
                    tx.execute("DELETE FROM team_keys", [])?;
                }
            }
            Ok(())
        })?;
        if team.is_none() {
            let conn = self.lock();
            let _ = conn.execute_batch("VACUUM");
            // VACUUM in WAL mode writes the whole file to the log: given back too.
            let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        Ok(())
    }

    /// A remembered value (the fiscal check's results, say), with when it was set.
    pub fn remember(&self, key: &str, value: &str, now: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT OR REPLACE INTO notes(key, value, at) VALUES (?1, ?2, ?3)",
                params![key, value, now],
            )?;
            Ok(())
        })
    }

    pub fn recall(&self, key: &str) -> Result<Option<(String, i64)>> {
        Ok(self
            .lock()
            .query_row("SELECT value, at FROM notes WHERE key = ?1", [key], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?)
    }
}
