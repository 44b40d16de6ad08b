//! Compact table rows built from API objects once, when data arrives (in the worker, off
//! the UI path): money and dates formatted a single time, sort keys typed, and only what
//! the tables, the overview and the actions need — so 100,000 rows stay small.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::api::{
    Amount, CancellationStatus, Client, Instant, Invoice, InvoiceStatus, Payment, PaymentStatus,
};

/// A table column: its title, width and alignment.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub title: &'static str,
    /// Minimum width in cells; the widest columns share what is left.
    pub width: u16,
    pub grow: bool,
    /// Right-aligned, and always as wide as its widest visible value (money is never cut).
    pub right: bool,
    /// The column is shown only when the table is at least this wide.
    pub min_table_width: u16,
}

const fn col(title: &'static str, width: u16, grow: bool, right: bool) -> Column {
    Column {
        title,
        width,
        grow,
        right,
        min_table_width: 0,
    }
}

const fn wide(c: Column, min_table_width: u16) -> Column {
    Column {
        min_table_width,
        ..c
    }
}

/// A row of one of the tables.
pub trait Row: Clone + Send + Sync + 'static {
    const COLUMNS: &'static [Column];
    fn id(&self) -> &str;
    /// The visible columns, lower-cased and without accents, for the filter.
    fn search(&self) -> &str;
    fn cell(&self, col: usize) -> &str;
    fn cmp_col(&self, other: &Self, col: usize) -> Ordering;
    /// The column sorted by default (newest first).
    const DEFAULT_SORT: (usize, bool);
}

/// Lower case without accents (`Núñez` → `nunez`), so filtering ignores both.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let f = match c {
            'á' | 'à' | 'ä' | 'â' | 'Á' | 'À' | 'Ä' | 'Â' => 'a',
            'é' | 'è' | 'ë' | 'ê' | 'É' | 'È' | 'Ë' | 'Ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' | 'Í' | 'Ì' | 'Ï' | 'Î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' | 'Ó' | 'Ò' | 'Ö' | 'Ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' | 'Ú' | 'Ù' | 'Ü' | 'Û' => 'u',
            'ñ' | 'Ñ' => 'n',
            'ç' | 'Ç' => 'c',
            c => {
                out.extend(c.to_lowercase());
                continue;
            }
        };
        out.push(f);
    }
    out
}

fn search_text<R: Row>(row: &R) -> Box<str> {
    let mut s = String::new();
    for c in 0..R::COLUMNS.len() {
        s.push_str(row.cell(c));
        s.push(' ');
    }
    fold(&s).into()
}

fn date(i: Option<Instant>) -> Box<str> {
    i.map(|i| i.local_datetime()).unwrap_or_default().into()
}

/// A short status label, its colour class decided by the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tone {
    Good,
    Warn,
    Bad,
    Muted,
}

#[derive(Clone, Debug)]
pub struct ClientRow {
    pub search: Box<str>,
    pub id: Box<str>,
    pub name: Box<str>,
    pub rfc: Box<str>,
    pub email: Box<str>,
    pub regime: Box<str>,
    pub created: i64,
    pub created_fmt: Box<str>,
}

impl ClientRow {
    pub fn from_api(c: &Client) -> Self {
        let mut row = ClientRow {
            search: Box::from(""),
            id: c.id.as_str().into(),
            name: c.display_name().into(),
            rfc: c.rfc().into(),
            email: c.email.clone().unwrap_or_default().into(),
            regime: c.tax_system.clone().unwrap_or_default().into(),
            created: c.created().map(|i| i.as_second()).unwrap_or(0),
            created_fmt: date(c.created()),
        };
        row.search = search_text(&row);
        row
    }
}

impl Row for ClientRow {
    const COLUMNS: &'static [Column] = &[
        col("Name", 20, true, false),
        col("RFC", 13, false, false),
        wide(col("Email", 18, true, false), 90),
        col("Régimen", 7, false, false),
        col("Created", 16, false, false),
    ];
    const DEFAULT_SORT: (usize, bool) = (4, true);
    fn id(&self) -> &str {
        &self.id
    }
    fn search(&self) -> &str {
        &self.search
    }
    fn cell(&self, col: usize) -> &str {
        match col {
            0 => &self.name,
            1 => &self.rfc,
            2 => &self.email,
            3 => &self.regime,
            _ => &self.created_fmt,
        }
    }
    fn cmp_col(&self, o: &Self, col: usize) -> Ordering {
        match col {
            4 => self.created.cmp(&o.created),
            c => cmp_text(self.cell(c), o.cell(c)),
        }
    }
}

fn lower(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().flat_map(char::to_lowercase)
}

fn cmp_text(a: &str, b: &str) -> Ordering {
    lower(a).cmp(lower(b))
}

#[derive(Clone, Debug)]
pub struct InvoiceRow {
    pub search: Box<str>,
    pub uuid: Box<str>,
    pub folio: Box<str>,
    pub created: i64,
    pub created_fmt: Box<str>,
    pub client: Box<str>,
    pub client_id: Box<str>,
    pub client_rfc: Box<str>,
    pub total: Decimal,
    pub total_fmt: Box<str>,
    pub currency: Box<str>,
    /// Total × exchange rate, for figures in pesos.
    pub total_mxn: Decimal,
    pub status: InvoiceStatus,
    pub cancellation: Option<CancellationStatus>,
    pub kind: Box<str>,
    pub method: Box<str>,
    pub balance_mxn: Option<Decimal>,
    pub complements: u32,
    pub status_label: &'static str,
    pub tone: Tone,
}

impl InvoiceRow {
    pub fn from_api(i: &Invoice) -> Self {
        let rate = i.exchange_rate.map(|r| r.0).unwrap_or(Decimal::ONE);
        let rate = if rate.is_zero() { Decimal::ONE } else { rate };
        let status = i.status();
        let cancellation = i.cancellation_status.clone();
        let (status_label, tone) = invoice_label(&status, cancellation.as_ref());
        let mut row = InvoiceRow {
            search: Box::from(""),
            uuid: i.uuid().into(),
            folio: i.folio().into(),
            created: i.created_at.map(|c| c.as_second()).unwrap_or(0),
            created_fmt: date(i.created_at),
            client: i
                .client
                .as_ref()
                .map(|c| c.display_name())
                .unwrap_or("")
                .into(),
            client_id: i
                .client
                .as_ref()
                .and_then(|c| c.id.clone())
                .unwrap_or_default()
                .into(),
            client_rfc: i
                .client
                .as_ref()
                .and_then(|c| c.tax_id.clone())
                .unwrap_or_default()
                .into(),
            total: i.total().0,
            total_fmt: i.total().display(i.currency()).into(),
            currency: i.currency().into(),
            total_mxn: i.total().0 * rate,
            status,
            cancellation,
            kind: i.invoice_type.clone().unwrap_or_else(|| "I".into()).into(),
            method: i.payment_method.clone().unwrap_or_default().into(),
            balance_mxn: i.last_balance.map(|b| b.0 * rate),
            complements: i.payment_complements.unwrap_or(0),
            status_label,
            tone,
        };
        row.search = search_text(&row);
        row
    }

    pub fn total_amount(&self) -> Amount {
        Amount(self.total)
    }
}

/// The label never claims "canceled" before the SAT accepts (cfdi-rules.md).
fn invoice_label(s: &InvoiceStatus, c: Option<&CancellationStatus>) -> (&'static str, Tone) {
    match (s, c) {
        (InvoiceStatus::Canceled, _) => ("canceled", Tone::Bad),
        (_, Some(CancellationStatus::Pending)) => ("cancel pending", Tone::Warn),
        (_, Some(CancellationStatus::Rejected)) => ("cancel rejected", Tone::Warn),
        (InvoiceStatus::Valid, _) => ("valid", Tone::Good),
        (InvoiceStatus::Pending, _) => ("pending", Tone::Warn),
        (InvoiceStatus::Draft, _) => ("draft", Tone::Muted),
        (InvoiceStatus::Other(_), _) => ("other", Tone::Muted),
    }
}

impl Row for InvoiceRow {
    const COLUMNS: &'static [Column] = &[
        col("Folio", 8, false, false),
        col("Date", 16, false, false),
        col("Client", 18, true, false),
        col("Total", 16, false, true),
        col("Status", 14, false, false),
        wide(col("Method", 6, false, false), 100),
        wide(col("UUID", 12, true, false), 110),
    ];
    const DEFAULT_SORT: (usize, bool) = (1, true);
    fn id(&self) -> &str {
        &self.uuid
    }
    fn search(&self) -> &str {
        &self.search
    }
    fn cell(&self, col: usize) -> &str {
        match col {
            0 => &self.folio,
            1 => &self.created_fmt,
            2 => &self.client,
            3 => &self.total_fmt,
            4 => self.status_label,
            5 => &self.method,
            _ => &self.uuid,
        }
    }
    fn cmp_col(&self, o: &Self, col: usize) -> Ordering {
        match col {
            1 => self.created.cmp(&o.created),
            3 => self.total_mxn.cmp(&o.total_mxn),
            c => cmp_text(self.cell(c), o.cell(c)),
        }
    }
}

#[derive(Clone, Debug)]
pub struct PaymentRow {
    pub search: Box<str>,
    pub id: Box<str>,
    pub created: i64,
    pub created_fmt: Box<str>,
    pub client: Box<str>,
    pub client_id: Box<str>,
    pub total: Decimal,
    pub total_fmt: Box<str>,
    pub currency: Box<str>,
    pub total_mxn: Decimal,
    pub refunded: Decimal,
    pub status: PaymentStatus,
    pub status_label: Box<str>,
    pub tone: Tone,
    pub form: Box<str>,
    pub invoices: Vec<Box<str>>,
    pub succeeded_at: Option<i64>,
}

impl PaymentRow {
    pub fn from_api(p: &Payment) -> Self {
        let rate = p.exchange_rate.map(|r| r.0).unwrap_or(Decimal::ONE);
        let rate = if rate.is_zero() { Decimal::ONE } else { rate };
        let status = p.status();
        let tone = match status {
            PaymentStatus::Succeeded => Tone::Good,
            PaymentStatus::RequiresPaymentMethod
            | PaymentStatus::Pending
            | PaymentStatus::Processing => Tone::Warn,
            PaymentStatus::Failed => Tone::Bad,
            PaymentStatus::Refunded | PaymentStatus::Canceled | PaymentStatus::Other(_) => {
                Tone::Muted
            }
        };
        let label = match &status {
            PaymentStatus::RequiresPaymentMethod => "awaiting payment".to_string(),
            PaymentStatus::Succeeded if !p.refunds.is_empty() => "part refunded".to_string(),
            other => other.as_str().to_string(),
        };
        let mut row = PaymentRow {
            search: Box::from(""),
            id: p.id.as_str().into(),
            created: p.created_at.map(|c| c.as_second()).unwrap_or(0),
            created_fmt: date(p.created_at),
            client: p
                .client
                .as_ref()
                .map(|c| c.display_name())
                .unwrap_or("")
                .into(),
            client_id: p
                .client
                .as_ref()
                .and_then(|c| c.id.clone())
                .unwrap_or_default()
                .into(),
            total: p.total.0,
            total_fmt: p.total.display(p.currency()).into(),
            currency: p.currency().into(),
            total_mxn: p.total.0 * rate,
            refunded: p.refunded().0,
            status,
            status_label: label.into(),
            tone,
            form: p.payment_form.clone().unwrap_or_default().into(),
            invoices: p.invoices.iter().map(|i| i.0.as_str().into()).collect(),
            succeeded_at: p.succeeded_at.map(|s| s.as_second()),
        };
        row.search = search_text(&row);
        row
    }
}

impl Row for PaymentRow {
    const COLUMNS: &'static [Column] = &[
        col("Date", 16, false, false),
        col("Client", 18, true, false),
        col("Total", 16, false, true),
        col("Status", 16, false, false),
        wide(col("Form", 4, false, false), 96),
        wide(col("Id", 12, true, false), 106),
    ];
    const DEFAULT_SORT: (usize, bool) = (0, true);
    fn id(&self) -> &str {
        &self.id
    }
    fn search(&self) -> &str {
        &self.search
    }
    fn cell(&self, col: usize) -> &str {
        match col {
            0 => &self.created_fmt,
            1 => &self.client,
            2 => &self.total_fmt,
            3 => &self.status_label,
            4 => &self.form,
            _ => &self.id,
        }
    }
    fn cmp_col(&self, o: &Self, col: usize) -> Ordering {
        match col {
            0 => self.created.cmp(&o.created),
            2 => self.total_mxn.cmp(&o.total_mxn),
            c => cmp_text(self.cell(c), o.cell(c)),
        }
    }
}
