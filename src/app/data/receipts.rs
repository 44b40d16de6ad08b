//! A sales receipt as a table row (the Receipts tab): created, client, total, status, and
//! how long until it expires into the global invoice — said relative to when the row was
//! made (the worker's clock), so it never reads "in 3 days" for one already gone.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::api::{Receipt, ReceiptStatus};
use crate::app::data::columns::{Column, Hay, Packed, Row, Tone, cmp_text, col, hay, wide};
use crate::i18n::{Lang, tr};

#[derive(Clone, Debug)]
pub struct ReceiptRow {
    /// id, created, client, total, status, expires, self-invoice link
    text: Packed<7>,
    pub created: i64,
    pub total: Decimal,
    pub valid_until: Option<i64>,
    pub status: Option<ReceiptStatus>,
    pub tone: Tone,
    pesos: bool,
}

/// "in 3 days", "in 5 h", "expired 2 days ago", "—".
pub fn expiry(valid_until: Option<i64>, now: i64, lang: Lang) -> String {
    let Some(v) = valid_until else {
        return "—".into();
    };
    let left = v - now;
    let (n, unit) = match left.abs() {
        s if s >= 2 * 86_400 => (s / 86_400, tr("days", "días")),
        s if s >= 86_400 => (1, tr("day", "día")),
        s if s >= 3_600 => (s / 3_600, tr("h", "h")),
        s => ((s / 60).max(1), tr("min", "min")),
    };
    let unit = unit.get(lang);
    if left >= 0 {
        crate::t!(lang, "in {n} {unit}", "en {n} {unit}")
    } else {
        crate::t!(lang, "expired {n} {unit} ago", "venció hace {n} {unit}")
    }
}

pub fn receipt_status_word(s: Option<&ReceiptStatus>, lang: Lang) -> (String, Tone) {
    let (t, tone) = match s {
        Some(ReceiptStatus::Pending) => (tr("pending", "pendiente"), Tone::Warn),
        Some(ReceiptStatus::Invoiced) => (tr("invoiced", "facturado"), Tone::Good),
        Some(ReceiptStatus::Expired) => (tr("global invoice", "factura global"), Tone::Bad),
        Some(ReceiptStatus::Canceled) => (tr("cancelled", "cancelado"), Tone::Muted),
        Some(ReceiptStatus::Other(o)) => return (crate::text::printable(o), Tone::Muted),
        None => (tr("unknown", "desconocido"), Tone::Muted),
    };
    (t.get(lang).to_string(), tone)
}

impl ReceiptRow {
    /// `now`: when the row is made, for the expiry.
    pub fn from_api(r: &Receipt, lang: Lang, now: i64) -> Self {
        let created = r.created().map(|i| lang.datetime(i)).unwrap_or_default();
        let currency = r.currency.as_deref().unwrap_or("MXN");
        let total = r.total.map(|t| t.0).unwrap_or_default();
        let total_fmt = crate::api::Amount(total).display(currency);
        let (status, tone) = receipt_status_word(r.status.as_ref(), lang);
        let valid_until = r.valid_until.map(|v| v.as_second());
        let open = matches!(r.status, Some(ReceiptStatus::Pending));
        let expires = if open {
            expiry(valid_until, now, lang)
        } else {
            String::new()
        };
        let client = r
            .client
            .as_ref()
            .map(|c| c.display_name())
            .filter(|n| !n.is_empty())
            .unwrap_or(lang.pick("Público en general", "Público en general"));
        let parts = [
            r.id.as_str(),
            &created,
            client,
            &total_fmt,
            &status,
            &expires,
            r.url.as_deref().unwrap_or(""),
        ];
        ReceiptRow {
            text: Packed::new(parts),
            created: r.created().map(|c| c.as_second()).unwrap_or(0),
            total,
            valid_until,
            status: r.status.clone(),
            tone,
            pesos: currency.eq_ignore_ascii_case("MXN"),
        }
    }

    pub fn client(&self) -> &str {
        self.text.get(2)
    }
    pub fn total_fmt(&self) -> &str {
        self.text.get(3)
    }
    pub fn status_label(&self) -> &str {
        self.text.get(4)
    }
    /// The self-invoice portal link (printable).
    pub fn link(&self) -> &str {
        self.text.get(6)
    }
    pub fn is_open(&self) -> bool {
        matches!(self.status, Some(ReceiptStatus::Pending))
    }
    /// In pesos (or of no currency said, which the API means as pesos).
    pub fn in_pesos(&self) -> bool {
        self.pesos
    }
}

pub const RECEIPT_COLUMNS: [Column; 6] = [
    col(tr("Date", "Fecha"), 16, false, false),
    col(tr("Client", "Cliente"), 18, true, false),
    col(tr("Total", "Total"), 16, false, true),
    col(tr("Status", "Estado"), 16, false, false),
    col(tr("Expires", "Vence"), 20, false, false),
    wide(col(tr("Id", "Id"), 12, true, false), 110),
];

impl Row for ReceiptRow {
    fn share_texts(rows: &mut [Self]) {
        Packed::share(rows.iter_mut().map(|r| &mut r.text));
    }
    const COLUMNS: &'static [Column] = &RECEIPT_COLUMNS;
    const DEFAULT_SORT: (usize, bool) = (0, true);
    fn id(&self) -> &str {
        self.text.get(0)
    }
    fn search(&self) -> Hay<'_> {
        hay(std::array::from_fn::<_, 5, _>(|i| self.text.get(i)))
    }
    fn cell(&self, col: usize) -> &str {
        match col {
            5 => self.text.get(0),
            c => self.text.get(c + 1),
        }
    }
    fn cmp_col(&self, o: &Self, col: usize) -> Ordering {
        match col {
            0 => self.created.cmp(&o.created),
            2 => self.total.cmp(&o.total),
            4 => self.valid_until.cmp(&o.valid_until),
            c => cmp_text(self.cell(c), o.cell(c)),
        }
    }
}
