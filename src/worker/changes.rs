//! "Since you last looked", read from the store: the changes it kept in the window, each
//! classified (`app::data::changes::classify`) and labelled from its stored document; the
//! complements whose SAT deadline passed in the window (or whose payment arrived already
//! late); the clients newly failing the fiscal check; and, beside them, the open receipts
//! that expire within the coming week. Shared by the dashboard (the Group
//! tab's `c`, the header at start) and `gigdash changes`. Also where a fiscal check's
//! newly failing clients are noted.

use crate::api::{Client, Invoice, Payment, Receipt, TeamId};
use crate::app::data::changes::{ChangeItem, Column, classify};
use crate::app::data::dataset::Dataset;
use crate::app::data::documents::{ClientRow, InvoiceRow, PaymentRow, Row as _};
use crate::app::data::receipts::ReceiptRow;
use crate::i18n::Lang;
use crate::store::{Change, Kind, Store};

/// The changes since `since` as typed (`None`: since the end of the last session, or the
/// last 24 hours when there was none), for the dashboard.
pub(super) fn load(
    kept: &super::kept::Kept,
    since: Option<&str>,
    lang: Lang,
) -> Result<crate::app::data::changes::Changes, String> {
    let now = super::kept::now();
    if !kept.has_store() {
        return Err(lang
            .pick(
                "What changed is kept by the store, and this run has none (store = false, or the built-in sandbox).",
                "Lo que cambió lo guarda el almacén, y esta ejecución no tiene (store = false, o el sandbox integrado).",
            )
            .into());
    }
    let (from, last_session) = match since {
        Some(text) => (
            crate::app::data::changes::parse_since(text, now, lang)?,
            false,
        ),
        None => (default_since(kept.last_session_end(), now), true),
    };
    let store = kept.store().ok_or_else(|| String::from("no store"))?;
    let found = found(store, None, from, now, lang).map_err(|e| {
        tracing::warn!("store: changes: {e}");
        lang.pick(
            "The store could not be read for the changes (see the log).",
            "No se pudo leer el almacén para los cambios (ver el registro).",
        )
        .to_string()
    })?;
    Ok(crate::app::data::changes::Changes {
        since: from,
        now,
        last_session,
        items: found.items,
        capped: found.capped,
    })
}

/// The end of the last session, or a day ago when there was none (or it is in the future:
/// a clock that jumped). A session that ended this very second counts (a restart).
pub fn default_since(last_end: Option<i64>, now: i64) -> i64 {
    last_end.filter(|e| *e <= now).unwrap_or(now - 86_400)
}

/// What a client newly failing the fiscal check is kept as (`after`).
pub(crate) const FAILING: &str = "failing";

/// Every change of `teams` (all stored teams when `None`) seen in `[since, now]`.
pub fn items(
    store: &Store,
    teams: Option<&[TeamId]>,
    since: i64,
    now: i64,
    lang: Lang,
) -> crate::store::Result<Vec<ChangeItem>> {
    found(store, teams, since, now, lang).map(|f| f.items)
}

/// What `found` read: the items, and whether the window held more changes than one read
/// takes (`store::MOST_CHANGES`: then only the newest are counted, and the screen says so).
pub struct Found {
    pub items: Vec<ChangeItem>,
    pub capped: bool,
}

/// `items`, saying whether the store's changes were cut to the newest.
pub fn found(
    store: &Store,
    teams: Option<&[TeamId]>,
    since: i64,
    now: i64,
    lang: Lang,
) -> crate::store::Result<Found> {
    let wanted = |t: &TeamId| teams.is_none_or(|ts| ts.contains(t));
    let mut out = Vec::new();
    // One more than is counted: more than that many is what "capped" means.
    let mut kept = store.changes(since, now.saturating_add(1), None)?;
    let capped = kept.len() > crate::store::MOST_CHANGES;
    if capped {
        // Oldest first: the oldest goes.
        kept.remove(0);
    }
    // Payments that became paid in the window: a late complement of theirs "became late"
    // now even when its deadline passed long ago.
    let mut paid_now: std::collections::HashMap<(TeamId, String), i64> = Default::default();
    for c in kept {
        if !wanted(&c.team) {
            continue;
        }
        let dataset = match c.kind {
            Kind::Client => Dataset::Clients,
            Kind::Invoice => Dataset::Invoices,
            Kind::Payment => Dataset::Payments,
            Kind::Receipt => Dataset::Receipts,
        };
        let column = if c.kind == Kind::Client {
            (c.after.as_deref() == Some(FAILING)).then_some(Column::ClientsFailing)
        } else {
            classify(dataset, c.before.as_deref(), c.after.as_deref())
        };
        let Some(column) = column else { continue };
        if column == Column::Collected {
            paid_now.insert((c.team.clone(), c.id.clone()), c.seen);
        }
        // Labelled on demand (`labelled`): the table counts, only a list reads documents.
        out.push(ChangeItem {
            label: String::new(),
            team: c.team,
            column,
            dataset,
            id: c.id,
            amount: c.amount,
            seen: c.seen,
        });
    }
    // The complements owed whose deadline passed in the window, or whose payment arrived
    // in it already late: asked only of the invoices such a payment pays — those paid in a
    // month whose deadline ended in the window, and those of the payments paid meanwhile.
    let mut candidates: std::collections::BTreeMap<TeamId, std::collections::BTreeSet<String>> =
        Default::default();
    // A payment paid meanwhile that names several invoices is judged with each of them
    // (the store links a payment by its first only).
    let mut more: std::collections::HashMap<
        TeamId,
        std::collections::HashMap<String, Vec<String>>,
    > = Default::default();
    for (from, to) in months_due_in(since, now) {
        for (team, invoice) in store.owing_paid_between(from, to)? {
            candidates.entry(team).or_default().insert(invoice);
        }
    }
    for (team, payment) in paid_now.keys() {
        if let Some(p) = store.doc::<Payment>(team, Kind::Payment, payment)? {
            let row = PaymentRow::from_api(&p, lang);
            candidates
                .entry(team.clone())
                .or_default()
                .extend(row.invoices().map(str::to_string));
            for inv in row.invoices().skip(1) {
                more.entry(team.clone())
                    .or_default()
                    .entry(inv.to_string())
                    .or_default()
                    .push(payment.clone());
            }
        }
    }
    for (team, invoices) in candidates.iter().filter(|(t, _)| wanted(t)) {
        let invoices: Vec<String> = invoices.iter().cloned().collect();
        let none = Default::default();
        let more = more.get(team).unwrap_or(&none);
        super::complements::each_owed_of(store, team, &invoices, more, lang, now, |o, inv| {
            let Some(end) = deadline_end(o.deadline) else {
                return;
            };
            // A deadline ends at midnight, and so do `:since hoy` and a date: one that ends
            // exactly at the window's start is in it (as a change seen then would be).
            let paid = paid_now.get(&(team.clone(), o.payment.clone())).copied();
            let late_now = o.overdue && ((end >= since && end <= now) || paid.is_some());
            if late_now {
                out.push(ChangeItem {
                    team: team.clone(),
                    column: Column::LateComplements,
                    dataset: Dataset::Payments,
                    id: o.payment.clone(),
                    amount: o.amount,
                    // When it became late: its deadline, or when its payment arrived late.
                    seen: paid.map_or(end, |p| p.max(end)).min(now),
                    label: crate::text::printable(&format!(
                        "{} · {} · {} {}",
                        inv.folio(),
                        inv.client(),
                        lang.pick("due", "vencía"),
                        o.deadline
                    )),
                });
            }
        })?;
    }
    // What the coming week holds: open receipts that expire into the global invoice
    // within 7 days of now (listed as of now, after the changes).
    out.extend(expiring_receipts(store, &wanted, now)?);
    out.sort_by_key(|i| (i.seen, i.column));
    Ok(Found { items: out, capped })
}

/// How far ahead a receipt's expiry is said: a week.
pub const EXPIRING_WITHIN: i64 = 7 * 86_400;

/// The open receipts (of the teams `wanted`) whose `validUntil` falls in `(now, now + 7
/// days]`, found by the store's `due` fact without reading a body (labelled on demand). A
/// foreign-currency receipt counts without an amount (a receipt carries no exchange rate;
/// its label says its own total).
fn expiring_receipts(
    store: &Store,
    wanted: &dyn Fn(&TeamId) -> bool,
    now: i64,
) -> crate::store::Result<Vec<ChangeItem>> {
    Ok(store
        .due_between(Kind::Receipt, now, now.saturating_add(EXPIRING_WITHIN))?
        .into_iter()
        .filter(|(team, _, _)| wanted(team))
        .map(|(team, id, amount)| ChangeItem {
            team,
            column: Column::ExpiringReceipts,
            dataset: Dataset::Receipts,
            id,
            amount,
            seen: now,
            label: String::new(),
        })
        .collect())
}

/// The months (their first moment, and the next month's) whose payments' SAT deadline ended
/// in `[since, now]`: a deadline is the 5th of the month after, ending at the 6th's start.
fn months_due_in(since: i64, now: i64) -> Vec<(i64, i64)> {
    let tz = crate::api::time::mexico_city().clone();
    let start_of = |d: jiff::civil::Date| {
        d.to_zoned(tz.clone())
            .ok()
            .map(|z| z.timestamp().as_second())
    };
    let Ok(first) = jiff::Timestamp::from_second(since.saturating_sub(40 * 86_400)) else {
        return Vec::new();
    };
    let mut month = first.to_zoned(tz.clone()).date().first_of_month();
    let mut out = Vec::new();
    while let Ok(next) = month.checked_add(jiff::Span::new().months(1)) {
        let Some(end) = next
            .checked_add(jiff::Span::new().days(5))
            .ok()
            .and_then(start_of)
        else {
            break;
        };
        if end > now {
            break;
        }
        if end >= since
            && let (Some(a), Some(b)) = (start_of(month), start_of(next))
        {
            out.push((a, b));
        }
        month = next;
    }
    out
}

/// The first moment after a SAT deadline day (the 6th at 00:00, Mexico City).
fn deadline_end(d: jiff::civil::Date) -> Option<i64> {
    let next = d.tomorrow().ok()?;
    next.to_zoned(crate::api::time::mexico_city().clone())
        .ok()
        .map(|z| z.timestamp().as_second())
}

/// `items` with the labels `items()` leaves empty written (what a list or the brief shows
/// of each document): only the documents asked are read.
pub fn labelled(store: &Store, mut items: Vec<ChangeItem>, lang: Lang) -> Vec<ChangeItem> {
    for i in items.iter_mut().filter(|i| i.label.is_empty()) {
        i.label = label(store, i, lang);
    }
    items
}

/// What the list shows of a change's document, read from the store (its id when the
/// document is gone).
fn label(store: &Store, c: &ChangeItem, lang: Lang) -> String {
    let kind = match c.dataset {
        Dataset::Clients => Kind::Client,
        Dataset::Invoices => Kind::Invoice,
        Dataset::Payments => Kind::Payment,
        Dataset::Receipts => Kind::Receipt,
    };
    let text = match kind {
        Kind::Invoice => store
            .doc::<Invoice>(&c.team, kind, &c.id)
            .ok()
            .flatten()
            .map(|i| {
                let r = InvoiceRow::from_api(&i, lang);
                format!("{} · {}", r.folio(), r.client())
            }),
        Kind::Payment => store
            .doc::<Payment>(&c.team, kind, &c.id)
            .ok()
            .flatten()
            .map(|p| {
                let r = PaymentRow::from_api(&p, lang);
                format!("{} · {}", r.id(), r.client())
            }),
        Kind::Client => store
            .doc::<Client>(&c.team, kind, &c.id)
            .ok()
            .flatten()
            .map(|cl| {
                let r = ClientRow::from_api(&cl, lang);
                format!("{} · {}", r.name(), r.rfc())
            }),
        // Its expiry as of when it was listed (`seen`); its total when not in pesos (the
        // item's amount is then none).
        Kind::Receipt => store
            .doc::<Receipt>(&c.team, kind, &c.id)
            .ok()
            .flatten()
            .map(|api| {
                let r = ReceiptRow::from_api(&api, lang, c.seen);
                // When, whole (a mailed brief is read later), and how soon as of the listing.
                let expiry = format!(
                    "{} {} ({})",
                    lang.pick("expires", "vence"),
                    api.valid_until
                        .map(|v| v.local_datetime())
                        .unwrap_or_default(),
                    crate::app::data::receipts::expiry(r.valid_until, c.seen, lang)
                );
                if r.in_pesos() {
                    format!("{} · {expiry}", r.client())
                } else {
                    format!("{} · {} · {expiry}", r.client(), r.total_fmt())
                }
            }),
    };
    crate::text::printable(&text.unwrap_or_else(|| c.id.clone()))
}

/// A fiscal check of `team` found `failing` (JSON objects with an `id`): those that did not
/// fail at the last check are noted as changes. Without a check before, none is "newly"
/// failing (the first look is not a change).
pub(crate) fn note_failing(
    store: &Store,
    team: &TeamId,
    failing: &[serde_json::Value],
    now: i64,
) -> crate::store::Result<()> {
    let ids = |v: &[serde_json::Value]| -> Vec<String> {
        v.iter()
            .filter_map(|c| c.get("id").and_then(|i| i.as_str()).map(str::to_string))
            .collect()
    };
    let Some(before) = store
        .recall(&crate::app::data::fiscal::note_key(team))?
        .and_then(|(v, _)| serde_json::from_str::<Vec<serde_json::Value>>(&v).ok())
        .map(|v| ids(&v))
    else {
        return Ok(());
    };
    for id in ids(failing).into_iter().filter(|id| !before.contains(id)) {
        store.note_change(&Change {
            team: team.clone(),
            kind: Kind::Client,
            id,
            seen: now,
            before: None,
            after: Some(FAILING.into()),
            amount: Default::default(),
            created: 0,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::months_due_in;

    /// `2026-12-06 00:00` Mexico City, the end of November's deadline (the 5th).
    const DEC_6: i64 = 1_796_536_800;

    #[test]
    fn the_months_whose_deadline_ended_in_the_window() {
        let nov = (1_793_512_800, 1_796_104_800); // Nov 1 and Dec 1, 00:00 Mexico City
        assert_eq!(months_due_in(DEC_6 - 3_600, DEC_6 + 86_400), vec![nov]);
        assert_eq!(
            months_due_in(DEC_6, DEC_6),
            vec![nov],
            "ending at the start"
        );
        assert!(months_due_in(DEC_6 + 1, DEC_6 + 86_400).is_empty());
        assert!(months_due_in(DEC_6 - 86_400, DEC_6 - 1).is_empty());
        // Since Nov 7: November's deadline only; since Oct 7, October's (ended Nov 6) too.
        assert_eq!(months_due_in(DEC_6 - 29 * 86_400, DEC_6 + 86_400).len(), 1);
        assert_eq!(
            months_due_in(DEC_6 - 60 * 86_400, DEC_6 + 86_400),
            vec![(1_790_834_400, 1_793_512_800), nov]
        );
    }
}
