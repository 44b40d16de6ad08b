//! What the store saw change: when a sync, a load or a write keeps a document whose status
//! or amount differs from the stored one, or one it did not have, a row of `changes` says
//! what, from what, to what and when it was seen. Only for a (team, kind) the store had
//! read before (a first read is not "new" documents, it is the first look), kept for a
//! set number of days. Also the changes other code notes by hand (a client newly failing
//! the fiscal check) and the query the "since you last looked" figures read.

use rusqlite::{OptionalExtension, Transaction, params};
use rust_decimal::Decimal;

use super::{Kind, Result, Store, units};
use crate::api::TeamId;

/// Days a change is kept unless the settings say otherwise.
pub const KEEP_DAYS: i64 = 35;

/// Most changes one query returns (a full read of an account after months away would
/// otherwise hand the screen a million rows); the newest are kept.
pub const MOST: usize = 50_000;

/// One change, as kept.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub team: TeamId,
    pub kind: Kind,
    pub id: String,
    /// When it was seen (epoch seconds).
    pub seen: i64,
    /// The status before; `None` when the document was new to the store.
    pub before: Option<String>,
    pub after: Option<String>,
    /// Its amount in pesos as it is now.
    pub amount: Decimal,
    pub created: i64,
}

/// What the store held of a document before a write: its status and amount.
pub(super) type Held = Option<(Option<String>, String)>;

/// The stored status and amount of each of `ids`, read in the write's transaction.
pub(super) fn held(tx: &Transaction<'_>, team: &TeamId, kind: Kind, ids: &[&str]) -> Result<Vec<Held>> {
    let mut q = tx.prepare_cached(
        "SELECT status, amount FROM docs WHERE team = ?1 AND kind = ?2 AND id = ?3",
    )?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(
            q.query_row(params![team.as_str(), kind.code(), id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?,
        );
    }
    Ok(out)
}

/// Whether the store had read (team, kind) before: only then is a document it did not
/// have a new one.
pub(super) fn had_read(tx: &Transaction<'_>, team: &TeamId, kind: Kind) -> Result<bool> {
    Ok(tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM synced WHERE team = ?1 AND kind = ?2)",
        params![team.as_str(), kind.code()],
        |r| r.get(0),
    )?)
}

/// What one document's write changed, if anything: (before, after) statuses.
pub(super) fn changed(
    held: &Held,
    status: &Option<String>,
    amount: Decimal,
) -> Option<(Option<String>, Option<String>)> {
    match held {
        None => Some((None, status.clone())),
        Some((was, was_amount)) => {
            let amount_moved = was_amount
                .parse::<Decimal>()
                .map(|a| a.normalize() != amount.normalize())
                .unwrap_or(true);
            (was != status || amount_moved).then(|| (was.clone(), status.clone()))
        }
    }
}

/// Keeps one change (in the write's transaction).
pub(super) fn insert(tx: &Transaction<'_>, c: &Change) -> Result<()> {
    let mut ins = tx.prepare_cached(
        "INSERT INTO changes(team, kind, id, seen, before, after, amount, amount_u, created) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    ins.execute(params![
        c.team.as_str(),
        c.kind.code(),
        c.id,
        c.seen,
        c.before,
        c.after,
        c.amount.to_string(),
        units(c.amount),
        c.created,
    ])?;
    Ok(())
}

/// Forgets the changes seen before `before` (in the write's transaction).
pub(super) fn forget(tx: &Transaction<'_>, before: i64) -> Result<()> {
    tx.prepare_cached("DELETE FROM changes WHERE seen < ?1")?
        .execute([before])?;
    Ok(())
}

impl Store {
    /// How many days changes are kept (the `keep_changes_days` setting).
    pub fn keep_changes_for(&self, days: i64) {
        self.change_days
            .store(days.max(1), std::sync::atomic::Ordering::Relaxed);
    }

    pub(super) fn change_days(&self) -> i64 {
        self.change_days.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A change noted by hand (one the documents do not carry: a client newly failing the
    /// fiscal check).
    pub fn note_change(&self, change: &Change) -> Result<()> {
        let keep = self.change_days();
        self.write(|tx| {
            insert(tx, change)?;
            forget(tx, change.seen - keep * 86_400)
        })
    }

    /// The changes seen in `[since, until)`, of one team or all, oldest first (at most
    /// `MOST`, the newest of them).
    pub fn changes(&self, since: i64, until: i64, only: Option<&TeamId>) -> Result<Vec<Change>> {
        let conn = self.lock();
        let mut q = conn.prepare_cached(
            "SELECT team, kind, id, seen, before, after, amount, created FROM changes \
             INDEXED BY changes_seen WHERE seen >= ?1 AND seen < ?2 \
             AND (?3 IS NULL OR team = ?3) ORDER BY seen DESC, rowid DESC LIMIT ?4",
        )?;
        let mut rows = q.query(params![
            since,
            until,
            only.map(|t| t.as_str()),
            MOST as i64
        ])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let kind = match r.get::<_, i64>(1)? {
                0 => Kind::Client,
                1 => Kind::Invoice,
                2 => Kind::Payment,
                _ => Kind::Receipt,
            };
            let amount: String = r.get(6)?;
            out.push(Change {
                team: TeamId(r.get(0)?),
                kind,
                id: r.get(2)?,
                seen: r.get(3)?,
                before: r.get(4)?,
                after: r.get(5)?,
                amount: amount.parse().unwrap_or_default(),
                created: r.get(7)?,
            });
        }
        out.reverse();
        Ok(out)
    }
}
