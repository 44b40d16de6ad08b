//! What the store saw change: when a sync, a load or a write keeps a document whose status
//! or amount differs from the stored one, or one it did not have, a row of `changes` says
//! what, from what, to what and when it was seen. Only for a (team, kind) the store had
//! read before (a first read is not "new" documents, it is the first look), kept for a
//! set number of days. Also the changes other code notes by hand (a client newly failing
//! the fiscal check) and the query the "since you last looked" figures read.

use rusqlite::params;
use rust_decimal::Decimal;

use super::changelog::{forget, insert};
use super::{Kind, Result, Store, units};
use crate::api::TeamId;

/// Days a change is kept unless the settings say otherwise.
pub const KEEP_DAYS: i64 = 35;

/// Most changes counted at once (a full read of an account after months away would
/// otherwise hand the screen a million rows); the newest are kept. One query returns one
/// more, so that its reader knows whether there were more.
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
            insert(
                tx,
                change.team.as_str(),
                change.kind.code(),
                &change.id,
                change.seen,
                (change.before.as_deref(), change.after.as_deref()),
                (&change.amount.to_string(), units(change.amount)),
                change.created,
            )?;
            forget(tx, change.seen - keep * 86_400)?;
            Ok(())
        })
    }

    /// The changes seen in `[since, until)`, of one team or all, oldest first (at most
    /// `MOST + 1`, the newest of them: more than `MOST` says there were more).
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
            MOST as i64 + 1
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
