//! Single writes, pure: opening the dialog on the selected row, its keys, submitting once
//! with its idempotency key, and what the answer does to the rows. Bulk writes (marked
//! rows) are `bulk`'s; `update` routes between the two.

use crate::t;

use crate::api::{ApiError, TeamId};
use crate::app::common::load::reload;
use crate::app::data::documents::{Row, invoice_status_word, payment_label};
use crate::app::dialogs::check::Submit;
use crate::app::dialogs::keys::{self as form, lock_key};
use crate::app::dialogs::kinds::{WriteKind, WriteRequest};
use crate::app::dialogs::model::Dialog;
use crate::app::dialogs::rules::{invoice_refusal, payment_refusal};
use crate::app::msg::{Dataset, Request, WriteResult};
use crate::app::state::{
    State, Tab, complain, open_dialog, replace_invoice, replace_payment, say, team_name,
};

use crossterm::event::KeyEvent;

/// Opens the dialog for the selected row, or says why not.
pub fn open(state: &mut State, kind: WriteKind) -> Vec<Request> {
    if !crate::app::common::guard::writes_allowed(state) {
        return vec![];
    }
    let (Some(at), Some(view)) = (form::target(state), state.current_view()) else {
        return vec![];
    };
    let lang = state.lang;
    let object = match view.tab {
        Tab::Invoices => view.invoices.selected_row().map(|r| r.uuid().to_string()),
        Tab::Receipts => view.receipts.selected_row().map(|r| r.id().to_string()),
        _ => view.payments.selected_row().map(|r| r.id().to_string()),
    };
    let Some(object) = object else {
        let msg = state.lang.pick("Nothing selected", "Nada seleccionado");
        complain(state, msg);
        return vec![];
    };
    if state.writes.in_flight.contains(&object) {
        let msg = state.lang.pick(
            "This row already has an action in progress; wait for its answer.",
            "Esta fila ya tiene una acción en curso; espera su respuesta.",
        );
        complain(state, msg);
        return vec![];
    }
    let (key, fresh) = state.writes.key_for(&lock_key(kind, &object), kind.slug());
    let Some(view) = state.current_view() else {
        return vec![];
    };
    let dialog = if matches!(kind, WriteKind::StampReceipt | WriteKind::CancelReceipt) {
        let Some(row) = view.receipts.selected_row() else {
            return vec![];
        };
        // Only a pending receipt can be stamped or cancelled (an invoiced one is
        // cancelled through its invoice).
        if !row.is_open() {
            let status = row.status_label().to_string();
            complain(
                state,
                t!(
                    lang,
                    "{}: only a pending receipt (this one is {status}).",
                    "{}: solo un recibo pendiente (este está {status}).",
                    kind.title(lang)
                ),
            );
            return vec![];
        }
        Dialog::for_receipt(kind, row, &at, key)
    } else if kind == WriteKind::CancelInvoice {
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
    if fresh {
        state.writes.take();
    }
    open_dialog(state, dialog);
    vec![]
}

/// Enter on the n-th row of `:complements`: the dialog that issues its complement, with
/// the amount, installment and balances filled in.
pub fn open_complement(state: &mut State, n: usize) -> Vec<Request> {
    let lang = state.lang;
    if !crate::app::common::guard::writes_allowed(state) {
        return vec![];
    }
    let (Some(at), Some(view)) = (form::target(state), state.current_view()) else {
        return vec![];
    };
    let owed =
        crate::app::data::complements::owed(&view.invoices.rows, &view.payments.rows, view.now);
    let Some(o) = owed.get(n) else {
        return vec![];
    };
    let kind = WriteKind::IssueComplement;
    if state.writes.in_flight.contains(&o.invoice) {
        let msg = lang.pick(
            "This invoice already has an action in progress; wait for its answer.",
            "Esta factura ya tiene una acción en curso; espera su respuesta.",
        );
        complain(state, msg);
        return vec![];
    }
    let (key, fresh) = state
        .writes
        .key_for(&lock_key(kind, &o.invoice), kind.slug());
    let dialog = Dialog::for_complement(o, &at, key);
    if fresh {
        state.writes.take();
    }
    open_dialog(state, dialog);
    vec![]
}

/// `:stamp-receipts` on the Clients tab: every pending receipt of the selected client.
pub fn open_stamp_receipts(state: &mut State) -> Vec<Request> {
    let lang = state.lang;
    if state.current_view().map(|v| v.tab) != Some(Tab::Clients) {
        let msg = lang.pick(
            "Stamping receipts is for a client: open the Clients tab (2) and select one.",
            "Timbrar recibos es para un cliente: abre la pestaña Clientes (2) y elige uno.",
        );
        complain(state, msg);
        return vec![];
    }
    if !crate::app::common::guard::writes_allowed(state) {
        return vec![];
    }
    let kind = WriteKind::StampReceipts;
    let Some(at) = form::target(state) else {
        return vec![];
    };
    let Some(row) = state
        .current_view()
        .and_then(|v| v.clients.selected_row())
        .cloned()
    else {
        let msg = lang.pick("Nothing selected", "Nada seleccionado");
        complain(state, msg);
        return vec![];
    };
    if state.writes.in_flight.contains(row.id()) {
        let msg = lang.pick(
            "This client already has an action in progress; wait for its answer.",
            "Este cliente ya tiene una acción en curso; espera su respuesta.",
        );
        complain(state, msg);
        return vec![];
    }
    let (key, fresh) = state.writes.key_for(&lock_key(kind, row.id()), kind.slug());
    if fresh {
        state.writes.take();
    }
    open_dialog(state, Dialog::for_client(&row, &at, key));
    vec![]
}

/// Keys inside a single write's dialog.
pub fn on_key(state: &mut State, d: Dialog, key: KeyEvent) -> Vec<Request> {
    form::dialog_key(state, d, key, submit)
}

fn submit(state: &mut State, d: Dialog, what: Submit) -> Vec<Request> {
    let Submit::One(request) = what else {
        // A single write's dialog never holds marked rows; bulk has its own submit.
        return vec![];
    };
    let object = request.object_id().to_string();
    state.writes.in_flight.insert(object.clone());
    let (kind, head) = (d.kind(), d.head);
    state
        .writes
        .retry_keys
        .insert(lock_key(kind, &object), head.idempotency_key.clone());
    let (what, team) = (kind.title(state.lang), &head.team_name);
    let msg = t!(
        state.lang,
        "{what}: sending to «{team}»…",
        "{what}: enviando a «{team}»…"
    );
    say(state, msg);
    vec![Request::Write {
        team: head.team,
        team_name: head.team_name,
        request,
        idempotency_key: head.idempotency_key,
        client: head.client,
        amount: head.amount_text,
        currency: head.currency,
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
    state.writes.in_flight.remove(&object);
    let kind = request.kind();
    let name = team_name(state, &team);
    let lang = state.lang;
    let what = kind.title(lang);
    match result {
        Ok(r) => {
            state.writes.retry_keys.remove(&lock_key(kind, &object));
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
                WriteResult::Receipt(r) => {
                    crate::app::state::replace_receipt(state, &team, r);
                    let (now, _) =
                        crate::app::data::receipts::receipt_status_word(r.status.as_ref(), lang);
                    t!(
                        lang,
                        "{what} done in «{name}»: the receipt is now {now}.",
                        "{what}: hecho en «{name}»; el recibo ahora está {now}."
                    )
                }
                WriteResult::Receipts(r) => {
                    let (s, f, left) = (r.stamped, r.failed, r.remaining);
                    t!(
                        lang,
                        "Pending receipts in «{name}»: {s} stamped, {f} failed, {left} still pending.",
                        "Recibos pendientes en «{name}»: {s} timbrados, {f} fallidos, {left} siguen pendientes."
                    )
                }
                WriteResult::Invoice(i) if kind == WriteKind::IssueComplement => {
                    let folio = crate::text::printable(&i.folio());
                    state
                        .intents
                        .push(crate::app::state::Intent::OpenComplements);
                    t!(
                        lang,
                        "Payment complement {folio} issued in «{name}»; the PPD invoice's balance is read again.",
                        "Complemento de pago {folio} emitido en «{name}»; se vuelve a leer el saldo de la factura PPD."
                    )
                }
                // Creates are answered by `create::on_done`.
                WriteResult::Draft(_)
                | WriteResult::Client(..)
                | WriteResult::Deleted
                | WriteResult::Branch(_) => String::new(),
                WriteResult::Team(_) => t!(
                    lang,
                    "{what} done in «{name}».",
                    "{what}: hecho en «{name}»."
                ),
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
                return reload(state, reread(kind));
            }
            vec![]
        }
        Err(e) if e.is_transient() => {
            // Every retry failed on the way (network, timeout, 5xx): the server may have
            // applied it. Say so, and read the row again to see.
            let e = e.describe(lang);
            complain(
                state,
                t!(
                    lang,
                    "{what} in «{name}»: outcome unknown — no answer came back ({e}). The row is being read again; if it did not change, try again: the same request key is reused, so it cannot apply twice.",
                    "{what} en «{name}»: resultado desconocido — no llegó respuesta ({e}). Se está leyendo la fila de nuevo; si no cambió, intenta otra vez: se reusa la misma clave de solicitud, así que no puede aplicarse dos veces."
                ),
            );
            if state.current.as_ref() == Some(&team) {
                return reload(state, reread(kind));
            }
            vec![]
        }
        Err(e) => {
            state.writes.retry_keys.remove(&lock_key(kind, &object));
            let advice = match &e {
                ApiError::Conflict { .. } => lang.pick(
                    " Refresh (r) to see its current state.",
                    " Actualiza (r) para ver su estado actual.",
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

/// What a write can change, to read again after it.
fn reread(kind: WriteKind) -> &'static [Dataset] {
    match kind {
        WriteKind::CancelInvoice => &[Dataset::Invoices],
        WriteKind::MarkPaid | WriteKind::IssueComplement => &[Dataset::Payments, Dataset::Invoices],
        WriteKind::StampReceipts | WriteKind::StampReceipt => {
            &[Dataset::Invoices, Dataset::Receipts]
        }
        WriteKind::CancelReceipt => &[Dataset::Receipts],
        _ => &[Dataset::Payments],
    }
}
