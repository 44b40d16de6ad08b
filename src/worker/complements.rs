//! The complements a team owes, counted from the store one invoice at a time: a team of
//! 170,000 invoices with tens of thousands still owing never has them all decoded at
//! once (`gigdash sync` over 200 teams peaked at 242 MB doing so). The rule itself stays
//! `app::data::complements::owed`, asked of each invoice with exactly the payments it
//! would have seen among all of them.

use std::collections::{HashMap, HashSet};

use crate::api::{Invoice, Payment, TeamId};
use crate::app::data::complements::Owed;
use crate::app::data::documents::{InvoiceRow, PaymentRow, Row as _};
use crate::i18n::Lang;
use crate::store::{Result, Store};

/// (owed, of them overdue) for `team`, as `:complements` counts them.
pub fn count_owed(store: &Store, team: &TeamId, lang: Lang, now: i64) -> Result<(usize, usize)> {
    let (mut owed, mut late) = (0, 0);
    each_owed(store, team, lang, now, |o, _| {
        owed += 1;
        late += usize::from(o.overdue);
    })?;
    Ok((owed, late))
}

/// Every complement `team` owes, handed to `each` with its invoice's row.
pub fn each_owed(
    store: &Store,
    team: &TeamId,
    lang: Lang,
    now: i64,
    mut each: impl FnMut(Owed, &InvoiceRow),
) -> Result<()> {
    // The payments considered are those whose first invoice still owes (the store links a
    // payment by its first invoice); one that names more invoices counts for each of them
    // that still owes too. Those few are found first, one payment decoded at a time.
    let owing: HashSet<String> = store.owing_ids(team)?.into_iter().collect();
    let mut more: HashMap<String, Vec<String>> = HashMap::new();
    store.each_paying::<Payment>(team, |p| {
        let row = PaymentRow::from_api(&p, lang);
        // Every mention after the first, as the rule counts a payment once per mention.
        for inv in row.invoices().skip(1) {
            if owing.contains(inv) {
                more.entry(inv.to_string())
                    .or_default()
                    .push(row.id().to_string());
            }
        }
    })?;
    store.each_owing::<Invoice, Payment>(
        team,
        None,
        |id| more.get(id).map(Vec::as_slice).unwrap_or_default(),
        |invoice, payments| owed_of(invoice, payments, lang, now, &mut each),
    )
}

/// The complements owed of `invoices` alone (ids of `team`, those still owing): what
/// "since you last looked" asks of the few invoices whose payments could have gone late in
/// its window, never the team's thousands. Each invoice is judged with the payments that
/// name it first and those `more` names for it (payments known to name it after another).
pub fn each_owed_of(
    store: &Store,
    team: &TeamId,
    invoices: &[String],
    more: &HashMap<String, Vec<String>>,
    lang: Lang,
    now: i64,
    mut each: impl FnMut(Owed, &InvoiceRow),
) -> Result<()> {
    store.each_owing::<Invoice, Payment>(
        team,
        Some(invoices),
        |id| more.get(id).map(Vec::as_slice).unwrap_or_default(),
        |invoice, payments| owed_of(invoice, payments, lang, now, &mut each),
    )
}

fn owed_of(
    invoice: Invoice,
    payments: Vec<Payment>,
    lang: Lang,
    now: i64,
    each: &mut impl FnMut(Owed, &InvoiceRow),
) {
    let inv = [InvoiceRow::from_api(&invoice, lang)];
    let pay: Vec<PaymentRow> = payments
        .iter()
        .map(|p| PaymentRow::from_api(p, lang))
        .collect();
    for o in crate::app::data::complements::owed(&inv, &pay, now) {
        each(o, &inv[0]);
    }
}
