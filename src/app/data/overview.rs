//! Per-team figures for the Overview tab, computed once when invoices or payments arrive:
//! invoiced this month, collected this month, pending payments, PPD balance still owed,
//! 12 months of invoicing and 30 days of collections. Amounts in pesos (× exchange rate).

use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::api::{PaymentStatus, money, time::mexico_city};
use crate::app::data::documents::{InvoiceRow, PaymentRow, RowStatus};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overview {
    pub month_label: String,
    pub invoiced_month: Decimal,
    pub invoices_month: usize,
    pub collected_month: Decimal,
    pub pending_count: usize,
    pub pending_amount: Decimal,
    pub ppd_owed: Decimal,
    pub ppd_open: usize,
    /// (label "2026-11", pesos) oldest first.
    pub monthly: Vec<(String, Decimal)>,
    /// Pesos collected per day, the last 30 days, oldest first.
    pub daily: Vec<Decimal>,
}

fn date_of(ts: i64) -> Option<Date> {
    jiff::Timestamp::from_second(ts)
        .ok()
        .map(|t| t.to_zoned(mexico_city().clone()).date())
}

fn month_key(d: Date) -> i32 {
    d.year() as i32 * 12 + d.month() as i32 - 1
}

pub fn compute(invoices: &[InvoiceRow], payments: &[PaymentRow], now: i64) -> Overview {
    let Some(today) = date_of(now) else {
        return Overview::default();
    };
    let this_month = month_key(today);
    let mut o = Overview {
        month_label: format!("{:04}-{:02}", today.year(), today.month()),
        monthly: (0..12)
            .map(|i| {
                let k = this_month - 11 + i;
                (format!("{:04}-{:02}", k / 12, k % 12 + 1), Decimal::ZERO)
            })
            .collect(),
        daily: vec![Decimal::ZERO; 30],
        ..Default::default()
    };
    for inv in invoices {
        if inv.status != RowStatus::Valid || inv.kind() != "I" {
            continue;
        }
        if let Some(d) = date_of(inv.created) {
            let k = month_key(d);
            if k == this_month {
                o.invoiced_month = money::add(o.invoiced_month, inv.total_mxn());
                o.invoices_month += 1;
            }
            let idx = k - (this_month - 11);
            if (0..12).contains(&idx) {
                let m = &mut o.monthly[idx as usize].1;
                *m = money::add(*m, inv.total_mxn());
            }
        }
        if inv.ppd
            && let Some(b) = inv.balance_mxn()
            && b > Decimal::ZERO
        {
            o.ppd_owed = money::add(o.ppd_owed, b);
            o.ppd_open += 1;
        }
    }
    for p in payments {
        if p.status().is_uncollected() {
            o.pending_count += 1;
            o.pending_amount = money::add(o.pending_amount, p.total_mxn());
        }
        if matches!(
            p.status(),
            PaymentStatus::Succeeded | PaymentStatus::Refunded
        ) && let Some(d) = p.succeeded_at().and_then(date_of)
        {
            if month_key(d) == this_month {
                o.collected_month = money::add(o.collected_month, p.total_mxn());
            }
            let days = (today - d).get_days();
            if (0..30).contains(&days) {
                let slot = &mut o.daily[(29 - days) as usize];
                *slot = money::add(*slot, p.total_mxn());
            }
        }
    }
    o
}
