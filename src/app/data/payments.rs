//! A payment as a table row (the Payments tab, the Overview's figures, the complements
//! owed): compact, since a big team holds 200,000 of them — its status in a byte and its
//! label derived, what few payments have boxed apart.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::api::{Payment, PaymentStatus};
use crate::app::data::columns::{
    Column, Hay, Packed, Row, Tone, boxed_if_any, cmp_text, col, date, hay, in_pesos,
    unreadable_amount, wide,
};
use crate::app::data::who::{ClientTexts, client_of};
use crate::i18n::{Lang, tr};

/// A payment's status as the table and the detail view show it.
pub fn payment_label(status: &PaymentStatus, part_refunded: bool, lang: Lang) -> String {
    match payment_word(status, part_refunded) {
        Some(t) => t.get(lang).to_string(),
        None => status.as_str().to_string(),
    }
}

/// The words of `payment_label` for a known status (none for an unknown one, shown as it
/// came).
fn payment_word(status: &PaymentStatus, part_refunded: bool) -> Option<crate::i18n::Tr> {
    Some(match status {
        PaymentStatus::RequiresPaymentMethod => tr("awaiting payment", "esperando pago"),
        PaymentStatus::Succeeded if part_refunded => tr("part refunded", "reemb. parcial"),
        PaymentStatus::Succeeded => tr("succeeded", "pagado"),
        PaymentStatus::Pending => tr("pending", "pendiente"),
        PaymentStatus::Processing => tr("processing", "procesando"),
        PaymentStatus::Failed => tr("failed", "fallido"),
        PaymentStatus::Canceled => tr("canceled", "cancelado"),
        PaymentStatus::Refunded => tr("refunded", "reembolsado"),
        PaymentStatus::Other(_) => return None,
    })
}

#[derive(Clone, Debug)]
pub struct PaymentRow {
    /// id, created, total, currency, an unknown status as it came ("" for a known one:
    /// its label is derived), form, and the first invoice it names (as the API sent it;
    /// "" for none)
    text: Packed<7>,
    /// The client's name, id and RFC, shared with every row that names it.
    who: ClientTexts,
    pub created: i64,
    pub total: Decimal,
    /// What few payments have (another currency, a refund, more than one invoice), in
    /// one box only for those: inline, they made every row 48 bytes bigger.
    rare: Option<Box<PaymentRare>>,
    /// Its status (`status()`) in one byte: `PaymentStatus` takes 24 for its rare unknown
    /// value, whose text the row keeps anyway, as its label.
    state: PayState,
    /// When it was paid, in seconds (`succeeded_at()`); `NEVER` when it was not.
    paid: i64,
    /// Succeeded, and part of it refunded (its label says so).
    part_refunded: bool,
    /// The language of its texts (its status label is derived).
    lang: Lang,
}

/// What few payments have (`PaymentRow::rare`).
#[derive(Clone, Debug, Default, PartialEq)]
struct PaymentRare {
    /// Total × exchange rate, when that is not the total (not in pesos).
    mxn: Option<Decimal>,
    /// What was refunded (zero for nothing).
    refunded: Decimal,
    /// The invoices it names after the first: most name one, and that one is in `text`
    /// (a box of its own per payment was a fifth of a big team's memory).
    more: Box<[Box<str>]>,
}

/// `PaymentStatus` without its unknown value's text (`PaymentRow::state`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PayState {
    RequiresPaymentMethod,
    Pending,
    Processing,
    Succeeded,
    Failed,
    Canceled,
    Refunded,
    Other,
}

impl PayState {
    fn of(s: &PaymentStatus) -> Self {
        match s {
            PaymentStatus::RequiresPaymentMethod => PayState::RequiresPaymentMethod,
            PaymentStatus::Pending => PayState::Pending,
            PaymentStatus::Processing => PayState::Processing,
            PaymentStatus::Succeeded => PayState::Succeeded,
            PaymentStatus::Failed => PayState::Failed,
            PaymentStatus::Canceled => PayState::Canceled,
            PaymentStatus::Refunded => PayState::Refunded,
            PaymentStatus::Other(_) => PayState::Other,
        }
    }
}

/// `PaymentRow::paid` of a payment not paid (no real date is this far back).
const NEVER: i64 = i64::MIN;

impl PaymentRow {
    pub fn from_api(p: &Payment, lang: Lang) -> Self {
        let rate = p.exchange_rate.map(|r| r.0).unwrap_or(Decimal::ONE);
        let rate = if rate.is_zero() { Decimal::ONE } else { rate };
        let status = p.status();
        let part_refunded = !p.refunds.is_empty();
        let unknown = match &status {
            PaymentStatus::Other(o) => o.as_str(),
            _ => "",
        };
        let client = p.client.as_ref();
        let created = date(p.created_at, lang);
        let total_fmt = if p.unreadable.iter().any(|f| f == "total" || f == "amount") {
            unreadable_amount(lang)
        } else {
            p.total.display(p.currency())
        };
        // An empty link names no invoice.
        let mut links = p
            .invoices
            .iter()
            .map(|i| i.0.as_str())
            .filter(|l| !l.is_empty());
        let parts = [
            p.id.as_str(),
            &created,
            &total_fmt,
            p.currency(),
            unknown,
            p.payment_form.as_deref().unwrap_or(""),
            links.next().unwrap_or(""),
        ];
        let more: Box<[Box<str>]> = links.map(Box::from).collect();
        PaymentRow {
            text: Packed::with_raw(parts, 6),
            who: client_of(client),
            created: p.created_at.map(|c| c.as_second()).unwrap_or(0),
            total: p.total.0,
            rare: boxed_if_any(PaymentRare {
                mxn: in_pesos(p.total.0, rate),
                refunded: p.refunded().0,
                more,
            }),
            state: PayState::of(&status),
            paid: p.succeeded_at.map_or(NEVER, |s| s.as_second()),
            part_refunded,
            lang,
        }
    }

    /// Total × exchange rate, for figures in pesos.
    pub fn total_mxn(&self) -> Decimal {
        self.rare.as_ref().and_then(|r| r.mxn).unwrap_or(self.total)
    }
    /// What was refunded of it (zero for none).
    pub fn refunded(&self) -> Decimal {
        self.rare.as_ref().map(|r| r.refunded).unwrap_or_default()
    }
    /// When it was paid (`succeeded_at`), in seconds.
    pub fn succeeded_at(&self) -> Option<i64> {
        (self.paid != NEVER).then_some(self.paid)
    }
    /// Its status; an unknown one as its label shows it.
    pub fn status(&self) -> PaymentStatus {
        match self.state {
            PayState::RequiresPaymentMethod => PaymentStatus::RequiresPaymentMethod,
            PayState::Pending => PaymentStatus::Pending,
            PayState::Processing => PaymentStatus::Processing,
            PayState::Succeeded => PaymentStatus::Succeeded,
            PayState::Failed => PaymentStatus::Failed,
            PayState::Canceled => PaymentStatus::Canceled,
            PayState::Refunded => PaymentStatus::Refunded,
            PayState::Other => PaymentStatus::Other(self.text.get(4).to_string()),
        }
    }
    /// The colour class of its status.
    pub fn tone(&self) -> Tone {
        // On the byte, not `status()`: drawn every frame, an unknown status is not copied.
        match self.state {
            PayState::Succeeded => Tone::Good,
            PayState::RequiresPaymentMethod | PayState::Pending | PayState::Processing => {
                Tone::Warn
            }
            PayState::Failed => Tone::Bad,
            PayState::Refunded | PayState::Canceled | PayState::Other => Tone::Muted,
        }
    }

    pub fn created_fmt(&self) -> &str {
        self.text.get(1)
    }
    pub fn client(&self) -> &str {
        self.who.name()
    }
    pub fn client_id(&self) -> &str {
        self.who.id()
    }
    pub fn total_fmt(&self) -> &str {
        self.text.get(2)
    }
    pub fn currency(&self) -> &str {
        self.text.get(3)
    }
    /// Its status as the table shows it (`payment_label`).
    pub fn status_label(&self) -> &str {
        if self.state == PayState::Other {
            return self.text.get(4);
        }
        payment_word(&self.status(), self.part_refunded).map_or("", |t| t.get(self.lang))
    }
    pub fn form(&self) -> &str {
        self.text.get(5)
    }
    /// The invoices the payment names, in the API's order, as it sent them.
    pub fn invoices(&self) -> impl Iterator<Item = &str> + '_ {
        let first = self.text.get(6);
        let more = self.rare.as_ref().map_or(&[][..], |r| &r.more[..]);
        (!first.is_empty())
            .then_some(first)
            .into_iter()
            .chain(more.iter().map(|l| &**l))
    }
}

pub const PAYMENT_COLUMNS: [Column; 6] = [
    col(tr("Date", "Fecha"), 16, false, false),
    col(tr("Client", "Cliente"), 18, true, false),
    col(tr("Total", "Total"), 16, false, true),
    col(tr("Status", "Estado"), 16, false, false),
    wide(col(tr("Form", "Forma"), 4, false, false), 96),
    wide(col(tr("Id", "Id"), 12, true, false), 106),
];

impl Row for PaymentRow {
    fn share_texts(rows: &mut [Self]) {
        Packed::share(rows.iter_mut().map(|r| &mut r.text));
    }
    const COLUMNS: &'static [Column] = &PAYMENT_COLUMNS;
    const DEFAULT_SORT: (usize, bool) = (0, true);
    fn id(&self) -> &str {
        self.text.get(0)
    }
    fn search(&self) -> Hay<'_> {
        hay([
            self.created_fmt(),
            self.who.folded(),
            self.total_fmt(),
            self.status_label(),
            self.form(),
            self.id(),
        ])
    }
    fn cell(&self, col: usize) -> &str {
        match col {
            0 => self.created_fmt(),
            1 => self.client(),
            2 => self.total_fmt(),
            3 => self.status_label(),
            4 => self.form(),
            _ => self.id(),
        }
    }
    fn cmp_col(&self, o: &Self, col: usize) -> Ordering {
        match col {
            0 => self.created.cmp(&o.created),
            2 => self.total_mxn().cmp(&o.total_mxn()),
            c => cmp_text(self.cell(c), o.cell(c)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PaymentRow;
    use crate::api::{Payment, PaymentStatus};
    use crate::app::data::columns::{Row, Tone};
    use crate::i18n::Lang;
    use rust_decimal::Decimal;

    fn row(v: serde_json::Value, lang: Lang) -> PaymentRow {
        let p: Payment = serde_json::from_value(v).expect("a payment");
        PaymentRow::from_api(&p, lang)
    }

    #[test]
    fn every_invoice_a_payment_names_is_kept_in_order_and_an_empty_one_names_none() {
        let p = row(
            serde_json::json!({"id": "payment_1", "status": "succeeded", "total": 10,
                "invoices": ["", "inv-a", "inv-b", "", "inv-c"]}),
            Lang::En,
        );
        assert_eq!(
            p.invoices().collect::<Vec<_>>(),
            ["inv-a", "inv-b", "inv-c"]
        );
        let one = row(
            serde_json::json!({"id": "payment_2", "status": "pending", "total": 10,
                "invoices": ["inv-a"]}),
            Lang::En,
        );
        assert_eq!(one.invoices().collect::<Vec<_>>(), ["inv-a"]);
        let none = row(
            serde_json::json!({"id": "payment_3", "status": "pending", "total": 10}),
            Lang::En,
        );
        assert_eq!(none.invoices().count(), 0);
    }

    #[test]
    fn a_status_reads_back_with_its_label_and_tone_and_an_unknown_one_as_it_came() {
        let paid = row(
            serde_json::json!({"id": "payment_1", "status": "succeeded", "total": 100,
                "succeeded_at": 1_790_000_000, "refunds": [{"amount": 10}]}),
            Lang::Es,
        );
        assert_eq!(paid.status(), PaymentStatus::Succeeded);
        assert_eq!(paid.status_label(), "reemb. parcial");
        assert_eq!(paid.refunded(), Decimal::from(10));
        assert_eq!(paid.succeeded_at(), Some(1_790_000_000));
        assert_eq!(paid.tone(), Tone::Good);
        let odd = row(
            serde_json::json!({"id": "payment_2", "status": "disputed", "total": 100}),
            Lang::En,
        );
        assert_eq!(odd.status(), PaymentStatus::Other("disputed".into()));
        assert_eq!((odd.status_label(), odd.tone()), ("disputed", Tone::Muted));
        assert!(odd.search().contains(&"disputed"));
        assert_eq!((odd.refunded(), odd.succeeded_at()), (Decimal::ZERO, None));
        // In dollars: its pesos apart; in pesos: the total itself.
        let usd = row(
            serde_json::json!({"id": "payment_3", "status": "pending", "total": 10,
                "currency": "USD", "exchange_rate": 18.5}),
            Lang::En,
        );
        assert_eq!(
            (usd.total, usd.total_mxn()),
            (Decimal::from(10), Decimal::from(185))
        );
        assert_eq!(odd.total_mxn(), odd.total);
    }
}
