//! Compact table rows built from API objects once, when data arrives (in the worker, off
//! the UI path): money and dates formatted a single time, sort keys typed, and only what
//! the tables, the overview and the actions need — so 100,000 rows stay small.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::api::{CancellationStatus, Client, Invoice, InvoiceStatus};
use crate::i18n::{Lang, tr};

pub use crate::app::data::columns::{Column, HAY, Hay, Row, Tone, fold, with_team};
use crate::app::data::columns::{
    Packed, boxed_if_any, cmp_text, col, date, hay, in_pesos, unreadable_amount, wide,
};
pub use crate::app::data::payments::{PAYMENT_COLUMNS, PaymentRow, payment_label};
use crate::app::data::who::{ClientTexts, client_of};

#[derive(Clone, Debug)]
pub struct ClientRow {
    /// id, name, rfc, email, regime, created, fiscal check
    text: Packed<7>,
    pub created: i64,
}

impl ClientRow {
    pub fn from_api(c: &Client, lang: Lang) -> Self {
        let created = date(c.created(), lang);
        let parts = [
            c.id.as_str(),
            c.display_name(),
            c.rfc(),
            c.email.as_deref().unwrap_or(""),
            c.tax_system.as_deref().unwrap_or(""),
            &created,
            "",
        ];
        ClientRow {
            text: Packed::new(parts),
            created: c.created().map(|i| i.as_second()).unwrap_or(0),
        }
    }

    /// The row with what the fiscal check said (`✓`, or what fails): shown in its column
    /// and found by the filter (`/postal`, `/régimen`).
    pub fn with_fiscal(&self, fiscal: &str) -> Self {
        let parts: [&str; 7] =
            std::array::from_fn(|i| if i == 6 { fiscal } else { self.text.get(i) });
        ClientRow {
            text: Packed::new(parts),
            created: self.created,
        }
    }
    pub fn name(&self) -> &str {
        self.text.get(1)
    }
    pub fn rfc(&self) -> &str {
        self.text.get(2)
    }
}

pub const CLIENT_COLUMNS: [Column; 6] = [
    col(tr("Name", "Nombre"), 20, true, false),
    col(tr("RFC", "RFC"), 13, false, false),
    wide(col(tr("Email", "Correo"), 18, true, false), 90),
    col(tr("Régimen", "Régimen"), 7, false, false),
    col(tr("Created", "Creado"), 16, false, false),
    wide(
        col(tr("Fiscal check", "Revisión fiscal"), 14, true, false),
        110,
    ),
];

impl Row for ClientRow {
    fn share_texts(rows: &mut [Self]) {
        Packed::share(rows.iter_mut().map(|r| &mut r.text));
    }
    const COLUMNS: &'static [Column] = &CLIENT_COLUMNS;
    const DEFAULT_SORT: (usize, bool) = (4, true);
    fn id(&self) -> &str {
        self.text.get(0)
    }
    fn search(&self) -> Hay<'_> {
        hay(std::array::from_fn::<_, 6, _>(|i| self.text.get(i + 1)))
    }
    fn cell(&self, col: usize) -> &str {
        self.text.get(col.min(5) + 1)
    }
    fn cmp_col(&self, o: &Self, col: usize) -> Ordering {
        match col {
            4 => self.created.cmp(&o.created),
            c => cmp_text(self.cell(c), o.cell(c)),
        }
    }
}

/// The invoice states a row needs (the API's `Other` values collapse to `Other`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowStatus {
    Valid,
    Canceled,
    Pending,
    Draft,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowCancellation {
    None,
    Pending,
    Accepted,
    Rejected,
}

#[derive(Clone, Debug)]
pub struct InvoiceRow {
    /// uuid, folio, created, total, currency, type, method
    text: Packed<7>,
    /// The client's name, id and RFC, shared with every row that names it.
    who: ClientTexts,
    pub created: i64,
    pub total: Decimal,
    /// What few invoices have (another currency, a balance), in one box only for those:
    /// inline, these amounts made every row 48 bytes bigger (8 MB of a 170,000-invoice
    /// team).
    rare: Option<Box<InvoiceRare>>,
    pub complements: u32,
    pub status: RowStatus,
    pub cancellation: RowCancellation,
    /// Paid in installments (PPD): its payments need complements.
    pub ppd: bool,
    /// The language of the row's texts (its status label is derived, not stored).
    pub lang: Lang,
}

/// What few invoices have (`InvoiceRow::rare`).
#[derive(Clone, Debug, Default, PartialEq)]
struct InvoiceRare {
    /// Total × exchange rate, when that is not the total (not in pesos).
    mxn: Option<Decimal>,
    /// What a PPD invoice still owes (`last_balance`): in its own currency and in pesos.
    owes: Option<[Decimal; 2]>,
}

impl InvoiceRow {
    pub fn from_api(i: &Invoice, lang: Lang) -> Self {
        let rate = i.exchange_rate.map(|r| r.0).unwrap_or(Decimal::ONE);
        let rate = if rate.is_zero() { Decimal::ONE } else { rate };
        let status = match i.status() {
            InvoiceStatus::Valid => RowStatus::Valid,
            InvoiceStatus::Canceled => RowStatus::Canceled,
            InvoiceStatus::Pending => RowStatus::Pending,
            InvoiceStatus::Draft => RowStatus::Draft,
            InvoiceStatus::Other(_) => RowStatus::Other,
        };
        let cancellation = match &i.cancellation_status {
            Some(CancellationStatus::Pending) => RowCancellation::Pending,
            Some(CancellationStatus::Accepted) => RowCancellation::Accepted,
            Some(CancellationStatus::Rejected) => RowCancellation::Rejected,
            _ => RowCancellation::None,
        };
        let client = i.client.as_ref();
        let created = date(i.created_at, lang);
        let total_fmt = if i.unreadable.iter().any(|f| f == "total" || f == "subtotal") {
            unreadable_amount(lang)
        } else {
            i.total().display(i.currency())
        };
        let folio = i.folio();
        let parts = [
            i.uuid(),
            &folio,
            &created,
            &total_fmt,
            i.currency(),
            i.invoice_type.as_deref().unwrap_or("I"),
            i.payment_method.as_deref().unwrap_or(""),
        ];
        InvoiceRow {
            text: Packed::new(parts),
            who: client_of(client),
            created: i.created_at.map(|c| c.as_second()).unwrap_or(0),
            total: i.total().0,
            rare: boxed_if_any(InvoiceRare {
                mxn: in_pesos(i.total().0, rate),
                owes: i
                    .last_balance
                    .map(|b| [b.0, crate::api::money::mul(b.0, rate)]),
            }),
            complements: i.payment_complements.unwrap_or(0),
            status,
            cancellation,
            ppd: i.is_ppd(),
            lang,
        }
    }

    /// Total × exchange rate, for figures in pesos.
    pub fn total_mxn(&self) -> Decimal {
        self.rare.as_ref().and_then(|r| r.mxn).unwrap_or(self.total)
    }
    pub fn uuid(&self) -> &str {
        self.text.get(0)
    }
    /// What the PPD invoice still owes, in its own currency (`last_balance`).
    pub fn balance(&self) -> Option<Decimal> {
        self.rare.as_ref().and_then(|r| r.owes).map(|o| o[0])
    }
    /// The same in pesos (× exchange rate).
    pub fn balance_mxn(&self) -> Option<Decimal> {
        self.rare.as_ref().and_then(|r| r.owes).map(|o| o[1])
    }
    pub fn folio(&self) -> &str {
        self.text.get(1)
    }
    pub fn created_fmt(&self) -> &str {
        self.text.get(2)
    }
    pub fn client(&self) -> &str {
        self.who.name()
    }
    pub fn client_id(&self) -> &str {
        self.who.id()
    }
    pub fn client_rfc(&self) -> &str {
        self.who.rfc()
    }
    pub fn total_fmt(&self) -> &str {
        self.text.get(3)
    }
    pub fn currency(&self) -> &str {
        self.text.get(4)
    }
    pub fn kind(&self) -> &str {
        self.text.get(5)
    }
    pub fn method(&self) -> &str {
        self.text.get(6)
    }
    /// The label never claims "canceled" before the SAT accepts.
    pub fn status_label(&self) -> &'static str {
        invoice_label(self.status, self.cancellation, self.lang).0
    }
    pub fn tone(&self) -> Tone {
        invoice_label(self.status, self.cancellation, self.lang).1
    }
}

/// The label never claims "canceled" before the SAT accepts (cfdi-rules.md).
/// Spanish follows the SAT's words (vigente, cancelada) within the column's 14 cells.
fn invoice_label(s: RowStatus, c: RowCancellation, lang: Lang) -> (&'static str, Tone) {
    let (text, tone) = match (s, c) {
        (RowStatus::Canceled, _) => (tr("canceled", "cancelada"), Tone::Bad),
        (_, RowCancellation::Pending) => (tr("cancel pending", "en cancelación"), Tone::Warn),
        (_, RowCancellation::Rejected) => (tr("cancel rejected", "cancel. negada"), Tone::Warn),
        (RowStatus::Valid, _) => (tr("valid", "vigente"), Tone::Good),
        (RowStatus::Pending, _) => (tr("pending", "pendiente"), Tone::Warn),
        (RowStatus::Draft, _) => (tr("draft", "borrador"), Tone::Muted),
        (RowStatus::Other, _) => (tr("other", "otro"), Tone::Muted),
    };
    (text.get(lang), tone)
}

/// An invoice's status word for the detail view (the API's unknown values as they came).
pub fn invoice_status_word(s: &InvoiceStatus, lang: Lang) -> String {
    let t = match s {
        InvoiceStatus::Valid => tr("valid", "vigente"),
        InvoiceStatus::Canceled => tr("canceled", "cancelada"),
        InvoiceStatus::Pending => tr("pending", "pendiente"),
        InvoiceStatus::Draft => tr("draft", "borrador"),
        InvoiceStatus::Other(o) => return o.clone(),
    };
    t.get(lang).to_string()
}

/// A cancellation's state for the detail view.
pub fn cancellation_word(c: &CancellationStatus, lang: Lang) -> String {
    let t = match c {
        CancellationStatus::Pending => tr(
            "pending (receiver must accept)",
            "pendiente (el receptor debe aceptar)",
        ),
        CancellationStatus::Accepted => tr("accepted", "aceptada"),
        CancellationStatus::Rejected => tr("rejected", "rechazada"),
        CancellationStatus::None => tr("none", "ninguna"),
        CancellationStatus::Other(o) => return o.clone(),
    };
    t.get(lang).to_string()
}

pub const INVOICE_COLUMNS: [Column; 7] = [
    col(tr("Folio", "Folio"), 8, false, false),
    col(tr("Date", "Fecha"), 16, false, false),
    col(tr("Client", "Cliente"), 18, true, false),
    col(tr("Total", "Total"), 16, false, true),
    col(tr("Status", "Estado"), 14, false, false),
    wide(col(tr("Method", "Método"), 6, false, false), 100),
    wide(col(tr("UUID", "UUID"), 12, true, false), 110),
];

impl Row for InvoiceRow {
    fn share_texts(rows: &mut [Self]) {
        Packed::share(rows.iter_mut().map(|r| &mut r.text));
    }
    const COLUMNS: &'static [Column] = &INVOICE_COLUMNS;
    const DEFAULT_SORT: (usize, bool) = (1, true);
    fn id(&self) -> &str {
        self.uuid()
    }
    fn search(&self) -> Hay<'_> {
        hay([
            self.folio(),
            self.created_fmt(),
            self.who.folded(),
            self.total_fmt(),
            self.method(),
            self.status_label(),
            self.uuid(),
        ])
    }
    fn cell(&self, col: usize) -> &str {
        match col {
            0 => self.folio(),
            1 => self.created_fmt(),
            2 => self.client(),
            3 => self.total_fmt(),
            4 => self.status_label(),
            5 => self.method(),
            _ => self.uuid(),
        }
    }
    fn cmp_col(&self, o: &Self, col: usize) -> Ordering {
        match col {
            1 => self.created.cmp(&o.created),
            3 => self.total_mxn().cmp(&o.total_mxn()),
            c => cmp_text(self.cell(c), o.cell(c)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{InvoiceRow, PaymentRow};

    /// A big team holds 170,000 invoice rows and 200,000 payment rows: each byte more is
    /// 0.4 MB. What few rows have stays boxed apart (`rare`).
    #[test]
    fn rows_stay_within_their_bytes() {
        assert!(std::mem::size_of::<InvoiceRow>() <= 80);
        assert!(std::mem::size_of::<PaymentRow>() <= 88);
    }
}
