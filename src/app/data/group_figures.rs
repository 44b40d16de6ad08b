//! One team's figures for the Group tab, computed once from its rows (in the worker, as a
//! team's data arrives): invoiced and collected this month (Mexico City), payments to
//! collect and what of it is overdue, PPD balance still owed, cancellations waiting for
//! the receiver, payment complements owed. Amounts in pesos (× exchange rate), exact
//! decimals. And the Group tab's own view of them: each team's row and how it stands, the
//! sort, filter and cursor.

use rust_decimal::Decimal;

use crate::api::money;
use crate::app::data::documents::{InvoiceRow, PaymentRow, RowCancellation};
use crate::app::data::overview;

/// A payment still pending after this many days is overdue.
pub const OVERDUE_DAYS: i64 = 30;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TeamFigures {
    pub invoiced_month: Decimal,
    pub collected_month: Decimal,
    pub to_collect: usize,
    pub to_collect_amount: Decimal,
    pub overdue_amount: Decimal,
    pub ppd_owed: Decimal,
    pub cancellations_waiting: usize,
    pub invoices: usize,
    pub payments: usize,
    /// Payment complements owed (`:complements`), and how many are past their deadline.
    pub complements_owed: usize,
    pub complements_late: usize,
    /// The complements were not counted (shown "—", never a false 0).
    pub complements_unknown: bool,
}

impl TeamFigures {
    /// The sum of many teams' figures (the totals row).
    pub fn add(&mut self, o: &TeamFigures) {
        self.invoiced_month = money::add(self.invoiced_month, o.invoiced_month);
        self.collected_month = money::add(self.collected_month, o.collected_month);
        self.to_collect += o.to_collect;
        self.to_collect_amount = money::add(self.to_collect_amount, o.to_collect_amount);
        self.overdue_amount = money::add(self.overdue_amount, o.overdue_amount);
        self.ppd_owed = money::add(self.ppd_owed, o.ppd_owed);
        self.cancellations_waiting += o.cancellations_waiting;
        self.invoices += o.invoices;
        self.payments += o.payments;
        self.complements_owed += o.complements_owed;
        self.complements_late += o.complements_late;
        self.complements_unknown |= o.complements_unknown;
    }
}

impl TeamFigures {
    /// The figures as the Group tab shows them, made once when they arrive (not per
    /// frame): invoiced, collected, to collect (count · amount), overdue, PPD owed,
    /// cancellations waiting, complements owed / late. Pesos without the currency: the
    /// column titles say MXN.
    pub fn cells(&self) -> [String; 7] {
        let pesos = |d: Decimal| {
            let text = crate::api::Amount(d.round_dp(2)).display("MXN");
            text.trim_end_matches(" MXN").to_string()
        };
        [
            pesos(self.invoiced_month),
            pesos(self.collected_month),
            format!(
                "{} · {}",
                crate::text::thousands(self.to_collect),
                pesos(self.to_collect_amount)
            ),
            pesos(self.overdue_amount),
            pesos(self.ppd_owed),
            crate::text::thousands(self.cancellations_waiting),
            if !self.complements_unknown {
                format!(
                    "{} / {}",
                    crate::text::thousands(self.complements_owed),
                    crate::text::thousands(self.complements_late)
                )
            } else {
                "—".to_string()
            },
        ]
    }
}

pub fn compute(invoices: &[InvoiceRow], payments: &[PaymentRow], now: i64) -> TeamFigures {
    let o = overview::compute(invoices, payments, now);
    let owed = crate::app::data::complements::owed(invoices, payments, now);
    let overdue_before = now - OVERDUE_DAYS * 86_400;
    let overdue_amount = money::sum(
        payments
            .iter()
            .filter(|p| p.status().is_uncollected() && p.created > 0 && p.created < overdue_before)
            .map(|p| p.total_mxn()),
    );
    TeamFigures {
        invoiced_month: o.invoiced_month,
        collected_month: o.collected_month,
        to_collect: o.pending_count,
        to_collect_amount: o.pending_amount,
        overdue_amount,
        ppd_owed: o.ppd_owed,
        cancellations_waiting: invoices
            .iter()
            .filter(|i| i.cancellation == RowCancellation::Pending)
            .count(),
        invoices: invoices.len(),
        payments: payments.len(),
        complements_owed: owed.len(),
        complements_late: owed.iter().filter(|o| o.overdue).count(),
        complements_unknown: false,
    }
}

/// How one team's row of the Group tab stands.
#[derive(Clone, Debug, PartialEq)]
pub enum GroupState {
    Loading,
    /// Loaded at this time (epoch seconds).
    Loaded(i64),
    /// Why its figures could not be read (a closed branch, a role refused…).
    Failed(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct GroupRow {
    pub figures: Option<TeamFigures>,
    /// The figures as shown (`TeamFigures::cells`), made when they arrived.
    pub cells: [String; 7],
    pub state: GroupState,
}

/// The Group tab's own state: rows by team, how they are sorted and filtered, the cursor.
#[derive(Clone, Debug, Default)]
pub struct GroupView {
    /// The Group tab is what the body shows.
    pub open: bool,
    pub rows: std::collections::HashMap<crate::api::TeamId, GroupRow>,
    /// (column, descending); column 0 is the team name.
    pub sort: (usize, bool),
    pub filter: String,
    /// Position in the visible order, and the first visible position.
    pub selected: usize,
    pub offset: usize,
    /// `c`: what changed since the last session (or `:since`) instead of the month.
    pub changes: crate::app::data::changes::ChangesView,
}
