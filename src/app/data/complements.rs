//! Payment complements owed: the PPD invoices whose collected payments are not all covered
//! by a complement (CFDI type P) yet — each uncovered payment with its amount, its date, its
//! SAT deadline (the 5th of the following month, Mexico City), the installment number it
//! would get and the balance before it. Computed from a team's rows; data only.

use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::api::{PaymentStatus, money, time::mexico_city};
use crate::app::data::documents::{InvoiceRow, PaymentRow, Row, RowStatus};

/// One payment that still needs its complement.
#[derive(Clone, Debug, PartialEq)]
pub struct Owed {
    pub invoice: String,
    pub folio: String,
    pub client: String,
    pub currency: String,
    pub payment: String,
    /// How the payment was paid (its SAT form, as the payment says it; may be empty).
    pub payment_form: String,
    pub amount: Decimal,
    /// When the money arrived (epoch seconds).
    pub paid_at: i64,
    /// The last day SAT accepts the complement (Mexico City).
    pub deadline: Date,
    pub overdue: bool,
    /// The complement's number among the invoice's complements (1 = first).
    pub installment: u32,
    /// What the invoice owed before this payment, and after it.
    pub previous_balance: Decimal,
    pub remaining_balance: Decimal,
}

/// The day in Mexico City of an instant.
pub fn local_date(ts: i64) -> Option<Date> {
    jiff::Timestamp::from_second(ts)
        .ok()
        .map(|t| t.to_zoned(mexico_city().clone()).date())
}

/// The 5th of the month after the one the payment fell in (Mexico City): December's go to
/// January of the next year.
pub fn sat_deadline(paid_at: i64) -> Option<Date> {
    let d = local_date(paid_at)?;
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    Date::new(y, m, 5).ok()
}

/// Every uncovered payment of the team's valid PPD invoices, soonest deadline first.
///
/// An invoice's complements cover its payments in the order they were paid: what the
/// complements already cover is `total − balance` (the API lowers the balance with each
/// complement); the payments beyond that are owed, each numbered after the existing
/// complements.
pub fn owed(invoices: &[InvoiceRow], payments: &[PaymentRow], now: i64) -> Vec<Owed> {
    use std::collections::HashMap;
    let today = local_date(now);
    let mut by_invoice: HashMap<&str, Vec<&PaymentRow>> = HashMap::new();
    for p in payments {
        if !matches!(p.status(), PaymentStatus::Succeeded) {
            continue;
        }
        for inv in p.invoices() {
            by_invoice.entry(inv).or_default().push(p);
        }
    }
    let mut out = Vec::new();
    for inv in invoices {
        if !inv.ppd || inv.status != RowStatus::Valid || inv.kind() != "I" {
            continue;
        }
        let Some(paid) = by_invoice.get_mut(inv.uuid()) else {
            continue;
        };
        paid.sort_by_key(|p| (p.succeeded_at().unwrap_or(p.created), p.created));
        let balance = inv.balance().unwrap_or(inv.total);
        let covered = money::sub(inv.total, balance);
        let mut counted = Decimal::ZERO;
        let mut before = balance;
        let mut installment = inv.complements;
        for p in paid.iter() {
            counted = money::add(counted, p.total);
            // Paid before the covered amount was reached: it has its complement.
            if counted <= covered {
                continue;
            }
            // Never more than the invoice still owes (an overpayment is not a complement).
            let amount = p.total.min(before);
            if amount <= Decimal::ZERO {
                continue;
            }
            let paid_at = p.succeeded_at().unwrap_or(p.created);
            let Some(deadline) = sat_deadline(paid_at) else {
                continue;
            };
            installment += 1;
            let after = money::sub(before, amount);
            out.push(Owed {
                invoice: inv.uuid().to_string(),
                folio: inv.folio().to_string(),
                client: inv.client().to_string(),
                currency: inv.currency().to_string(),
                payment: p.id().to_string(),
                payment_form: p.form().to_string(),
                amount,
                paid_at,
                deadline,
                overdue: today.is_some_and(|t| t > deadline),
                installment,
                previous_balance: before,
                remaining_balance: after,
            });
            before = after;
        }
    }
    out.sort_by(|a, b| {
        (a.deadline, a.paid_at, &a.invoice).cmp(&(b.deadline, b.paid_at, &b.invoice))
    });
    out
}
