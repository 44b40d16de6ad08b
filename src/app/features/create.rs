//! Creating, pure: opening a create form in the current team (or, from the Group tab and
//! the all-teams scope, in the team the form asks for first), the team's lists and the
//! key's role arriving, the form's keys, sending once through the audited write path, and
//! what each answer shows: the payment link with its QR code, the invoices a registered
//! payment produced, the draft's preview to stamp, the new client's fiscal check.

use crossterm::event::KeyEvent;
use rust_decimal::Decimal;

use crate::api::{ApiError, TeamId};
use crate::app::common::load::reload;
use crate::app::create::check::Outcome;
use crate::app::create::created::Created;
use crate::app::create::drafts::DraftsView;
use crate::app::create::keys::{self, Step};
use crate::app::create::model::{CreateForm, Credited, FormData, Head, Key};
use crate::app::dialogs::keys::lock_key;
use crate::app::dialogs::kinds::{Create, CreateBody, WriteKind, WriteRequest};
use crate::app::form::FieldError;
use crate::app::msg::{Dataset, Request, WriteResult};
use crate::app::state::{Intent, Popup, State, Tab, complain, say, team_name};
use crate::t;

/// `n` (on Payments, Invoices or Clients), `:request`, `:register`, `:invoice`,
/// `:credit-note`, `:new-client`: the form, or why it cannot open.
pub fn open(state: &mut State, kind: WriteKind) -> Vec<Request> {
    if !crate::app::common::guard::writes_allowed(state) {
        return vec![];
    }
    let lang = state.lang;
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
    let key = state.writes.peek(kind.slug());
    state.writes.take();
    let head = Head {
        team: team.clone(),
        team_name,
        connect: state.own_team.as_ref().is_some_and(|o| *o != team),
        live: state.live.unwrap_or(true),
        lang,
        idempotency_key: key,
    };
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
        .filter(|r| r.ppd && r.balance.is_some_and(|b| b > Decimal::ZERO))
        .take(200)
        .map(|r| {
            let owed = crate::api::Amount(r.balance.unwrap_or_default()).display(r.currency());
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

/// Keys on what a create showed: `y` copies the link, ↑↓ and Enter open what it made,
/// `s` stamps a draft (through its confirmation), `e` edits it, Esc closes.
pub fn on_created_key(state: &mut State, mut c: Created, key: KeyEvent) -> Vec<Request> {
    use crossterm::event::KeyCode;
    let lang = state.lang;
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') => {
            state.popup = Popup::None;
            vec![]
        }
        KeyCode::Char('y') if c.link.is_some() => {
            let text = crate::text::token(c.link.as_deref().unwrap_or_default());
            state.popup = Popup::Created(Box::new(c));
            say(
                state,
                t!(
                    lang,
                    "Copied {text} to the clipboard (OSC 52)",
                    "Se copió {text} al portapapeles (OSC 52)"
                ),
            );
            vec![Request::Copy { text }]
        }
        KeyCode::Up | KeyCode::Char('k') => {
            c.selected = c.selected.saturating_sub(1);
            state.popup = Popup::Created(Box::new(c));
            vec![]
        }
        KeyCode::Down | KeyCode::Char('j') => {
            c.selected = (c.selected + 1).min(c.targets.len().saturating_sub(1));
            state.popup = Popup::Created(Box::new(c));
            vec![]
        }
        KeyCode::Enter if !c.targets.is_empty() => {
            let (dataset, id, _) = c.targets[c.selected.min(c.targets.len() - 1)].clone();
            state.popup = Popup::None;
            crate::app::common::jump::jump_to(state, c.team.clone(), dataset, id)
        }
        KeyCode::Char('s') | KeyCode::Enter if c.draft.is_some() => {
            let id = c.draft.clone().unwrap_or_default();
            open_stamp(state, &c, id)
        }
        KeyCode::Char('e') if c.form.is_some() => {
            let mut f = c.form.take().unwrap_or_else(unreachable_form);
            f.draft = c.draft.clone();
            f.head.idempotency_key = state.writes.peek(WriteKind::DraftInvoice.slug());
            state.writes.take();
            f.confirm.yes = false;
            f.error = None;
            state.popup = Popup::Create(f);
            vec![]
        }
        _ => {
            state.popup = Popup::Created(Box::new(c));
            vec![]
        }
    }
}

/// The draft's confirmation: `EMITIR` on a live key, then the stamp.
fn open_stamp(state: &mut State, c: &Created, id: String) -> Vec<Request> {
    let lang = state.lang;
    let head = Head {
        team: c.team.clone(),
        team_name: c.team_name.clone(),
        connect: state.own_team.as_ref().is_some_and(|o| *o != c.team),
        live: state.live.unwrap_or(true),
        lang,
        idempotency_key: state.writes.peek(WriteKind::StampDraft.slug()),
    };
    state.writes.take();
    let mut f = CreateForm::new(WriteKind::StampDraft, head, FormData::default());
    f.draft = Some(id);
    f.shown = c.lines.clone();
    state.popup = Popup::Create(Box::new(f));
    vec![]
}

fn unreachable_form() -> Box<CreateForm> {
    // `e` is only taken when the form is there; never built.
    Box::new(CreateForm::new(
        WriteKind::DraftInvoice,
        Head {
            team: TeamId(String::new()),
            team_name: String::new(),
            connect: false,
            live: true,
            lang: crate::i18n::Lang::En,
            idempotency_key: String::new(),
        },
        FormData::default(),
    ))
}

/// A stamp or delete confirmed from a draft's form: the body names only the draft.
pub fn draft_create(kind: WriteKind, id: &str) -> Create {
    Create {
        lock: id.to_string(),
        services: vec![],
        body: match kind {
            WriteKind::DeleteDraft => CreateBody::DeleteDraft { id: id.into() },
            _ => CreateBody::StampDraft { id: id.into() },
        },
    }
}

/// `:drafts`: the current team's invoice drafts, read from gigstack.
pub fn open_drafts(state: &mut State) -> Vec<Request> {
    let (Some(team), Some(info)) = (state.current.clone(), state.current_team()) else {
        return vec![];
    };
    let team_name = info.name.clone();
    crate::app::state::open_popup(
        state,
        Popup::Drafts(DraftsView {
            team: team.clone(),
            team_name,
            drafts: None,
            error: None,
            selected: 0,
        }),
    );
    vec![Request::LoadDrafts { team }]
}

/// The drafts arrived.
pub fn on_drafts(
    state: &mut State,
    team: TeamId,
    result: Result<Vec<crate::api::Draft>, ApiError>,
) -> Vec<Request> {
    let lang = state.lang;
    if let Popup::Drafts(v) = &mut state.popup
        && v.team == team
    {
        match result {
            Ok(d) => v.drafts = Some(d),
            Err(e) => {
                v.drafts = Some(vec![]);
                v.error = Some(e.describe(lang));
            }
        }
    }
    vec![]
}

/// Keys on the drafts list: ↑↓ choose, Enter (or `s`) shows the draft to stamp it, `e`
/// edits it, `d` deletes it (asked first), `r` reads the list again, Esc closes.
pub fn on_drafts_key(state: &mut State, mut v: DraftsView, key: KeyEvent) -> Vec<Request> {
    use crossterm::event::KeyCode;
    let lang = state.lang;
    let n = v.open_ones().len();
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') => {
            state.popup = Popup::None;
            return vec![];
        }
        KeyCode::Up | KeyCode::Char('k') => v.selected = v.selected.saturating_sub(1),
        KeyCode::Down | KeyCode::Char('j') => {
            v.selected = (v.selected + 1).min(n.saturating_sub(1))
        }
        KeyCode::Char('r') => {
            v.drafts = None;
            v.error = None;
            let team = v.team.clone();
            state.popup = Popup::Drafts(v);
            return vec![Request::LoadDrafts { team }];
        }
        KeyCode::Enter | KeyCode::Char('s') | KeyCode::Char('d') | KeyCode::Char('e') => {
            let Some(d) = v.chosen().cloned() else {
                state.popup = Popup::Drafts(v);
                return vec![];
            };
            if !crate::app::common::guard::writes_allowed(state) {
                state.popup = Popup::Drafts(v);
                return vec![];
            }
            let kind = match key.code {
                KeyCode::Char('d') => WriteKind::DeleteDraft,
                KeyCode::Char('e') => WriteKind::DraftInvoice,
                _ => WriteKind::StampDraft,
            };
            if kind != WriteKind::DraftInvoice
                && reopen_unanswered(state, kept_key(kind, &v.team, &d.id))
            {
                return vec![];
            }
            let head = Head {
                team: v.team.clone(),
                team_name: v.team_name.clone(),
                connect: state.own_team.as_ref().is_some_and(|o| *o != v.team),
                live: state.live.unwrap_or(true),
                lang,
                idempotency_key: state.writes.peek(kind.slug()),
            };
            state.writes.take();
            if kind == WriteKind::DraftInvoice {
                let data = FormData {
                    loading: true,
                    ..FormData::default()
                };
                let f = crate::app::create::drafts::form(&d, head, data);
                state.popup = Popup::Create(Box::new(f));
                return vec![Request::FormData {
                    team: v.team,
                    credit_for: None,
                }];
            }
            let mut f = CreateForm::new(kind, head, FormData::default());
            f.draft = Some(d.id.clone());
            f.shown = crate::app::create::drafts::lines(&d, lang);
            state.popup = Popup::Create(Box::new(f));
            return vec![];
        }
        _ => {}
    }
    state.popup = Popup::Drafts(v);
    vec![]
}

/// Where a form whose answer never came is kept: per kind and team for what `n` opens, per
/// object for a credit note (its invoice) and a draft's stamp or deletion (the draft).
fn kept_key(kind: WriteKind, team: &TeamId, lock: &str) -> String {
    match kind {
        WriteKind::CreditNote | WriteKind::StampDraft | WriteKind::DeleteDraft => {
            lock_key(kind, lock)
        }
        _ => lock_key(kind, team.as_str()),
    }
}

/// Opens the kept form at `key`, if there is one: frozen, same key, same body.
fn reopen_unanswered(state: &mut State, key: String) -> bool {
    let Some(kept) = state.unanswered.remove(&key) else {
        return false;
    };
    crate::app::state::open_popup(state, Popup::Create(kept));
    let msg = state.lang.pick(
        "Sent once with no answer, kept as it was: sending it again reuses its request key, so it cannot be created twice (Esc drops it).",
        "Enviado una vez sin respuesta, guardado tal como estaba: enviarlo otra vez reusa su clave, así que no puede crearse dos veces (Esc lo descarta).",
    );
    say(state, msg);
    true
}
