//! What an incremental read asks of the store beyond the documents: the ids stored with
//! some statuses, a cancellation waiting or a stale mark; the stored statuses and their
//! counts; marking stale, removing what gigstack no longer has; and the bodies that did
//! not unpack (taken again, else marked stale and said once).

use rusqlite::{OptionalExtension, params};
use serde::de::DeserializeOwned;

use super::{Kind, Result, Store};
use crate::api::TeamId;

/// Which stored ids `Store::ids_where` lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which<'a> {
    /// Stored with one of these statuses (as the API spells them).
    Status(&'a [&'a str]),
    /// Invoices whose cancellation waits for the receiver.
    CancelPending,
    /// Marked to be read again by id (`Store::mark_stale`).
    Stale,
}

/// The query of (team, kind) by one status (`?3`) that `pick` completes (`SELECT id`, say):
/// through `docs_status` when the index holds that status, else over the team's rows.
fn by_status(pick: &str, status: &str) -> String {
    const TERM: &str = crate::asked_statuses!();
    let held = TERM.contains(&format!("'{status}'"));
    // The index named, so that a term SQLite did not match to it fails loudly.
    let (indexed, term) = if held {
        (" INDEXED BY docs_status ", format!(" AND {TERM}"))
    } else {
        (" ", String::new())
    };
    format!(
        "{pick} FROM docs{indexed}WHERE team = (SELECT key FROM team_keys WHERE id = ?1) \
         AND kind = ?2 AND status = ?3{term}"
    )
}

/// The statuses as stored, each once: `cancelled` and `canceled` are one status.
fn spellings<'a>(statuses: &[&'a str]) -> Vec<&'a str> {
    let mut out: Vec<&'a str> = Vec::new();
    for s in statuses {
        let each: &[&'a str] = match *s {
            "canceled" | "cancelled" => &["canceled", "cancelled"],
            _ => std::slice::from_ref(s),
        };
        for e in each {
            if !out.contains(e) {
                out.push(e);
            }
        }
    }
    out
}

impl Store {
    /// Bodies of (team, kind) that did not unpack: first the file's dictionaries are taken
    /// again (another gigdash may have trained one since this one opened the file) and
    /// those bodies read once more; the ones that still do not (a damaged page, a hand
    /// edit, a dictionary gone) are read again from gigstack at the next read (marked
    /// stale), said once a run. The ones that now unpack.
    pub(super) fn unreadable<T: DeserializeOwned>(
        &self,
        team: &TeamId,
        kind: Kind,
        ids: &[String],
    ) -> Vec<T> {
        if ids.is_empty() {
            return vec![];
        }
        let mut back = Vec::new();
        let mut still = Vec::new();
        {
            let conn = self.lock();
            let _ = self.dicts.reload(&conn);
            for id in ids {
                let body: Option<rusqlite::types::Value> = conn
                    .query_row(
                        "SELECT body FROM docs WHERE team = (SELECT key FROM team_keys WHERE id = ?1) AND kind = ?2 AND id = ?3",
                        params![team.as_str(), kind.code(), id],
                        |r| r.get(0),
                    )
                    .optional()
                    .ok()
                    .flatten();
                match body.and_then(|b| self.dicts.unpack((&b).into())) {
                    Some(doc) => back.push(doc),
                    None => still.push(id.clone()),
                }
            }
        }
        let ids = &still;
        if ids.is_empty() {
            return back;
        }
        let _ = self.mark_stale(team, kind, ids);
        if !self
            .said_unreadable
            .swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            *self.notice.lock().unwrap_or_else(|p| p.into_inner()) = Some(format!(
                "{} stored documents ({}) could not be read; they will be read again from gigstack.",
                ids.len(),
                kind.name()
            ));
        }
        back
    }

    /// Ids of (team, kind) stored with some statuses, with a cancellation waiting, or
    /// marked stale.
    pub fn ids_where(&self, team: &TeamId, kind: Kind, which: Which<'_>) -> Result<Vec<String>> {
        let conn = self.lock();
        let all = |sql: &str, status: Option<&str>| -> Result<Vec<String>> {
            let mut q = conn.prepare_cached(sql)?;
            let id = |r: &rusqlite::Row<'_>| r.get::<_, String>(0);
            let ids = match status {
                Some(st) => q
                    .query_map(params![team.as_str(), kind.code(), st], id)?
                    .collect::<std::result::Result<_, _>>()?,
                None => q
                    .query_map(params![team.as_str(), kind.code()], id)?
                    .collect::<std::result::Result<_, _>>()?,
            };
            Ok(ids)
        };
        match which {
            Which::Status(statuses) => {
                let mut out = Vec::new();
                for st in spellings(statuses) {
                    out.extend(all(&by_status("SELECT id", st), Some(st))?);
                }
                Ok(out)
            }
            Which::CancelPending => all(
                "SELECT id FROM docs WHERE team = (SELECT key FROM team_keys WHERE id = ?1) AND kind = ?2 AND cancel_pending = 1",
                None,
            ),
            Which::Stale => all(
                "SELECT id FROM docs WHERE team = (SELECT key FROM team_keys WHERE id = ?1) AND kind = ?2 AND stale = 1",
                None,
            ),
        }
    }

    /// The stored status of each of `ids` that is stored (its status `None` when the
    /// body had none).
    pub fn statuses(
        &self,
        team: &TeamId,
        kind: Kind,
        ids: &[&str],
    ) -> Result<std::collections::HashMap<String, Option<String>>> {
        let conn = self.lock();
        let mut q = conn
            .prepare_cached("SELECT status FROM docs WHERE team = (SELECT key FROM team_keys WHERE id = ?1) AND kind = ?2 AND id = ?3")?;
        let mut out = std::collections::HashMap::new();
        for id in ids {
            if let Some(st) = q
                .query_row(params![team.as_str(), kind.code(), id], |r| {
                    r.get::<_, Option<String>>(0)
                })
                .optional()?
            {
                out.insert(id.to_string(), st);
            }
        }
        Ok(out)
    }

    /// How many documents of (team, kind) have one of `statuses` (as the API spells them;
    /// `cancelled` and `canceled` are one).
    pub fn count_status(&self, team: &TeamId, kind: Kind, statuses: &[&str]) -> Result<u64> {
        let conn = self.lock();
        let mut n: i64 = 0;
        for st in spellings(statuses) {
            let mut q = conn.prepare_cached(&by_status("SELECT COUNT(*)", st))?;
            n += q.query_row(params![team.as_str(), kind.code(), st], |r| {
                r.get::<_, i64>(0)
            })?;
        }
        Ok(n.max(0) as u64)
    }

    /// Marks stored documents of (team, kind) to be read again by id (a payment tied to
    /// an invoice changed); ids not stored are left alone. Cleared when it is kept again.
    pub fn mark_stale(&self, team: &TeamId, kind: Kind, ids: &[String]) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        self.write(|tx| {
            let mut q = tx.prepare_cached(
                "UPDATE docs SET stale = 1 WHERE team = (SELECT key FROM team_keys WHERE id = ?1) AND kind = ?2 AND id = ?3",
            )?;
            for id in ids {
                q.execute(params![team.as_str(), kind.code(), id])?;
            }
            Ok(())
        })
    }

    /// Documents the server no longer has (a read by id answered 404).
    pub fn remove(&self, team: &TeamId, kind: Kind, ids: &[String]) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        self.write(|tx| {
            let mut q =
                tx.prepare_cached("DELETE FROM docs WHERE team = (SELECT key FROM team_keys WHERE id = ?1) AND kind = ?2 AND id = ?3")?;
            let mut gone: i64 = 0;
            for id in ids {
                gone += q.execute(params![team.as_str(), kind.code(), id])? as i64;
            }
            tx.execute(
                "UPDATE synced SET count = MAX(count - ?3, 0) WHERE team = ?1 AND kind = ?2",
                params![team.as_str(), kind.code(), gone],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::by_status;

    /// The plan SQLite makes for the query of one status, on an empty current file.
    fn plan(status: &str) -> rusqlite::Result<String> {
        let c = rusqlite::Connection::open_in_memory()?;
        c.execute_batch(super::super::schema::CREATE)?;
        let mut q = c.prepare(&format!(
            "EXPLAIN QUERY PLAN {}",
            by_status("SELECT id", status)
        ))?;
        let rows = q.query_map(rusqlite::params!["t", 2, status], |r| r.get::<_, String>(3))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?.join("; "))
    }

    #[test]
    fn a_status_gigdash_asks_for_goes_through_the_partial_index_any_other_over_the_team() {
        for asked in [
            "pending",
            "requires_payment_method",
            "processing",
            "open",
            "canceled",
            "cancelled",
            "refunded",
        ] {
            let p = plan(asked).unwrap();
            assert!(p.contains("docs_status"), "{asked}: {p}");
        }
        let p = plan("succeeded").unwrap();
        assert!(!p.contains("docs_status"), "{p}");
    }
}
