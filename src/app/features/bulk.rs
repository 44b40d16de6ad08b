//! Bulk writes: Space marks rows (in any team); `p` or `x` with marks confirms once with the
//! count, the teams involved and the total, then sends one idempotent write per row (the
//! client bounds how many run at once) and reports each row's outcome.

use crate::app::state::Asking;
use crate::t;
use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crossterm::event::KeyEvent;

use crate::api::{Amount, ApiError, TeamId};
use crate::app::data::documents::Row;
use crate::app::dialogs::check::Submit;
use crate::app::dialogs::keys as form;
use crate::app::dialogs::kinds::{WriteKind, WriteRequest};
use crate::app::dialogs::model::{Body, BulkItem, BulkRun, Dialog};
use crate::app::dialogs::rules::{invoice_refusal, payment_refusal};
use crate::app::msg::{Request, WriteResult};
use crate::app::state::{
    Popup, State, complain, mirror_marks, open_dialog, replace_invoice, replace_payment, say,
    team_name,
};

/// Marked rows of every team that the action applies to, and how many were skipped.
fn collect(state: &State, kind: WriteKind) -> (Vec<BulkItem>, usize, Vec<(String, usize)>) {
    let mut items = Vec::new();
    let mut skipped = 0;
    let mut refused = Vec::new();
    let mut teams: Vec<&TeamId> = state.views.keys().collect();
    teams.sort();
    for team in teams {
        let view = &state.views[team];
        let name = team_name(state, team);
        // A team the config makes read-only is refused by name, its rows left out.
        if state.read_only_teams.contains(team) {
            let marked = match kind {
                WriteKind::CancelInvoice => view.invoices.marked.len(),
                _ => view.payments.marked.len(),
            };
            if marked > 0 {
                refused.push((name, marked));
            }
            continue;
        }
        if kind == WriteKind::CancelInvoice {
            for r in view
                .invoices
                .rows
                .iter()
                .filter(|r| view.invoices.marked.contains(r.id()))
            {
                if invoice_refusal(r).is_some() || state.writes.in_flight.contains(r.id()) {
                    skipped += 1;
                    continue;
                }
                items.push(BulkItem {
                    team: team.clone(),
                    team_name: name.clone(),
                    id: r.uuid().to_string(),
                    client: r.client().to_string(),
                    amount_text: r.total_fmt().to_string(),
                    total_mxn: r.total_mxn(),
                    currency: r.currency().to_string(),
                });
            }
        } else {
            for r in view
                .payments
                .rows
                .iter()
                .filter(|r| view.payments.marked.contains(r.id()))
            {
                if payment_refusal(kind, r).is_some() || state.writes.in_flight.contains(r.id()) {
                    skipped += 1;
                    continue;
                }
                items.push(BulkItem {
                    team: team.clone(),
                    team_name: name.clone(),
                    id: r.id().to_string(),
                    client: r.client().to_string(),
                    amount_text: r.total_fmt().to_string(),
                    total_mxn: r.total_mxn(),
                    currency: r.currency().to_string(),
                });
            }
        }
    }
    (items, skipped, refused)
}

/// Whether the table the action works on has marks in any team.
pub fn has_marks(state: &State, kind: WriteKind) -> bool {
    state.views.values().any(|v| match kind {
        WriteKind::CancelInvoice => !v.invoices.marked.is_empty(),
        _ => !v.payments.marked.is_empty(),
    })
}

/// Opens the one confirmation for every marked row the action applies to.
pub fn open(state: &mut State, kind: WriteKind) -> Vec<Request> {
    let Some(at) = form::target(state) else {
        return vec![];
    };
    let (items, skipped, refused) = collect(state, kind);
    let lang = state.lang;
    let what = kind.title(lang);
    if items.is_empty() {
        let msg = t!(
            lang,
            "{what}: none of the marked rows qualify ({skipped} skipped).",
            "{what}: ninguna de las filas marcadas aplica ({skipped} omitidas)."
        );
        complain(state, msg);
        return vec![];
    }
    let key = state.writes.peek(kind.slug());
    // The teams it acts on, as the confirmation lists them.
    let teams: BTreeSet<TeamId> = items.iter().map(|i| i.team.clone()).collect();
    let Some(mut dialog) = Dialog::for_bulk(kind, items, skipped, &at, key) else {
        let msg = t!(
            lang,
            "{what}: one row at a time (marks are for marking paid and cancelling).",
            "{what}: una fila a la vez (las marcas son para marcar pagado y cancelar)."
        );
        complain(state, msg);
        return vec![];
    };
    state.writes.take();
    describe(&mut dialog, state.own_team.as_ref());
    for (name, n) in &refused {
        dialog.head.warnings.push(t!(
            lang,
            "«{name}» is read-only in your config: its {n} marked rows are left out.",
            "«{name}» es de solo lectura en tu configuración: sus {n} filas marcadas quedan fuera."
        ));
    }
    if kind == WriteKind::CancelInvoice {
        dialog.head.warnings.push(
            lang.pick(
                "Invoices above $1,000 MXN to a named receiver will wait for the receiver to accept. Motive 01 is not offered in bulk (each needs its own replacement).",
                "Las facturas de más de $1,000 MXN a un receptor con nombre esperarán a que el receptor acepte. El motivo 01 no se ofrece en lote (cada una necesita su propia sustitución).",
            )
            .into(),
        );
    }
    // Before anything is sent, the key's role is checked once per team: a viewer (or a
    // member, for cancellations) is told which teams will refuse.
    state.asked.again(Asking::Roles);
    dialog.head.warnings.push(checking_roles(lang, teams.len()));
    open_dialog(state, dialog);
    vec![Request::CheckRoles {
        generation: state.asked.current(Asking::Roles),
        teams: teams.into_iter().collect(),
    }]
}

/// The dialog's summary of the rows it will write: teams, Connect, clients, total.
fn describe(d: &mut Dialog, own: Option<&TeamId>) {
    let lang = d.lang();
    let Some(bulk) = d.bulk() else {
        return;
    };
    let items = &bulk.items;
    let teams: BTreeSet<&str> = items.iter().map(|i| i.team_name.as_str()).collect();
    let team_name = teams.into_iter().collect::<Vec<_>>().join(", ");
    let connect = items.iter().any(|i| Some(&i.team) != own);
    // A change to teams names its change, not clients and money.
    if matches!(bulk.write, crate::app::dialogs::model::BulkWrite::Team(_)) {
        d.head.team_name = team_name;
        d.head.connect = connect;
        return;
    }
    let clients = items
        .iter()
        .map(|i| i.client.as_str())
        .collect::<BTreeSet<_>>()
        .len();
    let total: Decimal = crate::api::money::sum(items.iter().map(|i| i.total_mxn));
    let total = Amount(total.round_dp(2)).display("MXN");
    d.head.team_name = team_name;
    d.head.connect = connect;
    d.head.client = t!(lang, "{clients} clients", "{clients} clientes");
    d.head.amount_text = t!(lang, "{total} in total", "{total} en total");
}

pub use crate::app::dialogs::rules::{checking_roles, role_allows};

/// The roles arrived: teams whose role refuses the write leave the confirmation, named.
pub fn on_roles(
    state: &mut State,
    generation: u64,
    roles: Vec<(TeamId, Result<String, ApiError>)>,
) -> Vec<Request> {
    if !state.asked.wanted(Asking::Roles, generation) {
        return vec![];
    }
    let lang = state.lang;
    let Popup::Action(d) = &mut state.popup else {
        return vec![];
    };
    let kind = d.kind();
    let waiting = checking_roles(lang, roles.len());
    d.head.warnings.retain(|w| *w != waiting);
    let what = kind.title(lang).to_lowercase();
    let Body::Bulk(bulk) = &mut d.body else {
        return vec![];
    };
    let mut notes = Vec::new();
    for (team, role) in roles {
        let name = bulk
            .items
            .iter()
            .find(|i| i.team == team)
            .map(|i| i.team_name.clone())
            .unwrap_or_else(|| team.to_string());
        match role {
            Ok(role) if !role_allows(&role, kind) => {
                let n = bulk.items.iter().filter(|i| i.team == team).count();
                bulk.items.retain(|i| i.team != team);
                // A change to teams counts the teams left out, and has no rows.
                if matches!(bulk.write, crate::app::dialogs::model::BulkWrite::Team(_)) {
                    bulk.skipped += 1;
                    notes.push(t!(
                        lang,
                        "«{name}»: your role there ({role}) cannot {what}; left out.",
                        "«{name}»: tu rol ahí ({role}) no permite {what}; queda fuera."
                    ));
                } else {
                    notes.push(t!(
                        lang,
                        "«{name}»: your role there ({role}) cannot {what}; its {n} rows are left out.",
                        "«{name}»: tu rol ahí ({role}) no permite {what}; sus {n} filas quedan fuera."
                    ));
                }
            }
            Ok(_) => {}
            Err(e) => {
                let why = e.short(lang);
                notes.push(t!(
                    lang,
                    "«{name}»: your role could not be checked ({why}); gigstack will refuse if it must.",
                    "«{name}»: no se pudo revisar tu rol ({why}); gigstack lo rechazará si corresponde."
                ));
            }
        }
    }
    let none_left = bulk.items.is_empty();
    d.head.warnings.extend(notes);
    describe(d, state.own_team.as_ref());
    if none_left {
        let msg = t!(
            lang,
            "{what}: your role refuses it in every team marked; nothing was sent.",
            "{what}: tu rol lo impide en todos los equipos marcados; no se envió nada."
        );
        state.popup = Popup::None;
        complain(state, msg);
    }
    vec![]
}

/// Keys inside the bulk dialog.
pub fn on_key(state: &mut State, d: Dialog, key: KeyEvent) -> Vec<Request> {
    form::dialog_key(state, d, key, submit)
}

/// One write per row, each with its own idempotency key.
pub fn submit(state: &mut State, d: Dialog, what: Submit) -> Vec<Request> {
    let Submit::Each(rows) = what else {
        return vec![];
    };
    let kind = d.kind();
    state.writes.take();
    let seq = state.writes.seq;
    let mut reqs = Vec::new();
    let mut ids = BTreeSet::new();
    let mut run_items = Vec::new();
    for (n, (item, request)) in rows.into_iter().enumerate() {
        state.writes.in_flight.insert(item.id.clone());
        ids.insert(item.id.clone());
        let key = format!("gigdash_{}_{}_{seq}_{n}", state.writes.session, kind.slug());
        reqs.push(write_request(&item, request.clone(), key.clone()));
        run_items.push((item, request, key));
    }
    // The rows sent are no longer marked, in their team and in the all-teams table; the
    // teams changed, in the Branches tab.
    let teams_sent: BTreeSet<TeamId> = run_items
        .iter()
        .filter(|(_, r, _)| matches!(r, WriteRequest::Team { .. }))
        .map(|(i, _, _)| i.team.clone())
        .collect();
    state.branches.marked.retain(|t| !teams_sent.contains(t));
    for v in state.views.values_mut() {
        v.payments.marked.retain(|m| !ids.contains(&**m));
        v.invoices.marked.retain(|m| !ids.contains(&**m));
    }
    mirror_marks(state);
    let (what, n) = (kind.title(state.lang), reqs.len());
    let msg = t!(
        state.lang,
        "{what}: sending {n} writes…",
        "{what}: enviando {n} escrituras…"
    );
    say(state, msg);
    state.writes.bulk = Some(BulkRun {
        kind,
        total: ids.len(),
        ids,
        ok: 0,
        failed: Vec::new(),
        items: run_items,
        by_team: Default::default(),
    });
    reqs
}

fn write_request(item: &BulkItem, request: WriteRequest, key: String) -> Request {
    Request::Write {
        team: item.team.clone(),
        team_name: item.team_name.clone(),
        request,
        idempotency_key: key,
        client: item.client.clone(),
        amount: item.amount_text.clone(),
        currency: item.currency.clone(),
    }
}

/// `:retry`: the failed rows of the last bulk run again, each with its own key (the
/// server applies each at most once, even if the failure was a lost answer).
pub fn retry_failed(state: &mut State) -> Vec<Request> {
    let lang = state.lang;
    if state
        .writes
        .bulk
        .as_ref()
        .is_some_and(|b| !b.ids.is_empty())
    {
        let msg = lang.pick(
            "A bulk write is still running; wait for its answers.",
            "Una escritura en lote sigue en curso; espera sus respuestas.",
        );
        complain(state, msg);
        return vec![];
    }
    let Some(last) = state.writes.last_bulk.take() else {
        let msg = lang.pick(
            "No failed bulk rows to retry.",
            "No hay filas de lote fallidas que reintentar.",
        );
        complain(state, msg);
        return vec![];
    };
    let failed: BTreeSet<&str> = last.failed.iter().map(|(id, _)| id.as_str()).collect();
    let again: Vec<(BulkItem, WriteRequest, String)> = last
        .items
        .iter()
        .filter(|(i, _, _)| failed.contains(i.id.as_str()))
        .cloned()
        .collect();
    if again.is_empty() {
        let msg = lang.pick(
            "No failed bulk rows to retry.",
            "No hay filas de lote fallidas que reintentar.",
        );
        complain(state, msg);
        return vec![];
    }
    let mut reqs = Vec::new();
    let mut ids = BTreeSet::new();
    for (item, request, key) in &again {
        state.writes.in_flight.insert(item.id.clone());
        ids.insert(item.id.clone());
        reqs.push(write_request(item, request.clone(), key.clone()));
    }
    let (what, n) = (last.kind.title(lang), again.len());
    let msg = t!(
        lang,
        "{what}: retrying the {n} failed rows…",
        "{what}: reintentando las {n} filas fallidas…"
    );
    say(state, msg);
    state.writes.bulk = Some(BulkRun {
        kind: last.kind,
        total: ids.len(),
        ids,
        ok: 0,
        failed: Vec::new(),
        items: again,
        by_team: Default::default(),
    });
    reqs
}

/// Whether a write's answer belongs to the bulk run in progress.
pub fn owns(state: &State, request: &WriteRequest) -> bool {
    let object = request.object_id();
    state
        .writes
        .bulk
        .as_ref()
        .is_some_and(|b| b.ids.contains(object))
}

/// A bulk row's answer: its row changes on success; the run counts it either way.
pub fn on_done(
    state: &mut State,
    team: TeamId,
    request: WriteRequest,
    result: Result<WriteResult, ApiError>,
) -> Vec<Request> {
    let object = request.object_id().to_string();
    state.writes.in_flight.remove(&object);
    match &result {
        Ok(WriteResult::Payment(p)) => replace_payment(state, &team, p),
        Ok(WriteResult::Invoice(i)) => replace_invoice(state, &team, i),
        Ok(WriteResult::Receipt(r)) => crate::app::state::replace_receipt(state, &team, r),
        Ok(WriteResult::Receipts(_))
        | Ok(WriteResult::Draft(_))
        | Ok(WriteResult::Client(..))
        | Ok(WriteResult::Deleted)
        | Ok(WriteResult::Team(_))
        | Ok(WriteResult::Branch(_))
        | Err(_) => {}
    }
    // A few words per row: the status line holds the run; the audit log keeps the whole answer.
    let error = result
        .as_ref()
        .err()
        .map(|e| e.short(state.lang).to_string());
    count(state, &object, error);
    vec![]
}

/// Counts a bulk row's outcome; true when the write belonged to the running bulk.
fn count(state: &mut State, id: &str, error: Option<String>) -> bool {
    let Some(run) = state.writes.bulk.as_mut() else {
        return false;
    };
    if !run.ids.remove(id) {
        return false;
    }
    let team = run
        .items
        .iter()
        .find(|(i, _, _)| i.id == id)
        .map(|(i, _, _)| i.team_name.clone())
        .unwrap_or_default();
    let slot = run.by_team.entry(team).or_default();
    match error {
        None => {
            run.ok += 1;
            slot.0 += 1;
        }
        Some(e) => {
            run.failed.push((id.to_string(), e));
            slot.1 += 1;
        }
    }
    let finished = run.ids.is_empty();
    let lang = state.lang;
    let (what, ok, total) = (run.kind.title(lang), run.ok, run.total);
    let mut text = t!(
        lang,
        "{what}: {ok} of {total} done",
        "{what}: {ok} de {total} hechas"
    );
    // What failed comes first, with its team and why: the line may be cut at its end.
    if !run.failed.is_empty() {
        let n = run.failed.len();
        text.push_str(&match n {
            1 => t!(lang, ", 1 failed", ", 1 falló"),
            n => t!(lang, ", {n} failed", ", {n} fallaron"),
        });
        for (id, e) in run.failed.iter().take(3) {
            let team = run
                .items
                .iter()
                .find(|(i, _, _)| i.id == *id)
                .map(|(i, _, _)| i.team_name.as_str())
                .unwrap_or("");
            text.push_str(&format!(" · «{team}» {id}: {e}"));
        }
        if finished {
            text.push_str(lang.pick(
                " · :retry sends the failed ones again",
                " · :reintentar envía de nuevo las fallidas",
            ));
        }
    }
    if finished {
        // The summary, team by team.
        for (team, (done, bad)) in &run.by_team {
            let done = match *done {
                1 => t!(lang, "1 done", "1 hecha"),
                n => t!(lang, "{n} done", "{n} hechas"),
            };
            text.push_str(&match *bad {
                0 => format!(" · «{team}» {done}"),
                1 => t!(
                    lang,
                    " · «{team}» {done}, 1 failed",
                    " · «{team}» {done}, 1 falló"
                ),
                bad => t!(
                    lang,
                    " · «{team}» {done}, {bad} failed",
                    " · «{team}» {done}, {bad} fallaron"
                ),
            });
        }
    }
    let failed = !run.failed.is_empty();
    if finished {
        state.writes.last_bulk = state.writes.bulk.take();
    }
    if failed {
        complain(state, text)
    } else {
        say(state, text)
    }
    true
}
