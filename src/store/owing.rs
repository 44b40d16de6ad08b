//! What a count of the complements owed needs of a team, and no more: its invoices still
//! owing a balance (the `owed` fact) and the payments whose first invoice is one of them —
//! all at once (`owing`, small teams and tests) or one invoice at a time.

use rusqlite::params;
use serde::de::DeserializeOwned;

use super::{Result, Store};
use crate::api::TeamId;

impl Store {
    /// A team's invoices still owing a balance, and the payments that pay them: all a
    /// count of the complements owed needs (never the whole team).
    pub fn owing<I: DeserializeOwned, P: DeserializeOwned>(
        &self,
        team: &TeamId,
    ) -> Result<(Vec<I>, Vec<P>)> {
        let conn = self.lock();
        let mut q = conn.prepare_cached(
            "SELECT id, body FROM docs INDEXED BY docs_owed \
             WHERE kind = 1 AND team = (SELECT key FROM team_keys WHERE id = ?1) AND owed IS NOT NULL",
        )?;
        let rows: Vec<(String, rusqlite::types::Value)> = q
            .query_map([team.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<std::result::Result<_, _>>()?;
        let mut pay = conn.prepare_cached(
            "SELECT body FROM docs INDEXED BY docs_link WHERE team = (SELECT key FROM team_keys WHERE id = ?1) AND kind = 2 AND link = ?2",
        )?;
        let mut invoices = Vec::with_capacity(rows.len());
        let mut payments = Vec::new();
        for (id, body) in &rows {
            if let Some(i) = self.dicts.unpack(body.into()) {
                invoices.push(i);
            }
            let bodies: Vec<rusqlite::types::Value> = pay
                .query_map(params![team.as_str(), id], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?;
            payments.extend(bodies.iter().filter_map(|b| self.dicts.unpack(b.into())));
        }
        Ok((invoices, payments))
    }

    /// The invoices still owing a balance (of every team, with it) that a payment paid in
    /// `[from, to)` pays first: where a complement of that month may be owed.
    pub fn owing_paid_between(&self, from: i64, to: i64) -> Result<Vec<(TeamId, String)>> {
        let conn = self.lock();
        let mut q = conn.prepare_cached(
            "SELECT DISTINCT (SELECT id FROM team_keys WHERE key = p.team), p.link FROM docs AS p INDEXED BY docs_paid \
             JOIN docs AS i ON i.team = p.team AND i.kind = 1 AND i.id = p.link \
             WHERE p.kind = 2 AND p.paid_at >= ?1 AND p.paid_at < ?2 AND p.link IS NOT NULL \
             AND i.owed IS NOT NULL",
        )?;
        let rows = q
            .query_map(params![from, to], |r| {
                Ok((TeamId::new(r.get::<_, String>(0)?), r.get(1)?))
            })?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }

    /// The ids of a team's invoices still owing a balance.
    pub fn owing_ids(&self, team: &TeamId) -> Result<Vec<String>> {
        let conn = self.lock();
        let mut q = conn.prepare_cached(
            "SELECT id FROM docs INDEXED BY docs_owed \
             WHERE kind = 1 AND team = (SELECT key FROM team_keys WHERE id = ?1) AND owed IS NOT NULL",
        )?;
        let ids = q
            .query_map([team.as_str()], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        Ok(ids)
    }

    /// The payments whose first invoice still owes a balance, handed to `each` one at a
    /// time (a body that no longer decodes is skipped).
    pub fn each_paying<P: DeserializeOwned>(
        &self,
        team: &TeamId,
        mut each: impl FnMut(P),
    ) -> Result<()> {
        let conn = self.lock();
        let mut q = conn.prepare_cached(
            "SELECT p.body FROM docs AS i INDEXED BY docs_owed \
             JOIN docs AS p INDEXED BY docs_link ON p.team = i.team AND p.kind = 2 AND p.link = i.id \
             WHERE i.kind = 1 AND i.team = (SELECT key FROM team_keys WHERE id = ?1) AND i.owed IS NOT NULL",
        )?;
        let mut rows = q.query([team.as_str()])?;
        while let Some(r) = rows.next()? {
            if let Some(p) = self.dicts.unpack(r.get_ref(0)?) {
                each(p);
            }
        }
        Ok(())
    }

    /// A team's invoices still owing a balance, handed to `each` one at a time with the
    /// payments that pay it: those whose first invoice it is, then the ones `more(id)`
    /// names by id (in that order, a payment named twice given twice).
    /// `only`: those of these ids alone (each found by its key), not the team's all.
    pub fn each_owing<'m, I: DeserializeOwned, P: DeserializeOwned>(
        &self,
        team: &TeamId,
        only: Option<&[String]>,
        more: impl Fn(&str) -> &'m [String],
        mut each: impl FnMut(I, Vec<P>),
    ) -> Result<()> {
        let conn = self.lock();
        let mut all = conn.prepare_cached(
            "SELECT id, body FROM docs INDEXED BY docs_owed \
             WHERE kind = 1 AND team = (SELECT key FROM team_keys WHERE id = ?1) AND owed IS NOT NULL",
        )?;
        let mut by_id = conn.prepare_cached(
            "SELECT id, body FROM docs \
             WHERE team = (SELECT key FROM team_keys WHERE id = ?1) AND kind = 1 AND id = ?2 AND owed IS NOT NULL",
        )?;
        let mut pay = conn.prepare_cached(
            "SELECT body FROM docs INDEXED BY docs_link WHERE team = (SELECT key FROM team_keys WHERE id = ?1) AND kind = 2 AND link = ?2",
        )?;
        let mut one =
            conn.prepare_cached("SELECT body FROM docs WHERE team = (SELECT key FROM team_keys WHERE id = ?1) AND kind = 2 AND id = ?2")?;
        let mut found: Vec<(String, rusqlite::types::Value)> = Vec::new();
        let mut rows = match only {
            None => Some(all.query([team.as_str()])?),
            Some(ids) => {
                for id in ids {
                    let mut r = by_id.query(params![team.as_str(), id])?;
                    if let Some(r) = r.next()? {
                        found.push((r.get(0)?, r.get(1)?));
                    }
                }
                None
            }
        };
        let mut listed = found.iter();
        loop {
            let (id, body): (String, rusqlite::types::ValueRef<'_>) = match rows.as_mut() {
                Some(rows) => match rows.next()? {
                    Some(r) => (r.get(0)?, r.get_ref(1)?),
                    None => break,
                },
                None => match listed.next() {
                    Some((id, b)) => (id.clone(), b.into()),
                    None => break,
                },
            };
            let id = id.as_str();
            let Some(invoice) = self.dicts.unpack(body) else {
                continue;
            };
            let mut payments = Vec::new();
            let mut linked = pay.query(params![team.as_str(), id])?;
            while let Some(p) = linked.next()? {
                payments.extend(self.dicts.unpack(p.get_ref(0)?));
            }
            for other in more(id) {
                let mut named = one.query(params![team.as_str(), other])?;
                if let Some(p) = named.next()? {
                    payments.extend(self.dicts.unpack(p.get_ref(0)?));
                }
            }
            each(invoice, payments);
        }
        Ok(())
    }
}
