//! The rows of `changes` as a write's transaction keeps them: what the store held of each
//! document before, whether a write changed it, one change in, the old ones out. Plain
//! values only, so `put` and `changes.rs` both use it without a cycle.

use rusqlite::{OptionalExtension, Transaction, params};
use rust_decimal::Decimal;

type Result<T> = std::result::Result<T, rusqlite::Error>;

/// What the store held of a document before a write: its status and amount.
pub(super) type Held = Option<(Option<String>, Decimal)>;

/// The stored status and amount of each of `ids`, read in the write's transaction.
pub(super) fn held(tx: &Transaction<'_>, team: &str, kind: i64, ids: &[&str]) -> Result<Vec<Held>> {
    let mut q = tx.prepare_cached(
        "SELECT status, amount, amount_u FROM docs WHERE team = (SELECT key FROM team_keys WHERE id = ?1) AND kind = ?2 AND id = ?3",
    )?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(
            q.query_row(params![team, kind, id], |r| {
                Ok((r.get(0)?, super::amount_of(r.get(1)?, r.get(2)?)))
            })
            .optional()?,
        );
    }
    Ok(out)
}

/// Whether a complete read of (team, kind) ended before: only then is a document the store
/// did not have a new one (the pages of a first read are not "new").
pub(super) fn had_read(tx: &Transaction<'_>, team: &str, kind: i64) -> Result<bool> {
    tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM synced WHERE team = ?1 AND kind = ?2 AND full_at IS NOT NULL)",
        params![team, kind],
        |r| r.get(0),
    )
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
            let amount_moved = was_amount.normalize() != amount.normalize();
            (was != status || amount_moved).then(|| (was.clone(), status.clone()))
        }
    }
}

/// Keeps one change (in the write's transaction): (before, after) statuses, the amount as
/// text and in integer units.
#[allow(clippy::too_many_arguments)]
pub(super) fn insert(
    tx: &Transaction<'_>,
    team: &str,
    kind: i64,
    id: &str,
    seen: i64,
    (before, after): (Option<&str>, Option<&str>),
    (amount, amount_u): (&str, Option<i64>),
    created: i64,
) -> Result<()> {
    let mut ins = tx.prepare_cached(
        "INSERT INTO changes(team, kind, id, seen, before, after, amount, amount_u, created) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    ins.execute(params![
        team, kind, id, seen, before, after, amount, amount_u, created
    ])?;
    Ok(())
}

/// Forgets the changes seen before `before` (in the write's transaction).
pub(super) fn forget(tx: &Transaction<'_>, before: i64) -> Result<()> {
    tx.prepare_cached("DELETE FROM changes WHERE seen < ?1")?
        .execute([before])?;
    Ok(())
}
