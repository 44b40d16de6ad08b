//! A create form: where it creates (team, Connect, live), the fields its kind asks for, the
//! team's lists it picks from (clients, services, series, PPD invoices owed), the cursor,
//! the confirm row and what is wrong. One set of fields serves every kind; `order` says
//! which a kind shows, so the keys and the drawing are the same code for all five forms.

use rust_decimal::Decimal;
use tui_input::Input;

use super::items::{ItemDefaults, ItemRow, Part, ServiceOpt};
use crate::api::TeamId;
use crate::app::dialogs::kinds::WriteKind;
use crate::app::form::FieldError;
use crate::app::form::amount::AmountField;
use crate::app::form::catalogs::{CFDI_USES, PAYMENT_FORMS, REGIMES};
use crate::app::form::choice::Choice;
use crate::app::form::confirm::Confirm;
use crate::app::form::repeat::Repeat;
use crate::i18n::Lang;

/// A field of a create form (an item's parts included).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// From the Group tab or the all-teams scope: the team to create in, asked first.
    Team,
    Client,
    /// The items as a group (`+` adds, `-` removes, ↑↓ move).
    Items,
    Item(Part),
    Currency,
    Rate,
    Methods,
    Automation,
    Ppd,
    Form,
    Use,
    Method,
    Series,
    Emails,
    Notes,
    Amount,
    Name,
    LegalName,
    Rfc,
    Regime,
    Zip,
    Email,
    Word,
    Buttons,
}

pub type CreateError = FieldError<Key>;

/// Currencies a form offers; anything but MXN needs an exchange rate.
pub const CURRENCIES: &[(&str, &str)] = &[
    ("MXN", "Peso mexicano"),
    ("USD", "Dólar estadounidense"),
    ("EUR", "Euro"),
];

/// What gigstack does with a payment once it is paid or registered (§4.6, §5.3): the
/// API's word, and what it means in each language.
pub const AUTOMATIONS: &[(&str, &str, &str)] = &[
    ("none", "Nothing (no invoice)", "Nada (sin factura)"),
    ("pue_invoice", "A PUE invoice", "Factura PUE"),
    (
        "ppd_invoice_and_complement",
        "A PPD invoice and its complement",
        "Factura PPD y su complemento",
    ),
    ("receipt", "A sales receipt", "Recibo de venta"),
];

fn automation_choice(default: &str, lang: Lang) -> Choice {
    let mut c = Choice::over(
        AUTOMATIONS
            .iter()
            .map(|(code, en, es)| (code.to_string(), lang.pick(en, es).to_string()))
            .collect(),
    );
    c.select(default);
    c
}

/// Payment methods of an invoice.
pub const METHODS: &[(&str, &str)] = &[
    ("PUE", "Pago en una sola exhibición"),
    ("PPD", "Pago en parcialidades o diferido"),
];

/// How a payment link may be paid (card and OXXO need Stripe connected).
pub const LINK_METHODS: &[&str] = &["card", "bank", "spei", "oxxo"];

/// The client picker's last option: a client typed in the form itself.
pub const NEW_CLIENT: &str = "+new";

/// A client of the team, as the forms pick it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClientOpt {
    pub id: String,
    pub name: String,
    pub rfc: String,
    pub regime: String,
    pub cfdi_use: String,
    pub email: String,
}

/// The team's lists a form picks from, and what new items start with.
#[derive(Clone, Debug, Default)]
pub struct FormData {
    pub clients: Vec<ClientOpt>,
    pub services: Vec<ServiceOpt>,
    pub series: Vec<String>,
    /// PPD invoices with a balance: `(uuid, label)`.
    pub ppd: Vec<(String, String)>,
    pub defaults: ItemDefaults,
    /// The team's default CFDI use (settings), else G03.
    pub cfdi_use: Option<String>,
    /// Still being read from gigstack.
    pub loading: bool,
    /// Why they could not be read.
    pub error: Option<String>,
}

/// What the form names before its fields.
#[derive(Clone, Debug)]
pub struct Head {
    pub team: TeamId,
    pub team_name: String,
    pub connect: bool,
    pub live: bool,
    pub lang: Lang,
    pub idempotency_key: String,
}

/// The invoice a credit note credits.
#[derive(Clone, Debug, PartialEq)]
pub struct Credited {
    pub uuid: String,
    pub folio: String,
    pub client_id: String,
    pub client: String,
    pub total: Decimal,
    /// Earlier credit notes related to it.
    pub credited: Decimal,
    pub currency: String,
    /// The tax preset the invoice's own taxes read as (the credit note carries the same).
    pub preset: &'static str,
    /// `Ok(true)` once gigstack said what was credited before and how the invoice was
    /// taxed; `Err` when it could not be read (nothing is sent then).
    pub known: Result<bool, String>,
}

/// What gigstack says of an invoice being credited: earlier credit notes and its taxes.
#[derive(Clone, Debug, PartialEq)]
pub struct CreditFacts {
    pub before: Decimal,
    pub preset: &'static str,
}

impl Credited {
    /// What a credit note may still take: the total minus earlier credit notes.
    pub fn room(&self) -> Decimal {
        (self.total - self.credited).max(Decimal::ZERO)
    }
}

/// Every field a create form may show.
#[derive(Clone, Debug)]
pub struct Fields {
    pub team: Choice,
    pub client: Choice,
    pub items: Repeat<ItemRow>,
    pub currency: Choice,
    pub rate: AmountField,
    /// `LINK_METHODS`, each on or off, and the one the cursor is on.
    pub methods: Vec<bool>,
    pub method_at: usize,
    pub automation: Choice,
    pub ppd: Choice,
    pub form: Choice,
    pub cfdi_use: Choice,
    pub method: Choice,
    pub series: Choice,
    pub emails: Input,
    pub notes: Input,
    pub amount: AmountField,
    pub name: Input,
    pub legal_name: Input,
    pub rfc: Input,
    pub regime: Choice,
    pub zip: Input,
    pub email: Input,
}

/// A create form.
#[derive(Clone, Debug)]
pub struct CreateForm {
    pub kind: WriteKind,
    pub head: Head,
    pub f: Fields,
    pub data: FormData,
    pub focus: Key,
    pub confirm: Confirm,
    pub error: Option<CreateError>,
    /// The team is still to be chosen (opened from the Group tab or all teams).
    pub choosing_team: bool,
    /// An invoice form editing a saved draft: its id (the form sends a change).
    pub draft: Option<String>,
    /// A credit note's invoice.
    pub credited: Option<Credited>,
    /// The client to choose once the team's clients arrive (a draft being edited).
    pub pending_client: Option<String>,
    /// The series to choose once the team's series arrive (a draft being edited).
    pub pending_series: Option<String>,
    /// Sent once with no answer: reopened to send again as it was (same key, same body),
    /// so nothing in it changes.
    pub frozen: bool,
    /// A draft's stamp or delete: the draft as gigstack keeps it, line by line.
    pub shown: Vec<String>,
    /// Something was typed or chosen: Esc warns once before closing.
    pub touched: bool,
    /// Esc was pressed once on a touched form.
    pub warned: bool,
    /// A new branch: what follows its creation, and the RFCs the account's teams have.
    pub branch: Option<BranchPlan>,
}

/// A new branch whose steps did not all succeed: `:retry` sends what is left, each step
/// with the key it had.
#[derive(Clone, Debug, PartialEq)]
pub struct UnfinishedBranch {
    /// The key's own team, where the branch was created from.
    pub from: TeamId,
    pub from_name: String,
    pub team: TeamId,
    pub name: String,
    pub steps: Vec<crate::app::dialogs::kinds::BranchStep>,
    /// The form's idempotency key: each step's key is made from it.
    pub key: String,
}

/// What a new branch form knows besides its fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BranchPlan {
    /// After the team is made: the reference's settings, series and admins, then the
    /// onboarding link.
    pub steps: Vec<crate::app::dialogs::kinds::BranchStep>,
    /// `(RFC, name)` of every team the key reaches: a new branch's RFC must not be one.
    pub taken: Vec<(String, String)>,
}

impl CreateForm {
    /// A form of `kind` in `head`'s team, on its first field, the confirm row on "No".
    pub fn new(kind: WriteKind, head: Head, data: FormData) -> Self {
        let lang = head.lang;
        let items = Repeat {
            rows: vec![ItemRow::new(&data.services, &data.defaults, lang)],
            current: 0,
        };
        let cfdi_use = data.cfdi_use.clone().unwrap_or_else(|| "G03".into());
        let f = Fields {
            team: Choice::over(vec![]),
            client: Choice::over(client_options(&data.clients, inline(kind, lang))),
            items,
            currency: Choice::catalog(CURRENCIES, "MXN"),
            rate: AmountField::default(),
            methods: LINK_METHODS.iter().map(|m| *m == "bank").collect(),
            method_at: 0,
            automation: automation_choice(
                if kind == WriteKind::RegisterPayment {
                    "pue_invoice"
                } else {
                    "none"
                },
                lang,
            ),
            ppd: ppd_choice(&data.ppd, lang),
            form: Choice::catalog(
                PAYMENT_FORMS,
                if kind == WriteKind::RegisterPayment {
                    "01"
                } else {
                    "03"
                },
            ),
            cfdi_use: Choice::catalog(CFDI_USES, &cfdi_use),
            method: Choice::catalog(METHODS, "PUE"),
            series: Choice::over(series_options(&data.series, lang)),
            emails: Input::default(),
            notes: Input::default(),
            amount: AmountField::default(),
            name: Input::default(),
            legal_name: Input::default(),
            rfc: Input::default(),
            regime: Choice::catalog(REGIMES, "601"),
            zip: Input::default(),
            email: Input::default(),
        };
        let confirm = Confirm::new(kind.confirm_word().filter(|_| head.live));
        let mut form = CreateForm {
            kind,
            head,
            f,
            data,
            focus: Key::Buttons,
            confirm,
            error: None,
            choosing_team: false,
            draft: None,
            credited: None,
            pending_client: None,
            pending_series: None,
            frozen: false,
            shown: Vec::new(),
            touched: false,
            warned: false,
            branch: None,
        };
        form.focus = form.order()[0];
        form
    }

    pub fn lang(&self) -> Lang {
        self.head.lang
    }

    /// The team's lists arrived (or changed): the pickers offer them, keeping what was
    /// typed to filter.
    pub fn set_data(&mut self, mut data: FormData) {
        let lang = self.lang();
        // PPD invoices owed come from the team's rows when the form opened, not the worker.
        if data.ppd.is_empty() {
            data.ppd = std::mem::take(&mut self.data.ppd);
        }
        // The new-client option was the only one while the list was read: not a choice.
        let keep = self
            .pending_client
            .take()
            .or(self.f.client.code())
            .filter(|c| c != NEW_CLIENT || !self.data.clients.is_empty());
        self.f
            .client
            .replace(client_options(&data.clients, inline(self.kind, lang)));
        if let Some(id) = keep {
            self.f.client.select(&id);
        }
        for row in &mut self.f.items.rows {
            let keep = row.service.code();
            row.service
                .replace(super::items::service_choice(&data.services, lang).options());
            if let Some(id) = keep {
                row.service.select(&id);
            }
        }
        let series = self.pending_series.take().or(self.f.series.code());
        self.f.series.replace(series_options(&data.series, lang));
        if let Some(s) = series {
            self.f.series.select(&s);
        }
        let ppd = self.f.ppd.code();
        self.f.ppd = ppd_choice(&data.ppd, lang);
        if let Some(p) = ppd {
            self.f.ppd.select(&p);
        }
        // The team's usual use, on a form nobody has touched (a draft keeps its own).
        if let Some(u) = &data.cfdi_use
            && self.kind == WriteKind::DraftInvoice
            && !self.touched
        {
            self.f.cfdi_use = Choice::catalog(CFDI_USES, u);
        }
        self.data = data;
    }

    /// The client chosen, if the list offers it.
    pub fn client(&self) -> Option<&ClientOpt> {
        let id = self.f.client.code()?;
        self.data.clients.iter().find(|c| c.id == id)
    }

    /// The fields in Tab order, for this kind and what is chosen so far.
    pub fn order(&self) -> Vec<Key> {
        if self.choosing_team {
            return vec![Key::Team];
        }
        let items = || {
            let mut v = vec![Key::Items];
            v.extend(Part::ALL.iter().map(|p| Key::Item(*p)));
            v
        };
        let foreign = self
            .f
            .currency
            .code()
            .as_deref()
            .is_some_and(|c| c != "MXN");
        let inline_client = self.f.client.code().as_deref() == Some(NEW_CLIENT);
        let mut keys = match self.kind {
            WriteKind::RequestPayment => {
                let mut k = vec![Key::Client];
                k.extend(items());
                k.push(Key::Currency);
                if foreign {
                    k.push(Key::Rate);
                }
                k.extend([Key::Methods, Key::Automation, Key::Emails]);
                k
            }
            WriteKind::RegisterPayment => {
                let mut k = vec![Key::Client];
                k.extend(items());
                k.extend([Key::Form, Key::Automation, Key::Ppd, Key::Currency]);
                if foreign {
                    k.push(Key::Rate);
                }
                k.push(Key::Emails);
                k
            }
            WriteKind::DraftInvoice => {
                let mut k = vec![Key::Client];
                k.extend(items());
                k.extend([Key::Use, Key::Method]);
                if self.f.method.code().as_deref() != Some("PPD") {
                    k.push(Key::Form);
                }
                k.extend([Key::Series, Key::Currency]);
                if foreign {
                    k.push(Key::Rate);
                }
                k.push(Key::Notes);
                k
            }
            WriteKind::CreditNote => vec![Key::Amount, Key::Form, Key::Notes],
            WriteKind::NewBranch => {
                vec![Key::Name, Key::LegalName, Key::Rfc, Key::Regime, Key::Zip]
            }
            WriteKind::StampDraft | WriteKind::DeleteDraft => vec![],
            _ => vec![
                Key::Name,
                Key::LegalName,
                Key::Rfc,
                Key::Regime,
                Key::Zip,
                Key::Use,
                Key::Email,
            ],
        };
        if inline_client && let Some(at) = keys.iter().position(|k| *k == Key::Client) {
            let typed = [
                Key::Name,
                Key::LegalName,
                Key::Rfc,
                Key::Regime,
                Key::Zip,
                Key::Email,
            ];
            keys.splice(at + 1..at + 1, typed);
        }
        if self.confirm.word.is_some() {
            keys.push(Key::Word);
        }
        keys.push(Key::Buttons);
        keys
    }

    /// Tab and Shift-Tab: through each item's parts in turn (the last part of an item
    /// leads to the next item's first), then on to the fields after the items.
    pub fn next_field(&mut self, back: bool) {
        let items = &mut self.f.items;
        let last = items.rows.len().saturating_sub(1);
        match (self.focus, back) {
            (Key::Item(Part::UnitKey), false) if items.current < last => {
                items.current += 1;
                self.focus = Key::Item(Part::Service);
            }
            (Key::Item(Part::Service), true) if items.current > 0 => {
                items.current -= 1;
                self.focus = Key::Item(Part::UnitKey);
            }
            _ => self.focus = crate::app::form::step(&self.order(), self.focus, back),
        }
    }
}

/// The new-client option's label, for the forms that can name a client inline.
fn inline(kind: WriteKind, lang: Lang) -> Option<&'static str> {
    matches!(
        kind,
        WriteKind::RequestPayment | WriteKind::RegisterPayment | WriteKind::DraftInvoice
    )
    .then(|| {
        lang.pick(
            "+ New client (typed here)",
            "+ Cliente nuevo (escríbelo aquí)",
        )
    })
}

fn client_options(clients: &[ClientOpt], inline: Option<&str>) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = clients
        .iter()
        .map(|c| {
            (
                c.id.clone(),
                if c.rfc.is_empty() {
                    c.name.clone()
                } else {
                    format!("{} · {}", c.name, c.rfc)
                },
            )
        })
        .collect();
    if let Some(label) = inline {
        v.push((NEW_CLIENT.to_string(), label.to_string()));
    }
    v
}

fn series_options(series: &[String], lang: Lang) -> Vec<(String, String)> {
    let mut v = vec![(
        String::new(),
        lang.pick("— the team's default —", "— la del equipo —")
            .to_string(),
    )];
    v.extend(series.iter().map(|s| (s.clone(), s.clone())));
    v
}

fn ppd_choice(ppd: &[(String, String)], lang: Lang) -> Choice {
    let mut v = vec![(
        String::new(),
        lang.pick("— none: a new payment —", "— ninguna: un pago nuevo —")
            .to_string(),
    )];
    v.extend(ppd.iter().cloned());
    Choice::over(v)
}
