//! The Group figures as queries: this month's window in Mexico City, and per team the sums
//! SQLite makes over the facts columns — integer amounts where they are exact, the decimal
//! texts added here where they are not.

use rusqlite::{Connection, params};
use rust_decimal::Decimal;

use super::{Result, Store, UNITS_SCALE, amount_of};
use crate::api::{TeamId, money};

/// A team's Group figures as the store computes them (pesos, exact).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StoredFigures {
    pub invoiced_month: Decimal,
    pub collected_month: Decimal,
    pub to_collect: usize,
    pub to_collect_amount: Decimal,
    pub overdue_amount: Decimal,
    pub ppd_owed: Decimal,
    pub cancellations_waiting: usize,
    pub invoices: usize,
    pub payments: usize,
    /// When the team's invoices and payments were last written from the API.
    pub as_of: i64,
}

/// The time bounds of the figures: this month in Mexico City, and the overdue line.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    pub month_start: i64,
    pub month_end: i64,
    pub overdue_before: i64,
}

/// One figure: (sum, documents) per team of the documents `filter` picks, through `index`.
/// SQLite adds the integer column; if an amount had no integer form, or the sum overflowed
/// (SQLite refuses, never wraps), the decimal texts are added here instead. `filter` takes
/// ?1 and ?2; ?3 is the team or NULL for all.
fn sum_by_team(
    conn: &Connection,
    index: &str,
    filter: &str,
    column: &str,
    bounds: [i64; 2],
    team: &Option<String>,
) -> Result<std::collections::HashMap<String, (Decimal, usize)>> {
    let mut out = std::collections::HashMap::new();
    let fast = format!(
        "SELECT (SELECT id FROM team_keys WHERE key = team), SUM(MAX({column}_u, 0)), COUNT(*), COUNT({column}_u) FROM docs \
         INDEXED BY {index} WHERE {filter} AND (?3 IS NULL OR team = (SELECT key FROM team_keys WHERE id = ?3)) GROUP BY team"
    );
    let summed = (|| -> rusqlite::Result<bool> {
        let mut q = conn.prepare_cached(&fast)?;
        let mut rows = q.query(params![bounds[0], bounds[1], team])?;
        while let Some(r) = rows.next()? {
            let (t, sum, n, exact): (String, Option<i64>, i64, i64) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            if n != exact {
                return Ok(false);
            }
            let sum = Decimal::from_i128_with_scale(i128::from(sum.unwrap_or(0)), UNITS_SCALE);
            out.insert(t, (sum.normalize(), n.max(0) as usize));
        }
        Ok(true)
    })();
    if matches!(summed, Ok(true)) {
        return Ok(out);
    }
    out.clear();
    let exact = format!(
        "SELECT (SELECT id FROM team_keys WHERE key = team), {column}, {column}_u FROM docs INDEXED BY {index} \
         WHERE {filter} AND (?3 IS NULL OR team = (SELECT key FROM team_keys WHERE id = ?3))"
    );
    let mut q = conn.prepare_cached(&exact)?;
    let mut rows = q.query(params![bounds[0], bounds[1], team])?;
    while let Some(r) = rows.next()? {
        let t: String = r.get(0)?;
        let a = amount_of(r.get(1)?, r.get(2)?).max(Decimal::ZERO);
        let e = out.entry(t).or_insert((Decimal::ZERO, 0));
        e.0 = money::add(e.0, a);
        e.1 += 1;
    }
    Ok(out)
}

impl Store {
    /// Every stored team's Group figures, computed by queries over the facts columns
    /// (sums in exact decimals).
    pub fn figures(
        &self,
        w: Window,
        only: Option<&TeamId>,
    ) -> Result<Vec<(TeamId, StoredFigures)>> {
        use std::collections::BTreeMap;
        let conn = self.lock();
        let mut out: BTreeMap<String, StoredFigures> = BTreeMap::new();
        {
            let mut q = conn.prepare_cached(
                "SELECT team, kind, count, at FROM synced WHERE kind IN (1, 2) \
                 AND (?1 IS NULL OR team = ?1)",
            )?;
            let mut rows = q.query([only.map(|t| t.as_str())])?;
            while let Some(r) = rows.next()? {
                let f = out.entry(r.get(0)?).or_default();
                let (kind, count, at): (i64, i64, i64) = (r.get(1)?, r.get(2)?, r.get(3)?);
                if kind == 1 {
                    f.invoices = count.max(0) as usize;
                } else {
                    f.payments = count.max(0) as usize;
                }
                f.as_of = if f.as_of == 0 { at } else { f.as_of.min(at) };
            }
        }
        let team = only.map(|t| t.as_str().to_string());
        let (ms, me) = (w.month_start, w.month_end);
        // (sum, documents) per team of one figure's documents.
        let invoiced = sum_by_team(
            &conn,
            "docs_invoiced",
            "kind = 1 AND invoiced = 1 AND created >= ?1 AND created < ?2",
            "amount",
            [ms, me],
            &team,
        )?;
        let owed = sum_by_team(
            &conn,
            "docs_owed",
            "kind = 1 AND owed IS NOT NULL AND ?1 = ?2",
            "owed",
            [0, 0],
            &team,
        )?;
        let cancel = sum_by_team(
            &conn,
            "docs_cancel",
            "kind = 1 AND cancel_pending = 1 AND ?1 = ?2",
            "amount",
            [0, 0],
            &team,
        )?;
        let paid = sum_by_team(
            &conn,
            "docs_paid",
            "kind = 2 AND paid_at >= ?1 AND paid_at < ?2",
            "amount",
            [ms, me],
            &team,
        )?;
        let uncollected = sum_by_team(
            &conn,
            "docs_uncollected",
            "kind = 2 AND uncollected = 1 AND ?1 = ?2",
            "amount",
            [0, 0],
            &team,
        )?;
        let overdue = sum_by_team(
            &conn,
            "docs_uncollected",
            "kind = 2 AND uncollected = 1 AND created > ?1 AND created < ?2",
            "amount",
            [0, w.overdue_before],
            &team,
        )?;
        for (t, f) in out.iter_mut() {
            let get = |m: &std::collections::HashMap<String, (Decimal, usize)>| {
                m.get(t).copied().unwrap_or_default()
            };
            f.invoiced_month = get(&invoiced).0;
            f.ppd_owed = get(&owed).0;
            f.cancellations_waiting = get(&cancel).1;
            f.collected_month = get(&paid).0;
            (f.to_collect_amount, f.to_collect) = get(&uncollected);
            f.overdue_amount = get(&overdue).0;
        }
        Ok(out
            .into_iter()
            .filter(|(t, _)| only.is_none_or(|o| o.as_str() == t))
            .map(|(t, f)| (TeamId(t), f))
            .collect())
    }
}

impl Window {
    /// This month in Mexico City (start inclusive, end exclusive) and the overdue line
    /// (`overdue_days` before `now`).
    pub fn at(now: i64, overdue_days: i64) -> Window {
        let tz = crate::api::mexico_city().clone();
        let today = jiff::Timestamp::from_second(now)
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
            .to_zoned(tz.clone())
            .date();
        let first = today.first_of_month();
        let next = first
            .checked_add(jiff::Span::new().months(1))
            .unwrap_or(first);
        let start = |d: jiff::civil::Date| {
            d.to_zoned(tz.clone())
                .map(|z| z.timestamp().as_second())
                .unwrap_or(0)
        };
        Window {
            month_start: start(first),
            month_end: start(next),
            overdue_before: now - overdue_days * 86_400,
        }
    }
}
