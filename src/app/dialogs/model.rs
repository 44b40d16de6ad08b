//! The write model: what a write is (`WriteKind`, the `WriteRequest` sent), and the dialog
//! that asks for it — a `Head` every dialog names (team, Connect, live, client, amount) and
//! one `Body` per kind holding only the fields that kind asks for, so a dialog that makes no
//! sense cannot be built. The bulk run's rows and progress are `runs`'s.

use crate::i18n::Lang;
use crate::t;
use rust_decimal::Decimal;
use tui_input::Input;

use super::kinds::WriteKind;
use super::rules::deadline_warning;
pub use super::runs::{BulkItem, BulkRun};
use crate::app::form::FieldError;
use crate::app::form::amount::AmountField;
use crate::app::form::choice::Choice;
use crate::app::form::confirm::Confirm;
use crate::app::form::date::DateField;

use crate::api::{Amount, TeamId};
use crate::app::data::documents::{InvoiceRow, PaymentRow, Row, RowCancellation, RowStatus};

use crate::app::form::catalogs::PAYMENT_FORMS;

const GENERIC_RFCS: &[&str] = &["XAXX010101000", "XEXX010101000"];

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

/// What is wrong with a dialog, naming the field at fault.
pub type DialogError = FieldError<Field>;

/// What every write dialog names before its fields: where it acts, on whom, for how much,
/// and how it speaks.
#[derive(Clone, Debug)]
pub struct Head {
    pub team: TeamId,
    /// The team's name; a bulk write names every team of its rows.
    pub team_name: String,
    /// Reached through Connect, not the key's own team.
    pub connect: bool,
    pub live: bool,
    pub lang: Lang,
    pub idempotency_key: String,
    pub client: String,
    pub client_rfc: String,
    /// What the dialog names: the payment, invoice or receipt total, formatted.
    pub amount_text: String,
    pub currency: String,
    pub warnings: Vec<String>,
}

/// The payment form (never 99) and the day money arrived: marking paid and a complement.
#[derive(Clone, Debug)]
pub struct PaidWith {
    pub form: Choice,
    pub date: DateField,
}

impl PaidWith {
    /// Form 03 (transfer) and today, Mexico City.
    fn new(at: &Target) -> Self {
        PaidWith {
            form: Choice::catalog(PAYMENT_FORMS, "03"),
            date: DateField::on(at.today, at.lang),
        }
    }
}

/// One body per write kind: each holds only the fields its write asks for.
#[derive(Clone, Debug)]
pub enum Body {
    MarkPaid {
        payment_id: String,
        paid: PaidWith,
    },
    Refund {
        payment_id: String,
        amount: AmountField,
        /// Paid minus earlier refunds.
        refundable: Decimal,
        reason: Input,
    },
    CancelPayment {
        payment_id: String,
    },
    CancelInvoice {
        uuid: String,
        /// Index into `MOTIVES`; 02 by default.
        motive: usize,
        substitution: Input,
        /// Same team, same client, valid invoices: (uuid, label).
        choices: Vec<(String, String)>,
    },
    IssueComplement {
        invoice_uuid: String,
        amount: AmountField,
        /// What the PPD invoice still owes.
        owed: Decimal,
        paid: PaidWith,
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
    /// Marked rows of any team: one write per row.
    Bulk(Bulk),
}

/// A bulk write's rows and the fields its kind asks for.
#[derive(Clone, Debug)]
pub struct Bulk {
    pub items: Vec<BulkItem>,
    /// Marked rows left out because their state does not allow the write.
    pub skipped: usize,
    pub write: BulkWrite,
}

/// The writes that run in bulk. Refunds are one at a time; motive 01 is never offered in
/// bulk (each invoice needs its own replacement).
#[derive(Clone, Debug)]
pub enum BulkWrite {
    MarkPaid(PaidWith),
    CancelPayment,
    CancelInvoice {
        motive: usize,
    },
    /// One change to each marked team's configuration (the Branches tab).
    Team(super::kinds::TeamWrite),
}

impl BulkWrite {
    pub fn kind(&self) -> WriteKind {
        match self {
            BulkWrite::MarkPaid(_) => WriteKind::MarkPaid,
            BulkWrite::CancelPayment => WriteKind::CancelPayment,
            BulkWrite::CancelInvoice { .. } => WriteKind::CancelInvoice,
            BulkWrite::Team(w) => w.kind(),
        }
    }
}

/// A write dialog: what it names, its body, where the cursor is, the confirm row, and what
/// is wrong if Enter was refused.
#[derive(Clone, Debug)]
pub struct Dialog {
    pub head: Head,
    pub body: Body,
    pub focus: Field,
    pub confirm: Confirm,
    pub error: Option<DialogError>,
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
    /// A dialog with `body`, naming `at`; focus on its first field, the confirm row on "No".
    pub fn new(body: Body, at: &Target, key: String) -> Self {
        let kind = body.kind();
        let mut d = Dialog {
            head: Head {
                team: at.team.clone(),
                team_name: at.team_name.clone(),
                connect: at.connect,
                live: at.live,
                lang: at.lang,
                idempotency_key: key,
                client: String::new(),
                client_rfc: String::new(),
                amount_text: String::new(),
                currency: "MXN".into(),
                warnings: Vec::new(),
            },
            body,
            focus: Field::Buttons,
            confirm: Confirm::new(kind.confirm_word().filter(|_| at.live)),
            error: None,
        };
        d.focus = d.fields()[0];
        d
    }

    pub fn kind(&self) -> WriteKind {
        self.body.kind()
    }

    pub fn lang(&self) -> Lang {
        self.head.lang
    }

    /// The marked rows, for a bulk write.
    pub fn bulk(&self) -> Option<&Bulk> {
        match &self.body {
            Body::Bulk(b) => Some(b),
            _ => None,
        }
    }

    /// `x` or `:stamp` on a receipt.
    pub fn for_receipt(
        kind: WriteKind,
        row: &crate::app::data::receipts::ReceiptRow,
        at: &Target,
        key: String,
    ) -> Self {
        let receipt_id = row.id().to_string();
        let body = match kind {
            WriteKind::CancelReceipt => Body::CancelReceipt { receipt_id },
            _ => Body::StampReceipt { receipt_id },
        };
        let mut d = Dialog::new(body, at, key);
        d.head.client = row.client().to_string();
        d.head.amount_text = row.total_fmt().to_string();
        d
    }

    /// On a client: stamp every pending receipt it has.
    pub fn for_client(
        row: &crate::app::data::documents::ClientRow,
        at: &Target,
        key: String,
    ) -> Self {
        let body = Body::StampReceipts {
            client_id: row.id().to_string(),
        };
        let mut d = Dialog::new(body, at, key);
        d.head.client = row.name().to_string();
        d.head.client_rfc = row.rfc().to_string();
        d.head.warnings.push(
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
        let mut paid = PaidWith::new(at);
        if let Some(day) = crate::app::data::complements::local_date(o.paid_at) {
            paid.date = DateField::on(day, at.lang);
        }
        // The payment's own form when it has a real one (99, "to be defined", never is a
        // complement's).
        let form = o.payment_form.trim();
        if form != "99" && PAYMENT_FORMS.iter().any(|(c, _)| *c == form) {
            paid.form = Choice::catalog(PAYMENT_FORMS, form);
        }
        let body = Body::IssueComplement {
            invoice_uuid: o.invoice.clone(),
            amount: AmountField::new(o.amount),
            owed: o.previous_balance,
            paid,
        };
        let mut d = Dialog::new(body, at, key);
        d.head.client = o.client.clone();
        d.head.currency = o.currency.clone();
        d.head.amount_text = Amount(o.amount).display(&o.currency);
        let (n, before, after) = (
            o.installment,
            Amount(o.previous_balance).display(&o.currency),
            Amount(o.remaining_balance).display(&o.currency),
        );
        let due = at.lang.date(o.deadline);
        d.head.warnings.push(t!(
            at.lang,
            "Installment {n} of folio {}: balance {before} → {after}. SAT deadline {due}.",
            "Parcialidad {n} del folio {}: saldo {before} → {after}. Plazo SAT {due}.",
            o.folio
        ));
        d
    }

    /// `p`, `R` or `x` on a payment row.
    pub fn for_payment(kind: WriteKind, row: &PaymentRow, at: &Target, key: String) -> Self {
        let payment_id = row.id().to_string();
        let refundable = (row.total - row.refunded()).max(Decimal::ZERO);
        let body = match kind {
            WriteKind::Refund => Body::Refund {
                payment_id,
                amount: AmountField::normalized(refundable),
                refundable,
                reason: Input::default(),
            },
            WriteKind::CancelPayment => Body::CancelPayment { payment_id },
            _ => Body::MarkPaid {
                payment_id,
                paid: PaidWith::new(at),
            },
        };
        let mut d = Dialog::new(body, at, key);
        d.head.client = row.client().to_string();
        d.head.amount_text = row.total_fmt().to_string();
        d.head.currency = row.currency().to_string();
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
        let choices = same_team
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
        let body = Body::CancelInvoice {
            uuid: row.uuid().to_string(),
            motive: 1,
            substitution: Input::default(),
            choices,
        };
        let mut d = Dialog::new(body, at, key);
        d.head.client = row.client().to_string();
        d.head.client_rfc = row.client_rfc().to_string();
        d.head.amount_text = row.total_fmt().to_string();
        d.head.currency = row.currency().to_string();
        if row.total_mxn() > Decimal::from(1000)
            && row.kind() != "E"
            && !GENERIC_RFCS.contains(&row.client_rfc())
        {
            d.head.warnings.push(
                lang.pick(
                    "Above $1,000 MXN: the receiver must accept. The invoice stays valid, shown as «cancel pending», until they do (silence for 3 business days counts as yes).",
                    "Más de $1,000 MXN: el receptor debe aceptar. La factura sigue vigente, marcada «en cancelación», hasta que acepte (3 días hábiles sin respuesta cuentan como sí).",
                )
                .into(),
            );
        }
        if let Some(w) = deadline_warning(row.created, row.client_rfc(), today, lang) {
            d.head.warnings.push(w);
        }
        d
    }

    /// Marked rows: one confirmation for them all. `None` for a kind that never runs in
    /// bulk.
    pub fn for_bulk(
        kind: WriteKind,
        items: Vec<BulkItem>,
        skipped: usize,
        at: &Target,
        key: String,
    ) -> Option<Self> {
        let write = match kind {
            WriteKind::MarkPaid => BulkWrite::MarkPaid(PaidWith::new(at)),
            WriteKind::CancelPayment => BulkWrite::CancelPayment,
            WriteKind::CancelInvoice => BulkWrite::CancelInvoice { motive: 1 },
            _ => return None,
        };
        Some(Dialog::new(
            Body::Bulk(Bulk {
                items,
                skipped,
                write,
            }),
            at,
            key,
        ))
    }

    /// One change to each team of `items` (each item's id is the write's lock): no field,
    /// the confirmation lists each team and what changes there.
    pub fn for_teams(
        write: super::kinds::TeamWrite,
        items: Vec<BulkItem>,
        skipped: usize,
        at: &Target,
        key: String,
    ) -> Self {
        Dialog::new(
            Body::Bulk(Bulk {
                items,
                skipped,
                write: BulkWrite::Team(write),
            }),
            at,
            key,
        )
    }

    /// A live key must type a word to confirm this write.
    pub fn needs_word(&self) -> bool {
        self.confirm.word.is_some()
    }

    /// The fields in tab order.
    pub fn fields(&self) -> Vec<Field> {
        let mut f = match &self.body {
            Body::MarkPaid { .. }
            | Body::Bulk(Bulk {
                write: BulkWrite::MarkPaid(_),
                ..
            }) => {
                vec![Field::Form, Field::Date]
            }
            Body::Refund { .. } => vec![Field::Amount, Field::Reason],
            Body::CancelInvoice { motive: 0, .. } => vec![Field::Motive, Field::Substitution],
            Body::CancelInvoice { .. }
            | Body::Bulk(Bulk {
                write: BulkWrite::CancelInvoice { .. },
                ..
            }) => {
                vec![Field::Motive]
            }
            Body::IssueComplement { .. } => vec![Field::Amount, Field::Form, Field::Date],
            Body::CancelPayment { .. }
            | Body::StampReceipts { .. }
            | Body::StampReceipt { .. }
            | Body::CancelReceipt { .. }
            | Body::Bulk(Bulk {
                write: BulkWrite::CancelPayment | BulkWrite::Team(_),
                ..
            }) => vec![],
        };
        if self.needs_word() {
            f.push(Field::Word);
        }
        f.push(Field::Buttons);
        f
    }

    pub fn next_field(&mut self, back: bool) {
        self.focus = crate::app::form::step(&self.fields(), self.focus, back);
    }

    /// The payment form and date, for the writes that ask for them. Read by tests; the app works on the body.
    #[cfg(feature = "test-support")]
    pub fn paid(&self) -> Option<&PaidWith> {
        match &self.body {
            Body::MarkPaid { paid, .. }
            | Body::IssueComplement { paid, .. }
            | Body::Bulk(Bulk {
                write: BulkWrite::MarkPaid(paid),
                ..
            }) => Some(paid),
            _ => None,
        }
    }

    pub fn paid_mut(&mut self) -> Option<&mut PaidWith> {
        match &mut self.body {
            Body::MarkPaid { paid, .. }
            | Body::IssueComplement { paid, .. }
            | Body::Bulk(Bulk {
                write: BulkWrite::MarkPaid(paid),
                ..
            }) => Some(paid),
            _ => None,
        }
    }

    /// The amount field, for a refund or a complement. Read by tests; the app works on the body.
    #[cfg(feature = "test-support")]
    pub fn amount(&self) -> Option<&AmountField> {
        match &self.body {
            Body::Refund { amount, .. } | Body::IssueComplement { amount, .. } => Some(amount),
            _ => None,
        }
    }

    /// The cancellation motive chosen (index into `MOTIVES`). Read by tests; the app works on the body.
    #[cfg(feature = "test-support")]
    pub fn motive(&self) -> Option<usize> {
        match &self.body {
            Body::CancelInvoice { motive, .. }
            | Body::Bulk(Bulk {
                write: BulkWrite::CancelInvoice { motive },
                ..
            }) => Some(*motive),
            _ => None,
        }
    }

    /// The replacing invoice typed or picked, for motive 01. Read by tests; the app works on the body.
    #[cfg(feature = "test-support")]
    pub fn substitution(&self) -> Option<&Input> {
        match &self.body {
            Body::CancelInvoice { substitution, .. } => Some(substitution),
            _ => None,
        }
    }

    /// What the dialog acts on, as it names it: an id, or the count of marked rows.
    pub fn object_text(&self) -> String {
        let lang = self.head.lang;
        match &self.body {
            Body::MarkPaid { payment_id, .. }
            | Body::Refund { payment_id, .. }
            | Body::CancelPayment { payment_id } => payment_id.clone(),
            Body::CancelInvoice { uuid, .. }
            | Body::IssueComplement {
                invoice_uuid: uuid, ..
            } => uuid.clone(),
            Body::StampReceipts { client_id } => client_id.clone(),
            Body::StampReceipt { receipt_id } | Body::CancelReceipt { receipt_id } => {
                receipt_id.clone()
            }
            Body::Bulk(b) if matches!(b.write, BulkWrite::Team(_)) => {
                let (n, s) = (b.items.len(), b.skipped);
                match (n + s, s) {
                    (1, _) => lang.pick("1 team", "1 equipo").to_string(),
                    (all, 0) => t!(lang, "{all} teams", "{all} equipos"),
                    (all, s) => t!(
                        lang,
                        "{n} of the {all} teams ({s} left out: see below)",
                        "{n} de los {all} equipos ({s} fuera: ver abajo)"
                    ),
                }
            }
            Body::Bulk(b) => {
                let (n, skipped) = (b.items.len(), b.skipped);
                let mut text = t!(lang, "{n} marked rows", "{n} filas marcadas");
                if skipped > 0 {
                    text.push_str(&t!(
                        lang,
                        " ({skipped} skipped: not allowed in their state)",
                        " ({skipped} omitidas: no se permite en su estado)"
                    ));
                }
                text
            }
        }
    }
}

impl Body {
    pub fn kind(&self) -> WriteKind {
        match self {
            Body::MarkPaid { .. } => WriteKind::MarkPaid,
            Body::Refund { .. } => WriteKind::Refund,
            Body::CancelPayment { .. } => WriteKind::CancelPayment,
            Body::CancelInvoice { .. } => WriteKind::CancelInvoice,
            Body::IssueComplement { .. } => WriteKind::IssueComplement,
            Body::StampReceipts { .. } => WriteKind::StampReceipts,
            Body::StampReceipt { .. } => WriteKind::StampReceipt,
            Body::CancelReceipt { .. } => WriteKind::CancelReceipt,
            Body::Bulk(b) => b.write.kind(),
        }
    }
}
