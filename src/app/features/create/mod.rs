//! Creating, pure: opening a create form in the current team (or, from the Group tab and
//! the all-teams scope, in the team the form asks for first), the team's lists and the
//! key's role arriving, the form's keys, sending once through the audited write path, and
//! what each answer shows: the payment link with its QR code, the invoices a registered
//! payment produced, the draft's preview to stamp, the new client's fiscal check; a new
//! branch is `branch`'s.

use crossterm::event::KeyEvent;
use rust_decimal::Decimal;

use crate::api::{ApiError, TeamId};
use crate::app::common::forms::{head, kept_key, reopen_unanswered};
use crate::app::common::load::reload;
use crate::app::create::check::Outcome;
use crate::app::create::created::Created;
use crate::app::create::keys::{self, Step};
use crate::app::create::model::{CreateForm, Credited, FormData, Key};
use crate::app::dialogs::kinds::{Create, WriteKind, WriteRequest};
use crate::app::form::FieldError;
use crate::app::msg::{Dataset, Request, WriteResult};
use crate::app::state::{Intent, Popup, State, Tab, complain, say, team_name};
use crate::t;

mod branch;

pub use branch::finish_branch;

/// `n` (on Payments, Invoices or Clients), `:request`, `:register`, `:invoice`,
/// `:credit-note`, `:new-client`, `:new-branch`: the form, or why it cannot open.
pub fn open(state: &mut State, kind: WriteKind) -> Vec<Request> {
    if !crate::app::common::guard::writes_allowed(state) {
        return vec![];
    }
    if kind == WriteKind::NewBranch {
        return branch::open_new_branch(state);
    }
    let from_everywhere = state.group.open || state.scope.on;
    let credited = if kind == WriteKind::CreditNote {
        match credited(state) {
            Ok(c) => Some(c),
            Err(why) => {
                complain(state, why);
                return vec![];
            }
        }
    } else {
        None
    };
    let (team, team_name) = match (&state.current, state.current_team()) {
        (Some(id), Some(t)) => (id.clone(), t.name.clone()),
        _ if from_everywhere => (TeamId(String::new()), String::new()),
        _ => return vec![],
    };
    // A form whose answer never came: reopened as it was, with its key and nothing in it
    // changeable, so sending it again cannot create twice.
    let lock = credited.as_ref().map(|c| c.uuid.as_str()).unwrap_or("");
    if !from_everywhere && reopen_unanswered(state, kept_key(kind, &team, lock)) {
        return vec![];
    }
    let head = head(state, team.clone(), team_name, kind);
    let mut data = FormData {
        loading: true,
        ..FormData::default()
    };
    if !from_everywhere {
        data.ppd = owed_ppd(state);
    }
    let mut form = CreateForm::new(kind, head, data);
    form.credited = credited.clone();
    if let Some(c) = &credited {
        form.f.amount = crate::app::form::amount::AmountField::new(c.total);
        form.data.loading = true;
    }
    if from_everywhere && kind != WriteKind::CreditNote {
        form.choosing_team = true;
        form.focus = Key::Team;
        let teams = state
            .teams
            .iter()
            .filter(|t| !state.read_only_teams.contains(&t.id))
            .map(|t| (t.id.to_string(), t.name.clone()))
            .collect();
        form.f.team = crate::app::form::choice::Choice::over(teams);
        crate::app::state::open_popup(state, Popup::Create(Box::new(form)));
        return vec![];
    }
    crate::app::state::open_popup(state, Popup::Create(Box::new(form)));
    vec![Request::FormData {
        team,
        credit_for: credited.map(|c| c.uuid),
    }]
}

/// The selected invoice, as a credit note credits it, or why it cannot be credited.
fn credited(state: &State) -> Result<Credited, String> {
    let lang = state.lang;
    let row = state
        .current_view()
        .filter(|v| v.tab == Tab::Invoices)
        .and_then(|v| v.invoices.selected_row());
    let Some(row) = row else {
        return Err(lang
            .pick(
                "A credit note is for an invoice: select one on the Invoices tab (3).",
                "Una nota de crédito es para una factura: elige una en la pestaña Facturas (3).",
            )
            .into());
    };
    use crate::app::data::documents::{Row, RowCancellation, RowStatus};
    if row.kind() != "I"
        || row.status != RowStatus::Valid
        || row.cancellation != RowCancellation::None
    {
        return Err(lang
            .pick(
                "Only a valid income invoice (type I, not cancelled) takes a credit note.",
                "Solo una factura de ingreso vigente (tipo I, no cancelada) admite nota de crédito.",
            )
            .into());
    }
    let _ = row.id();
    Ok(Credited {
        uuid: row.uuid().to_string(),
        folio: row.folio().to_string(),
        client_id: row.client_id().to_string(),
        client: row.client().to_string(),
        total: row.total,
        credited: Decimal::ZERO,
        preset: "IVA 16%",
        known: Ok(false),
        currency: row.currency().to_string(),
    })
}

/// The current team's PPD invoices that still owe, for a registered payment to pay.
fn owed_ppd(state: &State) -> Vec<(String, String)> {
    let Some(v) = state.current_view() else {
        return vec![];
    };
    v.invoices
        .rows
        .iter()
        .filter(|r| r.ppd && r.balance().is_some_and(|b| b > Decimal::ZERO))
        .take(200)
        .map(|r| {
            let owed = crate::api::Amount(r.balance().unwrap_or_default()).display(r.currency());
            (
                r.uuid().to_string(),
                format!("{} · {} · {owed}", r.folio(), r.client()),
            )
        })
        .collect()
}

/// The team's lists and the key's role arrived for an open form.
pub fn on_form_data(
    state: &mut State,
    team: TeamId,
    role: Result<String, ApiError>,
    data: Result<FormData, String>,
    credited: Option<Result<crate::app::create::model::CreditFacts, String>>,
) -> Vec<Request> {
    let lang = state.lang;
    let Popup::Create(form) = &mut state.popup else {
        return vec![];
    };
    if form.head.team != team || form.choosing_team {
        return vec![];
    }
    let what = form.kind.title(lang);
    let name = form.head.team_name.clone();
    if let Ok(role) = &role
        && !crate::app::dialogs::rules::role_allows(role, form.kind)
    {
        state.popup = Popup::None;
        complain(
            state,
            t!(
                lang,
                "{what}: your role in «{name}» ({role}) only reads; nothing can be created there.",
                "{what}: tu rol en «{name}» ({role}) solo permite leer; ahí no se puede crear nada."
            ),
        );
        return vec![];
    }
    match data {
        // A frozen form sends exactly what it sent before: its lists stay as they were.
        Ok(_) if form.frozen => {}
        Ok(data) => form.set_data(data),
        Err(e) => {
            form.data.loading = false;
            form.data.error = Some(e);
        }
    }
    if let (Some(c), Some(facts)) = (&mut form.credited, credited) {
        let Ok(facts) = facts else {
            c.known = Err(facts.err().unwrap_or_default());
            return vec![];
        };
        c.known = Ok(true);
        c.credited = facts.before;
        c.preset = facts.preset;
        if form.f.amount.read(lang).ok() == Some(c.total) {
            form.f.amount = crate::app::form::amount::AmountField::new(c.room());
        }
    }
    vec![]
}

/// Keys in an open create form.
pub fn on_key(state: &mut State, form: CreateForm, key: KeyEvent) -> Vec<Request> {
    match keys::on_key(form, key) {
        Step::Open(f) => {
            state.popup = Popup::Create(Box::new(f));
            vec![]
        }
        Step::Closed(text) => {
            state.popup = Popup::None;
            say(state, text);
            vec![]
        }
        Step::TeamChosen(mut f) => {
            f.head.connect = state.own_team.as_ref().is_some_and(|o| *o != f.head.team);
            if state.read_only_teams.contains(&f.head.team) {
                state.popup = Popup::None;
                complain(
                    state,
                    state.lang.pick(
                        "read-only: writes are off for this team",
                        "solo lectura: las escrituras están desactivadas para este equipo",
                    ),
                );
                return vec![];
            }
            let team = f.head.team.clone();
            state.popup = Popup::Create(Box::new(f));
            vec![Request::FormData {
                team,
                credit_for: None,
            }]
        }
        Step::Confirmed(f, Outcome::Existing(c)) => {
            let (team, lang) = (f.head.team.clone(), state.lang);
            state.popup = Popup::None;
            let (name, rfc) = (c.name.clone(), c.rfc.clone());
            let reqs = crate::app::common::jump::jump_to(state, team, Dataset::Clients, c.id);
            // After the jump's switch, which says the team's name: this says why.
            state.intents.push(Intent::Say(t!(
                lang,
                "«{name}» already has RFC {rfc} in this team: nothing was created; it is selected instead.",
                "«{name}» ya tiene el RFC {rfc} en este equipo: no se creó nada; queda seleccionado."
            )));
            reqs
        }
        Step::Confirmed(f, Outcome::Send(create)) => submit(state, f, *create),
    }
}

/// Sends a confirmed form once: its object is locked until the answer, and the form is
/// kept until then (to show an error at its field, or to reopen it if no answer comes).
pub fn submit(state: &mut State, form: CreateForm, create: Create) -> Vec<Request> {
    let lang = state.lang;
    if state.writes.in_flight.contains(&create.lock) {
        let msg = lang.pick(
            "The same thing is already being sent; wait for its answer.",
            "Lo mismo ya se está enviando; espera su respuesta.",
        );
        state.popup = Popup::Create(Box::new(form));
        complain(state, msg);
        return vec![];
    }
    state.writes.in_flight.insert(create.lock.clone());
    let (kind, head) = (form.kind, form.head.clone());
    let amount = form
        .preview()
        .ok()
        .map(|(_, t)| t.total)
        .filter(|_| form.credited.is_none())
        .or_else(|| {
            form.f
                .amount
                .read(lang)
                .ok()
                .filter(|_| form.credited.is_some())
        })
        .map(|t| t.normalize().to_string())
        .unwrap_or_default();
    let client = form
        .client()
        .map(|c| c.name.clone())
        .or_else(|| form.credited.as_ref().map(|c| c.client.clone()))
        .unwrap_or_else(|| form.f.name.value().to_string());
    let currency = form.f.currency.code().unwrap_or_else(|| "MXN".into());
    state.sent.insert(create.lock.clone(), Box::new(form));
    state.popup = Popup::None;
    let (what, team) = (kind.title(lang), &head.team_name);
    say(
        state,
        t!(
            lang,
            "{what}: sending to «{team}»…",
            "{what}: enviando a «{team}»…"
        ),
    );
    vec![Request::Write {
        team: head.team,
        team_name: head.team_name,
        request: WriteRequest::Create(Box::new(create)),
        idempotency_key: head.idempotency_key,
        client,
        amount,
        currency,
    }]
}

/// A create's answer.
pub fn on_done(
    state: &mut State,
    team: TeamId,
    create: Create,
    result: Result<WriteResult, ApiError>,
) -> Vec<Request> {
    state.writes.in_flight.remove(&create.lock);
    let form = state.sent.remove(&create.lock);
    let kind = create.body.kind();
    let lang = state.lang;
    let name = team_name(state, &team);
    let what = kind.title(lang);
    match result {
        Ok(WriteResult::Branch(made)) => branch::on_made(state, team, name, made, form),
        Ok(r) => {
            let created = Created::of(kind, &name, &team, r, form, lang);
            if let Some(text) = &created.status {
                say(state, text.clone());
            }
            if created.shows() {
                crate::app::state::open_popup(state, Popup::Created(Box::new(created)));
            }
            if state.current.as_ref() == Some(&team) {
                return reload(state, reread(kind));
            }
            vec![]
        }
        // No answer (or gigstack saw this key already, with its first body): the outcome
        // is not known here; the form is kept with its key.
        Err(e)
            if e.is_transient()
                || matches!(&e, ApiError::Conflict { code: Some(c), .. } if c == "idempotency_key_reused") =>
        {
            let e = e.describe(lang);
            if let Some(mut f) = form {
                f.frozen = true;
                f.confirm.yes = false;
                state
                    .unanswered
                    .insert(kept_key(kind, &team, &create.lock), f);
            }
            complain(
                state,
                t!(
                    lang,
                    "{what} in «{name}»: outcome unknown — no answer came back ({e}). The list is read again to see; opening the same form again brings it back as it was, and sending it again reuses its request key, so it cannot be created twice.",
                    "{what} en «{name}»: resultado desconocido — no llegó respuesta ({e}). Se vuelve a leer la lista; abrir el mismo formulario lo trae tal como estaba, y enviarlo otra vez reusa su clave, así que no puede crearse dos veces."
                ),
            );
            if state.current.as_ref() == Some(&team) {
                return reload(state, reread(kind));
            }
            vec![]
        }
        Err(e) => {
            let field = e.field().map(str::to_string);
            let text = e.describe(lang);
            let msg = t!(
                lang,
                "{what} failed in «{name}»: {text}",
                "{what} falló en «{name}»: {text}"
            );
            // The form comes back with the error at the field the API named, on a new
            // key (this one was refused; the next send is a new request).
            if let Some(mut f) = form
                && matches!(state.popup, Popup::None)
            {
                let at = field.as_deref().and_then(|n| field_of(&f, n));
                // `items[1].unit_price`: the second item's row is the one shown.
                if let Some(row) = field
                    .as_deref()
                    .and_then(|n| n.strip_prefix("items["))
                    .and_then(|n| n.split(']').next())
                    .and_then(|n| n.parse::<usize>().ok())
                {
                    f.f.items.current = row.min(f.f.items.rows.len().saturating_sub(1));
                }
                f.error = Some(FieldError {
                    field: at,
                    text: msg.clone(),
                });
                if let Some(k) = at {
                    f.focus = k;
                }
                f.head.idempotency_key = state.writes.peek(kind.slug());
                state.writes.take();
                f.confirm.yes = false;
                state.popup = Popup::Create(f);
            }
            complain(state, msg);
            vec![]
        }
    }
}

/// The form's field for a field the API named (`tax_id`, `items[1].unit_price`, `use`…).
fn field_of(f: &CreateForm, api: &str) -> Option<Key> {
    use crate::app::create::items::Part;
    let base = api.split(['.', '[']).next().unwrap_or(api);
    let key = match base {
        "tax_id" | "rfc" => Key::Rfc,
        "legal_name" => Key::LegalName,
        "name" => Key::Name,
        "tax_system" => Key::Regime,
        "zip" | "address" => Key::Zip,
        "email" => Key::Email,
        "emails" => Key::Emails,
        "use" => Key::Use,
        "payment_form" => Key::Form,
        "payment_method" => Key::Method,
        "currency" => Key::Currency,
        "exchange_rate" => Key::Rate,
        "series" => Key::Series,
        "client" => Key::Client,
        "allowed_payment_methods" => Key::Methods,
        "automation_type" => Key::Automation,
        "ppd_invoice_id" => Key::Ppd,
        "items" if api.contains("unit_price") => Key::Item(Part::Price),
        "items" if api.contains("quantity") => Key::Item(Part::Quantity),
        "items" if api.contains("product_key") => Key::Item(Part::ProductKey),
        "items" if api.contains("unit_key") => Key::Item(Part::UnitKey),
        "items" if api.contains("description") => Key::Item(Part::Description),
        "items" if api.contains("tax") => Key::Item(Part::Taxes),
        "items" | "total" if f.kind == WriteKind::CreditNote => Key::Amount,
        "items" => Key::Items,
        _ => return None,
    };
    f.order().contains(&key).then_some(key)
}

/// What a create can change, to read again after it.
fn reread(kind: WriteKind) -> &'static [Dataset] {
    match kind {
        WriteKind::CreateClient => &[Dataset::Clients],
        WriteKind::RequestPayment => &[Dataset::Payments],
        WriteKind::RegisterPayment => &[Dataset::Payments, Dataset::Invoices, Dataset::Receipts],
        WriteKind::StampDraft | WriteKind::CreditNote => &[Dataset::Invoices],
        _ => &[],
    }
}
