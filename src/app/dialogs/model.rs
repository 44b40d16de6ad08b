//! Write actions from the keyboard: the dialogs for mark paid, refund, cancel payment and
//! cancel invoice; their validation (cfdi-rules.md); the confirmation rules (start on "No",
//! name the team, a typed word on live keys); and the lock on a row while its write runs.

use crate::i18n::{Lang, Tr, tr};
use crate::t;
use rust_decimal::Decimal;
use std::collections::BTreeSet;
use tui_input::Input;

use crate::api::{Amount, PaymentStatus, TeamId};
use crate::app::data::documents::{InvoiceRow, PaymentRow, Row, RowCancellation, RowStatus};

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
    ("01", "Comprobante emitido con errores con relación"),
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
    /// A payment complement (type P) for a PPD invoice's uncovered payment.
    IssueComplement,
    /// Every pending receipt of a client stamped into invoices.
    StampReceipts,
    /// One receipt stamped into an invoice.
    StampReceipt,
    /// One receipt cancelled.
    CancelReceipt,
}

impl WriteKind {
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            WriteKind::MarkPaid => lang.pick("Mark payment paid", "Marcar pago como pagado"),
            WriteKind::Refund => lang.pick("Refund payment", "Reembolsar pago"),
            WriteKind::CancelPayment => lang.pick("Cancel payment", "Cancelar pago"),
            WriteKind::CancelInvoice => lang.pick("Cancel invoice (SAT)", "Cancelar factura (SAT)"),
            WriteKind::IssueComplement => {
                lang.pick("Issue payment complement", "Emitir complemento de pago")
            }
            WriteKind::StampReceipts => lang.pick(
                "Stamp the client's pending receipts",
                "Timbrar los recibos pendientes del cliente",
            ),
            WriteKind::StampReceipt => lang.pick("Stamp receipt", "Timbrar recibo"),
            WriteKind::CancelReceipt => lang.pick("Cancel receipt", "Cancelar recibo"),
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            WriteKind::MarkPaid => "mark_paid",
            WriteKind::Refund => "refund",
            WriteKind::CancelPayment => "cancel_payment",
            WriteKind::CancelInvoice => "cancel_invoice",
            WriteKind::IssueComplement => "issue_complement",
            WriteKind::StampReceipts => "stamp_pending_receipts",
            WriteKind::StampReceipt => "stamp_receipt",
            WriteKind::CancelReceipt => "cancel_receipt",
        }
    }
    /// The word a live key must type to confirm, for what cannot be undone.
    pub fn confirm_word(self) -> Option<&'static str> {
        match self {
            WriteKind::MarkPaid => None,
            WriteKind::Refund => Some("REEMBOLSAR"),
            WriteKind::CancelPayment | WriteKind::CancelInvoice => Some("CANCELAR"),
            WriteKind::IssueComplement => Some("EMITIR"),
            WriteKind::StampReceipts | WriteKind::StampReceipt => Some("TIMBRAR"),
            WriteKind::CancelReceipt => Some("CANCELAR"),
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
    IssueComplement {
        /// The PPD invoice.
        invoice_uuid: String,
        amount: Decimal,
        payment_form: String,
        date: i64,
    },
    StampReceipts {
        client_id: String,
    },
    StampReceipt {
        receipt_id: String,
    },
    CancelReceipt {
        receipt_id: String,
    },
}

impl WriteRequest {
    pub fn kind(&self) -> WriteKind {
        match self {
            WriteRequest::MarkPaid { .. } => WriteKind::MarkPaid,
            WriteRequest::Refund { .. } => WriteKind::Refund,
            WriteRequest::CancelPayment { .. } => WriteKind::CancelPayment,
            WriteRequest::CancelInvoice { .. } => WriteKind::CancelInvoice,
            WriteRequest::IssueComplement { .. } => WriteKind::IssueComplement,
            WriteRequest::StampReceipts { .. } => WriteKind::StampReceipts,
            WriteRequest::StampReceipt { .. } => WriteKind::StampReceipt,
            WriteRequest::CancelReceipt { .. } => WriteKind::CancelReceipt,
        }
    }
    pub fn object_id(&self) -> &str {
        match self {
            WriteRequest::MarkPaid { payment_id, .. }
            | WriteRequest::Refund { payment_id, .. }
            | WriteRequest::CancelPayment { payment_id } => payment_id,
            WriteRequest::CancelInvoice { uuid, .. }
            | WriteRequest::IssueComplement {
                invoice_uuid: uuid, ..
            } => uuid,
            WriteRequest::StampReceipts { client_id } => client_id,
            WriteRequest::StampReceipt { receipt_id }
            | WriteRequest::CancelReceipt { receipt_id } => receipt_id,
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
    /// The language of its texts and of the dates it reads.
    pub lang: Lang,
    pub idempotency_key: String,
    /// Rows of a bulk action (empty for a single row).
    pub bulk: Vec<BulkItem>,
}

/// What every dialog knows before its row: where it acts and how it speaks.
#[derive(Clone, Debug)]
pub struct Target {
    pub team: TeamId,
    pub team_name: String,
    /// Reached through Connect (not the key's own team).
    pub connect: bool,
    pub live: bool,
    pub lang: Lang,
    /// Today in Mexico City: the default payment date, and for cancellation deadlines.
    pub today: jiff::civil::Date,
}

impl Dialog {
    /// A dialog of `kind` with its defaults: focus on its first field, form 03, today's date.
    pub fn base(kind: WriteKind, at: &Target, key: String) -> Self {
        let mut d = Dialog {
            lang: at.lang,
            kind,
            team: at.team.clone(),
            team_name: at.team_name.clone(),
            connect: at.connect,
            live: at.live,
            object_id: String::new(),
            client: String::new(),
            client_rfc: String::new(),
            amount_text: String::new(),
            currency: "MXN".into(),
            refundable: Decimal::ZERO,
            focus: Field::Buttons,
            yes: false,
            form_filter: Input::default(),
            form_index: PAYMENT_FORMS
                .iter()
                .position(|(c, _)| *c == "03")
                .unwrap_or(0),
            date: Input::new(at.lang.date(at.today)),
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
        };
        d.focus = match kind {
            WriteKind::MarkPaid => Field::Form,
            WriteKind::Refund => Field::Amount,
            WriteKind::CancelInvoice => Field::Motive,
            WriteKind::CancelPayment if d.needs_word() => Field::Word,
            WriteKind::CancelPayment => Field::Buttons,
            WriteKind::IssueComplement => Field::Amount,
            WriteKind::StampReceipts | WriteKind::StampReceipt | WriteKind::CancelReceipt
                if d.needs_word() =>
            {
                Field::Word
            }
            WriteKind::StampReceipts | WriteKind::StampReceipt | WriteKind::CancelReceipt => {
                Field::Buttons
            }
        };
        d
    }

    /// `x` or `:stamp` on a receipt.
    pub fn for_receipt(
        kind: WriteKind,
        row: &crate::app::data::receipts::ReceiptRow,
        at: &Target,
        key: String,
    ) -> Self {
        let mut d = Dialog::base(kind, at, key);
        d.object_id = row.id().to_string();
        d.client = row.client().to_string();
        d.amount_text = row.total_fmt().to_string();
        d
    }

    /// On a client: stamp every pending receipt it has.
    pub fn for_client(
        row: &crate::app::data::documents::ClientRow,
        at: &Target,
        key: String,
    ) -> Self {
        let mut d = Dialog::base(WriteKind::StampReceipts, at, key);
        d.object_id = row.id().to_string();
        d.client = row.name().to_string();
        d.client_rfc = row.rfc().to_string();
        d.warnings.push(
            at.lang
                .pick(
                    "Each open receipt becomes an invoice; an expired one, or a client with bad fiscal data, fails and stays for the global invoice.",
                    "Cada recibo abierto se vuelve factura; uno vencido, o un cliente con datos fiscales inválidos, falla y queda para la factura global.",
                )
                .to_string(),
        );
        d
    }

    /// Enter on an owed complement: the amount of the payment (at most the balance), its
    /// date, form 03; the installment and balances said.
    pub fn for_complement(
        o: &crate::app::data::complements::Owed,
        at: &Target,
        key: String,
    ) -> Self {
        let mut d = Dialog::base(WriteKind::IssueComplement, at, key);
        d.object_id = o.invoice.clone();
        d.client = o.client.clone();
        d.currency = o.currency.clone();
        d.amount_text = Amount(o.amount).display(&o.currency);
        d.refundable = o.previous_balance;
        d.amount = Input::new(if o.amount.scale() <= 2 {
            format!("{:.2}", o.amount)
        } else {
            o.amount.normalize().to_string()
        });
        if let Some(day) = crate::app::data::complements::local_date(o.paid_at) {
            d.date = Input::new(at.lang.date(day));
        }
        let (n, before, after) = (
            o.installment,
            Amount(o.previous_balance).display(&o.currency),
            Amount(o.remaining_balance).display(&o.currency),
        );
        let due = at.lang.date(o.deadline);
        d.warnings.push(t!(
            at.lang,
            "Installment {n} of folio {}: balance {before} → {after}. SAT deadline {due}.",
            "Parcialidad {n} del folio {}: saldo {before} → {after}. Plazo SAT {due}.",
            o.folio
        ));
        d
    }

    /// `p`, `R` or `x` on a payment row.
    pub fn for_payment(kind: WriteKind, row: &PaymentRow, at: &Target, key: String) -> Self {
        let mut d = Dialog::base(kind, at, key);
        d.object_id = row.id().to_string();
        d.client = row.client().to_string();
        d.amount_text = row.total_fmt().to_string();
        d.currency = row.currency().to_string();
        d.refundable = (row.total - row.refunded).max(Decimal::ZERO);
        if kind == WriteKind::Refund {
            d.amount = Input::new(d.refundable.normalize().to_string());
        }
        d
    }

    /// `x` on an invoice row; `same_team` are this team's other invoices.
    pub fn for_invoice<'a>(
        row: &InvoiceRow,
        same_team: impl Iterator<Item = &'a InvoiceRow>,
        at: &Target,
        key: String,
    ) -> Self {
        let (lang, today) = (at.lang, at.today);
        let mut d = Dialog::base(WriteKind::CancelInvoice, at, key);
        d.object_id = row.uuid().to_string();
        d.client = row.client().to_string();
        d.client_rfc = row.client_rfc().to_string();
        d.amount_text = row.total_fmt().to_string();
        d.currency = row.currency().to_string();
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
                lang.pick(
                    "Above $1,000 MXN: the receiver must accept. The invoice stays valid, shown as «cancel pending», until they do (silence for 3 business days counts as yes).",
                    "Más de $1,000 MXN: el receptor debe aceptar. La factura sigue vigente, marcada «en cancelación», hasta que acepte (3 días hábiles sin respuesta cuentan como sí).",
                )
                .into(),
            );
        }
        if let Some(w) = deadline_warning(row.created, row.client_rfc(), today, lang) {
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
            WriteKind::IssueComplement => vec![Field::Amount, Field::Form, Field::Date],
            WriteKind::StampReceipts | WriteKind::StampReceipt | WriteKind::CancelReceipt => {
                vec![]
            }
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
        let q = crate::app::data::documents::fold(self.form_filter.value());
        PAYMENT_FORMS
            .iter()
            .copied()
            .filter(|(c, n)| {
                q.is_empty()
                    || c.starts_with(&q)
                    || crate::app::data::documents::fold(n).contains(&q)
            })
            .collect()
    }
}

/// One marked row of a bulk write, as its confirmation lists it.
#[derive(Clone, Debug)]
pub struct BulkItem {
    pub team: TeamId,
    pub team_name: String,
    pub id: String,
    pub client: String,
    pub amount_text: String,
    pub total_mxn: Decimal,
    pub currency: String,
}

/// A bulk run in progress.
#[derive(Clone, Debug)]
pub struct BulkRun {
    pub kind: WriteKind,
    pub ids: BTreeSet<String>,
    pub total: usize,
    pub ok: usize,
    pub failed: Vec<(String, String)>,
    /// Every row of the run with its request and idempotency key, by object id: the
    /// summary groups by team, and a retry of the failed ones reuses their keys.
    pub items: Vec<(BulkItem, WriteRequest, String)>,
    /// Per team name: (done, failed).
    pub by_team: std::collections::BTreeMap<String, (usize, usize)>,
}

/// Cancellation is expected by the annual return of the issuing year: 31 March for
/// companies (12-character RFC), 30 April for individuals. Warn, never block.
pub fn deadline_warning(
    created: i64,
    rfc: &str,
    today: jiff::civil::Date,
    lang: Lang,
) -> Option<String> {
    let issued = jiff::Timestamp::from_second(created)
        .ok()?
        .to_zoned(crate::api::time::mexico_city().clone())
        .date();
    let (month, day) = if rfc.len() == 13 { (4, 30) } else { (3, 31) };
    let deadline = jiff::civil::date(issued.year() + 1, month, day);
    (today > deadline).then(|| {
        let (year, deadline) = (issued.year(), lang.date(deadline));
        t!(
            lang,
            "The cancellation deadline for {year} invoices passed on {deadline}: a late cancellation can draw a fine.",
            "El plazo para cancelar facturas de {year} venció el {deadline}: cancelar tarde puede causar una multa."
        )
    })
}

/// Why a write key does nothing on this row, if it does nothing.
pub fn payment_refusal(kind: WriteKind, row: &PaymentRow) -> Option<Tr> {
    match kind {
        WriteKind::MarkPaid if !row.status.is_uncollected() => Some(tr(
            "only a pending payment can be marked paid",
            "solo un pago pendiente puede marcarse como pagado",
        )),
        WriteKind::CancelPayment if !row.status.is_uncollected() => Some(tr(
            "only an uncollected payment can be canceled; a collected one needs a refund (R)",
            "solo un pago no cobrado puede cancelarse; uno cobrado necesita un reembolso (R)",
        )),
        WriteKind::Refund if row.status != PaymentStatus::Succeeded => Some(tr(
            "only a succeeded payment can be refunded",
            "solo un pago cobrado puede reembolsarse",
        )),
        WriteKind::Refund if row.total <= row.refunded => {
            Some(tr("nothing left to refund", "no queda nada por reembolsar"))
        }
        _ => None,
    }
}

pub fn invoice_refusal(row: &InvoiceRow) -> Option<Tr> {
    match (row.status, row.cancellation) {
        (RowStatus::Canceled, _) => Some(tr(
            "the invoice is already canceled",
            "la factura ya está cancelada",
        )),
        (_, RowCancellation::Pending) => Some(tr(
            "a cancellation is already waiting for the receiver",
            "ya hay una cancelación esperando al receptor",
        )),
        _ if row.method() == "PPD" && row.complements > 0 => Some(tr(
            "a PPD invoice with payment complements cannot be canceled; cancel the complements first",
            "una factura PPD con complementos de pago no puede cancelarse; cancela primero los complementos",
        )),
        _ => None,
    }
}
