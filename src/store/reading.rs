//! Reading a team's stored documents back: in batches (a team of 200,000 never decoded
//! at once), the newest first, or one by id; a body that does not unpack is skipped and
//! handed to `Store::unreadable`.

use rusqlite::{OptionalExtension, params};
use serde::de::DeserializeOwned;

use super::{Kind, Result, Store};
use crate::api::TeamId;

impl Store {
    /// A team's documents of one kind, newest first, handed to `each` a batch at a time
    /// (decoded, never all bodies at once: a team of 200,000 stays small in memory).
    pub fn each_batch<T: DeserializeOwned>(
        &self,
        team: &TeamId,
        kind: Kind,
        batch: usize,
        mut each: impl FnMut(Vec<T>),
    ) -> Result<()> {
        let conn = self.lock();
        let mut q = conn.prepare_cached(
            "SELECT id, body FROM docs WHERE team = (SELECT key FROM team_keys WHERE id = ?1) AND kind = ?2 ORDER BY created DESC, id",
        )?;
        let mut rows = q.query(params![team.as_str(), kind.code()])?;
        let mut bodies: Vec<T> = Vec::with_capacity(batch);
        let mut bad = Vec::new();
        while let Some(r) = rows.next()? {
            // A body that no longer decodes is skipped, never a crash (and read again).
            match self.dicts.unpack(r.get_ref(1)?) {
                Some(doc) => bodies.push(doc),
                None => bad.push(r.get::<_, String>(0)?),
            }
            if bodies.len() >= batch {
                each(std::mem::replace(&mut bodies, Vec::with_capacity(batch)));
            }
        }
        if !bodies.is_empty() {
            each(bodies);
        }
        drop(rows);
        drop(q);
        drop(conn);
        let again: Vec<T> = self.unreadable(team, kind, &bad);
        if !again.is_empty() {
            each(again);
        }
        Ok(())
    }

    /// A team's documents of one kind, newest first; `limit` for the first screen.
    pub fn docs<T: DeserializeOwned>(
        &self,
        team: &TeamId,
        kind: Kind,
        limit: Option<usize>,
    ) -> Result<Vec<T>> {
        let conn = self.lock();
        let mut q = conn.prepare_cached(
            "SELECT id, body FROM docs WHERE team = (SELECT key FROM team_keys WHERE id = ?1) AND kind = ?2 \
             ORDER BY created DESC, id LIMIT ?3",
        )?;
        let limit = limit.map(|l| l as i64).unwrap_or(-1);
        let bodies: Vec<(String, rusqlite::types::Value)> = q
            .query_map(params![team.as_str(), kind.code(), limit], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<std::result::Result<_, _>>()?;
        drop(q);
        drop(conn);
        // Decoded outside the lock; a body that no longer decodes is skipped (and read
        // again).
        let mut bad = Vec::new();
        let mut out = Vec::with_capacity(bodies.len());
        for (id, b) in &bodies {
            match self.dicts.unpack(b.into()) {
                Some(doc) => out.push(doc),
                None => bad.push(id.clone()),
            }
        }
        out.extend(self.unreadable::<T>(team, kind, &bad));
        Ok(out)
    }

    /// The open documents of one kind that come due in `(from, to]` (the `due` fact), of
    /// every team: (team, id, amount in pesos), through the index of those with a due date
    /// only — no body is read.
    pub fn due_between(
        &self,
        kind: Kind,
        from: i64,
        to: i64,
    ) -> Result<Vec<(TeamId, String, rust_decimal::Decimal)>> {
        let conn = self.lock();
        let mut q = conn.prepare_cached(
            "SELECT (SELECT id FROM team_keys WHERE key = team), id, amount, amount_u \
             FROM docs INDEXED BY docs_due \
             WHERE kind = ?1 AND due > ?2 AND due <= ?3 AND open = 1 ORDER BY due, 1, id",
        )?;
        let rows = q
            .query_map(params![kind.code(), from, to], |r| {
                Ok((
                    TeamId::new(r.get::<_, String>(0)?),
                    r.get::<_, String>(1)?,
                    super::amount_of(r.get(2)?, r.get(3)?),
                ))
            })?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }

    pub fn doc<T: DeserializeOwned>(
        &self,
        team: &TeamId,
        kind: Kind,
        id: &str,
    ) -> Result<Option<T>> {
        let conn = self.lock();
        let body: Option<rusqlite::types::Value> = conn
            .query_row(
                "SELECT body FROM docs WHERE team = (SELECT key FROM team_keys WHERE id = ?1) AND kind = ?2 AND id = ?3",
                params![team.as_str(), kind.code(), id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(body.and_then(|b| self.dicts.unpack((&b).into())))
    }
}
