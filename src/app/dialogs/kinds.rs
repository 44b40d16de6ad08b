//! What a write is: its kind (title, audit slug, the word a live key types) and the
//! validated request the worker sends. Below every other file of `dialogs/`.

use rust_decimal::Decimal;

use crate::i18n::Lang;

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
    /// A payment link (`POST /payments/request`).
    RequestPayment,
    /// Money already received (`POST /payments/register`).
    RegisterPayment,
    /// An income invoice saved as a draft (`POST /invoices/draft`), or changed (`PUT`).
    DraftInvoice,
    /// A draft stamped into an invoice.
    StampDraft,
    /// A draft deleted.
    DeleteDraft,
    /// An egress invoice related 01 to an income invoice.
    CreditNote,
    /// A new client, checked with SAT at once.
    CreateClient,
    /// A user added to a team with a role (`POST /teams/{id}/add-member`).
    AddMember,
    /// A user removed from a team (`POST /teams/{id}/remove-member`).
    RemoveMember,
    /// An invoice series created on a team (`POST /teams/{id}/series`).
    CreateSeries,
    /// A setting of the reference team applied to a team (`PUT /teams/{id}/settings`).
    ApplySetting,
    /// A new team in the billing account (`POST /teams`), then the reference's settings,
    /// series and admins copied to it, then its onboarding link.
    NewBranch,
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
            WriteKind::RequestPayment => lang.pick("Request a payment", "Solicitar un pago"),
            WriteKind::RegisterPayment => lang.pick("Register a payment", "Registrar un pago"),
            WriteKind::DraftInvoice => lang.pick("Invoice draft", "Borrador de factura"),
            WriteKind::StampDraft => lang.pick("Stamp invoice draft", "Timbrar borrador"),
            WriteKind::DeleteDraft => lang.pick("Delete invoice draft", "Borrar borrador"),
            WriteKind::CreditNote => lang.pick("Credit note", "Nota de crédito"),
            WriteKind::CreateClient => lang.pick("New client", "Nuevo cliente"),
            WriteKind::AddMember => lang.pick("Add a member", "Agregar un miembro"),
            WriteKind::RemoveMember => lang.pick("Remove a member", "Quitar un miembro"),
            WriteKind::CreateSeries => lang.pick("Create a series", "Crear una serie"),
            WriteKind::ApplySetting => lang.pick(
                "Apply the reference's setting",
                "Aplicar la configuración de la referencia",
            ),
            WriteKind::NewBranch => lang.pick("New branch", "Nueva sucursal"),
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
            WriteKind::RequestPayment => "request_payment",
            WriteKind::RegisterPayment => "register_payment",
            WriteKind::DraftInvoice => "draft_invoice",
            WriteKind::StampDraft => "stamp_draft",
            WriteKind::DeleteDraft => "delete_draft",
            WriteKind::CreditNote => "credit_note",
            WriteKind::CreateClient => "create_client",
            WriteKind::AddMember => "add_member",
            WriteKind::RemoveMember => "remove_member",
            WriteKind::CreateSeries => "create_series",
            WriteKind::ApplySetting => "apply_setting",
            WriteKind::NewBranch => "new_branch",
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
            // A link can be cancelled, a draft changed, a client edited: no word.
            WriteKind::RequestPayment
            | WriteKind::DraftInvoice
            | WriteKind::DeleteDraft
            | WriteKind::CreateClient => None,
            // A team's configuration changes back as easily.
            WriteKind::AddMember
            | WriteKind::RemoveMember
            | WriteKind::CreateSeries
            | WriteKind::ApplySetting
            | WriteKind::NewBranch => None,
            // What stamps a CFDI cannot be taken back without a cancellation.
            WriteKind::RegisterPayment | WriteKind::StampDraft | WriteKind::CreditNote => {
                Some("EMITIR")
            }
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
    /// The creates: what is sent, as the API's body, and what the write locks (the client,
    /// the draft, the invoice credited or the RFC of a new client).
    Create(Box<Create>),
    /// A change to a team's configuration; `lock` names the team and the change (one
    /// user, series or setting per team at a time).
    Team {
        lock: String,
        write: TeamWrite,
    },
}

/// A change to a team's configuration (the Branches tab's bulk changes).
#[derive(Clone, Debug, PartialEq)]
pub enum TeamWrite {
    AddMember {
        user: String,
        role: String,
    },
    RemoveMember {
        user: String,
    },
    CreateSeries {
        series: String,
    },
    /// `{key: value}` as the API's settings take it (a dotted key nested).
    ApplySetting {
        key: String,
        patch: serde_json::Value,
    },
}

impl TeamWrite {
    pub fn kind(&self) -> WriteKind {
        match self {
            TeamWrite::AddMember { .. } => WriteKind::AddMember,
            TeamWrite::RemoveMember { .. } => WriteKind::RemoveMember,
            TeamWrite::CreateSeries { .. } => WriteKind::CreateSeries,
            TeamWrite::ApplySetting { .. } => WriteKind::ApplySetting,
        }
    }

    /// What it names: the user, the series or the setting.
    pub fn subject(&self) -> &str {
        match self {
            TeamWrite::AddMember { user, .. } | TeamWrite::RemoveMember { user } => user,
            TeamWrite::CreateSeries { series } => series,
            TeamWrite::ApplySetting { key, .. } => key,
        }
    }
}

/// A create, validated: its body for the API, and the object it locks while in flight.
#[derive(Clone, Debug, PartialEq)]
pub struct Create {
    pub lock: String,
    pub body: CreateBody,
    /// Items filled from a service: `(item number from 1, service id, description)`,
    /// looked up again right before sending (a service deleted since is said, not sent).
    pub services: Vec<(usize, String, String)>,
}

/// The body of each create, as the API takes it.
#[derive(Clone, Debug, PartialEq)]
pub enum CreateBody {
    RequestPayment(crate::api::PaymentRequest),
    RegisterPayment(crate::api::RegisterPayment),
    /// A new draft, or (with `id`) a change to one.
    DraftInvoice {
        id: Option<String>,
        invoice: crate::api::NewInvoice,
    },
    StampDraft {
        id: String,
    },
    DeleteDraft {
        id: String,
    },
    CreditNote(crate::api::NewInvoice),
    CreateClient(crate::api::NewClient),
    /// A new team, then `steps` on it.
    NewBranch(NewBranch),
    /// What is left of a new branch (`:retry`): `steps` on the team made.
    FinishBranch {
        team: crate::api::TeamId,
        name: String,
        steps: Vec<BranchStep>,
    },
}

/// A new branch as the form has it, and what follows its creation.
#[derive(Clone, Debug, PartialEq)]
pub struct NewBranch {
    pub name: String,
    pub legal_name: String,
    pub rfc: String,
    pub regime: String,
    pub zip: String,
    pub steps: Vec<BranchStep>,
}

/// One step after a branch is created, each its own request.
#[derive(Clone, Debug, PartialEq)]
pub enum BranchStep {
    /// The reference's settings (`PUT /teams/{id}/settings`), named by the reference.
    Settings {
        from: String,
        settings: serde_json::Value,
    },
    /// A series (`POST /teams/{id}/series`).
    Series(String),
    /// A member (`POST /teams/{id}/add-member`).
    Member { user: String, role: String },
    /// Its onboarding link (`GET /teams/{id}/onboarding-url`), for the manager's CSD.
    Onboarding,
}

impl BranchStep {
    /// What the step does, in words.
    pub fn words(&self, lang: Lang) -> String {
        match self {
            BranchStep::Settings { from, .. } => {
                crate::t!(
                    lang,
                    "settings copied from «{from}»",
                    "configuración copiada de «{from}»"
                )
            }
            BranchStep::Series(s) => crate::t!(lang, "series {s}", "serie {s}"),
            BranchStep::Member { user, role } => {
                crate::t!(
                    lang,
                    "{user} added as {role}",
                    "{user} agregado como {role}"
                )
            }
            BranchStep::Onboarding => lang.pick("onboarding link", "enlace de alta").into(),
        }
    }

    /// Its own idempotency key: the form's, with the step named (safe characters only).
    pub fn key(&self, base: &str) -> String {
        let what = match self {
            BranchStep::Settings { .. } => "settings".to_string(),
            BranchStep::Series(s) => format!("series-{s}"),
            BranchStep::Member { user, .. } => format!("member-{user}"),
            BranchStep::Onboarding => "onboarding".to_string(),
        };
        let what: String = what
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
            .take(40)
            .collect();
        let base: String = base.chars().take(80).collect();
        format!("{base}:{what}")
    }
}

/// What a new branch's steps came to: the team made, each step done or why not, and its
/// onboarding link when it was read.
#[derive(Clone, Debug, PartialEq)]
pub struct BranchMade {
    pub team: crate::api::TeamId,
    pub name: String,
    pub steps: Vec<(BranchStep, Result<(), crate::api::ApiError>)>,
    pub url: Option<String>,
}

impl CreateBody {
    pub fn kind(&self) -> WriteKind {
        match self {
            CreateBody::RequestPayment(_) => WriteKind::RequestPayment,
            CreateBody::RegisterPayment(_) => WriteKind::RegisterPayment,
            CreateBody::DraftInvoice { .. } => WriteKind::DraftInvoice,
            CreateBody::StampDraft { .. } => WriteKind::StampDraft,
            CreateBody::DeleteDraft { .. } => WriteKind::DeleteDraft,
            CreateBody::CreditNote(_) => WriteKind::CreditNote,
            CreateBody::CreateClient(_) => WriteKind::CreateClient,
            CreateBody::NewBranch(_) | CreateBody::FinishBranch { .. } => WriteKind::NewBranch,
        }
    }
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
            WriteRequest::Create(c) => c.body.kind(),
            WriteRequest::Team { write, .. } => write.kind(),
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
            WriteRequest::Create(c) => &c.lock,
            WriteRequest::Team { lock, .. } => lock,
        }
    }
}
