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
    let items = items(store, None, from, now, lang).map_err(|e| {
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
        items,
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
    let wanted = |t: &TeamId| teams.is_none_or(|ts| ts.contains(t));
    let mut out = Vec::new();
    // Payments that became paid in the window: a late complement of theirs "became late"
    // now even when its deadline passed long ago.
    let mut paid_now: std::collections::HashMap<(TeamId, String), i64> = Default::default();
    for c in store.changes(since, now.saturating_add(1), None)? {
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
        out.push(ChangeItem {
            label: label(store, &c, lang),
            team: c.team,
            column,
            dataset,
            id: c.id,
            amount: c.amount,
            seen: c.seen,
        });
    }
    // The complements owed whose deadline passed in the window.
    let stored: Vec<TeamId> = store.teams()?.into_iter().map(|t| t.id).collect();
    for team in stored.iter().filter(|t| wanted(t)) {
        super::complements::each_owed(store, team, lang, now, |o, inv| {
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
    for team in stored.iter().filter(|t| wanted(t)) {
        out.extend(expiring_receipts(store, team, now, lang)?);
    }
    out.sort_by_key(|i| (i.seen, i.column));
    Ok(out)
}

/// How far ahead a receipt's expiry is said: a week.
pub const EXPIRING_WITHIN: i64 = 7 * 86_400;

/// `team`'s open receipts whose `validUntil` falls in `(now, now + 7 days]`, from the
/// store's open documents only. A foreign-currency receipt counts without an amount (a
/// receipt carries no exchange rate; the label says its own total).
fn expiring_receipts(
    store: &Store,
    team: &TeamId,
    now: i64,
    lang: Lang,
) -> crate::store::Result<Vec<ChangeItem>> {
    let receipts: Vec<Receipt> = store.open_docs(team, Kind::Receipt)?;
    Ok(receipts
        .iter()
        .map(|api| {
            let pesos = api
                .currency
                .as_deref()
                .is_none_or(|c| c.eq_ignore_ascii_case("MXN"));
            (pesos, ReceiptRow::from_api(api, lang, now))
        })
        .filter(|(_, r)| {
            r.is_open()
                && r.valid_until
                    .is_some_and(|v| v > now && v <= now.saturating_add(EXPIRING_WITHIN))
        })
        .map(|(pesos, r)| {
            ChangeItem {
                team: team.clone(),
                column: Column::ExpiringReceipts,
                dataset: Dataset::Receipts,
                id: r.id().to_string(),
                amount: if pesos { r.total } else { Default::default() },
                seen: now,
                // Its total is the item's amount; in another currency, said here.
                label: crate::text::printable(&if pesos {
                    format!(
                        "{} · {}",
                        r.client(),
                        crate::app::data::receipts::expiry(r.valid_until, now, lang)
                    )
                } else {
                    format!(
                        "{} · {} · {}",
                        r.client(),
                        r.total_fmt(),
                        crate::app::data::receipts::expiry(r.valid_until, now, lang)
                    )
                }),
            }
        })
        .collect())
}

/// The first moment after a SAT deadline day (the 6th at 00:00, Mexico City).
fn deadline_end(d: jiff::civil::Date) -> Option<i64> {
    let next = d.tomorrow().ok()?;
    next.to_zoned(crate::api::time::mexico_city().clone())
        .ok()
        .map(|z| z.timestamp().as_second())
}

/// What the list shows of a change's document, read from the store (its id when the
/// document is gone).
fn label(store: &Store, c: &Change, lang: Lang) -> String {
    let text = match c.kind {
        Kind::Invoice => store
            .doc::<Invoice>(&c.team, c.kind, &c.id)
            .ok()
            .flatten()
            .map(|i| {
                let r = InvoiceRow::from_api(&i, lang);
                format!("{} · {}", r.folio(), r.client())
            }),
        Kind::Payment => store
            .doc::<Payment>(&c.team, c.kind, &c.id)
            .ok()
            .flatten()
            .map(|p| {
                let r = PaymentRow::from_api(&p, lang);
                format!("{} · {}", r.id(), r.client())
            }),
        Kind::Client => store
            .doc::<Client>(&c.team, c.kind, &c.id)
            .ok()
            .flatten()
            .map(|cl| {
                let r = ClientRow::from_api(&cl, lang);
                format!("{} · {}", r.name(), r.rfc())
            }),
        Kind::Receipt => None,
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
