//! Keeping what the API answered: a page of documents (each compressed, its facts as
//! columns, what changed against the stored one kept in `changes`), one document a write
//! changed, and a complete read's pruning of what the server no longer has.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Doc, Kind, Result, Store, changelog, units};
use crate::api::TeamId;

/// Deletes per transaction when a complete read prunes.
const PRUNE_CHUNK: usize = 500;

/// The body without its `null` fields: a model writes every field it knows, and many are
/// empty; reading takes a missing field as `None` again.
fn compact(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, compact(v)))
                .filter(|(_, v)| !v.is_null())
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(compact).collect()),
        other => other,
    }
}

impl Store {
    /// Keeps `docs` for (team, kind). `complete`: they are every document the API has, so
    /// any other stored one was deleted there and goes.
    pub fn put_docs<T: Serialize>(
        &self,
        team: &TeamId,
        kind: Kind,
        docs: &[Doc<'_, T>],
        complete: bool,
        now: i64,
    ) -> Result<()> {
        self.put(team, kind, docs, complete, now, now)
    }

    /// `put_docs`, the changes it finds kept as seen at `seen`.
    fn put<T: Serialize>(
        &self,
        team: &TeamId,
        kind: Kind,
        docs: &[Doc<'_, T>],
        complete: bool,
        now: i64,
        seen: i64,
    ) -> Result<()> {
        // Serialized before the lock: another reader is not kept waiting on JSON.
        let mut bodies = Vec::with_capacity(docs.len());
        for d in docs {
            let v = compact(serde_json::to_value(d.body)?);
            // The status as the API said it: what an incremental read counts and compares.
            let status = v.get("status").and_then(|s| s.as_str()).map(str::to_string);
            bodies.push((self.dicts.pack(Some(kind.code()), &v.to_string())?, status));
        }
        let keep_days = self.change_days();
        self.write(|tx| {
            // Clients carry no status a change figure reads; their failing the fiscal
            // check is noted by hand.
            let record =
                kind != Kind::Client && changelog::had_read(tx, team.as_str(), kind.code())?;
            // What the store held of each, before: for the count and the changes.
            let held: Vec<changelog::Held> = if record || !complete {
                let ids: Vec<&str> = docs.iter().map(|d| d.id).collect();
                changelog::held(tx, team.as_str(), kind.code(), &ids)?
            } else {
                Vec::new()
            };
            tx.execute(
                "INSERT OR IGNORE INTO team_keys(id) VALUES (?1)",
                [team.as_str()],
            )?;
            let key: i64 = tx.query_row(
                "SELECT key FROM team_keys WHERE id = ?1",
                [team.as_str()],
                |r| r.get(0),
            )?;
            if complete {
                tx.execute(
                    "DELETE FROM docs WHERE team = (SELECT key FROM team_keys WHERE id = ?1) AND kind = ?2",
                    params![team.as_str(), kind.code()],
                )?;
            }
            let mut ins = tx.prepare_cached(
                "INSERT OR REPLACE INTO docs(team, kind, id, created, open, amount, invoiced, \
                 owed, cancel_pending, uncollected, paid_at, body, amount_u, owed_u, link, \
                 status, stale, due) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 0, ?17)",
            )?;
            // The count goes up by the documents not stored before: counting the team's
            // rows again on every page made a first read of 170,000 invoices quadratic.
            let mut added: i64 = 0;
            for (i, (d, (body, status))) in docs.iter().zip(&bodies).enumerate() {
                let f = &d.facts;
                if !complete {
                    added += i64::from(held[i].is_none());
                }
                if record
                    && let Some((before, after)) = changelog::changed(&held[i], status, f.amount)
                {
                    changelog::insert(
                        tx,
                        team.as_str(),
                        kind.code(),
                        d.id,
                        seen,
                        (before.as_deref(), after.as_deref()),
                        (&f.amount.to_string(), units(f.amount)),
                        f.created,
                    )?;
                }
                ins.execute(params![
                    key,
                    kind.code(),
                    d.id,
                    f.created,
                    f.open,
                    // The text only when the integer cannot hold it (`amount_of`).
                    units(f.amount).is_none().then(|| f.amount.to_string()),
                    f.invoiced,
                    f.owed.map(|o| o.to_string()),
                    f.cancel_pending,
                    f.uncollected,
                    f.paid_at,
                    body,
                    units(f.amount),
                    f.owed.and_then(units),
                    f.link,
                    status,
                    f.due,
                ])?;
            }
            let count: i64 = if complete {
                tx.query_row(
                    "SELECT COUNT(*) FROM docs WHERE team = (SELECT key FROM team_keys WHERE id = ?1) AND kind = ?2",
                    params![team.as_str(), kind.code()],
                    |r| r.get(0),
                )?
            } else {
                let before: Option<i64> = tx
                    .query_row(
                        "SELECT count FROM synced WHERE team = ?1 AND kind = ?2",
                        params![team.as_str(), kind.code()],
                        |r| r.get(0),
                    )
                    .optional()?;
                match before {
                    Some(n) => n + added,
                    // Rows without a count (kept by another path): counted once.
                    None => tx.query_row(
                        "SELECT COUNT(*) FROM docs WHERE team = (SELECT key FROM team_keys WHERE id = ?1) AND kind = ?2",
                        params![team.as_str(), kind.code()],
                        |r| r.get(0),
                    )?,
                }
            };
            tx.execute(
                "INSERT INTO synced(team, kind, at, full_at, count) VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT(team, kind) DO UPDATE SET at = excluded.at, \
                 full_at = COALESCE(excluded.full_at, synced.full_at), count = excluded.count",
                params![
                    team.as_str(),
                    kind.code(),
                    now,
                    complete.then_some(now),
                    count
                ],
            )?;
            if record {
                changelog::forget(tx, seen - keep_days * 86_400)?;
            }
            Ok(())
        })?;
        self.train_when_due(kind)
    }

    /// A complete read ended: every stored document of (team, kind) not in `keep` was
    /// deleted on the server (or is no longer reachable) and goes.
    pub fn prune(
        &self,
        team: &TeamId,
        kind: Kind,
        keep: impl Fn(&str) -> bool,
        now: i64,
    ) -> Result<u64> {
        // What goes is read first, outside the write lock (a team of 170,000 documents
        // takes a moment): other writers never wait on it. A document another process
        // stores meanwhile is not in `gone`, so it stays.
        let gone: Vec<String> = {
            let conn = self.lock();
            let mut q = conn.prepare_cached("SELECT id FROM docs WHERE team = (SELECT key FROM team_keys WHERE id = ?1) AND kind = ?2")?;
            let mut rows = q.query(params![team.as_str(), kind.code()])?;
            let mut gone = Vec::new();
            while let Some(r) = rows.next()? {
                let id = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
                if !keep(id) {
                    gone.push(id.to_string());
                }
            }
            gone
        };
        let mut removed = 0;
        // Short transactions: another writer gets its turn between two.
        for chunk in gone.chunks(PRUNE_CHUNK) {
            removed += self.write(|tx| {
                let mut del = tx
                    .prepare_cached("DELETE FROM docs WHERE team = (SELECT key FROM team_keys WHERE id = ?1) AND kind = ?2 AND id = ?3")?;
                let mut n = 0;
                for id in chunk {
                    n += del.execute(params![team.as_str(), kind.code(), id])? as u64;
                }
                Ok(n)
            })?;
        }
        self.write(|tx| {
            tx.execute(
                "INSERT INTO synced(team, kind, at, full_at, count) VALUES (?1, ?2, ?3, ?3, \
                 (SELECT COUNT(*) FROM docs WHERE team = (SELECT key FROM team_keys WHERE id = ?1) AND kind = ?2)) \
                 ON CONFLICT(team, kind) DO UPDATE SET at = excluded.at, \
                 full_at = excluded.full_at, count = excluded.count",
                params![team.as_str(), kind.code(), now],
            )?;
            Ok(())
        })?;
        Ok(removed)
    }

    /// One document changed by a write: kept at once.
    pub fn put_doc<T: Serialize>(&self, team: &TeamId, kind: Kind, doc: Doc<'_, T>) -> Result<()> {
        let now = self.synced(team, kind)?.map(|s| s.at).unwrap_or(0);
        // The change is seen now, whatever the last read's time.
        self.put(
            team,
            kind,
            &[doc],
            false,
            now,
            jiff::Timestamp::now().as_second(),
        )
    }
}
