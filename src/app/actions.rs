//! Write actions from the keyboard: the dialogs for mark paid, refund, cancel payment and
//! cancel invoice; their validation (cfdi-rules.md); the confirmation rules (start on "No",
//! name the team, a typed word on live keys); and the lock on a row while its write runs.

use rust_decimal::Decimal;
use std::str::FromStr;
use tui_input::Input;

use super::rows::{InvoiceRow, PaymentRow, Row, RowCancellation, RowStatus};
use crate::api::{Amount, PaymentStatus, TeamId};

/// SAT c_FormaPago without 99 ("por definir" cannot record money received).
pub const PAYMENT_FORMS: &[(&str, &str)] = &[
    ("01", "Efectivo"),
    ("02", "Cheque nominativo"),
    ("03", "Transferencia electrónica"),
    ("04", "Tarjeta de crédito"),
    ("05", "Monedero electrónico"),
    ("06", "Dinero electrónico"),
    ("08", "Vales de despensa"),
    ("12", "Dación en pago"),
    ("13", "Subrogación"),
    ("14", "Consignación"),
    ("15", "Condonación"),
    ("17", "Compensación"),
    ("23", "Novación"),
    ("24", "Confusión"),
    ("25", "Remisión de deuda"),
    ("26", "Prescripción o caducidad"),
    ("27", "A satisfacción del acreedor"),
    ("28", "Tarjeta de débito"),
    ("29", "Tarjeta de servicios"),
    ("30", "Aplicación de anticipos"),
    ("31", "Intermediario pagos"),
];

pub const MOTIVES: &[(&str, &str)] = &[
    (
        "01",
        "Comprobante emitido con errores con relación (needs the replacing invoice)",
    ),
    ("02", "Comprobante emitido con errores sin relación"),
    ("03", "No se llevó a cabo la operación"),
    (
        "04",
        "Operación nominativa relacionada en una factura global",
    ),
];

const GENERIC_RFCS: &[&str] = &["XAXX010101000", "XEXX010101000"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteKind {
    MarkPaid,
    Refund,
    CancelPayment,
    CancelInvoice,
}

impl WriteKind {
    pub fn title(self) -> &'static str {
        match self {
            WriteKind::MarkPaid => "Mark payment paid",
            WriteKind::Refund => "Refund payment",
            WriteKind::CancelPayment => "Cancel payment",
            WriteKind::CancelInvoice => "Cancel invoice (SAT)",
        }
    }
    pub fn slug(self) -> &'static str {
        match self {
            WriteKind::MarkPaid => "mark_paid",
            WriteKind::Refund => "refund",
            WriteKind::CancelPayment => "cancel_payment",
            WriteKind::CancelInvoice => "cancel_invoice",
        }
    }
    /// The word a live key must type to confirm, for what cannot be undone.
    pub fn confirm_word(self) -> Option<&'static str> {
        match self {
            WriteKind::MarkPaid => None,
            WriteKind::Refund => Some("REEMBOLSAR"),
            WriteKind::CancelPayment | WriteKind::CancelInvoice => Some("CANCELAR"),
        }
    }
}

/// A validated write, ready for the worker.
#[derive(Clone, Debug, PartialEq)]
pub enum WriteRequest {
    MarkPaid {
        payment_id: String,
        payment_form: String,
        date: i64,
    },
    Refund {
        payment_id: String,
        amount: Decimal,
        reason: Option<String>,
    },
    CancelPayment {
        payment_id: String,
    },
    CancelInvoice {
        uuid: String,
        motive: String,
        substitution: Option<String>,
    },
}

impl WriteRequest {
    pub fn kind(&self) -> WriteKind {
        match self {
            WriteRequest::MarkPaid { .. } => WriteKind::MarkPaid,
            WriteRequest::Refund { .. } => WriteKind::Refund,
            WriteRequest::CancelPayment { .. } => WriteKind::CancelPayment,
            WriteRequest::CancelInvoice { .. } => WriteKind::CancelInvoice,
        }
    }
    pub fn object_id(&self) -> &str {
        match self {
            WriteRequest::MarkPaid { payment_id, .. }
            | WriteRequest::Refund { payment_id, .. }
            | WriteRequest::CancelPayment { payment_id } => payment_id,
            WriteRequest::CancelInvoice { uuid, .. } => uuid,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Form,
    Date,
    Amount,
    Reason,
    Motive,
    Substitution,
    Word,
    Buttons,
}

#[derive(Clone, Debug)]
pub struct Dialog {
    pub kind: WriteKind,
    pub team: TeamId,
    pub team_name: String,
    /// The team is reached through Connect, not the key's own.
    pub connect: bool,
    pub live: bool,
    pub object_id: String,
    pub client: String,
    pub client_rfc: String,
    /// What the dialog names: the payment total or invoice total, formatted.
    pub amount_text: String,
    pub currency: String,
    /// For refunds: what can still be refunded.
    pub refundable: Decimal,
    pub focus: Field,
    /// The buttons start on "No".
    pub yes: bool,
    pub form_filter: Input,
    pub form_index: usize,
    pub date: Input,
    pub amount: Input,
    pub reason: Input,
    pub motive: usize,
    pub substitution: Input,
    /// Same team, same client, valid invoices: (uuid, label).
    pub substitution_choices: Vec<(String, String)>,
    pub word: Input,
    pub warnings: Vec<String>,
    pub error: Option<String>,
    pub idempotency_key: String,
    /// Rows of a bulk action (empty for a single row).
    pub bulk: Vec<super::bulk::BulkItem>,
}

impl Dialog {
    pub(super) fn base(
        kind: WriteKind,
        team: TeamId,
        team_name: String,
        connect: bool,
        live: bool,
        key: String,
    ) -> Self {
        Dialog {
            kind,
            team,
            team_name,
            connect,
            live,
            object_id: String::new(),
            client: String::new(),
            client_rfc: String::new(),
            amount_text: String::new(),
            currency: "MXN".into(),
            refundable: Decimal::ZERO,
            focus: Field::Buttons,
            yes: false,
            form_filter: Input::default(),
            form_index: 0,
            date: Input::default(),
            amount: Input::default(),
            reason: Input::default(),
            motive: 1,
            substitution: Input::default(),
            substitution_choices: Vec::new(),
            word: Input::default(),
            warnings: Vec::new(),
            error: None,
            idempotency_key: key,
            bulk: Vec::new(),
        }
    }

    /// `p`, `R` or `x` on a payment row.
    #[allow(clippy::too_many_arguments)]
    pub fn for_payment(
        kind: WriteKind,
        row: &PaymentRow,
        team: TeamId,
        team_name: String,
        connect: bool,
        live: bool,
        today: &str,
        key: String,
    ) -> Self {
        let mut d = Dialog::base(kind, team, team_name, connect, live, key);
        d.object_id = row.id().to_string();
        d.client = row.client().to_string();
        d.amount_text = row.total_fmt().to_string();
        d.currency = row.currency().to_string();
        d.refundable = (row.total - row.refunded).max(Decimal::ZERO);
        match kind {
            WriteKind::MarkPaid => {
                d.focus = Field::Form;
                d.form_index = PAYMENT_FORMS
                    .iter()
                    .position(|(c, _)| *c == "03")
                    .unwrap_or(0);
                d.date = Input::new(today.to_string());
            }
            WriteKind::Refund => {
                d.focus = Field::Amount;
                d.amount = Input::new(d.refundable.normalize().to_string());
            }
            _ => {
                d.focus = if d.needs_word() {
                    Field::Word
                } else {
                    Field::Buttons
                }
            }
        }
        d
    }

    /// `x` on an invoice row; `same_client` are this team's other invoices.
    #[allow(clippy::too_many_arguments)]
    pub fn for_invoice<'a>(
        row: &InvoiceRow,
        same_team: impl Iterator<Item = &'a InvoiceRow>,
        team: TeamId,
        team_name: String,
        connect: bool,
        live: bool,
        today: jiff::civil::Date,
        key: String,
    ) -> Self {
        let mut d = Dialog::base(
            WriteKind::CancelInvoice,
            team,
            team_name,
            connect,
            live,
            key,
        );
        d.object_id = row.uuid().to_string();
        d.client = row.client().to_string();
        d.client_rfc = row.client_rfc().to_string();
        d.amount_text = row.total_fmt().to_string();
        d.currency = row.currency().to_string();
        d.focus = Field::Motive;
        d.substitution_choices = same_team
            .filter(|r| {
                r.uuid() != row.uuid()
                    && r.status == RowStatus::Valid
                    && r.cancellation == RowCancellation::None
                    && r.client_rfc() == row.client_rfc()
            })
            .take(50)
            .map(|r| {
                (
                    r.uuid().to_string(),
                    format!("{} {} {}", r.folio(), r.created_fmt(), r.total_fmt()),
                )
            })
            .collect();
        if row.total_mxn > Decimal::from(1000)
            && row.kind() != "E"
            && !GENERIC_RFCS.contains(&row.client_rfc())
        {
            d.warnings.push(
                "Above $1,000 MXN: the receiver must accept. The invoice stays valid, shown as «cancel pending», until they do (silence for 3 business days counts as yes)."
                    .into(),
            );
        }
        if let Some(w) = deadline_warning(row.created, row.client_rfc(), today) {
            d.warnings.push(w);
        }
        d
    }

    pub fn needs_word(&self) -> bool {
        self.live && self.kind.confirm_word().is_some()
    }

    /// The fields in tab order.
    pub fn fields(&self) -> Vec<Field> {
        let mut f = match self.kind {
            WriteKind::MarkPaid => vec![Field::Form, Field::Date],
            WriteKind::Refund => vec![Field::Amount, Field::Reason],
            WriteKind::CancelPayment => vec![],
            WriteKind::CancelInvoice if self.motive == 0 => {
                vec![Field::Motive, Field::Substitution]
            }
            WriteKind::CancelInvoice => vec![Field::Motive],
        };
        if self.needs_word() {
            f.push(Field::Word);
        }
        f.push(Field::Buttons);
        f
    }

    pub fn next_field(&mut self, back: bool) {
        let fields = self.fields();
        let i = fields.iter().position(|f| *f == self.focus).unwrap_or(0);
        let n = fields.len();
        self.focus = fields[if back { (i + n - 1) % n } else { (i + 1) % n }];
    }

    /// The payment forms matching what was typed in the form field.
    pub fn forms(&self) -> Vec<(&'static str, &'static str)> {
        let q = super::rows::fold(self.form_filter.value());
        PAYMENT_FORMS
            .iter()
            .copied()
            .filter(|(c, n)| q.is_empty() || c.starts_with(&q) || super::rows::fold(n).contains(&q))
            .collect()
    }

    /// Checks every field; the request to send, or what is wrong in words.
    pub fn validate(&self) -> Result<WriteRequest, String> {
        if self.needs_word() {
            let word = self.kind.confirm_word().unwrap_or("");
            if self.word.value().trim() != word {
                return Err(format!("This is a live key: type {word} to confirm."));
            }
        }
        match self.kind {
            WriteKind::MarkPaid => {
                let forms = self.forms();
                let Some((code, _)) = forms
                    .get(self.form_index.min(forms.len().saturating_sub(1)))
                    .filter(|_| !forms.is_empty())
                else {
                    return Err("Choose a payment form (99 «por definir» is not allowed when money arrived).".into());
                };
                let date = parse_date(self.date.value())?;
                Ok(WriteRequest::MarkPaid {
                    payment_id: self.object_id.clone(),
                    payment_form: code.to_string(),
                    date,
                })
            }
            WriteKind::Refund => {
                let text = self.amount.value().trim().replace([',', '$'], "");
                let amount = Decimal::from_str(&text)
                    .map_err(|_| format!("«{}» is not an amount.", self.amount.value()))?;
                if amount <= Decimal::ZERO {
                    return Err("The refund must be more than zero.".into());
                }
                if amount > self.refundable {
                    return Err(format!(
                        "At most {} can be refunded (paid minus earlier refunds).",
                        Amount(self.refundable).display(&self.currency)
                    ));
                }
                let reason = self.reason.value().trim();
                Ok(WriteRequest::Refund {
                    payment_id: self.object_id.clone(),
                    amount,
                    reason: (!reason.is_empty()).then(|| reason.to_string()),
                })
            }
            WriteKind::CancelPayment => Ok(WriteRequest::CancelPayment {
                payment_id: self.object_id.clone(),
            }),
            WriteKind::CancelInvoice => {
                let motive = MOTIVES[self.motive.min(3)].0.to_string();
                let substitution = if motive == "01" && !self.bulk.is_empty() {
                    return Err("Motive 01 needs a replacing invoice for each one: cancel those one by one.".into());
                } else if motive == "01" {
                    let s = self.substitution.value().trim().to_lowercase();
                    if uuid::Uuid::parse_str(&s).is_err() {
                        return Err("Motive 01 needs the UUID of the replacing invoice (type it or pick one with ↑↓).".into());
                    }
                    if s == self.object_id.to_lowercase() {
                        return Err("An invoice cannot replace itself.".into());
                    }
                    if !self.substitution_choices.is_empty()
                        && !self
                            .substitution_choices
                            .iter()
                            .any(|(u, _)| u.to_lowercase() == s)
                    {
                        return Err("The replacing invoice must be a valid invoice of this team for the same client.".into());
                    }
                    Some(s)
                } else {
                    None
                };
                Ok(WriteRequest::CancelInvoice {
                    uuid: self.object_id.clone(),
                    motive,
                    substitution,
                })
            }
        }
    }
}

/// `2026-11-28` → epoch seconds at noon, Mexico City (a date, not an instant).
pub fn parse_date(text: &str) -> Result<i64, String> {
    let d: jiff::civil::Date = text
        .trim()
        .parse()
        .map_err(|_| format!("«{}» is not a date; use YYYY-MM-DD.", text.trim()))?;
    d.at(12, 0, 0, 0)
        .to_zoned(crate::api::time::mexico_city().clone())
        .map(|z| z.timestamp().as_second())
        .map_err(|e| format!("invalid date: {e}"))
}

/// Cancellation is expected by the annual return of the issuing year: 31 March for
/// companies (12-character RFC), 30 April for individuals. Warn, never block.
pub fn deadline_warning(created: i64, rfc: &str, today: jiff::civil::Date) -> Option<String> {
    let issued = jiff::Timestamp::from_second(created)
        .ok()?
        .to_zoned(crate::api::time::mexico_city().clone())
        .date();
    let (month, day) = if rfc.len() == 13 { (4, 30) } else { (3, 31) };
    let deadline = jiff::civil::date(issued.year() + 1, month, day);
    (today > deadline).then(|| {
        format!(
            "The cancellation deadline for {} invoices passed on {deadline}: a late cancellation can draw a fine.",
            issued.year()
        )
    })
}

/// Why a write key does nothing on this row, if it does nothing.
pub fn payment_refusal(kind: WriteKind, row: &PaymentRow) -> Option<&'static str> {
    match kind {
        WriteKind::MarkPaid if !row.status.is_uncollected() => {
            Some("only a pending payment can be marked paid")
        }
        WriteKind::CancelPayment if !row.status.is_uncollected() => {
            Some("only an uncollected payment can be canceled; a collected one needs a refund (R)")
        }
        WriteKind::Refund if row.status != PaymentStatus::Succeeded => {
            Some("only a succeeded payment can be refunded")
        }
        WriteKind::Refund if row.total <= row.refunded => Some("nothing left to refund"),
        _ => None,
    }
}

pub fn invoice_refusal(row: &InvoiceRow) -> Option<&'static str> {
    match (row.status, row.cancellation) {
        (RowStatus::Canceled, _) => Some("the invoice is already canceled"),
        (_, RowCancellation::Pending) => Some("a cancellation is already waiting for the receiver"),
        _ if row.method() == "PPD" && row.complements > 0 => Some(
            "a PPD invoice with payment complements cannot be canceled; cancel the complements first",
        ),
        _ => None,
    }
}
