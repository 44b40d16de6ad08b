//! The write flow, pure: opening a dialog on the selected row (or a bulk one), keys inside
//! it, submitting once with its idempotency key, and what an answer does to the rows.

use crate::t;
use tui_input::Input;

use super::actions::*;
use super::rows::{InvoiceRow, PaymentRow, Row, invoice_status_word, payment_label};
use crate::api::TeamId;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::arrivals::reload;
use super::popups::edit;
use super::state::{Popup, State, Tab};
use super::update::{complain, say};
use super::{Dataset, Request, WriteResult};
use crate::api::{ApiError, Invoice, Payment};

fn today_of(state: &State) -> jiff::civil::Date {
    let now = state
        .current_view()
        .map(|v| v.now)
        .filter(|n| *n > 0)
        .unwrap_or(0);
    jiff::Timestamp::from_second(now)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned(crate::api::time::mexico_city().clone())
        .date()
}

fn lock_key(kind: WriteKind, id: &str) -> String {
    format!("{}:{id}", kind.slug())
}

/// Opens the dialog for the selected row, or says why not.
pub fn open(state: &mut State, kind: WriteKind) -> Vec<Request> {
    let (Some(team), Some(view)) = (state.current.clone(), state.current_view()) else {
        return vec![];
    };
    let lang = state.lang;
    let at = Target {
        team,
        team_name: state
            .current_team()
            .map(|t| t.name.clone())
            .unwrap_or_default(),
        connect: state.is_connect_team(),
        live: state.live.unwrap_or(true),
        lang,
        today: today_of(state),
    };
    if super::bulk::has_marks(state, kind) && kind != WriteKind::Refund {
        state.action_seq += 1;
        let key = format!(
            "gigdash_{}_{}_{}",
            state.session,
            kind.slug(),
            state.action_seq
        );
        // Bulk names its teams and Connect itself, from the marked rows.
        return super::bulk::open(state, kind, Dialog::base(kind, &at, key));
    }
    let object = match view.tab {
        Tab::Invoices => view.invoices.selected_row().map(|r| r.uuid().to_string()),
        _ => view.payments.selected_row().map(|r| r.id().to_string()),
    };
    let Some(object) = object else {
        let msg = state.lang.pick("Nothing selected", "Nada seleccionado");
        complain(state, msg);
        return vec![];
    };
    if state.in_flight.contains(&object) {
        let msg = state.lang.pick(
            "This row already has an action in progress; wait for its answer.",
            "Esta fila ya tiene una acción en curso; espera su respuesta.",
        );
        complain(state, msg);
        return vec![];
    }
    let retry = state.retry_keys.get(&lock_key(kind, &object)).cloned();
    let key = retry.unwrap_or_else(|| {
        format!(
            "gigdash_{}_{}_{}",
            state.session,
            kind.slug(),
            state.action_seq + 1
        )
    });
    let Some(view) = state.current_view() else {
        return vec![];
    };
    let dialog = if kind == WriteKind::CancelInvoice {
        let Some(row) = view.invoices.selected_row() else {
            return vec![];
        };
        if let Some(why) = invoice_refusal(row) {
            let why = why.get(lang);
            complain(
                state,
                t!(
                    lang,
                    "Cannot cancel: {why}.",
                    "No se puede cancelar: {why}."
                ),
            );
            return vec![];
        }
        Dialog::for_invoice(row, view.invoices.rows.iter(), &at, key)
    } else {
        let Some(row) = view.payments.selected_row() else {
            return vec![];
        };
        if let Some(why) = payment_refusal(kind, row) {
            complain(state, format!("{}: {}.", kind.title(lang), why.get(lang)));
            return vec![];
        }
        Dialog::for_payment(kind, row, &at, key)
    };
    if !state.retry_keys.contains_key(&lock_key(kind, &object)) {
        state.action_seq += 1;
    }
    state.popup = Popup::Action(Box::new(dialog));
    vec![]
}

/// Keys inside a write dialog. Esc always backs out; Enter on "Yes" submits once.
pub fn on_key(state: &mut State, mut d: Dialog, key: KeyEvent) -> Vec<Request> {
    let shift_tab = key.code == KeyCode::BackTab;
    match key.code {
        KeyCode::Esc => {
            say(state, nothing_sent(d.kind, state.lang));
            return vec![];
        }
        KeyCode::Tab | KeyCode::BackTab => d.next_field(shift_tab),
        KeyCode::Enter if d.focus != Field::Buttons => d.next_field(false),
        KeyCode::Enter if !d.yes => {
            say(state, nothing_sent(d.kind, state.lang));
            return vec![];
        }
        KeyCode::Enter => match d.validate() {
            Ok(request) if !d.bulk.is_empty() => return super::bulk::submit(state, d, request),
            Ok(request) => return submit(state, d, request),
            Err(e) => d.error = Some(e),
        },
        _ => handle_field_key(&mut d, &key),
    }
    state.popup = Popup::Action(Box::new(d));
    vec![]
}

fn handle_field_key(d: &mut Dialog, key: &KeyEvent) {
    let up = matches!(key.code, KeyCode::Up)
        || (key.code == KeyCode::Char('p') && key.modifiers.contains(KeyModifiers::CONTROL));
    let down = matches!(key.code, KeyCode::Down)
        || (key.code == KeyCode::Char('n') && key.modifiers.contains(KeyModifiers::CONTROL));
    d.error = None;
    match d.focus {
        Field::Buttons => match key.code {
            KeyCode::Left | KeyCode::Right | KeyCode::Char('h') | KeyCode::Char('l') => {
                d.yes = !d.yes
            }
            KeyCode::Char('y') => d.yes = true,
            // «s» for «sí» in Spanish.
            KeyCode::Char('s') if d.lang == crate::i18n::Lang::Es => d.yes = true,
            KeyCode::Char('n') => d.yes = false,
            _ => {}
        },
        Field::Form => {
            let n = d.forms().len();
            if up {
                d.form_index = d.form_index.saturating_sub(1);
            } else if down {
                d.form_index = (d.form_index + 1).min(n.saturating_sub(1));
            } else if edit(&mut d.form_filter, key) {
                d.form_index = 0;
            }
        }
        Field::Motive => match key.code {
            KeyCode::Char(c @ '1'..='4') => d.motive = c as usize - '1' as usize,
            _ if up => d.motive = d.motive.saturating_sub(1),
            _ if down => d.motive = (d.motive + 1).min(MOTIVES.len() - 1),
            _ => {}
        },
        Field::Substitution => {
            if (up || down) && !d.substitution_choices.is_empty() {
                let n = d.substitution_choices.len();
                let cur = d
                    .substitution_choices
                    .iter()
                    .position(|(u, _)| u == d.substitution.value());
                let next = match (cur, down) {
                    (None, _) => 0,
                    (Some(i), true) => (i + 1) % n,
                    (Some(i), false) => (i + n - 1) % n,
                };
                d.substitution = Input::new(d.substitution_choices[next].0.clone());
            } else {
                edit(&mut d.substitution, key);
            }
        }
        Field::Date => {
            edit(&mut d.date, key);
        }
        Field::Amount => {
            edit(&mut d.amount, key);
        }
        Field::Reason => {
            edit(&mut d.reason, key);
        }
        Field::Word => {
            edit(&mut d.word, key);
        }
    }
}

fn submit(state: &mut State, d: Dialog, request: WriteRequest) -> Vec<Request> {
    let object = request.object_id().to_string();
    state.in_flight.insert(object.clone());
    state
        .retry_keys
        .insert(lock_key(d.kind, &object), d.idempotency_key.clone());
    let (what, team) = (d.kind.title(state.lang), &d.team_name);
    let msg = t!(
        state.lang,
        "{what}: sending to «{team}»…",
        "{what}: enviando a «{team}»…"
    );
    say(state, msg);
    vec![Request::Write {
        team: d.team,
        team_name: d.team_name,
        request,
        idempotency_key: d.idempotency_key,
        client: d.client,
        amount: d.amount_text,
        currency: d.currency,
    }]
}

/// A write's answer: on success the row changes and the affected views reload; on failure
/// nothing in the table changes and the status says what to do.
pub fn on_done(
    state: &mut State,
    team: TeamId,
    request: WriteRequest,
    result: Result<WriteResult, ApiError>,
) -> Vec<Request> {
    let object = request.object_id().to_string();
    state.in_flight.remove(&object);
    let kind = request.kind();
    let in_bulk = state.bulk.as_ref().is_some_and(|b| b.ids.contains(&object));
    if in_bulk {
        match &result {
            Ok(WriteResult::Payment(p)) => replace_payment(state, &team, p),
            Ok(WriteResult::Invoice(i)) => replace_invoice(state, &team, i),
            Err(_) => {}
        }
        let error = result.as_ref().err().map(|e| e.describe(state.lang));
        super::bulk::on_done(state, &object, error);
        return vec![];
    }
    let name = state
        .teams
        .iter()
        .find(|t| t.id == team)
        .map(|t| t.name.clone())
        .unwrap_or_else(|| team.to_string());
    let lang = state.lang;
    let what = kind.title(lang);
    match result {
        Ok(r) => {
            state.retry_keys.remove(&lock_key(kind, &object));
            let text = match &r {
                WriteResult::Payment(p) => {
                    replace_payment(state, &team, p);
                    let now = payment_label(&p.status(), !p.refunds.is_empty(), lang);
                    t!(
                        lang,
                        "{what} done in «{name}»: payment is now {now}.",
                        "{what}: hecho en «{name}»; el pago ahora está {now}."
                    )
                }
                WriteResult::Invoice(i) => {
                    replace_invoice(state, &team, i);
                    match i.cancellation_status {
                        Some(crate::api::CancellationStatus::Pending) => t!(
                            lang,
                            "Cancellation requested in «{name}»: waiting for the receiver to accept; the row shows «cancel pending» until they do.",
                            "Cancelación solicitada en «{name}»: esperando a que el receptor acepte; la fila dice «en cancelación» hasta entonces."
                        ),
                        _ => {
                            let now = invoice_status_word(&i.status(), lang);
                            t!(
                                lang,
                                "Invoice canceled in «{name}» ({now}).",
                                "Factura cancelada en «{name}» ({now})."
                            )
                        }
                    }
                }
            };
            say(state, text);
            if state.current.as_ref() == Some(&team) {
                let datasets: &[Dataset] = match kind {
                    WriteKind::CancelInvoice => &[Dataset::Invoices],
                    WriteKind::MarkPaid => &[Dataset::Payments, Dataset::Invoices],
                    _ => &[Dataset::Payments],
                };
                return reload(state, datasets);
            }
            vec![]
        }
        Err(e) => {
            if !e.is_transient() {
                state.retry_keys.remove(&lock_key(kind, &object));
            }
            let advice = match &e {
                ApiError::Conflict { .. } => lang.pick(
                    " Refresh (r) to see its current state.",
                    " Actualiza (r) para ver su estado actual.",
                ),
                ApiError::ReadOnly => "",
                e if e.is_transient() => lang.pick(
                    " Try again: the same request key will be reused, so it cannot apply twice.",
                    " Intenta de nuevo: se reusará la misma clave de solicitud, así que no puede aplicarse dos veces.",
                ),
                _ => "",
            };
            let e = e.describe(lang);
            complain(
                state,
                t!(
                    lang,
                    "{what} failed in «{name}»: {e}{advice}",
                    "{what} falló en «{name}»: {e}{advice}"
                ),
            );
            vec![]
        }
    }
}

pub fn replace_payment(state: &mut State, team: &TeamId, p: &Payment) {
    if let Some(view) = state.views.get_mut(team)
        && let Some(pos) = view.payments.rows.iter().position(|r| r.id() == p.id)
    {
        std::sync::Arc::make_mut(&mut view.payments.rows)[pos] =
            PaymentRow::from_api(p, state.lang);
    }
}

pub fn replace_invoice(state: &mut State, team: &TeamId, i: &Invoice) {
    if let Some(view) = state.views.get_mut(team)
        && let Some(pos) = view.invoices.rows.iter().position(|r| r.uuid() == i.uuid())
    {
        std::sync::Arc::make_mut(&mut view.invoices.rows)[pos] =
            InvoiceRow::from_api(i, state.lang);
    }
}

fn nothing_sent(kind: WriteKind, lang: crate::i18n::Lang) -> String {
    let what = kind.title(lang);
    t!(
        lang,
        "{what}: nothing was sent.",
        "{what}: no se envió nada."
    )
}
