//! A create form read into what is sent, or what is wrong with it, naming the field (and
//! for an item, its row and part); and the totals preview, computed from the same fields
//! the request is built from.

use rust_decimal::Decimal;

use super::items::{ReadItem, read_all};
use super::model::{ClientOpt, CreateError, CreateForm, Key, NEW_CLIENT};
use crate::api::{
    Amount, ClientId, Customer, NewClient, NewInvoice, NewItem, PaymentRequest, RegisterPayment,
    Related, Upsert,
};
use crate::app::data::totals::{self, Totals};
use crate::app::dialogs::kinds::{Create, CreateBody, WriteKind};
use crate::app::form::FieldError;
use crate::i18n::Lang;
use crate::t;

/// What Enter on "Yes" does with a valid form.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Send(Box<Create>),
    /// A new client whose RFC the team already has: that client is offered instead.
    Existing(ClientOpt),
}

impl CreateForm {
    /// The items as typed, and what they come to; `Err` names the first item at fault.
    pub fn preview(&self) -> Result<(Vec<ReadItem>, Totals), CreateError> {
        let lang = self.lang();
        let items = read_all(&self.f.items.rows, lang).map_err(|e| {
            let row = e.row;
            FieldError::at(
                Key::Item(e.part),
                t!(lang, "Item {row}: {}", "Concepto {row}: {}", e.text),
            )
        })?;
        let lines: Vec<_> = items.iter().map(|i| i.line.clone()).collect();
        let totals = totals::compute(&lines).ok_or_else(|| {
            FieldError::at(
                Key::Items,
                lang.pick(
                    "These amounts are too large to add up.",
                    "Estos montos son demasiado grandes para sumarse.",
                ),
            )
        })?;
        Ok((items, totals))
    }

    /// The form as the request to send, or what is wrong with it.
    pub fn validate(&self) -> Result<Outcome, CreateError> {
        let lang = self.lang();
        self.confirm
            .word_ok(lang)
            .map_err(|e| FieldError::at(Key::Word, e))?;
        let body = match self.kind {
            WriteKind::RequestPayment => {
                let client = self.customer(None)?;
                let (items, currency, exchange_rate) = self.money()?;
                let allowed: Vec<String> = super::model::LINK_METHODS
                    .iter()
                    .zip(&self.f.methods)
                    .filter(|(_, on)| **on)
                    .map(|(m, _)| m.to_string())
                    .collect();
                if allowed.is_empty() {
                    return Err(FieldError::at(
                        Key::Methods,
                        lang.pick(
                            "Allow at least one way to pay (Space turns one on).",
                            "Permite al menos una forma de pago (Espacio activa una).",
                        ),
                    ));
                }
                let emails = self.emails()?;
                CreateBody::RequestPayment(PaymentRequest {
                    client,
                    items,
                    currency,
                    exchange_rate,
                    allowed_payment_methods: allowed,
                    automation_type: self.f.automation.code().unwrap_or_else(|| "none".into()),
                    send_email: !emails.is_empty(),
                    emails,
                })
            }
            WriteKind::RegisterPayment => {
                let client = self.customer(None)?;
                let (items, currency, exchange_rate) = self.money()?;
                let emails = self.emails()?;
                let form = self.code(Key::Form, &self.f.form)?;
                CreateBody::RegisterPayment(RegisterPayment {
                    client,
                    items,
                    payment_form: form,
                    automation_type: self
                        .f
                        .automation
                        .code()
                        .unwrap_or_else(|| "pue_invoice".into()),
                    currency,
                    exchange_rate,
                    ppd_invoice_id: self.f.ppd.code().filter(|c| !c.is_empty()),
                    send_email: !emails.is_empty(),
                    emails,
                })
            }
            WriteKind::DraftInvoice => {
                let cfdi_use = self.code(Key::Use, &self.f.cfdi_use)?;
                let client = self.customer(Some(cfdi_use.clone()))?;
                let (items, currency, exchange_rate) = self.money()?;
                if let Some(c) = self.client().filter(|c| !c.regime.is_empty()) {
                    super::sat::cfdi_use(&c.regime, &cfdi_use, lang)
                        .map_err(|e| FieldError::at(Key::Use, e))?;
                }
                let method = self.code(Key::Method, &self.f.method)?;
                // PPD: paid later, form 99 "to be defined" (cfdi-rules.md).
                let form = if method == "PPD" {
                    "99".to_string()
                } else {
                    self.code(Key::Form, &self.f.form)?
                };
                CreateBody::DraftInvoice {
                    id: self.draft.clone(),
                    invoice: NewInvoice {
                        client,
                        items,
                        currency,
                        exchange_rate,
                        cfdi_use,
                        payment_form: form,
                        payment_method: method,
                        series: self.f.series.code().filter(|s| !s.is_empty()),
                        related_documents: vec![],
                        invoice_pdf_notes: Some(self.f.notes.value().trim().to_string())
                            .filter(|n| !n.is_empty()),
                    },
                }
            }
            WriteKind::CreditNote => self.credit_note()?,
            WriteKind::StampDraft | WriteKind::DeleteDraft => {
                let id = self.draft.clone().unwrap_or_default();
                if self.kind == WriteKind::DeleteDraft {
                    CreateBody::DeleteDraft { id }
                } else {
                    CreateBody::StampDraft { id }
                }
            }
            WriteKind::NewBranch => CreateBody::NewBranch(self.new_branch()?),
            _ => match self.new_client()? {
                Ok(c) => CreateBody::CreateClient(c),
                Err(existing) => return Ok(Outcome::Existing(existing)),
            },
        };
        let lock = match &body {
            CreateBody::RequestPayment(p) => p.client.key().to_string(),
            CreateBody::RegisterPayment(p) => p.client.key().to_string(),
            CreateBody::DraftInvoice { id: Some(id), .. } => id.clone(),
            CreateBody::DraftInvoice { invoice, .. } => invoice.client.key().to_string(),
            CreateBody::CreditNote(n) => n
                .related_documents
                .first()
                .and_then(|r| r.documents.first().cloned())
                .unwrap_or_default(),
            CreateBody::CreateClient(c) => c.tax_id.clone(),
            CreateBody::NewBranch(b) => format!("new_branch:{}", b.rfc),
            CreateBody::FinishBranch { team, .. } => format!("new_branch:{team}"),
            CreateBody::StampDraft { id } | CreateBody::DeleteDraft { id } => id.clone(),
        };
        let services = self
            .f
            .items
            .rows
            .iter()
            .enumerate()
            .filter(|_| self.order().contains(&Key::Items))
            .filter_map(|(i, r)| {
                let id = r.from_service.clone()?;
                Some((i + 1, id, r.description.value().to_string()))
            })
            .collect();
        Ok(Outcome::Send(Box::new(Create {
            lock,
            body,
            services,
        })))
    }

    fn chosen_client(&self) -> Result<String, CreateError> {
        let lang = self.lang();
        match self.f.client.code() {
            Some(id) => Ok(id),
            None if self.data.loading => Err(FieldError::at(
                Key::Client,
                lang.pick(
                    "The team's clients are still being read; wait a moment.",
                    "Aún se leen los clientes del equipo; espera un momento.",
                ),
            )),
            None => Err(FieldError::at(
                Key::Client,
                lang.pick(
                    "Pick a client: type part of its name or RFC, ↑↓ to choose.",
                    "Elige un cliente: escribe parte de su nombre o RFC, ↑↓ para elegir.",
                ),
            )),
        }
    }

    fn code(
        &self,
        key: Key,
        choice: &crate::app::form::choice::Choice,
    ) -> Result<String, CreateError> {
        choice.code().ok_or_else(|| {
            FieldError::at(
                key,
                self.lang().pick(
                    "Nothing matches what was typed; Ctrl-U clears it.",
                    "Nada coincide con lo escrito; Ctrl-U lo borra.",
                ),
            )
        })
    }

    /// The items, the currency and its exchange rate; a document of zero is refused.
    fn money(&self) -> Result<(Vec<NewItem>, String, Option<Amount>), CreateError> {
        let lang = self.lang();
        let (items, totals) = self.preview()?;
        if totals.total <= Decimal::ZERO {
            return Err(FieldError::at(
                Key::Items,
                lang.pick(
                    "The total must be more than zero.",
                    "El total debe ser mayor que cero.",
                ),
            ));
        }
        let currency = self.code(Key::Currency, &self.f.currency)?;
        let rate = if currency == "MXN" {
            None
        } else {
            let r = self.f.rate.read(lang).ok().filter(|r| *r > Decimal::ZERO);
            match r {
                Some(r) => Some(Amount(r)),
                None => {
                    return Err(FieldError::at(
                        Key::Rate,
                        t!(
                            lang,
                            "{currency} needs its exchange rate: how many pesos one {currency} is worth (e.g. 17.25).",
                            "{currency} necesita su tipo de cambio: cuántos pesos vale un {currency} (p. ej. 17.25)."
                        ),
                    ));
                }
            }
        };
        Ok((items.into_iter().map(|i| i.item).collect(), currency, rate))
    }

    /// The e-mails typed (comma or space separated), each checked.
    fn emails(&self) -> Result<Vec<String>, CreateError> {
        let lang = self.lang();
        let mut out = Vec::new();
        for e in self
            .f
            .emails
            .value()
            .split([',', ' ', ';'])
            .filter(|e| !e.is_empty())
        {
            if !email_ok(e) {
                return Err(FieldError::at(
                    Key::Emails,
                    t!(
                        lang,
                        "«{e}» is not an e-mail address.",
                        "«{e}» no es un correo electrónico."
                    ),
                ));
            }
            out.push(e.to_string());
        }
        Ok(out)
    }

    fn credit_note(&self) -> Result<CreateBody, CreateError> {
        let lang = self.lang();
        let Some(inv) = &self.credited else {
            return Err(FieldError::at(
                Key::Amount,
                lang.pick("No invoice to credit.", "No hay factura que acreditar."),
            ));
        };
        let amount = self
            .f
            .amount
            .read_cents(lang)
            .map_err(|e| FieldError::at(Key::Amount, e))?;
        if amount > inv.room() {
            let (room, total, before) = (
                Amount(inv.room()).display(&inv.currency),
                Amount(inv.total).display(&inv.currency),
                Amount(inv.credited).display(&inv.currency),
            );
            return Err(FieldError::at(
                Key::Amount,
                t!(
                    lang,
                    "At most {room}: the invoice is worth {total} and {before} was already credited.",
                    "Como máximo {room}: la factura vale {total} y ya se acreditaron {before}."
                ),
            ));
        }
        let form = self.code(Key::Form, &self.f.form)?;
        match &inv.known {
            Ok(true) => {}
            Ok(false) => {
                return Err(FieldError::at(
                    Key::Amount,
                    lang.pick(
                        "Still reading the invoice's earlier credit notes; a moment.",
                        "Aún se leen las notas de crédito anteriores de la factura; un momento.",
                    ),
                ));
            }
            Err(e) => {
                return Err(FieldError::at(
                    Key::Amount,
                    t!(
                        lang,
                        "What was credited before could not be read ({e}), so nothing is sent.",
                        "No se pudo leer lo acreditado antes ({e}), así que no se envía nada."
                    ),
                ));
            }
        }
        let taxes = totals::preset(inv.preset).unwrap_or_default();
        let item = NewItem {
            description: t!(
                lang,
                "Credit note for invoice {}",
                "Nota de crédito de la factura {}",
                inv.folio
            ),
            quantity: Amount(Decimal::ONE),
            unit_price: Amount(amount),
            product_key: "84111506".into(),
            unit_key: "ACT".into(),
            discount: None,
            unit_name: None,
            taxability: None,
            // The amount is what the customer gets back, tax included.
            taxes: taxes
                .iter()
                .map(|t| crate::api::NewTax {
                    inclusive: true,
                    ..super::items::new_tax(t)
                })
                .collect(),
        };
        Ok(CreateBody::CreditNote(NewInvoice {
            client: ClientId {
                id: inv.client_id.clone(),
            }
            .into(),
            items: vec![item],
            currency: inv.currency.clone(),
            exchange_rate: None,
            cfdi_use: "G02".into(),
            payment_form: form,
            payment_method: "PUE".into(),
            series: None,
            related_documents: vec![Related {
                relationship: "01".into(),
                documents: vec![inv.uuid.clone()],
            }],
            invoice_pdf_notes: Some(self.f.notes.value().trim().to_string())
                .filter(|n| !n.is_empty()),
        }))
    }

    /// A new client, or the one of the team that already has its RFC.
    /// A new branch: a name, its legal name, an RFC no team of the account has, a regime
    /// and a postal code; then the plan's steps.
    fn new_branch(&self) -> Result<crate::app::dialogs::kinds::NewBranch, CreateError> {
        let lang = self.lang();
        let text = |v: &tui_input::Input| crate::text::printable(v.value().trim());
        let name = text(&self.f.name);
        if name.is_empty() {
            return Err(FieldError::at(
                Key::Name,
                lang.pick(
                    "A branch needs a name (as the team list will show it).",
                    "Una sucursal necesita un nombre (como lo mostrará la lista de equipos).",
                ),
            ));
        }
        let legal_name = self.legal_name_field(lang.pick(
            "The legal name, as on the branch's tax certificate (CSF).",
            "La razón social, como en la constancia de situación fiscal (CSF).",
        ))?;
        let rfc =
            super::sat::rfc(self.f.rfc.value(), lang).map_err(|e| FieldError::at(Key::Rfc, e))?;
        let plan = self.branch.clone().unwrap_or_default();
        if let Some((_, team)) = plan
            .taken
            .iter()
            .find(|(r, _)| r.eq_ignore_ascii_case(&rfc))
        {
            return Err(FieldError::at(
                Key::Rfc,
                t!(
                    lang,
                    "RFC {rfc} is already «{team}» in this account: a branch is a team of its own RFC.",
                    "El RFC {rfc} ya es «{team}» en esta cuenta: una sucursal es un equipo con su propio RFC."
                ),
            ));
        }
        let regime = self.code(Key::Regime, &self.f.regime)?;
        let zip = self.zip_field()?;
        Ok(crate::app::dialogs::kinds::NewBranch {
            name,
            legal_name,
            rfc,
            regime,
            zip,
            steps: plan.steps,
        })
    }

    /// The legal name typed, in capitals as SAT writes it; empty is `missing`, at its field.
    fn legal_name_field(&self, missing: &str) -> Result<String, CreateError> {
        let legal_name = crate::text::printable(self.f.legal_name.value().trim()).to_uppercase();
        if legal_name.is_empty() {
            return Err(FieldError::at(Key::LegalName, missing));
        }
        Ok(legal_name)
    }

    /// The postal code typed: five digits, as on the CSF.
    fn zip_field(&self) -> Result<String, CreateError> {
        let zip = self.f.zip.value().trim().to_string();
        if zip.len() != 5 || !zip.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::at(
                Key::Zip,
                t!(
                    self.lang(),
                    "«{zip}» is not a postal code (5 digits, as on the CSF).",
                    "«{zip}» no es un código postal (5 dígitos, como en la CSF)."
                ),
            ));
        }
        Ok(zip)
    }

    fn new_client(&self) -> Result<Result<NewClient, ClientOpt>, CreateError> {
        let rfc = super::sat::rfc(self.f.rfc.value(), self.lang())
            .map_err(|e| FieldError::at(Key::Rfc, e))?;
        if let Some(c) = self.data.clients.iter().find(|c| c.rfc == rfc) {
            // Checked on the name first: a form with an empty name says so before this.
            if !self.f.name.value().trim().is_empty() {
                return Ok(Err(c.clone()));
            }
        }
        let cfdi_use = self.code(Key::Use, &self.f.cfdi_use)?;
        self.client_fields(Some(cfdi_use)).map(Ok)
    }

    /// A client written in the form (its own form, or inline in a payment or invoice),
    /// checked field by field; `cfdi_use` is the use chosen, or `None` for the regime's
    /// usual one.
    fn client_fields(&self, cfdi_use: Option<String>) -> Result<NewClient, CreateError> {
        let lang = self.lang();
        let text = |v: &tui_input::Input| crate::text::printable(v.value().trim());
        let name = text(&self.f.name);
        if name.is_empty() {
            return Err(FieldError::at(
                Key::Name,
                lang.pick("A client needs a name.", "Un cliente necesita un nombre."),
            ));
        }
        let legal_name = self.legal_name_field(lang.pick(
            "The legal name, as on the client's tax certificate (CSF).",
            "La razón social, como en la constancia de situación fiscal (CSF).",
        ))?;
        let rfc =
            super::sat::rfc(self.f.rfc.value(), lang).map_err(|e| FieldError::at(Key::Rfc, e))?;
        let regime = self.code(Key::Regime, &self.f.regime)?;
        let zip = self.zip_field()?;
        let cfdi_use = match cfdi_use {
            Some(u) => u,
            None => super::sat::usual_use(&regime),
        };
        let at = if self.order().contains(&Key::Use) {
            Key::Use
        } else {
            Key::Regime
        };
        super::sat::cfdi_use(&regime, &cfdi_use, lang).map_err(|e| FieldError::at(at, e))?;
        let email = self.f.email.value().trim().to_string();
        if !email.is_empty() && !email_ok(&email) {
            return Err(FieldError::at(
                Key::Email,
                t!(
                    lang,
                    "«{email}» is not an e-mail address.",
                    "«{email}» no es un correo electrónico."
                ),
            ));
        }
        Ok(NewClient {
            name,
            legal_name,
            tax_id: rfc,
            tax_system: regime,
            cfdi_use,
            email,
            address: crate::api::NewAddress { zip },
        })
    }

    /// Who the payment or invoice is for: the client picked, or the one typed inline
    /// (found by its RFC or created by gigstack's upsert).
    fn customer(&self, cfdi_use: Option<String>) -> Result<Customer, CreateError> {
        let id = self.chosen_client()?;
        if id == NEW_CLIENT {
            return Ok(Customer::Upsert(Upsert::by_rfc(
                self.client_fields(cfdi_use)?,
            )));
        }
        Ok(ClientId { id }.into())
    }
}

/// Something@somewhere.tld, without spaces.
fn email_ok(e: &str) -> bool {
    let Some((user, domain)) = e.split_once('@') else {
        return false;
    };
    !user.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// How a create form names what it creates on its Yes button.
pub fn yes_text(kind: WriteKind, draft: bool, lang: Lang) -> &'static str {
    match kind {
        WriteKind::RequestPayment => lang.pick("create the link", "crear el enlace"),
        WriteKind::RegisterPayment => lang.pick("register it", "registrarlo"),
        WriteKind::DraftInvoice if draft => lang.pick("save the draft", "guardar el borrador"),
        WriteKind::DraftInvoice => lang.pick("save as draft", "guardar como borrador"),
        WriteKind::CreditNote => lang.pick("issue it", "emitirla"),
        _ => lang.pick("create it", "crearlo"),
    }
}
